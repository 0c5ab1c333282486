//! Candidates from the text: for each (side, category, term) the slots of
//! the listings holding the term, and for each (side, category, tag) those
//! carrying the tag. A query visits only the lists that can lift a
//! listing over the score bar (the MaxScore idea): a listing that shares
//! none of the query's telling terms and none of its tags cannot score
//! enough, so it is never looked at.
//!
//! Each entry also carries the listing's place and radius, so that lists
//! are read in order and listings out of reach are dropped before their
//! slot is touched.
//!
//! Both bounds are exact, not heuristics: each term list keeps the largest
//! share `weight / norm` any of its listings ever had, and the text
//! similarity of a listing is at most the sum, over the terms it shares
//! with the query, of `query weight × idf² × that share / query norm`.

use std::collections::HashMap;

use maillage_core::listing::Category;

use crate::accumulator::Accumulator;
use crate::text::Vocabulary;

type ListKey = (bool, Category, u32);

const KM_PER_DEGREE: f64 = 111.2;

/// A listing in a list: its slot, place and radius, and in a term list
/// the term's share of the listing's text (`weight / norm`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    pub(crate) slot: u32,
    pub(crate) latitude: f32,
    pub(crate) longitude: f32,
    pub(crate) radius_km: f32,
    pub(crate) share: f32,
}

/// Beyond this reach the box test is not worth its error bound; listings
/// that reach so far are few and always scored.
const BOX_LIMIT_KM: f32 = 400.0;

/// The box around a query's place outside which no listing can be in
/// reach, whatever its radius: `max(query radius, listing radius)` plus a
/// kilometre for the rounding of places to `f32` and of the box.
struct Reach {
    latitude: f32,
    longitude: f32,
    radius_km: f32,
    /// Degrees of longitude per km at the box's latitude farthest from the
    /// equator, where a degree of longitude is shortest.
    lon_per_km: f32,
}

impl Reach {
    fn new(latitude: f64, longitude: f64, radius_km: f64) -> Reach {
        let farthest = (latitude.abs() + f64::from(BOX_LIMIT_KM + 1.0) / KM_PER_DEGREE).min(89.0);
        Reach {
            latitude: latitude as f32,
            longitude: longitude as f32,
            radius_km: radius_km as f32,
            lon_per_km: (1.0 / (KM_PER_DEGREE * farthest.to_radians().cos())) as f32,
        }
    }

    fn may_reach(&self, e: &Entry) -> bool {
        let km = self.radius_km.max(e.radius_km);
        if km > BOX_LIMIT_KM {
            return true;
        }
        let km = km + 1.0;
        let dlat = (e.latitude - self.latitude).abs();
        if dlat * KM_PER_DEGREE as f32 > km {
            return false;
        }
        let dlon = (e.longitude - self.longitude).abs();
        dlon.min(360.0 - dlon) <= km * self.lon_per_km
    }
}

#[derive(Debug, Default)]
struct TermList {
    slots: Vec<Entry>,
    /// Never lowered when a listing leaves: it stays an upper bound.
    max_share: f32,
}

#[derive(Debug, Default)]
pub(crate) struct Postings {
    terms: HashMap<ListKey, TermList>,
    tags: HashMap<ListKey, Vec<Entry>>,
    tag_ids: HashMap<String, u32>,
}

fn take_out(list: &mut Vec<Entry>, slot: u32) {
    if let Some(at) = list.iter().position(|e| e.slot == slot) {
        list.swap_remove(at);
    }
}

impl Postings {
    pub(crate) fn tag_id(&mut self, tag: &str) -> u32 {
        let next = self.tag_ids.len() as u32;
        *self.tag_ids.entry(tag.to_owned()).or_insert(next)
    }

    pub(crate) fn known_tag(&self, tag: &str) -> Option<u32> {
        self.tag_ids.get(tag).copied()
    }

    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.tags.is_empty()
    }

    pub(crate) fn add(
        &mut self,
        side: (bool, Category),
        entry: Entry,
        terms: &[(u32, f32)],
        norm: f32,
        tags: &[u32],
    ) {
        for &(term, weight) in terms {
            let list = self.terms.entry((side.0, side.1, term)).or_default();
            let share = if norm > 0.0 { weight / norm } else { 0.0 };
            list.slots.push(Entry { share, ..entry });
            list.max_share = list.max_share.max(share);
        }
        for &tag in tags {
            self.tags.entry((side.0, side.1, tag)).or_default().push(Entry { share: 0.0, ..entry });
        }
    }

    pub(crate) fn remove(&mut self, side: (bool, Category), slot: u32, terms: &[(u32, f32)], tags: &[u32]) {
        for &(term, _) in terms {
            let key = (side.0, side.1, term);
            if let Some(list) = self.terms.get_mut(&key) {
                take_out(&mut list.slots, slot);
                if list.slots.is_empty() {
                    self.terms.remove(&key);
                }
            }
        }
        for &tag in tags {
            let key = (side.0, side.1, tag);
            if let Some(list) = self.tags.get_mut(&key) {
                take_out(list, slot);
                if list.is_empty() {
                    self.tags.remove(&key);
                }
            }
        }
    }

    /// Visits the lists of `side` that can lift a listing over `min_text`
    /// (and the query's tag lists), adding into `acc` the exact text
    /// similarity each visited list gives each listing in reach of the
    /// query's place. Returns what the skipped lists could still add, at
    /// most, to any listing.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn accumulate(
        &self,
        side: (bool, Category),
        place: (f64, f64, f64),
        query: &[(Option<u32>, f32)],
        query_norm: f32,
        tags: &[u32],
        min_text: f32,
        vocabulary: &Vocabulary,
        acc: &mut Accumulator,
    ) -> f32 {
        let reach = Reach::new(place.0, place.1, place.2);
        let mut weak = 0.0f32;
        if query_norm > 0.0 {
            let mut bounded: Vec<(f32, f32, &TermList)> = query
                .iter()
                .filter_map(|&(term, weight)| {
                    let term = term?;
                    let list = self.terms.get(&(side.0, side.1, term))?;
                    let idf = vocabulary.idf(term);
                    let per_share = weight * idf * idf / query_norm;
                    Some((per_share * list.max_share, per_share, list))
                })
                .collect();
            bounded.sort_by(|a, b| a.0.total_cmp(&b.0));
            // The weakest terms whose bounds together stay under the bar
            // cannot lift a listing alone: their lists are skipped.
            let mut skipped = 0.0f32;
            for (bound, per_share, list) in bounded {
                if skipped + bound < min_text {
                    skipped += bound;
                    continue;
                }
                for e in list.slots.iter().filter(|e| reach.may_reach(e)) {
                    acc.add_text(e.slot, per_share * e.share);
                }
            }
            weak = skipped;
        }
        for &tag in tags {
            if let Some(list) = self.tags.get(&(side.0, side.1, tag)) {
                for e in list.iter().filter(|e| reach.may_reach(e)) {
                    acc.add_tag(e.slot);
                }
            }
        }
        weak
    }
}
