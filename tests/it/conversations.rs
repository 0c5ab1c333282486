//! Private conversations: an exchange on two linked nodes carried from a
//! listing to a conversation (interest, acceptance, contact details, then
//! messages both ways through Mastodon.py and read in the pages), blocking,
//! and bad input.

use crate::harness;

use std::path::Path;
use std::process::Command;

use harness::form_browser::{csrf_of, FormBrowser};
use harness::{eventually, link_territories, TestNode, TestUser};
use reqwest::Method;
use serde_json::{json, Value};

fn offer() -> Value {
    json!({
        "kind": "offer", "category": "spaces_machines", "title": "Bétonnière à prêter",
        "description": "Une bétonnière électrique de 140 L.", "tags": ["chantier"],
        "place": { "name": "Saint-Affrique", "lat": 43.9585, "lon": 2.8869 }, "radius_km": 15.0,
        "terms": { "mode": "gift" }, "visibility": "public",
    })
}

async fn conversations(user: &TestUser) -> Vec<Value> {
    let (status, list) = user.get("/api/v1/conversations").await;
    assert_eq!(status, 200, "{list}");
    list.as_array().cloned().unwrap_or_default()
}

/// The text of every message of `user`'s only conversation, by its page.
async fn page_of_only_conversation(node: &TestNode, login: &str, user: &TestUser) -> String {
    let list = conversations(user).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let mut browser = FormBrowser::new();
    browser.log_in(node, login).await;
    let (status, page) =
        browser.get(node.url(&format!("/me/conversations/{}", list[0]["id"].as_str().unwrap()))).await;
    assert_eq!(status, 200, "{page}");
    page
}

async fn set_contact(node: &TestNode, login: &str, phone: &str) {
    let mut browser = FormBrowser::new();
    browser.log_in(node, login).await;
    let csrf = browser.csrf(node, "/me/contact").await;
    let (status, _, body) = browser
        .post(node.url("/me/contact"), &[("csrf", &csrf), ("phone", phone), ("other", "Le soir")])
        .await;
    assert_eq!(status, 303, "{body}");
}

