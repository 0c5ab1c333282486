//! OAuth 2 as Mastodon apps speak it: clients register (`POST
//! /api/v1/apps`), then get tokens by the `authorization_code` grant
//! (with PKCE S256 when the client sends a challenge), the `password`
//! grant (the login is an e-mail address or a username) or the
//! `client_credentials` grant (a token for the app alone).

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::scope::Scopes;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::oauth::{self, AppRow, CodeRow};
use maillage_db::{transaction, DbConnection};
use sha2::{Digest, Sha256};

use crate::limits::login::{self, LoginFailure, LoginGate};
use crate::limits::Limited;
use crate::tokens::{self, new_secret, secret_digest, IssuedToken};

pub const OUT_OF_BAND: &str = "urn:ietf:wg:oauth:2.0:oob";
const CODE_TTL: Duration = Duration::from_secs(600);
const MAX_REDIRECT_URIS: usize = 10;

/// Why a grant was refused, with the OAuth error code apps expect
/// (RFC 6749 §5.2).
#[derive(Debug)]
pub struct GrantError {
    pub code: &'static str,
    pub description: String,
    /// Set when the password grant was not tried: too many failures lately
    /// (answered 429 with `Retry-After`, as Mastodon's limits do).
    pub limited: Option<Limited>,
}

impl GrantError {
    fn new(code: &'static str, description: impl Into<String>) -> GrantError {
        GrantError { code, description: description.into(), limited: None }
    }

    /// A malformed request (RFC 6749's `invalid_request`).
    pub fn invalid_request(description: impl Into<String>) -> GrantError {
        GrantError::new("invalid_request", description)
    }

    pub fn missing(what: &str) -> GrantError {
        missing(what)
    }

    /// `invalid_client` answers 401, `unauthorized_client` 403 (a token of
    /// another client, RFC 7009 §2.1, as Mastodon answers), too many
    /// failed log-ins 429, our own failures 500 or 503; the others 400.
    pub fn status(&self) -> u16 {
        if self.limited.is_some() {
            return 429;
        }
        match self.code {
            "invalid_client" => 401,
            "unauthorized_client" => 403,
            "server_error" => 500,
            "temporarily_unavailable" => 503,
            _ => 400,
        }
    }
}

/// Our own failure, with its client-safe message only (the cause is
/// logged): a database that cannot be reached or written is
/// `temporarily_unavailable` (503).
fn server_error(e: Error) -> GrantError {
    let code = if e.kind() == maillage_core::ErrorKind::Unavailable {
        tracing::warn!(error = %e, "OAuth request failed");
        "temporarily_unavailable"
    } else {
        tracing::error!(error = %e, "OAuth request failed");
        "server_error"
    };
    GrantError::new(code, e.message())
}

/// A registered app and its secret, shown this once.
pub struct NewApp {
    pub app: AppRow,
    pub client_secret: String,
}

/// Registers an app. Redirect URIs are absolute `http(s)` URLs, custom
/// schemes of mobile apps (`tusky://oauth`), or the out-of-band URN.
pub fn register_app(
    conn: &mut DbConnection,
    name: &str,
    redirect_uris: &[String],
    scopes: Option<&str>,
    website: Option<&str>,
) -> Result<NewApp, Error> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::unprocessable("Validation failed: client_name must be 1 to 100 characters"));
    }
    let uris: Vec<&str> = redirect_uris.iter().map(|u| u.trim()).filter(|u| !u.is_empty()).collect();
    if uris.is_empty() || uris.len() > MAX_REDIRECT_URIS {
        return Err(Error::unprocessable("Validation failed: redirect_uris must hold 1 to 10 URIs"));
    }
    for uri in &uris {
        let ok = *uri == OUT_OF_BAND
            || url::Url::parse(uri).is_ok_and(|u| {
                u.fragment().is_none() && (u.has_host() || u.scheme() != "http" && u.scheme() != "https")
            });
        if !ok {
            return Err(Error::unprocessable(format!(
                "Validation failed: redirect_uris: \"{uri}\" is not a valid URI"
            )));
        }
    }
    let scopes = Scopes::parse(scopes.unwrap_or("read"))
        .map_err(|e| Error::unprocessable(format!("Validation failed: scopes: {}", e.message())))?;
    let website = website.map(str::trim).filter(|w| !w.is_empty());
    if website.is_some_and(|w| url::Url::parse(w).is_err()) {
        return Err(Error::unprocessable("Validation failed: website is not a URL"));
    }
    let now = Timestamp::now();
    let client_secret = new_secret();
    let app = AppRow {
        id: Id::generate_at(now).as_i64(),
        client_id: new_secret(),
        client_secret_hash: secret_digest(&client_secret),
        name: name.to_owned(),
        redirect_uris: uris.join("\n"),
        scopes: scopes.to_string(),
        website: website.map(str::to_owned),
        created_at: now.as_micros(),
    };
    transaction::write(conn, |conn| oauth::insert_app(conn, &app))?;
    Ok(NewApp { app, client_secret })
}

