//! Calendars and feeds, read by a real iCalendar parser and a real feed
//! reader (Python's `icalendar` and `feedparser`).

use crate::harness;

use harness::TestNode;
use reqwest::Method;
use serde_json::{json, Value};

fn read(kind: &str, url: &str) -> Value {
    let python = std::env::var("MAILLAGE_PYTHON").expect("MAILLAGE_PYTHON: run scripts/test");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/clients/calendar_and_feed.py");
    let out = std::process::Command::new(python).args([script, kind, url]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A page's HTML, as a visitor who is not logged in gets it.
async fn page_of(url: String) -> String {
    harness::client().get(url).send().await.unwrap().text().await.unwrap()
}

async fn read_async(kind: &'static str, url: String) -> Value {
    tokio::task::spawn_blocking(move || read(kind, &url)).await.unwrap()
}

#[actix_web::test]
async fn sessions_are_calendars_with_their_zone_for_one_a_group_the_territory_and_a_person() {
    let node = TestNode::start().await;
    let alice = node.user("alice").await;
    let bob = node.user("bob").await;
    let mut ids = Vec::new();
    for (title, starts) in [("Atelier vélo", "2026-12-12T08:30:00Z"), ("Greffage", "2027-07-03T07:30:00Z")] {
        let (status, session) = alice
            .json(
                Method::POST,
                "/api/v1/events",
                &json!({ "title": title, "starts_at": starts, "timezone": "Europe/Paris",
                         "place": { "name": "Salle des fêtes", "address": "2 place de la Mairie, 26150 Die",
                                    "lat": 44.75, "lon": 5.37 }, "capacity": 5 }),
            )
            .await;
        assert_eq!(status, 200, "{session}");
        ids.push(session["id"].as_str().unwrap().to_owned());
    }

    let one = read_async("ics", node.url(&format!("/sessions/{}/calendar.ics", ids[0]))).await;
    assert!(one["content_type"].as_str().unwrap().starts_with("text/calendar"), "{one}");
    let event = &one["events"][0];
    assert_eq!(event["summary"], "Atelier vélo");
    assert_eq!(
        (event["start_local"].as_str(), event["start_offset"].as_str()),
        (Some("2026-12-12T09:30"), Some("+0100"))
    );
    assert_eq!(event["tzid"], "Europe/Paris");
    assert!(event["location"].as_str().unwrap().contains("26150 Die"), "{event}");

    let all = read_async("ics", node.url("/calendar.ics")).await;
    let events = all["events"].as_array().unwrap();
    assert_eq!(events.len(), 2, "{all}");
    let summer = events.iter().find(|e| e["summary"] == "Greffage").unwrap();
    assert_eq!(
        (summer["start_local"].as_str(), summer["start_offset"].as_str(), summer["start_utc"].as_str()),
        (Some("2027-07-03T09:30"), Some("+0200"), Some("2027-07-03T07:30")),
        "the same 09:30 across the DST change"
    );

    // Bob takes a place: his private calendar has it, until he renews the address.
    assert_eq!(bob.json(Method::POST, &format!("/api/v1/events/{}/join", ids[1]), &json!({})).await.0, 200);
    let mut page = harness::form_browser::FormBrowser::new();
    page.log_in(&node, "bob").await;
    let (_, first) = page.get(node.url("/me/sessions")).await;
    assert!(!first.contains("calendar-url") && first.contains("calendar-create"), "no address before asking");
    let csrf = harness::form_browser::csrf_of(&first);
    let (status, _, _) = page.post(node.url("/me/calendar/renew"), &[("csrf", &csrf)]).await;
    assert_eq!(status, 303);
    let (_, mine) = page.get(node.url("/me/sessions")).await;
    let private = mine
        .split("id=\"calendar-url\" readonly value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert!(mine.contains(&format!("<link rel=\"alternate\" type=\"text/calendar\" href=\"{private}\">")));
    let his = read_async("ics", private.clone()).await;
    let titles: Vec<&str> =
        his["events"].as_array().unwrap().iter().filter_map(|e| e["summary"].as_str()).collect();
    assert_eq!(titles, ["Greffage"], "only the session he goes to: {his}");
    let csrf = harness::form_browser::csrf_of(&mine);
    let (status, _, _) = page.post(node.url("/me/calendar/renew"), &[("csrf", &csrf)]).await;
    assert_eq!(status, 303);
    let old = harness::client().get(&private).send().await.unwrap();
    assert_eq!(old.status().as_u16(), 404, "the old address no longer works");
    let unknown = harness::client().get(node.url("/calendars/nothing.ics")).send().await.unwrap();
    assert_eq!(unknown.status().as_u16(), 404);
    let bad = harness::client().get(node.url("/sessions/abc/calendar.ics")).send().await.unwrap();
    assert_eq!(bad.status().as_u16(), 404);

    let (_, session_page) = page.get(node.url(&format!("/sessions/{}", ids[0]))).await;
    assert!(
        session_page.contains(&format!("type=\"text/calendar\" href=\"/sessions/{}/calendar.ics\"", ids[0]))
    );
}

