//! French and English: choosing the language of a page (`?lang=`, then the
//! `lang` cookie, then Accept-Language, then the territory's own), the
//! strings of every page, and numbers and dates written per language.

use actix_web::HttpRequest;
use maillage_core::time::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    fn parse(tag: &str) -> Option<Lang> {
        match tag.trim().get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("fr") => Some(Lang::Fr),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }

    /// The first language of Accept-Language we speak, by its q-values.
    fn from_accept(header: &str) -> Option<Lang> {
        let mut tags: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut bits = part.split(';');
                let lang = Lang::parse(bits.next()?)?;
                let q = bits
                    .find_map(|b| b.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, lang))
            })
            .collect();
        tags.sort_by(|a, b| b.0.total_cmp(&a.0));
        tags.first().map(|(_, l)| *l)
    }

    /// The page's language for this request.
    pub fn of_request(req: &HttpRequest, territory_default: &str) -> Lang {
        let query =
            req.query_string().split('&').find_map(|kv| kv.strip_prefix("lang=")).and_then(Lang::parse);
        let cookie = req
            .headers()
            .get("cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|c| c.split(';').find_map(|kv| kv.trim().strip_prefix("lang=")))
            .and_then(Lang::parse);
        let accept =
            req.headers().get("accept-language").and_then(|v| v.to_str().ok()).and_then(Lang::from_accept);
        query.or(cookie).or(accept).or_else(|| Lang::parse(territory_default)).unwrap_or(Lang::Fr)
    }

    /// Whether the language was chosen in the query (and should be kept in
    /// a cookie).
    pub fn chosen_in_query(req: &HttpRequest) -> Option<Lang> {
        req.query_string().split('&').find_map(|kv| kv.strip_prefix("lang=")).and_then(Lang::parse)
    }

    pub fn t(self, key: &str) -> &'static str {
        match strings().find(|(k, _, _)| *k == key) {
            Some((_, fr, en)) => match self {
                Lang::Fr => fr,
                Lang::En => en,
            },
            None => {
                tracing::warn!(key, "missing translation");
                ""
            }
        }
    }

    /// A number with the language's decimal separator.
    pub fn number(self, value: f64) -> String {
        let text = if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value:.1}") };
        match self {
            Lang::Fr => text.replace('.', ","),
            Lang::En => text,
        }
    }

    /// A distance in kilometres.
    pub fn km(self, value: f64) -> String {
        format!("{}\u{a0}km", self.number(value))
    }

    /// A date and time: `5 déc. 2026, 14:00` / `Dec 5, 2026, 14:00` (UTC).
    pub fn date_time(self, micros: i64) -> String {
        let t = Timestamp::from_micros(micros).to_rfc3339();
        let (y, m, d) = (t.get(0..4).unwrap_or(""), t.get(5..7).unwrap_or("01"), t.get(8..10).unwrap_or(""));
        let hm = t.get(11..16).unwrap_or("");
        let month = m.parse::<usize>().unwrap_or(1).clamp(1, 12) - 1;
        let day = d.trim_start_matches('0');
        match self {
            Lang::Fr => format!("{day} {} {y}, {hm}", MONTHS_FR[month]),
            Lang::En => format!("{} {day}, {y}, {hm}", MONTHS_EN[month]),
        }
    }
}

const MONTHS_FR: [&str; 12] =
    ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];
const MONTHS_EN: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

mod account;
mod admin;
mod public;

/// Every string of the pages, by area: key, French, English.
pub const TABLES: &[&[(&str, &str, &str)]] = &[public::PUBLIC, account::ACCOUNT, admin::ADMIN];

/// Every string, one after the other.
pub fn strings() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    TABLES.iter().flat_map(|t| t.iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_has_both_languages_and_one_key() {
        let mut keys: Vec<&str> = strings().map(|(k, _, _)| *k).collect();
        for (key, fr, en) in strings() {
            assert!(!fr.is_empty() && !en.is_empty(), "{key}");
        }
        keys.sort_unstable();
        let twice: Vec<&&str> = keys.windows(2).filter(|w| w[0] == w[1]).map(|w| &w[0]).collect();
        assert!(twice.is_empty(), "keys given twice: {twice:?}");
    }

    /// Every key a template or a handler names literally is in the table
    /// (keys built with `format!` are checked by the tests of their enums).
    #[test]
    fn every_key_used_is_translated() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        for dir in ["templates", "src", "src/admin", "src/i18n"] {
            for entry in std::fs::read_dir(root.join(dir)).into_iter().flatten().flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                for part in text.split(".t(\"").skip(1) {
                    let key = part.split('"').next().unwrap_or_default();
                    if !key.is_empty() && strings().all(|(k, _, _)| *k != key) {
                        missing.push(format!("{}: {key}", entry.path().display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "not translated: {missing:?}");
    }

    #[test]
    fn every_category_terms_and_status_is_translated() {
        use maillage_core::listing::{Category, ListingStatus, TermsMode};
        let keys = Category::ALL
            .iter()
            .map(|c| format!("cat_{}", c.as_str()))
            .chain(TermsMode::ALL.iter().map(|t| format!("terms_{}", t.as_str())))
            .chain(ListingStatus::ALL.iter().map(|s| format!("status_{}", s.as_str())));
        for key in keys {
            assert!(strings().any(|(k, _, _)| *k == key), "{key} is not translated");
        }
    }

    #[test]
    fn accept_language_is_read_by_preference() {
        assert_eq!(Lang::from_accept("en-GB,en;q=0.9,fr;q=0.8"), Some(Lang::En));
        assert_eq!(Lang::from_accept("de-DE, fr;q=0.5, en;q=0.3"), Some(Lang::Fr));
        assert_eq!(Lang::from_accept("de, it"), None);
        assert_eq!(Lang::from_accept("en;q=0, fr;q=0.1"), Some(Lang::Fr));
    }

    #[test]
    fn numbers_and_dates_follow_the_language() {
        assert_eq!(Lang::Fr.number(2.5), "2,5");
        assert_eq!(Lang::En.number(2.5), "2.5");
        assert_eq!(Lang::Fr.km(15.0), "15\u{a0}km");
        let t = Timestamp::parse_rfc3339("2026-12-05T14:00:00Z").map(|t| t.as_micros()).unwrap_or(0);
        assert_eq!(Lang::Fr.date_time(t), "5 déc. 2026, 14:00");
        assert_eq!(Lang::En.date_time(t), "Dec 5, 2026, 14:00");
    }
}
