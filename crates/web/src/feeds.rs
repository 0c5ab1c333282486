//! Atom feeds of listings for feed readers: a person's or a group's
//! (`/@{name}/feed.atom`) and a search's (`/listings.atom?…`, the same
//! filters as `/listings`).

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::atom::AtomFeed;
use maillage_core::time::Timestamp;

use maillage_core::listing::ListingStatus;
use maillage_service::listings::ListingQuery;

use crate::listings::{read_search, ReadSearch};
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
                title: format!("{title} · {}", state.territory().name),
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

/// A search as a feed: the newest open listings it finds (any filters of
/// `/listings`), so that a reader tells of new ones. A bad filter is a 422
/// naming it.
pub async fn search(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let lang = state.lang(&req);
    let ReadSearch { form, km, near, errors } = match read_search(&req, &state, lang).await {
        Ok(read) => read,
        Err(e) => return crate::security::render_failed(&e),
    };
    if !errors.is_empty() {
        let text: Vec<String> = errors.iter().map(|(field, message)| format!("{field}: {message}")).collect();
        return HttpResponse::UnprocessableEntity()
            .content_type("text/plain; charset=utf-8")
            .body(text.join("\n"));
    }
    let query = ListingQuery {
        kind: form.kind.parse().ok(),
        category: form.category.parse().ok(),
        text: Some(form.q.clone()).filter(|q| !q.is_empty()),
        statuses: vec![ListingStatus::Open],
        near: near.as_ref().map(|(point, _)| *point),
        radius_km: km,
        ..ListingQuery::default()
    };
    let policy = state.policy.current();
    let found = state
        .db
        .run(move |conn| {
            let rows = maillage_service::feeds::search(conn, &policy, &query)?;
            maillage_service::feeds::entries(conn, &rows, lang)
        })
        .await;
    match found {
        Ok(entries) => {
            let base = state.urls.base();
            let filters = form.filters();
            let mut title = lang.t("search_title").to_owned();
            if let Some((_, place)) = near.as_ref().filter(|(_, place)| !place.is_empty()) {
                title = format!("{title} · {}", lang.fill("results_near", &[place]));
            }
            atom(&AtomFeed {
                id: format!("{base}/listings.atom?{filters}"),
                title: format!("{title} · {}", state.territory().name),
                self_url: format!("{base}/listings.atom?{filters}"),
                page_url: format!("{base}/listings?{filters}"),
                lang: lang.code().to_owned(),
                entries,
            })
        }
        Err(e) => crate::security::render_failed(&e),
    }
}
