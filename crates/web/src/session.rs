//! Who is visiting: the session cookie (`maillage_session`, HttpOnly,
//! SameSite=Lax, Secure over HTTPS), and the pre-session cookie
//! (`maillage_csrf`) that protects the log-in and sign-up forms.

use actix_web::HttpRequest;
use maillage_core::account::User;
use maillage_service::web_sessions;

use crate::WebState;

pub const SESSION_COOKIE: &str = "maillage_session";
pub const CSRF_COOKIE: &str = "maillage_csrf";

pub fn cookie(req: &HttpRequest, name: &str) -> Option<String> {
    let header = req.headers().get("cookie")?.to_str().ok()?;
    header.split(';').find_map(|kv| kv.trim().strip_prefix(name)?.strip_prefix('=').map(str::to_owned))
}

/// A `Set-Cookie` value for one of our cookies; `None` clears it.
pub fn set_cookie(state: &WebState, name: &str, value: Option<&str>, max_age_secs: u64) -> String {
    // Plain http only in federation debug mode (tests, local trials).
    let secure = if state.config.federation.debug { "" } else { "; Secure" };
    match value {
        Some(v) => format!("{name}={v}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{secure}"),
        None => format!("{name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}"),
    }
}

/// The visitor of a page: signed in or not, and the CSRF token its forms
/// carry.
pub struct Visitor {
    pub user: Option<User>,
    pub session: Option<String>,
    pub csrf: String,
    /// A fresh pre-session secret to set as a cookie, when there was none.
    pub new_csrf_cookie: Option<String>,
    /// Conversations with a message the person has not read (the header
    /// shows the count).
    pub unread: i64,
    /// Notifications that came since the person last looked.
    pub unseen: i64,
}

impl Visitor {
    pub fn name(&self) -> Option<String> {
        self.user.as_ref().map(|u| u.username.clone())
    }

    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.is_admin())
    }

    /// The zone times are shown to them in: their own, else the territory's.
    pub fn zone(&self, territory: &maillage_core::config::TerritoryConfig) -> maillage_core::zone::Zone {
        let territory = territory.zone();
        self.user.as_ref().map_or(territory, |u| u.zone(territory))
    }
}

pub async fn visitor(req: &HttpRequest, state: &WebState) -> Visitor {
    if let Some(secret) = cookie(req, SESSION_COOKIE) {
        let s = secret.clone();
        let found = state
            .db
            .run(move |conn| {
                let Some(user) = web_sessions::visitor(conn, &s)? else { return Ok(None) };
                let unread = maillage_service::conversations::unread_count(conn, &user)?;
                let me = maillage_service::actors::actor_of_user(conn, user.id)?;
                let unseen = maillage_service::notifications::unseen_count(conn, &user, &me)?;
                Ok(Some((user, unread, unseen)))
            })
            .await;
        if let Ok(Some((user, unread, unseen))) = found {
            let csrf = web_sessions::csrf_token(&secret);
            return Visitor {
                user: Some(user),
                session: Some(secret),
                csrf,
                new_csrf_cookie: None,
                unread,
                unseen,
            };
        }
    }
    match cookie(req, CSRF_COOKIE) {
        Some(pre) => Visitor {
            user: None,
            session: None,
            csrf: web_sessions::csrf_token(&pre),
            new_csrf_cookie: None,
            unread: 0,
            unseen: 0,
        },
        None => {
            let pre = maillage_service::tokens::new_secret();
            Visitor {
                user: None,
                session: None,
                csrf: web_sessions::csrf_token(&pre),
                new_csrf_cookie: Some(pre),
                unread: 0,
                unseen: 0,
            }
        }
    }
}

/// Whether a form's CSRF token is the one this visitor's pages carry.
pub fn form_is_ours(req: &HttpRequest, sent: &str) -> bool {
    [SESSION_COOKIE, CSRF_COOKIE]
        .iter()
        .filter_map(|name| cookie(req, name))
        .any(|secret| web_sessions::csrf_matches(&secret, sent))
}

/// What the rate limits count this visitor under: the peer of the
/// connection, or the client a trusted proxy names.
pub fn client_key(req: &HttpRequest, state: &WebState) -> String {
    let forwarded = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
    state.limits.client_key(req.peer_addr().map(|a| a.ip()), forwarded)
}
