//! Time credits over HTTP: confirming an agreement, one's own account and
//! its movements, the admin's limits and corrections, and the territory's
//! dashboard (`/api/v1/territory/stats`, and `.csv`).

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::id::Id;
use maillage_core::ledger::{hours_of_minutes, minutes_of_hours};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_service::ledger::{self as cases, Limits};
use maillage_service::territory_stats::{self, TerritoryStats};
use serde::Deserialize;

use crate::admin::require_admin;
use crate::agreements::agreement_to_api;
use crate::error::ApiError;
use crate::ledger_json::{
    ConfirmedJson, LedgerAccountJson, MovementJson, StatementJson, StatsJson, TransferJson,
};
use crate::mastodon::auth::{optional, require};
use crate::mastodon::params::{body, path_id};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/agreements/{id}/confirm", web::post().to(confirm))
        .route("/api/v1/ledger/account", web::get().to(my_account))
        .route("/api/v1/admin/ledger/accounts/{actor}", web::put().to(set_limits))
        .route("/api/v1/admin/ledger/territories/{domain}", web::put().to(set_link_limit))
        .route("/api/v1/admin/ledger/transfers", web::post().to(correct))
        .route("/api/v1/territory/stats", web::get().to(stats))
        .route("/api/v1/territory/stats.csv", web::get().to(stats_csv));
}

fn limits(state: &AppState) -> Limits {
    Limits::from_config(&state.config.ledger)
}

