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
//! - [`listing_form`]: creating and editing a listing, with a place picker.
//! - [`places`]: `/places?q=`, suggestions of towns for a "near" field.
//! - [`mine`]: one's listings and the agreements on them, one's matches
//!   with their reasons.
//! - [`calendars`]: sessions as iCalendar to subscribe to, and one's
//!   private calendar address.
//! - [`feeds`]: Atom feeds of a person's, a group's or a search's listings.
//! - [`group_form`]: creating a group.
//! - [`session_form`]: proposing a session, its times in one's zone.
//! - [`settings_page`]: how one hears of matches, one's language and time
//!   zone.
//! - [`profile`]: a local person's or group's page.
//! - [`report`]: reporting a listing to the admins.
//! - [`admin`]: federation mode, domain blocks and allows (CSV), territory
//!   links, people and registrations, territory settings.
//! - [`group_pages`]: a group's page, joining, members, the mediators'
//!   queue, one's groups.
//! - [`session_pages`]: a session's page with places and "I'll come", the
//!   sessions one organises with participants and waiting list.
//! - [`frame`], [`forms`]: what every page and every form handler shares.
//! - [`session`], [`auth`]: browser sessions (HttpOnly cookie), CSRF
//!   tokens on every form, log in, sign up, log out.
//! - [`mail_pages`]: forgotten password, new password, sign-up
//!   confirmation and change of address, by the links sent by e-mail.
//! - [`oauth_page`]: `/oauth/authorize`, the site's log-in or a consent,
//!   for apps.
//! - [`stats_page`]: the territory's dashboard (exchanges, hours, forms of
//!   work, balances with linked territories).
//! - [`assets`]: the stylesheet, the map script and Leaflet, from the binary.
//!
//! Invariant: handlers call one use case of `maillage-service` and turn its
//! rows into view structs of their own; templates never see a row. With
//! `maillage-api`, the only crate that imports actix-web.

pub mod admin;
pub mod assets;
pub mod auth;
pub mod calendars;
pub mod conversations;
pub mod feeds;
pub mod forms;
pub mod frame;
pub mod group_form;
pub mod group_pages;
pub mod home;
pub mod i18n;
pub mod listing_form;
pub mod listings;
pub mod mail_pages;
pub mod mine;
pub mod notification_settings_page;
pub mod notifications_page;
pub mod oauth_page;
pub mod photo_fields;
pub mod photos;
pub mod places;
pub mod profile;
pub mod profile_form;
pub mod report;
pub mod security;
pub mod session;
pub mod session_form;
pub mod session_pages;
pub mod settings_page;
pub mod stats_page;
pub mod uploads;

use std::sync::Arc;

use actix_web::web;
use maillage_core::config::Config;
use maillage_core::urls::LocalUrls;
use maillage_db::DbPool;
use maillage_service::federation::{Directory, Outbound};
use maillage_service::limits::Limiters;
use maillage_service::policy::PolicyHandle;

/// What the pages reach.
#[derive(Clone)]
pub struct WebState {
    pub db: DbPool,
    pub config: Arc<Config>,
    /// The federation policy in force, for what searches may show.
    pub policy: Arc<PolicyHandle>,
    /// The territory in force, as admins changed it.
    pub territory: Arc<maillage_service::territory_settings::TerritoryHandle>,
    /// What use cases publish through (deliveries to other nodes).
    pub outbound: Arc<dyn Outbound>,
    /// Resolves other territories for the admin pages.
    pub directory: Arc<dyn Directory>,
    pub urls: Arc<LocalUrls>,
    /// This process's rate limits, shared with the API (sign-ups count
    /// once whichever door they come through).
    pub limits: Arc<Limiters>,
    /// Where photos are processed and kept.
    pub media: maillage_service::media::MediaDesk,
}

impl WebState {
    /// The language of a page for this request.
    pub fn lang(&self, req: &actix_web::HttpRequest) -> i18n::Lang {
        <i18n::Lang as i18n::RequestLang>::of_request(req, self.territory().default_language())
    }

    /// The territory in force: its name, centre, radius, languages, time
    /// zone and currency as admins set them (the configuration's until then).
    pub fn territory(&self) -> Arc<maillage_core::config::TerritoryConfig> {
        self.territory.current()
    }
}

