//! `received_activities`: the ids of activities already processed.

use diesel::prelude::*;
use maillage_core::time::Timestamp;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::received_activities;

/// Records `ap_id` as received; returns `false` when it already was. Call it
/// first inside the transaction that applies the activity, so that the
/// record and the effect commit (or roll back) together.
pub fn mark_received(conn: &mut DbConnection, ap_id: &str, now: Timestamp) -> Result<bool, Error> {
    let row = (received_activities::ap_id.eq(ap_id), received_activities::received_at.eq(now.as_micros()));
    Ok(crate::insert_or_ignore!(conn, received_activities::table, row)? == 1)
}

/// Forgets ids older than `before`: peers do not redeliver after days.
pub fn prune(conn: &mut DbConnection, before: Timestamp) -> Result<usize, Error> {
    diesel::delete(received_activities::table.filter(received_activities::received_at.lt(before.as_micros())))
        .execute(conn)
        .map_err(db_error)
}
