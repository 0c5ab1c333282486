//! The matcher: this node's [`MatchIndex`] of every open listing it knows,
//! kept current by following the listing change log (whatever wrote the
//! listing: a person, the inbox, a purge), and the matches of this node's
//! people's listings stored once per pair.
//!
//! A pair is stored when its score clears the bar, one side at least is
//! local, each listing is visible to the other's author, and neither
//! author is kept out by the federation policy (a limited domain that no
//! local person follows). Closing a listing removes its matches.

use std::collections::{HashMap, HashSet};

use maillage_core::id::Id;
use maillage_core::listing::{ListingKind, ListingStatus};
use maillage_core::policy::FederationPolicy;
use maillage_core::time::Timestamp;
use maillage_core::urls::LocalUrls;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::listings::{self, ListingRow};
use maillage_db::matches::{self, MatchRow, NEW, REVIEW_APPROVED, REVIEW_NONE, REVIEW_PENDING};
use maillage_db::policies;
use maillage_db::{transaction, DbConnection};
use maillage_matching::{Match, MatchIndex, MatchListing, MatchSettings, Reason};

use crate::listings::can_see;
use crate::mediation::{reviewer_of, Reviewer};
use crate::notices::tell_released;
use crate::policy::hidden_remote_authors;

const SEQ: &str = "matcher_seq";
const LEASE: &str = "matcher_lease";
const BATCH: i64 = 5_000;

/// What the engine needs of a stored listing, with its author's domain.
pub fn to_match_listing(row: &ListingRow, domain: &str) -> Option<MatchListing> {
    Some(MatchListing {
        id: row.id,
        kind: row.kind,
        direction: row.direction,
        category: row.category,
        title: row.title.clone(),
        description: crate::text::strip_tags(&row.description_html),
        tags: row.tag_list(),
        latitude: row.latitude,
        longitude: row.longitude,
        radius_km: row.radius_km,
        available_from: row.available_from,
        available_until: row.available_until,
        terms: row.terms_mode,
        origin: domain.to_owned(),
        published_at: row.published_at,
        author_id: row.author_id,
    })
}

/// Reasons as stored and served: a code and the text in both languages.
pub fn reasons_json(reasons: &[Reason]) -> String {
    let items: Vec<serde_json::Value> = reasons
        .iter()
        .map(|r| serde_json::json!({ "code": r.code(), "en": r.describe("en"), "fr": r.describe("fr") }))
        .collect();
    serde_json::Value::Array(items).to_string()
}

pub struct Matcher {
    index: MatchIndex,
    max_between_territories_km: f64,
    seq: i64,
    urls: LocalUrls,
}

