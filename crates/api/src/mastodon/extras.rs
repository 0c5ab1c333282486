//! What apps ask for at start-up and expect to find even where Maillage
//! has nothing to offer yet: custom emojis, lists and filters (empty), preferences (the account's defaults), and favourites (the
//! statuses the caller favourited).

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::Error;
use maillage_db::posts::Timeline;
use serde_json::json;

use super::auth::require;
use super::entities::status_to_api;
use super::timelines::{paged_response, PageParams};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/custom_emojis", web::get().to(empty_list))
        .route("/api/v1/lists", web::get().to(signed_in_empty))
        .route("/api/v1/filters", web::get().to(signed_in_empty))
        .route("/api/v2/filters", web::get().to(signed_in_empty))
        .route("/api/v1/preferences", web::get().to(preferences))
        .route("/api/v1/favourites", web::get().to(favourites));
}

async fn empty_list() -> HttpResponse {
    HttpResponse::Ok().json(json!([]))
}

async fn signed_in_empty(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    require(&req, &state, &["read"]).await?;
    Ok(HttpResponse::Ok().json(json!([])))
}

async fn preferences(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, &["read:accounts"]).await?;
    Ok(HttpResponse::Ok().json(json!({
        "posting:default:visibility": "public",
        "posting:default:sensitive": false,
        "posting:default:language": auth.user.locale,
        "reading:expand:media": "default",
        "reading:expand:spoilers": false,
    })))
}

async fn favourites(
    req: HttpRequest,
    q: web::Query<PageParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (_, me) = require(&req, &state, &["read:favourites"]).await?;
    let page = q.page();
    let urls = state.showing();
    let items = state
        .db
        .run(move |conn| {
            let rows = maillage_service::posts::timeline(
                conn,
                Some(&me),
                Timeline::Favourites { viewer: me.id() },
                page,
            )?;
            rows.iter()
                .map(|p| Ok((p.id, status_to_api(conn, p, Some(&me), &urls)?)))
                .collect::<Result<Vec<_>, Error>>()
        })
        .await?;
    Ok(paged_response(&req, items))
}
