//! Failed log-ins, counted in the database so that every process of the
//! node counts them together. A try is recorded before the password is
//! checked (then counted with the others: two processes trying at once
//! both see both, so the limit is never passed); a try that succeeds is
//! forgotten, one that fails stays until it leaves the window. While an
//! address or an account is over its limit, even the right password is
//! refused, and the answer says when to come back: once the oldest
//! failures have left the window, the owner logs in as before.

use std::time::Duration;

use maillage_core::account::User;
use maillage_core::config::{Limit, RateLimitsConfig};
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::{Error, ErrorKind};
use maillage_db::login_attempts::{self, By, NewAttempt};
use maillage_db::{transaction, users, DbConnection};

use crate::tokens::secret_digest;

/// Where a log-in comes from, and the limits it is held to.
#[derive(Debug, Clone, Copy)]
pub struct LoginGate<'a> {
    pub limits: &'a RateLimitsConfig,
    /// The client's address, as the limits count it
    /// (`maillage_core::client_ip::limit_key`).
    pub ip: &'a str,
}

/// Too many failures lately, from this address or on this account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    /// The limit that was reached: failures per window.
    pub max: u32,
    /// When to try again (whole seconds, at least one).
    pub retry_after: Duration,
}

/// Why a log-in did not go through.
#[derive(Debug)]
pub enum LoginFailure {
    /// Not checked: too many failures lately.
    Limited(Limited),
    /// Checked and refused (wrong password, account pending), or failed.
    Refused(Error),
}

impl From<Error> for LoginFailure {
    fn from(e: Error) -> Self {
        LoginFailure::Refused(e)
    }
}

/// Logs in with a username or an e-mail address, unless too many tries
/// failed lately from this address or on this account.
pub fn log_in(
    conn: &mut DbConnection,
    gate: &LoginGate<'_>,
    login: &str,
    password: &str,
) -> Result<User, LoginFailure> {
    let now = Timestamp::now();
    let account = account_key(conn, login)?;
    let attempt = claim(conn, gate, &account, now)?;
    match crate::accounts::login(conn, login, password) {
        // A wrong password: the try stays, and counts.
        Err(e) if e.kind() == ErrorKind::Unauthorized => Err(LoginFailure::Refused(e)),
        done => {
            forget(conn, attempt);
            Ok(done?)
        }
    }
}

/// What the account limit counts a log-in under: the account when one has
/// that name or address, what was typed otherwise (so that a name nobody
/// holds is limited alike, and the answer does not tell which exist);
/// stored as a digest.
fn account_key(conn: &mut DbConnection, login: &str) -> Result<String, Error> {
    let login = login.trim();
    let row = if login.contains('@') {
        users::find_by_email(conn, &login.to_lowercase())?
    } else {
        users::find_by_username(conn, &login.to_ascii_lowercase())?
    };
    Ok(secret_digest(&match row {
        Some(row) => format!("account:{}", row.id),
        None => format!("login:{}", login.to_lowercase()),
    }))
}

/// Records a try, then counts the others in each window; refuses (and
/// forgets the try) when either is full.
fn claim(
    conn: &mut DbConnection,
    gate: &LoginGate<'_>,
    account: &str,
    now: Timestamp,
) -> Result<i64, LoginFailure> {
    let (per_ip, per_account) = (gate.limits.login_per_ip, gate.limits.login_per_account);
    let id = Id::generate_at(now).as_i64();
    let longest = per_ip.window().max(per_account.window());
    transaction::write(conn, |conn| {
        login_attempts::prune(conn, now.saturating_sub(longest))?;
        login_attempts::insert(conn, &NewAttempt { id, ip: gate.ip, account, attempted_at: now.as_micros() })
    })?;
    let mut limited: Option<Limited> = None;
    for (by, limit) in [(By::Ip(gate.ip), per_ip), (By::Account(account), per_account)] {
        if let Some(wait) = wait_for(conn, by, limit, id, now)? {
            if limited.is_none_or(|l| l.retry_after < wait) {
                limited = Some(Limited { max: limit.max, retry_after: wait });
            }
        }
    }
    match limited {
        Some(limited) => {
            forget(conn, id);
            Err(LoginFailure::Limited(limited))
        }
        None => Ok(id),
    }
}

/// How long until a try of this key fits in its window again, when it is
/// full now.
fn wait_for(
    conn: &mut DbConnection,
    by: By<'_>,
    limit: Limit,
    except: i64,
    now: Timestamp,
) -> Result<Option<Duration>, Error> {
    let window = limit.window();
    let times = login_attempts::newest(conn, by, now.saturating_sub(window), except, limit.max)?;
    if times.len() < limit.max as usize {
        return Ok(None);
    }
    // The oldest of the newest `max` leaves the window first.
    let oldest = times.last().copied().unwrap_or(now.as_micros());
    let frees_at = Timestamp::from_micros(oldest).saturating_add(window);
    let micros = u64::try_from(frees_at.as_micros() - now.as_micros()).unwrap_or(0);
    // A try made at once by another process may be stamped a little after
    // `now`: never ask for more than a window.
    Ok(Some(Duration::from_secs(micros.div_ceil(1_000_000).clamp(1, limit.window_secs.max(1)))))
}

/// Forgets a try; a failure here only leaves one more try counted.
fn forget(conn: &mut DbConnection, id: i64) {
    if let Err(e) = transaction::write(conn, |conn| login_attempts::delete(conn, id)) {
        tracing::warn!(error = %e, "cannot forget a log-in try");
    }
}
