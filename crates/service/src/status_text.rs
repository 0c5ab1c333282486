//! The text of a listing's or session's status view: what any app shows
//! (Mastodon apps read it as the status's content, and a listing's Note
//! carries it), rendered when read so that it always says the current
//! status and places left.

use maillage_core::html::escape_html;
use maillage_core::i18n::Lang;
use maillage_core::listing::{ListingKind, ListingStatus};
use maillage_core::time::Timestamp;
use maillage_core::zone::Zone;
use maillage_db::listings::ListingRow;
use maillage_db::sessions::SessionRow;

fn day(micros: i64) -> String {
    Timestamp::from_micros(micros).to_rfc3339().chars().take(10).collect()
}

/// The HTML any app shows: kind, title, description, place and reach,
/// dates, terms, tags and a link.
pub fn listing_html(row: &ListingRow, lang: &str) -> String {
    let lang = Lang::of_tag(lang);
    let kind = lang.t(if row.kind == ListingKind::Need { "text_need" } else { "text_offer" });
    let mut terms = lang.t(&format!("text_terms_{}", row.terms_mode)).to_owned();
    if let Some(h) = row.terms_hours {
        terms = format!("{terms} ({h} h)");
    }
    if let (Some(a), Some(c)) = (&row.terms_amount, &row.terms_currency) {
        terms = format!("{terms} : {a} {c}");
    }
    let mut facts = vec![format!(
        "📍 {}{}",
        escape_html(&row.place_name),
        if row.radius_km > 0.0 { format!(" (≤ {} km)", row.radius_km) } else { String::new() }
    )];
    match (row.available_from, row.available_until) {
        (Some(f), Some(u)) => {
            facts.push(format!("📅 {} {} {} {}", lang.t("text_from"), day(f), lang.t("text_until"), day(u)))
        }
        (Some(f), None) => facts.push(format!("📅 {} {}", lang.t("text_from"), day(f))),
        (None, Some(u)) => facts.push(format!("📅 {} {}", lang.t("text_until"), day(u))),
        _ => {}
    }
    if let (Some(a), Some(u)) = (row.quantity_amount, &row.quantity_unit) {
        facts.push(format!("{a} {}", escape_html(u)));
    }
    facts.push(format!("🤝 {terms}"));
    if row.status != ListingStatus::Open {
        facts.push(format!("{} : {}", lang.t("text_status"), row.status));
    }
    let tags: Vec<String> = row.tag_list().iter().map(|t| format!("#{t}")).collect();
    let link = row.url.clone().unwrap_or_else(|| row.ap_id.clone());
    format!(
        "<p><strong>{kind} · {}</strong></p>{}<p>{}</p>{}<p><a href=\"{}\">{}</a></p>",
        escape_html(&row.title),
        row.description_html,
        facts.join(" · "),
        if tags.is_empty() { String::new() } else { format!("<p>{}</p>", tags.join(" ")) },
        escape_html(&link),
        lang.t("text_see_listing"),
    )
}

/// The session's zone: its own (the organiser's when created here, the
/// `timezone` Mobilizon sends), else UTC.
fn zone_of(row: &SessionRow) -> Zone {
    row.timezone.as_deref().and_then(Zone::parse).unwrap_or(Zone::UTC)
}

/// The HTML any Mastodon app shows for a session: title, description,
/// dates, place, places left and a link.
pub fn session_html(row: &SessionRow, going: i64, lang: &str) -> String {
    let lang = Lang::of_tag(lang);
    let zone = zone_of(row);
    let when = |micros| lang.date_time_with_zone(micros, zone);
    let mut facts = vec![match row.ends_at {
        Some(end) => format!("📅 {} → {}", when(row.starts_at), when(end)),
        None => format!("📅 {}", when(row.starts_at)),
    }];
    if !row.place_name.is_empty() {
        facts.push(format!("📍 {}", escape_html(&row.place_name)));
    }
    if let Some(capacity) = row.capacity {
        let left = (i64::from(capacity) - going).max(0);
        facts.push(match left {
            0 => lang.t("text_session_full").to_owned(),
            n => lang.fill("text_places_left", &[&n.to_string(), &capacity.to_string()]),
        });
    }
    let link = row.url.clone().unwrap_or_else(|| row.ap_id.clone());
    format!(
        "<p><strong>{} · {}</strong></p>{}<p>{}</p><p><a href=\"{}\">{}</a></p>",
        lang.t("text_session"),
        escape_html(&row.title),
        row.description_html,
        facts.join(" · "),
        escape_html(&link),
        lang.t("text_see_session"),
    )
}
