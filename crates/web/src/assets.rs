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

async fn file(path: web::Path<String>) -> HttpResponse {
    match FILES.iter().find(|(name, _, _)| *name == path.as_str()) {
        Some((_, kind, bytes)) => HttpResponse::Ok()
            .content_type(*kind)
            .insert_header(("Cache-Control", "public, max-age=86400"))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .body(*bytes),
        None => HttpResponse::NotFound().content_type("text/plain; charset=utf-8").body("not found"),
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/static/{path:(maillage\\.css|map\\.js|picker\\.js|terms\\.js|places\\.js|place_map\\.js|leaflet/.+)}",
        web::get().to(file),
    );
}
