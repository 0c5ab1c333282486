//! Creating a group from the pages (`/groups/new`): a collective, an
//! initiative or a project, how people join, where it is. Its creator
//! becomes its admin; its admins change it at `/@{name}/edit` (all but its
//! address). A form with problems comes back with what was typed
//! and a message next to each field.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::account::User;
use maillage_db::actors::ActorRow;
use maillage_db::groups::GroupRow;
use maillage_service::groups::{NewGroup, JOIN_POLICIES, KINDS};

use crate::forms::{self, field, Form};
use crate::frame::Frame;
use crate::framed;
use crate::listings::{error_in, FieldErrors};
use crate::or_respond;
use crate::photo_fields::pictures_sent;
use crate::uploads::posted_with_files;
use crate::WebState;

#[derive(Debug, Default, Clone)]
pub struct GroupForm {
    pub display_name: String,
    pub username: String,
    pub kind: String,
    pub description: String,
    pub goals: String,
    pub place_name: String,
    pub join_policy: String,
    pub website: String,
}

#[derive(Template)]
#[template(path = "group_form.html")]
pub struct GroupFormPage {
    pub frame: Frame,
    pub form: GroupForm,
    pub errors: FieldErrors,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub policies: Vec<(&'static str, &'static str)>,
    /// "Its address will be @name@domain".
    pub username_hint: String,
    pub action: String,
    /// Changing a group: its address stays.
    pub editing: bool,
    /// Its avatar and header, when changing it.
    pub avatar: Option<String>,
    pub header: Option<String>,
}
framed!(GroupFormPage);

impl GroupFormPage {
    pub fn error_for(&self, name: &str) -> Option<&str> {
        error_in(&self.errors, name)
    }
}

fn page(state: &WebState, frame: Frame, form: GroupForm) -> GroupFormPage {
    let lang = frame.lang;
    GroupFormPage {
        frame,
        form,
        errors: Vec::new(),
        kinds: KINDS.iter().map(|k| (*k, lang.t(&format!("gkind_{k}")))).collect(),
        policies: JOIN_POLICIES.iter().map(|p| (*p, lang.t(&format!("gpolicy_{p}")))).collect(),
        username_hint: lang.fill("gf_username_hint", &[&state.config.instance.domain]),
        action: "/groups/new".into(),
        editing: false,
        avatar: None,
        header: None,
    }
}

fn edit_page(state: &WebState, frame: Frame, form: GroupForm, group: &ActorRow) -> GroupFormPage {
    let action = format!("/@{}/edit", form.username);
    let (avatar, header) = (group.icon_url.clone(), group.image_url.clone());
    GroupFormPage { action, editing: true, avatar, header, ..page(state, frame, form) }
}

fn new_group_of(form: &GroupForm) -> NewGroup {
    NewGroup {
        username: form.username.clone(),
        display_name: form.display_name.clone(),
        description: form.description.clone(),
        kind: form.kind.clone(),
        place_name: form.place_name.clone(),
        latitude: None,
        longitude: None,
        website: Some(form.website.clone()).filter(|w| !w.is_empty()),
        join_policy: form.join_policy.clone(),
        project_status: None,
        goals: form.goals.clone(),
        ..NewGroup::default()
    }
}

fn form_of(sent: &[(String, String)]) -> GroupForm {
    let get = |k: &str| field(sent, k).trim().to_owned();
    GroupForm {
        display_name: get("display_name"),
        username: get("username"),
        kind: get("kind"),
        description: field(sent, "description").to_owned(),
        goals: field(sent, "goals").to_owned(),
        place_name: get("place_name"),
        join_policy: get("join_policy"),
        website: get("website"),
    }
}

/// The form's field a field of the service names.
fn field_of_problem(field: &str) -> &'static str {
    match field {
        "username" => "username",
        "display_name" => "display_name",
        "description" => "description",
        "kind" => "kind",
        "join_policy" => "join_policy",
        "website" => "website",
        _ => "place_name",
    }
}

pub async fn new_form(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, _) = or_respond!(forms::signed_in(&req, &state).await);
    let form = GroupForm { kind: "collective".into(), join_policy: "open".into(), ..GroupForm::default() };
    forms::render(200, &page(&state, frame, form))
}

