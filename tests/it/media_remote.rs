//! Other servers' pictures: copied when first shown, pruned after their
//! time and copied again when shown again; never fetched from a domain
//! whose media the admins reject.

use crate::harness;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use harness::{eventually, send_signed, TestNode, TestUser};
use maillage_core::time::Timestamp;
use serde_json::{json, Value};

use crate::media::files_under;

/// A file server answering every GET with one JPEG, counting the requests.
struct PictureServer {
    base: String,
    hits: Arc<AtomicUsize>,
}

fn jpeg() -> Vec<u8> {
    let picture = image::RgbImage::from_pixel(48, 32, image::Rgb([30, 160, 60]));
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut out).encode_image(&picture).unwrap();
    out
}

impl PictureServer {
    fn start() -> PictureServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let hits = Arc::new(AtomicUsize::new(0));
        let counted = hits.clone();
        let body = jpeg();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                counted.fetch_add(1, Ordering::SeqCst);
                let head = format!("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body));
            }
        });
        PictureServer { base, hits }
    }
}

fn note_with_picture(a: &TestNode, n: u32, picture: &str) -> Value {
    let id = format!("{}/objects/remote-photo-{n}", a.base);
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{id}/activity"), "type": "Create", "actor": format!("{}/users/alice", a.base),
        "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [format!("{}/users/alice/followers", a.base)],
        "object": {
            "id": id, "type": "Note", "attributedTo": format!("{}/users/alice", a.base),
            "content": "<p>Les tomates sont là</p>", "published": "2026-12-07T10:00:00Z",
            "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [format!("{}/users/alice/followers", a.base)],
            "attachment": [{ "type": "Document", "mediaType": "image/jpeg", "url": picture,
                             "name": "Un cageot de tomates", "blurhash": "LKO2?U%2Tw=w]~RBVZRi};RPxuwH", "width": 48, "height": 32 }]
        }
    })
}

async fn attachment_seen_by(user: &TestUser, uri: &str) -> Value {
    eventually(30, "the post arrives", || async {
        let (_, home) = user.get("/api/v1/timelines/home").await;
        home.as_array()?.iter().find(|s| s["uri"] == uri).map(|s| s["media_attachments"][0].clone())
    })
    .await
}

async fn status_of(url: &str) -> u16 {
    reqwest::get(url).await.unwrap().status().as_u16()
}

#[actix_web::test]
async fn remote_pictures_are_copied_when_shown_pruned_then_copied_again_and_never_fetched_when_rejected() {
    let pictures = PictureServer::start();
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let c = TestNode::start().await;
    a.user("alice").await;
    let bob = b.user("bob").await;
    let carol = c.user("carol").await;
    bob.follow_accepted(&format!("alice@{}", a.domain)).await;
    carol.follow_accepted(&format!("alice@{}", a.domain)).await;
    let root_c = c.admin("camille").await;
    let (status, block) = root_c
        .post(
            "/api/v1/admin/domain_blocks",
            &[("domain", &a.domain), ("severity", "noop"), ("reject_media", "true")],
        )
        .await;
    assert_eq!(status, 200, "{block}");

    let note = note_with_picture(&a, 1, &format!("{}/tomates.jpg", pictures.base));
    let uri = note["object"]["id"].as_str().unwrap().to_owned();
    assert_eq!(send_signed(&a, "alice", &b, &note).await, 202);
    assert_eq!(send_signed(&a, "alice", &c, &note).await, 202);

    // On B: nothing is fetched before someone looks; the first look copies.
    let on_b = attachment_seen_by(&bob, &uri).await;
    assert_eq!(
        (on_b["description"].as_str(), on_b["remote_url"].as_str()),
        (Some("Un cageot de tomates"), Some(format!("{}/tomates.jpg", pictures.base).as_str()))
    );
    assert_eq!(pictures.hits.load(Ordering::SeqCst), 0, "nothing fetched before it is shown");
    let url = on_b["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&b.base), "{url}");
    assert_eq!(status_of(&url).await, 200);
    assert_eq!(status_of(on_b["preview_url"].as_str().unwrap()).await, 200);
    assert_eq!(pictures.hits.load(Ordering::SeqCst), 1, "copied once, then served from the copy");
    assert_eq!(files_under(b.media_dir.path()).len(), 2);

    // Pruned (as `admin media prune` does after remote_cache_days), then
    // shown again: copied again.
    let desk =
        maillage::media::desk(&b.config, maillage_service::policy::PolicyHandle::permissive()).unwrap();
    let later = Timestamp::from_micros(Timestamp::now().as_micros() + 1_000_000);
    let pruned = maillage_service::media::prune_remote(&b.pool, &desk, later).await.unwrap();
    assert_eq!(pruned, 1);
    assert!(files_under(b.media_dir.path()).is_empty());
    assert_eq!(status_of(&url).await, 200);
    assert_eq!(pictures.hits.load(Ordering::SeqCst), 2);
    assert_eq!(files_under(b.media_dir.path()).len(), 2);

    // A video sent as the object itself (as PeerTube sends them) is a
    // status whose attachment is the video, linked where it lives.
    let video_id = format!("{}/videos/watch/1", a.base);
    let video = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{video_id}/activity"), "type": "Create", "actor": format!("{}/users/alice", a.base),
        "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [format!("{}/users/alice/followers", a.base)],
        "object": {
            "id": video_id, "type": "Video", "attributedTo": format!("{}/users/alice", a.base), "name": "Tailler un pommier",
            "content": "<p>La taille d'hiver, pas à pas.</p>", "published": "2026-12-07T11:00:00Z",
            "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [format!("{}/users/alice/followers", a.base)],
            "url": [
                { "type": "Link", "mediaType": "text/html", "href": format!("{}/w/1", a.base) },
                { "type": "Link", "mediaType": "video/mp4", "href": format!("{}/static/1-720.mp4", pictures.base) }
            ]
        }
    });
    assert_eq!(send_signed(&a, "alice", &b, &video).await, 202);
    let shown = attachment_seen_by(&bob, &video_id).await;
    assert_eq!(shown["type"], "video", "{shown}");
    assert_eq!(shown["url"], format!("{}/static/1-720.mp4", pictures.base));
    assert_eq!(shown["description"], "Tailler un pommier");

    // On C, whose admins reject that domain's media: shown as an
    // attachment, never fetched.
    let on_c = attachment_seen_by(&carol, &uri).await;
    assert_eq!(on_c["description"], "Un cageot de tomates");
    assert_eq!(status_of(on_c["url"].as_str().unwrap()).await, 404);
    assert_eq!(status_of(on_c["preview_url"].as_str().unwrap()).await, 404);
    assert_eq!(pictures.hits.load(Ordering::SeqCst), 2, "C never asked");
    assert!(files_under(c.media_dir.path()).is_empty());

    // B's admins suspend A's domain: its media go with the next sweep.
    assert_eq!(files_under(b.media_dir.path()).len(), 2);
    let root_b = b.admin("berthe").await;
    let (status, block) =
        root_b.post("/api/v1/admin/domain_blocks", &[("domain", &a.domain), ("severity", "suspend")]).await;
    assert_eq!(status, 200, "{block}");
    let swept = maillage::media::sweep(&b.pool, &desk, Timestamp::now()).await.unwrap();
    assert_eq!(swept.0, 2, "the picture and the video removed");
    assert!(files_under(b.media_dir.path()).is_empty());
    assert_eq!(status_of(&url).await, 404);
}
