//! `announces` (boosts), `likes` and `reports` (flags).

use diesel::prelude::*;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::{announces, likes, reports};

/// A boost or a like: same shape, two tables.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = announces)]
pub struct AnnounceRow {
    pub id: i64,
    pub ap_id: String,
    pub actor_id: i64,
    pub post_id: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = likes)]
pub struct LikeRow {
    pub id: i64,
    pub ap_id: String,
    pub actor_id: i64,
    pub post_id: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = reports)]
pub struct ReportRow {
    pub id: i64,
    pub ap_id: Option<String>,
    pub reporter_id: i64,
    pub target_actor_id: Option<i64>,
    pub object_ids_json: String,
    pub comment: String,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
}

pub fn insert_announce(conn: &mut DbConnection, row: &AnnounceRow) -> Result<(), Error> {
    diesel::insert_into(announces::table).values(row).execute(conn).map(drop).map_err(db_error)
}

pub fn find_announce(
    conn: &mut DbConnection,
    actor_id: i64,
    post_id: i64,
) -> Result<Option<AnnounceRow>, Error> {
    announces::table
        .filter(announces::actor_id.eq(actor_id))
        .filter(announces::post_id.eq(post_id))
        .select(AnnounceRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn find_announce_by_ap_id(conn: &mut DbConnection, ap_id: &str) -> Result<Option<AnnounceRow>, Error> {
    announces::table
        .filter(announces::ap_id.eq(ap_id))
        .select(AnnounceRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn delete_announce(conn: &mut DbConnection, id: i64) -> Result<(), Error> {
    diesel::delete(announces::table.find(id)).execute(conn).map(drop).map_err(db_error)
}

pub fn count_announces(conn: &mut DbConnection, post_id: i64) -> Result<i64, Error> {
    announces::table.filter(announces::post_id.eq(post_id)).count().get_result(conn).map_err(db_error)
}

pub fn insert_like(conn: &mut DbConnection, row: &LikeRow) -> Result<(), Error> {
    diesel::insert_into(likes::table).values(row).execute(conn).map(drop).map_err(db_error)
}

pub fn find_like(conn: &mut DbConnection, actor_id: i64, post_id: i64) -> Result<Option<LikeRow>, Error> {
    likes::table
        .filter(likes::actor_id.eq(actor_id))
        .filter(likes::post_id.eq(post_id))
        .select(LikeRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn find_like_by_ap_id(conn: &mut DbConnection, ap_id: &str) -> Result<Option<LikeRow>, Error> {
    likes::table
        .filter(likes::ap_id.eq(ap_id))
        .select(LikeRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn delete_like(conn: &mut DbConnection, id: i64) -> Result<(), Error> {
    diesel::delete(likes::table.find(id)).execute(conn).map(drop).map_err(db_error)
}

pub fn count_likes(conn: &mut DbConnection, post_id: i64) -> Result<i64, Error> {
    likes::table.filter(likes::post_id.eq(post_id)).count().get_result(conn).map_err(db_error)
}

pub fn insert_report(conn: &mut DbConnection, row: &ReportRow) -> Result<(), Error> {
    diesel::insert_into(reports::table).values(row).execute(conn).map(drop).map_err(db_error)
}

pub fn list_reports(conn: &mut DbConnection, limit: i64) -> Result<Vec<ReportRow>, Error> {
    reports::table
        .select(ReportRow::as_select())
        .order(reports::id.desc())
        .limit(limit)
        .load(conn)
        .map_err(db_error)
}

/// Marks report `id` resolved; returns whether it was open.
pub fn resolve_report(conn: &mut DbConnection, id: i64, now: i64) -> Result<bool, Error> {
    diesel::update(reports::table.filter(reports::id.eq(id)).filter(reports::resolved_at.is_null()))
        .set(reports::resolved_at.eq(Some(now)))
        .execute(conn)
        .map(|n| n == 1)
        .map_err(db_error)
}
