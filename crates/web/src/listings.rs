//! `/listings`: offers and needs with filters (kind, category, words, a
//! place and a distance) as a list and a map; `/@{name}/listings/{id}`:
//! one listing's page.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::listing::{Category, ListingStatus};
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::listings::ListingRow;
use maillage_service::listings::{ListingQuery, NEAREST_CAP};
use maillage_service::places::Near;

use crate::home::{listing_to_card, ListingCard};
use crate::i18n::{Lang, RequestLang};
use crate::security;
use crate::WebState;

/// What the visitor typed, kept to fill the form again.
#[derive(Debug, Default, Clone)]
pub struct SearchForm {
    pub kind: String,
    pub category: String,
    pub q: String,
    pub near: String,
    pub km: String,
    /// Results per page (1 to 100), 100 when not given.
    pub limit: String,
    /// From 1; pages exist when results are sorted by distance.
    pub page: String,
}

pub struct SearchResult {
    pub card: ListingCard,
    pub lat: f64,
    pub lon: f64,
}

/// The most results a page shows.
const PAGE_MAX: i64 = 100;

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
    /// Links to the previous and next pages of results by distance.
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

fn form_of(req: &HttpRequest) -> SearchForm {
    let pairs: Vec<(String, String)> = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default();
    let get = |k: &str| {
        pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default()
    };
    SearchForm {
        kind: get("kind"),
        category: get("category"),
        q: get("q"),
        near: get("near"),
        km: get("km"),
        limit: get("limit"),
        page: get("page"),
    }
}

impl SearchForm {
    /// The results per page and the page asked for; out of range or not a
    /// number reads as the default, as a search link with a stale page
    /// still shows something.
    fn paging(&self) -> (i64, u32) {
        let limit = self.limit.parse::<i64>().ok().filter(|l| (1..=PAGE_MAX).contains(l)).unwrap_or(PAGE_MAX);
        let last = u32::try_from(NEAREST_CAP / limit).unwrap_or(1).max(1);
        (limit, self.page.parse::<u32>().ok().filter(|p| (1..=last).contains(p)).unwrap_or(1))
    }

    /// This search's filters as a query string (no paging): for its feed.
    pub(crate) fn filters(&self) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in [
            ("kind", &self.kind),
            ("category", &self.category),
            ("q", &self.q),
            ("near", &self.near),
            ("km", &self.km),
        ] {
            if !value.is_empty() {
                query.append_pair(key, value);
            }
        }
        query.finish()
    }

    /// This search's link at page `page`.
    fn link_to(&self, page: u32) -> String {
        let mut query = url::form_urlencoded::Serializer::for_suffix(self.filters(), 0);
        if !self.limit.is_empty() {
            query.append_pair("limit", &self.limit);
        }
        query.append_pair("page", &page.to_string());
        format!("/listings?{}", query.finish())
    }
}

/// Problems of a form: (field, message in the page's language).
pub type FieldErrors = Vec<(&'static str, String)>;

/// The message for `field`, shown next to it.
pub fn error_in<'a>(errors: &'a FieldErrors, field: &str) -> Option<&'a str> {
    errors.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
}

/// The form checked: each problem named by its field, in the page's
/// language. The "near" field is read by the gazetteer, later.
fn check(form: &SearchForm, lang: Lang, default_km: f64) -> (f64, FieldErrors) {
    let mut errors = Vec::new();
    if !form.kind.is_empty() && !matches!(form.kind.as_str(), "offer" | "need") {
        errors.push(("kind", lang.t("err_kind").to_owned()));
    }
    if !form.category.is_empty() && form.category.parse::<Category>().is_err() {
        errors.push(("category", lang.t("err_category").to_owned()));
    }
    let km = if form.km.is_empty() {
        default_km
    } else {
        match form.km.replace(',', ".").parse::<f64>() {
            Ok(k) if k.is_finite() && k > 0.0 && k <= 2000.0 => k,
            _ => {
                errors.push(("km", lang.t("err_km").to_owned()));
                default_km
            }
        }
    };
    (km, errors)
}

/// The point of the "near" field and the place it was read as, or the
/// field's problem.
async fn near_of(
    form: &SearchForm,
    state: &WebState,
    lang: Lang,
) -> Result<Result<Option<((f64, f64), String)>, String>, Error> {
    let t = &state.territory();
    let (text, centre) = (form.near.clone(), (t.latitude, t.longitude));
    let near = state.db.run(move |conn| maillage_service::places::resolve(conn, &text, centre)).await?;
    Ok(match near {
        None => Ok(None),
        Some(Near::Point { latitude, longitude }) => Ok(Some(((latitude, longitude), String::new()))),
        Some(Near::Place(p)) => Ok(Some(((p.latitude, p.longitude), p.label()))),
        Some(Near::NotAPoint) => Err(lang.t("err_near").to_owned()),
        Some(Near::Unknown) => Err(lang.t("err_near_unknown").to_owned()),
    })
}

fn categories(lang: Lang) -> Vec<(&'static str, &'static str)> {
    Category::ALL.iter().map(|c| (c.as_str(), lang.t(&format!("cat_{}", c.as_str())))).collect()
}

/// A search as the page and its feed read it: the form, the radius, the
/// point and place of "near", and every problem by field.
pub(crate) struct ReadSearch {
    pub form: SearchForm,
    pub km: f64,
    pub near: Option<((f64, f64), String)>,
    pub errors: FieldErrors,
}

pub(crate) async fn read_search(
    req: &HttpRequest,
    state: &WebState,
    lang: Lang,
) -> Result<ReadSearch, Error> {
    let form = form_of(req);
    let (km, mut errors) = check(&form, lang, state.territory().radius_km);
    let near = match near_of(&form, state, lang).await? {
        Ok(near) => near,
        Err(message) => {
            errors.push(("near", message));
            None
        }
    };
    Ok(ReadSearch { form, km, near, errors })
}

pub async fn search_page(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let lang = state.lang(&req);
    let ReadSearch { form, km, near, errors } = match read_search(&req, &state, lang).await {
        Ok(read) => read,
        Err(e) => return security::render_failed(&e),
    };
    let t = &state.territory();
    let visitor = crate::session::visitor(&req, &state).await;
    let (limit, page_number) = form.paging();
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
                    let rows = maillage_service::listings::search(conn, &policy, viewer.as_ref(), &query)?;
                    Ok(maillage_service::listings::Nearest {
                        listings: rows.into_iter().map(|l| (l, f64::NAN)).collect(),
                        more: false,
                    })
                }
            })
            .await;
        match found {
            Ok(found) => {
                page.results = found.listings.iter().map(|(l, km)| result_of(l, *km, lang)).collect();
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

/// A result, with its distance on its card when the search had a place.
fn result_of(l: &ListingRow, km: f64, lang: Lang) -> SearchResult {
    let mut card = listing_to_card(l, lang);
    if km.is_finite() {
        card.distance = lang.fill("card_distance", &[&lang.km((km * 10.0).round() / 10.0)]);
    }
    SearchResult { card, lat: l.latitude, lon: l.longitude }
}

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
