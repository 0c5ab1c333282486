//! What local people are told, and how they want to hear of matches.

use diesel::prelude::*;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::{notifications, users};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    pub id: i64,
    /// The local actor told.
    pub recipient_id: i64,
    /// As Mastodon names it: `mention`, `follow`…
    pub kind: String,
    /// Why: `match`, `match_digest`, `pairing`…
    pub reason: String,
    pub from_actor_id: Option<i64>,
    pub post_id: Option<i64>,
    pub match_id: Option<i64>,
    pub created_at: i64,
    pub dismissed_at: Option<i64>,
}

pub fn insert(conn: &mut DbConnection, row: &NotificationRow) -> Result<(), Error> {
    diesel::insert_into(notifications::table).values(row).execute(conn).map(drop).map_err(db_error)
}

/// The recipient's notifications not dismissed, newest first, with ids
/// below `max_id` when given.
pub fn of_recipient(
    conn: &mut DbConnection,
    recipient: i64,
    max_id: Option<i64>,
    limit: i64,
) -> Result<Vec<NotificationRow>, Error> {
    let mut q = notifications::table
        .filter(notifications::recipient_id.eq(recipient))
        .filter(notifications::dismissed_at.is_null())
        .order(notifications::id.desc())
        .limit(limit)
        .select(NotificationRow::as_select())
        .into_boxed();
    if let Some(max) = max_id {
        q = q.filter(notifications::id.lt(max));
    }
    q.load(conn).map_err(db_error)
}

/// One of the recipient's notifications; someone else's is not found.
pub fn find_of(conn: &mut DbConnection, recipient: i64, id: i64) -> Result<Option<NotificationRow>, Error> {
    notifications::table
        .find(id)
        .filter(notifications::recipient_id.eq(recipient))
        .filter(notifications::dismissed_at.is_null())
        .select(NotificationRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// Dismisses one notification of the recipient, or all when `id` is None.
pub fn dismiss(conn: &mut DbConnection, recipient: i64, id: Option<i64>, now: i64) -> Result<usize, Error> {
    let mut q = diesel::update(notifications::table)
        .filter(notifications::recipient_id.eq(recipient))
        .filter(notifications::dismissed_at.is_null())
        .into_boxed();
    if let Some(id) = id {
        q = q.filter(notifications::id.eq(id));
    }
    q.set(notifications::dismissed_at.eq(now)).execute(conn).map_err(db_error)
}

/// How a person hears of matches (`instant`, `digest`, `none`) and when
/// their last digest went out.
pub fn match_preference(conn: &mut DbConnection, user: i64) -> Result<Option<(String, Option<i64>)>, Error> {
    users::table
        .find(user)
        .select((users::match_notifications, users::digest_sent_at))
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// Sets the preference; choosing the digest starts it now, so that the
/// first digest gathers what comes after.
pub fn set_match_preference(
    conn: &mut DbConnection,
    user: i64,
    preference: &str,
    now: i64,
) -> Result<(), Error> {
    diesel::update(users::table.find(user))
        .set((users::match_notifications.eq(preference), users::digest_sent_at.eq(Some(now))))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}

/// People on the digest whose last one went out before `before`.
pub fn digests_due(
    conn: &mut DbConnection,
    before: i64,
    limit: i64,
) -> Result<Vec<(i64, Option<i64>)>, Error> {
    users::table
        .filter(users::match_notifications.eq("digest"))
        .filter(users::digest_sent_at.is_null().or(users::digest_sent_at.lt(before)))
        .order(users::id.asc())
        .limit(limit)
        .select((users::id, users::digest_sent_at))
        .load(conn)
        .map_err(db_error)
}

/// Moves the digest mark from `from` to `now`; false when another
/// process moved it first.
pub fn mark_digest_sent(
    conn: &mut DbConnection,
    user: i64,
    from: Option<i64>,
    now: i64,
) -> Result<bool, Error> {
    let q = diesel::update(users::table.find(user)).set(users::digest_sent_at.eq(Some(now)));
    let n = match from {
        Some(f) => q.filter(users::digest_sent_at.eq(f)).execute(conn),
        None => diesel::update(users::table.find(user).filter(users::digest_sent_at.is_null()))
            .set(users::digest_sent_at.eq(Some(now)))
            .execute(conn),
    };
    n.map(|n| n == 1).map_err(db_error)
}

/// How many of the recipient's notifications not dismissed have an id
/// above `after`, counting at most `cap`.
pub fn count_after(conn: &mut DbConnection, recipient: i64, after: i64, cap: i64) -> Result<i64, Error> {
    let ids: Vec<i64> = notifications::table
        .filter(notifications::recipient_id.eq(recipient))
        .filter(notifications::dismissed_at.is_null())
        .filter(notifications::id.gt(after))
        .select(notifications::id)
        .limit(cap)
        .load(conn)
        .map_err(db_error)?;
    Ok(ids.len() as i64)
}

/// A notification by id, whoever it was for (the pusher's read).
pub fn find_any(conn: &mut DbConnection, id: i64) -> Result<Option<NotificationRow>, Error> {
    notifications::table
        .find(id)
        .select(NotificationRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}
