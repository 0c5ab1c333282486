//! OAuth 2 for Mastodon apps: `POST /api/v1/apps`,
//! `GET /api/v1/apps/verify_credentials`, `/oauth/token`,
//! `/oauth/revoke`, `/.well-known/oauth-authorization-server`. The login
//! and consent page of `/oauth/authorize` is a page of `maillage-web`.

use actix_web::{web, HttpRequest, HttpResponse};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use maillage_core::Error;
use maillage_db::oauth::AppRow;
use maillage_service::oauth::{self as cases, GrantError, TokenRequest};
use maillage_service::tokens::IssuedToken;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::mastodon::auth::bearer;
use crate::mastodon::params::body;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/apps", web::post().to(create_app))
        .route("/api/v1/apps/verify_credentials", web::get().to(verify_app))
        .route("/oauth/token", web::post().to(token))
        .route("/oauth/revoke", web::post().to(revoke))
        .route("/.well-known/oauth-authorization-server", web::get().to(metadata));
}

/// `redirect_uris` as apps send it: one string (URIs separated by
/// spaces or new lines) or a list.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RedirectUris {
    One(String),
    Many(Vec<String>),
}

impl RedirectUris {
    fn list(self) -> Vec<String> {
        match self {
            RedirectUris::One(s) => s.split_whitespace().map(str::to_owned).collect(),
            RedirectUris::Many(v) => v,
        }
    }
}

#[derive(Debug, Deserialize)]
struct AppParams {
    client_name: Option<String>,
    redirect_uris: Option<RedirectUris>,
    scopes: Option<String>,
    website: Option<String>,
}

fn app_to_api(app: &AppRow, secret: Option<&str>, vapid_key: &str) -> Value {
    let uris = app.redirect_uri_list();
    let mut v = json!({
        "id": app.id.to_string(),
        "name": app.name,
        "website": app.website,
        "scopes": app.scopes.split(' ').collect::<Vec<_>>(),
        "redirect_uri": uris.join("\n"),
        "redirect_uris": uris,
        "vapid_key": vapid_key,
    });
    if let Some(secret) = secret {
        v["client_id"] = json!(app.client_id);
        v["client_secret"] = json!(secret);
        v["client_secret_expires_at"] = json!(0);
    }
    v
}

async fn create_app(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let p: AppParams = body(&req, &bytes)?;
    let name =
        p.client_name.ok_or_else(|| Error::unprocessable("Validation failed: client_name can't be blank"))?;
    let uris = p
        .redirect_uris
        .map(RedirectUris::list)
        .ok_or_else(|| Error::unprocessable("Validation failed: redirect_uris can't be blank"))?;
    let created = state
        .db
        .run(move |conn| cases::register_app(conn, &name, &uris, p.scopes.as_deref(), p.website.as_deref()))
        .await?;
    let vapid = state.db.run(maillage_service::push::vapid_public_key).await?.unwrap_or_default();
    Ok(HttpResponse::Ok().json(app_to_api(&created.app, Some(&created.client_secret), &vapid)))
}

