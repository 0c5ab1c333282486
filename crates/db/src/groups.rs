//! The `groups` and `memberships` tables: collectives, initiatives and
//! projects, and who belongs to them.

use diesel::prelude::*;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;

use crate::actors::ActorRow;
use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::{actors, groups, memberships};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = groups, primary_key(actor_id), treat_none_as_null = true)]
pub struct GroupRow {
    pub actor_id: i64,
    pub kind: String,
    pub place_name: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub website: Option<String>,
    pub join_policy: String,
    pub project_status: Option<String>,
    pub goals: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = memberships)]
pub struct MembershipRow {
    pub id: i64,
    pub group_id: i64,
    pub member_id: i64,
    pub role: String,
    pub state: String,
    pub ap_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl MembershipRow {
    pub fn is_accepted(&self) -> bool {
        self.state == "accepted"
    }

    pub fn can_manage(&self) -> bool {
        self.is_accepted() && (self.role == "admin" || self.role == "moderator")
    }
}

pub fn insert_group(conn: &mut DbConnection, row: &GroupRow) -> Result<(), Error> {
    diesel::insert_into(groups::table).values(row).execute(conn).map(drop).map_err(db_error)
}

/// The node's own groups with their actors, newest first.
/// Writes every field of a group's row.
pub fn update_group(conn: &mut DbConnection, row: &GroupRow) -> Result<(), Error> {
    diesel::update(groups::table.filter(groups::actor_id.eq(row.actor_id)))
        .set(row)
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}

pub fn local_groups(conn: &mut DbConnection, limit: i64) -> Result<Vec<(GroupRow, ActorRow)>, Error> {
    use crate::schema::actors;
    groups::table
        .inner_join(actors::table.on(actors::id.eq(groups::actor_id)))
        .filter(actors::local.eq(true))
        .order(groups::created_at.desc())
        .limit(limit)
        .select((GroupRow::as_select(), ActorRow::as_select()))
        .load(conn)
        .map_err(db_error)
}

pub fn find_group(conn: &mut DbConnection, actor: Id) -> Result<Option<GroupRow>, Error> {
    groups::table.find(actor.as_i64()).select(GroupRow::as_select()).first(conn).optional().map_err(db_error)
}

/// Inserts unless the member already has a membership; returns whether it
/// went in.
pub fn insert_membership_or_ignore(conn: &mut DbConnection, row: &MembershipRow) -> Result<bool, Error> {
    Ok(crate::insert_or_ignore!(conn, memberships::table, row)? == 1)
}

/// The groups `member` belongs to or asked to join, with the membership.
pub fn memberships_of(conn: &mut DbConnection, member: Id) -> Result<Vec<(MembershipRow, ActorRow)>, Error> {
    memberships::table
        .inner_join(actors::table.on(actors::id.eq(memberships::group_id)))
        .filter(memberships::member_id.eq(member.as_i64()))
        .select((MembershipRow::as_select(), ActorRow::as_select()))
        .order(memberships::id.asc())
        .load(conn)
        .map_err(db_error)
}

pub fn find_membership(
    conn: &mut DbConnection,
    group: Id,
    member: Id,
) -> Result<Option<MembershipRow>, Error> {
    memberships::table
        .filter(memberships::group_id.eq(group.as_i64()))
        .filter(memberships::member_id.eq(member.as_i64()))
        .select(MembershipRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn find_membership_by_ap_id(
    conn: &mut DbConnection,
    ap_id: &str,
) -> Result<Option<MembershipRow>, Error> {
    memberships::table
        .filter(memberships::ap_id.eq(ap_id))
        .select(MembershipRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn accept_membership(conn: &mut DbConnection, id: i64, now: Timestamp) -> Result<bool, Error> {
    diesel::update(memberships::table.find(id).filter(memberships::state.eq("pending")))
        .set((memberships::state.eq("accepted"), memberships::updated_at.eq(now.as_micros())))
        .execute(conn)
        .map(|n| n == 1)
        .map_err(db_error)
}

pub fn delete_membership(conn: &mut DbConnection, id: i64) -> Result<(), Error> {
    diesel::delete(memberships::table.find(id)).execute(conn).map(drop).map_err(db_error)
}

/// Members of a group (accepted, or pending too), oldest first.
pub fn members(
    conn: &mut DbConnection,
    group: Id,
    include_pending: bool,
) -> Result<Vec<(MembershipRow, ActorRow)>, Error> {
    let mut q = memberships::table
        .inner_join(actors::table.on(actors::id.eq(memberships::member_id)))
        .filter(memberships::group_id.eq(group.as_i64()))
        .select((MembershipRow::as_select(), ActorRow::as_select()))
        .order(memberships::id.asc())
        .into_boxed();
    if !include_pending {
        q = q.filter(memberships::state.eq("accepted"));
    }
    q.load(conn).map_err(db_error)
}

pub fn set_role(conn: &mut DbConnection, id: i64, role: &str) -> Result<(), Error> {
    diesel::update(memberships::table.find(id))
        .set(memberships::role.eq(role))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}

/// Names or unnames a member as one of the group's mediators.
pub fn set_mediator(conn: &mut DbConnection, id: i64, mediator: bool) -> Result<(), Error> {
    diesel::update(memberships::table.find(id))
        .set(memberships::mediator.eq(mediator))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}

/// The accepted members of `group` named mediators.
pub fn mediators(conn: &mut DbConnection, group: Id) -> Result<Vec<i64>, Error> {
    memberships::table
        .filter(memberships::group_id.eq(group.as_i64()))
        .filter(memberships::state.eq("accepted"))
        .filter(memberships::mediator.eq(true))
        .select(memberships::member_id)
        .load(conn)
        .map_err(db_error)
}
