//! Local accounts: the rules a username, an e-mail address and a password
//! must follow, roles, account states and registration modes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::Error;

pub const USERNAME_MAX_CHARS: usize = 30;
pub const PASSWORD_MIN_CHARS: usize = 8;
/// Generous, but bounded so that hashing cannot be used to burn CPU.
pub const PASSWORD_MAX_BYTES: usize = 256;
pub const EMAIL_MAX_BYTES: usize = 254;
pub const DISPLAY_NAME_MAX_CHARS: usize = 100;
/// Characters of a profile's note (bio), as Mastodon allows.
pub const NOTE_MAX_CHARS: usize = 500;

/// Names that local people may not take: they would be confused with the
/// node's own actors, well-known paths or administrative mailboxes.
const RESERVED_USERNAMES: &[&str] = &[
    "admin",
    "administrator",
    "root",
    "system",
    "support",
    "help",
    "moderator",
    "mod",
    "postmaster",
    "hostmaster",
    "webmaster",
    "abuse",
    "security",
    "noreply",
    "no_reply",
    "instance",
    "instance_actor",
    "actor",
    "relay",
    "territory",
    "maillage",
    "www",
    "api",
    "oauth",
    "inbox",
    "outbox",
    "well_known",
    "nodeinfo",
    "null",
    "undefined",
];

/// A local username: `[A-Za-z0-9_]`, 1 to 30 characters (Mastodon's rule).
/// Case is kept for display; uniqueness is case-insensitive, through
/// [`Username::canonical`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    /// Checks the syntax only (no reserved-name check), e.g. for looking up
    /// an existing account.
    pub fn parse(raw: &str) -> Result<Self, Error> {
        if raw.is_empty() {
            return Err(Error::unprocessable("username must not be empty"));
        }
        if raw.chars().count() > USERNAME_MAX_CHARS {
            return Err(Error::unprocessable(format!(
                "username must be at most {USERNAME_MAX_CHARS} characters"
            )));
        }
        if !raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(Error::unprocessable(
                "username may contain only letters a-z, digits and underscores",
            ));
        }
        Ok(Username(raw.to_owned()))
    }

    /// Checks the syntax and refuses reserved names: for new accounts.
    pub fn parse_new(raw: &str) -> Result<Self, Error> {
        let name = Self::parse(raw)?;
        if is_reserved_username(&name.canonical()) {
            return Err(Error::unprocessable(format!("username \"{raw}\" is reserved")));
        }
        Ok(name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lower-case form under which uniqueness is enforced.
    pub fn canonical(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn is_reserved_username(canonical: &str) -> bool {
    RESERVED_USERNAMES.contains(&canonical)
}

/// An e-mail address, checked for shape only (delivery is the real test).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, Error> {
        let raw = raw.trim();
        let invalid = || Error::unprocessable(format!("\"{raw}\" is not a valid e-mail address"));
        if raw.len() > EMAIL_MAX_BYTES || raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = raw.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = !domain.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(invalid());
        }
        Ok(Email(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Lower-case form for case-insensitive uniqueness and login.
    pub fn canonical(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a new password against the policy; returns it unchanged.
pub fn validate_new_password(password: &str) -> Result<&str, Error> {
    if password.chars().count() < PASSWORD_MIN_CHARS {
        return Err(Error::unprocessable(format!(
            "password must be at least {PASSWORD_MIN_CHARS} characters"
        )));
    }
    if password.len() > PASSWORD_MAX_BYTES {
        return Err(Error::unprocessable(format!("password must be at most {PASSWORD_MAX_BYTES} bytes")));
    }
    Ok(password)
}

pub fn validate_display_name(name: &str) -> Result<&str, Error> {
    if name.chars().count() > DISPLAY_NAME_MAX_CHARS {
        return Err(Error::unprocessable(format!(
            "display name must be at most {DISPLAY_NAME_MAX_CHARS} characters"
        )));
    }
    if name.chars().any(|c| c.is_control()) {
        return Err(Error::unprocessable("display name must not contain control characters"));
    }
    Ok(name)
}

/// Declares a string-backed enum with `as_str`, `FromStr`, `Display` and
/// serde in its lower-case form, as the database and the config store it.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? } expected $expected:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const EXPECTED: &'static str = $expected;

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(Error::unprocessable(format!(
                        "\"{other}\" is not valid: expected {}", $expected
                    ))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// What a local account may do beyond its own content.
    Role { Member => "member", Moderator => "moderator", Admin => "admin" }
    expected "one of member, moderator, admin"
}

impl Role {
    pub fn can_moderate(self) -> bool {
        matches!(self, Role::Moderator | Role::Admin)
    }
    pub fn is_admin(self) -> bool {
        self == Role::Admin
    }
}

string_enum! {
    /// Where an account stands: `pending` waits for a moderator's approval
    /// (registration mode `approval`), `disabled` cannot log in.
    AccountState { Active => "active", Pending => "pending", Disabled => "disabled" }
    expected "one of active, pending, disabled"
}

string_enum! {
    /// Who may create an account through the API: anyone, anyone subject to
    /// a moderator's approval, or nobody (admins still can, from the CLI).
    RegistrationMode { Open => "open", Approval => "approval", Closed => "closed" }
    expected "one of open, approval, closed"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_follow_mastodon_rules() {
        for good in ["alice", "Alice_42", "a", "_", "x".repeat(30).as_str()] {
            assert!(Username::parse_new(good).is_ok(), "{good}");
        }
        for bad in ["", "al ice", "alice!", "élise", "a.b", "a-b", "x".repeat(31).as_str()] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn usernames_compare_case_insensitively() {
        let a = Username::parse("Alice").ok();
        assert_eq!(a.map(|u| u.canonical()).as_deref(), Some("alice"));
    }

    #[test]
    fn reserved_usernames_are_refused_for_new_accounts_only() {
        assert!(Username::parse_new("Admin").is_err());
        assert!(Username::parse_new("territory").is_err());
        assert!(Username::parse("admin").is_ok());
    }

    #[test]
    fn emails_are_checked_for_shape() {
        assert!(Email::parse("alice@example.org").is_ok());
        assert!(Email::parse(" Alice@Example.ORG ").is_ok_and(|e| e.canonical() == "alice@example.org"));
        for bad in
            ["", "alice", "alice@", "@example.org", "a@b", "a b@example.org", "a@exa mple.org", "a@.org"]
        {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn password_policy() {
        assert!(validate_new_password("short").is_err());
        assert!(validate_new_password("long enough").is_ok());
        assert!(validate_new_password(&"x".repeat(257)).is_err());
    }

    #[test]
    fn enums_round_trip_through_text() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().ok(), Some(*role));
        }
        assert!("superuser".parse::<Role>().is_err());
        assert_eq!("approval".parse::<RegistrationMode>().ok(), Some(RegistrationMode::Approval));
    }
}

/// A local account, as the use cases hand it around (never with its
/// password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: crate::id::Id,
    pub username: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub state: AccountState,
    pub locale: String,
    /// Their own time zone (an IANA name), or empty for the territory's.
    pub timezone: String,
    pub created_at: crate::time::Timestamp,
    pub last_login_at: Option<crate::time::Timestamp>,
}

impl User {
    /// The zone times are shown to them in: their own, else `territory`.
    pub fn zone(&self, territory: crate::zone::Zone) -> crate::zone::Zone {
        crate::zone::Zone::parse(&self.timezone).unwrap_or(territory)
    }
}
