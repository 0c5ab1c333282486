//! WebFinger, host-meta and NodeInfo.

use actix_web::{web, HttpResponse};
use maillage_apub::discovery;
use maillage_core::Error;
use serde::Deserialize;

use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/.well-known/webfinger", web::get().to(webfinger))
        .route("/.well-known/host-meta", web::get().to(host_meta))
        .route("/.well-known/nodeinfo", web::get().to(nodeinfo_links))
        .route("/nodeinfo/2.1", web::get().to(nodeinfo));
}

#[derive(Deserialize)]
struct WebfingerQuery {
    resource: Option<String>,
}

async fn webfinger(
    q: web::Query<WebfingerQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let resource =
        q.into_inner().resource.ok_or_else(|| Error::bad_request("the resource parameter is required"))?;
    let urls = state.urls.clone();
    let doc = state
        .db
        .run(move |conn| {
            let actor = discovery::webfinger_actor(conn, &urls, &resource)?;
            Ok(discovery::webfinger_document(&actor, &urls))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/jrd+json; charset=utf-8")
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .body(doc.to_string()))
}

async fn host_meta(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/xrd+xml; charset=utf-8")
        .body(discovery::host_meta(&state.urls))
}

async fn nodeinfo_links(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .json(discovery::nodeinfo_links(&state.urls))
}

async fn nodeinfo(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let config = state.config.clone();
    let doc = state.db.run(move |conn| discovery::nodeinfo(conn, &config)).await?;
    Ok(HttpResponse::Ok()
        .content_type(r#"application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#""#)
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .body(doc.to_string()))
}
