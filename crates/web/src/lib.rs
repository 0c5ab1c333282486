//! # maillage-web
//!
//! The pages people open in a browser, rendered on the server (askama),
//! usable without JavaScript, in French and English.
//!
//! - [`i18n`]: choosing the language of a page, every string in both
//!   languages, numbers, distances and dates per language.
//! - [`security`]: the headers every page carries (Content-Security-Policy
//!   and friends).
//! - [`home`]: the territory's home page.
//! - [`listings`]: searching listings (filters, a map) and a listing's page.
//! - [`profile`]: a local person's or group's page.
//! - [`session`], [`auth`]: browser sessions (HttpOnly cookie), CSRF
//!   tokens on every form, log in, sign up, log out.
//! - [`assets`]: the stylesheet, the map script and Leaflet, from the binary.
//!
//! Invariant: handlers call one use case of `maillage-service` and turn its
//! rows into view structs of their own; templates never see a row. With
//! `maillage-api`, the only crate that imports actix-web.

pub mod assets;
pub mod auth;
pub mod home;
pub mod i18n;
pub mod listings;
pub mod profile;
pub mod security;
pub mod session;

use std::sync::Arc;

use actix_web::web;
use maillage_core::config::Config;
use maillage_db::DbPool;
use maillage_service::policy::PolicyHandle;

/// What the pages reach.
#[derive(Clone)]
pub struct WebState {
    pub db: DbPool,
    pub config: Arc<Config>,
    /// The federation policy in force, for what searches may show.
    pub policy: Arc<PolicyHandle>,
}

impl WebState {
    /// The language of a page for this request.
    pub fn lang(&self, req: &actix_web::HttpRequest) -> i18n::Lang {
        i18n::Lang::of_request(req, self.config.territory.default_language())
    }
}

/// Registers the pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home::page))
        .route("/listings", web::get().to(listings::search_page))
        .route("/@{name}/listings/{id}", web::get().to(listings::listing_page))
        .route("/@{name}", web::get().to(profile::page))
        .route("/login", web::get().to(auth::login_form))
        .route("/login", web::post().to(auth::log_in))
        .route("/logout", web::post().to(auth::log_out))
        .route("/signup", web::get().to(auth::signup_form))
        .route("/signup", web::post().to(auth::sign_up));
    assets::configure(cfg);
}
