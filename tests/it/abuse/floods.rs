//! Floods limited in each process's memory: sign-ups per address (the page
//! and the API share the count), API writes per address with Mastodon's
//! `X-RateLimit-*` headers, `X-Forwarded-For` read only from a trusted
//! proxy, inbox deliveries per server.

use maillage_core::client_ip::IpRange;
use maillage_core::config::{Limit, TrustedProxy};
use maillage_core::time::Timestamp;
use serde_json::{json, Value};

use super::{base_of, client_from, retry_after, Visitor, ADDRESS_A, ADDRESS_B};
use crate::harness::TestNode;

fn header(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers().get(name).map(|v| v.to_str().unwrap().to_owned())
}

async fn sign_up_by_api(base: &str, from: std::net::IpAddr, token: &str, name: &str) -> reqwest::Response {
    client_from(from)
        .post(format!("{base}/api/v1/accounts"))
        .bearer_auth(token)
        .json(&json!({ "username": name, "email": format!("{name}@example.org"),
                       "password": "une phrase assez longue", "agreement": true, "locale": "fr" }))
        .send()
        .await
        .unwrap()
}

#[actix_web::test]
async fn sign_ups_are_limited_per_address_on_the_page_and_the_api() {
    let node = TestNode::start_with(|c| {
        c.registration.mode = maillage_core::account::RegistrationMode::Open;
        c.rate_limits.sign_up_per_ip = Limit::new(3, 60);
    })
    .await;
    let base = base_of(&node);
    let page = Visitor::open(&base, ADDRESS_A, "/signup").await;
    for name in ["ana", "ben", "cyd", "dan"] {
        let email = format!("{name}@example.org");
        let fields = [("username", name), ("email", email.as_str()), ("password", "une phrase assez longue")];
        let r = page.post("/signup", &fields, &[]).await;
        if name != "dan" {
            assert_eq!(r.status(), 303, "{name}");
            continue;
        }
        assert_eq!(r.status(), 429, "the fourth sign-up from one address");
        assert!(retry_after(&r) >= 1);
        let text = r.text().await.unwrap();
        assert!(text.contains("Réessayez dans"), "{text}");
    }

    // The API's door counts on the same bucket; another address has its own.
    let token = node.app_token("read write").await;
    let r = sign_up_by_api(&base, ADDRESS_A, &token, "eve").await;
    assert_eq!(r.status(), 429);
    assert!(retry_after(&r) >= 1);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({ "error": "Too many requests" }));
    let r = sign_up_by_api(&base, ADDRESS_B, &token, "fay").await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "x-ratelimit-limit").as_deref(), Some("3"));
    assert_eq!(header(&r, "x-ratelimit-remaining").as_deref(), Some("2"));
    let stored = node.with_db(|c| maillage_db::users::find_by_username(c, "dan").unwrap().is_some()).await;
    assert!(!stored, "a refused sign-up stores nothing");
}

async fn post_status(
    base: &str,
    from: std::net::IpAddr,
    token: &str,
    forwarded: Option<&str>,
) -> reqwest::Response {
    let mut request = client_from(from)
        .post(format!("{base}/api/v1/statuses"))
        .bearer_auth(token)
        .form(&[("status", "Bonjour")]);
    if let Some(f) = forwarded {
        request = request.header("X-Forwarded-For", f);
    }
    request.send().await.unwrap()
}

