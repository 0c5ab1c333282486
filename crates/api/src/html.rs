//! The minimal HTML pages actor and object URLs show to browsers until the
//! web crate serves real ones.

use actix_web::HttpResponse;

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `body_html` must already be sanitized.
pub fn minimal_page(title: &str, subtitle: &str, body_html: &str, alternate: Option<&str>) -> HttpResponse {
    let link = alternate
        .map(|href| {
            format!(r#"<link rel="alternate" type="application/activity+json" href="{}">"#, escape(href))
        })
        .unwrap_or_default();
    let page = format!(
        "<!doctype html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>{t}</title>{link}</head><body><main><h1>{t}</h1><p>{s}</p><div>{body_html}</div></main></body></html>",
        t = escape(title),
        s = escape(subtitle),
    );
    HttpResponse::Ok().content_type("text/html; charset=utf-8").insert_header(("Vary", "Accept")).body(page)
}
