//! `/api/v2/search`: accounts by handle or URL, statuses by URL, with
//! `resolve=true` fetching what this node does not know yet.

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_apub::resolve::{resolve_actor, resolve_post};
use maillage_core::Error;
use serde::Deserialize;
use serde_json::json;

use super::auth::optional;
use super::entities::{account_to_api, status_to_api};
use super::params::flexible_bool;
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v2/search", web::get().to(search));
}

#[derive(Deserialize)]
struct SearchParams {
    q: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "flexible_bool")]
    resolve: bool,
}

async fn search(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let auth = optional(&req, &state, &["read:search"]).await?;
    let params: SearchParams =
        serde_urlencoded::from_str(req.query_string()).map_err(|e| Error::unprocessable(e.to_string()))?;
    let q = params.q.unwrap_or_default().trim().to_owned();
    if q.is_empty() {
        return Err(Error::bad_request("q is required").into());
    }
    // Fetching from other servers is for signed-in people only.
    let may_resolve = params.resolve && auth.is_some();
    let viewer = auth.map(|(_, a)| a);
    let data = state.federation.data();
    let is_url = q.starts_with("https://") || q.starts_with("http://");
    let want = |k: &str| params.kind.as_deref().is_none_or(|t| t == k);
    let mut accounts = Vec::new();
    let mut statuses = Vec::new();
    if want("accounts") && (is_url || q.contains('@')) {
        let found = if may_resolve || !is_url {
            resolve_actor_known_or_remote(&data, &q, may_resolve).await
        } else {
            Err(Error::not_found(""))
        };
        if let Ok(actor) = found {
            let urls = state.urls.clone();
            accounts.push(state.db.run(move |conn| account_to_api(conn, &actor, &urls)).await?);
        }
    }
    if want("statuses") && is_url && accounts.is_empty() && may_resolve {
        if let Ok(post) = resolve_post(&data, &q).await {
            let urls = state.urls.clone();
            let v = viewer.clone();
            statuses.push(state.db.run(move |conn| status_to_api(conn, &post, v.as_ref(), &urls)).await?);
        }
    }
    Ok(HttpResponse::Ok().json(json!({ "accounts": accounts, "statuses": statuses, "hashtags": [] })))
}

async fn resolve_actor_known_or_remote(
    data: &maillage_apub::Data,
    q: &str,
    may_resolve: bool,
) -> Result<maillage_db::actors::ActorRow, Error> {
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
            maillage_db::actors::find_by_handle(conn, &name.to_lowercase(), &domain)?
                .ok_or_else(|| Error::not_found("Record not found"))
        })
        .await
}
