//! Loading the gazetteer from a GeoNames dump or a French communes CSV,
//! the kind told by the first line. The whole file is read and checked
//! first, so a file of the wrong kind, or with too many malformed lines,
//! is refused before anything is written; then the places go in by
//! batches of [`BATCH_MAX`], each in its own transaction (a running node
//! keeps writing in between), each place replacing the one with the same
//! source and id. Nothing is ever deleted: a new import of the same file
//! changes nothing, and a refused one loses nothing.

use std::io::BufRead;

use maillage_core::places::communes::{Columns, CommuneRow, Communes};
use maillage_core::places::{geonames, search_key, PlaceRecord, Source};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::places::{self, PlaceRow, PostcodeRow, BATCH_MAX};
use maillage_db::{transaction, DbConnection};

/// Malformed lines named in a report; the rest are counted.
pub const NAMED_MAX: usize = 20;

/// A file is refused when more than this share of its lines is malformed.
pub const MALFORMED_SHARE_MAX: f64 = 0.01;

/// A file read and checked, not yet stored.
#[derive(Debug)]
pub struct ReadFile {
    pub source: Source,
    pub places: Vec<PlaceRecord>,
    pub lines: usize,
    /// Lines of other features (GeoNames), communes without a point.
    pub skipped: usize,
    /// (line number from 1, what is wrong), the first [`NAMED_MAX`].
    pub malformed: Vec<(usize, String)>,
    pub malformed_count: usize,
}

impl ReadFile {
    /// "line 3: 2 fields…; line 9: …" and how many more.
    pub fn malformed_summary(&self) -> String {
        let mut text =
            self.malformed.iter().map(|(n, why)| format!("line {n}: {why}")).collect::<Vec<_>>().join("; ");
        if self.malformed_count > self.malformed.len() {
            text.push_str(&format!("; and {} more", self.malformed_count - self.malformed.len()));
        }
        text
    }

    fn note_malformed(&mut self, line: usize, why: String) {
        self.malformed_count += 1;
        if self.malformed.len() < NAMED_MAX {
            self.malformed.push((line, why));
        }
    }
}

enum Line {
    Place(PlaceRecord),
    Commune(CommuneRow),
    Skipped,
}

/// Reads and checks a whole file: refused (422, nothing read kept) when
/// it is of no known kind, holds no place, or has more malformed lines
/// than [`MALFORMED_SHARE_MAX`].
pub fn read_file(mut input: impl BufRead) -> Result<ReadFile, Error> {
    let mut bytes = Vec::new();
    let mut next_line = |number: usize| -> Result<Option<Result<String, String>>, Error> {
        bytes.clear();
        match input.read_until(b'\n', &mut bytes) {
            Ok(0) => Ok(None),
            Ok(_) => Ok(Some(
                String::from_utf8(std::mem::take(&mut bytes)).map_err(|_| "not UTF-8 text".to_owned()),
            )),
            Err(e) => Err(Error::unprocessable(format!("cannot read line {number}: {e}"))),
        }
    };
    let first = match next_line(1)? {
        Some(Ok(line)) => line,
        Some(Err(_)) => return Err(Error::unprocessable("the file is not UTF-8 text")),
        None => return Err(Error::unprocessable("the file is empty")),
    };
    let header = Columns::from_header(&first);
    let source = match (&header, geonames::looks_like(first.trim_end_matches(['\r', '\n']))) {
        (_, true) => Source::GeoNames,
        (Some(_), false) => Source::Communes,
        (None, false) => {
            return Err(Error::unprocessable(
                "the file is neither a GeoNames dump (19 fields separated by tabs, e.g. FR.txt) nor a \
                 communes CSV (a header with code_commune_insee, nom_commune, code_postal, latitude and \
                 longitude)",
            ))
        }
    };
    let mut read = ReadFile {
        source,
        places: Vec::new(),
        lines: 0,
        skipped: 0,
        malformed: Vec::new(),
        malformed_count: 0,
    };
    let mut communes = Communes::default();
    let mut pending = match source {
        Source::GeoNames => Some(Ok(first)),
        Source::Communes => next_line(2)?,
    };
    let mut number = if source == Source::GeoNames { 1 } else { 2 };
    while let Some(line) = pending {
        let blank = line.as_ref().is_ok_and(|l| l.trim().is_empty());
        if !blank {
            read.lines += 1;
            let parsed = line.and_then(|line| match (source, &header) {
                (Source::GeoNames, _) => {
                    geonames::parse_line(&line).map(|p| p.map_or(Line::Skipped, Line::Place))
                }
                (Source::Communes, Some(columns)) => columns.parse_row(&line).map(Line::Commune),
                (Source::Communes, None) => Ok(Line::Skipped),
            });
            match parsed {
                Ok(Line::Place(place)) => read.places.push(place),
                Ok(Line::Commune(row)) => communes.add(row),
                Ok(Line::Skipped) => read.skipped += 1,
                Err(why) => read.note_malformed(number, why),
            }
        }
        number += 1;
        pending = next_line(number)?;
    }
    if source == Source::Communes {
        let (places, without_point) = communes.finish();
        read.places = places;
        read.skipped += without_point;
    }
    let share = read.malformed_count as f64 / read.lines.max(1) as f64;
    if share > MALFORMED_SHARE_MAX || read.places.is_empty() {
        let why = if read.malformed_count == 0 {
            "it holds no populated place".to_owned()
        } else {
            format!(
                "{} of its {} lines are malformed ({})",
                read.malformed_count,
                read.lines,
                read.malformed_summary()
            )
        };
        return Err(Error::unprocessable(format!("the file is refused: {why}; nothing was imported")));
    }
    Ok(read)
}

