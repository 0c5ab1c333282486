//! Each person's notification settings per kind, what waits to be
//! e-mailed, when each digest last went out, and the node's own secrets.

use diesel::prelude::*;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::{mail_digests, node_secrets, notification_mails, notification_settings};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = notification_settings)]
pub struct SettingRow {
    pub user_id: i64,
    pub kind: String,
    pub app: bool,
    pub email: String,
    pub updated_at: i64,
    pub push: bool,
}

pub fn of_user(conn: &mut DbConnection, user: i64) -> Result<Vec<SettingRow>, Error> {
    notification_settings::table
        .filter(notification_settings::user_id.eq(user))
        .select(SettingRow::as_select())
        .load(conn)
        .map_err(db_error)
}

pub fn find(conn: &mut DbConnection, user: i64, kind: &str) -> Result<Option<SettingRow>, Error> {
    notification_settings::table
        .find((user, kind))
        .select(SettingRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// Writes one setting, replacing the one there was.
pub fn put(conn: &mut DbConnection, row: &SettingRow) -> Result<(), Error> {
    diesel::delete(notification_settings::table.find((row.user_id, row.kind.as_str())))
        .execute(conn)
        .map_err(db_error)?;
    diesel::insert_into(notification_settings::table).values(row).execute(conn).map(drop).map_err(db_error)
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = notification_mails)]
pub struct PendingMailRow {
    pub id: i64,
    pub user_id: i64,
    pub reason: String,
    pub from_actor_id: Option<i64>,
    pub post_id: Option<i64>,
    pub match_id: Option<i64>,
    /// `instant`, `daily` or `weekly`.
    pub period: String,
    pub created_at: i64,
}

pub fn add_pending(conn: &mut DbConnection, row: &PendingMailRow) -> Result<(), Error> {
    diesel::insert_into(notification_mails::table).values(row).execute(conn).map(drop).map_err(db_error)
}

/// The oldest items of `period`, up to `limit`.
pub fn pending(conn: &mut DbConnection, period: &str, limit: i64) -> Result<Vec<PendingMailRow>, Error> {
    notification_mails::table
        .filter(notification_mails::period.eq(period))
        .order(notification_mails::id.asc())
        .limit(limit)
        .select(PendingMailRow::as_select())
        .load(conn)
        .map_err(db_error)
}

/// The items of `period` waiting for `user`, oldest first.
pub fn pending_of(
    conn: &mut DbConnection,
    user: i64,
    period: &str,
    limit: i64,
) -> Result<Vec<PendingMailRow>, Error> {
    notification_mails::table
        .filter(notification_mails::user_id.eq(user))
        .filter(notification_mails::period.eq(period))
        .order(notification_mails::id.asc())
        .limit(limit)
        .select(PendingMailRow::as_select())
        .load(conn)
        .map_err(db_error)
}

/// The people with items of `period` waiting, each with the oldest one's
/// time.
pub fn waiting_digests(conn: &mut DbConnection, period: &str, limit: i64) -> Result<Vec<(i64, i64)>, Error> {
    use diesel::dsl::min;
    let rows: Vec<(i64, Option<i64>)> = notification_mails::table
        .filter(notification_mails::period.eq(period))
        .group_by(notification_mails::user_id)
        .select((notification_mails::user_id, min(notification_mails::created_at)))
        .order(notification_mails::user_id.asc())
        .limit(limit)
        .load(conn)
        .map_err(db_error)?;
    Ok(rows.into_iter().map(|(u, t)| (u, t.unwrap_or(0))).collect())
}

/// Removes the given items; how many were still there (fewer when another
/// process took some first).
pub fn take(conn: &mut DbConnection, ids: &[i64]) -> Result<usize, Error> {
    diesel::delete(notification_mails::table.filter(notification_mails::id.eq_any(ids)))
        .execute(conn)
        .map_err(db_error)
}

/// Removes every waiting item (when the node sends no mail).
pub fn discard_all(conn: &mut DbConnection) -> Result<usize, Error> {
    diesel::delete(notification_mails::table).execute(conn).map_err(db_error)
}

pub fn last_digest(conn: &mut DbConnection, user: i64, period: &str) -> Result<Option<i64>, Error> {
    mail_digests::table
        .find((user, period))
        .select(mail_digests::last_sent_at)
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// Moves the digest mark of (`user`, `period`) from `from` to `now`;
/// false when another process moved it first.
pub fn mark_digest(
    conn: &mut DbConnection,
    user: i64,
    period: &str,
    from: Option<i64>,
    now: i64,
) -> Result<bool, Error> {
    let n = match from {
        Some(f) => diesel::update(mail_digests::table.find((user, period)))
            .filter(mail_digests::last_sent_at.eq(f))
            .set(mail_digests::last_sent_at.eq(now))
            .execute(conn)
            .map_err(db_error)?,
        None => {
            let row = (
                mail_digests::user_id.eq(user),
                mail_digests::period.eq(period),
                mail_digests::last_sent_at.eq(now),
            );
            crate::insert_or_ignore!(conn, mail_digests::table, row)?
        }
    };
    Ok(n == 1)
}

/// The secret named `name`, if it was made.
pub fn find_secret(conn: &mut DbConnection, name: &str) -> Result<Option<String>, Error> {
    node_secrets::table.find(name).select(node_secrets::value).first(conn).optional().map_err(db_error)
}

/// The secret named `name`, made by `make` and stored the first time (the
/// first process to store it wins).
pub fn secret(conn: &mut DbConnection, name: &str, make: impl FnOnce() -> String) -> Result<String, Error> {
    let found: Option<String> = node_secrets::table
        .find(name)
        .select(node_secrets::value)
        .first(conn)
        .optional()
        .map_err(db_error)?;
    if let Some(value) = found {
        return Ok(value);
    }
    let row = (node_secrets::name.eq(name), node_secrets::value.eq(make()));
    crate::insert_or_ignore!(conn, node_secrets::table, row)?;
    node_secrets::table.find(name).select(node_secrets::value).first(conn).map_err(db_error)
}
