//! `/me/notifications`: everything a person was told, newest first, each
//! with a sentence and a link to what it is about; opening the page marks
//! them seen (the header's count is what came since).

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::Error;
use maillage_service::notifications::{self, Notification};

use crate::forms;
use crate::frame::Frame;
use crate::framed;
use crate::i18n::Lang;
use crate::or_respond;
use crate::WebState;

pub struct NotificationItem {
    pub reason: String,
    pub text: String,
    pub link: String,
    pub excerpt: String,
    pub when: String,
    pub new: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
pub struct NotificationsPage {
    pub frame: Frame,
    pub items: Vec<NotificationItem>,
}
framed!(NotificationsPage);

/// Where a notification leads: a page of ours, else the status or the
/// person.
fn link_of(n: &Notification, conversation: Option<i64>) -> String {
    notifications::local_path(&n.row.reason, conversation).unwrap_or_else(|| match &n.status {
        Some(p) => p.url.clone().unwrap_or_else(|| p.ap_id.clone()),
        None => n.from.url.clone().unwrap_or_else(|| n.from.ap_id.clone()),
    })
}

pub async fn page(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (mut frame, visitor, user) = or_respond!(forms::signed_in(&req, &state).await);
    let lang: Lang = frame.lang;
    let fresh = visitor.unseen;
    let built = state
        .db
        .run(move |conn| {
            let me = maillage_service::actors::actor_of_user(conn, user.id)?;
            let found = notifications::of(conn, &me, None, 60)?;
            if let Some(newest) = found.first() {
                notifications::mark_seen(conn, &user, newest.row.id)?;
            }
            let mut items = Vec::new();
            for (i, n) in found.iter().enumerate() {
                let conversation = notifications::conversation_of(conn, n)?;
                let text = notifications::sentence(lang, &n.row.reason, &notifications::name_of(&n.from));
                items.push(NotificationItem {
                    reason: n.row.reason.clone(),
                    text,
                    link: link_of(n, conversation),
                    excerpt: n.status.as_ref().map(|p| notifications::excerpt(p, 140)).unwrap_or_default(),
                    when: lang.date_time(n.row.created_at, frame.zone),
                    new: (i as i64) < fresh,
                });
            }
            Ok::<_, Error>(items)
        })
        .await;
    match built {
        Ok(items) => {
            // Opening the page is seeing them: the header says so at once.
            frame.unseen = 0;
            forms::render(200, &NotificationsPage { frame, items })
        }
        Err(e) => forms::refused(frame, &e),
    }
}
