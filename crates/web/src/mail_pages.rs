//! The pages behind the links sent by e-mail: "forgot your password?",
//! the new password, the sign-up confirmation, and changing one's address.
//! A link's page only shows a button: the link works when that form is
//! sent, so a mail scanner that opens links uses none of them.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::account::RegistrationMode;
use maillage_core::ErrorKind;
use maillage_service::account_mail;

use crate::auth::form_page;
use crate::forms::{self, field, Form};
use crate::frame::Frame;
use crate::framed;
use crate::listings::FieldErrors;
use crate::security;
use crate::session::{self, Visitor};
use crate::WebState;

#[derive(Template)]
#[template(path = "forgot.html")]
pub struct ForgotPage {
    frame: Frame,
    mail_on: bool,
    sent: bool,
    email: String,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "reset.html")]
pub struct ResetPage {
    frame: Frame,
    username: String,
    secret: String,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "confirm_link.html")]
pub struct ConfirmLinkPage {
    frame: Frame,
    title_key: &'static str,
    button_key: &'static str,
    action: String,
}

#[derive(Template)]
#[template(path = "email.html")]
pub struct EmailPage {
    frame: Frame,
    current_line: String,
    sent: bool,
    email: String,
    errors: FieldErrors,
}

framed!(ForgotPage, ResetPage, ConfirmLinkPage, EmailPage);

macro_rules! errors_for {
    ($($page:ty),+) => {$(
        impl $page {
            pub fn error_for(&self, field: &str) -> Option<&str> {
                crate::listings::error_in(&self.errors, field)
            }
        }
    )+};
}
errors_for!(ForgotPage, ResetPage, EmailPage);

/// A secret as it may appear in a link: what `tokens::new_secret` makes.
fn plausible(secret: &str) -> bool {
    !secret.is_empty()
        && secret.len() <= 128
        && secret.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn dead_link(frame: Frame) -> HttpResponse {
    forms::message(frame, 410, "link_dead_title", "link_dead")
}

/// The page a use case's refusal of a link or a form deserves.
fn refused(frame: Frame, e: &maillage_core::Error) -> HttpResponse {
    if e.kind() == ErrorKind::Gone {
        dead_link(frame)
    } else {
        forms::refused(frame, e)
    }
}

async fn frame_of(req: &HttpRequest, state: &WebState) -> (Frame, Visitor) {
    Frame::of(req, state).await
}

pub async fn forgot_form(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (frame, visitor) = frame_of(&req, &state).await;
    let page = ForgotPage {
        frame,
        mail_on: state.config.mail.enabled(),
        sent: false,
        email: String::new(),
        errors: vec![],
    };
    form_page(&state, 200, page.render(), &visitor)
}

/// Same answer whether an account has the address or not; a malformed
/// address is 422 naming the field; too many tries 429.
pub async fn forgot(req: HttpRequest, form: web::Form<Form>, state: web::Data<WebState>) -> HttpResponse {
    if !session::form_is_ours(&req, field(&form, "csrf")) {
        return security::forbidden(state.lang(&req));
    }
    let (frame, visitor) = frame_of(&req, &state).await;
    let lang = frame.lang;
    let email = field(&form, "email").trim().to_owned();
    let mut page =
        ForgotPage { frame, mail_on: state.config.mail.enabled(), sent: false, email, errors: vec![] };
    if maillage_core::account::Email::parse(&page.email).is_err() {
        page.errors.push(("email", lang.t("err_email_invalid").to_owned()));
        return form_page(&state, 422, page.render(), &visitor);
    }
    let by_ip = state.limits.password_reset.check(&session::client_key(&req, &state));
    let by_address = state.limits.password_reset.check(&format!("mail:{}", page.email.to_lowercase()));
    let limited = [by_ip, by_address].into_iter().find(|v| !v.allowed);
    if let Some(verdict) = limited {
        let text = lang.fill("err_forgot_limited", &[&forms::wait_text(lang, verdict.retry_after)]);
        page.errors.push(("email", text));
        return forms::retry_after(form_page(&state, 429, page.render(), &visitor), verdict.retry_after);
    }
    let (config, address) = (state.config.clone(), page.email.clone());
    match state.db.run(move |conn| account_mail::request_password_reset(conn, &config, &address)).await {
        Ok(()) => {
            page.sent = true;
            page.email.clear();
            form_page(&state, 200, page.render(), &visitor)
        }
        Err(e) if e.kind().is_client_error() => {
            page.errors.push(("email", lang.t("err_email_invalid").to_owned()));
            form_page(&state, 422, page.render(), &visitor)
        }
        Err(e) => security::render_failed(&e),
    }
}

pub async fn reset_form(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, visitor) = frame_of(&req, &state).await;
    let secret = path.into_inner();
    if !plausible(&secret) {
        return dead_link(frame);
    }
    let s = secret.clone();
    match state.db.run(move |conn| account_mail::check_password_reset(conn, &s)).await {
        Ok(user) => {
            let page = ResetPage { frame, username: user.username, secret, errors: vec![] };
            form_page(&state, 200, page.render(), &visitor)
        }
        Err(e) => refused(frame, &e),
    }
}

