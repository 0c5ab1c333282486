//! The node's configuration. Precedence: built-in defaults, then the file
//! given with `--config`, then environment variables. Every problem is
//! reported with the key it concerns and what is expected there; the binary
//! exits with code 2 on any of them.

mod env;
pub mod mail;
pub mod media;
mod rate_limits;
mod territory;
mod validate;

use std::net::SocketAddr;

use serde::Deserialize;

use crate::account::RegistrationMode;
use crate::database_url::DatabaseUrl;

pub use env::ENV_OVERRIDES;
pub use mail::{MailConfig, SmtpUrl};
pub use media::MediaConfig;
pub use rate_limits::{Limit, RateLimitsConfig, TrustedProxy};
pub use territory::{TerritoryChange, TerritoryConfig, SETTING_PREFIX as TERRITORY_SETTING_PREFIX};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[derive(Default)]
pub struct Config {
    pub instance: InstanceConfig,
    pub http: HttpConfig,
    pub database: DatabaseConfig,
    pub log: LogConfig,
    pub registration: RegistrationConfig,
    pub territory: TerritoryConfig,
    pub federation: FederationConfig,
    pub matching: MatchingConfig,
    pub ledger: LedgerConfig,
    pub web: WebConfig,
    pub rate_limits: RateLimitsConfig,
    pub mail: MailConfig,
    pub media: MediaConfig,
}

/// The web pages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebConfig {
    /// Map tiles, as `https://…/{z}/{x}/{y}.png`; empty for maps with
    /// markers only (no tile server is then contacted).
    pub tile_url: String,
    /// Shown on the map, as the tile server asks.
    pub tile_attribution: String,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            tile_url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into(),
            tile_attribution: "© OpenStreetMap contributors".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InstanceConfig {
    /// Public host (and port, when not 443/80) under which the node is
    /// reached; part of every actor and object id, so it must not change.
    pub domain: String,
    /// Shown in `/api/v1/instance` and NodeInfo; empty for none.
    pub contact_email: String,
    /// Whether the public and hashtag timelines answer callers that are not
    /// signed in (Mastodon's "timeline preview").
    pub public_timeline_preview: bool,
}

impl Default for InstanceConfig {
    fn default() -> Self {
        InstanceConfig {
            domain: "localhost:8080".into(),
            contact_email: String::new(),
            public_timeline_preview: true,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    pub bind: String,
    pub max_body_bytes: usize,
    /// 0 means one worker per CPU core.
    pub workers: usize,
    pub shutdown_timeout_secs: u64,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            bind: "127.0.0.1:8080".into(),
            max_body_bytes: 1024 * 1024,
            workers: 0,
            shutdown_timeout_secs: 10,
        }
    }
}

impl HttpConfig {
    /// The bind address; valid once the configuration has been validated.
    pub fn bind_addr(&self) -> Option<SocketAddr> {
        self.bind.parse().ok()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    pub url: String,
    pub max_connections: u32,
    pub connect_timeout_secs: u64,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig { url: "./data/maillage.db".into(), max_connections: 8, connect_timeout_secs: 5 }
    }
}

