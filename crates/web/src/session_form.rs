//! Creating a session from the pages (`/sessions/new`, `?group=ID` to
//! hold it in a group), and changing it (`/sessions/{id}/edit`, its
//! organiser only): start and end are typed in the organiser's time zone,
//! which the session keeps so that every page, app and calendar shows the
//! hour she typed; a change is typed in the session's zone. A form with
//! problems comes back with what was typed and a message next to each
//! field.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::session::{CAPACITY_MAX, TITLE_MAX};
use maillage_core::time::Timestamp;
use maillage_core::zone::Zone;
use maillage_db::sessions::SessionRow;
use maillage_service::actors::actor_of_user;
use maillage_service::sessions::NewSession;

use crate::forms::{self, field, Form};
use crate::photo_fields::{photos_sent, PhotoFields};
use crate::uploads::posted_with_files;
use maillage_db::media::MediaRow;

/// A session's photos (as a status's: Mastodon apps show four).
const MAX_SESSION_PHOTOS: usize = maillage_service::media::MAX_STATUS_MEDIA;
use crate::frame::Frame;
use crate::framed;
use crate::i18n::Lang;
use crate::listings::{error_in, FieldErrors};
use crate::or_respond;
use crate::WebState;

/// The form's fields as typed.
#[derive(Debug, Default, Clone)]
pub struct SessionForm {
    pub title: String,
    pub description: String,
    pub starts: String,
    pub ends: String,
    pub place_name: String,
    pub place_address: String,
    pub capacity: String,
    pub group: String,
}

#[derive(Template)]
#[template(path = "session_form.html")]
pub struct SessionFormPage {
    pub frame: Frame,
    pub form: SessionForm,
    pub errors: FieldErrors,
    /// The groups she may hold it in: (id, name).
    pub groups: Vec<(String, String)>,
    /// "Times in Europe/Paris".
    pub zone_hint: String,
    pub action: String,
    /// Changing a session (its group stays).
    pub editing: bool,
    pub photos: PhotoFields,
}
framed!(SessionFormPage);

impl SessionFormPage {
    pub fn error_for(&self, name: &str) -> Option<&str> {
        error_in(&self.errors, name)
    }
}

fn form_of(sent: &[(String, String)]) -> SessionForm {
    let get = |k: &str| field(sent, k).trim().to_owned();
    SessionForm {
        title: get("title"),
        description: field(sent, "description").to_owned(),
        starts: get("starts"),
        ends: get("ends"),
        place_name: get("place_name"),
        place_address: get("place_address"),
        capacity: get("capacity"),
        group: get("group"),
    }
}

/// The session the form describes, its times read in `zone`, or its
/// problems by field in `lang` (all of them at once).
pub fn new_session_of(form: &SessionForm, zone: Zone, lang: Lang) -> Result<NewSession, FieldErrors> {
    let mut errors: FieldErrors = Vec::new();
    let mut fail = |name: &'static str| errors.push((name, lang.t(&format!("serr_{name}")).to_owned()));
    if form.title.is_empty() || form.title.chars().count() > TITLE_MAX {
        fail("title");
    }
    let starts = zone.parse_local(&form.starts);
    if starts.is_none() {
        fail("starts");
    }
    let ends = if form.ends.is_empty() { None } else { zone.parse_local(&form.ends) };
    if (!form.ends.is_empty() && ends.is_none()) || matches!((starts, ends), (Some(s), Some(e)) if e <= s) {
        fail("ends");
    }
    let capacity = if form.capacity.is_empty() {
        None
    } else {
        let c = form.capacity.parse::<i32>().ok().filter(|c| (1..=CAPACITY_MAX).contains(c));
        if c.is_none() {
            fail("capacity");
        }
        c
    };
    let group = if form.group.is_empty() {
        None
    } else {
        let g = form.group.parse::<Id>().ok();
        if g.is_none() {
            fail("group");
        }
        g
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(NewSession {
        title: form.title.clone(),
        description: form.description.clone(),
        starts_at: starts,
        ends_at: ends,
        timezone: Some(zone.name().to_owned()),
        place_name: form.place_name.clone(),
        place_address: Some(form.place_address.clone()).filter(|a| !a.is_empty()),
        latitude: None,
        longitude: None,
        capacity,
        group,
        media_ids: None,
    })
}

/// The form's field a field of the service names.
fn field_of_problem(field: &str) -> &'static str {
    match field {
        "title" => "title",
        "description" => "description",
        "starts_at" => "starts",
        "ends_at" => "ends",
        "capacity" => "capacity",
        "group_id" => "group",
        _ => "place_name",
    }
}

