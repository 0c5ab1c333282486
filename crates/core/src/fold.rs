//! Case and accent folding for comparing words people type: "Vélo",
//! "VELO" and "velo" are one word; "œuf" reads "oeuf". Used by content
//! filters and by matching.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower case, accents removed, ligatures opened.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            '’' | '`' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The folded words of `text`: runs of letters and digits. An apostrophe
/// splits ("l'atelier" gives "l" and "atelier").
pub fn words(text: &str) -> Vec<String> {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_ligatures() {
        assert_eq!(fold("Vélo"), "velo");
        assert_eq!(fold("ŒUF à la coque"), "oeuf a la coque");
        assert_eq!(words("Réparation de vélos, l'atelier!"), ["reparation", "de", "velos", "l", "atelier"]);
    }
}
