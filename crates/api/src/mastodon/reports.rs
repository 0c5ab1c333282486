//! `POST /api/v1/reports`: an app reports an account (and some of its
//! statuses) to this node's admins, as Mastodon's API has it.

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use serde::Deserialize;
use serde_json::json;

use super::auth::require;
use super::entities::account_to_api;
use super::params::path_id;
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/reports", web::post().to(create));
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct ReportParams {
    account_id: String,
    status_ids: Vec<String>,
    comment: String,
}

/// JSON, or a form whose `status_ids[]` repeat.
fn params(req: &HttpRequest, bytes: &[u8]) -> Result<ReportParams, Error> {
    let content_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if content_type.starts_with("application/json") {
        return super::params::body(req, bytes);
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes)
        .map_err(|e| Error::unprocessable(format!("invalid form body: {e}")))?;
    let mut p = ReportParams::default();
    for (k, v) in pairs {
        match k.as_str() {
            "account_id" => p.account_id = v,
            "status_ids[]" | "status_ids" => p.status_ids.push(v),
            "comment" => p.comment = v,
            _ => {}
        }
    }
    Ok(p)
}

async fn create(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:reports"]).await?;
    let p = params(&req, &bytes)?;
    if p.account_id.trim().is_empty() {
        return Err(
            Error::unprocessable("Validation failed: account_id: must name the reported account").into()
        );
    }
    let target = path_id(&p.account_id)?;
    let status_ids = p.status_ids.iter().map(|s| path_id(s)).collect::<Result<Vec<Id>, _>>()?;
    let urls = state.urls.clone();
    let body = state
        .db
        .run(move |conn| {
            let mut objects = Vec::new();
            for id in &status_ids {
                let post = maillage_service::posts::by_author(conn, *id, target)?.ok_or_else(|| {
                    Error::unprocessable(format!(
                        "Validation failed: status_ids: {id} is not by this account"
                    ))
                })?;
                objects.push(post.ap_id);
            }
            let row = maillage_service::reports::report(conn, &auth.user, target, &objects, &p.comment)?;
            let account = maillage_service::actors::find(conn, target)?
                .ok_or_else(|| Error::not_found("Record not found"))?;
            Ok::<_, Error>(json!({
                "id": row.id.to_string(),
                "action_taken": false,
                "action_taken_at": null,
                "category": "other",
                "comment": row.comment,
                "forwarded": false,
                "created_at": Timestamp::from_micros(row.created_at).to_rfc3339(),
                "status_ids": status_ids.iter().map(|i| i.to_string()).collect::<Vec<_>>(),
                "rule_ids": [],
                "target_account": account_to_api(conn, &account, &urls)?,
            }))
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}