async fn verify_app(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let token = bearer(&req).ok_or_else(|| Error::unauthorized("The access token is invalid"))?;
    let app = state.db.run(move |conn| cases::app_of_token(conn, &token)).await?;
    let vapid = state.db.run(maillage_service::push::vapid_public_key).await?.unwrap_or_default();
    Ok(HttpResponse::Ok().json(app_to_api(&app, None, &vapid)))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct TokenParams {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    username: Option<String>,
    password: Option<String>,
    scope: Option<String>,
    token: Option<String>,
}

impl TokenParams {
    /// Client credentials from the body, or from HTTP Basic (RFC 6749 §2.3.1).
    fn client(&self, req: &HttpRequest) -> Option<(String, String)> {
        if let (Some(id), Some(secret)) = (&self.client_id, &self.client_secret) {
            return Some((id.clone(), secret.clone()));
        }
        let value = req.headers().get("Authorization")?.to_str().ok()?;
        let decoded = STANDARD.decode(value.strip_prefix("Basic ")?.trim()).ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (id, secret) = text.split_once(':')?;
        Some((id.to_owned(), secret.to_owned()))
    }
}

fn grant_error(e: GrantError) -> HttpResponse {
    // Too many failed log-ins: 429 as for every limit (RFC 6749 has no
    // code for it; Mastodon answers the same).
    if let Some(limited) = e.limited {
        return crate::rate_limit::too_many(&maillage_service::limits::Verdict {
            allowed: false,
            limit: limited.max,
            remaining: 0,
            reset_after: limited.retry_after,
            retry_after: limited.retry_after,
        });
    }
    let status =
        actix_web::http::StatusCode::from_u16(e.status()).unwrap_or(actix_web::http::StatusCode::BAD_REQUEST);
    HttpResponse::build(status).json(json!({ "error": e.code, "error_description": e.description }))
}

fn token_to_api(t: &IssuedToken) -> Value {
    json!({
        "access_token": t.token,
        "token_type": "Bearer",
        "scope": t.scopes.to_string(),
        "created_at": t.created_at.as_micros() / 1_000_000,
    })
}

/// The parameters of a token or revocation request, with the client's
/// credentials; the OAuth error to answer otherwise.
fn token_params(req: &HttpRequest, bytes: &[u8]) -> Result<(TokenParams, String, String), GrantError> {
    let p: TokenParams = body(req, bytes).map_err(|e: Error| GrantError::invalid_request(e.message()))?;
    let (id, secret) = p.client(req).ok_or_else(|| GrantError::missing("client_id and client_secret"))?;
    Ok((p, id, secret))
}

async fn token(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (p, client_id, client_secret) = match token_params(&req, &bytes) {
        Ok(parsed) => parsed,
        Err(e) => return Ok(grant_error(e)),
    };
    let request = TokenRequest {
        grant_type: p.grant_type,
        username: p.username,
        password: p.password,
        code: p.code,
        redirect_uri: p.redirect_uri,
        code_verifier: p.code_verifier,
        scope: p.scope,
    };
    let (limits, ip) = (state.limits.clone(), crate::rate_limit::client_key(&req, &state.limits));
    let result = state
        .db
        .run(move |conn| {
            Ok(cases::grant(conn, &limits.login_gate(&ip), &client_id, &client_secret, &request))
        })
        .await?;
    Ok(match result {
        Ok(t) => HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(token_to_api(&t)),
        Err(e) => grant_error(e),
    })
}

async fn revoke(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (p, client_id, client_secret) = match token_params(&req, &bytes) {
        Ok(parsed) => parsed,
        Err(e) => return Ok(grant_error(e)),
    };
    let Some(token) = p.token.clone() else { return Ok(grant_error(GrantError::missing("token"))) };
    let result = state
        .db
        .run(move |conn| Ok(cases::revoke_for_client(conn, &client_id, &client_secret, &token)))
        .await?;
    Ok(match result {
        Ok(()) => HttpResponse::Ok().json(crate::plain_json::EmptyJson {}),
        Err(e) => grant_error(e),
    })
}

/// RFC 8414 metadata, as Mastodon 4.3 serves it.
async fn metadata(state: web::Data<AppState>) -> HttpResponse {
    let base = state.urls.base();
    HttpResponse::Ok().json(json!({
        "issuer": format!("{base}/"),
        "service_documentation": "https://docs.joinmastodon.org/",
        "authorization_endpoint": format!("{base}/oauth/authorize"),
        "token_endpoint": format!("{base}/oauth/token"),
        "revocation_endpoint": format!("{base}/oauth/revoke"),
        "app_registration_endpoint": format!("{base}/api/v1/apps"),
        "scopes_supported": maillage_core::scope::all_scopes(),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code", "password", "client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    }))
}
