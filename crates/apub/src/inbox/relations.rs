//! Follow, Accept, Reject and Undo.

use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::follows::{self, FollowRow, ACCEPTED, PENDING};
use maillage_db::interactions;
use maillage_service::actors::{PURPOSE_INSTANCE, PURPOSE_TERRITORY};
use maillage_service::federation::{Outbound, Outgoing};
use maillage_service::links;
use serde_json::Value;

use super::outcome::{apply, Outcome};
use crate::context::Data;
use crate::outbound::ApubOutbound;
use crate::protocol::activity::Envelope;
use crate::protocol::values::first_id;

/// Someone follows one of our actors: accepted at once unless the actor
/// approves followers by hand; a repeated Follow gets its Accept again.
pub async fn follow(data: &Data, env: Envelope, json: Value, actor: ActorRow) -> Result<Outcome, Error> {
    let target_id = env.object_id().ok_or_else(|| Error::bad_request("Follow without object"))?;
    let outbound = ApubOutbound::new((*data.urls).clone());
    let follow_ap_id = env.id.to_string();
    let link_level = json.get("territoryLink").and_then(Value::as_str).map(str::to_owned);
    apply(data, &env.id, move |conn| {
        let Some(target) = actors::find_by_ap_id(conn, &target_id)?.filter(|t| t.local) else {
            return Ok(Outcome::Ignored("Follow of an actor that is not ours".into()));
        };
        if target.purpose.as_deref() == Some(PURPOSE_INSTANCE) {
            return Ok(Outcome::Ignored("the instance actor cannot be followed".into()));
        }
        if let (Some(level), Some(PURPOSE_TERRITORY)) = (link_level.as_deref(), target.purpose.as_deref()) {
            if actor.kind != "Group" {
                return Err(Error::unprocessable(
                    "only a territory's Group actor can ask for a territory link",
                ));
            }
            links::on_link_follow(conn, &outbound, &target, &actor, &follow_ap_id, level)?;
            return Ok(Outcome::Applied);
        }
        let now = Timestamp::now();
        let follow = match follows::find(conn, actor.id(), target.id())? {
            Some(existing) => existing,
            None => {
                let row = FollowRow {
                    id: Id::generate_at(now).as_i64(),
                    ap_id: follow_ap_id,
                    follower_id: actor.id,
                    followed_id: target.id,
                    state: if target.manually_approves_followers { PENDING } else { ACCEPTED }.to_owned(),
                    created_at: now.as_micros(),
                    updated_at: now.as_micros(),
                };
                follows::insert(conn, &row)?;
                maillage_service::notices::tell_followed(conn, &actor, &target, row.is_accepted())?;
                row
            }
        };
        if follow.is_accepted() {
            outbound.publish(
                conn,
                Outgoing::AcceptFollow { follow: &follow, follower: &actor, target: &target },
            )?;
        }
        Ok(Outcome::Applied)
    })
    .await
}

/// The follow this Accept, Reject or Undo is about, found by its id or, for
/// peers that do not keep ids, by who follows whom.
fn find_follow(
    conn: &mut maillage_db::DbConnection,
    object: &Value,
    follower: Option<&ActorRow>,
    followed: Option<&ActorRow>,
) -> Result<Option<FollowRow>, Error> {
    if let Some(id) = first_id(object) {
        if let Some(f) = follows::find_by_ap_id(conn, &id)? {
            return Ok(Some(f));
        }
    }
    let find_actor = |conn: &mut maillage_db::DbConnection, key: &str| -> Result<Option<ActorRow>, Error> {
        match object.get(key).and_then(first_id) {
            Some(id) => actors::find_by_ap_id(conn, &id),
            None => Ok(None),
        }
    };
    let follower = match follower {
        Some(a) => Some(a.clone()),
        None => find_actor(conn, "actor")?,
    };
    let followed = match followed {
        Some(a) => Some(a.clone()),
        None => find_actor(conn, "object")?,
    };
    match (follower, followed) {
        (Some(a), Some(b)) => follows::find(conn, a.id(), b.id()),
        _ => Ok(None),
    }
}

/// Accept or Reject of a follow one of ours sent: only the followed actor
/// may answer it.
pub async fn answer(data: &Data, env: Envelope, actor: ActorRow) -> Result<Outcome, Error> {
    let object = env.object.clone().ok_or_else(|| Error::bad_request("Accept without object"))?;
    let accept = env.kind == "Accept";
    let urls = data.urls.clone();
    apply(data, &env.id, move |conn| {
        let Some(follow) = find_follow(conn, &object, None, Some(&actor))? else {
            return Ok(Outcome::Ignored("answer to an unknown follow".into()));
        };
        if follow.followed_id != actor.id {
            return Err(Error::forbidden("only the followed actor can answer a follow"));
        }
        let territory =
            actors::find_by_purpose(conn, PURPOSE_TERRITORY)?.filter(|t| t.id == follow.follower_id);
        if accept {
            follows::set_state(conn, follow.id, ACCEPTED, Timestamp::now())?;
            if let Some(territory) = territory {
                links::on_follow_accepted(conn, &territory, &actor)?;
            }
        } else {
            follows::delete(conn, follow.id)?;
            if let Some(territory) = territory {
                let outbound = ApubOutbound::new((*urls).clone());
                links::on_partner_ended(conn, &outbound, &territory, &actor)?;
            }
        }
        Ok(Outcome::Applied)
    })
    .await
}

/// Undo of a Follow, Like or Announce: only by whoever did it.
pub async fn undo(data: &Data, env: Envelope, actor: ActorRow) -> Result<Outcome, Error> {
    let object = env.object.clone().ok_or_else(|| Error::bad_request("Undo without object"))?;
    let inner_id = first_id(&object);
    let inner_type = object.get("type").and_then(Value::as_str).map(str::to_owned);
    if let Some(inner_actor) = object.get("actor").and_then(first_id) {
        if inner_actor != actor.ap_id {
            return Err(Error::forbidden("only the actor of an activity can undo it"));
        }
    }
    let outbound = ApubOutbound::new((*data.urls).clone());
    apply(data, &env.id, move |conn| {
        let is = |t: &str| inner_type.as_deref().is_none_or(|k| k == t);
        if is("Follow") {
            if let Some(follow) = find_follow(conn, &object, Some(&actor), None)? {
                if follow.follower_id != actor.id {
                    return Err(Error::forbidden("only the follower can undo a follow"));
                }
                follows::delete(conn, follow.id)?;
                if let Some(territory) =
                    actors::find_by_purpose(conn, PURPOSE_TERRITORY)?.filter(|t| t.id == follow.followed_id)
                {
                    links::on_partner_ended(conn, &outbound, &territory, &actor)?;
                }
                return Ok(Outcome::Applied);
            }
        }
        if let Some(id) = inner_id.as_deref() {
            if is("Like") {
                if let Some(like) = interactions::find_like_by_ap_id(conn, id)? {
                    if like.actor_id != actor.id {
                        return Err(Error::forbidden("only its author can undo a like"));
                    }
                    interactions::delete_like(conn, like.id)?;
                    return Ok(Outcome::Applied);
                }
            }
            if is("Announce") {
                if let Some(ann) = interactions::find_announce_by_ap_id(conn, id)? {
                    if ann.actor_id != actor.id {
                        return Err(Error::forbidden("only its author can undo a boost"));
                    }
                    interactions::delete_announce(conn, ann.id)?;
                    return Ok(Outcome::Applied);
                }
            }
        }
        Ok(Outcome::Ignored("undo of something unknown".into()))
    })
    .await
}
