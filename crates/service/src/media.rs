//! Media: pictures uploaded by people (processed, stored, then attached to
//! a status, a listing or a session, in order, with their alt text), and
//! other servers' attachments (known by address, copied when first shown
//! and pruned after a while). Files go through one [`MediaStore`]; rows
//! through `maillage_db::media`.

mod remote;
mod sweep;
mod urls;

use std::sync::Arc;

use bytes::Bytes;
use maillage_core::account::User;
use maillage_core::config::MediaConfig;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::urls::LocalUrls;
use maillage_core::Error;
use maillage_db::media::{self as rows, MediaRow};
use maillage_db::{DbConnection, DbPool};
pub use maillage_media::MediaError;
use maillage_media::{Limits, MediaStore, Processor};

pub use remote::{copy_new_listing_photos, copy_remote, may_copy, record as record_remote, RemoteAttachment};
pub use sweep::{copy_all, prune_remote, remove_unattached, Moved};
pub(crate) use urls::new_secret;
pub use urls::{extension_of, file_url, preview_url, Variant};

use crate::actors::actor_of_user;

/// Photos on one listing, and attachments on one status or session.
pub const MAX_LISTING_MEDIA: usize = 8;
pub const MAX_STATUS_MEDIA: usize = 4;
pub const MAX_DESCRIPTION_CHARS: usize = 1500;

/// What every media use case needs: the store, the processor and the
/// limits. One per process.
#[derive(Clone)]
pub struct MediaDesk {
    pub store: Arc<dyn MediaStore>,
    pub processor: Processor,
    pub config: MediaConfig,
    pub client: reqwest::Client,
    /// Plain http and private addresses for remote media (federation
    /// debug mode, for tests and local trials only).
    pub private_hosts: bool,
}

impl MediaDesk {
    pub fn new(store: Arc<dyn MediaStore>, config: MediaConfig, client: reqwest::Client) -> Self {
        let limits =
            Limits { max_bytes: config.max_upload_bytes, max_pixels: config.max_pixels, ..Limits::default() };
        MediaDesk {
            processor: Processor::new(limits, config.processing_at_once),
            store,
            config,
            client,
            private_hosts: false,
        }
    }

    pub fn allowing_private_hosts(self, allowed: bool) -> Self {
        MediaDesk { private_hosts: allowed, ..self }
    }

    pub fn limits(&self) -> &Limits {
        self.processor.limits()
    }
}

/// One upload as a client sent it.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    pub bytes: Bytes,
    pub description: String,
    /// Mastodon's focal point, "x,y" each from -1 to 1.
    pub focus: Option<String>,
}

pub(crate) fn refused(e: MediaError) -> Error {
    Error::unprocessable(format!("Validation failed: {e}"))
}

/// Why an upload was not kept: the picture itself (what a form says
/// beside its field), or anything else.
#[derive(Debug)]
pub enum UploadError {
    Refused(MediaError),
    Failed(Error),
}

impl From<Error> for UploadError {
    fn from(e: Error) -> Self {
        UploadError::Failed(e)
    }
}

impl From<UploadError> for Error {
    fn from(e: UploadError) -> Self {
        match e {
            UploadError::Refused(why) => refused(why),
            UploadError::Failed(e) => e,
        }
    }
}

fn check_description(text: &str) -> Result<String, Error> {
    let text = text.trim();
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(Error::unprocessable(format!(
            "Validation failed: Description is longer than {MAX_DESCRIPTION_CHARS} characters"
        )));
    }
    Ok(text.to_owned())
}

/// "x,y", each from -1.0 to 1.0 (Mastodon's focal point).
pub fn parse_focus(raw: &str) -> Result<(f64, f64), Error> {
    let bad =
        || Error::unprocessable("Validation failed: focus must be two numbers from -1 to 1, as \"x,y\"");
    let (x, y) = raw.split_once(',').ok_or_else(bad)?;
    let x: f64 = x.trim().parse().map_err(|_| bad())?;
    let y: f64 = y.trim().parse().map_err(|_| bad())?;
    if !(-1.0..=1.0).contains(&x) || !(-1.0..=1.0).contains(&y) {
        return Err(bad());
    }
    Ok((x, y))
}

/// Processes, stores and records an upload by `user`. Nothing is stored
/// when the picture is refused; the files are removed again if the row
/// cannot be written.
pub async fn upload(
    db: &DbPool,
    desk: &MediaDesk,
    user: &User,
    upload: Upload,
) -> Result<MediaRow, UploadError> {
    let description = check_description(&upload.description)?;
    let (focus_x, focus_y) = upload
        .focus
        .as_deref()
        .filter(|f| !f.trim().is_empty())
        .map(parse_focus)
        .transpose()?
        .unwrap_or((0.0, 0.0));
    let processed = desk.processor.process(upload.bytes).await.map_err(UploadError::Refused)?;
    let user_id = user.id;
    let owner = db.run(move |conn| actor_of_user(conn, user_id)).await?;
    let id = Id::generate();
    let row = store_processed(desk, id, owner.id, processed).await?;
    let row = MediaRow { description, focus_x, focus_y, ..row };
    let saved = row.clone();
    if let Err(e) = db.run(move |conn| rows::insert(conn, &saved)).await {
        remove_files(desk, &row).await;
        return Err(e.into());
    }
    Ok(row)
}

