//! Guessing and flooding, tried as an attacker would: failed log-ins on
//! the page and on `/oauth/token` limited per address and per account
//! (429 with `Retry-After`), the right password refused while limited and
//! accepted once the window has passed, the count shared by two processes
//! of one node; sign-ups, API writes and inbox deliveries limited in
//! memory (`floods`); the address after log-in kept on this site
//! (`redirects`). Clients bind 127.0.0.1 and 127.0.0.2 to be two
//! addresses; every node here sets real, low limits.

mod floods;
mod redirects;

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use crate::harness;

use harness::form_browser::csrf_of;
use harness::TestNode;
use maillage_core::config::Limit;
use serde_json::Value;

pub const ADDRESS_A: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1));
pub const ADDRESS_B: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
pub const PASSWORD: &str = "a good password";

/// A client speaking from `address`, following no redirect.
pub fn client_from(address: IpAddr) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(address)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// `node`'s address by IP, so that clients bound to 127.0.0.x reach it.
pub fn base_of(node: &TestNode) -> String {
    format!("http://127.0.0.1:{}", node.port)
}

/// A browser at `address` with the log-in page's CSRF token and cookie.
pub struct Visitor {
    pub http: reqwest::Client,
    pub base: String,
    pub cookie: String,
    pub csrf: String,
}

impl Visitor {
    pub async fn open(base: &str, address: IpAddr, path: &str) -> Visitor {
        let http = client_from(address);
        let r = http.get(format!("{base}{path}")).send().await.unwrap();
        let cookie = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned))
            .collect::<Vec<_>>()
            .join("; ");
        let csrf = csrf_of(&r.text().await.unwrap());
        Visitor { http, base: base.to_owned(), cookie, csrf }
    }

    pub async fn post(
        &self,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut fields = vec![("csrf", self.csrf.as_str())];
        fields.extend_from_slice(form);
        let mut request =
            self.http.post(format!("{}{path}", self.base)).header("Cookie", &self.cookie).form(&fields);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        request.send().await.unwrap()
    }

    pub async fn log_in(&self, login: &str, password: &str) -> reqwest::Response {
        self.post("/login", &[("login", login), ("password", password)], &[]).await
    }
}

fn retry_after(r: &reqwest::Response) -> u64 {
    r.headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok()?.parse().ok())
        .unwrap_or_else(|| panic!("no Retry-After: {:?}", r.headers()))
}

fn opens_a_session(r: &reqwest::Response) -> bool {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|c| c.to_str().ok())
        .any(|c| c.starts_with("maillage_session=") && !c.starts_with("maillage_session=;"))
}

/// Waits `secs` seconds and a little more.
async fn wait(secs: u64) {
    tokio::time::sleep(Duration::from_millis(secs * 1000 + 200)).await;
}

