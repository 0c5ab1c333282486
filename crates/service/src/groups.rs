//! Collectives, initiatives and projects: `Group` actors that people create
//! and join (at once, or after an admin's approval), locally or from other
//! territories.

use maillage_core::account::{validate_display_name, User, Username};
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::urls::{AnsweredKind, LocalUrls};
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::groups::{self, GroupRow, MembershipRow};
use maillage_db::{transaction, DbConnection};

use crate::actors::{actor_of_user, local_actor_row, NewLocalActor};
use crate::federation::{Outbound, Outgoing};
use crate::keys::generate_keypair;
use crate::text::render_markdown;

mod edit;
mod read;
pub use edit::{managed, update};
pub use read::{
    can_see, can_see_membership, details, find_local, get_visible, mediators, member_count, members_seen_by,
    membership, memberships_of,
};

pub const KINDS: &[&str] = &["collective", "initiative", "project"];
pub const JOIN_POLICIES: &[&str] = &["open", "approval"];
pub const PROJECT_STATUSES: &[&str] = &["idea", "active", "done"];

#[derive(Debug, Clone, Default)]
pub struct NewGroup {
    pub username: String,
    pub display_name: String,
    pub description: String,
    pub kind: String,
    pub place_name: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub website: Option<String>,
    pub join_policy: String,
    pub project_status: Option<String>,
    pub goals: String,
    /// Uploads (by the admin changing it) to show as its avatar and header.
    pub avatar: Option<Id>,
    pub header: Option<Id>,
}

pub(crate) fn check(new: &NewGroup) -> Result<(), Error> {
    let mut problems = Vec::new();
    if let Err(e) = Username::parse_new(&new.username) {
        problems.push(format!("username: {}", e.message()));
    }
    if let Err(e) = validate_display_name(&new.display_name) {
        problems.push(format!("display_name: {}", e.message()));
    } else if new.display_name.trim().is_empty() {
        problems.push("display_name: a group needs a name".into());
    }
    if new.description.chars().count() > 5000 {
        problems.push("description: must be at most 5000 characters".into());
    }
    if !KINDS.contains(&new.kind.as_str()) {
        problems.push(format!("kind: must be one of {}", KINDS.join(", ")));
    }
    if !JOIN_POLICIES.contains(&new.join_policy.as_str()) {
        problems.push(format!("join_policy: must be one of {}", JOIN_POLICIES.join(", ")));
    }
    match (&new.project_status, new.kind.as_str()) {
        (Some(s), "project") if !PROJECT_STATUSES.contains(&s.as_str()) => {
            problems.push(format!("project_status: must be one of {}", PROJECT_STATUSES.join(", ")))
        }
        (Some(_), k) if k != "project" => problems.push("project_status: only projects have one".into()),
        _ => {}
    }
    match (new.latitude, new.longitude) {
        (Some(lat), Some(lon)) if !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)) => {
            problems.push("place: latitude or longitude out of range".into())
        }
        (Some(_), None) | (None, Some(_)) => {
            problems.push("place: latitude and longitude go together".into())
        }
        _ => {}
    }
    if new
        .website
        .as_ref()
        .is_some_and(|w| !(w.starts_with("https://") || w.starts_with("http://")) || w.len() > 500)
    {
        problems.push("website: must be an http(s) URL".into());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::unprocessable(format!("Validation failed: {}", problems.join("; "))))
    }
}

/// `user` creates a group and becomes its admin.
pub fn create(
    conn: &mut DbConnection,
    urls: &LocalUrls,
    user: &User,
    new: &NewGroup,
) -> Result<ActorRow, Error> {
    check(new)?;
    let keys = generate_keypair()?;
    transaction::write(conn, |conn| {
        let creator = actor_of_user(conn, user.id)?;
        let now = Timestamp::now();
        let (latitude, longitude) =
            crate::places::point_or_town(conn, (new.latitude, new.longitude), &new.place_name)?;
        let summary = render_markdown(&new.description, &|_| None);
        let actor = local_actor_row(
            urls,
            &NewLocalActor {
                kind: "Group",
                username: &new.username,
                display_name: new.display_name.trim(),
                summary_html: &summary,
                manually_approves_followers: false,
                purpose: None,
                user_id: None,
            },
            keys.clone(),
            now,
        );
        actors::insert(conn, &actor).map_err(|e| {
            if e.kind() == maillage_core::ErrorKind::Conflict {
                Error::conflict(format!("the name \"{}\" is already taken", new.username))
            } else {
                e
            }
        })?;
        groups::insert_group(conn, &details_of(new, actor.id, (latitude, longitude), now.as_micros()))?;
        groups::insert_membership_or_ignore(
            conn,
            &MembershipRow {
                id: Id::generate_at(now).as_i64(),
                group_id: actor.id,
                member_id: creator.id,
                role: "admin".into(),
                state: "accepted".into(),
                ap_id: None,
                created_at: now.as_micros(),
                updated_at: now.as_micros(),
            },
        )?;
        Ok(actor)
    })
}

/// The details of group `actor_id` as `new` describes them, at `point`.
pub(crate) fn details_of(
    new: &NewGroup,
    actor_id: i64,
    point: (Option<f64>, Option<f64>),
    created_at: i64,
) -> GroupRow {
    GroupRow {
        actor_id,
        kind: new.kind.clone(),
        place_name: new.place_name.trim().to_owned(),
        latitude: point.0,
        longitude: point.1,
        website: new.website.clone(),
        join_policy: new.join_policy.clone(),
        project_status: new.project_status.clone(),
        goals: new.goals.trim().to_owned(),
        created_at,
    }
}