pub async fn create(req: HttpRequest, sent: web::Form<Form>, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::posted(&req, &state, &sent).await);
    let form = form_of(&sent);
    let new = new_group_of(&form);
    let urls = state.urls.clone();
    let created = state.db.run(move |conn| maillage_service::groups::create(conn, &urls, &user, &new)).await;
    match created {
        Ok(group) => forms::see_other(&format!("/@{}", group.username)),
        Err(e) if e.kind().is_client_error() => {
            let lang = frame.lang;
            let mut p = page(&state, frame, form);
            p.errors = if e.kind() == maillage_core::ErrorKind::Conflict {
                vec![("username", lang.t("gerr_username_taken").to_owned())]
            } else {
                forms::errors_of_refusal(e.message(), lang, "gerr_", field_of_problem)
            };
            forms::render(422, &p)
        }
        Err(e) => forms::refused(frame, &e),
    }
}

/// The local group `name` and its details, if `user` is one of its admins.
async fn managed(
    state: &WebState,
    user: &User,
    name: &str,
) -> Result<(ActorRow, GroupRow), maillage_core::Error> {
    let (user, name) = (user.clone(), name.to_owned());
    state
        .db
        .run(move |conn| {
            let group = maillage_service::groups::find_local(conn, &name)?
                .ok_or_else(|| maillage_core::Error::not_found("Record not found"))?;
            maillage_service::groups::managed(conn, &user, group.id())
        })
        .await
}

pub async fn edit_form(
    req: HttpRequest,
    name: web::Path<String>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::signed_in(&req, &state).await);
    match managed(&state, &user, &name).await {
        Ok((group, details)) => {
            let form = GroupForm {
                display_name: group.display_name.clone(),
                username: group.username.clone(),
                kind: details.kind.clone(),
                description: maillage_service::text::html_to_text(&group.summary_html),
                goals: details.goals.clone(),
                place_name: details.place_name.clone(),
                join_policy: details.join_policy.clone(),
                website: details.website.clone().unwrap_or_default(),
            };
            forms::render(200, &edit_page(&state, frame, form, &group))
        }
        Err(e) => forms::refused(frame, &e),
    }
}

pub async fn update(
    req: HttpRequest,
    name: web::Path<String>,
    payload: web::Payload,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, user, sent) = match posted_with_files(&req, payload, &state).await {
        Ok(posted) => posted,
        Err(page) => return page,
    };
    let (group, details) = match managed(&state, &user, &name).await {
        Ok(found) => found,
        Err(e) => return forms::refused(frame, &e),
    };
    let form = GroupForm { username: group.username.clone(), ..form_of(&sent.fields) };
    let mut new = new_group_of(&form);
    let errors;
    ((new.avatar, new.header), errors) = match pictures_sent(&state, &user, &sent, frame.lang).await {
        Ok(found) => found,
        Err(failed) => return failed,
    };
    if !errors.is_empty() {
        let mut p = edit_page(&state, frame, form, &group);
        p.errors = errors;
        return forms::render(422, &p);
    }
    new.project_status = details.project_status.clone().filter(|_| new.kind == "project");
    // The same place keeps the point it was given.
    if new.place_name.trim() == details.place_name {
        (new.latitude, new.longitude) = (details.latitude, details.longitude);
    }
    let (outbound, urls, id) = (state.outbound.clone(), state.urls.clone(), group.id());
    let saved = state
        .db
        .run(move |conn| maillage_service::groups::update(conn, outbound.as_ref(), &urls, &user, id, &new))
        .await;
    match saved {
        Ok(group) => forms::see_other(&format!("/@{}?saved", group.username)),
        Err(e) if e.kind() == maillage_core::ErrorKind::Unprocessable => {
            let lang = frame.lang;
            let mut p = edit_page(&state, frame, form, &group);
            p.errors = forms::errors_of_refusal(e.message(), lang, "gerr_", field_of_problem);
            forms::render(422, &p)
        }
        Err(e) => forms::refused(frame, &e),
    }
}