fn run_mastodon_py(args: Vec<String>) -> String {
    let python = std::env::var("MAILLAGE_PYTHON").expect("MAILLAGE_PYTHON: run scripts/test");
    let out = Command::new(python).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "Mastodon.py: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

#[actix_web::test]
async fn an_exchange_on_two_linked_nodes_goes_on_in_one_private_conversation() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let (admin_a, admin_b) = (a.admin("gaston").await, b.admin("louise").await);
    link_territories(&a, &admin_a, &b, &admin_b).await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    set_contact(&a, "alice", "+33 6 11 22 33 44").await;
    set_contact(&b, "bob", "+33 7 55 66 77 88").await;
    bob.follow_accepted(&format!("territory@{}", a.domain)).await;
    let created = alice.listing(&offer()).await;
    let uri = created["uri"].as_str().unwrap().to_owned();
    let on_b = eventually(30, "the listing reaches bob", || async {
        let (_, list) = bob.get("/api/v1/listings?origin=remote").await;
        list.as_array()?.iter().find(|l| l["uri"] == uri).cloned()
    })
    .await;

    // Bob needs what Alice offers: the match reaches him first.
    let mut need = offer();
    need["kind"] = json!("need");
    need["title"] = json!("Cherche une bétonnière");
    need["description"] = json!("Pour couler une dalle, une bétonnière électrique.");
    bob.listing(&need).await;
    eventually(30, "bob's need matches alice's offer", || async {
        bob.matches().await.into_iter().find(|m| m.to_string().contains("Bétonnière à prêter"))
    })
    .await;

    let (status, interest) = bob
        .json(
            Method::POST,
            &format!("/api/v1/listings/{}/interest", on_b["id"].as_str().unwrap()),
            &json!({ "message": "Je la prendrais samedi" }),
        )
        .await;
    assert_eq!(status, 200, "{interest}");
    let on_a = eventually(30, "alice has a conversation with bob about her listing", || async {
        let list = conversations(&alice).await;
        list.into_iter().find(|c| c["accounts"][0]["acct"] == format!("bob@{}", b.domain))
    })
    .await;
    assert_eq!(on_a["unread"], true, "{on_a}");
    assert!(on_a["last_status"]["content"].as_str().unwrap().contains("Je la prendrais samedi"), "{on_a}");
    assert_eq!(on_a["last_status"]["visibility"], "direct");
    let page = page_of_only_conversation(&a, "alice", &alice).await;
    assert!(
        page.contains("id=\"about\"") && page.contains("Bétonnière à prêter"),
        "the listing is named and linked: {page}"
    );
    assert!(!page.contains("55 66 77 88"), "no contact details before acceptance");
    let page = page_of_only_conversation(&b, "bob", &bob).await;
    assert!(!page.contains("11 22 33 44"), "no contact details before acceptance");

    let (_, received) = alice.get("/api/v1/agreements").await;
    let agreement = received[0]["id"].as_str().unwrap().to_owned();
    let (status, accepted) =
        alice.json(Method::POST, &format!("/api/v1/agreements/{agreement}/accept"), &json!({})).await;
    assert_eq!(status, 200, "{accepted}");
    eventually(30, "each side gets the other's contact details", || async {
        let on_a = page_of_only_conversation(&a, "alice", &alice).await;
        let on_b = page_of_only_conversation(&b, "bob", &bob).await;
        (on_a.contains("55 66 77 88") && on_b.contains("11 22 33 44") && on_b.contains("accept"))
            .then_some(())
    })
    .await;

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/conversations.py");
    let args = vec![
        script.display().to_string(),
        a.base.clone(),
        alice.token.clone(),
        b.base.clone(),
        bob.token.clone(),
        format!("bob@{}", b.domain),
        format!("alice@{}", a.domain),
    ];
    let printed = tokio::task::spawn_blocking(move || run_mastodon_py(args)).await.unwrap();
    assert!(printed.contains(r#""ok": true"#), "{printed}");

    for (node, login, user) in [(&a, "alice", &alice), (&b, "bob", &bob)] {
        let page = page_of_only_conversation(node, login, user).await;
        for i in 1..=3 {
            assert!(
                page.contains(&format!("Message {i} d&#39;Alice"))
                    || page.contains(&format!("Message {i} d'Alice")),
                "{login}: {page}"
            );
            assert!(page.contains(&format!("Message {i} de Bob")), "{login}: {page}");
        }
        assert!(page.contains("Je la prendrais samedi"), "{login}");
    }
    let (_, listings_page) = {
        let mut browser = FormBrowser::new();
        browser.log_in(&a, "alice").await;
        browser.get(a.url("/me/listings")).await
    };
    assert!(listings_page.contains("/me/conversations/"), "the interest links to its conversation");
}

#[actix_web::test]
async fn blocking_a_person_hides_their_messages_and_notifications_without_telling_them() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let carol = a.user("carol").await;
    let (status, first) = carol
        .json(
            Method::POST,
            "/api/v1/statuses",
            &json!({ "status": "@alice Bonjour !", "visibility": "direct" }),
        )
        .await;
    assert_eq!(status, 200, "{first}");
    let list = conversations(&alice).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let carol_id = list[0]["accounts"][0]["id"].as_str().unwrap().to_owned();
    let (_, notes) = alice.get("/api/v1/notifications").await;
    assert_eq!(notes.as_array().unwrap().len(), 1, "{notes}");

    let (status, rel) =
        alice.json(Method::POST, &format!("/api/v1/accounts/{carol_id}/block"), &json!({})).await;
    assert_eq!((status, &rel["blocking"]), (200, &json!(true)), "{rel}");
    let (status, second) = carol
        .json(
            Method::POST,
            "/api/v1/statuses",
            &json!({ "status": "@alice Tu es là ?", "visibility": "direct" }),
        )
        .await;
    assert_eq!(status, 200, "writing to someone who blocked you looks the same: {second}");
    assert_eq!(second["visibility"], "direct");
    let list = conversations(&alice).await;
    let last = list.first().map(|c| c["last_status"].clone()).unwrap_or(Value::Null);
    assert!(!last.to_string().contains("Tu es là"), "{last}");
    let (_, notes) = alice.get("/api/v1/notifications").await;
    assert_eq!(notes.as_array().unwrap().len(), 0, "notifications from a blocked person are hidden: {notes}");
    let (status, _) = alice.get(&format!("/api/v1/statuses/{}", second["id"].as_str().unwrap())).await;
    assert_eq!(status, 404);
    let (_, blocks) = alice.get("/api/v1/blocks").await;
    assert_eq!(blocks[0]["id"], carol_id.as_str());

    let (status, rel) =
        alice.json(Method::POST, &format!("/api/v1/accounts/{carol_id}/unblock"), &json!({})).await;
    assert_eq!((status, &rel["blocking"]), (200, &json!(false)), "{rel}");
    let (status, _) = alice.get(&format!("/api/v1/statuses/{}", second["id"].as_str().unwrap())).await;
    assert_eq!(status, 200, "unblocking shows what was hidden");
}

#[actix_web::test]
async fn bad_input_to_conversations_is_refused_and_stores_nothing() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let carol = a.user("carol").await;
    let dan = a.user("dan").await;
    carol
        .json(
            Method::POST,
            "/api/v1/statuses",
            &json!({ "status": "@alice Bonjour", "visibility": "direct" }),
        )
        .await;
    let id = conversations(&alice).await[0]["id"].as_str().unwrap().to_owned();

    let mut browser = FormBrowser::new();
    browser.log_in(&a, "alice").await;
    let csrf = browser.csrf(&a, &format!("/me/conversations/{id}")).await;
    let long = "x".repeat(5001);
    let (status, _, body) =
        browser.post(a.url(&format!("/me/conversations/{id}")), &[("csrf", &csrf), ("text", &long)]).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("Text"), "the error names the field: {body}");
    let (status, _, _) =
        browser.post(a.url(&format!("/me/conversations/{id}")), &[("csrf", &csrf), ("text", "  ")]).await;
    assert_eq!(status, 422);

    let mut intruder = FormBrowser::new();
    intruder.log_in(&a, "dan").await;
    let (_, page) = intruder.get(a.url("/me/conversations")).await;
    let csrf = csrf_of(&page);
    let (status, _, _) = intruder
        .post(a.url(&format!("/me/conversations/{id}")), &[("csrf", &csrf), ("text", "Je m'incruste")])
        .await;
    assert_eq!(status, 404, "a conversation one is not part of is not found");
    let (status, _) = dan.json(Method::POST, &format!("/api/v1/conversations/{id}/read"), &json!({})).await;
    assert_eq!(status, 404);
    let (status, _) = dan.json(Method::DELETE, &format!("/api/v1/conversations/{id}"), &json!({})).await;
    assert_eq!(status, 404);
    let (status, _) = alice.json(Method::POST, "/api/v1/conversations/notanid/read", &json!({})).await;
    assert!((400..500).contains(&status), "{status}");
    let (status, body) = alice
        .json(Method::POST, "/api/v1/statuses", &json!({ "status": long, "visibility": "direct" }))
        .await;
    assert_eq!(status, 422, "{body}");

    let (_, page) = browser.get(a.url(&format!("/me/conversations/{id}"))).await;
    assert_eq!(page.matches("class=\"message\"").count(), 1, "nothing stored: {page}");
    assert!(conversations(&dan).await.is_empty());

    let csrf = browser.csrf(&a, "/me/contact").await;
    let (status, _, body) =
        browser.post(a.url("/me/contact"), &[("csrf", &csrf), ("phone", "call me maybe")]).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("phone"), "{body}");
    let (_, me) = alice.get("/api/v1/accounts/verify_credentials").await;
    let (status, body) = alice
        .json(Method::POST, &format!("/api/v1/accounts/{}/block", me["id"].as_str().unwrap()), &json!({}))
        .await;
    assert_eq!(status, 422, "{body}");
}

