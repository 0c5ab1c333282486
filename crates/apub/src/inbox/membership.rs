//! Group membership from other servers: `Join` and `Leave` addressed to our
//! groups, and the `Accept` or `Reject` of a `Join` one of our people sent.

use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::groups::{self, MembershipRow};
use maillage_service::federation::{Outbound, Outgoing};
use serde_json::Value;

use super::outcome::{apply, Outcome};
use crate::context::Data;
use crate::outbound::ApubOutbound;
use crate::protocol::activity::Envelope;
use crate::protocol::values::first_id;

/// Someone asks to join one of our groups: in at once if the group is open
/// (and told so), pending an admin's decision otherwise.
pub async fn join(data: &Data, env: Envelope, actor: ActorRow) -> Result<Outcome, Error> {
    let group_id = env.object_id().ok_or_else(|| Error::bad_request("Join without object"))?;
    let outbound = ApubOutbound::new((*data.urls).clone());
    let join_id = env.id.to_string();
    apply(data, &env.id, move |conn| {
        let Some(group) = actors::find_by_ap_id(conn, &group_id)?
            .filter(|g| g.local && g.kind == "Group" && g.purpose.is_none())
        else {
            return Ok(Outcome::Ignored("Join of something that is not one of our groups".into()));
        };
        let Some(info) = groups::find_group(conn, group.id())? else {
            return Ok(Outcome::Ignored("Join of a group without settings".into()));
        };
        let now = Timestamp::now();
        let row = MembershipRow {
            id: Id::generate_at(now).as_i64(),
            group_id: group.id,
            member_id: actor.id,
            role: "member".into(),
            state: if info.join_policy == "open" { "accepted" } else { "pending" }.into(),
            ap_id: Some(join_id),
            created_at: now.as_micros(),
            updated_at: now.as_micros(),
        };
        groups::insert_membership_or_ignore(conn, &row)?;
        let current = groups::find_membership(conn, group.id(), actor.id())?
            .ok_or_else(|| Error::internal("membership vanished"))?;
        if current.is_accepted() {
            outbound.publish(
                conn,
                Outgoing::AnswerJoin { membership: &current, accepted: true, member: &actor, group: &group },
            )?;
        } else if current.id == row.id {
            maillage_service::groups::tell_managers(conn, &group, &actor)?;
        }
        Ok(Outcome::Applied)
    })
    .await
}

pub async fn leave(data: &Data, env: Envelope, actor: ActorRow) -> Result<Outcome, Error> {
    let group_id = env.object_id().ok_or_else(|| Error::bad_request("Leave without object"))?;
    apply(data, &env.id, move |conn| {
        let Some(group) = actors::find_by_ap_id(conn, &group_id)?.filter(|g| g.local) else {
            return Ok(Outcome::Ignored("Leave of a group that is not ours".into()));
        };
        if let Some(m) = groups::find_membership(conn, group.id(), actor.id())? {
            groups::delete_membership(conn, m.id)?;
        }
        Ok(Outcome::Applied)
    })
    .await
}

/// Whether an Accept or Reject answers a Join: embedded, or by the id of a
/// membership request we sent.
pub async fn is_join_answer(data: &Data, env: &Envelope) -> Result<bool, Error> {
    if env.object_type() == Some("Join") {
        return Ok(true);
    }
    let Some(id) = env.object_id() else { return Ok(false) };
    data.db.run(move |conn| Ok(groups::find_membership_by_ap_id(conn, &id)?.is_some())).await
}

/// A remote group answered one of our people: only that group may.
pub async fn answer(data: &Data, env: Envelope, actor: ActorRow) -> Result<Outcome, Error> {
    let object = env.object.clone().unwrap_or(Value::Null);
    let join_id = first_id(&object);
    let accepted = env.kind == "Accept";
    apply(data, &env.id, move |conn| {
        let by_id = match &join_id {
            Some(id) => groups::find_membership_by_ap_id(conn, id)?,
            None => None,
        };
        let by_member = match object.get("actor").and_then(first_id) {
            Some(member) => match actors::find_by_ap_id(conn, &member)? {
                Some(m) => groups::find_membership(conn, actor.id(), m.id())?,
                None => None,
            },
            None => None,
        };
        let Some(membership) = by_id.or(by_member) else {
            return Ok(Outcome::Ignored("answer to an unknown Join".into()));
        };
        if membership.group_id != actor.id {
            return Err(Error::forbidden("only the group can answer a Join"));
        }
        if accepted {
            groups::accept_membership(conn, membership.id, Timestamp::now())?;
        } else {
            groups::delete_membership(conn, membership.id)?;
        }
        Ok(Outcome::Applied)
    })
    .await
}
