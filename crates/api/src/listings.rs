//! The native listings API (`/api/v1/listings`, JSON): create, read, edit,
//! change status, delete and search offers and needs. Every invalid field
//! answers 422 naming the field and the rule; nothing is stored.

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::id::Id;
use maillage_core::listing::{Category, ListingDraft, ListingStatus, PlaceDraft, QuantityDraft, TermsDraft};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::listings::ListingRow;
use maillage_service::listings::{self as cases, ListingQuery};
use serde::Deserialize;

use crate::error::ApiError;
use crate::listing_json::listing_to_api;
use crate::mastodon::auth::{optional, require};
use crate::mastodon::params::path_id;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/listings", web::post().to(create))
        .route("/api/v1/listings", web::get().to(search))
        .route("/api/v1/listings/{id}", web::get().to(get))
        .route("/api/v1/listings/{id}", web::patch().to(update))
        .route("/api/v1/listings/{id}", web::delete().to(delete))
        .route("/api/v1/listings/{id}/status", web::post().to(set_status));
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, Default, utoipa::ToSchema)]
#[schema(as = ListingPlaceInput)]
#[serde(default)]
struct PlaceParams {
    name: Option<String>,
    address: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, Default, utoipa::ToSchema)]
#[schema(as = QuantityInput)]
#[serde(default)]
struct QuantityParams {
    amount: Option<f64>,
    unit: Option<String>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, Default, utoipa::ToSchema)]
#[schema(as = TermsInput)]
#[serde(default)]
struct TermsParams {
    mode: Option<String>,
    hours: Option<f64>,
    amount: Option<String>,
    currency: Option<String>,
}

/// A listing as a client sends it; absent fields keep their value on edit.
#[derive(Debug, Clone, Deserialize, serde::Serialize, Default, utoipa::ToSchema)]
#[schema(as = ListingInput)]
#[serde(default)]
struct ListingParams {
    kind: Option<String>,
    category: Option<String>,
    direction: Option<String>,
    title: Option<String>,
    description: Option<String>,
    tags: Option<Vec<String>>,
    place: Option<PlaceParams>,
    radius_km: Option<f64>,
    available_from: Option<String>,
    available_until: Option<String>,
    quantity: Option<QuantityParams>,
    terms: Option<TermsParams>,
    visibility: Option<String>,
    /// The local group the listing is published in (creation only).
    group_id: Option<String>,
    /// Uploaded photos (`/api/v2/media`), in order, at most eight.
    media_ids: Option<Vec<String>>,
}

fn parse_params(bytes: &[u8]) -> Result<ListingParams, Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        Error::unprocessable(format!("Validation failed: {path}: {}", e.inner()))
    })
}

fn date(field: &str, raw: &str) -> Result<Timestamp, Error> {
    Timestamp::parse_rfc3339(raw).ok_or_else(|| {
        Error::unprocessable(format!(
            "Validation failed: {field}: must be a date such as 2026-12-01 or an RFC 3339 time"
        ))
    })
}

/// Writes the given fields over `draft`.
fn apply(params: ListingParams, draft: &mut ListingDraft) -> Result<(), Error> {
    macro_rules! set {
        ($field:ident) => {
            if let Some(v) = params.$field {
                draft.$field = v;
            }
        };
    }
    set!(kind);
    set!(category);
    set!(title);
    set!(description);
    set!(tags);
    if params.direction.is_some() {
        draft.direction = params.direction;
    }
    if let Some(p) = params.place {
        draft.place = Some(PlaceDraft {
            name: p.name.unwrap_or_default(),
            address: p.address,
            latitude: p.lat,
            longitude: p.lon,
        });
    }
    if params.radius_km.is_some() {
        draft.radius_km = params.radius_km;
    }
    if let Some(f) = params.available_from {
        draft.available_from = if f.is_empty() { None } else { Some(date("available_from", &f)?) };
    }
    if let Some(u) = params.available_until {
        draft.available_until = if u.is_empty() { None } else { Some(date("available_until", &u)?) };
    }
    if let Some(q) = params.quantity {
        draft.quantity =
            Some(QuantityDraft { amount: q.amount.unwrap_or(0.0), unit: q.unit.unwrap_or_default() });
    }
    if let Some(ids) = params.media_ids {
        let parsed: Result<Vec<i64>, _> = ids.iter().map(|i| i.parse::<i64>()).collect();
        draft.media_ids =
            Some(parsed.map_err(|_| Error::unprocessable("Validation failed: media_ids: not media ids"))?);
    }
    if let Some(t) = params.terms {
        draft.terms = TermsDraft {
            mode: t.mode.unwrap_or_default(),
            hours: t.hours,
            amount: t.amount,
            currency: t.currency,
        };
    }
    if params.visibility.is_some() {
        draft.visibility = params.visibility;
    }
    Ok(())
}

