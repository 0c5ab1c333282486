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
    /// `disk` (under `path`) or `s3` (the `s3_*` keys; files not yet moved
    /// there are still read from `path`).
    pub storage: String,
    /// The S3-compatible endpoint: `https://s3.fr-par.scw.cloud`,
    /// `https://s3.eu-west-3.amazonaws.com`, `http://127.0.0.1:9000`…
    pub s3_endpoint: String,
    pub s3_region: String,
    pub s3_bucket: String,
    pub s3_access_key_id: String,
    pub s3_secret_access_key: String,
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
            storage: "disk".into(),
            s3_endpoint: String::new(),
            s3_region: "us-east-1".into(),
            s3_bucket: String::new(),
            s3_access_key_id: String::new(),
            s3_secret_access_key: String::new(),
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
        match self.storage.as_str() {
            "disk" => {}
            "s3" => issues.extend(self.s3_problems()),
            other => issues.push(("media.storage", format!("expected disk or s3, found \"{other}\""))),
        }
        issues
    }

    /// What the `s3_*` keys lack (for `storage = "s3"`, and for a move
    /// there).
    pub fn s3_problems(&self) -> Vec<(&'static str, String)> {
        let mut issues = Vec::new();
        let endpoint = &self.s3_endpoint;
        if !(endpoint.starts_with("https://") || endpoint.starts_with("http://")) {
            issues.push(("media.s3_endpoint", format!("expected an http(s) URL, found \"{endpoint}\"")));
        }
        for (key, value) in [
            ("media.s3_region", &self.s3_region),
            ("media.s3_bucket", &self.s3_bucket),
            ("media.s3_access_key_id", &self.s3_access_key_id),
            ("media.s3_secret_access_key", &self.s3_secret_access_key),
        ] {
            if value.trim().is_empty() {
                issues.push((key, "needed for S3 storage, found nothing".into()));
            }
        }
        issues
    }
}
