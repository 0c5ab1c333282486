//! `/api/v1/events`: knowledge-exchange sessions: create, show, take part,
//! leave, and who comes (going and waiting).

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::sessions::{ParticipationRow, SessionRow};
use maillage_db::DbConnection;
use maillage_service::sessions::{self as cases, NewSession};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::ApiError;
use crate::mastodon::auth::require;
use crate::mastodon::entities::account_to_api;
use crate::mastodon::params::path_id;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/events", web::post().to(create))
        .route("/api/v1/events/{id}", web::get().to(get))
        .route("/api/v1/events/{id}", web::delete().to(cancel))
        .route("/api/v1/events/{id}/join", web::post().to(join))
        .route("/api/v1/events/{id}/leave", web::post().to(leave))
        .route("/api/v1/events/{id}/participants", web::get().to(participants));
}

#[derive(Deserialize, serde::Serialize, Default, utoipa::ToSchema)]
#[schema(as = EventPlaceInput)]
#[serde(default)]
struct PlaceParams {
    name: String,
    address: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

#[derive(Deserialize, serde::Serialize, Default, utoipa::ToSchema)]
#[schema(as = EventInput)]
#[serde(default)]
struct EventParams {
    title: String,
    description: String,
    starts_at: Option<String>,
    ends_at: Option<String>,
    timezone: Option<String>,
    place: Option<PlaceParams>,
    capacity: Option<i32>,
    group_id: Option<String>,
    /// Uploaded photos (`/api/v2/media`), in order, at most four.
    media_ids: Option<Vec<String>>,
}

fn time(field: &str, raw: Option<String>) -> Result<Option<Timestamp>, Error> {
    match raw {
        None => Ok(None),
        Some(r) => Timestamp::parse_rfc3339(&r).map(Some).ok_or_else(|| {
            Error::unprocessable(format!("Validation failed: {field}: must be an RFC 3339 time"))
        }),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = EventPlace)]
pub struct EventPlaceJson {
    pub name: String,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// A session as the API shows it (`Event` in the OpenAPI document); built from
/// the row taken apart without `..`, so that a new column does not compile
/// until this says what becomes of it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Event)]
pub struct EventJson {
    pub id: String,
    pub uri: String,
    pub url: String,
    pub title: String,
    pub description: String,
    pub starts_at: String,
    pub ends_at: Option<String>,
    pub timezone: Option<String>,
    pub place: EventPlaceJson,
    pub capacity: Option<i32>,
    pub participants_count: i64,
    pub waiting_count: i64,
    pub places_left: Option<i64>,
    #[schema(value_type = Object)]
    pub organizer: Value,
    /// Its photos, in order, as Mastodon's MediaAttachment entities.
    #[schema(value_type = Vec<Object>)]
    pub media_attachments: Vec<Value>,
}

fn event_to_api(
    conn: &mut DbConnection,
    row: &SessionRow,
    urls: &maillage_core::urls::LocalUrls,
) -> Result<EventJson, Error> {
    let attendance = cases::attendance(conn, row)?;
    let SessionRow {
        id,
        ap_id,
        organizer_id,
        group_id: _, // the group announces it; not part of the event's shape
        title,
        description_html,
        starts_at,
        ends_at,
        timezone,
        place_name,
        place_address,
        latitude,
        longitude,
        capacity,
        join_mode: _, // places are given first come, first served
        local: _,
        url,
        published_at: _,
        updated_at: _,
        deleted_at: _, // deleted sessions answer 404
    } = row.clone();
    let organizer = maillage_service::actors::find(conn, Id::from_i64(organizer_id))?
        .ok_or_else(|| Error::internal("session without organizer"))?;
    let at = |m: i64| Timestamp::from_micros(m).to_rfc3339();
    Ok(EventJson {
        id: id.to_string(),
        url: url.unwrap_or_else(|| ap_id.clone()),
        uri: ap_id,
        title,
        description: description_html,
        starts_at: at(starts_at),
        ends_at: ends_at.map(at),
        timezone,
        place: EventPlaceJson { name: place_name, address: place_address, lat: latitude, lon: longitude },
        capacity,
        participants_count: attendance.going,
        waiting_count: attendance.waiting,
        places_left: capacity.map(|c| (i64::from(c) - attendance.going).max(0)),
        organizer: account_to_api(conn, &organizer, urls)?,
        media_attachments: maillage_service::media::of_post(conn, id)?
            .iter()
            .map(|m| crate::mastodon::entities::media_to_api(m, urls))
            .collect(),
    })
}

/// The caller's place in a session.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Participation)]
pub struct ParticipationJson {
    pub event_id: String,
    /// `going` or `waiting`.
    pub state: String,
}

fn participation_to_api(row: &ParticipationRow) -> ParticipationJson {
    let ParticipationRow { id: _, session_id, participant_id: _, state, ap_id: _, created_at: _ } = row;
    ParticipationJson { event_id: session_id.to_string(), state: state.clone() }
}

/// What leaving did: the participant moved from the waiting list, if any.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = LeaveResult)]
pub struct LeaveJson {
    pub promoted: Option<String>,
}

/// Who comes, and who waits.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Participants)]
pub struct ParticipantsJson {
    #[schema(value_type = Vec<crate::openapi::AccountSchema>)]
    pub going: Vec<Value>,
    #[schema(value_type = Vec<crate::openapi::AccountSchema>)]
    pub waiting: Vec<Value>,
}

#[utoipa::path(
    post,
    path = "/api/v1/events",
    summary = "Create a session",
    request_body = crate::events::EventParams,
    responses(
        (status = 200, description = "OK", body = crate::events::EventJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write"])),
)]
async fn create(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:statuses", "write"]).await?;
    let p: EventParams = serde_json::from_slice(&bytes)
        .map_err(|e| Error::unprocessable(format!("Validation failed: {e}")))?;
    let place = p.place.unwrap_or_default();
    let new = NewSession {
        title: p.title,
        description: p.description,
        starts_at: time("starts_at", p.starts_at)?,
        ends_at: time("ends_at", p.ends_at)?,
        // Shown in the organiser's zone unless the app names one.
        timezone: p.timezone.or_else(|| Some(auth.user.zone(state.territory().zone()).name().to_owned())),
        place_name: place.name,
        place_address: place.address,
        latitude: place.lat,
        longitude: place.lon,
        capacity: p.capacity,
        group: match &p.group_id {
            Some(g) => {
                Some(g.parse().map_err(|_| Error::unprocessable("Validation failed: group_id: not an id"))?)
            }
            None => None,
        },
        media_ids: p
            .media_ids
            .map(|ids| ids.iter().map(|i| i.parse()).collect::<Result<Vec<_>, _>>())
            .transpose()
            .map_err(|_| Error::unprocessable("Validation failed: media_ids: not media ids"))?,
    };
    let (outbound, urls) = (state.outbound(), state.urls.clone());
    let json = state
        .db
        .run(move |conn| {
            let row = cases::create(conn, &outbound, &urls, &auth.user, &new)?;
            event_to_api(conn, &row, &urls)
        })
        .await?;
    Ok(HttpResponse::Ok().json(json))
}

#[utoipa::path(
    get,
    path = "/api/v1/events/{id}",
    summary = "Show a session",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::events::EventJson),
        crate::error::NotFound,
    ),
)]
async fn get(path: web::Path<String>, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path)?;
    let urls = state.urls.clone();
    let json = state
        .db
        .run(move |conn| {
            let row = cases::get_visible(conn, id, None)?;
            event_to_api(conn, &row, &urls)
        })
        .await?;
    Ok(HttpResponse::Ok().json(json))
}

