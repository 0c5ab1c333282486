//! `/me/notifications`: everything a person was told, newest first, each
//! with a sentence and a link to what it is about; opening the page marks
//! them seen (the header's count is what came since).

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
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

fn name_of(a: &ActorRow) -> String {
    if a.display_name.is_empty() {
        format!("@{}@{}", a.username, a.domain)
    } else {
        a.display_name.clone()
    }
}

/// Where a notification leads: the conversation of its message, the page
/// of what it names, or the list it belongs to.
fn link_of(n: &Notification, conversation: Option<i64>) -> String {
    if let Some(c) = conversation {
        return format!("/me/conversations/{c}");
    }
    let from = n.from.url.clone().unwrap_or_else(|| n.from.ap_id.clone());
    match n.row.reason.as_str() {
        "match" | "match_digest" | "pairing" => "/me/matches".into(),
        "group_request" => "/me/groups".into(),
        "session_joined" | "session_promoted" => "/me/sessions".into(),
        "interest" | "interest_accepted" | "interest_declined" | "exchange_done" | "ledger_confirmation" => {
            "/me/listings".into()
        }
        "admin.report" => "/admin".into(),
        _ => match &n.status {
            Some(p) => p.url.clone().unwrap_or_else(|| p.ap_id.clone()),
            None => from,
        },
    }
}

pub async fn page(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (frame, visitor, user) = or_respond!(forms::signed_in(&req, &state).await);
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
                let key = format!("notif_{}", n.row.reason.replace('.', "_"));
                let text = match lang.t(&key) {
                    "" => lang.fill("notif_other", &[&name_of(&n.from)]),
                    _ => lang.fill(&key, &[&name_of(&n.from)]),
                };
                items.push(NotificationItem {
                    reason: n.row.reason.clone(),
                    text,
                    link: link_of(n, conversation),
                    excerpt: n
                        .status
                        .as_ref()
                        .map(|p| {
                            let t = maillage_service::text::html_to_text(&p.content_html);
                            let words = t.split_whitespace().collect::<Vec<_>>().join(" ");
                            match words.char_indices().nth(140) {
                                Some((at, _)) => format!("{}…", &words[..at]),
                                None => words,
                            }
                        })
                        .unwrap_or_default(),
                    when: lang.date_time(n.row.created_at),
                    new: (i as i64) < fresh,
                });
            }
            Ok::<_, Error>(items)
        })
        .await;
    match built {
        Ok(items) => forms::render(200, &NotificationsPage { frame, items }),
        Err(e) => forms::refused(frame, &e),
    }
}
