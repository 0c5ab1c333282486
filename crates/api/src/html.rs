//! The minimal HTML pages actor and object URLs show to browsers until the
//! web crate serves real ones.

use actix_web::http::header;
use actix_web::HttpResponse;
use maillage_core::html::escape_html;

/// These pages have no script, style, form or frame of their own: nothing
/// else may be loaded into them, and they may not be framed.
pub const MINIMAL_PAGE_CSP: &str =
    "default-src 'none'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// `body_html` must already be sanitized.
pub fn minimal_page(title: &str, subtitle: &str, body_html: &str, alternate: Option<&str>) -> HttpResponse {
    let link = alternate
        .map(|href| {
            format!(r#"<link rel="alternate" type="application/activity+json" href="{}">"#, escape_html(href))
        })
        .unwrap_or_default();
    let page = format!(
        "<!doctype html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>{t}</title>{link}</head><body><main><h1>{t}</h1><p>{s}</p><div>{body_html}</div></main></body></html>",
        t = escape_html(title),
        s = escape_html(subtitle),
    );
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, MINIMAL_PAGE_CSP))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"))
        .insert_header((header::REFERRER_POLICY, "same-origin"))
        .insert_header(("Vary", "Accept"))
        .body(page)
}
