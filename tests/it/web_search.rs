//! `/listings` without a place: results by pages of 20 with links either
//! way that keep the search, newest first or those ending soonest first
//! (with when each ends), `#tag` searches; and, in Chromium, a keyboard
//! user skips the map's pins to reach the results.

use std::time::Duration;

use crate::harness;

use harness::webdriver::{Browser, ENTER, TAB};
use harness::{client, TestNode};
use maillage_core::time::Timestamp;
use serde_json::json;

async fn page(node: &TestNode, path: &str) -> (u16, String) {
    let r = client().get(node.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The titles of the cards in the page's order.
fn titles(html: &str) -> Vec<String> {
    html.split(r#"<article class="card"><h3><a href=""#)
        .skip(1)
        .map(|card| card.split_once("\">").unwrap().1.split("</a>").next().unwrap().to_owned())
        .collect()
}

/// The address of the link with `rel` (`next`, `prev`), unescaped.
fn link(html: &str, rel: &str) -> Option<String> {
    let href = html.split(&format!(r#"rel="{rel}" href=""#)).nth(1)?.split('"').next()?;
    Some(href.replace("&#38;", "&").replace("&amp;", "&"))
}

/// An offer at Die that ends in `days` days (the default lifetime when
/// `None`), with `tags`.
fn offer(title: &str, days: Option<u64>, tags: &[&str]) -> serde_json::Value {
    let mut body = json!({
        "kind": "offer", "category": "goods", "title": title, "description": format!("{title}, à donner."),
        "tags": tags, "place": { "name": "Die", "lat": 44.75, "lon": 5.37 },
        "terms": { "mode": "gift" }, "visibility": "public"
    });
    if let Some(days) = days {
        let until = Timestamp::now().saturating_add(Duration::from_secs(days * 86_400));
        body["available_until"] = json!(until.to_rfc3339());
    }
    body
}

#[actix_web::test]
async fn a_search_without_a_place_comes_in_pages_newest_first_or_ending_soon() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    for n in 1..=23 {
        alice.listing(&offer(&format!("Objet {n:02}"), None, &[])).await;
    }
    // Three that end soon, published in another order than their ends.
    alice.listing(&offer("Fin dans 9 jours", Some(9), &["velo"])).await;
    alice.listing(&offer("Fin dans 2 jours", Some(2), &["velo", "outils"])).await;
    alice.listing(&offer("Fin dans 5 jours", Some(5), &["velosolex"])).await;

    // Twenty a page, the newest first; the next page keeps the search.
    let (status, first) = page(&a, "/listings?kind=offer").await;
    assert_eq!(status, 200, "{first}");
    let shown = titles(&first);
    assert_eq!(shown.len(), 20, "{shown:?}");
    assert_eq!(shown[..4], ["Fin dans 5 jours", "Fin dans 2 jours", "Fin dans 9 jours", "Objet 23"]);
    assert!(link(&first, "prev").is_none(), "no page before the first");
    let next = link(&first, "next").expect("a next page");
    assert!(next.contains("kind=offer") && next.contains("page=2"), "{next}");
    let (status, second) = page(&a, &next).await;
    assert_eq!(status, 200);
    assert_eq!(titles(&second), ["Objet 06", "Objet 05", "Objet 04", "Objet 03", "Objet 02", "Objet 01"]);
    assert!(link(&second, "next").is_none(), "nothing after: {second}");
    assert!(
        second.contains(r#"<span class="meta" id="page-number">Page 2</span>"#),
        "where one is: {second}"
    );
    let back = link(&second, "prev").expect("a way back");
    assert!(back.contains("kind=offer") && back.contains("page=1"), "{back}");
    assert!(!first.contains(r#"class="meta ends""#), "newest first: no end dates on the cards");
    assert!(first.contains(r#"<option value="newest" selected>"#), "{first}");

    // Ending soon: the soonest first, each with its end, in the page's
    // language; the pages keep the order.
    let (status, ending) = page(&a, "/listings?sort=ending_soon&limit=2").await;
    assert_eq!(status, 200);
    assert_eq!(titles(&ending), ["Fin dans 2 jours", "Fin dans 5 jours"]);
    assert!(ending.contains(r#"<option value="ending_soon" selected>"#), "{ending}");
    assert_eq!(ending.matches(r#"<p class="meta ends">Jusqu&#39;au "#).count(), 2, "{ending}");
    let next = link(&ending, "next").expect("a next page");
    assert!(
        next.contains("sort=ending_soon") && next.contains("limit=2") && next.contains("page=2"),
        "{next}"
    );
    let (_, then) = page(&a, &next).await;
    assert_eq!(titles(&then)[0], "Fin dans 9 jours");
    let (_, english) = page(&a, "/listings?sort=ending_soon&limit=1&lang=en").await;
    assert!(
        english.contains(r#"<p class="meta ends">Until "#) && english.contains("Ending soon first"),
        "{english}"
    );

    // With a place, the nearest first whatever the order says.
    let (status, near) = page(&a, "/listings?near=44.75%2C5.37&km=5&sort=ending_soon").await;
    assert_eq!(status, 200);
    assert_eq!(titles(&near).len(), 26, "one page by distance, as before");
    assert!(near.contains(r#"class="meta distance""#) && !near.contains(r#"class="meta ends""#));

    // A stale or made-up value reads as the default.
    let (status, odd) = page(&a, "/listings?sort=cheapest&page=999999").await;
    assert_eq!(status, 200);
    assert_eq!(titles(&odd)[0], "Fin dans 5 jours");

    // A tag is a tag: #velo is not #velosolex, and a listing's page links
    // its tags to that search.
    let (_, tagged) = page(&a, "/listings?q=%23velo").await;
    assert_eq!(titles(&tagged), ["Fin dans 2 jours", "Fin dans 9 jours"]);
    assert!(tagged.contains(r##"value="#velo""##), "the words field shows the tag: {tagged}");
    let (_, two) = page(&a, "/listings?q=%23velo+%23Outils").await;
    assert_eq!(titles(&two), ["Fin dans 2 jours"]);
    let (_, words) = page(&a, "/listings?q=velo").await;
    assert_eq!(titles(&words).len(), 3, "a word still finds it inside a tag");
}

#[actix_web::test]
async fn a_keyboard_user_skips_the_map_to_reach_the_results() {
    let a = TestNode::start_with(|c| c.web.tile_url = String::new()).await;
    let alice = a.user("alice").await;
    for n in 1..=6 {
        alice.offer(&format!("Outil {n}"), 44.75 + f64::from(n) / 100.0, 5.37).await;
    }
    let browser = Browser::start().await;
    for (width, lang) in [(390, "fr"), (1280, "en"), (390, "en"), (1280, "fr")] {
        browser.resize(width, 900).await;
        browser.open(&a.url(&format!("/listings?lang={lang}"))).await;
        browser.arrive("/listings", "#map .leaflet-marker-icon").await;
        assert_eq!(browser.attribute("#map", "data-markers").await.as_deref(), Some("6"));

        // From the top of the page, the skip link comes before any pin.
        browser
            .execute("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")
            .await;
        let mut order = Vec::new();
        for _ in 0..40 {
            browser.press(TAB).await;
            let now = browser.focused().await;
            let done = now.contains("leaflet-marker-icon") || now == "a#skip-map.skip-inline";
            order.push(now);
            if done {
                break;
            }
        }
        assert_eq!(order.last().map(String::as_str), Some("a#skip-map.skip-inline"), "{order:?}");
        assert!(!order.iter().any(|f| f.contains("leaflet")), "{order:?}");
        // Visible once focused, inside the screen.
        let shown = browser
            .execute(
                "var r = document.getElementById('skip-map').getBoundingClientRect(); \
                 return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth;",
            )
            .await;
        assert_eq!(shown, json!(true), "{width} px");
        browser.screenshot(&format!("search-skip-{width}-{lang}")).await;

        // Followed, it lands on the results: the next Tab is the first
        // result, not a pin.
        browser.press(ENTER).await;
        browser.press(TAB).await;
        let next = browser.focused().await;
        assert_eq!(next, "a", "a result's link: {next}");
        let text = browser.execute("return document.activeElement.textContent").await;
        assert_eq!(text, json!("Outil 6"), "the newest first");
        let scroll = browser.execute("return document.documentElement.scrollWidth - window.innerWidth").await;
        assert!(scroll.as_i64().unwrap_or(1) <= 0, "no sideways scroll at {width} px: {scroll}");
        browser.execute("window.scrollTo(0, 0)").await;
        browser.screenshot(&format!("search-{width}-{lang}")).await;
    }
}
