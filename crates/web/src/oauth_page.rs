//! `/oauth/authorize`: where an app (Tusky, Elk, toot…) asks a person to
//! let it act for them. Signed in on the site, they only confirm; signed
//! out, the page is the site's log-in form (and logging in there signs
//! them in on the site too). The request travels in hidden fields; the
//! app gets its code at its registered redirect URI (or it is shown, out
//! of band). A request that cannot be served is never redirected.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::account::User;
use maillage_core::Error;
use maillage_service::limits::LoginFailure;
use maillage_service::oauth::{self as cases, AuthorizeRequest, OUT_OF_BAND};
use maillage_service::web_sessions;

use crate::auth::form_page;
use crate::forms::{self, field, Form};
use crate::frame::Frame;
use crate::framed;
use crate::listings::{error_in, FieldErrors};
use crate::session::{self, SESSION_COOKIE};
use crate::WebState;

/// The request's fields, carried by the form.
const REQUEST_FIELDS: &[&str] = &[
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
];

#[derive(Template)]
#[template(path = "authorize.html")]
pub struct AuthorizePage {
    pub frame: Frame,
    pub app: String,
    pub scopes: String,
    pub hidden: Vec<(&'static str, String)>,
    pub login: String,
    pub errors: FieldErrors,
}
framed!(AuthorizePage);

impl AuthorizePage {
    pub fn error_for(&self, name: &str) -> Option<&str> {
        error_in(&self.errors, name)
    }
}

fn request_of(form: &[(String, String)]) -> AuthorizeRequest {
    let opt = |k: &str| Some(field(form, k).to_owned()).filter(|v| !v.is_empty());
    AuthorizeRequest {
        client_id: field(form, "client_id").to_owned(),
        redirect_uri: field(form, "redirect_uri").to_owned(),
        scope: opt("scope"),
        code_challenge: opt("code_challenge"),
        code_challenge_method: opt("code_challenge_method"),
    }
}

fn hidden_of(form: &[(String, String)]) -> Vec<(&'static str, String)> {
    REQUEST_FIELDS
        .iter()
        .filter_map(|k| Some((*k, field(form, k).to_owned())).filter(|(_, v)| !v.is_empty()))
        .collect()
}

fn refused(frame: Frame, e: &Error) -> HttpResponse {
    let title = frame.lang.t("oauth_refused").to_owned();
    forms::message_text(frame, 400, title, e.message().to_owned())
}

pub async fn show(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (frame, visitor) = Frame::of(&req, &state).await;
    let query: Form =
        web::Query::<Form>::from_query(req.query_string()).map(|q| q.into_inner()).unwrap_or_default();
    if !matches!(field(&query, "response_type"), "" | "code") {
        return refused(frame, &Error::bad_request("response_type must be code"));
    }
    let request = request_of(&query);
    let checked = state.db.run(move |conn| Ok::<_, Error>(cases::check_authorize(conn, &request))).await;
    match checked {
        Ok(Ok((app, scopes))) => {
            let page = AuthorizePage {
                frame,
                app: app.name,
                scopes: scopes.to_string(),
                hidden: hidden_of(&query),
                login: String::new(),
                errors: Vec::new(),
            };
            form_page(&state, 200, page.render(), &visitor)
        }
        Ok(Err(e)) | Err(e) => refused(frame, &e),
    }
}

/// Where the browser goes with the code (or the page showing it).
fn deliver(
    frame: Frame,
    form: &[(String, String)],
    code: Result<String, Error>,
    cookie: Option<String>,
) -> HttpResponse {
    let redirect_uri = field(form, "redirect_uri");
    let mut response = if redirect_uri == OUT_OF_BAND {
        match code {
            Ok(code) => {
                let title = frame.lang.t("oauth_code_title").to_owned();
                let text = frame.lang.t("oauth_code_text").to_owned();
                let mut r = forms::render(200, &forms::MessagePage { frame, title, text, code: Some(code) });
                r.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
                r
            }
            Err(e) => forms::refused(frame, &e),
        }
    } else {
        let Ok(mut target) = url::Url::parse(redirect_uri) else {
            return refused(frame, &Error::bad_request("redirect_uri is not a URL"));
        };
        match code {
            Ok(code) => {
                target.query_pairs_mut().append_pair("code", &code);
                if let Some(s) = Some(field(form, "state")).filter(|s| !s.is_empty()) {
                    target.query_pairs_mut().append_pair("state", s);
                }
                HttpResponse::Found()
                    .insert_header((header::LOCATION, target.to_string()))
                    .insert_header((header::CACHE_CONTROL, "no-store"))
                    .finish()
            }
            // The person said no: the app hears it (RFC 6749, 4.1.2.1).
            Err(e) if e.kind() == maillage_core::ErrorKind::Forbidden => {
                target.query_pairs_mut().append_pair("error", "access_denied");
                HttpResponse::Found().insert_header((header::LOCATION, target.to_string())).finish()
            }
            Err(e) => forms::refused(frame, &e),
        }
    };
    if let Some(c) = cookie.and_then(|c| header::HeaderValue::from_str(&c).ok()) {
        response.headers_mut().append(header::SET_COOKIE, c);
    }
    response
}

pub async fn submit(req: HttpRequest, sent: web::Form<Form>, state: web::Data<WebState>) -> HttpResponse {
    let (frame, visitor) = Frame::of(&req, &state).await;
    if !session::form_is_ours(&req, field(&sent, "csrf")) {
        return crate::security::forbidden(frame.lang);
    }
    let request = request_of(&sent);
    let check = request_of(&sent);
    let checked = state.db.run(move |conn| Ok::<_, Error>(cases::check_authorize(conn, &check))).await;
    let (app, scopes) = match checked {
        Ok(Ok(found)) => found,
        Ok(Err(e)) | Err(e) => return refused(frame, &e),
    };
    if !field(&sent, "deny").is_empty() {
        return deliver(frame, &sent, Err(Error::forbidden("The person refused")), None);
    }
    // Signed in: the session says who. Otherwise the log-in fields, which
    // also open a session on the site.
    let (user, cookie): (User, Option<String>) = match visitor.user.clone() {
        Some(user) => (user, None),
        None => {
            let (login, password) =
                (field(&sent, "login").trim().to_owned(), field(&sent, "password").to_owned());
            let (l, limits, ip) = (login.clone(), state.limits.clone(), session::client_key(&req, &state));
            let tried = state
                .db
                .run(move |conn| Ok(web_sessions::log_in(conn, &limits.login_gate(&ip), &l, &password)))
                .await;
            match tried {
                Ok(Ok((user, secret))) => {
                    let days = web_sessions::SESSION_DAYS * 86_400;
                    (user, Some(session::set_cookie(&state, SESSION_COOKIE, Some(&secret), days)))
                }
                Ok(Err(failure)) => {
                    let page = AuthorizePage {
                        frame,
                        app: app.name,
                        scopes: scopes.to_string(),
                        hidden: hidden_of(&sent),
                        login,
                        errors: Vec::new(),
                    };
                    return login_refused(&state, page, &visitor, failure);
                }
                Err(e) => return forms::refused(frame, &e),
            }
        }
    };
    let code = state.db.run(move |conn| cases::authorize(conn, &request, &user)).await;
    deliver(frame, &sent, code, cookie)
}

/// The form again after a refused log-in: 401 for a wrong password, 429
/// (with `Retry-After`) after too many.
fn login_refused(
    state: &WebState,
    mut page: AuthorizePage,
    visitor: &crate::session::Visitor,
    failure: LoginFailure,
) -> HttpResponse {
    let lang = page.frame.lang;
    let (message, status, wait) = match failure {
        LoginFailure::Limited(limited) => {
            let text = lang.fill("err_login_limited", &[&forms::wait_text(lang, limited.retry_after)]);
            (text, 429, Some(limited.retry_after))
        }
        LoginFailure::Refused(e) if e.kind().is_client_error() => {
            let key = if e.message().contains("approval") { "err_pending" } else { "err_login_wrong" };
            (lang.t(key).to_owned(), 401, None)
        }
        LoginFailure::Refused(e) => return forms::refused(page.frame, &e),
    };
    page.errors.push(("password", message));
    let response = form_page(state, status, page.render(), visitor);
    match wait {
        Some(wait) => forms::retry_after(response, wait),
        None => response,
    }
}
