//! `/api/v1/admin/domain_blocks` (Mastodon's shapes) and the public
//! `/api/v1/instance/domain_blocks`.

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::config::ShowDomainBlocks;
use maillage_core::policy::Severity;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::policies::DomainBlockRow;
use maillage_service::policy::{self as cases, BlockInput};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{change_policy, require_admin, AdminPage};
use crate::error::ApiError;
use crate::mastodon::auth::optional;
use crate::mastodon::params::{body, optional_bool, path_id};
use crate::mastodon::timelines::paged_response;
use crate::state::AppState;

const READ: &[&str] = &["admin:read:domain_blocks"];
const WRITE: &[&str] = &["admin:write:domain_blocks"];

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/admin/domain_blocks", web::get().to(list))
        .route("/api/v1/admin/domain_blocks", web::post().to(create))
        .route("/api/v1/admin/domain_blocks/export", web::get().to(super::federation::export_csv))
        .route("/api/v1/admin/domain_blocks/import", web::post().to(super::federation::import_csv))
        .route("/api/v1/admin/domain_blocks/{id}", web::get().to(show))
        .route("/api/v1/admin/domain_blocks/{id}", web::put().to(update))
        .route("/api/v1/admin/domain_blocks/{id}", web::delete().to(delete))
        .route("/api/v1/instance/domain_blocks", web::get().to(instance_domain_blocks));
}

fn digest(domain: &str) -> String {
    Sha256::digest(domain.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Mastodon's `Admin::DomainBlock`.
pub fn block_to_api(row: &DomainBlockRow) -> Value {
    let severity = row.severity.parse::<Severity>().map(Severity::as_mastodon).unwrap_or("noop");
    let text = |s: &str| if s.is_empty() { Value::Null } else { json!(s) };
    json!({
        "id": row.id.to_string(),
        "domain": row.domain,
        "digest": digest(&row.domain),
        "created_at": Timestamp::from_micros(row.created_at).to_rfc3339(),
        "severity": severity,
        "reject_media": row.reject_media,
        "reject_reports": row.reject_reports,
        "private_comment": text(&row.private_comment),
        "public_comment": text(&row.public_comment),
        "obfuscate": row.obfuscate,
    })
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct BlockParams {
    domain: Option<String>,
    severity: Option<String>,
    #[serde(deserialize_with = "optional_bool")]
    reject_media: Option<bool>,
    #[serde(deserialize_with = "optional_bool")]
    reject_reports: Option<bool>,
    private_comment: Option<String>,
    public_comment: Option<String>,
    #[serde(deserialize_with = "optional_bool")]
    obfuscate: Option<bool>,
}

impl BlockParams {
    fn apply_to(&self, input: &mut BlockInput) -> Result<(), Error> {
        if let Some(s) = &self.severity {
            input.severity = s.parse()?;
        }
        input.reject_media = self.reject_media.unwrap_or(input.reject_media);
        input.reject_reports = self.reject_reports.unwrap_or(input.reject_reports);
        input.obfuscate = self.obfuscate.unwrap_or(input.obfuscate);
        if let Some(c) = &self.private_comment {
            input.private_comment = c.clone();
        }
        if let Some(c) = &self.public_comment {
            input.public_comment = c.clone();
        }
        Ok(())
    }
}

async fn list(
    req: HttpRequest,
    page: web::Query<AdminPage>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, READ).await?;
    let rows = state.db.run(cases::list_blocks).await?;
    let items = page.apply(rows, |r| r.id).iter().map(|r| (r.id, block_to_api(r))).collect();
    Ok(paged_response(&req, items))
}

async fn show(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, READ).await?;
    let id = path_id(&id)?.as_i64();
    let row = state.db.run(move |conn| cases::get_block(conn, id)).await?;
    Ok(HttpResponse::Ok().json(block_to_api(&row)))
}

enum Created {
    New(DomainBlockRow),
    AlreadyBlocked(DomainBlockRow),
}

/// Blocks a domain. As on Mastodon, a domain blocked already answers 422
/// with the existing block; the default severity is `silence` (limit).
async fn create(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, WRITE).await?;
    let params: BlockParams = body(&req, &bytes)?;
    let domain = params.domain.clone().filter(|d| !d.trim().is_empty());
    let domain = domain.ok_or_else(|| Error::unprocessable("Validation failed: Domain can't be blank"))?;
    let mut input = BlockInput::suspend(&domain);
    input.severity = Severity::Limit;
    params.apply_to(&mut input)?;
    let local = state.config.instance.domain.clone();
    let outcome = change_policy(&state, move |conn| {
        if let Some(existing) = cases::find_block_by_domain(conn, &input.domain)? {
            return Ok(Created::AlreadyBlocked(existing));
        }
        cases::upsert_block(conn, &local, &input).map(|(row, _)| Created::New(row))
    })
    .await?;
    Ok(match outcome {
        Created::New(row) => HttpResponse::Ok().json(block_to_api(&row)),
        Created::AlreadyBlocked(existing) => HttpResponse::UnprocessableEntity().json(json!({
            "error": format!("{} is already blocked; change that block instead", existing.domain),
            "existing_domain_block": block_to_api(&existing),
        })),
    })
}

async fn update(
    req: HttpRequest,
    id: web::Path<String>,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, WRITE).await?;
    let id = path_id(&id)?.as_i64();
    let params: BlockParams = body(&req, &bytes)?;
    if let Some(s) = &params.severity {
        s.parse::<Severity>()?;
    }
    let row = change_policy(&state, move |conn| {
        cases::update_block(conn, id, &|input| {
            let _ = params.apply_to(input);
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(block_to_api(&row)))
}

async fn delete(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, WRITE).await?;
    let id = path_id(&id)?.as_i64();
    change_policy(&state, move |conn| cases::delete_block(conn, id)).await?;
    Ok(HttpResponse::Ok().json(crate::plain_json::EmptyJson {}))
}

/// Mastodon's public `DomainBlock` list: domains suspended or limited, or
/// whose media are rejected; obfuscated ones partly starred.
pub async fn instance_domain_blocks(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    match state.config.federation.show_domain_blocks {
        ShowDomainBlocks::Disabled => return Err(Error::not_found("Record not found").into()),
        ShowDomainBlocks::Users => {
            if optional(&req, &state, &[]).await?.is_none() {
                return Err(Error::unauthorized("This method requires an authenticated user").into());
            }
        }
        ShowDomainBlocks::All => {}
    }
    let rows = state.db.run(cases::list_blocks).await?;
    let items: Vec<Value> = rows
        .iter()
        .filter_map(|r| cases::block_from_row(r).ok())
        .filter(|b| b.severity != Severity::Noop || b.reject_media)
        .map(|b| {
            json!({
                "domain": b.public_domain(),
                "digest": digest(b.pattern.as_str()),
                "severity": b.severity.as_mastodon(),
                "comment": b.public_comment,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(items))
}
