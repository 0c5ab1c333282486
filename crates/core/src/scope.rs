//! OAuth scopes, as Mastodon defines them: top-level scopes (`read`, `write`,
//! `follow`, `push`, `profile`, `admin:read`, `admin:write`) and granular ones
//! (`read:statuses`, `admin:write:domain_blocks`…). A broader scope grants
//! every granular scope under it; the deprecated `follow` grants the
//! follow, block and mute scopes.

use std::collections::BTreeSet;
use std::fmt;

use crate::error::Error;

const TOP_LEVEL: &[&str] = &["read", "write", "follow", "push", "profile", "admin:read", "admin:write"];

const READ: &[&str] = &[
    "accounts",
    "blocks",
    "bookmarks",
    "favourites",
    "filters",
    "follows",
    "lists",
    "mutes",
    "notifications",
    "search",
    "statuses",
    // Maillage's own resources.
    "listings",
    "matches",
    "ledger",
];

const WRITE: &[&str] = &[
    "accounts",
    "blocks",
    "bookmarks",
    "conversations",
    "favourites",
    "filters",
    "follows",
    "lists",
    "media",
    "mutes",
    "notifications",
    "reports",
    "statuses",
    "listings",
    "matches",
    "ledger",
];

const ADMIN: &[&str] = &[
    "accounts",
    "reports",
    "domain_allows",
    "domain_blocks",
    "ip_blocks",
    "email_domain_blocks",
    "canonical_email_blocks",
    "territory_links",
];

const FOLLOW_GRANTS: &[&str] =
    &["read:blocks", "read:follows", "read:mutes", "write:blocks", "write:follows", "write:mutes"];

/// Every scope a token may carry, top-level first (for OAuth metadata).
pub fn all_scopes() -> Vec<String> {
    let mut out: Vec<String> = TOP_LEVEL.iter().map(|s| (*s).to_owned()).collect();
    out.extend(READ.iter().map(|s| format!("read:{s}")));
    out.extend(WRITE.iter().map(|s| format!("write:{s}")));
    out.extend(ADMIN.iter().map(|s| format!("admin:read:{s}")));
    out.extend(ADMIN.iter().map(|s| format!("admin:write:{s}")));
    out
}

fn is_known(scope: &str) -> bool {
    if TOP_LEVEL.contains(&scope) {
        return true;
    }
    let granular =
        |prefix: &str, list: &[&str]| scope.strip_prefix(prefix).is_some_and(|rest| list.contains(&rest));
    granular("read:", READ)
        || granular("write:", WRITE)
        || granular("admin:read:", ADMIN)
        || granular("admin:write:", ADMIN)
}

/// A set of granted scopes, always valid.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scopes(BTreeSet<String>);

impl Scopes {
    /// Parses a space-separated list (the OAuth form). Unknown scopes are an
    /// error, as on Mastodon; duplicates are folded; an empty list is refused.
    pub fn parse(raw: &str) -> Result<Self, Error> {
        let mut set = BTreeSet::new();
        for scope in raw.split([' ', '+', ',']).filter(|s| !s.is_empty()) {
            if !is_known(scope) {
                return Err(Error::bad_request(format!("unknown scope \"{scope}\"")));
            }
            set.insert(scope.to_owned());
        }
        if set.is_empty() {
            return Err(Error::bad_request("at least one scope is required"));
        }
        Ok(Scopes(set))
    }

    /// Whether these scopes grant `required` (itself a known scope).
    pub fn grants(&self, required: &str) -> bool {
        self.0.iter().any(|granted| {
            granted == required
                || required.strip_prefix(granted.as_str()).is_some_and(|rest| rest.starts_with(':'))
                || (granted == "follow" && FOLLOW_GRANTS.contains(&required))
        })
    }

    /// Whether these scopes grant at least one of `required`.
    pub fn grants_any(&self, required: &[&str]) -> bool {
        required.iter().any(|r| self.grants(r))
    }

    /// Whether every scope in `other` is granted by these: a token may not
    /// ask for more than its application was registered with.
    pub fn covers(&self, other: &Scopes) -> bool {
        other.0.iter().all(|s| self.grants(s))
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let joined: Vec<&str> = self.iter().collect();
        f.write_str(&joined.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(raw: &str) -> Scopes {
        match Scopes::parse(raw) {
            Ok(s) => s,
            Err(e) => unreachable!("{raw}: {e}"),
        }
    }

    #[test]
    fn broad_scopes_grant_their_granular_forms() {
        let s = scopes("read write");
        assert!(s.grants("read:statuses"));
        assert!(s.grants("write:media"));
        assert!(!s.grants("admin:read:accounts"));
        assert!(!s.grants("push"));
    }

    #[test]
    fn granular_scopes_grant_only_themselves() {
        let s = scopes("read:statuses");
        assert!(s.grants("read:statuses"));
        assert!(!s.grants("read:accounts"));
        assert!(!s.grants("read"));
    }

    #[test]
    fn prefix_must_end_at_a_colon() {
        // "read" must not grant a hypothetical "readers" scope.
        let s = scopes("read");
        assert!(!s.grants("readers"));
    }

    #[test]
    fn follow_grants_relationship_scopes() {
        let s = scopes("follow");
        assert!(s.grants("write:follows"));
        assert!(s.grants("read:blocks"));
        assert!(!s.grants("write:statuses"));
    }

    #[test]
    fn admin_scopes() {
        let s = scopes("admin:read");
        assert!(s.grants("admin:read:domain_blocks"));
        assert!(!s.grants("admin:write:domain_blocks"));
        assert!(!s.grants("read:statuses"));
    }

    #[test]
    fn parsing_refuses_unknown_and_empty() {
        assert!(Scopes::parse("read wrte").is_err());
        assert!(Scopes::parse("  ").is_err());
        assert!(Scopes::parse("read:everything").is_err());
        assert_eq!(scopes("write read read").to_string(), "read write");
        assert_eq!(scopes("read+write").to_string(), "read write");
    }

    #[test]
    fn covers_checks_subsets() {
        assert!(scopes("read write follow").covers(&scopes("read:accounts write")));
        assert!(!scopes("read").covers(&scopes("read write")));
    }
}
