//! Checking a listing as a person submits it. Every problem names its
//! field and the rule it breaks, so that clients can show it next to the
//! field; nothing is stored until all are fixed.

use serde::Serialize;

use super::{Category, Direction, ListingKind, ListingVisibility, TermsMode};
use crate::time::Timestamp;

pub const TITLE_MAX: usize = 120;
pub const DESCRIPTION_MAX: usize = 5000;
pub const TAGS_MAX: usize = 10;
pub const TAG_MAX: usize = 40;
pub const RADIUS_MAX_KM: f64 = 500.0;
pub const PLACE_NAME_MAX: usize = 200;
pub const ADDRESS_MAX: usize = 500;
pub const UNIT_MAX: usize = 20;
pub const HOURS_MAX: f64 = 1000.0;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub rule: String,
}

#[derive(Debug, Clone, Default)]
pub struct PlaceDraft {
    pub name: String,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

#[derive(Debug, Clone, Default)]
pub struct QuantityDraft {
    pub amount: f64,
    pub unit: String,
}

#[derive(Debug, Clone, Default)]
pub struct TermsDraft {
    pub mode: String,
    pub hours: Option<f64>,
    /// A decimal in text, so that prices keep their exact digits.
    pub amount: Option<String>,
    pub currency: Option<String>,
}

/// A listing as submitted, before checking: text where a person may have
/// typed anything.
#[derive(Debug, Clone, Default)]
pub struct ListingDraft {
    pub kind: String,
    pub category: String,
    pub direction: Option<String>,
    pub title: String,
    pub description: String,
    pub tags: Vec<String>,
    pub place: Option<PlaceDraft>,
    pub radius_km: Option<f64>,
    pub available_from: Option<Timestamp>,
    pub available_until: Option<Timestamp>,
    pub quantity: Option<QuantityDraft>,
    pub terms: TermsDraft,
    pub visibility: Option<String>,
    /// Photos (uploaded media ids) in order, at most eight; `None` keeps
    /// what an edited listing has.
    pub media_ids: Option<Vec<i64>>,
}

/// The checked values, typed.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedListing {
    pub kind: ListingKind,
    pub category: Category,
    pub direction: Option<Direction>,
    pub terms_mode: TermsMode,
    pub visibility: ListingVisibility,
    pub tags: Vec<String>,
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// Letters, digits, `_` and `-` (as in `circuit-court`), neither first nor
/// last for `-`.
fn is_tag(t: &str) -> bool {
    t.chars().all(is_tag_char) && !t.starts_with('-') && !t.ends_with('-')
}

/// Checks `draft`; returns the typed parts, or every problem found.
pub fn validate_draft(draft: &ListingDraft) -> Result<CheckedListing, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut fail = |field: &str, rule: String| errors.push(FieldError { field: field.to_owned(), rule });

