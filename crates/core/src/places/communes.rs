//! The French communes CSV files, told apart by their header: data.gouv's
//! `communes-departement-region.csv` (`code_commune_INSEE`,
//! `nom_commune_complet`, `code_postal`, `latitude`, `longitude`, …,
//! comma-separated) and La Poste's base of postcodes (`code_commune_insee`,
//! `nom_de_la_commune`, `code_postal`, … and the point as "lat,lon" in
//! `_geopoint` or `coordonnees_gps`, semicolon-separated). A commune has a
//! row per postcode (and per locality), so rows are gathered by INSEE code.

use std::collections::{HashMap, HashSet};

use super::{is_point, PlaceRecord, Source, NAME_MAX};

/// Where each needed value sits in a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub separator: char,
    insee: usize,
    name: usize,
    postcode: usize,
    point: PointColumns,
    population: Option<usize>,
    region: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PointColumns {
    Apart {
        latitude: usize,
        longitude: usize,
    },
    /// One column holding "lat,lon".
    Together(usize),
}

const NAMES: &[&str] = &["nom_commune_complet", "nom_commune", "nom_de_la_commune", "nom_commune_postal"];
const POINTS: &[&str] = &["_geopoint", "geopoint", "coordonnees_gps", "coordonnees_geographiques"];

impl Columns {
    /// The columns of a header line; `None` when it is no communes header.
    pub fn from_header(line: &str) -> Option<Columns> {
        let line = line.trim_start_matches('\u{feff}').trim_end_matches(['\r', '\n']);
        let separator = [';', '\t', ','].into_iter().find(|s| line.contains(*s))?;
        let names: Vec<String> = split(line, separator)
            .iter()
            .map(|h| h.trim().trim_start_matches('#').trim().to_ascii_lowercase())
            .collect();
        let find = |wanted: &str| names.iter().position(|n| n == wanted);
        let point = match (find("latitude"), find("longitude")) {
            (Some(latitude), Some(longitude)) => PointColumns::Apart { latitude, longitude },
            _ => PointColumns::Together(POINTS.iter().find_map(|p| find(p))?),
        };
        Some(Columns {
            separator,
            insee: find("code_commune_insee")?,
            name: NAMES.iter().find_map(|n| find(n))?,
            postcode: find("code_postal")?,
            point,
            population: find("population"),
            region: find("code_departement"),
        })
    }

    /// One row read: `Err` says what is wrong.
    pub fn parse_row(&self, line: &str) -> Result<CommuneRow, String> {
        let fields = split(line.trim_end_matches(['\r', '\n']), self.separator);
        let get = |i: usize| fields.get(i).map(|f| f.trim()).unwrap_or("");
        let width = [self.insee, self.name, self.postcode].into_iter().max().unwrap_or(0);
        if fields.len() <= width {
            return Err(format!("{} fields, at least {} expected", fields.len(), width + 1));
        }
        let insee = get(self.insee);
        if insee.len() != 5 || !insee.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(format!("INSEE code {insee:?}"));
        }
        let name = get(self.name);
        if name.is_empty() || name.chars().count() > NAME_MAX {
            return Err("the name is empty or too long".to_owned());
        }
        let postcode = get(self.postcode);
        let postcode = match postcode.len() {
            // Spreadsheets drop the leading zero (01000 read as 1000).
            4 if postcode.bytes().all(|b| b.is_ascii_digit()) => format!("0{postcode}"),
            _ if super::is_postcode(postcode) => postcode.to_owned(),
            _ => return Err(format!("postcode {postcode:?}")),
        };
        let (lat, lon) = match &self.point {
            PointColumns::Apart { latitude, longitude } => {
                (get(*latitude).to_owned(), get(*longitude).to_owned())
            }
            PointColumns::Together(i) => {
                let text = get(*i);
                let (a, b) = text.split_once(',').unwrap_or((text, ""));
                (a.trim().to_owned(), b.trim().to_owned())
            }
        };
        let point = if lat.is_empty() && lon.is_empty() {
            None
        } else {
            match (lat.parse::<f64>(), lon.parse::<f64>()) {
                (Ok(a), Ok(b)) if is_point(a, b) => Some((a, b)),
                _ => return Err(format!("latitude {lat:?} and longitude {lon:?} are no point")),
            }
        };
        let population = self.population.and_then(|i| get(i).parse::<i64>().ok()).filter(|p| *p >= 0);
        let region = match self.region.map(get).filter(|r| !r.is_empty()) {
            Some(r) => r.chars().take(20).collect(),
            None if insee.starts_with("97") => insee.chars().take(3).collect(),
            None => insee.chars().take(2).collect(),
        };
        Ok(CommuneRow {
            insee: insee.to_ascii_uppercase(),
            name: name.to_owned(),
            postcode,
            point,
            population,
            region,
        })
    }
}

/// One row of a communes file.
#[derive(Debug, Clone, PartialEq)]
pub struct CommuneRow {
    pub insee: String,
    pub name: String,
    pub postcode: String,
    pub point: Option<(f64, f64)>,
    pub population: Option<i64>,
    pub region: String,
}

/// Rows gathered into one place per commune.
#[derive(Debug, Default)]
pub struct Communes {
    by_insee: HashMap<String, PlaceRecord>,
    order: Vec<String>,
    /// Communes with no row giving a point (some of La Poste's).
    without_point: HashSet<String>,
}

