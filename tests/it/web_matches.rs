//! `/me/matches` once the other side answered: a match no longer says
//! "new" when its other author showed interest in one's listing, whether
//! they answered the match on this node or on a linked one (their interest
//! arrives as an agreement); it says so in both languages, links to where
//! the answer waits, and says "both" once one answered too.

use crate::harness;

use harness::form_browser::FormBrowser;
use harness::webdriver::Browser;
use harness::{eventually, link_territories, TestNode, TestUser};
use serde_json::{json, Value};

fn listing(kind: &str, title: &str) -> Value {
    json!({
        "kind": kind, "category": "services", "title": title,
        "description": "Réparation de vélos : pneus crevés, freins à régler", "tags": ["velo", "reparation"],
        "place": { "name": "Centre", "lat": 46.54, "lon": 2.43 }, "radius_km": 15.0,
        "terms": { "mode": "gift" }, "visibility": "public"
    })
}

/// `user`'s match with the listing `uri`, once there.
async fn match_with(user: &TestUser, uri: &str) -> Value {
    eventually(30, &format!("a match with {uri}"), || async {
        user.matches().await.into_iter().find(|m| m["their_listing"]["uri"] == uri)
    })
    .await
}

/// The `<li>` of the match `id` on the page.
fn item<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!(r#"<li id="match-{id}""#)).unwrap_or_else(|| panic!("match {id}: {html}"));
    let rest = &html[start + 1..];
    let end =
        rest.find(r#"<li id="match-"#).or_else(|| rest.find("</ol>")).map_or(html.len(), |e| start + 1 + e);
    &html[start..end]
}

#[actix_web::test]
async fn a_match_says_the_other_side_answered_here_or_from_a_linked_territory() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let (admin_a, admin_b) = (a.admin("gaston").await, b.admin("louise").await);
    link_territories(&a, &admin_a, &b, &admin_b).await;
    let (alice, carol) = (a.user("alice").await, a.user("carol").await);
    let bob = b.user("bob").await;

    let need = alice.listing(&listing("need", "Réparation de vélo")).await;
    let from_carol = carol.listing(&listing("offer", "Je répare les vélos")).await;
    let from_bob = bob.listing(&listing("offer", "Atelier vélo du samedi")).await;
    let with_carol = match_with(&alice, from_carol["uri"].as_str().unwrap()).await;
    let with_bob = match_with(&alice, from_bob["uri"].as_str().unwrap()).await;
    let (carol_id, bob_id) = (with_carol["id"].as_str().unwrap(), with_bob["id"].as_str().unwrap());
    assert_eq!(
        (with_carol["they_answered"].as_bool(), with_bob["they_answered"].as_bool()),
        (Some(false), Some(false))
    );

    let mut page = FormBrowser::new();
    page.log_in(&a, "alice").await;
    let (_, before) = page.get(a.url("/me/matches?lang=fr")).await;
    assert!(!item(&before, carol_id).contains("data-answered"), "{before}");
    assert!(!before.contains("on vous a répondu"), "{before}");

    // Carol answers the match here; Bob answers his on the linked node.
    let on_carol = match_with(&carol, need["uri"].as_str().unwrap()).await;
    let (status, _) =
        carol.post(&format!("/api/v1/matches/{}/respond", on_carol["id"].as_str().unwrap()), &[]).await;
    assert_eq!(status, 200);
    let on_bob = match_with(&bob, need["uri"].as_str().unwrap()).await;
    let (status, _) =
        bob.post(&format!("/api/v1/matches/{}/respond", on_bob["id"].as_str().unwrap()), &[]).await;
    assert_eq!(status, 200);
    eventually(30, "Bob's interest reaches a", || async {
        let mine = alice.matches().await;
        mine.iter().any(|m| m["id"] == bob_id && m["they_answered"] == true).then_some(())
    })
    .await;

    let (_, fr) = page.get(a.url("/me/matches?lang=fr")).await;
    for id in [carol_id, bob_id] {
        let li = item(&fr, id);
        assert!(li.contains(r#"data-answered="true""#) && li.contains("on vous a répondu"), "{li}");
        assert!(li.contains(r#"<a href="/me/listings#received" class="answer">Voir sa réponse</a>"#), "{li}");
        assert!(!li.contains(">nouvelle<") && !li.contains(">signalée<"), "no longer new: {li}");
        assert!(li.contains("/respond"), "she may still say she is interested in theirs: {li}");
    }
    let (_, en) = page.get(a.url("/me/matches?lang=en")).await;
    assert!(item(&en, bob_id).contains("they answered") && en.contains("See their answer"), "{en}");
    // Where the answer waits: both interests, to accept or decline.
    let (_, listings) = page.get(a.url("/me/listings?lang=en")).await;
    assert!(listings.contains("carol") && listings.contains("bob"), "{listings}");

    // Alice answers Carol's: both sides now, for each of them.
    let (status, _) = alice.post(&format!("/api/v1/matches/{carol_id}/respond"), &[]).await;
    assert_eq!(status, 200);
    let (_, fr) = page.get(a.url("/me/matches?lang=fr")).await;
    let li = item(&fr, carol_id);
    assert!(li.contains("intérêt réciproque") && !li.contains("/respond"), "{li}");
    assert!(item(&fr, bob_id).contains("on vous a répondu"), "Bob's still waits for her");
    let mut carols = FormBrowser::new();
    carols.log_in(&a, "carol").await;
    let (_, hers) = carols.get(a.url("/me/matches?lang=en")).await;
    assert!(hers.contains("interest on both sides"), "{hers}");
    let theirs: Vec<Value> = carol.matches().await;
    assert_eq!(
        (theirs[0]["state"].as_str(), theirs[0]["they_answered"].as_bool()),
        (Some("responded"), Some(true))
    );

    // As Alice sees it on her phone and her desktop.
    let browser = Browser::start().await;
    for (width, lang) in [(390, "fr"), (1280, "en")] {
        browser.resize(width, 900).await;
        browser.log_in(&a, "alice", lang).await;
        browser.open(&a.url("/me/matches")).await;
        browser.arrive("/me/matches", ".matches li[data-answered] .answer").await;
        let scroll = browser.execute("return document.documentElement.scrollWidth - window.innerWidth").await;
        assert!(scroll.as_i64().unwrap_or(1) <= 0, "no sideways scroll at {width} px: {scroll}");
        browser.screenshot(&format!("matches-{width}-{lang}")).await;
    }
}
