//! Bearer tokens: issued with a set of scopes, stored only as a SHA-256
//! digest, checked on every authenticated request.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use maillage_core::account::{AccountState, User};
use maillage_core::id::Id;
use maillage_core::scope::Scopes;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::tokens::{self, NewToken};
use maillage_db::{transaction, DbConnection};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::accounts;

/// `last_used_at` is refreshed at most this often, so that reads do not
/// turn into a write on every request.
const LAST_USED_GRANULARITY: Duration = Duration::from_secs(3600);

#[derive(Debug)]
pub struct IssuedToken {
    /// The bearer token itself: shown once, never stored.
    pub token: String,
    pub scopes: Scopes,
    pub created_at: Timestamp,
}

/// Who a request acts for, once its token has been checked.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub user: User,
    pub token_id: Id,
    pub scopes: Scopes,
}

impl Authenticated {
    /// Refuses with 403 unless the token grants one of `required`.
    pub fn require_scope(&self, required: &[&str]) -> Result<(), Error> {
        if self.scopes.grants_any(required) {
            Ok(())
        } else {
            Err(Error::forbidden("This action is outside the authorized scopes"))
        }
    }
}

fn digest(token: &str) -> String {
    let hash = Sha256::digest(token.as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

fn new_token_string() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Issues a token for a local user; `ttl` of `None` never expires (as
/// Mastodon's tokens).
pub fn issue_for_user(
    conn: &mut DbConnection,
    user_id: Id,
    scopes: &Scopes,
    ttl: Option<Duration>,
) -> Result<IssuedToken, Error> {
    issue(conn, Some(user_id), None, scopes, ttl)
}

/// Issues a token for a user, an app, or both (an OAuth grant).
pub fn issue(
    conn: &mut DbConnection,
    user_id: Option<Id>,
    app_id: Option<i64>,
    scopes: &Scopes,
    ttl: Option<Duration>,
) -> Result<IssuedToken, Error> {
    if let Some(user_id) = user_id {
        let user = accounts::find_by_id(conn, user_id)?;
        if user.state == AccountState::Disabled {
            return Err(Error::forbidden(format!("\"{}\" is disabled", user.username)));
        }
    }
    let token = new_token_string();
    let hash = digest(&token);
    let now = Timestamp::now();
    let scope_text = scopes.to_string();
    transaction::write(conn, |conn| {
        tokens::insert(
            conn,
            &NewToken {
                id: Id::generate_at(now).as_i64(),
                user_id: user_id.map(Id::as_i64),
                token_hash: &hash,
                scopes: &scope_text,
                created_at: now.as_micros(),
                expires_at: ttl.map(|d| now.saturating_add(d).as_micros()),
                app_id,
            },
        )
    })?;
    Ok(IssuedToken { token, scopes: scopes.clone(), created_at: now })
}

/// A live token's row, whoever it is for (an app's own token included):
/// 401 when unknown, revoked or expired.
pub fn live_token(conn: &mut DbConnection, bearer: &str) -> Result<tokens::TokenRow, Error> {
    let invalid = || Error::unauthorized("The access token is invalid");
    if bearer.is_empty() || bearer.len() > 256 {
        return Err(invalid());
    }
    let row = tokens::find_by_hash(conn, &digest(bearer))?.ok_or_else(invalid)?;
    if row.revoked_at.is_some() {
        return Err(Error::unauthorized("The access token was revoked"));
    }
    if row.expires_at.is_some_and(|at| at <= Timestamp::now().as_micros()) {
        return Err(Error::unauthorized("The access token expired"));
    }
    Ok(row)
}

/// The digest under which a secret is stored.
pub fn secret_digest(secret: &str) -> String {
    digest(secret)
}

/// A new random secret (tokens, client secrets, codes).
pub fn new_secret() -> String {
    new_token_string()
}

/// For `maillage admin token create`: a username and a scope list.
pub fn issue_for_username(
    conn: &mut DbConnection,
    username: &str,
    scopes: &str,
) -> Result<IssuedToken, Error> {
    let scopes = Scopes::parse(scopes).map_err(|e| Error::unprocessable(e.message()))?;
    let user = accounts::find_by_username(conn, username)?;
    issue_for_user(conn, user.id, &scopes, None)
}

/// Checks a bearer token and that it grants one of `required` (an empty
/// slice asks for no particular scope). 401 for a token that is unknown,
/// revoked or expired; 403 for a disabled or unapproved account or a
/// missing scope.
pub fn authenticate(
    conn: &mut DbConnection,
    bearer: &str,
    required: &[&str],
) -> Result<Authenticated, Error> {
    let row = live_token(conn, bearer)?;
    let now = Timestamp::now();
    let user_id =
        row.user_id.ok_or_else(|| Error::forbidden("This method requires an authenticated user"))?;
    let user = accounts::find_by_id(conn, Id::from_i64(user_id))?;
    match user.state {
        AccountState::Active => {}
        AccountState::Pending => return Err(Error::forbidden("Your login is awaiting approval")),
        AccountState::Disabled => return Err(Error::forbidden("Your login is currently disabled")),
    }
    let scopes = Scopes::parse(&row.scopes)
        .map_err(|e| Error::internal(format!("token {} has bad scopes: {}", row.id, e.message())))?;
    let auth = Authenticated { user, token_id: Id::from_i64(row.id), scopes };
    if !required.is_empty() {
        auth.require_scope(required)?;
    }
    let stale = row.last_used_at.is_none_or(|t| now.saturating_sub(LAST_USED_GRANULARITY).as_micros() > t);
    if stale {
        tokens::touch(conn, auth.token_id, now)?;
    }
    Ok(auth)
}

/// Like [`authenticate`], but an app's own token (client credentials, no
/// person behind it) is accepted as nobody in particular: `Ok(None)`.
pub fn authenticate_reader(
    conn: &mut DbConnection,
    bearer: &str,
    required: &[&str],
) -> Result<Option<Authenticated>, Error> {
    if live_token(conn, bearer)?.user_id.is_none() {
        return Ok(None);
    }
    authenticate(conn, bearer, required).map(Some)
}

/// Revokes the token given; revoking an unknown or already revoked token
/// succeeds, as RFC 7009 asks.
pub fn revoke(conn: &mut DbConnection, bearer: &str) -> Result<(), Error> {
    if let Some(row) = tokens::find_by_hash(conn, &digest(bearer))? {
        tokens::revoke(conn, Id::from_i64(row.id), Timestamp::now())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_digested() {
        let a = new_token_string();
        assert_eq!(a.len(), 43);
        assert_ne!(a, new_token_string());
        assert_eq!(digest("abc").len(), 64);
        assert_ne!(digest(&a), a);
    }
}
