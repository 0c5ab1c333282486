//! Logging in, signing up and logging out in the browser. Forms carry a
//! CSRF token; a form sent back with a problem keeps what was typed (never
//! the password) and says what is wrong next to the field.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::account::RegistrationMode;
use maillage_core::ErrorKind;
use maillage_service::accounts::NewAccount;
use maillage_service::limits::LoginFailure;
use maillage_service::web_sessions;

use crate::forms;
use crate::frame::Frame;
use crate::i18n::Lang;
use crate::listings::FieldErrors;
use crate::security;
use crate::session::{self, Visitor, CSRF_COOKIE, SESSION_COOKIE};
use crate::WebState;

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub lang: Lang,
    pub territory: String,
    pub me: Option<String>,
    pub is_admin: bool,
    pub unread: i64,
    pub unseen: i64,
    pub csrf: String,
    pub login: String,
    pub errors: FieldErrors,
    /// Where to go once logged in (a path of this site).
    pub next: String,
}

#[derive(Template)]
#[template(path = "signup.html")]
pub struct SignupPage {
    pub lang: Lang,
    pub territory: String,
    pub me: Option<String>,
    pub is_admin: bool,
    pub unread: i64,
    pub unseen: i64,
    pub csrf: String,
    pub username: String,
    pub email: String,
    pub errors: FieldErrors,
    pub closed: bool,
    pub pending: bool,
    /// A confirmation link was mailed.
    pub confirm_sent: bool,
}

impl LoginPage {
    pub fn error_for(&self, field: &str) -> Option<&str> {
        crate::listings::error_in(&self.errors, field)
    }
}

impl SignupPage {
    pub fn error_for(&self, field: &str) -> Option<&str> {
        crate::listings::error_in(&self.errors, field)
    }
}

fn lang_of(req: &HttpRequest, state: &WebState) -> Lang {
    state.lang(req)
}

/// The `next` of the log-in page's query, when it is a page of ours; an
/// error for one holding a control character.
fn next_of(req: &HttpRequest, state: &WebState) -> Result<String, maillage_core::Error> {
    let query = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .unwrap_or_default();
    Ok(forms::safe_next(state.urls.base(), field(&query, "next"))?.unwrap_or_default())
}

