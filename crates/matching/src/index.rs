//! The in-memory index. Listings are filed by side, category and reach
//! class in grids whose cells fit that class, so a query looks at the few
//! cells its reach covers; candidates are then checked with the exact
//! rules and scored.

use std::collections::HashMap;

use maillage_core::listing::{Category, ListingKind};

use crate::reasons::Reason;
use crate::rules::{self, weights, MatchListing};
use crate::text::{terms, Vocabulary};

/// Reach classes (km): a listing is filed under the first class at least
/// its radius, so that wide-reach listings, which are few, do not make
/// every query scan far.
const REACH_CLASSES: [f64; 7] = [5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 20_000.0];
const KM_PER_DEGREE: f64 = 111.2;

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

type CellKey = (i32, i32);
type GridKey = (bool, Category, usize);

#[derive(Debug)]
struct Grid {
    cell_degrees: f64,
    /// Slots of the listings filed in each cell.
    cells: HashMap<CellKey, Vec<u32>>,
}

impl Grid {
    fn new(class: usize) -> Grid {
        let reach = REACH_CLASSES[class].min(500.0);
        Grid { cell_degrees: (reach / KM_PER_DEGREE).max(0.05), cells: HashMap::new() }
    }

    fn cell(&self, lat: f64, lon: f64) -> CellKey {
        ((lat / self.cell_degrees).floor() as i32, (lon / self.cell_degrees).floor() as i32)
    }
}

#[derive(Debug)]
struct Indexed {
    /// Title and description dropped: the terms stand for them.
    listing: MatchListing,
    /// Term ids, sorted, with their weight (title and tags weigh double).
    terms: Vec<(u32, f32)>,
    /// The length of the weighted term vector when filed: queries divide
    /// by it rather than recomputing it for every candidate.
    norm: f32,
    grid: GridKey,
    cell: CellKey,
}

/// Every open listing this node knows, ready to be matched. Listings sit
/// in slots, so that grid cells hold small slot numbers and a candidate
/// is one array read away.
#[derive(Debug, Default)]
pub struct MatchIndex {
    slots: Vec<Option<Indexed>>,
    free: Vec<u32>,
    by_id: HashMap<i64, u32>,
    grids: HashMap<GridKey, Grid>,
    vocabulary: Vocabulary,
}

