//! A knowledge-exchange session's page (`/sessions/{id}`: when, where,
//! places left, "I'll come" or leaving; the participants and the waiting
//! list for its organiser), and the sessions one organises
//! (`/me/sessions`).

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::sessions::SessionRow;
use maillage_db::DbConnection;
use maillage_service::actors::actor_of_user;
use maillage_service::sessions as cases;

use crate::forms::{self, Form};
use crate::frame::Frame;
use crate::framed;
use crate::group_pages::display_name;
use crate::i18n::Lang;
use crate::or_respond;
use crate::WebState;

/// A session in a list.
pub struct SessionLine {
    pub link: String,
    pub title: String,
    pub starts: String,
    pub place: String,
    /// "3 places left", "full", or "" without a capacity.
    pub places: String,
    pub going: Vec<String>,
    pub waiting: Vec<String>,
}

fn places_text(lang: Lang, capacity: Option<i32>, going: usize) -> String {
    match capacity {
        Some(c) if going as i64 >= i64::from(c) => lang.t("session_full").to_owned(),
        Some(c) => format!("{} {}", i64::from(c) - going as i64, lang.t("places_left")),
        None => String::new(),
    }
}

fn names(conn: &mut DbConnection, s: &SessionRow, state: &str) -> Result<Vec<String>, Error> {
    Ok(cases::participants(conn, s, state)?
        .iter()
        .map(|(_, a)| format!("{} (@{}@{})", display_name(a), a.username, a.domain))
        .collect())
}

pub fn session_to_card(conn: &mut DbConnection, s: &SessionRow, lang: Lang) -> Result<SessionLine, Error> {
    let going = names(conn, s, "going")?;
    Ok(SessionLine {
        link: format!("/sessions/{}", s.id),
        title: s.title.clone(),
        starts: lang.date_time(s.starts_at),
        place: s.place_name.clone(),
        places: places_text(lang, s.capacity, going.len()),
        going,
        waiting: names(conn, s, "waiting")?,
    })
}

#[derive(Template)]
#[template(path = "session.html")]
pub struct SessionPage {
    pub frame: Frame,
    pub id: i64,
    pub title: String,
    pub description_html: String,
    pub starts: String,
    pub starts_iso: String,
    pub ends: String,
    pub place: String,
    pub organizer: String,
    pub organizer_link: String,
    pub line: SessionLine,
    /// The visitor's place: "", `going` or `waiting`.
    pub my_state: String,
    pub organises: bool,
    pub past: bool,
    pub uri: String,
}

#[derive(Template)]
#[template(path = "my_sessions.html")]
pub struct MySessionsPage {
    pub frame: Frame,
    pub sessions: Vec<SessionLine>,
}
framed!(SessionPage, MySessionsPage);

pub async fn page(req: HttpRequest, id: web::Path<String>, state: web::Data<WebState>) -> HttpResponse {
    let (frame, visitor) = Frame::of(&req, &state).await;
    let Ok(id) = id.parse::<Id>() else { return crate::security::not_found(frame.lang) };
    let (lang, user) = (frame.lang, visitor.user.clone());
    let found = state
        .db
        .run(move |conn| {
            let me = maillage_service::actors::of_visitor(conn, user.as_ref())?;
            let Some(s) = cases::find_visible(conn, id, me.as_ref())?.filter(|s| s.local) else {
                return Ok(None);
            };
            let organizer = maillage_service::actors::find(conn, Id::from_i64(s.organizer_id))?
                .ok_or_else(|| Error::internal("session without organizer"))?;
            let my_state = match &me {
                Some(me) => cases::place_of(conn, s.id(), me.id())?,
                None => String::new(),
            };
            let line = session_to_card(conn, &s, lang)?;
            Ok::<_, Error>(Some((s, organizer, me, my_state, line)))
        })
        .await;
    let (s, organizer, me, my_state, line) = match found {
        Ok(Some(f)) => f,
        Ok(None) => return crate::security::not_found(lang),
        Err(e) => return forms::refused(frame, &e),
    };
    let organises = me.as_ref().is_some_and(|m| m.id == organizer.id);
    let page = SessionPage {
        id: s.id,
        title: s.title.clone(),
        // Sanitized when stored.
        description_html: s.description_html.clone(),
        starts: lang.date_time(s.starts_at),
        starts_iso: Timestamp::from_micros(s.starts_at).to_rfc3339(),
        ends: s.ends_at.map(|e| lang.date_time(e)).unwrap_or_default(),
        place: s.place_name.clone(),
        organizer: display_name(&organizer),
        organizer_link: organizer.url.clone().unwrap_or(organizer.ap_id.clone()),
        line,
        my_state,
        organises,
        past: s.starts_at < Timestamp::now().as_micros(),
        uri: s.ap_id.clone(),
        frame,
    };
    forms::render(200, &page)
}

/// "I'll come" (a place, or the waiting list when full) or leaving.
pub async fn rsvp(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    sent: web::Form<Form>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::posted(&req, &state, &sent).await);
    let (id, action) = path.into_inner();
    let Ok(id) = id.parse::<Id>() else { return crate::security::not_found(frame.lang) };
    let (outbound, urls) = (state.outbound.clone(), state.urls.clone());
    let done = state
        .db
        .run(move |conn| match action.as_str() {
            "join" => cases::join(conn, outbound.as_ref(), &urls, &user, id).map(|_| ()),
            "leave" => cases::leave(conn, outbound.as_ref(), &user, id).map(|_| ()),
            _ => Err(Error::not_found("no such action")),
        })
        .await;
    forms::then_go(frame, done, &format!("/sessions/{id}"))
}

pub async fn mine(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::signed_in(&req, &state).await);
    let lang = frame.lang;
    let found = state
        .db
        .run(move |conn| {
            let me = actor_of_user(conn, user.id)?;
            // Sessions of the last month too, to see who came.
            let from = Timestamp::now().as_micros() - 30 * 86_400 * 1_000_000;
            let list = cases::upcoming(conn, Some(me.id), None, from, 100)?;
            list.iter().map(|s| session_to_card(conn, s, lang)).collect::<Result<Vec<_>, _>>()
        })
        .await;
    match found {
        Ok(sessions) => forms::render(200, &MySessionsPage { frame, sessions }),
        Err(e) => forms::refused(frame, &e),
    }
}
