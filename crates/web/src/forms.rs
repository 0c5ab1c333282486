//! What every form handler does: read fields, check the CSRF token,
//! require a signed-in visitor, answer with a redirect or a message page.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::account::User;
use maillage_core::Error;

use crate::frame::Frame;
use crate::framed;
use crate::security;
use crate::session::{self, Visitor};
use crate::WebState;

/// A form as sent: repeated names kept, in order.
pub type Form = Vec<(String, String)>;

/// The value of a field, or "".
pub fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// The visitor (or form) a handler needs, or the response that refuses it
/// (a redirect to the log-in page, a 403).
#[macro_export]
macro_rules! or_respond {
    ($checked:expr) => {
        match $checked {
            Ok(v) => v,
            Err(response) => return response,
        }
    };
}

/// After a use case: on to `to` when it went through, the refusal's page
/// otherwise.
pub fn then_go<T>(frame: Frame, done: Result<T, Error>, to: &str) -> HttpResponse {
    match done {
        Ok(_) => see_other(to),
        Err(e) => refused(frame, &e),
    }
}

/// 303 to a page of ours.
pub fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, to.to_owned())).finish()
}

/// Where to go after logging in: `next` read as a URL against this node's
/// `base` (as a browser would read it), kept only when it stays on this
/// site (same origin once parsed), as the path it parsed to. Nothing, or
/// an address elsewhere, is `None` (the home page); a control character
/// anywhere (a tab or a new line, which browsers drop or choke on) is
/// refused.
pub fn safe_next(base: &str, next: &str) -> Result<Option<String>, Error> {
    if next.chars().any(char::is_control) {
        return Err(Error::bad_request("next holds a control character"));
    }
    let (Ok(base), false) = (url::Url::parse(base), next.is_empty()) else { return Ok(None) };
    let Ok(target) = base.join(next) else { return Ok(None) };
    let local = &target[url::Position::BeforePath..];
    // `/.//x` parses to the path `//x`, which a browser would read as
    // another host.
    let same_site = target.origin() == base.origin() && !local.starts_with("//");
    Ok(same_site.then(|| local.to_owned()))
}

/// How long to wait, in words: `12 secondes`, `3 minutes`.
pub fn wait_text(lang: crate::i18n::Lang, wait: std::time::Duration) -> String {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    match secs {
        0 | 1 => lang.t("wait_second").to_owned(),
        2..=59 => lang.fill("wait_seconds", &[&secs.to_string()]),
        60 => lang.t("wait_minute").to_owned(),
        _ => lang.fill("wait_minutes", &[&secs.div_ceil(60).to_string()]),
    }
}

