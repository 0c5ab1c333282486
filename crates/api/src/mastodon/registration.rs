//! `POST /api/v1/accounts`: an app (with its own client-credentials
//! token) signs a person up, as on Mastodon, honouring the node's
//! registration mode; the answer is the new person's token. In approval
//! mode the token works once a moderator approves the account.

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::scope::Scopes;
use maillage_core::Error;
use maillage_service::accounts::NewAccount;
use serde::Deserialize;
use serde_json::json;

use super::auth::bearer;
use super::params::{body, flexible_bool};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/accounts", web::post().to(register));
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct RegisterParams {
    username: Option<String>,
    email: Option<String>,
    password: Option<String>,
    #[serde(deserialize_with = "flexible_bool")]
    agreement: bool,
    locale: Option<String>,
    reason: Option<String>,
}

async fn register(
    req: HttpRequest,
    bytes: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let token = bearer(&req).ok_or_else(|| Error::unauthorized("The access token is invalid"))?;
    let p: RegisterParams = body(&req, &bytes)?;
    let mut missing = Vec::new();
    for (name, value) in [("username", &p.username), ("email", &p.email), ("password", &p.password)] {
        if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
            missing.push(format!("{name} can't be blank"));
        }
    }
    if !p.agreement {
        missing.push("agreement must be accepted".into());
    }
    if !missing.is_empty() {
        return Err(Error::unprocessable(format!("Validation failed: {}", missing.join(", "))).into());
    }
    let config = state.config.clone();
    let issued = state
        .db
        .run(move |conn| {
            let mode = maillage_service::territory_settings::current(conn, &config)?.registration_mode;
            let row = maillage_service::tokens::live_token(conn, &token)?;
            let app_id = row.app_id.ok_or_else(|| Error::forbidden("This method requires an app token"))?;
            let scopes = Scopes::parse(&row.scopes).map_err(|e| Error::internal(e.message().to_owned()))?;
            if !scopes.grants_any(&["write:accounts"]) {
                return Err(Error::forbidden("This action is outside the authorized scopes"));
            }
            let locale =
                p.locale.as_deref().filter(|l| l.starts_with("fr") || l.starts_with("en")).unwrap_or("en");
            let new = NewAccount {
                username: p.username.as_deref().unwrap_or_default(),
                email: p.email.as_deref().unwrap_or_default(),
                password: p.password.as_deref(),
                display_name: "",
                locale: &locale[..2],
                reason: p.reason.as_deref().unwrap_or_default(),
            };
            let user = maillage_service::account_mail::register(conn, &config, mode, &new)?;
            maillage_service::tokens::issue(conn, Some(user.id), Some(app_id), &scopes, None)
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "access_token": issued.token,
        "token_type": "Bearer",
        "scope": issued.scopes.to_string(),
        "created_at": issued.created_at.as_micros() / 1_000_000,
    })))
}
