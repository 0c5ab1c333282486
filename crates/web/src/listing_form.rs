//! Creating and editing a listing: `/listings/new` and
//! `/@{name}/listings/{id}/edit`. The place is picked on a map when
//! JavaScript runs (a click fills latitude and longitude) or typed; left
//! empty, it is the territory's centre. A form with problems comes back
//! with everything typed and a message next to each field.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::id::Id;
use maillage_core::listing::{
    validate_draft, Category, ListingDraft, ListingVisibility, PlaceDraft, QuantityDraft, TermsDraft,
    TermsMode,
};
use maillage_core::time::Timestamp;
use maillage_db::listings::ListingRow;

use crate::forms::{self, field};
use crate::frame::Frame;
use crate::framed;
use crate::i18n::Lang;
use crate::listings::{error_in, FieldErrors};
use crate::or_respond;
use crate::photo_fields::{photos_sent, PhotoFields, MAX_PHOTOS};
use crate::uploads::posted_with_files;
use crate::WebState;
use maillage_db::media::MediaRow;

/// The form's fields as typed.
#[derive(Debug, Default, Clone)]
pub struct ListingForm {
    pub kind: String,
    pub category: String,
    pub direction: String,
    pub title: String,
    pub description: String,
    pub tags: String,
    pub place_name: String,
    pub latitude: String,
    pub longitude: String,
    pub radius_km: String,
    pub available_from: String,
    pub available_until: String,
    pub quantity_amount: String,
    pub quantity_unit: String,
    pub terms_mode: String,
    pub terms_hours: String,
    pub terms_amount: String,
    pub terms_currency: String,
    pub visibility: String,
}

#[derive(Template)]
#[template(path = "listing_form.html")]
pub struct ListingFormPage {
    pub frame: Frame,
    /// Where the form is sent.
    pub action: String,
    pub editing: bool,
    pub form: ListingForm,
    pub errors: FieldErrors,
    pub categories: Vec<(&'static str, &'static str)>,
    pub terms: Vec<(&'static str, &'static str)>,
    pub visibilities: Vec<(&'static str, &'static str)>,
    pub tiles: String,
    pub attribution: String,
    pub centre: (f64, f64),
    pub photos: PhotoFields,
}
framed!(ListingFormPage);

impl ListingFormPage {
    pub fn error_for(&self, name: &str) -> Option<&str> {
        error_in(&self.errors, name)
    }
}

fn options(
    lang: Lang,
    prefix: &str,
    values: impl Iterator<Item = &'static str>,
) -> Vec<(&'static str, &'static str)> {
    values.map(|v| (v, lang.t(&format!("{prefix}{v}")))).collect()
}

fn page(
    state: &WebState,
    frame: Frame,
    action: String,
    editing: bool,
    form: ListingForm,
    photos: &[MediaRow],
    errors: FieldErrors,
) -> ListingFormPage {
    let lang = frame.lang;
    let t = &state.territory();
    let centre = match (form.latitude.parse::<f64>(), form.longitude.parse::<f64>()) {
        (Ok(lat), Ok(lon)) => (lat, lon),
        _ => (t.latitude, t.longitude),
    };
    ListingFormPage {
        frame,
        action,
        editing,
        form,
        photos: PhotoFields::of(photos, state, lang, &errors, MAX_PHOTOS),
        errors,
        categories: options(lang, "cat_", Category::ALL.iter().map(|c| c.as_str())),
        terms: options(lang, "terms_", TermsMode::ALL.iter().map(|t| t.as_str())),
        visibilities: options(lang, "vis_", ListingVisibility::ALL.iter().map(|v| v.as_str())),
        tiles: state.config.web.tile_url.clone(),
        attribution: state.config.web.tile_attribution.clone(),
        centre,
    }
}

fn form_of(sent: &[(String, String)]) -> ListingForm {
    let get = |k: &str| field(sent, k).trim().to_owned();
    ListingForm {
        kind: get("kind"),
        category: get("category"),
        direction: get("direction"),
        title: get("title"),
        description: field(sent, "description").to_owned(),
        tags: get("tags"),
        place_name: get("place_name"),
        latitude: get("latitude"),
        longitude: get("longitude"),
        radius_km: get("radius_km"),
        available_from: get("available_from"),
        available_until: get("available_until"),
        quantity_amount: get("quantity_amount"),
        quantity_unit: get("quantity_unit"),
        terms_mode: get("terms_mode"),
        terms_hours: get("terms_hours"),
        terms_amount: get("terms_amount"),
        terms_currency: get("terms_currency"),
        visibility: get("visibility"),
    }
}

fn number(text: &str) -> Result<Option<f64>, ()> {
    if text.is_empty() {
        return Ok(None);
    }
    text.replace(',', ".").parse::<f64>().ok().filter(|n| n.is_finite()).map(Some).ok_or(())
}

