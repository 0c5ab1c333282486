//! Mastodon client API endpoints apps call besides the big ones: instance,
//! sign-up, threads, the tag timeline, favourites, and the lists apps
//! expect to exist; with the errors Mastodon gives.

use crate::harness;

use harness::{client, TestNode, TestUser};
use maillage_core::account::RegistrationMode;
use reqwest::Method;
use serde_json::{json, Value};

async fn anonymous(node: &TestNode, path: &str) -> (u16, Value) {
    let r = client().get(node.url(path)).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn reply(user: &TestUser, to: &Value, text: &str, visibility: &str) -> Value {
    let (status, post) = user
        .json(
            Method::POST,
            "/api/v1/statuses",
            &json!({ "status": text, "in_reply_to_id": to["id"], "visibility": visibility }),
        )
        .await;
    assert_eq!(status, 200, "{post}");
    post
}

#[actix_web::test]
async fn instance_and_start_up_endpoints_answer_as_mastodon() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let (status, v1) = anonymous(&a, "/api/v1/instance").await;
    assert_eq!(status, 200);
    assert!(v1["version"].as_str().unwrap().starts_with("4.3.0 (compatible; Maillage "), "{v1}");
    assert_eq!(v1["uri"], a.domain);
    assert_eq!((v1["registrations"].clone(), v1["approval_required"].clone()), (json!(true), json!(true)));
    assert_eq!(v1["configuration"]["statuses"]["max_characters"], 5000);
    let (status, v2) = anonymous(&a, "/api/v2/instance/").await;
    assert_eq!(status, 200, "a trailing slash is accepted");
    assert_eq!(v2["api_versions"]["mastodon"], 2);
    assert_eq!(v2["registrations"]["approval_required"], true);
    assert_eq!(v2["domain"], a.domain);

    assert_eq!(anonymous(&a, "/api/v1/custom_emojis").await, (200, json!([])));
    for path in [
        "/api/v1/lists",
        "/api/v2/filters",
        "/api/v1/filters",
        "/api/v1/bookmarks",
        "/api/v1/preferences",
        "/api/v1/favourites",
    ] {
        assert_eq!(anonymous(&a, path).await.0, 401, "{path} needs a token");
        assert_eq!(alice.get(path).await.0, 200, "{path}");
    }
    assert_eq!(alice.get("/api/v1/lists").await.1, json!([]));
    let (_, prefs) = alice.get("/api/v1/preferences").await;
    assert_eq!(prefs["posting:default:visibility"], "public");
}

#[actix_web::test]
async fn threads_tags_and_favourites() {
    let a = TestNode::start().await;
    let (alice, bob, carol) = (a.user("alice").await, a.user("bob").await, a.user("carol").await);
    let first = alice.post_status("Qui veut des semis ? #Jardins").await;
    let second = reply(&bob, &first, "@alice moi !", "public").await;
    let third = reply(&alice, &second, "@bob passe samedi", "public").await;
    let hidden = reply(&bob, &first, "@alice en privé", "direct").await;

    let (status, thread) =
        carol.get(&format!("/api/v1/statuses/{}/context", second["id"].as_str().unwrap())).await;
    assert_eq!(status, 200);
    assert_eq!(thread["ancestors"][0]["id"], first["id"]);
    assert_eq!(thread["descendants"][0]["id"], third["id"]);
    let (_, top) = carol.get(&format!("/api/v1/statuses/{}/context", first["id"].as_str().unwrap())).await;
    let ids: Vec<&Value> = top["descendants"].as_array().unwrap().iter().map(|s| &s["id"]).collect();
    assert_eq!(ids, [&second["id"], &third["id"]], "a direct reply is not shown to others");
    let (_, mine) = alice.get(&format!("/api/v1/statuses/{}/context", first["id"].as_str().unwrap())).await;
    assert_eq!(mine["descendants"].as_array().unwrap().len(), 3, "alice is mentioned in the direct reply");
    assert_eq!(
        carol.get(&format!("/api/v1/statuses/{}/context", hidden["id"].as_str().unwrap())).await.0,
        404
    );
    assert_eq!(carol.get("/api/v1/statuses/123/context").await.0, 404);

    let (status, tagged) = anonymous(&a, "/api/v1/timelines/tag/jardins").await;
    assert_eq!(status, 200);
    assert_eq!(tagged.as_array().unwrap().len(), 1);
    assert_eq!(tagged[0]["id"], first["id"]);
    assert_eq!(
        anonymous(&a, "/api/v1/timelines/tag/J%C3%A0rdins").await.1.as_array().unwrap().len(),
        1,
        "folded"
    );
    let (_, private) = alice
        .json(
            Method::POST,
            "/api/v1/statuses",
            &json!({ "status": "#jardins entre nous", "visibility": "followers" }),
        )
        .await;
    assert!(private["id"].is_string());
    assert_eq!(
        anonymous(&a, "/api/v1/timelines/tag/jardins").await.1.as_array().unwrap().len(),
        1,
        "public posts only"
    );
    assert_eq!(anonymous(&a, "/api/v1/timelines/tag/inconnu").await.1, json!([]));

    let fav = format!("/api/v1/statuses/{}/favourite", first["id"].as_str().unwrap());
    assert_eq!(carol.post(&fav, &[]).await.0, 200);
    let (_, favourites) = carol.get("/api/v1/favourites").await;
    assert_eq!(favourites[0]["id"], first["id"]);
    assert_eq!(favourites[0]["favourited"], true);
    assert!(bob.get("/api/v1/favourites").await.1.as_array().unwrap().is_empty(), "each person's own");
    carol.post(&format!("/api/v1/statuses/{}/unfavourite", first["id"].as_str().unwrap()), &[]).await;
    assert!(carol.get("/api/v1/favourites").await.1.as_array().unwrap().is_empty());
    assert_eq!(
        bob.post(&format!("/api/v1/statuses/{}/reblog", first["id"].as_str().unwrap()), &[]).await.0,
        200
    );

    // Alice hears of the mentions, the favourite and the boost.
    let (_, told) = alice.get("/api/v1/notifications").await;
    let kinds: Vec<(&str, &str)> = told
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["type"].as_str().unwrap(), n["account"]["username"].as_str().unwrap()))
        .collect();
    for expected in [("mention", "bob"), ("favourite", "carol"), ("reblog", "bob")] {
        assert!(kinds.contains(&expected), "{expected:?} in {kinds:?}");
    }
    assert_eq!(
        kinds.iter().filter(|k| k.0 == "mention").count(),
        2,
        "the public and the direct reply: {kinds:?}"
    );
    let (_, bobs) = bob.get("/api/v1/notifications").await;
    assert_eq!(bobs.as_array().unwrap().len(), 1, "bob is mentioned once, by alice: {bobs}");
}

