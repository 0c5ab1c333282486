//! `/@{name}`: a local person's or group's page with their open public
//! listings. ActivityPub clients asking for JSON are sent to the actor.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_service::listings::ListingQuery;

use crate::home::ListingCard;
use crate::i18n::{Lang, RequestLang};
use crate::security;
use crate::WebState;

#[derive(Template)]
#[template(path = "profile.html")]
pub struct ProfilePage {
    pub lang: Lang,
    pub territory: String,
    pub me: Option<String>,
    pub is_admin: bool,
    pub unread: i64,
    pub unseen: i64,
    pub csrf: String,
    pub name: String,
    pub handle: String,
    pub summary_html: String,
    pub is_group: bool,
    /// Their avatar and header picture, when they have them.
    pub avatar: Option<String>,
    pub header: Option<String>,
    pub listings: Vec<ListingCard>,
    /// The person's actor id, for writing to, blocking or muting them.
    pub actor_id: i64,
    /// The visitor is signed in and someone else: they may write, block, mute.
    pub can_write: bool,
    pub blocking: bool,
    pub muting: bool,
    pub block_state: &'static str,
    pub back: String,
    /// Their listings as an Atom feed.
    pub feed: String,
}

fn wants_activity_json(req: &HttpRequest) -> bool {
    let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or_default();
    accept.contains("application/activity+json") || accept.contains("application/ld+json")
}

pub async fn page(req: HttpRequest, path: web::Path<String>, state: web::Data<WebState>) -> HttpResponse {
    let lang = state.lang(&req);
    let lower = path.into_inner().to_lowercase();
    let visitor = crate::session::visitor(&req, &state).await;
    let user = visitor.user.clone();
    let (policy, urls) = (state.policy.current(), state.urls.clone());
    let found = state
        .db
        .run(move |conn| {
            let Some(actor) = maillage_service::actors::find_local(conn, &lower)?
                .filter(|a| matches!(a.kind.as_str(), "Person" | "Group"))
            else {
                return Ok(None);
            };
            let query = ListingQuery::open_of(&actor, 40);
            let viewer = maillage_service::actors::of_visitor(conn, user.as_ref())?;
            let found = maillage_service::listings::search(conn, &policy, viewer.as_ref(), &query)?;
            let listings = crate::home::cards_with_photos(conn, &found, lang, &urls)?;
            let held = match &viewer {
                Some(v) => maillage_service::blocks::relation(conn, v.id, actor.id)?,
                None => maillage_service::blocks::Relation::default(),
            };
            let can_write = viewer.as_ref().is_some_and(|v| v.id != actor.id) && actor.kind == "Person";
            Ok::<_, maillage_core::Error>(Some((actor, listings, held, can_write)))
        })
        .await;
    let (actor, listings, held, can_write) = match found {
        Ok(Some(found)) => found,
        Ok(None) => return security::not_found(lang),
        Err(e) => return security::render_failed(&e),
    };
    if wants_activity_json(&req) {
        return HttpResponse::Found().insert_header((header::LOCATION, actor.ap_id.clone())).finish();
    }
    if actor.kind == "Group" && actor.purpose.is_none() {
        let (frame, visitor) = crate::frame::Frame::of(&req, &state).await;
        let user = visitor.user.clone();
        let policy = state.policy.current();
        let built = state
            .db
            .run(move |conn| crate::group_pages::group_page(conn, frame, actor, user.as_ref(), &policy))
            .await;
        return match built {
            Ok(page) => match page.render() {
                Ok(html) => security::page(html, Lang::chosen_in_query(&req).map(Lang::code)),
                Err(e) => security::render_failed(&e),
            },
            Err(e) => security::render_failed(&e),
        };
    }
    let page = ProfilePage {
        lang,
        territory: state.territory().name.clone(),
        me: visitor.name(),
        is_admin: visitor.is_admin(),
        unread: visitor.unread,
        unseen: visitor.unseen,
        csrf: visitor.csrf.clone(),
        name: if actor.display_name.is_empty() { actor.username.clone() } else { actor.display_name.clone() },
        handle: format!("@{}@{}", actor.username, actor.domain),
        // Rendered from Markdown and sanitized when stored.
        summary_html: actor.summary_html.clone(),
        is_group: actor.kind == "Group",
        avatar: actor.icon_url.clone(),
        header: actor.image_url.clone(),
        listings,
        actor_id: actor.id,
        can_write,
        blocking: held.blocking,
        muting: held.muting,
        block_state: crate::conversations::block_state(lang, held.blocking, held.muting),
        back: req.path().to_owned(),
        feed: format!("/@{}/feed.atom", actor.username),
    };
    match page.render() {
        Ok(html) => security::page(html, Lang::chosen_in_query(&req).map(Lang::code)),
        Err(e) => security::render_failed(&e),
    }
}
