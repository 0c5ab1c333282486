use super::*;

#[test]
fn every_string_has_both_languages_and_one_key() {
    let mut keys: Vec<&str> = strings().map(|(k, _, _)| *k).collect();
    for (key, fr, en) in strings() {
        assert!(!fr.is_empty() && !en.is_empty(), "{key}");
        assert_eq!(fr.matches("{}").count(), en.matches("{}").count(), "{key}: not the same blanks");
    }
    keys.sort_unstable();
    let twice: Vec<&&str> = keys.windows(2).filter(|w| w[0] == w[1]).map(|w| &w[0]).collect();
    assert!(twice.is_empty(), "keys given twice: {twice:?}");
}

fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs" || e == "html") {
            out.push(path);
        }
    }
}

/// Every key a template or any crate's code names literally (as the first
/// argument of `t` or `fill`) is in the table; keys built with `format!` are checked by
/// the tests of their enums below.
#[test]
fn every_key_used_is_translated() {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for krate in std::fs::read_dir(&crates).into_iter().flatten().flatten() {
        sources(&krate.path().join("src"), &mut files);
        sources(&krate.path().join("templates"), &mut files);
    }
    assert!(files.len() > 100, "the sources were not found from {}", crates.display());
    let mut missing = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for pattern in [".t(\"", ".fill(\""] {
            for part in text.split(pattern).skip(1) {
                let key = part.split('"').next().unwrap_or_default();
                if !key.is_empty() && strings().all(|(k, _, _)| *k != key) {
                    missing.push(format!("{}: {key}", file.display()));
                }
            }
        }
    }
    assert!(missing.is_empty(), "not translated: {missing:?}");
}

#[test]
fn every_category_terms_and_status_is_translated() {
    use crate::listing::{Category, ListingOrder, ListingStatus, TermsMode};
    let keys = Category::ALL
        .iter()
        .map(|c| format!("cat_{}", c.as_str()))
        .chain(TermsMode::ALL.iter().map(|t| format!("terms_{}", t.as_str())))
        .chain(TermsMode::ALL.iter().map(|t| format!("text_terms_{}", t.as_str())))
        .chain(ListingStatus::ALL.iter().map(|s| format!("status_{}", s.as_str())))
        .chain(ListingOrder::ALL.iter().map(|o| format!("sort_{}", o.as_str())))
        .chain(crate::account::Role::ALL.iter().map(|r| format!("role_{}", r.as_str())))
        .chain(crate::account::AccountState::ALL.iter().map(|s| format!("account_{}", s.as_str())));
    for key in keys {
        assert!(strings().any(|(k, _, _)| *k == key), "{key} is not translated");
    }
}

#[test]
fn blanks_are_filled_in_order() {
    assert_eq!(
        Lang::Fr.fill("reason_related_categories", &["objets", "services"]),
        "catégories voisines (objets, services)"
    );
    assert_eq!(Lang::En.fill("reason_same_category", &["food"]), "same category (food)");
    assert_eq!(Lang::En.fill("reason_same_category", &[]), "same category ()");
}

#[test]
fn accept_language_is_read_by_preference() {
    assert_eq!(Lang::from_accept("en-GB,en;q=0.9,fr;q=0.8"), Some(Lang::En));
    assert_eq!(Lang::from_accept("de-DE, fr;q=0.5, en;q=0.3"), Some(Lang::Fr));
    assert_eq!(Lang::from_accept("de, it"), None);
    assert_eq!(Lang::from_accept("en;q=0, fr;q=0.1"), Some(Lang::Fr));
    assert_eq!(Lang::of_tag("fr-CA"), Lang::Fr);
    assert_eq!(Lang::of_tag("de"), Lang::En);
}

#[test]
fn numbers_and_dates_follow_the_language() {
    assert_eq!(Lang::Fr.number(2.5), "2,5");
    assert_eq!(Lang::En.number(2.5), "2.5");
    assert_eq!(Lang::Fr.km(15.0), "15\u{a0}km");
    let t = Timestamp::parse_rfc3339("2026-12-05T14:00:00Z").map(|t| t.as_micros()).unwrap_or(0);
    let utc = crate::zone::Zone::UTC;
    assert_eq!(Lang::Fr.date_time(t, utc), "5 déc. 2026, 14:00");
    assert_eq!(Lang::En.date_time(t, utc), "Dec 5, 2026, 14:00");
    let paris = crate::zone::Zone::parse("Europe/Paris").unwrap_or(utc);
    assert_eq!(Lang::Fr.date_time(t, paris), "5 déc. 2026, 15:00");
    assert_eq!(Lang::En.date_time_with_zone(t, paris), "Dec 5, 2026, 15:00 CET");
}

#[test]
fn every_notification_kind_and_email_choice_is_translated() {
    use crate::notify::{EmailWhen, KINDS};
    let keys = KINDS
        .iter()
        .map(|k| format!("notif_kind_{}", k.name))
        .chain(EmailWhen::ALL.iter().map(|w| format!("notif_email_{}", w.as_str())));
    for key in keys {
        assert!(strings().any(|(k, _, _)| *k == key), "{key} is not translated");
    }
}
