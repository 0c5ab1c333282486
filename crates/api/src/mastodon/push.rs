//! Web Push subscriptions as Mastodon apps manage them
//! (`/api/v1/push/subscription`: create, read, change, remove), one per
//! access token, with the `push` scope. Apps send nested keys either as a
//! form (`subscription[keys][p256dh]=…`) or as JSON; both are read as the
//! same flat keys.

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::Error;
use maillage_service::push::{self as cases, Request};
use serde_json::Value;

use super::auth::require;
use crate::error::ApiError;
use crate::state::AppState;

const SCOPES: &[&str] = &["push"];

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/push/subscription", web::post().to(create))
        .route("/api/v1/push/subscription", web::get().to(show))
        .route("/api/v1/push/subscription", web::put().to(change))
        .route("/api/v1/push/subscription", web::delete().to(remove));
}

/// The body's parameters as `a[b][c]` keys.
fn flat_params(req: &HttpRequest, bytes: &[u8]) -> Result<Vec<(String, String)>, Error> {
    let content_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !content_type.starts_with("application/json") {
        return serde_urlencoded::from_bytes(bytes)
            .map_err(|e| Error::unprocessable(format!("invalid form body: {e}")));
    }
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| Error::unprocessable(format!("invalid JSON body: {e}")))?;
    let mut out = Vec::new();
    flatten(&value, String::new(), &mut out);
    Ok(out)
}

fn flatten(value: &Value, prefix: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}[{k}]") };
                flatten(v, key, out);
            }
        }
        Value::String(s) => out.push((prefix, s.clone())),
        Value::Null => {}
        other => out.push((prefix, other.to_string())),
    }
}

fn param<'a>(params: &'a [(String, String)], key: &str) -> Option<&'a str> {
    params.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// `data[alerts][NAME]` pairs, as booleans.
fn alerts(params: &[(String, String)]) -> Result<Vec<(String, bool)>, Error> {
    params
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("data[alerts][")?.strip_suffix(']').map(|name| (name, v)))
        .map(|(name, v)| match v.as_str() {
            "true" | "1" | "on" => Ok((name.to_owned(), true)),
            "false" | "0" | "off" | "" => Ok((name.to_owned(), false)),
            _ => Err(Error::unprocessable(format!("Validation failed: data[alerts][{name}]: not a boolean"))),
        })
        .collect()
}

/// Mastodon reads the policy as `policy` or `data[policy]`.
fn policy(params: &[(String, String)]) -> Option<String> {
    param(params, "data[policy]").or_else(|| param(params, "policy")).map(str::to_owned)
}

async fn server_key(state: &AppState) -> Result<String, Error> {
    Ok(state.db.run(cases::vapid_public_key).await?.unwrap_or_default())
}

async fn create(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, SCOPES).await?;
    let params = flat_params(&req, &bytes)?;
    let field = |key: &str| param(&params, key).unwrap_or_default().to_owned();
    let asked = Request {
        endpoint: field("subscription[endpoint]"),
        p256dh: field("subscription[keys][p256dh]"),
        auth: field("subscription[keys][auth]"),
        alerts: alerts(&params)?,
        policy: policy(&params),
    };
    let allow_http = state.config.federation.debug;
    let row = state.db.run(move |conn| cases::subscribe(conn, &auth, &asked, allow_http)).await?;
    Ok(HttpResponse::Ok().json(cases::to_api(&row, &server_key(&state).await?)))
}

async fn show(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, SCOPES).await?;
    let row = state.db.run(move |conn| cases::get(conn, &auth)).await?;
    Ok(HttpResponse::Ok().json(cases::to_api(&row, &server_key(&state).await?)))
}

async fn change(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, SCOPES).await?;
    let params = flat_params(&req, &bytes)?;
    let (alerts, policy) = (alerts(&params)?, policy(&params));
    let row = state.db.run(move |conn| cases::update(conn, &auth, &alerts, policy.as_deref())).await?;
    Ok(HttpResponse::Ok().json(cases::to_api(&row, &server_key(&state).await?)))
}

async fn remove(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let (auth, _) = require(&req, &state, SCOPES).await?;
    state.db.run(move |conn| cases::remove(conn, &auth)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({})))
}