/// A page that refuses for now (429), saying when to come back, in
/// `Retry-After` too.
pub fn retry_after(mut response: HttpResponse, wait: std::time::Duration) -> HttpResponse {
    let secs = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
    if let Ok(v) = header::HeaderValue::from_str(&secs.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

/// The signed-in visitor, or a redirect to the log-in page that comes back
/// here.
pub async fn signed_in(req: &HttpRequest, state: &WebState) -> Result<(Frame, Visitor, User), HttpResponse> {
    let (frame, visitor) = Frame::of(req, state).await;
    match visitor.user.clone() {
        Some(user) => Ok((frame, visitor, user)),
        None => {
            let here = match req.query_string() {
                "" => req.path().to_owned(),
                q => format!("{}?{q}", req.path()),
            };
            let next: String = url_escape(&here);
            Err(see_other(&format!("/login?next={next}")))
        }
    }
}

/// A form sent by a signed-in visitor with its CSRF token.
pub async fn posted(
    req: &HttpRequest,
    state: &WebState,
    form: &[(String, String)],
) -> Result<(Frame, Visitor, User), HttpResponse> {
    if !session::form_is_ours(req, field(form, "csrf")) {
        return Err(security::forbidden(state.lang(req)));
    }
    signed_in(req, state).await
}

/// The same for an admin of the node (403 for anyone else).
pub async fn posted_by_admin(
    req: &HttpRequest,
    state: &WebState,
    form: &[(String, String)],
) -> Result<(Frame, Visitor, User), HttpResponse> {
    let (frame, visitor, user) = posted(req, state, form).await?;
    if !user.role.is_admin() {
        return Err(message(frame, 403, "admin_only_title", "admin_only"));
    }
    Ok((frame, visitor, user))
}

fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub frame: Frame,
    pub title: String,
    pub text: String,
    /// A code to copy (OAuth's out-of-band code).
    pub code: Option<String>,
}
framed!(MessagePage);

/// A short page saying what happened (keys of the string table).
pub fn message(frame: Frame, status: u16, title_key: &str, text_key: &str) -> HttpResponse {
    let (title, text) = (frame.lang.t(title_key).to_owned(), frame.lang.t(text_key).to_owned());
    message_text(frame, status, title, text)
}

pub fn message_text(frame: Frame, status: u16, title: String, text: String) -> HttpResponse {
    render(status, &MessagePage { frame, title, text, code: None })
}

/// The answer to a use case that failed: the client's mistake as a page
/// saying what it was (its status kept), anything else a 500.
pub fn refused(frame: Frame, error: &Error) -> HttpResponse {
    if !error.kind().is_client_error() {
        return security::render_failed(error);
    }
    let status = error.kind().http_status();
    let title = frame.lang.t("refused_title").to_owned();
    // The service's own words are English; the title says it in the
    // page's language.
    message_text(frame, status, title, error.message().to_owned())
}

/// A rendered page (keeping the language the visitor chose), or the 500
/// that says it could not be.
pub fn render<P: Template + std::ops::Deref<Target = Frame>>(status: u16, page: &P) -> HttpResponse {
    match page.render() {
        Ok(html) => security::page_with_status(status, html, page.chosen.map(crate::i18n::Lang::code)),
        Err(e) => security::render_failed(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://maillage.example";

    fn next(text: &str) -> Option<String> {
        safe_next(BASE, text).ok().flatten()
    }

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(next("/@alice/listings/1?lang=en"), Some("/@alice/listings/1?lang=en".into()));
        assert_eq!(next("https://maillage.example/me"), Some("/me".into()));
        assert_eq!(next("me/matches"), Some("/me/matches".into()));
        assert_eq!(next(""), None);
        for elsewhere in [
            "//evil.example",
            "https://evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "/.//evil.example",
            "http://maillage.example/",
            "javascript:alert(1)",
            "https://maillage.example@evil.example/",
        ] {
            assert_eq!(next(elsewhere), None, "{elsewhere}");
        }
        for control in ["/\t/evil.example", "/me\nSet-Cookie: x=1", "/\r\n", "/a\u{0}", "/\u{7f}", "/\u{85}"]
        {
            assert!(safe_next(BASE, control).is_err(), "{control:?}");
        }
    }

    #[test]
    fn waits_are_said_in_words() {
        use crate::i18n::Lang;
        use std::time::Duration;
        assert_eq!(wait_text(Lang::En, Duration::from_millis(200)), "one second");
        assert_eq!(wait_text(Lang::Fr, Duration::from_secs(12)), "12 secondes");
        assert_eq!(wait_text(Lang::En, Duration::from_secs(60)), "one minute");
        assert_eq!(wait_text(Lang::En, Duration::from_secs(61)), "2 minutes");
    }
}

/// "Are you sure?": a page whose one button sends `fields` and
/// `confirm=yes` to `action` (what cannot be undone asks first, with or
/// without JavaScript).
#[derive(Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub frame: Frame,
    pub title: String,
    pub text: String,
    pub action: String,
    pub fields: Vec<(String, String)>,
    pub yes: String,
    pub back: String,
}
framed!(ConfirmPage);

/// Whether a form sent the confirmation [`ConfirmPage`] adds.
pub fn confirmed(sent: &[(String, String)]) -> bool {
    field(sent, "confirm") == "yes"
}

/// A use case's refusal (`Validation failed: capacity: …; title: …`) as
/// the form's problems: each field it names, through `field_of` (the
/// service's name to the form's), with its message `{prefix}{field}` in
/// `lang`; once per field.
pub fn errors_of_refusal(
    message: &str,
    lang: crate::i18n::Lang,
    prefix: &str,
    field_of: fn(&str) -> &'static str,
) -> crate::listings::FieldErrors {
    let mut errors: crate::listings::FieldErrors = Vec::new();
    for problem in message.trim_start_matches("Validation failed:").split(';') {
        let name = field_of(problem.split(':').next().unwrap_or("").trim());
        if !errors.iter().any(|(f, _)| *f == name) {
            errors.push((name, lang.t(&format!("{prefix}{name}")).to_owned()));
        }
    }
    errors
}
