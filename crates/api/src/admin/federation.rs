//! Native admin endpoints for what Mastodon's API lacks: the federation
//! mode, content filters, and blocklists as Mastodon CSV files.

use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::policy::{FilterAction, FilterKind};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::policies::ContentFilterRow;
use maillage_service::policy as cases;
use serde::{Deserialize, Serialize};

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

#[utoipa::path(
    get,
    path = "/api/v1/admin/federation",
    summary = "The federation mode and how many blocks, allows and filters",
    responses(
        (status = 200, description = "OK", body = crate::admin::federation::FederationModeJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
    ),
    security(("bearer" = ["admin:read"])),
)]
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
    Ok(HttpResponse::Ok().json(FederationModeJson {
        mode: mode.as_str().to_owned(),
        domain_blocks: Some(blocks),
        domain_allows: Some(allows),
        content_filters: Some(filters),
    }))
}

/// The federation mode; the counts only when it is shown, not when set.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = FederationMode)]
pub struct FederationModeJson {
    /// `open`, `blocklist` or `allowlist`.
    pub mode: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain_blocks: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain_allows: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_filters: Option<usize>,
}

#[derive(Debug, Deserialize, serde::Serialize, Default, utoipa::ToSchema)]
#[schema(as = FederationModeInput)]
#[serde(default)]
struct ModeParams {
    mode: Option<String>,
}

#[utoipa::path(
    put,
    path = "/api/v1/admin/federation",
    summary = "Set the federation mode",
    request_body = crate::admin::federation::ModeParams,
    responses(
        (status = 200, description = "OK", body = crate::admin::federation::FederationModeJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::Invalid,
    ),
    security(("bearer" = ["admin:write"])),
)]
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
    Ok(HttpResponse::Ok().json(FederationModeJson {
        mode: mode.as_str().to_owned(),
        domain_blocks: None,
        domain_allows: None,
        content_filters: None,
    }))
}

/// A content filter on incoming objects.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = ContentFilter)]
pub struct ContentFilterJson {
    pub id: String,
    /// `keyword`, `hashtag`, `object_types`, `max_distance_km` or `max_age_days`.
    pub kind: String,
    pub value: String,
    pub domain: Option<String>,
    /// `reject` or `flag`.
    pub action: String,
    pub created_at: String,
}

fn filter_to_api(row: &ContentFilterRow) -> ContentFilterJson {
    let ContentFilterRow { id, kind, value, domain, action, created_at } = row;
    ContentFilterJson {
        id: id.to_string(),
        kind: kind.clone(),
        value: value.clone(),
        domain: domain.clone(),
        action: action.clone(),
        created_at: Timestamp::from_micros(*created_at).to_rfc3339(),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/content_filters",
    summary = "Content filters",
    responses(
        (status = 200, description = "OK", body = Vec<crate::admin::federation::ContentFilterJson>),
        crate::error::Unauthorized,
        crate::error::Forbidden,
    ),
    security(("bearer" = ["admin:read"])),
)]
async fn list_filters(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, &["admin:read"]).await?;
    let rows = state.db.run(cases::list_filters).await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(filter_to_api).collect::<Vec<_>>()))
}

#[derive(Debug, Deserialize, serde::Serialize, Default, utoipa::ToSchema)]
#[schema(as = ContentFilterInput)]
#[serde(default)]
struct FilterParams {
    kind: Option<String>,
    value: Option<String>,
    domain: Option<String>,
    action: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/content_filters",
    summary = "Add a content filter",
    request_body = crate::admin::federation::FilterParams,
    responses(
        (status = 200, description = "OK", body = crate::admin::federation::ContentFilterJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::Invalid,
    ),
    security(("bearer" = ["admin:write"])),
)]
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

#[utoipa::path(
    delete,
    path = "/api/v1/admin/content_filters/{id}",
    summary = "Remove a content filter",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::plain_json::EmptyJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
    ),
    security(("bearer" = ["admin:write"])),
)]
async fn remove_filter(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, &["admin:write"]).await?;
    let id = path_id(&id)?.as_i64();
    change_policy(&state, move |conn| cases::remove_filter(conn, id)).await?;
    Ok(HttpResponse::Ok().json(crate::plain_json::EmptyJson {}))
}

/// Every block, in Mastodon's CSV format.
#[utoipa::path(
    get,
    path = "/api/v1/admin/domain_blocks/export",
    summary = "Every domain block, as Mastodon's CSV",
    responses(
        (status = 200, description = "OK", body = String, content_type = "text/csv"),
        crate::error::Unauthorized,
        crate::error::Forbidden,
    ),
    security(("bearer" = ["admin:read:domain_blocks"])),
)]
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
#[utoipa::path(
    post,
    path = "/api/v1/admin/domain_blocks/import",
    summary = "Import a Mastodon CSV blocklist: all of it, or nothing (422 naming every bad line)",
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, description = "OK", body = crate::plain_json::ImportedJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::Invalid,
    ),
    security(("bearer" = ["admin:write:domain_blocks"])),
)]
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
    Ok(HttpResponse::Ok().json(crate::plain_json::ImportedJson { imported }))
}
