//! Territory links: two territory actors that follow each other, each side
//! approved by its admin. A link is `proposed` while we wait for the other
//! side, `requested` while the other side waits for our admin, `active`
//! once both follows are accepted, and `ended` when either side ends it.
//! Levels: `full` (all public content) or `listings` (offers, needs and
//! sessions only).

use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::urls::{AnsweredKind, LocalUrls};
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::follows::{self, FollowRow, ACCEPTED, PENDING};
use maillage_db::links::{self, LinkRow, ACTIVE, ENDED, PROPOSED, REQUESTED};
use maillage_db::{transaction, DbConnection};

use crate::actors::territory_actor;
use crate::federation::{Outbound, Outgoing};

pub const FULL: &str = "full";
pub const LISTINGS: &str = "listings";

pub fn parse_level(level: &str) -> Result<&'static str, Error> {
    match level.trim() {
        "full" => Ok(FULL),
        "listings" => Ok(LISTINGS),
        other => {
            Err(Error::unprocessable(format!("\"{other}\" is not a link level: expected full or listings")))
        }
    }
}

/// A link and its partner, as listed to admins.
#[derive(Debug, Clone)]
pub struct Link {
    pub row: LinkRow,
    pub partner: ActorRow,
}

pub fn list(conn: &mut DbConnection) -> Result<Vec<Link>, Error> {
    Ok(links::all(conn)?.into_iter().map(|(row, partner)| Link { row, partner }).collect())
}

/// The link with the territory an admin names by its domain or actor URL.
pub fn find_named(conn: &mut DbConnection, name: &str) -> Result<Link, Error> {
    list(conn)?
        .into_iter()
        .find(|l| l.partner.domain == name || l.partner.ap_id == name)
        .ok_or_else(|| Error::not_found(format!("no link with {name}")))
}

/// Whether `domain` is the home of a territory linked with ours: the
/// people and servers there may see territory-only listings.
pub fn is_linked_domain(conn: &mut DbConnection, domain: &str) -> Result<bool, Error> {
    Ok(links::all(conn)?.iter().any(|(row, partner)| row.is_active() && partner.domain == domain))
}

/// The link with `partner`, if any.
pub fn find(conn: &mut DbConnection, partner: &ActorRow) -> Result<Option<LinkRow>, Error> {
    links::find_by_partner(conn, partner.id)
}

fn new_follow(
    urls: &LocalUrls,
    follower: &ActorRow,
    followed: &ActorRow,
    state: &str,
    now: Timestamp,
) -> FollowRow {
    let id = Id::generate_at(now);
    FollowRow {
        id: id.as_i64(),
        ap_id: urls.answered_activity(AnsweredKind::Follow, id),
        follower_id: follower.id,
        followed_id: followed.id,
        state: state.to_owned(),
        created_at: now.as_micros(),
        updated_at: now.as_micros(),
    }
}

/// Our territory follows `partner` (once), asking for a link at `level`.
fn follow_partner(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    territory: &ActorRow,
    partner: &ActorRow,
    level: &str,
) -> Result<(), Error> {
    let follow = match follows::find(conn, territory.id(), partner.id())? {
        Some(f) => f,
        None => {
            let row = new_follow(urls, territory, partner, PENDING, Timestamp::now());
            follows::insert(conn, &row)?;
            row
        }
    };
    if !follow.is_accepted() {
        outbound.publish(conn, Outgoing::LinkFollow { follow: &follow, territory, partner, level })?;
    }
    Ok(())
}

