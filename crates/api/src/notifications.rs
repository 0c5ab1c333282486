//! `/api/v1/notifications` in Mastodon's shape, for what a node tells its
//! people today: new matches (one at a time or in a digest) and pairings
//! approved by mediators, each a mention from the territory or the group
//! so that every app shows it. The reason is given in
//! `maillage_reason` for clients that know it.

use crate::state::Showing;
use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::DbConnection;
use maillage_service::notifications::{self, Notification};
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
    n: &Notification,
    viewer: &ActorRow,
    urls: &Showing,
) -> Result<Value, Error> {
    let status = match &n.status {
        Some(post) => status_to_api(conn, post, Some(viewer), urls)?,
        None => Value::Null,
    };
    let row = &n.row;
    Ok(json!({
        "id": row.id.to_string(),
        "type": row.kind,
        "created_at": Timestamp::from_micros(row.created_at).to_rfc3339(),
        "account": account_to_api(conn, &n.from, urls)?,
        "status": status,
        "maillage_reason": row.reason,
        "maillage_match_id": row.match_id.map(|m| m.to_string()),
    }))
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
            notifications::of(conn, &me, page.max_id, page.limit)?
                .iter()
                .map(|n| Ok((n.row.id, notification_to_api(conn, n, &me, &urls)?)))
                .collect::<Result<Vec<_>, Error>>()
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
            let n = notifications::get(conn, &me, id)?;
            notification_to_api(conn, &n, &me, &urls)
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
    state.db.run(move |conn| notifications::dismiss(conn, &me, Some(id))).await?;
    Ok(HttpResponse::Ok().json(crate::plain_json::EmptyJson {}))
}

async fn clear(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let (_, me) = require(&req, &state, &["write:notifications"]).await?;
    state.db.run(move |conn| notifications::dismiss(conn, &me, None)).await?;
    Ok(HttpResponse::Ok().json(crate::plain_json::EmptyJson {}))
}
