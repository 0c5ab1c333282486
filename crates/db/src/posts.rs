//! The `posts` and `post_tags` tables: notes, local and remote.

use diesel::prelude::*;
use maillage_core::id::Id;
use maillage_core::post::PostVisibility;
use maillage_core::time::Timestamp;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::{post_tags, posts};
use crate::status_views::{LISTING_KIND, SESSION_KIND};

const VIEW_KINDS: [&str; 2] = [LISTING_KIND, SESSION_KIND];

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = posts, treat_none_as_null = true)]
pub struct PostRow {
    pub id: i64,
    pub ap_id: String,
    pub author_id: i64,
    pub kind: String,
    pub content_html: String,
    pub source: Option<String>,
    pub summary: String,
    pub sensitive: bool,
    pub visibility: PostVisibility,
    pub in_reply_to: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
    pub to_json: String,
    pub cc_json: String,
    pub local: bool,
    pub published_at: i64,
    pub updated_at: Option<i64>,
    pub deleted_at: Option<i64>,
}

impl PostRow {
    pub fn id(&self) -> Id {
        Id::from_i64(self.id)
    }

    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = post_tags)]
pub struct PostTagRow {
    pub id: i64,
    pub post_id: i64,
    pub kind: String,
    pub name: String,
    pub href: Option<String>,
}

pub fn insert(conn: &mut DbConnection, post: &PostRow, tags: &[PostTagRow]) -> Result<(), Error> {
    diesel::insert_into(posts::table).values(post).execute(conn).map_err(db_error)?;
    if !tags.is_empty() {
        crate::batch_insert!(conn, post_tags::table, tags)?;
    }
    Ok(())
}

/// Inserts a post and its tags unless a post with its id exists; returns
/// whether it went in.
pub fn insert_or_ignore(conn: &mut DbConnection, post: &PostRow, tags: &[PostTagRow]) -> Result<bool, Error> {
    if crate::insert_or_ignore!(conn, posts::table, post)? == 0 {
        return Ok(false);
    }
    if !tags.is_empty() {
        crate::batch_insert!(conn, post_tags::table, tags)?;
    }
    Ok(true)
}

/// Replaces a post's columns and its tags.
pub fn update(conn: &mut DbConnection, post: &PostRow, tags: &[PostTagRow]) -> Result<(), Error> {
    // A post deleted meanwhile stays deleted: an edit never resurrects it.
    let live = diesel::update(posts::table.find(post.id).filter(posts::deleted_at.is_null()))
        .set(post)
        .execute(conn)
        .map_err(db_error)?;
    if live == 0 {
        return Ok(());
    }
    diesel::delete(post_tags::table.filter(post_tags::post_id.eq(post.id)))
        .execute(conn)
        .map_err(db_error)?;
    if !tags.is_empty() {
        crate::batch_insert!(conn, post_tags::table, tags)?;
    }
    Ok(())
}

/// Keeps the row as a tombstone: content and tags go, the id stays.
pub fn mark_deleted(conn: &mut DbConnection, id: Id, now: Timestamp) -> Result<(), Error> {
    diesel::update(posts::table.find(id.as_i64()))
        .set((
            posts::deleted_at.eq(Some(now.as_micros())),
            posts::content_html.eq(""),
            posts::source.eq(None::<String>),
            posts::summary.eq(""),
        ))
        .execute(conn)
        .map_err(db_error)?;
    diesel::delete(post_tags::table.filter(post_tags::post_id.eq(id.as_i64())))
        .execute(conn)
        .map(drop)
        .map_err(db_error)
}

pub fn find_by_id(conn: &mut DbConnection, id: Id) -> Result<Option<PostRow>, Error> {
    posts::table.find(id.as_i64()).select(PostRow::as_select()).first(conn).optional().map_err(db_error)
}

