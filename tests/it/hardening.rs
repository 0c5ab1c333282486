//! What another server may not do to a node: store links that run script
//! in its pages, store more text than a person here could write, boost or
//! like or answer what it may not see; and what a browser is told about
//! the pages served at object URLs.

use crate::harness;

use std::time::{Duration, SystemTime};

use harness::fake_server::{FakeServer, Reply};
use harness::signing::{signed_post_headers, stranger_key, Signing};
use harness::{client, create_note, send_signed, stores_post, TestNode};
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey, LineEnding};
use serde_json::{json, Value};

/// A server on a local port whose one actor, `mallory`, has a `url` and an
/// avatar that would run script, and a 100 KB profile note.
fn hostile_server(public_pem: String) -> FakeServer {
    FakeServer::start(move |req| {
        let host = req.headers.iter().find(|(k, _)| k == "host").map(|(_, v)| v.clone()).unwrap_or_default();
        let id = format!("http://{host}/users/mallory");
        let actor = json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": id, "type": "Person", "preferredUsername": "mallory", "name": "Mallory",
            "summary": format!("<p>{}</p>", "bla ".repeat(25_000)),
            "url": "javascript:alert(document.cookie)",
            "icon": { "type": "Image", "url": "javascript:alert(1)" },
            "inbox": format!("{id}/inbox"),
            "publicKey": { "id": format!("{id}#main-key"), "owner": id, "publicKeyPem": public_pem }
        });
        Reply {
            status: 200,
            content_type: "application/activity+json",
            body: actor.to_string(),
            delay: Duration::ZERO,
        }
    })
}

async fn deliver(target: &TestNode, activity: &Value, key_id: &str, private_pem: &str) -> u16 {
    let url = target.url("/inbox");
    let body = activity.to_string();
    let signing = Signing { key_id, private_pem, date: SystemTime::now(), digest_name: "SHA-256" };
    let mut request = client().post(&url).body(body.clone());
    for (k, v) in signed_post_headers(&url, body.as_bytes(), &signing) {
        request = request.header(k, v);
    }
    request.send().await.unwrap().status().as_u16()
}

#[actix_web::test]
async fn links_that_are_not_web_links_are_dropped_and_remote_text_is_capped() {
    let private_pem = stranger_key();
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(&private_pem).unwrap();
    let public_pem = rsa::RsaPublicKey::from(&key).to_public_key_pem(LineEnding::LF).unwrap();
    let hostile = hostile_server(public_pem);
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let actor = format!("{}/users/mallory", hostile.base());
    let note_id = format!("{}/notes/1", hostile.base());
    let mut create = create_note(&actor, &note_id, &format!("<p>{}</p>", "long ".repeat(3_000)));
    create["object"]["url"] = json!("javascript:alert(2)");
    assert_eq!(deliver(&a, &create, &format!("{actor}#main-key"), &private_pem).await, 202);
    assert!(stores_post(&a, &note_id).await);

    let id = note_id.clone();
    let post_id = a.with_db(move |c| maillage_db::posts::find_by_ap_id(c, &id).unwrap().unwrap().id).await;
    let (code, status) = alice.get(&format!("/api/v1/statuses/{post_id}")).await;
    assert_eq!(code, 200, "{status}");
    let status = &status;
    let account = &status["account"];
    for (field, value) in [
        ("status.url", &status["url"]),
        ("account.url", &account["url"]),
        ("account.avatar", &account["avatar"]),
    ] {
        let value = value.as_str().unwrap_or_else(|| panic!("{field} missing in {status}"));
        assert!(!value.to_lowercase().contains("javascript"), "{field} = {value}");
    }
    let stored = a.with_db(move |c| maillage_db::actors::find_by_ap_id(c, &actor).unwrap().unwrap()).await;
    assert_eq!((stored.url, stored.icon_url), (None, None), "dropped before storage");
    let note = maillage_service::text::html_to_text(&stored.summary_html);
    assert!(
        note.chars().count() <= 501,
        "a profile note as long as a local one: {} characters",
        note.chars().count()
    );
    let content = status["content"].as_str().unwrap();
    let text = maillage_service::text::html_to_text(content);
    assert!(
        text.chars().count() <= 5_001,
        "a post as long as a local one: {} characters",
        text.chars().count()
    );
    assert!(text.starts_with("long long"), "{}", &text[..40]);
}

