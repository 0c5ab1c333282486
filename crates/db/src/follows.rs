//! The `follows` table: who follows whom, pending or accepted.

use diesel::prelude::*;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;

use crate::actors::ActorRow;
use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::{actors, follows};

pub const PENDING: &str = "pending";
pub const ACCEPTED: &str = "accepted";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = follows)]
pub struct FollowRow {
    pub id: i64,
    pub ap_id: String,
    pub follower_id: i64,
    pub followed_id: i64,
    pub state: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl FollowRow {
    pub fn is_accepted(&self) -> bool {
        self.state == ACCEPTED
    }
}

pub fn insert(conn: &mut DbConnection, row: &FollowRow) -> Result<(), Error> {
    diesel::insert_into(follows::table).values(row).execute(conn).map(drop).map_err(db_error)
}

pub fn find(conn: &mut DbConnection, follower: Id, followed: Id) -> Result<Option<FollowRow>, Error> {
    follows::table
        .filter(follows::follower_id.eq(follower.as_i64()))
        .filter(follows::followed_id.eq(followed.as_i64()))
        .select(FollowRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// Which of `followed` `follower` follows, accepted: for deciding a page
/// of followers-only listings with one query.
pub fn accepted_among(conn: &mut DbConnection, follower: i64, followed: &[i64]) -> Result<Vec<i64>, Error> {
    if followed.is_empty() {
        return Ok(Vec::new());
    }
    follows::table
        .filter(follows::follower_id.eq(follower))
        .filter(follows::followed_id.eq_any(followed))
        .filter(follows::state.eq(ACCEPTED))
        .select(follows::followed_id)
        .load(conn)
        .map_err(db_error)
}

pub fn find_by_ap_id(conn: &mut DbConnection, ap_id: &str) -> Result<Option<FollowRow>, Error> {
    follows::table
        .filter(follows::ap_id.eq(ap_id))
        .select(FollowRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn set_state(conn: &mut DbConnection, id: i64, state: &str, now: Timestamp) -> Result<(), Error> {
    diesel::update(follows::table.find(id))
        .set((follows::state.eq(state), follows::updated_at.eq(now.as_micros())))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}

pub fn delete(conn: &mut DbConnection, id: i64) -> Result<(), Error> {
    diesel::delete(follows::table.find(id)).execute(conn).map(drop).map_err(db_error)
}

/// Which side of the follows of an actor to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Those who follow the actor.
    Followers,
    /// Those the actor follows.
    Following,
}

/// Accepted followers (or followed actors) of `actor`, oldest first, paged
/// by follow id (the ActivityPub collections' order).
pub fn related(
    conn: &mut DbConnection,
    actor: Id,
    direction: Direction,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<(i64, ActorRow)>, Error> {
    let page =
        crate::posts::Page { max_id: None, since_id: None, min_id: Some(after.unwrap_or(i64::MIN)), limit };
    let mut rows = related_page(conn, actor, direction, ACCEPTED, page)?;
    rows.reverse();
    Ok(rows)
}

/// Followers (or followed actors) of `actor` in a follow `state`, newest
/// first, paged by follow id as Mastodon's lists are.
pub fn related_page(
    conn: &mut DbConnection,
    actor: Id,
    direction: Direction,
    state: &str,
    page: crate::posts::Page,
) -> Result<Vec<(i64, ActorRow)>, Error> {
    macro_rules! page {
        ($me:expr, $other:expr) => {{
            let mut q = follows::table
                .inner_join(actors::table.on(actors::id.eq($other)))
                .filter($me.eq(actor.as_i64()))
                .filter(follows::state.eq(state.to_owned()))
                .select((follows::id, ActorRow::as_select()))
                .into_boxed();
            if let Some(max) = page.max_id {
                q = q.filter(follows::id.lt(max));
            }
            if let Some(since) = page.since_id {
                q = q.filter(follows::id.gt(since));
            }
            let limit = page.limit.clamp(1, 80);
            match page.min_id {
                Some(min) => {
                    let mut rows: Vec<(i64, ActorRow)> = q
                        .filter(follows::id.gt(min))
                        .order(follows::id.asc())
                        .limit(limit)
                        .load(conn)
                        .map_err(db_error)?;
                    rows.reverse();
                    Ok(rows)
                }
                None => q.order(follows::id.desc()).limit(limit).load(conn).map_err(db_error),
            }
        }};
    }
    match direction {
        Direction::Followers => page!(follows::followed_id, follows::follower_id),
        Direction::Following => page!(follows::follower_id, follows::followed_id),
    }
}

/// Pending follow requests addressed to `actor`.
pub fn pending_for(conn: &mut DbConnection, actor: Id) -> Result<Vec<(FollowRow, ActorRow)>, Error> {
    follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::followed_id.eq(actor.as_i64()))
        .filter(follows::state.eq(PENDING))
        .select((FollowRow::as_select(), ActorRow::as_select()))
        .order(follows::id.asc())
        .load(conn)
        .map_err(db_error)
}

pub fn count_followers(conn: &mut DbConnection, actor: Id) -> Result<i64, Error> {
    follows::table
        .filter(follows::followed_id.eq(actor.as_i64()))
        .filter(follows::state.eq(ACCEPTED))
        .count()
        .get_result(conn)
        .map_err(db_error)
}

pub fn count_following(conn: &mut DbConnection, actor: Id) -> Result<i64, Error> {
    follows::table
        .filter(follows::follower_id.eq(actor.as_i64()))
        .filter(follows::state.eq(ACCEPTED))
        .count()
        .get_result(conn)
        .map_err(db_error)
}

/// The distinct inboxes (shared when possible) of the remote accepted
/// followers of `actor`: where one of its activities must be delivered.
pub fn remote_follower_inboxes(conn: &mut DbConnection, actor: Id) -> Result<Vec<String>, Error> {
    remote_follower_inboxes_except(conn, actor, &[])
}

/// The same, leaving out the followers in `except` (territories linked at
/// the `listings` level, which do not take posts).
pub fn remote_follower_inboxes_except(
    conn: &mut DbConnection,
    actor: Id,
    except: &[i64],
) -> Result<Vec<String>, Error> {
    let rows: Vec<(String, Option<String>)> = follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::followed_id.eq(actor.as_i64()))
        .filter(follows::state.eq(ACCEPTED))
        .filter(actors::local.eq(false))
        .filter(actors::id.ne_all(except))
        .select((actors::inbox_url, actors::shared_inbox_url))
        .load(conn)
        .map_err(db_error)?;
    let mut inboxes: Vec<String> = rows.into_iter().map(|(inbox, shared)| shared.unwrap_or(inbox)).collect();
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

/// Whether a local person or group (not the node's own actors) follows
/// `actor`.
pub fn has_local_follower_person(conn: &mut DbConnection, actor: Id) -> Result<bool, Error> {
    let n: i64 = follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::followed_id.eq(actor.as_i64()))
        .filter(follows::state.eq(ACCEPTED))
        .filter(actors::local.eq(true))
        .filter(actors::purpose.is_null())
        .count()
        .get_result(conn)
        .map_err(db_error)?;
    Ok(n > 0)
}

/// Removes every follow between local actors and actors of `domain`, both
/// ways (used when a domain is suspended).
pub fn delete_with_domain(conn: &mut DbConnection, domain: &str) -> Result<usize, Error> {
    let remote_ids = actors::table.filter(actors::domain.eq(domain.to_owned())).select(actors::id);
    diesel::delete(
        follows::table.filter(
            follows::follower_id.eq_any(remote_ids.clone()).or(follows::followed_id.eq_any(remote_ids)),
        ),
    )
    .execute(conn)
    .map_err(db_error)
}

/// Removes every follow from or to `actor` (the actor was deleted).
pub fn delete_with_actor(conn: &mut DbConnection, actor: Id) -> Result<usize, Error> {
    diesel::delete(
        follows::table
            .filter(follows::follower_id.eq(actor.as_i64()).or(follows::followed_id.eq(actor.as_i64()))),
    )
    .execute(conn)
    .map_err(db_error)
}