/// A date (`2026-12-05`) at the start or the end of its day, UTC.
fn day(text: &str, end: bool) -> Result<Option<Timestamp>, ()> {
    if text.is_empty() {
        return Ok(None);
    }
    let time = if end { "23:59:59Z" } else { "00:00:00Z" };
    Timestamp::parse_rfc3339(&format!("{text}T{time}")).map(Some).ok_or(())
}

/// The form's field for a field of the draft.
fn form_field(draft_field: &str) -> &'static str {
    match draft_field {
        "kind" => "kind",
        "category" => "category",
        "direction" => "direction",
        "title" => "title",
        "description" => "description",
        "tags" => "tags",
        "place.name" | "place.address" => "place_name",
        // "latitude and longitude go together"
        "place" | "place.lat" => "latitude",
        "place.lon" => "longitude",
        "radius_km" => "radius_km",
        "available_from" => "available_from",
        "available_until" => "available_until",
        "quantity.amount" => "quantity_amount",
        "quantity.unit" => "quantity_unit",
        "terms.mode" => "terms_mode",
        "terms.hours" => "terms_hours",
        "terms.amount" => "terms_amount",
        "terms.currency" => "terms_currency",
        _ => "visibility",
    }
}

/// The draft the form describes, or its problems by field, in `lang`.
pub fn draft_of_form(form: &ListingForm, lang: Lang) -> Result<ListingDraft, FieldErrors> {
    let mut errors: FieldErrors = Vec::new();
    let mut num = |name: &'static str, text: &str| {
        number(text).unwrap_or_else(|()| {
            errors.push((name, lang.t(&format!("lerr_{name}")).to_owned()));
            None
        })
    };
    let (latitude, longitude) = (num("latitude", &form.latitude), num("longitude", &form.longitude));
    let radius_km = num("radius_km", &form.radius_km);
    let quantity_amount = num("quantity_amount", &form.quantity_amount);
    let terms_hours =
        if form.terms_mode == "time_credit" { num("terms_hours", &form.terms_hours) } else { None };
    let mut date = |name: &'static str, text: &str, end: bool| {
        day(text, end).unwrap_or_else(|()| {
            errors.push((name, lang.t(&format!("lerr_{name}")).to_owned()));
            None
        })
    };
    let available_from = date("available_from", &form.available_from, false);
    let available_until = date("available_until", &form.available_until, true);
    if latitude.is_some() != longitude.is_some() && !errors.iter().any(|(f, _)| *f == "latitude") {
        errors.push(("latitude", lang.t("lerr_latitude").to_owned()));
    }
    let draft = ListingDraft {
        kind: form.kind.clone(),
        category: form.category.clone(),
        direction: Some(form.direction.clone()).filter(|d| !d.is_empty()),
        title: form.title.clone(),
        description: form.description.clone(),
        tags: form.tags.split([',', ' ']).filter(|t| !t.trim().is_empty()).map(str::to_owned).collect(),
        place: Some(PlaceDraft { name: form.place_name.clone(), address: None, latitude, longitude }),
        radius_km,
        available_from,
        available_until,
        quantity: quantity_amount.map(|amount| QuantityDraft { amount, unit: form.quantity_unit.clone() }),
        // Only the fields of the exchange chosen count (all show without
        // JavaScript).
        terms: TermsDraft {
            mode: form.terms_mode.clone(),
            hours: terms_hours.filter(|_| form.terms_mode == "time_credit"),
            // "12,50" as French people write it.
            amount: Some(form.terms_amount.replace(',', "."))
                .filter(|a| !a.is_empty() && form.terms_mode == "price"),
            currency: Some(form.terms_currency.clone())
                .filter(|c| !c.is_empty() && form.terms_mode == "price"),
        },
        visibility: Some(form.visibility.clone()).filter(|v| !v.is_empty()),
        media_ids: None,
    };
    if let Err(problems) = validate_draft(&draft) {
        for p in problems {
            let name = form_field(&p.field);
            if !errors.iter().any(|(f, _)| *f == name) {
                errors.push((name, lang.t(&format!("lerr_{name}")).to_owned()));
            }
        }
    }
    if errors.is_empty() {
        Ok(draft)
    } else {
        Err(errors)
    }
}

/// The form filled with a stored listing, to edit it.
fn form_of_row(l: &ListingRow) -> ListingForm {
    let date = |micros: Option<i64>| {
        micros
            .map(|m| Timestamp::from_micros(m).to_rfc3339().get(..10).unwrap_or("").to_owned())
            .unwrap_or_default()
    };
    let num = |n: Option<f64>| n.map(|n| n.to_string()).unwrap_or_default();
    ListingForm {
        kind: l.kind.to_string(),
        category: l.category.to_string(),
        direction: l.direction.map(|d| d.to_string()).unwrap_or_default(),
        title: l.title.clone(),
        description: l.description_source.clone().unwrap_or_default(),
        tags: l.tag_list().join(" "),
        place_name: l.place_name.clone(),
        latitude: l.latitude.to_string(),
        longitude: l.longitude.to_string(),
        radius_km: num(Some(l.radius_km).filter(|r| *r > 0.0)),
        available_from: date(l.available_from),
        available_until: date(l.available_until),
        quantity_amount: num(l.quantity_amount),
        quantity_unit: l.quantity_unit.clone().unwrap_or_default(),
        terms_mode: l.terms_mode.to_string(),
        terms_hours: num(l.terms_hours),
        terms_amount: l.terms_amount.clone().unwrap_or_default(),
        terms_currency: l.terms_currency.clone().unwrap_or_default(),
        visibility: l.visibility.to_string(),
    }
}

