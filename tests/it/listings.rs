//! Offers and needs: the native API, its checks, and federation between
//! territories.

use crate::harness;

use harness::{client, eventually, TestNode, TestUser};
use serde_json::{json, Value};

async fn send_json(user: &TestUser, method: reqwest::Method, path: &str, body: &Value) -> (u16, Value) {
    let r = client()
        .request(method, format!("{}{path}", user_base(user)))
        .bearer_auth(&user.token)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn user_base(user: &TestUser) -> String {
    user.base().to_owned()
}

fn full_listing() -> Value {
    json!({
        "kind": "offer",
        "category": "spaces_machines",
        "title": "Bétonnière à prêter",
        "description": "Une **bétonnière** électrique de 140 L, avec rallonge.",
        "tags": ["chantier", "#Outils"],
        "place": { "name": "Saint-Affrique", "address": "2 rue de la Gare", "lat": 43.9585, "lon": 2.8869 },
        "radius_km": 15.0,
        "available_from": "2026-12-01T08:00:00Z",
        "available_until": "2027-01-31T18:00:00Z",
        "quantity": { "amount": 1.0, "unit": "machine" },
        "terms": { "mode": "time_credit", "hours": 2.5 },
        "visibility": "public"
    })
}

/// The fields that must survive federation unchanged.
fn essentials(l: &Value) -> Value {
    json!({
        "kind": l["kind"], "category": l["category"], "title": l["title"], "description": l["description"],
        "tags": l["tags"], "place": l["place"], "radius_km": l["radius_km"],
        "available_from": l["available_from"], "available_until": l["available_until"],
        "quantity": l["quantity"], "terms": l["terms"], "status": l["status"], "visibility": l["visibility"],
    })
}

async fn remote_listing(user: &TestUser, uri: &str) -> Option<Value> {
    let (_, list) = user.get("/api/v1/listings?origin=remote&status=open").await;
    let (_, busy) = user.get("/api/v1/listings?origin=remote&status=in_progress").await;
    list.as_array().into_iter().chain(busy.as_array()).flatten().find(|l| l["uri"] == uri).cloned()
}

#[actix_web::test]
async fn a_listing_reaches_a_following_territory_with_every_field_intact() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    bob.follow_accepted(&format!("territory@{}", a.domain)).await;

    let (status, created) =
        send_json(&alice, reqwest::Method::POST, "/api/v1/listings", &full_listing()).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["tags"], json!(["chantier", "outils"]));
    assert_eq!(created["status"], "open");
    let uri = created["uri"].as_str().unwrap().to_owned();
    let id = created["id"].as_str().unwrap().to_owned();

    let received =
        eventually(30, "the listing reaches the other territory", || remote_listing(&bob, &uri)).await;
    assert_eq!(essentials(&received), essentials(&created), "every field intact");
    assert_eq!(received["author"]["acct"], format!("alice@{}", a.domain));
    assert_eq!(received["origin_domain"], a.domain.as_str());

    let (status, _) = send_json(
        &alice,
        reqwest::Method::PATCH,
        &format!("/api/v1/listings/{id}"),
        &json!({ "title": "Bétonnière à prêter (140 L)" }),
    )
    .await;
    assert_eq!(status, 200);
    eventually(30, "the edit arrives", || async {
        remote_listing(&bob, &uri).await.filter(|l| l["title"] == "Bétonnière à prêter (140 L)").map(|_| ())
    })
    .await;

    let (status, moved) = send_json(
        &alice,
        reqwest::Method::POST,
        &format!("/api/v1/listings/{id}/status"),
        &json!({ "status": "in_progress" }),
    )
    .await;
    assert_eq!(status, 200, "{moved}");
    eventually(30, "the status change arrives", || async {
        remote_listing(&bob, &uri).await.filter(|l| l["status"] == "in_progress").map(|_| ())
    })
    .await;
    let (status, refused) = send_json(
        &alice,
        reqwest::Method::POST,
        &format!("/api/v1/listings/{id}/status"),
        &json!({ "status": "expired" }),
    )
    .await;
    assert_eq!(status, 200, "in_progress may expire: {refused}");
    let (status, _) = send_json(
        &alice,
        reqwest::Method::POST,
        &format!("/api/v1/listings/{id}/status"),
        &json!({ "status": "open" }),
    )
    .await;
    assert_eq!(status, 422, "an ended listing stays ended");

    let (status, _) =
        send_json(&alice, reqwest::Method::DELETE, &format!("/api/v1/listings/{id}"), &json!({})).await;
    assert_eq!(status, 200);
    eventually(30, "the deletion arrives", || async {
        let gone = b.with_db({
            let uri = uri.clone();
            move |c| maillage_db::listings::find_by_ap_id(c, &uri).unwrap().is_some_and(|l| l.is_deleted())
        });
        gone.await.then_some(())
    })
    .await;
    let response = client().get(&uri).header("Accept", "application/activity+json").send().await.unwrap();
    assert_eq!(response.status(), 410);
}

