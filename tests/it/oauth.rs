//! OAuth 2 as Mastodon apps use it: registering an app, the password,
//! client-credentials and authorization-code (PKCE) grants, the login and
//! consent page, revocation, and the metadata; with the errors apps get.

use crate::harness;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use harness::form_browser::{csrf_of, FormBrowser};
use harness::{client, TestNode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

async fn post_form(node: &TestNode, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let r = client().post(node.url(path)).form(form).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn register(node: &TestNode, redirect: &str, scopes: &str) -> Value {
    let r = client()
        .post(node.url("/api/v1/apps"))
        .json(&json!({ "client_name": "Tusky test", "redirect_uris": redirect, "scopes": scopes, "website": "https://tusky.app" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    r.json().await.unwrap()
}

async fn bearer_get(node: &TestNode, path: &str, token: &str) -> (u16, Value) {
    let r = client().get(node.url(path)).bearer_auth(token).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[actix_web::test]
async fn an_app_registers_and_logs_in_with_a_password() {
    let a = TestNode::start().await;
    a.user("alice").await;
    let app = register(&a, "urn:ietf:wg:oauth:2.0:oob", "read write follow push").await;
    let (id, secret) = (app["client_id"].as_str().unwrap(), app["client_secret"].as_str().unwrap());
    assert_eq!(app["name"], "Tusky test");
    assert_eq!(app["redirect_uris"], json!(["urn:ietf:wg:oauth:2.0:oob"]));

    for login in ["alice@example.org", "ALICE"] {
        let (status, token) = post_form(
            &a,
            "/oauth/token",
            &[
                ("grant_type", "password"),
                ("client_id", id),
                ("client_secret", secret),
                ("username", login),
                ("password", "a good password"),
                ("scope", "read write"),
            ],
        )
        .await;
        assert_eq!(status, 200, "{login}: {token}");
        assert_eq!(token["token_type"], "Bearer");
        assert_eq!(token["scope"], "read write");
        assert!(token["created_at"].as_i64().unwrap() > 1_700_000_000);
        let (status, me) =
            bearer_get(&a, "/api/v1/accounts/verify_credentials", token["access_token"].as_str().unwrap())
                .await;
        assert_eq!((status, me["username"].clone()), (200, json!("alice")));
    }
    let (status, token) = client()
        .post(a.url("/oauth/token"))
        .json(&json!({ "grant_type": "password", "client_id": id, "client_secret": secret, "username": "alice", "password": "a good password" }))
        .send()
        .await
        .map(|r| (r.status().as_u16(), r))
        .unwrap();
    assert_eq!(status, 200, "a JSON body works too");
    let token: Value = token.json().await.unwrap();
    assert_eq!(token["scope"], "follow push read write", "the app's scopes when none are asked");
    let access = token["access_token"].as_str().unwrap().to_owned();
    let (status, seen) = bearer_get(&a, "/api/v1/apps/verify_credentials", &access).await;
    assert_eq!((status, seen["name"].clone()), (200, json!("Tusky test")));
    assert!(seen.get("client_secret").is_none(), "the secret is shown once");

    let (status, e) = post_form(
        &a,
        "/oauth/token",
        &[
            ("grant_type", "password"),
            ("client_id", id),
            ("client_secret", secret),
            ("username", "alice"),
            ("password", "wrong"),
        ],
    )
    .await;
    assert_eq!((status, e["error"].clone()), (400, json!("invalid_grant")), "{e}");
    let (status, e) = post_form(
        &a,
        "/oauth/token",
        &[
            ("grant_type", "password"),
            ("client_id", id),
            ("client_secret", "nope"),
            ("username", "alice"),
            ("password", "a good password"),
        ],
    )
    .await;
    assert_eq!((status, e["error"].clone()), (401, json!("invalid_client")));
    let (status, e) = post_form(
        &a,
        "/oauth/token",
        &[
            ("grant_type", "password"),
            ("client_id", id),
            ("client_secret", secret),
            ("username", "alice"),
            ("password", "a good password"),
            ("scope", "admin:write"),
        ],
    )
    .await;
    assert_eq!((status, e["error"].clone()), (400, json!("invalid_scope")), "beyond the app's scopes");
    let (status, e) = post_form(
        &a,
        "/oauth/token",
        &[("grant_type", "magic"), ("client_id", id), ("client_secret", secret)],
    )
    .await;
    assert_eq!((status, e["error"].clone()), (400, json!("unsupported_grant_type")));
    let (status, e) = post_form(
        &a,
        "/oauth/token",
        &[("grant_type", "password"), ("client_id", id), ("client_secret", secret)],
    )
    .await;
    assert_eq!((status, e["error"].clone()), (400, json!("invalid_request")));
    let (status, e) = post_form(&a, "/oauth/token", &[("grant_type", "password")]).await;
    assert_eq!((status, e["error"].clone()), (400, json!("invalid_request")), "no client at all");

    // The app's own token: it names the app, not a person.
    let (status, own) = post_form(
        &a,
        "/oauth/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
            ("scope", "read"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{own}");
    let own = own["access_token"].as_str().unwrap();
    assert_eq!(bearer_get(&a, "/api/v1/apps/verify_credentials", own).await.0, 200);
    assert_eq!(
        bearer_get(&a, "/api/v1/accounts/verify_credentials", own).await.0,
        403,
        "no person behind it"
    );

    // Revoking: the token stops working; another app cannot revoke it.
    let other = register(&a, "https://elk.example/callback", "read").await;
    let (status, e) = post_form(
        &a,
        "/oauth/revoke",
        &[
            ("client_id", other["client_id"].as_str().unwrap()),
            ("client_secret", other["client_secret"].as_str().unwrap()),
            ("token", &access),
        ],
    )
    .await;
    assert_eq!((status, e["error"].clone()), (403, json!("unauthorized_client")), "{e}");
    assert_eq!(bearer_get(&a, "/api/v1/accounts/verify_credentials", &access).await.0, 200);
    let (status, _) =
        post_form(&a, "/oauth/revoke", &[("client_id", id), ("client_secret", secret), ("token", &access)])
            .await;
    assert_eq!(status, 200);
    let (status, e) = bearer_get(&a, "/api/v1/accounts/verify_credentials", &access).await;
    assert_eq!(status, 401, "{e}");
    assert_eq!(bearer_get(&a, "/api/v1/apps/verify_credentials", &access).await.0, 401);
    let (status, _) =
        post_form(&a, "/oauth/revoke", &[("client_id", id), ("client_secret", secret), ("token", "unknown")])
            .await;
    assert_eq!(status, 200, "an unknown token revokes fine (RFC 7009)");
}

#[actix_web::test]
async fn a_bad_app_registration_is_refused_with_the_field() {
    let a = TestNode::start().await;
    for (body, field) in [
        (json!({ "redirect_uris": "urn:ietf:wg:oauth:2.0:oob" }), "client_name"),
        (json!({ "client_name": "x" }), "redirect_uris"),
        (json!({ "client_name": "x", "redirect_uris": "not a uri" }), "redirect_uris"),
        (json!({ "client_name": "x", "redirect_uris": "https://a.example/cb#frag" }), "redirect_uris"),
        (
            json!({ "client_name": "x", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read telepathy" }),
            "scopes",
        ),
        (json!({ "client_name": "", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob" }), "client_name"),
        (json!({ "client_name": 5, "redirect_uris": "urn:ietf:wg:oauth:2.0:oob" }), "client_name"),
    ] {
        let r = client().post(a.url("/api/v1/apps")).json(&body).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 422, "{body}");
        let e: Value = r.json().await.unwrap();
        assert!(e["error"].as_str().unwrap().contains(field), "{field}: {e}");
    }
    let r = client()
        .post(a.url("/api/v1/apps"))
        .form(&[
            ("client_name", "toot"),
            ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
            ("scopes", "read write"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200, "a form body works too");
    let r = client()
        .post(a.url("/api/v1/apps"))
        .json(&json!({ "client_name": "Elk", "redirect_uris": ["https://elk.zone/cb", "elk://cb"] }))
        .send()
        .await
        .unwrap();
    let app: Value = r.json().await.unwrap();
    assert_eq!(app["redirect_uris"], json!(["https://elk.zone/cb", "elk://cb"]));
    assert_eq!(app["scopes"], json!(["read"]), "read when none are asked");
    assert_eq!(bearer_get(&a, "/api/v1/apps/verify_credentials", "nope").await.0, 401);
    assert_eq!(
        client().get(a.url("/api/v1/apps/verify_credentials")).send().await.unwrap().status().as_u16(),
        401
    );
}

#[actix_web::test]
async fn the_authorization_code_flow_with_pkce_goes_through_the_login_page() {
    let a = TestNode::start().await;
    a.user("alice").await;
    let redirect = "https://elk.example/callback";
    let app = register(&a, &format!("{redirect} urn:ietf:wg:oauth:2.0:oob"), "read write").await;
    let (id, secret) =
        (app["client_id"].as_str().unwrap().to_owned(), app["client_secret"].as_str().unwrap().to_owned());
    let verifier = "a-verifier-of-enough-length-0123456789-abcdefghij";
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let query = [
        ("response_type", "code"),
        ("client_id", id.as_str()),
        ("redirect_uri", redirect),
        ("scope", "read"),
        ("state", "xyz"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let mut browser = FormBrowser::new();
    let page_url = url::Url::parse_with_params(&a.url("/oauth/authorize"), query).unwrap().to_string();
    let r = client().get(&page_url).header("Accept-Language", "fr-FR,fr;q=0.9").send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
    let (status, page) = browser.get(format!("{page_url}&lang=fr")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Autoriser Tusky test") && page.contains(r#"<label for="f-login">"#), "{page}");
    assert!(page.contains(r#"name="code_challenge""#), "the request travels with the form");
    let csrf = csrf_of(&page);

    let mut form: Vec<(&str, &str)> = query.to_vec();
    form.extend([("login", "alice"), ("password", "wrong")]);
    let (status, _, _) = browser.post_to(a.url("/oauth/authorize"), &form).await;
    assert_eq!(status, 403, "no CSRF token");
    form.push(("csrf", &csrf));
    let (status, _, page) = browser.post_to(a.url("/oauth/authorize?lang=en"), &form).await;
    assert_eq!(status, 401);
    assert!(
        page.contains("Wrong login or password") && page.contains(r#"value="alice""#),
        "the login typed stays: {page}"
    );

    form.retain(|(k, _)| *k != "password");
    form.push(("password", "a good password"));
    let (status, location, _) = browser.post_to(a.url("/oauth/authorize"), &form).await;
    assert_eq!(status, 302);
    assert!(browser.has_cookie("maillage_session"), "logging in here signs in on the site too");
    let location = url::Url::parse(&location.unwrap()).unwrap();
    assert!(location.as_str().starts_with(redirect), "{location}");
    let pairs: std::collections::HashMap<String, String> = location.query_pairs().into_owned().collect();
    assert_eq!(pairs["state"], "xyz");
    let code = pairs["code"].clone();

    let exchange = |code: String, verifier: &'static str| {
        let (id, secret) = (id.clone(), secret.clone());
        let a = &a;
        async move {
            post_form(
                a,
                "/oauth/token",
                &[
                    ("grant_type", "authorization_code"),
                    ("client_id", &id),
                    ("client_secret", &secret),
                    ("code", &code),
                    ("redirect_uri", redirect),
                    ("code_verifier", verifier),
                ],
            )
            .await
        }
    };
    let (status, e) = exchange(code.clone(), "not-the-verifier").await;
    assert_eq!((status, e["error"].clone()), (400, json!("invalid_grant")), "wrong verifier");
    // The failed attempt used the code up: start again. Signed in now,
    // the page only asks to confirm.
    let (_, page) = browser.get(format!("{page_url}&lang=en")).await;
    assert!(!page.contains(r#"name="password""#) && page.contains("@alice"), "{page}");
    let mut consent: Vec<(&str, &str)> = query.to_vec();
    consent.extend([("csrf", csrf.as_str()), ("allow", "1")]);
    let (status, location, _) = browser.post_to(a.url("/oauth/authorize"), &consent).await;
    assert_eq!(status, 302);
    let location = url::Url::parse(&location.unwrap()).unwrap();
    let code: String = location.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
    let (status, token) = exchange(code.clone(), verifier).await;
    assert_eq!(status, 200, "{token}");
    assert_eq!(token["scope"], "read");
    let access = token["access_token"].as_str().unwrap();
    assert_eq!(bearer_get(&a, "/api/v1/accounts/verify_credentials", access).await.1["username"], "alice");
    let (status, _) = exchange(code, verifier).await;
    assert_eq!(status, 400, "a code is good once");

    // Denied: the app hears "access_denied".
    let mut denied: Vec<(&str, &str)> = query.to_vec();
    denied.extend([("csrf", csrf.as_str()), ("deny", "1")]);
    let (status, location, _) = browser.post_to(a.url("/oauth/authorize"), &denied).await;
    assert_eq!(status, 302);
    assert!(location.unwrap().contains("error=access_denied"));

    // Out of band, logging in by e-mail: the code is shown to copy.
    let mut other = FormBrowser::new();
    let (_, page) = other.get(a.url("/login")).await;
    let other_csrf = csrf_of(&page);
    let oob = [
        ("client_id", id.as_str()),
        ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"),
        ("scope", "read"),
        ("login", "alice@example.org"),
        ("password", "a good password"),
        ("csrf", other_csrf.as_str()),
    ];
    let (status, _, page) = other.post_to(a.url("/oauth/authorize"), &oob).await;
    assert_eq!(status, 200);
    let shown = page.split(r#"<code id="code">"#).nth(1).unwrap().split('<').next().unwrap().to_owned();
    let (status, token) = post_form(
        &a,
        "/oauth/token",
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &id),
            ("client_secret", &secret),
            ("code", &shown),
            ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{token}");

    // Requests that cannot be served.
    for bad in [
        vec![("client_id", "unknown"), ("redirect_uri", redirect)],
        vec![("client_id", id.as_str()), ("redirect_uri", "https://evil.example/cb")],
        vec![("client_id", id.as_str()), ("redirect_uri", redirect), ("scope", "admin:read")],
        vec![
            ("client_id", id.as_str()),
            ("redirect_uri", redirect),
            ("code_challenge", "abc"),
            ("code_challenge_method", "plain"),
        ],
        vec![("client_id", id.as_str()), ("redirect_uri", redirect), ("response_type", "token")],
    ] {
        let r = client().get(a.url("/oauth/authorize")).query(&bad).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 400, "{bad:?}");
    }
    let (status, location, _) = browser
        .post_to(
            a.url("/oauth/authorize"),
            &[
                ("client_id", id.as_str()),
                ("redirect_uri", "https://evil.example/cb"),
                ("csrf", csrf.as_str()),
                ("allow", "1"),
            ],
        )
        .await;
    assert_eq!((status, location), (400, None), "never redirected to an unregistered URI");

    let meta: Value = client()
        .get(a.url("/.well-known/oauth-authorization-server"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(meta["token_endpoint"], a.url("/oauth/token"));
    assert_eq!(meta["code_challenge_methods_supported"], json!(["S256"]));
    assert!(meta["scopes_supported"].as_array().unwrap().contains(&json!("read:statuses")));
}