/// Stores the places of `read` by batches, telling `progress` how many
/// are in after each.
pub fn store(conn: &mut DbConnection, read: &ReadFile, progress: &mut dyn FnMut(usize)) -> Result<(), Error> {
    let now = Timestamp::now().as_micros();
    let source = read.source.as_str();
    let mut done = 0;
    for chunk in read.places.chunks(BATCH_MAX) {
        let rows: Vec<PlaceRow> = chunk.iter().map(|p| row_of(p, now)).collect();
        let postcodes: Vec<PostcodeRow> = chunk
            .iter()
            .flat_map(|p| {
                p.postcodes.iter().map(|code| PostcodeRow {
                    postcode: code.clone(),
                    source: source.to_owned(),
                    source_id: p.source_id.clone(),
                })
            })
            .collect();
        transaction::write(conn, |conn| places::replace_batch(conn, source, &rows, &postcodes))?;
        done += chunk.len();
        progress(done);
    }
    places::tidy_after_import(conn)
}

/// [`read_file`] then [`store`]: what `maillage admin places import` does.
pub fn import(
    conn: &mut DbConnection,
    input: impl BufRead,
    progress: &mut dyn FnMut(usize),
) -> Result<ReadFile, Error> {
    let read = read_file(input)?;
    store(conn, &read, progress)?;
    Ok(read)
}

fn row_of(p: &PlaceRecord, now: i64) -> PlaceRow {
    PlaceRow {
        source: p.source.as_str().to_owned(),
        source_id: p.source_id.clone(),
        name: p.name.clone(),
        folded: search_key(&p.name),
        postcodes: p.postcodes.join(" "),
        latitude: p.latitude,
        longitude: p.longitude,
        population: p.population,
        country: p.country.clone(),
        region: p.region.clone(),
        updated_at: now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geonames_line(id: u32, name: &str) -> String {
        format!("{id}\t{name}\t{name}\t\t44.75\t5.37\tP\tPPL\tFR\t\t84\t26\t262\t26113\t100\t\t415\tEurope/Paris\t2024-01-12\n")
    }

    #[test]
    fn a_geonames_dump_is_read_with_its_malformed_lines_named() {
        let mut text: String = (1..=200).map(|i| geonames_line(i, &format!("Lieu {i}"))).collect();
        text.push('\n');
        text.push_str("oops\tbroken\n");
        let read = read_file(text.as_bytes()).unwrap();
        assert_eq!((read.source, read.places.len(), read.lines), (Source::GeoNames, 200, 201));
        assert_eq!(read.malformed, [(202, "2 fields separated by tabs, 19 expected".to_owned())]);
    }

    #[test]
    fn too_many_malformed_lines_refuse_the_file() {
        let text = format!("{}{}", geonames_line(1, "Die"), "1\tbad\n");
        let err = read_file(text.as_bytes()).unwrap_err();
        assert!(
            err.message().contains("1 of its 2 lines are malformed (line 2: 2 fields"),
            "{}",
            err.message()
        );
        assert!(err.message().contains("nothing was imported"));
    }

    #[test]
    fn unknown_empty_and_binary_files_are_refused() {
        for (input, says) in [
            (&b""[..], "empty"),
            (&b"name,lat,lon\nDie,44,5\n"[..], "neither a GeoNames dump"),
            (&b"\xff\xfe\x00garbage"[..], "not UTF-8"),
        ] {
            let err = read_file(input).unwrap_err();
            assert!(err.message().contains(says), "{}", err.message());
        }
    }

    #[test]
    fn a_communes_file_gathers_rows_and_skips_rows_without_a_point() {
        let text = "code_commune_insee;nom_commune;code_postal;latitude;longitude\r\n\
                    26113;Die;26150;44.7536;5.3703\r\n\
                    26281;Romans-sur-Isère;26100;45.0434;5.0511\r\n\
                    26281;Romans-sur-Isère;26000;45.0434;5.0511\r\n\
                    26999;Nulle-Part;26000;;\r\n";
        let read = read_file(text.as_bytes()).unwrap();
        assert_eq!((read.source, read.places.len(), read.skipped), (Source::Communes, 2, 1));
        assert_eq!(read.places[1].postcodes, ["26000", "26100"]);
    }
}
