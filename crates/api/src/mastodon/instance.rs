//! `/api/v1/instance` and `/api/v2/instance`, as Mastodon 4.3 answers, so
//! that apps know what the node accepts. The version string names the
//! Mastodon API level apps check, then Maillage's own version.

use actix_web::{web, HttpResponse};
use maillage_core::account::RegistrationMode;
use maillage_core::config::Config;
use maillage_core::Error;
use maillage_db::DbConnection;
use maillage_service::media;
use maillage_service::posts::MAX_POST_CHARS;
use maillage_service::territory_settings::{self, TerritorySettings};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::state::AppState;

pub const MASTODON_API_LEVEL: &str = "4.3.0";

pub fn version() -> String {
    format!("{MASTODON_API_LEVEL} (compatible; Maillage {})", env!("CARGO_PKG_VERSION"))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/instance", web::get().to(v1))
        .route("/api/v2/instance", web::get().to(v2))
        .route("/api/v1/instance/rules", web::get().to(rules))
        .route("/api/v1/instance/peers", web::get().to(peers))
        .route("/api/v1/instance/activity", web::get().to(activity));
}

struct Counts {
    users: i64,
    statuses: i64,
    domains: i64,
}

fn counts(conn: &mut DbConnection) -> Result<Counts, Error> {
    let n = maillage_service::territory_stats::node_counts(conn)?;
    Ok(Counts { users: n.users, statuses: n.statuses, domains: n.domains })
}

fn limits(config: &Config) -> Value {
    json!({
        "accounts": { "max_featured_tags": 0, "max_pinned_statuses": 0 },
        "statuses": {
            "max_characters": MAX_POST_CHARS,
            "max_media_attachments": media::MAX_STATUS_MEDIA,
            "characters_reserved_per_url": 23
        },
        "media_attachments": {
            "supported_mime_types": ["image/jpeg", "image/png", "image/webp", "image/gif"],
            "description_limit": media::MAX_DESCRIPTION_CHARS,
            "image_size_limit": config.media.max_upload_bytes,
            "image_matrix_limit": config.media.max_pixels,
            "video_size_limit": 0, "video_frame_rate_limit": 0, "video_matrix_limit": 0
        },
        "polls": { "max_options": 0, "max_characters_per_option": 0, "min_expiration": 0, "max_expiration": 0 },
        "translation": { "enabled": false },
        "maillage": { "max_body_bytes": config.http.max_body_bytes, "max_listing_photos": media::MAX_LISTING_MEDIA }
    })
}

/// The figures, and the settings admins may have changed since start-up.
async fn counts_and_settings(state: &AppState) -> Result<(Counts, TerritorySettings), Error> {
    let config = state.config.clone();
    state.db.run(move |conn| Ok((counts(conn)?, territory_settings::current(conn, &config)?))).await
}

fn registrations(mode: RegistrationMode) -> (bool, bool) {
    match mode {
        RegistrationMode::Open => (true, false),
        RegistrationMode::Approval => (true, true),
        RegistrationMode::Closed => (false, false),
    }
}

fn contact_email(config: &Config) -> Value {
    match config.instance.contact_email.as_str() {
        "" => Value::Null,
        e => json!(e),
    }
}

async fn v1(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let config = &state.config;
    let (c, settings) = counts_and_settings(&state).await?;
    let base = state.urls.base();
    let (open, approval) = registrations(settings.registration_mode);
    let t = &settings.territory;
    Ok(HttpResponse::Ok().json(json!({
        "uri": state.urls.domain(),
        "title": t.name,
        "short_description": t.description,
        "description": t.description,
        "email": contact_email(config).as_str().unwrap_or_default(),
        "version": version(),
        "urls": { "streaming_api": base.replacen("http", "ws", 1) },
        "stats": { "user_count": c.users, "status_count": c.statuses, "domain_count": c.domains },
        "thumbnail": format!("{base}/static/header.png"),
        "languages": t.languages,
        "registrations": open,
        "approval_required": approval,
        "invites_enabled": false,
        "configuration": limits(config),
        "contact_account": null,
        "rules": [],
    })))
}

async fn v2(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let config = &state.config;
    let (c, settings) = counts_and_settings(&state).await?;
    let base = state.urls.base();
    let (open, approval) = registrations(settings.registration_mode);
    let t = &settings.territory;
    let mut configuration = limits(config);
    configuration["urls"] = json!({ "streaming": base.replacen("http", "ws", 1), "status": null });
    let vapid = state.db.run(maillage_service::push::vapid_public_key).await?.unwrap_or_default();
    configuration["vapid"] = json!({ "public_key": vapid });
    Ok(HttpResponse::Ok().json(json!({
        "domain": state.urls.domain(),
        "title": t.name,
        "version": version(),
        "source_url": "https://example.invalid/maillage",
        "description": t.description,
        "usage": { "users": { "active_month": c.users } },
        "thumbnail": { "url": format!("{base}/static/header.png") },
        "icon": [],
        "languages": t.languages,
        "configuration": configuration,
        "registrations": { "enabled": open, "approval_required": approval, "message": null, "url": null },
        "api_versions": { "mastodon": 2 },
        "contact": { "email": contact_email(config), "account": null },
        "rules": [],
        "maillage": {
            "territory": { "name": t.name, "latitude": t.latitude, "longitude": t.longitude, "radius_km": t.radius_km, "actor": state.urls.actor(&t.handle) }
        }
    })))
}

async fn rules() -> HttpResponse {
    HttpResponse::Ok().json(json!([]))
}

async fn peers() -> HttpResponse {
    HttpResponse::Ok().json(json!([]))
}

async fn activity() -> HttpResponse {
    HttpResponse::Ok().json(json!([]))
}
