//! The `instances` table: delivery health per host. A host that has failed
//! without a single success for long enough is marked dead; it is revived
//! when a delivery to it succeeds or when it sends us something.

use diesel::prelude::*;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::instances;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = instances)]
pub struct InstanceRow {
    pub id: i64,
    pub host: String,
    pub failure_count: i32,
    pub first_failure_at: Option<i64>,
    pub last_success_at: Option<i64>,
    pub dead_since: Option<i64>,
    pub updated_at: i64,
}

pub fn find(conn: &mut DbConnection, host: &str) -> Result<Option<InstanceRow>, Error> {
    instances::table
        .filter(instances::host.eq(host))
        .select(InstanceRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

fn find_or_insert(conn: &mut DbConnection, host: &str, now: Timestamp) -> Result<InstanceRow, Error> {
    if let Some(row) = find(conn, host)? {
        return Ok(row);
    }
    let row = InstanceRow {
        id: Id::generate_at(now).as_i64(),
        host: host.to_owned(),
        failure_count: 0,
        first_failure_at: None,
        last_success_at: None,
        dead_since: None,
        updated_at: now.as_micros(),
    };
    crate::insert_or_ignore!(conn, instances::table, &row)?;
    // Another request may have inserted it first: read what is there.
    find(conn, host)?.ok_or_else(|| Error::internal("instance row vanished"))
}

/// The host answered: it is alive, whatever it was before. Returns whether
/// it had been marked dead.
pub fn record_success(conn: &mut DbConnection, host: &str, now: Timestamp) -> Result<bool, Error> {
    let row = find_or_insert(conn, host, now)?;
    if row.failure_count == 0 && row.dead_since.is_none() && row.last_success_at.is_some() {
        return Ok(false);
    }
    diesel::update(instances::table.find(row.id))
        .set((
            instances::failure_count.eq(0),
            instances::first_failure_at.eq(None::<i64>),
            instances::dead_since.eq(None::<i64>),
            instances::last_success_at.eq(Some(now.as_micros())),
            instances::updated_at.eq(now.as_micros()),
        ))
        .execute(conn)
        .map_err(db_error)?;
    Ok(row.dead_since.is_some())
}

/// A delivery failed. Marks the host dead once it has failed for `dead_after`
/// without success; returns whether it is dead now.
pub fn record_failure(
    conn: &mut DbConnection,
    host: &str,
    now: Timestamp,
    dead_after: std::time::Duration,
) -> Result<bool, Error> {
    let row = find_or_insert(conn, host, now)?;
    let first = row.first_failure_at.unwrap_or(now.as_micros());
    let dead = row.dead_since.is_some() || now.saturating_sub(dead_after).as_micros() >= first;
    diesel::update(instances::table.find(row.id))
        .set((
            instances::failure_count.eq(row.failure_count.saturating_add(1)),
            instances::first_failure_at.eq(Some(first)),
            instances::dead_since.eq(if dead {
                Some(row.dead_since.unwrap_or(now.as_micros()))
            } else {
                None
            }),
            instances::updated_at.eq(now.as_micros()),
        ))
        .execute(conn)
        .map_err(db_error)?;
    Ok(dead)
}

pub fn is_dead(conn: &mut DbConnection, host: &str) -> Result<bool, Error> {
    Ok(find(conn, host)?.is_some_and(|r| r.dead_since.is_some()))
}

/// How many other servers this node has heard from.
pub fn count(conn: &mut DbConnection) -> Result<i64, Error> {
    crate::schema::instances::table.count().get_result(conn).map_err(db_error)
}
