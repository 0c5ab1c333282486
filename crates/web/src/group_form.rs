//! Creating a group from the pages (`/groups/new`): a collective, an
//! initiative or a project, how people join, where it is. Its creator
//! becomes its admin. A form with problems comes back with what was typed
//! and a message next to each field.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_service::groups::{NewGroup, JOIN_POLICIES, KINDS};

use crate::forms::{self, field, Form};
use crate::frame::Frame;
use crate::framed;
use crate::listings::{error_in, FieldErrors};
use crate::or_respond;
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
    let new = NewGroup {
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
    };
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
