//! Photos: uploaded through Mastodon.py, processed (upright, no EXIF, a
//! preview, a blurhash), attached to a status and a listing, and carried
//! to another node, which shows them; bombs and liars refused with nothing
//! stored.

use crate::harness;

use std::path::Path;
use std::process::Command;

use harness::form_browser::FormBrowser;
use harness::{eventually, TestNode};
use serde_json::Value;

fn run_python(args: Vec<String>) -> String {
    let python = std::env::var("MAILLAGE_PYTHON").expect("MAILLAGE_PYTHON: run scripts/test");
    let out = Command::new(python).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "media.py: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

/// Every file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

async fn fetch(url: &str) -> (u16, String, Vec<u8>) {
    let response = reqwest::get(url).await.unwrap();
    let status = response.status().as_u16();
    let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    (status, kind, response.bytes().await.unwrap().to_vec())
}

#[actix_web::test]
async fn a_sideways_photo_from_mastodon_py_is_kept_upright_without_exif_and_reaches_the_other_node() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    bob.follow_accepted(&format!("alice@{}", a.domain)).await;

    let work = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/media.py");
    let args = vec![
        script.display().to_string(),
        a.base.clone(),
        alice.token.clone(),
        work.path().display().to_string(),
    ];
    let stored_before_refusals = || files_under(a.media_dir.path()).len();
    let printed = tokio::task::spawn_blocking(move || run_python(args)).await.unwrap();
    let result: Value = serde_json::from_str(printed.trim().lines().last().unwrap()).unwrap();
    assert_eq!(result["ok"], true, "{printed}");
    assert!(result["bomb"].as_str().unwrap().contains("pixels"), "{result}");
    assert!(result["liar"].as_str().unwrap().contains("not a picture"), "{result}");
    // Three photos kept (a file and a preview each); the deleted one, the
    // bomb and the liar left nothing.
    assert_eq!(stored_before_refusals(), 6, "{:?}", files_under(a.media_dir.path()));

    // The listing reaches Bob's node with its two photos in order.
    let listing_uri = result["listing_uri"].as_str().unwrap().to_owned();
    let on_b = eventually(30, "the listing reaches bob", || async {
        let (_, list) = bob.get("/api/v1/listings?origin=remote&limit=40").await;
        list.as_array()?.iter().find(|l| l["uri"] == listing_uri.as_str()).cloned()
    })
    .await;
    let photos = on_b["media_attachments"].as_array().unwrap();
    assert_eq!(photos.len(), 2, "{on_b}");
    // A listing's photos are copied on arrival, before anyone looks.
    eventually(30, "bob's node copies the listing's two photos", || async {
        (files_under(b.media_dir.path()).len() == 4).then_some(())
    })
    .await;
    assert_eq!(photos[0]["description"], "Photo 2");
    assert_eq!(photos[1]["description"], "Photo 1");
    let url = photos[0]["url"].as_str().unwrap();
    assert!(url.starts_with(&b.base), "served by bob's node: {url}");
    assert!(photos[0]["remote_url"].as_str().unwrap().starts_with(&a.base), "{on_b}");
    assert_eq!(photos[0]["blurhash"], result["blurhash"], "the blurhash travels");
    let (status, kind, bytes) = fetch(url).await;
    assert_eq!((status, kind.as_str()), (200, "image/jpeg"));
    assert!(bytes.starts_with(&[0xFF, 0xD8, 0xFF]) && !bytes.windows(4).any(|w| w == b"Exif"));

    // Its page on Bob's node shows the photos with their alt text.
    let page_url = on_b["url"].as_str().unwrap().to_owned();
    let local_page = format!("{}/listings/{}", b.base, on_b["id"].as_str().unwrap());
    let mut browser = FormBrowser::new();
    browser.log_in(&b, "bob").await;
    let (status, page) = browser.get(local_page.clone()).await;
    assert_eq!(status, 200, "{local_page} ({page_url}): {page}");
    assert!(page.contains(r#"alt="Photo 2""#) && page.contains(r#"alt="Photo 1""#), "{page}");
    assert!(page.contains(&format!("/media/{}/preview", photos[0]["id"].as_str().unwrap())), "{page}");

    // The status too, with its attachment, in Bob's home timeline.
    let status_uri = result["status_uri"].as_str().unwrap().to_owned();
    let status = eventually(30, "the status reaches bob", || async {
        let (_, home) = bob.get("/api/v1/timelines/home").await;
        home.as_array()?.iter().find(|s| s["uri"] == status_uri.as_str()).cloned()
    })
    .await;
    let attached = &status["media_attachments"][0];
    assert_eq!(attached["description"], "Perceuse sans fil", "{status}");
    assert_eq!(attached["meta"]["original"]["width"], 200, "{status}");
    let (status_code, _, _) = fetch(attached["preview_url"].as_str().unwrap()).await;
    assert_eq!(status_code, 200);

    // Her avatar and header, set from her app, show on her profile here
    // and reach Bob's node.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/avatar.py");
    let args = vec![
        script.display().to_string(),
        a.base.clone(),
        alice.token.clone(),
        work.path().display().to_string(),
    ];
    let printed = tokio::task::spawn_blocking(move || run_python(args)).await.unwrap();
    let pictures: Value = serde_json::from_str(printed.trim().lines().last().unwrap()).unwrap();
    let avatar = pictures["avatar"].as_str().unwrap().to_owned();
    let (_, profile) = browser.get(a.url("/@alice")).await;
    assert!(profile.contains(&format!(r#"class="avatar" src="{avatar}""#)), "{profile}");
    eventually(30, "bob's node sees alice's new avatar", || async {
        let (_, found) = bob.get(&format!("/api/v1/accounts/lookup?acct=alice@{}", a.domain)).await;
        (found["avatar"] == avatar.as_str() && found["header"] == pictures["header"]).then_some(())
    })
    .await;
}

/// A photo uploaded by a Rust client, as any app would send it.
async fn upload_photo(node: &TestNode, token: &str, alt: &str) -> Value {
    let mut bytes = Vec::new();
    let picture = image::RgbImage::from_pixel(320, 240, image::Rgb([90, 140, 200]));
    image::codecs::jpeg::JpegEncoder::new(&mut bytes).encode_image(&picture).unwrap();
    let part =
        reqwest::multipart::Part::bytes(bytes).file_name("atelier.jpg").mime_str("image/jpeg").unwrap();
    let form = reqwest::multipart::Form::new().part("file", part).text("description", alt.to_owned());
    let r = reqwest::Client::new()
        .post(node.url("/api/v2/media"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

#[actix_web::test]
async fn a_session_carries_its_photo_to_the_other_node() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    bob.follow_accepted(&format!("alice@{}", a.domain)).await;
    let photo = upload_photo(&a, &alice.token, "L'atelier vélo").await;
    let (status, event) = alice
        .json(
            reqwest::Method::POST,
            "/api/v1/events",
            &serde_json::json!({"title": "Réparer son vélo", "starts_at": "2027-04-10T12:30:00Z",
                    "place": {"name": "Atelier", "lat": 44.75, "lon": 5.37}, "media_ids": [photo["id"]]}),
        )
        .await;
    assert_eq!(status, 200, "{event}");
    assert_eq!(event["media_attachments"][0]["id"], photo["id"], "{event}");
    let uri = event["uri"].as_str().unwrap().to_owned();
    let (_, document) = harness::signed_get(&b, &uri, "application/activity+json").await;
    let document: Value = serde_json::from_str(&document).unwrap();
    assert_eq!(document["attachment"][0]["name"], "L'atelier vélo", "{document}");
    assert_eq!(document["attachment"][0]["type"], "Image");
    let on_b = eventually(30, "the session reaches bob's node with its photo", || async {
        let (_, status) = bob.get(&format!("/api/v2/search?q={uri}&resolve=true")).await;
        let found = status["statuses"].as_array()?.first()?.clone();
        (!found["media_attachments"].as_array()?.is_empty()).then_some(found)
    })
    .await;
    let shown = &on_b["media_attachments"][0];
    assert_eq!(shown["description"], "L'atelier vélo");
    let (code, kind, _) = fetch(shown["url"].as_str().unwrap()).await;
    assert_eq!((code, kind.as_str()), (200, "image/jpeg"));
}
