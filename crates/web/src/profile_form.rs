//! One's public profile (`/me/profile`): the name shown, a few words
//! about oneself, an avatar and a banner — what Mastodon apps change with
//! `update_credentials`, from the pages, with no JavaScript needed.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_service::accounts::ProfileChange;

use crate::forms::{self, field};
use crate::frame::Frame;
use crate::framed;
use crate::listings::{error_in, FieldErrors};
use crate::or_respond;
use crate::photo_fields::pictures_sent;
use crate::uploads::posted_with_files;
use crate::WebState;

#[derive(Template)]
#[template(path = "profile_form.html")]
pub struct ProfileFormPage {
    pub frame: Frame,
    pub display_name: String,
    pub note: String,
    pub avatar: Option<String>,
    pub header: Option<String>,
    pub errors: FieldErrors,
    pub saved: bool,
}
framed!(ProfileFormPage);

impl ProfileFormPage {
    pub fn error_for(&self, name: &str) -> Option<&str> {
        error_in(&self.errors, name)
    }
}

async fn page_of(state: &WebState, frame: Frame, user: &maillage_core::account::User) -> ProfileFormPage {
    let id = user.id;
    let me = state.db.run(move |conn| maillage_service::actors::actor_of_user(conn, id)).await.ok();
    ProfileFormPage {
        display_name: me.as_ref().map(|m| m.display_name.clone()).unwrap_or_default(),
        note: me.as_ref().map(|m| maillage_service::text::html_to_text(&m.summary_html)).unwrap_or_default(),
        avatar: me.as_ref().and_then(|m| m.icon_url.clone()),
        header: me.as_ref().and_then(|m| m.image_url.clone()),
        errors: Vec::new(),
        saved: false,
        frame,
    }
}

pub async fn profile_form(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::signed_in(&req, &state).await);
    let mut page = page_of(&state, frame, &user).await;
    page.saved = req.query_string().split('&').any(|p| p == "saved");
    forms::render(200, &page)
}

pub async fn save_profile(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, user, sent) = match posted_with_files(&req, payload, &state).await {
        Ok(posted) => posted,
        Err(page) => return page,
    };
    let lang = frame.lang;
    let ((avatar, header), errors) = match pictures_sent(&state, &user, &sent, lang).await {
        Ok(found) => found,
        Err(failed) => return failed,
    };
    let change = ProfileChange {
        display_name: Some(field(&sent.fields, "display_name").to_owned()),
        note: Some(field(&sent.fields, "note").to_owned()),
        avatar,
        header,
        ..ProfileChange::default()
    };
    let back = |mut page: ProfileFormPage, errors: FieldErrors| {
        page.display_name = field(&sent.fields, "display_name").to_owned();
        page.note = field(&sent.fields, "note").to_owned();
        page.errors = errors;
        forms::render(422, &page)
    };
    if !errors.is_empty() {
        return back(page_of(&state, frame, &user).await, errors);
    }
    let (outbound, urls, who) = (state.outbound.clone(), state.urls.clone(), user.clone());
    let saved = state
        .db
        .run(move |conn| {
            maillage_service::accounts::update_profile(conn, outbound.as_ref(), &urls, &who, &change)
        })
        .await;
    match saved {
        Ok(_) => forms::see_other("/me/profile?saved"),
        Err(e) if e.kind() == maillage_core::ErrorKind::Unprocessable => {
            let field = if e.message().contains("note") { "note" } else { "display_name" };
            let message = lang.t(&format!("perr_{field}")).to_owned();
            back(page_of(&state, frame, &user).await, vec![(field, message)])
        }
        Err(e) => forms::refused(frame, &e),
    }
}
