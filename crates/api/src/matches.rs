//! `/api/v1/matches`: the caller's matches, best first, with both
//! listings and the reasons in the caller's language; dismiss one, or
//! respond to it ("I'm interested" in the other listing).

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::listings;
use maillage_db::matches::{self, MatchRow, DISMISSED, RESPONDED};
use maillage_db::DbConnection;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::agreements::agreement_to_api;
use crate::error::ApiError;
use crate::listings::listing_to_api;
use crate::mastodon::auth::require;
use crate::mastodon::params::{flexible_bool, path_id};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/matches", web::get().to(list))
        .service(
            web::resource("/api/v1/matches/preferences")
                .route(web::get().to(preferences))
                .route(web::put().to(set_preferences))
                .route(web::patch().to(set_preferences))
                .route(web::post().to(set_preferences)),
        )
        .route("/api/v1/matches/{id}/dismiss", web::post().to(dismiss))
        .route("/api/v1/matches/{id}/respond", web::post().to(respond));
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct ListParams {
    /// `fr` or `en`; otherwise the account's language.
    lang: Option<String>,
    #[serde(deserialize_with = "flexible_bool")]
    include_dismissed: bool,
    limit: Option<i64>,
}

/// Which side of `m` is `author`'s: `Some(true)` for the need.
fn my_side(conn: &mut DbConnection, m: &MatchRow, author: i64) -> Result<Option<bool>, Error> {
    let need = listings::find_by_id(conn, Id::from_i64(m.need_id))?;
    if need.is_some_and(|n| n.author_id == author) {
        return Ok(Some(true));
    }
    let offer = listings::find_by_id(conn, Id::from_i64(m.offer_id))?;
    Ok(offer.is_some_and(|o| o.author_id == author).then_some(false))
}

fn match_to_api(
    conn: &mut DbConnection,
    m: &MatchRow,
    need_side: bool,
    lang: &str,
    urls: &maillage_core::urls::LocalUrls,
) -> Result<Value, Error> {
    let (mine, theirs) = if need_side { (m.need_id, m.offer_id) } else { (m.offer_id, m.need_id) };
    let load = |conn: &mut DbConnection, id: i64| {
        listings::find_by_id(conn, Id::from_i64(id))?.ok_or_else(|| Error::not_found("Record not found"))
    };
    let (mine, theirs) = (load(conn, mine)?, load(conn, theirs)?);
    let reasons: Value = serde_json::from_str(&m.reasons).unwrap_or(Value::Array(Vec::new()));
    let text: Vec<Value> = reasons.as_array().into_iter().flatten().map(|r| r[lang].clone()).collect();
    Ok(json!({
        "id": m.id.to_string(),
        "score": (m.score * 1000.0).round() / 1000.0,
        "state": if need_side { &m.need_state } else { &m.offer_state },
        "reasons": text,
        "reason_codes": reasons.as_array().into_iter().flatten().map(|r| r["code"].clone()).collect::<Vec<_>>(),
        "summary": text.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("; "),
        "my_listing": listing_to_api(conn, &mine, urls)?,
        "their_listing": listing_to_api(conn, &theirs, urls)?,
        "created_at": Timestamp::from_micros(m.created_at).to_rfc3339(),
        "updated_at": Timestamp::from_micros(m.updated_at).to_rfc3339(),
    }))
}

async fn list(
    req: HttpRequest,
    q: web::Query<ListParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, me) = require(&req, &state, &["read:matches"]).await?;
    let q = q.into_inner();
    let lang = match q.lang.as_deref().unwrap_or(&auth.user.locale) {
        l if l.starts_with("fr") => "fr",
        _ => "en",
    };
    let limit = q.limit.unwrap_or(40).clamp(1, 200);
    let urls = state.urls.clone();
    let items = state
        .db
        .run(move |conn| {
            let mut out = Vec::new();
            for m in matches::of_author(conn, me.id, limit)? {
                let Some(need_side) = my_side(conn, &m, me.id)? else { continue };
                if !sees_other_side(conn, &m, need_side, &me)? {
                    continue;
                }
                let mine = if need_side { &m.need_state } else { &m.offer_state };
                if mine == DISMISSED && !q.include_dismissed {
                    continue;
                }
                out.push(match_to_api(conn, &m, need_side, lang, &urls)?);
            }
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(items))
}

/// Whether the other listing is still within the caller's audience (the
/// matcher drops a pair when a follow ends; this covers the moment
/// between).
fn sees_other_side(
    conn: &mut DbConnection,
    m: &MatchRow,
    need_side: bool,
    me: &ActorRow,
) -> Result<bool, Error> {
    let theirs = if need_side { m.offer_id } else { m.need_id };
    match listings::find_by_id(conn, Id::from_i64(theirs))? {
        Some(l) => maillage_service::listings::can_see(conn, &l, Some(me)),
        None => Ok(false),
    }
}

/// The caller's match `id`, and which side is theirs; someone else's is
/// "not found", as on Mastodon.
fn own_match(conn: &mut DbConnection, id: Id, author: i64) -> Result<(MatchRow, bool), Error> {
    let m = matches::find(conn, id.as_i64())?
        .filter(MatchRow::is_released)
        .ok_or_else(|| Error::not_found("Record not found"))?;
    let side = my_side(conn, &m, author)?.ok_or_else(|| Error::not_found("Record not found"))?;
    Ok((m, side))
}

async fn dismiss(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (_, me) = require(&req, &state, &["write:matches"]).await?;
    let id = path_id(&id)?;
    let urls = state.urls.clone();
    let body = state
        .db
        .run(move |conn| {
            let (m, need_side) = own_match(conn, id, me.id)?;
            matches::set_state(conn, m.id, need_side, DISMISSED)?;
            let m = matches::find(conn, m.id)?.ok_or_else(|| Error::not_found("Record not found"))?;
            match_to_api(conn, &m, need_side, "en", &urls)
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// "I'm interested" in the other listing of the match, as
/// `POST /api/v1/listings/{id}/interest` does.
async fn respond(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, me) = require(&req, &state, &["write:matches"]).await?;
    let id = path_id(&id)?;
    let (outbound, urls) = (state.outbound(), state.urls.clone());
    let body = state
        .db
        .run(move |conn| {
            let (m, need_side) = own_match(conn, id, me.id)?;
            let theirs = if need_side { m.offer_id } else { m.need_id };
            let agreement = maillage_service::agreements::express_interest(
                conn,
                &outbound,
                &urls,
                &auth.user,
                Id::from_i64(theirs),
                "",
            )?;
            matches::set_state(conn, m.id, need_side, RESPONDED)?;
            agreement_to_api(conn, &agreement, &urls)
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}

#[derive(Debug, Deserialize)]
struct PreferenceParams {
    /// `instant`, `digest` or `none`.
    notify: String,
}

/// How the caller hears of new matches.
async fn preferences(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["read:matches"]).await?;
    let user = auth.user.id;
    let notify = state.db.run(move |conn| maillage_service::notices::preference(conn, user)).await?;
    Ok(HttpResponse::Ok().json(json!({ "notify": notify })))
}

async fn set_preferences(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["write:matches"]).await?;
    let params: PreferenceParams = crate::mastodon::params::body(&req, &bytes)?;
    let user = auth.user.id;
    let notify = state
        .db
        .run(move |conn| {
            maillage_service::notices::set_preference(conn, user, &params.notify)?;
            maillage_service::notices::preference(conn, user)
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "notify": notify })))
}
