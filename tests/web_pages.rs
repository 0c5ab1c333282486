//! The pages people open in a browser: the territory's home in French and
//! English, what it lists, and the headers every page carries.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

use harness::{client, link_territories, TestNode};
use reqwest::Method;
use serde_json::json;

async fn page(
    node: &TestNode,
    path: &str,
    accept_language: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, String) {
    let mut r = client().get(node.url(path));
    if let Some(al) = accept_language {
        r = r.header("Accept-Language", al);
    }
    let r = r.send().await.unwrap();
    let (status, headers) = (r.status().as_u16(), r.headers().clone());
    (status, headers, r.text().await.unwrap())
}

#[actix_web::test]
async fn the_home_page_speaks_french_and_english() {
    let a = TestNode::start_with(|c| c.territory.name = "Pays de Broquiès".into()).await;
    let (status, headers, fr) = page(&a, "/", None).await;
    assert_eq!(status, 200);
    assert!(fr.contains(r#"<html lang="fr">"#) && fr.contains("Dernières offres"), "{fr}");
    assert!(fr.contains("Pays de Broquiès"));
    let csp = headers.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");

    let (_, _, en) = page(&a, "/", Some("en-GB,en;q=0.9,fr;q=0.5")).await;
    assert!(en.contains(r#"<html lang="en">"#) && en.contains("Latest offers"), "{en}");
    let (_, _, fr_again) = page(&a, "/", Some("de-DE, fr;q=0.4")).await;
    assert!(fr_again.contains("Dernières offres"), "the first language we speak");

    // The switch keeps the choice in a cookie.
    let r = client().get(a.url("/?lang=en")).header("Accept-Language", "fr").send().await.unwrap();
    let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("lang=en;") && cookie.contains("SameSite=Lax") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    assert!(r.text().await.unwrap().contains("Latest offers"));
    let r = client()
        .get(a.url("/"))
        .header("Accept-Language", "fr")
        .header("Cookie", "lang=en")
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("Latest offers"), "the cookie wins over the browser's language");

    let english = TestNode::start_with(|c| c.territory.languages = vec!["en".into(), "fr".into()]).await;
    let (_, _, default) = page(&english, "/", None).await;
    assert!(default.contains("Latest offers"), "the territory's own language by default");
    let (status, headers, css) = page(&a, "/static/maillage.css", None).await;
    assert_eq!(
        (status, headers.get("content-type").unwrap().to_str().unwrap()),
        (200, "text/css; charset=utf-8")
    );
    assert!(css.contains("--accent"));
}

#[actix_web::test]
async fn the_home_page_lists_what_the_territory_offers_and_escapes_it() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let (admin_a, admin_b) = (a.admin("adma").await, b.admin("admb").await);
    link_territories(&a, &admin_a, &b, &admin_b).await;
    let alice = a.user("alice").await;
    alice.offer("Perceuse <script>alert(1)</script>", 44.0, 2.69).await;
    alice
        .listing(&json!({
            "kind": "need", "category": "food", "title": "Des œufs frais",
            "description": "Une douzaine par semaine.", "place": { "name": "Le bourg", "lat": 44.0, "lon": 2.7 },
            "radius_km": 12.5, "terms": { "mode": "barter" }, "visibility": "public"
        }))
        .await;
    alice
        .listing(&json!({
            "kind": "need", "category": "food", "title": "Besoin réservé au quartier",
            "description": "Pas pour tout le monde.", "place": { "name": "Le bourg", "lat": 44.0, "lon": 2.7 },
            "terms": { "mode": "gift" }, "visibility": "territory"
        }))
        .await;
    let (status, _) = alice
        .json(
            Method::POST,
            "/api/v1/events",
            &json!({ "title": "Atelier vélo", "starts_at": "2027-03-14T14:00:00Z",
            "place": { "name": "Garage solidaire", "lat": 44.0, "lon": 2.69 }, "capacity": 6 }),
        )
        .await;
    assert_eq!(status, 200);

    let (_, _, fr) = page(&a, "/", None).await;
    assert!(
        fr.contains("Perceuse &#60;script&#62;") || fr.contains("Perceuse &lt;script&gt;"),
        "escaped: {fr}"
    );
    assert!(!fr.contains("<script>"), "{fr}");
    assert!(fr.contains("Des œufs frais") && fr.contains("12,5\u{a0}km"), "{fr}");
    assert!(!fr.contains("Besoin réservé au quartier"), "territory-only listings are not on the public page");
    assert!(
        fr.contains("Atelier vélo") && fr.contains("14 mars 2027, 14:00") && fr.contains("6 places"),
        "{fr}"
    );
    assert!(fr.contains(&format!("Territoire {}", b.port)), "the linked territory: {fr}");
    let (_, _, en) = page(&a, "/?lang=en", None).await;
    assert!(en.contains("12.5\u{a0}km") && en.contains("Mar 14, 2027, 14:00"), "{en}");
}
