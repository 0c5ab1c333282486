//! What people are told by the territory's actor (match messages and
//! digests): key, French, English. `{}` is filled in order.

pub const NOTICES: &[(&str, &str, &str)] = &[
    ("notice_new_match", "Nouvelle correspondance", "New match"),
    ("notice_offer", "offre", "offer"),
    ("notice_need", "besoin", "need"),
    (
        "notice_match_line",
        "pour votre {} « {} », {} « {} » de {} ({})",
        "for your {} “{}”, {} “{}” by {} ({})",
    ),
    ("notice_reasons_separator", " ; ", "; "),
    (
        "notice_digest_one",
        "1 nouvelle correspondance depuis le dernier résumé :",
        "1 new match since the last digest:",
    ),
    (
        "notice_digest_many",
        "{} nouvelles correspondances depuis le dernier résumé :",
        "{} new matches since the last digest:",
    ),
    ("notice_digest_more", "… et {} autres.", "… and {} more."),
];
