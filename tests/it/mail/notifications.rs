//! Notifications by e-mail against the real SMTP server: interest and
//! messages mailed at once by default, matches gathered into a daily
//! digest, the settings page changing channels (and refusing bad choices),
//! and the one-click unsubscribe of RFC 8058 working without a log-in.

use super::*;

use harness::{eventually, TestUser};
use reqwest::Method;
use serde_json::{json, Value};

fn listing(kind: &str, title: &str) -> Value {
    json!({
        "kind": kind, "category": "services", "title": title,
        "description": "Un vélo à réparer, pneu crevé et freins, atelier le samedi",
        "tags": ["velo"], "place": { "name": "Centre", "lat": 46.54, "lon": 2.43 }, "radius_km": 15.0,
        "terms": { "mode": "gift" }, "visibility": "public"
    })
}

async fn notifications(user: &TestUser) -> Vec<Value> {
    let (status, list) = user.get("/api/v1/notifications").await;
    assert_eq!(status, 200, "{list}");
    list.as_array().cloned().unwrap_or_default()
}

async fn show_interest(user: &TestUser, listing: &Value, message: &str) {
    let path = format!("/api/v1/listings/{}/interest", listing["id"].as_str().unwrap());
    let (status, body) = user.json(Method::POST, &path, &json!({ "message": message })).await;
    assert_eq!(status, 200, "{body}");
}

async fn write_to(user: &TestUser, text: &str) {
    let (status, body) =
        user.json(Method::POST, "/api/v1/statuses", &json!({ "status": text, "visibility": "direct" })).await;
    assert_eq!(status, 200, "{body}");
}

/// Waits a moment and says how many mails went to `to`.
async fn settled_count(sink: &SmtpSink, to: &str) -> usize {
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    sink.messages_to(to).len()
}

#[actix_web::test]
async fn interest_answers_and_messages_are_mailed_at_once_and_one_click_stops_a_kind() {
    let sink = SmtpSink::start();
    let node = TestNode::start_with(with_mail(&sink)).await;
    let (alice, bob) = (node.user("alice").await, node.user("bob").await);
    let offer = alice.listing(&listing("offer", "Je répare les vélos")).await;

    show_interest(&bob, &offer, "Je passerais samedi matin").await;
    let mail = sink.wait_for(1, 20).await.remove(0);
    assert_eq!(mail.to(), "alice@example.org");
    assert!(mail.header("Subject").is_some_and(|s| s.to_lowercase().contains("bob")), "{mail:?}");
    assert!(mail.text.contains("Je passerais samedi matin"), "the message is quoted: {}", mail.text);
    assert!(mail.link(&node.url("/me/conversations/")).is_some(), "it links the conversation: {}", mail.text);
    assert!(mail.text.contains(&node.url("/me/notifications/settings")), "{}", mail.text);
    let unsubscribe = mail.header("List-Unsubscribe").unwrap().trim_matches(['<', '>']).to_owned();
    assert!(unsubscribe.starts_with(&node.url("/unsubscribe/")) && unsubscribe.contains("/interest/"));
    assert_eq!(mail.header("List-Unsubscribe-Post"), Some("List-Unsubscribe=One-Click"));
    let told = notifications(&alice).await;
    assert!(told.iter().any(|n| n["maillage_reason"] == "interest"), "and in the app: {told:?}");

    let (_, received) = alice.get("/api/v1/agreements").await;
    let agreement = received[0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/agreements/{agreement}/accept");
    assert_eq!(alice.json(Method::POST, &path, &json!({})).await.0, 200);
    let answer = eventually(20, "bob hears of the acceptance by mail", || async {
        sink.messages_to("bob@example.org").into_iter().next()
    })
    .await;
    assert!(answer.header("Subject").is_some_and(|s| s.to_lowercase().contains("alice")), "{answer:?}");

    // A message, mailed at once; then one click (no cookie, no token) on
    // its unsubscribe link, and the next message is only in the app.
    let before = settled_count(&sink, "alice@example.org").await;
    assert_eq!(before, 1, "only the interest so far");
    write_to(&bob, "@alice Merci, à samedi !").await;
    let message = eventually(20, "alice is mailed the message", || async {
        let mails = sink.messages_to("alice@example.org");
        mails.into_iter().find(|m| m.text.contains("Merci"))
    })
    .await;
    let link = message.header("List-Unsubscribe").unwrap().trim_matches(['<', '>']).to_owned();
    assert!(link.contains("/messages/"), "{link}");

    let anonymous = harness::client();
    // The last hex digit changed (to 1 when it was 0): a signature never made.
    let last = if link.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &link[..link.len() - 1]);
    let bad = anonymous.post(&forged).form(&[("List-Unsubscribe", "One-Click")]).send().await.unwrap();
    assert_eq!(bad.status(), 404, "a link that was never made");
    let unknown = link.replace("/messages/", "/weather/");
    assert_eq!(anonymous.get(&unknown).send().await.unwrap().status(), 404);
    let page = anonymous.get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200, "a GET only asks");
    assert!(page.text().await.unwrap().contains("unsubscribe-button"));
    let done = anonymous.post(&link).form(&[("List-Unsubscribe", "One-Click")]).send().await.unwrap();
    assert_eq!(done.status(), 200);
    assert!(done.text().await.unwrap().contains("unsubscribed"));

    let mailed = sink.messages_to("alice@example.org").len();
    let in_app = notifications(&alice).await.len();
    write_to(&bob, "@alice Et j'apporte la pompe.").await;
    assert_eq!(settled_count(&sink, "alice@example.org").await, mailed, "messages are no longer mailed");
    assert_eq!(notifications(&alice).await.len(), in_app + 1, "but still shown in the app");
    // The other kinds are untouched: a new interest is still mailed.
    let carol = node.user("carol").await;
    let pump = alice.listing(&listing("offer", "Je prête une pompe")).await;
    show_interest(&carol, &pump, "Moi aussi").await;
    eventually(20, "interest is still mailed", || async {
        (sink.messages_to("alice@example.org").len() > mailed).then_some(())
    })
    .await;
}

