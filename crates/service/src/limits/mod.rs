//! Rate limits (`[rate_limits]` of the configuration), as Mastodon and
//! GoToSocial set them:
//! - [`login`]: failed log-ins per address and per account, in the
//!   database, shared by every process of the node;
//! - [`memory`]: the limits each process counts in its own memory (where
//!   sharing matters little): sign-ups and API writes per address,
//!   inbox deliveries per server.
//!
//! The HTTP crates find the client's address
//! (`maillage_core::client_ip`) and answer 429; the counting is here.

pub mod login;
pub mod memory;

use std::net::IpAddr;

use maillage_core::client_ip::{client_ip, limit_key, IpRange};
use maillage_core::config::{Limit, RateLimitsConfig};

pub use login::{Limited, LoginFailure, LoginGate};
pub use memory::{KeyedLimiter, Verdict};

/// Place suggestions per address: a fast typist with a debounced script
/// asks a few a second for a few seconds. Not a setting: the answers are
/// cheap and cached by browsers; the limit only stops a scraper.
pub const PLACE_SUGGESTIONS: Limit = Limit::new(120, 60);

/// This process's limiters, shared by every worker thread.
pub struct Limiters {
    pub config: RateLimitsConfig,
    pub sign_up: KeyedLimiter,
    pub api_writes: KeyedLimiter,
    pub inbox: KeyedLimiter,
    /// Password-reset forms per address, and per e-mail address asked.
    pub password_reset: KeyedLimiter,
    /// Place suggestions (`/places`) per address: [`PLACE_SUGGESTIONS`].
    pub place_suggestions: KeyedLimiter,
    proxies: Vec<IpRange>,
}

impl Limiters {
    pub fn new(config: &RateLimitsConfig) -> Limiters {
        Limiters {
            config: config.clone(),
            sign_up: KeyedLimiter::new(config.sign_up_per_ip),
            api_writes: KeyedLimiter::new(config.api_writes_per_ip),
            inbox: KeyedLimiter::new(config.inbox_per_host),
            password_reset: KeyedLimiter::new(config.password_reset_per_ip),
            place_suggestions: KeyedLimiter::new(PLACE_SUGGESTIONS),
            proxies: config.proxies(),
        }
    }

    /// What a request from `peer` (with this `X-Forwarded-For`, read only
    /// from a trusted proxy) counts under.
    pub fn client_key(&self, peer: Option<IpAddr>, forwarded_for: Option<&str>) -> String {
        match peer {
            Some(peer) => limit_key(client_ip(peer, forwarded_for, &self.proxies)),
            None => "unknown".to_owned(),
        }
    }

    /// The gate of a log-in from `ip` (a limit key).
    pub fn login_gate<'a>(&'a self, ip: &'a str) -> LoginGate<'a> {
        LoginGate { limits: &self.config, ip }
    }
}
