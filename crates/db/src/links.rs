//! The `territory_links` table: links between this territory and others.

use diesel::prelude::*;
use maillage_core::Error;

use crate::actors::ActorRow;
use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::{actors, territory_links};

pub const PROPOSED: &str = "proposed";
pub const REQUESTED: &str = "requested";
pub const ACTIVE: &str = "active";
pub const ENDED: &str = "ended";

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = territory_links)]
#[diesel(treat_none_as_null = true)]
pub struct LinkRow {
    pub id: i64,
    pub partner_id: i64,
    pub level: String,
    pub state: String,
    pub initiated_here: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub ended_at: Option<i64>,
}

impl LinkRow {
    pub fn is_active(&self) -> bool {
        self.state == ACTIVE
    }
}

pub fn insert(conn: &mut DbConnection, row: &LinkRow) -> Result<(), Error> {
    diesel::insert_into(territory_links::table).values(row).execute(conn).map(drop).map_err(db_error)
}

pub fn update(conn: &mut DbConnection, row: &LinkRow) -> Result<(), Error> {
    diesel::update(territory_links::table.find(row.id)).set(row).execute(conn).map(drop).map_err(db_error)
}

pub fn find_by_partner(conn: &mut DbConnection, partner_id: i64) -> Result<Option<LinkRow>, Error> {
    territory_links::table
        .filter(territory_links::partner_id.eq(partner_id))
        .select(LinkRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// Every link with its partner territory actor, newest first.
pub fn all(conn: &mut DbConnection) -> Result<Vec<(LinkRow, ActorRow)>, Error> {
    territory_links::table
        .inner_join(actors::table)
        .order(territory_links::id.desc())
        .select((LinkRow::as_select(), ActorRow::as_select()))
        .load(conn)
        .map_err(db_error)
}

/// Partner actor ids of active links at `level` (any level when `None`).
pub fn active_partner_ids(conn: &mut DbConnection, level: Option<&str>) -> Result<Vec<i64>, Error> {
    let mut q = territory_links::table
        .filter(territory_links::state.eq(ACTIVE))
        .select(territory_links::partner_id)
        .into_boxed();
    if let Some(level) = level {
        q = q.filter(territory_links::level.eq(level.to_owned()));
    }
    q.load(conn).map_err(db_error)
}

/// Takes the link row's lock for the rest of the transaction (an update
/// that changes nothing but the time), before reading the follows its
/// state depends on: two handlers answering the two follows of a link at
/// once would otherwise each miss the other's write and leave the link
/// half-made. Returns whether there is a link with `partner_id`.
pub fn lock(conn: &mut DbConnection, partner_id: i64, now: i64) -> Result<bool, Error> {
    diesel::update(territory_links::table.filter(territory_links::partner_id.eq(partner_id)))
        .set(territory_links::updated_at.eq(now))
        .execute(conn)
        .map(|n| n > 0)
        .map_err(db_error)
}
