//! Why two listings match, for people to read. Reasons are symmetric:
//! the same pair gives the same reasons on both nodes.

use maillage_core::i18n::Lang;
use maillage_core::listing::{Category, TermsMode};
use maillage_core::time::Timestamp;

#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    SameCategory(Category),
    /// Two related categories, in a fixed order.
    RelatedCategories(Category, Category),
    /// Distance between the two places, rounded to 100 m.
    Distance {
        km: f64,
    },
    SharedTags(Vec<String>),
    /// How many distinct stems the two texts share.
    WordsInCommon(usize),
    /// The common part of both windows; `None` ends are open.
    BothAvailable {
        from: Option<i64>,
        until: Option<i64>,
    },
    /// How the offer is exchanged.
    Terms(TermsMode),
    SameTerritory,
    NeighbouringTerritory,
}

/// A category or terms name inside a sentence: the table's label, lower case.
fn lower(lang: Lang, key: &str) -> String {
    lang.t(key).to_lowercase()
}

fn day(t: i64) -> String {
    Timestamp::from_micros(t).to_rfc3339().chars().take(10).collect()
}

fn km(km: f64, fr: bool) -> String {
    let text = if km < 10.0 { format!("{km:.1} km") } else { format!("{km:.0} km") };
    if fr {
        text.replace('.', ",")
    } else {
        text
    }
}

impl Reason {
    /// A stable name for programs.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::SameCategory(_) => "same_category",
            Reason::RelatedCategories(..) => "related_categories",
            Reason::Distance { .. } => "distance",
            Reason::SharedTags(_) => "shared_tags",
            Reason::WordsInCommon(_) => "words_in_common",
            Reason::BothAvailable { .. } => "both_available",
            Reason::Terms(_) => "terms",
            Reason::SameTerritory => "same_territory",
            Reason::NeighbouringTerritory => "neighbouring_territory",
        }
    }

    /// The reason in `language` (`fr`, or English for anything else).
    pub fn describe(&self, language: &str) -> String {
        let lang = Lang::of_tag(language);
        let fr = lang == Lang::Fr;
        let category = |c: &Category| lower(lang, &format!("cat_{}", c.as_str()));
        match self {
            Reason::SameCategory(c) => lang.fill("reason_same_category", &[&category(c)]),
            Reason::RelatedCategories(a, b) => {
                lang.fill("reason_related_categories", &[&category(a), &category(b)])
            }
            Reason::Distance { km: d } => km(*d, fr),
            Reason::SharedTags(tags) => lang.fill("reason_shared_tags", &[&tags.join(", ")]),
            Reason::WordsInCommon(n) => {
                let key = if *n > 1 { "reason_words" } else { "reason_word" };
                lang.fill(key, &[&n.to_string()])
            }
            Reason::BothAvailable { from, until } => match (from, until) {
                (None, None) => lang.t("reason_no_time_limit").into(),
                (Some(f), None) => lang.fill("reason_available_from", &[&day(*f)]),
                (None, Some(u)) => lang.fill("reason_available_until", &[&day(*u)]),
                (Some(f), Some(u)) => lang.fill("reason_available_between", &[&day(*f), &day(*u)]),
            },
            Reason::Terms(t) => lang.fill("reason_terms", &[&lower(lang, &format!("terms_{}", t.as_str()))]),
            Reason::SameTerritory => lang.t("reason_same_territory").into(),
            Reason::NeighbouringTerritory => lang.t("reason_neighbouring_territory").into(),
        }
    }

    /// Reasons joined for one line: "same category (goods); 2.4 km; tags vélo".
    pub fn describe_all(reasons: &[Reason], language: &str) -> String {
        reasons.iter().map(|r| r.describe(language)).collect::<Vec<_>>().join("; ")
    }
}
