//! Calendars to subscribe to (`text/calendar`): a session's, a group's,
//! the territory's, and one's own at a private address
//! (`/calendars/{secret}.ics`) that `/me/calendar/renew` replaces.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::id::Id;
use maillage_core::Error;

use crate::forms::{self, Form};
use crate::or_respond;
use crate::WebState;

fn ics(req: &HttpRequest, state: &WebState, found: Result<String, Error>, file: &str) -> HttpResponse {
    match found {
        Ok(body) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/calendar; charset=utf-8"))
            .insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"{file}.ics\"")))
            .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
            .body(body),
        Err(e) if e.kind() == maillage_core::ErrorKind::NotFound => {
            crate::security::not_found(state.lang(req))
        }
        Err(e) => crate::security::render_failed(&e),
    }
}

pub async fn session(req: HttpRequest, id: web::Path<String>, state: web::Data<WebState>) -> HttpResponse {
    let Ok(id) = id.parse::<Id>() else { return crate::security::not_found(state.lang(&req)) };
    let found = state.db.run(move |conn| maillage_service::calendars::of_session(conn, id)).await;
    ics(&req, &state, found, &format!("session-{id}"))
}

pub async fn group(req: HttpRequest, name: web::Path<String>, state: web::Data<WebState>) -> HttpResponse {
    let name = name.into_inner();
    let file = name.clone();
    let found = state.db.run(move |conn| maillage_service::calendars::of_group(conn, &name)).await;
    ics(&req, &state, found, &file)
}

pub async fn territory(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let config = state.config.clone();
    let found = state.db.run(move |conn| maillage_service::calendars::of_territory(conn, &config)).await;
    ics(&req, &state, found, "sessions")
}

pub async fn private(req: HttpRequest, file: web::Path<String>, state: web::Data<WebState>) -> HttpResponse {
    let token = file.trim_end_matches(".ics").to_owned();
    let config = state.config.clone();
    let found = state.db.run(move |conn| maillage_service::calendars::of_token(conn, &config, &token)).await;
    ics(&req, &state, found, "my-sessions")
}

/// Replaces one's private address: whoever had the old one loses it.
pub async fn renew(req: HttpRequest, sent: web::Form<Form>, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::posted(&req, &state, &sent).await);
    let done = state.db.run(move |conn| maillage_service::calendars::renew_token(conn, &user)).await;
    forms::then_go(frame, done, "/me/sessions?renewed")
}