#[actix_web::test]
async fn a_persons_listings_are_an_atom_feed_a_reader_parses() {
    let node = TestNode::start().await;
    let alice = node.user("alice").await;
    for (kind, title, visibility) in [
        ("offer", "Pommes d'hiver & poires", "public"),
        ("need", "Un escabeau", "public"),
        ("offer", "Entre voisins", "private"),
    ] {
        alice
            .listing(&json!({
                "kind": kind, "category": "goods", "title": title, "terms": { "mode": "gift" },
                "place": { "name": "Die", "lat": 44.75, "lon": 5.37 }, "visibility": visibility
            }))
            .await;
    }
    let feed = read_async("atom", node.url("/@alice/feed.atom?lang=fr")).await;
    assert_eq!(feed["bozo"], false, "well-formed: {feed}");
    assert!(feed["content_type"].as_str().unwrap().starts_with("application/atom+xml"), "{feed}");
    let titles: Vec<&str> =
        feed["entries"].as_array().unwrap().iter().filter_map(|e| e["title"].as_str()).collect();
    assert_eq!(titles.len(), 2, "only what anyone may see: {titles:?}");
    assert!(titles.contains(&"Offre · Pommes d'hiver & poires"), "{titles:?}");
    let profile = page_of(node.url("/@alice")).await;
    assert!(profile.contains("type=\"application/atom+xml\" href=\"/@alice/feed.atom\""), "{profile}");
    let missing = harness::client().get(node.url("/@nobody/feed.atom")).send().await.unwrap();
    assert_eq!(missing.status().as_u16(), 404);
}

#[actix_web::test]
async fn a_search_feed_tells_of_a_new_matching_listing_and_not_of_others() {
    let node = TestNode::start().await;
    let alice = node.user("alice").await;
    let offer = |title: &str, kind: &str, lat: f64, lon: f64| {
        json!({ "kind": kind, "category": "goods", "title": title, "terms": { "mode": "gift" },
                "place": { "name": "Ici", "lat": lat, "lon": lon }, "visibility": "public" })
    };
    alice.listing(&offer("Bois de chauffage", "offer", 44.75, 5.37)).await;
    alice.listing(&offer("Cherche une remorque", "need", 44.76, 5.38)).await;
    alice.listing(&offer("Vélo à Paris", "offer", 48.85, 2.35)).await;
    let url = node.url("/listings.atom?kind=offer&near=44.75%2C5.37&km=20&lang=fr");
    let titles = |feed: &Value| -> Vec<String> {
        feed["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["title"].as_str().map(str::to_owned))
            .collect()
    };
    let feed = read_async("atom", url.clone()).await;
    assert_eq!(feed["bozo"], false, "{feed}");
    assert_eq!(titles(&feed), ["Offre · Bois de chauffage"], "only offers near: {feed}");

    alice.listing(&offer("Pots de confiture vides", "offer", 44.74, 5.36)).await;
    alice.listing(&offer("Cherche des pots", "need", 44.74, 5.36)).await;
    let feed = read_async("atom", url).await;
    assert_eq!(
        titles(&feed),
        ["Offre · Pots de confiture vides", "Offre · Bois de chauffage"],
        "the new matching offer first, the new need not at all"
    );

    let page = page_of(node.url("/listings?kind=offer&near=44.75%2C5.37&km=20")).await;
    let link =
        "type=\"application/atom+xml\" href=\"/listings.atom?kind=offer&#38;near=44.75%2C5.37&#38;km=20\"";
    assert!(page.contains(link), "the search page links its feed: {page}");
    let bad = harness::client().get(node.url("/listings.atom?kind=club")).send().await.unwrap();
    assert_eq!(bad.status().as_u16(), 422);
    assert!(bad.text().await.unwrap().starts_with("kind:"));
}