/// The admin proposes a link to `partner` (a remote territory actor), or
/// approves the one `partner` proposed.
pub fn propose(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    partner: &ActorRow,
    level: &str,
) -> Result<LinkRow, Error> {
    let level = parse_level(level)?;
    if partner.local || partner.kind != "Group" {
        return Err(Error::unprocessable(format!("{} is not another territory's actor", partner.ap_id)));
    }
    transaction::write(conn, |conn| {
        let territory = territory_actor(conn)?;
        let now = Timestamp::now();
        match links::find_by_partner(conn, partner.id)? {
            Some(link) if link.state == REQUESTED => {
                approve_in(conn, outbound, urls, &territory, partner, link)
            }
            Some(link) if link.state == ACTIVE || link.state == PROPOSED => Ok(link),
            Some(mut link) => {
                link.state = PROPOSED.into();
                link.level = level.into();
                link.initiated_here = true;
                link.updated_at = now.as_micros();
                link.ended_at = None;
                links::update(conn, &link)?;
                follow_partner(conn, outbound, urls, &territory, partner, level)?;
                Ok(link)
            }
            None => {
                let link = LinkRow {
                    id: Id::generate_at(now).as_i64(),
                    partner_id: partner.id,
                    level: level.into(),
                    state: PROPOSED.into(),
                    initiated_here: true,
                    created_at: now.as_micros(),
                    updated_at: now.as_micros(),
                    ended_at: None,
                };
                links::insert(conn, &link)?;
                follow_partner(conn, outbound, urls, &territory, partner, level)?;
                Ok(link)
            }
        }
    })
}

/// The admin approves the link `partner` requested: its follow is
/// accepted and our territory follows it back.
pub fn approve(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    partner: &ActorRow,
) -> Result<LinkRow, Error> {
    transaction::write(conn, |conn| {
        let territory = territory_actor(conn)?;
        let link = links::find_by_partner(conn, partner.id)?
            .filter(|l| l.state == REQUESTED)
            .ok_or_else(|| Error::not_found(format!("{} has not asked for a link", partner.domain)))?;
        approve_in(conn, outbound, urls, &territory, partner, link)
    })
}

fn approve_in(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    territory: &ActorRow,
    partner: &ActorRow,
    mut link: LinkRow,
) -> Result<LinkRow, Error> {
    let now = Timestamp::now();
    links::lock(conn, partner.id, now.as_micros())?;
    if let Some(theirs) = follows::find(conn, partner.id(), territory.id())? {
        if !theirs.is_accepted() {
            follows::set_state(conn, theirs.id, ACCEPTED, now)?;
            outbound.publish(
                conn,
                Outgoing::AcceptFollow { follow: &theirs, follower: partner, target: territory },
            )?;
        }
    }
    follow_partner(conn, outbound, urls, territory, partner, &link.level)?;
    link.state = state_of(conn, territory, partner)?.unwrap_or(PROPOSED).into();
    link.updated_at = now.as_micros();
    links::update(conn, &link)?;
    Ok(link)
}

/// `active` when both follows are accepted.
fn state_of(
    conn: &mut DbConnection,
    territory: &ActorRow,
    partner: &ActorRow,
) -> Result<Option<&'static str>, Error> {
    let ours = follows::find(conn, territory.id(), partner.id())?.is_some_and(|f| f.is_accepted());
    let theirs = follows::find(conn, partner.id(), territory.id())?.is_some_and(|f| f.is_accepted());
    Ok((ours && theirs).then_some(ACTIVE))
}

/// Ends the link: our follow is undone and theirs removed, so nothing
/// flows either way any more.
pub fn end(conn: &mut DbConnection, outbound: &dyn Outbound, partner: &ActorRow) -> Result<LinkRow, Error> {
    transaction::write(conn, |conn| {
        let territory = territory_actor(conn)?;
        let link = links::find_by_partner(conn, partner.id)?
            .filter(|l| l.state != ENDED)
            .ok_or_else(|| Error::not_found(format!("no link with {}", partner.domain)))?;
        if let Some(ours) = follows::find(conn, territory.id(), partner.id())? {
            follows::delete(conn, ours.id)?;
            outbound.publish(
                conn,
                Outgoing::UndoFollow { follow: &ours, follower: &territory, target: partner },
            )?;
        }
        if let Some(theirs) = follows::find(conn, partner.id(), territory.id())? {
            follows::delete(conn, theirs.id)?;
            outbound.publish(
                conn,
                Outgoing::RejectFollow { follow: &theirs, follower: partner, target: &territory },
            )?;
        }
        mark_ended(conn, link)
    })
}

fn mark_ended(conn: &mut DbConnection, mut link: LinkRow) -> Result<LinkRow, Error> {
    let now = Timestamp::now().as_micros();
    link.state = ENDED.into();
    link.updated_at = now;
    link.ended_at = Some(now);
    links::update(conn, &link)?;
    Ok(link)
}