#[utoipa::path(
    post,
    path = "/api/v1/agreements/{id}/confirm",
    summary = "Confirm, as one party, that the agreement was fulfilled. Time credits move once both parties confirmed (across linked territories, each node moves its own person's side; the first side to confirm reserves the hours).",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "The agreement, with `hours` and `transfer` (null until both confirmed)", body = crate::ledger_json::ConfirmedJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write:ledger"])),
)]
async fn confirm(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:ledger", "write:listings"]).await?;
    let id = path_id(&path)?;
    let (outbound, urls, limits) = (state.outbound(), state.urls.clone(), limits(&state));
    let body = state
        .db
        .run(move |conn| {
            let done = cases::confirm(conn, &outbound, limits, &auth.user, id)?;
            let agreement = agreement_to_api(conn, &done.agreement, &urls)?;
            Ok::<_, Error>(ConfirmedJson {
                agreement,
                hours: hours_of_minutes(done.minutes),
                transfer: done.transfer.as_ref().map(TransferJson::from),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}

#[derive(Deserialize)]
struct MovementsQuery {
    max_id: Option<String>,
    limit: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/api/v1/ledger/account",
    summary = "The caller's time-credit account: balance, limits, reserved hours and movements (newest first; `max_id`, `limit`)",
    responses(
        (status = 200, description = "OK", body = crate::ledger_json::StatementJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
    ),
    security(("bearer" = ["read:ledger"])),
)]
async fn my_account(
    req: HttpRequest,
    q: web::Query<MovementsQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (_, me) = require(&req, &state, &["read:ledger", "read:accounts"]).await?;
    let before = q.max_id.as_deref().and_then(|s| s.parse::<i64>().ok());
    let limit = q.limit.unwrap_or(40);
    let limits = limits(&state);
    let body = state
        .db
        .run(move |conn| {
            let account = cases::account_of_actor(conn, me.id(), limits)?;
            let moves = cases::movements(conn, &account, before, limit)?;
            Ok::<_, Error>(StatementJson {
                account: LedgerAccountJson::from(&account),
                movements: moves.iter().map(|(m, t)| MovementJson::of(m, t)).collect(),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = LimitsInput)]
#[serde(deny_unknown_fields)]
struct LimitsBody {
    lower_limit_hours: f64,
    upper_limit_hours: f64,
}

fn whole_minutes(field: &str, hours: f64, sign: f64) -> Result<i64, Error> {
    if hours == 0.0 {
        return Ok(0);
    }
    if hours * sign < 0.0 {
        return Err(Error::unprocessable(format!(
            "Validation failed: {field}: must be {} 0",
            if sign < 0.0 { "at most" } else { "at least" }
        )));
    }
    Ok(minutes_of_hours(field, hours.abs())? * sign as i64)
}

#[utoipa::path(
    put,
    path = "/api/v1/admin/ledger/accounts/{actor}",
    summary = "Set a local person's or group's limits (admin)",
    request_body = crate::ledger::LimitsBody,
    params(
        ("actor" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::ledger_json::LedgerAccountJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["admin:write:accounts"])),
)]
async fn set_limits(
    req: HttpRequest,
    path: web::Path<String>,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, &["admin:write:accounts", "admin:write"]).await?;
    let actor = path_id(&path)?;
    let b: LimitsBody = body(&req, &bytes)?;
    let lower = whole_minutes("lower_limit_hours", b.lower_limit_hours, -1.0)?;
    let upper = whole_minutes("upper_limit_hours", b.upper_limit_hours, 1.0)?;
    let limits = limits(&state);
    let account =
        state.db.run(move |conn| cases::set_person_limits(conn, actor, lower, upper, limits)).await?;
    Ok(HttpResponse::Ok().json(LedgerAccountJson::from(&account)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = LinkLimitInput)]
#[serde(deny_unknown_fields)]
struct LinkLimitBody {
    limit_hours: f64,
}

#[utoipa::path(
    put,
    path = "/api/v1/admin/ledger/territories/{domain}",
    summary = "Set how far the running balance with a linked territory may go, either way (admin)",
    request_body = crate::ledger::LinkLimitBody,
    params(
        ("domain" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::ledger_json::LedgerAccountJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["admin:write:territory_links"])),
)]
async fn set_link_limit(
    req: HttpRequest,
    path: web::Path<String>,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&req, &state, &["admin:write:territory_links", "admin:write"]).await?;
    let domain = maillage_core::policy::normalize_domain(&path)?;
    let b: LinkLimitBody = body(&req, &bytes)?;
    let limit = whole_minutes("limit_hours", b.limit_hours, 1.0)?;
    let limits = limits(&state);
    let account = state.db.run(move |conn| cases::set_link_limit(conn, &domain, limit, limits)).await?;
    Ok(HttpResponse::Ok().json(LedgerAccountJson::from(&account)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = CorrectionInput)]
#[serde(deny_unknown_fields)]
struct CorrectionBody {
    #[serde(deserialize_with = "crate::mastodon::params::required_id")]
    #[schema(value_type = String)]
    from: Id,
    #[serde(deserialize_with = "crate::mastodon::params::required_id")]
    #[schema(value_type = String)]
    to: Id,
    hours: f64,
    memo: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/ledger/transfers",
    summary = "Record a correction: a new transfer between two local accounts, never an edit (admin)",
    request_body = crate::ledger::CorrectionBody,
    responses(
        (status = 200, description = "OK", body = crate::ledger_json::TransferJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["admin:write:accounts"])),
)]
async fn correct(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require_admin(&req, &state, &["admin:write:accounts", "admin:write"]).await?;
    let b: CorrectionBody = body(&req, &bytes)?;
    let limits = limits(&state);
    let t = state
        .db
        .run(move |conn| cases::correct(conn, limits, &auth.user, b.from, b.to, b.hours, &b.memo))
        .await?;
    Ok(HttpResponse::Ok().json(TransferJson::from(&t)))
}

#[derive(Deserialize)]
struct StatsQuery {
    /// `YYYY-MM-DD`; a year back by default.
    since: Option<String>,
}

async fn load_stats(req: &HttpRequest, q: &StatsQuery, state: &AppState) -> Result<TerritoryStats, Error> {
    optional(req, state, &["read"]).await?;
    let since = match q.since.as_deref() {
        Some(day) => Timestamp::parse_rfc3339(&format!("{day}T00:00:00Z"))
            .ok_or_else(|| Error::unprocessable("Validation failed: since: expected a date as YYYY-MM-DD"))?,
        None => Timestamp::now().saturating_sub(std::time::Duration::from_secs(366 * 86_400)),
    };
    state.db.run(move |conn| territory_stats::stats(conn, since)).await
}

#[utoipa::path(
    get,
    path = "/api/v1/territory/stats",
    summary = "The territory's dashboard: exchanges and hours per month by category and form of work, the share inside the territory and with each linked territory, balances between territories (`since=YYYY-MM-DD`, a year by default)",
    responses(
        (status = 200, description = "OK", body = crate::ledger_json::StatsJson),
        crate::error::NotFound,
        crate::error::Invalid,
    ),
)]
async fn stats(
    req: HttpRequest,
    q: web::Query<StatsQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let s = load_stats(&req, &q, &state).await?;
    Ok(HttpResponse::Ok().json(StatsJson::of(&s, &state.territory().name)))
}

#[utoipa::path(
    get,
    path = "/api/v1/territory/stats.csv",
    summary = "The same figures as CSV (`month,dimension,key,exchanges,hours`)",
    responses(
        (status = 200, description = "CSV", body = String, content_type = "text/csv"),
        crate::error::Invalid,
    ),
)]
async fn stats_csv(
    req: HttpRequest,
    q: web::Query<StatsQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let s = load_stats(&req, &q, &state).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", "attachment; filename=\"territory-stats.csv\""))
        .body(territory_stats::to_csv(&s)))
}