async fn log_in(browser: &harness::webdriver::Browser, node: &TestNode, login: &str) {
    browser.forget_cookies().await;
    browser.open(&node.url("/login")).await;
    browser.type_into("#f-login", login).await;
    browser.type_into("#f-password", "a good password").await;
    browser.submit("main form button[type=submit]").await;
    assert!(!browser.url().await.contains("/login"), "logged in: {}", browser.source().await);
}

#[actix_web::test]
async fn in_a_browser_a_resident_writes_to_an_author_from_the_listing_and_is_answered() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    a.user("bob").await;
    let created = alice.listing(&offer()).await;
    let listing_page = a.url(&format!("/@alice/listings/{}", created["id"].as_str().unwrap()));
    let browser = harness::webdriver::Browser::start().await;
    for (width, lang) in [(390, "fr"), (1280, "en")] {
        browser.resize(width, 900).await;
        log_in(&browser, &a, "bob").await;
        browser.open(&format!("{listing_page}?lang={lang}")).await;
        browser.click("#write-author").await;
        browser.arrive("/me/write", "#f-text").await;
        browser.screenshot(&format!("write-{width}-{lang}")).await;
        browser.type_into("#f-text", &format!("Bonjour, est-elle libre samedi ? ({lang})")).await;
        browser.submit("main form button[type=submit]").await;
        browser.arrive("/me/conversations/", "#messages").await;
        assert!(browser.text("#messages").await.contains(&format!("libre samedi ? ({lang})")));
        assert!(browser.text("#about").await.contains("Bétonnière"), "the conversation names the listing");

        log_in(&browser, &a, "alice").await;
        assert!(!browser.text("#nav-messages").await.is_empty());
        assert!(
            browser.try_find("#nav-messages .badge").await.is_some(),
            "the header counts the unread conversation"
        );
        browser.click("#nav-messages").await;
        browser.arrive("/me/conversations", "#conversations").await;
        browser.screenshot(&format!("list-{width}-{lang}")).await;
        browser.click("#conversations li a").await;
        browser.arrive("/me/conversations/", "#f-text").await;
        browser.type_into("#f-text", "Oui, passez à 10 h.").await;
        browser.submit("form.reply button[type=submit]").await;
        browser.arrive("/me/conversations/", "#messages").await;
        browser.screenshot(&format!("conversation-{width}-{lang}")).await;
        assert!(browser.text("#messages").await.contains("Oui, passez à 10 h."));
        assert!(browser.try_find("#nav-messages .badge").await.is_none(), "read once opened");
    }
    let list = conversations(&alice).await;
    assert_eq!(list.len(), 1, "writing twice about one listing is one conversation: {list:?}");
}
