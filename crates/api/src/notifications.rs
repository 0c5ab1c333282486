//! `/api/v1/notifications` in Mastodon's shape, for what a node tells its
//! people today: new matches (one at a time or in a digest) and pairings
//! approved by mediators, each a mention from the territory or the group
//! so that every app shows it. The reason is given in
//! `maillage_reason` for clients that know it.

use crate::state::Showing;
use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::{self, ActorRow};
use maillage_db::notifications::{self, NotificationRow};
use maillage_db::{posts, DbConnection};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::mastodon::auth::require;
use crate::mastodon::entities::{account_to_api, status_to_api};
use crate::mastodon::params::path_id;
use crate::mastodon::timelines::{paged_response, PageParams};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/notifications", web::get().to(list))
        .route("/api/v1/notifications/clear", web::post().to(clear))
        .route("/api/v1/notifications/{id}", web::get().to(get))
        .route("/api/v1/notifications/{id}/dismiss", web::post().to(dismiss));
}

fn notification_to_api(
    conn: &mut DbConnection,
    n: &NotificationRow,
    viewer: &ActorRow,
    urls: &Showing,
) -> Result<Option<Value>, Error> {
    let Some(from) =
        n.from_actor_id.map(|a| actors::find_by_id(conn, Id::from_i64(a))).transpose()?.flatten()
    else {
        return Ok(None);
    };
    let status = match n.post_id.map(|p| posts::find_by_id(conn, Id::from_i64(p))).transpose()?.flatten() {
        Some(post) if !post.is_deleted() => status_to_api(conn, &post, Some(viewer), urls)?,
        _ => Value::Null,
    };
    Ok(Some(json!({
        "id": n.id.to_string(),
        "type": n.kind,
        "created_at": Timestamp::from_micros(n.created_at).to_rfc3339(),
        "account": account_to_api(conn, &from, urls)?,
        "status": status,
        "maillage_reason": n.reason,
        "maillage_match_id": n.match_id.map(|m| m.to_string()),
    })))
}

async fn list(
    req: HttpRequest,
    q: web::Query<PageParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (_, me) = require(&req, &state, &["read:notifications"]).await?;
    let page = q.page();
    let urls = state.showing();
    let items = state
        .db
        .run(move |conn| {
            let mut out = Vec::new();
            for n in notifications::of_recipient(conn, me.id, page.max_id, page.limit)? {
                if let Some(v) = notification_to_api(conn, &n, &me, &urls)? {
                    out.push((n.id, v));
                }
            }
            Ok(out)
        })
        .await?;
    Ok(paged_response(&req, items))
}

async fn get(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (_, me) = require(&req, &state, &["read:notifications"]).await?;
    let id = path_id(&id)?;
    let urls = state.showing();
    let body = state
        .db
        .run(move |conn| {
            let n = notifications::find_of(conn, me.id, id.as_i64())?;
            n.map(|n| notification_to_api(conn, &n, &me, &urls))
                .transpose()?
                .flatten()
                .ok_or_else(|| Error::not_found("Record not found"))
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}

async fn dismiss(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (_, me) = require(&req, &state, &["write:notifications"]).await?;
    let id = path_id(&id)?;
    let done = state
        .db
        .run(move |conn| notifications::dismiss(conn, me.id, Some(id.as_i64()), Timestamp::now().as_micros()))
        .await?;
    if done == 0 {
        return Err(Error::not_found("Record not found").into());
    }
    Ok(HttpResponse::Ok().json(json!({})))
}

async fn clear(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let (_, me) = require(&req, &state, &["write:notifications"]).await?;
    state.db.run(move |conn| notifications::dismiss(conn, me.id, None, Timestamp::now().as_micros())).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}
