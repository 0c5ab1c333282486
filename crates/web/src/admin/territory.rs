//! `/admin/territory`: the territory's settings, which admins change here
//! rather than in the configuration file: its name and description, its
//! centre (picked on the map or typed), the radius searches cover, its
//! languages, time zone and currency, and how people register. Saving
//! reloads this process's snapshot at once; other processes follow within
//! `federation.policy_refresh_millis`.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::config::TerritoryChange;
use maillage_core::zone::Zone;

use crate::forms::{self, field, Form};
use crate::frame::Frame;
use crate::framed;
use crate::listings::{error_in, FieldErrors};
use crate::or_respond;
use crate::WebState;

/// The form as typed, or as the settings stand.
#[derive(Debug, Default, Clone)]
pub struct TerritoryForm {
    pub name: String,
    pub description: String,
    pub latitude: String,
    pub longitude: String,
    pub radius_km: String,
    pub languages: String,
    pub timezone: String,
    pub currency: String,
    pub registration_mode: String,
}

#[derive(Template)]
#[template(path = "admin_territory.html")]
pub struct TerritoryPage {
    pub frame: Frame,
    pub form: TerritoryForm,
    pub errors: FieldErrors,
    pub zones: Vec<&'static str>,
    pub modes: Vec<(&'static str, &'static str)>,
    pub tiles: String,
    pub attribution: String,
    pub centre: (f64, f64),
    pub saved: bool,
}
framed!(TerritoryPage);

impl TerritoryPage {
    pub fn error_for(&self, name: &str) -> Option<&str> {
        error_in(&self.errors, name)
    }
}

const FIELDS: &[&str] = &[
    "name",
    "description",
    "latitude",
    "longitude",
    "radius_km",
    "languages",
    "timezone",
    "currency",
    "registration_mode",
];

fn field_of(name: &str) -> &'static str {
    FIELDS.iter().find(|f| **f == name).copied().unwrap_or("name")
}

fn page(state: &WebState, frame: Frame, form: TerritoryForm, errors: FieldErrors) -> TerritoryPage {
    let lang = frame.lang;
    let t = state.territory();
    let number = |s: &str| s.trim().replace(',', ".").parse::<f64>().ok();
    let centre = match (number(&form.latitude), number(&form.longitude)) {
        (Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
            (lat, lon)
        }
        _ => t.centre(),
    };
    TerritoryPage {
        frame,
        form,
        errors,
        zones: Zone::names().collect(),
        modes: ["open", "approval", "closed"].into_iter().map(|m| (m, lang.t(&format!("reg_{m}")))).collect(),
        tiles: state.config.web.tile_url.clone(),
        attribution: state.config.web.tile_attribution.clone(),
        centre,
        saved: false,
    }
}

pub async fn settings_page(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, _) = or_respond!(forms::signed_in(&req, &state).await);
    if !frame.is_admin {
        return forms::message(frame, 403, "admin_only_title", "admin_only");
    }
    let config = state.config.clone();
    match state.db.run(move |conn| maillage_service::territory_settings::current(conn, &config)).await {
        Ok(current) => {
            let t = &current.territory;
            let form = TerritoryForm {
                name: t.name.clone(),
                description: t.description.clone(),
                latitude: t.latitude.to_string(),
                longitude: t.longitude.to_string(),
                radius_km: frame.lang.number(t.radius_km),
                languages: t.languages.join(", "),
                timezone: t.timezone.clone(),
                currency: t.currency.clone(),
                registration_mode: current.registration_mode.as_str().to_owned(),
            };
            let mut page = page(&state, frame, form, Vec::new());
            page.saved = req.query_string().split('&').any(|p| p == "saved");
            forms::render(200, &page)
        }
        Err(e) => forms::refused(frame, &e),
    }
}

/// A field the form sent, or `None` to keep the value in force.
fn sent_field(sent: &[(String, String)], name: &str) -> Option<String> {
    sent.iter().any(|(k, _)| k == name).then(|| field(sent, name).to_owned())
}

pub async fn save(req: HttpRequest, sent: web::Form<Form>, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, _) = or_respond!(forms::posted_by_admin(&req, &state, &sent).await);
    let change = TerritoryChange {
        name: sent_field(&sent, "name"),
        description: sent_field(&sent, "description"),
        latitude: sent_field(&sent, "latitude"),
        longitude: sent_field(&sent, "longitude"),
        radius_km: sent_field(&sent, "radius_km"),
        languages: sent_field(&sent, "languages"),
        timezone: sent_field(&sent, "timezone"),
        currency: sent_field(&sent, "currency"),
    };
    let mode = sent_field(&sent, "registration_mode");
    let (outbound, config) = (state.outbound.clone(), state.config.clone());
    let (handle, policy) = (state.territory.clone(), state.policy.clone());
    let saved = state
        .db
        .run(move |conn| {
            let saved = maillage_service::territory_settings::update(
                conn,
                outbound.as_ref(),
                &config,
                &change,
                mode.as_deref(),
            )?;
            // This process shows the change from the next request on.
            handle.refresh(conn)?;
            policy.refresh(conn)?;
            Ok(saved)
        })
        .await;
    match saved {
        Ok(_) => forms::see_other("/admin/territory?saved"),
        Err(e) if e.kind().is_client_error() => {
            let lang = frame.lang;
            let errors = forms::errors_of_refusal(e.message(), lang, "terr_err_", field_of);
            let form = TerritoryForm {
                name: field(&sent, "name").to_owned(),
                description: field(&sent, "description").to_owned(),
                latitude: field(&sent, "latitude").to_owned(),
                longitude: field(&sent, "longitude").to_owned(),
                radius_km: field(&sent, "radius_km").to_owned(),
                languages: field(&sent, "languages").to_owned(),
                timezone: field(&sent, "timezone").to_owned(),
                currency: field(&sent, "currency").to_owned(),
                registration_mode: field(&sent, "registration_mode").to_owned(),
            };
            forms::render(422, &page(&state, frame, form, errors))
        }
        Err(e) => forms::refused(frame, &e),
    }
}
