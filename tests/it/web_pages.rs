//! The pages people open in a browser: the territory's home in French and
//! English, what it lists, and the headers every page carries.

use crate::harness;

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
            &json!({ "title": "Atelier vélo", "starts_at": "2027-03-14T14:00:00Z", // 15:00 in Paris
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
        fr.contains("Atelier vélo") && fr.contains("14 mars 2027, 15:00") && fr.contains("6 places libres"),
        "{fr}"
    );
    assert!(fr.contains(&format!("Territoire {}", b.port)), "the linked territory: {fr}");
    let (_, _, en) = page(&a, "/?lang=en", None).await;
    assert!(en.contains("12.5\u{a0}km") && en.contains("Mar 14, 2027, 15:00"), "{en}");
}

#[actix_web::test]
async fn listings_are_searched_with_filters_and_a_map_and_each_has_a_page() {
    let a = TestNode::start_with(|c| c.web.tile_url = "https://tiles.example/{z}/{x}/{y}.png".into()).await;
    let alice = a.user("alice").await;
    let drill = alice.offer("Perceuse à percussion", 44.0, 2.69).await;
    alice.offer("Remorque", 45.5, 4.0).await;
    alice
        .listing(&json!({
            "kind": "need", "category": "food", "title": "Des œufs frais",
            "description": "Une **douzaine** par semaine.", "place": { "name": "Le bourg", "lat": 44.01, "lon": 2.7 },
            "terms": { "mode": "time_credit", "hours": 1.5 }, "visibility": "public"
        }))
        .await;

    let (status, _, all) = page(&a, "/listings", None).await;
    assert_eq!(status, 200);
    for title in ["Perceuse à percussion", "Remorque", "Des œufs frais"] {
        assert!(all.contains(title), "{title}");
    }
    assert!(all.contains(r#"data-tiles="https://tiles.example/{z}/{x}/{y}.png""#), "{all}");
    assert!(all.contains(r#"data-lat="44""#) && all.contains(r#"src="/static/map.js""#));
    let (_, _, near) = page(&a, "/listings?near=44.0%2C2.69&km=20", None).await;
    assert!(near.contains("Perceuse") && near.contains("Des œufs") && !near.contains("Remorque"), "{near}");
    assert!(near.contains(r#"value="44.0,2.69""#), "the form keeps what was typed");
    let (_, _, needs) = page(&a, "/listings?kind=need&q=frais", None).await;
    assert!(needs.contains("Des œufs frais") && !needs.contains("Perceuse"), "{needs}");
    let (_, _, goods) = page(&a, "/listings?category=goods", None).await;
    assert!(goods.contains("Perceuse") && !goods.contains("Des œufs"));

    // Bad input comes back with what was typed and the field named.
    let (status, _, bad) = page(&a, "/listings?q=perceuse&near=quelque+part&km=-3", None).await;
    assert_eq!(status, 422);
    assert!(bad.contains(r#"value="perceuse""#) && bad.contains(r#"value="quelque part""#), "{bad}");
    assert!(bad.contains(r#"id="e-near""#) && bad.contains("latitude et une longitude"), "{bad}");
    assert!(bad.contains(r#"id="e-km""#) && bad.contains(r#"aria-invalid="true""#), "{bad}");
    let (_, _, bad_en) = page(&a, "/listings?category=licornes&lang=en", None).await;
    assert!(bad_en.contains("This category does not exist."), "{bad_en}");

    // A listing's page, at the URL its author's profile gives it.
    let url = drill["url"].as_str().unwrap().to_owned();
    let path = url.trim_start_matches(&a.base);
    let (status, headers, one) = page(&a, path, None).await;
    assert_eq!(status, 200, "{path}");
    assert!(one.contains("<h1>Perceuse à percussion</h1>") && one.contains("Don"), "{one}");
    assert!(headers.get("content-security-policy").is_some());
    let (status, _, missing) = page(&a, "/@alice/listings/123", None).await;
    assert_eq!(status, 404);
    assert!(missing.contains("Page introuvable"));
    assert_eq!(page(&a, &path.replace("@alice", "@bob"), None).await.0, 404, "under its author only");
    assert_eq!(page(&a, "/@alice/listings/pas-un-id", None).await.0, 404);

    for (asset, kind) in [
        ("/static/leaflet/leaflet.js", "text/javascript; charset=utf-8"),
        ("/static/leaflet/leaflet.css", "text/css; charset=utf-8"),
        ("/static/leaflet/images/marker-icon.png", "image/png"),
        ("/static/map.js", "text/javascript; charset=utf-8"),
    ] {
        let (status, headers, _) = page(&a, asset, None).await;
        assert_eq!((status, headers.get("content-type").unwrap().to_str().unwrap()), (200, kind), "{asset}");
    }
    assert_eq!(page(&a, "/static/leaflet/../../Cargo.toml", None).await.0, 404);
}

#[actix_web::test]
async fn profiles_show_open_listings_and_send_activitypub_clients_to_the_actor() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    alice.offer("Scie circulaire", 44.0, 2.69).await;
    let (status, _) = alice
        .json(
            Method::PATCH,
            "/api/v1/accounts/update_credentials",
            &json!({ "display_name": "Alice <b>B.</b>", "note": "Menuisière **du bourg**" }),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _, html) = page(&a, "/@alice", None).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Alice &#60;b&#62;B.&#60;/b&#62;") || html.contains("Alice &lt;b&gt;B.&lt;/b&gt;"),
        "escaped: {html}"
    );
    assert!(html.contains("<strong>du bourg</strong>") && html.contains("Scie circulaire"), "{html}");
    assert!(html.contains(&format!("@alice@{}", a.domain)));
    assert_eq!(page(&a, "/@personne", None).await.0, 404);
    let r =
        client().get(a.url("/@alice")).header("Accept", "application/activity+json").send().await.unwrap();
    assert_eq!(r.url().path(), "/users/alice", "followed to the actor");
    let actor: serde_json::Value = r.json().await.unwrap();
    assert_eq!(actor["type"], "Person");
}
