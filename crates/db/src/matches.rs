//! Matches between a need and an offer, and the log of listing changes
//! the matcher follows.

use diesel::prelude::*;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::{listing_changes, listings, matches, mediated_listings, pairing_approvals};

pub const NEW: &str = "new";
pub const DISMISSED: &str = "dismissed";
pub const RESPONDED: &str = "responded";

/// Review states of a pairing (see the migration).
pub const REVIEW_NONE: &str = "none";
pub const REVIEW_PENDING: &str = "pending";
pub const REVIEW_APPROVED: &str = "approved";
pub const REVIEW_REJECTED: &str = "rejected";

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = matches)]
pub struct MatchRow {
    pub id: i64,
    pub need_id: i64,
    pub offer_id: i64,
    pub score: f64,
    pub reasons: String,
    pub need_state: String,
    pub offer_state: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub review: String,
    pub review_group_id: Option<i64>,
    pub reviewed_by: Option<i64>,
    pub released_at: Option<i64>,
}

impl MatchRow {
    /// Whether the people may see it: nobody reviews it, or a mediator
    /// approved it.
    pub fn is_released(&self) -> bool {
        self.released_at.is_some()
    }
}

pub fn insert(conn: &mut DbConnection, row: &MatchRow) -> Result<(), Error> {
    diesel::insert_into(matches::table).values(row).execute(conn).map(drop).map_err(db_error)
}

pub fn update_score(
    conn: &mut DbConnection,
    id: i64,
    score: f64,
    reasons: &str,
    now: i64,
) -> Result<(), Error> {
    diesel::update(matches::table.find(id))
        .set((matches::score.eq(score), matches::reasons.eq(reasons), matches::updated_at.eq(now)))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}

pub fn find(conn: &mut DbConnection, id: i64) -> Result<Option<MatchRow>, Error> {
    matches::table.find(id).select(MatchRow::as_select()).first(conn).optional().map_err(db_error)
}

/// Every match `listing` is a side of.
pub fn of_listing(conn: &mut DbConnection, listing: i64) -> Result<Vec<MatchRow>, Error> {
    matches::table
        .filter(matches::need_id.eq(listing).or(matches::offer_id.eq(listing)))
        .select(MatchRow::as_select())
        .load(conn)
        .map_err(db_error)
}

/// The released matches of the listings by `author`, best first.
pub fn of_author(conn: &mut DbConnection, author: i64, limit: i64) -> Result<Vec<MatchRow>, Error> {
    let mine = listings::table.filter(listings::author_id.eq(author)).select(listings::id);
    matches::table
        .filter(matches::need_id.eq_any(mine).or(matches::offer_id.eq_any(mine)))
        .filter(matches::released_at.is_not_null())
        .order((matches::score.desc(), matches::id.asc()))
        .limit(limit)
        .select(MatchRow::as_select())
        .load(conn)
        .map_err(db_error)
}

pub fn delete(conn: &mut DbConnection, id: i64) -> Result<(), Error> {
    diesel::delete(matches::table.find(id)).execute(conn).map(drop).map_err(db_error)
}

pub fn delete_of_listing(conn: &mut DbConnection, listing: i64) -> Result<usize, Error> {
    diesel::delete(matches::table.filter(matches::need_id.eq(listing).or(matches::offer_id.eq(listing))))
        .execute(conn)
        .map_err(db_error)
}

/// Sets the state one side keeps of a match.
pub fn set_state(conn: &mut DbConnection, id: i64, need_side: bool, state: &str) -> Result<(), Error> {
    let q = diesel::update(matches::table.find(id));
    let done = if need_side {
        q.set(matches::need_state.eq(state)).execute(conn)
    } else {
        q.set(matches::offer_state.eq(state)).execute(conn)
    };
    done.map(drop).map_err(db_error)
}

/// The last change logged, where a new matcher starts following.
pub fn last_change(conn: &mut DbConnection) -> Result<i64, Error> {
    listing_changes::table
        .select(diesel::dsl::max(listing_changes::seq))
        .first::<Option<i64>>(conn)
        .map(|m| m.unwrap_or(0))
        .map_err(db_error)
}

/// Changes after `seq`, oldest first: `(seq, listing_id)`.
pub fn changes_after(conn: &mut DbConnection, seq: i64, limit: i64) -> Result<Vec<(i64, i64)>, Error> {
    listing_changes::table
        .filter(listing_changes::seq.gt(seq))
        .order(listing_changes::seq.asc())
        .limit(limit)
        .select((listing_changes::seq, listing_changes::listing_id))
        .load(conn)
        .map_err(db_error)
}

