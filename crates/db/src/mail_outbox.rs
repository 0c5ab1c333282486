//! The persistent mail outbox, the delivery queue's twin (`deliveries.rs`):
//! rows written in the transaction of the change that caused them, claimed
//! by a sender with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so
//! several processes never claim the same row), kept a while after they
//! end. A sender that dies leaves its rows to be claimed again when the
//! lease runs out. `(recipient, event_key)` is unique: queueing the same
//! event twice for one address keeps the first row.

use diesel::prelude::*;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::mail_outbox;
use crate::transaction;

pub const PENDING: &str = "pending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mail_outbox)]
pub struct MailRow {
    pub id: i64,
    pub user_id: Option<i64>,
    /// The address, lower-cased.
    pub recipient: String,
    pub event_key: String,
    pub message_id: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub unsubscribe_url: Option<String>,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

/// Queues one mail; `false` when this (recipient, event) was queued
/// before (the earlier row stays as it is).
pub fn enqueue(conn: &mut DbConnection, row: &MailRow) -> Result<bool, Error> {
    let inserted = crate::insert_or_ignore!(conn, mail_outbox::table, row)?;
    Ok(inserted == 1)
}

/// Claims up to `limit` due rows for `lease`; returns them with the claim
/// token they now carry.
pub fn claim(
    conn: &mut DbConnection,
    now: Timestamp,
    lease: std::time::Duration,
    limit: i64,
) -> Result<Vec<MailRow>, Error> {
    let token = format!("{:016x}{:08x}", Id::generate().as_i64(), std::process::id());
    let until = now.saturating_add(lease).as_micros();
    let now_us = now.as_micros();
    transaction::write(conn, |conn| {
        macro_rules! due {
            () => {
                mail_outbox::table
                    .select(mail_outbox::id)
                    .filter(mail_outbox::state.eq(PENDING))
                    .filter(mail_outbox::next_attempt_at.le(now_us))
                    .filter(mail_outbox::claimed_until.is_null().or(mail_outbox::claimed_until.lt(now_us)))
                    .order(mail_outbox::next_attempt_at.asc())
                    .limit(limit)
            };
        }
        let ids: Vec<i64> = match conn {
            DbConnection::Pg(pg) => due!().for_update().skip_locked().load(pg),
            DbConnection::Sqlite(lite) => due!().load(lite),
        }
        .map_err(db_error)?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(mail_outbox::table.filter(mail_outbox::id.eq_any(&ids)))
            .set((mail_outbox::claimed_by.eq(&token), mail_outbox::claimed_until.eq(until)))
            .execute(conn)
            .map_err(db_error)?;
        mail_outbox::table
            .filter(mail_outbox::claimed_by.eq(&token))
            .select(MailRow::as_select())
            .load(conn)
            .map_err(db_error)
    })
}

/// Marks a claimed row sent, only while this claim still holds it (a
/// claim that outlived its lease and was taken over changes nothing).
pub fn mark_sent(conn: &mut DbConnection, id: i64, claim: &str, now: Timestamp) -> Result<(), Error> {
    diesel::update(mail_outbox::table.find(id).filter(mail_outbox::claimed_by.eq(claim)))
        .set((
            mail_outbox::state.eq(SENT),
            mail_outbox::finished_at.eq(Some(now.as_micros())),
            mail_outbox::claimed_by.eq(None::<String>),
            mail_outbox::claimed_until.eq(None::<i64>),
            mail_outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}

/// Schedules another attempt and releases the claim.
pub fn mark_retry(
    conn: &mut DbConnection,
    id: i64,
    attempts: i32,
    next_attempt_at: Timestamp,
    error: &str,
) -> Result<(), Error> {
    diesel::update(mail_outbox::table.find(id))
        .set((
            mail_outbox::attempts.eq(attempts),
            mail_outbox::next_attempt_at.eq(next_attempt_at.as_micros()),
            mail_outbox::claimed_by.eq(None::<String>),
            mail_outbox::claimed_until.eq(None::<i64>),
            mail_outbox::last_error.eq(Some(truncate(error))),
        ))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}

/// Gives a row up for good.
pub fn mark_failed(
    conn: &mut DbConnection,
    id: i64,
    attempts: i32,
    error: &str,
    now: Timestamp,
) -> Result<(), Error> {
    diesel::update(mail_outbox::table.find(id))
        .set((
            mail_outbox::state.eq(FAILED),
            mail_outbox::attempts.eq(attempts),
            mail_outbox::finished_at.eq(Some(now.as_micros())),
            mail_outbox::claimed_by.eq(None::<String>),
            mail_outbox::claimed_until.eq(None::<i64>),
            mail_outbox::last_error.eq(Some(truncate(error))),
        ))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}

/// Gives claimed rows back untouched (the sender stops).
pub fn release(conn: &mut DbConnection, ids: &[i64]) -> Result<(), Error> {
    diesel::update(mail_outbox::table.filter(mail_outbox::id.eq_any(ids)))
        .set((mail_outbox::claimed_by.eq(None::<String>), mail_outbox::claimed_until.eq(None::<i64>)))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}

/// Deletes ended rows older than `before`.
pub fn prune(conn: &mut DbConnection, before: Timestamp) -> Result<usize, Error> {
    diesel::delete(
        mail_outbox::table
            .filter(mail_outbox::state.ne(PENDING))
            .filter(mail_outbox::finished_at.lt(before.as_micros())),
    )
    .execute(conn)
    .map_err(db_error)
}

pub fn count_in_state(conn: &mut DbConnection, state: &str) -> Result<i64, Error> {
    mail_outbox::table.filter(mail_outbox::state.eq(state)).count().get_result(conn).map_err(db_error)
}

/// The earliest time a pending mail is due, for the sender's sleep.
pub fn next_due(conn: &mut DbConnection) -> Result<Option<i64>, Error> {
    mail_outbox::table
        .filter(mail_outbox::state.eq(PENDING))
        .select(diesel::dsl::min(mail_outbox::next_attempt_at))
        .first(conn)
        .map_err(db_error)
}

/// The rows queued for one address, oldest first (for admins and tests).
pub fn for_recipient(conn: &mut DbConnection, recipient: &str) -> Result<Vec<MailRow>, Error> {
    mail_outbox::table
        .filter(mail_outbox::recipient.eq(recipient))
        .order(mail_outbox::id.asc())
        .select(MailRow::as_select())
        .load(conn)
        .map_err(db_error)
}

fn truncate(error: &str) -> String {
    error.chars().take(1000).collect()
}
