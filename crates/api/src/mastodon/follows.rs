//! Following: follow and unfollow, followers and following lists,
//! relationships, and follow requests (list, authorize, reject).

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::id::Id;
use maillage_core::Error;
use maillage_db::follows::Direction;
use maillage_service::follows;

use super::accounts::actor_by_id;
use super::auth::{optional, require};
use super::entities::{account_to_api, relationship_to_api};
use super::params::path_id;
use super::timelines::{paged_response, PageParams};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/accounts/relationships", web::get().to(relationships))
        .route("/api/v1/accounts/{id}/followers", web::get().to(followers))
        .route("/api/v1/accounts/{id}/following", web::get().to(following))
        .route("/api/v1/accounts/{id}/follow", web::post().to(follow))
        .route("/api/v1/accounts/{id}/unfollow", web::post().to(unfollow))
        .route("/api/v1/follow_requests", web::get().to(follow_requests))
        .route("/api/v1/follow_requests/{id}/authorize", web::post().to(authorize))
        .route("/api/v1/follow_requests/{id}/reject", web::post().to(reject));
}

/// Which accounts a list shows.
#[derive(Clone, Copy)]
enum Relation {
    /// Accepted followers, or accepted follows.
    Accepted(Direction),
    /// Pending requests to follow.
    Requests,
}

/// A page of accounts related to `actor`, with `Link` headers by follow id.
async fn relation_list(
    req: &HttpRequest,
    state: &AppState,
    actor: Id,
    which: Relation,
    q: &PageParams,
) -> Result<HttpResponse, ApiError> {
    let page = q.page();
    let urls = state.urls.clone();
    let items = state
        .db
        .run(move |conn| {
            let related = match which {
                Relation::Accepted(direction) => follows::relations(conn, actor, direction, page)?,
                Relation::Requests => follows::pending_requests(conn, actor, page)?,
            };
            related
                .iter()
                .map(|(follow, a)| Ok((*follow, account_to_api(conn, a, &urls)?)))
                .collect::<Result<Vec<_>, Error>>()
        })
        .await?;
    Ok(paged_response(req, items))
}

/// Followers or following of the account in the path; anyone may read.
async fn relations_of(
    req: HttpRequest,
    path: web::Path<String>,
    q: web::Query<PageParams>,
    state: web::Data<AppState>,
    direction: Direction,
) -> Result<HttpResponse, ApiError> {
    optional(&req, &state, &["read:accounts"]).await?;
    let actor = actor_by_id(&state, path_id(&path)?).await?;
    relation_list(&req, &state, actor.id(), Relation::Accepted(direction), &q).await
}

async fn followers(
    req: HttpRequest,
    path: web::Path<String>,
    q: web::Query<PageParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    relations_of(req, path, q, state, Direction::Followers).await
}

async fn following(
    req: HttpRequest,
    path: web::Path<String>,
    q: web::Query<PageParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    relations_of(req, path, q, state, Direction::Following).await
}

async fn follow_requests(
    req: HttpRequest,
    q: web::Query<PageParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (_, me) = require(&req, &state, &["read:follows", "follow"]).await?;
    relation_list(&req, &state, me.id(), Relation::Requests, &q).await
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
                if let Some(other) = maillage_service::actors::find(conn, id)? {
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
