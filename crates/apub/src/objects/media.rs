//! The media of what we serve and send (`attachment` items built from
//! rows), and of what we receive.

use maillage_core::urls::LocalUrls;
use maillage_core::Error;
use maillage_db::DbConnection;
use serde_json::{json, Value};

use crate::protocol::note::ApNote;

/// The `attachment` items of post `id` (a status, a listing or a session).
pub fn attachments_of(conn: &mut DbConnection, urls: &LocalUrls, id: i64) -> Result<Vec<Value>, Error> {
    let media = maillage_service::media::of_post(conn, id)?;
    Ok(crate::protocol::attachment::to_ap(&media, urls))
}

/// The media of a received post: its `attachment`, or for a picture, a
/// video, a sound or a file sent as the object itself, that object.
pub(crate) fn attachments_received(ap: &ApNote) -> Vec<maillage_service::media::RemoteAttachment> {
    use crate::protocol::attachment::from_ap;
    let listed = from_ap(ap.attachment.as_ref(), ap.id.as_str());
    if !listed.is_empty() || !crate::protocol::note::MEDIA_OBJECT_TYPES.contains(&ap.kind.as_str()) {
        return listed;
    }
    let itself = json!({
        "type": ap.kind, "url": ap.url, "mediaType": ap.media_type, "name": ap.name,
        "width": ap.width, "height": ap.height, "blurhash": ap.blurhash,
    });
    from_ap(Some(&itself), ap.id.as_str())
}
