//! Matching between real nodes: a need on one territory meets an offer on
//! a linked one, each node tells its own person with the same reasons; an
//! unlinked node sees nothing; closing a listing removes the match on both
//! sides; private listings stay within their audience; a limited domain is
//! matched only once a local person follows its author; a followers-only
//! listing leaves its matches when the follow ends, and comes back with it.

use crate::harness;

use harness::{eventually, link_territories, TestNode, TestUser};
use reqwest::Method;
use serde_json::{json, Value};

fn listing(kind: &str, title: &str, description: &str, visibility: &str) -> Value {
    json!({
        "kind": kind, "category": "services", "title": title, "description": description,
        "tags": ["velo", "reparation"],
        "place": { "name": "Centre", "lat": 46.54, "lon": 2.43 }, "radius_km": 15.0,
        "terms": { "mode": "gift" }, "visibility": visibility
    })
}

fn need(visibility: &str) -> Value {
    listing("need", "Réparation de vélo", "Mon vélo a un pneu crevé et les freins à régler", visibility)
}

fn offer() -> Value {
    listing("offer", "Je répare les vélos", "Petit atelier de réparation de vélos le samedi matin", "public")
}

/// Waits until `user` has a match whose other listing is `uri`.
async fn wait_match(user: &TestUser, uri: &str) -> Value {
    eventually(30, &format!("a match with {uri}"), || async {
        user.matches().await.into_iter().find(|m| m["their_listing"]["uri"] == uri)
    })
    .await
}

#[actix_web::test]
async fn a_need_and_an_offer_on_linked_territories_match_on_both_sides_only() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let c = TestNode::start().await;
    let (admin_a, admin_b) = (a.admin("gaston").await, b.admin("louise").await);
    link_territories(&a, &admin_a, &b, &admin_b).await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let carol = c.user("carol").await;

    let wanted = alice.listing(&need("public")).await;
    let offered = bob.listing(&offer()).await;
    let elsewhere = carol.listing(&need("public")).await;
    let on_a = wait_match(&alice, offered["uri"].as_str().unwrap()).await;
    let on_b = wait_match(&bob, wanted["uri"].as_str().unwrap()).await;
    assert_eq!(alice.matches().await.len(), 1, "one match, stored once");
    assert_eq!(bob.matches().await.len(), 1);
    assert_eq!(on_a["reasons"], on_b["reasons"], "both nodes give the same reasons");
    let summary = on_a["summary"].as_str().unwrap();
    for part in
        ["same category (services)", "tags reparation, velo", "exchange: gift", "neighbouring territory"]
    {
        assert!(summary.contains(part), "{part:?} in {summary}");
    }
    assert!(on_a["score"].as_f64().unwrap() > 0.3, "{on_a}");
    assert_eq!(on_a["my_listing"]["uri"], wanted["uri"]);
    let (_, french) = alice.get("/api/v1/matches?lang=fr").await;
    assert!(french[0]["summary"].as_str().unwrap().contains("même catégorie"), "{french}");

    let match_id = on_a["id"].as_str().unwrap();
    let dave = a.user("dave").await;
    let (status, _) = dave.post(&format!("/api/v1/matches/{match_id}/dismiss"), &[]).await;
    assert_eq!(status, 404, "someone else's match is not found");
    let (status, _) = alice.post("/api/v1/matches/nope/dismiss", &[]).await;
    assert_eq!(status, 404);
    let anonymous = harness::client().get(a.url("/api/v1/matches")).send().await.unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    let (status, dismissed) = alice.post(&format!("/api/v1/matches/{match_id}/dismiss"), &[]).await;
    assert_eq!((status, dismissed["state"].clone()), (200, json!("dismissed")));
    assert!(alice.matches().await.is_empty(), "a dismissed match is left out");
    let (_, all) = alice.get("/api/v1/matches?include_dismissed=true").await;
    assert_eq!(all.as_array().unwrap().len(), 1);
    assert_eq!(bob.matches().await.len(), 1, "dismissing is for one side only");
    let (status, agreement) =
        bob.post(&format!("/api/v1/matches/{}/respond", on_b["id"].as_str().unwrap()), &[]).await;
    assert_eq!(status, 200, "responding is saying I'm interested: {agreement}");
    assert_eq!(agreement["state"], "proposed", "{agreement}");

    harness::wait_queue_drained(&a).await;
    harness::wait_queue_drained(&b).await;
    assert!(carol.matches().await.is_empty(), "a territory that is not linked sees nothing");
    let (_, mine) = carol.get(&format!("/api/v1/listings/{}", elsewhere["id"].as_str().unwrap())).await;
    assert_eq!(mine["status"], "open");

    let (status, _) = bob
        .json(
            Method::POST,
            &format!("/api/v1/listings/{}/status", offered["id"].as_str().unwrap()),
            &json!({ "status": "withdrawn" }),
        )
        .await;
    assert_eq!(status, 200);
    eventually(30, "the match gone on both sides", || async {
        (alice.matches().await.is_empty() && bob.matches().await.is_empty()).then_some(())
    })
    .await;
}

