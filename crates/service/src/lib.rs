//! # maillage-service
//!
//! The use cases. Each public function takes a connection, checks its input
//! with the rules of `maillage-core`, and does its writes in one transaction
//! (later, with the activities to deliver). HTTP handlers and CLI commands
//! call exactly one of them and convert the result.
//!
//! - [`mail`]: queueing e-mail in the outbox, in the person's language,
//!   once per (recipient, event); the binary's sender takes it from there.
//! - [`account_mail`]: password reset, sign-up confirmation and e-mail
//!   change, each by a single-use link that expires.
//! - [`accounts`]: creating, registering, listing and changing local
//!   accounts (each with its Person actor); logging in with a password.
//! - [`agreements`]: "I'm interested", its answer and its fulfilment.
//! - [`client_state`]: bookmarks and reading positions of Mastodon apps.
//! - [`contributions`]: hours given to projects, confirmed by their admins.
//! - [`territory_stats`]: the territory's dashboard and its CSV.
//! - [`territory_home`]: what the territory's home page shows.
//! - [`actors`]: local actors, and the node's instance and territory actors.
//! - [`federation`]: [`federation::Outbound`], through which use cases
//!   queue what other servers must hear, inside their own transaction.
//! - [`follows`]: following, unfollowing, answering follow requests.
//! - [`groups`]: collectives, initiatives and projects, and their members.
//! - [`interactions`]: favourites and boosts.
//! - [`keys`]: RSA key pairs for local actors.
//! - [`ledger`]: time credits: confirming agreements (across territories
//!   too), corrections, limits, and `ledger verify`.
//! - [`limits`]: rate limits: failed log-ins (in the database, shared by
//!   every process), sign-ups, API writes and inbox deliveries (in memory).
//! - [`links`]: territory links (proposed, requested, active, ended).
//! - [`policy`]: federation policies (the shared snapshot and the admin
//!   use cases: mode, domain blocks and allows, CSV, content filters).
//! - [`listings`]: offers and needs: create, edit, status, delete, who may
//!   see one, and automatic expiry.
//! - [`notifications`]: a person's notifications, read and dismissed.
//! - [`my_matches`]: a person's matches seen from their side; dismiss, respond.
//! - [`matching`]: the matcher (the index kept current from the listing
//!   change log) and the matches stored once per pair.
//! - [`sessions`]: knowledge-exchange sessions, places and waiting lists.
//! - [`feeds`]: listings as Atom feeds: a search's, a group's, a person's.
//! - [`calendars`]: sessions as iCalendar: one, a group's, the territory's,
//!   and a person's own behind a private address they can revoke.
//! - [`reports`]: reports to the admins, local and from other servers.
//! - [`posts`]: writing, editing and deleting posts; who may see one.
//! - [`status_text`]: the text of a listing's or session's status view.
//! - [`territory_settings`]: the description and registration mode admins
//!   change from the admin page (the configuration until then).
//! - [`text`]: Markdown rendering, hashtags and mentions, HTML sanitizing.
//! - [`web_sessions`]: browser sessions and CSRF tokens.
//! - [`tokens`]: issuing bearer tokens and authenticating requests with them.
//! - [`password`]: argon2id hashing.
//! - [`places`]: the gazetteer (GeoNames, French communes) loaded by the
//!   admin, and what a "near" field means: a point, a postcode, a name.
//!
//! Invariant: this crate never imports the federation library or actix-web.

pub mod account_mail;
pub mod accounts;
pub mod actors;
pub mod agreements;
pub mod blocks;
pub mod calendars;
pub mod client_state;
pub mod contacts;
pub mod contributions;
pub mod conversations;
pub mod federation;
pub mod feeds;
pub mod follows;
pub mod groups;
pub mod interactions;
pub mod keys;
pub mod ledger;
pub mod limits;
pub mod links;
pub mod listings;
pub mod mail;
pub mod matching;
pub mod media;
pub mod mediation;
pub mod my_matches;
pub mod notices;
pub mod notification_mail;
pub mod notification_settings;
pub mod notifications;
pub mod oauth;
pub mod password;
pub mod places;
pub mod policy;
pub mod polls;
pub mod posts;
pub mod push;
pub mod reports;
pub mod sessions;
pub mod status_text;
pub mod territory_home;
pub mod territory_settings;
pub mod territory_stats;
pub mod text;
pub mod tokens;
pub mod web_sessions;
