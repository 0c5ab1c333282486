//! Territory links: `GET /api/v1/territory/links` (public: which
//! territories this one is linked with) and the admin's proposals,
//! approvals and endings under `/api/v1/admin/territory/links`.

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_apub::resolve::resolve_territory;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::links::LinkRow;
use maillage_service::links::{self as cases, Link};
use serde::{Deserialize, Serialize};

use crate::admin::require_admin;
use crate::error::ApiError;
use crate::mastodon::params::body;
use crate::state::AppState;

const WRITE: &[&str] = &["admin:write:territory_links"];

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/territory/links", web::get().to(list))
        .route("/api/v1/admin/territory/links", web::post().to(propose))
        .route("/api/v1/admin/territory/links/{partner}/approve", web::post().to(approve))
        .route("/api/v1/admin/territory/links/{partner}", web::delete().to(end));
}

/// Where a linked territory is centred.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = TerritoryCentre)]
pub struct CentreJson {
    pub lat: f64,
    pub lon: f64,
}

/// The other territory of a link.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = TerritoryPartner)]
pub struct PartnerJson {
    pub uri: String,
    pub domain: String,
    pub acct: String,
    pub name: String,
    pub centre: Option<CentreJson>,
}

/// A link between this territory and another.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = TerritoryLink)]
pub struct TerritoryLinkJson {
    pub id: String,
    /// `proposed`, `requested`, `active` or `ended`.
    pub state: String,
    /// `full` or `listings`.
    pub level: String,
    pub initiated_here: bool,
    pub created_at: String,
    pub updated_at: String,
    pub ended_at: Option<String>,
    pub partner: PartnerJson,
}

pub fn link_to_api(link: &Link) -> TerritoryLinkJson {
    let p = &link.partner;
    let time = |t: i64| Timestamp::from_micros(t).to_rfc3339();
    let LinkRow { id, partner_id: _, level, state, initiated_here, created_at, updated_at, ended_at } =
        &link.row;
    TerritoryLinkJson {
        id: id.to_string(),
        state: state.clone(),
        level: level.clone(),
        initiated_here: *initiated_here,
        created_at: time(*created_at),
        updated_at: time(*updated_at),
        ended_at: ended_at.map(time),
        partner: PartnerJson {
            uri: p.ap_id.clone(),
            domain: p.domain.clone(),
            acct: format!("{}@{}", p.username, p.domain),
            name: if p.display_name.is_empty() { p.username.clone() } else { p.display_name.clone() },
            centre: match (p.latitude, p.longitude) {
                (Some(lat), Some(lon)) => Some(CentreJson { lat, lon }),
                _ => None,
            },
        },
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct ListParams {
    state: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/territory/links",
    summary = "This territory's links with others, with their state (public)",
    params(
        ("state" = Option<String>, Query),
    ),
    responses(
        (status = 200, description = "OK", body = Vec<crate::territory::TerritoryLinkJson>),
    ),
)]
async fn list(q: web::Query<ListParams>, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let wanted = q.into_inner().state;
    let links = state.db.run(cases::list).await?;
    let items: Vec<TerritoryLinkJson> = links
        .iter()
        .filter(|l| wanted.as_deref().is_none_or(|s| l.row.state == s))
        .map(link_to_api)
        .collect();
    Ok(HttpResponse::Ok().json(items))
}

#[derive(Debug, Deserialize, serde::Serialize, Default, utoipa::ToSchema)]
#[schema(as = TerritoryLinkInput)]
#[serde(default)]
struct ProposeParams {
    /// The other territory: a domain, a handle or an actor URL.
    domain: Option<String>,
    level: Option<String>,
}

async fn linked(state: &AppState, partner: &str) -> Result<Link, Error> {
    let partner = partner.to_owned();
    state.db.run(move |conn| cases::find_named(conn, &partner)).await
}

/// Proposes a link (or approves the one the other side proposed).
#[utoipa::path(
    post,
    path = "/api/v1/admin/territory/links",
    summary = "Propose a link to another territory (or approve the one it proposed)",
    request_body = crate::territory::ProposeParams,
    responses(
        (status = 200, description = "OK", body = crate::territory::TerritoryLinkJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["admin:write:territory_links"])),
)]
async fn propose(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, WRITE).await?;
    let p: ProposeParams = body(&req, &bytes)?;
    let target = p.domain.filter(|d| !d.trim().is_empty());
    let target = target.ok_or_else(|| Error::unprocessable("domain: name the territory to link with"))?;
    let level = cases::parse_level(p.level.as_deref().unwrap_or(cases::FULL))?;
    let partner = resolve_territory(&state.federation.data(), &target).await?;
    let (outbound, urls) = (state.outbound(), state.urls.clone());
    let row = state
        .db
        .run(move |conn| {
            let row = cases::propose(conn, &outbound, &urls, &partner, level)?;
            Ok(Link { row, partner })
        })
        .await?;
    Ok(HttpResponse::Ok().json(link_to_api(&row)))
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/territory/links/{partner}/approve",
    summary = "Approve the link the partner territory asked for",
    params(
        ("partner" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::territory::TerritoryLinkJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
    ),
    security(("bearer" = ["admin:write:territory_links"])),
)]
async fn approve(
    req: HttpRequest,
    partner: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, WRITE).await?;
    let link = linked(&state, &partner).await?;
    let (outbound, urls) = (state.outbound(), state.urls.clone());
    let row = state
        .db
        .run(move |conn| {
            cases::approve(conn, &outbound, &urls, &link.partner).map(|row| Link { row, ..link })
        })
        .await?;
    Ok(HttpResponse::Ok().json(link_to_api(&row)))
}

#[utoipa::path(
    delete,
    path = "/api/v1/admin/territory/links/{partner}",
    summary = "End the link with the partner territory",
    params(
        ("partner" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::territory::TerritoryLinkJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
    ),
    security(("bearer" = ["admin:write:territory_links"])),
)]
async fn end(
    req: HttpRequest,
    partner: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, WRITE).await?;
    let link = linked(&state, &partner).await?;
    let outbound = state.outbound();
    let row = state
        .db
        .run(move |conn| cases::end(conn, &outbound, &link.partner).map(|row| Link { row, ..link }))
        .await?;
    Ok(HttpResponse::Ok().json(link_to_api(&row)))
}
