//! A knowledge-exchange session's page (`/sessions/{id}`: when, where,
//! places left, "I'll come" or leaving; the participants and the waiting
//! list for its organiser), and the sessions one organises
//! (`/me/sessions`).

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::zone::Zone;
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
    /// In "my sessions": whether I organise it (then I see who comes), and
    /// my place otherwise (`going`, `waiting`).
    pub organises: bool,
    pub my_state: String,
}

fn places_text(lang: Lang, capacity: Option<i32>, going: usize) -> String {
    match capacity {
        Some(c) if going as i64 >= i64::from(c) => lang.t("session_full").to_owned(),
        Some(c) => lang.fill("places_left_of", &[&(i64::from(c) - going as i64).to_string(), &c.to_string()]),
        None => String::new(),
    }
}

fn names(conn: &mut DbConnection, s: &SessionRow, state: &str) -> Result<Vec<String>, Error> {
    Ok(cases::participants(conn, s, state)?
        .iter()
        .map(|(_, a)| format!("{} (@{}@{})", display_name(a), a.username, a.domain))
        .collect())
}

pub fn session_to_card(
    conn: &mut DbConnection,
    s: &SessionRow,
    lang: Lang,
    zone: Zone,
) -> Result<SessionLine, Error> {
    let going = names(conn, s, "going")?;
    Ok(SessionLine {
        link: format!("/sessions/{}", s.id),
        title: s.title.clone(),
        starts: lang.date_time(s.starts_at, zone),
        place: s.place_name.clone(),
        places: places_text(lang, s.capacity, going.len()),
        going,
        waiting: names(conn, s, "waiting")?,
        organises: false,
        my_state: String::new(),
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
    pub address: String,
    pub organizer: String,
    pub organizer_link: String,
    pub line: SessionLine,
    /// The visitor's place: "", `going` or `waiting`.
    pub my_state: String,
    pub organises: bool,
    pub past: bool,
    pub uri: String,
    /// Just changed by its organiser.
    pub saved: bool,
    pub photos: Vec<crate::photos::Photo>,
}

#[derive(Template)]
#[template(path = "my_sessions.html")]
pub struct MySessionsPage {
    pub frame: Frame,
    pub sessions: Vec<SessionLine>,
    /// The private address of one's calendar; empty until they ask for one.
    pub calendar_url: String,
    pub renewed: bool,
    pub cancelled: bool,
}
framed!(SessionPage, MySessionsPage);

pub async fn page(req: HttpRequest, id: web::Path<String>, state: web::Data<WebState>) -> HttpResponse {
    let (frame, visitor) = Frame::of(&req, &state).await;
    let Ok(id) = id.parse::<Id>() else { return crate::security::not_found(frame.lang) };
    let (lang, zone, user) = (frame.lang, frame.zone, visitor.user.clone());
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
            let line = session_to_card(conn, &s, lang, zone)?;
            let photos = maillage_service::media::of_post(conn, s.id)?;
            Ok::<_, Error>(Some((s, organizer, me, my_state, (line, photos))))
        })
        .await;
    let (s, organizer, me, my_state, (line, photos)) = match found {
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
        starts: lang.date_time(s.starts_at, zone),
        starts_iso: zone.local(Timestamp::from_micros(s.starts_at)).rfc3339(),
        ends: s.ends_at.map(|e| lang.date_time(e, zone)).unwrap_or_default(),
        place: s.place_name.clone(),
        address: s.place_address.clone().unwrap_or_default(),
        organizer: display_name(&organizer),
        organizer_link: organizer.url.clone().unwrap_or(organizer.ap_id.clone()),
        line,
        my_state,
        organises,
        past: s.starts_at < Timestamp::now().as_micros(),
        uri: s.ap_id.clone(),
        saved: req.query_string().split('&').any(|p| p == "saved"),
        photos: crate::photos::photos_of(&photos, &state.urls, lang),
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
    if action == "cancel" && !forms::confirmed(&sent) {
        let lang = frame.lang;
        let page = forms::ConfirmPage {
            title: lang.t("session_cancel_title").to_owned(),
            text: lang.t("session_cancel_text").to_owned(),
            action: format!("/sessions/{id}/cancel"),
            fields: Vec::new(),
            yes: lang.t("session_cancel_yes").to_owned(),
            back: format!("/sessions/{id}"),
            frame,
        };
        return forms::render(200, &page);
    }
    let (outbound, urls) = (state.outbound.clone(), state.urls.clone());
    let then =
        if action == "cancel" { "/me/sessions?cancelled".to_owned() } else { format!("/sessions/{id}") };
    let done = state
        .db
        .run(move |conn| match action.as_str() {
            "join" => cases::join(conn, outbound.as_ref(), &urls, &user, id).map(|_| ()),
            "leave" => cases::leave(conn, outbound.as_ref(), &user, id).map(|_| ()),
            "cancel" => cases::cancel(conn, outbound.as_ref(), &user, id),
            _ => Err(Error::not_found("no such action")),
        })
        .await;
    forms::then_go(frame, done, &then)
}

pub async fn mine(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::signed_in(&req, &state).await);
    let (lang, zone) = (frame.lang, frame.zone);
    let found = state
        .db
        .run(move |conn| {
            let me = actor_of_user(conn, user.id)?;
            // Sessions of the last month too, to see who came.
            let from = Timestamp::now().as_micros() - 30 * 86_400 * 1_000_000;
            let list = cases::mine(conn, me.id, from, 100)?;
            let mut cards = Vec::new();
            for s in &list {
                let mut card = session_to_card(conn, s, lang, zone)?;
                card.organises = s.organizer_id == me.id;
                if !card.organises {
                    card.my_state = cases::place_of(conn, s.id(), me.id())?;
                }
                cards.push(card);
            }
            let token = maillage_service::calendars::token_of(conn, &user)?;
            Ok::<_, Error>((cards, token))
        })
        .await;
    match found {
        Ok((sessions, token)) => {
            let calendar_url =
                token.map(|t| format!("{}/calendars/{t}.ics", state.urls.base())).unwrap_or_default();
            let said = |what: &str| req.query_string().split('&').any(|p| p == what);
            let (renewed, cancelled) = (said("renewed"), said("cancelled"));
            forms::render(200, &MySessionsPage { frame, sessions, calendar_url, renewed, cancelled })
        }
        Err(e) => forms::refused(frame, &e),
    }
}

/// `/@{name}/sessions/{id}`, the address a session's `url` gives (apps
/// link to it): the session's page.
pub async fn at_organiser(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let id = path.into_inner().1;
    match id.parse::<Id>() {
        Ok(id) => HttpResponse::MovedPermanently()
            .insert_header((actix_web::http::header::LOCATION, format!("/sessions/{id}")))
            .finish(),
        Err(_) => crate::security::not_found(state.lang(&req)),
    }
}
