//! `/api/v2/media` (and `/api/v1/media`, which older apps use): uploads,
//! then `GET`, `PUT` (alt text, focal point) and `DELETE` of one's media.

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use maillage_core::{Error, ErrorKind};
use maillage_service::media::{self as cases, Upload};
use serde::Deserialize;

use super::auth::require;
use super::entities::media_to_api;
use super::params::{body, path_id};
use crate::error::ApiError;
use crate::state::AppState;

const SCOPES: &[&str] = &["write:media"];
/// Longest text field of an upload form (the alt text and focal point).
const TEXT_FIELD_MAX: usize = 16 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v2/media", web::post().to(upload))
        .route("/api/v1/media", web::post().to(upload))
        .route("/api/v1/media/{id}", web::get().to(get))
        .route("/api/v1/media/{id}", web::put().to(describe))
        .route("/api/v1/media/{id}", web::delete().to(delete));
}

/// The parts of a multipart body, by name: those named in `files` up to
/// `max_file` bytes each (refused as soon as they pass), the others up to
/// a text field's size.
pub(super) async fn read_parts(
    mut payload: Multipart,
    files: &[&str],
    max_file: usize,
) -> Result<Vec<(String, Bytes)>, Error> {
    let not_multipart = || {
        Error::unprocessable("Validation failed: send the file as multipart/form-data, in a part named file")
    };
    let mut parts = Vec::new();
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|_| not_multipart())?;
        let name = field.name().unwrap_or_default().to_owned();
        let cap = if files.contains(&name.as_str()) { max_file } else { TEXT_FIELD_MAX };
        let mut data = BytesMut::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| Error::unprocessable(format!("Validation failed: {e}")))?;
            if data.len() + chunk.len() > cap {
                return Err(Error::new(
                    ErrorKind::PayloadTooLarge,
                    format!("Validation failed: {name} is larger than {cap} bytes"),
                ));
            }
            data.extend_from_slice(&chunk);
        }
        parts.push((name, data.freeze()));
    }
    Ok(parts)
}

pub(super) fn text_of(parts: &[(String, Bytes)], name: &str) -> Option<String> {
    parts.iter().find(|(n, _)| n == name).map(|(_, b)| String::from_utf8_lossy(b).into_owned())
}

/// An upload's parts: `file`, `description` and `focus`.
async fn read_upload(payload: Multipart, max_bytes: usize) -> Result<Upload, Error> {
    let parts = read_parts(payload, &["file"], max_bytes).await?;
    let bytes = parts.iter().find(|(n, _)| n == "file").map(|(_, b)| b.clone()).unwrap_or_default();
    if bytes.is_empty() {
        return Err(Error::unprocessable("Validation failed: File can't be blank"));
    }
    Ok(Upload {
        bytes,
        description: text_of(&parts, "description").unwrap_or_default(),
        focus: text_of(&parts, "focus"),
    })
}

async fn upload(
    req: HttpRequest,
    payload: Multipart,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, SCOPES).await?;
    let upload = read_upload(payload, state.media.config.max_upload_bytes).await?;
    let row = cases::upload(&state.db, &state.media, &auth.user, upload).await.map_err(Error::from)?;
    Ok(HttpResponse::Ok().json(media_to_api(&row, &state.urls)))
}

async fn get(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, SCOPES).await?;
    let id = path_id(&path)?;
    let row = state.db.run(move |conn| cases::own(conn, &auth.user, id)).await?;
    Ok(HttpResponse::Ok().json(media_to_api(&row, &state.urls)))
}

#[derive(Deserialize, Default)]
struct DescribeParams {
    description: Option<String>,
    focus: Option<String>,
}

async fn describe(
    req: HttpRequest,
    path: web::Path<String>,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, SCOPES).await?;
    let id = path_id(&path)?;
    let params = body::<DescribeParams>(&req, &bytes)?;
    let row = state
        .db
        .run(move |conn| {
            cases::describe(conn, &auth.user, id, params.description.as_deref(), params.focus.as_deref())
        })
        .await?;
    Ok(HttpResponse::Ok().json(media_to_api(&row, &state.urls)))
}

async fn delete(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, SCOPES).await?;
    let id = path_id(&path)?;
    let row = cases::delete(&state.db, &state.media, &auth.user, id).await?;
    Ok(HttpResponse::Ok().json(media_to_api(&row, &state.urls)))
}
