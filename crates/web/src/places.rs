//! `/places?q=di`: suggestions for a "near" field as a person types (the
//! script `places.js` fills the field's `<datalist>`); the search works
//! the same without it. Answers are the same for everyone and change only
//! when the admin imports, so browsers may keep them an hour; each address
//! may ask as often as `service::limits::PLACE_SUGGESTIONS` says.

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use crate::WebState;

/// Suggestions in one answer.
const SHOWN: usize = 8;

pub async fn suggestions(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let verdict = state.limits.place_suggestions.check(&crate::session::client_key(&req, &state));
    if !verdict.allowed {
        return HttpResponse::TooManyRequests()
            .insert_header(("Retry-After", verdict.retry_after.as_secs().max(1).to_string()))
            .json(json!({ "error": "Too many requests" }));
    }
    let q = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .ok()
        .and_then(|pairs| pairs.into_inner().into_iter().find(|(k, _)| k == "q").map(|(_, v)| v))
        .unwrap_or_default();
    // A name too short to choose among thousands, or far too long to be one.
    if q.trim().chars().count() < 2 || q.len() > 200 {
        return answer(json!([]));
    }
    let t = &state.territory();
    let centre = (t.latitude, t.longitude);
    let found = state.db.run(move |conn| maillage_service::places::suggest(conn, &q, centre, SHOWN)).await;
    match found {
        Ok(places) => answer(
            places
                .iter()
                .map(|p| {
                    json!({
                        "label": p.label(),
                        "name": p.name,
                        "postcode": p.postcodes.first(),
                        "region": p.region,
                        "lat": p.latitude,
                        "lon": p.longitude,
                    })
                })
                .collect(),
        ),
        Err(e) => {
            tracing::error!(error = %e, "place suggestions failed");
            HttpResponse::InternalServerError().json(json!({ "error": "internal server error" }))
        }
    }
}

fn answer(body: serde_json::Value) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .json(body)
}