async fn respond(state: &AppState, row: ListingRow) -> Result<HttpResponse, ApiError> {
    let urls = state.urls.clone();
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| listing_to_api(conn, &row, &urls)).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/listings",
    summary = "Create a listing",
    request_body = crate::listings::ListingParams,
    responses(
        (status = 200, description = "OK", body = crate::listing_json::ListingJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write:listings"])),
)]
async fn create(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:listings"]).await?;
    let mut draft = ListingDraft::default();
    let params = parse_params(&bytes)?;
    let group = match &params.group_id {
        Some(g) => Some(
            g.parse::<Id>().map_err(|_| Error::unprocessable("Validation failed: group_id: not an id"))?,
        ),
        None => None,
    };
    apply(params, &mut draft)?;
    let (outbound, urls, territory) = (state.outbound(), state.urls.clone(), state.territory());
    let row = state
        .db
        .run(move |conn| cases::create_in(conn, &outbound, &urls, &territory, &auth.user, &draft, group))
        .await?;
    respond(&state, row).await
}

#[utoipa::path(
    patch,
    path = "/api/v1/listings/{id}",
    summary = "Edit a listing (absent fields keep their value)",
    request_body = crate::listings::ListingParams,
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::listing_json::ListingJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write:listings"])),
)]
async fn update(
    req: HttpRequest,
    path: web::Path<String>,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:listings"]).await?;
    let id = path_id(&path)?;
    let params = parse_params(&bytes)?;
    let (outbound, urls, territory) = (state.outbound(), state.urls.clone(), state.territory());
    let row = state
        .db
        .run(move |conn| {
            cases::update(conn, &outbound, &urls, &territory, &auth.user, id, &|draft| {
                apply(params.clone(), draft)
            })
        })
        .await?;
    respond(&state, row).await
}

#[utoipa::path(
    delete,
    path = "/api/v1/listings/{id}",
    summary = "Delete a listing (its URL then answers 410)",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::listing_json::ListingJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write:listings"])),
)]
async fn delete(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:listings"]).await?;
    let id = path_id(&path)?;
    let outbound = state.outbound();
    let row = state.db.run(move |conn| cases::delete(conn, &outbound, &auth.user, id)).await?;
    respond(&state, row).await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = StatusInput)]
struct StatusParams {
    status: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/listings/{id}/status",
    summary = "Change a listing's status",
    request_body = crate::listings::StatusParams,
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::listing_json::ListingJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write:listings"])),
)]
async fn set_status(
    req: HttpRequest,
    path: web::Path<String>,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:listings"]).await?;
    let id = path_id(&path)?;
    let params: StatusParams = crate::mastodon::params::body(&req, &bytes)?;
    let status: ListingStatus = params
        .status
        .parse()
        .map_err(|e: Error| Error::unprocessable(format!("Validation failed: status: {}", e.message())))?;
    let outbound = state.outbound();
    let row = state.db.run(move |conn| cases::set_status(conn, &outbound, &auth.user, id, status)).await?;
    respond(&state, row).await
}

