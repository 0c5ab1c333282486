//! What Mastodon apps keep on the server for a person: reading positions
//! (`markers`) and bookmarks. Neither is federated.

use diesel::prelude::*;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::posts::{Page, PostRow};
use crate::schema::{bookmarks, markers, posts};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = markers)]
pub struct MarkerRow {
    pub user_id: i64,
    pub timeline: String,
    pub last_read_id: i64,
    pub version: i64,
    pub updated_at: i64,
}

pub fn markers_of(conn: &mut DbConnection, user: Id, timelines: &[String]) -> Result<Vec<MarkerRow>, Error> {
    markers::table
        .filter(markers::user_id.eq(user.as_i64()))
        .filter(markers::timeline.eq_any(timelines))
        .select(MarkerRow::as_select())
        .load(conn)
        .map_err(db_error)
}

/// Moves a marker (creating it at version 1); returns the stored row. Two
/// apps saving at once both land, the later one last.
pub fn set_marker(
    conn: &mut DbConnection,
    user: Id,
    timeline: &str,
    last_read_id: i64,
    now: Timestamp,
) -> Result<MarkerRow, Error> {
    let key =
        markers::table.filter(markers::user_id.eq(user.as_i64())).filter(markers::timeline.eq(timeline));
    let moved = diesel::update(key)
        .set((
            markers::last_read_id.eq(last_read_id),
            markers::version.eq(markers::version + 1),
            markers::updated_at.eq(now.as_micros()),
        ))
        .execute(conn)
        .map_err(db_error)?;
    if moved == 0 {
        let row = MarkerRow {
            user_id: user.as_i64(),
            timeline: timeline.to_owned(),
            last_read_id,
            version: 1,
            updated_at: now.as_micros(),
        };
        if crate::insert_or_ignore!(conn, markers::table, &row)? == 0 {
            // Created meanwhile by another request: move it instead.
            return set_marker(conn, user, timeline, last_read_id, now);
        }
    }
    key.select(MarkerRow::as_select()).first(conn).map_err(db_error)
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = bookmarks)]
pub struct BookmarkRow {
    pub id: i64,
    pub actor_id: i64,
    pub post_id: i64,
    pub created_at: i64,
}

/// Bookmarks a post; bookmarking twice keeps the first.
pub fn add_bookmark(conn: &mut DbConnection, actor: Id, post: Id, now: Timestamp) -> Result<(), Error> {
    let row = BookmarkRow {
        id: Id::generate_at(now).as_i64(),
        actor_id: actor.as_i64(),
        post_id: post.as_i64(),
        created_at: now.as_micros(),
    };
    crate::insert_or_ignore!(conn, bookmarks::table, &row).map(drop)
}

pub fn remove_bookmark(conn: &mut DbConnection, actor: Id, post: Id) -> Result<(), Error> {
    diesel::delete(
        bookmarks::table
            .filter(bookmarks::actor_id.eq(actor.as_i64()))
            .filter(bookmarks::post_id.eq(post.as_i64())),
    )
    .execute(conn)
    .map(drop)
    .map_err(db_error)
}

pub fn is_bookmarked(conn: &mut DbConnection, actor: i64, post: i64) -> Result<bool, Error> {
    diesel::select(diesel::dsl::exists(
        bookmarks::table.filter(bookmarks::actor_id.eq(actor)).filter(bookmarks::post_id.eq(post)),
    ))
    .get_result(conn)
    .map_err(db_error)
}

/// A person's bookmarked live posts, most recently bookmarked first, paged
/// by bookmark id (as Mastodon does: the `Link` header carries those ids).
pub fn bookmarked(conn: &mut DbConnection, actor: Id, page: Page) -> Result<Vec<(i64, PostRow)>, Error> {
    let mut q = bookmarks::table
        .inner_join(posts::table.on(posts::id.eq(bookmarks::post_id)))
        .filter(bookmarks::actor_id.eq(actor.as_i64()))
        .filter(posts::deleted_at.is_null())
        .select((bookmarks::id, PostRow::as_select()))
        .into_boxed();
    if let Some(max) = page.max_id {
        q = q.filter(bookmarks::id.lt(max));
    }
    if let Some(since) = page.since_id {
        q = q.filter(bookmarks::id.gt(since));
    }
    let limit = page.limit.clamp(1, 40);
    if let Some(min) = page.min_id {
        let mut rows: Vec<(i64, PostRow)> = q
            .filter(bookmarks::id.gt(min))
            .order(bookmarks::id.asc())
            .limit(limit)
            .load(conn)
            .map_err(db_error)?;
        rows.reverse();
        return Ok(rows);
    }
    q.order(bookmarks::id.desc()).limit(limit).load(conn).map_err(db_error)
}
