//! Password reset end to end in Chromium: the link on the log-in page, the
//! form, the link from the mail, a new password, log-in; the same link
//! again is refused.

use super::with_mail;
use crate::harness::smtp::SmtpSink;
use crate::harness::webdriver::Browser;
use crate::harness::TestNode;

#[actix_web::test]
async fn a_forgotten_password_is_reset_from_the_log_in_page_in_chromium() {
    let sink = SmtpSink::start();
    let node = TestNode::start_with(with_mail(&sink)).await;
    node.user("alice").await;
    let browser = Browser::start().await;

    browser.open(&node.url("/login?lang=en")).await;
    assert_eq!(browser.text("#forgot").await, "Forgot your password?");
    browser.click("#forgot").await;
    assert!(browser.url().await.ends_with("/password/forgot"), "{}", browser.url().await);
    browser.type_into("#f-email", "alice@example.org").await;
    browser.submit("main form button[type=submit]").await;
    assert!(browser.text("#forgot-sent").await.contains("If an account uses this address"));

    let mail = &sink.wait_for(1, 20).await[0];
    let link = mail.link(&node.url("/password/reset/")).expect("a link in the mail");
    browser.open(&link).await;
    browser.type_into("#f-password", "a brand new password").await;
    browser.submit("main form button[type=submit]").await;
    assert!(browser.source().await.contains("Your password has changed"), "{}", browser.source().await);

    browser.open(&node.url("/login")).await;
    browser.type_into("#f-login", "alice").await;
    browser.type_into("#f-password", "a brand new password").await;
    browser.submit("main form button[type=submit]").await;
    assert!(!browser.url().await.contains("/login"), "logged in: {}", browser.source().await);

    browser.forget_cookies().await;
    browser.open(&link).await;
    assert!(browser.source().await.contains("This link no longer works"), "{}", browser.source().await);
}
