//! "I'm interested" and its answer: `POST /api/v1/listings/{id}/interest`,
//! `GET /api/v1/agreements`, `POST /api/v1/agreements/{id}/accept`,
//! `…/reject` and `…/fulfil`.

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::agreements::AgreementRow;
use maillage_db::DbConnection;
use maillage_service::agreements as cases;
use serde::Deserialize;
use serde_json::Value;

use crate::error::ApiError;
use crate::listing_json::{listing_to_api, ListingJson};
use crate::mastodon::auth::require;
use crate::mastodon::entities::account_to_api;
use crate::mastodon::params::{body, path_id};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/listings/{id}/interest", web::post().to(interest))
        .route("/api/v1/agreements", web::get().to(mine))
        .route("/api/v1/agreements/{id}/accept", web::post().to(accept))
        .route("/api/v1/agreements/{id}/reject", web::post().to(reject))
        .route("/api/v1/agreements/{id}/fulfil", web::post().to(fulfil));
}

/// An agreement as the API shows it (`Agreement` in the OpenAPI document).
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
#[schema(as = Agreement)]
pub struct AgreementJson {
    pub id: String,
    pub uri: String,
    /// `proposed`, `accepted`, `rejected` or `fulfilled`.
    pub state: String,
    pub message: String,
    /// The person who said "I'm interested", as a Mastodon Account.
    #[schema(value_type = Object)]
    pub initiator: Value,
    /// The listing's author, as a Mastodon Account.
    #[schema(value_type = Object)]
    pub responder: Value,
    pub listing: ListingJson,
    pub created_at: String,
    pub updated_at: String,
}

pub fn agreement_to_api(
    conn: &mut DbConnection,
    row: &AgreementRow,
    urls: &maillage_core::urls::LocalUrls,
) -> Result<AgreementJson, Error> {
    let actor = |conn: &mut DbConnection, id: i64| -> Result<Value, Error> {
        let a = maillage_service::actors::find(conn, Id::from_i64(id))?
            .ok_or_else(|| Error::internal("agreement without actor"))?;
        account_to_api(conn, &a, urls)
    };
    let listing = maillage_service::agreements::listing_of(conn, row)?
        .ok_or_else(|| Error::internal("agreement without listing"))?;
    Ok(AgreementJson {
        id: row.id.to_string(),
        uri: row.ap_id.clone(),
        state: row.state.clone(),
        message: row.message.clone(),
        initiator: actor(conn, row.initiator_id)?,
        responder: actor(conn, row.responder_id)?,
        listing: listing_to_api(conn, &listing, urls)?,
        created_at: Timestamp::from_micros(row.created_at).to_rfc3339(),
        updated_at: Timestamp::from_micros(row.updated_at).to_rfc3339(),
    })
}

async fn respond(state: &AppState, row: AgreementRow) -> Result<HttpResponse, ApiError> {
    let urls = state.urls.clone();
    Ok(HttpResponse::Ok().json(state.db.run(move |conn| agreement_to_api(conn, &row, &urls)).await?))
}

#[derive(Deserialize, serde::Serialize, Default, utoipa::ToSchema)]
#[schema(as = InterestInput)]
#[serde(default)]
struct InterestParams {
    message: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/listings/{id}/interest",
    summary = "I'm interested: offer an agreement to the author",
    request_body = crate::agreements::InterestParams,
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = AgreementJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write:listings"])),
)]
async fn interest(
    req: HttpRequest,
    path: web::Path<String>,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:listings"]).await?;
    let id = path_id(&path)?;
    let params: InterestParams =
        if bytes.is_empty() { InterestParams::default() } else { body(&req, &bytes)? };
    let (outbound, urls) = (state.outbound(), state.urls.clone());
    let row = state
        .db
        .run(move |conn| cases::express_interest(conn, &outbound, &urls, &auth.user, id, &params.message))
        .await?;
    respond(&state, row).await
}

#[utoipa::path(
    get,
    path = "/api/v1/agreements",
    summary = "My agreements, as initiator or author",
    responses(
        (status = 200, description = "OK", body = Vec<AgreementJson>),
        crate::error::Unauthorized,
        crate::error::Forbidden,
    ),
    security(("bearer" = ["read:listings"])),
)]
async fn mine(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["read:listings"]).await?;
    let urls = state.urls.clone();
    let list = state
        .db
        .run(move |conn| {
            let rows = cases::mine(conn, &auth.user)?;
            rows.iter().map(|r| agreement_to_api(conn, r, &urls)).collect::<Result<Vec<_>, Error>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

async fn decide(
    req: HttpRequest,
    id: &str,
    state: &AppState,
    what: &'static str,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, state, &["write:listings"]).await?;
    let id = path_id(id)?;
    let (outbound, urls) = (state.outbound(), state.urls.clone());
    let row = state
        .db
        .run(move |conn| match what {
            "accept" => cases::answer(conn, &outbound, &urls, &auth.user, id, true),
            "reject" => cases::answer(conn, &outbound, &urls, &auth.user, id, false),
            _ => cases::fulfil(conn, &outbound, &urls, &auth.user, id),
        })
        .await?;
    respond(state, row).await
}

#[utoipa::path(
    post,
    path = "/api/v1/agreements/{id}/accept",
    summary = "Accept an agreement (the listing goes in progress)",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = AgreementJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write:listings"])),
)]
async fn accept(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    decide(req, &path, &state, "accept").await
}
#[utoipa::path(
    post,
    path = "/api/v1/agreements/{id}/reject",
    summary = "Refuse an agreement",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = AgreementJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write:listings"])),
)]
async fn reject(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    decide(req, &path, &state, "reject").await
}
#[utoipa::path(
    post,
    path = "/api/v1/agreements/{id}/fulfil",
    summary = "Mark an accepted agreement fulfilled",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "OK", body = AgreementJson),
        crate::error::Unauthorized,
        crate::error::Forbidden,
        crate::error::NotFound,
        crate::error::Invalid,
    ),
    security(("bearer" = ["write:listings"])),
)]
async fn fulfil(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    decide(req, &path, &state, "fulfil").await
}
