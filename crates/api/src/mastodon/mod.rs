//! Mastodon's client API: instance, sign-up, accounts, follows, statuses
//! and their threads, timelines (home, public, tag), search, and what apps
//! expect at start-up (`extras`). OAuth is in `crate::oauth`, notifications
//! in `crate::notifications`.

pub mod accounts;
pub mod auth;
pub mod entities;
pub mod extras;
pub mod instance;
pub mod params;
pub mod registration;
pub mod search;
pub mod statuses;
pub mod timelines;

pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    instance::configure(cfg);
    extras::configure(cfg);
    registration::configure(cfg);
    accounts::configure(cfg);
    statuses::configure(cfg);
    timelines::configure(cfg);
    search::configure(cfg);
}
