//! # maillage-core
//!
//! The bottom of the dependency graph: everything here is pure (no database,
//! no network, no files), so that every other crate can use it and every rule
//! can be unit-tested in isolation.
//!
//! - [`atom`]: Atom feeds (RFC 4287) of listings.
//! - [`error`]: the one error type, whose kind maps to an HTTP status and whose
//!   message is safe to show to clients (the cause stays in the logs).
//! - [`client_ip`]: which address a request counts under for the rate
//!   limits (the peer, or behind a trusted proxy its `X-Forwarded-For`).
//! - [`config`]: the node's configuration, parsed from TOML text and an
//!   environment map, with errors that name the offending key.
//! - [`database_url`]: which backend a database URL selects.
//! - [`fold`]: case and accent folding of words.
//! - [`html`]: text made safe inside HTML.
//! - [`notify`]: kinds of notification and where each may go.
//! - [`places`]: the gazetteer's files read (GeoNames, French communes),
//!   what a "near" field says, and which place a name means.
//! - [`post`]: who sees a post.
//! - [`push`]: the checks of a Web Push subscription.
//! - [`policy`]: federation policies (mode, domain blocks and allows,
//!   content filters) as pure functions over an admin's settings.
//! - [`geo`]: great-circle distances and bounding boxes.
//! - [`i18n`]: every string shown to people, in French and English, and
//!   numbers and dates per language.
//! - [`ical`]: sessions as iCalendar (RFC 5545), each in its own zone.
//! - [`id`]: time-ordered 64-bit identifiers (Mastodon-style snowflakes).
//! - [`ledger`]: time credits in whole minutes, who gives and who receives,
//!   forms of work, limits, and the checks of `ledger verify`.
//! - [`listing`]: offers and needs: kinds, categories, terms, visibility,
//!   lifecycle, and the checks of a submitted listing.
//! - [`session`]: the limits of a session (an event people sign up for).
//! - [`time`]: UTC timestamps stored as microseconds since the Unix epoch.
//! - [`account`]: usernames, e-mail addresses, passwords, roles and
//!   registration modes.
//! - [`urls`]: the URLs this node mints for its actors, objects and activities.
//! - [`zone`]: time zones: UTC moments as a territory's or a person's
//!   clock shows them, and local times typed in a form.
//! - [`scope`]: OAuth scopes as Mastodon defines them, and which scope grants
//!   which.

mod text_enum;

pub mod account;
pub mod atom;
pub mod client_ip;
pub mod config;
pub mod database_url;
pub mod error;
pub mod fold;
pub mod geo;
pub mod html;
pub mod i18n;
pub mod ical;
pub mod id;
pub mod ledger;
pub mod listing;
pub mod notify;
pub mod places;
pub mod policy;
pub mod poll;
pub mod post;
pub mod push;
pub mod scope;
pub mod session;
pub mod time;
pub mod urls;
pub mod zone;

pub use error::{Error, ErrorKind, Result};
