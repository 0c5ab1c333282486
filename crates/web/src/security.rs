//! Headers on every page: no script or style from elsewhere, no framing,
//! no MIME sniffing, no referrer sent to other sites.

use actix_web::http::header::{self, HeaderValue};
use actix_web::HttpResponse;

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data: https:; \
    style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
    frame-ancestors 'none'";

/// An HTML page with its security headers; `remember` sets the language
/// cookie when the visitor chose a language.
pub fn page(html: String, remember: Option<&str>) -> HttpResponse {
    page_with_status(200, html, remember)
}

/// The same with another status (422 for a form sent back with errors).
pub fn page_with_status(status: u16, html: String, remember: Option<&str>) -> HttpResponse {
    let code = actix_web::http::StatusCode::from_u16(status).unwrap_or(actix_web::http::StatusCode::OK);
    let mut response = HttpResponse::build(code);
    response
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY)))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .insert_header((header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .insert_header((header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .insert_header((header::VARY, HeaderValue::from_static("Accept-Language, Cookie")));
    if let Some(lang) = remember {
        // A preference, not a secret: readable by the page is harmless,
        // but HttpOnly all the same, and a year long.
        response.insert_header((
            header::SET_COOKIE,
            format!("lang={lang}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly"),
        ));
    }
    response.body(html)
}

/// A page that could not be rendered: a plain 500, the cause in the logs.
pub fn render_failed(error: &dyn std::fmt::Display) -> HttpResponse {
    tracing::error!(%error, "page rendering failed");
    HttpResponse::InternalServerError()
        .content_type("text/plain; charset=utf-8")
        .body("internal server error")
}

#[derive(askama::Template)]
#[template(path = "not_found.html")]
struct NotFound {
    lang: crate::i18n::Lang,
    territory: String,
    me: Option<String>,
    is_admin: bool,
    csrf: String,
    unread: i64,
    unseen: i64,
}

#[derive(askama::Template)]
#[template(path = "forbidden.html")]
struct Forbidden {
    lang: crate::i18n::Lang,
    territory: String,
    me: Option<String>,
    is_admin: bool,
    csrf: String,
    unread: i64,
    unseen: i64,
}

/// 403 for a form without its CSRF token.
pub fn forbidden(lang: crate::i18n::Lang) -> HttpResponse {
    use askama::Template;
    match (Forbidden {
        lang,
        territory: String::new(),
        me: None,
        is_admin: false,
        csrf: String::new(),
        unread: 0,
        unseen: 0,
    })
    .render()
    {
        Ok(html) => page_with_status(403, html, None),
        Err(e) => render_failed(&e),
    }
}

/// 404, as a page in the visitor's language.
pub fn not_found(lang: crate::i18n::Lang) -> HttpResponse {
    use askama::Template;
    match (NotFound {
        lang,
        territory: String::new(),
        me: None,
        is_admin: false,
        csrf: String::new(),
        unread: 0,
        unseen: 0,
    })
    .render()
    {
        Ok(html) => page_with_status(404, html, None),
        Err(e) => render_failed(&e),
    }
}