#[actix_web::test]
async fn mastodon_followers_see_a_readable_post_and_marketplaces_a_proposal() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let (_, created) = send_json(&alice, reqwest::Method::POST, "/api/v1/listings", &full_listing()).await;
    let doc: Value = client()
        .get(created["uri"].as_str().unwrap())
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["type"], "Note", "Mastodon shows Notes");
    let content = doc["content"].as_str().unwrap();
    for expected in [
        "Offre",
        "Bétonnière à prêter",
        "<strong>bétonnière</strong>",
        "Saint-Affrique",
        "15 km",
        "2026-12-01",
        "2027-01-31",
        "heures de temps",
        "2.5 h",
        "#chantier",
        "href=",
    ] {
        assert!(content.contains(expected), "{expected} missing from {content}");
    }
    assert_eq!(doc["purpose"], "offer");
    assert_eq!(doc["publishes"]["type"], "Intent");
    assert_eq!(doc["publishes"]["resourceQuantity"]["hasNumericalValue"], "1");
    assert_eq!(doc["reciprocal"]["resourceQuantity"]["hasUnit"], "hour");
    assert_eq!(doc["location"]["type"], "Place");
    assert_eq!(doc["location"]["address"]["type"], "PostalAddress");
}

#[actix_web::test]
async fn bad_fields_are_named_and_nothing_is_stored() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let cases = [
        (json!({ "place": { "name": "x", "lat": 123.0, "lon": 2.0 } }), "place.lat"),
        (json!({ "available_from": "2027-01-01", "available_until": "2026-01-01" }), "available_until"),
        (json!({ "category": "jewels" }), "category"),
        (json!({ "title": "x".repeat(121) }), "title"),
        (json!({ "place": { "lat": "north" } }), "place.lat"),
        (json!({ "available_from": "tomorrow" }), "available_from"),
        (json!({ "terms": { "mode": "price", "amount": "12.5", "currency": "euros" } }), "terms.currency"),
    ];
    for (change, field) in cases {
        let mut body = full_listing();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, error) = send_json(&alice, reqwest::Method::POST, "/api/v1/listings", &body).await;
        assert_eq!(status, 422, "{field}: {error}");
        assert!(error["error"].as_str().unwrap().contains(field), "{field} not named: {error}");
    }
    let (_, list) = alice.get("/api/v1/listings").await;
    assert_eq!(list.as_array().unwrap().len(), 0, "nothing was stored");
    let (status, _) =
        send_json(&alice, reqwest::Method::PATCH, "/api/v1/listings/12345", &json!({ "title": "x" })).await;
    assert_eq!(status, 404);
    let anonymous = client().post(a.url("/api/v1/listings")).json(&full_listing()).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[actix_web::test]
