//! `/api/v1/matches`: the caller's matches, best first, with both
//! listings and the reasons in the caller's language; dismiss one, or
//! respond to it ("I'm interested" in the other listing).

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::DbConnection;
use maillage_service::my_matches::{self, MyMatch};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::agreements::agreement_to_api;
use crate::error::ApiError;
use crate::listing_json::{listing_to_api, ListingJson};
use crate::mastodon::auth::require;
use crate::mastodon::params::{flexible_bool, path_id};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/matches", web::get().to(list))
        .service(
            web::resource("/api/v1/matches/preferences")
                .route(web::get().to(preferences))
                .route(web::put().to(set_preferences))
                .route(web::patch().to(set_preferences))
                .route(web::post().to(set_preferences)),
        )
        .route("/api/v1/matches/{id}/dismiss", web::post().to(dismiss))
        .route("/api/v1/matches/{id}/respond", web::post().to(respond));
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct ListParams {
    /// `fr` or `en`; otherwise the account's language.
    lang: Option<String>,
    #[serde(deserialize_with = "flexible_bool")]
    include_dismissed: bool,
    limit: Option<i64>,
}

/// A match as its person sees it: their own listing and the other's.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Match)]
pub struct MatchJson {
    pub id: String,
    /// Between 0 and 1, rounded to three decimals.
    pub score: f64,
    /// The caller's side: `new`, `dismissed` or `responded`.
    pub state: String,
    /// The other listing's author answered: they showed interest in the
    /// caller's listing (an agreement waits for the caller's answer), or
    /// responded to this match.
    pub they_answered: bool,
    /// In the caller's language (lang=fr|en).
    #[schema(value_type = Vec<String>)]
    pub reasons: Vec<Value>,
    #[schema(value_type = Vec<String>)]
    pub reason_codes: Vec<Value>,
    pub summary: String,
    pub my_listing: ListingJson,
    pub their_listing: ListingJson,
    pub created_at: String,
    pub updated_at: String,
}

/// How a person hears of new matches.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = MatchPreferences)]
pub struct MatchPreferencesJson {
    /// instant: a direct message from the territory for each new match;
    /// digest: one message gathering the new matches every
    /// matching.digest_interval_secs; none: matches are only listed.
    pub notify: String,
}

fn match_to_api(
    conn: &mut DbConnection,
    m: &MyMatch,
    lang: &str,
    urls: &maillage_core::urls::LocalUrls,
) -> Result<MatchJson, Error> {
    let reasons: Value = serde_json::from_str(&m.pair.reasons).unwrap_or(Value::Array(Vec::new()));
    let text: Vec<Value> = reasons.as_array().into_iter().flatten().map(|r| r[lang].clone()).collect();
    Ok(MatchJson {
        id: m.pair.id.to_string(),
        score: (m.pair.score * 1000.0).round() / 1000.0,
        state: m.state().to_owned(),
        they_answered: m.they_answered,
        reason_codes: reasons.as_array().into_iter().flatten().map(|r| r["code"].clone()).collect(),
        summary: text.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("; "),
        reasons: text,
        my_listing: listing_to_api(conn, &m.mine, urls)?,
        their_listing: listing_to_api(conn, &m.theirs, urls)?,
        created_at: Timestamp::from_micros(m.pair.created_at).to_rfc3339(),
        updated_at: Timestamp::from_micros(m.pair.updated_at).to_rfc3339(),
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/matches",
    summary = "The caller's matches, best first",
    params(
        ("lang" = Option<String>, Query),
        ("include_dismissed" = Option<bool>, Query),
        ("limit" = Option<i64>, Query),
    ),
    responses(
        (status = 200, description = "OK", body = Vec<crate::matches::MatchJson>),
        crate::error::Unauthorized,
        crate::error::Forbidden,
    ),
    security(("bearer" = ["read:matches"])),
)]
async fn list(
    req: HttpRequest,
    q: web::Query<ListParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, me) = require(&req, &state, &["read:matches"]).await?;
    let q = q.into_inner();
    let lang = match q.lang.as_deref().unwrap_or(&auth.user.locale) {
        l if l.starts_with("fr") => "fr",
        _ => "en",
    };
    let limit = q.limit.unwrap_or(40).clamp(1, 200);
    let urls = state.urls.clone();
    let items = state
        .db
        .run(move |conn| {
            let found = my_matches::list(conn, &me, q.include_dismissed, limit)?;
            found.iter().map(|m| match_to_api(conn, m, lang, &urls)).collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(items))
}

#[utoipa::path(
    post,
    path = "/api/v1/matches/{id}/dismiss",
    summary = "Dismiss a match (for the caller only)",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::matches::MatchJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
    ),
    security(("bearer" = ["write:matches"])),
)]
async fn dismiss(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (_, me) = require(&req, &state, &["write:matches"]).await?;
    let id = path_id(&id)?;
    let urls = state.urls.clone();
    let body = state
        .db
        .run(move |conn| {
            let m = my_matches::dismiss(conn, &me, id)?;
            match_to_api(conn, &m, "en", &urls)
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// "I'm interested" in the other listing of the match, as
/// `POST /api/v1/listings/{id}/interest` does.
#[utoipa::path(
    post,
    path = "/api/v1/matches/{id}/respond",
    summary = "I'm interested in the other listing of the match",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::agreements::AgreementJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write:matches"])),
)]
async fn respond(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, me) = require(&req, &state, &["write:matches"]).await?;
    let id = path_id(&id)?;
    let (outbound, urls) = (state.outbound(), state.urls.clone());
    let body = state
        .db
        .run(move |conn| {
            let agreement = my_matches::respond(conn, &outbound, &urls, &auth.user, &me, id)?;
            agreement_to_api(conn, &agreement, &urls)
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = MatchPreferencesInput)]
struct PreferenceParams {
    /// `instant`, `digest` or `none`.
    notify: String,
}

/// How the caller hears of new matches.
#[utoipa::path(
    get,
    path = "/api/v1/matches/preferences",
    summary = "How the caller hears of new matches",
    responses(
        (status = 200, description = "OK", body = crate::matches::MatchPreferencesJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
    ),
    security(("bearer" = ["read:matches"])),
)]
async fn preferences(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["read:matches"]).await?;
    let user = auth.user.id;
    let notify = state.db.run(move |conn| maillage_service::notices::preference(conn, user)).await?;
    Ok(HttpResponse::Ok().json(MatchPreferencesJson { notify }))
}

#[utoipa::path(
    method(put, patch, post),
    path = "/api/v1/matches/preferences",
    summary = "Choose how to hear of new matches (PATCH and POST do the same; JSON or form body)",
    request_body = crate::matches::PreferenceParams,
    responses(
        (status = 200, description = "OK", body = crate::matches::MatchPreferencesJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write:matches"])),
)]
async fn set_preferences(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:matches"]).await?;
    let params: PreferenceParams = crate::mastodon::params::body(&req, &bytes)?;
    let user = auth.user.id;
    let notify = state
        .db
        .run(move |conn| {
            maillage_service::notices::set_preference(conn, user, &params.notify)?;
            maillage_service::notices::preference(conn, user)
        })
        .await?;
    Ok(HttpResponse::Ok().json(MatchPreferencesJson { notify }))
}
