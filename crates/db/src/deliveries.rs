//! The persistent delivery queue. Rows are written in the transaction of
//! the change that caused them, claimed by workers with a lease, and kept
//! for a while after they end.
//!
//! Claiming takes due rows whose lease is free and stamps them with a fresh
//! claim token; on PostgreSQL the selection uses `FOR UPDATE SKIP LOCKED`,
//! so several processes never claim the same row. A worker that dies leaves
//! its rows to be claimed again when the lease runs out.

use diesel::prelude::*;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::deliveries;
use crate::transaction;

pub const PENDING: &str = "pending";
pub const DELIVERED: &str = "delivered";
pub const FAILED: &str = "failed";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = deliveries)]
pub struct DeliveryRow {
    pub id: i64,
    pub activity_ap_id: String,
    pub payload: String,
    pub signer_id: i64,
    pub inbox_url: String,
    pub host: String,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

/// The host part of an inbox URL, with its port: deliveries are grouped
/// (and instances tracked) by it.
pub fn host_of(inbox: &str) -> Option<String> {
    let url = url::Url::parse(inbox).ok()?;
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

/// Queues one activity for each inbox; inboxes that are not URLs are
/// skipped. Returns how many rows were queued.
pub fn enqueue(
    conn: &mut DbConnection,
    activity_ap_id: &str,
    payload: &str,
    signer: Id,
    inboxes: &[String],
    now: Timestamp,
) -> Result<usize, Error> {
    let rows: Vec<DeliveryRow> = inboxes
        .iter()
        .filter_map(|inbox| {
            Some(DeliveryRow {
                id: Id::generate_at(now).as_i64(),
                activity_ap_id: activity_ap_id.to_owned(),
                payload: payload.to_owned(),
                signer_id: signer.as_i64(),
                host: host_of(inbox)?,
                inbox_url: inbox.clone(),
                state: PENDING.to_owned(),
                attempts: 0,
                next_attempt_at: now.as_micros(),
                claimed_by: None,
                claimed_until: None,
                last_error: None,
                created_at: now.as_micros(),
                finished_at: None,
            })
        })
        .collect();
    for chunk in rows.chunks(500) {
        crate::batch_insert!(conn, deliveries::table, chunk)?;
    }
    Ok(rows.len())
}

/// Claims up to `limit` due rows for `lease`, leaving out `busy_hosts`
/// (hosts whose in-flight deliveries are at their limit).
pub fn claim(
    conn: &mut DbConnection,
    now: Timestamp,
    lease: std::time::Duration,
    limit: i64,
    busy_hosts: &[String],
) -> Result<Vec<DeliveryRow>, Error> {
    let token = format!("{:016x}", rand_token());
    let until = now.saturating_add(lease).as_micros();
    let now_us = now.as_micros();
    transaction::write(conn, |conn| {
        macro_rules! due {
            () => {
                deliveries::table
                    .select(deliveries::id)
                    .filter(deliveries::state.eq(PENDING))
                    .filter(deliveries::next_attempt_at.le(now_us))
                    .filter(deliveries::claimed_until.is_null().or(deliveries::claimed_until.lt(now_us)))
                    .filter(deliveries::host.ne_all(busy_hosts.to_vec()))
                    .order(deliveries::next_attempt_at.asc())
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
        diesel::update(deliveries::table.filter(deliveries::id.eq_any(&ids)))
            .set((deliveries::claimed_by.eq(&token), deliveries::claimed_until.eq(until)))
            .execute(conn)
            .map_err(db_error)?;
        deliveries::table
            .filter(deliveries::claimed_by.eq(&token))
            .select(DeliveryRow::as_select())
            .load(conn)
            .map_err(db_error)
    })
}

fn rand_token() -> u64 {
    // Id generation already mixes time and a random per-process sequence.
    let id = Id::generate().as_i64() as u64;
    id ^ (std::process::id() as u64).rotate_left(40)
}

pub fn mark_delivered(conn: &mut DbConnection, id: i64, now: Timestamp) -> Result<(), Error> {
    diesel::update(deliveries::table.find(id))
        .set((
            deliveries::state.eq(DELIVERED),
            deliveries::finished_at.eq(Some(now.as_micros())),
            deliveries::claimed_by.eq(None::<String>),
            deliveries::claimed_until.eq(None::<i64>),
            deliveries::last_error.eq(None::<String>),
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
    diesel::update(deliveries::table.find(id))
        .set((
            deliveries::attempts.eq(attempts),
            deliveries::next_attempt_at.eq(next_attempt_at.as_micros()),
            deliveries::claimed_by.eq(None::<String>),
            deliveries::claimed_until.eq(None::<i64>),
            deliveries::last_error.eq(Some(truncate(error))),
        ))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}

pub fn mark_failed(
    conn: &mut DbConnection,
    id: i64,
    attempts: i32,
    error: &str,
    now: Timestamp,
) -> Result<(), Error> {
    diesel::update(deliveries::table.find(id))
        .set((
            deliveries::state.eq(FAILED),
            deliveries::attempts.eq(attempts),
            deliveries::finished_at.eq(Some(now.as_micros())),
            deliveries::claimed_by.eq(None::<String>),
            deliveries::claimed_until.eq(None::<i64>),
            deliveries::last_error.eq(Some(truncate(error))),
        ))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}

/// Makes every pending delivery to `host` due now (the host came back).
pub fn wake_host(conn: &mut DbConnection, host: &str, now: Timestamp) -> Result<usize, Error> {
    diesel::update(
        deliveries::table
            .filter(deliveries::host.eq(host))
            .filter(deliveries::state.eq(PENDING))
            .filter(deliveries::next_attempt_at.gt(now.as_micros())),
    )
    .set(deliveries::next_attempt_at.eq(now.as_micros()))
    .execute(conn)
    .map_err(db_error)
}

/// Deletes ended rows older than `before`.
pub fn prune(conn: &mut DbConnection, before: Timestamp) -> Result<usize, Error> {
    diesel::delete(
        deliveries::table
            .filter(deliveries::state.ne(PENDING))
            .filter(deliveries::finished_at.lt(before.as_micros())),
    )
    .execute(conn)
    .map_err(db_error)
}

pub fn count_in_state(conn: &mut DbConnection, state: &str) -> Result<i64, Error> {
    deliveries::table.filter(deliveries::state.eq(state)).count().get_result(conn).map_err(db_error)
}

/// The earliest time a pending delivery is due, for the worker's sleep.
pub fn next_due(conn: &mut DbConnection) -> Result<Option<i64>, Error> {
    deliveries::table
        .filter(deliveries::state.eq(PENDING))
        .select(diesel::dsl::min(deliveries::next_attempt_at))
        .first(conn)
        .map_err(db_error)
}

fn truncate(error: &str) -> String {
    error.chars().take(1000).collect()
}

/// Gives claimed rows back untouched (the worker took more than it can run).
pub fn release(conn: &mut DbConnection, ids: &[i64]) -> Result<(), Error> {
    diesel::update(deliveries::table.filter(deliveries::id.eq_any(ids)))
        .set((deliveries::claimed_by.eq(None::<String>), deliveries::claimed_until.eq(None::<i64>)))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}
