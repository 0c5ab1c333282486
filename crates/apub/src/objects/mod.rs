//! Our rows as the federation library's objects: how each is found, turned
//! into JSON, checked and stored.

pub mod actor;
pub mod listing;
pub mod media;
pub mod note;
pub mod session;

use chrono::{DateTime, Utc};
use maillage_core::time::Timestamp;

pub(crate) fn to_chrono(t: Timestamp) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_micros(t.as_micros())
}

/// Parses an RFC 3339 date as sent by peers; `None` when absent or bad.
pub(crate) fn parse_time(raw: Option<&str>) -> Option<Timestamp> {
    let parsed = DateTime::parse_from_rfc3339(raw?).ok()?;
    Some(Timestamp::from_micros(parsed.timestamp_micros()))
}

pub(crate) fn rfc3339(t: Timestamp) -> String {
    t.to_rfc3339()
}
