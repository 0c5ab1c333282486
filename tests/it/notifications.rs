//! Every event that concerns someone notifies them, in the app and on
//! `/me/notifications` with a count in the header: interest shown and
//! answered, group requests and decisions, session places and
//! promotions, reports for moderators; a muted person's are hidden.

use crate::harness;

use harness::form_browser::FormBrowser;
use harness::{eventually, TestNode, TestUser};
use reqwest::Method;
use serde_json::{json, Value};

async fn reasons(user: &TestUser) -> Vec<String> {
    let (status, list) = user.get("/api/v1/notifications").await;
    assert_eq!(status, 200, "{list}");
    list.as_array()
        .into_iter()
        .flatten()
        .map(|n| n["maillage_reason"].as_str().or(n["type"].as_str()).unwrap_or_default().to_owned())
        .collect()
}

async fn post(user: &TestUser, path: &str, body: Value) -> Value {
    let (status, answer) = user.json(Method::POST, path, &body).await;
    assert_eq!(status, 200, "{path}: {answer}");
    answer
}

/// Waits until `user` was told of `reason`.
async fn told(user: &TestUser, reason: &str) {
    eventually(20, reason, || async { reasons(user).await.iter().any(|r| r == reason).then_some(()) }).await;
}

#[actix_web::test]
async fn each_event_reaches_the_people_it_concerns_and_the_page_counts_what_is_new() {
    let node = TestNode::start().await;
    let (admin, alice, bob) = (node.admin("gaston").await, node.user("alice").await, node.user("bob").await);

    let offer = post(
        &alice,
        "/api/v1/listings",
        json!({
            "kind": "offer", "category": "goods", "title": "Bocaux à donner", "terms": { "mode": "gift" },
            "place": { "name": "Camarès", "lat": 43.82, "lon": 2.88 }
        }),
    )
    .await;
    post(
        &bob,
        &format!("/api/v1/listings/{}/interest", offer["id"].as_str().unwrap()),
        json!({ "message": "Oui !" }),
    )
    .await;
    told(&alice, "interest").await;
    let (_, received) = alice.get("/api/v1/agreements").await;
    let agreement = received[0]["id"].as_str().unwrap().to_owned();
    post(&alice, &format!("/api/v1/agreements/{agreement}/accept"), json!({})).await;
    told(&bob, "interest_accepted").await;

    let group = post(&alice, "/api/v1/groups", json!({
        "username": "bocaux", "display_name": "Les bocaux", "kind": "initiative", "description": "Conserves.",
        "join_policy": "approval"
    }))
    .await;
    let group_id = group["id"].as_str().unwrap().to_owned();
    let pending = post(&bob, &format!("/api/v1/groups/{group_id}/join"), json!({})).await;
    told(&alice, "group_request").await;
    let member = pending["account"]["id"].as_str().unwrap().to_owned();
    post(&alice, &format!("/api/v1/groups/{group_id}/members/{member}/approve"), json!({})).await;
    told(&bob, "group_accepted").await;

    let event = post(
        &alice,
        "/api/v1/events",
        json!({
            "title": "Atelier conserves", "starts_at": "2027-03-14T14:00:00+01:00", "capacity": 1,
            "place": { "name": "Camarès", "lat": 43.82, "lon": 2.88 }
        }),
    )
    .await;
    let event_id = event["id"].as_str().unwrap().to_owned();
    post(&bob, &format!("/api/v1/events/{event_id}/join"), json!({})).await;
    told(&alice, "session_joined").await;
    let carol = node.user("carol").await;
    let waiting = post(&carol, &format!("/api/v1/events/{event_id}/join"), json!({})).await;
    assert_eq!(waiting["state"], "waiting");
    post(&bob, &format!("/api/v1/events/{event_id}/leave"), json!({})).await;
    told(&carol, "session_promoted").await;

    let (status, _) =
        carol.post("/api/v1/reports", &[("account_id", &bob.account_id), ("comment", "Spam")]).await;
    assert_eq!(status, 200);
    told(&admin, "admin.report").await;
    assert!(!reasons(&alice).await.contains(&"admin.report".to_owned()), "only moderators hear of reports");

    // The page lists them with a count in the header, which opening it clears.
    let mut browser = FormBrowser::new();
    browser.log_in(&node, "alice").await;
    let (_, home) = browser.get(node.url("/me/matches")).await;
    let nav = &home[home.find(r#"id="nav-notifications""#).expect("a link in the header")..];
    let nav = &nav[..nav.find("</a>").unwrap()];
    assert!(nav.contains(r#"class="badge""#) && nav.contains('3'), "three new: {nav}");
    let (status, page) = browser.get(node.url("/me/notifications")).await;
    assert_eq!(status, 200);
    for reason in ["interest", "group_request", "session_joined"] {
        assert!(page.contains(&format!(r#"data-reason="{reason}""#)), "{reason}: {page}");
    }
    assert!(page.contains("href=\"/me/notifications/settings\""), "the settings are one click away");
    let (_, home) = browser.get(node.url("/me/matches")).await;
    let nav = &home[home.find(r#"id="nav-notifications""#).unwrap()..];
    assert!(!nav[..nav.find("</a>").unwrap()].contains("badge"), "seen now");

    // Muting bob hides what he caused.
    let (status, _) =
        alice.send(Method::POST, &format!("/api/v1/accounts/{}/mute", bob.account_id), &[]).await;
    assert_eq!(status, 200);
    let left = reasons(&alice).await;
    assert!(
        !left.iter().any(|r| r == "interest" || r == "session_joined" || r == "group_request"),
        "{left:?}"
    );
}

#[actix_web::test]
async fn in_a_browser_a_resident_reads_her_notifications_and_changes_what_she_is_sent() {
    let node = TestNode::start().await;
    let (alice, bob) = (node.user("alice").await, node.user("bob").await);
    let offer = post(
        &alice,
        "/api/v1/listings",
        json!({
            "kind": "offer", "category": "goods", "title": "Bocaux à donner", "terms": { "mode": "gift" },
            "place": { "name": "Camarès", "lat": 43.82, "lon": 2.88 }
        }),
    )
    .await;
    let path = format!("/api/v1/listings/{}/interest", offer["id"].as_str().unwrap());
    post(&bob, &path, json!({ "message": "Je passe les prendre samedi ?" })).await;
    told(&alice, "interest").await;

    let browser = harness::webdriver::Browser::start().await;
    for (width, lang) in [(390, "fr"), (1280, "en")] {
        browser.resize(width, 900).await;
        browser.forget_cookies().await;
        browser.open(&node.url(&format!("/login?lang={lang}"))).await;
        browser.type_into("#f-login", "alice").await;
        browser.type_into("#f-password", "a good password").await;
        browser.submit("main form button[type=submit]").await;
        browser.arrive("/", "#nav-notifications").await;
        assert!(browser.try_find("#nav-notifications").await.is_some());
        browser.open(&node.url(&format!("/me/notifications?lang={lang}"))).await;
        browser.arrive("/me/notifications", "#notifications").await;
        browser.screenshot(&format!("notifications-{width}-{lang}")).await;
        assert!(browser.text("#notifications").await.contains("samedi"), "the message is quoted");
        assert!(browser.try_find("#nav-notifications .badge").await.is_none(), "seen once the page is open");
        let overflow =
            browser.execute("return document.documentElement.scrollWidth - window.innerWidth").await;
        assert!(
            overflow.as_i64().unwrap_or(1) <= 0,
            "nothing wider than the screen at {width}px: {overflow}"
        );

        browser.click("#notification-settings").await;
        browser.arrive("/me/notifications/settings", "#notification-settings-form").await;
        browser.screenshot(&format!("notification-settings-{width}-{lang}")).await;
        let overflow =
            browser.execute("return document.documentElement.scrollWidth - window.innerWidth").await;
        assert!(
            overflow.as_i64().unwrap_or(1) <= 0,
            "the settings fit at {width}px (the table scrolls): {overflow}"
        );
        let choice = if lang == "fr" { "weekly" } else { "never" };
        browser.select("#email-interest", choice).await;
        browser.submit("#notification-settings-form button[type=submit]").await;
        browser.arrive("/me/notifications/settings", "#settings-saved").await;
        assert_eq!(browser.value("#email-interest").await, choice, "kept after saving");
    }
}
