//! ActivityPub endpoints: actors, objects, collections and inboxes. Actor
//! and object URLs answer JSON to ActivityPub clients and a small HTML page
//! to browsers (content negotiation on `Accept`).

use actix_web::http::header::{ACCEPT, CONTENT_TYPE};
use actix_web::{web, HttpRequest, HttpResponse};
use maillage_apub::collections;
use maillage_apub::inbox::{self, InboxRequest, Outcome};
use maillage_apub::objects::actor::actor_to_ap;
use maillage_apub::objects::note::post_to_ap;
use maillage_core::id::Id;
use maillage_core::listing::ListingVisibility;
use maillage_core::{Error, ErrorKind};
use maillage_db::actors::ActorRow;
use maillage_service::actors::{instance_actor, PURPOSE_INSTANCE};
use serde::Deserialize;
use serde_json::Value;

use crate::error::ApiError;
use crate::html::minimal_page;
use crate::state::AppState;

pub const ACTIVITY_JSON: &str = "application/activity+json; charset=utf-8";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/users/{name}", web::get().to(actor))
        .route("/users/{name}/inbox", web::post().to(inbox))
        .route("/users/{name}/outbox", web::get().to(outbox))
        .route("/users/{name}/followers", web::get().to(followers))
        .route("/users/{name}/following", web::get().to(following))
        .route("/actor", web::get().to(instance))
        .route("/actor/inbox", web::post().to(inbox))
        .route("/inbox", web::post().to(inbox))
        .route("/objects/{id}", web::get().to(object));
}

/// Whether the client asked for ActivityPub JSON.
pub fn wants_activity_json(req: &HttpRequest) -> bool {
    req.headers().get(ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|accept| {
        accept.contains("application/activity+json") || accept.contains("application/ld+json")
    })
}

pub fn activity_json(status: actix_web::http::StatusCode, body: &Value) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((CONTENT_TYPE, ACTIVITY_JSON))
        .insert_header(("Vary", "Accept"))
        .body(body.to_string())
}

async fn local_actor(state: &AppState, name: String) -> Result<ActorRow, ApiError> {
    Ok(state
        .db
        .run(move |conn| {
            maillage_service::actors::find_local(conn, &name)?
                .filter(|a| a.purpose.as_deref() != Some(PURPOSE_INSTANCE))
                .ok_or_else(|| Error::not_found("Record not found"))
        })
        .await?)
}

fn actor_response(req: &HttpRequest, row: &ActorRow) -> HttpResponse {
    if wants_activity_json(req) {
        return activity_json(actix_web::http::StatusCode::OK, &actor_to_ap(row));
    }
    // People and groups have their page at `url` (`/@name`), served by
    // the web crate; the instance actor has none.
    if let Some(url) = row.url.as_deref().filter(|_| row.purpose.as_deref() != Some(PURPOSE_INSTANCE)) {
        return see_page(url);
    }
    let name = if row.display_name.is_empty() { &row.username } else { &row.display_name };
    minimal_page(name, &format!("@{}@{}", row.username, row.domain), &row.summary_html, Some(&row.ap_id))
}

/// Browsers go to the page of what they asked for.
fn see_page(url: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", url.to_owned()))
        .insert_header(("Vary", "Accept"))
        .finish()
}

async fn actor(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let row = local_actor(&state, path.into_inner()).await?;
    Ok(actor_response(&req, &row))
}

async fn instance(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let row = state.db.run(instance_actor).await?;
    Ok(actor_response(&req, &row))
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<String>,
    max_id: Option<i64>,
    min_id: Option<i64>,
}

impl PageQuery {
    fn wants_page(&self) -> bool {
        self.page.as_deref().is_some_and(|p| p == "true" || p == "1")
    }
}

async fn outbox(
    path: web::Path<String>,
    q: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let row = local_actor(&state, path.into_inner()).await?;
    let page = q.wants_page().then_some(q.max_id);
    let urls = state.urls.clone();
    let body = state.db.run(move |conn| collections::outbox(conn, &urls, &row, page)).await?;
    Ok(activity_json(actix_web::http::StatusCode::OK, &body))
}

async fn relation_collection(
    name: String,
    q: PageQuery,
    state: &AppState,
    followers: bool,
) -> Result<HttpResponse, ApiError> {
    let row = local_actor(state, name).await?;
    let page = q.wants_page().then_some(q.min_id);
    let body = state.db.run(move |conn| collections::relations(conn, &row, followers, page)).await?;
    Ok(activity_json(actix_web::http::StatusCode::OK, &body))
}

async fn followers(
    path: web::Path<String>,
    q: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    relation_collection(path.into_inner(), q.into_inner(), &state, true).await
}

async fn following(
    path: web::Path<String>,
    q: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    relation_collection(path.into_inner(), q.into_inner(), &state, false).await
}

/// A local post: JSON or a page; a deleted one answers 410 with its
/// Tombstone; one that is not public is not found.
async fn object(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id: Id = path.into_inner().parse().map_err(|_| Error::not_found("Record not found"))?;
    // Most fetches are of public objects: the signer is verified (an RSA
    // check, maybe a fetch of its actor) only when the object is hidden
    // from an anonymous visitor and the request is signed.
    match object_for(&req, id, None, &state).await {
        Err(e) if e.0.kind() == ErrorKind::NotFound && req.headers().contains_key("signature") => {
            let (path_and_query, headers) = signed_parts(&req);
            let fetcher =
                maillage_apub::signed_fetch::signer(&state.federation.data(), &path_and_query, &headers)
                    .await?;
            object_for(&req, id, fetcher, &state).await
        }
        answer => answer,
    }
}

