//! The `login_attempts` table: one row per log-in try being checked or
//! failed, by address and by account, so that every process sharing the
//! database counts them together. Plain statements that both backends
//! run alike: an insert, a delete, and the newest times of one key.

use diesel::prelude::*;
use maillage_core::time::Timestamp;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::login_attempts;

#[derive(Debug, Insertable)]
#[diesel(table_name = login_attempts)]
pub struct NewAttempt<'a> {
    pub id: i64,
    pub ip: &'a str,
    pub account: &'a str,
    pub attempted_at: i64,
}

pub fn insert(conn: &mut DbConnection, attempt: &NewAttempt<'_>) -> Result<(), Error> {
    diesel::insert_into(login_attempts::table).values(attempt).execute(conn).map(drop).map_err(db_error)
}

/// Forgets one try (it succeeded, or was refused without being made).
pub fn delete(conn: &mut DbConnection, id: i64) -> Result<(), Error> {
    diesel::delete(login_attempts::table.find(id)).execute(conn).map(drop).map_err(db_error)
}

/// Forgets the tries older than `before`: they count in no window.
pub fn prune(conn: &mut DbConnection, before: Timestamp) -> Result<usize, Error> {
    diesel::delete(login_attempts::table.filter(login_attempts::attempted_at.lt(before.as_micros())))
        .execute(conn)
        .map_err(db_error)
}

/// Which column a count is by.
#[derive(Debug, Clone, Copy)]
pub enum By<'a> {
    Ip(&'a str),
    Account(&'a str),
}

/// The times of the newest `limit` tries of a key made after `since`,
/// other than the try `except`, newest first.
pub fn newest(
    conn: &mut DbConnection,
    by: By<'_>,
    since: Timestamp,
    except: i64,
    limit: u32,
) -> Result<Vec<i64>, Error> {
    let recent = login_attempts::table
        .filter(login_attempts::attempted_at.gt(since.as_micros()))
        .filter(login_attempts::id.ne(except))
        .select(login_attempts::attempted_at)
        .order(login_attempts::attempted_at.desc())
        .limit(i64::from(limit))
        .into_boxed();
    let recent = match by {
        By::Ip(ip) => recent.filter(login_attempts::ip.eq(ip.to_owned())),
        By::Account(account) => recent.filter(login_attempts::account.eq(account.to_owned())),
    };
    recent.load(conn).map_err(db_error)
}
