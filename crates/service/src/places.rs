//! The gazetteer: loading it ([`import`]) and reading what a person types
//! to say where ([`resolve`]), with suggestions as they type
//! ([`suggest`]). A name means the place `core::places::rank` puts first:
//! the name in full, then places near the territory's centre, then the
//! more populous.

pub mod import;

use std::collections::HashMap;

use maillage_core::geo::{bounding_box, distance_km};
use maillage_core::places::query::{read, NearError, NearText};
use maillage_core::places::rank::{rank, REGION_KM};
use maillage_core::places::search_key;
use maillage_core::Error;
use maillage_db::places::{self, PlaceRow};
use maillage_db::DbConnection;

/// A place of the gazetteer, as pages show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    pub postcodes: Vec<String>,
    pub region: String,
    pub latitude: f64,
    pub longitude: f64,
}

impl Place {
    /// "Die (26150)": what a suggestion fills the field with, read back
    /// by [`resolve`] as that very place.
    pub fn label(&self) -> String {
        match self.postcodes.first() {
            Some(p) => format!("{} ({p})", self.name),
            None => self.name.clone(),
        }
    }
}

/// What a "near" field says.
#[derive(Debug, Clone, PartialEq)]
pub enum Near {
    Point {
        latitude: f64,
        longitude: f64,
    },
    Place(Place),
    /// Numbers that are no point on the Earth.
    NotAPoint,
    /// No place of the gazetteer answers the name or postcode.
    Unknown,
}

/// No place's name is longer (GeoNames allows 200 characters).
const TEXT_MAX: usize = 400;

/// Candidates read per query: the best of a name are among the exact
/// matches, the most populous near the centre and the most populous
/// anywhere.
const CANDIDATES: i64 = 40;

/// The point `text` means, seen from the territory's `centre`; `None`
/// when it is empty.
pub fn resolve(conn: &mut DbConnection, text: &str, centre: (f64, f64)) -> Result<Option<Near>, Error> {
    if text.len() > TEXT_MAX {
        return Ok(Some(Near::Unknown));
    }
    let wanted = match read(text) {
        Ok(wanted) => wanted,
        Err(NearError::Empty) => return Ok(None),
        Err(NearError::NotAPoint) => return Ok(Some(Near::NotAPoint)),
    };
    let best = match wanted {
        NearText::Point { latitude, longitude } => return Ok(Some(Near::Point { latitude, longitude })),
        NearText::Postcode { postcode, name } => {
            let found = postcode_places(conn, &postcode)?;
            let named: Vec<PlaceRow> =
                found.iter().filter(|p| p.folded.starts_with(&name)).cloned().collect();
            gathered(ranked(if named.is_empty() { found } else { named }, &name, centre), 1).pop()
        }
        NearText::Name(key) => gathered(ranked(candidates(conn, &key, centre)?, &key, centre), 1).pop(),
    };
    Ok(Some(best.map_or(Near::Unknown, Near::Place)))
}

/// The point of a place name typed in a form (a listing's, a session's,
/// a group's) when it names a town in full ("Die", "Die (26150)"), the
/// nearest of its namesakes first; `None` for anything else (a venue, a
/// street), which then has no point of its own.
pub fn locate(conn: &mut DbConnection, text: &str, centre: (f64, f64)) -> Result<Option<(f64, f64)>, Error> {
    if text.len() > TEXT_MAX {
        return Ok(None);
    }
    let best = match read(text) {
        Ok(NearText::Name(key)) => {
            ranked(places::exact(conn, &key, CANDIDATES)?, &key, centre).into_iter().next()
        }
        // A postcode the gazetteer lacks still leaves the town's name.
        Ok(NearText::Postcode { name, .. }) => match resolve(conn, text, centre)? {
            Some(Near::Place(place)) => Some(place),
            _ if name.is_empty() => None,
            _ => ranked(places::exact(conn, &name, CANDIDATES)?, &name, centre).into_iter().next(),
        },
        _ => None,
    };
    Ok(best.map(|p| (p.latitude, p.longitude)))
}

