//! Text analysis shared by every listing: fold, split, drop stop words,
//! stem. A word gives its French and its English stem (listings do not say
//! their language, and a territory often writes both); the two are usually
//! the same.

use std::collections::HashMap;
use std::sync::OnceLock;

use maillage_core::fold;
use rust_stemmers::{Algorithm, Stemmer};

/// French and English words too common to tell two listings apart,
/// folded (no accents). Listing vocabulary ("offre", "cherche", "need")
/// is here too: every listing says it.
const STOP_WORDS: &[&str] = &[
    // French
    "a",
    "au",
    "aux",
    "avec",
    "ce",
    "ces",
    "cet",
    "cette",
    "dans",
    "de",
    "des",
    "du",
    "elle",
    "en",
    "et",
    "eux",
    "il",
    "ils",
    "je",
    "j",
    "la",
    "le",
    "les",
    "leur",
    "leurs",
    "lui",
    "ma",
    "mais",
    "me",
    "mes",
    "moi",
    "mon",
    "ne",
    "nos",
    "notre",
    "nous",
    "on",
    "ou",
    "par",
    "pas",
    "pour",
    "qu",
    "que",
    "qui",
    "sa",
    "se",
    "ses",
    "son",
    "sur",
    "ta",
    "te",
    "tes",
    "toi",
    "ton",
    "tu",
    "un",
    "une",
    "vos",
    "votre",
    "vous",
    "c",
    "d",
    "l",
    "n",
    "m",
    "s",
    "t",
    "y",
    "est",
    "sont",
    "suis",
    "es",
    "etre",
    "ai",
    "as",
    "avons",
    "avez",
    "ont",
    "avoir",
    "fait",
    "faire",
    "plus",
    "tres",
    "bien",
    "aussi",
    "tout",
    "tous",
    "toute",
    "toutes",
    "si",
    "sans",
    "sous",
    "chez",
    "entre",
    "vers",
    "peu",
    "quelque",
    "quelques",
    "autre",
    "autres",
    "meme",
    "comme",
    "donc",
    "car",
    "ni",
    "ici",
    "la",
    "cela",
    "ca",
    "propose",
    "proposer",
    "cherche",
    "chercher",
    "recherche",
    "besoin",
    "offre",
    "offrir",
    "donne",
    "demande",
    "voudrais",
    "souhaite",
    "possible",
    "merci",
    "bonjour",
    "disponible",
    // How a thing is exchanged is in the listing's terms, not its subject.
    "donner",
    "donnes",
    "gratuit",
    "gratuitement",
    "vendre",
    "vend",
    "vends",
    "vendu",
    "vendue",
    "vente",
    "preter",
    "prete",
    "louer",
    "loue",
    "echange",
    "echanger",
    "troc",
    "aide",
    "aider",
    "chaque",
    "bon",
    "bonne",
    "etat",
    "neuf",
    "neuve",
    "euros",
    "euro",
    "recuperer",
    "venir",
    "chercher",
    // English
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "but",
    "by",
    "can",
    "could",
    "do",
    "does",
    "for",
    "from",
    "had",
    "has",
    "have",
    "he",
    "her",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "me",
    "my",
    "no",
    "not",
    "of",
    "off",
    "on",
    "or",
    "our",
    "she",
    "so",
    "some",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "too",
    "up",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "who",
    "will",
    "with",
    "would",
    "you",
    "your",
    "offer",
    "offering",
    "need",
    "needed",
    "needs",
    "looking",
    "want",
    "wanted",
    "please",
    "available",
    "someone",
    "anyone",
    "help",
    "thanks",
    "hi",
    "hello",
    "give",
    "giving",
    "away",
    "free",
    "sell",
    "selling",
    "sale",
    "lend",
    "lending",
    "borrow",
    "rent",
    "renting",
    "swap",
    "used",
    "new",
    "good",
    "euros",
];

fn stop_words() -> &'static std::collections::HashSet<&'static str> {
    static SET: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
}

fn stemmers() -> &'static (Stemmer, Stemmer) {
    static STEMMERS: OnceLock<(Stemmer, Stemmer)> = OnceLock::new();
    STEMMERS.get_or_init(|| (Stemmer::create(Algorithm::French), Stemmer::create(Algorithm::English)))
}