/// The object `id` as `fetcher` (the verified signer, or nobody) may see it.
async fn object_for(
    req: &HttpRequest,
    id: Id,
    fetcher: Option<ActorRow>,
    state: &AppState,
) -> Result<HttpResponse, ApiError> {
    if let Some(response) = listing_object(req, id, fetcher.clone(), state).await? {
        return Ok(response);
    }
    if let Some(response) = session_object(req, id, state).await? {
        return Ok(response);
    }
    let urls = state.urls.clone();
    let (post, author, tags, context, media) = state
        .db
        .run(move |conn| {
            let (post, author, tags) = maillage_service::posts::local_object(conn, id, fetcher.as_ref())?
                .ok_or_else(|| Error::not_found("Record not found"))?;
            let context = maillage_service::conversations::context_of(conn, &post)?;
            let media = maillage_apub::objects::media::attachments_of(conn, &urls, post.id)?;
            Ok((post, author, tags, context, media))
        })
        .await?;
    let status =
        if post.is_deleted() { actix_web::http::StatusCode::GONE } else { actix_web::http::StatusCode::OK };
    if wants_activity_json(req) || post.is_deleted() {
        return Ok(activity_json(status, &post_to_ap(&post, &author, &tags, context.as_ref(), media)));
    }
    let name = if author.display_name.is_empty() { &author.username } else { &author.display_name };
    Ok(minimal_page(
        name,
        &format!("@{}@{}", author.username, author.domain),
        &post.content_html,
        Some(&post.ap_id),
    ))
}

/// A local listing at an object URL, when the id is one.
async fn listing_object(
    req: &HttpRequest,
    id: Id,
    fetcher: Option<ActorRow>,
    state: &AppState,
) -> Result<Option<HttpResponse>, ApiError> {
    let lang = state.territory().default_language().to_owned();
    let urls = state.urls.clone();
    let found = state
        .db
        .run(move |conn| {
            let Some(row) = maillage_service::listings::local_object(conn, id, fetcher.as_ref())? else {
                return Ok(None);
            };
            let doc = maillage_apub::objects::listing::listing_document(conn, &urls, &row, &lang)?;
            Ok(Some((row, doc)))
        })
        .await?;
    let Some((row, doc)) = found else { return Ok(None) };
    let status =
        if row.is_deleted() { actix_web::http::StatusCode::GONE } else { actix_web::http::StatusCode::OK };
    if wants_activity_json(req) || row.is_deleted() {
        return Ok(Some(activity_json(status, &doc)));
    }
    if let Some(url) = row.url.as_deref().filter(|_| row.visibility == ListingVisibility::Public) {
        return Ok(Some(see_page(url)));
    }
    let html = doc.get("content").and_then(Value::as_str).unwrap_or_default().to_owned();
    Ok(Some(minimal_page(&row.title, &row.place_name, &html, Some(&row.ap_id))))
}

/// A local session at an object URL, when the id is one.
async fn session_object(
    req: &HttpRequest,
    id: Id,
    state: &AppState,
) -> Result<Option<HttpResponse>, ApiError> {
    let urls = state.urls.clone();
    let found = state
        .db
        .run(move |conn| {
            let Some(row) = maillage_service::sessions::find_visible(conn, id, None)?.filter(|s| s.local)
            else {
                return Ok(None);
            };
            let organizer = maillage_service::actors::find(conn, Id::from_i64(row.organizer_id))?
                .ok_or_else(|| Error::internal("session without organizer"))?;
            let going = maillage_service::sessions::attendance(conn, &row)?.going;
            let document =
                maillage_apub::objects::session::session_document(conn, &urls, &row, &organizer, going)?;
            Ok(Some((row.clone(), document)))
        })
        .await?;
    let Some((row, doc)) = found else { return Ok(None) };
    if wants_activity_json(req) {
        return Ok(Some(activity_json(actix_web::http::StatusCode::OK, &doc)));
    }
    Ok(Some(see_page(&format!("/sessions/{}", row.id))))
}

/// What an HTTP signature covers: the path with its query, and the headers
/// with lower-case names.
fn signed_parts(req: &HttpRequest) -> (String, Vec<(String, String)>) {
    let path_and_query =
        req.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| req.path().to_owned());
    let headers = req
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    (path_and_query, headers)
}

/// Per-actor and shared inboxes: 202 for anything accepted (including
/// activities we ignore), 401 for a bad signature, other 4xx for bad input,
/// 429 when one server sends more than its (generous) share.
async fn inbox(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let verdict = state.limits.inbox.check(&crate::rate_limit::inbox_key(&req, &state.limits));
    if !verdict.allowed {
        return Ok(crate::rate_limit::too_many(&verdict));
    }
    if let Some(name) = req.match_info().get("name") {
        local_actor(&state, name.to_owned()).await?;
    }
    let (path_and_query, headers) = signed_parts(&req);
    let request = InboxRequest {
        method: req.method().as_str().to_owned(),
        path_and_query,
        headers,
        body: body.to_vec(),
    };
    match inbox::receive(&state.federation.data(), request).await? {
        Outcome::Ignored(reason) => tracing::debug!(%reason, "activity ignored"),
        Outcome::Duplicate => tracing::debug!("activity already received"),
        Outcome::Applied => {}
    }
    Ok(HttpResponse::Accepted().finish())
}
