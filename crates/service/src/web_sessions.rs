//! Browser sessions: logging in with a password opens a session whose
//! secret lives in an HttpOnly cookie (stored as a bearer token's digest,
//! so revoking tokens ends sessions too); every form carries a CSRF token
//! derived from that secret.

use std::time::Duration;

use maillage_core::account::User;
use maillage_core::scope::Scopes;
use maillage_core::Error;
use maillage_db::DbConnection;

use crate::limits::{LoginFailure, LoginGate};
use crate::tokens;

/// How long a browser session lasts without logging in again.
pub const SESSION_DAYS: u64 = 30;

/// Logs in with a username or an e-mail address, held to the log-in limits
/// of `gate`; returns the person and the session's secret.
pub fn log_in(
    conn: &mut DbConnection,
    gate: &LoginGate<'_>,
    login: &str,
    password: &str,
) -> Result<(User, String), LoginFailure> {
    let user = crate::limits::login::log_in(conn, gate, login, password)?;
    let scopes = Scopes::parse("read write follow")?;
    let issued =
        tokens::issue(conn, Some(user.id), None, &scopes, Some(Duration::from_secs(SESSION_DAYS * 86_400)))?;
    Ok((user, issued.token))
}

/// The person a session secret belongs to, if it is still valid.
pub fn visitor(conn: &mut DbConnection, secret: &str) -> Result<Option<User>, Error> {
    match tokens::authenticate(conn, secret, &[]) {
        Ok(auth) => Ok(Some(auth.user)),
        Err(e) if e.kind().is_client_error() => Ok(None),
        Err(e) => Err(e),
    }
}

pub fn log_out(conn: &mut DbConnection, secret: &str) -> Result<(), Error> {
    tokens::revoke(conn, secret)
}

/// The CSRF token of forms shown with a given secret (the session's, or a
/// visitor's pre-session cookie): a digest, so the page never shows the
/// secret itself.
pub fn csrf_token(secret: &str) -> String {
    tokens::secret_digest(&format!("csrf:{secret}"))
}

/// Whether a form's CSRF token matches, in constant time.
pub fn csrf_matches(secret: &str, sent: &str) -> bool {
    let expected = csrf_token(secret);
    expected.len() == sent.len()
        && expected.bytes().zip(sent.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csrf_token_belongs_to_its_secret() {
        let t = csrf_token("s3cret");
        assert!(csrf_matches("s3cret", &t));
        assert!(!csrf_matches("other", &t));
        assert!(!csrf_matches("s3cret", ""));
        assert!(!t.contains("s3cret"));
    }
}
