//! Content filters: reject or flag by keyword or hashtag, accept only some
//! object types from a domain, ignore remote listings too far from the
//! territory centre, reject objects older than an age.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use crate::error::Error;
use crate::fold;
use crate::geo::distance_km;
use crate::time::Timestamp;

use super::domain::DomainPattern;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterKind {
    /// A word or phrase, matched on whole words, case and accents folded.
    Keyword,
    /// A hashtag, without its `#`.
    Hashtag,
    /// From `domain`, only these object types (comma separated).
    ObjectTypes,
    /// Remote listings farther than this many km from the territory centre.
    MaxDistanceKm,
    /// Objects published more than this many days ago.
    MaxAgeDays,
}

impl FilterKind {
    pub const ALL: [FilterKind; 5] = [
        FilterKind::Keyword,
        FilterKind::Hashtag,
        FilterKind::ObjectTypes,
        FilterKind::MaxDistanceKm,
        FilterKind::MaxAgeDays,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FilterKind::Keyword => "keyword",
            FilterKind::Hashtag => "hashtag",
            FilterKind::ObjectTypes => "object_types",
            FilterKind::MaxDistanceKm => "max_distance_km",
            FilterKind::MaxAgeDays => "max_age_days",
        }
    }
}

impl FromStr for FilterKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        FilterKind::ALL.into_iter().find(|k| k.as_str() == s.trim()).ok_or_else(|| {
            Error::unprocessable(format!(
                "\"{s}\" is not a filter kind: expected keyword, hashtag, object_types, max_distance_km or max_age_days"
            ))
        })
    }
}

impl fmt::Display for FilterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterAction {
    /// The object is not stored.
    Reject,
    /// The object is stored and reported to the moderators.
    Flag,
}

impl FilterAction {
    pub fn as_str(self) -> &'static str {
        match self {
            FilterAction::Reject => "reject",
            FilterAction::Flag => "flag",
        }
    }
}

impl FromStr for FilterAction {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim() {
            "reject" => Ok(FilterAction::Reject),
            "flag" => Ok(FilterAction::Flag),
            other => {
                Err(Error::unprocessable(format!("\"{other}\" is not an action: expected reject or flag")))
            }
        }
    }
}

/// One filter as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ContentFilter {
    pub id: i64,
    pub kind: FilterKind,
    pub value: String,
    pub domain: Option<DomainPattern>,
    pub action: FilterAction,
}

impl ContentFilter {
    /// Checks a filter an admin submits; the error names what is wrong.
    pub fn validate(&self) -> Result<(), Error> {
        let value = self.value.trim();
        let positive = |what: &str| -> Result<(), Error> {
            match value.parse::<f64>() {
                Ok(v) if v.is_finite() && v > 0.0 => Ok(()),
                _ => Err(Error::unprocessable(format!("{what} must be a positive number, not \"{value}\""))),
            }
        };
        match self.kind {
            FilterKind::Keyword if fold::words(value).is_empty() => {
                Err(Error::unprocessable("a keyword needs at least one letter or digit"))
            }
            FilterKind::Hashtag if fold::words(value.trim_start_matches('#')).len() != 1 => {
                Err(Error::unprocessable("a hashtag is one word, such as #vente"))
            }
            FilterKind::ObjectTypes if self.domain.is_none() => {
                Err(Error::unprocessable("object_types filters need a domain"))
            }
            FilterKind::ObjectTypes if value.split(',').all(|t| t.trim().is_empty()) => {
                Err(Error::unprocessable("object_types needs at least one type, such as Note,Event"))
            }
            FilterKind::MaxDistanceKm => positive("the distance"),
            FilterKind::MaxAgeDays => positive("the age"),
            _ => Ok(()),
        }
    }
}

/// What an incoming object looks like to the filters.
#[derive(Debug, Clone, Default)]
pub struct ObjectView<'a> {
    /// The host of the object's author, with its port.
    pub host: &'a str,
    /// ActivityStreams type (`Note`, `Event`, `Page`…); listings are `Note`.
    pub kind: &'a str,
    /// Plain text: title, summary and content together.
    pub text: &'a str,
    pub hashtags: &'a [String],
    pub published: Option<Timestamp>,
    /// Where a listing is, for the distance filter.
    pub place: Option<(f64, f64)>,
    pub is_listing: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentVerdict {
    Accept,
    Reject(String),
    Flag(String),
}

