//! Hours members give to a project (a group): recorded by the member with
//! the form of work, confirmed or refused by one of the project's admins,
//! and summed on the project's page by person and form.

use std::collections::BTreeMap;

use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::ledger::{check_form, hours_of_minutes, minutes_of_hours};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::contributions::{self, ContributionRow};
use maillage_db::groups::find_membership;
use maillage_db::{transaction, DbConnection};

use crate::actors::actor_of_user;

pub const NOTE_MAX: usize = 500;

/// What a member says they gave.
#[derive(Debug, Clone)]
pub struct NewContribution {
    pub hours: f64,
    pub form: String,
    pub note: String,
    pub worked_on: Option<Timestamp>,
}

fn local_group(conn: &mut DbConnection, id: Id) -> Result<ActorRow, Error> {
    actors::find_by_id(conn, id)?
        .filter(|g| g.local && g.kind == "Group" && g.purpose.is_none())
        .ok_or_else(|| Error::not_found("Record not found"))
}

fn role_in(conn: &mut DbConnection, group: Id, who: Id) -> Result<Option<String>, Error> {
    Ok(find_membership(conn, group, who)?.filter(|m| m.is_accepted()).map(|m| m.role))
}

pub fn record(
    conn: &mut DbConnection,
    user: &User,
    group: Id,
    new: &NewContribution,
) -> Result<ContributionRow, Error> {
    let minutes = minutes_of_hours("hours", new.hours)?;
    check_form(&new.form)?;
    if new.note.chars().count() > NOTE_MAX {
        return Err(Error::unprocessable(format!("Validation failed: note: at most {NOTE_MAX} characters")));
    }
    let now = Timestamp::now();
    let worked_on = new.worked_on.unwrap_or(now);
    if worked_on.as_micros() > now.as_micros() + 86_400_000_000 {
        return Err(Error::unprocessable("Validation failed: worked_on: must not be in the future"));
    }
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let group = local_group(conn, group)?;
        if role_in(conn, group.id(), me.id())?.is_none() {
            return Err(Error::forbidden("only the project's members record their contributions"));
        }
        let row = ContributionRow {
            id: Id::generate_at(now).as_i64(),
            group_id: group.id,
            member_id: me.id,
            minutes,
            form: new.form.clone(),
            note: new.note.trim().to_owned(),
            worked_on: worked_on.as_micros(),
            state: "pending".into(),
            decided_by: None,
            created_at: now.as_micros(),
            decided_at: None,
        };
        contributions::insert(conn, &row)?;
        Ok(row)
    })
}

/// A project admin confirms or refuses a pending contribution (not their
/// own: someone else vouches for it).
pub fn decide(
    conn: &mut DbConnection,
    user: &User,
    group: Id,
    id: Id,
    confirm: bool,
) -> Result<ContributionRow, Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let group = local_group(conn, group)?;
        let row = contributions::find(conn, id)?
            .filter(|c| c.group_id == group.id)
            .ok_or_else(|| Error::not_found("Record not found"))?;
        if role_in(conn, group.id(), me.id())?.as_deref() != Some("admin") {
            return Err(Error::forbidden("only the project's admins confirm contributions"));
        }
        if row.member_id == me.id {
            return Err(Error::unprocessable(
                "Validation failed: contribution: another admin confirms your own",
            ));
        }
        let to = if confirm { "confirmed" } else { "rejected" };
        if !contributions::decide(conn, id, to, me.id(), Timestamp::now())? {
            return Err(Error::unprocessable(format!(
                "Validation failed: state: this contribution is {}",
                row.state
            )));
        }
        contributions::find(conn, id)?.ok_or_else(|| Error::internal("contribution vanished"))
    })
}

/// A project's contributions: the confirmed ones for everyone; pending
/// ones too for its admins and for whoever recorded them.
pub fn of_project(
    conn: &mut DbConnection,
    viewer: Option<&ActorRow>,
    group: Id,
) -> Result<(ActorRow, Vec<ContributionRow>), Error> {
    let group = local_group(conn, group)?;
    let is_admin = match viewer {
        Some(v) => role_in(conn, group.id(), v.id())?.as_deref() == Some("admin"),
        None => false,
    };
    let rows = contributions::of_group(conn, group.id(), &["confirmed", "pending"])?
        .into_iter()
        .filter(|c| c.state == "confirmed" || is_admin || viewer.is_some_and(|v| v.id == c.member_id))
        .collect();
    Ok((group, rows))
}

/// Confirmed hours per member and form of work.
pub fn totals(rows: &[ContributionRow]) -> BTreeMap<i64, BTreeMap<String, f64>> {
    let mut out: BTreeMap<i64, BTreeMap<String, i64>> = BTreeMap::new();
    for c in rows.iter().filter(|c| c.state == "confirmed") {
        *out.entry(c.member_id).or_default().entry(c.form.clone()).or_default() += c.minutes;
    }
    out.into_iter()
        .map(|(m, forms)| (m, forms.into_iter().map(|(f, min)| (f, hours_of_minutes(min))).collect()))
        .collect()
}
