//! `/territory/stats`: what the territory produced over the last year
//! (exchanges and hours per month, by form of work; the share inside the
//! territory and with each linked one; the time-credit balances with
//! them), with a link to the CSV.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::ledger::hours_of_minutes;
use maillage_core::time::Timestamp;
use maillage_service::territory_stats::{self, TerritoryStats};

use crate::forms;
use crate::frame::Frame;
use crate::framed;
use crate::i18n::Lang;
use crate::WebState;

pub struct MonthLine {
    pub month: String,
    pub exchanges: i64,
    pub hours: String,
    pub forms: String,
}

#[derive(Template)]
#[template(path = "stats.html")]
pub struct StatsPage {
    pub frame: Frame,
    pub months: Vec<MonthLine>,
    /// (where, share in percent, exchanges).
    pub shares: Vec<(String, i64, i64)>,
    pub balances: Vec<(String, String)>,
}
framed!(StatsPage);

fn hours(lang: Lang, minutes: i64) -> String {
    let text = format!("{:.1}", hours_of_minutes(minutes));
    let text = if lang == Lang::Fr { text.replace('.', ",") } else { text };
    format!("{text} h")
}

fn stats_to_page(frame: Frame, s: &TerritoryStats) -> StatsPage {
    let lang = frame.lang;
    let share = |n: i64| if s.exchanges == 0 { 0 } else { n * 100 / s.exchanges };
    let mut shares = vec![(lang.t("inside_territory").to_owned(), share(s.inside), s.inside)];
    shares.extend(s.with.iter().map(|(domain, n)| (domain.clone(), share(*n), *n)));
    StatsPage {
        months: s
            .months
            .iter()
            .rev()
            .map(|(month, m)| MonthLine {
                month: month.clone(),
                exchanges: m.exchanges,
                hours: hours(lang, m.minutes),
                forms: m
                    .by_form
                    .iter()
                    .map(|(f, min)| format!("{} {}", lang.t(&format!("form_{f}")), hours(lang, *min)))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
        shares,
        balances: s.balances.iter().map(|b| (b.domain.clone(), hours(lang, b.minutes))).collect(),
        frame,
    }
}

pub async fn page(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _) = Frame::of(&req, &state).await;
    let since = Timestamp::now().saturating_sub(std::time::Duration::from_secs(366 * 86_400));
    match state.db.run(move |conn| territory_stats::stats(conn, since)).await {
        Ok(stats) => forms::render(200, &stats_to_page(frame, &stats)),
        Err(e) => forms::refused(frame, &e),
    }
}
