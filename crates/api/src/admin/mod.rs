//! Admin endpoints: Mastodon's admin API shapes where Mastodon has them
//! (`domain_blocks`, `domain_allows`), so that existing admin tools work,
//! and native ones for what Mastodon lacks (federation mode, content
//! filters, blocklist CSV, territory links).
//!
//! Every endpoint needs a token with the right `admin:` scope *and* an
//! account with the admin role; anyone else gets 403 (401 without a
//! token). After a change, this process reloads its policy at once; the
//! others within `federation.policy_refresh_millis`.

mod domain_allows;
mod domain_blocks;
pub(crate) mod federation;

use actix_web::{web, HttpRequest};
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::DbConnection;
use maillage_service::tokens::Authenticated;

use crate::mastodon::auth::require;
use crate::state::AppState;

pub use domain_blocks::instance_domain_blocks;

pub fn configure(cfg: &mut web::ServiceConfig) {
    domain_blocks::configure(cfg);
    domain_allows::configure(cfg);
    federation::configure(cfg);
}

/// The caller, who must be an admin holding one of `scopes`.
pub async fn require_admin(
    req: &HttpRequest,
    state: &AppState,
    scopes: &'static [&'static str],
) -> Result<(Authenticated, ActorRow), Error> {
    let (auth, actor) = require(req, state, scopes).await?;
    if !auth.user.role.is_admin() {
        return Err(Error::forbidden("This action is not allowed"));
    }
    Ok((auth, actor))
}

/// Runs an admin change, then reloads this process's policy snapshot so
/// that the change applies to the very next request.
pub async fn change_policy<T: Send + 'static>(
    state: &AppState,
    change: impl FnOnce(&mut DbConnection) -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    let handle = state.policy_handle();
    state
        .db
        .run(move |conn| {
            let out = change(conn)?;
            handle.refresh(conn)?;
            Ok(out)
        })
        .await
}

/// Mastodon's admin lists: `limit` (default 100, at most 200) and ids.
#[derive(Debug, serde::Deserialize, Default)]
pub struct AdminPage {
    max_id: Option<String>,
    since_id: Option<String>,
    min_id: Option<String>,
    limit: Option<usize>,
}

impl AdminPage {
    /// The page of `rows` (any order in), newest first.
    pub fn apply<T>(&self, mut rows: Vec<T>, id: impl Fn(&T) -> i64) -> Vec<T> {
        let bound = |v: &Option<String>| v.as_deref().and_then(|s| s.parse::<i64>().ok());
        let (max, since, min) = (bound(&self.max_id), bound(&self.since_id), bound(&self.min_id));
        rows.retain(|r| {
            let i = id(r);
            max.is_none_or(|m| i < m) && since.is_none_or(|s| i > s) && min.is_none_or(|m| i > m)
        });
        let limit = self.limit.unwrap_or(100).clamp(1, 200);
        if min.is_some() {
            rows.sort_by_key(&id);
            rows.truncate(limit);
            rows.reverse();
        } else {
            rows.sort_by_key(|r| std::cmp::Reverse(id(r)));
            rows.truncate(limit);
        }
        rows
    }
}
