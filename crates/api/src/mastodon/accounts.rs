//! `/api/v1/accounts/…`: the caller's own account, others by id or
//! handle, and their statuses. Follows are in `follows`.

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::id::Id;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::posts::{Page, Timeline};
use serde::Deserialize;
use serde_json::Value;

use super::auth::{optional, require};
use super::entities::{account_to_api, status_to_api};
use super::params::path_id;
use super::timelines::{paged_response, PageParams};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/accounts/verify_credentials", web::get().to(verify_credentials))
        .route("/api/v1/accounts/update_credentials", web::patch().to(update_credentials))
        .route("/api/v1/accounts/lookup", web::get().to(lookup))
        .route("/api/v1/accounts/{id}", web::get().to(get))
        .route("/api/v1/accounts/{id}/statuses", web::get().to(statuses));
}

pub(super) async fn account_json(state: &AppState, actor: ActorRow) -> Result<Value, Error> {
    let urls = state.urls.clone();
    state.db.run(move |conn| account_to_api(conn, &actor, &urls)).await
}

pub(super) async fn actor_by_id(state: &AppState, id: Id) -> Result<ActorRow, Error> {
    state
        .db
        .run(move |conn| {
            maillage_service::actors::find(conn, id)?
                .filter(|a| a.purpose.as_deref() != Some("instance"))
                .ok_or_else(|| Error::not_found("Record not found"))
        })
        .await
}

async fn verify_credentials(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let (auth, actor) = require(&req, &state, &["read:accounts", "profile"]).await?;
    let user = auth.user.clone();
    let follow_requests =
        state.db.run(move |conn| maillage_service::follows::requests(conn, &user)).await?.len();
    let mut json = account_json(&state, actor).await?;
    json["source"] = serde_json::json!({
        "privacy": "public", "sensitive": false, "language": auth.user.locale, "note": "", "fields": [],
        "follow_requests_count": follow_requests
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

/// A profile change as apps send it: a form or JSON, or (with an avatar
/// or a header picture) multipart.
async fn read_credentials(
    req: &HttpRequest,
    mut payload: web::Payload,
    state: &AppState,
) -> Result<(CredentialParams, Vec<(String, bytes::Bytes)>), Error> {
    let is_multipart = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if is_multipart {
        let parts = actix_multipart::Multipart::new(req.headers(), payload);
        let parts =
            super::media::read_parts(parts, &["avatar", "header"], state.media.config.max_upload_bytes)
                .await?;
        let text = |name| super::media::text_of(&parts, name);
        let locked = text("locked").map(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "on"));
        let params = CredentialParams { display_name: text("display_name"), note: text("note"), locked };
        let pictures =
            parts.into_iter().filter(|(n, b)| (n == "avatar" || n == "header") && !b.is_empty()).collect();
        return Ok((params, pictures));
    }
    let mut bytes = bytes::BytesMut::new();
    while let Some(chunk) = futures::StreamExt::next(&mut payload).await {
        let chunk = chunk.map_err(|_| Error::bad_request("the body could not be read"))?;
        if bytes.len() + chunk.len() > state.config.http.max_body_bytes {
            return Err(Error::new(maillage_core::ErrorKind::PayloadTooLarge, "request body too large"));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok((super::params::body(req, &bytes)?, Vec::new()))
}

async fn update_credentials(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:accounts"]).await?;
    let (params, pictures) = read_credentials(&req, payload, &state).await?;
    let mut change = maillage_service::accounts::ProfileChange {
        display_name: params.display_name,
        note: params.note,
        locked: params.locked,
        ..Default::default()
    };
    for (name, bytes) in pictures {
        let upload = maillage_service::media::Upload { bytes, description: String::new(), focus: None };
        let row = maillage_service::media::upload(&state.db, &state.media, &auth.user, upload)
            .await
            .map_err(Error::from)?;
        let id = Some(maillage_core::id::Id::from_i64(row.id));
        if name == "avatar" {
            change.avatar = id;
        } else {
            change.header = id;
        }
    }
    let (outbound, urls) = (state.outbound(), state.urls.clone());
    let actor = state
        .db
        .run(move |conn| {
            maillage_service::accounts::update_profile(conn, &outbound, &urls, &auth.user, &change)
        })
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
            maillage_service::actors::find_by_handle(conn, &name, &host)?
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
    let urls = state.showing();
    let items = state
        .db
        .run(move |conn| {
            let rows = maillage_service::posts::timeline(
                conn,
                viewer.as_ref(),
                Timeline::Author { author: author.id() },
                page,
            )?;
            rows.iter()
                .map(|p| Ok((p.id, status_to_api(conn, p, viewer.as_ref(), &urls)?)))
                .collect::<Result<Vec<_>, Error>>()
        })
        .await?;
    Ok(paged_response(&req, items))
}