pub fn find_by_ap_id(conn: &mut DbConnection, ap_id: &str) -> Result<Option<PostRow>, Error> {
    posts::table
        .filter(posts::ap_id.eq(ap_id))
        .select(PostRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn tags(conn: &mut DbConnection, post: Id) -> Result<Vec<PostTagRow>, Error> {
    post_tags::table
        .filter(post_tags::post_id.eq(post.as_i64()))
        .select(PostTagRow::as_select())
        .order(post_tags::id.asc())
        .load(conn)
        .map_err(db_error)
}

/// The mentions of each of `posts_ids`, in one query.
pub fn mentions_of_many(conn: &mut DbConnection, post_ids: &[i64]) -> Result<Vec<PostTagRow>, Error> {
    post_tags::table
        .filter(post_tags::post_id.eq_any(post_ids))
        .filter(post_tags::kind.eq("mention"))
        .select(PostTagRow::as_select())
        .load(conn)
        .map_err(db_error)
}

/// An author's live notes (not the status views of listings and sessions,
/// which federate as themselves) with one of `visibilities`, newest first,
/// paged by id.
pub fn by_author(
    conn: &mut DbConnection,
    author: Id,
    visibilities: &[PostVisibility],
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<PostRow>, Error> {
    let mut q = posts::table
        .filter(posts::author_id.eq(author.as_i64()))
        .filter(posts::deleted_at.is_null())
        .filter(posts::visibility.eq_any(visibilities.to_vec()))
        .filter(posts::kind.ne_all(VIEW_KINDS))
        .select(PostRow::as_select())
        .order(posts::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(before) = before {
        q = q.filter(posts::id.lt(before));
    }
    q.load(conn).map_err(db_error)
}

/// How many notes [`by_author`] pages through.
pub fn count_notes_by_author(
    conn: &mut DbConnection,
    author: Id,
    visibilities: &[PostVisibility],
) -> Result<i64, Error> {
    posts::table
        .filter(posts::author_id.eq(author.as_i64()))
        .filter(posts::deleted_at.is_null())
        .filter(posts::visibility.eq_any(visibilities.to_vec()))
        .filter(posts::kind.ne_all(VIEW_KINDS))
        .count()
        .get_result(conn)
        .map_err(db_error)
}

pub fn count_by_author(
    conn: &mut DbConnection,
    author: Id,
    visibilities: &[PostVisibility],
) -> Result<i64, Error> {
    posts::table
        .filter(posts::author_id.eq(author.as_i64()))
        .filter(posts::deleted_at.is_null())
        .filter(posts::visibility.eq_any(visibilities.to_vec()))
        .count()
        .get_result(conn)
        .map_err(db_error)
}

pub fn count_local(conn: &mut DbConnection) -> Result<i64, Error> {
    posts::table
        .filter(posts::local.eq(true))
        .filter(posts::deleted_at.is_null())
        .count()
        .get_result(conn)
        .map_err(db_error)
}

/// Marks every live post of `author` deleted (the author was deleted).
pub fn mark_all_deleted_by(conn: &mut DbConnection, author: Id, now: Timestamp) -> Result<usize, Error> {
    diesel::update(
        posts::table.filter(posts::author_id.eq(author.as_i64())).filter(posts::deleted_at.is_null()),
    )
    .set((posts::deleted_at.eq(Some(now.as_micros())), posts::content_html.eq(""), posts::summary.eq("")))
    .execute(conn)
    .map_err(db_error)
}

/// Which posts a timeline shows.
#[derive(Debug, Clone, Copy)]
pub enum Timeline<'a> {
    /// Posts by the actors `viewer` follows, and its own.
    Home { viewer: Id },
    /// Public posts; `local` restricts to this node's (`Some(true)`) or to
    /// other nodes' (`Some(false)`); posts by the `hidden` authors (limited
    /// by the federation policy) are left out.
    Public { local: Option<bool>, hidden: &'a [i64] },
    /// One author's public and unlisted posts.
    Author { author: Id },
    /// Public posts with a hashtag (folded, without `#`).
    Tag { name: &'a str },
    /// The posts `viewer` favourited.
    Favourites { viewer: Id },
}

/// Mastodon's pagination: `max_id` (older than), `since_id` (newer than,
/// newest first), `min_id` (newer than, right after it).
#[derive(Debug, Clone, Copy, Default)]
pub struct Page {
    pub max_id: Option<i64>,
    pub since_id: Option<i64>,
    pub min_id: Option<i64>,
    pub limit: i64,
}

/// A timeline page, newest first.
pub fn timeline(conn: &mut DbConnection, which: Timeline<'_>, page: Page) -> Result<Vec<PostRow>, Error> {
    use crate::schema::{announces, follows, listings, sessions};
    let mut q = posts::table.select(PostRow::as_select()).filter(posts::deleted_at.is_null()).into_boxed();
    q = match which {
        Timeline::Home { viewer } => {
            let followed = follows::table
                .filter(follows::follower_id.eq(viewer.as_i64()))
                .filter(follows::state.eq("accepted"))
                .select(follows::followed_id);
            // Shared by someone followed (a boost, a group relaying its
            // members' posts) counts as well.
            let followed_again = follows::table
                .filter(follows::follower_id.eq(viewer.as_i64()))
                .filter(follows::state.eq("accepted"))
                .select(follows::followed_id);
            let shared = announces::table
                .filter(announces::actor_id.eq_any(followed_again))
                .select(announces::post_id);
            // Listings and sessions published in a followed local group
            // (remote groups announce theirs, which `shared` covers).
            let followed_groups = || {
                follows::table
                    .filter(follows::follower_id.eq(viewer.as_i64()))
                    .filter(follows::state.eq("accepted"))
                    .select(follows::followed_id.nullable())
            };
            let in_groups =
                listings::table.filter(listings::group_id.eq_any(followed_groups())).select(listings::id);
            let sessions_in_groups =
                sessions::table.filter(sessions::group_id.eq_any(followed_groups())).select(sessions::id);
            q.filter(
                posts::author_id
                    .eq_any(followed)
                    .or(posts::author_id.eq(viewer.as_i64()))
                    .or(posts::id
                        .eq_any(shared)
                        .and(posts::visibility.eq_any([PostVisibility::Public, PostVisibility::Unlisted])))
                    .or(posts::id.eq_any(in_groups))
                    .or(posts::id.eq_any(sessions_in_groups)),
            )
            .filter(posts::visibility.ne(PostVisibility::Direct))
        }
        Timeline::Public { local, hidden } => {
            let mut q = q.filter(posts::visibility.eq(PostVisibility::Public));
            if !hidden.is_empty() {
                q = q.filter(posts::author_id.ne_all(hidden.to_vec()));
            }
            match local {
                Some(l) => q.filter(posts::local.eq(l)),
                None => q,
            }
        }
        // Every post of the author, as Mastodon lists them: the caller keeps
        // what the viewer may see (followers-only ones for followers, the
        // author's own for the author).
        Timeline::Author { author } => q.filter(posts::author_id.eq(author.as_i64())),
        Timeline::Tag { name } => {
            let tagged = post_tags::table
                .filter(post_tags::kind.eq("hashtag"))
                .filter(post_tags::name.eq(name.to_owned()))
                .select(post_tags::post_id);
            q.filter(posts::id.eq_any(tagged)).filter(posts::visibility.eq(PostVisibility::Public))
        }
        Timeline::Favourites { viewer } => {
            use crate::schema::likes;
            let liked = likes::table.filter(likes::actor_id.eq(viewer.as_i64())).select(likes::post_id);
            q.filter(posts::id.eq_any(liked))
        }
    };
    if let Some(max) = page.max_id {
        q = q.filter(posts::id.lt(max));
    }
    if let Some(since) = page.since_id {
        q = q.filter(posts::id.gt(since));
    }
    let limit = page.limit.clamp(1, 40);
    if let Some(min) = page.min_id {
        let mut rows: Vec<PostRow> =
            q.filter(posts::id.gt(min)).order(posts::id.asc()).limit(limit).load(conn).map_err(db_error)?;
        rows.reverse();
        return Ok(rows);
    }
    q.order(posts::id.desc()).limit(limit).load(conn).map_err(db_error)
}

pub fn count_replies(conn: &mut DbConnection, ap_id: &str) -> Result<i64, Error> {
    posts::table
        .filter(posts::in_reply_to.eq(ap_id))
        .filter(posts::deleted_at.is_null())
        .count()
        .get_result(conn)
        .map_err(db_error)
}

/// The newest live post of an author, for `last_status_at`.
pub fn last_published(conn: &mut DbConnection, author: Id) -> Result<Option<i64>, Error> {
    posts::table
        .filter(posts::author_id.eq(author.as_i64()))
        .filter(posts::deleted_at.is_null())
        .select(diesel::dsl::max(posts::published_at))
        .first(conn)
        .map_err(db_error)
}

/// The posts that answer `ap_id`, oldest first.
pub fn replies_to(conn: &mut DbConnection, ap_id: &str, limit: i64) -> Result<Vec<PostRow>, Error> {
    posts::table
        .filter(posts::in_reply_to.eq(ap_id))
        .filter(posts::deleted_at.is_null())
        .order(posts::id.asc())
        .limit(limit)
        .select(PostRow::as_select())
        .load(conn)
        .map_err(db_error)
}

/// Hashtags in use that start with `prefix` (already folded), most used
/// first.
pub fn hashtags_starting(conn: &mut DbConnection, prefix: &str, limit: i64) -> Result<Vec<String>, Error> {
    let prefix = prefix.replace(['%', '_', '\\'], "");
    if prefix.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, i64)> = post_tags::table
        .filter(post_tags::kind.eq("hashtag"))
        .filter(post_tags::name.like(format!("{prefix}%")))
        .group_by(post_tags::name)
        .select((post_tags::name, diesel::dsl::count_star()))
        .order((diesel::dsl::count_star().desc(), post_tags::name.asc()))
        .limit(limit)
        .load(conn)
        .map_err(db_error)?;
    Ok(rows.into_iter().map(|(name, _)| name).collect())
}
