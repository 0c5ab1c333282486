//! The text of a listing or a session as a status, what any app shows
//! (`maillage_service::status_text`): key, French, English. `{}` is filled
//! in order.

pub const STATUS_TEXT: &[(&str, &str, &str)] = &[
    ("text_offer", "Offre", "Offer"),
    ("text_need", "Besoin", "Need"),
    ("text_terms_gift", "don", "gift"),
    ("text_terms_loan", "prêt", "loan"),
    ("text_terms_barter", "troc", "barter"),
    ("text_terms_time_credit", "heures de temps", "time credit"),
    ("text_terms_price", "prix", "price"),
    ("text_from", "du", "from"),
    ("text_until", "au", "until"),
    ("text_status", "statut", "status"),
    ("text_see_listing", "Voir l'annonce", "See the listing"),
    ("text_session", "Séance", "Session"),
    ("text_session_full", "complet, liste d'attente", "full, waiting list"),
    ("text_places_left", "{} place(s) libre(s) sur {}", "{} place(s) left of {}"),
    ("text_see_session", "Voir et s'inscrire", "See and sign up"),
];
