//! `/territory/stats`: the territory's dashboard as a page, in French or
//! English (Accept-Language, or `?lang=`), with a link to its CSV.

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::ledger::hours_of_minutes;
use maillage_core::time::Timestamp;
use maillage_service::territory_stats::{self, TerritoryStats};

use crate::error::ApiError;
use crate::html::{escape, minimal_page};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/territory/stats", web::get().to(page));
}

fn language(req: &HttpRequest, default: &str) -> &'static str {
    let asked =
        req.query_string().split('&').find_map(|kv| kv.strip_prefix("lang=")).map(str::to_owned).or_else(
            || req.headers().get("accept-language").and_then(|v| v.to_str().ok()).map(|v| v.to_lowercase()),
        );
    match asked.as_deref().unwrap_or(default).get(..2) {
        Some("en") => "en",
        _ => "fr",
    }
}

fn hours(minutes: i64, fr: bool) -> String {
    let h = format!("{:.1}", hours_of_minutes(minutes));
    if fr {
        h.replace('.', ",")
    } else {
        h
    }
}

fn render(s: &TerritoryStats, fr: bool) -> String {
    let t = |fr_text: &'static str, en_text: &'static str| if fr { fr_text } else { en_text };
    let mut rows = String::new();
    for (month, m) in s.months.iter().rev() {
        let forms: Vec<String> =
            m.by_form.iter().map(|(f, min)| format!("{} {} h", escape(f), hours(*min, fr))).collect();
        rows.push_str(&format!(
            "<tr><th scope=\"row\">{month}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            m.exchanges,
            hours(m.minutes, fr),
            forms.join(", ")
        ));
    }
    let share = |n: i64| if s.exchanges == 0 { 0 } else { n * 100 / s.exchanges };
    let mut links: Vec<String> = vec![format!(
        "<li>{} : {} % ({})</li>",
        t("Dans le territoire", "Inside the territory"),
        share(s.inside),
        s.inside
    )];
    for (domain, n) in &s.with {
        links.push(format!("<li>{} : {} % ({n})</li>", escape(domain), share(*n)));
    }
    let balances: Vec<String> = s
        .balances
        .iter()
        .map(|b| format!("<li>{} : {} h</li>", escape(&b.domain), hours(b.minutes, fr)))
        .collect();
    format!(
        "<table><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>{rows}</tbody></table>\
         <h2>{}</h2><ul>{}</ul><h2>{}</h2><ul>{}</ul><p><a href=\"/api/v1/territory/stats.csv\">{}</a></p>",
        t("Échanges et heures par mois", "Exchanges and hours per month"),
        t("Mois", "Month"),
        t("Échanges", "Exchanges"),
        t("Heures", "Hours"),
        t("Par forme de travail", "By form of work"),
        t("Où vont les échanges", "Where exchanges go"),
        links.join(""),
        t("Soldes avec les territoires liés", "Balances with linked territories"),
        balances.join(""),
        t("Télécharger en CSV", "Download as CSV"),
    )
}

async fn page(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let default = state.config.territory.default_language().to_owned();
    let fr = language(&req, &default) == "fr";
    let since = Timestamp::now().saturating_sub(std::time::Duration::from_secs(366 * 86_400));
    let stats = state.db.run(move |conn| territory_stats::stats(conn, since)).await?;
    let title = if fr { "Ce que le territoire a produit" } else { "What the territory produced" };
    Ok(minimal_page(title, &state.config.territory.name, &render(&stats, fr), None))
}
