//! Housekeeping: uploads never attached, and copies of remote media past
//! their time. Run by the node's background loop and by
//! `maillage admin media prune`.

use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::media as rows;
use maillage_db::DbPool;

use super::{remove_files, MediaDesk};

const BATCH: i64 = 200;

/// Removes uploads older than `unattached_hours` that nothing uses.
pub async fn remove_unattached(db: &DbPool, desk: &MediaDesk, now: Timestamp) -> Result<usize, Error> {
    let hours = i64::try_from(desk.config.unattached_hours).unwrap_or(i64::MAX / 4);
    let before = now.as_micros() - hours.saturating_mul(3_600_000_000);
    let mut removed = 0;
    loop {
        let batch = db.run(move |conn| rows::unattached_before(conn, before, BATCH)).await?;
        if batch.is_empty() {
            return Ok(removed);
        }
        for row in batch {
            let id = row.id;
            db.run(move |conn| rows::remove(conn, id)).await?;
            remove_files(desk, &row).await;
            removed += 1;
        }
    }
}

/// Removes the copies of remote media made before `before` (the rows stay:
/// the media is copied again when shown again).
pub async fn prune_remote(db: &DbPool, desk: &MediaDesk, before: Timestamp) -> Result<usize, Error> {
    let before = before.as_micros();
    let mut pruned = 0;
    loop {
        let batch = db.run(move |conn| rows::cached_before(conn, before, BATCH)).await?;
        if batch.is_empty() {
            return Ok(pruned);
        }
        for row in batch {
            remove_files(desk, &row).await;
            let emptied = rows::MediaRow {
                file_key: None,
                preview_key: None,
                preview_content_type: None,
                cached_at: None,
                file_size: 0,
                ..row
            };
            db.run(move |conn| rows::save(conn, &emptied)).await?;
            pruned += 1;
        }
    }
}

/// What a move between stores did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    pub files: usize,
    /// Files the rows name that `from` did not have (listed in the logs).
    pub missing: usize,
}

/// Copies every file the media rows name from `from` to `to`, by pages of
/// ids; `progress` is told the count after each page. Copying again what
/// is already there is harmless, so a move cut short is run again.
pub async fn copy_all(
    db: &DbPool,
    from: &dyn maillage_media::MediaStore,
    to: &dyn maillage_media::MediaStore,
    progress: &dyn Fn(Moved),
) -> Result<Moved, Error> {
    let failed = |e: maillage_media::StoreError| {
        Error::unavailable("the media storage is unavailable").with_cause(e.to_string())
    };
    let mut moved = Moved::default();
    let mut after = i64::MIN;
    loop {
        let page = db.run(move |conn| rows::stored_after(conn, after, BATCH)).await?;
        let Some(last) = page.last() else { return Ok(moved) };
        after = last.id;
        for row in &page {
            let files = [
                (&row.file_key, Some(row.content_type.as_str())),
                (&row.preview_key, row.preview_content_type.as_deref()),
            ];
            for (key, content_type) in files {
                let Some(key) = key else { continue };
                match from.get(key).await.map_err(failed)? {
                    Some(bytes) => {
                        to.put(key, bytes, content_type.unwrap_or("application/octet-stream"))
                            .await
                            .map_err(failed)?;
                        moved.files += 1;
                    }
                    None => {
                        tracing::warn!(media = row.id, key, "a media file named by its row is missing");
                        moved.missing += 1;
                    }
                }
            }
        }
        progress(moved);
    }
}
