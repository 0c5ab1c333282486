//! # maillage-matching
//!
//! Each node matches its own people's listings against every listing it
//! knows, local and federated: offers against needs (and "I can teach"
//! against "I want to learn"), ranked, each match with reasons people can
//! read. Pure and in memory: no database, no network, no clock (the caller
//! gives "now").
//!
//! - [`text`]: words people type, folded (case, accents), without stop
//!   words, stemmed in French and English, so that "réparation de vélos"
//!   meets "je répare les vélos" and "bike repair" meets "repairing bikes".
//! - [`rules`]: what may meet at all (sides, categories, windows, terms,
//!   reach) and the parts of the score.
//! - [`index`]: [`MatchIndex`], the incremental index (a listing added,
//!   updated or removed in one call; its matches found in one call).
//!   Candidates come from posting lists per side, category and term or
//!   tag (`postings`), visited only where they can lift a listing over
//!   the score bar, summed in a reused scratch (`accumulator`), bounded
//!   and scored best bound first until no other listing can enter the
//!   best `limit` (`score`). Every shortcut is exact: a test compares the
//!   index with scoring every listing.
//! - [`reasons`]: why two listings match, in French or English.
//!
//! Invariant: a match is symmetric. Matching A against B on one node and B
//! against A on another gives the same reasons (the score differs only by
//! each node's word statistics).

mod accumulator;
pub mod index;
mod postings;
pub mod reasons;
pub mod rules;
mod score;
pub mod text;

pub use index::{Match, MatchIndex, MatchSettings};
pub use reasons::Reason;
pub use rules::MatchListing;
