//! Hardening (issue 17): the database's health on the write path, token
//! revocation between apps, redirects of the HTTP client, and what errors
//! tell peers and anonymous callers.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::time::Duration;

use crate::common::{maillage, run, stderr};
use crate::harness::fake_server::{FakeServer, Reply};
use crate::harness::signing::{signed_post_headers, stranger_key, Signing};
use crate::harness::{client, create_note, TestNode, TestUser};
use diesel::connection::SimpleConnection;
use diesel::Connection;
use maillage_core::database_url::DatabaseUrl;
use serde_json::{json, Value};

async fn healthz(node: &TestNode) -> (u16, Value) {
    let r = client().get(node.url("/healthz")).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn publish(user: &TestUser, title: &str) -> (u16, Value) {
    let body = json!({
        "kind": "offer", "category": "goods", "title": title, "description": "À donner.",
        "place": { "name": "Ici", "lat": 46.5, "lon": 2.4 }, "radius_km": 10.0,
        "terms": { "mode": "gift" }, "visibility": "public"
    });
    user.json(reqwest::Method::POST, "/api/v1/listings", &body).await
}

fn sqlite_path(node: &TestNode) -> Option<PathBuf> {
    match node.db.url() {
        DatabaseUrl::Sqlite { path } => Some(path.clone()),
        DatabaseUrl::Postgres { .. } => None,
    }
}

/// Runs `sql` on the PostgreSQL server of `node`'s database, from the
/// `postgres` database; `{db}` stands for the node's database name.
fn on_postgres_server(node: &TestNode, sql: &str) {
    let DatabaseUrl::Postgres { url } = node.db.url() else { panic!("not on PostgreSQL") };
    let mut admin = url::Url::parse(url).unwrap();
    let name = admin.path().trim_start_matches('/').to_owned();
    admin.set_path("/postgres");
    let mut conn = diesel::PgConnection::establish(admin.as_str()).unwrap();
    conn.batch_execute(&sql.replace("{db}", &name)).unwrap();
}

/// Ends every session of the node's database but the caller's: the pool's
/// connections are dead, and the next ones read the database's settings.
const TERMINATE: &str = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                         WHERE datname = '{db}' AND pid <> pg_backend_pid();";

/// Past the write path's recheck of the SQLite file.
async fn past_recheck() {
    tokio::time::sleep(maillage_db::sqlite_file::RECHECK * 3).await;
}

/// A database that disappears under the node (SQLite: the file deleted;
/// PostgreSQL: the database dropped, its sessions ended) refuses writes
/// with 503 and a client-safe message, and `/healthz` says why. On SQLite,
/// nothing creates an empty database in its place: the next start refuses,
/// with exit code 2, naming the write-ahead log left behind.
#[actix_web::test]
async fn writes_into_a_vanished_database_answer_503() {
    let mut node = TestNode::start().await;
    let alice = node.user("alice").await;
    assert_eq!(publish(&alice, "Avant").await.0, 200);

    let path = sqlite_path(&node);
    match &path {
        Some(path) => std::fs::remove_file(path).unwrap(),
        None => node.db.destroy(),
    }
    past_recheck().await;
    let (status, body) = publish(&alice, "Après").await;
    assert_eq!(status, 503, "a write into a vanished database: {body}");
    let message = body["error"].as_str().unwrap_or_default().to_owned();
    assert!(!message.contains('/') && !message.contains("maillage"), "no internal detail: {message}");
    let (status, health) = healthz(&node).await;
    assert_eq!(status, 503, "{health}");

    let Some(path) = path else { return };
    assert_eq!(health["error"], "the database file is gone");
    assert!(!path.exists(), "no empty database was created in its place");
    for command in ["migrate", "serve"] {
        let mut cmd = maillage(&node.db.url_string());
        cmd.arg(command).env("MAILLAGE_BIND", "127.0.0.1:0");
        let out = run(cmd, None);
        assert_eq!(out.status.code(), Some(2), "{command}: {}", stderr(&out));
        assert!(stderr(&out).contains("maillage.db-wal"), "{command} names what is left: {}", stderr(&out));
        assert!(!path.exists(), "{command} created no empty database");
    }
}

/// A database that may no longer be written (SQLite: the file made
/// read-only; PostgreSQL: the database set read-only) refuses writes with
/// 503, `/healthz` says so, and both come back once it is writable again.
#[actix_web::test]
async fn a_read_only_database_answers_503_and_healthz_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let node = TestNode::start().await;
    let alice = node.user("alice").await;
    assert_eq!(publish(&alice, "Avant").await.0, 200);
    assert_eq!(healthz(&node).await.0, 200);

    let path = sqlite_path(&node);
    match &path {
        Some(path) => std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o444)).unwrap(),
        None => on_postgres_server(
            &node,
            &format!("ALTER DATABASE \"{{db}}\" SET default_transaction_read_only = on; {TERMINATE}"),
        ),
    }
    past_recheck().await;
    let (status, body) = publish(&alice, "Pendant").await;
    assert_eq!(status, 503, "a write into a read-only database: {body}");
    let (status, health) = healthz(&node).await;
    assert_eq!((status, health["error"].clone()), (503, json!("the database is read-only")), "{health}");

    match &path {
        Some(path) => std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap(),
        None => on_postgres_server(
            &node,
            &format!("ALTER DATABASE \"{{db}}\" RESET default_transaction_read_only; {TERMINATE}"),
        ),
    }
    past_recheck().await;
    assert_eq!(healthz(&node).await.0, 200);
    let (status, body) = publish(&alice, "Après").await;
    assert_eq!(status, 200, "{body}");
}

