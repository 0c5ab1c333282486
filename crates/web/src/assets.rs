//! Files served from the binary: our stylesheet and map script, and
//! Leaflet 1.9.4 (BSD-2-Clause, its licence in `static/leaflet/LICENSE`).

use actix_web::{web, HttpResponse};

const FILES: &[(&str, &str, &[u8])] = &[
    ("maillage.css", "text/css; charset=utf-8", include_bytes!("../static/maillage.css")),
    ("map.js", "text/javascript; charset=utf-8", include_bytes!("../static/map.js")),
    ("picker.js", "text/javascript; charset=utf-8", include_bytes!("../static/picker.js")),
    ("terms.js", "text/javascript; charset=utf-8", include_bytes!("../static/terms.js")),
    ("places.js", "text/javascript; charset=utf-8", include_bytes!("../static/places.js")),
    ("place_map.js", "text/javascript; charset=utf-8", include_bytes!("../static/place_map.js")),
    ("send_once.js", "text/javascript; charset=utf-8", include_bytes!("../static/send_once.js")),
    ("leaflet/leaflet.js", "text/javascript; charset=utf-8", include_bytes!("../static/leaflet/leaflet.js")),
    ("leaflet/leaflet.css", "text/css; charset=utf-8", include_bytes!("../static/leaflet/leaflet.css")),
    ("leaflet/LICENSE", "text/plain; charset=utf-8", include_bytes!("../static/leaflet/LICENSE")),
    (
        "leaflet/images/marker-icon.png",
        "image/png",
        include_bytes!("../static/leaflet/images/marker-icon.png"),
    ),
    (
        "leaflet/images/marker-icon-2x.png",
        "image/png",
        include_bytes!("../static/leaflet/images/marker-icon-2x.png"),
    ),
    (
        "leaflet/images/marker-shadow.png",
        "image/png",
        include_bytes!("../static/leaflet/images/marker-shadow.png"),
    ),
];

fn serve(kind: &'static str, bytes: &'static [u8]) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(kind)
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(bytes)
}

/// One route per file of [`FILES`], so that a file added there is served
/// and nothing else under `/static/` is taken from other routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    for &(name, kind, bytes) in FILES {
        cfg.route(&format!("/static/{name}"), web::get().to(move || async move { serve(kind, bytes) }));
    }
}