    let kind = draft.kind.parse::<ListingKind>().map_err(|e| fail("kind", e.message().to_owned())).ok();
    let category =
        draft.category.parse::<Category>().map_err(|e| fail("category", e.message().to_owned())).ok();
    let direction = match &draft.direction {
        None => None,
        Some(d) => match d.parse::<Direction>() {
            Ok(d) if category == Some(Category::SkillsKnowledge) => Some(d),
            Ok(_) => {
                fail("direction", "only listings in skills_knowledge have a direction".into());
                None
            }
            Err(e) => {
                fail("direction", e.message().to_owned());
                None
            }
        },
    };
    let title = draft.title.trim();
    if title.is_empty() {
        fail("title", "must not be empty".into());
    } else if title.chars().count() > TITLE_MAX {
        fail("title", format!("must be at most {TITLE_MAX} characters"));
    }
    if draft.description.chars().count() > DESCRIPTION_MAX {
        fail("description", format!("must be at most {DESCRIPTION_MAX} characters"));
    }
    let mut tags: Vec<String> = Vec::new();
    for tag in &draft.tags {
        let t = tag.trim().trim_start_matches('#').to_lowercase();
        if t.is_empty() || t.chars().count() > TAG_MAX || !is_tag(&t) {
            fail(
                "tags",
                format!("\"{tag}\" must be 1 to {TAG_MAX} letters, digits, underscores or inner hyphens"),
            );
        } else if !tags.contains(&t) {
            tags.push(t);
        }
    }
    if tags.len() > TAGS_MAX {
        fail("tags", format!("at most {TAGS_MAX} tags"));
    }
    if let Some(place) = &draft.place {
        if place.name.chars().count() > PLACE_NAME_MAX {
            fail("place.name", format!("must be at most {PLACE_NAME_MAX} characters"));
        }
        if place.address.as_ref().is_some_and(|a| a.chars().count() > ADDRESS_MAX) {
            fail("place.address", format!("must be at most {ADDRESS_MAX} characters"));
        }
        match (place.latitude, place.longitude) {
            (Some(lat), Some(lon)) => {
                if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
                    fail("place.lat", format!("must be between -90 and 90, found {lat}"));
                }
                if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
                    fail("place.lon", format!("must be between -180 and 180, found {lon}"));
                }
            }
            (None, None) => {}
            _ => fail("place", "latitude and longitude go together".into()),
        }
    }
    if let Some(r) = draft.radius_km {
        if !(r.is_finite() && (0.0..=RADIUS_MAX_KM).contains(&r)) {
            fail("radius_km", format!("must be between 0 and {RADIUS_MAX_KM}, found {r}"));
        }
    }
    if let (Some(from), Some(until)) = (draft.available_from, draft.available_until) {
        if until <= from {
            fail("available_until", "must be after available_from".into());
        }
    }
    if let Some(q) = &draft.quantity {
        if !(q.amount.is_finite() && q.amount > 0.0 && q.amount <= 1e9) {
            fail("quantity.amount", format!("must be above 0 and at most 1000000000, found {}", q.amount));
        }
        if q.unit.trim().is_empty() || q.unit.chars().count() > UNIT_MAX {
            fail("quantity.unit", format!("must be 1 to {UNIT_MAX} characters"));
        }
    }
    let terms_mode =
        draft.terms.mode.parse::<TermsMode>().map_err(|e| fail("terms.mode", e.message().to_owned())).ok();
    match terms_mode {
        Some(TermsMode::TimeCredit) => match draft.terms.hours {
            Some(h) if h.is_finite() && h > 0.0 && h <= HOURS_MAX => {}
            Some(h) => fail("terms.hours", format!("must be above 0 and at most {HOURS_MAX}, found {h}")),
            None => fail("terms.hours", "is required for time_credit".into()),
        },
        Some(TermsMode::Price) => {
            match draft.terms.amount.as_deref().map(str::trim) {
                Some(a) if is_decimal(a) => {}
                Some(a) => {
                    fail("terms.amount", format!("must be a positive decimal such as 12.50, found \"{a}\""))
                }
                None => fail("terms.amount", "is required for price".into()),
            }
            match draft.terms.currency.as_deref() {
                Some(c) if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()) => {}
                Some(c) => {
                    fail("terms.currency", format!("must be an ISO 4217 code such as EUR, found \"{c}\""))
                }
                None => fail("terms.currency", "is required for price".into()),
            }
        }
        _ => {}
    }
    let visibility = match &draft.visibility {
        None => Some(ListingVisibility::Public),
        Some(v) => {
            v.parse::<ListingVisibility>().map_err(|e| fail("visibility", e.message().to_owned())).ok()
        }
    };
    match (kind, category, terms_mode, visibility) {
        (Some(kind), Some(category), Some(terms_mode), Some(visibility)) if errors.is_empty() => {
            Ok(CheckedListing { kind, category, direction, terms_mode, visibility, tags })
        }
        _ => Err(errors),
    }
}

/// A positive decimal with at most two decimals and no exponent.
fn is_decimal(s: &str) -> bool {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    !int.is_empty()
        && int.len() <= 12
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.len() <= 2
        && frac.chars().all(|c| c.is_ascii_digit())
        && s.chars().any(|c| c.is_ascii_digit() && c != '0')
}
