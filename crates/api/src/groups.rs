//! `/api/v1/groups`: create collectives, initiatives and projects; join,
//! leave; list members; approve or refuse pending members.

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::id::Id;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::groups::{GroupRow, MembershipRow};
use maillage_db::DbConnection;
use maillage_service::groups::{self as cases, NewGroup};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::ApiError;
use crate::mastodon::auth::require;
use crate::mastodon::entities::account_to_api;
use crate::mastodon::params::path_id;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/groups", web::post().to(create))
        .route("/api/v1/groups/{id}", web::get().to(get))
        .route("/api/v1/groups/{id}/members", web::get().to(members))
        .route("/api/v1/groups/{id}/join", web::post().to(join))
        .route("/api/v1/groups/{id}/leave", web::post().to(leave))
        .route("/api/v1/groups/{id}/members/{member}/approve", web::post().to(approve))
        .route("/api/v1/groups/{id}/members/{member}/reject", web::post().to(reject))
        .route("/api/v1/groups/{id}/members/{member}/role", web::post().to(set_role));
}

#[derive(Deserialize, serde::Serialize, Default, utoipa::ToSchema)]
#[schema(as = GroupPlaceInput)]
#[serde(default)]
struct PlaceParams {
    name: String,
    lat: Option<f64>,
    lon: Option<f64>,
}

#[derive(Deserialize, serde::Serialize, Default, utoipa::ToSchema)]
#[schema(as = GroupInput)]
#[serde(default)]
struct GroupParams {
    username: String,
    display_name: String,
    description: String,
    kind: String,
    place: Option<PlaceParams>,
    website: Option<String>,
    join_policy: Option<String>,
    project_status: Option<String>,
    goals: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = GroupPlace)]
pub struct GroupPlaceJson {
    pub name: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// What Maillage adds to a group's Account (`maillage` in `Group`).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = GroupDetails)]
pub struct GroupDetailsJson {
    pub kind: String,
    pub place: GroupPlaceJson,
    pub website: Option<String>,
    pub join_policy: String,
    pub project_status: Option<String>,
    pub goals: String,
    pub member_count: usize,
}

/// Taken apart without `..`: a new column does not compile until this
/// says what becomes of it.
fn group_details_to_api(row: GroupRow, member_count: usize) -> GroupDetailsJson {
    let GroupRow {
        actor_id: _, // the Account's id
        kind,
        place_name,
        latitude,
        longitude,
        website,
        join_policy,
        project_status,
        goals,
        created_at: _, // the Account's created_at
    } = row;
    GroupDetailsJson {
        kind,
        place: GroupPlaceJson { name: place_name, lat: latitude, lon: longitude },
        website,
        join_policy,
        project_status,
        goals,
        member_count,
    }
}

/// A group: its Mastodon Account, with what Maillage adds under `maillage`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Group)]
pub struct GroupJson {
    #[serde(flatten)]
    #[schema(value_type = crate::openapi::AccountSchema)]
    pub account: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maillage: Option<GroupDetailsJson>,
}

fn group_to_api(
    conn: &mut DbConnection,
    actor: &ActorRow,
    urls: &maillage_core::urls::LocalUrls,
) -> Result<GroupJson, Error> {
    let account = account_to_api(conn, actor, urls)?;
    let maillage = match cases::details(conn, actor.id())? {
        Some(g) => {
            let member_count = cases::member_count(conn, actor.id())?;
            Some(group_details_to_api(g, member_count))
        }
        None => None,
    };
    Ok(GroupJson { account, maillage })
}

/// One member of a group, or a pending request.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Membership)]
pub struct MembershipJson {
    #[schema(value_type = crate::openapi::AccountSchema)]
    pub account: Value,
    /// `admin`, `moderator` or `member`.
    pub role: String,
    /// `pending` or `accepted`.
    pub state: String,
}

fn membership_to_api(
    conn: &mut DbConnection,
    row: &MembershipRow,
    urls: &maillage_core::urls::LocalUrls,
) -> Result<MembershipJson, Error> {
    let MembershipRow {
        id: _,
        group_id: _, // the path's group
        member_id,
        role,
        state,
        ap_id: _,
        created_at: _,
        updated_at: _,
    } = row;
    let member = maillage_service::actors::find(conn, Id::from_i64(*member_id))?
        .ok_or_else(|| Error::internal("membership without member"))?;
    Ok(MembershipJson {
        account: account_to_api(conn, &member, urls)?,
        role: role.clone(),
        state: state.clone(),
    })
}

#[utoipa::path(
    post,
    path = "/api/v1/groups",
    summary = "Create a collective, initiative or project",
    request_body = crate::groups::GroupParams,
    responses(
        (status = 200, description = "OK", body = crate::groups::GroupJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write"])),
)]
async fn create(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:accounts", "write"]).await?;
    let p: GroupParams = serde_json::from_slice(&bytes)
        .map_err(|e| Error::unprocessable(format!("Validation failed: {e}")))?;
    let place = p.place.unwrap_or_default();
    let new = NewGroup {
        username: p.username,
        display_name: p.display_name,
        description: p.description,
        kind: p.kind,
        place_name: place.name,
        latitude: place.lat,
        longitude: place.lon,
        website: p.website,
        join_policy: p.join_policy.unwrap_or_else(|| "approval".into()),
        project_status: p.project_status,
        goals: p.goals,
        ..NewGroup::default()
    };
    let urls = state.urls.clone();
    let json = state
        .db
        .run(move |conn| {
            let actor = cases::create(conn, &urls, &auth.user, &new)?;
            group_to_api(conn, &actor, &urls)
        })
        .await?;
    Ok(HttpResponse::Ok().json(json))
}

#[utoipa::path(
    get,
    path = "/api/v1/groups/{id}",
    summary = "Show a group",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::groups::GroupJson),
        crate::error::NotFound,
    ),
)]
async fn get(path: web::Path<String>, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path)?;
    let urls = state.urls.clone();
    let json = state
        .db
        .run(move |conn| {
            let actor = cases::get_visible(conn, id, None)?;
            group_to_api(conn, &actor, &urls)
        })
        .await?;
    Ok(HttpResponse::Ok().json(json))
}

