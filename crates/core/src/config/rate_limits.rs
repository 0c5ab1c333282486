//! `[rate_limits]`: how much one address, one account or one server may
//! ask in a window, as Mastodon and GoToSocial count it.

use std::time::Duration;

use serde::Deserialize;

use crate::client_ip::IpRange;

/// At most `max` in any `window_secs` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub max: u32,
    pub window_secs: u64,
}

impl Limit {
    pub const fn new(max: u32, window_secs: u64) -> Limit {
        Limit { max, window_secs }
    }

    pub fn window(&self) -> Duration {
        Duration::from_secs(self.window_secs)
    }
}

/// A proxy address or network, read from its text (`10.0.0.0/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct TrustedProxy(pub IpRange);

impl TryFrom<String> for TrustedProxy {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        IpRange::parse(&text).map(TrustedProxy)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimitsConfig {
    /// Reverse proxies whose `X-Forwarded-For` names the client; anyone
    /// else's is ignored.
    pub trusted_proxies: Vec<TrustedProxy>,
    /// Failed log-ins from one address (web, OAuth's password grant and
    /// authorize form), shared by every process of the node.
    pub login_per_ip: Limit,
    /// Failed log-ins on one account, from anywhere.
    pub login_per_account: Limit,
    /// Sign-ups from one address (web and `POST /api/v1/accounts`).
    pub sign_up_per_ip: Limit,
    /// Writes to the API (POST, PUT, PATCH, DELETE under `/api/`) from one
    /// address.
    pub api_writes_per_ip: Limit,
    /// Activities delivered to the inboxes by one server.
    pub inbox_per_host: Limit,
    /// "Forgot your password?" forms from one address, and mails asked
    /// for one e-mail address (so nobody can flood a mailbox).
    pub password_reset_per_ip: Limit,
}

impl Default for RateLimitsConfig {
    fn default() -> Self {
        RateLimitsConfig {
            trusted_proxies: Vec::new(),
            login_per_ip: Limit::new(25, 300),
            login_per_account: Limit::new(25, 3600),
            sign_up_per_ip: Limit::new(10, 1800),
            api_writes_per_ip: Limit::new(300, 300),
            inbox_per_host: Limit::new(10_000, 300),
            password_reset_per_ip: Limit::new(5, 900),
        }
    }
}

impl RateLimitsConfig {
    /// The trusted proxies as ranges.
    pub fn proxies(&self) -> Vec<IpRange> {
        self.trusted_proxies.iter().map(|p| p.0).collect()
    }

    /// Each limit with the keys of its two values, for the checks.
    pub(super) fn named(&self) -> [(&'static str, &'static str, Limit); 6] {
        [
            ("rate_limits.login_per_ip.max", "rate_limits.login_per_ip.window_secs", self.login_per_ip),
            (
                "rate_limits.login_per_account.max",
                "rate_limits.login_per_account.window_secs",
                self.login_per_account,
            ),
            ("rate_limits.sign_up_per_ip.max", "rate_limits.sign_up_per_ip.window_secs", self.sign_up_per_ip),
            (
                "rate_limits.api_writes_per_ip.max",
                "rate_limits.api_writes_per_ip.window_secs",
                self.api_writes_per_ip,
            ),
            ("rate_limits.inbox_per_host.max", "rate_limits.inbox_per_host.window_secs", self.inbox_per_host),
            (
                "rate_limits.password_reset_per_ip.max",
                "rate_limits.password_reset_per_ip.window_secs",
                self.password_reset_per_ip,
            ),
        ]
    }
}
