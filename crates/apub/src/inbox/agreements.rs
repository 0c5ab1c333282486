//! FEP-0837 agreements: an `Offer` of an `Agreement` on one of our
//! listings, and the `Accept` or `Reject` of one we offered.

use maillage_core::id::Id;
use maillage_core::listing::ListingStatus;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::agreements::{self, AgreementRow};
use maillage_db::listings;
use serde_json::Value;

use super::outcome::{apply, Outcome};
use crate::context::Data;
use crate::protocol::activity::Envelope;
use crate::protocol::same_origin;
use crate::protocol::values::first_id;

/// Someone is interested in one of our listings.
pub async fn offer(data: &Data, env: Envelope, actor: ActorRow) -> Result<Outcome, Error> {
    let object = env.object.clone().unwrap_or(Value::Null);
    if object.get("type").and_then(Value::as_str) != Some("Agreement") {
        return Ok(Outcome::Ignored("Offer of something other than an Agreement".into()));
    }
    // Mitra offers an Agreement without id: the Offer's names it.
    let agreement_id = object.get("id").and_then(first_id).unwrap_or_else(|| format!("{}#agreement", env.id));
    if !same_origin(&agreement_id, &actor.ap_id) {
        return Err(Error::forbidden("an agreement must come from its initiator's host"));
    }
    let satisfies =
        object.get("stipulates").and_then(|s| s.get("satisfies")).and_then(first_id).unwrap_or_default();
    let listing_id = satisfies.split('#').next().unwrap_or_default().to_owned();
    let message: String = env.content.clone().unwrap_or_default().chars().take(1000).collect();
    let offer_id = env.id.to_string();
    apply(data, &env.id, move |conn| {
        let Some(listing) =
            listings::find_by_ap_id(conn, &listing_id)?.filter(|l| l.local && !l.is_deleted())
        else {
            return Ok(Outcome::Ignored("offer on a listing that is not ours".into()));
        };
        if listing.status != ListingStatus::Open {
            return Ok(Outcome::Ignored(format!("offer on a listing that is {}", listing.status)));
        }
        let now = Timestamp::now();
        agreements::insert_or_ignore(
            conn,
            &AgreementRow {
                id: Id::generate_at(now).as_i64(),
                ap_id: agreement_id,
                offer_ap_id: offer_id,
                listing_id: listing.id,
                initiator_id: actor.id,
                responder_id: listing.author_id,
                message,
                state: "proposed".into(),
                created_at: now.as_micros(),
                updated_at: now.as_micros(),
            },
        )?;
        Ok(Outcome::Applied)
    })
    .await
}

/// Whether an Accept or Reject answers an agreement we offered.
pub async fn is_agreement_answer(data: &Data, env: &Envelope) -> Result<bool, Error> {
    let embedded_offer =
        env.object.as_ref().and_then(|o| o.get("type")).and_then(Value::as_str) == Some("Offer");
    if embedded_offer {
        return Ok(true);
    }
    let Some(id) = env.object_id() else { return Ok(false) };
    data.db.run(move |conn| Ok(agreements::find_by_offer(conn, &id)?.is_some())).await
}

/// The author answered an agreement we offered: only the author may.
/// Accepting also puts our copy of the listing in progress, before the
/// author's Update arrives.
pub async fn answer(data: &Data, env: Envelope, actor: ActorRow) -> Result<Outcome, Error> {
    let offer_id = env.object_id().ok_or_else(|| Error::bad_request("answer without object"))?;
    let accepted = env.kind == "Accept";
    let outbound = crate::outbound::ApubOutbound::new((*data.urls).clone());
    let urls = data.urls.clone();
    apply(data, &env.id, move |conn| {
        let Some(agreement) = agreements::find_by_offer(conn, &offer_id)? else {
            return Ok(Outcome::Ignored("answer to an unknown agreement".into()));
        };
        if agreement.responder_id != actor.id {
            return Err(Error::forbidden("only the listing's author can answer an agreement"));
        }
        let now = Timestamp::now();
        let to = if accepted { "accepted" } else { "rejected" };
        if agreements::set_state(conn, agreement.id(), "proposed", to, now)? && accepted {
            listings::set_status(
                conn,
                Id::from_i64(agreement.listing_id),
                ListingStatus::Open,
                ListingStatus::InProgress,
                now,
            )?;
            maillage_service::agreements::accepted_remotely(conn, &outbound, &urls, &agreement)?;
        }
        Ok(Outcome::Applied)
    })
    .await
}

/// The other party's node tells us its party confirmed an agreement was
/// fulfilled (Maillage's `Confirm`). Its signature proved who sent it; the
/// ledger checks that the sender is a party, on a linked territory.
pub async fn confirm(data: &Data, env: Envelope, actor: ActorRow) -> Result<Outcome, Error> {
    let agreement = env.object_id().ok_or_else(|| Error::bad_request("Confirm without object"))?;
    let minutes = env
        .duration
        .as_deref()
        .and_then(crate::builders::minutes_of_duration)
        .ok_or_else(|| Error::bad_request("Confirm needs a duration in whole minutes (PT…M)"))?;
    let limits = maillage_service::ledger::Limits::from_config(&data.config.ledger);
    let activity = env.id.to_string();
    apply(data, &env.id, move |conn| {
        use maillage_service::ledger::{receive_confirmation, Received};
        Ok(match receive_confirmation(conn, limits, &actor, &agreement, minutes, &activity)? {
            Received::Unknown => Outcome::Ignored("confirmation of an unknown agreement".into()),
            Received::Duplicate => Outcome::Duplicate,
            Received::Recorded | Received::Settled => Outcome::Applied,
        })
    })
    .await
}