#[utoipa::path(
    get,
    path = "/api/v1/groups/{id}/members",
    summary = "Members (and pending requests, for managers)",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = Vec<crate::groups::MembershipJson>),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["read"])),
)]
async fn members(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (_, me) = require(&req, &state, &["read"]).await?;
    let id = path_id(&path)?;
    let urls = state.urls.clone();
    let json = state
        .db
        .run(move |conn| {
            let rows = cases::members_seen_by(conn, id, Some(&me))?;
            rows.iter().map(|(m, _)| membership_to_api(conn, m, &urls)).collect::<Result<Vec<_>, Error>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(json))
}

#[utoipa::path(
    post,
    path = "/api/v1/groups/{id}/join",
    summary = "Join a group (local or remote)",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::groups::MembershipJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write"])),
)]
async fn join(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:follows", "follow", "write"]).await?;
    let id = path_id(&path)?;
    let (outbound, urls) = (state.outbound(), state.urls.clone());
    let json = state
        .db
        .run(move |conn| {
            let row = cases::join(conn, &outbound, &urls, &auth.user, id)?;
            membership_to_api(conn, &row, &urls)
        })
        .await?;
    Ok(HttpResponse::Ok().json(json))
}

#[utoipa::path(
    post,
    path = "/api/v1/groups/{id}/leave",
    summary = "Leave a group",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "Left, or the request withdrawn", body = crate::plain_json::EmptyJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write"])),
)]
async fn leave(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:follows", "follow", "write"]).await?;
    let id = path_id(&path)?;
    let outbound = state.outbound();
    state.db.run(move |conn| cases::leave(conn, &outbound, &auth.user, id)).await?;
    Ok(HttpResponse::Ok().json(crate::plain_json::EmptyJson {}))
}

/// What deciding on a membership request answers.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
#[schema(as = MembershipDecision)]
pub enum DecisionJson {
    Membership(MembershipJson),
    Nothing(crate::plain_json::EmptyJson),
}

async fn decide(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: &AppState,
    accept: bool,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, state, &["write:follows", "follow", "write"]).await?;
    let (group, member) = path.into_inner();
    let (group, member) = (path_id(&group)?, path_id(&member)?);
    let (outbound, urls) = (state.outbound(), state.urls.clone());
    let json = state
        .db
        .run(move |conn| {
            let row = cases::decide(conn, &outbound, &auth.user, group, member, accept)?;
            row.map(|r| membership_to_api(conn, &r, &urls)).transpose()
        })
        .await?;
    Ok(HttpResponse::Ok().json(match json {
        Some(membership) => DecisionJson::Membership(membership),
        None => DecisionJson::Nothing(crate::plain_json::EmptyJson {}),
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/groups/{id}/members/{member}/approve",
    summary = "Approve a pending member",
    params(
        ("id" = String, Path),
        ("member" = String, Path),
    ),
    responses(
        (status = 200, description = "The membership; an empty object when the person was no longer waiting", body = crate::groups::DecisionJson),
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
    decide(req, path, &state, true).await
}

#[utoipa::path(
    post,
    path = "/api/v1/groups/{id}/members/{member}/reject",
    summary = "Refuse a pending member",
    params(
        ("id" = String, Path),
        ("member" = String, Path),
    ),
    responses(
        (status = 200, description = "The membership; an empty object when the person was no longer waiting", body = crate::groups::DecisionJson),
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
    decide(req, path, &state, false).await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = RoleInput)]
struct RoleParams {
    role: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/groups/{id}/members/{member}/role",
    summary = "Change a member's role (admins only; a group keeps one admin)",
    request_body = crate::groups::RoleParams,
    params(
        ("id" = String, Path),
        ("member" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::groups::MembershipJson),
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write"])),
)]
async fn set_role(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write"]).await?;
    let (group, member) = path.into_inner();
    let (group, member) = (path_id(&group)?, path_id(&member)?);
    let params: RoleParams = crate::mastodon::params::body(&req, &bytes)?;
    let urls = state.urls.clone();
    let json = state
        .db
        .run(move |conn| {
            let row = cases::set_role(conn, &auth.user, group, member, &params.role)?;
            membership_to_api(conn, &row, &urls)
        })
        .await?;
    Ok(HttpResponse::Ok().json(json))
}