pub(crate) fn group_actor(conn: &mut DbConnection, id: Id) -> Result<ActorRow, Error> {
    actors::find_by_id(conn, id)?
        .filter(|a| a.kind == "Group" && a.purpose.is_none())
        .ok_or_else(|| Error::not_found("Record not found"))
}

/// `user` joins a group: a local open group at once, a local group with
/// approval after an admin says yes, a remote group when it accepts.
pub fn join(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    user: &User,
    group_id: Id,
) -> Result<MembershipRow, Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let group = group_actor(conn, group_id)?;
        if let Some(existing) = groups::find_membership(conn, group.id(), me.id())? {
            return Ok(existing);
        }
        let open = match groups::find_group(conn, group.id())? {
            Some(g) if group.local => g.join_policy == "open",
            _ => false,
        };
        let now = Timestamp::now();
        let id = Id::generate_at(now);
        let row = MembershipRow {
            id: id.as_i64(),
            group_id: group.id,
            member_id: me.id,
            role: "member".into(),
            state: if open { "accepted" } else { "pending" }.into(),
            ap_id: Some(urls.answered_activity(AnsweredKind::Join, id)),
            created_at: now.as_micros(),
            updated_at: now.as_micros(),
        };
        groups::insert_membership_or_ignore(conn, &row)?;
        if group.local && !open {
            tell_managers(conn, &group, &me)?;
        }
        if !group.local {
            outbound.publish(conn, Outgoing::Join { membership: &row, member: &me, group: &group })?;
        }
        Ok(row)
    })
}

pub fn leave(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    user: &User,
    group_id: Id,
) -> Result<(), Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let group = group_actor(conn, group_id)?;
        let row = groups::find_membership(conn, group.id(), me.id())?
            .ok_or_else(|| Error::not_found("Record not found: not a member"))?;
        if group.local && row.is_accepted() && row.role == "admin" && admin_count(conn, group.id())? == 1 {
            return Err(Error::unprocessable(
                "Validation failed: a group keeps at least one admin: make another member admin before leaving",
            ));
        }
        groups::delete_membership(conn, row.id)?;
        if !group.local {
            outbound.publish(conn, Outgoing::Leave { membership: &row, member: &me, group: &group })?;
        }
        Ok(())
    })
}

fn admin_count(conn: &mut DbConnection, group: Id) -> Result<usize, Error> {
    Ok(groups::members(conn, group, false)?.iter().filter(|(m, _)| m.role == "admin").count())
}

/// The admins and moderators of local `group` hear that `member` asks to
/// join it.
pub fn tell_managers(conn: &mut DbConnection, group: &ActorRow, member: &ActorRow) -> Result<(), Error> {
    for (m, manager) in groups::members(conn, group.id(), false)? {
        if m.can_manage() {
            crate::notices::tell_event(conn, &manager, member, "group_request", None)?;
        }
    }
    Ok(())
}

/// An admin or moderator of a local group accepts or refuses a pending
/// member.
pub fn decide(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    user: &User,
    group_id: Id,
    member_id: Id,
    accept: bool,
) -> Result<Option<MembershipRow>, Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let group = group_actor(conn, group_id)?;
        let mine = groups::find_membership(conn, group.id(), me.id())?;
        if !group.local || !mine.as_ref().is_some_and(MembershipRow::can_manage) {
            return Err(Error::forbidden("only the group's admins and moderators decide on members"));
        }
        let row = groups::find_membership(conn, group.id(), member_id)?
            .filter(|m| m.state == "pending")
            .ok_or_else(|| Error::not_found("Record not found: no such pending member"))?;
        let member = actors::find_by_id(conn, member_id)?
            .ok_or_else(|| Error::internal("membership without member"))?;
        if accept {
            groups::accept_membership(conn, row.id, Timestamp::now())?;
        } else {
            groups::delete_membership(conn, row.id)?;
        }
        let reason = if accept { "group_accepted" } else { "group_refused" };
        crate::notices::tell_event(conn, &member, &group, reason, None)?;
        if !member.local {
            outbound.publish(
                conn,
                Outgoing::AnswerJoin { membership: &row, accepted: accept, member: &member, group: &group },
            )?;
        }
        groups::find_membership(conn, group.id(), member_id)
    })
}

/// An admin gives a member of a local group another role.
pub fn set_role(
    conn: &mut DbConnection,
    user: &User,
    group_id: Id,
    member_id: Id,
    role: &str,
) -> Result<MembershipRow, Error> {
    if !["admin", "moderator", "member"].contains(&role) {
        return Err(Error::unprocessable("Validation failed: role: must be one of admin, moderator, member"));
    }
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let group = group_actor(conn, group_id)?;
        let mine = groups::find_membership(conn, group.id(), me.id())?;
        if !group.local || !mine.as_ref().is_some_and(|m| m.is_accepted() && m.role == "admin") {
            return Err(Error::forbidden("only the group's admins change roles"));
        }
        let row = groups::find_membership(conn, group.id(), member_id)?
            .filter(MembershipRow::is_accepted)
            .ok_or_else(|| Error::not_found("Record not found: no such member"))?;
        if row.role == "admin" && role != "admin" && admin_count(conn, group.id())? == 1 {
            return Err(Error::unprocessable("Validation failed: role: a group keeps at least one admin"));
        }
        groups::set_role(conn, row.id, role)?;
        groups::find_membership(conn, group.id(), member_id)?
            .ok_or_else(|| Error::internal("membership vanished"))
    })
}
