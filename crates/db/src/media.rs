//! Media rows: one per picture (or remote attachment), attached to a post
//! (a status, a listing or a session, which share ids) in order.

use diesel::prelude::*;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::media;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = media, treat_none_as_null = true)]
pub struct MediaRow {
    pub id: i64,
    /// The uploader, or a remote post's author.
    pub owner_id: i64,
    pub post_id: Option<i64>,
    /// Or the actor whose avatar (position 0) or header (1) it is.
    pub actor_id: Option<i64>,
    pub position: i32,
    /// Mastodon's type: image, gifv, video, audio or unknown.
    pub kind: String,
    pub description: String,
    pub focus_x: f64,
    pub focus_y: f64,
    pub content_type: String,
    /// The stored file; for remote media, `None` until it is copied (and
    /// again once the copy is pruned).
    pub file_key: Option<String>,
    pub file_size: i64,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub preview_key: Option<String>,
    pub preview_content_type: Option<String>,
    pub preview_width: Option<i32>,
    pub preview_height: Option<i32>,
    pub blurhash: Option<String>,
    /// Where a remote media comes from.
    pub remote_url: Option<String>,
    /// When the remote copy was made.
    pub cached_at: Option<i64>,
    /// In every URL of its files (ids follow the clock).
    pub secret: String,
    /// Taken off its post: no longer served; removed by the next sweep.
    pub removed_at: Option<i64>,
    pub created_at: i64,
}

impl MediaRow {
    pub fn is_remote(&self) -> bool {
        self.remote_url.is_some()
    }
}

pub fn insert(conn: &mut DbConnection, row: &MediaRow) -> Result<(), Error> {
    diesel::insert_into(media::table).values(row).execute(conn).map(drop).map_err(db_error)
}

pub fn save(conn: &mut DbConnection, row: &MediaRow) -> Result<(), Error> {
    diesel::update(media::table.find(row.id)).set(row).execute(conn).map(drop).map_err(db_error)
}

pub fn find(conn: &mut DbConnection, id: i64) -> Result<Option<MediaRow>, Error> {
    media::table.find(id).select(MediaRow::as_select()).first(conn).optional().map_err(db_error)
}

pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> Result<Vec<MediaRow>, Error> {
    media::table.filter(media::id.eq_any(ids)).select(MediaRow::as_select()).load(conn).map_err(db_error)
}

/// The media of a post, in order.
pub fn of_post(conn: &mut DbConnection, post: i64) -> Result<Vec<MediaRow>, Error> {
    media::table
        .filter(media::post_id.eq(post))
        .filter(media::removed_at.is_null())
        .order((media::position.asc(), media::id.asc()))
        .select(MediaRow::as_select())
        .load(conn)
        .map_err(db_error)
}

/// The media of several posts, in order within each.
pub fn of_posts(conn: &mut DbConnection, posts: &[i64]) -> Result<Vec<MediaRow>, Error> {
    if posts.is_empty() {
        return Ok(Vec::new());
    }
    media::table
        .filter(media::post_id.eq_any(posts))
        .filter(media::removed_at.is_null())
        .order((media::post_id.asc(), media::position.asc(), media::id.asc()))
        .select(MediaRow::as_select())
        .load(conn)
        .map_err(db_error)
}

/// Attaches `ids` to `post` in that order; media already attached to it
/// and not named are removed (no longer served; their files go with the
/// next sweep).
pub fn attach(conn: &mut DbConnection, post: i64, ids: &[i64], now: i64) -> Result<(), Error> {
    diesel::update(
        media::table
            .filter(media::post_id.eq(post))
            .filter(media::id.ne_all(ids))
            .filter(media::removed_at.is_null()),
    )
    .set(media::removed_at.eq(Some(now)))
    .execute(conn)
    .map_err(db_error)?;
    for (position, id) in ids.iter().enumerate() {
        let position = i32::try_from(position).map_err(Error::internal)?;
        diesel::update(media::table.find(id))
            .set((media::post_id.eq(Some(post)), media::position.eq(position)))
            .execute(conn)
            .map_err(db_error)?;
    }
    Ok(())
}

