//! Bookmarks (`/api/v1/bookmarks`, `statuses/{id}/bookmark`) and reading
//! positions (`/api/v1/markers`), which apps sync between devices.

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::client_state::MarkerRow;
use maillage_service::client_state as cases;
use serde_json::{json, Map, Value};

use super::auth::require;
use super::entities::status_to_api;
use super::params::path_id;
use super::timelines::{paged_response, PageParams};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/bookmarks", web::get().to(bookmarks))
        .route("/api/v1/statuses/{id}/bookmark", web::post().to(bookmark))
        .route("/api/v1/statuses/{id}/unbookmark", web::post().to(unbookmark))
        .route("/api/v1/markers", web::get().to(markers))
        .route("/api/v1/markers", web::post().to(save_markers));
}

async fn bookmarks(
    req: HttpRequest,
    q: web::Query<PageParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (_, me) = require(&req, &state, &["read:bookmarks"]).await?;
    let page = q.page();
    let show = state.showing();
    let items = state
        .db
        .run(move |conn| {
            let mut out = Vec::new();
            for (mark, post) in cases::bookmarks(conn, &me, page)? {
                out.push((mark, status_to_api(conn, &post, Some(&me), &show)?));
            }
            Ok::<_, Error>(out)
        })
        .await?;
    Ok(paged_response(&req, items))
}

async fn set_bookmark(
    req: HttpRequest,
    id: &str,
    state: &AppState,
    on: bool,
) -> Result<HttpResponse, ApiError> {
    let (auth, me) = require(&req, state, &["write:bookmarks"]).await?;
    let id = path_id(id)?;
    let show = state.showing();
    let status = state
        .db
        .run(move |conn| {
            let post = cases::bookmark(conn, &auth.user, id, on)?;
            status_to_api(conn, &post, Some(&me), &show)
        })
        .await?;
    Ok(HttpResponse::Ok().json(status))
}

async fn bookmark(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    set_bookmark(req, &path, &state, true).await
}

async fn unbookmark(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    set_bookmark(req, &path, &state, false).await
}

fn markers_to_api(rows: &[MarkerRow]) -> Value {
    let mut out = Map::new();
    for m in rows {
        out.insert(
            m.timeline.clone(),
            json!({
                "last_read_id": m.last_read_id.to_string(),
                "version": m.version,
                "updated_at": Timestamp::from_micros(m.updated_at).to_rfc3339(),
            }),
        );
    }
    Value::Object(out)
}

/// `timeline[]=home&timeline[]=notifications` (or `timeline=home`).
async fn markers(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["read:statuses"]).await?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let wanted: Vec<String> =
        pairs.into_iter().filter(|(k, _)| k == "timeline[]" || k == "timeline").map(|(_, v)| v).collect();
    let rows = state.db.run(move |conn| cases::markers(conn, &auth.user, &wanted)).await?;
    Ok(HttpResponse::Ok().json(markers_to_api(&rows)))
}

/// The positions in a body: `home[last_read_id]=…` in a form, or
/// `{"home": {"last_read_id": "…"}}` in JSON.
fn positions(req: &HttpRequest, bytes: &[u8]) -> Result<Vec<(String, String)>, Error> {
    let content_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if content_type.starts_with("application/json") {
        let body: Map<String, Value> = serde_json::from_slice(bytes)
            .map_err(|e| Error::unprocessable(format!("invalid JSON body: {e}")))?;
        return Ok(body
            .into_iter()
            .filter_map(|(timeline, v)| {
                let id = match v.get("last_read_id")? {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                Some((timeline, id))
            })
            .collect());
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes)
        .map_err(|e| Error::unprocessable(format!("invalid form body: {e}")))?;
    Ok(pairs
        .into_iter()
        .filter_map(|(k, v)| k.strip_suffix("[last_read_id]").map(|t| (t.to_owned(), v)))
        .collect())
}

async fn save_markers(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:statuses"]).await?;
    let positions = positions(&req, &bytes)?;
    let rows = state.db.run(move |conn| cases::save_markers(conn, &auth.user, &positions)).await?;
    Ok(HttpResponse::Ok().json(markers_to_api(&rows)))
}
