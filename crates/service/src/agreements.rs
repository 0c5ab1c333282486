//! "I'm interested": someone offers an agreement on a listing; its author
//! accepts (the listing is then in progress) or refuses; either side marks
//! it fulfilled. Works across nodes through `Outbound`.

use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::listing::ListingStatus;
use maillage_core::time::Timestamp;
use maillage_core::urls::{AnsweredKind, LocalUrls};
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::agreements::{self, AgreementRow};
use maillage_db::listings::{self, ListingRow};
use maillage_db::{transaction, DbConnection};

use crate::actors::actor_of_user;
use crate::federation::{Outbound, Outgoing};

pub const MESSAGE_MAX: usize = 1000;

fn actor(conn: &mut DbConnection, id: i64) -> Result<ActorRow, Error> {
    actors::find_by_id(conn, Id::from_i64(id))?.ok_or_else(|| Error::internal("agreement without its actors"))
}

fn listing(conn: &mut DbConnection, id: i64) -> Result<ListingRow, Error> {
    listings::find_by_id(conn, Id::from_i64(id))?.ok_or_else(|| Error::not_found("Record not found"))
}

/// `user` is interested in listing `listing_id`.
pub fn express_interest(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    user: &User,
    listing_id: Id,
    message: &str,
) -> Result<AgreementRow, Error> {
    if message.chars().count() > MESSAGE_MAX {
        return Err(Error::unprocessable(format!(
            "Validation failed: message: must be at most {MESSAGE_MAX} characters"
        )));
    }
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let row = listing(conn, listing_id.as_i64())?;
        if !crate::listings::can_see(conn, &row, Some(&me))? {
            return Err(Error::not_found("Record not found"));
        }
        if row.author_id == me.id {
            return Err(Error::unprocessable("Validation failed: listing: this is your own listing"));
        }
        if row.status != ListingStatus::Open {
            return Err(Error::unprocessable(format!(
                "Validation failed: listing: it is {}, not open",
                row.status
            )));
        }
        // Showing interest twice is one interest: the author is not asked
        // again while the first waits for an answer.
        if let Some(pending) = agreements::pending_of(conn, row.id, me.id)? {
            return Ok(pending);
        }
        let author = actor(conn, row.author_id)?;
        let now = Timestamp::now();
        let id = Id::generate_at(now);
        let agreement = AgreementRow {
            id: id.as_i64(),
            ap_id: format!("{}/agreements/{id}", urls.base()),
            offer_ap_id: urls.answered_activity(AnsweredKind::Offer, Id::generate_at(now)),
            listing_id: row.id,
            initiator_id: me.id,
            responder_id: author.id,
            message: message.trim().to_owned(),
            state: "proposed".into(),
            created_at: now.as_micros(),
            updated_at: now.as_micros(),
        };
        agreements::insert_or_ignore(conn, &agreement)?;
        crate::conversations::write_step(
            conn,
            outbound,
            urls,
            &me,
            &author,
            &row,
            "conv_interest",
            &agreement.message,
        )?;
        if !author.local {
            outbound.publish(
                conn,
                Outgoing::OfferAgreement {
                    agreement: &agreement,
                    listing: &row,
                    initiator: &me,
                    responder: &author,
                },
            )?;
        }
        Ok(agreement)
    })
}