async fn page(
    state: &WebState,
    frame: Frame,
    user: &User,
    form: SessionForm,
    photos: &[MediaRow],
    errors: FieldErrors,
) -> SessionFormPage {
    let user = user.clone();
    let groups = state
        .db
        .run(move |conn| {
            let me = actor_of_user(conn, user.id)?;
            Ok::<_, maillage_core::Error>(
                maillage_service::groups::memberships_of(conn, me.id())?
                    .into_iter()
                    .filter(|(m, _)| m.is_accepted())
                    .map(|(_, g)| {
                        let name = if g.display_name.is_empty() {
                            g.username.clone()
                        } else {
                            g.display_name.clone()
                        };
                        (g.id.to_string(), name)
                    })
                    .collect(),
            )
        })
        .await
        .unwrap_or_default();
    let zone_hint = frame.lang.fill("sf_zone_hint", &[frame.zone.name()]);
    SessionFormPage {
        photos: PhotoFields::of(photos, state, frame.lang, &errors, MAX_SESSION_PHOTOS),
        frame,
        form,
        errors,
        groups,
        zone_hint,
        action: "/sessions/new".into(),
        editing: false,
    }
}

/// The form to change `session`, its times in `zone` (the session's).
fn edit_page(
    state: &WebState,
    frame: Frame,
    (session, zone): (&SessionRow, Zone),
    form: SessionForm,
    photos: &[MediaRow],
    errors: FieldErrors,
) -> SessionFormPage {
    let zone_hint = frame.lang.fill("sf_zone_hint", &[zone.name()]);
    SessionFormPage {
        photos: PhotoFields::of(photos, state, frame.lang, &errors, MAX_SESSION_PHOTOS),
        frame,
        form,
        errors,
        groups: Vec::new(),
        zone_hint,
        action: format!("/sessions/{}/edit", session.id),
        editing: true,
    }
}

/// The zone a session's times are typed in: its own, else the visitor's.
fn zone_of(session: &SessionRow, visitor_zone: Zone) -> Zone {
    session.timezone.as_deref().and_then(Zone::parse).unwrap_or(visitor_zone)
}

fn form_of_session(session: &SessionRow, zone: Zone) -> SessionForm {
    let local = |micros: i64| zone.local(Timestamp::from_micros(micros)).input_value();
    SessionForm {
        title: session.title.clone(),
        description: maillage_service::text::html_to_text(&session.description_html),
        starts: local(session.starts_at),
        ends: session.ends_at.map(local).unwrap_or_default(),
        place_name: session.place_name.clone(),
        place_address: session.place_address.clone().unwrap_or_default(),
        capacity: session.capacity.map(|c| c.to_string()).unwrap_or_default(),
        group: String::new(),
    }
}

async fn own(state: &WebState, user: &User, id: &str) -> Result<SessionRow, maillage_core::Error> {
    let id = id.parse::<Id>().map_err(|_| maillage_core::Error::not_found("Record not found"))?;
    let user = user.clone();
    state.db.run(move |conn| maillage_service::sessions::own(conn, &user, id)).await
}

pub async fn edit_form(req: HttpRequest, id: web::Path<String>, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::signed_in(&req, &state).await);
    match own(&state, &user, &id).await {
        Ok(session) => {
            let zone = zone_of(&session, frame.zone);
            let form = form_of_session(&session, zone);
            let sid = session.id;
            let photos = match state.db.run(move |conn| maillage_service::media::of_post(conn, sid)).await {
                Ok(p) => p,
                Err(e) => return crate::security::render_failed(&e),
            };
            forms::render(200, &edit_page(&state, frame, (&session, zone), form, &photos, Vec::new()))
        }
        Err(e) => forms::refused(frame, &e),
    }
}