/// Writes both files of a processed picture and returns the row that
/// describes them (not yet saved).
pub(crate) async fn store_processed(
    desk: &MediaDesk,
    id: Id,
    owner: i64,
    processed: maillage_media::Processed,
) -> Result<MediaRow, Error> {
    let file_key = maillage_media::store::key(id.as_i64(), "file", processed.file.extension);
    let preview_key = maillage_media::store::key(id.as_i64(), "preview", processed.preview.extension);
    let stored = |e: maillage_media::StoreError| {
        Error::unavailable("the media storage is unavailable").with_cause(e.to_string())
    };
    let file = &processed.file;
    let preview = &processed.preview;
    desk.store.put(&file_key, Bytes::from(file.bytes.clone()), file.content_type).await.map_err(stored)?;
    if let Err(e) =
        desk.store.put(&preview_key, Bytes::from(preview.bytes.clone()), preview.content_type).await
    {
        let _ = desk.store.delete(&file_key).await;
        return Err(stored(e));
    }
    let dim = |v: u32| i32::try_from(v).ok();
    Ok(MediaRow {
        id: id.as_i64(),
        owner_id: owner,
        post_id: None,
        actor_id: None,
        position: 0,
        kind: "image".into(),
        description: String::new(),
        focus_x: 0.0,
        focus_y: 0.0,
        content_type: file.content_type.into(),
        file_key: Some(file_key),
        file_size: i64::try_from(file.bytes.len()).unwrap_or(i64::MAX),
        width: dim(file.width),
        height: dim(file.height),
        preview_key: Some(preview_key),
        preview_content_type: Some(preview.content_type.into()),
        preview_width: dim(preview.width),
        preview_height: dim(preview.height),
        blurhash: Some(processed.blurhash),
        remote_url: None,
        cached_at: None,
        secret: new_secret(),
        removed_at: None,
        created_at: Timestamp::now().as_micros(),
    })
}

pub(crate) async fn remove_files(desk: &MediaDesk, row: &MediaRow) {
    for key in [&row.file_key, &row.preview_key].into_iter().flatten() {
        if let Err(e) = desk.store.delete(key).await {
            tracing::warn!(media = row.id, error = %e, "a media file could not be removed");
        }
    }
}

/// Media `id` when `user` uploaded it, or 404.
pub fn own(conn: &mut DbConnection, user: &User, id: Id) -> Result<MediaRow, Error> {
    let owner = actor_of_user(conn, user.id)?;
    rows::find(conn, id.as_i64())?
        .filter(|m| m.owner_id == owner.id && !m.is_remote())
        .ok_or_else(|| Error::not_found("Record not found"))
}

/// Changes the alt text or the focal point of one's media.
pub fn describe(
    conn: &mut DbConnection,
    user: &User,
    id: Id,
    description: Option<&str>,
    focus: Option<&str>,
) -> Result<MediaRow, Error> {
    let mut row = own(conn, user, id)?;
    if let Some(text) = description {
        row.description = check_description(text)?;
    }
    if let Some(focus) = focus.filter(|f| !f.trim().is_empty()) {
        (row.focus_x, row.focus_y) = parse_focus(focus)?;
    }
    rows::save(conn, &row)?;
    Ok(row)
}

/// Removes an upload not attached to anything (attached media goes with
/// its post, as on Mastodon).
pub async fn delete(db: &DbPool, desk: &MediaDesk, user: &User, id: Id) -> Result<MediaRow, Error> {
    let user = user.clone();
    let row = db
        .run(move |conn| {
            let row = own(conn, &user, id)?;
            if row.post_id.is_some() {
                return Err(Error::unprocessable("Validation failed: this media is attached to a post"));
            }
            rows::remove(conn, row.id)?;
            Ok(row)
        })
        .await?;
    remove_files(desk, &row).await;
    Ok(row)
}

