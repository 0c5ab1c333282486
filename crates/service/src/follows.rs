//! Following: local people follow local or remote actors; local actors
//! approve or refuse requests when they approve followers by hand.

use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::urls::{AnsweredKind, LocalUrls};
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::follows::{self, Direction, FollowRow, ACCEPTED, PENDING};
use maillage_db::posts::Page;
use maillage_db::{transaction, DbConnection};

use crate::actors::{actor_of_user, PURPOSE_INSTANCE};
use crate::federation::{Outbound, Outgoing};

/// Where `follower` stands with `target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Relationship {
    pub following: bool,
    pub requested: bool,
    pub followed_by: bool,
    pub blocking: bool,
    pub muting: bool,
}

pub fn relationship(conn: &mut DbConnection, me: &ActorRow, other: &ActorRow) -> Result<Relationship, Error> {
    let out = follows::find(conn, me.id(), other.id())?;
    let back = follows::find(conn, other.id(), me.id())?;
    let held = crate::blocks::relation(conn, me.id, other.id)?;
    Ok(Relationship {
        following: out.as_ref().is_some_and(FollowRow::is_accepted),
        requested: out.as_ref().is_some_and(|f| !f.is_accepted()),
        followed_by: back.is_some_and(|f| f.is_accepted()),
        blocking: held.blocking,
        muting: held.muting,
    })
}

fn actor(conn: &mut DbConnection, id: Id) -> Result<ActorRow, Error> {
    actors::find_by_id(conn, id)?.ok_or_else(|| Error::not_found("Record not found"))
}

/// `user` follows the actor `target_id`. Following a remote actor stays a
/// request until it accepts; a local one is immediate unless it approves
/// followers by hand. Following twice changes nothing.
pub fn follow(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    user: &User,
    target_id: Id,
) -> Result<Relationship, Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let target = actor(conn, target_id)?;
        if target.id == me.id {
            return Err(Error::forbidden("You cannot follow yourself"));
        }
        if target.purpose.as_deref() == Some(PURPOSE_INSTANCE) {
            return Err(Error::forbidden("The instance actor cannot be followed"));
        }
        if follows::find(conn, me.id(), target.id())?.is_none() {
            let now = Timestamp::now();
            let id = Id::generate_at(now);
            let state = if target.local && !target.manually_approves_followers { ACCEPTED } else { PENDING };
            let row = FollowRow {
                id: id.as_i64(),
                ap_id: urls.answered_activity(AnsweredKind::Follow, id),
                follower_id: me.id,
                followed_id: target.id,
                state: state.to_owned(),
                created_at: now.as_micros(),
                updated_at: now.as_micros(),
            };
            follows::insert(conn, &row)?;
            crate::notices::tell_followed(conn, &me, &target, state == ACCEPTED)?;
            if !target.local {
                outbound.publish(conn, Outgoing::Follow { follow: &row, follower: &me, target: &target })?;
            }
        }
        relationship(conn, &me, &target)
    })
}

/// `user` stops following (or withdraws a request to) `target_id`.
pub fn unfollow(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    user: &User,
    target_id: Id,
) -> Result<Relationship, Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let target = actor(conn, target_id)?;
        if let Some(row) = follows::find(conn, me.id(), target.id())? {
            follows::delete(conn, row.id)?;
            if !target.local {
                outbound
                    .publish(conn, Outgoing::UndoFollow { follow: &row, follower: &me, target: &target })?;
            }
        }
        relationship(conn, &me, &target)
    })
}

/// Pending requests to follow `user`.
pub fn requests(conn: &mut DbConnection, user: &User) -> Result<Vec<ActorRow>, Error> {
    let me = actor_of_user(conn, user.id)?;
    Ok(follows::pending_for(conn, me.id())?.into_iter().map(|(_, a)| a).collect())
}

/// Accepts or refuses the request of `follower_id` to follow `user`.
pub fn answer_request(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    user: &User,
    follower_id: Id,
    accept: bool,
) -> Result<Relationship, Error> {
    transaction::write(conn, |conn| {
        let me = actor_of_user(conn, user.id)?;
        let follower = actor(conn, follower_id)?;
        let row = follows::find(conn, follower.id(), me.id())?
            .filter(|f| f.state == PENDING)
            .ok_or_else(|| Error::not_found("Record not found: no such follow request"))?;
        if accept {
            follows::set_state(conn, row.id, ACCEPTED, Timestamp::now())?;
            if !follower.local {
                outbound.publish(
                    conn,
                    Outgoing::AcceptFollow { follow: &row, follower: &follower, target: &me },
                )?;
            }
        } else {
            follows::delete(conn, row.id)?;
            if !follower.local {
                outbound.publish(
                    conn,
                    Outgoing::RejectFollow { follow: &row, follower: &follower, target: &me },
                )?;
            }
        }
        relationship(conn, &me, &follower)
    })
}

/// A page of the accepted followers of `actor` (or of those it follows),
/// each with the follow's id for paging.
pub fn relations(
    conn: &mut DbConnection,
    actor: Id,
    direction: Direction,
    page: Page,
) -> Result<Vec<(i64, ActorRow)>, Error> {
    follows::related_page(conn, actor, direction, ACCEPTED, page)
}

/// A page of the pending requests to follow `actor`.
pub fn pending_requests(
    conn: &mut DbConnection,
    actor: Id,
    page: Page,
) -> Result<Vec<(i64, ActorRow)>, Error> {
    follows::related_page(conn, actor, Direction::Followers, PENDING, page)
}
