//! `/me/notifications/settings`: per kind of event, whether it shows in
//! the app and whether (and when) it is e-mailed; and the unsubscribe
//! link every notification mail carries, which works without logging in
//! (a GET shows a button, a POST — the button, or a mail client's
//! one-click per RFC 8058 — turns that kind's e-mail off).

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::notify::{self, EmailWhen};
use maillage_service::notification_settings as settings;

use crate::forms::{self, field, Form};
use crate::frame::Frame;
use crate::framed;
use crate::or_respond;
use crate::WebState;

pub struct KindRow {
    pub name: &'static str,
    pub app: bool,
    pub email: &'static str,
    pub push: bool,
}

#[derive(Template)]
#[template(path = "notification_settings.html")]
pub struct SettingsPage {
    pub frame: Frame,
    pub kinds: Vec<KindRow>,
    pub match_preference: String,
    pub choices: [&'static str; 4],
    pub mail_on: bool,
    pub saved: bool,
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
pub struct UnsubscribePage {
    pub frame: Frame,
    /// What is unsubscribed from, in the page's language.
    pub what: String,
    pub action: String,
    pub done: bool,
}
framed!(SettingsPage, UnsubscribePage);

pub async fn page(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::signed_in(&req, &state).await);
    let saved = req.query_string().contains("saved");
    let mail_on = state.config.mail.enabled();
    let read = state
        .db
        .run(move |conn| {
            let kinds = settings::of_user(conn, &user)?;
            Ok::<_, maillage_core::Error>((kinds, maillage_service::notices::preference(conn, user.id)?))
        })
        .await;
    match read {
        Ok((kinds, match_preference)) => {
            let kinds = kinds
                .into_iter()
                .map(|k| KindRow {
                    name: k.kind.name,
                    app: k.setting.app,
                    email: k.setting.email.as_str(),
                    push: k.setting.push,
                })
                .collect();
            let choices = EmailWhen::ALL.map(EmailWhen::as_str);
            forms::render(200, &SettingsPage { frame, kinds, match_preference, choices, mail_on, saved })
        }
        Err(e) => forms::refused(frame, &e),
    }
}

pub async fn save(req: HttpRequest, sent: web::Form<Form>, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::posted(&req, &state, &sent).await);
    let choices: Vec<settings::Choice> = notify::KINDS
        .iter()
        .filter(|k| !field(&sent, &format!("email_{}", k.name)).is_empty())
        .map(|k| settings::Choice {
            kind: k.name.to_owned(),
            app: field(&sent, &format!("app_{}", k.name)) == "on",
            email: field(&sent, &format!("email_{}", k.name)).to_owned(),
            push: field(&sent, &format!("push_{}", k.name)) == "on",
        })
        .collect();
    let preference = Some(field(&sent, "app_matches").to_owned()).filter(|p| !p.is_empty());
    let done = state.db.run(move |conn| settings::save(conn, user.id, &choices, preference.as_deref())).await;
    forms::then_go(frame, done, "/me/notifications/settings?saved")
}

/// A kind's name on the pages.
fn kind_label(lang: crate::i18n::Lang, kind: &str) -> &'static str {
    lang.t(&format!("notif_kind_{kind}"))
}

type LinkPath = web::Path<(String, String, String)>;

/// The kind a link names, when the link is well formed.
fn parse_link(path: &(String, String, String)) -> Option<(i64, &'static notify::Kind, String)> {
    let user = path.0.parse::<i64>().ok()?;
    let kind = notify::kind_named(&path.1)?;
    let signature = path.2.clone();
    (signature.len() == 32 && signature.bytes().all(|b| b.is_ascii_hexdigit()))
        .then_some((user, kind, signature))
}

pub async fn unsubscribe_form(req: HttpRequest, path: LinkPath, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _) = Frame::of(&req, &state).await;
    let Some((user, kind, signature)) = parse_link(&path) else {
        return forms::message(frame, 404, "unsub_title", "unsub_bad");
    };
    let action = format!("/unsubscribe/{user}/{}/{signature}", kind.name);
    let what = frame.lang.fill("unsub_confirm", &[kind_label(frame.lang, kind.name)]);
    forms::render(200, &UnsubscribePage { frame, what, action, done: false })
}

/// Turns the e-mail of one kind off. No CSRF token: the signed link is
/// the authority, and RFC 8058's mail clients post it without cookies.
pub async fn unsubscribe(req: HttpRequest, path: LinkPath, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _) = Frame::of(&req, &state).await;
    let Some((user, kind, signature)) = parse_link(&path) else {
        return forms::message(frame, 404, "unsub_title", "unsub_bad");
    };
    let name = kind.name;
    match state.db.run(move |conn| settings::unsubscribe(conn, user, name, &signature)).await {
        Ok(()) => {
            let what = kind_label(frame.lang, name).to_owned();
            forms::render(200, &UnsubscribePage { frame, what, action: String::new(), done: true })
        }
        Err(e) if e.kind() == maillage_core::error::ErrorKind::NotFound => {
            forms::message(frame, 404, "unsub_title", "unsub_bad")
        }
        Err(e) => forms::refused(frame, &e),
    }
}
