//! Routing an `Accept` or `Reject` to what it answers. Our activities that
//! may be answered have ids carrying their kind
//! (`{base}/activities/{kind}/{id}`), read back from the answer's object
//! (an id or the embedded activity): no database probe. Ids of the older
//! form `{base}/activities/{id}`, already sent, and answers whose object is
//! not ours go through the probes they always did.

use maillage_core::urls::AnsweredKind;
use maillage_core::Error;
use maillage_db::actors::ActorRow;

use super::outcome::Outcome;
use super::{agreements, membership, participation, relations};
use crate::context::Data;
use crate::protocol::activity::Envelope;

pub async fn route(data: &Data, env: Envelope, actor: ActorRow) -> Result<Outcome, Error> {
    match answered_kind(data, &env) {
        Some(AnsweredKind::Offer) => agreements::answer(data, env, actor).await,
        Some(AnsweredKind::Rsvp) => participation::answer(data, env, actor).await,
        Some(AnsweredKind::Join) => membership::answer(data, env, actor).await,
        Some(AnsweredKind::Follow) => relations::answer(data, env, actor).await,
        None => route_by_probes(data, env, actor).await,
    }
}

/// The kind of the answered activity, when it is ours and of the current
/// form.
pub fn answered_kind(data: &Data, env: &Envelope) -> Option<AnsweredKind> {
    env.object_id().and_then(|id| data.urls.answered_kind(&id))
}

async fn route_by_probes(data: &Data, env: Envelope, actor: ActorRow) -> Result<Outcome, Error> {
    if agreements::is_agreement_answer(data, &env).await? {
        agreements::answer(data, env, actor).await
    } else if participation::is_answer(data, &env).await? {
        participation::answer(data, env, actor).await
    } else if membership::is_join_answer(data, &env).await? {
        membership::answer(data, env, actor).await
    } else {
        relations::answer(data, env, actor).await
    }
}