#[actix_web::test]
async fn failed_log_ins_on_the_page_are_limited_per_address_then_forgiven() {
    let node = TestNode::start_with(|c| c.rate_limits.login_per_ip = Limit::new(3, 2)).await;
    node.user("alice").await;
    node.user("bruno").await;
    let base = base_of(&node);
    let page = Visitor::open(&base, ADDRESS_A, "/login").await;
    // A header naming another client changes nothing: no proxy is trusted.
    for spoofed in ["198.51.100.1", "198.51.100.2", "198.51.100.3"] {
        let r = page
            .post("/login", &[("login", "alice"), ("password", "guess")], &[("X-Forwarded-For", spoofed)])
            .await;
        assert_eq!(r.status(), 401, "a wrong password is 401");
        assert!(r.text().await.unwrap().contains(r#"id="e-password""#));
    }
    let r = page
        .post("/login", &[("login", "alice"), ("password", PASSWORD)], &[("X-Forwarded-For", "198.51.100.4")])
        .await;
    assert_eq!(r.status(), 429, "the right password, while limited");
    assert!(!opens_a_session(&r));
    let wait_secs = retry_after(&r);
    assert!((1..=2).contains(&wait_secs), "{wait_secs}");
    let text = r.text().await.unwrap();
    assert!(text.contains("Réessayez dans") && text.contains(r#"id="f-login""#), "{text}");
    // The address is limited, whoever it names; another address is not.
    assert_eq!(page.log_in("bruno", PASSWORD).await.status(), 429);
    let elsewhere = Visitor::open(&base, ADDRESS_B, "/login").await;
    let r = elsewhere
        .post("/login", &[("login", "bruno"), ("password", "guess")], &[("Accept-Language", "en")])
        .await;
    assert_eq!(r.status(), 401);
    assert!(r.text().await.unwrap().contains("Wrong login or password"));

    wait(wait_secs).await;
    let r = page.log_in("alice", PASSWORD).await;
    assert_eq!(r.status(), 303, "the window has passed");
    assert!(opens_a_session(&r));
}

#[actix_web::test]
async fn failed_log_ins_on_one_account_are_limited_from_every_address() {
    let node = TestNode::start_with(|c| c.rate_limits.login_per_account = Limit::new(3, 2)).await;
    node.user("alice").await;
    node.user("bruno").await;
    let base = base_of(&node);
    let a = Visitor::open(&base, ADDRESS_A, "/login").await;
    for login in ["alice", "ALICE", "alice@example.org"] {
        assert_eq!(a.log_in(login, "guess").await.status(), 401, "{login}");
    }
    let b = Visitor::open(&base, ADDRESS_B, "/login").await;
    let r = b.log_in("alice@example.org", PASSWORD).await;
    assert_eq!(r.status(), 429, "the account is limited, from anywhere");
    let wait_secs = retry_after(&r);
    // A name nobody holds is limited alike, and others log in.
    for _ in 0..3 {
        assert_eq!(a.log_in("nobody", "guess").await.status(), 401);
    }
    assert_eq!(a.log_in("nobody", "guess").await.status(), 429);
    assert_eq!(a.log_in("bruno", PASSWORD).await.status(), 303);

    wait(wait_secs).await;
    assert_eq!(b.log_in("alice", PASSWORD).await.status(), 303, "not locked out for good");
}

/// An app and its credentials.
async fn app(base: &str) -> (String, String) {
    let app: Value = client_from(ADDRESS_A)
        .post(format!("{base}/api/v1/apps"))
        .json(&serde_json::json!({ "client_name": "guesser", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (app["client_id"].as_str().unwrap().to_owned(), app["client_secret"].as_str().unwrap().to_owned())
}

async fn grant(base: &str, app: &(String, String), username: &str, password: &str) -> reqwest::Response {
    client_from(ADDRESS_A)
        .post(format!("{base}/oauth/token"))
        .form(&[
            ("grant_type", "password"),
            ("client_id", &app.0),
            ("client_secret", &app.1),
            ("username", username),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
}

#[actix_web::test]
async fn failed_password_grants_are_limited_then_forgiven() {
    let node = TestNode::start_with(|c| c.rate_limits.login_per_ip = Limit::new(3, 2)).await;
    node.user("alice").await;
    let base = base_of(&node);
    let app = app(&base).await;
    for _ in 0..3 {
        let r = grant(&base, &app, "alice", "guess").await;
        assert_eq!(r.status(), 400);
        assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_grant");
    }
    let r = grant(&base, &app, "alice", PASSWORD).await;
    assert_eq!(r.status(), 429, "the right password, while limited");
    let wait_secs = retry_after(&r);
    assert!((1..=2).contains(&wait_secs), "{wait_secs}");
    let header = |name: &str| r.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(header("x-ratelimit-limit").as_deref(), Some("3"));
    assert_eq!(header("x-ratelimit-remaining").as_deref(), Some("0"));
    let reset = header("x-ratelimit-reset").unwrap();
    assert!(maillage_core::time::Timestamp::parse_rfc3339(&reset).is_some(), "{reset}");
    assert_eq!(r.json::<Value>().await.unwrap(), serde_json::json!({ "error": "Too many requests" }));

    wait(wait_secs).await;
    let r = grant(&base, &app, "alice", PASSWORD).await;
    assert_eq!(r.status(), 200, "the window has passed");
}

#[actix_web::test]
async fn two_processes_of_a_node_count_failures_together() {
    let node = TestNode::start_with(|c| c.rate_limits.login_per_ip = Limit::new(3, 60)).await;
    node.user("alice").await;
    let second = node.second_process().await;
    let first = base_of(&node);
    let app = app(&first).await;
    assert_eq!(grant(&first, &app, "alice", "guess").await.status(), 400);
    assert_eq!(grant(&second.base, &app, "alice", "guess").await.status(), 400);
    assert_eq!(grant(&first, &app, "alice", "guess").await.status(), 400);
    assert_eq!(grant(&second.base, &app, "alice", PASSWORD).await.status(), 429, "three failures in all");
    assert_eq!(grant(&first, &app, "alice", PASSWORD).await.status(), 429);
    // The page of either process counts the same tries.
    let page = Visitor::open(&second.base, ADDRESS_A, "/login").await;
    assert_eq!(page.log_in("alice", PASSWORD).await.status(), 429);
}
