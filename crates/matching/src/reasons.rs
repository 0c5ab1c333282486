//! Why two listings match, for people to read. Reasons are symmetric:
//! the same pair gives the same reasons on both nodes.

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

fn category_name(c: Category, fr: bool) -> &'static str {
    use Category::*;
    match (c, fr) {
        (Food, true) => "alimentation",
        (Food, false) => "food",
        (Goods, true) => "objets",
        (Goods, false) => "goods",
        (Services, true) => "services",
        (Services, false) => "services",
        (SkillsKnowledge, true) => "savoirs et savoir-faire",
        (SkillsKnowledge, false) => "skills and knowledge",
        (SpacesMachines, true) => "lieux et machines",
        (SpacesMachines, false) => "spaces and machines",
        (Energy, true) => "énergie",
        (Energy, false) => "energy",
        (Mobility, true) => "mobilité",
        (Mobility, false) => "mobility",
        (Housing, true) => "logement",
        (Housing, false) => "housing",
        (Other, true) => "autre",
        (Other, false) => "other",
    }
}

fn terms_name(t: TermsMode, fr: bool) -> &'static str {
    match (t, fr) {
        (TermsMode::Gift, true) => "don",
        (TermsMode::Gift, false) => "gift",
        (TermsMode::Loan, true) => "prêt",
        (TermsMode::Loan, false) => "loan",
        (TermsMode::Barter, true) => "troc",
        (TermsMode::Barter, false) => "barter",
        (TermsMode::TimeCredit, true) => "crédit temps",
        (TermsMode::TimeCredit, false) => "time credit",
        (TermsMode::Price, true) => "prix",
        (TermsMode::Price, false) => "price",
    }
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
        let fr = language.starts_with("fr");
        match self {
            Reason::SameCategory(c) if fr => format!("même catégorie ({})", category_name(*c, fr)),
            Reason::SameCategory(c) => format!("same category ({})", category_name(*c, fr)),
            Reason::RelatedCategories(a, b) if fr => {
                format!("catégories voisines ({}, {})", category_name(*a, fr), category_name(*b, fr))
            }
            Reason::RelatedCategories(a, b) => {
                format!("related categories ({}, {})", category_name(*a, fr), category_name(*b, fr))
            }
            Reason::Distance { km: d } => km(*d, fr),
            Reason::SharedTags(tags) if fr => format!("mots-clés {}", tags.join(", ")),
            Reason::SharedTags(tags) => format!("tags {}", tags.join(", ")),
            Reason::WordsInCommon(n) if fr => format!("{n} mot{} en commun", if *n > 1 { "s" } else { "" }),
            Reason::WordsInCommon(n) => format!("{n} word{} in common", if *n > 1 { "s" } else { "" }),
            Reason::BothAvailable { from, until } => match (from, until, fr) {
                (None, None, true) => "sans limite de temps".into(),
                (None, None, false) => "no time limit".into(),
                (Some(f), None, true) => format!("disponibles tous deux à partir du {}", day(*f)),
                (Some(f), None, false) => format!("both available from {}", day(*f)),
                (None, Some(u), true) => format!("disponibles tous deux jusqu'au {}", day(*u)),
                (None, Some(u), false) => format!("both available until {}", day(*u)),
                (Some(f), Some(u), true) => format!("disponibles tous deux du {} au {}", day(*f), day(*u)),
                (Some(f), Some(u), false) => format!("both available from {} to {}", day(*f), day(*u)),
            },
            Reason::Terms(t) if fr => format!("échange : {}", terms_name(*t, fr)),
            Reason::Terms(t) => format!("exchange: {}", terms_name(*t, fr)),
            Reason::SameTerritory if fr => "même territoire".into(),
            Reason::SameTerritory => "same territory".into(),
            Reason::NeighbouringTerritory if fr => "territoire voisin".into(),
            Reason::NeighbouringTerritory => "neighbouring territory".into(),
        }
    }

    /// Reasons joined for one line: "same category (goods); 2.4 km; tags vélo".
    pub fn describe_all(reasons: &[Reason], language: &str) -> String {
        reasons.iter().map(|r| r.describe(language)).collect::<Vec<_>>().join("; ")
    }
}
