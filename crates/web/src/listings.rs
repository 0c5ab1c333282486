//! `/listings`: offers and needs with filters (kind, category, words, a
//! place and a distance) as a list and a map (the form read in
//! `search_form.rs`); `/@{name}/listings/{id}`: one listing's page
//! (`page.rs`).

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::listing::{ListingOrder, ListingStatus};
use maillage_core::zone::Zone;
use maillage_db::listings::ListingRow;
use maillage_service::listings::ListingQuery;

use crate::home::{listing_to_card, ListingCard};
use crate::i18n::{Lang, RequestLang};
use crate::security;
use crate::WebState;

mod page;
mod search_form;
pub use page::{any_listing_page, listing_page, ListingPage};
use search_form::categories;
pub use search_form::SearchForm;
pub(crate) use search_form::{read_search, ReadSearch};

/// Problems of a form: (field, message in the page's language).
pub type FieldErrors = Vec<(&'static str, String)>;

/// The message for `field`, shown next to it.
pub fn error_in<'a>(errors: &'a FieldErrors, field: &str) -> Option<&'a str> {
    errors.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
}

pub struct SearchResult {
    pub card: ListingCard,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Template)]
#[template(path = "listings.html")]
pub struct SearchPage {
    pub lang: Lang,
    pub me: Option<String>,
    pub is_admin: bool,
    pub unread: i64,
    pub unseen: i64,
    pub csrf: String,
    pub territory: String,
    pub form: SearchForm,
    /// Field name → message, shown next to the field.
    pub errors: FieldErrors,
    pub categories: Vec<(&'static str, &'static str)>,
    pub results: Vec<SearchResult>,
    pub tiles: String,
    pub attribution: String,
    pub centre: (f64, f64),
    /// "Around Die (26150), nearest first": the place the "near" field
    /// was read as.
    pub near_place: String,
    /// The choices of order: (value, label).
    pub sorts: Vec<(&'static str, &'static str)>,
    /// "Page 2", beside the links to the others.
    pub page_label: String,
    /// Links to the previous and next pages of results.
    pub previous: String,
    pub next: String,
    /// This search's Atom feed: new listings it would find.
    pub feed: String,
}

impl SearchPage {
    pub fn error_for(&self, field: &str) -> Option<&str> {
        error_in(&self.errors, field)
    }
}

pub async fn search_page(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let lang = state.lang(&req);
    let ReadSearch { form, km, near, errors } = match read_search(&req, &state, lang).await {
        Ok(read) => read,
        Err(e) => return security::render_failed(&e),
    };
    let t = &state.territory();
    let visitor = crate::session::visitor(&req, &state).await;
    let by_distance = near.is_some();
    let (limit, page_number) = form.paging(by_distance);
    let (order, zone) = (form.order(), visitor.zone(t));
    let mut page = SearchPage {
        lang,
        me: visitor.name(),
        is_admin: visitor.is_admin(),
        unread: visitor.unread,
        unseen: visitor.unseen,
        csrf: visitor.csrf.clone(),
        territory: t.name.clone(),
        form: form.clone(),
        errors,
        categories: categories(lang),
        results: Vec::new(),
        tiles: state.config.web.tile_url.clone(),
        attribution: state.config.web.tile_attribution.clone(),
        centre: near.as_ref().map_or((t.latitude, t.longitude), |(point, _)| *point),
        near_place: match &near {
            Some((_, label)) if !label.is_empty() => lang.fill("results_near", &[label]),
            _ => String::new(),
        },
        sorts: ListingOrder::ALL.iter().map(|o| (o.as_str(), lang.t(&format!("sort_{o}")))).collect(),
        page_label: lang.fill("page_number", &[&page_number.to_string()]),
        previous: String::new(),
        next: String::new(),
        feed: format!("/listings.atom?{}", form.filters()),
    };
    if page.errors.is_empty() {
        let query = ListingQuery {
            kind: form.kind.parse().ok(),
            category: form.category.parse().ok(),
            text: Some(form.q.clone()).filter(|q| !q.is_empty()),
            statuses: vec![ListingStatus::Open],
            near: near.map(|(point, _)| point),
            radius_km: km,
            order,
            limit,
            ..ListingQuery::default()
        };
        let policy = state.policy.current();
        let user = visitor.user.clone();
        let found = state
            .db
            .run(move |conn| {
                let viewer = maillage_service::actors::of_visitor(conn, user.as_ref())?;
                if query.near.is_some() {
                    maillage_service::listings::search_nearest(
                        conn,
                        &policy,
                        viewer.as_ref(),
                        &query,
                        page_number,
                    )
                } else {
                    let found = maillage_service::listings::search_paged(
                        conn,
                        &policy,
                        viewer.as_ref(),
                        &query,
                        page_number,
                    )?;
                    Ok(maillage_service::listings::Nearest {
                        listings: found.listings.into_iter().map(|l| (l, f64::NAN)).collect(),
                        more: found.more,
                    })
                }
                .and_then(|found| {
                    let ids: Vec<i64> = found.listings.iter().map(|(l, _)| l.id).collect();
                    Ok((maillage_service::media::first_photos(conn, &ids)?, found))
                })
            })
            .await;
        match found {
            Ok((thumbs, found)) => {
                let ends = order == ListingOrder::EndingSoon && !by_distance;
                page.results = found
                    .listings
                    .iter()
                    .map(|(l, km)| {
                        let mut result = result_of(l, *km, lang, ends.then_some(zone));
                        result.card.thumb =
                            thumbs.get(&l.id).and_then(|m| crate::photos::photo_of(m, &state.urls));
                        result
                    })
                    .collect();
                if page_number > 1 {
                    page.previous = form.link_to(page_number - 1);
                }
                if found.more {
                    page.next = form.link_to(page_number + 1);
                }
            }
            Err(e) => return security::render_failed(&e),
        }
    }
    let status = if page.errors.is_empty() { 200 } else { 422 };
    match page.render() {
        Ok(html) => security::page_with_status(status, html, Lang::chosen_in_query(&req).map(Lang::code)),
        Err(e) => security::render_failed(&e),
    }
}

/// A result, with its distance on its card when the search had a place,
/// and when it ends when the soonest to end come first (`zone`).
fn result_of(l: &ListingRow, km: f64, lang: Lang, ends_in: Option<Zone>) -> SearchResult {
    let mut card = listing_to_card(l, lang);
    if km.is_finite() {
        card.distance = lang.fill("card_distance", &[&lang.km((km * 10.0).round() / 10.0)]);
    }
    if let Some(zone) = ends_in {
        card.ends = lang.fill("card_until", &[&lang.date_time(l.expires_at, zone)]);
    }
    SearchResult { card, lat: l.latitude, lon: l.longitude }
}
