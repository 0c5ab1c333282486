//! `[media]`: where pictures are kept and how large they may be.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MediaConfig {
    /// The folder of the media files (made when missing).
    pub path: String,
    /// Largest upload accepted, in bytes.
    pub max_upload_bytes: usize,
    /// Largest picture accepted, in pixels (width × height); read from the
    /// file's header before it is decoded.
    pub max_pixels: u64,
    /// Pictures processed at once (each may hold a few hundred MB while it
    /// is decoded); more wait their turn.
    pub processing_at_once: usize,
    /// Largest remote file copied, in bytes.
    pub remote_max_bytes: usize,
    /// Copies of other servers' media are removed after this many days
    /// (and copied again when shown again).
    pub remote_cache_days: u64,
    /// Uploads not attached to anything within this many hours are removed.
    pub unattached_hours: u64,
}

impl Default for MediaConfig {
    fn default() -> Self {
        MediaConfig {
            path: "./data/media".into(),
            max_upload_bytes: 16 * 1024 * 1024,
            max_pixels: 64_000_000,
            processing_at_once: 2,
            remote_max_bytes: 16 * 1024 * 1024,
            remote_cache_days: 7,
            unattached_hours: 24,
        }
    }
}

impl MediaConfig {
    pub(super) fn problems(&self) -> Vec<(&'static str, String)> {
        let mut issues = Vec::new();
        let mut range = |key: &'static str, value: u64, min: u64, max: u64| {
            if !(min..=max).contains(&value) {
                issues.push((key, format!("expected an integer from {min} to {max}, found {value}")));
            }
        };
        range("media.max_upload_bytes", self.max_upload_bytes as u64, 1024, 1024 * 1024 * 1024);
        range("media.max_pixels", self.max_pixels, 10_000, 1_000_000_000);
        range("media.processing_at_once", self.processing_at_once as u64, 1, 64);
        range("media.remote_max_bytes", self.remote_max_bytes as u64, 1024, 1024 * 1024 * 1024);
        range("media.remote_cache_days", self.remote_cache_days, 1, 3650);
        range("media.unattached_hours", self.unattached_hours, 1, 24 * 365);
        if self.path.trim().is_empty() {
            issues.push(("media.path", "expected a folder, found nothing".into()));
        }
        issues
    }
}
