//! Federation policies, as pure functions over a snapshot the admin
//! configured: who this node federates with ([`FederationMode`], domain
//! blocks and allows, with GoToSocial's precedence), how strictly
//! ([`Severity`] and the `reject_*` flags, as Mastodon admins know them), and
//! which content is kept ([`content`] filters).
//!
//! A snapshot answers [`FederationPolicy::rule_for`] in O(labels of the
//! host), whatever the number of blocks: lookups are hash probes on the host
//! and each of its parent domains.

pub mod blocklist_csv;
pub mod content;
mod domain;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::Error;

pub use content::{ContentFilter, ContentFilters, ContentVerdict, FilterAction, FilterKind, ObjectView};
pub use domain::{candidates as patterns_covering, host_of_url, normalize_domain, DomainPattern};

/// Who the node federates with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FederationMode {
    /// Every domain; blocks and allows are kept but not applied.
    Open,
    /// Every domain but the blocked ones; an explicit allow overrides a block.
    #[default]
    Blocklist,
    /// Only the allowed domains; a block wins over an allow.
    Allowlist,
}

impl FederationMode {
    pub fn as_str(self) -> &'static str {
        match self {
            FederationMode::Open => "open",
            FederationMode::Blocklist => "blocklist",
            FederationMode::Allowlist => "allowlist",
        }
    }
}

impl FromStr for FederationMode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "open" => Ok(FederationMode::Open),
            "blocklist" => Ok(FederationMode::Blocklist),
            "allowlist" => Ok(FederationMode::Allowlist),
            other => Err(Error::unprocessable(format!(
                "\"{other}\" is not a federation mode: expected open, blocklist or allowlist"
            ))),
        }
    }
}

impl fmt::Display for FederationMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How hard a domain block bites. Mastodon's API calls `Limit` "silence".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Refuse everything, cut follows both ways, purge what was cached.
    Suspend,
    /// Accept, but keep out of public timelines, territory announces and
    /// matching unless a local person follows the author.
    Limit,
    /// Only the `reject_*` flags apply.
    Noop,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Suspend => "suspend",
            Severity::Limit => "limit",
            Severity::Noop => "noop",
        }
    }

    /// The name Mastodon's admin API and CSV files use.
    pub fn as_mastodon(self) -> &'static str {
        match self {
            Severity::Suspend => "suspend",
            Severity::Limit => "silence",
            Severity::Noop => "noop",
        }
    }
}

impl FromStr for Severity {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "suspend" => Ok(Severity::Suspend),
            "limit" | "silence" => Ok(Severity::Limit),
            "noop" | "none" => Ok(Severity::Noop),
            other => Err(Error::unprocessable(format!(
                "\"{other}\" is not a severity: expected suspend, limit (or silence) or noop"
            ))),
        }
    }
}

/// One domain block as the admin entered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainBlock {
    pub pattern: DomainPattern,
    pub severity: Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub private_comment: String,
    pub public_comment: String,
    pub obfuscate: bool,
}

impl DomainBlock {
    /// The domain as shown to the public: with `obfuscate`, the middle of
    /// the name is starred (dots kept), as Mastodon shows it.
    pub fn public_domain(&self) -> String {
        obfuscated(self.pattern.as_str(), self.obfuscate)
    }
}

/// `domain` with its middle starred when `obfuscate` is set: a quarter of
/// the characters stays visible at each end, and every dot.
pub fn obfuscated(domain: &str, obfuscate: bool) -> String {
    if !obfuscate {
        return domain.to_owned();
    }
    let chars: Vec<char> = domain.chars().collect();
    let keep = chars.len() / 4;
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| if i > keep && i + keep < chars.len() && c != '.' { '*' } else { c })
        .collect()
}

/// What the policy says about one remote host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DomainRule {
    /// Nothing from or to this host: no inbox, no fetch, no delivery.
    pub refused: bool,
    pub limited: bool,
    pub reject_media: bool,
    pub reject_reports: bool,
}

/// Everything the admins configured, read once and shared by every request.
#[derive(Debug, Clone, Default)]
pub struct FederationPolicy {
    pub mode: FederationMode,
    blocks: HashMap<DomainPattern, DomainBlock>,
    allows: HashSet<DomainPattern>,
    pub filters: ContentFilters,
    /// This node's own domain, which no rule applies to.
    local: Option<String>,
}

impl FederationPolicy {
    pub fn new(
        mode: FederationMode,
        blocks: Vec<DomainBlock>,
        allows: Vec<DomainPattern>,
        filters: ContentFilters,
    ) -> FederationPolicy {
        FederationPolicy {
            mode,
            blocks: blocks.into_iter().map(|b| (b.pattern.clone(), b)).collect(),
            allows: allows.into_iter().collect(),
            filters,
            local: None,
        }
    }

    /// The same policy, knowing this node's own domain: in allowlist mode
    /// its own URLs are not refused.
    pub fn with_local_domain(mut self, domain: &str) -> FederationPolicy {
        self.local = Some(domain.to_ascii_lowercase());
        self
    }

    pub fn block_count(&self) -> usize {
        self.blocks.len()
    }

    /// Whether some stored remote content may have to be hidden: a domain is
    /// limited, or only allowed domains federate.
    pub fn hides_anything(&self) -> bool {
        match self.mode {
            FederationMode::Open => false,
            FederationMode::Blocklist => self.blocks.values().any(|b| b.severity != Severity::Noop),
            FederationMode::Allowlist => true,
        }
    }

    /// Whether content from `host` stays out of public timelines, listing
    /// searches and matching unless a local person follows its author:
    /// limited domains, and refused ones whose content is still stored.
    pub fn keeps_out_of_public(&self, host: &str) -> bool {
        let rule = self.rule_for(host);
        rule.limited || rule.refused
    }

    /// The most specific block covering `host`, if any.
    pub fn block_for(&self, host: &str) -> Option<&DomainBlock> {
        domain::candidates(host).find_map(|p| self.blocks.get(&p))
    }

    fn is_allowed(&self, host: &str) -> bool {
        domain::candidates(host).any(|p| self.allows.contains(&p))
    }

    /// What applies to `host` (a domain, with its port when it has one).
    pub fn rule_for(&self, host: &str) -> DomainRule {
        if self.local.as_deref().is_some_and(|l| l.eq_ignore_ascii_case(host)) {
            return DomainRule::default();
        }
        let block = || self.block_for(host);
        let graded = |b: &DomainBlock| DomainRule {
            refused: b.severity == Severity::Suspend,
            limited: b.severity == Severity::Limit,
            reject_media: b.reject_media,
            reject_reports: b.reject_reports,
        };
        match self.mode {
            FederationMode::Open => DomainRule::default(),
            FederationMode::Blocklist => {
                if self.is_allowed(host) {
                    DomainRule::default()
                } else {
                    block().map(graded).unwrap_or_default()
                }
            }
            FederationMode::Allowlist => {
                let mut rule = block().map(graded).unwrap_or_default();
                if !self.is_allowed(host) {
                    rule.refused = true;
                }
                rule
            }
        }
    }

    /// Whether anything at all may be exchanged with `host`.
    pub fn federates_with(&self, host: &str) -> bool {
        !self.rule_for(host).refused
    }

    /// The same, for the host of a URL; a URL without a host is refused.
    pub fn federates_with_url(&self, url: &str) -> bool {
        host_of_url(url).is_some_and(|h| self.federates_with(&h))
    }
}

#[cfg(test)]
mod tests;
