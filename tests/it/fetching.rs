//! Outgoing requests: signed fetches, SSRF protection in production, and
//! deliveries that one slow server cannot hold up.

use crate::harness;

use std::time::{Duration, Instant};

use harness::fake_server::{actor_json, FakeServer, Reply};
use harness::{eventually, has_uri, TestNode};
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_db::actors;
use maillage_db::follows::{self, FollowRow};
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey, LineEnding};

fn public_pem() -> String {
    let private = harness::signing::stranger_key();
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(&private).unwrap();
    rsa::RsaPublicKey::from(&key).to_public_key_pem(LineEnding::LF).unwrap()
}

#[actix_web::test]
async fn remote_actors_are_fetched_with_a_signature_of_the_instance_actor() {
    let pem = public_pem();
    let fake = FakeServer::start(move |req| {
        let base = format!(
            "http://localhost:{}",
            req.headers
                .iter()
                .find(|(k, _)| k == "host")
                .map(|(_, v)| v.split(':').nth(1).unwrap_or("0").to_owned())
                .unwrap_or_default()
        );
        Reply {
            status: 200,
            content_type: "application/activity+json",
            body: actor_json(&base, "remote", &pem),
            delay: Duration::ZERO,
        }
    });
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let url = format!("{}/users/remote", fake.base());
    let id = alice.resolve(&url).await;
    assert!(!id.is_empty());
    let fetch =
        fake.recorded().into_iter().find(|r| r.path == "/users/remote").expect("the actor was fetched");
    let signature = fetch
        .headers
        .iter()
        .find(|(k, _)| k == "signature")
        .map(|(_, v)| v.clone())
        .expect("the fetch is signed");
    assert!(signature.contains(&format!("keyId=\"{}/actor#main-key\"", a.base)), "{signature}");
    assert!(fetch.headers.iter().any(|(k, v)| k == "accept" && v.contains("application/activity+json")));
}

#[actix_web::test]
async fn production_nodes_refuse_to_fetch_from_loopback_or_private_addresses() {
    let fake = FakeServer::start(|_| Reply {
        status: 200,
        content_type: "application/activity+json",
        body: "{}".into(),
        delay: Duration::ZERO,
    });
    let a = TestNode::start_with(|c| c.federation.debug = false).await;
    let alice = a.user("alice").await;
    for target in [
        format!("http://localhost:{}/users/x", fake.port),
        format!("https://127.0.0.1:{}/users/x", fake.port),
        "https://127.0.0.1/users/x".to_owned(),
        "https://10.0.0.1/users/x".to_owned(),
        "https://[::1]/users/x".to_owned(),
    ] {
        let (status, body) = alice.get(&format!("/api/v2/search?q={target}&resolve=true")).await;
        assert_eq!(status, 200);
        assert_eq!(body["accounts"].as_array().unwrap().len(), 0, "{target} was resolved");
    }
    assert!(fake.recorded().is_empty(), "no request left the node: {:?}", fake.recorded());
}

/// Makes `count` remote followers of `actor` whose inboxes are on `host`
/// (each its own inbox, so that each needs its own delivery).
async fn followers_on(node: &TestNode, actor_name: &str, base: &str, count: usize) {
    let base = base.to_owned();
    let name = actor_name.to_owned();
    let pem = public_pem();
    node.with_db(move |c| {
        let target = actors::find_local_by_username(c, &name).unwrap().unwrap();
        let domain = base.trim_start_matches("http://").to_owned();
        for i in 0..count {
            let now = Timestamp::now();
            let row = maillage_test_support::actor_row(
                &format!("{base}/users/slow{i}"),
                &format!("slow{i}"),
                &domain,
                &pem,
                false,
            );
            actors::insert(c, &row).unwrap();
            let follow = FollowRow {
                id: Id::generate().as_i64(),
                ap_id: format!("{base}/follows/{i}"),
                follower_id: row.id,
                followed_id: target.id,
                state: "accepted".into(),
                created_at: now.as_micros(),
                updated_at: now.as_micros(),
            };
            follows::insert(c, &follow).unwrap();
        }
    })
    .await;
}

#[actix_web::test]
async fn a_slow_server_does_not_hold_up_deliveries_to_others() {
    let slow = FakeServer::start(|_| Reply {
        status: 202,
        content_type: "text/plain",
        body: String::new(),
        delay: Duration::from_secs(20),
    });
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    followers_on(&a, "alice", &slow.base(), 30).await;
    bob.follow(&format!("alice@{}", a.domain)).await;
    alice.wait_followers(31).await;

    let started = Instant::now();
    let post = alice.post_status("Livraison en parallèle").await;
    let uri = post["uri"].as_str().unwrap().to_owned();
    eventually(15, "the fast node receives the post", || async {
        has_uri(&bob.home().await, &uri).then_some(())
    })
    .await;
    assert!(started.elapsed() < Duration::from_secs(15), "the fast node waited for the slow one");
    // The slow server gets at most delivery_per_host requests at once.
    let in_flight = slow.recorded().len();
    assert!(in_flight <= a.config.federation.delivery_per_host, "{in_flight} requests at once to one host");
}
