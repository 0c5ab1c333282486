//! Pages in a real browser (Debian's headless Chromium): the listings map
//! shows a marker for each result even when the tile server cannot be
//! reached, and the page runs under its Content-Security-Policy.

use crate::harness;

use harness::TestNode;

fn chromium() -> String {
    let path = std::env::var("MAILLAGE_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        std::path::Path::new(&path).exists(),
        "no Chromium at {path}: run scripts/test, which installs Debian's chromium, or set MAILLAGE_CHROMIUM"
    );
    path
}

/// The page's DOM once its scripts have run.
async fn rendered_dom(url: String) -> String {
    let browser = chromium();
    tokio::task::spawn_blocking(move || {
        let profile = tempfile::tempdir().unwrap();
        let out = std::process::Command::new(browser)
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--virtual-time-budget=8000",
                &format!("--user-data-dir={}", profile.path().display()),
                "--dump-dom",
                &url,
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    })
    .await
    .unwrap()
}

#[actix_web::test]
async fn the_map_shows_every_result_even_without_tiles() {
    // Port 9 (discard) refuses connections: no tile ever loads.
    let a = TestNode::start_with(|c| c.web.tile_url = "http://127.0.0.1:9/{z}/{x}/{y}.png".into()).await;
    let alice = a.user("alice").await;
    alice.offer("Perceuse à percussion", 44.0, 2.69).await;
    alice.offer("Bétonnière", 44.05, 2.75).await;
    let dom = rendered_dom(a.url("/listings")).await;
    assert!(dom.contains(r#"data-markers="2""#), "the map script placed two markers: {dom}");
    assert_eq!(dom.matches("leaflet-marker-icon").count(), 2, "{dom}");
    assert!(dom.contains("Perceuse à percussion") && dom.contains("Bétonnière"), "the list stays");
    let dom = rendered_dom(a.url("/listings?near=44.0%2C2.69&km=2")).await;
    assert!(dom.contains(r#"data-markers="1""#), "only what the filter keeps: {dom}");
}
