//! Reading groups: a group is public, its accepted members too; who may
//! see a membership is [`can_see_membership`]'s rule (pending requests are
//! shown to the group's managers only).

use maillage_core::id::Id;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::groups::{self, GroupRow, MembershipRow};
use maillage_db::DbConnection;

/// Whether `viewer` may see `actor` as a group: groups are public.
pub fn can_see(actor: &ActorRow, _viewer: Option<&ActorRow>) -> bool {
    actor.kind == "Group"
}

/// Group `id` if `viewer` may see it; 404 otherwise.
pub fn get_visible(conn: &mut DbConnection, id: Id, viewer: Option<&ActorRow>) -> Result<ActorRow, Error> {
    match actors::find_by_id(conn, id)? {
        Some(actor) if can_see(&actor, viewer) => Ok(actor),
        _ => Err(Error::not_found("Record not found")),
    }
}

/// The local group called `name` (any case), if there is one.
pub fn find_local(conn: &mut DbConnection, name: &str) -> Result<Option<ActorRow>, Error> {
    Ok(actors::find_local_by_username(conn, &name.to_lowercase())?.filter(|a| can_see(a, None)))
}

/// What a group is (kind, place, goals…), when it says.
pub fn details(conn: &mut DbConnection, group: Id) -> Result<Option<GroupRow>, Error> {
    groups::find_group(conn, group)
}

/// Whether a viewer whose own membership of the group is `viewers` may see
/// `membership`: accepted members everyone, pending requests the group's
/// managers only.
pub fn can_see_membership(membership: &MembershipRow, viewers: Option<&MembershipRow>) -> bool {
    membership.is_accepted() || viewers.is_some_and(MembershipRow::can_manage)
}

/// `member`'s membership of `group` (accepted or pending), if any.
pub fn membership(conn: &mut DbConnection, group: Id, member: Id) -> Result<Option<MembershipRow>, Error> {
    groups::find_membership(conn, group, member)
}

/// The members of `group` that `viewer` may see, oldest first.
pub fn members_seen_by(
    conn: &mut DbConnection,
    group: Id,
    viewer: Option<&ActorRow>,
) -> Result<Vec<(MembershipRow, ActorRow)>, Error> {
    let viewers = match viewer {
        Some(v) => groups::find_membership(conn, group, v.id())?,
        None => None,
    };
    Ok(groups::members(conn, group, true)?
        .into_iter()
        .filter(|(m, _)| can_see_membership(m, viewers.as_ref()))
        .collect())
}

/// How many accepted members `group` has.
pub fn member_count(conn: &mut DbConnection, group: Id) -> Result<usize, Error> {
    Ok(groups::members(conn, group, false)?.len())
}

/// The accepted members of `group` named mediators.
pub fn mediators(conn: &mut DbConnection, group: Id) -> Result<Vec<i64>, Error> {
    groups::mediators(conn, group)
}

/// The groups `member` belongs to or asked to join, with each group.
pub fn memberships_of(conn: &mut DbConnection, member: Id) -> Result<Vec<(MembershipRow, ActorRow)>, Error> {
    groups::memberships_of(conn, member)
}