#[actix_web::test]
async fn api_writes_are_limited_per_address_with_mastodon_headers() {
    let node = TestNode::start_with(|c| c.rate_limits.api_writes_per_ip = Limit::new(4, 60)).await;
    let alice = node.user("alice").await;
    let base = base_of(&node);
    for remaining in ["3", "2", "1", "0"] {
        let r = post_status(&base, ADDRESS_A, &alice.token, None).await;
        assert_eq!(r.status(), 200);
        assert_eq!(header(&r, "x-ratelimit-limit").as_deref(), Some("4"));
        assert_eq!(header(&r, "x-ratelimit-remaining").as_deref(), Some(remaining));
        let reset = header(&r, "x-ratelimit-reset").unwrap();
        let reset = Timestamp::parse_rfc3339(&reset).unwrap_or_else(|| panic!("not ISO 8601: {reset}"));
        assert!(reset > Timestamp::now(), "the reset is to come");
    }
    for spoofed in [None, Some("198.51.100.7"), Some("198.51.100.8, 127.0.0.2")] {
        let r = post_status(&base, ADDRESS_A, &alice.token, spoofed).await;
        assert_eq!(r.status(), 429, "{spoofed:?}");
        assert!((1..=15).contains(&retry_after(&r)), "one write every 15 s");
        assert_eq!(header(&r, "x-ratelimit-remaining").as_deref(), Some("0"));
        assert_eq!(r.json::<Value>().await.unwrap(), json!({ "error": "Too many requests" }));
    }
    // Reads are not counted; another address has its own allowance.
    let r = client_from(ADDRESS_A)
        .get(format!("{base}/api/v1/timelines/home"))
        .bearer_auth(&alice.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(post_status(&base, ADDRESS_B, &alice.token, None).await.status(), 200);
}

#[actix_web::test]
async fn behind_a_trusted_proxy_the_client_it_names_counts() {
    let node = TestNode::start_with(|c| {
        c.rate_limits.trusted_proxies = vec![TrustedProxy(IpRange::parse("127.0.0.1").unwrap())];
        c.rate_limits.api_writes_per_ip = Limit::new(2, 60);
    })
    .await;
    let alice = node.user("alice").await;
    let base = base_of(&node);
    let via_proxy = |forwarded: &'static str| post_status(&base, ADDRESS_A, &alice.token, Some(forwarded));
    assert_eq!(via_proxy("203.0.113.1").await.status(), 200);
    assert_eq!(via_proxy("203.0.113.1").await.status(), 200);
    assert_eq!(via_proxy("203.0.113.1").await.status(), 429);
    // The client wrote the first hop itself; the proxy appended the real one.
    assert_eq!(via_proxy("6.6.6.6, 203.0.113.1").await.status(), 429);
    assert_eq!(via_proxy("203.0.113.2").await.status(), 200, "another client behind the proxy");
    // An address that is not the proxy is counted as itself.
    for forwarded in ["203.0.113.3", "203.0.113.4"] {
        assert_eq!(post_status(&base, ADDRESS_B, &alice.token, Some(forwarded)).await.status(), 200);
    }
    assert_eq!(post_status(&base, ADDRESS_B, &alice.token, Some("203.0.113.5")).await.status(), 429);
}

async fn deliver(base: &str, key_host: &str) -> reqwest::Response {
    let signature = format!(
        r#"keyId="https://{key_host}/users/a#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="AAAA""#
    );
    client_from(ADDRESS_A)
        .post(format!("{base}/inbox"))
        .header("Content-Type", "application/activity+json")
        .header("Signature", signature)
        .body("{}")
        .send()
        .await
        .unwrap()
}

#[actix_web::test]
async fn inbox_deliveries_are_limited_per_server() {
    let node = TestNode::start_with(|c| c.rate_limits.inbox_per_host = Limit::new(2, 60)).await;
    let base = base_of(&node);
    for _ in 0..2 {
        let status = deliver(&base, "busy.example").await.status();
        assert!(status.is_client_error() && status != 429, "{status}");
    }
    let r = deliver(&base, "busy.example").await;
    assert_eq!(r.status(), 429);
    assert!(retry_after(&r) >= 1);
    assert_eq!(header(&r, "x-ratelimit-limit").as_deref(), Some("2"));
    let status = deliver(&base, "quiet.example").await.status();
    assert_ne!(status, 429, "each server has its own allowance");
}