async fn searches_filter_by_kind_tag_text_and_distance() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let mut need = full_listing();
    need["kind"] = json!("need");
    need["title"] = json!("Cherche remorque");
    need["tags"] = json!(["transport"]);
    need["place"] = json!({ "name": "Millau", "lat": 44.0981, "lon": 3.0777 });
    send_json(&alice, reqwest::Method::POST, "/api/v1/listings", &full_listing()).await;
    send_json(&alice, reqwest::Method::POST, "/api/v1/listings", &need).await;
    let titles = |v: Value| {
        v.as_array().unwrap().iter().map(|l| l["title"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
    };
    assert_eq!(titles(alice.get("/api/v1/listings?kind=need").await.1), ["Cherche remorque"]);
    assert_eq!(titles(alice.get("/api/v1/listings?tag=chantier").await.1), ["Bétonnière à prêter"]);
    assert_eq!(titles(alice.get("/api/v1/listings?q=remorque").await.1), ["Cherche remorque"]);
    assert_eq!(
        titles(alice.get("/api/v1/listings?near=43.9585,2.8869&radius_km=5").await.1),
        ["Bétonnière à prêter"]
    );
    assert_eq!(titles(alice.get("/api/v1/listings?near=43.9585,2.8869&radius_km=30").await.1).len(), 2);
    assert_eq!(alice.get("/api/v1/listings?near=north").await.0, 422);
    assert_eq!(alice.get("/api/v1/listings?kind=swap").await.0, 422);
}

#[actix_web::test]
async fn interest_from_another_territory_is_accepted_and_both_see_in_progress() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    bob.follow_accepted(&format!("territory@{}", a.domain)).await;
    let (_, created) = send_json(&alice, reqwest::Method::POST, "/api/v1/listings", &full_listing()).await;
    let uri = created["uri"].as_str().unwrap().to_owned();
    let on_b = eventually(30, "the listing arrives", || remote_listing(&bob, &uri)).await;

    let (status, offered) = send_json(
        &bob,
        reqwest::Method::POST,
        &format!("/api/v1/listings/{}/interest", on_b["id"].as_str().unwrap()),
        &json!({ "message": "Je la prendrais samedi" }),
    )
    .await;
    assert_eq!(status, 200, "{offered}");
    assert_eq!(offered["state"], "proposed");
    let (status, twice) = send_json(
        &bob,
        reqwest::Method::POST,
        &format!("/api/v1/listings/{}/interest", on_b["id"].as_str().unwrap()),
        &json!({ "message": "Je la prendrais samedi" }),
    )
    .await;
    assert_eq!((status, &twice["id"]), (200, &offered["id"]), "showing interest twice is one interest");
    let (_, mine) = bob.get("/api/v1/agreements").await;
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
    let received = eventually(30, "the offer reaches alice", || async {
        let (_, list) = alice.get("/api/v1/agreements").await;
        list.as_array().and_then(|l| l.first().cloned())
    })
    .await;
    assert_eq!(received["message"], "Je la prendrais samedi");
    assert_eq!(received["initiator"]["acct"], format!("bob@{}", b.domain));
    let (status, own) = send_json(
        &alice,
        reqwest::Method::POST,
        &format!("/api/v1/listings/{}/interest", created["id"].as_str().unwrap()),
        &json!({}),
    )
    .await;
    assert_eq!(status, 422, "not on one's own listing: {own}");

    let (status, accepted) = send_json(
        &alice,
        reqwest::Method::POST,
        &format!("/api/v1/agreements/{}/accept", received["id"].as_str().unwrap()),
        &json!({}),
    )
    .await;
    assert_eq!(status, 200, "{accepted}");
    assert_eq!(accepted["listing"]["status"], "in_progress");
    eventually(30, "bob sees the agreement accepted and the listing in progress", || async {
        let (_, list) = bob.get("/api/v1/agreements").await;
        let agreement = list.as_array().and_then(|l| l.first().cloned())?;
        (agreement["state"] == "accepted" && agreement["listing"]["status"] == "in_progress").then_some(())
    })
    .await;
    let (status, again) = send_json(
        &alice,
        reqwest::Method::POST,
        &format!("/api/v1/agreements/{}/accept", received["id"].as_str().unwrap()),
        &json!({}),
    )
    .await;
    assert_eq!(status, 422, "{again}");

    let (status, done) = send_json(
        &alice,
        reqwest::Method::POST,
        &format!("/api/v1/agreements/{}/fulfil", received["id"].as_str().unwrap()),
        &json!({}),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["listing"]["status"], "fulfilled");
    eventually(30, "the fulfilled listing reaches bob's node", || async {
        let uri = uri.clone();
        b.with_db(move |c| {
            maillage_db::listings::find_by_ap_id(c, &uri)
                .unwrap()
                .filter(|l| l.status.as_str() == "fulfilled")
                .map(|_| ())
        })
        .await
    })
    .await;
}
