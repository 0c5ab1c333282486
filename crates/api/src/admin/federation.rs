//! Native admin endpoints for what Mastodon's API lacks: the federation
//! mode, content filters, and blocklists as Mastodon CSV files.

use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::policy::{FilterAction, FilterKind};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::policies::ContentFilterRow;
use maillage_service::policy as cases;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{change_policy, require_admin};
use crate::error::ApiError;
use crate::mastodon::params::{body, path_id};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/admin/federation", web::get().to(show_mode))
        .route("/api/v1/admin/federation", web::put().to(set_mode))
        .route("/api/v1/admin/content_filters", web::get().to(list_filters))
        .route("/api/v1/admin/content_filters", web::post().to(add_filter))
        .route("/api/v1/admin/content_filters/{id}", web::delete().to(remove_filter));
}

async fn show_mode(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, &["admin:read"]).await?;
    let (mode, blocks, allows, filters) = state
        .db
        .run(|conn| {
            Ok((
                cases::mode(conn)?,
                cases::list_blocks(conn)?.len(),
                cases::list_allows(conn)?.len(),
                cases::list_filters(conn)?.len(),
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "mode": mode.as_str(),
        "domain_blocks": blocks,
        "domain_allows": allows,
        "content_filters": filters,
    })))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct ModeParams {
    mode: Option<String>,
}

async fn set_mode(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, &["admin:write"]).await?;
    let params: ModeParams = body(&req, &bytes)?;
    let mode =
        params.mode.ok_or_else(|| Error::unprocessable("mode: expected open, blocklist or allowlist"))?;
    let mode: maillage_core::policy::FederationMode = mode.parse()?;
    change_policy(&state, move |conn| cases::set_mode(conn, mode)).await?;
    Ok(HttpResponse::Ok().json(json!({ "mode": mode.as_str() })))
}

fn filter_to_api(row: &ContentFilterRow) -> Value {
    json!({
        "id": row.id.to_string(),
        "kind": row.kind,
        "value": row.value,
        "domain": row.domain,
        "action": row.action,
        "created_at": Timestamp::from_micros(row.created_at).to_rfc3339(),
    })
}

async fn list_filters(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, &["admin:read"]).await?;
    let rows = state.db.run(cases::list_filters).await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(filter_to_api).collect::<Vec<_>>()))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct FilterParams {
    kind: Option<String>,
    value: Option<String>,
    domain: Option<String>,
    action: Option<String>,
}

async fn add_filter(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, &["admin:write"]).await?;
    let p: FilterParams = body(&req, &bytes)?;
    let kind: FilterKind = p.kind.as_deref().unwrap_or_default().parse()?;
    let action: FilterAction = p.action.as_deref().unwrap_or("reject").parse()?;
    let value = p.value.ok_or_else(|| Error::unprocessable("value: the filter needs a value"))?;
    let domain = p.domain.filter(|d| !d.trim().is_empty());
    let row =
        change_policy(&state, move |conn| cases::add_filter(conn, kind, &value, domain.as_deref(), action))
            .await?;
    Ok(HttpResponse::Ok().json(filter_to_api(&row)))
}

async fn remove_filter(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, &["admin:write"]).await?;
    let id = path_id(&id)?.as_i64();
    change_policy(&state, move |conn| cases::remove_filter(conn, id)).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

/// Every block, in Mastodon's CSV format.
pub async fn export_csv(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, &["admin:read:domain_blocks"]).await?;
    let csv = state.db.run(cases::export_blocks).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((CONTENT_DISPOSITION, "attachment; filename=\"domain_blocks.csv\""))
        .body(csv))
}

/// A Mastodon CSV as the request body: applied whole, or refused whole
/// (422 naming every bad line) with nothing changed.
pub async fn import_csv(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, &["admin:write:domain_blocks"]).await?;
    let text =
        String::from_utf8(bytes.to_vec()).map_err(|_| Error::unprocessable("the file is not UTF-8 text"))?;
    let local = state.config.instance.domain.clone();
    let imported = change_policy(&state, move |conn| cases::import_blocks(conn, &local, &text)).await?;
    Ok(HttpResponse::Ok().json(json!({ "imported": imported })))
}
