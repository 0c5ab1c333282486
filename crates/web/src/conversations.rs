//! A person's private conversations (`/me/conversations`), one
//! conversation with its reply form, writing to someone (from their page
//! or a listing), the contact details shared once an interest is accepted
//! (`/me/contact`), and blocking or muting a person.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::posts::PostRow;
use maillage_db::DbConnection;
use maillage_service::blocks::Kind;
use maillage_service::contacts::Contact;
use maillage_service::conversations::{self as cases, ConversationView};

use crate::forms::{self, field, Form};
use crate::frame::Frame;
use crate::framed;
use crate::i18n::Lang;
use crate::or_respond;
use crate::WebState;

pub struct ConversationItem {
    pub link: String,
    pub with: String,
    /// The avatar of the (first) other person, when they have one.
    pub avatar: Option<String>,
    pub about: String,
    pub excerpt: String,
    pub when: String,
    pub unread: bool,
}

pub struct MessageView {
    pub id: i64,
    pub author: String,
    pub author_avatar: Option<String>,
    pub author_link: String,
    pub html: String,
    pub when: String,
    pub mine: bool,
}

#[derive(Template)]
#[template(path = "conversations.html")]
pub struct ConversationsPage {
    pub frame: Frame,
    pub items: Vec<ConversationItem>,
}

#[derive(Template)]
#[template(path = "conversation.html")]
pub struct ConversationPage {
    pub frame: Frame,
    pub id: i64,
    pub with: String,
    pub about: String,
    pub about_link: String,
    pub messages: Vec<MessageView>,
}

#[derive(Template)]
#[template(path = "write.html")]
pub struct WritePage {
    pub frame: Frame,
    pub to: i64,
    pub to_name: String,
    pub listing: String,
    pub about: String,
}

#[derive(Template)]
#[template(path = "contact.html")]
pub struct ContactPage {
    pub frame: Frame,
    pub contact: Contact,
    pub email: String,
    pub saved: bool,
}
framed!(ConversationsPage, ConversationPage, WritePage, ContactPage);

fn name_of(a: &ActorRow) -> String {
    let name = if a.display_name.is_empty() { &a.username } else { &a.display_name };
    format!("{name} (@{}@{})", a.username, a.domain)
}

fn link_of(a: &ActorRow) -> String {
    a.url.clone().unwrap_or_else(|| a.ap_id.clone())
}

fn names(view: &ConversationView) -> String {
    view.others.iter().map(name_of).collect::<Vec<_>>().join(", ")
}

/// The first words of a message, as text.
fn excerpt(post: &PostRow) -> String {
    let text = maillage_service::text::html_to_text(&post.content_html);
    let words: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match words.char_indices().nth(120) {
        Some((at, _)) => format!("{}…", &words[..at]),
        None => words,
    }
}

pub async fn list_page(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::signed_in(&req, &state).await);
    let (lang, zone) = (frame.lang, frame.zone);
    let built = state
        .db
        .run(move |conn| {
            let views = cases::list(conn, &user, None, None, 40)?;
            Ok::<_, Error>(
                views
                    .iter()
                    .map(|v| ConversationItem {
                        link: format!("/me/conversations/{}", v.conversation.id),
                        with: names(v),
                        avatar: v.others.first().and_then(|o| o.icon_url.clone()),
                        about: v
                            .listing
                            .as_ref()
                            .map(|l| lang.fill("conv_about", &[&l.title]))
                            .unwrap_or_default(),
                        excerpt: v.last.as_ref().map(excerpt).unwrap_or_default(),
                        when: v
                            .last
                            .as_ref()
                            .map(|p| lang.date_time(p.published_at, zone))
                            .unwrap_or_default(),
                        unread: v.member.unread,
                    })
                    .collect(),
            )
        })
        .await;
    match built {
        Ok(items) => forms::render(200, &ConversationsPage { frame, items }),
        Err(e) => forms::refused(frame, &e),
    }
}

