//! Polls from other servers: a Mastodon `Question` is shown through the
//! Mastodon API with its options and counts, and a vote cast with
//! Mastodon.py reaches the poll's server as Mastodon sends one.

use crate::harness;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use harness::fake_server::{actor_json, FakeServer, Reply};
use harness::signing::{signed_post_headers, stranger_key, Signing};
use harness::{eventually, TestNode};
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey, LineEnding};
use serde_json::{json, Value};

#[actix_web::test]
async fn a_remote_poll_is_shown_and_a_vote_from_mastodon_py_reaches_its_server() {
    let private = stranger_key();
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(&private).unwrap();
    let public = rsa::RsaPublicKey::from(&key).to_public_key_pem(LineEnding::LF).unwrap();
    let poll_server = FakeServer::start(move |req| {
        let host = req.headers.iter().find(|(k, _)| k == "host").map(|(_, v)| v.clone()).unwrap_or_default();
        match (req.method.as_str(), req.path.as_str()) {
            ("GET", "/users/ana") => Reply {
                status: 200,
                content_type: "application/activity+json",
                body: actor_json(&format!("http://{host}"), "ana", &public),
                delay: Duration::ZERO,
            },
            _ => {
                Reply { status: 202, content_type: "text/plain", body: String::new(), delay: Duration::ZERO }
            }
        }
    });
    let node = TestNode::start().await;
    let bea = node.user("bea").await;
    let ana = format!("{}/users/ana", poll_server.base());
    let bea_id = format!("{}/users/bea", node.base);
    let question_id = format!("{}/users/ana/statuses/1", poll_server.base());
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{question_id}/activity"), "type": "Create", "actor": ana,
        "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [bea_id],
        "object": {
            "id": question_id, "type": "Question", "attributedTo": ana,
            "content": "<p>@bea Quel jour pour le marché de Noël ?</p>", "published": "2026-12-07T10:00:00Z",
            "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [bea_id],
            "tag": [{ "type": "Mention", "href": bea_id, "name": format!("@bea@{}", node.domain) }],
            "endTime": "2030-01-01T12:00:00Z", "votersCount": 5,
            "oneOf": [
                { "type": "Note", "name": "Samedi", "replies": { "type": "Collection", "totalItems": 4 } },
                { "type": "Note", "name": "Dimanche", "replies": { "type": "Collection", "totalItems": 1 } }
            ]
        }
    });
    let body = create.to_string();
    let inbox = node.url("/inbox");
    let key_id = format!("{ana}#main-key");
    let signing = Signing {
        key_id: &key_id,
        private_pem: &private,
        date: std::time::SystemTime::now(),
        digest_name: "SHA-256",
    };
    let mut request = harness::client().post(&inbox).body(body.clone());
    for (k, v) in signed_post_headers(&inbox, body.as_bytes(), &signing) {
        request = request.header(k, v);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status().as_u16(), 202, "{}", response.text().await.unwrap_or_default());

    let python = std::env::var("MAILLAGE_PYTHON").expect("MAILLAGE_PYTHON: run scripts/test");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/polls.py");
    let args = [script.display().to_string(), node.base.clone(), bea.token.clone(), question_id.clone()];
    let out =
        tokio::task::spawn_blocking(move || Command::new(python).args(args).output().unwrap()).await.unwrap();
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "polls.py: {printed}\n{}", String::from_utf8_lossy(&out.stderr));

    // The vote arrives at the poll's server, signed, as Mastodon casts it.
    let vote = eventually(30, "the vote reaches the poll's server", || async {
        poll_server.recorded().into_iter().find(|r| r.method == "POST" && r.path == "/users/ana/inbox")
    })
    .await;
    assert!(vote.headers.iter().any(|(k, v)| k == "signature" && v.contains(&bea_id)), "{:?}", vote.headers);
    let activity: Value = serde_json::from_str(&vote.body).unwrap();
    assert_eq!(activity["type"], "Create");
    assert_eq!(activity["actor"], bea_id.as_str());
    assert_eq!(activity["object"]["type"], "Note");
    assert_eq!(activity["object"]["name"], "Dimanche");
    assert_eq!(activity["object"]["inReplyTo"], question_id.as_str());
    assert_eq!(activity["object"]["to"], json!([ana]));
}
