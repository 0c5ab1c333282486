//! Who signs a GET (authorized fetch): content with a limited audience is
//! served to a server that proves it asks for someone in that audience.
//! The checks are the inbox's, without a body: the signature must cover
//! the request target, the host and a fresh date, and verify with the key
//! of the actor it names (fetched, or read from the cache; fetched again
//! once if the key was rotated).

use std::time::SystemTime;

use activitypub_federation::fetch::object_id::ObjectId;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use url::Url;

use crate::context::Data;
use crate::objects::actor::DbActor;
use crate::signature::{check_and_build_signing_string, parse_signature, verify_rsa_sha256, SignedRequest};

/// The signer of a GET: `None` when it carries no signature. A signature
/// that does not verify, or from a server this node does not federate
/// with, is refused with 401, as Mastodon does; the reason stays in the
/// logs.
pub async fn signer(
    data: &Data,
    path_and_query: &str,
    headers: &[(String, String)],
) -> Result<Option<ActorRow>, Error> {
    if !headers.iter().any(|(name, _)| name == "signature") {
        return Ok(None);
    }
    let request = SignedRequest { method: "GET", path_and_query, headers, body: &[] };
    match verified(data, &request).await {
        Ok(actor) => Ok(Some(actor)),
        Err(e) => {
            tracing::debug!(error = %e.message(), "signed fetch refused");
            Err(Error::unauthorized("the request's signature cannot be verified"))
        }
    }
}

async fn verified(data: &Data, request: &SignedRequest<'_>) -> Result<ActorRow, Error> {
    let signature = parse_signature(request)?;
    if !data.policy.current().federates_with_url(&signature.key_id) {
        return Err(Error::forbidden("this node does not federate with the signer"));
    }
    let signing_string = check_and_build_signing_string(request, &signature, SystemTime::now())?;
    let owner =
        Url::parse(signature.actor_id()).map_err(|_| Error::bad_request("the key id is not a URL"))?;
    if data.urls.is_local(owner.as_str()) {
        return Err(Error::forbidden("this node does not fetch from itself"));
    }
    let owner: ObjectId<DbActor> = owner.into();
    let actor = owner.dereference(data).await.map_err(Error::from)?;
    verify_with_fresh_key(data, &owner, actor, &signing_string, &signature.signature).await
}

/// Verifies `signature` with `actor`'s key, and once more with a key
/// fetched again when that fails (the key may have been rotated since it
/// was cached). Returns the actor whose key verified.
pub async fn verify_with_fresh_key(
    data: &Data,
    id: &ObjectId<DbActor>,
    actor: DbActor,
    signing_string: &str,
    signature: &[u8],
) -> Result<ActorRow, Error> {
    if verify_rsa_sha256(&actor.row.public_key_pem, signing_string, signature).is_ok() {
        return Ok(actor.row);
    }
    let fresh = id
        .dereference_forced(data)
        .await
        .map_err(|_| Error::unauthorized("the signature does not verify"))?;
    verify_rsa_sha256(&fresh.row.public_key_pem, signing_string, signature)?;
    Ok(fresh.row)
}
