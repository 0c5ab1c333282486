//! `/api/v2/search` and `/api/v1/accounts/search`: accounts by handle, URL
//! or name, statuses by URL, hashtags by prefix; `resolve=true` fetches
//! what this node does not know yet.

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_apub::resolve::{resolve_actor, resolve_post};
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use serde::Deserialize;
use serde_json::json;

use super::auth::{optional, require};
use super::entities::{account_to_api, status_to_api};
use super::params::flexible_bool;
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v2/search", web::get().to(search))
        .route("/api/v1/accounts/search", web::get().to(account_search));
}

const MAX_RESULTS: i64 = 40;

#[derive(Deserialize)]
struct SearchParams {
    q: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "flexible_bool")]
    resolve: bool,
    limit: Option<i64>,
}

fn search_params(req: &HttpRequest) -> Result<SearchParams, Error> {
    let params: SearchParams = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| Error::bad_request(format!("invalid query string: {e}")))?;
    if params.q.as_deref().is_none_or(|q| q.trim().is_empty()) {
        return Err(Error::bad_request("q is required"));
    }
    Ok(params)
}

/// Accounts by handle (resolved when asked and signed in) and, for plain
/// words, by username prefix or display name among known accounts.
async fn find_accounts(
    state: &AppState,
    q: &str,
    may_resolve: bool,
    limit: i64,
) -> Result<Vec<ActorRow>, Error> {
    let data = state.federation.data();
    let is_url = q.starts_with("https://") || q.starts_with("http://");
    if is_url || q.trim_start_matches('@').contains('@') {
        if is_url && !may_resolve {
            return Ok(Vec::new());
        }
        return Ok(resolve_actor_known_or_remote(&data, q, may_resolve).await.into_iter().collect());
    }
    let words = q.trim_start_matches('@').to_owned();
    state.db.run(move |conn| maillage_service::actors::search(conn, &words, limit)).await
}

async fn account_search(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    require(&req, &state, &["read:accounts"]).await?;
    let params = search_params(&req)?;
    let q = params.q.unwrap_or_default().trim().to_owned();
    let limit = params.limit.unwrap_or(MAX_RESULTS).clamp(1, MAX_RESULTS);
    let found = find_accounts(&state, &q, params.resolve, limit).await?;
    let urls = state.urls.clone();
    let out = state
        .db
        .run(move |conn| {
            found.iter().map(|a| account_to_api(conn, a, &urls)).collect::<Result<Vec<_>, Error>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

async fn search(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let auth = optional(&req, &state, &["read:search"]).await?;
    let params = search_params(&req)?;
    let q = params.q.clone().unwrap_or_default().trim().to_owned();
    let limit = params.limit.unwrap_or(20).clamp(1, MAX_RESULTS);
    // Fetching from other servers is for signed-in people only.
    let may_resolve = params.resolve && auth.is_some();
    let viewer = auth.map(|(_, a)| a);
    let is_url = q.starts_with("https://") || q.starts_with("http://");
    let want = |k: &str| params.kind.as_deref().is_none_or(|t| t == k);
    let mut accounts = Vec::new();
    if want("accounts") {
        let found = find_accounts(&state, &q, may_resolve, limit).await?;
        let urls = state.urls.clone();
        accounts = state
            .db
            .run(move |conn| {
                found.iter().map(|a| account_to_api(conn, a, &urls)).collect::<Result<Vec<_>, Error>>()
            })
            .await?;
    }
    let mut statuses = Vec::new();
    if want("statuses") && is_url && accounts.is_empty() && may_resolve {
        let data = state.federation.data();
        if let Ok(post) = resolve_post(&data, &q).await {
            let urls = state.showing();
            let v = viewer.clone();
            let seen = state
                .db
                .run(move |conn| {
                    if !maillage_service::posts::can_see(conn, &post, v.as_ref())? {
                        return Ok(None);
                    }
                    status_to_api(conn, &post, v.as_ref(), &urls).map(Some)
                })
                .await?;
            statuses.extend(seen);
        }
    }
    let mut hashtags = Vec::new();
    if want("hashtags") && !is_url && !q.trim_start_matches('@').contains('@') {
        let prefix = maillage_core::fold::fold(q.trim_start_matches('#'));
        let names = state
            .db
            .run(move |conn| maillage_service::posts::hashtags_starting(conn, &prefix, limit))
            .await?;
        hashtags = names
            .iter()
            .map(|n| json!({ "name": n, "url": state.urls.tag(n), "history": [], "following": false }))
            .collect();
    }
    Ok(HttpResponse::Ok().json(json!({ "accounts": accounts, "statuses": statuses, "hashtags": hashtags })))
}

async fn resolve_actor_known_or_remote(
    data: &maillage_apub::Data,
    q: &str,
    may_resolve: bool,
) -> Result<ActorRow, Error> {
    if may_resolve {
        return resolve_actor(data, q).await;
    }
    // Without resolve, only what we already know.
    let query = q.trim_start_matches('@').to_owned();
    let local = data.urls.domain().to_owned();
    data.db
        .run(move |conn| {
            let (name, domain) = query
                .split_once('@')
                .map(|(n, d)| (n.to_owned(), d.to_lowercase()))
                .unwrap_or((query.clone(), local));
            maillage_service::actors::find_by_handle(conn, &name, &domain)?
                .ok_or_else(|| Error::not_found("Record not found"))
        })
        .await
}
