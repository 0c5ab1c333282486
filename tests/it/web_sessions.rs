//! Signing up, logging in and out in the browser: CSRF tokens on every
//! form, session cookies HttpOnly and SameSite, forms that keep what was
//! typed and name the field at fault.

use crate::harness;

use harness::form_browser::{csrf_of, FormBrowser as Browser};
use harness::TestNode;
use maillage_core::account::RegistrationMode;

#[actix_web::test]
async fn sign_up_log_in_and_out_with_csrf_and_safe_cookies() {
    let a = TestNode::start_with(|c| c.registration.mode = RegistrationMode::Open).await;
    let mut browser = Browser::new();
    let (status, form) = browser.get(a.url("/signup")).await;
    assert_eq!(status, 200);
    assert!(form.contains(r#"<label for="f-email">"#), "labelled fields");
    let csrf = csrf_of(&form);

    // Without the token, nothing is created.
    let (status, _, refused) = browser
        .post(
            a.url("/signup"),
            &[("username", "lina"), ("email", "lina@example.org"), ("password", "une phrase assez longue")],
        )
        .await;
    assert_eq!(status, 403, "{refused}");

    // A bad e-mail comes back with what was typed, the field named.
    let (status, _, bad) = browser
        .post(
            a.url("/signup"),
            &[
                ("csrf", &csrf),
                ("username", "lina"),
                ("email", "pas-une-adresse"),
                ("password", "une phrase assez longue"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{bad}");
    assert!(bad.contains(r#"value="lina""#) && bad.contains(r#"value="pas-une-adresse""#), "{bad}");
    assert!(bad.contains(r#"id="e-email""#), "{bad}");
    assert!(!bad.contains("une phrase assez longue"), "a password is never sent back");

    // Every field wrong: every problem at once, in French, each by its field.
    let (status, _, all) = browser
        .post(
            a.url("/signup?lang=fr"),
            &[("csrf", &csrf), ("username", "léa b"), ("email", "lea@"), ("password", "court")],
        )
        .await;
    assert_eq!(status, 422, "{all}");
    for (field, message) in [
        ("username", "Un identifiant de lettres sans accents"),
        ("email", "Cette adresse électronique n'est pas valide"),
        ("password", "Un mot de passe d'au moins 8 caractères"),
    ] {
        assert!(all.contains(&format!("id=\"e-{field}\"")), "{field}: {all}");
        assert!(all.contains(&message.replace('\'', "&#39;")) || all.contains(message), "{message}: {all}");
    }
    assert!(!all.contains("must"), "no English in a French page: {all}");

    let (status, _, _) = browser
        .post(
            a.url("/signup"),
            &[
                ("csrf", &csrf),
                ("username", "lina"),
                ("email", "lina@example.org"),
                ("password", "une phrase assez longue"),
            ],
        )
        .await;
    assert_eq!(status, 303);

    let (_, login) = browser.get(a.url("/login")).await;
    let csrf = csrf_of(&login);
    let (status, _, wrong) = browser
        .post(a.url("/login"), &[("csrf", &csrf), ("login", "lina@example.org"), ("password", "mauvais")])
        .await;
    assert_eq!(status, 401, "a wrong password is 401, as documented");
    assert!(wrong.contains(r#"value="lina@example.org""#) && wrong.contains(r#"id="e-password""#), "{wrong}");
    let (status, set, _) = browser
        .post(
            a.url("/login"),
            &[("csrf", &csrf), ("login", "lina@example.org"), ("password", "une phrase assez longue")],
        )
        .await;
    assert_eq!(status, 303);
    let session = set.iter().find(|c| c.starts_with("maillage_session=")).unwrap();
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"), "{session}");
    assert!(!session.contains("Secure"), "plain http in debug mode only");

    let (_, home) = browser.get(a.url("/")).await;
    assert!(home.contains("@lina"), "signed in: {home}");
    let csrf = csrf_of(&home);
    let (status, _, _) = browser.post(a.url("/logout"), &[("csrf", "forged")]).await;
    assert_eq!(status, 403, "logging out needs the page's token too");
    let (status, set, _) = browser.post(a.url("/logout"), &[("csrf", &csrf)]).await;
    assert_eq!(status, 303);
    assert!(set.iter().any(|c| c.starts_with("maillage_session=;")), "{set:?}");
    let (_, home) = browser.get(a.url("/")).await;
    assert!(!home.contains("@lina") && home.contains("/login"), "signed out");
}

#[actix_web::test]
async fn sign_up_follows_the_registration_mode() {
    let approval = TestNode::start().await;
    let mut browser = Browser::new();
    let (_, form) = browser.get(approval.url("/signup")).await;
    let csrf = csrf_of(&form);
    let (status, _, pending) = browser
        .post(
            approval.url("/signup"),
            &[
                ("csrf", &csrf),
                ("username", "noa"),
                ("email", "noa@example.org"),
                ("password", "une phrase assez longue"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(pending.contains("attend l&#39;accord"), "{pending}");
    let (_, login) = browser.get(approval.url("/login")).await;
    let csrf = csrf_of(&login);
    let (status, _, waiting) = browser
        .post(
            approval.url("/login"),
            &[("csrf", &csrf), ("login", "noa"), ("password", "une phrase assez longue")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(waiting.contains("attend encore"), "{waiting}");

    let closed = TestNode::start_with(|c| c.registration.mode = RegistrationMode::Closed).await;
    let mut browser = Browser::new();
    let (_, form) = browser.get(closed.url("/signup")).await;
    assert!(form.contains("fermées") && !form.contains(r#"name="csrf""#), "{form}");
}