#[actix_web::test]
async fn a_mention_from_another_node_is_a_notification() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    bob.resolve(&format!("alice@{}", a.domain)).await;
    let posted = bob.post_status(&format!("@alice@{} bonjour d'à côté", a.domain)).await;
    let told = harness::eventually(30, "alice told of the mention", || async {
        let (_, list) = alice.get("/api/v1/notifications").await;
        list.as_array().and_then(|l| l.iter().find(|n| n["type"] == "mention").cloned())
    })
    .await;
    assert_eq!(told["status"]["uri"], posted["uri"]);
    assert_eq!(told["account"]["acct"], format!("bob@{}", b.domain));
}

async fn sign_up(node: &TestNode, token: &str, body: &Value) -> (u16, Value) {
    let r = client().post(node.url("/api/v1/accounts")).bearer_auth(token).json(body).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[actix_web::test]
async fn sign_up_follows_the_registration_mode() {
    let approval = TestNode::start().await;
    let token = approval.app_token("read write").await;
    let nora = json!({ "username": "nora", "email": "nora@example.org", "password": "a long enough password", "agreement": true });
    let (status, issued) = sign_up(&approval, &token, &nora).await;
    assert_eq!(status, 200, "{issued}");
    let r = client()
        .get(approval.url("/api/v1/accounts/verify_credentials"))
        .bearer_auth(issued["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403, "awaiting approval");
    let (status, e) = sign_up(&approval, &token, &nora).await;
    assert!(status == 409 || status == 422, "the name is taken: {status} {e}");

    let (status, e) = sign_up(&approval, &token, &json!({ "username": "x" })).await;
    assert_eq!(status, 422);
    for field in ["email", "password", "agreement"] {
        assert!(e["error"].as_str().unwrap().contains(field), "{field}: {e}");
    }
    assert_eq!(sign_up(&approval, "nope", &nora).await.0, 401);
    let member = approval.user("alice").await;
    assert_eq!(sign_up(&approval, &member.token, &nora).await.0, 403, "a person's token is not an app's");
    let read_only = approval.app_token("read").await;
    assert_eq!(sign_up(&approval, &read_only, &nora).await.0, 403, "write:accounts is needed");

    let closed = TestNode::start_with(|c| c.registration.mode = RegistrationMode::Closed).await;
    let token = closed.app_token("read write").await;
    assert_eq!(sign_up(&closed, &token, &nora).await.0, 403);
    let (_, v2) = anonymous(&closed, "/api/v2/instance").await;
    assert_eq!(v2["registrations"]["enabled"], false);
}
