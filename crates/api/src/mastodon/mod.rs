//! Mastodon's client API: instance, sign-up, accounts, follows, statuses
//! and their threads, timelines (home, public, tag), search, and what apps
//! expect at start-up (`extras`), bookmarks and markers (`client_state`), reports to the admins
//! (`reports`), direct conversations, blocks and mutes (`conversations`). OAuth is in `crate::oauth`, notifications
//! in `crate::notifications`.

pub mod accounts;
pub mod auth;
pub mod client_state;
pub mod conversations;
pub mod entities;
pub mod extras;
pub mod follows;
pub mod instance;
pub mod media;
pub mod params;
pub mod polls;
pub mod push;
pub mod registration;
pub mod reports;
pub mod search;
pub mod statuses;
pub mod timelines;

pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    instance::configure(cfg);
    extras::configure(cfg);
    reports::configure(cfg);
    client_state::configure(cfg);
    registration::configure(cfg);
    follows::configure(cfg);
    conversations::configure(cfg);
    push::configure(cfg);
    media::configure(cfg);
    polls::configure(cfg);
    search::configure(cfg);
    accounts::configure(cfg);
    statuses::configure(cfg);
    timelines::configure(cfg);
}
