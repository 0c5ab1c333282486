//! The in-memory index. Listings sit in slots; the [`Postings`] say which
//! slots hold a term or a tag, per side and category, so a query scores
//! only the listings that share something telling with it. Each candidate
//! is then checked with the exact rules (reach, window, terms) and scored.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Mutex;

#[cfg(doc)]
use maillage_core::geo::chord_km;
use maillage_core::geo::unit_vector;
use maillage_core::listing::{Category, ListingKind};

use crate::accumulator::Accumulator;
use crate::postings::{Entry, Postings};
use crate::reasons::Reason;
use crate::rules::{self, weights, MatchListing};
use crate::score::{explain, norm, norm_indexed, score, upper_bound, Query, Scored, MIN_RELEVANCE};
use crate::text::{terms, Vocabulary};

#[derive(Debug, Clone, Copy)]
pub struct MatchSettings {
    /// Between two territories, listings farther apart than this never
    /// match, whatever their reach.
    pub max_between_territories_km: f64,
    /// Matches scoring less are not returned.
    pub min_score: f32,
    /// Matches scoring less than this share of the best one are not
    /// returned either: they are about something else that happens to
    /// share a word ("covoiturage" to another town).
    pub relative_cut: f32,
    /// At most this many matches, best first.
    pub limit: usize,
    /// Microseconds UTC, for freshness.
    pub now: i64,
}

impl Default for MatchSettings {
    fn default() -> Self {
        MatchSettings {
            max_between_territories_km: 100.0,
            min_score: 0.25,
            relative_cut: 0.6,
            limit: 50,
            now: 0,
        }
    }
}

/// One match of the listing asked about with `listing_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub listing_id: i64,
    pub score: f32,
    pub reasons: Vec<Reason>,
}

#[derive(Debug)]
pub(crate) struct Indexed {
    /// Title and description dropped: the terms stand for them.
    pub(crate) listing: MatchListing,
    /// Term ids, sorted, with their weight (title and tags weigh double).
    pub(crate) terms: Vec<(u32, f32)>,
    /// The length of the weighted term vector when filed: queries divide
    /// by it rather than recomputing it for every candidate.
    pub(crate) norm: f32,
    pub(crate) tags: Vec<u32>,
    /// The territory, as a number of the index.
    pub(crate) origin: u32,
}

/// Every open listing this node knows, ready to be matched. Listings sit
/// in slots, so that posting lists hold small numbers and a candidate is
/// one array read away.
/// What bounds a candidate's score, read for every listing the posting
/// lists reach: kept apart from [`Indexed`] so that it is one small read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hot {
    /// The place as a unit vector (see [`chord_km`]).
    pub(crate) place: [f64; 3],
    pub(crate) radius_km: f64,
    pub(crate) published_at: i64,
    pub(crate) origin: u32,
    pub(crate) category: Category,
}

#[derive(Debug, Default)]
pub struct MatchIndex {
    slots: Vec<Option<Indexed>>,
    /// Beside `slots`, slot for slot; stale for a free slot.
    hot: Vec<Hot>,
    /// A query's scratch; a lock so that matching takes `&self`.
    scratch: Mutex<Accumulator>,
    free: Vec<u32>,
    by_id: HashMap<i64, u32>,
    postings: Postings,
    origins: HashMap<String, u32>,
    vocabulary: Vocabulary,
}

/// The weighted stems of a listing: title and tags twice the description.
fn weighted_terms(listing: &MatchListing) -> Vec<(String, f32)> {
    let mut out: Vec<(String, f32)> = Vec::new();
    let mut add = |text: &str, weight: f32| {
        for t in terms(text) {
            match out.iter_mut().find(|(s, _)| *s == t) {
                Some(existing) => existing.1 = existing.1.max(weight),
                None => out.push((t, weight)),
            }
        }
    };
    add(&listing.title, 2.0);
    add(&listing.tags.join(" "), 2.0);
    add(&listing.description, 1.0);
    out
}