/// A remote territory asks to follow ours with a link level. Returns the
/// follow, accepted when it answers our own proposal, pending otherwise
/// (the admin decides). Runs inside the inbox's transaction.
pub fn on_link_follow(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    territory: &ActorRow,
    partner: &ActorRow,
    follow_ap_id: &str,
    level: &str,
) -> Result<(), Error> {
    let level = parse_level(level)?;
    let now = Timestamp::now();
    links::lock(conn, partner.id, now.as_micros())?;
    let link = links::find_by_partner(conn, partner.id)?;
    let we_asked = link.as_ref().is_some_and(|l| l.state == PROPOSED || l.state == ACTIVE);
    let follow = match follows::find(conn, partner.id(), territory.id())? {
        Some(f) => f,
        None => {
            let mut row = new_follow_from(partner, territory, follow_ap_id, now);
            row.state = if we_asked { ACCEPTED } else { PENDING }.into();
            follows::insert(conn, &row)?;
            row
        }
    };
    if we_asked && !follow.is_accepted() {
        follows::set_state(conn, follow.id, ACCEPTED, now)?;
    }
    if we_asked {
        outbound.publish(
            conn,
            Outgoing::AcceptFollow { follow: &follow, follower: partner, target: territory },
        )?;
    }
    match link {
        Some(mut link) if we_asked => {
            link.state = state_of(conn, territory, partner)?.unwrap_or(PROPOSED).into();
            link.updated_at = now.as_micros();
            links::update(conn, &link)
        }
        Some(mut link) => {
            link.state = REQUESTED.into();
            link.level = level.into();
            link.initiated_here = false;
            link.updated_at = now.as_micros();
            link.ended_at = None;
            links::update(conn, &link)
        }
        None => links::insert(
            conn,
            &LinkRow {
                id: Id::generate_at(now).as_i64(),
                partner_id: partner.id,
                level: level.into(),
                state: REQUESTED.into(),
                initiated_here: false,
                created_at: now.as_micros(),
                updated_at: now.as_micros(),
                ended_at: None,
            },
        ),
    }
}

fn new_follow_from(follower: &ActorRow, followed: &ActorRow, ap_id: &str, now: Timestamp) -> FollowRow {
    FollowRow {
        id: Id::generate_at(now).as_i64(),
        ap_id: ap_id.to_owned(),
        follower_id: follower.id,
        followed_id: followed.id,
        state: PENDING.into(),
        created_at: now.as_micros(),
        updated_at: now.as_micros(),
    }
}

/// A follow between our territory and `partner` was accepted (either
/// way): the link becomes active once both are.
pub fn on_follow_accepted(
    conn: &mut DbConnection,
    territory: &ActorRow,
    partner: &ActorRow,
) -> Result<(), Error> {
    links::lock(conn, partner.id, Timestamp::now().as_micros())?;
    if let Some(mut link) = links::find_by_partner(conn, partner.id)?.filter(|l| l.state != ENDED) {
        if let Some(state) = state_of(conn, territory, partner)? {
            link.state = state.into();
            link.updated_at = Timestamp::now().as_micros();
            links::update(conn, &link)?;
        }
    }
    Ok(())
}

/// The partner ended the link (Undo of its follow, or Reject of ours):
/// both follows go, and ours is undone so that it stops sending too.
pub fn on_partner_ended(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    territory: &ActorRow,
    partner: &ActorRow,
) -> Result<(), Error> {
    let Some(link) = links::find_by_partner(conn, partner.id)?.filter(|l| l.state != ENDED) else {
        return Ok(());
    };
    if let Some(theirs) = follows::find(conn, partner.id(), territory.id())? {
        follows::delete(conn, theirs.id)?;
    }
    if let Some(ours) = follows::find(conn, territory.id(), partner.id())? {
        follows::delete(conn, ours.id)?;
        outbound
            .publish(conn, Outgoing::UndoFollow { follow: &ours, follower: territory, target: partner })?;
    }
    mark_ended(conn, link).map(drop)
}

/// Whether what `partner` announces at `level` is wanted: `listings` links
/// carry listings and sessions only.
pub fn level_of(conn: &mut DbConnection, partner: &ActorRow) -> Result<Option<String>, Error> {
    Ok(links::find_by_partner(conn, partner.id)?.filter(LinkRow::is_active).map(|l| l.level))
}
