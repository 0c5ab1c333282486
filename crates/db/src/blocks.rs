//! Blocks and mutes a local person keeps of other actors, and what they
//! share once an interest is accepted (`contact_details`).

use diesel::prelude::*;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::insert_or_ignore;
use crate::schema::{blocks, contact_details};

pub const BLOCK: &str = "block";
pub const MUTE: &str = "mute";

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = blocks)]
pub struct BlockRow {
    pub id: i64,
    pub actor_id: i64,
    pub target_id: i64,
    pub kind: String,
    pub created_at: i64,
}

pub fn insert(conn: &mut DbConnection, row: &BlockRow) -> Result<(), Error> {
    insert_or_ignore!(conn, blocks::table, row).map(drop)
}

pub fn delete(conn: &mut DbConnection, actor: i64, target: i64, kind: &str) -> Result<usize, Error> {
    diesel::delete(
        blocks::table
            .filter(blocks::actor_id.eq(actor))
            .filter(blocks::target_id.eq(target))
            .filter(blocks::kind.eq(kind)),
    )
    .execute(conn)
    .map_err(db_error)
}

/// The kinds (`block`, `mute`) `actor` holds against `target`.
pub fn kinds(conn: &mut DbConnection, actor: i64, target: i64) -> Result<Vec<String>, Error> {
    blocks::table
        .filter(blocks::actor_id.eq(actor))
        .filter(blocks::target_id.eq(target))
        .select(blocks::kind)
        .load(conn)
        .map_err(db_error)
}

/// The actors `actor` blocked or muted, newest first.
pub fn targets(conn: &mut DbConnection, actor: i64, kind: &str, limit: i64) -> Result<Vec<BlockRow>, Error> {
    blocks::table
        .filter(blocks::actor_id.eq(actor))
        .filter(blocks::kind.eq(kind))
        .order(blocks::id.desc())
        .limit(limit)
        .select(BlockRow::as_select())
        .load(conn)
        .map_err(db_error)
}

/// Every actor `actor` blocked or muted (both kinds), for filtering lists.
pub fn all_targets(conn: &mut DbConnection, actor: i64) -> Result<Vec<i64>, Error> {
    blocks::table.filter(blocks::actor_id.eq(actor)).select(blocks::target_id).load(conn).map_err(db_error)
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = contact_details)]
pub struct ContactRow {
    pub user_id: i64,
    pub share_email: bool,
    pub phone: String,
    pub other: String,
    pub updated_at: i64,
}

pub fn contact(conn: &mut DbConnection, user: i64) -> Result<Option<ContactRow>, Error> {
    contact_details::table.find(user).select(ContactRow::as_select()).first(conn).optional().map_err(db_error)
}

pub fn set_contact(conn: &mut DbConnection, row: &ContactRow) -> Result<(), Error> {
    if insert_or_ignore!(conn, contact_details::table, row)? == 0 {
        diesel::update(contact_details::table.find(row.user_id)).set(row).execute(conn).map_err(db_error)?;
    }
    Ok(())
}
