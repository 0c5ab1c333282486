//! Which kinds of event a person may hear of, through which channels, and
//! what they hear by default. Each notification reason (see
//! `service::notices::REASONS`) belongs to one kind; settings are kept per
//! kind.

/// When a kind of event is e-mailed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailWhen {
    Instant,
    Daily,
    Weekly,
    Never,
}

impl EmailWhen {
    pub const ALL: [EmailWhen; 4] =
        [EmailWhen::Instant, EmailWhen::Daily, EmailWhen::Weekly, EmailWhen::Never];

    pub fn as_str(self) -> &'static str {
        match self {
            EmailWhen::Instant => "instant",
            EmailWhen::Daily => "daily",
            EmailWhen::Weekly => "weekly",
            EmailWhen::Never => "never",
        }
    }

    pub fn parse(text: &str) -> Option<EmailWhen> {
        EmailWhen::ALL.into_iter().find(|w| w.as_str() == text)
    }

    /// How long a digest of this period gathers, in microseconds; `None`
    /// for mails sent at once or never.
    pub fn period_micros(self) -> Option<i64> {
        match self {
            EmailWhen::Daily => Some(86_400_000_000),
            EmailWhen::Weekly => Some(7 * 86_400_000_000),
            EmailWhen::Instant | EmailWhen::Never => None,
        }
    }
}

/// A kind of event, as the settings page lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    pub name: &'static str,
    /// The notification reasons it covers.
    pub reasons: &'static [&'static str],
    pub default_email: EmailWhen,
    /// Only admins and moderators hear of it.
    pub staff_only: bool,
}

pub const KINDS: &[Kind] = &[
    Kind { name: "interest", reasons: &["interest"], default_email: EmailWhen::Instant, staff_only: false },
    Kind {
        name: "interest_answer",
        reasons: &["interest_accepted", "interest_declined", "exchange_done"],
        default_email: EmailWhen::Instant,
        staff_only: false,
    },
    Kind {
        name: "messages",
        reasons: &["message", "mention"],
        default_email: EmailWhen::Instant,
        staff_only: false,
    },
    Kind {
        name: "matches",
        reasons: &["match", "match_digest", "pairing"],
        default_email: EmailWhen::Daily,
        staff_only: false,
    },
    Kind {
        name: "groups",
        reasons: &["group_request", "group_accepted", "group_refused"],
        default_email: EmailWhen::Never,
        staff_only: false,
    },
    Kind {
        name: "sessions",
        reasons: &["session_joined", "session_promoted", "session_changed", "session_cancelled"],
        default_email: EmailWhen::Never,
        staff_only: false,
    },
    Kind {
        name: "ledger",
        reasons: &["ledger_confirmation"],
        default_email: EmailWhen::Never,
        staff_only: false,
    },
    Kind {
        name: "social",
        reasons: &["follow", "follow_request", "favourite", "reblog"],
        default_email: EmailWhen::Never,
        staff_only: false,
    },
    Kind { name: "reports", reasons: &["admin.report"], default_email: EmailWhen::Never, staff_only: true },
];

/// The kind a reason belongs to; an unknown reason counts as a message.
pub fn kind_of(reason: &str) -> &'static Kind {
    KINDS.iter().find(|k| k.reasons.contains(&reason)).unwrap_or(&KINDS[2])
}

pub fn kind_named(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

/// What one person chose for one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    pub app: bool,
    pub email: EmailWhen,
    /// Pushed to the person's subscribed apps and browsers (Web Push).
    pub push: bool,
}

impl Kind {
    /// Everything is in the app and pushed; some kinds are e-mailed (see
    /// `KINDS`).
    pub fn default_setting(&self) -> Setting {
        Setting { app: true, email: self.default_email, push: true }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_one_kind_and_the_defaults_are_the_agreed_ones() {
        let mut seen = std::collections::HashSet::new();
        for kind in KINDS {
            for reason in kind.reasons {
                assert!(seen.insert(*reason), "{reason} is in two kinds");
                assert_eq!(kind_of(reason).name, kind.name);
            }
        }
        let email = |k: &str| kind_named(k).map(|k| k.default_setting().email);
        assert_eq!(email("interest"), Some(EmailWhen::Instant));
        assert_eq!(email("interest_answer"), Some(EmailWhen::Instant));
        assert_eq!(email("messages"), Some(EmailWhen::Instant));
        assert_eq!(email("matches"), Some(EmailWhen::Daily));
        assert!(KINDS.iter().all(|k| k.default_setting().app));
    }

    #[test]
    fn email_choices_read_back() {
        for w in EmailWhen::ALL {
            assert_eq!(EmailWhen::parse(w.as_str()), Some(w));
        }
        assert_eq!(EmailWhen::parse("hourly"), None);
        assert_eq!(EmailWhen::Daily.period_micros(), Some(86_400_000_000));
    }
}
