//! `/@{name}/listings/{id}`: one listing's page.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::listing::ListingStatus;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::listings::ListingRow;

use crate::home::{listing_to_card, ListingCard};
use crate::i18n::{Lang, RequestLang};
use crate::security;
use crate::WebState;

#[derive(Template)]
#[template(path = "listing.html")]
pub struct ListingPage {
    pub lang: Lang,
    pub me: Option<String>,
    pub is_admin: bool,
    pub unread: i64,
    pub unseen: i64,
    pub csrf: String,
    pub territory: String,
    pub card: ListingCard,
    pub description_html: String,
    pub author: String,
    pub author_link: String,
    pub terms: String,
    pub status: String,
    pub uri: String,
    /// The visitor wrote it: an edit link instead of "I'm interested".
    pub own: bool,
    pub open: bool,
    pub edit_link: String,
    pub interest_action: String,
    pub report_action: String,
    pub login_next: String,
    pub write_link: String,
}

fn listing_to_page(
    l: &ListingRow,
    author: &ActorRow,
    lang: Lang,
    territory: &str,
    visitor: &crate::session::Visitor,
) -> ListingPage {
    let mut terms = lang.t(&format!("terms_{}", l.terms_mode)).to_owned();
    if let Some(h) = l.terms_hours {
        terms = format!("{terms} ({} h)", lang.number(h));
    }
    if let (Some(a), Some(c)) = (&l.terms_amount, &l.terms_currency) {
        terms = format!("{terms} : {a} {c}");
    }
    ListingPage {
        lang,
        me: visitor.name(),
        is_admin: visitor.is_admin(),
        unread: visitor.unread,
        unseen: visitor.unseen,
        csrf: visitor.csrf.clone(),
        territory: territory.to_owned(),
        card: listing_to_card(l, lang),
        // Sanitized when stored (local Markdown and remote HTML alike).
        description_html: l.description_html.clone(),
        author: if author.display_name.is_empty() {
            author.username.clone()
        } else {
            author.display_name.clone()
        },
        author_link: author.url.clone().unwrap_or_else(|| author.ap_id.clone()),
        terms,
        status: lang.t(&format!("status_{}", l.status)).to_owned(),
        uri: l.ap_id.clone(),
        own: visitor.user.as_ref().is_some_and(|u| author.user_id == Some(u.id.as_i64())),
        open: l.status == ListingStatus::Open,
        edit_link: format!("/@{}/listings/{}/edit", author.username, l.id),
        write_link: format!("/me/write?to={}&listing={}", author.id, l.id),
        interest_action: format!("/@{}/listings/{}/interest", author.username, l.id),
        report_action: format!("/@{}/listings/{}/report", author.username, l.id),
        login_next: format!("/%40{}/listings/{}", author.username, l.id),
    }
}

pub async fn listing_page(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let lang = state.lang(&req);
    let (name, id) = path.into_inner();
    let visitor = crate::session::visitor(&req, &state).await;
    let Ok(id) = id.parse() else { return security::not_found(lang) };
    let user = visitor.user.clone();
    let found = state
        .db
        .run(move |conn| {
            let viewer = maillage_service::actors::of_visitor(conn, user.as_ref())?;
            let Some(l) =
                maillage_service::listings::find_visible(conn, id, viewer.as_ref())?.filter(|l| l.local)
            else {
                return Ok(None);
            };
            let author = maillage_service::actors::find(conn, maillage_core::id::Id::from_i64(l.author_id))?
                .filter(|a| a.username.eq_ignore_ascii_case(&name))
                .map(|a| (l, a));
            Ok::<_, Error>(author)
        })
        .await;
    match found {
        Ok(Some((l, author))) => {
            match listing_to_page(&l, &author, lang, &state.territory().name, &visitor).render() {
                Ok(html) => security::page(html, Lang::chosen_in_query(&req).map(Lang::code)),
                Err(e) => security::render_failed(&e),
            }
        }
        Ok(None) => security::not_found(lang),
        Err(e) => security::render_failed(&e),
    }
}
