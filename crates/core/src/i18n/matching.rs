//! Why two listings match, as people read it (`maillage_matching::Reason`):
//! key, French, English. `{}` is filled in order.

pub const MATCHING: &[(&str, &str, &str)] = &[
    ("reason_same_category", "même catégorie ({})", "same category ({})"),
    ("reason_related_categories", "catégories voisines ({}, {})", "related categories ({}, {})"),
    ("reason_shared_tags", "mots-clés {}", "tags {}"),
    ("reason_word", "{} mot en commun", "{} word in common"),
    ("reason_words", "{} mots en commun", "{} words in common"),
    ("reason_no_time_limit", "sans limite de temps", "no time limit"),
    ("reason_available_from", "disponibles tous deux à partir du {}", "both available from {}"),
    ("reason_available_until", "disponibles tous deux jusqu'au {}", "both available until {}"),
    ("reason_available_between", "disponibles tous deux du {} au {}", "both available from {} to {}"),
    ("reason_terms", "échange : {}", "exchange: {}"),
    ("reason_same_territory", "même territoire", "same territory"),
    ("reason_neighbouring_territory", "territoire voisin", "neighbouring territory"),
];
