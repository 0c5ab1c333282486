//! Photos as pages show them: the preview in the page (the file for wide
//! or dense screens), the full picture behind a link, the alt text always.
//! Addresses are the site's own paths, so that the page works under any
//! name the node is reached by.

use maillage_core::urls::LocalUrls;
use maillage_db::media::MediaRow;
use maillage_service::media::{file_url, preview_url};

use crate::i18n::Lang;

pub struct Photo {
    pub id: String,
    pub full: String,
    pub preview: String,
    pub alt: String,
    pub width: i32,
    pub height: i32,
    /// The full picture's width, for `srcset`.
    pub full_width: i32,
    /// What the link to the full picture says to a screen reader.
    pub label: String,
}

fn on_site(url: String, urls: &LocalUrls) -> String {
    match url.strip_prefix(urls.base()) {
        Some(path) if path.starts_with('/') => path.to_owned(),
        _ => url,
    }
}

/// The pictures among `rows` (remote videos or documents are not shown).
pub fn photos_of(rows: &[MediaRow], urls: &LocalUrls, lang: Lang) -> Vec<Photo> {
    rows.iter()
        .filter_map(|m| photo_of(m, urls))
        .enumerate()
        .map(|(i, mut p)| {
            p.label = if p.alt.is_empty() {
                lang.fill("photo_open", &[&(i + 1).to_string()])
            } else {
                lang.fill("photo_open_alt", &[&p.alt])
            };
            p
        })
        .collect()
}

pub fn photo_of(m: &MediaRow, urls: &LocalUrls) -> Option<Photo> {
    let preview = on_site(preview_url(m, urls)?, urls);
    // The preview's size, else the original's scaled to 640 px, so that
    // the page keeps its place while pictures load.
    let (width, height) = match (m.preview_width, m.preview_height, m.width, m.height) {
        (Some(w), Some(h), _, _) => (w, h),
        (_, _, Some(w), Some(h)) if w > 0 && h > 0 => {
            let scale = 640.0 / f64::from(w.max(h)).max(640.0);
            ((f64::from(w) * scale) as i32, (f64::from(h) * scale) as i32)
        }
        _ => (640, 480),
    };
    Some(Photo {
        id: m.id.to_string(),
        full: on_site(file_url(m, urls), urls),
        preview,
        alt: m.description.clone(),
        width,
        height,
        full_width: m.width.unwrap_or(width),
        label: String::new(),
    })
}
