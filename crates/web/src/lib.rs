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
//!
//! Invariant: handlers call one use case of `maillage-service` and turn its
//! rows into view structs of their own; templates never see a row. With
//! `maillage-api`, the only crate that imports actix-web.

pub mod home;
pub mod i18n;
pub mod security;

use std::sync::Arc;

use actix_web::{web, HttpResponse};
use maillage_core::config::Config;
use maillage_db::DbPool;

/// What the pages reach.
#[derive(Clone)]
pub struct WebState {
    pub db: DbPool,
    pub config: Arc<Config>,
}

const STYLESHEET: &str = include_str!("../static/maillage.css");

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(STYLESHEET)
}

/// Registers the pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home::page)).route("/static/maillage.css", web::get().to(stylesheet));
}
