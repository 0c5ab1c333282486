//! The part of Mastodon's client API that federation needs today: accounts,
//! follows, statuses, timelines and search. Issue "Mastodon client API"
//! completes it (OAuth, instance, notifications…).

pub mod accounts;
pub mod auth;
pub mod entities;
pub mod instance;
pub mod params;
pub mod registration;
pub mod search;
pub mod statuses;
pub mod timelines;

pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    instance::configure(cfg);
    registration::configure(cfg);
    accounts::configure(cfg);
    statuses::configure(cfg);
    timelines::configure(cfg);
    search::configure(cfg);
}
