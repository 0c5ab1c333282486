//! Bookmarks and reading positions (markers) kept for Mastodon apps.

use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::client_state::{self, MarkerRow};
use maillage_db::posts::{self, PostRow};
use maillage_db::DbConnection;

use crate::actors::actor_of_user;
use crate::posts::can_see;

/// The timelines apps may keep a position in.
pub const MARKER_TIMELINES: [&str; 2] = ["home", "notifications"];

/// Bookmarks (or un-bookmarks) a status the person may see; 404 otherwise,
/// so that a bookmark never reveals a status.
pub fn bookmark(conn: &mut DbConnection, user: &User, id: Id, on: bool) -> Result<PostRow, Error> {
    let me = actor_of_user(conn, user.id)?;
    let post = posts::find_by_id(conn, id)?
        .filter(|p| !p.is_deleted())
        .ok_or_else(|| Error::not_found("Record not found"))?;
    if !can_see(conn, &post, Some(&me))? {
        return Err(Error::not_found("Record not found"));
    }
    if on {
        client_state::add_bookmark(conn, me.id(), post.id(), Timestamp::now())?;
    } else {
        client_state::remove_bookmark(conn, me.id(), post.id())?;
    }
    Ok(post)
}

/// The markers asked for; unknown timeline names are ignored, as Mastodon
/// does.
pub fn markers(conn: &mut DbConnection, user: &User, timelines: &[String]) -> Result<Vec<MarkerRow>, Error> {
    let wanted: Vec<String> =
        timelines.iter().filter(|t| MARKER_TIMELINES.contains(&t.as_str())).cloned().collect();
    client_state::markers_of(conn, user.id, &wanted)
}

/// Saves positions given as (timeline, last read id) pairs. A position that
/// is not an id is refused before anything is saved.
pub fn save_markers(
    conn: &mut DbConnection,
    user: &User,
    positions: &[(String, String)],
) -> Result<Vec<MarkerRow>, Error> {
    let mut parsed = Vec::new();
    for (timeline, last_read) in positions {
        if !MARKER_TIMELINES.contains(&timeline.as_str()) {
            continue;
        }
        let id: i64 = last_read.trim().parse().map_err(|_| {
            Error::unprocessable(format!("Validation failed: {timeline}[last_read_id]: must be an id"))
        })?;
        parsed.push((timeline.clone(), id));
    }
    maillage_db::transaction::write(conn, |conn| {
        let now = Timestamp::now();
        parsed.iter().map(|(t, id)| client_state::set_marker(conn, user.id, t, *id, now)).collect()
    })
}

/// A page of `me`'s bookmarks that `me` may still see, each with the
/// bookmark's id for paging.
pub fn bookmarks(
    conn: &mut DbConnection,
    me: &maillage_db::actors::ActorRow,
    page: maillage_db::posts::Page,
) -> Result<Vec<(i64, PostRow)>, Error> {
    let mut out = Vec::new();
    for (mark, post) in client_state::bookmarked(conn, me.id(), page)? {
        if can_see(conn, &post, Some(me))? {
            out.push((mark, post));
        }
    }
    Ok(out)
}