impl MatchIndex {
    pub fn new() -> MatchIndex {
        MatchIndex::default()
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    #[cfg(test)]
    fn postings_are_empty(&self) -> bool {
        self.postings.is_empty()
    }

    pub fn contains(&self, id: i64) -> bool {
        self.by_id.contains_key(&id)
    }

    fn get(&self, id: i64) -> Option<&Indexed> {
        self.by_id.get(&id).and_then(|&slot| self.slots.get(slot as usize)).and_then(Option::as_ref)
    }

    /// Files a listing, or files it again after an edit.
    pub fn upsert(&mut self, mut listing: MatchListing) {
        self.remove(listing.id);
        let mut terms: Vec<(u32, f32)> =
            weighted_terms(&listing).into_iter().map(|(t, w)| (self.vocabulary.intern(&t), w)).collect();
        terms.sort_by_key(|(t, _)| *t);
        let ids: Vec<u32> = terms.iter().map(|(t, _)| *t).collect();
        self.vocabulary.add_document(&ids);
        let tags: Vec<u32> = listing.tags.iter().map(|t| self.postings.tag_id(t)).collect();
        let next = self.origins.len() as u32;
        let origin = *self.origins.entry(listing.origin.clone()).or_insert(next);
        let hot = Hot {
            place: unit_vector(listing.latitude, listing.longitude),
            radius_km: listing.radius_km,
            published_at: listing.published_at,
            origin,
            category: listing.category,
        };
        let slot = match self.free.pop() {
            Some(slot) => {
                self.hot[slot as usize] = hot;
                slot
            }
            None => {
                self.slots.push(None);
                self.hot.push(hot);
                (self.slots.len() - 1) as u32
            }
        };
        listing.title = String::new();
        listing.description = String::new();
        let norm = norm_indexed(&terms, &self.vocabulary);
        let entry = Entry {
            slot,
            latitude: listing.latitude as f32,
            longitude: listing.longitude as f32,
            radius_km: listing.radius_km as f32,
            share: 0.0,
        };
        self.postings.add((listing.is_offer(), listing.category), entry, &terms, norm, &tags);
        self.by_id.insert(listing.id, slot);
        self.slots[slot as usize] = Some(Indexed { listing, terms, norm, tags, origin });
    }

    /// Takes a withdrawn, fulfilled, expired or deleted listing out.
    pub fn remove(&mut self, id: i64) -> bool {
        let Some(slot) = self.by_id.remove(&id) else {
            return false;
        };
        let Some(old) = self.slots.get_mut(slot as usize).and_then(Option::take) else {
            return false;
        };
        self.free.push(slot);
        let ids: Vec<u32> = old.terms.iter().map(|(t, _)| *t).collect();
        self.vocabulary.remove_document(&ids);
        let side = (old.listing.is_offer(), old.listing.category);
        self.postings.remove(side, slot, &old.terms, &old.tags);
        true
    }

    /// The matches of `listing` (indexed or not) among indexed listings,
    /// best first.
    pub fn matches_for(&self, listing: &MatchListing, settings: &MatchSettings) -> Vec<Match> {
        let query = self.query(listing);
        let want_offer = listing.kind == ListingKind::Need;
        let mut categories = vec![listing.category];
        categories.extend_from_slice(rules::related_categories(listing.category));
        // Score ≤ relevance ≤ TEXT × text for a listing sharing no tag.
        let min_text = settings.min_score.max(MIN_RELEVANCE) / weights::TEXT * 0.999;
        let place = (listing.latitude, listing.longitude, listing.radius_km);
        let mut acc = self.scratch.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        acc.prepare(self.slots.len());
        let mut weak = 0.0f32;
        for category in categories {
            let side = (want_offer, category);
            let (terms, tags) = (&query.terms, &query.tags);
            let postings = &self.postings;
            let skipped = postings.accumulate(
                side,
                place,
                terms,
                query.norm,
                tags,
                min_text,
                &self.vocabulary,
                &mut acc,
            );
            weak = weak.max(skipped);
        }
        let reached = acc.drain();
        drop(acc);
        // Best bound first: once `limit` matches are found, a listing whose
        // bound is under the worst of them cannot enter, nor can any after.
        let mut bounded: Vec<(f32, u32)> = reached
            .into_iter()
            .filter_map(|(slot, text, tagged)| {
                let hot = self.hot.get(slot as usize)?;
                Some((upper_bound(&query, hot, text + weak, tagged, settings)?, slot))
            })
            .collect();
        let mut kept = Kept::new(settings.limit);
        // Most queries are settled by the best few bounds: those are sorted
        // first, the rest only when needed.
        let head = settings.limit.saturating_mul(4).max(64);
        if bounded.len() > head {
            bounded.select_nth_unstable_by(head, |a, b| b.0.total_cmp(&a.0));
        }
        let split = head.min(bounded.len());
        let (first, rest) = bounded.split_at_mut(split);
        first.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
        if !self.score_in_order(&query, first, settings, &mut kept) {
            rest.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
            self.score_in_order(&query, rest, settings, &mut kept);
        }
        self.explained(&query, kept.scored, settings)
    }

    /// Scores listings by decreasing bound until no later one can enter the
    /// best `limit`; returns whether it stopped for that reason.
    fn score_in_order(
        &self,
        query: &Query,
        bounded: &[(f32, u32)],
        settings: &MatchSettings,
        kept: &mut Kept,
    ) -> bool {
        for &(bound, slot) in bounded {
            if kept.is_closed_to(bound) {
                return true;
            }
            let Some(other) = self.slots.get(slot as usize).and_then(Option::as_ref) else { continue };
            if let Some(s) = score(query, slot, other, &self.vocabulary, settings) {
                kept.push(s);
            }
        }
        false
    }

    /// Scores every listing in `slots`, keeps the best and explains them.
    #[cfg(test)]
    fn rank(&self, query: &Query, slots: impl Iterator<Item = u32>, settings: &MatchSettings) -> Vec<Match> {
        let scored: Vec<Scored> = slots
            .filter_map(|slot| {
                let other = self.slots.get(slot as usize)?.as_ref()?;
                score(query, slot, other, &self.vocabulary, settings)
            })
            .collect();
        self.explained(query, scored, settings)
    }

    fn explained(&self, query: &Query, mut scored: Vec<Scored>, settings: &MatchSettings) -> Vec<Match> {
        best_first(&mut scored, settings);
        scored
            .iter()
            .filter_map(|s| Some(explain(query.listing, self.slots.get(s.slot as usize)?.as_ref()?, s)))
            .collect()
    }

    fn query<'a>(&self, listing: &'a MatchListing) -> Query<'a> {
        let terms = self.query_terms(listing);
        // An indexed listing divides by its stored norm, as its candidates
        // do: the same pair then scores the same from either side.
        let norm = match self.get(listing.id) {
            Some(indexed) => indexed.norm,
            None => norm(&terms, &self.vocabulary),
        };
        let mut tags: Vec<u32> = listing.tags.iter().filter_map(|t| self.postings.known_tag(t)).collect();
        tags.sort_unstable();
        tags.dedup();
        let origin = self.origins.get(&listing.origin).copied();
        let place = unit_vector(listing.latitude, listing.longitude);
        Query { listing, terms, norm, tags, origin, place }
    }

    fn query_terms(&self, listing: &MatchListing) -> Vec<(Option<u32>, f32)> {
        if let Some(indexed) = self.get(listing.id) {
            if listing.title.is_empty() && listing.description.is_empty() {
                return indexed.terms.iter().map(|&(t, w)| (Some(t), w)).collect();
            }
        }
        let mut q: Vec<(Option<u32>, f32)> =
            weighted_terms(listing).into_iter().map(|(t, w)| (self.vocabulary.get(&t), w)).collect();
        q.sort_by_key(|(t, _)| t.unwrap_or(u32::MAX));
        q
    }
}