async fn register_app(node: &TestNode) -> (String, String) {
    let app: Value = client()
        .post(node.url("/api/v1/apps"))
        .json(
            &json!({ "client_name": "app", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read" }),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (app["client_id"].as_str().unwrap().to_owned(), app["client_secret"].as_str().unwrap().to_owned())
}

async fn revoke(node: &TestNode, (id, secret): &(String, String), token: &str) -> (u16, Value) {
    let r = client()
        .post(node.url("/oauth/revoke"))
        .form(&[("client_id", id.as_str()), ("client_secret", secret.as_str()), ("token", token)])
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// RFC 7009 §2.1: a client revokes only the tokens issued to it. Another
/// app's token, or a token issued to no app (a browser session, an admin's
/// token), is refused as Mastodon refuses it (403 `unauthorized_client`)
/// and stays valid.
#[actix_web::test]
async fn an_app_cannot_revoke_the_tokens_of_others() {
    let node = TestNode::start().await;
    let alice = node.user("alice").await;
    let (mallory, other) = (register_app(&node).await, register_app(&node).await);
    let token: Value = client()
        .post(node.url("/oauth/token"))
        .form(&[
            ("grant_type", "password"),
            ("client_id", other.0.as_str()),
            ("client_secret", other.1.as_str()),
            ("username", "alice"),
            ("password", "a good password"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let others_token = token["access_token"].as_str().unwrap().to_owned();

    for victim in [alice.token.clone(), others_token.clone()] {
        let (status, body) = revoke(&node, &mallory, &victim).await;
        assert_eq!((status, body["error"].clone()), (403, json!("unauthorized_client")), "{body}");
        let (status, _) = alice.with_token(victim).get("/api/v1/accounts/verify_credentials").await;
        assert_eq!(status, 200, "the token is still valid");
    }
    let (status, _) = revoke(&node, &other, &others_token).await;
    assert_eq!(status, 200, "its own app revokes it");
    assert_eq!(alice.with_token(others_token).get("/api/v1/accounts/verify_credentials").await.0, 401);
}

/// A signed activity whose signer cannot be fetched is refused with 401
/// and a fixed message: what the fetch met (the HTTP client's error, the
/// URL, the federation library's hints) stays in the logs.
#[actix_web::test]
async fn a_peer_is_not_told_why_its_actor_could_not_be_fetched() {
    let node = TestNode::start().await;
    let pem = stranger_key();
    // Nothing listens on port 1 of this machine.
    let actor = "http://localhost:1/users/ghost";
    let activity = create_note(actor, "http://localhost:1/notes/1", "<p>Bonjour</p>");
    let url = node.url("/inbox");
    let body = activity.to_string();
    let key_id = format!("{actor}#main-key");
    let signing = Signing {
        key_id: &key_id,
        private_pem: &pem,
        date: std::time::SystemTime::now(),
        digest_name: "SHA-256",
    };
    let mut request = client().post(&url).body(body.clone());
    for (k, v) in signed_post_headers(&url, body.as_bytes(), &signing) {
        request = request.header(k, v);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status().as_u16(), 401);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer, json!({ "error": "cannot fetch the signer's key" }));
}

/// A server on 127.0.0.1 (or [::1]) answering every request with a 302 to
/// `location(port)`; returns its port.
fn redirecting_server(on: &str, location: impl Fn() -> String + Send + 'static) -> u16 {
    let listener = TcpListener::bind(on).unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            let reply = format!(
                "HTTP/1.1 302 Found\r\nLocation: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                location()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    port
}

fn target() -> FakeServer {
    FakeServer::start(|_| Reply {
        status: 200,
        content_type: "application/activity+json",
        body: "{}".into(),
        delay: Duration::ZERO,
    })
}

/// The federation client in production mode (the resolver refusing
/// private addresses) follows no redirect to an IP literal, a private or
/// loopback address, an `http` URL or an explicit port: the target gets no
/// request. The first URL here is an IP literal, which only the
/// federation library's own check refuses, so that a local server can
/// stand in for a remote one; each hop is what is under test. In debug
/// mode, as with a first URL, local peers are reachable.
#[actix_web::test]
async fn redirects_are_checked_like_the_first_url() {
    use maillage_apub::http::http_client;
    use maillage_service::policy::PolicyHandle;
    let urls = maillage_core::config::Config::default().local_urls();
    let production = http_client(&urls, false, PolicyHandle::permissive()).unwrap();
    let debug = http_client(&urls, true, PolicyHandle::permissive()).unwrap();

    let v4 = target();
    let v6_listener = TcpListener::bind("[::1]:0").unwrap();
    let v6_port = v6_listener.local_addr().unwrap().port();
    let v6_hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let hits = v6_hits.clone();
    std::thread::spawn(move || {
        for stream in v6_listener.incoming() {
            hits.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(stream);
        }
    });
    let (v4_port, hops) = (
        v4.port,
        [
            format!("http://127.0.0.1:{}/users/a", v4.port),
            format!("https://127.0.0.1:{}/users/a", v4.port),
            format!("http://[::1]:{v6_port}/users/a"),
            format!("http://localhost:{}/users/a", v4.port),
            // Refused by the resolver (`localhost` is 127.0.0.1). Private
            // ranges other than loopback are refused by the same rule as
            // 127.0.0.1 (`maillage_apub::http`'s unit tests): no test sends
            // traffic to them.
            "https://localhost/users/a".to_owned(),
        ],
    );
    for hop in hops {
        let to = hop.clone();
        let port = redirecting_server("127.0.0.1:0", move || to.clone());
        let first = format!("http://127.0.0.1:{port}/users/a");
        let answer = production.get(&first).send().await;
        assert!(answer.is_err(), "the redirect to {hop} was followed: {:?}", answer.map(|r| r.status()));
    }
    assert!(v4.recorded().is_empty(), "a refused hop reached its target: {:?}", v4.recorded());
    assert_eq!(v6_hits.load(std::sync::atomic::Ordering::SeqCst), 0, "a refused hop reached [::1]");

    let to = format!("http://127.0.0.1:{v4_port}/users/a");
    let port = redirecting_server("127.0.0.1:0", move || to.clone());
    let answer = debug.get(format!("http://127.0.0.1:{port}/users/a")).send().await.unwrap();
    assert_eq!(answer.status().as_u16(), 200, "debug mode follows a redirect to a local peer");
    assert_eq!(v4.recorded().len(), 1);

    // Past three redirects, even debug mode stops.
    let looping = redirecting_server("127.0.0.1:0", || String::from("/again"));
    assert!(debug.get(format!("http://127.0.0.1:{looping}/")).send().await.is_err());
}
