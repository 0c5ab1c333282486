//! Sign-up confirmation by e-mail when the configuration asks for it, and
//! changing one's address with a link sent to the new one.

use super::{log_in_status, with_mail};
use crate::harness::form_browser::{csrf_of, FormBrowser};
use crate::harness::smtp::SmtpSink;
use crate::harness::TestNode;
use maillage_core::account::RegistrationMode;

#[actix_web::test]
async fn a_new_account_logs_in_only_once_its_address_is_confirmed() {
    let sink = SmtpSink::start();
    let tweak = with_mail(&sink);
    let node = TestNode::start_with(|c| {
        tweak(c);
        c.registration.mode = RegistrationMode::Open;
        c.registration.confirm_email = true;
    })
    .await;
    let mut browser = FormBrowser::new();
    let csrf = browser.csrf(&node, "/signup").await;
    let (status, _, page) = browser
        .post(
            node.url("/signup"),
            &[
                ("csrf", &csrf),
                ("username", "dora"),
                ("email", "dora@example.org"),
                ("password", "a good password"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("confirm-sent"), "{page}");
    assert_eq!(log_in_status(&node, "dora", "a good password").await, 422, "not before the link");

    let mail = &sink.wait_for(1, 20).await[0];
    assert_eq!(mail.to(), "dora@example.org");
    let link = mail.link(&node.url("/signup/confirm/")).expect("a confirmation link");
    // Opening the link changes nothing (mail scanners open links); the
    // button on its page does.
    let (status, page) = browser.get(link.clone()).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(log_in_status(&node, "dora", "a good password").await, 422);
    let (status, _, page) = browser.post(link.clone(), &[("csrf", &csrf_of(&page))]).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(log_in_status(&node, "dora", "a good password").await, 303);
    let (status, _, _) = browser.post(link, &[("csrf", &csrf)]).await;
    assert_eq!(status, 410, "once only");
}

#[actix_web::test]
async fn the_address_changes_only_when_the_link_sent_to_the_new_one_is_followed() {
    let sink = SmtpSink::start();
    let node = TestNode::start_with(with_mail(&sink)).await;
    node.user("alice").await;
    node.user("bruno").await;
    let mut browser = FormBrowser::new();
    browser.log_in(&node, "alice").await;
    let csrf = browser.csrf(&node, "/me/email").await;

    let (status, _, page) =
        browser.post(node.url("/me/email"), &[("csrf", &csrf), ("email", "bruno@example.org")]).await;
    assert_eq!(status, 409, "another account's address: {page}");
    assert!(page.contains(r#"id="e-email""#));

    let (status, _, page) =
        browser.post(node.url("/me/email"), &[("csrf", &csrf), ("email", "alice@new.example")]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("email-sent"));
    let mail = &sink.wait_for(1, 20).await[0];
    assert_eq!(mail.to(), "alice@new.example", "the link goes to the new address");
    assert_eq!(
        log_in_status(&node, "alice@example.org", "a good password").await,
        303,
        "nothing changed yet"
    );

    let link = mail.link(&node.url("/me/email/confirm/")).expect("a confirmation link");
    let (_, page) = browser.get(link.clone()).await;
    let (status, _, page) = browser.post(link, &[("csrf", &csrf_of(&page))]).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(log_in_status(&node, "alice@new.example", "a good password").await, 303);
    assert_eq!(log_in_status(&node, "alice@example.org", "a good password").await, 401);
    let (_, page) = browser.get(node.url("/me/email")).await;
    assert!(page.contains("alice@new.example"), "{page}");
}
