//! Other servers' attachments: recorded by address when their post
//! arrives, copied (processed like an upload: upright, no metadata, a
//! preview) when first shown, unless the policy rejects that domain's
//! media.

use maillage_core::id::Id;
use maillage_core::policy::FederationPolicy;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::media::{self as rows, MediaRow};
use maillage_db::{actors, DbConnection, DbPool};
use maillage_media::fetch::{fetch_capped, FetchError};

use super::{refused, store_processed, MediaDesk};

/// One `attachment` of a remote object, as read from the wire.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RemoteAttachment {
    pub url: String,
    /// `mediaType`, when given.
    pub media_type: Option<String>,
    /// `Image`, `Video`, `Audio` or `Document`.
    pub object_type: String,
    pub name: String,
    pub blurhash: Option<String>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub focus: Option<(f64, f64)>,
}

impl RemoteAttachment {
    /// Mastodon's type for it.
    pub fn kind(&self) -> &'static str {
        let media = self.media_type.as_deref().unwrap_or("");
        match self.object_type.as_str() {
            "Video" => "video",
            "Audio" => "audio",
            "Image" => "image",
            _ if media.starts_with("image/") => "image",
            _ if media.starts_with("video/") => "video",
            _ if media.starts_with("audio/") => "audio",
            _ => "unknown",
        }
    }
}

/// Records the attachments of remote post `post` (by `owner`), in order.
/// Those already known by address keep their copy and id.
pub fn record(
    conn: &mut DbConnection,
    owner: i64,
    post: i64,
    found: &[RemoteAttachment],
) -> Result<Vec<MediaRow>, Error> {
    let known = rows::remote_of_post(conn, post)?;
    let mut ids = Vec::with_capacity(found.len());
    for (position, a) in found.iter().enumerate().take(super::MAX_LISTING_MEDIA.max(super::MAX_STATUS_MEDIA))
    {
        let description: String = a.name.chars().take(super::MAX_DESCRIPTION_CHARS).collect();
        let (focus_x, focus_y) = a.focus.unwrap_or((0.0, 0.0));
        let mut row = match known.iter().find(|m| m.remote_url.as_deref() == Some(a.url.as_str())) {
            Some(m) => m.clone(),
            None => {
                let row = MediaRow {
                    id: Id::generate().as_i64(),
                    owner_id: owner,
                    post_id: Some(post),
                    actor_id: None,
                    position: 0,
                    kind: a.kind().into(),
                    description: String::new(),
                    focus_x: 0.0,
                    focus_y: 0.0,
                    content_type: a.media_type.clone().unwrap_or_default(),
                    file_key: None,
                    file_size: 0,
                    width: a.width,
                    height: a.height,
                    preview_key: None,
                    preview_content_type: None,
                    preview_width: None,
                    preview_height: None,
                    blurhash: a.blurhash.clone(),
                    remote_url: Some(a.url.clone()),
                    cached_at: None,
                    secret: super::new_secret(),
                    removed_at: None,
                    created_at: Timestamp::now().as_micros(),
                };
                rows::insert(conn, &row)?;
                row
            }
        };
        row.position = i32::try_from(position).unwrap_or(0);
        row.description = description;
        (row.focus_x, row.focus_y) = (focus_x, focus_y);
        rows::save(conn, &row)?;
        ids.push(row.id);
    }
    // Attachments the post no longer has are removed (their copies with
    // the next sweep).
    rows::attach(conn, post, &ids, Timestamp::now().as_micros())?;
    rows::of_post(conn, post)
}

/// `https` to a host name on the default port; anything in debug mode
/// (the client's resolver then refuses names of private addresses).
fn fetchable(url: &str, private_hosts: bool) -> bool {
    let Ok(url) = url::Url::parse(url) else { return false };
    if private_hosts {
        return matches!(url.scheme(), "https" | "http");
    }
    url.scheme() == "https" && matches!(url.host(), Some(url::Host::Domain(_))) && url.port().is_none()
}

/// Whether the policy lets this node copy `row`'s file: neither its
/// author's domain nor the file's host rejects media (or is suspended).
pub fn may_copy(conn: &mut DbConnection, policy: &FederationPolicy, row: &MediaRow) -> Result<bool, Error> {
    let owner = actors::find_by_id(conn, Id::from_i64(row.owner_id))?;
    let hosts =
        [owner.map(|o| o.domain), row.remote_url.as_deref().and_then(maillage_core::policy::host_of_url)];
    Ok(hosts.iter().flatten().all(|h| {
        let rule = policy.rule_for(h);
        !rule.refused && !rule.reject_media
    }))
}

/// Copies the pictures of other nodes' listings that arrived since
/// `after` (a media id), as soon as they arrive: people choose a listing by
/// its photos, and its node may be gone later. Returns the last id looked
/// at; a picture that cannot be copied now is copied when first shown.
pub async fn copy_new_listing_photos(
    db: &DbPool,
    desk: &MediaDesk,
    policy: &FederationPolicy,
    after: i64,
) -> Result<i64, Error> {
    let batch = db.run(move |conn| rows::uncopied_listing_photos(conn, after, 20)).await?;
    let mut last = after;
    for row in batch {
        last = row.id;
        if let Err(e) = copy_remote(db, desk, policy, row).await {
            tracing::debug!(media = last, error = %e, "a listing's photo was not copied on arrival");
        }
    }
    Ok(last)
}

/// Copies a remote image now and returns its row with the copy. Other
/// kinds (video, audio, documents) are never copied: apps get their
/// address.
pub async fn copy_remote(
    db: &DbPool,
    desk: &MediaDesk,
    policy: &FederationPolicy,
    row: MediaRow,
) -> Result<MediaRow, Error> {
    let not_copied = || Error::not_found("Record not found");
    if row.kind != "image" {
        return Err(not_copied());
    }
    let Some(url) = row.remote_url.clone() else { return Ok(row) };
    if !fetchable(&url, desk.private_hosts) {
        return Err(not_copied());
    }
    let (policy, check) = (policy.clone(), row.clone());
    if !db.run(move |conn| may_copy(conn, &policy, &check)).await? {
        return Err(not_copied());
    }
    let bytes =
        fetch_capped(&desk.client, &url, desk.config.remote_max_bytes).await.map_err(|e| match e {
            FetchError::TooLarge(_) => Error::unprocessable(e.to_string()),
            FetchError::Http(_) => {
                Error::unavailable("the remote media could not be fetched").with_cause(e.to_string())
            }
        })?;
    let processed = desk.processor.process(bytes).await.map_err(refused)?;
    let stored = store_processed(desk, Id::from_i64(row.id), row.owner_id, processed).await?;
    let copied = MediaRow {
        content_type: stored.content_type,
        file_key: stored.file_key,
        file_size: stored.file_size,
        width: stored.width,
        height: stored.height,
        preview_key: stored.preview_key,
        preview_content_type: stored.preview_content_type,
        preview_width: stored.preview_width,
        preview_height: stored.preview_height,
        blurhash: row.blurhash.clone().or(stored.blurhash),
        cached_at: Some(Timestamp::now().as_micros()),
        ..row
    };
    let saved = copied.clone();
    db.run(move |conn| rows::save(conn, &saved)).await?;
    Ok(copied)
}
