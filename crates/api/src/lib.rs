//! # maillage-api
//!
//! The HTTP surface for programs: handlers parse the request, call one use
//! case of `maillage-service`, convert the result into a response type of
//! their own, and respond. No business rule lives here.
//!
//! - [`state`]: what every handler can reach (database pool, configuration).
//! - [`error`]: [`ApiError`], turning our error kinds into statuses and
//!   Mastodon-style `{"error": "…"}` bodies; causes go to the logs only.
//! - [`middleware`]: request ids, request logs and the body size limit.
//! - [`rate_limit`]: the limits on API writes, sign-ups and inboxes, and
//!   the `X-RateLimit-*` headers.
//! - [`health`]: `GET /healthz`.
//! - [`activitypub`]: actors, objects, collections, inboxes (content
//!   negotiation between JSON and a minimal HTML page).
//! - [`wellknown`]: WebFinger, host-meta, NodeInfo.
//! - [`mastodon`]: the Mastodon client API.
//! - [`listings`]: the native listings API.
//! - [`matches`]: the caller's matches, dismiss, respond; how they hear of
//!   new ones (instant, digest, none).
//! - [`notifications`]: what the node tells its people, in Mastodon's shape.
//! - [`mediation`]: a group's mediators and their queue of pairings.
//! - [`oauth`]: apps, tokens and the login and consent page.
//! - [`agreements`]: "I'm interested" and its answer.
//! - [`ledger`]: time credits (confirming agreements, one's account,
//!   admin limits and corrections) and the territory's dashboard.
//! - [`contributions`]: hours given to projects, by form of work.
//! - [`groups`]: collectives, initiatives and projects, and membership.
//! - [`events`]: knowledge-exchange sessions, places and waiting lists.
//! - [`admin`]: federation policies for admins (Mastodon's
//!   `domain_blocks` and `domain_allows`, the mode, content filters, CSV).
//! - [`territory`]: territory links (public list, admin proposals).
//! - [`openapi`]: the native API's OpenAPI document, generated from the
//!   handlers' annotations and their request and response structs.
//! - [`html`]: the minimal pages shown to browsers.
//!
//! Invariant: with `maillage-web`, the only crate that imports actix-web.

pub mod activitypub;
pub mod admin;
pub mod agreements;
pub mod contributions;
pub mod error;
pub mod events;
pub mod groups;
pub mod health;
pub mod html;
pub mod ledger;
pub mod ledger_json;
pub mod listing_json;
pub mod listings;
pub mod mastodon;
pub mod matches;
pub mod media_files;
pub mod mediation;
pub mod middleware;
pub mod notifications;
pub mod oauth;
pub mod openapi;
pub mod plain_json;
pub mod rate_limit;
pub mod state;
pub mod territory;
pub mod wellknown;

use actix_web::web;

pub use error::ApiError;
pub use state::AppState;

/// Registers every route of this crate.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/healthz")
            .route(web::get().to(health::healthz))
            .route(web::head().to(health::healthz)),
    );
    cfg.route("/api/openapi.json", web::get().to(openapi))
        .route("/static/avatar.png", web::get().to(default_avatar))
        .route("/static/header.png", web::get().to(default_avatar));
    wellknown::configure(cfg);
    oauth::configure(cfg);
    activitypub::configure(cfg);
    mastodon::configure(cfg);
    listings::configure(cfg);
    agreements::configure(cfg);
    ledger::configure(cfg);
    contributions::configure(cfg);
    groups::configure(cfg);
    mediation::configure(cfg);
    events::configure(cfg);
    matches::configure(cfg);
    media_files::configure(cfg);
    notifications::configure(cfg);
    admin::configure(cfg);
    territory::configure(cfg);
}

/// Extractor settings shared by every route: body limits from the
/// configuration, and JSON errors in our format.
pub fn configure_extractors(cfg: &mut web::ServiceConfig, max_body_bytes: usize) {
    cfg.app_data(web::PayloadConfig::new(max_body_bytes))
        .app_data(web::JsonConfig::default().limit(max_body_bytes).error_handler(error::json_error))
        .app_data(web::FormConfig::default().limit(max_body_bytes).error_handler(error::form_error))
        .app_data(web::QueryConfig::default().error_handler(error::query_error))
        .app_data(web::PathConfig::default().error_handler(error::path_error));
}

/// The OpenAPI document of the native API.
async fn openapi() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().content_type("application/json").body(openapi::document())
}

/// The picture apps show for accounts without one.
async fn default_avatar() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type("image/png")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(&include_bytes!("../assets/avatar.png")[..])
}

/// For routes that do not exist: 404 in the API's error format.
pub async fn not_found() -> actix_web::HttpResponse {
    use actix_web::ResponseError;
    ApiError::from(maillage_core::Error::not_found("Record not found")).error_response()
}
