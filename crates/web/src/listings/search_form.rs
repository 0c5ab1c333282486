//! The search form of `/listings` and its feed: what was typed, checked
//! field by field, the "near" field read by the gazetteer, and the links
//! to other pages of the same search.

use actix_web::{web, HttpRequest};
use maillage_core::listing::{Category, ListingOrder};
use maillage_core::Error;
use maillage_service::listings::NEAREST_CAP;
use maillage_service::places::Near;

use super::FieldErrors;
use crate::i18n::Lang;
use crate::WebState;

/// What the visitor typed, kept to fill the form again.
#[derive(Debug, Default, Clone)]
pub struct SearchForm {
    pub kind: String,
    pub category: String,
    pub q: String,
    pub near: String,
    pub km: String,
    /// Results per page (1 to 100); when not given, 100 by distance and
    /// [`PAGE_DEFAULT`] otherwise.
    pub limit: String,
    /// From 1.
    pub page: String,
    /// Without a place: `newest` (the default) or `ending_soon`; with one,
    /// the nearest come first whatever it says.
    pub sort: String,
}

/// The most results a page shows.
const PAGE_MAX: i64 = 100;

/// The results a page shows without a place, when the link does not say:
/// a screen or two of cards, and as many pins on the map.
pub const PAGE_DEFAULT: i64 = 20;

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
        sort: get("sort"),
    }
}

impl SearchForm {
    /// The results per page and the page asked for; out of range or not a
    /// number reads as the default, as a search link with a stale page
    /// still shows something. Either way a search pages through its first
    /// [`NEAREST_CAP`] results.
    pub(super) fn paging(&self, near: bool) -> (i64, u32) {
        let default = if near { PAGE_MAX } else { PAGE_DEFAULT };
        let limit = self.limit.parse::<i64>().ok().filter(|l| (1..=PAGE_MAX).contains(l)).unwrap_or(default);
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

    /// The order asked for; anything else reads as the newest first (a
    /// choice of presentation, like the page).
    pub fn order(&self) -> ListingOrder {
        self.sort.parse().unwrap_or_default()
    }

    /// This search's link at page `page`, in the same order.
    pub(super) fn link_to(&self, page: u32) -> String {
        let mut query = url::form_urlencoded::Serializer::for_suffix(self.filters(), 0);
        for (key, value) in [("sort", &self.sort), ("limit", &self.limit)] {
            if !value.is_empty() {
                query.append_pair(key, value);
            }
        }
        query.append_pair("page", &page.to_string());
        format!("/listings?{}", query.finish())
    }
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

pub(super) fn categories(lang: Lang) -> Vec<(&'static str, &'static str)> {
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