/// The avatar (`position` 0) or header (1) of `actor`, if any.
pub fn of_actor(conn: &mut DbConnection, actor: i64, position: i32) -> Result<Option<MediaRow>, Error> {
    media::table
        .filter(media::actor_id.eq(actor))
        .filter(media::position.eq(position))
        .filter(media::removed_at.is_null())
        .select(MediaRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// Media of a deleted post: removed like those taken off it.
pub fn remove_of_post(conn: &mut DbConnection, post: i64, now: i64) -> Result<(), Error> {
    attach(conn, post, &[], now)
}

/// Media removed from their post, and local uploads never attached made
/// before `before`.
pub fn unattached_before(conn: &mut DbConnection, before: i64, limit: i64) -> Result<Vec<MediaRow>, Error> {
    let never_attached = media::post_id
        .is_null()
        .and(media::actor_id.is_null())
        .and(media::remote_url.is_null())
        .and(media::created_at.lt(before));
    media::table
        .filter(media::removed_at.is_not_null().or(never_attached))
        .order(media::created_at.asc())
        .limit(limit)
        .select(MediaRow::as_select())
        .load(conn)
        .map_err(db_error)
}

/// Remote media copied before `before`.
pub fn cached_before(conn: &mut DbConnection, before: i64, limit: i64) -> Result<Vec<MediaRow>, Error> {
    media::table
        .filter(media::remote_url.is_not_null())
        .filter(media::removed_at.is_null())
        .filter(media::cached_at.lt(before))
        .order(media::cached_at.asc())
        .limit(limit)
        .select(MediaRow::as_select())
        .load(conn)
        .map_err(db_error)
}

/// Every media row with a stored file, after `after` by id, for a move
/// between stores.
pub fn stored_after(conn: &mut DbConnection, after: i64, limit: i64) -> Result<Vec<MediaRow>, Error> {
    media::table
        .filter(media::id.gt(after))
        .filter(media::file_key.is_not_null().or(media::preview_key.is_not_null()))
        .order(media::id.asc())
        .limit(limit)
        .select(MediaRow::as_select())
        .load(conn)
        .map_err(db_error)
}

pub fn remove(conn: &mut DbConnection, id: i64) -> Result<(), Error> {
    diesel::delete(media::table.find(id)).execute(conn).map(drop).map_err(db_error)
}

/// Remote media of a post by its source address (an update of a remote
/// post keeps the copies it already has).
pub fn remote_of_post(conn: &mut DbConnection, post: i64) -> Result<Vec<MediaRow>, Error> {
    media::table
        .filter(media::post_id.eq(post))
        .filter(media::remote_url.is_not_null())
        .select(MediaRow::as_select())
        .load(conn)
        .map_err(db_error)
}

/// The media of the actors of `domains`: removed (a suspension), or with
/// their copies let go at the next sweep and never made again (a
/// `reject_media` block; the attachments stay listed).
pub fn let_go_of_domains(
    conn: &mut DbConnection,
    domains: &[String],
    remove: bool,
    now: i64,
) -> Result<(), Error> {
    use crate::schema::actors;
    for chunk in domains.chunks(500) {
        let owners = actors::table
            .filter(actors::domain.eq_any(chunk))
            .filter(actors::local.eq(false))
            .select(actors::id);
        if remove {
            diesel::update(
                media::table.filter(media::owner_id.eq_any(owners)).filter(media::removed_at.is_null()),
            )
            .set(media::removed_at.eq(Some(now)))
            .execute(conn)
            .map_err(db_error)?;
        } else {
            diesel::update(
                media::table.filter(media::owner_id.eq_any(owners)).filter(media::cached_at.is_not_null()),
            )
            .set(media::cached_at.eq(Some(0)))
            .execute(conn)
            .map_err(db_error)?;
        }
    }
    Ok(())
}

/// Remote pictures of listings not copied yet, after `after` by id.
pub fn uncopied_listing_photos(
    conn: &mut DbConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<MediaRow>, Error> {
    use crate::schema::listings;
    media::table
        .inner_join(listings::table.on(listings::id.nullable().eq(media::post_id)))
        .filter(media::id.gt(after))
        .filter(media::remote_url.is_not_null())
        .filter(media::file_key.is_null())
        .filter(media::cached_at.is_null())
        .filter(media::removed_at.is_null())
        .filter(media::kind.eq("image"))
        .order(media::id.asc())
        .limit(limit)
        .select(MediaRow::as_select())
        .load(conn)
        .map_err(db_error)
}