fn conversation_page(
    conn: &mut DbConnection,
    frame: Frame,
    user: &User,
    id: Id,
) -> Result<ConversationPage, Error> {
    let lang = frame.lang;
    let (view, posts) = cases::get(conn, user, id, 200)?;
    cases::mark_read(conn, user, id)?;
    let me = maillage_service::actors::actor_of_user(conn, user.id)?;
    let mut messages = Vec::new();
    for p in posts {
        let author = maillage_service::actors::find(conn, Id::from_i64(p.author_id))?;
        messages.push(MessageView {
            id: p.id,
            author: author.as_ref().map(name_of).unwrap_or_default(),
            author_avatar: author.as_ref().and_then(|a| a.icon_url.clone()),
            author_link: author.as_ref().map(link_of).unwrap_or_default(),
            html: p.content_html.clone(),
            when: lang.date_time(p.published_at, frame.zone),
            mine: p.author_id == me.id,
        });
    }
    Ok(ConversationPage {
        frame,
        id: view.conversation.id,
        with: lang.fill("conv_with", &[&names(&view)]),
        about: view.listing.as_ref().map(|l| l.title.clone()).unwrap_or_default(),
        about_link: view
            .listing
            .as_ref()
            .map(|l| l.url.clone().unwrap_or(l.ap_id.clone()))
            .unwrap_or_default(),
        messages,
    })
}

pub async fn page(req: HttpRequest, id: web::Path<String>, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::signed_in(&req, &state).await);
    let Ok(id) = id.parse::<Id>() else { return crate::security::not_found(frame.lang) };
    let lang = frame.lang;
    match state.db.run(move |conn| conversation_page(conn, frame, &user, id)).await {
        Ok(page) => forms::render(200, &page),
        Err(e) if e.kind() == maillage_core::ErrorKind::NotFound => crate::security::not_found(lang),
        Err(e) => crate::security::render_failed(&e),
    }
}

pub async fn reply(
    req: HttpRequest,
    id: web::Path<String>,
    sent: web::Form<Form>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::posted(&req, &state, &sent).await);
    let Ok(id) = id.parse::<Id>() else { return crate::security::not_found(frame.lang) };
    let text = field(&sent, "text").to_owned();
    let (outbound, urls) = (state.outbound.clone(), state.urls.clone());
    let done = state.db.run(move |conn| cases::reply(conn, outbound.as_ref(), &urls, &user, id, &text)).await;
    forms::then_go(frame, done, &format!("/me/conversations/{id}#last"))
}

pub async fn remove(
    req: HttpRequest,
    id: web::Path<String>,
    sent: web::Form<Form>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::posted(&req, &state, &sent).await);
    let Ok(id) = id.parse::<Id>() else { return crate::security::not_found(frame.lang) };
    let done = state.db.run(move |conn| cases::remove(conn, &user, id)).await;
    forms::then_go(frame, done, "/me/conversations")
}

/// Reports one message of a conversation one takes part in.
pub async fn report(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    sent: web::Form<Form>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::posted(&req, &state, &sent).await);
    let (Ok(id), Ok(post)) = (path.0.parse::<Id>(), path.1.parse::<Id>()) else {
        return crate::security::not_found(frame.lang);
    };
    let comment = field(&sent, "comment").to_owned();
    let done = state.db.run(move |conn| cases::report_message(conn, &user, id, post, &comment)).await;
    match done {
        Ok(_) => forms::message(frame, 200, "reported_title", "reported"),
        Err(e) => forms::refused(frame, &e),
    }
}

