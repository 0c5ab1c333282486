//! Photos: processing one 12-megapixel JPEG (time, and the peak memory it
//! adds), uploads per second through `/api/v2/media` on this machine's
//! cores, and a cached preview served (requests per second, beside the
//! node's own stylesheet served the same way, as the limit of the same
//! run). Run with
//!
//!   cargo bench --bench media
//!
//! Figures go to docs/PERFORMANCE.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use maillage::server;
use maillage_core::account::RegistrationMode;
use maillage_core::config::Config;
use maillage_core::scope::Scopes;
use maillage_core::urls::LocalUrls;
use maillage_media::process::{process, Limits};
use maillage_service::accounts::{self, NewAccount};
use maillage_test_support::TestDb;

const UPLOADS: usize = 24;
const UPLOADERS: usize = 4;
const SERVE_FOR: Duration = Duration::from_secs(4);
const READERS: usize = 32;

/// A 4000 × 3000 picture with gradients and grain, as a photo compresses.
fn photo() -> Vec<u8> {
    let mut seed = 0x2545_f491_u32;
    let picture = image::RgbImage::from_fn(4000, 3000, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let grain = (seed % 24) as u8;
        image::Rgb([(x / 16) as u8 ^ grain, (y / 12) as u8 ^ grain, ((x + y) / 28) as u8 ^ grain])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90).encode_image(&picture).unwrap();
    out
}

/// The process's peak resident memory so far, in KiB (Linux).
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

async fn hammer(url: &str) -> f64 {
    let http = reqwest::Client::new();
    let done = Arc::new(AtomicUsize::new(0));
    let until = Instant::now() + SERVE_FOR;
    let mut tasks = Vec::new();
    for _ in 0..READERS {
        let (http, url, done) = (http.clone(), url.to_owned(), done.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < until {
                let r = http.get(&url).send().await.unwrap();
                assert_eq!(r.status(), 200, "{url}");
                r.bytes().await.unwrap();
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    done.load(Ordering::Relaxed) as f64 / SERVE_FOR.as_secs_f64()
}

async fn upload(http: reqwest::Client, base: String, token: String, bytes: Vec<u8>) -> serde_json::Value {
    let part = reqwest::multipart::Part::bytes(bytes).file_name("photo.jpg").mime_str("image/jpeg").unwrap();
    let form = reqwest::multipart::Form::new().part("file", part).text("description", "Une photo");
    let r =
        http.post(format!("{base}/api/v2/media")).bearer_auth(&token).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

fn main() {
    let bytes = photo();
    println!("media: a 4000x3000 JPEG of {:.1} MB", bytes.len() as f64 / 1e6);
    let before = peak_kib();
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let done = process(&bytes, &Limits::default()).unwrap();
        times.push(t.elapsed());
        assert_eq!((done.preview.width, done.preview.height), (640, 480));
    }
    times.sort();
    println!(
        "media: processing a 12 MP JPEG: median {:.0} ms, min {:.0} ms; peak memory +{} MiB",
        times[2].as_secs_f64() * 1000.0,
        times[0].as_secs_f64() * 1000.0,
        (peak_kib().saturating_sub(before)) / 1024
    );

    let db = TestDb::new();
    let pool = db.pool();
    let media_dir = tempfile::tempdir().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let domain = format!("localhost:{}", listener.local_addr().unwrap().port());
    let base = format!("http://{domain}");
    let mut config = Config::default();
    config.instance.domain = domain.clone();
    config.database.url = db.url_string();
    config.federation.debug = true;
    config.media.path = media_dir.path().display().to_string();
    let token = {
        let mut conn = pool.get().unwrap();
        let urls = LocalUrls::new(&domain, true);
        let account = NewAccount {
            username: "alice",
            email: "alice@bench.example",
            password: Some("a good password"),
            ..Default::default()
        };
        let user = accounts::register(&mut conn, &urls, RegistrationMode::Open, &account).unwrap();
        maillage_service::tokens::issue_for_user(
            &mut conn,
            user.id,
            &Scopes::parse("read write").unwrap(),
            None,
        )
        .unwrap()
        .token
    };
    let node_pool = pool.clone();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let node = server::start(config, node_pool, Some(listener)).await.unwrap();
            let _ = node.wait().await;
        })
    });
    actix_web::rt::System::new().block_on(async move {
        let http = reqwest::Client::new();
        for _ in 0..100 {
            if http.get(format!("{base}/healthz")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let first = upload(http.clone(), base.clone(), token.clone(), bytes.clone()).await;
        let started = Instant::now();
        let left = Arc::new(AtomicUsize::new(UPLOADS));
        let mut tasks = Vec::new();
        for _ in 0..UPLOADERS {
            let (http, bytes, left) = (http.clone(), bytes.clone(), left.clone());
            let (base, token) = (base.clone(), token.clone());
            tasks.push(tokio::spawn(async move {
                while left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok() {
                    upload(http.clone(), base.clone(), token.clone(), bytes.clone()).await;
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let rate = UPLOADS as f64 / started.elapsed().as_secs_f64();
        println!("media: {UPLOADS} uploads of the 12 MP JPEG by {UPLOADERS} clients: {rate:.1} uploads/s ({} cores)", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0));
        let preview = first["preview_url"].as_str().unwrap().to_owned();
        let css = format!("{base}/static/maillage.css");
        let stylesheet = hammer(&css).await;
        let previews = hammer(&preview).await;
        let again = hammer(&css).await;
        println!(
            "media: a cached preview served by {READERS} clients: {previews:.0} requests/s; the stylesheet {stylesheet:.0} and {again:.0} requests/s; ratio {:.2}",
            previews / ((stylesheet + again) / 2.0)
        );
    });
}
