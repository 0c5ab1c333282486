//! Time credits: each party confirms a fulfilled agreement; once both have
//! confirmed the same amount, the hours move from the receiver to the
//! provider. Across two linked territories each node moves only its own
//! person's hours, against the running balance with the other territory,
//! and reserves the amount when its side confirms first so that the
//! other side's confirmation can never be refused afterwards: no node
//! ever holds half an exchange.

use maillage_core::account::User;
use maillage_core::config::LedgerConfig;
use maillage_core::id::Id;
use maillage_core::ledger::{minutes_of_hours, provider_and_receiver, LedgerProblem};
use maillage_core::listing::ListingStatus;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::agreements::{self, AgreementRow};
use maillage_db::contributions::{self as confirmations, ConfirmationRow};
use maillage_db::ledger::{self, AccountRow, Holder, NewTransfer, Refusal, TransferRow};
use maillage_db::listings::{self, ListingRow};
use maillage_db::{transaction, DbConnection};

use crate::actors::actor_of_user;
use crate::federation::{Outbound, Outgoing};

mod accounts;
pub use accounts::{movements, set_link_limit, set_person_limits};

/// Default limits in minutes, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub account: (i64, i64),
    pub link: i64,
}

impl Limits {
    pub fn from_config(c: &LedgerConfig) -> Self {
        Limits {
            account: (c.lower_limit_hours * 60, c.upper_limit_hours * 60),
            link: c.link_limit_hours * 60,
        }
    }
}

pub fn account_of_actor(conn: &mut DbConnection, actor: Id, limits: Limits) -> Result<AccountRow, Error> {
    ledger::account(conn, Holder::Actor(actor), limits.account, Timestamp::now())
}

pub fn account_of_territory(
    conn: &mut DbConnection,
    domain: &str,
    limits: Limits,
) -> Result<AccountRow, Error> {
    ledger::account(conn, Holder::Territory(domain), (-limits.link, limits.link), Timestamp::now())
}

fn refused(conn: &mut DbConnection, account: i64) -> Error {
    let whose =
        ledger::account_by_id(conn, account).ok().flatten().map(|a| match (a.owner_id, a.peer_domain) {
            (_, Some(d)) => format!("the balance with {d}"),
            _ => "a balance".to_owned(),
        });
    Error::unprocessable(format!(
        "Validation failed: hours: this would take {} past its limit",
        whose.unwrap_or_else(|| "a balance".into())
    ))
}

/// Records a transfer, or refuses it (422) so that the caller's whole
/// transaction rolls back and nothing moves.
pub fn record(conn: &mut DbConnection, t: &NewTransfer) -> Result<TransferRow, Error> {
    match ledger::transfer(conn, t, Timestamp::now())? {
        Ok(row) => Ok(row),
        Err(Refusal::Limit(account)) => Err(refused(conn, account)),
        Err(Refusal::AlreadySettled) => {
            Err(Error::unprocessable("Validation failed: this agreement is settled"))
        }
    }
}

/// The domain of a territory linked with ours whose people include
/// `actor`, if any.
fn linked_domain(conn: &mut DbConnection, actor: &ActorRow) -> Result<Option<String>, Error> {
    Ok(maillage_db::links::all(conn)?
        .into_iter()
        .find(|(link, partner)| link.is_active() && partner.domain == actor.domain)
        .map(|(_, partner)| partner.domain))
}

/// What an agreement is worth in minutes: its listing's time-credit terms,
/// or nothing (the exchange still counts in the territory's figures).
fn minutes_of(listing: &ListingRow) -> Result<i64, Error> {
    match (listing.terms_mode.as_str(), listing.terms_hours) {
        ("time_credit", Some(h)) => minutes_of_hours("hours", h),
        _ => Ok(0),
    }
}

/// The two accounts on this node's side: `(from, to)`. For a party of
/// another territory, its side is the running balance with that territory.
fn sides(
    conn: &mut DbConnection,
    provider: &ActorRow,
    receiver: &ActorRow,
    limits: Limits,
) -> Result<(i64, i64), Error> {
    let side = |conn: &mut DbConnection, a: &ActorRow| -> Result<i64, Error> {
        if a.local {
            return Ok(account_of_actor(conn, a.id(), limits)?.id);
        }
        let domain = linked_domain(conn, a)?.ok_or_else(|| {
            Error::unprocessable(format!(
                "Validation failed: hours: time credits move only between linked territories, and {} is not linked",
                a.domain
            ))
        })?;
        Ok(account_of_territory(conn, &domain, limits)?.id)
    };
    Ok((side(conn, receiver)?, side(conn, provider)?))
}

struct Parties {
    agreement: AgreementRow,
    listing: ListingRow,
    provider: ActorRow,
    receiver: ActorRow,
}

