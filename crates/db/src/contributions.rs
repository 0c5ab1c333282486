//! Hours members give to projects, and each agreement party's confirmation
//! that it was fulfilled.

use diesel::prelude::*;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::{agreement_confirmations, contributions};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = contributions)]
pub struct ContributionRow {
    pub id: i64,
    pub group_id: i64,
    pub member_id: i64,
    pub minutes: i64,
    pub form: String,
    pub note: String,
    pub worked_on: i64,
    pub state: String,
    pub decided_by: Option<i64>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

pub fn insert(conn: &mut DbConnection, row: &ContributionRow) -> Result<(), Error> {
    diesel::insert_into(contributions::table).values(row).execute(conn).map(drop).map_err(db_error)
}

pub fn find(conn: &mut DbConnection, id: Id) -> Result<Option<ContributionRow>, Error> {
    contributions::table
        .find(id.as_i64())
        .select(ContributionRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// Decides a pending contribution; false when it was decided already.
pub fn decide(conn: &mut DbConnection, id: Id, to: &str, by: Id, now: Timestamp) -> Result<bool, Error> {
    diesel::update(contributions::table.find(id.as_i64()).filter(contributions::state.eq("pending")))
        .set((
            contributions::state.eq(to),
            contributions::decided_by.eq(Some(by.as_i64())),
            contributions::decided_at.eq(Some(now.as_micros())),
        ))
        .execute(conn)
        .map(|n| n == 1)
        .map_err(db_error)
}

/// A project's contributions in `states`, newest work first.
pub fn of_group(conn: &mut DbConnection, group: Id, states: &[&str]) -> Result<Vec<ContributionRow>, Error> {
    contributions::table
        .filter(contributions::group_id.eq(group.as_i64()))
        .filter(contributions::state.eq_any(states.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()))
        .order((contributions::worked_on.desc(), contributions::id.desc()))
        .limit(1000)
        .select(ContributionRow::as_select())
        .load(conn)
        .map_err(db_error)
}

/// Confirmed contributions worked on from `since`, for the dashboard.
pub fn confirmed_since(conn: &mut DbConnection, since: i64) -> Result<Vec<ContributionRow>, Error> {
    contributions::table
        .filter(contributions::state.eq("confirmed"))
        .filter(contributions::worked_on.ge(since))
        .select(ContributionRow::as_select())
        .load(conn)
        .map_err(db_error)
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = agreement_confirmations)]
pub struct ConfirmationRow {
    pub agreement_id: i64,
    pub actor_id: i64,
    pub minutes: i64,
    pub activity_uri: Option<String>,
    pub held_from: Option<i64>,
    pub held_to: Option<i64>,
    pub created_at: i64,
}

/// Records a confirmation; false when this party had confirmed already.
pub fn confirm(conn: &mut DbConnection, row: &ConfirmationRow) -> Result<bool, Error> {
    Ok(crate::insert_or_ignore!(conn, agreement_confirmations::table, row)? == 1)
}

pub fn confirmations(conn: &mut DbConnection, agreement: i64) -> Result<Vec<ConfirmationRow>, Error> {
    agreement_confirmations::table
        .filter(agreement_confirmations::agreement_id.eq(agreement))
        .select(ConfirmationRow::as_select())
        .load(conn)
        .map_err(db_error)
}
