//! Reading sessions: the one rule of who may see a session ([`can_see`])
//! and what pages and APIs show of one.

use maillage_core::id::Id;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::sessions::{self, ParticipationRow, SessionRow};
use maillage_db::DbConnection;

/// Whether `viewer` may see `row`: sessions are public (their status view
/// is public, their participants are listed to everyone) until deleted,
/// when nobody sees them.
pub fn can_see(row: &SessionRow, _viewer: Option<&ActorRow>) -> bool {
    row.deleted_at.is_none()
}

/// Session `id` if `viewer` may see it.
pub fn find_visible(
    conn: &mut DbConnection,
    id: Id,
    viewer: Option<&ActorRow>,
) -> Result<Option<SessionRow>, Error> {
    Ok(sessions::find_by_id(conn, id)?.filter(|row| can_see(row, viewer)))
}

/// Session `id` if `viewer` may see it; 404 otherwise.
pub fn get_visible(conn: &mut DbConnection, id: Id, viewer: Option<&ActorRow>) -> Result<SessionRow, Error> {
    find_visible(conn, id, viewer)?.ok_or_else(|| Error::not_found("Record not found"))
}

/// How many have a place and how many wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attendance {
    pub going: i64,
    pub waiting: i64,
}

pub fn attendance(conn: &mut DbConnection, row: &SessionRow) -> Result<Attendance, Error> {
    Ok(Attendance {
        going: sessions::count_in_state(conn, row.id(), "going")?,
        waiting: sessions::count_in_state(conn, row.id(), "waiting")?,
    })
}

/// The people of a visible session in `state` (`going` or `waiting`),
/// first come first.
pub fn participants(
    conn: &mut DbConnection,
    row: &SessionRow,
    state: &str,
) -> Result<Vec<(ParticipationRow, ActorRow)>, Error> {
    if !can_see(row, None) {
        return Ok(Vec::new());
    }
    sessions::participants(conn, row.id(), state)
}

/// `who`'s place in a session: `going`, `waiting`, or "" for none.
pub fn place_of(conn: &mut DbConnection, session: Id, who: Id) -> Result<String, Error> {
    Ok(sessions::find_participation(conn, session, who)?.map(|p| p.state).unwrap_or_default())
}

/// Sessions starting from `from` (microseconds), soonest first, organised by
/// `organizer` or in `group` when given.
pub fn upcoming(
    conn: &mut DbConnection,
    organizer: Option<i64>,
    group: Option<i64>,
    from: i64,
    limit: i64,
) -> Result<Vec<SessionRow>, Error> {
    Ok(sessions::upcoming_of(conn, organizer, group, from, limit)?
        .into_iter()
        .filter(|s| can_see(s, None))
        .collect())
}

/// Sessions from `from` that `actor` organises or has a place in (going
/// or waiting), soonest first.
pub fn mine(conn: &mut DbConnection, actor: i64, from: i64, limit: i64) -> Result<Vec<SessionRow>, Error> {
    sessions::upcoming_with(conn, actor, from, limit)
}

/// The HTML a Mastodon app shows for session `id`, with its places left
/// now; `None` when there is no such session.
pub fn status_html(conn: &mut DbConnection, id: Id, lang: &str) -> Result<Option<String>, Error> {
    match sessions::find_by_id(conn, id)? {
        Some(s) => {
            let going = sessions::count_in_state(conn, s.id(), "going")?;
            Ok(Some(crate::status_text::session_html(&s, going, lang)))
        }
        None => Ok(None),
    }
}
