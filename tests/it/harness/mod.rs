//! Several complete nodes in one test process, each with its own port, its
//! own database and a `localhost:PORT` domain in federation debug mode,
//! driven through their real HTTP interfaces.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod fake_server;
pub mod form_browser;
pub mod signing;
pub mod smtp;
pub mod webdriver;

use std::future::Future;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use actix_web::dev::ServerHandle;
use maillage::server;
use maillage_core::account::Role;
use maillage_core::config::Config;
use maillage_db::DbPool;
use maillage_service::accounts::{self, NewAccount};
use maillage_service::tokens;
use maillage_test_support::TestDb;
use serde_json::Value;

pub struct TestNode {
    pub db: TestDb,
    pub pool: DbPool,
    pub port: u16,
    pub domain: String,
    pub base: String,
    pub config: Config,
    handle: Option<ServerHandle>,
    task: Option<tokio::task::JoinHandle<()>>,
    /// The node's media folder, removed with the node.
    pub media_dir: std::sync::Arc<tempfile::TempDir>,
}

pub fn node_config(port: u16, db: &TestDb) -> Config {
    let mut config = Config::default();
    config.instance.domain = format!("localhost:{port}");
    config.http.bind = format!("127.0.0.1:{port}");
    config.http.workers = 1;
    config.http.shutdown_timeout_secs = 1;
    config.database.url = db.url_string();
    config.federation.debug = true;
    config.federation.retry_base_secs = 1;
    config.federation.retry_max_delay_secs = 2;
    config.territory.name = format!("Territoire {port}");
    // Every test talks from 127.0.0.1: the limits would count them all as
    // one client. The tests of the limits set their own (`abuse`).
    let generous = maillage_core::config::Limit::new(1_000_000, 1);
    let limits = &mut config.rate_limits;
    (limits.login_per_ip, limits.login_per_account, limits.sign_up_per_ip) = (generous, generous, generous);
    (limits.api_writes_per_ip, limits.inbox_per_host) = (generous, generous);
    limits.password_reset_per_ip = generous;
    config
}

impl TestNode {
    pub async fn start() -> TestNode {
        Self::start_with(|_| {}).await
    }

    /// Starts a node after `tweak` has changed its configuration.
    pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> TestNode {
        if std::env::var("RUST_LOG").is_ok() {
            let _ = tracing_subscriber::fmt().with_test_writer().try_init();
        }
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let db = TestDb::new();
        let pool = db.pool();
        let mut config = node_config(port, &db);
        let media_dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
        config.media.path = media_dir.path().display().to_string();
        tweak(&mut config);
        let mut node = TestNode {
            pool,
            port,
            domain: format!("localhost:{port}"),
            base: format!("http://localhost:{port}"),
            config,
            db,
            handle: None,
            task: None,
            media_dir,
        };
        node.run(listener).await;
        node
    }

    async fn run(&mut self, listener: TcpListener) {
        let running = server::start(self.config.clone(), self.pool.clone(), Some(listener)).await.unwrap();
        self.handle = Some(running.handle());
        self.task = Some(tokio::spawn(async move {
            let _ = running.wait().await;
        }));
    }

