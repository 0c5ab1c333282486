//! Photos as pages show them: the preview in the page, the full picture
//! behind a link, the alt text always.

use maillage_core::urls::LocalUrls;
use maillage_db::media::MediaRow;
use maillage_service::media::{file_url, preview_url};

pub struct Photo {
    pub id: String,
    pub full: String,
    pub preview: String,
    pub alt: String,
    pub width: i32,
    pub height: i32,
}

/// The pictures among `rows` (remote videos or documents are not shown).
pub fn photos_of(rows: &[MediaRow], urls: &LocalUrls) -> Vec<Photo> {
    rows.iter().filter_map(|m| photo_of(m, urls)).collect()
}

pub fn photo_of(m: &MediaRow, urls: &LocalUrls) -> Option<Photo> {
    let preview = preview_url(m, urls)?;
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
        full: file_url(m, urls),
        preview,
        alt: m.description.clone(),
        width,
        height,
    })
}
