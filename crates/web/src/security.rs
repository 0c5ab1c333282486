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
    let mut response = HttpResponse::Ok();
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
