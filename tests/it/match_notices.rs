//! How people hear of their matches: at once, in a digest, or not at all;
//! and knowledge-exchange pairings held for a group's mediators, released
//! on both nodes only once a mediator approves.

use crate::harness;

use harness::{client, eventually, link_territories, send_signed, TestNode, TestUser};
use reqwest::Method;
use serde_json::{json, Value};

fn listing(kind: &str, title: &str, description: &str) -> Value {
    json!({
        "kind": kind, "category": "services", "title": title, "description": description,
        "tags": ["velo"], "place": { "name": "Centre", "lat": 46.54, "lon": 2.43 }, "radius_km": 15.0,
        "terms": { "mode": "gift" }, "visibility": "public"
    })
}

async fn notifications(user: &TestUser) -> Vec<Value> {
    let (status, list) = user.get("/api/v1/notifications").await;
    assert_eq!(status, 200, "{list}");
    list.as_array().cloned().unwrap()
}

async fn set_notify(user: &TestUser, notify: &str) -> (u16, Value) {
    user.json(Method::PUT, "/api/v1/matches/preferences", &json!({ "notify": notify })).await
}

async fn territory_username(node: &TestNode) -> String {
    node.with_db(|c| {
        maillage_db::actors::find_by_purpose(c, maillage_service::actors::PURPOSE_TERRITORY)
            .unwrap()
            .unwrap()
            .username
    })
    .await
}

#[actix_web::test]
async fn people_hear_of_matches_at_once_in_a_digest_or_not_at_all() {
    let a = TestNode::start_with(|c| c.matching.digest_interval_secs = 2).await;
    let (alice, bob, carol, dave) =
        (a.user("alice").await, a.user("bob").await, a.user("carol").await, a.user("dave").await);
    let (_, mine) = alice.get("/api/v1/matches/preferences").await;
    assert_eq!(mine["notify"], "instant", "at once unless chosen otherwise");
    assert_eq!(set_notify(&carol, "digest").await.0, 200);
    let (status, none) = set_notify(&dave, "none").await;
    assert_eq!((status, none["notify"].clone()), (200, json!("none")));
    let (status, error) = set_notify(&dave, "hourly").await;
    assert_eq!(status, 422, "{error}");
    assert!(error["error"].as_str().unwrap().contains("notify"), "{error}");
    let (status, _) = dave.json(Method::PUT, "/api/v1/matches/preferences", &json!({ "notify": 3 })).await;
    assert_eq!(status, 422, "a number is not a choice");
    assert_eq!(dave.get("/api/v1/matches/preferences").await.1["notify"], "none", "nothing changed");

    let offer = bob
        .listing(&listing("offer", "Je répare les vélos", "Atelier de réparation de vélos le samedi"))
        .await;
    for (who, title) in
        [(&alice, "Réparation de vélo"), (&carol, "Vélo à réparer"), (&dave, "Mon vélo est cassé")]
    {
        who.listing(&listing("need", title, "Un vélo à réparer, pneu crevé et freins")).await;
    }
    let told = eventually(30, "alice told of her match", || async {
        notifications(&alice).await.into_iter().next()
    })
    .await;
    assert_eq!(told["type"], "mention", "every app shows a mention: {told}");
    assert_eq!(told["maillage_reason"], "match");
    assert_eq!(told["account"]["acct"], territory_username(&a).await, "from the territory actor");
    let status = &told["status"];
    assert_eq!(status["visibility"], "direct");
    let content = status["content"].as_str().unwrap();
    assert!(content.contains("Je répare les vélos") && content.contains("@bob@"), "{content}");
    assert!(content.contains("same category (services)"), "the reasons are given: {content}");
    let (code, same) = alice.get(&format!("/api/v1/statuses/{}", status["id"].as_str().unwrap())).await;
    assert_eq!((code, same["id"].clone()), (200, status["id"].clone()), "the message is a status of its own");
    assert_eq!(told["maillage_match_id"], alice.matches().await[0]["id"]);

    let digest = eventually(30, "carol's digest", || async {
        notifications(&carol).await.into_iter().find(|n| n["maillage_reason"] == "match_digest")
    })
    .await;
    let content = digest["status"]["content"].as_str().unwrap();
    assert!(
        content.contains("1 new match since the last digest") && content.contains("Je répare les vélos"),
        "{content}"
    );
    eventually(30, "bob told of his three matches", || async {
        (notifications(&bob).await.len() == 3).then_some(())
    })
    .await;
    assert_eq!(dave.matches().await.len(), 1, "dave has his match");
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    assert!(notifications(&dave).await.is_empty(), "dave chose to hear nothing");
    assert_eq!(
        notifications(&carol).await.len(),
        1,
        "no digest when nothing is new, no instant message either"
    );
    assert_eq!(notifications(&alice).await.len(), 1, "told once");
    assert!(offer["id"].is_string());

    let id = told["id"].as_str().unwrap();
    let (code, one) = alice.get(&format!("/api/v1/notifications/{id}")).await;
    assert_eq!((code, one["id"].clone()), (200, told["id"].clone()));
    assert_eq!(bob.get(&format!("/api/v1/notifications/{id}")).await.0, 404, "someone else's");
    assert_eq!(bob.post(&format!("/api/v1/notifications/{id}/dismiss"), &[]).await.0, 404);
    assert_eq!(alice.get("/api/v1/notifications/nope").await.0, 404);
    assert_eq!(alice.post(&format!("/api/v1/notifications/{id}/dismiss"), &[]).await.0, 200);
    assert!(notifications(&alice).await.is_empty());
    assert_eq!(
        alice.post(&format!("/api/v1/notifications/{id}/dismiss"), &[]).await.0,
        404,
        "already dismissed"
    );
    assert_eq!(bob.post("/api/v1/notifications/clear", &[]).await.0, 200);
    assert!(notifications(&bob).await.is_empty());
    let anonymous = client().get(a.url("/api/v1/notifications")).send().await.unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
}

