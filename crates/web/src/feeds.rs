//! Atom feeds of listings for feed readers: a person's or a group's
//! (`/@{name}/feed.atom`) and a search's (`/listings.atom?…`, the same
//! filters as `/listings`).

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::atom::AtomFeed;
use maillage_core::time::Timestamp;

use crate::WebState;

pub fn atom(feed: &AtomFeed) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(feed.to_xml(Timestamp::now()))
}

pub async fn of_actor(req: HttpRequest, name: web::Path<String>, state: web::Data<WebState>) -> HttpResponse {
    let lang = state.lang(&req);
    let name = name.into_inner();
    let policy = state.policy.current();
    let found = state
        .db
        .run(move |conn| {
            let Some((actor, rows)) = maillage_service::feeds::of_actor(conn, &policy, &name)? else {
                return Ok(None);
            };
            let entries = maillage_service::feeds::entries(conn, &rows, lang)?;
            Ok::<_, maillage_core::Error>(Some((actor, entries)))
        })
        .await;
    match found {
        Ok(Some((actor, entries))) => {
            let base = state.urls.base();
            let title = if actor.display_name.is_empty() {
                actor.username.clone()
            } else {
                actor.display_name.clone()
            };
            atom(&AtomFeed {
                id: format!("{base}/@{}/feed.atom", actor.username),
                title: format!("{title} · {}", state.config.territory.name),
                self_url: format!("{base}/@{}/feed.atom", actor.username),
                page_url: format!("{base}/@{}", actor.username),
                lang: lang.code().to_owned(),
                entries,
            })
        }
        Ok(None) => crate::security::not_found(lang),
        Err(e) => crate::security::render_failed(&e),
    }
}