impl Communes {
    pub fn add(&mut self, row: CommuneRow) {
        let Some((latitude, longitude)) = row.point else {
            if !self.by_insee.contains_key(&row.insee) {
                self.without_point.insert(row.insee);
            }
            return;
        };
        self.without_point.remove(&row.insee);
        let place = self.by_insee.entry(row.insee.clone()).or_insert_with(|| {
            self.order.push(row.insee.clone());
            PlaceRecord {
                source: Source::Communes,
                source_id: row.insee.clone(),
                name: row.name.clone(),
                postcodes: Vec::new(),
                latitude,
                longitude,
                population: 0,
                country: "FR".to_owned(),
                region: row.region.clone(),
            }
        });
        if let Err(at) = place.postcodes.binary_search(&row.postcode) {
            place.postcodes.insert(at, row.postcode);
        }
        if let Some(p) = row.population {
            place.population = place.population.max(p);
        }
    }

    /// The communes in the order first met, and how many had no point.
    pub fn finish(mut self) -> (Vec<PlaceRecord>, usize) {
        let places = self.order.iter().filter_map(|insee| self.by_insee.remove(insee)).collect();
        (places, self.without_point.len())
    }
}

/// The fields of a line, double quotes honoured ("a;b" is one field, ""
/// inside quotes one quote).
pub fn split(line: &str, separator: char) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' if quoted => quoted = false,
            '"' if field.trim().is_empty() => quoted = true,
            c if c == separator && !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATA_GOUV: &str = "code_commune_INSEE,nom_commune_postal,code_postal,libelle_acheminement,ligne_5,latitude,longitude,code_commune,article,nom_commune,nom_commune_complet,code_departement,nom_departement,code_region,nom_region";
    const LA_POSTE: &str =
        "\u{feff}#Code_commune_INSEE;Nom_de_la_commune;Code_postal;Libellé_d_acheminement;Ligne_5;_geopoint";

    #[test]
    fn data_gouv_rows_are_read_by_their_header() {
        let columns = Columns::from_header(DATA_GOUV).unwrap();
        assert_eq!(columns.separator, ',');
        let row = columns
            .parse_row("26113,DIE,26150,DIE,,44.7536,5.3703,113,,Die,Die,26,Drôme,84,Auvergne-Rhône-Alpes")
            .unwrap();
        assert_eq!((row.insee.as_str(), row.name.as_str(), row.postcode.as_str()), ("26113", "Die", "26150"));
        assert_eq!((row.point, row.region.as_str()), (Some((44.7536, 5.3703)), "26"));
    }

    #[test]
    fn la_poste_rows_carry_the_point_in_one_column() {
        let columns = Columns::from_header(LA_POSTE).unwrap();
        assert_eq!(columns.separator, ';');
        let row = columns
            .parse_row("26307;ST JEAN EN ROYANS;26190;ST JEAN EN ROYANS;;\"45.0189, 5.2925\"")
            .unwrap();
        assert_eq!(
            (row.name.as_str(), row.point, row.region.as_str()),
            ("ST JEAN EN ROYANS", Some((45.0189, 5.2925)), "26")
        );
        assert_eq!(columns.parse_row("97411;ST DENIS;97400;ST DENIS;;").unwrap().region, "974");
        assert_eq!(columns.parse_row("1001;L ABERGEMENT;1400;X;;").unwrap_err(), "INSEE code \"1001\"");
        assert_eq!(columns.parse_row("01001;L ABERGEMENT;1400;X;;").unwrap().postcode, "01400");
    }

    #[test]
    fn other_headers_are_not_communes() {
        assert_eq!(Columns::from_header("code_commune_insee,nom_commune,latitude,longitude"), None);
        assert_eq!(Columns::from_header("hello world"), None);
    }

    #[test]
    fn malformed_rows_say_why() {
        let columns = Columns::from_header(DATA_GOUV).unwrap();
        assert!(columns.parse_row("26113,DIE").unwrap_err().contains("fields"));
        assert!(columns
            .parse_row("26113,DIE,2615x,DIE,,44.7,5.3,,,Die,Die,26,,,")
            .unwrap_err()
            .contains("postcode"));
        assert!(columns
            .parse_row("26113,DIE,26150,DIE,,north,5.3,,,Die,Die,26,,,")
            .unwrap_err()
            .contains("point"));
        assert!(columns.parse_row("26113,DIE,26150,DIE,,,,,,Die,,26,,,").unwrap_err().contains("name"));
    }

    #[test]
    fn a_commune_gathers_its_postcodes() {
        let columns = Columns::from_header(DATA_GOUV).unwrap();
        let mut communes = Communes::default();
        for line in [
            "26281,ROMANS SUR ISERE,26100,ROMANS SUR ISERE,,45.0434,5.0511,,,Romans-sur-Isère,Romans-sur-Isère,26,,,",
            "26999,NOWHERE,26000,NOWHERE,,,,,,Nowhere,Nowhere,26,,,",
            "26281,ROMANS SUR ISERE,26000,ROMANS SUR ISERE,,45.0434,5.0511,,,Romans-sur-Isère,Romans-sur-Isère,26,,,",
            "26281,ROMANS SUR ISERE,26100,ROMANS SUR ISERE,,45.0434,5.0511,,,Romans-sur-Isère,Romans-sur-Isère,26,,,",
        ] {
            communes.add(columns.parse_row(line).unwrap());
        }
        let (places, without_point) = communes.finish();
        assert_eq!(places.len(), 1);
        assert_eq!(places[0].postcodes, ["26000", "26100"]);
        assert_eq!(without_point, 1);
    }

    #[test]
    fn quotes_hold_separators() {
        assert_eq!(split(r#"a;"b;c";"d ""e""";"#, ';'), ["a", "b;c", "d \"e\"", ""]);
        assert_eq!(split("x", ','), ["x"]);
    }
}
