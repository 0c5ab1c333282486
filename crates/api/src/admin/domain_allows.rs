//! `/api/v1/admin/domain_allows`, as on Mastodon: the domains an
//! allowlist-mode node federates with (and, in blocklist mode, exceptions
//! to a block).

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::policies::DomainAllowRow;
use maillage_service::policy as cases;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{change_policy, require_admin, AdminPage};
use crate::error::ApiError;
use crate::mastodon::params::{body, path_id};
use crate::mastodon::timelines::paged_response;
use crate::state::AppState;

const READ: &[&str] = &["admin:read:domain_allows"];
const WRITE: &[&str] = &["admin:write:domain_allows"];

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/admin/domain_allows", web::get().to(list))
        .route("/api/v1/admin/domain_allows", web::post().to(create))
        .route("/api/v1/admin/domain_allows/{id}", web::get().to(show))
        .route("/api/v1/admin/domain_allows/{id}", web::delete().to(delete));
}

/// Mastodon's `Admin::DomainAllow`.
fn allow_to_api(row: &DomainAllowRow) -> Value {
    json!({
        "id": row.id.to_string(),
        "domain": row.domain,
        "created_at": Timestamp::from_micros(row.created_at).to_rfc3339(),
    })
}

async fn list(
    req: HttpRequest,
    page: web::Query<AdminPage>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, READ).await?;
    let rows = state.db.run(cases::list_allows).await?;
    let items = page.apply(rows, |r| r.id).iter().map(|r| (r.id, allow_to_api(r))).collect();
    Ok(paged_response(&req, items))
}

async fn show(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, READ).await?;
    let id = path_id(&id)?.as_i64();
    let row = state.db.run(move |conn| cases::get_allow(conn, id)).await?;
    Ok(HttpResponse::Ok().json(allow_to_api(&row)))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct AllowParams {
    domain: Option<String>,
}

/// Allows a domain; allowing it again returns the existing allow.
async fn create(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, WRITE).await?;
    let params: AllowParams = body(&req, &bytes)?;
    let domain = params.domain.filter(|d| !d.trim().is_empty());
    let domain = domain.ok_or_else(|| Error::unprocessable("Validation failed: Domain can't be blank"))?;
    let row = change_policy(&state, move |conn| cases::allow(conn, &domain)).await?;
    Ok(HttpResponse::Ok().json(allow_to_api(&row)))
}

async fn delete(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, WRITE).await?;
    let id = path_id(&id)?.as_i64();
    change_policy(&state, move |conn| cases::delete_allow(conn, id)).await?;
    Ok(HttpResponse::Ok().json(crate::plain_json::EmptyJson {}))
}