/// The page refusing a `next` that no browser should be sent to.
async fn bad_next(req: &HttpRequest, state: &WebState) -> HttpResponse {
    let (frame, _) = Frame::of(req, state).await;
    forms::message(frame, 400, "bad_next_title", "bad_next")
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// A rendered form page, setting the pre-session cookie when it is new.
pub(crate) fn form_page(
    state: &WebState,
    status: u16,
    html: Result<String, askama::Error>,
    visitor: &Visitor,
) -> HttpResponse {
    let html = match html {
        Ok(h) => h,
        Err(e) => return security::render_failed(&e),
    };
    let mut response = security::page_with_status(status, html, None);
    if let Some(pre) = &visitor.new_csrf_cookie {
        if let Ok(v) =
            header::HeaderValue::from_str(&session::set_cookie(state, CSRF_COOKIE, Some(pre), 86_400))
        {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

fn redirect(to: &str, cookie: Option<String>) -> HttpResponse {
    let mut r = HttpResponse::SeeOther();
    r.insert_header((header::LOCATION, to.to_owned()));
    if let Some(c) = cookie {
        r.insert_header((header::SET_COOKIE, c));
    }
    r.finish()
}

pub async fn login_form(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let lang = lang_of(&req, &state);
    let Ok(next) = next_of(&req, &state) else { return bad_next(&req, &state).await };
    let visitor = session::visitor(&req, &state).await;
    let page = LoginPage {
        lang,
        territory: state.territory().name.clone(),
        me: visitor.name(),
        is_admin: visitor.is_admin(),
        unread: visitor.unread,
        unseen: visitor.unseen,
        csrf: visitor.csrf.clone(),
        login: String::new(),
        errors: Vec::new(),
        next,
    };
    form_page(&state, 200, page.render(), &visitor)
}

pub async fn log_in(
    req: HttpRequest,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let lang = lang_of(&req, &state);
    if !session::form_is_ours(&req, field(&form, "csrf")) {
        return security::forbidden(lang);
    }
    // Where to go is checked before any session is opened.
    let Ok(next) = forms::safe_next(state.urls.base(), field(&form, "next")) else {
        return bad_next(&req, &state).await;
    };
    let (login, password) = (field(&form, "login").trim().to_owned(), field(&form, "password").to_owned());
    let mut errors: FieldErrors = Vec::new();
    if login.is_empty() {
        errors.push(("login", lang.t("err_login_empty").to_owned()));
    }
    if password.is_empty() {
        errors.push(("password", lang.t("err_password_empty").to_owned()));
    }
    let (mut status, mut wait) = (422, None);
    if errors.is_empty() {
        let (l, limits, ip) = (login.clone(), state.limits.clone(), session::client_key(&req, &state));
        match state
            .db
            .run(move |conn| Ok(web_sessions::log_in(conn, &limits.login_gate(&ip), &l, &password)))
            .await
        {
            Ok(Ok((_, secret))) => {
                let cookie = session::set_cookie(
                    &state,
                    SESSION_COOKIE,
                    Some(&secret),
                    web_sessions::SESSION_DAYS * 86_400,
                );
                return redirect(next.as_deref().unwrap_or("/"), Some(cookie));
            }
            Ok(Err(LoginFailure::Limited(limited))) => {
                let text = lang.fill("err_login_limited", &[&forms::wait_text(lang, limited.retry_after)]);
                errors.push(("password", text));
                (status, wait) = (429, Some(limited.retry_after));
            }
            Ok(Err(LoginFailure::Refused(e))) if e.kind().is_client_error() => {
                let key = if e.message().contains("approval") {
                    "err_pending"
                } else if e.message().contains("not confirmed") {
                    "err_unconfirmed"
                } else {
                    "err_login_wrong"
                };
                errors.push(("password", lang.t(key).to_owned()));
                // A wrong password is 401, as documented; a pending account 422.
                if e.kind() == ErrorKind::Unauthorized {
                    status = 401;
                }
            }
            Ok(Err(LoginFailure::Refused(e))) | Err(e) => return security::render_failed(&e),
        }
    }
    let visitor = session::visitor(&req, &state).await;
    let page = LoginPage {
        lang,
        territory: state.territory().name.clone(),
        me: None,
        is_admin: false,
        unread: 0,
        unseen: 0,
        csrf: visitor.csrf.clone(),
        login,
        errors,
        next: next.unwrap_or_default(),
    };
    let response = form_page(&state, status, page.render(), &visitor);
    match wait {
        Some(wait) => forms::retry_after(response, wait),
        None => response,
    }
}

pub async fn log_out(
    req: HttpRequest,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let lang = lang_of(&req, &state);
    if !session::form_is_ours(&req, field(&form, "csrf")) {
        return security::forbidden(lang);
    }
    if let Some(secret) = session::cookie(&req, SESSION_COOKIE) {
        if let Err(e) = state.db.run(move |conn| web_sessions::log_out(conn, &secret)).await {
            return security::render_failed(&e);
        }
    }
    redirect("/", Some(session::set_cookie(&state, SESSION_COOKIE, None, 0)))
}

/// How people register now (an admin may have changed it since start-up).
async fn registration_mode(state: &WebState) -> Result<RegistrationMode, maillage_core::Error> {
    let config = state.config.clone();
    state
        .db
        .run(move |conn| maillage_service::territory_settings::current(conn, &config))
        .await
        .map(|s| s.registration_mode)
}

fn signup_page(state: &WebState, lang: Lang, visitor: &Visitor, mode: RegistrationMode) -> SignupPage {
    SignupPage {
        lang,
        territory: state.territory().name.clone(),
        me: visitor.name(),
        is_admin: visitor.is_admin(),
        unread: visitor.unread,
        unseen: visitor.unseen,
        csrf: visitor.csrf.clone(),
        username: String::new(),
        email: String::new(),
        errors: Vec::new(),
        closed: mode == RegistrationMode::Closed,
        pending: false,
        confirm_sent: false,
    }
}

pub async fn signup_form(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let lang = lang_of(&req, &state);
    let visitor = session::visitor(&req, &state).await;
    let mode = match registration_mode(&state).await {
        Ok(m) => m,
        Err(e) => return security::render_failed(&e),
    };
    form_page(&state, 200, signup_page(&state, lang, &visitor, mode).render(), &visitor)
}

/// Every problem of a sign-up form at once, in the page's language, by the
/// account rules (a taken name or address is found later, on writing).
fn signup_problems(lang: Lang, username: &str, email: &str, password: &str) -> FieldErrors {
    let mut errors: FieldErrors = Vec::new();
    if username.is_empty() {
        errors.push(("username", lang.t("err_signup_username_empty").to_owned()));
    } else if let Err(e) = maillage_core::account::Username::parse_new(username) {
        let key = if e.message().contains("reserved") {
            "err_signup_username_reserved"
        } else {
            "err_signup_username"
        };
        errors.push(("username", lang.t(key).to_owned()));
    }
    if email.is_empty() {
        errors.push(("email", lang.t("err_signup_email_empty").to_owned()));
    } else if maillage_core::account::Email::parse(email).is_err() {
        errors.push(("email", lang.t("err_email_invalid").to_owned()));
    }
    if maillage_core::account::validate_new_password(password).is_err() {
        errors.push(("password", lang.t("err_signup_password").to_owned()));
    }
    errors
}

/// Which field a refusal of the account rules is about.
fn field_of(message: &str) -> &'static str {
    let m = message.to_lowercase();
    if m.contains("mail") {
        "email"
    } else if m.contains("password") {
        "password"
    } else {
        "username"
    }
}

pub async fn sign_up(
    req: HttpRequest,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let lang = lang_of(&req, &state);
    if !session::form_is_ours(&req, field(&form, "csrf")) {
        return security::forbidden(lang);
    }
    let visitor = session::visitor(&req, &state).await;
    let verdict = state.limits.sign_up.check(&session::client_key(&req, &state));
    if !verdict.allowed {
        let frame = Frame::new(&state, lang, &visitor);
        let text = lang.fill("err_signup_limited", &[&forms::wait_text(lang, verdict.retry_after)]);
        let page = forms::message_text(frame, 429, lang.t("limited_title").to_owned(), text);
        return forms::retry_after(page, verdict.retry_after);
    }
    let mode = match registration_mode(&state).await {
        Ok(m) => m,
        Err(e) => return security::render_failed(&e),
    };
    let mut page = signup_page(&state, lang, &visitor, mode);
    page.username = field(&form, "username").trim().to_owned();
    page.email = field(&form, "email").trim().to_owned();
    if page.closed {
        return form_page(&state, 403, page.render(), &visitor);
    }
    let (username, email, password) =
        (page.username.clone(), page.email.clone(), field(&form, "password").to_owned());
    page.errors = signup_problems(lang, &username, &email, &password);
    if !page.errors.is_empty() {
        return form_page(&state, 422, page.render(), &visitor);
    }
    let (config, locale) = (state.config.clone(), lang.code());
    let created = state
        .db
        .run(move |conn| {
            let new = NewAccount {
                username: &username,
                email: &email,
                password: Some(&password),
                locale,
                ..Default::default()
            };
            maillage_service::account_mail::register(conn, &config, mode, &new)
        })
        .await;
    match created {
        Ok(_) if state.config.registration.confirm_email => {
            page.confirm_sent = true;
            form_page(&state, 200, page.render(), &visitor)
        }
        Ok(_) if mode == RegistrationMode::Approval => {
            page.pending = true;
            form_page(&state, 200, page.render(), &visitor)
        }
        Ok(_) => redirect("/login", None),
        Err(e) if e.kind().is_client_error() => {
            let field = field_of(e.message());
            let key = match (field, e.kind()) {
                ("email", ErrorKind::Conflict) => "err_email_taken",
                ("username", ErrorKind::Conflict) => "err_signup_username_taken",
                ("email", _) => "err_email_invalid",
                ("password", _) => "err_signup_password",
                _ => "err_signup_username",
            };
            page.errors.push((field, lang.t(key).to_owned()));
            form_page(&state, 422, page.render(), &visitor)
        }
        Err(e) => security::render_failed(&e),
    }
}
