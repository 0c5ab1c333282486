//! Several complete nodes in one test process, each with its own port, its
//! own database and a `localhost:PORT` domain in federation debug mode,
//! driven through their real HTTP interfaces.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod fake_server;
pub mod signing;

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
            let created = accounts::create_by_admin(&mut conn, &urls, &new, Role::Member).unwrap();
            let token = tokens::issue_for_username(&mut conn, &name, "read write follow").unwrap().token;
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
