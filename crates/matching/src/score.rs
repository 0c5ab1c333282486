//! Scoring a candidate against the query, in two steps: [`score`] decides
//! whether the pair meets and how well (numbers only, no allocation), and
//! [`explain`] writes the reasons, for the few pairs that are kept.

use maillage_core::geo::chord_km;

use crate::index::{Hot, Indexed, MatchSettings};
use crate::reasons::Reason;
use crate::rules::{self, weights, MatchListing};
use crate::text::Vocabulary;
use crate::Match;

/// Below this relevance two listings are about different things, whatever
/// else fits.
pub(crate) const MIN_RELEVANCE: f32 = 0.15;

/// The listing asked about, with its terms, norm, tags and territory as
/// numbers of the index.
pub(crate) struct Query<'a> {
    pub(crate) listing: &'a MatchListing,
    /// Sorted by term id; terms the index has never seen last, as `None`.
    pub(crate) terms: Vec<(Option<u32>, f32)>,
    pub(crate) norm: f32,
    /// Known tag ids, each once.
    pub(crate) tags: Vec<u32>,
    pub(crate) origin: Option<u32>,
    pub(crate) place: [f64; 3],
}

/// A pair that meets, before its reasons are written.
pub(crate) struct Scored {
    pub(crate) slot: u32,
    pub(crate) listing_id: i64,
    pub(crate) score: f32,
    distance: f64,
    window: (Option<i64>, Option<i64>),
    shared_words: usize,
    same_territory: bool,
}

pub(crate) fn score(
    q: &Query,
    slot: u32,
    other: &Indexed,
    vocabulary: &Vocabulary,
    settings: &MatchSettings,
) -> Option<Scored> {
    let (a, b) = (q.listing, &other.listing);
    if b.id == a.id || b.author_id == a.author_id || !rules::sides_meet(a, b) {
        return None;
    }
    let category = rules::category_fit(a.category, b.category)?;
    let distance = rules::distance(a, b);
    let same_territory = q.origin == Some(other.origin);
    let reach = rules::reach(a, b, same_territory, settings.max_between_territories_km);
    if distance > reach {
        return None;
    }
    let window = rules::window_overlap(a, b)?;
    let terms = rules::terms_fit(a, b)?;
    let (dot, shared_words) = dot(&q.terms, &other.terms, vocabulary);
    let text = if q.norm > 0.0 && other.norm > 0.0 { dot / (q.norm * other.norm) } else { 0.0 };
    let shared_tags = q.tags.iter().filter(|t| other.tags.contains(t)).count();
    let smaller = a.tags.len().min(other.tags.len());
    let tag_share = if smaller == 0 { 0.0 } else { (shared_tags as f32 / smaller as f32).min(1.0) };
    let relevance = weights::TEXT * text.min(1.0) + weights::TAGS * tag_share;
    if relevance < MIN_RELEVANCE {
        return None;
    }
    let fit = weights::CATEGORY * category
        + weights::DISTANCE * rules::distance_fit(distance, reach)
        + weights::TIME
        + weights::TERMS * terms
        + weights::FRESHNESS * rules::freshness(a, b, settings.now)
        + if same_territory { weights::SAME_TERRITORY } else { 0.0 };
    let score = relevance * (1.0 - weights::CONTEXT + weights::CONTEXT * fit);
    if score < settings.min_score {
        return None;
    }
    Some(Scored {
        slot,
        listing_id: b.id,
        score: score.min(1.0),
        distance,
        window,
        shared_words,
        same_territory,
    })
}

/// The most `score` could give the listing in `hot`, from its place,
/// age and territory, an upper bound of its text similarity, and whether
/// it shares a tag; `None` when it cannot match at all.
pub(crate) fn upper_bound(
    q: &Query,
    hot: &Hot,
    text: f32,
    tagged: bool,
    settings: &MatchSettings,
) -> Option<f32> {
    let a = q.listing;
    let category = rules::category_fit(a.category, hot.category)?;
    // The chord is never longer than the distance: a lower bound of the
    // distance gives an upper bound of the fit.
    let distance = chord_km(&q.place, &hot.place);
    let same_territory = q.origin == Some(hot.origin);
    let reach =
        rules::reach_between(a.radius_km, hot.radius_km, same_territory, settings.max_between_territories_km);
    if distance > reach {
        return None;
    }
    let relevance = weights::TEXT * text.min(1.0) + if tagged { weights::TAGS } else { 0.0 };
    let fit = weights::CATEGORY * category
        + weights::DISTANCE * rules::distance_fit(distance, reach)
        + weights::TIME
        + weights::TERMS
        + weights::FRESHNESS * rules::freshness_between(a.published_at, hot.published_at, settings.now)
        + if same_territory { weights::SAME_TERRITORY } else { 0.0 };
    Some(relevance * (1.0 - weights::CONTEXT + weights::CONTEXT * fit))
}

pub(crate) fn explain(a: &MatchListing, other: &Indexed, s: &Scored) -> Match {
    let b = &other.listing;
    let mut reasons = Vec::new();
    reasons.push(if a.category == b.category {
        Reason::SameCategory(a.category)
    } else {
        let (x, y) = if a.category.as_str() < b.category.as_str() {
            (a.category, b.category)
        } else {
            (b.category, a.category)
        };
        Reason::RelatedCategories(x, y)
    });
    reasons.push(Reason::Distance { km: (s.distance * 10.0).round() / 10.0 });
    let (tags, _) = rules::shared_tags(a, b);
    if !tags.is_empty() {
        reasons.push(Reason::SharedTags(tags));
    }
    if s.shared_words > 0 {
        reasons.push(Reason::WordsInCommon(s.shared_words));
    }
    reasons.push(Reason::BothAvailable { from: s.window.0, until: s.window.1 });
    reasons.push(Reason::Terms(if a.is_offer() { a.terms } else { b.terms }));
    reasons.push(if s.same_territory { Reason::SameTerritory } else { Reason::NeighbouringTerritory });
    Match { listing_id: b.id, score: s.score, reasons }
}

pub(crate) fn norm(query: &[(Option<u32>, f32)], vocabulary: &Vocabulary) -> f32 {
    let max_idf = vocabulary.idf(u32::MAX);
    query
        .iter()
        .map(|&(t, w)| {
            let idf = t.map(|t| vocabulary.idf(t)).unwrap_or(max_idf);
            (w * idf).powi(2)
        })
        .sum::<f32>()
        .sqrt()
}

pub(crate) fn norm_indexed(terms: &[(u32, f32)], vocabulary: &Vocabulary) -> f32 {
    terms.iter().map(|&(t, w)| (w * vocabulary.idf(t)).powi(2)).sum::<f32>().sqrt()
}

/// The weighted dot product of two sorted term lists, and how many terms
/// they share.
fn dot(query: &[(Option<u32>, f32)], other: &[(u32, f32)], vocabulary: &Vocabulary) -> (f32, usize) {
    let (mut i, mut j, mut sum, mut shared) = (0, 0, 0.0f32, 0usize);
    while i < query.len() && j < other.len() {
        let Some(q) = query[i].0 else { break };
        let o = other[j].0;
        match q.cmp(&o) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let idf = vocabulary.idf(q);
                sum += query[i].1 * other[j].1 * idf * idf;
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (sum, shared)
}
