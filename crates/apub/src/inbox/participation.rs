//! Taking part in sessions from other servers: `Join` and `Leave` of our
//! sessions, and the `Accept` of a `Join` one of our people sent.

use maillage_core::id::Id;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::sessions;
use maillage_service::sessions::{admit, release};

use super::outcome::{apply, Outcome};
use crate::context::Data;
use crate::outbound::ApubOutbound;
use crate::protocol::activity::Envelope;

/// Whether a Join or Leave is about a session we know.
pub async fn is_about_session(data: &Data, env: &Envelope) -> Result<bool, Error> {
    let Some(id) = env.object_id() else { return Ok(false) };
    data.db.run(move |conn| Ok(sessions::find_by_ap_id(conn, &id)?.is_some())).await
}

/// Someone takes part in (or leaves) one of our sessions: a place while
/// places remain, the waiting list after; leaving promotes the first
/// waiting.
pub async fn join_or_leave(data: &Data, env: Envelope, actor: ActorRow) -> Result<Outcome, Error> {
    let session_id = env.object_id().ok_or_else(|| Error::bad_request("Join without object"))?;
    let outbound = ApubOutbound::new((*data.urls).clone());
    let joining = env.kind == "Join";
    let join_id = env.id.to_string();
    apply(data, &env.id, move |conn| {
        let Some(found) =
            sessions::find_by_ap_id(conn, &session_id)?.filter(|s| s.local && s.deleted_at.is_none())
        else {
            return Ok(Outcome::Ignored("Join of a session that is not ours".into()));
        };
        let session = sessions::lock_for_update(conn, found.id(), maillage_core::time::Timestamp::now())?
            .ok_or_else(|| Error::internal("session vanished"))?;
        if joining {
            admit(conn, &outbound, &session, &actor, join_id)?;
        } else {
            release(conn, &outbound, &session, &actor)?;
        }
        Ok(Outcome::Applied)
    })
    .await
}

/// Whether an Accept or Reject answers a Join of a session we sent.
pub async fn is_answer(data: &Data, env: &Envelope) -> Result<bool, Error> {
    let Some(id) = env.object_id() else { return Ok(false) };
    data.db.run(move |conn| Ok(sessions::find_participation_by_ap_id(conn, &id)?.is_some())).await
}

/// The organizer's server gave us a place (or refused): only it may.
pub async fn answer(data: &Data, env: Envelope, actor: ActorRow) -> Result<Outcome, Error> {
    let join_id = env.object_id().ok_or_else(|| Error::bad_request("answer without object"))?;
    let accepted = env.kind == "Accept";
    apply(data, &env.id, move |conn| {
        let Some(participation) = sessions::find_participation_by_ap_id(conn, &join_id)? else {
            return Ok(Outcome::Ignored("answer to an unknown Join".into()));
        };
        let session = sessions::find_by_id(conn, Id::from_i64(participation.session_id))?
            .ok_or_else(|| Error::internal("participation without session"))?;
        if session.organizer_id != actor.id {
            return Err(Error::forbidden("only the organizer can answer a Join"));
        }
        if accepted {
            sessions::set_participation_state(conn, participation.id, "going")?;
        } else {
            sessions::delete_participation(conn, participation.id)?;
        }
        Ok(Outcome::Applied)
    })
    .await
}
