//! Web Push through a real Mastodon client: Mastodon.py subscribes with
//! keys it made; the test's own push service (tests/clients/push.py)
//! checks the VAPID token and decrypts what it receives (RFC 8291); alerts
//! and the person's settings decide what is pushed; a 410 forgets the
//! subscription; malformed subscriptions are refused with 422.

use crate::harness;

use std::path::Path;
use std::process::Command;

use harness::TestNode;
use reqwest::Method;
use serde_json::json;

#[actix_web::test]
async fn a_subscription_made_by_mastodon_py_receives_encrypted_signed_pushes() {
    let node = TestNode::start().await;
    node.user("alice").await;
    let bob = node.user("bob").await;
    let alice_push = node.token_with_scopes("alice", "read write follow push").await;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/push.py");
    let args =
        vec![script.display().to_string(), node.base.clone(), alice_push, bob.token.clone(), "alice".into()];
    let out = tokio::task::spawn_blocking(move || {
        let python = std::env::var("MAILLAGE_PYTHON").expect("MAILLAGE_PYTHON: run scripts/test");
        Command::new(python).args(args).output().unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "push.py: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains(r#""ok": true"#), "{stdout}");
}

#[actix_web::test]
async fn push_subscriptions_need_the_push_scope_and_checked_input() {
    let node = TestNode::start().await;
    let alice = node.user("alice").await;
    let (status, _) = alice.get("/api/v1/push/subscription").await;
    assert_eq!(status, 403, "a token without the push scope");
    let token = node.token_with_scopes("alice", "push").await;
    let alice = alice.with_token(token);
    let key = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    let good = json!({ "subscription": { "endpoint": "https://push.example/x", "keys": { "p256dh": key, "auth": "BTBZMqHH6r4Tts7J_aSIgg" } } });
    for (body, field) in [
        (
            json!({ "subscription": { "endpoint": "ftp://push.example/x", "keys": good["subscription"]["keys"] } }),
            "endpoint",
        ),
        (
            json!({ "subscription": { "endpoint": "https://push.example/x", "keys": { "p256dh": "abc", "auth": "BTBZMqHH6r4Tts7J_aSIgg" } } }),
            "p256dh",
        ),
        (
            json!({ "subscription": good["subscription"], "data": { "alerts": { "weather": true } } }),
            "alerts",
        ),
        (json!({ "subscription": good["subscription"], "policy": "friends" }), "policy"),
        (json!("not an object"), ""),
    ] {
        let (status, error) = alice.json(Method::POST, "/api/v1/push/subscription", &body).await;
        assert_eq!(status, 422, "{body}: {error}");
        assert!(error["error"].as_str().unwrap_or_default().contains(field), "{field}: {error}");
    }
    assert_eq!(alice.get("/api/v1/push/subscription").await.0, 404, "nothing was stored");
    let (status, sub) = alice.json(Method::POST, "/api/v1/push/subscription", &good).await;
    assert_eq!(status, 200, "{sub}");
    assert_eq!(sub["policy"], "all");
    assert_eq!(sub["alerts"]["mention"], false, "alerts are off unless asked");
    let (_, instance) = alice.get("/api/v2/instance").await;
    assert_eq!(sub["server_key"], instance["configuration"]["vapid"]["public_key"]);
    assert!(sub["server_key"].as_str().is_some_and(|k| k.len() == 87), "an uncompressed P-256 point: {sub}");
}
