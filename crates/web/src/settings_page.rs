//! A person's settings (`/me/settings`): how they hear of new matches,
//! their language and the time zone times are shown and typed in.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::zone::Zone;
use maillage_service::accounts::PersonalSettings;

use crate::forms::{self, field, Form};
use crate::frame::Frame;
use crate::framed;
use crate::or_respond;
use crate::WebState;

#[derive(Template)]
#[template(path = "settings.html")]
pub struct SettingsPage {
    pub frame: Frame,
    pub notify: String,
    pub language: String,
    /// The person's own zone, empty for the territory's.
    pub timezone: String,
    /// "The territory's (Europe/Paris)".
    pub territory_zone_label: String,
    pub zones: Vec<&'static str>,
    pub errors: Vec<(&'static str, String)>,
    pub saved: bool,
}
framed!(SettingsPage);

impl SettingsPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }
}

fn page(frame: Frame, state: &WebState, notify: String, language: String, timezone: String) -> SettingsPage {
    SettingsPage {
        territory_zone_label: frame
            .lang
            .fill("settings_timezone_territory", &[state.territory().zone().name()]),
        frame,
        notify,
        language,
        timezone,
        zones: Zone::names().collect(),
        errors: Vec::new(),
        saved: false,
    }
}

pub async fn settings_page(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::signed_in(&req, &state).await);
    let id = user.id;
    match state.db.run(move |conn| maillage_service::notices::preference(conn, id)).await {
        Ok(notify) => {
            let mut page = page(frame, &state, notify, user.locale.clone(), user.timezone.clone());
            page.saved = req.query_string().split('&').any(|p| p == "saved");
            forms::render(200, &page)
        }
        Err(e) => forms::refused(frame, &e),
    }
}

pub async fn save_settings(
    req: HttpRequest,
    sent: web::Form<Form>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::posted(&req, &state, &sent).await);
    let lang = frame.lang;
    let notify = field(&sent, "notify").to_owned();
    // A form without these (an older page) keeps what was chosen.
    let language = Some(field(&sent, "language").to_owned())
        .filter(|l| !l.is_empty())
        .or_else(|| crate::i18n::Lang::parse(&user.locale).map(|l| l.code().to_owned()))
        .unwrap_or_else(|| lang.code().to_owned());
    let timezone = if sent.iter().any(|(k, _)| k == "timezone") {
        field(&sent, "timezone").to_owned()
    } else {
        user.timezone.clone()
    };
    let id = user.id;
    let (chosen, lang_code, zone) = (notify.clone(), language.clone(), timezone.clone());
    let done = state
        .db
        .run(move |conn| {
            let sent = PersonalSettings { notify: &chosen, language: &lang_code, timezone: &zone };
            maillage_service::accounts::save_settings(conn, id, &sent)
        })
        .await;
    match done {
        // `lang=` keeps the language for the pages too (a cookie).
        Ok(()) => forms::see_other(&format!("/me/settings?saved&lang={}", language)),
        Err(e) if e.kind() == maillage_core::ErrorKind::Unprocessable => {
            let errors = forms::errors_of_refusal(e.message(), lang, "err_", field_of);
            let mut page = page(frame, &state, notify, language, timezone);
            page.errors = errors;
            forms::render(422, &page)
        }
        Err(e) => forms::refused(frame, &e),
    }
}

/// The form's field a problem of the use case names.
fn field_of(name: &str) -> &'static str {
    match name {
        "language" => "language",
        "timezone" => "timezone",
        _ => "notify",
    }
}
