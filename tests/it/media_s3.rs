//! Media on S3-compatible storage: a real S3 server (moto, started here on
//! a local port) holds a node's photos through the same upload, serve and
//! delete steps as the disk; `admin media migrate` moves a disk node's
//! photos there and every URL still answers.

use crate::harness;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use harness::{TestNode, TestUser};
use maillage_core::config::Config;
use serde_json::Value;

use crate::media::files_under;

const BUCKET: &str = "maillage-media";

struct Moto {
    child: Child,
    endpoint: String,
}

impl Moto {
    async fn start() -> Moto {
        let python = std::env::var("MAILLAGE_PYTHON").expect("MAILLAGE_PYTHON: run scripts/test");
        let server = Path::new(&python).with_file_name("moto_server");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server: run scripts/test");
        let moto = Moto { child, endpoint: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let made = reqwest::Client::new().put(format!("{}/{BUCKET}", moto.endpoint)).send().await;
            match made {
                Ok(r) if r.status().is_success() => return moto,
                _ if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(200)).await,
                other => panic!("moto did not start: {other:?}"),
            }
        }
    }

    fn use_in(&self, config: &mut Config) {
        let m = &mut config.media;
        m.storage = "s3".into();
        m.s3_endpoint = self.endpoint.clone();
        m.s3_region = "us-east-1".into();
        m.s3_bucket = BUCKET.into();
        m.s3_access_key_id = "maillage".into();
        m.s3_secret_access_key = "a secret key".into();
    }

    /// The keys in the bucket, read with S3's own listing.
    async fn keys(&self) -> Vec<String> {
        let xml = reqwest::get(format!("{}/{BUCKET}?list-type=2", self.endpoint))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        xml.split("<Key>").skip(1).filter_map(|s| s.split_once("</Key>").map(|(k, _)| k.to_owned())).collect()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn run_media_script(node: &TestNode, user: &TestUser, work: &Path) -> Value {
    let python = std::env::var("MAILLAGE_PYTHON").unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/media.py");
    let args =
        [script.display().to_string(), node.base.clone(), user.token.clone(), work.display().to_string()];
    let out =
        tokio::task::spawn_blocking(move || Command::new(python).args(args).output().unwrap()).await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "media.py: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(stdout.trim().lines().last().unwrap()).unwrap()
}

/// Every media URL of `user`'s statuses (listings are statuses too).
async fn media_urls(user: &TestUser) -> Vec<String> {
    let (_, me) = user.get("/api/v1/accounts/verify_credentials").await;
    let (_, statuses) = user.get(&format!("/api/v1/accounts/{}/statuses", me["id"].as_str().unwrap())).await;
    let mut urls = Vec::new();
    for s in statuses.as_array().unwrap() {
        for m in s["media_attachments"].as_array().unwrap() {
            urls.push(m["url"].as_str().unwrap().to_owned());
            urls.push(m["preview_url"].as_str().unwrap().to_owned());
        }
    }
    urls
}

async fn bytes_of(url: &str) -> (u16, Vec<u8>) {
    let r = reqwest::get(url).await.unwrap();
    (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
}

#[actix_web::test]
async fn a_node_on_s3_uploads_serves_and_deletes_photos_there() {
    let moto = Moto::start().await;
    let node = TestNode::start_with(|c| moto.use_in(c)).await;
    let alice = node.user("alice").await;
    let work = tempfile::tempdir().unwrap();
    let result = run_media_script(&node, &alice, work.path()).await;
    assert_eq!(result["ok"], true, "{result}");
    assert!(files_under(node.media_dir.path()).is_empty(), "nothing on disk");
    // Three photos (file and preview each); the deleted one is gone.
    let keys = moto.keys().await;
    assert_eq!(keys.len(), 6, "{keys:?}");
    let urls = media_urls(&alice).await;
    assert_eq!(urls.len(), 6, "{urls:?}");
    for url in &urls {
        assert_eq!(bytes_of(url).await.0, 200, "{url}");
    }
}

#[actix_web::test]
async fn admin_media_migrate_moves_a_disk_node_to_s3_and_every_url_still_answers() {
    let moto = Moto::start().await;
    let mut node = TestNode::start().await;
    let alice = node.user("alice").await;
    let work = tempfile::tempdir().unwrap();
    let result = run_media_script(&node, &alice, work.path()).await;
    assert_eq!(result["ok"], true, "{result}");
    let urls = media_urls(&alice).await;
    assert_eq!(urls.len(), 6, "{urls:?}");
    let mut before = Vec::new();
    for url in &urls {
        let (status, bytes) = bytes_of(url).await;
        assert_eq!(status, 200, "{url}");
        before.push(bytes);
    }
    node.stop().await;

    let mut s3 = node.config.clone();
    moto.use_in(&mut s3);
    let m = &s3.media;
    let out = Command::new(env!("CARGO_BIN_EXE_maillage"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("MAILLAGE_DATABASE_URL", node.db.url_string())
        .env("MAILLAGE_MEDIA_PATH", &m.path)
        .env("MAILLAGE_S3_ENDPOINT", &m.s3_endpoint)
        .env("MAILLAGE_S3_BUCKET", &m.s3_bucket)
        .env("MAILLAGE_S3_ACCESS_KEY_ID", &m.s3_access_key_id)
        .env("MAILLAGE_S3_SECRET_ACCESS_KEY", &m.s3_secret_access_key)
        .args(["admin", "media", "migrate"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains("6 files copied") && said.contains("0 named by the database were missing"),
        "{said}"
    );
    assert_eq!(moto.keys().await.len(), 6);

    // The node now on S3, with an empty folder: every file comes from S3.
    let empty = tempfile::tempdir().unwrap();
    node.config = s3;
    node.config.media.path = empty.path().display().to_string();
    node.restart().await;
    for (url, bytes) in urls.iter().zip(&before) {
        let (status, now) = bytes_of(url).await;
        assert_eq!(status, 200, "{url}");
        assert_eq!(&now, bytes, "{url} serves the same file");
    }
    assert!(files_under(empty.path()).is_empty());
}
