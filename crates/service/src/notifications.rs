//! A person's notifications, as apps read and dismiss them (what they are
//! told is `notices`' business).

use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::notifications::{self, NotificationRow};
use maillage_db::posts::PostRow;
use maillage_db::DbConnection;

/// A notification with who caused it and the status it is about, when
/// `me` may still see that status.
#[derive(Debug, Clone)]
pub struct Notification {
    pub row: NotificationRow,
    pub from: ActorRow,
    pub status: Option<PostRow>,
}

/// Completes `row`; `None` when whoever caused it is no longer known.
fn complete(
    conn: &mut DbConnection,
    row: NotificationRow,
    me: &ActorRow,
) -> Result<Option<Notification>, Error> {
    let Some(from) =
        row.from_actor_id.map(|a| actors::find_by_id(conn, Id::from_i64(a))).transpose()?.flatten()
    else {
        return Ok(None);
    };
    let status = match row.post_id {
        Some(p) => crate::posts::get_visible(conn, Id::from_i64(p), Some(me)).ok(),
        None => None,
    };
    Ok(Some(Notification { row, from, status }))
}

/// `me`'s notifications, newest first, older than `max_id` when given.
pub fn of(
    conn: &mut DbConnection,
    me: &ActorRow,
    max_id: Option<i64>,
    limit: i64,
) -> Result<Vec<Notification>, Error> {
    let silenced = crate::blocks::silenced_by(conn, me.id)?;
    let mut out = Vec::new();
    for row in notifications::of_recipient(conn, me.id, max_id, limit)? {
        if row.from_actor_id.is_some_and(|a| silenced.contains(&a)) {
            continue;
        }
        if let Some(n) = complete(conn, row, me)? {
            out.push(n);
        }
    }
    Ok(out)
}

/// `me`'s notification `id`; 404 when there is none.
pub fn get(conn: &mut DbConnection, me: &ActorRow, id: Id) -> Result<Notification, Error> {
    let row = notifications::find_of(conn, me.id, id.as_i64())?;
    row.map(|row| complete(conn, row, me))
        .transpose()?
        .flatten()
        .ok_or_else(|| Error::not_found("Record not found"))
}

/// Dismisses `me`'s notification `id`, or all of them; 404 when `id` is
/// not one of `me`'s.
pub fn dismiss(conn: &mut DbConnection, me: &ActorRow, id: Option<Id>) -> Result<(), Error> {
    let done = notifications::dismiss(conn, me.id, id.map(Id::as_i64), Timestamp::now().as_micros())?;
    if id.is_some() && done == 0 {
        return Err(Error::not_found("Record not found"));
    }
    Ok(())
}

/// The reading position the pages and apps share (Mastodon's
/// `notifications` marker).
const MARKER: &str = "notifications";

/// How many of `me`'s notifications came after the last one they saw
/// (at most 99: the header shows "99").
pub fn unseen_count(
    conn: &mut DbConnection,
    user: &maillage_core::account::User,
    me: &ActorRow,
) -> Result<i64, Error> {
    let seen = maillage_db::client_state::markers_of(conn, user.id, &[MARKER.to_owned()])?
        .first()
        .map(|m| m.last_read_id)
        .unwrap_or(0);
    notifications::count_after(conn, me.id, seen, 99)
}

/// Marks everything up to notification `id` seen.
pub fn mark_seen(conn: &mut DbConnection, user: &maillage_core::account::User, id: i64) -> Result<(), Error> {
    maillage_db::transaction::write(conn, |conn| {
        let seen = maillage_db::client_state::markers_of(conn, user.id, &[MARKER.to_owned()])?;
        if seen.first().is_some_and(|m| m.last_read_id >= id) {
            return Ok(());
        }
        maillage_db::client_state::set_marker(conn, user.id, MARKER, id, Timestamp::now()).map(drop)
    })
}

/// The conversation a notification's status belongs to, for its link.
pub fn conversation_of(conn: &mut DbConnection, n: &Notification) -> Result<Option<i64>, Error> {
    match &n.status {
        Some(post) => crate::conversations::of_post(conn, post),
        None => Ok(None),
    }
}
