//! Mediators of a group: naming them (`PUT
//! /api/v1/groups/{id}/members/{member}/mediator`, group admins), and
//! their queue of knowledge-exchange pairings to review (`GET
//! /api/v1/groups/{id}/pairings`, `POST …/pairings/{match}/approve` or
//! `…/reject`).

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::time::Timestamp;
use maillage_core::urls::LocalUrls;
use maillage_core::Error;
use maillage_db::matches::MatchRow;
use maillage_db::DbConnection;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::ApiError;
use crate::listing_json::{listing_to_api, ListingJson};
use crate::mastodon::auth::require;
use crate::mastodon::params::{flexible_bool, path_id};
use crate::state::AppState;
use maillage_service::mediation as cases;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/groups/{id}/members/{member}/mediator", web::put().to(set_mediator))
        .route("/api/v1/groups/{id}/members/{member}/mediator", web::post().to(set_mediator))
        .route("/api/v1/groups/{id}/pairings", web::get().to(queue))
        .route("/api/v1/groups/{id}/pairings/{pairing}/approve", web::post().to(approve))
        .route("/api/v1/groups/{id}/pairings/{pairing}/reject", web::post().to(reject));
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = MediatorInput)]
struct MediatorParams {
    #[serde(deserialize_with = "flexible_bool")]
    mediator: bool,
}

/// A knowledge-exchange pairing as its group's mediators review it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Pairing)]
pub struct PairingJson {
    pub id: String,
    pub score: f64,
    /// `pending`, `approved` or `rejected`.
    pub review: String,
    /// Each reason with its `code` and its `en` and `fr` texts.
    #[schema(value_type = Vec<Object>)]
    pub reasons: Value,
    pub need: ListingJson,
    pub offer: ListingJson,
    pub created_at: String,
}

/// A member's mediator flag, as just set.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Mediator)]
pub struct MediatorJson {
    pub member_id: String,
    pub role: String,
    pub mediator: bool,
}

fn pairing_to_api(conn: &mut DbConnection, m: &MatchRow, urls: &LocalUrls) -> Result<PairingJson, Error> {
    let (need, offer) = maillage_service::mediation::listings_of(conn, m)?
        .ok_or_else(|| Error::not_found("Record not found"))?;
    let reasons: Value = serde_json::from_str(&m.reasons).unwrap_or(Value::Array(Vec::new()));
    Ok(PairingJson {
        id: m.id.to_string(),
        score: (m.score * 1000.0).round() / 1000.0,
        review: m.review.clone(),
        reasons,
        need: listing_to_api(conn, &need, urls)?,
        offer: listing_to_api(conn, &offer, urls)?,
        created_at: Timestamp::from_micros(m.created_at).to_rfc3339(),
    })
}

#[utoipa::path(
    method(put, post),
    path = "/api/v1/groups/{id}/members/{member}/mediator",
    summary = "Name a member one of the group's mediators, or take it back (group admins)",
    request_body = crate::mediation::MediatorParams,
    params(
        ("id" = String, Path),
        ("member" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::mediation::MediatorJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write"])),
)]
async fn set_mediator(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write"]).await?;
    let (group, member) = path.into_inner();
    let (group, member) = (path_id(&group)?, path_id(&member)?);
    let params: MediatorParams = crate::mastodon::params::body(&req, &bytes)?;
    let outbound = state.outbound();
    let row = state
        .db
        .run(move |conn| cases::set_mediator(conn, &outbound, &auth.user, group, member, params.mediator))
        .await?;
    Ok(HttpResponse::Ok().json(MediatorJson {
        member_id: row.member_id.to_string(),
        role: row.role,
        mediator: params.mediator,
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/groups/{id}/pairings",
    summary = "Knowledge-exchange pairings waiting for the group's mediators, oldest first (mediators only)",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = Vec<crate::mediation::PairingJson>),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
    ),
    security(("bearer" = ["read"])),
)]
async fn queue(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["read"]).await?;
    let group = path_id(&id)?;
    let urls = state.urls.clone();
    let items = state
        .db
        .run(move |conn| {
            let pending = cases::queue(conn, &auth.user, group)?;
            pending.iter().map(|m| pairing_to_api(conn, m, &urls)).collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(items))
}

async fn decide(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
    approve: bool,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write"]).await?;
    let (group, pairing) = path.into_inner();
    let (group, pairing) = (path_id(&group)?, path_id(&pairing)?);
    let (outbound, urls) = (state.outbound(), state.urls.clone());
    let body = state
        .db
        .run(move |conn| {
            let m = cases::decide(conn, &outbound, &urls, &auth.user, group, pairing, approve)?;
            pairing_to_api(conn, &m, &urls)
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}

#[utoipa::path(
    post,
    path = "/api/v1/groups/{id}/pairings/{pairing}/approve",
    summary = "Approve a pairing: both people are told, on both nodes",
    params(
        ("id" = String, Path),
        ("pairing" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::mediation::PairingJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write"])),
)]
async fn approve(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    decide(req, path, state, true).await
}

#[utoipa::path(
    post,
    path = "/api/v1/groups/{id}/pairings/{pairing}/reject",
    summary = "Reject a pairing: nobody is told",
    params(
        ("id" = String, Path),
        ("pairing" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::mediation::PairingJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write"])),
)]
async fn reject(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    decide(req, path, state, false).await
}
