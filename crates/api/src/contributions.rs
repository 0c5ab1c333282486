//! `/api/v1/groups/{id}/contributions`: hours members give to a project,
//! by form of work, and their confirmation by a project admin.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::id::Id;
use maillage_core::ledger::hours_of_minutes;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::contributions::ContributionRow;
use maillage_db::DbConnection;
use maillage_service::contributions::{self as cases, NewContribution};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::ApiError;
use crate::mastodon::auth::{optional, require};
use crate::mastodon::entities::account_to_api;
use crate::mastodon::params::{body, path_id};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/groups/{id}/contributions", web::get().to(list))
        .route("/api/v1/groups/{id}/contributions", web::post().to(record))
        .route("/api/v1/groups/{id}/contributions/{cid}/confirm", web::post().to(confirm))
        .route("/api/v1/groups/{id}/contributions/{cid}/reject", web::post().to(reject));
}

/// Hours a member gave to a project (`Contribution` in the OpenAPI document).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Contribution)]
pub struct ContributionJson {
    pub id: String,
    #[schema(value_type = crate::openapi::AccountSchema)]
    pub member: Value,
    pub hours: f64,
    /// `paid`, `volunteer` or `exchange`.
    pub form: String,
    pub note: String,
    pub worked_on: String,
    /// `pending`, `confirmed` or `rejected`.
    pub state: String,
    pub created_at: String,
}

/// A member's confirmed hours, in all and per form of work.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = ContributionTotal)]
pub struct TotalJson {
    pub member_id: String,
    pub hours: f64,
    pub by_form: BTreeMap<String, f64>,
}

/// A project's contributions and its members' totals.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Contributions)]
pub struct ContributionsJson {
    pub contributions: Vec<ContributionJson>,
    pub totals: Vec<TotalJson>,
}

fn contribution_to_api(
    conn: &mut DbConnection,
    c: &ContributionRow,
    urls: &maillage_core::urls::LocalUrls,
) -> Result<ContributionJson, Error> {
    let member = maillage_service::actors::find(conn, Id::from_i64(c.member_id))?
        .ok_or_else(|| Error::internal("contribution without member"))?;
    Ok(ContributionJson {
        id: c.id.to_string(),
        member: account_to_api(conn, &member, urls)?,
        hours: hours_of_minutes(c.minutes),
        form: c.form.clone(),
        note: c.note.clone(),
        worked_on: Timestamp::from_micros(c.worked_on).to_rfc3339(),
        state: c.state.clone(),
        created_at: Timestamp::from_micros(c.created_at).to_rfc3339(),
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/groups/{id}/contributions",
    summary = "A project's contributions (confirmed ones; pending ones too for its admins and their authors) and the confirmed hours per member and form of work",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::contributions::ContributionsJson),
        crate::error::NotFound,
    ),
)]
async fn list(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let viewer = optional(&req, &state, &["read"]).await?.map(|(_, a)| a);
    let group = path_id(&path)?;
    let urls = state.urls.clone();
    let out = state
        .db
        .run(move |conn| {
            let (_, rows) = cases::of_project(conn, viewer.as_ref(), group)?;
            let items = rows
                .iter()
                .map(|c| contribution_to_api(conn, c, &urls))
                .collect::<Result<Vec<_>, Error>>()?;
            let totals = cases::totals(&rows)
                .into_iter()
                .map(|(member, by_form)| TotalJson {
                    member_id: member.to_string(),
                    hours: by_form.values().sum::<f64>(),
                    by_form,
                })
                .collect();
            Ok::<_, Error>(ContributionsJson { contributions: items, totals })
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = ContributionInput)]
#[serde(deny_unknown_fields)]
struct RecordBody {
    hours: f64,
    form: String,
    #[serde(default)]
    note: String,
    /// `YYYY-MM-DD`, today by default.
    worked_on: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/groups/{id}/contributions",
    summary = "Record hours given to the project (members)",
    request_body = crate::contributions::RecordBody,
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::contributions::ContributionJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write:ledger"])),
)]
async fn record(
    req: HttpRequest,
    path: web::Path<String>,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:ledger", "write:listings"]).await?;
    let group = path_id(&path)?;
    let b: RecordBody = body(&req, &bytes)?;
    let worked_on = match b.worked_on.as_deref() {
        Some(day) => Some(Timestamp::parse_rfc3339(&format!("{day}T12:00:00Z")).ok_or_else(|| {
            Error::unprocessable("Validation failed: worked_on: expected a date as YYYY-MM-DD")
        })?),
        None => None,
    };
    let new = NewContribution { hours: b.hours, form: b.form, note: b.note, worked_on };
    let urls = state.urls.clone();
    let out = state
        .db
        .run(move |conn| {
            let row = cases::record(conn, &auth.user, group, &new)?;
            contribution_to_api(conn, &row, &urls)
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

async fn decide(
    req: HttpRequest,
    path: (String, String),
    state: &AppState,
    yes: bool,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, state, &["write:ledger", "write:listings"]).await?;
    let (group, id) = (path_id(&path.0)?, path_id(&path.1)?);
    let urls = state.urls.clone();
    let out = state
        .db
        .run(move |conn| {
            let row = cases::decide(conn, &auth.user, group, id, yes)?;
            contribution_to_api(conn, &row, &urls)
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[utoipa::path(
    post,
    path = "/api/v1/groups/{id}/contributions/{cid}/confirm",
    summary = "Confirm a pending contribution (another admin of the project)",
    params(
        ("id" = String, Path),
        ("cid" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::contributions::ContributionJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write:ledger"])),
)]
async fn confirm(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    decide(req, path.into_inner(), &state, true).await
}

#[utoipa::path(
    post,
    path = "/api/v1/groups/{id}/contributions/{cid}/reject",
    summary = "Reject a pending contribution (another admin of the project)",
    params(
        ("id" = String, Path),
        ("cid" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::contributions::ContributionJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write:ledger"])),
)]
async fn reject(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    decide(req, path.into_inner(), &state, false).await
}
