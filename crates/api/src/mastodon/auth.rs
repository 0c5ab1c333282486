//! Bearer tokens on the client API.

use actix_web::http::header::AUTHORIZATION;
use actix_web::HttpRequest;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_service::actors::actor_of_user;
use maillage_service::tokens::{self, Authenticated};

use crate::state::AppState;

/// The bearer token of a request (the scheme in any case).
pub fn bearer(req: &HttpRequest) -> Option<String> {
    let header = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = header.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

/// The caller and its actor, checked against `scopes` (any one suffices).
pub async fn require(
    req: &HttpRequest,
    state: &AppState,
    scopes: &'static [&'static str],
) -> Result<(Authenticated, ActorRow), Error> {
    let token = bearer(req).ok_or_else(|| Error::unauthorized("The access token is invalid"))?;
    state
        .db
        .run(move |conn| {
            let auth = tokens::authenticate(conn, &token, scopes)?;
            let actor = actor_of_user(conn, auth.user.id)?;
            Ok((auth, actor))
        })
        .await
}

/// Like [`require`], but a request without a token is anonymous.
pub async fn optional(
    req: &HttpRequest,
    state: &AppState,
    scopes: &'static [&'static str],
) -> Result<Option<(Authenticated, ActorRow)>, Error> {
    if bearer(req).is_none() {
        return Ok(None);
    }
    require(req, state, scopes).await.map(Some)
}

/// For what anyone may read: no token, or an app's own token, is nobody in
/// particular; a person's token is checked as in [`require`].
pub async fn reader(
    req: &HttpRequest,
    state: &AppState,
    scopes: &'static [&'static str],
) -> Result<Option<ActorRow>, Error> {
    let Some(token) = bearer(req) else { return Ok(None) };
    state
        .db
        .run(move |conn| match tokens::authenticate_reader(conn, &token, scopes)? {
            Some(auth) => actor_of_user(conn, auth.user.id).map(Some),
            None => Ok(None),
        })
        .await
}
