//! Listings: offers and needs of goods, services, skills, spaces, food,
//! energy, mobility… with their place, reach, time window, quantity,
//! exchange terms, visibility and lifecycle. Pure types and rules; the
//! database, the API and federation build on them.

mod validate;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::time::Timestamp;

pub use validate::{
    validate_draft, CheckedListing, FieldError, ListingDraft, PlaceDraft, QuantityDraft, TermsDraft,
    ADDRESS_MAX, DESCRIPTION_MAX, HOURS_MAX, PLACE_NAME_MAX, RADIUS_MAX_KM, TAGS_MAX, TAG_MAX, TITLE_MAX,
    UNIT_MAX,
};

/// Declares a string enum stored and sent in snake_case.
macro_rules! listing_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The accepted values, for error messages.
            pub fn expected() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(Error::unprocessable(format!(
                        "\"{other}\" is not one of {}", Self::expected()
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

listing_enum! {
    /// Someone offers, or someone needs.
    ListingKind { Offer => "offer", Need => "need" }
}

listing_enum! {
    /// The fixed top-level categories; free hashtags refine them.
    Category {
        Food => "food",
        Goods => "goods",
        Services => "services",
        SkillsKnowledge => "skills_knowledge",
        SpacesMachines => "spaces_machines",
        Energy => "energy",
        Mobility => "mobility",
        Housing => "housing",
        Other => "other",
    }
}

listing_enum! {
    /// For skills and knowledge: "I can teach" or "I want to learn".
    Direction { Teach => "teach", Learn => "learn" }
}

listing_enum! {
    /// How the exchange is settled.
    TermsMode { Gift => "gift", Loan => "loan", Barter => "barter", TimeCredit => "time_credit", Price => "price" }
}

listing_enum! {
    /// Who sees a listing: everyone; this node and its linked territories;
    /// the author's followers; or only the author.
    ListingVisibility { Public => "public", Territory => "territory", Followers => "followers", Private => "private" }
}

listing_enum! {
    /// The lifecycle: `open → in_progress → fulfilled`, or `withdrawn` /
    /// `expired` from `open` or `in_progress`.
    ListingStatus {
        Open => "open",
        InProgress => "in_progress",
        Fulfilled => "fulfilled",
        Withdrawn => "withdrawn",
        Expired => "expired",
    }
}

impl ListingStatus {
    /// Whether a listing may move from `self` to `next`. Ended listings
    /// stay ended; an `in_progress` one may go back to `open` when the
    /// agreement falls through.
    pub fn can_move_to(self, next: ListingStatus) -> bool {
        use ListingStatus::*;
        matches!(
            (self, next),
            (Open, InProgress | Fulfilled | Withdrawn | Expired)
                | (InProgress, Open | Fulfilled | Withdrawn | Expired)
        )
    }

    pub fn is_active(self) -> bool {
        matches!(self, ListingStatus::Open | ListingStatus::InProgress)
    }
}

/// How long an open listing without an end date lives before it expires:
/// the territory's boards stay current without anyone tidying them.
pub const DEFAULT_LIFETIME: std::time::Duration = std::time::Duration::from_secs(90 * 86_400);

/// When a listing expires: at the end of its window, or after the default
/// lifetime from its publication.
pub fn expiry(published: Timestamp, available_until: Option<Timestamp>) -> Timestamp {
    available_until.unwrap_or_else(|| published.saturating_add(DEFAULT_LIFETIME))
}

#[cfg(test)]
mod tests;
