//! `/api/v1/statuses`: write, read, edit, delete, favourite, boost, and
//! the thread around a status (`context`).

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::id::Id;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::posts::PostRow;
use maillage_db::DbConnection;
use maillage_service::posts::{get_visible, thread, NewPost};
use maillage_service::{interactions, posts as post_cases};
use serde::Deserialize;
use serde_json::Value;

use super::auth::{optional, require};
use super::entities::status_to_api;
use super::params::{body, flexible_bool, id_list, optional_id, path_id};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/statuses", web::post().to(create))
        .route("/api/v1/statuses/{id}", web::get().to(get))
        .route("/api/v1/statuses/{id}/context", web::get().to(context))
        .route("/api/v1/statuses/{id}", web::put().to(update))
        .route("/api/v1/statuses/{id}", web::delete().to(delete))
        .route("/api/v1/statuses/{id}/favourite", web::post().to(favourite))
        .route("/api/v1/statuses/{id}/unfavourite", web::post().to(unfavourite))
        .route("/api/v1/statuses/{id}/reblog", web::post().to(reblog))
        .route("/api/v1/statuses/{id}/unreblog", web::post().to(unreblog));
}

#[derive(Deserialize, Default)]
struct StatusParams {
    status: Option<String>,
    visibility: Option<String>,
    #[serde(default)]
    spoiler_text: Option<String>,
    #[serde(default, deserialize_with = "flexible_bool")]
    sensitive: bool,
    #[serde(default, deserialize_with = "optional_id")]
    in_reply_to_id: Option<Id>,
    language: Option<String>,
}

impl StatusParams {
    fn into_new_post(self, media_ids: Option<Vec<Id>>) -> NewPost {
        NewPost {
            text: self.status.unwrap_or_default(),
            // Mastodon's `private` is our followers-only.
            visibility: self.visibility.map(|v| if v == "private" { "followers".to_owned() } else { v }),
            spoiler_text: self.spoiler_text.unwrap_or_default(),
            sensitive: self.sensitive,
            in_reply_to: self.in_reply_to_id,
            language: self.language.filter(|l| !l.is_empty()),
            media_ids,
        }
    }
}

async fn status_json(state: &AppState, post: PostRow, viewer: Option<ActorRow>) -> Result<Value, Error> {
    let urls = state.showing();
    state.db.run(move |conn| status_to_api(conn, &post, viewer.as_ref(), &urls)).await
}

async fn create(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, me) = require(&req, &state, &["write:statuses"]).await?;
    let new = body::<StatusParams>(&req, &bytes)?.into_new_post(id_list(&req, &bytes, "media_ids")?);
    let (outbound, urls) = (state.outbound(), state.urls.clone());
    let post = state.db.run(move |conn| post_cases::create(conn, &outbound, &urls, &auth.user, &new)).await?;
    Ok(HttpResponse::Ok().json(status_json(&state, post, Some(me)).await?))
}

async fn get(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let viewer = optional(&req, &state, &["read:statuses"]).await?.map(|(_, a)| a);
    let id = path_id(&path)?;
    let v = viewer.clone();
    let post = state.db.run(move |conn| get_visible(conn, id, v.as_ref())).await?;
    Ok(HttpResponse::Ok().json(status_json(&state, post, viewer).await?))
}

async fn update(
    req: HttpRequest,
    path: web::Path<String>,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, me) = require(&req, &state, &["write:statuses"]).await?;
    let id = path_id(&path)?;
    let new = body::<StatusParams>(&req, &bytes)?.into_new_post(id_list(&req, &bytes, "media_ids")?);
    let (outbound, urls) = (state.outbound(), state.urls.clone());
    let post =
        state.db.run(move |conn| post_cases::update(conn, &outbound, &urls, &auth.user, id, &new)).await?;
    Ok(HttpResponse::Ok().json(status_json(&state, post, Some(me)).await?))
}

async fn delete(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, me) = require(&req, &state, &["write:statuses"]).await?;
    let id = path_id(&path)?;
    let outbound = state.outbound();
    let post = state.db.run(move |conn| post_cases::delete(conn, &outbound, &auth.user, id)).await?;
    // Mastodon answers with the deleted status and its source text, so that
    // apps can offer "delete and redraft".
    Ok(HttpResponse::Ok().json(status_json(&state, post, Some(me)).await?))
}

async fn interact(
    req: HttpRequest,
    id: &str,
    state: &AppState,
    like: bool,
    on: bool,
) -> Result<HttpResponse, ApiError> {
    let (auth, me) = require(&req, state, &["write:favourites", "write:statuses"]).await?;
    let id = path_id(id)?;
    let (outbound, urls) = (state.outbound(), state.urls.clone());
    let post = state
        .db
        .run(move |conn| {
            if like {
                interactions::favourite(conn, &outbound, &urls, &auth.user, id, on)
            } else {
                interactions::reblog(conn, &outbound, &urls, &auth.user, id, on)
            }
        })
        .await?;
    Ok(HttpResponse::Ok().json(status_json(state, post, Some(me)).await?))
}

async fn favourite(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    interact(req, &path, &state, true, true).await
}
async fn unfavourite(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    interact(req, &path, &state, true, false).await
}
async fn reblog(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    interact(req, &path, &state, false, true).await
}
async fn unreblog(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    interact(req, &path, &state, false, false).await
}

/// The thread around a status: the posts it answers (oldest first) and
/// the answers to it and to them, each only if the caller may see it.
async fn context(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    const MAX: usize = 60;
    let viewer = optional(&req, &state, &["read:statuses"]).await?.map(|(_, a)| a);
    let id = path_id(&path)?;
    let urls = state.showing();
    let body = state
        .db
        .run(move |conn| {
            let post = get_visible(conn, id, viewer.as_ref())?;
            let (ancestors, descendants) = thread(conn, &post, viewer.as_ref(), MAX)?;
            let to_api = |conn: &mut DbConnection, list: &[PostRow]| {
                list.iter()
                    .map(|p| status_to_api(conn, p, viewer.as_ref(), &urls))
                    .collect::<Result<Vec<_>, Error>>()
            };
            Ok(serde_json::json!({
                "ancestors": to_api(conn, &ancestors)?,
                "descendants": to_api(conn, &descendants)?,
            }))
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}