    /// Stops the node gracefully; its database stays.
    pub async fn stop(&mut self) {
        if let Some(h) = self.handle.take() {
            h.stop(true).await;
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }

    /// Starts the node again on the same port and database.
    pub async fn restart(&mut self) {
        self.stop().await;
        let deadline = Instant::now() + Duration::from_secs(10);
        let listener = loop {
            match TcpListener::bind(("127.0.0.1", self.port)) {
                Ok(l) => break l,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                Err(e) => panic!("cannot rebind port {}: {e}", self.port),
            }
        };
        self.run(listener).await;
    }

    /// A local account and a bearer token for it.
    pub async fn user(&self, name: &str) -> TestUser {
        self.user_with(name, Role::Member, "read write follow").await
    }

    /// An admin account whose token holds every admin scope.
    pub async fn admin(&self, name: &str) -> TestUser {
        self.user_with(name, Role::Admin, "read write follow admin:read admin:write").await
    }

    /// A second server process of this node: the same database and domain,
    /// its own port and its own policy snapshot (as with several
    /// `maillage serve` sharing one PostgreSQL).
    pub async fn second_process(&self) -> SecondProcess {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut config = self.config.clone();
        config.http.bind = format!("127.0.0.1:{port}");
        let running = server::start(config, self.pool.clone(), Some(listener)).await.unwrap();
        let handle = running.handle();
        tokio::spawn(async move {
            let _ = running.wait().await;
        });
        SecondProcess { base: format!("http://127.0.0.1:{port}"), handle }
    }

    async fn user_with(&self, name: &str, role: Role, scopes: &'static str) -> TestUser {
        let pool = self.pool.clone();
        let urls = self.config.local_urls();
        let name = name.to_owned();
        let (token, id) = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().unwrap();
            let email = format!("{name}@example.org");
            let new = NewAccount {
                username: &name,
                email: &email,
                password: Some("a good password"),
                ..Default::default()
            };
            let created = accounts::create_by_admin(&mut conn, &urls, &new, role).unwrap();
            let token = tokens::issue_for_username(&mut conn, &name, scopes).unwrap().token;
            let actor = maillage_service::actors::actor_of_user(&mut conn, created.user.id).unwrap();
            (token, actor.id.to_string())
        })
        .await
        .unwrap();
        TestUser { token, account_id: id, base: self.base.clone() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Another token of an existing account, with only `scopes`.
    pub async fn token_with_scopes(&self, name: &str, scopes: &'static str) -> String {
        let pool = self.pool.clone();
        let name = name.to_owned();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().unwrap();
            tokens::issue_for_username(&mut conn, &name, scopes).unwrap().token
        })
        .await
        .unwrap()
    }

    /// An app's own token (client credentials: nobody signed in).
    pub async fn app_token(&self, scopes: &str) -> String {
        let app: Value = client()
            .post(self.url("/api/v1/apps"))
            .json(&serde_json::json!({ "client_name": "test app", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": scopes }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token: Value = client()
            .post(self.url("/oauth/token"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", app["client_id"].as_str().unwrap()),
                ("client_secret", app["client_secret"].as_str().unwrap()),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        token["access_token"].as_str().unwrap().to_owned()
    }

    /// Runs blocking database code against this node's database.
    pub async fn with_db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut maillage_db::DbConnection) -> T + Send + 'static,
    ) -> T {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || f(&mut pool.get().unwrap())).await.unwrap()
    }
}

impl Drop for TestNode {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            drop(h.stop(false));
        }
    }
}

/// Another server process of a node; stopped when dropped.
pub struct SecondProcess {
    pub base: String,
    handle: ServerHandle,
}

impl SecondProcess {
    /// `user`'s token, sent to this process instead.
    pub fn as_user(&self, user: &TestUser) -> TestUser {
        TestUser { token: user.token.clone(), account_id: user.account_id.clone(), base: self.base.clone() }
    }
}

