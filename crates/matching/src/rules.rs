//! What may meet, and the parts of a score. Every rule here is symmetric:
//! `compatible(a, b) == compatible(b, a)`, and so is each score part.

use maillage_core::geo::distance_km;
use maillage_core::listing::{Category, Direction, ListingKind, TermsMode};

/// A listing as the engine sees it: an open offer or need, from here or
/// from another territory.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchListing {
    pub id: i64,
    pub kind: ListingKind,
    pub direction: Option<Direction>,
    pub category: Category,
    pub title: String,
    /// Plain text of the description.
    pub description: String,
    /// Folded tags, without `#`.
    pub tags: Vec<String>,
    pub latitude: f64,
    pub longitude: f64,
    pub radius_km: f64,
    /// Microseconds UTC; `None` is open-ended.
    pub available_from: Option<i64>,
    pub available_until: Option<i64>,
    pub terms: TermsMode,
    /// The domain of the territory it comes from.
    pub origin: String,
    pub published_at: i64,
    pub author_id: i64,
}

impl MatchListing {
    pub fn is_offer(&self) -> bool {
        self.kind == ListingKind::Offer
    }
}

/// Categories that meet besides equal ones: a skill is often offered as a
/// service, a machine lent as goods, a room found among spaces.
pub fn related_categories(c: Category) -> &'static [Category] {
    use Category::*;
    match c {
        Services => &[SkillsKnowledge, Energy],
        SkillsKnowledge => &[Services],
        Goods => &[SpacesMachines],
        SpacesMachines => &[Goods, Housing],
        Housing => &[SpacesMachines],
        Energy => &[Services],
        Food | Mobility | Other => &[],
    }
}

/// 1 for the same category, 0.5 for a related one, `None` when they do
/// not meet.
pub fn category_fit(a: Category, b: Category) -> Option<f32> {
    if a == b {
        Some(1.0)
    } else if related_categories(a).contains(&b) {
        Some(0.5)
    } else {
        None
    }
}

/// An offer and a need; when both say teach or learn, one teaches and the
/// other learns.
pub fn sides_meet(a: &MatchListing, b: &MatchListing) -> bool {
    if a.kind == b.kind {
        return false;
    }
    match (a.direction, b.direction) {
        (Some(x), Some(y)) => x != y,
        _ => true,
    }
}

/// How well the exchange terms fit, `None` when they cannot: an offer for
/// a price only never meets a need that does not accept a price.
pub fn terms_fit(a: &MatchListing, b: &MatchListing) -> Option<f32> {
    let (offer, need) = if a.is_offer() { (a.terms, b.terms) } else { (b.terms, a.terms) };
    if offer == TermsMode::Price && need != TermsMode::Price {
        return None;
    }
    Some(if offer == need || offer == TermsMode::Gift { 1.0 } else { 0.6 })
}

/// The common part of the two windows, `None` when they do not overlap;
/// `Some((None, None))` when neither has limits.
pub fn window_overlap(a: &MatchListing, b: &MatchListing) -> Option<(Option<i64>, Option<i64>)> {
    let from = max_opt(a.available_from, b.available_from);
    let until = min_opt(a.available_until, b.available_until);
    match (from, until) {
        (Some(f), Some(u)) if f > u => None,
        _ => Some((from, until)),
    }
}

fn max_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) | (None, x) => x,
    }
}

fn min_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) | (None, x) => x,
    }
}

pub fn distance(a: &MatchListing, b: &MatchListing) -> f64 {
    distance_km(a.latitude, a.longitude, b.latitude, b.longitude)
}

/// How far two listings may be: the larger of their reaches, and for a
/// pair from two territories, no more than `max_between_territories_km`.
pub fn reach(
    a: &MatchListing,
    b: &MatchListing,
    same_territory: bool,
    max_between_territories_km: f64,
) -> f64 {
    reach_between(a.radius_km, b.radius_km, same_territory, max_between_territories_km)
}

pub fn reach_between(a_km: f64, b_km: f64, same_territory: bool, max_between_territories_km: f64) -> f64 {
    let reach = a_km.max(b_km);
    if same_territory {
        reach
    } else {
        reach.min(max_between_territories_km)
    }
}

/// Nearer is better, for short circuits: 1 at the same place, 0 at the
/// edge of the reach.
pub fn distance_fit(distance: f64, reach: f64) -> f32 {
    if reach <= 0.0 {
        return 1.0;
    }
    (1.0 - distance / reach).clamp(0.0, 1.0) as f32
}

/// How fresh the pair is: the older listing counts, halving every 30 days.
pub fn freshness(a: &MatchListing, b: &MatchListing, now: i64) -> f32 {
    freshness_between(a.published_at, b.published_at, now)
}

pub fn freshness_between(a_published: i64, b_published: i64, now: i64) -> f32 {
    let age_days = (now - a_published.min(b_published)).max(0) as f64 / 86_400e6;
    (-age_days / 30.0).exp2() as f32
}

/// The shared tags, sorted, and their share of the smaller tag list.
pub fn shared_tags(a: &MatchListing, b: &MatchListing) -> (Vec<String>, f32) {
    let mut shared: Vec<String> = a.tags.iter().filter(|t| b.tags.contains(t)).cloned().collect();
    shared.sort();
    shared.dedup();
    let smaller = a.tags.len().min(b.tags.len());
    let share = if smaller == 0 { 0.0 } else { shared.len() as f32 / smaller as f32 };
    (shared, share.min(1.0))
}

/// The score is relevance (what the two listings are about) times how
/// well the rest fits: `relevance × (1 - CONTEXT + CONTEXT × fit)`. Two
/// listings about different things never score high because they are
/// near each other; among listings about the same thing, the nearer, the
/// fresher, the same territory rank first.
pub mod weights {
    /// Relevance: text similarity and shared tags (sum 1).
    pub const TEXT: f32 = 0.7;
    pub const TAGS: f32 = 0.3;
    /// How much the fit can lower the score.
    pub const CONTEXT: f32 = 0.4;
    /// The fit's parts (sum 1).
    pub const CATEGORY: f32 = 0.2;
    pub const DISTANCE: f32 = 0.3;
    pub const TIME: f32 = 0.1;
    pub const TERMS: f32 = 0.1;
    pub const FRESHNESS: f32 = 0.1;
    pub const SAME_TERRITORY: f32 = 0.2;
}
