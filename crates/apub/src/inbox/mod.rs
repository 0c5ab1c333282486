//! Receiving activities. The order matters: size, JSON, signature header,
//! envelope and origin checks come before any network or database work; the
//! signer's key is then fetched (or read from the cache), the signature
//! verified (once more with a refreshed key if it fails), and only then is
//! the activity applied, in one transaction that also records its id so
//! that a second delivery has no effect.

mod agreements;
mod answers;
mod content;
mod membership;
mod outcome;
mod participation;
mod relations;

use std::time::SystemTime;

use activitypub_federation::fetch::object_id::ObjectId;
use maillage_core::time::Timestamp;
use maillage_core::{Error, ErrorKind};
use maillage_db::actors::ActorRow;
use maillage_db::{deliveries, instances};
use serde_json::Value;
use url::Url;

use crate::context::Data;
use crate::objects::actor::DbActor;
use crate::protocol::activity::Envelope;
use crate::protocol::same_origin;
use crate::signature::{check_and_build_signing_string, parse_signature, SignedRequest};
use crate::signed_fetch::verify_with_fresh_key;

/// Largest activity accepted, as Mastodon does.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub use outcome::Outcome;

pub struct InboxRequest {
    pub method: String,
    pub path_and_query: String,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

pub async fn receive(data: &Data, req: InboxRequest) -> Result<Outcome, Error> {
    if req.body.len() > MAX_BODY_BYTES {
        return Err(Error::new(ErrorKind::PayloadTooLarge, "activity larger than 1 MiB"));
    }
    let json: Value =
        serde_json::from_slice(&req.body).map_err(|e| Error::bad_request(format!("malformed JSON: {e}")))?;
    let signed = SignedRequest {
        method: &req.method,
        path_and_query: &req.path_and_query,
        headers: &req.headers,
        body: &req.body,
    };
    let signature = parse_signature(&signed)?;
    let envelope = Envelope::parse(&json).map_err(Error::bad_request)?;
    let actor_id = envelope.actor_id().to_owned();
    let policy = data.policy.current();
    if !policy.federates_with_url(&actor_id) || !policy.federates_with_url(&signature.key_id) {
        let host = crate::policy::host_or_unknown(&actor_id);
        return Err(Error::forbidden(format!("this node does not federate with {host}")));
    }
    if let Some(object_id) = envelope.object_id().filter(|id| id.starts_with("http")) {
        if !policy.federates_with_url(&object_id) {
            return Ok(Outcome::Ignored("the object is on a domain this node does not federate with".into()));
        }
    }
    drop(policy);
    if !same_origin(envelope.id.as_str(), &actor_id) {
        return Err(Error::forbidden("the activity's id and actor are on different hosts"));
    }
    if data.urls.is_local(&actor_id) {
        return Err(Error::forbidden("activities from this node are not accepted from outside"));
    }
    let key_owner = signature.actor_id();
    let owned = key_owner == actor_id
        || signature.key_id.starts_with(&format!("{actor_id}#"))
        || signature.key_id.starts_with(&format!("{actor_id}/"));
    if !owned {
        return Err(Error::unauthorized("the request is signed with a key of another actor"));
    }
    // Check the date and digest before fetching anything.
    let signing_string = check_and_build_signing_string(&signed, &signature, SystemTime::now())?;

    let actor_url = Url::parse(&actor_id).map_err(|_| Error::bad_request("the actor is not a URL"))?;
    let object_id: ObjectId<DbActor> = actor_url.into();
    let is_self_delete =
        envelope.kind == "Delete" && envelope.object_id().as_deref() == Some(actor_id.as_str());
    let actor = match object_id.dereference(data).await {
        Ok(actor) => actor,
        // A deleted account cannot be fetched; its Delete needs no key we do
        // not already have.
        Err(_) if is_self_delete => return Ok(Outcome::Ignored("delete of an unknown actor".into())),
        // What went wrong fetching it is for our logs, not for the sender.
        Err(e) => {
            let e = Error::from(e);
            tracing::debug!(actor = %actor_id, error = %e, "cannot fetch the signer's key");
            return Err(Error::unauthorized("cannot fetch the signer's key").with_cause(e));
        }
    };
    let actor = verify_with_fresh_key(data, &object_id, actor, &signing_string, &signature.signature).await?;
    if let Err(e) = record_alive(data, &actor).await {
        tracing::warn!(error = %e, "cannot record that a host is alive");
    }
    if !envelope.is_handled() {
        return Ok(Outcome::Ignored(format!("{} activities are not handled", envelope.kind)));
    }
    dispatch(data, envelope, json, actor).await
}

/// How long a host seen alive is not checked again.
const ALIVE_RECHECK: std::time::Duration = std::time::Duration::from_secs(60);

/// The sender spoke: if we had marked its host dead, it is revived and what
/// was waiting for it is due again.
async fn record_alive(data: &Data, actor: &ActorRow) -> Result<(), Error> {
    let host = actor.domain.clone();
    {
        let mut cache = data.alive_hosts.lock().map_err(|_| Error::internal("alive cache poisoned"))?;
        if cache.get(&host).is_some_and(|seen| seen.elapsed() < ALIVE_RECHECK) {
            return Ok(());
        }
        if cache.len() > 10_000 {
            cache.clear();
        }
        cache.insert(host.clone(), std::time::Instant::now());
    }
    data.db
        .run(move |conn| {
            let now = Timestamp::now();
            if instances::record_success(conn, &host, now)? {
                deliveries::wake_host(conn, &host, now)?;
            }
            Ok(())
        })
        .await
}

async fn dispatch(data: &Data, env: Envelope, json: Value, actor: ActorRow) -> Result<Outcome, Error> {
    match env.kind.as_str() {
        "Follow" => relations::follow(data, env, json, actor).await,
        "Accept" | "Reject" => answers::route(data, env, actor).await,
        "Join" | "Leave" if participation::is_about_session(data, &env).await? => {
            participation::join_or_leave(data, env, actor).await
        }
        "Join" => membership::join(data, env, actor).await,
        "Leave" => membership::leave(data, env, actor).await,
        "Offer" => agreements::offer(data, env, actor).await,
        "Confirm" => agreements::confirm(data, env, actor).await,
        "Undo" => relations::undo(data, env, actor).await,
        "Create" | "Update" => content::create_or_update(data, env, actor).await,
        "Delete" => content::delete(data, env, actor).await,
        "Announce" => content::announce(data, env, actor).await,
        "Like" => content::like(data, env, actor).await,
        "Flag" => content::flag(data, env, actor).await,
        other => Ok(Outcome::Ignored(format!("{other} activities are not handled"))),
    }
}
