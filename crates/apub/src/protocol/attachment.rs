//! `attachment`: the media of a note, a listing or a session, as Mastodon
//! and Mobilizon send and read them (`Document` or `Image` with
//! `mediaType`, `url`, `name` for the alt text, `blurhash`, `width`,
//! `height`, `focalPoint`). Profile fields (`PropertyValue`) and object
//! links share the property and are not media.

use maillage_core::urls::LocalUrls;
use maillage_db::media::MediaRow;
use maillage_service::media::{file_url, RemoteAttachment};
use serde_json::{json, Value};

use super::values::{url_of, web_link};

/// The object types read as media.
pub const MEDIA_TYPES: &[&str] = &["Document", "Image", "Video", "Audio"];

/// Our media as `attachment` items, in order.
pub fn to_ap(rows: &[MediaRow], urls: &LocalUrls) -> Vec<Value> {
    rows.iter()
        .map(|m| {
            let mut item = json!({
                "type": if m.kind == "image" { "Image" } else { "Document" },
                "mediaType": m.content_type,
                "url": file_url(m, urls),
                "name": if m.description.is_empty() { Value::Null } else { json!(m.description) },
                "focalPoint": [m.focus_x, m.focus_y],
            });
            if let Some(hash) = &m.blurhash {
                item["blurhash"] = json!(hash);
            }
            if let (Some(w), Some(h)) = (m.width, m.height) {
                item["width"] = json!(w);
                item["height"] = json!(h);
            }
            item
        })
        .collect()
}

/// The media among an object's `attachment` (a single item or a list);
/// `owner_id` is the object's id, whose scheme the links must share.
pub fn from_ap(value: Option<&Value>, owner_id: &str) -> Vec<RemoteAttachment> {
    let items: Vec<&Value> = match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(item @ Value::Object(_)) => vec![item],
        _ => return Vec::new(),
    };
    items.into_iter().filter_map(|item| one(item, owner_id)).collect()
}

fn one(item: &Value, owner_id: &str) -> Option<RemoteAttachment> {
    let object_type = item.get("type").and_then(Value::as_str).unwrap_or("Document");
    if !MEDIA_TYPES.contains(&object_type) {
        return None;
    }
    let media_type = item.get("mediaType").and_then(Value::as_str).map(str::to_owned);
    let url = item
        .get("url")
        .and_then(|u| media_link(u, media_type.as_deref()))
        .or_else(|| item.get("href").and_then(url_of))?;
    let url = web_link(&url, owner_id)?;
    let dimension = |key: &str| {
        item.get(key).and_then(Value::as_i64).and_then(|v| i32::try_from(v).ok()).filter(|v| *v > 0)
    };
    let focus = item.get("focalPoint").and_then(Value::as_array).and_then(|p| {
        let x = p.first()?.as_f64()?;
        let y = p.get(1)?.as_f64()?;
        ((-1.0..=1.0).contains(&x) && (-1.0..=1.0).contains(&y)).then_some((x, y))
    });
    let blurhash = item
        .get("blurhash")
        .and_then(Value::as_str)
        .filter(|h| (6..=100).contains(&h.len()) && h.is_ascii())
        .map(str::to_owned);
    Some(RemoteAttachment {
        url,
        media_type: media_type.filter(|t| t.len() <= 100),
        object_type: object_type.to_owned(),
        name: item.get("name").and_then(Value::as_str).unwrap_or_default().to_owned(),
        blurhash,
        width: dimension("width"),
        height: dimension("height"),
        focus,
    })
}

/// A media `url`: a string, or among Links the one of the media's type
/// (PeerTube lists an HTML page and several files).
fn media_link(value: &Value, media_type: Option<&str>) -> Option<String> {
    match value {
        Value::Array(links) => {
            let of_type = |l: &&Value| {
                let t = l.get("mediaType").and_then(Value::as_str).unwrap_or("");
                media_type.map_or(t != "text/html", |m| t == m)
            };
            links.iter().find(of_type).or_else(|| links.first()).and_then(url_of)
        }
        other => url_of(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mastodon_documents_are_read_and_profile_fields_are_not() {
        let attachment = json!([
            {"type": "Document", "mediaType": "image/jpeg", "url": "https://m.example/files/a.jpg",
             "name": "A drill", "blurhash": "UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH", "focalPoint": [0.5, -0.25],
             "width": 1200, "height": 900},
            {"type": "PropertyValue", "name": "Site", "value": "x"},
            {"type": "Document", "mediaType": "video/mp4", "url": "javascript:alert(1)"}
        ]);
        let read = from_ap(Some(&attachment), "https://m.example/notes/1");
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].url, "https://m.example/files/a.jpg");
        assert_eq!(
            (read[0].kind(), read[0].name.as_str(), read[0].width, read[0].focus),
            ("image", "A drill", Some(1200), Some((0.5, -0.25)))
        );
    }

    #[test]
    fn peertube_links_give_the_file_of_the_media_type() {
        let one = json!({"type": "Video", "mediaType": "video/mp4", "url": [
            {"type": "Link", "mediaType": "text/html", "href": "https://p.example/w/1"},
            {"type": "Link", "mediaType": "video/mp4", "href": "https://p.example/v/1.mp4"}]});
        let read = from_ap(Some(&one), "https://p.example/videos/1");
        assert_eq!((read[0].url.as_str(), read[0].kind()), ("https://p.example/v/1.mp4", "video"));
    }
}