/// The matches scored so far, and the worst of the best `limit` of them.
struct Kept {
    limit: usize,
    /// Scores are positive, so their bits order as they do.
    worst_of_best: BinaryHeap<Reverse<u32>>,
    scored: Vec<Scored>,
}

impl Kept {
    fn new(limit: usize) -> Kept {
        Kept { limit, worst_of_best: BinaryHeap::new(), scored: Vec::new() }
    }

    /// Whether a listing whose score is at most `bound` can no longer be
    /// among the best (with a margin for rounding).
    fn is_closed_to(&self, bound: f32) -> bool {
        self.worst_of_best.len() >= self.limit
            && self.worst_of_best.peek().is_some_and(|w| bound * 1.001 < f32::from_bits(w.0))
    }

    fn push(&mut self, s: Scored) {
        self.worst_of_best.push(Reverse(s.score.to_bits()));
        if self.worst_of_best.len() > self.limit {
            self.worst_of_best.pop();
        }
        self.scored.push(s);
    }
}

/// Sorts best first, then applies the relative cut and the limit.
fn best_first(out: &mut Vec<Scored>, settings: &MatchSettings) {
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.listing_id.cmp(&b.listing_id)));
    if let Some(best) = out.first().map(|m| m.score) {
        out.retain(|m| m.score >= best * settings.relative_cut);
    }
    out.truncate(settings.limit);
}

#[cfg(test)]
#[path = "index_tests.rs"]
mod tests;
