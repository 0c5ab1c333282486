//! Direct conversations as Mastodon apps read them
//! (`/api/v1/conversations`: list, read, remove), and blocking and muting
//! people (`/api/v1/accounts/{id}/block|unblock|mute|unmute`,
//! `/api/v1/blocks`, `/api/v1/mutes`).

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::Error;
use maillage_service::blocks::{self, Kind};
use maillage_service::conversations::{self as cases, ConversationView};
use maillage_service::follows;
use serde_json::{json, Value};

use super::accounts::actor_by_id;
use super::auth::require;
use super::entities::{account_to_api, relationship_to_api, status_to_api};
use super::params::path_id;
use super::timelines::{paged_response, PageParams};
use crate::error::ApiError;
use crate::state::{AppState, Showing};
use maillage_db::actors::ActorRow;
use maillage_db::DbConnection;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/conversations", web::get().to(list))
        .route("/api/v1/conversations/{id}", web::delete().to(remove))
        .route("/api/v1/conversations/{id}/read", web::post().to(read))
        .route("/api/v1/accounts/{id}/block", web::post().to(block))
        .route("/api/v1/accounts/{id}/unblock", web::post().to(unblock))
        .route("/api/v1/accounts/{id}/mute", web::post().to(mute))
        .route("/api/v1/accounts/{id}/unmute", web::post().to(unmute))
        .route("/api/v1/blocks", web::get().to(blocked))
        .route("/api/v1/mutes", web::get().to(muted));
}

/// A Conversation entity: the others, unread, the last status.
fn conversation_to_api(
    conn: &mut DbConnection,
    view: &ConversationView,
    me: &ActorRow,
    urls: &Showing,
) -> Result<Value, Error> {
    let accounts =
        view.others.iter().map(|a| account_to_api(conn, a, urls)).collect::<Result<Vec<_>, _>>()?;
    let last = view.last.as_ref().map(|p| status_to_api(conn, p, Some(me), urls)).transpose()?;
    Ok(json!({
        "id": view.conversation.id.to_string(),
        "unread": view.member.unread,
        "accounts": accounts,
        "last_status": last,
    }))
}

async fn list(
    req: HttpRequest,
    q: web::Query<PageParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, me) = require(&req, &state, &["read:statuses"]).await?;
    let page = q.page();
    let urls = state.showing();
    let items = state
        .db
        .run(move |conn| {
            let max = page.max_id;
            let min = page.min_id.or(page.since_id);
            cases::list(conn, &auth.user, max, min, page.limit)?
                .iter()
                .map(|v| Ok((v.member.last_post_id, conversation_to_api(conn, v, &me, &urls)?)))
                .collect::<Result<Vec<_>, Error>>()
        })
        .await?;
    Ok(paged_response(&req, items))
}

async fn read(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, me) = require(&req, &state, &["write:conversations"]).await?;
    let id = path_id(&path)?;
    let urls = state.showing();
    let out = state
        .db
        .run(move |conn| {
            cases::mark_read(conn, &auth.user, id)?;
            let (view, _) = cases::get(conn, &auth.user, id, 1)?;
            conversation_to_api(conn, &view, &me, &urls)
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

async fn remove(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:conversations"]).await?;
    let id = path_id(&path)?;
    state.db.run(move |conn| cases::remove(conn, &auth.user, id)).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

async fn set(
    req: HttpRequest,
    path: &str,
    state: &AppState,
    kind: Kind,
    on: bool,
) -> Result<HttpResponse, ApiError> {
    let scopes: &'static [&'static str] =
        if kind == Kind::Block { &["write:blocks", "follow"] } else { &["write:mutes", "follow"] };
    let (auth, me) = require(&req, state, scopes).await?;
    let target = actor_by_id(state, path_id(path)?).await?;
    let rel = state
        .db
        .run(move |conn| {
            let other = blocks::set(conn, &auth.user, target.id(), kind, on)?;
            Ok(relationship_to_api(&other, follows::relationship(conn, &me, &other)?))
        })
        .await?;
    Ok(HttpResponse::Ok().json(rel))
}

async fn block(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    set(req, &path, &state, Kind::Block, true).await
}

async fn unblock(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    set(req, &path, &state, Kind::Block, false).await
}

async fn mute(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    set(req, &path, &state, Kind::Mute, true).await
}

async fn unmute(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    set(req, &path, &state, Kind::Mute, false).await
}

async fn listed(req: HttpRequest, state: &AppState, kind: Kind) -> Result<HttpResponse, ApiError> {
    let scopes: &'static [&'static str] =
        if kind == Kind::Block { &["read:blocks", "follow"] } else { &["read:mutes", "follow"] };
    let (auth, _) = require(&req, state, scopes).await?;
    let urls = state.urls.clone();
    let out = state
        .db
        .run(move |conn| {
            blocks::list(conn, &auth.user, kind, 200)?
                .iter()
                .map(|a| account_to_api(conn, a, &urls))
                .collect::<Result<Vec<_>, Error>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

async fn blocked(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    listed(req, &state, Kind::Block).await
}

async fn muted(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    listed(req, &state, Kind::Mute).await
}