async fn post_json(user: &TestUser, path: &str, body: &Value) -> (u16, Value) {
    user.json(Method::POST, path, body).await
}

fn knowledge(kind: &str, direction: &str, title: &str, group: Option<&str>) -> Value {
    let mut l = json!({
        "kind": kind, "category": "skills_knowledge", "direction": direction, "title": title,
        "description": "Guitare acoustique, accords de base et rythmique", "tags": ["guitare"],
        "place": { "name": "Centre", "lat": 46.54, "lon": 2.43 }, "radius_km": 20.0,
        "terms": { "mode": "time_credit", "hours": 1.0 }, "visibility": "public"
    });
    if let Some(g) = group {
        l["group_id"] = json!(g);
    }
    l
}

/// How many matches `node` holds, and how many of them are released.
async fn held(node: &TestNode) -> (usize, usize) {
    node.with_db(|c| {
        use diesel::prelude::*;
        use maillage_db::schema::matches::dsl::*;
        let all: Vec<Option<i64>> = matches.select(released_at).load(c).unwrap();
        (all.len(), all.iter().filter(|r| r.is_some()).count())
    })
    .await
}

#[actix_web::test]
async fn a_mediators_pairing_reaches_the_people_only_after_approval() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let c = TestNode::start().await;
    let (admin_a, admin_b) = (a.admin("gaston").await, b.admin("louise").await);
    link_territories(&a, &admin_a, &b, &admin_b).await;
    let (mona, leo, alice, dave) =
        (a.user("mona").await, a.user("leo").await, a.user("alice").await, a.user("dave").await);
    let bob = b.user("bob").await;
    let _carol = c.user("carol").await;

    let (status, group) = post_json(
        &mona,
        "/api/v1/groups",
        &json!({
            "username": "savoirs", "display_name": "Réseau d'échanges de savoirs", "kind": "collective",
            "description": "On apprend les uns des autres.", "join_policy": "open"
        }),
    )
    .await;
    assert_eq!(status, 200, "{group}");
    let gid = group["id"].as_str().unwrap().to_owned();
    for who in [&leo, &alice, &dave] {
        assert_eq!(
            post_json(who, &format!("/api/v1/groups/{gid}/join"), &json!({})).await.1["state"],
            "accepted"
        );
    }
    let mediator_path = format!("/api/v1/groups/{gid}/members/{}/mediator", leo.account_id);
    let (status, _) = leo.json(Method::PUT, &mediator_path, &json!({ "mediator": true })).await;
    assert_eq!(status, 403, "only the group's admins name mediators");
    let (status, named) = mona.json(Method::PUT, &mediator_path, &json!({ "mediator": true })).await;
    assert_eq!((status, named["mediator"].clone()), (200, json!(true)), "{named}");
    let (status, _) = mona
        .json(
            Method::PUT,
            &format!("/api/v1/groups/{gid}/members/{}/mediator", bob.account_id),
            &json!({ "mediator": true }),
        )
        .await;
    assert_eq!(status, 404, "not a member");
    let (status, _) = mona.json(Method::PUT, &mediator_path, &json!({ "mediator": [true] })).await;
    assert_eq!(status, 422);

    let learn = alice.listing(&knowledge("need", "learn", "Apprendre la guitare", Some(&gid))).await;
    let teach = bob.listing(&knowledge("offer", "teach", "Cours de guitare", None)).await;
    let queue = format!("/api/v1/groups/{gid}/pairings");
    let pending = eventually(30, "the pairing in the mediators' queue", || async {
        let (_, list) = leo.get(&queue).await;
        list.as_array().and_then(|l| l.first().cloned())
    })
    .await;
    assert_eq!(pending["review"], "pending");
    assert_eq!(pending["need"]["uri"], learn["uri"]);
    assert_eq!(pending["offer"]["uri"], teach["uri"]);
    eventually(30, "node B holding its copy of the pairing", || async {
        (held(&b).await == (1, 0)).then_some(())
    })
    .await;
    assert_eq!(alice.get(&queue).await.0, 403, "a member who is not a mediator");
    assert!(
        alice.matches().await.is_empty() && bob.matches().await.is_empty(),
        "nobody is told before approval"
    );
    assert!(notifications(&alice).await.is_empty() && notifications(&bob).await.is_empty());
    let pairing_id = pending["id"].as_str().unwrap();
    assert_eq!(
        alice.post(&format!("/api/v1/matches/{pairing_id}/respond"), &[]).await.0,
        404,
        "held pairings are not there yet"
    );

    // A third node cannot release it: only the group the listing names.
    let forged = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": c.url("/forged/1/activity"), "type": "Create", "actor": c.url("/users/carol"),
        "to": [b.url("/users/bob")],
        "object": {
            "id": c.url("/forged/1"), "type": "Note", "attributedTo": c.url("/users/carol"),
            "content": "Approved!", "to": [b.url("/users/bob")], "published": "2026-12-01T10:00:00Z",
            "tag": [
                { "type": "Link", "rel": "https://maillage.org/ns#pairedNeed", "href": learn["uri"] },
                { "type": "Link", "rel": "https://maillage.org/ns#pairedOffer", "href": teach["uri"] }
            ]
        }
    });
    assert_eq!(send_signed(&c, "carol", &b, &forged).await, 202);
    assert!(harness::stores_post(&b, &c.url("/forged/1")).await, "the note itself is kept");
    assert_eq!(held(&b).await, (1, 0), "but it releases nothing");

    // Another pairing, rejected: never told.
    dave.listing(&knowledge("need", "learn", "Apprendre la guitare électrique", Some(&gid))).await;
    let second = eventually(30, "dave's pairing in the queue", || async {
        let (_, list) = leo.get(&queue).await;
        list.as_array().and_then(|l| l.iter().find(|p| p["id"] != pending["id"]).cloned())
    })
    .await;
    let (status, rejected) =
        leo.post(&format!("{queue}/{}/reject", second["id"].as_str().unwrap()), &[]).await;
    assert_eq!((status, rejected["review"].clone()), (200, json!("rejected")));

    assert_eq!(
        mona.post(&format!("{queue}/{pairing_id}/approve"), &[]).await.0,
        403,
        "admins are not mediators"
    );
    assert_eq!(leo.post(&format!("{queue}/12345/approve"), &[]).await.0, 404);
    let (status, approved) = leo.post(&format!("{queue}/{pairing_id}/approve"), &[]).await;
    assert_eq!((status, approved["review"].clone()), (200, json!("approved")), "{approved}");
    let (status, _) = leo.post(&format!("{queue}/{pairing_id}/approve"), &[]).await;
    assert_eq!(status, 422, "already approved");
    let (_, list) = leo.get(&queue).await;
    assert!(list.as_array().unwrap().is_empty(), "the queue is empty");

    let on_a = alice.matches().await;
    assert_eq!(on_a.len(), 1, "alice sees her pairing now");
    assert_eq!(on_a[0]["their_listing"]["uri"], teach["uri"]);
    assert_eq!(notifications(&alice).await.len(), 1);
    let on_b =
        eventually(30, "bob's node releases its copy", || async { bob.matches().await.into_iter().next() })
            .await;
    assert_eq!(on_b["their_listing"]["uri"], learn["uri"]);
    assert_eq!(on_b["reasons"], on_a[0]["reasons"], "the same reasons on both nodes");
    eventually(30, "bob told", || async {
        notifications(&bob).await.into_iter().find(|n| n["maillage_reason"] == "match")
    })
    .await;
    harness::wait_queue_drained(&a).await;
    assert_eq!(bob.matches().await.len(), 1, "the rejected pairing stays held on B");
    assert!(notifications(&dave).await.is_empty(), "dave is never told of a rejected pairing");
    assert!(dave.matches().await.is_empty());
}