#[utoipa::path(
    get,
    path = "/api/v1/listings/{id}",
    summary = "Show a listing",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = crate::listing_json::ListingJson),
        crate::error::NotFound,
    ),
)]
async fn get(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let viewer = optional(&req, &state, &["read:listings"]).await?.map(|(_, a)| a);
    let id = path_id(&path)?;
    let row = state.db.run(move |conn| cases::get_visible(conn, id, viewer.as_ref())).await?;
    respond(&state, row).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SearchParams {
    kind: Option<String>,
    category: Option<String>,
    tag: Option<String>,
    q: Option<String>,
    near: Option<String>,
    /// `lat` and `lon`, as the pages' map sends them: the same as `near`.
    lat: Option<f64>,
    lon: Option<f64>,
    radius_km: Option<f64>,
    status: Option<String>,
    origin: Option<String>,
    max_id: Option<i64>,
    limit: Option<i64>,
    group_id: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/api/v1/listings",
    summary = "Search listings (newest first; Link header for pages)",
    params(
        ("kind" = Option<String>, Query),
        ("category" = Option<String>, Query),
        ("tag" = Option<String>, Query),
        ("q" = Option<String>, Query, description = "Words in title, description or tags; #word: that tag"),
        ("near" = Option<String>, Query, description = "lat,lon"),
        ("lat" = Option<f64>, Query, description = "With lon, instead of near"),
        ("lon" = Option<f64>, Query, description = "With lat, instead of near"),
        ("radius_km" = Option<f64>, Query),
        ("status" = Option<String>, Query),
        ("origin" = Option<String>, Query, description = "local, remote or all"),
        ("max_id" = Option<String>, Query),
        ("limit" = Option<i64>, Query),
        ("group_id" = Option<String>, Query, description = "Listings published in this group (a project's needs and offers)."),
    ),
    responses(
        (status = 200, description = "OK", body = Vec<crate::listing_json::ListingJson>),
        crate::error::Invalid,
    ),
)]
async fn search(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let viewer: Option<ActorRow> = optional(&req, &state, &["read:listings"]).await?.map(|(_, a)| a);
    let p: SearchParams = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| Error::unprocessable(format!("Validation failed: {e}")))?;
    let near = match (&p.near, p.lat, p.lon) {
        (None, None, None) => None,
        (near, lat, lon) => {
            let parsed = match near {
                Some(raw) if lat.is_none() && lon.is_none() => raw
                    .split_once(',')
                    .and_then(|(a, b)| Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?))),
                None => lat.zip(lon),
                Some(_) => None,
            };
            match parsed {
                Some((lat, lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
                    Some((lat, lon))
                }
                _ => return Err(Error::unprocessable(
                    "Validation failed: near: must be lat,lon such as 43.95,2.88 (or lat and lon, not both)",
                )
                .into()),
            }
        }
    };
    let radius = p.radius_km.unwrap_or(state.territory().radius_km);
    if !(radius.is_finite() && radius > 0.0 && radius <= 2000.0) {
        return Err(
            Error::unprocessable("Validation failed: radius_km: must be above 0 and at most 2000").into()
        );
    }
    for (field, value, allowed) in
        [("kind", &p.kind, &["offer", "need"][..]), ("origin", &p.origin, &["local", "remote", "all"][..])]
    {
        if let Some(v) = value {
            if !allowed.contains(&v.as_str()) {
                return Err(Error::unprocessable(format!(
                    "Validation failed: {field}: must be one of {}",
                    allowed.join(", ")
                ))
                .into());
            }
        }
    }
    let statuses = match &p.status {
        Some(s) => vec![s
            .parse::<ListingStatus>()
            .map_err(|e| Error::unprocessable(format!("Validation failed: status: {}", e.message())))?],
        None => vec![ListingStatus::Open, ListingStatus::InProgress],
    };
    let category = p
        .category
        .as_deref()
        .map(str::parse::<Category>)
        .transpose()
        .map_err(|e| Error::unprocessable(format!("Validation failed: category: {}", e.message())))?;
    let query = ListingQuery {
        kind: p.kind.as_deref().and_then(|k| k.parse().ok()),
        category,
        tag: p.tag.map(|t| t.trim_start_matches('#').to_lowercase()),
        text: p.q,
        statuses,
        local: match p.origin.as_deref() {
            Some("local") => Some(true),
            Some("remote") => Some(false),
            _ => None,
        },
        author: None,
        group: p.group_id,
        near,
        radius_km: radius,
        max_id: p.max_id,
        // Paged by max_id: newest first.
        order: maillage_core::listing::ListingOrder::Newest,
        limit: p.limit.unwrap_or(20).clamp(1, 40),
    };
    let urls = state.urls.clone();
    let policy = state.policy();
    let items = state
        .db
        .run(move |conn| {
            let rows = cases::search(conn, &policy, viewer.as_ref(), &query)?;
            rows.iter()
                .map(|r| Ok((r.id, listing_to_api(conn, r, &urls)?)))
                .collect::<Result<Vec<_>, Error>>()
        })
        .await?;
    Ok(crate::mastodon::timelines::paged_response(&req, items))
}
