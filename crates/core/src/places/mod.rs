//! Places of a gazetteer (GeoNames dumps, the French communes files) and
//! what a person types to say where: "44.75, 5.37", "26150" or "Die".
//! Pure: reading the files and storing the places is `service::places`.
//!
//! - [`geonames`]: a line of a GeoNames dump (`FR.txt`).
//! - [`communes`]: the French communes CSV files (data.gouv, La Poste),
//!   columns found by their header.
//! - [`query`]: the text of a "near" field, read.
//! - [`rank`]: which of several places of that name is meant.

pub mod communes;
pub mod geonames;
pub mod query;
pub mod rank;

/// One place, as read from a file, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceRecord {
    /// Which file kind it came from ([`Source::as_str`]).
    pub source: Source,
    /// Its id in that source: a geonameid, an INSEE code.
    pub source_id: String,
    pub name: String,
    /// Postcodes, ascending, without repeats.
    pub postcodes: Vec<String>,
    pub latitude: f64,
    pub longitude: f64,
    pub population: i64,
    /// ISO 3166 country code, upper case.
    pub country: String,
    /// The region a person recognises the place by (a French département).
    pub region: String,
}

/// The kinds of file a gazetteer is loaded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    GeoNames,
    Communes,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::GeoNames => "geonames",
            Source::Communes => "communes",
        }
    }
}

/// Longest name kept; GeoNames allows 200 characters.
pub const NAME_MAX: usize = 200;

/// The key a name is searched by: folded (case, accents, ligatures), every
/// run of other characters one space, and "st"/"ste" read as "saint"/
/// "sainte", so that "Saint-Jean-en-Royans", "ST JEAN EN ROYANS" and
/// "st jean" share a prefix. Only letters, digits and single spaces remain,
/// so the key is safe in a `LIKE` pattern.
pub fn search_key(name: &str) -> String {
    let folded = crate::fold::fold(name);
    let mut key = String::with_capacity(folded.len());
    for word in folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(match word {
            "st" => "saint",
            "ste" => "sainte",
            w => w,
        });
    }
    key
}

/// A French postcode: five digits.
pub fn is_postcode(text: &str) -> bool {
    text.len() == 5 && text.bytes().all(|b| b.is_ascii_digit())
}

/// Whether (latitude, longitude) is a point on the Earth.
pub fn is_point(lat: f64, lon: f64) -> bool {
    (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_share_a_key_whatever_their_spelling() {
        assert_eq!(search_key("Saint-Jean-en-Royans"), "saint jean en royans");
        assert_eq!(search_key("ST JEAN EN ROYANS"), "saint jean en royans");
        assert_eq!(search_key("  st  jean "), "saint jean");
        assert_eq!(search_key("Châtillon-en-Diois"), "chatillon en diois");
        assert_eq!(search_key("L'Œuvre"), "l oeuvre");
        assert_eq!(search_key("100% _ faux"), "100 faux");
        assert_eq!(search_key("Stes-Maries"), "stes maries");
        assert_eq!(search_key("-- "), "");
    }

    #[test]
    fn postcodes_and_points() {
        assert!(is_postcode("26150") && !is_postcode("2615") && !is_postcode("2615a"));
        assert!(is_point(44.75, 5.37) && !is_point(91.0, 0.0) && !is_point(0.0, f64::NAN));
    }
}
