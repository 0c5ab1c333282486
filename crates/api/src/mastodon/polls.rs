//! `/api/v1/polls/:id` and `/api/v1/polls/:id/votes`: reading a poll and
//! voting in it (the id is its status's).

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::Error;
use maillage_service::polls as cases;

use super::auth::{optional, require};
use super::entities::poll_to_api;
use super::params::path_id;
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/polls/{id}", web::get().to(get))
        .route("/api/v1/polls/{id}/votes", web::post().to(vote));
}

async fn get(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let user = optional(&req, &state, &["read:statuses"]).await?.map(|(auth, _)| auth.user);
    let id = path_id(&path)?;
    let poll = state.db.run(move |conn| cases::get(conn, user.as_ref(), id)).await?;
    Ok(HttpResponse::Ok().json(poll_to_api(&poll)))
}

/// `choices[]=0&choices[]=2` in a form, `{"choices": [0, 2]}` in JSON.
fn choices_of(req: &HttpRequest, bytes: &[u8]) -> Result<Vec<usize>, Error> {
    let bad = || Error::unprocessable("Validation failed: choices must be option numbers");
    let content_type = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let raw: Vec<String> = if content_type.starts_with("application/json") {
        let body: serde_json::Value = serde_json::from_slice(bytes).map_err(|_| bad())?;
        match body.get("choices") {
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_u64()
                        .map(|n| n.to_string())
                        .or_else(|| v.as_str().map(str::to_owned))
                        .ok_or_else(bad)
                })
                .collect::<Result<_, _>>()?,
            _ => Vec::new(),
        }
    } else {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes).map_err(|_| bad())?;
        pairs.into_iter().filter(|(k, _)| k == "choices[]" || k == "choices").map(|(_, v)| v).collect()
    };
    raw.iter().map(|c| c.trim().parse::<usize>().map_err(|_| bad())).collect()
}

async fn vote(
    req: HttpRequest,
    path: web::Path<String>,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:statuses"]).await?;
    let id = path_id(&path)?;
    let choices = choices_of(&req, &bytes)?;
    let outbound = state.outbound();
    let poll = state.db.run(move |conn| cases::vote(conn, &outbound, &auth.user, id, &choices)).await?;
    Ok(HttpResponse::Ok().json(poll_to_api(&poll)))
}