/// The listing's author accepts or refuses; accepting puts the listing in
/// progress and tells its followers.
pub fn answer(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    user: &User,
    id: Id,
    accept: bool,
) -> Result<AgreementRow, Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let agreement = agreements::find_by_id(conn, id)?
            .filter(|a| a.responder_id == me.id)
            .ok_or_else(|| Error::not_found("Record not found"))?;
        let to = if accept { "accepted" } else { "rejected" };
        if !agreements::set_state(conn, agreement.id(), "proposed", to, Timestamp::now())? {
            return Err(Error::unprocessable(format!(
                "Validation failed: state: this agreement is already {}",
                agreement.state
            )));
        }
        if accept {
            let row = listing(conn, agreement.listing_id)?;
            if listings::set_status(
                conn,
                row.id(),
                ListingStatus::Open,
                ListingStatus::InProgress,
                Timestamp::now(),
            )? {
                let row = listing(conn, row.id)?;
                outbound.publish(conn, Outgoing::UpdateListing { listing: &row, author: &me })?;
            }
        }
        let initiator = actor(conn, agreement.initiator_id)?;
        let about = listing(conn, agreement.listing_id)?;
        let step = if accept { "conv_accepted" } else { "conv_declined" };
        crate::conversations::write_step(conn, outbound, urls, &me, &initiator, &about, step, "")?;
        if accept {
            crate::conversations::share_contact(conn, outbound, urls, &me, &initiator, &about)?;
            if initiator.local {
                crate::conversations::share_contact(conn, outbound, urls, &initiator, &me, &about)?;
            }
        }
        let agreement =
            agreements::find_by_id(conn, id)?.ok_or_else(|| Error::internal("agreement vanished"))?;
        if !initiator.local {
            outbound.publish(
                conn,
                Outgoing::AnswerAgreement {
                    agreement: &agreement,
                    accepted: accept,
                    initiator: &initiator,
                    responder: &me,
                },
            )?;
        }
        Ok(agreement)
    })
}

/// Either side marks an accepted agreement fulfilled; the author's listing
/// is then fulfilled too.
pub fn fulfil(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    user: &User,
    id: Id,
) -> Result<AgreementRow, Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let agreement = agreements::find_by_id(conn, id)?
            .filter(|a| a.responder_id == me.id || a.initiator_id == me.id)
            .ok_or_else(|| Error::not_found("Record not found"))?;
        if !agreements::set_state(conn, agreement.id(), "accepted", "fulfilled", Timestamp::now())? {
            return Err(Error::unprocessable(format!(
                "Validation failed: state: this agreement is {}, not accepted",
                agreement.state
            )));
        }
        let row = listing(conn, agreement.listing_id)?;
        let other = actor(
            conn,
            if agreement.initiator_id == me.id { agreement.responder_id } else { agreement.initiator_id },
        )?;
        crate::conversations::write_step(conn, outbound, urls, &me, &other, &row, "conv_fulfilled", "")?;
        if row.local
            && listings::set_status(
                conn,
                row.id(),
                ListingStatus::InProgress,
                ListingStatus::Fulfilled,
                Timestamp::now(),
            )?
        {
            let author = actor(conn, row.author_id)?;
            let row = listing(conn, row.id)?;
            outbound.publish(conn, Outgoing::UpdateListing { listing: &row, author: &author })?;
        }
        agreements::find_by_id(conn, id)?.ok_or_else(|| Error::internal("agreement vanished"))
    })
}

/// The agreements `user` is part of, newest first.
pub fn mine(conn: &mut DbConnection, user: &User) -> Result<Vec<AgreementRow>, Error> {
    let me = actor_of_user(conn, user.id)?;
    agreements::involving(conn, me.id(), 100)
}

/// The listing an agreement is about, shown to the agreement's two sides
/// whatever its audience (they saw it to make the agreement).
pub fn listing_of(conn: &mut DbConnection, row: &AgreementRow) -> Result<Option<ListingRow>, Error> {
    listings::find_by_id(conn, Id::from_i64(row.listing_id))
}

/// Our person `initiator` was accepted by the remote author `responder`:
/// they give the author their contact details, as the author's node did.
pub fn accepted_remotely(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    agreement: &AgreementRow,
) -> Result<(), Error> {
    let initiator = actor(conn, agreement.initiator_id)?;
    let responder = actor(conn, agreement.responder_id)?;
    let about = listing(conn, agreement.listing_id)?;
    if initiator.local {
        crate::conversations::share_contact(conn, outbound, urls, &initiator, &responder, &about)?;
    }
    Ok(())
}
