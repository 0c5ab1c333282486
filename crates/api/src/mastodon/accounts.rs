//! `/api/v1/accounts/…` and `/api/v1/follow_requests`.

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::id::Id;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::posts::{self, Page, Timeline};
use maillage_service::follows;
use serde::Deserialize;
use serde_json::Value;

use super::auth::{optional, require};
use super::entities::{account_to_api, relationship_to_api, status_to_api};
use super::params::path_id;
use super::timelines::{paged_response, PageParams};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/accounts/verify_credentials", web::get().to(verify_credentials))
        .route("/api/v1/accounts/update_credentials", web::patch().to(update_credentials))
        .route("/api/v1/accounts/lookup", web::get().to(lookup))
        .route("/api/v1/accounts/relationships", web::get().to(relationships))
        .route("/api/v1/accounts/{id}", web::get().to(get))
        .route("/api/v1/accounts/{id}/statuses", web::get().to(statuses))
        .route("/api/v1/accounts/{id}/follow", web::post().to(follow))
        .route("/api/v1/accounts/{id}/unfollow", web::post().to(unfollow))
        .route("/api/v1/follow_requests", web::get().to(follow_requests))
        .route("/api/v1/follow_requests/{id}/authorize", web::post().to(authorize))
        .route("/api/v1/follow_requests/{id}/reject", web::post().to(reject));
}

async fn account_json(state: &AppState, actor: ActorRow) -> Result<Value, Error> {
    let urls = state.urls.clone();
    state.db.run(move |conn| account_to_api(conn, &actor, &urls)).await
}

async fn actor_by_id(state: &AppState, id: Id) -> Result<ActorRow, Error> {
    state
        .db
        .run(move |conn| {
            actors::find_by_id(conn, id)?
                .filter(|a| a.purpose.as_deref() != Some("instance"))
                .ok_or_else(|| Error::not_found("Record not found"))
        })
        .await
}

async fn verify_credentials(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let (auth, actor) = require(&req, &state, &["read:accounts", "profile"]).await?;
    let mut json = account_json(&state, actor).await?;
    json["source"] = serde_json::json!({
        "privacy": "public", "sensitive": false, "language": auth.user.locale, "note": "", "fields": [],
        "follow_requests_count": 0
    });
    json["role"] = serde_json::json!({ "id": "0", "name": auth.user.role.as_str(), "permissions": "0", "color": "", "highlighted": false });
    Ok(HttpResponse::Ok().json(json))
}

#[derive(Deserialize, Default)]
struct CredentialParams {
    display_name: Option<String>,
    note: Option<String>,
    #[serde(default, deserialize_with = "super::params::optional_bool")]
    locked: Option<bool>,
}

async fn update_credentials(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:accounts"]).await?;
    let params: CredentialParams = super::params::body(&req, &bytes)?;
    let change = maillage_service::accounts::ProfileChange {
        display_name: params.display_name,
        note: params.note,
        locked: params.locked,
    };
    let outbound = state.outbound();
    let actor = state
        .db
        .run(move |conn| maillage_service::accounts::update_profile(conn, &outbound, &auth.user, &change))
        .await?;
    Ok(HttpResponse::Ok().json(account_json(&state, actor).await?))
}

async fn get(path: web::Path<String>, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let actor = actor_by_id(&state, path_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(account_json(&state, actor).await?))
}

#[derive(Deserialize)]
struct LookupQuery {
    acct: Option<String>,
}

async fn lookup(q: web::Query<LookupQuery>, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let acct = q.into_inner().acct.ok_or_else(|| Error::unprocessable("acct is required"))?;
    let acct = acct.trim_start_matches('@').to_owned();
    let domain = state.urls.domain().to_owned();
    let actor = state
        .db
        .run(move |conn| {
            let (name, host) = acct
                .split_once('@')
                .map(|(n, d)| (n.to_owned(), d.to_lowercase()))
                .unwrap_or((acct.clone(), domain));
            actors::find_by_handle(conn, &name.to_lowercase(), &host)?
                .ok_or_else(|| Error::not_found("Record not found"))
        })
        .await?;
    Ok(HttpResponse::Ok().json(account_json(&state, actor).await?))
}

async fn statuses(
    req: HttpRequest,
    path: web::Path<String>,
    q: web::Query<PageParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let viewer = optional(&req, &state, &["read:statuses"]).await?.map(|(_, a)| a);
    let author = actor_by_id(&state, path_id(&path)?).await?;
    let page: Page = q.page();
    let urls = state.urls.clone();
    let items = state
        .db
        .run(move |conn| {
            let rows = posts::timeline(conn, Timeline::Author { author: author.id() }, page)?;
            rows.iter()
                .map(|p| Ok((p.id, status_to_api(conn, p, viewer.as_ref(), &urls)?)))
                .collect::<Result<Vec<_>, Error>>()
        })
        .await?;
    Ok(paged_response(&req, items))
}

async fn relationships(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let (_, me) = require(&req, &state, &["read:follows"]).await?;
    // `id[]=1&id[]=2` (or `id=1`): repeated keys, which serde_urlencoded
    // cannot put into a struct field.
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).map_err(|e| Error::unprocessable(e.to_string()))?;
    let ids: Vec<Id> =
        pairs.iter().filter(|(k, _)| k == "id[]" || k == "id").filter_map(|(_, v)| v.parse().ok()).collect();
    let out = state
        .db
        .run(move |conn| {
            let mut out = Vec::new();
            for id in ids {
                if let Some(other) = actors::find_by_id(conn, id)? {
                    out.push(relationship_to_api(&other, follows::relationship(conn, &me, &other)?));
                }
            }
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

async fn follow(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:follows", "follow"]).await?;
    let target = actor_by_id(&state, path_id(&path)?).await?;
    let (outbound, urls) = (state.outbound(), state.urls.clone());
    let rel = state
        .db
        .run(move |conn| {
            follows::follow(conn, &outbound, &urls, &auth.user, target.id())
                .map(|r| relationship_to_api(&target, r))
        })
        .await?;
    Ok(HttpResponse::Ok().json(rel))
}

async fn unfollow(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:follows", "follow"]).await?;
    let target = actor_by_id(&state, path_id(&path)?).await?;
    let outbound = state.outbound();
    let rel = state
        .db
        .run(move |conn| {
            follows::unfollow(conn, &outbound, &auth.user, target.id())
                .map(|r| relationship_to_api(&target, r))
        })
        .await?;
    Ok(HttpResponse::Ok().json(rel))
}

async fn follow_requests(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["read:follows", "follow"]).await?;
    let urls = state.urls.clone();
    let out = state
        .db
        .run(move |conn| {
            let actors = follows::requests(conn, &auth.user)?;
            actors.iter().map(|a| account_to_api(conn, a, &urls)).collect::<Result<Vec<_>, Error>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

async fn answer(
    req: HttpRequest,
    id: &str,
    state: &AppState,
    accept: bool,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, state, &["write:follows", "follow"]).await?;
    let follower = actor_by_id(state, path_id(id)?).await?;
    let outbound = state.outbound();
    let rel = state
        .db
        .run(move |conn| {
            follows::answer_request(conn, &outbound, &auth.user, follower.id(), accept)
                .map(|r| relationship_to_api(&follower, r))
        })
        .await?;
    Ok(HttpResponse::Ok().json(rel))
}

async fn authorize(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    answer(req, &path, &state, true).await
}

async fn reject(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    answer(req, &path, &state, false).await
}