pub async fn write_form(req: HttpRequest, q: web::Query<Form>, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::signed_in(&req, &state).await);
    let lang = frame.lang;
    let Ok(to) = field(&q, "to").parse::<Id>() else {
        return forms::message(frame, 422, "refused_title", "err_write_to");
    };
    let listing = field(&q, "listing").parse::<Id>().ok();
    let found = state
        .db
        .run(move |conn| {
            let me = maillage_service::actors::actor_of_user(conn, user.id)?;
            let other = maillage_service::actors::find(conn, to)?
                .ok_or_else(|| Error::not_found("Record not found"))?;
            let about = match listing {
                Some(l) => Some(maillage_service::listings::get_visible(conn, l, Some(&me))?),
                None => None,
            };
            Ok::<_, Error>((other, about))
        })
        .await;
    match found {
        Ok((other, about)) => forms::render(
            200,
            &WritePage {
                frame,
                to: other.id,
                to_name: lang.fill("conv_write_to", &[&name_of(&other)]),
                listing: about.as_ref().map(|l| l.id.to_string()).unwrap_or_default(),
                about: about.map(|l| lang.fill("conv_about", &[&l.title])).unwrap_or_default(),
            },
        ),
        Err(e) if e.kind() == maillage_core::ErrorKind::NotFound => crate::security::not_found(lang),
        Err(e) => forms::refused(frame, &e),
    }
}

pub async fn write(req: HttpRequest, sent: web::Form<Form>, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::posted(&req, &state, &sent).await);
    let Ok(to) = field(&sent, "to").parse::<Id>() else {
        return forms::message(frame, 422, "refused_title", "err_write_to");
    };
    let listing = Some(field(&sent, "listing")).filter(|l| !l.is_empty()).map(str::parse::<Id>);
    let Ok(listing) = listing.transpose() else {
        return forms::message(frame, 422, "refused_title", "err_write_to");
    };
    let text = field(&sent, "text").to_owned();
    let (outbound, urls) = (state.outbound.clone(), state.urls.clone());
    let done = state
        .db
        .run(move |conn| {
            let post = cases::write_to(conn, outbound.as_ref(), &urls, &user, to, listing, &text)?;
            cases::of_post(conn, &post)
        })
        .await;
    match done {
        Ok(Some(c)) => forms::see_other(&format!("/me/conversations/{c}#last")),
        Ok(None) => forms::see_other("/me/conversations"),
        Err(e) => forms::refused(frame, &e),
    }
}

pub async fn contact_page(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::signed_in(&req, &state).await);
    let saved = req.query_string().contains("saved");
    let email = user.email.clone();
    match state.db.run(move |conn| maillage_service::contacts::get(conn, user.id)).await {
        Ok(contact) => forms::render(200, &ContactPage { frame, contact, email, saved }),
        Err(e) => forms::refused(frame, &e),
    }
}

pub async fn save_contact(
    req: HttpRequest,
    sent: web::Form<Form>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::posted(&req, &state, &sent).await);
    let contact = Contact {
        share_email: field(&sent, "share_email") == "on",
        phone: field(&sent, "phone").to_owned(),
        other: field(&sent, "other").to_owned(),
    };
    let done = state.db.run(move |conn| maillage_service::contacts::set(conn, &user, &contact)).await;
    forms::then_go(frame, done, "/me/contact?saved")
}

/// Block, unblock, mute or unmute a person, from their page.
pub async fn set_block(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    sent: web::Form<Form>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::posted(&req, &state, &sent).await);
    let (kind, on) = match path.1.as_str() {
        "block" => (Kind::Block, true),
        "unblock" => (Kind::Block, false),
        "mute" => (Kind::Mute, true),
        "unmute" => (Kind::Mute, false),
        _ => return crate::security::not_found(frame.lang),
    };
    let Ok(id) = path.0.parse::<Id>() else { return crate::security::not_found(frame.lang) };
    let back = forms::safe_next(state.urls.base(), field(&sent, "back")).ok().flatten();
    let done = state.db.run(move |conn| maillage_service::blocks::set(conn, &user, id, kind, on)).await;
    forms::then_go(frame, done, back.as_deref().unwrap_or("/me/conversations"))
}

/// Whether `lang`'s page should say the person is blocked or muted.
pub fn block_state(lang: Lang, blocking: bool, muting: bool) -> &'static str {
    match (blocking, muting) {
        (true, _) => lang.t("block_blocked"),
        (false, true) => lang.t("block_muted"),
        _ => "",
    }
}
