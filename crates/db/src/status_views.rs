//! Listings and sessions seen as statuses. Each has a row in `posts` with
//! its own id and kind `Listing` or `Event`, so that timelines, threads,
//! favourites, boosts, bookmarks and notifications treat them as any post.
//! The row holds who, when and for whom; the content is rendered when read.
//!
//! Invariant: the writes of [`crate::listings`] and [`crate::sessions`]
//! call [`mirror_listing`] and [`mirror_session`] in the same transaction,
//! so a status view never outlives or lags its listing.

use diesel::prelude::*;
use maillage_core::id::Id;
use maillage_core::post::PostVisibility;
use maillage_core::time::Timestamp;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::listings::ListingRow;
use crate::posts::{self, PostRow, PostTagRow};
use crate::schema::posts as posts_table;
use crate::sessions::SessionRow;

pub const LISTING_KIND: &str = "Listing";
pub const SESSION_KIND: &str = "Event";

/// Whether a post row stands for a listing or a session.
pub fn is_view(post: &PostRow) -> bool {
    matches!(post.kind.as_str(), LISTING_KIND | SESSION_KIND)
}

/// A view with everything but identity, audience and dates left empty.
fn view_row(kind: &str, id: i64, ap_id: &str, author_id: i64) -> PostRow {
    PostRow {
        id,
        ap_id: ap_id.to_owned(),
        author_id,
        kind: kind.to_owned(),
        content_html: String::new(),
        source: None,
        summary: String::new(),
        sensitive: false,
        visibility: PostVisibility::Public,
        in_reply_to: None,
        url: None,
        language: None,
        to_json: "[]".into(),
        cc_json: "[]".into(),
        local: false,
        published_at: 0,
        updated_at: None,
        deleted_at: None,
    }
}

/// Writes the view of `row` (and its hashtags, so tag timelines show it).
pub fn mirror_listing(conn: &mut DbConnection, row: &ListingRow) -> Result<(), Error> {
    let view = PostRow {
        visibility: PostVisibility::of_listing(row.visibility),
        url: row.url.clone(),
        local: row.local,
        published_at: row.published_at,
        updated_at: row.updated_at,
        deleted_at: row.deleted_at,
        ..view_row(LISTING_KIND, row.id, &row.ap_id, row.author_id)
    };
    let now = Timestamp::now();
    let tags: Vec<PostTagRow> = row
        .tag_list()
        .into_iter()
        .map(|name| PostTagRow {
            id: Id::generate_at(now).as_i64(),
            post_id: row.id,
            kind: "hashtag".into(),
            name,
            href: None,
        })
        .collect();
    write(conn, &view, &tags)
}

pub fn mirror_session(conn: &mut DbConnection, row: &SessionRow) -> Result<(), Error> {
    let view = PostRow {
        url: row.url.clone(),
        local: row.local,
        published_at: row.published_at,
        updated_at: row.updated_at,
        deleted_at: row.deleted_at,
        ..view_row(SESSION_KIND, row.id, &row.ap_id, row.organizer_id)
    };
    write(conn, &view, &[])
}

/// Keeps the view's `updated_at` in step with a status change.
pub fn touch(conn: &mut DbConnection, id: Id, now: Timestamp) -> Result<(), Error> {
    diesel::update(posts_table::table.find(id.as_i64()).filter(posts_table::deleted_at.is_null()))
        .set(posts_table::updated_at.eq(Some(now.as_micros())))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}

fn write(conn: &mut DbConnection, view: &PostRow, tags: &[PostTagRow]) -> Result<(), Error> {
    if let Some(at) = view.deleted_at {
        return posts::mark_deleted(conn, view.id(), Timestamp::from_micros(at));
    }
    if !posts::insert_or_ignore(conn, view, tags)? {
        posts::update(conn, view, tags)?;
    }
    Ok(())
}
