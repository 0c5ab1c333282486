//! A person's settings (`/me/settings`): how they hear of new matches,
//! their language and the time zone times are shown and typed in.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::zone::Zone;

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
    let mut errors = Vec::new();
    if !maillage_service::notices::PREFERENCES.contains(&notify.as_str()) {
        errors.push(("notify", lang.t("err_notify").to_owned()));
    }
    if crate::i18n::Lang::parse(&language).is_none() {
        errors.push(("language", lang.t("err_language").to_owned()));
    }
    if !timezone.trim().is_empty() && Zone::parse(&timezone).is_none() {
        errors.push(("timezone", lang.t("err_timezone").to_owned()));
    }
    if !errors.is_empty() {
        let mut page = page(frame, &state, notify, language, timezone);
        page.errors = errors;
        return forms::render(422, &page);
    }
    let id = user.id;
    let (chosen, lang_code) = (notify.clone(), language.clone());
    let done = state
        .db
        .run(move |conn| {
            maillage_service::notices::set_preference(conn, id, &chosen)?;
            maillage_service::accounts::set_language_and_zone(conn, id, &lang_code, &timezone)
        })
        .await;
    match done {
        // `lang=` keeps the language for the pages too (a cookie).
        Ok(()) => forms::see_other(&format!("/me/settings?saved&lang={}", language)),
        Err(e) => forms::refused(frame, &e),
    }
}
