//! Listings: offers and needs of goods, services, skills, spaces, food,
//! energy, mobility… with their place, reach, time window, quantity,
//! exchange terms, visibility and lifecycle. Pure types and rules; the
//! database, the API and federation build on them.

mod validate;

use crate::text_enum::text_enum;
use crate::time::Timestamp;

pub use validate::{
    validate_draft, CheckedListing, FieldError, ListingDraft, PlaceDraft, QuantityDraft, TermsDraft,
    ADDRESS_MAX, DESCRIPTION_MAX, HOURS_MAX, PLACE_NAME_MAX, RADIUS_MAX_KM, TAGS_MAX, TAG_MAX, TITLE_MAX,
    UNIT_MAX,
};

text_enum! {
    /// Someone offers, or someone needs.
    ListingKind { Offer => "offer", Need => "need" }
}

text_enum! {
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

text_enum! {
    /// For skills and knowledge: "I can teach" or "I want to learn".
    Direction { Teach => "teach", Learn => "learn" }
}

text_enum! {
    /// How the exchange is settled.
    TermsMode { Gift => "gift", Loan => "loan", Barter => "barter", TimeCredit => "time_credit", Price => "price" }
}

text_enum! {
    /// Who sees a listing: everyone; this node and its linked territories;
    /// the author's followers; or only the author.
    ListingVisibility { Public => "public", Territory => "territory", Followers => "followers", Private => "private" }
}

text_enum! {
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

text_enum! {
    /// The order of a search without a place: the newest first, or those
    /// that expire soonest first. A search by distance is nearest first.
    #[derive(Default)]
    ListingOrder { #[default] Newest => "newest", EndingSoon => "ending_soon" }
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