#[utoipa::path(
    post,
    path = "/api/v1/events/{id}/join",
    summary = "Take part: a place, or the waiting list",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::events::ParticipationJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write"])),
)]
async fn join(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:statuses", "write"]).await?;
    let id = path_id(&path)?;
    let (outbound, urls) = (state.outbound(), state.urls.clone());
    let row = state.db.run(move |conn| cases::join(conn, &outbound, &urls, &auth.user, id)).await?;
    Ok(HttpResponse::Ok().json(participation_to_api(&row)))
}

#[utoipa::path(
    post,
    path = "/api/v1/events/{id}/leave",
    summary = "No longer take part (the first waiting gets the place)",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::events::LeaveJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write"])),
)]
async fn leave(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:statuses", "write"]).await?;
    let id = path_id(&path)?;
    let outbound = state.outbound();
    let promoted = state.db.run(move |conn| cases::leave(conn, &outbound, &auth.user, id)).await?;
    Ok(HttpResponse::Ok().json(LeaveJson { promoted: promoted.map(|p| p.participant_id.to_string()) }))
}

#[utoipa::path(
    delete,
    path = "/api/v1/events/{id}",
    summary = "Cancel one's session (everyone with a place or waiting is told)",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK"),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
    ),
    security(("bearer" = ["write"])),
)]
async fn cancel(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:statuses", "write"]).await?;
    let id = path_id(&path)?;
    let outbound = state.outbound();
    state.db.run(move |conn| cases::cancel(conn, &outbound, &auth.user, id)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({})))
}

#[utoipa::path(
    get,
    path = "/api/v1/events/{id}/participants",
    summary = "Who comes, and who waits",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::events::ParticipantsJson),
        crate::error::NotFound,
    ),
)]
async fn participants(path: web::Path<String>, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path)?;
    let urls = state.urls.clone();
    let json = state
        .db
        .run(move |conn| {
            let row = cases::get_visible(conn, id, None)?;
            let mut accounts_in = |state: &str| -> Result<Vec<Value>, Error> {
                let rows = cases::participants(conn, &row, state)?;
                rows.iter().map(|(_, a)| account_to_api(conn, a, &urls)).collect()
            };
            Ok(ParticipantsJson { going: accounts_in("going")?, waiting: accounts_in("waiting")? })
        })
        .await?;
    Ok(HttpResponse::Ok().json(json))
}