fn parties(conn: &mut DbConnection, agreement: AgreementRow) -> Result<Parties, Error> {
    let listing = listings::find_by_id(conn, Id::from_i64(agreement.listing_id))?
        .ok_or_else(|| Error::not_found("Record not found"))?;
    let find = |conn: &mut DbConnection, id: i64| {
        actors::find_by_id(conn, Id::from_i64(id))?
            .ok_or_else(|| Error::internal("agreement without its actors"))
    };
    let author = find(conn, agreement.responder_id)?;
    let initiator = find(conn, agreement.initiator_id)?;
    let (provider, receiver) = provider_and_receiver(listing.kind, author, initiator);
    Ok(Parties { agreement, listing, provider, receiver })
}

/// Moves the hours when both parties confirmed the same amount; `held` is
/// this node's earlier reservation, released by the transfer.
fn settle_if_both(
    conn: &mut DbConnection,
    p: &Parties,
    recorded_by: i64,
    limits: Limits,
) -> Result<Option<TransferRow>, Error> {
    let all = confirmations::confirmations(conn, p.agreement.id)?;
    let of = |id: i64| all.iter().find(|c| c.actor_id == id);
    let (Some(a), Some(b)) = (of(p.provider.id), of(p.receiver.id)) else { return Ok(None) };
    if a.minutes != b.minutes || a.minutes == 0 {
        return Ok(None);
    }
    let held = all.iter().find(|c| c.held_from.is_some());
    let (from, to, reserved) = match held.and_then(|c| c.held_from.zip(c.held_to)) {
        Some((from, to)) => (from, to, true),
        None => {
            let (from, to) = sides(conn, &p.provider, &p.receiver, limits)?;
            (from, to, false)
        }
    };
    let transfer = NewTransfer {
        from,
        to,
        minutes: a.minutes,
        reason: "agreement",
        memo: format!("{} ({})", p.listing.title, p.listing.ap_id),
        agreement_uri: Some(p.agreement.ap_id.clone()),
        recorded_by,
        reserved,
    };
    record(conn, &transfer).map(Some)
}

/// What a confirmation did.
#[derive(Debug, Clone)]
pub struct Confirmed {
    pub agreement: AgreementRow,
    pub minutes: i64,
    pub transfer: Option<TransferRow>,
}

/// `user`, a party of agreement `id`, confirms it was fulfilled. When the
/// other party confirmed already, the hours move now; when the other party
/// is on another node, its node hears of this confirmation.
pub fn confirm(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    limits: Limits,
    user: &User,
    id: Id,
) -> Result<Confirmed, Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let agreement = agreements::find_by_id(conn, id)?
            .filter(|a| a.initiator_id == me.id || a.responder_id == me.id)
            .ok_or_else(|| Error::not_found("Record not found"))?;
        if !matches!(agreement.state.as_str(), "accepted" | "fulfilled") {
            return Err(Error::unprocessable(format!(
                "Validation failed: state: this agreement is {}, not accepted",
                agreement.state
            )));
        }
        let p = parties(conn, agreement)?;
        let minutes = minutes_of(&p.listing)?;
        let other = if p.provider.id == me.id { &p.receiver } else { &p.provider };
        let theirs =
            confirmations::confirmations(conn, p.agreement.id)?.into_iter().find(|c| c.actor_id == other.id);
        if let Some(t) = &theirs {
            if t.minutes != minutes {
                return Err(Error::unprocessable(format!(
                    "Validation failed: hours: the other party confirmed {} h, the listing says {} h",
                    maillage_core::ledger::hours_of_minutes(t.minutes),
                    maillage_core::ledger::hours_of_minutes(minutes)
                )));
            }
        }
        // Across territories, the first side to confirm reserves the amount.
        let mut held = (None, None);
        if !other.local && theirs.is_none() && minutes > 0 {
            let (from, to) = sides(conn, &p.provider, &p.receiver, limits)?;
            if let Err(account) = ledger::hold(conn, from, to, minutes)? {
                return Err(refused(conn, account));
            }
            held = (Some(from), Some(to));
        }
        let row = ConfirmationRow {
            agreement_id: p.agreement.id,
            actor_id: me.id,
            minutes,
            activity_uri: None,
            held_from: held.0,
            held_to: held.1,
            created_at: Timestamp::now().as_micros(),
        };
        if !confirmations::confirm(conn, &row)? {
            return Err(Error::unprocessable("Validation failed: you have confirmed this agreement already"));
        }
        let transfer = settle_if_both(conn, &p, me.id, limits)?;
        crate::notices::tell_event(conn, other, &me, "ledger_confirmation", None)?;
        agreements::set_state(conn, p.agreement.id(), "accepted", "fulfilled", Timestamp::now())?;
        if p.listing.local {
            let now = Timestamp::now();
            if listings::set_status(
                conn,
                p.listing.id(),
                ListingStatus::InProgress,
                ListingStatus::Fulfilled,
                now,
            )? {
                let author = if p.provider.id == p.listing.author_id { &p.provider } else { &p.receiver };
                let listing = listings::find_by_id(conn, p.listing.id())?
                    .ok_or_else(|| Error::internal("listing vanished"))?;
                outbound.publish(conn, Outgoing::UpdateListing { listing: &listing, author })?;
            }
        }
        if !other.local {
            outbound.publish(
                conn,
                Outgoing::ConfirmAgreement { agreement: &p.agreement, minutes, party: &me, other },
            )?;
        }
        let agreement =
            agreements::find_by_id(conn, id)?.ok_or_else(|| Error::internal("agreement vanished"))?;
        Ok(Confirmed { agreement, minutes, transfer })
    })
}