pub async fn update(
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, user, sent, photos, mut errors) = match read_form(&req, payload, &state).await {
        Ok(read) => read,
        Err(page) => return page,
    };
    let session = match own(&state, &user, &id).await {
        Ok(session) => session,
        Err(e) => return forms::refused(frame, &e),
    };
    let (lang, zone) = (frame.lang, zone_of(&session, frame.zone));
    let form = SessionForm { group: String::new(), ..form_of(&sent) };
    let mut new = match new_session_of(&form, zone, lang) {
        Ok(new) if errors.is_empty() => new,
        checked => {
            errors.extend(checked.err().unwrap_or_default());
            return forms::render(422, &edit_page(&state, frame, (&session, zone), form, &photos, errors));
        }
    };
    new.media_ids = Some(photos.iter().map(|m| Id::from_i64(m.id)).collect());
    // The same place keeps the point it was given (by an app, a map).
    if new.place_name.trim() == session.place_name {
        (new.latitude, new.longitude) = (session.latitude, session.longitude);
    }
    let (outbound, who, sid) = (state.outbound.clone(), user.clone(), Id::from_i64(session.id));
    let saved = state
        .db
        .run(move |conn| maillage_service::sessions::update(conn, outbound.as_ref(), &who, sid, &new))
        .await;
    match saved {
        Ok(row) => forms::see_other(&format!("/sessions/{}?saved", row.id)),
        Err(e) if e.kind() == maillage_core::ErrorKind::Unprocessable => {
            let errors = forms::errors_of_refusal(e.message(), lang, "serr_", field_of_problem);
            forms::render(422, &edit_page(&state, frame, (&session, zone), form, &photos, errors))
        }
        Err(e) => forms::refused(frame, &e),
    }
}

pub async fn new_form(req: HttpRequest, q: web::Query<Form>, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::signed_in(&req, &state).await);
    let form = SessionForm { group: field(&q, "group").to_owned(), ..SessionForm::default() };
    let page = page(&state, frame, &user, form, &[], Vec::new()).await;
    forms::render(200, &page)
}

/// A sent session form: the visitor, its fields, its photos (uploaded),
/// and the problems with them; or the page to answer at once.
async fn read_form(
    req: &HttpRequest,
    payload: web::Payload,
    state: &WebState,
) -> Result<(Frame, User, Form, Vec<MediaRow>, FieldErrors), HttpResponse> {
    let (frame, user, sent) = posted_with_files(req, payload, state).await?;
    let mut errors = Vec::new();
    match photos_sent(state, &user, &sent, frame.lang, &mut errors, MAX_SESSION_PHOTOS).await {
        Ok(photos) => Ok((frame, user, sent.fields, photos, errors)),
        Err(e) => Err(forms::refused(frame, &e)),
    }
}

pub async fn create(req: HttpRequest, payload: web::Payload, state: web::Data<WebState>) -> HttpResponse {
    let (frame, user, sent, photos, mut errors) = match read_form(&req, payload, &state).await {
        Ok(read) => read,
        Err(page) => return page,
    };
    let form = form_of(&sent);
    let (lang, zone) = (frame.lang, frame.zone);
    let mut new = match new_session_of(&form, zone, lang) {
        Ok(new) if errors.is_empty() => new,
        checked => {
            errors.extend(checked.err().unwrap_or_default());
            return forms::render(422, &page(&state, frame, &user, form, &photos, errors).await);
        }
    };
    new.media_ids = Some(photos.iter().map(|m| Id::from_i64(m.id)).collect());
    let (outbound, urls, who) = (state.outbound.clone(), state.urls.clone(), user.clone());
    let created = state
        .db
        .run(move |conn| maillage_service::sessions::create(conn, outbound.as_ref(), &urls, &who, &new))
        .await;
    match created {
        Ok(row) => forms::see_other(&format!("/sessions/{}", row.id)),
        Err(e) if e.kind() == maillage_core::ErrorKind::Unprocessable => {
            let errors = forms::errors_of_refusal(e.message(), lang, "serr_", field_of_problem);
            forms::render(422, &page(&state, frame, &user, form, &photos, errors).await)
        }
        Err(e) => forms::refused(frame, &e),
    }
}