/// Forgets changes up to `seq`, once followed.
pub fn prune_changes(conn: &mut DbConnection, seq: i64) -> Result<usize, Error> {
    diesel::delete(listing_changes::table.filter(listing_changes::seq.le(seq)))
        .execute(conn)
        .map_err(db_error)
}

/// Listings with their author's domain, by id, `limit` after `after`
/// (for rebuilding the index in batches; the caller keeps the open ones).
/// Filtering on status here would let the planner pick the status index
/// and sort every open listing for each batch.
pub fn listings_after(
    conn: &mut DbConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<(crate::listings::ListingRow, String)>, Error> {
    use crate::schema::actors;
    listings::table
        .inner_join(actors::table.on(actors::id.eq(listings::author_id)))
        .filter(listings::id.gt(after))
        .order(listings::id.asc())
        .limit(limit)
        .select((crate::listings::ListingRow::as_select(), actors::domain))
        .load(conn)
        .map_err(db_error)
}

pub fn find_pair(conn: &mut DbConnection, need: i64, offer: i64) -> Result<Option<MatchRow>, Error> {
    matches::table
        .filter(matches::need_id.eq(need))
        .filter(matches::offer_id.eq(offer))
        .select(MatchRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// The matches of `author`'s listings released after `since`, oldest
/// first (for a digest).
pub fn released_since(
    conn: &mut DbConnection,
    author: i64,
    since: i64,
    limit: i64,
) -> Result<Vec<MatchRow>, Error> {
    let mine = listings::table.filter(listings::author_id.eq(author)).select(listings::id);
    matches::table
        .filter(matches::need_id.eq_any(mine).or(matches::offer_id.eq_any(mine)))
        .filter(matches::released_at.gt(since))
        .order((matches::released_at.asc(), matches::id.asc()))
        .limit(limit)
        .select(MatchRow::as_select())
        .load(conn)
        .map_err(db_error)
}

/// The pairings a group's mediators have to review, oldest first.
pub fn pending_of_group(conn: &mut DbConnection, group: i64, limit: i64) -> Result<Vec<MatchRow>, Error> {
    matches::table
        .filter(matches::review_group_id.eq(group))
        .filter(matches::review.eq(REVIEW_PENDING))
        .order(matches::id.asc())
        .limit(limit)
        .select(MatchRow::as_select())
        .load(conn)
        .map_err(db_error)
}

/// Records a review; an approval releases the match. Only a pending
/// match changes: returns whether this call changed it.
pub fn set_review(
    conn: &mut DbConnection,
    id: i64,
    review: &str,
    by: Option<i64>,
    now: i64,
) -> Result<bool, Error> {
    let released = (review == REVIEW_APPROVED).then_some(now);
    diesel::update(matches::table.find(id).filter(matches::review.eq(REVIEW_PENDING)))
        .set((
            matches::review.eq(review),
            matches::reviewed_by.eq(by),
            matches::released_at.eq(released),
            matches::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
        .map_err(db_error)
}

/// A remote group's mediators approved the pairing of two listings.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = pairing_approvals)]
pub struct PairingApprovalRow {
    pub need_uri: String,
    pub offer_uri: String,
    pub group_uri: String,
    pub post_id: Option<i64>,
    pub approved_at: i64,
}

pub fn insert_approval_or_ignore(conn: &mut DbConnection, row: &PairingApprovalRow) -> Result<bool, Error> {
    let known = find_approval(conn, &row.need_uri, &row.offer_uri)?;
    if known.is_some() {
        return Ok(false);
    }
    diesel::insert_into(pairing_approvals::table).values(row).execute(conn).map(|n| n == 1).map_err(db_error)
}

pub fn find_approval(
    conn: &mut DbConnection,
    need_uri: &str,
    offer_uri: &str,
) -> Result<Option<PairingApprovalRow>, Error> {
    pairing_approvals::table
        .find((need_uri, offer_uri))
        .select(PairingApprovalRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// The group a remote listing says reviews its pairings (or none).
pub fn set_mediated_by(conn: &mut DbConnection, listing: i64, group_uri: Option<&str>) -> Result<(), Error> {
    diesel::delete(mediated_listings::table.find(listing)).execute(conn).map_err(db_error)?;
    if let Some(uri) = group_uri {
        diesel::insert_into(mediated_listings::table)
            .values((mediated_listings::listing_id.eq(listing), mediated_listings::group_uri.eq(uri)))
            .execute(conn)
            .map_err(db_error)?;
    }
    Ok(())
}

pub fn mediated_by(conn: &mut DbConnection, listing: i64) -> Result<Option<String>, Error> {
    mediated_listings::table
        .find(listing)
        .select(mediated_listings::group_uri)
        .first(conn)
        .optional()
        .map_err(db_error)
}