pub async fn new_form(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, _) = or_respond!(forms::signed_in(&req, &state).await);
    let kind = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .ok()
        .map(|q| field(&q, "kind").to_owned())
        .filter(|k| k == "need")
        .unwrap_or_else(|| "offer".into());
    let form = ListingForm {
        kind,
        terms_mode: "gift".into(),
        terms_currency: state.territory().currency.clone(),
        visibility: "public".into(),
        ..Default::default()
    };
    forms::render(200, &page(&state, frame, "/listings/new".into(), false, form, &[], Vec::new()))
}

/// Reads a sent listing form, its photos uploaded: the draft, or the page
/// to send back with every problem.
async fn read_form(
    req: &HttpRequest,
    payload: web::Payload,
    state: &WebState,
    action: String,
    editing: bool,
) -> Result<(Frame, maillage_core::account::User, ListingDraft), HttpResponse> {
    let (frame, user, sent) = posted_with_files(req, payload, state).await?;
    let form = form_of(&sent.fields);
    let mut errors = Vec::new();
    let photos = match photos_sent(state, &user, &sent, frame.lang, &mut errors, MAX_PHOTOS).await {
        Ok(p) => p,
        Err(e) => return Err(forms::refused(frame, &e)),
    };
    match draft_of_form(&form, frame.lang) {
        Ok(draft) if errors.is_empty() => Ok((
            frame,
            user,
            ListingDraft { media_ids: Some(photos.iter().map(|m| m.id).collect()), ..draft },
        )),
        checked => {
            errors.extend(checked.err().unwrap_or_default());
            Err(forms::render(422, &page(state, frame, action, editing, form, &photos, errors)))
        }
    }
}

pub async fn create(req: HttpRequest, payload: web::Payload, state: web::Data<WebState>) -> HttpResponse {
    let (frame, user, draft) = match read_form(&req, payload, &state, "/listings/new".into(), false).await {
        Ok(read) => read,
        Err(page) => return page,
    };
    let (outbound, urls, territory) = (state.outbound.clone(), state.urls.clone(), state.territory());
    let created = state
        .db
        .run(move |conn| {
            maillage_service::listings::create(conn, outbound.as_ref(), &urls, &territory, &user, &draft)
        })
        .await;
    match created {
        Ok(row) => forms::see_other(&format!("/me/listings?created={}", row.id)),
        Err(e) => forms::refused(frame, &e),
    }
}

/// The visitor's own listing `id`, for editing.
async fn own(state: &WebState, user: &maillage_core::account::User, id: &str) -> Option<ListingRow> {
    let id: Id = id.parse().ok()?;
    let user = user.clone();
    state
        .db
        .run(move |conn| {
            Ok::<_, maillage_core::Error>(
                maillage_service::listings::own(conn, &user, id).ok().map(|(l, _)| l),
            )
        })
        .await
        .ok()
        .flatten()
}

pub async fn edit_form(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::signed_in(&req, &state).await);
    let (name, id) = path.into_inner();
    match own(&state, &user, &id).await {
        Some(l) => {
            let action = format!("/@{name}/listings/{}/edit", l.id);
            let listing = l.id;
            let photos = state.db.run(move |conn| maillage_service::media::of_post(conn, listing)).await;
            let photos = match photos {
                Ok(p) => p,
                Err(e) => return crate::security::render_failed(&e),
            };
            forms::render(200, &page(&state, frame, action, true, form_of_row(&l), &photos, Vec::new()))
        }
        None => crate::security::not_found(frame.lang),
    }
}

pub async fn update(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    payload: web::Payload,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (name, id) = path.into_inner();
    let action = format!("/@{name}/listings/{id}/edit");
    let (frame, user, draft) = match read_form(&req, payload, &state, action, true).await {
        Ok(read) => read,
        Err(page) => return page,
    };
    let Some(existing) = own(&state, &user, &id).await else { return crate::security::not_found(frame.lang) };
    let (outbound, urls, territory) = (state.outbound.clone(), state.urls.clone(), state.territory());
    let id = existing.id();
    let updated = state
        .db
        .run(move |conn| {
            maillage_service::listings::update(conn, outbound.as_ref(), &urls, &territory, &user, id, &|d| {
                *d = draft.clone();
                Ok(())
            })
        })
        .await;
    match updated {
        Ok(row) => forms::see_other(&format!("/@{name}/listings/{}", row.id)),
        Err(e) => forms::refused(frame, &e),
    }
}