impl Drop for SecondProcess {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

#[derive(Clone)]
pub struct TestUser {
    pub token: String,
    pub account_id: String,
    base: String,
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap()
}

impl TestUser {
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The same account with another token.
    pub fn with_token(&self, token: String) -> TestUser {
        TestUser { token, ..self.clone() }
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = client().get(format!("{}{path}", self.base)).bearer_auth(&self.token).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
        let r = client()
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .form(form)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn json(&self, method: reqwest::Method, path: &str, body: &Value) -> (u16, Value) {
        let r = client()
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Publishes a public offer at `(lat, lon)`; returns the listing.
    pub async fn offer(&self, title: &str, lat: f64, lon: f64) -> Value {
        let body = serde_json::json!({
            "kind": "offer", "category": "goods", "title": title,
            "description": format!("{title}, à donner."),
            "place": { "name": "Ici", "lat": lat, "lon": lon }, "radius_km": 10.0,
            "terms": { "mode": "gift" }, "visibility": "public"
        });
        let (status, listing) = self.json(reqwest::Method::POST, "/api/v1/listings", &body).await;
        assert_eq!(status, 200, "{listing}");
        listing
    }

    /// Whether this user's node holds the remote listing `uri`.
    pub async fn sees_remote_listing(&self, uri: &str) -> bool {
        let (status, list) = self.get("/api/v1/listings?origin=remote&limit=40").await;
        assert_eq!(status, 200, "{list}");
        list.as_array().into_iter().flatten().any(|l| l["uri"] == uri)
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = client().get(format!("{}{path}", self.base)).bearer_auth(&self.token).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.text().await.unwrap_or_default())
    }

    /// POSTs a raw body with its content type.
    pub async fn post_body(&self, path: &str, content_type: &str, body: &str) -> (u16, Value) {
        let r = client()
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("Content-Type", content_type)
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn send(&self, method: reqwest::Method, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
        let r = client()
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .form(form)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Resolves `handle` on this user's node; returns the local account id.
    pub async fn resolve(&self, handle: &str) -> String {
        let (status, body) = self.get(&format!("/api/v2/search?q={handle}&resolve=true&type=accounts")).await;
        assert_eq!(status, 200, "{body}");
        body["accounts"][0]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{handle} not resolved: {body}"))
            .to_owned()
    }

    pub async fn follow(&self, handle: &str) -> String {
        let id = self.resolve(handle).await;
        let (status, body) = self.post(&format!("/api/v1/accounts/{id}/follow"), &[]).await;
        assert_eq!(status, 200, "{body}");
        id
    }

    /// Follows `handle` and waits until the follow is accepted; returns the
    /// account id on this user's node.
    pub async fn follow_accepted(&self, handle: &str) -> String {
        let id = self.follow(handle).await;
        eventually(30, &format!("the follow of {handle} accepted"), || async {
            let (_, rel) = self.get(&format!("/api/v1/accounts/relationships?id[]={id}")).await;
            (rel[0]["following"] == true).then_some(())
        })
        .await;
        id
    }

    pub async fn post_status(&self, text: &str) -> Value {
        let (status, body) = self.post("/api/v1/statuses", &[("status", text)]).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// Waits until this account has `count` followers.
    pub async fn wait_followers(&self, count: u64) {
        eventually(30, &format!("{count} followers"), || async {
            let (_, me) = self.get("/api/v1/accounts/verify_credentials").await;
            (me["followers_count"] == count).then_some(())
        })
        .await;
    }

    pub async fn home(&self) -> Vec<Value> {
        let (status, body) = self.get("/api/v1/timelines/home").await;
        assert_eq!(status, 200, "{body}");
        body.as_array().cloned().unwrap_or_default()
    }
}

/// Polls `check` until it returns `Some`, or fails after `secs` seconds.
pub async fn eventually<T, F, Fut>(secs: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Whether a timeline holds a status with this object URI.
pub fn has_uri(timeline: &[Value], uri: &str) -> bool {
    timeline.iter().any(|s| s["uri"] == uri)
}

/// POSTs `activity` to `target`'s shared inbox, signed with the key of
/// `username`, a local actor of `from`: what `from` itself would send.
/// Returns the status `target` answered.
pub async fn send_signed(from: &TestNode, username: &str, target: &TestNode, activity: &Value) -> u16 {
    let name = username.to_owned();
    let (ap_id, pem) = from
        .with_db(move |c| {
            let row = maillage_db::actors::find_local_by_username(c, &name).unwrap().unwrap();
            (row.ap_id, row.private_key_pem.unwrap())
        })
        .await;
    let url = target.url("/inbox");
    let body = activity.to_string();
    let key_id = format!("{ap_id}#main-key");
    let signing = signing::Signing {
        key_id: &key_id,
        private_pem: &pem,
        date: std::time::SystemTime::now(),
        digest_name: "SHA-256",
    };
    let mut request = client().post(&url).body(body.clone());
    for (k, v) in signing::signed_post_headers(&url, body.as_bytes(), &signing) {
        request = request.header(k, v);
    }
    request.send().await.unwrap().status().as_u16()
}

/// GET of `url` signed by `from`'s instance actor, as `from` fetches
/// objects; `accept` is the Accept header. Returns the status and body.
pub async fn signed_get(from: &TestNode, url: &str, accept: &str) -> (u16, String) {
    let instance = from.url("/actor");
    let pem = from
        .with_db(move |c| {
            maillage_db::actors::find_by_ap_id(c, &instance).unwrap().unwrap().private_key_pem.unwrap()
        })
        .await;
    let key_id = format!("{}#main-key", from.url("/actor"));
    let signing = signing::Signing {
        key_id: &key_id,
        private_pem: &pem,
        date: std::time::SystemTime::now(),
        digest_name: "SHA-256",
    };
    let mut request = client().get(url).header("Accept", accept);
    for (k, v) in signing::signed_get_headers(url, &signing) {
        request = request.header(k, v);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// A public `Create(Note)` by `actor`, as a peer would send it.
pub fn create_note(actor: &str, id: &str, content: &str) -> Value {
    serde_json::json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{id}/activity"),
        "type": "Create",
        "actor": actor,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": { "id": id, "type": "Note", "attributedTo": actor, "content": content,
                    "to": ["https://www.w3.org/ns/activitystreams#Public"], "published": "2026-12-01T10:00:00Z" }
    })
}

/// Whether `node` stores the post `ap_id` (and has not deleted it).
pub async fn stores_post(node: &TestNode, ap_id: &str) -> bool {
    let id = ap_id.to_owned();
    node.with_db(move |c| maillage_db::posts::find_by_ap_id(c, &id).unwrap().is_some_and(|p| !p.is_deleted()))
        .await
}

/// Waits until `node` has nothing left waiting in its delivery queue.
pub async fn wait_queue_drained(node: &TestNode) {
    eventually(30, "the delivery queue drained", || async {
        let pending = node
            .with_db(|c| {
                use diesel::prelude::*;
                use maillage_db::schema::deliveries;
                deliveries::table
                    .filter(deliveries::state.eq(maillage_db::deliveries::PENDING))
                    .count()
                    .get_result::<i64>(c)
                    .unwrap()
            })
            .await;
        (pending == 0).then_some(())
    })
    .await;
}

/// Links the territories of `a` and `b` through their admins' API (a
/// proposes, b approves) and waits until both see the link active.
pub async fn link_territories(a: &TestNode, admin_a: &TestUser, b: &TestNode, admin_b: &TestUser) {
    let (status, body) = admin_a.post("/api/v1/admin/territory/links", &[("domain", &b.domain)]).await;
    assert_eq!(status, 200, "{body}");
    let link_state = |user: &TestUser, partner: String| {
        let user = user.clone();
        async move {
            let (_, links) = user.get("/api/v1/territory/links").await;
            links
                .as_array()
                .into_iter()
                .flatten()
                .find(|l| l["partner"]["domain"] == partner.as_str())
                .map(|l| l["state"].as_str().unwrap_or("").to_owned())
        }
    };
    eventually(30, "the link requested on b", || async {
        (link_state(admin_b, a.domain.clone()).await.as_deref() == Some("requested")).then_some(())
    })
    .await;
    let (status, body) =
        admin_b.post(&format!("/api/v1/admin/territory/links/{}/approve", a.domain), &[]).await;
    assert_eq!(status, 200, "{body}");
    eventually(30, "the link active on both sides", || async {
        let on_a = link_state(admin_a, b.domain.clone()).await;
        let on_b = link_state(admin_b, a.domain.clone()).await;
        (on_a.as_deref() == Some("active") && on_b.as_deref() == Some("active")).then_some(())
    })
    .await;
}

impl TestUser {
    /// Publishes a listing from its JSON; returns the listing.
    pub async fn listing(&self, body: &Value) -> Value {
        let (status, listing) = self.json(reqwest::Method::POST, "/api/v1/listings", body).await;
        assert_eq!(status, 200, "{listing}");
        listing
    }

    /// This user's matches (reasons in English).
    pub async fn matches(&self) -> Vec<Value> {
        let (status, list) = self.get("/api/v1/matches?lang=en").await;
        assert_eq!(status, 200, "{list}");
        list.as_array().cloned().unwrap_or_default()
    }
}