pub async fn reset(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<Form>,
    state: web::Data<WebState>,
) -> HttpResponse {
    if !session::form_is_ours(&req, field(&form, "csrf")) {
        return security::forbidden(state.lang(&req));
    }
    let (frame, visitor) = frame_of(&req, &state).await;
    let secret = path.into_inner();
    if !plausible(&secret) {
        return dead_link(frame);
    }
    let (s, password) = (secret.clone(), field(&form, "password").to_owned());
    match state.db.run(move |conn| account_mail::reset_password(conn, &s, &password)).await {
        Ok(_) => forms::message(frame, 200, "reset_title", "reset_done"),
        Err(e) if e.kind() == ErrorKind::Unprocessable => {
            let s = secret.clone();
            let username = state
                .db
                .run(move |conn| account_mail::check_password_reset(conn, &s))
                .await
                .map(|u| u.username)
                .unwrap_or_default();
            let page =
                ResetPage { frame, username, secret, errors: vec![("password", e.message().to_owned())] };
            form_page(&state, 422, page.render(), &visitor)
        }
        Err(e) => refused(frame, &e),
    }
}

fn confirm_page(
    state: &WebState,
    frame: Frame,
    visitor: &Visitor,
    secret: &str,
    kind: (&'static str, &'static str, &str),
) -> HttpResponse {
    if !plausible(secret) {
        return dead_link(frame);
    }
    let (title_key, button_key, base) = kind;
    let page = ConfirmLinkPage { frame, title_key, button_key, action: format!("{base}/{secret}") };
    form_page(state, 200, page.render(), visitor)
}

pub async fn confirm_signup_form(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, visitor) = frame_of(&req, &state).await;
    confirm_page(
        &state,
        frame,
        &visitor,
        &path.into_inner(),
        ("mail_confirm_subject_short", "mail_confirm_link", "/signup/confirm"),
    )
}

pub async fn confirm_signup(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<Form>,
    state: web::Data<WebState>,
) -> HttpResponse {
    if !session::form_is_ours(&req, field(&form, "csrf")) {
        return security::forbidden(state.lang(&req));
    }
    let (frame, _) = frame_of(&req, &state).await;
    let (secret, config) = (path.into_inner(), state.config.clone());
    if !plausible(&secret) {
        return dead_link(frame);
    }
    let done = state
        .db
        .run(move |conn| {
            let mode = maillage_service::territory_settings::current(conn, &config)?.registration_mode;
            account_mail::confirm_signup(conn, &secret, mode == RegistrationMode::Approval)
        })
        .await;
    match done {
        Ok(user) if user.state == maillage_core::account::AccountState::Active => {
            forms::message(frame, 200, "confirmed_title", "confirmed_active")
        }
        Ok(_) => forms::message(frame, 200, "confirmed_title", "confirmed_pending"),
        Err(e) => refused(frame, &e),
    }
}

async fn email_page(req: &HttpRequest, state: &WebState) -> Result<(EmailPage, Visitor), HttpResponse> {
    let (frame, visitor, user) = forms::signed_in(req, state).await?;
    let current_line = frame.lang.fill("email_current", &[&user.email]);
    Ok((EmailPage { frame, current_line, sent: false, email: String::new(), errors: vec![] }, visitor))
}

pub async fn email_form(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (page, visitor) = crate::or_respond!(email_page(&req, &state).await);
    form_page(&state, 200, page.render(), &visitor)
}

/// Asks for a change of address: a link goes to the new one.
pub async fn change_email(
    req: HttpRequest,
    form: web::Form<Form>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (_, _, user) = crate::or_respond!(forms::posted(&req, &state, &form).await);
    let (mut page, visitor) = crate::or_respond!(email_page(&req, &state).await);
    let lang = page.frame.lang;
    page.email = field(&form, "email").trim().to_owned();
    let (config, address) = (state.config.clone(), page.email.clone());
    match state.db.run(move |conn| account_mail::request_email_change(conn, &config, &user, &address)).await {
        Ok(()) => {
            page.sent = true;
            page.email.clear();
            form_page(&state, 200, page.render(), &visitor)
        }
        Err(e) if e.kind().is_client_error() && e.kind() != ErrorKind::Unavailable => {
            let key = match e.kind() {
                ErrorKind::Conflict => "err_email_taken",
                _ if e.message().contains("already your") => "err_email_same",
                _ => "err_email_invalid",
            };
            page.errors.push(("email", lang.t(key).to_owned()));
            form_page(&state, e.kind().http_status(), page.render(), &visitor)
        }
        Err(e) => forms::refused(page.frame, &e),
    }
}

pub async fn confirm_email_form(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, visitor) = frame_of(&req, &state).await;
    confirm_page(
        &state,
        frame,
        &visitor,
        &path.into_inner(),
        ("email_title", "mail_change_link", "/me/email/confirm"),
    )
}

pub async fn confirm_email(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<Form>,
    state: web::Data<WebState>,
) -> HttpResponse {
    if !session::form_is_ours(&req, field(&form, "csrf")) {
        return security::forbidden(state.lang(&req));
    }
    let (frame, _) = frame_of(&req, &state).await;
    let secret = path.into_inner();
    if !plausible(&secret) {
        return dead_link(frame);
    }
    match state.db.run(move |conn| account_mail::confirm_email_change(conn, &secret)).await {
        Ok(_) => forms::message(frame, 200, "email_title", "email_changed"),
        Err(e) if e.kind() == ErrorKind::Conflict => {
            forms::message(frame, 409, "email_title", "err_email_taken")
        }
        Err(e) => refused(frame, &e),
    }
}
