//! The text of a listing's or session's status view: what any app shows
//! (Mastodon apps read it as the status's content, and a listing's Note
//! carries it), rendered when read so that it always says the current
//! status and places left.

use maillage_core::time::Timestamp;
use maillage_db::listings::ListingRow;
use maillage_db::sessions::SessionRow;

/// Escapes text for HTML (`'` is left as is: the text never goes in a
/// single-quoted attribute).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn labels(lang: &str, key: &str) -> &'static str {
    let fr = lang == "fr";
    match key {
        "offer" => {
            if fr {
                "Offre"
            } else {
                "Offer"
            }
        }
        "need" => {
            if fr {
                "Besoin"
            } else {
                "Need"
            }
        }
        "gift" => {
            if fr {
                "don"
            } else {
                "gift"
            }
        }
        "loan" => {
            if fr {
                "prêt"
            } else {
                "loan"
            }
        }
        "barter" => {
            if fr {
                "troc"
            } else {
                "barter"
            }
        }
        "time_credit" => {
            if fr {
                "heures de temps"
            } else {
                "time credit"
            }
        }
        "price" => {
            if fr {
                "prix"
            } else {
                "price"
            }
        }
        "from" => {
            if fr {
                "du"
            } else {
                "from"
            }
        }
        "until" => {
            if fr {
                "au"
            } else {
                "until"
            }
        }
        "status" => {
            if fr {
                "statut"
            } else {
                "status"
            }
        }
        _ => {
            if fr {
                "Voir l'annonce"
            } else {
                "See the listing"
            }
        }
    }
}

fn day(micros: i64) -> String {
    Timestamp::from_micros(micros).to_rfc3339().chars().take(10).collect()
}

/// The HTML any app shows: kind, title, description, place and reach,
/// dates, terms, tags and a link.
pub fn listing_html(row: &ListingRow, lang: &str) -> String {
    let kind = labels(lang, &row.kind);
    let mut terms = labels(lang, &row.terms_mode).to_owned();
    if let Some(h) = row.terms_hours {
        terms = format!("{terms} ({h} h)");
    }
    if let (Some(a), Some(c)) = (&row.terms_amount, &row.terms_currency) {
        terms = format!("{terms} : {a} {c}");
    }
    let mut facts = vec![format!(
        "📍 {}{}",
        escape(&row.place_name),
        if row.radius_km > 0.0 { format!(" (≤ {} km)", row.radius_km) } else { String::new() }
    )];
    match (row.available_from, row.available_until) {
        (Some(f), Some(u)) => {
            facts.push(format!("📅 {} {} {} {}", labels(lang, "from"), day(f), labels(lang, "until"), day(u)))
        }
        (Some(f), None) => facts.push(format!("📅 {} {}", labels(lang, "from"), day(f))),
        (None, Some(u)) => facts.push(format!("📅 {} {}", labels(lang, "until"), day(u))),
        _ => {}
    }
    if let (Some(a), Some(u)) = (row.quantity_amount, &row.quantity_unit) {
        facts.push(format!("{a} {}", escape(u)));
    }
    facts.push(format!("🤝 {terms}"));
    if row.status != "open" {
        facts.push(format!("{} : {}", labels(lang, "status"), row.status));
    }
    let tags: Vec<String> = row.tag_list().iter().map(|t| format!("#{t}")).collect();
    let link = row.url.clone().unwrap_or_else(|| row.ap_id.clone());
    format!(
        "<p><strong>{kind} · {}</strong></p>{}<p>{}</p>{}<p><a href=\"{}\">{}</a></p>",
        escape(&row.title),
        row.description_html,
        facts.join(" · "),
        if tags.is_empty() { String::new() } else { format!("<p>{}</p>", tags.join(" ")) },
        escape(&link),
        labels(lang, "link"),
    )
}

fn when(micros: i64) -> String {
    // 2026-12-05T14:00:00Z → 2026-12-05 14:00 UTC
    let t = Timestamp::from_micros(micros).to_rfc3339();
    format!("{} {} UTC", t.get(..10).unwrap_or_default(), t.get(11..16).unwrap_or_default())
}

/// The HTML any Mastodon app shows for a session: title, description,
/// dates, place, places left and a link.
pub fn session_html(row: &SessionRow, going: i64, lang: &str) -> String {
    let fr = lang == "fr";
    let mut facts = vec![match row.ends_at {
        Some(end) => format!("📅 {} → {}", when(row.starts_at), when(end)),
        None => format!("📅 {}", when(row.starts_at)),
    }];
    if !row.place_name.is_empty() {
        facts.push(format!("📍 {}", escape(&row.place_name)));
    }
    if let Some(capacity) = row.capacity {
        let left = (i64::from(capacity) - going).max(0);
        facts.push(match (fr, left) {
            (true, 0) => "complet, liste d'attente".to_owned(),
            (false, 0) => "full, waiting list".to_owned(),
            (true, n) => format!("{n} place(s) libre(s) sur {capacity}"),
            (false, n) => format!("{n} place(s) left of {capacity}"),
        });
    }
    let link = row.url.clone().unwrap_or_else(|| row.ap_id.clone());
    format!(
        "<p><strong>{} · {}</strong></p>{}<p>{}</p><p><a href=\"{}\">{}</a></p>",
        if fr { "Séance" } else { "Session" },
        escape(&row.title),
        row.description_html,
        facts.join(" · "),
        escape(&link),
        if fr { "Voir et s'inscrire" } else { "See and sign up" },
    )
}
