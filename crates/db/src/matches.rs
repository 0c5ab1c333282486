//! Matches between a need and an offer, and the log of listing changes
//! the matcher follows.

use diesel::prelude::*;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::{listing_changes, listings, matches};

pub const NEW: &str = "new";
pub const DISMISSED: &str = "dismissed";
pub const RESPONDED: &str = "responded";

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

/// The matches of the listings by `author`, best first.
pub fn of_author(conn: &mut DbConnection, author: i64, limit: i64) -> Result<Vec<MatchRow>, Error> {
    let mine = listings::table.filter(listings::author_id.eq(author)).select(listings::id);
    matches::table
        .filter(matches::need_id.eq_any(mine).or(matches::offer_id.eq_any(mine)))
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

/// Open listings with their author's domain, by id, `limit` after `after`
/// (for rebuilding the index in batches).
pub fn open_listings_after(
    conn: &mut DbConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<(crate::listings::ListingRow, String)>, Error> {
    use crate::schema::actors;
    listings::table
        .inner_join(actors::table.on(actors::id.eq(listings::author_id)))
        .filter(listings::id.gt(after))
        .filter(listings::status.eq("open"))
        .filter(listings::deleted_at.is_null())
        .order(listings::id.asc())
        .limit(limit)
        .select((crate::listings::ListingRow::as_select(), actors::domain))
        .load(conn)
        .map_err(db_error)
}
