//! The addresses of media: ours, with a secret part (ids follow the
//! clock), for what this node keeps or copies; the origin's for remote
//! media it does not copy.

use maillage_core::urls::LocalUrls;
use maillage_db::media::MediaRow;

/// Which file of a media a URL asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    File,
    Preview,
}

impl Variant {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Variant::File => "file",
            Variant::Preview => "preview",
        }
    }

    /// `file-SECRET` or `preview-SECRET` (with any extension): what a URL
    /// names.
    pub fn parse(name: &str) -> Option<(Variant, &str)> {
        let stem = name.split_once('.').map_or(name, |(stem, _)| stem);
        let (variant, secret) = stem.split_once('-')?;
        let variant = match variant {
            "file" => Variant::File,
            "preview" => Variant::Preview,
            _ => return None,
        };
        Some((variant, secret))
    }
}

/// The extension of a type this node writes.
pub fn extension_of(content_type: &str) -> Option<&'static str> {
    match content_type {
        "image/jpeg" => Some("jpg"),
        "image/png" => Some("png"),
        "image/gif" => Some("gif"),
        "image/webp" => Some("webp"),
        _ => None,
    }
}

/// The URL apps and peers fetch a media's file (or preview) at: ours for
/// what we keep or copy, the origin's for remote media we do not copy.
pub fn file_url(row: &MediaRow, urls: &LocalUrls) -> String {
    match (&row.remote_url, row.kind.as_str()) {
        (Some(remote), kind) if kind != "image" => remote.clone(),
        _ => urls.media(
            row.id,
            &format!("{}-{}", Variant::File.name(), row.secret),
            extension_of(&row.content_type),
        ),
    }
}

pub fn preview_url(row: &MediaRow, urls: &LocalUrls) -> Option<String> {
    if row.kind != "image" {
        return None;
    }
    let name = format!("{}-{}", Variant::Preview.name(), row.secret);
    Some(urls.media(row.id, &name, row.preview_content_type.as_deref().and_then(extension_of)))
}

/// The part of a media's URLs nobody can guess (ids follow the clock).
pub(crate) fn new_secret() -> String {
    format!("{:016x}", rand::random::<u64>())
}