/// The stems of one folded word: its French stem, and its English stem
/// when different. Stems are folded again (the French stemmer keeps some
/// accents) and never shorter than two letters.
pub fn stems(word: &str) -> Vec<String> {
    let (fr, en) = stemmers();
    let mut out = Vec::with_capacity(2);
    for s in [fr.stem(word), en.stem(word)] {
        let s = fold::fold(&s);
        let s = if s.chars().count() < 2 { word.to_owned() } else { s };
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// French compounds whose words mean something else alone: "pommes de
/// terre" are not apples. Folded, and joined into one word.
const COMPOUNDS: &[(&str, &str)] = &[
    ("pommes de terre", "pommedeterre"),
    ("pomme de terre", "pommedeterre"),
    ("laine de verre", "lainedeverre"),
    ("chambre froide", "chambrefroide"),
    ("chambres froides", "chambrefroide"),
    ("salle de bain", "salledebain"),
    ("salle de bains", "salledebain"),
];

/// The stems of a text, each once, stop words and one-letter words left
/// out. Digits stay ("20" kg, "3" places tell listings apart).
pub fn terms(text: &str) -> Vec<String> {
    let stop = stop_words();
    let mut out: Vec<String> = Vec::new();
    let mut words = fold::words(text).join(" ");
    for (phrase, joined) in COMPOUNDS {
        if words.contains(phrase) {
            words = words.replace(phrase, joined);
        }
    }
    for word in words.split(' ').filter(|w| !w.is_empty()).map(str::to_owned) {
        if word.chars().count() < 2 || stop.contains(word.as_str()) {
            continue;
        }
        for stem in stems(&word) {
            if !out.contains(&stem) {
                out.push(stem);
            }
        }
    }
    out
}

/// Terms as small numbers, shared by every listing of an index, with how
/// many listings hold each (for inverse document frequency).
#[derive(Debug, Default)]
pub struct Vocabulary {
    ids: HashMap<String, u32>,
    document_frequency: Vec<u32>,
    documents: u32,
}

impl Vocabulary {
    /// The id of `term`, created when new.
    pub fn intern(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = self.document_frequency.len() as u32;
        self.ids.insert(term.to_owned(), id);
        self.document_frequency.push(0);
        id
    }

    /// The id of `term`, if some listing ever held it.
    pub fn get(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }

    pub fn add_document(&mut self, terms: &[u32]) {
        self.documents += 1;
        for &t in terms {
            if let Some(df) = self.document_frequency.get_mut(t as usize) {
                *df += 1;
            }
        }
    }

    pub fn remove_document(&mut self, terms: &[u32]) {
        self.documents = self.documents.saturating_sub(1);
        for &t in terms {
            if let Some(df) = self.document_frequency.get_mut(t as usize) {
                *df = df.saturating_sub(1);
            }
        }
    }

    /// How telling a term is: rare terms weigh more. A term no listing
    /// holds (a new listing's own) weighs as the rarest.
    pub fn idf(&self, term: u32) -> f32 {
        let df = self.document_frequency.get(term as usize).copied().unwrap_or(0).max(1) as f32;
        (1.0 + (self.documents.max(1) as f32) / df).ln()
    }

    pub fn len(&self) -> usize {
        self.document_frequency.len()
    }

    pub fn is_empty(&self) -> bool {
        self.document_frequency.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(a: &str, b: &str) -> Vec<String> {
        let tb = terms(b);
        terms(a).into_iter().filter(|t| tb.contains(t)).collect()
    }

    #[test]
    fn french_and_english_forms_meet() {
        let s = shared("Réparation de vélos", "Je répare les vélos");
        assert!(s.contains(&"repar".to_owned()) && s.contains(&"velo".to_owned()), "{s:?}");
        let s = shared("bike repair", "repairing bikes");
        assert!(s.contains(&"bike".to_owned()) && s.contains(&"repair".to_owned()), "{s:?}");
        assert_eq!(shared("Vélo", "VELO"), ["velo"]);
    }

    #[test]
    fn traps_do_not_meet() {
        assert!(shared("vélo", "véloroute du Lot").is_empty());
        assert!(shared("Pommes pour compote", "Pommes de terre nouvelles").is_empty());
        assert!(shared("Je cherche un vélo", "Je cherche une perceuse").is_empty(), "stop words only");
    }
}
