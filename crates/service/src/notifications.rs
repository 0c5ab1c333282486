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

/// How a person is named to others: their display name, else their
/// handle.
pub fn name_of(a: &ActorRow) -> String {
    if a.display_name.is_empty() {
        format!("@{}@{}", a.username, a.domain)
    } else {
        a.display_name.clone()
    }
}

/// The sentence telling of an event of `reason` caused by `who`, the same
/// in the pages and in mails.
pub fn sentence(lang: maillage_core::i18n::Lang, reason: &str, who: &str) -> String {
    let key = match reason {
        "mention" => "notif_mention",
        "message" => "notif_message",
        "follow" => "notif_follow",
        "follow_request" => "notif_follow_request",
        "favourite" => "notif_favourite",
        "reblog" => "notif_reblog",
        "match" => "notif_match",
        "match_digest" => "notif_match_digest",
        "pairing" => "notif_pairing",
        "interest" => "notif_interest",
        "interest_accepted" => "notif_interest_accepted",
        "interest_declined" => "notif_interest_declined",
        "exchange_done" => "notif_exchange_done",
        "group_request" => "notif_group_request",
        "group_accepted" => "notif_group_accepted",
        "group_refused" => "notif_group_refused",
        "session_joined" => "notif_session_joined",
        "session_promoted" => "notif_session_promoted",
        "session_changed" => "notif_session_changed",
        "session_cancelled" => "notif_session_cancelled",
        "ledger_confirmation" => "notif_ledger_confirmation",
        "admin.report" => "notif_admin_report",
        _ => "notif_other",
    };
    lang.fill(key, &[who])
}

/// The path on this node a notification leads to: the conversation of its
/// message, the page of what it names, or the list it belongs to; `None`
/// for the status's or the person's own address.
pub fn local_path(reason: &str, conversation: Option<i64>) -> Option<String> {
    if let Some(c) = conversation {
        return Some(format!("/me/conversations/{c}"));
    }
    Some(
        match reason {
            "match" | "match_digest" | "pairing" => "/me/matches",
            "group_request" => "/me/groups",
            "session_joined" | "session_promoted" | "session_changed" | "session_cancelled" => "/me/sessions",
            "interest"
            | "interest_accepted"
            | "interest_declined"
            | "exchange_done"
            | "ledger_confirmation" => "/me/listings",
            "admin.report" => "/admin",
            _ => return None,
        }
        .to_owned(),
    )
}

/// The start of a status's text, on one line, for a notification.
pub fn excerpt(post: &PostRow, max_chars: usize) -> String {
    let text = crate::text::html_to_text(&post.content_html);
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match words.char_indices().nth(max_chars) {
        Some((at, _)) => format!("{}…", &words[..at]),
        None => words,
    }
}