#[actix_web::test]
async fn a_private_need_is_never_matched_outside_its_audience() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let (admin_a, admin_b) = (a.admin("gaston").await, b.admin("louise").await);
    link_territories(&a, &admin_a, &b, &admin_b).await;
    let alice = a.user("alice").await;
    let dave = a.user("dave").await;
    let bob = b.user("bob").await;

    let private = alice.listing(&need("private")).await;
    let local_offer = dave.listing(&offer()).await;
    bob.listing(&offer()).await;
    let public = alice
        .listing(&listing(
            "need",
            "Réparation de vélo d'enfant",
            "Le vélo de ma fille a les freins à régler",
            "public",
        ))
        .await;
    let m = wait_match(&dave, public["uri"].as_str().unwrap()).await;
    assert_eq!(m["my_listing"]["uri"], local_offer["uri"], "the matcher ran over these listings");
    harness::wait_queue_drained(&a).await;
    let private_uri = private["uri"].as_str().unwrap();
    assert!(
        !dave.matches().await.iter().any(|m| m["their_listing"]["uri"] == private_uri),
        "dave may not see it"
    );
    assert!(
        !alice.matches().await.iter().any(|m| m["my_listing"]["uri"] == private_uri),
        "no pair was stored"
    );
    assert!(!bob.matches().await.iter().any(|m| m["their_listing"]["uri"] == private_uri), "it never left A");
}

#[actix_web::test]
async fn a_limited_domain_is_matched_only_once_a_local_person_follows_its_author() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let (admin_a, admin_b) = (a.admin("gaston").await, b.admin("louise").await);
    link_territories(&a, &admin_a, &b, &admin_b).await;
    let (status, _) =
        admin_a.post("/api/v1/admin/domain_blocks", &[("domain", &b.domain), ("severity", "silence")]).await;
    assert_eq!(status, 200);
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let wanted = alice.listing(&need("public")).await;
    let offered = bob.listing(&offer()).await;
    let uri = offered["uri"].as_str().unwrap();
    eventually(30, "the offer reaches A (a limited domain is still heard)", || async {
        let uri = uri.to_owned();
        a.with_db(move |c| maillage_db::listings::find_by_ap_id(c, &uri).unwrap()).await.map(drop)
    })
    .await;
    assert!(!alice.sees_remote_listing(uri).await, "nor listed in searches");
    wait_match(&bob, wanted["uri"].as_str().unwrap()).await;
    assert!(alice.matches().await.is_empty(), "not matched for A's people while nobody here follows bob");

    alice.follow_accepted(&format!("bob@{}", b.domain)).await;
    let (status, _) = bob
        .json(
            Method::PATCH,
            &format!("/api/v1/listings/{}", offered["id"].as_str().unwrap()),
            &json!({ "title": "Je répare les vélos (et les freins)" }),
        )
        .await;
    assert_eq!(status, 200);
    wait_match(&alice, uri).await;
}

#[actix_web::test]
async fn a_followers_only_need_leaves_its_matches_when_the_follow_ends() {
    let a = TestNode::start().await;
    let (alice, dave) = (a.user("alice").await, a.user("dave").await);
    let (status, rel) = dave.post(&format!("/api/v1/accounts/{}/follow", alice.account_id), &[]).await;
    assert_eq!((status, rel["following"].clone()), (200, json!(true)), "{rel}");
    let wanted = alice.listing(&need("followers")).await;
    dave.listing(&offer()).await;
    wait_match(&dave, wanted["uri"].as_str().unwrap()).await;
    assert_eq!(alice.matches().await.len(), 1, "a follower is in the audience");
    let (status, _) = dave.post(&format!("/api/v1/accounts/{}/unfollow", alice.account_id), &[]).await;
    assert_eq!(status, 200);
    assert!(dave.matches().await.is_empty(), "no longer shown to someone outside the audience");
    eventually(30, "the pair dropped on both sides", || async {
        alice.matches().await.is_empty().then_some(())
    })
    .await;
    let (status, rel) = dave.post(&format!("/api/v1/accounts/{}/follow", alice.account_id), &[]).await;
    assert_eq!(status, 200, "{rel}");
    wait_match(&dave, wanted["uri"].as_str().unwrap()).await;
}