#[actix_web::test]
async fn blocking_a_person_hides_their_matches_and_tells_of_none_of_theirs() {
    let a = TestNode::start().await;
    let (alice, bob) = (a.user("alice").await, a.user("bob").await);
    alice.listing(&listing("need", "Vélo à réparer", "Un vélo à réparer, pneu crevé et freins")).await;
    let offer = bob
        .listing(&listing("offer", "Je répare les vélos", "Atelier de réparation de vélos le samedi"))
        .await;
    let offer_id = offer["id"].as_str().unwrap().to_owned();
    eventually(30, "alice told of the match", || async {
        (alice.matches().await.len() == 1 && notifications(&alice).await.len() == 1).then_some(())
    })
    .await;
    let mut page = harness::form_browser::FormBrowser::new();
    page.log_in(&a, "alice").await;
    let (_, html) = page.get(a.url("/me/matches")).await;
    assert!(html.contains("Je répare les vélos"), "the match shows before the block");

    let (_, found) = alice.get("/api/v1/accounts/lookup?acct=bob").await;
    let bob_id = found["id"].as_str().unwrap().to_owned();
    let (status, rel) =
        alice.json(Method::POST, &format!("/api/v1/accounts/{bob_id}/block"), &json!({})).await;
    assert_eq!((status, &rel["blocking"]), (200, &json!(true)), "{rel}");
    assert!(alice.matches().await.is_empty(), "bob's match is hidden from alice");
    let (_, html) = page.get(a.url("/me/matches")).await;
    assert!(!html.contains("Je répare les vélos"), "and from her page");

    bob.listing(&listing("offer", "Vélos d'occasion révisés", "Des vélos révisés, freins et pneus neufs"))
        .await;
    eventually(30, "bob's new match is found on his side", || async {
        (bob.matches().await.len() == 2).then_some(())
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert!(alice.matches().await.is_empty(), "a new match with bob stays hidden");
    assert_eq!(notifications(&alice).await.len(), 1, "and alice is not told of it");
    assert!(
        bob.matches().await.iter().all(|m| m.to_string().contains("Vélo à réparer")),
        "bob is not told he was blocked: his side shows both matches with alice's need"
    );

    let (status, _) =
        alice.json(Method::POST, &format!("/api/v1/accounts/{bob_id}/unblock"), &json!({})).await;
    assert_eq!(status, 200);
    let shown = alice.matches().await;
    assert_eq!(shown.len(), 2, "unblocking shows them again: {shown:?}");
    assert!(shown.iter().any(|m| m.to_string().contains(&offer_id)), "{shown:?}");
}