impl DatabaseConfig {
    /// The parsed URL; valid once the configuration has been validated.
    pub fn parsed_url(&self) -> Option<DatabaseUrl> {
        DatabaseUrl::parse(&self.url).ok()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// One of trace, debug, info, warn, error. `RUST_LOG`, when set, wins.
    pub level: String,
    pub format: LogFormat,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig { level: "info".into(), format: LogFormat::Text }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RegistrationConfig {
    pub mode: RegistrationMode,
    /// New accounts confirm their e-mail address by a link before they
    /// can log in (needs `mail.smtp_url`).
    pub confirm_email: bool,
}

impl Default for RegistrationConfig {
    fn default() -> Self {
        RegistrationConfig { mode: RegistrationMode::Approval, confirm_email: false }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FederationConfig {
    /// Allows plain-http `localhost:PORT` peers and private addresses: for
    /// tests and local trials only, never in production.
    pub debug: bool,
    /// Deliveries in flight at once, all hosts together.
    pub delivery_concurrency: usize,
    /// Deliveries in flight at once to one host, so that a slow host cannot
    /// take every slot.
    pub delivery_per_host: usize,
    /// Delay before the first retry; each further retry doubles it.
    pub retry_base_secs: u64,
    /// Longest delay between two retries.
    pub retry_max_delay_secs: u64,
    /// Attempts before a delivery is given up.
    pub retry_max_attempts: u32,
    /// A host failing without a single success for this long is marked
    /// dead: nothing is sent to it until it answers or writes to us again.
    pub dead_after_hours: u64,
    /// Finished deliveries are kept this long, then pruned.
    pub delivery_retention_hours: u64,
    /// Who may read this node's domain blocks at
    /// `/api/v1/instance/domain_blocks`.
    pub show_domain_blocks: ShowDomainBlocks,
    /// How often each process checks whether an admin changed the
    /// federation policies (in any process sharing the database).
    pub policy_refresh_millis: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MatchingConfig {
    /// Listings of two territories farther apart than this never match,
    /// whatever their reach.
    pub max_between_territories_km: f64,
    /// How often the matcher looks for changed listings.
    pub poll_millis: u64,
    /// How often a person on the digest hears of their new matches.
    pub digest_interval_secs: u64,
}

/// Time-credit limits given to new accounts (admins change them per
/// account), in whole hours.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LedgerConfig {
    /// How far below zero a person's or group's balance may go.
    pub lower_limit_hours: i64,
    /// How high it may rise.
    pub upper_limit_hours: i64,
    /// How far the running balance with a linked territory may go, either
    /// way.
    pub link_limit_hours: i64,
}

impl Default for LedgerConfig {
    fn default() -> Self {
        LedgerConfig { lower_limit_hours: -20, upper_limit_hours: 200, link_limit_hours: 100 }
    }
}

impl Default for MatchingConfig {
    fn default() -> Self {
        MatchingConfig { max_between_territories_km: 100.0, poll_millis: 500, digest_interval_secs: 86_400 }
    }
}

/// Who may read the list of blocked domains, as Mastodon's setting of the
/// same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ShowDomainBlocks {
    /// Nobody: the endpoint answers 404.
    Disabled,
    /// Signed-in people only.
    Users,
    /// Anyone: neighbouring territories can see whom this one refuses.
    #[default]
    All,
}

impl Default for FederationConfig {
    fn default() -> Self {
        FederationConfig {
            debug: false,
            delivery_concurrency: 64,
            delivery_per_host: 8,
            retry_base_secs: 30,
            retry_max_delay_secs: 6 * 3600,
            retry_max_attempts: 16,
            dead_after_hours: 72,
            delivery_retention_hours: 168,
            show_domain_blocks: ShowDomainBlocks::All,
            policy_refresh_millis: 1000,
        }
    }
}

/// One problem in the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigIssue {
    /// Dotted key, e.g. `territory.latitude`.
    pub key: String,
    /// Where the value came from: the file name or the environment variable.
    pub source: String,
    pub message: String,
}

/// Every problem found, so that an admin can fix them in one go.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub issues: Vec<ConfigIssue>,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, issue) in self.issues.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "invalid configuration: `{}` ({}): {}", issue.key, issue.source, issue.message)?;
        }
        Ok(())
    }
}

/// The configuration file's name and text, when one is given.
pub struct ConfigFile<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl Config {
    /// The URLs this node mints: plain http only in federation debug mode.
    pub fn local_urls(&self) -> crate::urls::LocalUrls {
        crate::urls::LocalUrls::new(&self.instance.domain, self.federation.debug)
    }

    /// Builds the configuration from the defaults, an optional file, and the
    /// environment (looked up through `env`, so that tests need not touch the
    /// process environment).
    pub fn load(
        file: Option<ConfigFile<'_>>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let file_name = file.as_ref().map(|f| f.name.to_owned());
        let mut table = match &file {
            Some(f) => toml::from_str::<toml::Table>(f.text).map_err(|e| ConfigError {
                issues: vec![ConfigIssue {
                    key: syntax_error_key(&e),
                    source: format!("file {}", f.name),
                    message: format!("not valid TOML: {}", e.message()),
                }],
            })?,
            None => toml::Table::new(),
        };
        let env_sources = env::overlay(&mut table, env)?;
        let source_of = |key: &str| -> String {
            env_sources
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, var)| format!("environment variable {var}"))
                .or_else(|| file_name.as_ref().map(|n| format!("file {n}")))
                .unwrap_or_else(|| "default".into())
        };
        let config: Config = serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
            let (key, message) = describe_deserialize_error(&e);
            ConfigError { issues: vec![ConfigIssue { source: source_of(&key), key, message }] }
        })?;
        let issues: Vec<ConfigIssue> = validate::validate(&config)
            .into_iter()
            .map(|(key, message)| ConfigIssue { source: source_of(key), key: key.to_owned(), message })
            .collect();
        if issues.is_empty() {
            Ok(config)
        } else {
            Err(ConfigError { issues })
        }
    }
}

fn syntax_error_key(e: &toml::de::Error) -> String {
    match e.span() {
        Some(span) => format!("at bytes {}..{}", span.start, span.end),
        None => "(file)".into(),
    }
}

/// Turns serde's error into the full dotted key and a readable message. For
/// an unknown field serde's path stops at the parent table, so the field's
/// name is taken from the message and appended.
fn describe_deserialize_error(e: &serde_path_to_error::Error<toml::de::Error>) -> (String, String) {
    let mut key = e.path().to_string();
    let inner = e.inner().message().to_owned();
    if let Some(rest) = inner.strip_prefix("unknown field `") {
        if let Some((field, expected)) = rest.split_once('`') {
            let ends_with_field = key == field || key.ends_with(&format!(".{field}"));
            if key == "." || key.is_empty() {
                key = field.to_owned();
            } else if !ends_with_field {
                key = format!("{key}.{field}");
            }
            let expected = expected.trim_start_matches(", ");
            return (key, format!("unknown key; {expected}"));
        }
    }
    if key == "." {
        key = "(top level)".into();
    }
    (key, inner)
}

#[cfg(test)]
mod tests;