/// Attaches `ids` (uploaded by `owner`) to post `post` in that order,
/// with at most `max` of them; earlier attachments not named are let go.
pub(crate) fn attach(
    conn: &mut DbConnection,
    owner: i64,
    post: i64,
    ids: &[Id],
    max: usize,
) -> Result<Vec<MediaRow>, Error> {
    if ids.len() > max {
        return Err(Error::unprocessable(format!("Validation failed: at most {max} media can be attached")));
    }
    let raw: Vec<i64> = ids.iter().map(|i| i.as_i64()).collect();
    let found = rows::find_many(conn, &raw)?;
    for id in &raw {
        let usable = found
            .iter()
            .find(|m| m.id == *id)
            .is_some_and(|m| m.owner_id == owner && !m.is_remote() && m.post_id.is_none_or(|p| p == post));
        if !usable {
            return Err(Error::unprocessable(format!("Validation failed: media {id} cannot be attached")));
        }
    }
    rows::attach(conn, post, &raw, Timestamp::now().as_micros())?;
    rows::of_post(conn, post)
}

/// The media of posts, for their entities and pages.
pub fn of_posts(conn: &mut DbConnection, posts: &[i64]) -> Result<Vec<MediaRow>, Error> {
    rows::of_posts(conn, posts)
}

pub fn of_post(conn: &mut DbConnection, post: i64) -> Result<Vec<MediaRow>, Error> {
    rows::of_post(conn, post)
}

/// Removes the media of a deleted post (their files go with the next
/// sweep).
pub fn remove_of_post(conn: &mut DbConnection, post: i64) -> Result<(), Error> {
    rows::remove_of_post(conn, post, Timestamp::now().as_micros())
}

/// The bytes and content type of one file of media `id`: read from the
/// store, or for remote media copied first when there is no copy yet (and
/// the policy allows it).
pub async fn read(
    db: &DbPool,
    desk: &MediaDesk,
    policy: &maillage_core::policy::FederationPolicy,
    id: i64,
    variant: Variant,
    secret: &str,
) -> Result<(Bytes, String), Error> {
    let row = db
        .run(move |conn| rows::find(conn, id))
        .await?
        .filter(|m| m.secret == secret && m.removed_at.is_none())
        .ok_or_else(|| Error::not_found("Record not found"))?;
    let row = if row.is_remote() && row.file_key.is_none() {
        copy_remote(db, desk, policy, row).await?
    } else {
        row
    };
    let (key, content_type) = match variant {
        Variant::File => (row.file_key.clone(), Some(row.content_type.clone())),
        Variant::Preview => (row.preview_key.clone(), row.preview_content_type.clone()),
    };
    let (Some(key), Some(content_type)) = (key, content_type) else {
        return Err(Error::not_found("Record not found"));
    };
    match desk.store.get(&key).await {
        Ok(Some(bytes)) => Ok((bytes, content_type)),
        Ok(None) => Err(Error::not_found("Record not found")),
        Err(e) => Err(Error::unavailable("the media storage is unavailable").with_cause(e.to_string())),
    }
}

/// One's photos in the order given, each with its alt text changed when
/// it differs; ids that are not one's own uploads are left out.
pub fn describe_all(
    conn: &mut DbConnection,
    user: &User,
    photos: &[(Id, String)],
) -> Result<Vec<MediaRow>, Error> {
    let mut rows_out = Vec::with_capacity(photos.len());
    for (id, alt) in photos {
        let Ok(mut row) = own(conn, user, *id) else { continue };
        let alt = check_description(alt)?;
        if row.description != alt {
            row.description = alt;
            rows::save(conn, &row)?;
        }
        rows_out.push(row);
    }
    Ok(rows_out)
}

/// The first picture of each of `posts` that has one, by post.
pub fn first_photos(
    conn: &mut DbConnection,
    posts: &[i64],
) -> Result<std::collections::HashMap<i64, MediaRow>, Error> {
    let mut first = std::collections::HashMap::new();
    for m in rows::of_posts(conn, posts)?.into_iter().filter(|m| m.kind == "image") {
        if let Some(post) = m.post_id {
            first.entry(post).or_insert(m);
        }
    }
    Ok(first)
}

/// Makes one's upload `id` the avatar (`position` 0) or header (1) of
/// actor `actor`, letting go of the one it replaces; returns its URL.
pub(crate) fn use_as_picture(
    conn: &mut DbConnection,
    user: &User,
    actor: i64,
    id: Id,
    position: i32,
    urls: &LocalUrls,
) -> Result<String, Error> {
    let mut row = own(conn, user, id)?;
    if row.post_id.is_some() || row.actor_id.is_some_and(|a| a != actor) || row.kind != "image" {
        return Err(Error::unprocessable(format!("Validation failed: media {} cannot be used here", row.id)));
    }
    let now = Timestamp::now().as_micros();
    if let Some(previous) = rows::of_actor(conn, actor, position)?.filter(|p| p.id != row.id) {
        rows::save(conn, &MediaRow { removed_at: Some(now), ..previous })?;
    }
    row.actor_id = Some(actor);
    row.position = position;
    rows::save(conn, &row)?;
    Ok(file_url(&row, urls))
}
