//! `/api/v1/events`: knowledge-exchange sessions: create, show, take part,
//! leave, and who comes (going and waiting).

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors;
use maillage_db::sessions::{self, ParticipationRow, SessionRow};
use maillage_db::DbConnection;
use maillage_service::sessions::{self as cases, NewSession};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::mastodon::auth::require;
use crate::mastodon::entities::account_to_api;
use crate::mastodon::params::path_id;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/events", web::post().to(create))
        .route("/api/v1/events/{id}", web::get().to(get))
        .route("/api/v1/events/{id}/join", web::post().to(join))
        .route("/api/v1/events/{id}/leave", web::post().to(leave))
        .route("/api/v1/events/{id}/participants", web::get().to(participants));
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PlaceParams {
    name: String,
    address: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

#[derive(Deserialize, Default)]
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
}

fn time(field: &str, raw: Option<String>) -> Result<Option<Timestamp>, Error> {
    match raw {
        None => Ok(None),
        Some(r) => Timestamp::parse_rfc3339(&r).map(Some).ok_or_else(|| {
            Error::unprocessable(format!("Validation failed: {field}: must be an RFC 3339 time"))
        }),
    }
}

fn event_to_api(
    conn: &mut DbConnection,
    row: &SessionRow,
    urls: &maillage_core::urls::LocalUrls,
) -> Result<Value, Error> {
    let organizer = actors::find_by_id(conn, Id::from_i64(row.organizer_id))?
        .ok_or_else(|| Error::internal("session without organizer"))?;
    let going = sessions::count_in_state(conn, row.id(), "going")?;
    let waiting = sessions::count_in_state(conn, row.id(), "waiting")?;
    let at = |m: Option<i64>| m.map(|m| Timestamp::from_micros(m).to_rfc3339());
    Ok(json!({
        "id": row.id.to_string(),
        "uri": row.ap_id,
        "url": row.url.clone().unwrap_or_else(|| row.ap_id.clone()),
        "title": row.title,
        "description": row.description_html,
        "starts_at": at(Some(row.starts_at)),
        "ends_at": at(row.ends_at),
        "timezone": row.timezone,
        "place": { "name": row.place_name, "address": row.place_address, "lat": row.latitude, "lon": row.longitude },
        "capacity": row.capacity,
        "participants_count": going,
        "waiting_count": waiting,
        "places_left": row.capacity.map(|c| (i64::from(c) - going).max(0)),
        "organizer": account_to_api(conn, &organizer, urls)?,
    }))
}

fn participation_to_api(row: &ParticipationRow) -> Value {
    json!({ "event_id": row.session_id.to_string(), "state": row.state })
}

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
        timezone: p.timezone,
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

async fn get(path: web::Path<String>, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path)?;
    let urls = state.urls.clone();
    let json = state
        .db
        .run(move |conn| {
            let row = sessions::find_by_id(conn, id)?
                .filter(|s| s.deleted_at.is_none())
                .ok_or_else(|| Error::not_found("Record not found"))?;
            event_to_api(conn, &row, &urls)
        })
        .await?;
    Ok(HttpResponse::Ok().json(json))
}

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

async fn leave(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:statuses", "write"]).await?;
    let id = path_id(&path)?;
    let outbound = state.outbound();
    let promoted = state.db.run(move |conn| cases::leave(conn, &outbound, &auth.user, id)).await?;
    Ok(HttpResponse::Ok().json(json!({ "promoted": promoted.map(|p| p.participant_id.to_string()) })))
}

async fn participants(path: web::Path<String>, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path)?;
    let urls = state.urls.clone();
    let json = state
        .db
        .run(move |conn| {
            let mut lists = serde_json::Map::new();
            for state in ["going", "waiting"] {
                let rows = sessions::participants(conn, id, state)?;
                let accounts =
                    rows.iter()
                        .map(|(_, a)| account_to_api(conn, a, &urls))
                        .collect::<Result<Vec<_>, Error>>()?;
                lists.insert(state.to_owned(), Value::Array(accounts));
            }
            Ok(Value::Object(lists))
        })
        .await?;
    Ok(HttpResponse::Ok().json(json))
}