/// The filters, compiled for quick checks.
#[derive(Debug, Clone, Default)]
pub struct ContentFilters {
    keywords: Vec<(Vec<String>, FilterAction, String)>,
    hashtags: HashMap<String, FilterAction>,
    object_types: HashMap<DomainPattern, HashSet<String>>,
    max_distance_km: Option<f64>,
    max_age_days: Option<f64>,
    /// The territory centre, from which distances are measured.
    centre: (f64, f64),
}

impl ContentFilters {
    pub fn new(filters: &[ContentFilter], centre: (f64, f64)) -> ContentFilters {
        let mut out = ContentFilters { centre, ..ContentFilters::default() };
        for f in filters {
            let value = f.value.trim();
            match f.kind {
                FilterKind::Keyword => out.keywords.push((fold::words(value), f.action, value.to_owned())),
                FilterKind::Hashtag => {
                    out.hashtags.insert(fold::fold(value.trim_start_matches('#')), f.action);
                }
                FilterKind::ObjectTypes => {
                    if let Some(domain) = &f.domain {
                        let types = value.split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
                        out.object_types.entry(domain.clone()).or_default().extend(types);
                    }
                }
                FilterKind::MaxDistanceKm => {
                    let v = value.parse().ok();
                    out.max_distance_km = min_of(out.max_distance_km, v);
                }
                FilterKind::MaxAgeDays => {
                    let v = value.parse().ok();
                    out.max_age_days = min_of(out.max_age_days, v);
                }
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.keywords.is_empty()
            && self.hashtags.is_empty()
            && self.object_types.is_empty()
            && self.max_distance_km.is_none()
            && self.max_age_days.is_none()
    }

    /// The verdict on one incoming object: a rejection wins over a flag.
    pub fn check(&self, view: &ObjectView<'_>, now: Timestamp) -> ContentVerdict {
        if let Some(types) = super::domain::candidates(view.host).find_map(|p| self.object_types.get(&p)) {
            if !types.contains(view.kind) {
                return ContentVerdict::Reject(format!(
                    "{} objects are not accepted from {}",
                    view.kind, view.host
                ));
            }
        }
        if let (Some(max), Some(published)) = (self.max_age_days, view.published) {
            let age_days = (now.as_micros() - published.as_micros()) as f64 / 86_400e6;
            if age_days > max {
                return ContentVerdict::Reject(format!(
                    "published {age_days:.0} days ago, older than {max} days"
                ));
            }
        }
        if let (Some(max), Some((lat, lon)), true) = (self.max_distance_km, view.place, view.is_listing) {
            let d = distance_km(self.centre.0, self.centre.1, lat, lon);
            if d > max {
                return ContentVerdict::Reject(format!(
                    "{d:.0} km from the territory centre, beyond {max} km"
                ));
            }
        }
        let mut flag = None;
        for tag in view.hashtags {
            match self.hashtags.get(&fold::fold(tag.trim_start_matches('#'))) {
                Some(FilterAction::Reject) => return ContentVerdict::Reject(format!("hashtag #{tag}")),
                Some(FilterAction::Flag) => flag = flag.or(Some(format!("hashtag #{tag}"))),
                None => {}
            }
        }
        if !self.keywords.is_empty() {
            let words = fold::words(view.text);
            for (phrase, action, original) in &self.keywords {
                if contains_phrase(&words, phrase) {
                    match action {
                        FilterAction::Reject => {
                            return ContentVerdict::Reject(format!("keyword \"{original}\""))
                        }
                        FilterAction::Flag => flag = flag.or(Some(format!("keyword \"{original}\""))),
                    }
                }
            }
        }
        match flag {
            Some(reason) => ContentVerdict::Flag(reason),
            None => ContentVerdict::Accept,
        }
    }
}

fn min_of(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn contains_phrase(words: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty() && words.windows(phrase.len()).any(|w| w == phrase)
}
