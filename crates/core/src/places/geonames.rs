//! A line of a GeoNames dump (`https://download.geonames.org/export/dump/`,
//! e.g. `FR.txt`): 19 fields separated by tabs, UTF-8, no header, no
//! quoting. geonameid, name, asciiname, alternatenames, latitude,
//! longitude, feature class, feature code, country code, cc2, admin1 to
//! admin4 codes, population, elevation, dem, timezone, modification date.

use super::{is_point, PlaceRecord, Source, NAME_MAX};

pub const FIELDS: usize = 19;

/// Populated places that no longer are: historical, abandoned, destroyed,
/// former capitals. Kept out, as nobody lives there to exchange anything.
const GONE: &[&str] = &["PPLH", "PPLQ", "PPLW", "PPLCH"];

/// Whether `line` looks like a GeoNames line (for telling file kinds
/// apart by their first line).
pub fn looks_like(line: &str) -> bool {
    let fields: Vec<&str> = line.split('\t').collect();
    fields.len() == FIELDS && fields[0].bytes().all(|b| b.is_ascii_digit()) && !fields[0].is_empty()
}

/// The place of one line: `Ok(None)` for a feature that is no populated
/// place (a mountain, a river, an administrative area); `Err` says what is
/// wrong with a malformed line.
pub fn parse_line(line: &str) -> Result<Option<PlaceRecord>, String> {
    let line = line.trim_end_matches(['\r', '\n']);
    let fields: Vec<&str> = line.split('\t').collect();
    if fields.len() != FIELDS {
        return Err(format!("{} fields separated by tabs, {FIELDS} expected", fields.len()));
    }
    let id = fields[0];
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) || id.len() > 12 {
        return Err(format!("geonameid {id:?} is not a number"));
    }
    let (class, code) = (fields[6], fields[7]);
    if class != "P" || GONE.contains(&code) {
        return Ok(None);
    }
    let name = fields[1].trim();
    if name.is_empty() || name.chars().count() > NAME_MAX {
        return Err(format!("the name is empty or longer than {NAME_MAX} characters"));
    }
    let (latitude, longitude) = match (fields[4].trim().parse::<f64>(), fields[5].trim().parse::<f64>()) {
        (Ok(lat), Ok(lon)) if is_point(lat, lon) => (lat, lon),
        _ => return Err(format!("latitude {:?} and longitude {:?} are no point", fields[4], fields[5])),
    };
    let population = match fields[14].trim() {
        "" => 0,
        p => p.parse::<i64>().ok().filter(|p| *p >= 0).ok_or_else(|| format!("population {p:?}"))?,
    };
    let country = fields[8].trim();
    if !(country.is_empty() || country.len() == 2 && country.bytes().all(|b| b.is_ascii_alphabetic())) {
        return Err(format!("country code {country:?}"));
    }
    let region = if fields[11].trim().is_empty() { fields[10] } else { fields[11] };
    Ok(Some(PlaceRecord {
        source: Source::GeoNames,
        source_id: id.to_owned(),
        name: name.to_owned(),
        postcodes: Vec::new(),
        latitude,
        longitude,
        population,
        country: country.to_ascii_uppercase(),
        region: region.trim().chars().take(20).collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIE: &str = "3021372\tDie\tDie\tDie,Dia,Дье\t44.75360\t5.37033\tP\tPPL\tFR\t\t84\t26\t262\t26113\t4230\t\t415\tEurope/Paris\t2024-01-12";

    #[test]
    fn a_populated_place_is_read() {
        let die = parse_line(DIE).unwrap().unwrap();
        assert_eq!((die.source_id.as_str(), die.name.as_str(), die.population), ("3021372", "Die", 4230));
        assert_eq!((die.latitude, die.longitude), (44.7536, 5.37033));
        assert_eq!((die.country.as_str(), die.region.as_str()), ("FR", "26"));
        assert!(looks_like(DIE));
        assert_eq!(parse_line(&format!("{DIE}\r\n")).unwrap().unwrap().name, "Die");
    }

    #[test]
    fn other_features_are_skipped() {
        let river = DIE.replace("\tP\tPPL\t", "\tH\tSTM\t");
        assert_eq!(parse_line(&river), Ok(None));
        let gone = DIE.replace("\tP\tPPL\t", "\tP\tPPLQ\t");
        assert_eq!(parse_line(&gone), Ok(None));
    }

    #[test]
    fn malformed_lines_say_why() {
        assert!(parse_line("3021372\tDie").unwrap_err().contains("2 fields"));
        assert!(parse_line(&DIE.replace("3021372", "x1")).unwrap_err().contains("geonameid"));
        assert!(parse_line(&DIE.replace("44.75360", "144.7")).unwrap_err().contains("no point"));
        assert!(parse_line(&DIE.replace("\t4230\t", "\t-4\t")).unwrap_err().contains("population"));
        assert!(parse_line(&DIE.replace("\tDie\tDie\t", "\t \tDie\t")).unwrap_err().contains("name"));
        assert!(!looks_like("code_commune_insee,nom_commune"));
    }
}