/// The point given, else that of the town `name` is ([`locate`], seen
/// from the territory's centre as its actor carries it), else none; for
/// use cases that do not hold the territory.
pub fn point_or_town(
    conn: &mut DbConnection,
    given: (Option<f64>, Option<f64>),
    name: &str,
) -> Result<(Option<f64>, Option<f64>), Error> {
    if given.0.is_some() || given.1.is_some() || name.trim().is_empty() {
        return Ok(given);
    }
    let centre = crate::actors::territory_actor(conn)
        .ok()
        .and_then(|t| t.latitude.zip(t.longitude))
        .unwrap_or((0.0, 0.0));
    let found = locate(conn, name, centre)?;
    Ok((found.map(|p| p.0), found.map(|p| p.1)))
}

/// Up to `limit` places whose name starts with `text`, best first, for a
/// field's suggestions; the same town from two files once.
pub fn suggest(
    conn: &mut DbConnection,
    text: &str,
    centre: (f64, f64),
    limit: usize,
) -> Result<Vec<Place>, Error> {
    if text.len() > TEXT_MAX {
        return Ok(Vec::new());
    }
    let found = match read(text) {
        Ok(NearText::Name(key)) => ranked(candidates(conn, &key, centre)?, &key, centre),
        Ok(NearText::Postcode { postcode, name }) => ranked(postcode_places(conn, &postcode)?, &name, centre),
        _ => Vec::new(),
    };
    Ok(gathered(found, limit))
}

/// The first `limit` of `places`, each town read from two files once
/// (with the postcodes of both).
fn gathered(places: Vec<Place>, limit: usize) -> Vec<Place> {
    let mut shown: Vec<Place> = Vec::new();
    for place in places {
        let twin = shown.iter().position(|s| {
            search_key(&s.name) == search_key(&place.name)
                && distance_km(s.latitude, s.longitude, place.latitude, place.longitude) < TWIN_KM
        });
        match twin {
            Some(i) => {
                for p in place.postcodes {
                    if !shown[i].postcodes.contains(&p) {
                        shown[i].postcodes.push(p);
                    }
                }
            }
            None if shown.len() < limit => shown.push(place),
            None => {}
        }
    }
    shown
}

fn candidates(conn: &mut DbConnection, key: &str, centre: (f64, f64)) -> Result<Vec<PlaceRow>, Error> {
    let mut found = places::exact(conn, key, CANDIDATES)?;
    let near = bounding_box(centre.0, centre.1, REGION_KM);
    found.extend(places::by_prefix(conn, key, Some(near), CANDIDATES)?);
    found.extend(places::by_prefix(conn, key, None, CANDIDATES)?);
    let mut seen = HashMap::new();
    found.retain(|p| seen.insert((p.source.clone(), p.source_id.clone()), ()).is_none());
    Ok(found)
}

/// The places of `postcode`. Communes files carry no population: a place
/// without one takes that of its namesake within a few km (from a GeoNames
/// dump), so that the town a postcode is named after ranks before its
/// hamlets.
fn postcode_places(conn: &mut DbConnection, postcode: &str) -> Result<Vec<PlaceRow>, Error> {
    let mut rows = places::by_postcode(conn, postcode, CANDIDATES)?;
    for row in rows.iter_mut().filter(|r| r.population == 0) {
        row.population = places::exact(conn, &row.folded, CANDIDATES)?
            .iter()
            .filter(|twin| distance_km(row.latitude, row.longitude, twin.latitude, twin.longitude) < TWIN_KM)
            .map(|twin| twin.population)
            .max()
            .unwrap_or(0);
    }
    Ok(rows)
}

/// The same town read from two files lies within this distance of itself.
const TWIN_KM: f64 = 5.0;

/// `rows` best first for the query key `key`.
fn ranked(rows: Vec<PlaceRow>, key: &str, centre: (f64, f64)) -> Vec<Place> {
    let mut rows: Vec<_> = rows
        .into_iter()
        .map(|p| {
            let km = distance_km(centre.0, centre.1, p.latitude, p.longitude);
            (rank(key, &p.folded, p.population, km), p)
        })
        .collect();
    rows.sort_by_key(|(rank, _)| *rank);
    rows.into_iter().map(|(_, p)| place_of(p)).collect()
}

fn place_of(row: PlaceRow) -> Place {
    Place {
        postcodes: row.postcodes.split_whitespace().map(str::to_owned).collect(),
        name: row.name,
        region: row.region,
        latitude: row.latitude,
        longitude: row.longitude,
    }
}
