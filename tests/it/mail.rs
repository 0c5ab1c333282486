//! E-mail against a real SMTP server (aiosmtpd on a local port): password
//! reset (unknown address, expired and reused links, bad input, the
//! limit), sign-up confirmation, change of address, a mail server down for
//! a while, and what every mail carries (both bodies, the person's
//! language, a Message-ID from the dedupe key, one-click unsubscribe).

use crate::harness;

use harness::form_browser::{csrf_of, FormBrowser};
use harness::smtp::SmtpSink;
use harness::TestNode;
use maillage_core::config::Config;

const FROM: &str = "Maillage <noreply@example.org>";

fn with_mail(sink: &SmtpSink) -> impl FnOnce(&mut Config) {
    let url = sink.url();
    move |c: &mut Config| {
        c.mail.smtp_url = url;
        c.mail.from = FROM.into();
        c.mail.retry_base_secs = 1;
        c.mail.retry_max_delay_secs = 1;
    }
}

/// Sends the "forgot your password?" form; the status and the page.
async fn ask_reset(browser: &mut FormBrowser, node: &TestNode, email: &str) -> (u16, String) {
    let csrf = browser.csrf(node, "/password/forgot").await;
    let (status, _, body) =
        browser.post(node.url("/password/forgot"), &[("csrf", &csrf), ("email", email)]).await;
    (status, body)
}

async fn log_in_status(node: &TestNode, login: &str, password: &str) -> u16 {
    let mut b = FormBrowser::new();
    let csrf = b.csrf(node, "/login").await;
    b.post(node.url("/login"), &[("csrf", &csrf), ("login", login), ("password", password)]).await.0
}