fn reach_class(radius: f64) -> usize {
    REACH_CLASSES.iter().position(|&c| radius <= c).unwrap_or(REACH_CLASSES.len() - 1)
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
        let grid_key = (listing.is_offer(), listing.category, reach_class(listing.radius_km));
        let grid = self.grids.entry(grid_key).or_insert_with(|| Grid::new(grid_key.2));
        let cell = grid.cell(listing.latitude, listing.longitude);
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                (self.slots.len() - 1) as u32
            }
        };
        grid.cells.entry(cell).or_default().push(slot);
        listing.title = String::new();
        listing.description = String::new();
        let norm = norm_indexed(&terms, &self.vocabulary);
        self.by_id.insert(listing.id, slot);
        self.slots[slot as usize] = Some(Indexed { listing, terms, norm, grid: grid_key, cell });
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
        if let Some(grid) = self.grids.get_mut(&old.grid) {
            if let Some(cell) = grid.cells.get_mut(&old.cell) {
                cell.retain(|&x| x != slot);
                if cell.is_empty() {
                    grid.cells.remove(&old.cell);
                }
            }
        }
        true
    }

    /// The matches of `listing` (indexed or not) among indexed listings,
    /// best first.
    pub fn matches_for(&self, listing: &MatchListing, settings: &MatchSettings) -> Vec<Match> {
        let query = self.query_terms(listing);
        // An indexed listing divides by its stored norm, as its candidates
        // do: the same pair then scores the same from either side.
        let query_norm = match self.get(listing.id) {
            Some(indexed) => indexed.norm,
            None => norm(&query, &self.vocabulary),
        };
        let want_offer = listing.kind == ListingKind::Need;
        let mut categories = vec![listing.category];
        categories.extend_from_slice(rules::related_categories(listing.category));
        let mut out = Vec::new();
        for category in categories {
            for (class, &class_reach) in REACH_CLASSES.iter().enumerate() {
                let Some(grid) = self.grids.get(&(want_offer, category, class)) else { continue };
                let reach = listing.radius_km.max(class_reach).min(20_000.0);
                let max_dlat = reach / KM_PER_DEGREE;
                for slot in cells_within(grid, listing.latitude, listing.longitude, reach) {
                    let Some(Some(other)) = self.slots.get(slot as usize) else { continue };
                    if (other.listing.latitude - listing.latitude).abs() > max_dlat {
                        continue;
                    }
                    if let Some(m) = self.score(listing, &query, query_norm, other, settings) {
                        out.push(m);
                    }
                }
            }
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.listing_id.cmp(&b.listing_id)));
        if let Some(best) = out.first().map(|m| m.score) {
            out.retain(|m| m.score >= best * settings.relative_cut);
        }
        out.truncate(settings.limit);
        out
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

    fn score(
        &self,
        a: &MatchListing,
        query: &[(Option<u32>, f32)],
        query_norm: f32,
        other: &Indexed,
        settings: &MatchSettings,
    ) -> Option<Match> {
        let b = &other.listing;
        if b.id == a.id || b.author_id == a.author_id || !rules::sides_meet(a, b) {
            return None;
        }
        let category = rules::category_fit(a.category, b.category)?;
        let distance = rules::distance(a, b);
        let reach = rules::reach(a, b, settings.max_between_territories_km);
        if distance > reach {
            return None;
        }
        let window = rules::window_overlap(a, b)?;
        let terms = rules::terms_fit(a, b)?;
        let (dot, shared_words) = dot(query, &other.terms, &self.vocabulary);
        let other_norm = other.norm;
        let text = if query_norm > 0.0 && other_norm > 0.0 { dot / (query_norm * other_norm) } else { 0.0 };
        let (tags, tag_share) = rules::shared_tags(a, b);
        let relevance = weights::TEXT * text.min(1.0) + weights::TAGS * tag_share;
        if relevance < 0.15 {
            return None;
        }
        let same_territory = a.origin == b.origin;
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
        reasons.push(Reason::Distance { km: (distance * 10.0).round() / 10.0 });
        if !tags.is_empty() {
            reasons.push(Reason::SharedTags(tags));
        }
        if shared_words > 0 {
            reasons.push(Reason::WordsInCommon(shared_words));
        }
        reasons.push(Reason::BothAvailable { from: window.0, until: window.1 });
        reasons.push(Reason::Terms(if a.is_offer() { a.terms } else { b.terms }));
        reasons.push(if same_territory { Reason::SameTerritory } else { Reason::NeighbouringTerritory });
        Some(Match { listing_id: b.id, score: score.min(1.0), reasons })
    }
}

/// Ids filed in the cells of `grid` that a circle of `reach` km around
/// the point can touch.
fn cells_within(grid: &Grid, lat: f64, lon: f64, reach: f64) -> impl Iterator<Item = u32> + '_ {
    let dlat = reach / KM_PER_DEGREE;
    let dlon = reach / (KM_PER_DEGREE * lat.to_radians().cos().max(0.01));
    let (lat0, lon0) = grid.cell(lat - dlat, lon - dlon);
    let (lat1, lon1) = grid.cell(lat + dlat, lon + dlon);
    let span = (i64::from(lat1 - lat0) + 1) * (i64::from(lon1 - lon0) + 1);
    let keys: Vec<CellKey> = if span as usize > grid.cells.len() {
        grid.cells
            .keys()
            .filter(|(a, o)| (lat0..=lat1).contains(a) && (lon0..=lon1).contains(o))
            .copied()
            .collect()
    } else {
        (lat0..=lat1).flat_map(|a| (lon0..=lon1).map(move |o| (a, o))).collect()
    };
    keys.into_iter().filter_map(|k| grid.cells.get(&k)).flatten().copied()
}

fn norm(query: &[(Option<u32>, f32)], vocabulary: &Vocabulary) -> f32 {
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

fn norm_indexed(terms: &[(u32, f32)], vocabulary: &Vocabulary) -> f32 {
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