#[actix_web::test]
async fn boosts_likes_and_replies_need_a_post_the_sender_may_see() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    b.user("bob").await;
    let bob = format!("{}/users/bob", b.base);
    let (_, hidden) =
        alice.post("/api/v1/statuses", &[("status", "Pour mes abonnés"), ("visibility", "private")]).await;
    let (_, public) = alice.post("/api/v1/statuses", &[("status", "Pour tout le monde")]).await;
    let (_, direct) =
        alice.post("/api/v1/statuses", &[("status", "Rien que moi"), ("visibility", "direct")]).await;

    for (n, post) in [&hidden, &direct, &public].into_iter().enumerate() {
        let uri = post["uri"].as_str().unwrap();
        let like = json!({ "id": format!("{bob}#like-{n}"), "type": "Like", "actor": bob, "object": uri });
        let boost = json!({ "id": format!("{bob}#boost-{n}"), "type": "Announce", "actor": bob, "object": uri,
                            "to": ["https://www.w3.org/ns/activitystreams#Public"] });
        let mut reply = create_note(&bob, &format!("{}/notes/reply-{n}", b.base), "<p>Moi aussi !</p>");
        reply["object"]["inReplyTo"] = json!(uri);
        for activity in [&like, &boost, &reply] {
            assert_eq!(send_signed(&b, "bob", &a, activity).await, 202, "{activity}");
        }
    }
    let counts = |post: &Value| {
        let id = post["id"].as_str().unwrap().to_owned();
        let alice = alice.clone();
        async move {
            let (_, s) = alice.get(&format!("/api/v1/statuses/{id}")).await;
            (
                s["favourites_count"].as_i64().unwrap(),
                s["reblogs_count"].as_i64().unwrap(),
                s["replies_count"].as_i64().unwrap(),
            )
        }
    };
    assert_eq!(
        counts(&hidden).await,
        (0, 0, 0),
        "a stranger cannot like, boost or answer a followers-only post"
    );
    assert_eq!(counts(&direct).await, (0, 0, 0), "nor a direct one");
    assert!(!stores_post(&a, &format!("{}/notes/reply-0", b.base)).await);
    assert_eq!(counts(&public).await, (1, 1, 1), "a public post he can");
    let (_, notifications) = alice.get("/api/v1/notifications").await;
    let from_bob: Vec<&str> = notifications
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["account"]["acct"].as_str().is_some_and(|a| a.starts_with("bob@")))
        .map(|n| n["status"]["id"].as_str().unwrap_or_default())
        .collect();
    assert!(
        from_bob.iter().all(|id| *id == public["id"].as_str().unwrap()),
        "told only of the public post: {notifications}"
    );
}

#[actix_web::test]
async fn object_pages_carry_the_security_headers() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let post = alice.post_status("Des semis de tomates à donner").await;
    let response =
        client().get(post["uri"].as_str().unwrap()).header("Accept", "text/html").send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let headers = response.headers();
    let csp =
        headers.get("content-security-policy").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{csp:?}");
    assert_eq!(headers.get("x-frame-options").map(|v| v.to_str().unwrap()), Some("DENY"));
    assert_eq!(headers.get("x-content-type-options").map(|v| v.to_str().unwrap()), Some("nosniff"));
}

#[actix_web::test]
async fn search_coordinates_out_of_range_or_not_numbers_are_refused() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    for query in [
        "lat=91&lon=2",
        "lat=NaN&lon=NaN",
        "lat=44",
        "lat=44&lon=2&near=44,2",
        "near=NaN,NaN",
        "near=inf,0",
        "near=44,2&radius_km=NaN",
    ] {
        let (status, body) = alice.get(&format!("/api/v1/listings?{query}")).await;
        assert_eq!(status, 422, "{query}: {body}");
        assert!(body["error"].as_str().unwrap().starts_with("Validation failed"), "{query}: {body}");
    }
    let (status, body) = alice.get("/api/v1/listings?lat=44.0&lon=2.69&radius_km=10").await;
    assert_eq!(status, 200, "{body}");
}