/// What receiving a confirmation from another node did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    Recorded,
    Settled,
    Duplicate,
    Unknown,
}

/// The other node tells us its party confirmed agreement `uri` for
/// `minutes`. Only a party of the agreement, on a linked territory, may;
/// and it moves nothing by itself: our own party must confirm too.
pub fn receive_confirmation(
    conn: &mut DbConnection,
    limits: Limits,
    from: &ActorRow,
    uri: &str,
    minutes: i64,
    activity_uri: &str,
) -> Result<Received, Error> {
    let Some(agreement) = agreements::find_by_ap_id(conn, uri)? else { return Ok(Received::Unknown) };
    if from.local || (agreement.initiator_id != from.id && agreement.responder_id != from.id) {
        return Err(Error::forbidden("only a party of the agreement can confirm it"));
    }
    if linked_domain(conn, from)?.is_none() {
        return Err(Error::forbidden("confirmations are taken from linked territories only"));
    }
    let p = parties(conn, agreement)?;
    let row = ConfirmationRow {
        agreement_id: p.agreement.id,
        actor_id: from.id,
        minutes,
        activity_uri: Some(activity_uri.to_owned()),
        held_from: None,
        held_to: None,
        created_at: Timestamp::now().as_micros(),
    };
    if !confirmations::confirm(conn, &row)? {
        return Ok(Received::Duplicate);
    }
    let ours = if p.provider.id == from.id { &p.receiver } else { &p.provider };
    crate::notices::tell_event(conn, ours, from, "ledger_confirmation", None)?;
    agreements::set_state(conn, p.agreement.id(), "accepted", "fulfilled", Timestamp::now())?;
    match settle_if_both(conn, &p, from.id, limits)? {
        Some(_) => Ok(Received::Settled),
        None => Ok(Received::Recorded),
    }
}

/// An admin's correction: a new transfer between two local holders, never
/// an edit. Limits apply as to any transfer.
pub fn correct(
    conn: &mut DbConnection,
    limits: Limits,
    admin: &User,
    from: Id,
    to: Id,
    hours: f64,
    memo: &str,
) -> Result<TransferRow, Error> {
    let minutes = minutes_of_hours("hours", hours)?;
    if memo.trim().is_empty() || memo.chars().count() > 500 {
        return Err(Error::unprocessable("Validation failed: memo: say why, in at most 500 characters"));
    }
    if from == to {
        return Err(Error::unprocessable("Validation failed: to: must differ from from"));
    }
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, admin.id)?;
        let local_account = |conn: &mut DbConnection, id: Id, field: &str| {
            actors::find_by_id(conn, id)?.filter(|a| a.local && a.purpose.is_none()).ok_or_else(|| {
                Error::unprocessable(format!("Validation failed: {field}: no local person or group"))
            })?;
            account_of_actor(conn, id, limits)
        };
        let (from, to) = (local_account(conn, from, "from")?, local_account(conn, to, "to")?);
        let transfer = NewTransfer {
            from: from.id,
            to: to.id,
            minutes,
            reason: "correction",
            memo: memo.trim().to_owned(),
            agreement_uri: None,
            recorded_by: me.id,
            reserved: false,
        };
        record(conn, &transfer)
    })
}

/// Checks that every balance equals the sum of its movements, that every
/// transfer is two opposite movements, and that all balances sum to zero.
pub fn verify(conn: &mut DbConnection) -> Result<Vec<LedgerProblem>, Error> {
    let mut problems = Vec::new();
    let accounts = ledger::all_accounts(conn)?;
    let sums: std::collections::HashMap<i64, i64> = ledger::movement_sums(conn)?.into_iter().collect();
    let mut total = 0;
    for a in &accounts {
        let summed = sums.get(&a.id).copied().unwrap_or(0);
        if summed != a.balance {
            problems.push(LedgerProblem::Balance { account: a.id, stored: a.balance, summed });
        }
        total += a.balance;
    }
    if total != 0 {
        problems.push(LedgerProblem::Total { sum: total });
    }
    let mut after = i64::MIN;
    loop {
        let batch = ledger::transfers_with_movements(conn, after, 1000)?;
        let Some(last) = batch.last().map(|(t, _)| t.id) else { break };
        for (t, moves) in &batch {
            if let Some(detail) =
                maillage_core::ledger::check_transfer(t.from_account, t.to_account, t.minutes, moves)
            {
                problems.push(LedgerProblem::Transfer { transfer: t.id, detail });
            }
        }
        after = last;
    }
    Ok(problems)
}