/// Registers the pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home::page))
        .route("/listings", web::get().to(listings::search_page))
        .route("/listings.atom", web::get().to(feeds::search))
        .route("/places", web::get().to(places::suggestions))
        .route("/listings/new", web::get().to(listing_form::new_form))
        .route("/listings/new", web::post().to(listing_form::create))
        .route("/@{name}/listings/{id}", web::get().to(listings::listing_page))
        .route("/listings/{id}", web::get().to(listings::any_listing_page))
        .route("/@{name}/sessions/{id}", web::get().to(session_pages::at_organiser))
        .route("/@{name}/edit", web::get().to(group_form::edit_form))
        .route("/@{name}/edit", web::post().to(group_form::update))
        .route("/sessions/{id}/edit", web::get().to(session_form::edit_form))
        .route("/sessions/{id}/edit", web::post().to(session_form::update))
        .route("/@{name}/listings/{id}/edit", web::get().to(listing_form::edit_form))
        .route("/@{name}/listings/{id}/edit", web::post().to(listing_form::update))
        .route("/@{name}/listings/{id}/interest", web::post().to(mine::interest))
        .route("/@{name}/listings/{id}/report", web::post().to(report::report_listing))
        .route("/me/listings", web::get().to(mine::listings_page))
        .route("/me/listings/{id}/status", web::post().to(mine::set_status))
        .route("/me/agreements/{id}/answer", web::post().to(mine::answer))
        .route("/me/matches", web::get().to(mine::matches_page))
        .route("/me/matches/{id}/{action}", web::post().to(mine::act_on_match))
        .route("/me/conversations", web::get().to(conversations::list_page))
        .route("/me/conversations/{id}", web::get().to(conversations::page))
        .route("/me/conversations/{id}", web::post().to(conversations::reply))
        .route("/me/conversations/{id}/remove", web::post().to(conversations::remove))
        .route("/me/conversations/{id}/report/{post}", web::post().to(conversations::report))
        .route("/me/write", web::get().to(conversations::write_form))
        .route("/me/write", web::post().to(conversations::write))
        .route("/me/notifications", web::get().to(notifications_page::page))
        .route("/me/notifications/settings", web::get().to(notification_settings_page::page))
        .route("/me/notifications/settings", web::post().to(notification_settings_page::save))
        .route(
            "/unsubscribe/{user}/{kind}/{signature}",
            web::get().to(notification_settings_page::unsubscribe_form),
        )
        .route(
            "/unsubscribe/{user}/{kind}/{signature}",
            web::post().to(notification_settings_page::unsubscribe),
        )
        .route("/me/contact", web::get().to(conversations::contact_page))
        .route("/me/contact", web::post().to(conversations::save_contact))
        .route("/me/people/{id}/{action}", web::post().to(conversations::set_block))
        .route("/me/profile", web::get().to(profile_form::profile_form))
        .route("/me/profile", web::post().to(profile_form::save_profile))
        .route("/me/settings", web::get().to(settings_page::settings_page))
        .route("/me/settings", web::post().to(settings_page::save_settings))
        .route("/@{name}", web::get().to(profile::page))
        .route("/@{name}/mediation", web::get().to(group_pages::mediation_page))
        .route("/@{name}/mediation/{pairing}/{decision}", web::post().to(group_pages::mediate))
        .route("/@{name}/{action}", web::post().to(group_pages::act))
        .route("/groups/new", web::get().to(group_form::new_form))
        .route("/groups/new", web::post().to(group_form::create))
        .route("/sessions/new", web::get().to(session_form::new_form))
        .route("/sessions/{id}/calendar.ics", web::get().to(calendars::session))
        .route("/calendar.ics", web::get().to(calendars::territory))
        .route("/calendars/{file}", web::get().to(calendars::private))
        .route("/me/calendar/renew", web::post().to(calendars::renew))
        .route("/@{name}/calendar.ics", web::get().to(calendars::group))
        .route("/@{name}/feed.atom", web::get().to(feeds::of_actor))
        .route("/sessions/new", web::post().to(session_form::create))
        .route("/sessions/{id}", web::get().to(session_pages::page))
        .route("/sessions/{id}/{action}", web::post().to(session_pages::rsvp))
        .route("/me/groups", web::get().to(group_pages::my_groups))
        .route("/me/sessions", web::get().to(session_pages::mine))
        .route("/oauth/authorize", web::get().to(oauth_page::show))
        .route("/oauth/authorize", web::post().to(oauth_page::submit))
        .route("/territory/stats", web::get().to(stats_page::page))
        .route("/login", web::get().to(auth::login_form))
        .route("/login", web::post().to(auth::log_in))
        .route("/logout", web::post().to(auth::log_out))
        .route("/signup", web::get().to(auth::signup_form))
        .route("/signup", web::post().to(auth::sign_up))
        .route("/signup/confirm/{secret}", web::get().to(mail_pages::confirm_signup_form))
        .route("/signup/confirm/{secret}", web::post().to(mail_pages::confirm_signup))
        .route("/password/forgot", web::get().to(mail_pages::forgot_form))
        .route("/password/forgot", web::post().to(mail_pages::forgot))
        .route("/password/reset/{secret}", web::get().to(mail_pages::reset_form))
        .route("/password/reset/{secret}", web::post().to(mail_pages::reset))
        .route("/me/email", web::get().to(mail_pages::email_form))
        .route("/me/email", web::post().to(mail_pages::change_email))
        .route("/me/email/confirm/{secret}", web::get().to(mail_pages::confirm_email_form))
        .route("/me/email/confirm/{secret}", web::post().to(mail_pages::confirm_email));
    admin::configure(cfg);
    assets::configure(cfg);
}