/// The app of `client_id`, if the secret is its own.
pub fn authenticate_client(
    conn: &mut DbConnection,
    client_id: &str,
    client_secret: &str,
) -> Result<AppRow, GrantError> {
    let invalid = || {
        GrantError::new("invalid_client", "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.")
    };
    let app = oauth::find_app_by_client_id(conn, client_id).map_err(server_error)?.ok_or_else(invalid)?;
    if secret_digest(client_secret) != app.client_secret_hash {
        return Err(invalid());
    }
    Ok(app)
}

/// The app of `client_id` (the authorize page needs no secret).
pub fn find_app(conn: &mut DbConnection, client_id: &str) -> Result<Option<AppRow>, Error> {
    oauth::find_app_by_client_id(conn, client_id)
}

/// The scopes asked for, which must be within the app's; the app's own
/// when none are asked.
pub fn requested_scopes(app: &AppRow, asked: Option<&str>) -> Result<Scopes, GrantError> {
    let app_scopes = Scopes::parse(&app.scopes).map_err(server_error)?;
    let Some(asked) = asked.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(app_scopes) };
    let scopes = Scopes::parse(asked).map_err(|e| GrantError::new("invalid_scope", e.message()))?;
    if !app_scopes.covers(&scopes) {
        return Err(GrantError::new(
            "invalid_scope",
            "The requested scope is invalid, unknown, or malformed.",
        ));
    }
    Ok(scopes)
}

/// The password grant, held to the log-in limits of `gate`.
pub fn grant_password(
    conn: &mut DbConnection,
    gate: &LoginGate<'_>,
    app: &AppRow,
    login: &str,
    password: &str,
    scope: Option<&str>,
) -> Result<IssuedToken, GrantError> {
    let scopes = requested_scopes(app, scope)?;
    let user = login::log_in(conn, gate, login, password).map_err(|failure| match failure {
        LoginFailure::Limited(limited) => {
            GrantError { limited: Some(limited), ..GrantError::new("too_many_requests", "Too many requests") }
        }
        LoginFailure::Refused(e) if e.kind().is_client_error() => {
            GrantError::new("invalid_grant", e.message())
        }
        LoginFailure::Refused(e) => server_error(e),
    })?;
    tokens::issue(conn, Some(user.id), Some(app.id), &scopes, None).map_err(server_error)
}

pub fn grant_client_credentials(
    conn: &mut DbConnection,
    app: &AppRow,
    scope: Option<&str>,
) -> Result<IssuedToken, GrantError> {
    let scopes = requested_scopes(app, scope)?;
    tokens::issue(conn, None, Some(app.id), &scopes, None).map_err(server_error)
}

/// What a client sends to `/oauth/token`, beyond its credentials.
#[derive(Debug, Clone, Default)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub scope: Option<String>,
}

fn missing(what: &str) -> GrantError {
    GrantError::new("invalid_request", format!("The request is missing a required parameter: {what}."))
}

/// `/oauth/token`: the client authenticated, then the grant it asks for
/// (a password grant held to the log-in limits of `gate`).
pub fn grant(
    conn: &mut DbConnection,
    gate: &LoginGate<'_>,
    client_id: &str,
    client_secret: &str,
    r: &TokenRequest,
) -> Result<IssuedToken, GrantError> {
    let app = authenticate_client(conn, client_id, client_secret)?;
    let need = |v: &Option<String>, what: &str| v.clone().ok_or_else(|| missing(what));
    match r.grant_type.as_deref() {
        Some("password") => grant_password(
            conn,
            gate,
            &app,
            &need(&r.username, "username")?,
            &need(&r.password, "password")?,
            r.scope.as_deref(),
        ),
        Some("client_credentials") => grant_client_credentials(conn, &app, r.scope.as_deref()),
        Some("authorization_code") => grant_code(
            conn,
            &app,
            &need(&r.code, "code")?,
            &need(&r.redirect_uri, "redirect_uri")?,
            r.code_verifier.as_deref(),
        ),
        Some(other) => Err(GrantError::new(
            "unsupported_grant_type",
            format!("The authorization grant type {other} is not supported."),
        )),
        None => Err(missing("grant_type")),
    }
}

/// What a client sends to `/oauth/authorize`.
#[derive(Debug, Clone, Default)]
pub struct AuthorizeRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
}