#[actix_web::test]
async fn matches_wait_for_the_daily_digest_and_the_settings_page_changes_each_channel() {
    let sink = SmtpSink::start();
    let node = TestNode::start_with(with_mail(&sink)).await;
    let (alice, bob) = (node.user("alice").await, node.user("bob").await);
    let mut browser = FormBrowser::new();
    browser.log_in(&node, "alice").await;
    let (status, page) = browser.get(node.url("/me/notifications/settings")).await;
    assert_eq!(status, 200, "{page}");
    let selected = |page: &str, id: &str| {
        let at = page.find(&format!(r#"id="{id}""#)).unwrap_or_else(|| panic!("{id}: {page}"));
        let rest = &page[at..];
        let select = &rest[..rest.find("</select>").unwrap()];
        let chosen = select.find(" selected").map(|i| &select[..i]).unwrap_or_default();
        chosen.rsplit("value=\"").next().unwrap_or_default().split('"').next().unwrap_or_default().to_owned()
    };
    assert_eq!(selected(&page, "email-interest"), "instant");
    assert_eq!(selected(&page, "email-messages"), "instant");
    assert_eq!(selected(&page, "email-matches"), "daily");
    assert_eq!(selected(&page, "email-groups"), "never");
    assert!(!page.contains("kind-reports"), "reports are for moderators only");

    bob.listing(&listing("offer", "Je répare les vélos")).await;
    alice.listing(&listing("need", "Réparation de vélo")).await;
    eventually(30, "alice is told of the match in the app", || async {
        notifications(&alice).await.into_iter().find(|n| n["maillage_reason"] == "match")
    })
    .await;
    assert_eq!(settled_count(&sink, "alice@example.org").await, 0, "a match waits for the digest");
    let config = node.config.clone();
    let later = maillage_core::time::Timestamp::from_micros(
        maillage_core::time::Timestamp::now().as_micros() + 25 * 3_600_000_000,
    );
    let queued = node
        .with_db(move |c| maillage_service::notification_mail::send_due(c, &config, later).unwrap())
        .await;
    assert!(queued >= 1, "the digest is due a day later");
    let digest = eventually(20, "the digest arrives", || async {
        sink.messages_to("alice@example.org").into_iter().next()
    })
    .await;
    assert!(digest.text.contains("Je répare les vélos"), "it names the other listing: {}", digest.text);
    let config = node.config.clone();
    let again = node
        .with_db(move |c| maillage_service::notification_mail::send_due(c, &config, later).unwrap())
        .await;
    assert_eq!(again, 0, "nothing is sent twice");

    // Interest: off in the app and never by mail.
    let csrf = csrf_of(&page);
    let mut form: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("email_interest", "never"),
        ("email_messages", "instant"),
        ("app_messages", "on"),
        ("email_matches", "weekly"),
        ("app_matches", "instant"),
    ];
    let (status, _, body) = browser.post(node.url("/me/notifications/settings"), &form).await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = browser.get(node.url("/me/notifications/settings?saved")).await;
    assert!(page.contains("settings-saved"));
    assert_eq!(selected(&page, "email-interest"), "never");
    assert_eq!(selected(&page, "email-matches"), "weekly");
    assert!(!page.contains(r#"id="app-interest" aria-label="On the site and in apps" checked"#));
    let mine = alice.listing(&listing("offer", "Je prête une pompe")).await;
    let before = notifications(&alice).await.len();
    show_interest(&bob, &mine, "Je peux l'emprunter ?").await;
    assert_eq!(settled_count(&sink, "alice@example.org").await, 1, "no mail for interest now");
    assert_eq!(notifications(&alice).await.len(), before, "nor a notification in the app");

    // A choice that is not one is refused, and nothing changes.
    form[1] = ("email_interest", "hourly");
    let (status, _, _) = browser.post(node.url("/me/notifications/settings"), &form).await;
    assert_eq!(status, 422);
    let (_, page) = browser.get(node.url("/me/notifications/settings")).await;
    assert_eq!(selected(&page, "email-interest"), "never");
    let (status, _, _) =
        browser.post(node.url("/me/notifications/settings"), &[("email_interest", "instant")]).await;
    assert_eq!(status, 403, "no CSRF token, no change");
}

/// Sets every kind `user` may hear of to be e-mailed at once.
async fn mail_everything(node: &TestNode, login: &'static str) {
    node.with_db(move |c| {
        let user = maillage_db::users::find_by_username(c, login).unwrap().unwrap();
        let all: Vec<maillage_service::notification_settings::Choice> = maillage_core::notify::KINDS
            .iter()
            .map(|k| maillage_service::notification_settings::Choice {
                kind: k.name.to_owned(),
                app: true,
                email: "instant".to_owned(),
                push: true,
            })
            .collect();
        maillage_service::notification_settings::set(c, maillage_core::id::Id::from_i64(user.id), &all)
            .unwrap();
    })
    .await;
}

#[actix_web::test]
async fn group_and_session_events_are_mailed_to_whom_they_concern_when_chosen() {
    let sink = SmtpSink::start();
    let node = TestNode::start_with(with_mail(&sink)).await;
    let (alice, bob, carol) = (node.user("alice").await, node.user("bob").await, node.user("carol").await);
    for login in ["alice", "bob", "carol"] {
        mail_everything(&node, login).await;
    }
    let post = |user: &TestUser, path: String, body: Value| {
        let user = user.clone();
        async move {
            let (status, answer) = user.json(Method::POST, &path, &body).await;
            assert_eq!(status, 200, "{path}: {answer}");
            answer
        }
    };
    let group = post(&alice, "/api/v1/groups".into(), json!({
        "username": "bocaux", "display_name": "Les bocaux", "kind": "initiative", "description": "Conserves.",
        "join_policy": "approval"
    }))
    .await;
    let group_id = group["id"].as_str().unwrap().to_owned();
    let pending = post(&bob, format!("/api/v1/groups/{group_id}/join"), json!({})).await;
    let member = pending["account"]["id"].as_str().unwrap().to_owned();
    post(&alice, format!("/api/v1/groups/{group_id}/members/{member}/approve"), json!({})).await;
    let event = post(
        &alice,
        "/api/v1/events".into(),
        json!({
            "title": "Atelier conserves", "starts_at": "2027-03-14T14:00:00+01:00", "capacity": 1,
            "place": { "name": "Camarès", "lat": 43.82, "lon": 2.88 }
        }),
    )
    .await;
    let event_id = event["id"].as_str().unwrap().to_owned();
    post(&bob, format!("/api/v1/events/{event_id}/join"), json!({})).await;
    post(&carol, format!("/api/v1/events/{event_id}/join"), json!({})).await;
    post(&bob, format!("/api/v1/events/{event_id}/leave"), json!({})).await;

    // alice: a request to join and a place taken; bob: his acceptance;
    // carol: her promotion from the waiting list.
    let expected = [("alice@example.org", 2), ("bob@example.org", 1), ("carol@example.org", 1)];
    eventually(20, "each is mailed what concerns them", || async {
        expected.iter().all(|(to, n)| sink.messages_to(to).len() >= *n).then_some(())
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    for (to, n) in expected {
        let mails = sink.messages_to(to);
        assert_eq!(mails.len(), n, "{to}: {mails:?}");
        assert!(mails.iter().all(|m| m.header("List-Unsubscribe-Post").is_some()));
    }
    let to_carol = &sink.messages_to("carol@example.org")[0];
    assert!(to_carol.link(&node.url("/me/sessions")).is_some(), "{}", to_carol.text);
}

#[actix_web::test]
async fn a_daily_digest_gathers_every_kind_chosen_into_one_mail_once_the_day_is_over() {
    let sink = SmtpSink::start();
    let node = TestNode::start_with(with_mail(&sink)).await;
    let (alice, bob) = (node.user("alice").await, node.user("bob").await);
    node.with_db(|c| {
        let user = maillage_db::users::find_by_username(c, "alice").unwrap().unwrap();
        let all: Vec<maillage_service::notification_settings::Choice> = maillage_core::notify::KINDS
            .iter()
            .map(|k| maillage_service::notification_settings::Choice {
                kind: k.name.to_owned(),
                app: true,
                email: "daily".to_owned(),
                push: true,
            })
            .collect();
        maillage_service::notification_settings::set(c, maillage_core::id::Id::from_i64(user.id), &all)
            .unwrap();
    })
    .await;
    let offer = alice.listing(&listing("offer", "Je prête un pressoir")).await;
    show_interest(&bob, &offer, "Pour nos pommes").await;
    let event = alice
        .json(
            Method::POST,
            "/api/v1/events",
            &json!({ "title": "Pressée collective", "starts_at": "2027-10-02T14:00:00+02:00", "capacity": 5 }),
        )
        .await
        .1;
    let path = format!("/api/v1/events/{}/join", event["id"].as_str().unwrap());
    assert_eq!(bob.json(Method::POST, &path, &json!({})).await.0, 200);
    write_to(&bob, "@alice On apporte des caisses.").await;
    assert_eq!(settled_count(&sink, "alice@example.org").await, 0, "everything waits for the digest");

    let config = node.config.clone();
    let soon = maillage_core::time::Timestamp::from_micros(
        maillage_core::time::Timestamp::now().as_micros() + 3_600_000_000,
    );
    let early =
        node.with_db(move |c| maillage_service::notification_mail::send_due(c, &config, soon).unwrap()).await;
    assert_eq!(early, 0, "an hour later it is not due yet");
    let config = node.config.clone();
    let later = maillage_core::time::Timestamp::from_micros(
        maillage_core::time::Timestamp::now().as_micros() + 25 * 3_600_000_000,
    );
    node.with_db(move |c| maillage_service::notification_mail::send_due(c, &config, later).unwrap()).await;
    let digest = eventually(20, "the digest arrives", || async {
        sink.messages_to("alice@example.org").into_iter().next()
    })
    .await;
    assert_eq!(settled_count(&sink, "alice@example.org").await, 1, "one mail for all of it");
    for line in ["intéress", "séance", "écrit"] {
        assert!(digest.text.to_lowercase().contains(line), "{line}: {}", digest.text);
    }
    assert!(digest.header("List-Unsubscribe").is_some());
}

#[actix_web::test]
async fn refusals_the_exchange_done_ledger_confirmations_and_reports_reach_the_app_and_the_mail() {
    let sink = SmtpSink::start();
    let node = TestNode::start_with(with_mail(&sink)).await;
    let admin = node.admin("gaston").await;
    let (alice, bob, carol) = (node.user("alice").await, node.user("bob").await, node.user("carol").await);
    for login in ["gaston", "alice", "bob", "carol"] {
        mail_everything(&node, login).await;
    }
    let ok = |(status, body): (u16, Value)| {
        assert_eq!(status, 200, "{body}");
        body
    };
    let mut time_offer = listing("offer", "Une heure de taille de haies");
    time_offer["terms"] = json!({ "mode": "time_credit", "hours": 1.0 });
    let hedge = alice.listing(&time_offer).await;
    let bike = alice.listing(&listing("offer", "Je répare les vélos")).await;
    show_interest(&bob, &hedge, "Ma haie déborde").await;
    show_interest(&carol, &bike, "Mon vélo crisse").await;
    let (_, received) = alice.get("/api/v1/agreements").await;
    let of = |listing: &Value| {
        received
            .as_array()
            .into_iter()
            .flatten()
            .find(|a| a.to_string().contains(listing["id"].as_str().unwrap()))
            .and_then(|a| a["id"].as_str())
            .unwrap_or_else(|| panic!("no agreement for {listing}: {received}"))
            .to_owned()
    };
    let (with_bob, with_carol) = (of(&hedge), of(&bike));
    ok(alice.json(Method::POST, &format!("/api/v1/agreements/{with_carol}/reject"), &json!({})).await);
    ok(alice.json(Method::POST, &format!("/api/v1/agreements/{with_bob}/accept"), &json!({})).await);
    ok(alice.json(Method::POST, &format!("/api/v1/agreements/{with_bob}/fulfil"), &json!({})).await);
    ok(alice.post(&format!("/api/v1/agreements/{with_bob}/confirm"), &[]).await);

    let group = ok(alice
        .json(
            Method::POST,
            "/api/v1/groups",
            &json!({ "username": "haies", "display_name": "Haies vives", "kind": "initiative",
                     "description": "Planter.", "join_policy": "approval" }),
        )
        .await);
    let group_id = group["id"].as_str().unwrap().to_owned();
    let pending = ok(carol.json(Method::POST, &format!("/api/v1/groups/{group_id}/join"), &json!({})).await);
    let member = pending["account"]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/groups/{group_id}/members/{member}/reject");
    ok(alice.json(Method::POST, &path, &json!({})).await);
    ok(carol.post("/api/v1/reports", &[("account_id", &bob.account_id), ("comment", "Spam")]).await);

    // Who hears of what, in the app and by mail (French, the territory's
    // language, as none of them chose another).
    let expected = [
        (&carol, "carol@example.org", "interest_declined", "a décliné votre intérêt"),
        (&bob, "bob@example.org", "exchange_done", "a noté l’échange comme réalisé"),
        (&bob, "bob@example.org", "ledger_confirmation", "a confirmé l’échange et ses heures"),
        (&carol, "carol@example.org", "group_refused", "n’a pas accepté votre demande"),
        (&admin, "gaston@example.org", "admin.report", "a fait un signalement"),
    ];
    for (user, address, reason, words) in expected {
        eventually(20, reason, || async {
            let (_, list) = user.get("/api/v1/notifications").await;
            list.as_array()?.iter().find(|n| n["maillage_reason"] == reason).cloned()
        })
        .await;
        eventually(20, words, || async {
            sink.messages_to(address).into_iter().find(|m| m.text.contains(words))
        })
        .await;
    }
}