impl Matcher {
    /// Builds the index from every open listing, then catches up with the
    /// changes logged since the matcher last ran.
    pub fn rebuild(
        conn: &mut DbConnection,
        max_between_territories_km: f64,
        urls: LocalUrls,
    ) -> Result<Matcher, Error> {
        let seq = policies::setting(conn, SEQ)?.and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut index = MatchIndex::new();
        let mut after = 0;
        loop {
            let batch = matches::listings_after(conn, after, BATCH)?;
            let Some((last, _)) = batch.last() else { break };
            after = last.id;
            let open = batch.iter().filter(|(r, _)| r.status == ListingStatus::Open && !r.is_deleted());
            for (row, domain) in open {
                if let Some(l) = to_match_listing(row, domain) {
                    index.upsert(l);
                }
            }
        }
        Ok(Matcher { index, max_between_territories_km, seq, urls })
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Follows the change log: each changed listing is filed again (or
    /// taken out) and its matches recomputed. Returns how many listings
    /// changed.
    pub fn catch_up(&mut self, conn: &mut DbConnection, policy: &FederationPolicy) -> Result<usize, Error> {
        let changes = matches::changes_after(conn, self.seq, 1_000)?;
        let Some(&(last, _)) = changes.last() else { return Ok(0) };
        let ids: Vec<i64> = {
            let mut seen = HashSet::new();
            changes.iter().map(|&(_, id)| id).filter(|id| seen.insert(*id)).collect()
        };
        let hidden: HashSet<i64> = hidden_remote_authors(conn, policy)?.into_iter().collect();
        for id in &ids {
            self.apply(conn, *id, &hidden)?;
        }
        transaction::write(conn, |conn| {
            policies::set_setting(conn, SEQ, &last.to_string(), Timestamp::now())?;
            matches::prune_changes(conn, last).map(drop)
        })?;
        self.seq = last;
        Ok(ids.len())
    }

    fn apply(&mut self, conn: &mut DbConnection, id: i64, hidden: &HashSet<i64>) -> Result<(), Error> {
        let row = listings::find_by_id(conn, Id::from_i64(id))?;
        let open = row.as_ref().is_some_and(|r| !r.is_deleted() && r.status == ListingStatus::Open);
        let (Some(row), true) = (row, open) else {
            self.index.remove(id);
            transaction::write(conn, |conn| matches::delete_of_listing(conn, id))?;
            return Ok(());
        };
        let Some(author) = actors::find_by_id(conn, Id::from_i64(row.author_id))? else { return Ok(()) };
        let Some(listing) = to_match_listing(&row, &author.domain) else { return Ok(()) };
        self.index.upsert(listing.clone());
        let settings = MatchSettings {
            max_between_territories_km: self.max_between_territories_km,
            relative_cut: 0.0,
            now: Timestamp::now().as_micros(),
            ..MatchSettings::default()
        };
        let found = self.index.matches_for(&listing, &settings);
        let kept = self.kept(conn, &row, &author, found, hidden)?;
        store(conn, &self.urls, &row, kept)
    }

    /// The matches that may be stored here (see the module's rules).
    fn kept(
        &self,
        conn: &mut DbConnection,
        row: &ListingRow,
        author: &ActorRow,
        found: Vec<Match>,
        hidden: &HashSet<i64>,
    ) -> Result<Vec<(ListingRow, Match)>, Error> {
        let mut kept = Vec::new();
        if hidden.contains(&row.author_id) {
            return Ok(kept);
        }
        for m in found {
            let Some(other) = listings::find_by_id(conn, Id::from_i64(m.listing_id))? else { continue };
            if !(row.local || other.local) || hidden.contains(&other.author_id) {
                continue;
            }
            let Some(other_author) = actors::find_by_id(conn, Id::from_i64(other.author_id))? else {
                continue;
            };
            if can_see(conn, row, Some(&other_author))? && can_see(conn, &other, Some(author))? {
                kept.push((other, m));
            }
        }
        Ok(kept)
    }
}

/// Writes the matches of `row`: new pairs inserted (held for review when
/// mediators review them, told to their people otherwise), known ones
/// updated, pairs that no longer match removed.
fn store(
    conn: &mut DbConnection,
    urls: &LocalUrls,
    row: &ListingRow,
    kept: Vec<(ListingRow, Match)>,
) -> Result<(), Error> {
    let is_need = row.kind == ListingKind::Need;
    transaction::write(conn, |conn| {
        let existing: HashMap<i64, MatchRow> = matches::of_listing(conn, row.id)?
            .into_iter()
            .map(|m| (if is_need { m.offer_id } else { m.need_id }, m))
            .collect();
        let now = Timestamp::now();
        let mut still = HashSet::new();
        for (other, m) in &kept {
            still.insert(other.id);
            let reasons = reasons_json(&m.reasons);
            let score = f64::from(m.score);
            match existing.get(&other.id) {
                Some(known) => matches::update_score(conn, known.id, score, &reasons, now.as_micros())?,
                None => {
                    let (need, offer) = if is_need { (row, other) } else { (other, row) };
                    let new = new_match(conn, need, offer, score, reasons, now)?;
                    matches::insert(conn, &new)?;
                    if new.is_released() {
                        tell_released(conn, urls, &new)?;
                    }
                }
            }
        }
        for (other, m) in &existing {
            if !still.contains(other) {
                matches::delete(conn, m.id)?;
            }
        }
        Ok(())
    })
}

/// A new pair, released at once unless mediators review it (a remote
/// group's approval may have come first).
fn new_match(
    conn: &mut DbConnection,
    need: &ListingRow,
    offer: &ListingRow,
    score: f64,
    reasons: String,
    now: Timestamp,
) -> Result<MatchRow, Error> {
    let (review, review_group_id, released_at) = match reviewer_of(conn, need, offer)? {
        Reviewer::Nobody => (REVIEW_NONE, None, Some(now.as_micros())),
        Reviewer::Local(group) => (REVIEW_PENDING, Some(group), None),
        Reviewer::Remote(uri) => match matches::find_approval(conn, &need.ap_id, &offer.ap_id)? {
            Some(a) if a.group_uri == uri => (REVIEW_APPROVED, None, Some(now.as_micros())),
            _ => (REVIEW_PENDING, None, None),
        },
    };
    Ok(MatchRow {
        id: Id::generate_at(now).as_i64(),
        need_id: need.id,
        offer_id: offer.id,
        score,
        reasons,
        need_state: NEW.into(),
        offer_state: NEW.into(),
        created_at: now.as_micros(),
        updated_at: now.as_micros(),
        review: review.into(),
        review_group_id,
        reviewed_by: None,
        released_at,
    })
}

/// Takes, or keeps, the matcher's lease for `holder`: one process at a
/// time computes matches. Returns whether `holder` holds it.
pub fn claim_lease(conn: &mut DbConnection, holder: &str, ttl_micros: i64) -> Result<bool, Error> {
    let now = Timestamp::now();
    let current = policies::setting(conn, LEASE)?.unwrap_or_default();
    let (who, until) = current.split_once(' ').unwrap_or(("", "0"));
    let until: i64 = until.parse().unwrap_or(0);
    if !who.is_empty() && who != holder && until > now.as_micros() {
        return Ok(false);
    }
    let new = format!("{holder} {}", now.as_micros() + ttl_micros);
    transaction::write(conn, |conn| policies::compare_and_set(conn, LEASE, &current, &new, now))
}