/// Checks an authorization request before the login page is shown: the
/// app, its redirect URI, its scopes and its PKCE method.
pub fn check_authorize(conn: &mut DbConnection, req: &AuthorizeRequest) -> Result<(AppRow, Scopes), Error> {
    let app = find_app(conn, &req.client_id)?.ok_or_else(|| Error::bad_request("unknown client_id"))?;
    if !app.redirect_uri_list().contains(&req.redirect_uri.as_str()) {
        return Err(Error::bad_request("redirect_uri is not one the app registered"));
    }
    let scopes =
        requested_scopes(&app, req.scope.as_deref()).map_err(|e| Error::bad_request(e.description))?;
    match (req.code_challenge.as_deref(), req.code_challenge_method.as_deref()) {
        (None, None) | (Some(_), Some("S256")) => {}
        (Some(c), None) if !c.is_empty() => {
            return Err(Error::bad_request("code_challenge_method must be S256"))
        }
        (None, Some(_)) => return Err(Error::bad_request("code_challenge_method without code_challenge")),
        _ => return Err(Error::bad_request("code_challenge_method must be S256")),
    }
    Ok((app, scopes))
}

/// After the person logged in and consented: a code for the app.
pub fn authorize(conn: &mut DbConnection, req: &AuthorizeRequest, user: &User) -> Result<String, Error> {
    let (app, scopes) = check_authorize(conn, req)?;
    let code = new_secret();
    let now = Timestamp::now();
    let row = CodeRow {
        code_hash: secret_digest(&code),
        app_id: app.id,
        user_id: user.id.as_i64(),
        redirect_uri: req.redirect_uri.clone(),
        scopes: scopes.to_string(),
        code_challenge: req.code_challenge.clone().filter(|c| !c.is_empty()),
        code_challenge_method: req.code_challenge_method.clone(),
        created_at: now.as_micros(),
        expires_at: now.saturating_add(CODE_TTL).as_micros(),
        used_at: None,
    };
    transaction::write(conn, |conn| {
        oauth::prune_codes(conn, now.as_micros())?;
        oauth::insert_code(conn, &row)
    })?;
    Ok(code)
}

/// S256: the challenge is the unpadded base64url SHA-256 of the verifier.
fn pkce_matches(challenge: &str, verifier: &str) -> bool {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge
}

pub fn grant_code(
    conn: &mut DbConnection,
    app: &AppRow,
    code: &str,
    redirect_uri: &str,
    verifier: Option<&str>,
) -> Result<IssuedToken, GrantError> {
    let invalid = || {
        GrantError::new(
            "invalid_grant",
            "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
        )
    };
    let now = Timestamp::now().as_micros();
    let row = transaction::write(conn, |conn| oauth::take_code(conn, &secret_digest(code), now))
        .map_err(server_error)?
        .ok_or_else(invalid)?;
    if row.app_id != app.id || row.expires_at <= now || row.redirect_uri != redirect_uri {
        return Err(invalid());
    }
    if let Some(challenge) = &row.code_challenge {
        if !verifier.is_some_and(|v| pkce_matches(challenge, v)) {
            return Err(invalid());
        }
    }
    let scopes = Scopes::parse(&row.scopes).map_err(server_error)?;
    tokens::issue(conn, Some(Id::from_i64(row.user_id)), Some(app.id), &scopes, None).map_err(server_error)
}

/// `/oauth/revoke`: the client authenticated, then [`revoke`].
pub fn revoke_for_client(
    conn: &mut DbConnection,
    client_id: &str,
    client_secret: &str,
    token: &str,
) -> Result<(), GrantError> {
    let app = authenticate_client(conn, client_id, client_secret)?;
    revoke(conn, &app, token)
}

/// Revokes a token issued to this app; an unknown token succeeds (RFC
/// 7009). A token issued to another app, or to no app at all (a browser
/// session, a token made by an admin), is refused and stays valid (RFC 7009
/// §2.1: the server checks that the token was issued to the client asking).
pub fn revoke(conn: &mut DbConnection, app: &AppRow, token: &str) -> Result<(), GrantError> {
    match tokens::live_token(conn, token) {
        Ok(row) if row.app_id != Some(app.id) => {
            Err(GrantError::new("unauthorized_client", "You are not authorized to revoke this token"))
        }
        Ok(_) => tokens::revoke(conn, token).map_err(server_error),
        Err(_) => Ok(()),
    }
}

/// The app a bearer token was issued to.
pub fn app_of_token(conn: &mut DbConnection, bearer: &str) -> Result<AppRow, Error> {
    let row = tokens::live_token(conn, bearer)?;
    let app = row.app_id.map(|a| oauth::find_app(conn, a)).transpose()?.flatten();
    app.ok_or_else(|| Error::unauthorized("The access token is invalid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_follows_rfc_7636() {
        // The example of RFC 7636, appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert!(pkce_matches("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", verifier));
        assert!(!pkce_matches("F9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", verifier));
    }
}
