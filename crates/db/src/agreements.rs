//! The `agreements` table: interest in a listing, and its answer.

use diesel::prelude::*;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::agreements;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = agreements)]
pub struct AgreementRow {
    pub id: i64,
    pub ap_id: String,
    pub offer_ap_id: String,
    pub listing_id: i64,
    pub initiator_id: i64,
    pub responder_id: i64,
    pub message: String,
    pub state: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl AgreementRow {
    pub fn id(&self) -> Id {
        Id::from_i64(self.id)
    }
}

/// Inserts unless the same agreement or offer exists; returns whether it
/// went in.
pub fn insert_or_ignore(conn: &mut DbConnection, row: &AgreementRow) -> Result<bool, Error> {
    Ok(crate::insert_or_ignore!(conn, agreements::table, row)? == 1)
}

pub fn find_by_id(conn: &mut DbConnection, id: Id) -> Result<Option<AgreementRow>, Error> {
    agreements::table
        .find(id.as_i64())
        .select(AgreementRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn find_by_ap_id(conn: &mut DbConnection, ap_id: &str) -> Result<Option<AgreementRow>, Error> {
    agreements::table
        .filter(agreements::ap_id.eq(ap_id))
        .select(AgreementRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// `initiator`'s agreement on `listing` still waiting for an answer.
pub fn pending_of(
    conn: &mut DbConnection,
    listing: i64,
    initiator: i64,
) -> Result<Option<AgreementRow>, Error> {
    agreements::table
        .filter(agreements::listing_id.eq(listing))
        .filter(agreements::initiator_id.eq(initiator))
        .filter(agreements::state.eq("proposed"))
        .select(AgreementRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// Who expressed interest in each of `listings`: `(listing_id,
/// initiator_id)`, once per pair, whatever became of it.
pub fn initiators_on(conn: &mut DbConnection, listings: &[i64]) -> Result<Vec<(i64, i64)>, Error> {
    if listings.is_empty() {
        return Ok(Vec::new());
    }
    agreements::table
        .filter(agreements::listing_id.eq_any(listings))
        .select((agreements::listing_id, agreements::initiator_id))
        .distinct()
        .load(conn)
        .map_err(db_error)
}

pub fn find_by_offer(conn: &mut DbConnection, offer_ap_id: &str) -> Result<Option<AgreementRow>, Error> {
    agreements::table
        .filter(agreements::offer_ap_id.eq(offer_ap_id).or(agreements::ap_id.eq(offer_ap_id)))
        .select(AgreementRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// Moves an agreement from `from` to `to`; false when it was no longer in
/// `from`.
pub fn set_state(
    conn: &mut DbConnection,
    id: Id,
    from: &str,
    to: &str,
    now: Timestamp,
) -> Result<bool, Error> {
    diesel::update(agreements::table.find(id.as_i64()).filter(agreements::state.eq(from)))
        .set((agreements::state.eq(to), agreements::updated_at.eq(now.as_micros())))
        .execute(conn)
        .map(|n| n == 1)
        .map_err(db_error)
}

/// Agreements where `actor` is either side, newest first.
pub fn involving(conn: &mut DbConnection, actor: Id, limit: i64) -> Result<Vec<AgreementRow>, Error> {
    agreements::table
        .filter(agreements::initiator_id.eq(actor.as_i64()).or(agreements::responder_id.eq(actor.as_i64())))
        .select(AgreementRow::as_select())
        .order(agreements::id.desc())
        .limit(limit)
        .load(conn)
        .map_err(db_error)
}

/// A fulfilled agreement with what the territory's figures need.
#[derive(Debug, Clone)]
pub struct FulfilledRow {
    pub agreement: AgreementRow,
    pub category: maillage_core::listing::Category,
    /// The domain of each party not of this node (none when both are).
    pub remote_domain: Option<String>,
}

/// Agreements fulfilled (last changed) from `since`.
pub fn fulfilled_since(conn: &mut DbConnection, since: i64) -> Result<Vec<FulfilledRow>, Error> {
    use crate::schema::{actors, listings};
    let rows: Vec<(AgreementRow, maillage_core::listing::Category)> = agreements::table
        .inner_join(listings::table.on(listings::id.eq(agreements::listing_id)))
        .filter(agreements::state.eq("fulfilled"))
        .filter(agreements::updated_at.ge(since))
        .select((AgreementRow::as_select(), listings::category))
        .load(conn)
        .map_err(db_error)?;
    let mut ids: Vec<i64> = rows.iter().flat_map(|(a, _)| [a.initiator_id, a.responder_id]).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut remote: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let found: Vec<(i64, String)> = actors::table
            .filter(actors::id.eq_any(chunk))
            .filter(actors::local.eq(false))
            .select((actors::id, actors::domain))
            .load(conn)
            .map_err(db_error)?;
        remote.extend(found);
    }
    Ok(rows
        .into_iter()
        .map(|(agreement, category)| {
            let remote_domain =
                remote.get(&agreement.initiator_id).or_else(|| remote.get(&agreement.responder_id)).cloned();
            FulfilledRow { agreement, category, remote_domain }
        })
        .collect())
}