#[actix_web::test]
async fn a_reset_link_works_once_and_unknown_addresses_get_the_same_answer_and_no_mail() {
    let sink = SmtpSink::start();
    let node = TestNode::start_with(with_mail(&sink)).await;
    node.user("alice").await;
    let mut browser = FormBrowser::new();

    let (_, login) = browser.get(node.url("/login")).await;
    assert!(login.contains(r#"href="/password/forgot""#), "the log-in page links to the form");

    let (known_status, known) = ask_reset(&mut browser, &node, "Alice@Example.org").await;
    let (unknown_status, unknown) = ask_reset(&mut browser, &node, "nobody@example.org").await;
    assert_eq!((known_status, unknown_status), (200, 200));
    let answer = |page: &str| page[page.find("<main").unwrap()..].replace(char::is_whitespace, "");
    assert_eq!(answer(&known), answer(&unknown), "the same page either way");
    assert!(known.contains("forgot-sent"));

    let mails = sink.wait_for(1, 20).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(sink.messages().len(), 1, "no mail for the unknown address: {mails:?}");
    let mail = &mails[0];
    assert_eq!(mail.to(), "alice@example.org");
    assert_eq!(mail.header("From"), Some(FROM));
    let link = mail.link(&node.url("/password/reset/")).expect("a reset link in the text");
    assert!(mail.html.contains(&format!("href=\"{link}\"")), "the same link in the HTML: {}", mail.html);
    assert!(mail.header("Message-ID").is_some_and(|id| id.ends_with("@localhost>")));
    assert!(mail.header("List-Unsubscribe").is_none(), "an account mail has no unsubscribe");

    // The link asks the new password, with the sign-up rules.
    let (status, page) = browser.get(link.clone()).await;
    assert_eq!(status, 200, "{page}");
    let csrf = csrf_of(&page);
    let (status, _, page) = browser.post(link.clone(), &[("csrf", &csrf), ("password", "short")]).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains(r#"id="e-password""#), "the field is named: {page}");
    let (status, _, page) =
        browser.post(link.clone(), &[("csrf", &csrf), ("password", "a new password")]).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(log_in_status(&node, "alice", "a new password").await, 303);
    assert_eq!(log_in_status(&node, "alice", "a good password").await, 401);

    // The link works no more.
    let (status, page) = browser.get(link.clone()).await;
    assert_eq!(status, 410, "a used link: {page}");
    let (status, _, _) = browser.post(link, &[("csrf", &csrf), ("password", "another password")]).await;
    assert_eq!(status, 410);
    assert_eq!(log_in_status(&node, "alice", "another password").await, 401);
}

#[actix_web::test]
async fn sessions_open_before_a_reset_end_with_it() {
    let sink = SmtpSink::start();
    let node = TestNode::start_with(with_mail(&sink)).await;
    let alice = node.user("alice").await;
    let mut logged_in = FormBrowser::new();
    logged_in.log_in(&node, "alice").await;
    assert_eq!(logged_in.get(node.url("/me/settings")).await.0, 200);

    ask_reset(&mut FormBrowser::new(), &node, "alice@example.org").await;
    let link = sink.wait_for(1, 20).await[0].link(&node.url("/password/reset/")).unwrap();
    let mut other = FormBrowser::new();
    let csrf = csrf_of(&other.get(link.clone()).await.1);
    assert_eq!(other.post(link, &[("csrf", &csrf), ("password", "a new password")]).await.0, 200);

    assert_eq!(logged_in.get(node.url("/me/settings")).await.0, 303, "the old session ended");
    assert_eq!(alice.get("/api/v1/accounts/verify_credentials").await.0, 401, "the old token too");
}

#[actix_web::test]
async fn an_expired_link_is_refused() {
    let sink = SmtpSink::start();
    let node = TestNode::start_with(with_mail(&sink)).await;
    node.user("alice").await;
    let mut browser = FormBrowser::new();
    ask_reset(&mut browser, &node, "alice@example.org").await;
    let link = sink.wait_for(1, 20).await[0].link(&node.url("/password/reset/")).unwrap();
    let csrf = csrf_of(&browser.get(link.clone()).await.1);

    // An hour and a second later.
    node.with_db(|conn| {
        use diesel::prelude::*;
        use maillage_db::schema::mail_tokens;
        let hour = 3_600_000_001i64;
        diesel::update(mail_tokens::table)
            .set(mail_tokens::expires_at.eq(mail_tokens::expires_at - hour))
            .execute(conn)
            .unwrap();
    })
    .await;
    let (status, page) = browser.get(link.clone()).await;
    assert_eq!(status, 410, "{page}");
    let (status, _, _) = browser.post(link, &[("csrf", &csrf), ("password", "a new password")]).await;
    assert_eq!(status, 410);
    assert_eq!(log_in_status(&node, "alice", "a good password").await, 303, "the password did not change");
    let (status, _) = browser.get(node.url("/password/reset/not-a-real-secret")).await;
    assert_eq!(status, 410, "an unknown link gets the same answer");
}

#[actix_web::test]
async fn malformed_addresses_are_refused_naming_the_field_and_nothing_is_sent() {
    let sink = SmtpSink::start();
    let node = TestNode::start_with(with_mail(&sink)).await;
    node.user("alice").await;
    let mut browser = FormBrowser::new();
    for bad in ["", "alice", "alice@", "a b@example.org", "alice@example.org\r\nBcc: x@example.org"] {
        let (status, page) = ask_reset(&mut browser, &node, bad).await;
        assert_eq!(status, 422, "{bad:?}: {page}");
        assert!(page.contains(r#"id="e-email""#) && page.contains(r#"aria-invalid="true""#), "{page}");
    }
    browser.log_in(&node, "alice").await;
    let csrf = browser.csrf(&node, "/me/email").await;
    let (status, _, page) =
        browser.post(node.url("/me/email"), &[("csrf", &csrf), ("email", "not an address")]).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains(r#"id="e-email""#), "{page}");
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    assert!(sink.messages().is_empty());
    let pending = node.with_db(|conn| maillage_service::mail::pending_count(conn).unwrap()).await;
    assert_eq!(pending, 0, "nothing stored");
}

#[actix_web::test]
async fn the_forgot_form_is_rate_limited() {
    let sink = SmtpSink::start();
    let tweak = with_mail(&sink);
    let node = TestNode::start_with(|c| {
        tweak(c);
        c.rate_limits.password_reset_per_ip = maillage_core::config::Limit::new(2, 600);
    })
    .await;
    let mut browser = FormBrowser::new();
    assert_eq!(ask_reset(&mut browser, &node, "a@example.org").await.0, 200);
    assert_eq!(ask_reset(&mut browser, &node, "b@example.org").await.0, 200);
    let (status, page) = ask_reset(&mut browser, &node, "c@example.org").await;
    assert_eq!(status, 429, "{page}");
    assert!(page.contains(r#"id="e-email""#));
}

#[actix_web::test]
async fn mails_wait_while_the_server_is_down_and_go_once_it_is_back() {
    let mut sink = SmtpSink::down();
    let node = TestNode::start_with(with_mail(&sink)).await;
    for name in ["alice", "bruno", "chloe"] {
        node.user(name).await;
        ask_reset(&mut FormBrowser::new(), &node, &format!("{name}@example.org")).await;
    }
    // Tried and failed at least once each.
    harness::eventually(20, "three failed attempts", || {
        let node = &node;
        async move {
            let tried = node
                .with_db(|conn| {
                    use diesel::prelude::*;
                    use maillage_db::schema::mail_outbox::dsl::*;
                    mail_outbox.filter(attempts.ge(1)).count().get_result::<i64>(conn).unwrap()
                })
                .await;
            (tried == 3).then_some(())
        }
    })
    .await;
    sink.up();
    let mails = sink.wait_for(3, 30).await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let mut to: Vec<String> = sink.messages().iter().map(|m| m.to().to_owned()).collect();
    to.sort();
    assert_eq!(to, ["alice@example.org", "bruno@example.org", "chloe@example.org"], "{mails:?}");
}

#[actix_web::test]
async fn a_mail_is_queued_once_per_person_and_event_in_their_language_with_one_click_unsubscribe() {
    let sink = SmtpSink::start();
    let node = TestNode::start_with(with_mail(&sink)).await;
    node.user("alice").await;
    let config = node.config.clone();
    let queued = node
        .with_db(move |conn| {
            let user = maillage_service::accounts::find_by_username(conn, "alice").unwrap();
            let mut results = Vec::new();
            for locale in ["fr", "en"] {
                diesel::RunQueryDsl::execute(
                    diesel::update(maillage_db::schema::users::table)
                        .set(maillage_db::schema::users::locale.eq(locale)),
                    conn,
                )
                .unwrap();
                results.push(
                    maillage_service::mail::queue_for_user(
                        conn,
                        &config,
                        user.id,
                        "interest:42",
                        |lang| {
                            maillage_service::mail::MailContent::compose(
                                lang,
                                "Vallée",
                                lang.t("forgot_title").to_owned(),
                                &[lang.t("forgot_intro").to_owned()],
                                None,
                            )
                        },
                        Some("http://localhost/unsubscribe/abc"),
                    )
                    .unwrap(),
                );
            }
            results
        })
        .await;
    assert_eq!(queued, [true, false], "the second queueing of the same event is ignored");
    let mail = &sink.wait_for(1, 20).await[0];
    assert_eq!(mail.header("Subject"), Some("Mot de passe oublié"), "in French, her language then");
    assert!(mail.text.contains("Donnez l'adresse") && mail.html.contains("Donnez l&#39;adresse"));
    assert_eq!(mail.header("List-Unsubscribe"), Some("<http://localhost/unsubscribe/abc>"));
    assert_eq!(mail.header("List-Unsubscribe-Post"), Some("List-Unsubscribe=One-Click"));
    let expected = maillage_service::mail::message_id(&node.config, "alice@example.org", "interest:42");
    assert_eq!(mail.header("Message-ID"), Some(expected.as_str()));
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    assert_eq!(sink.messages().len(), 1);
}

#[actix_web::test]
async fn two_processes_sharing_the_database_send_each_mail_once() {
    const N: usize = 60;
    let sink = SmtpSink::start();
    let node = TestNode::start_with(with_mail(&sink)).await;
    let _second = node.second_process().await;
    let config = node.config.clone();
    node.with_db(move |conn| {
        for i in 0..N {
            maillage_service::mail::queue_test(conn, &config, &format!("p{i}@example.org")).unwrap();
        }
    })
    .await;
    sink.wait_for(N, 30).await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let mut ids: Vec<String> =
        sink.messages().iter().map(|m| m.header("Message-ID").unwrap_or_default().to_owned()).collect();
    assert_eq!(ids.len(), N, "each once");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), N);
}

use diesel::ExpressionMethods;

mod accounts;
mod browser;
mod crash;
mod notifications;
