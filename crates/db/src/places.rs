//! The gazetteer: `places` (towns and villages, by source and id there)
//! and `place_postcodes`. Names are searched by their folded key
//! (`core::places::search_key`), by prefix, on an index.

use diesel::prelude::*;
use maillage_core::Error;

use crate::batch_insert;
use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::{place_postcodes, places};

/// Runs the same query on the connection underneath. Through the
/// MultiConnection, `eq_any` binds one parameter per value (`IN ($2, …,
/// $1001)`), and PostgreSQL then filters every row of the source against
/// the list instead of probing the primary key: an import slowed with the
/// table's size (0.2 s per batch of 1,000 at 9,000 places). On the
/// connection itself it binds one array (`= ANY($2)`), which probes.
macro_rules! on_each_backend {
    ($conn:expr, |$c:ident| $query:expr) => {
        match $conn {
            DbConnection::Pg($c) => $query,
            DbConnection::Sqlite($c) => $query,
        }
    };
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = places)]
pub struct PlaceRow {
    pub source: String,
    pub source_id: String,
    pub name: String,
    /// The search key of the name.
    pub folded: String,
    /// Space-separated, ascending.
    pub postcodes: String,
    pub latitude: f64,
    pub longitude: f64,
    pub population: i64,
    pub country: String,
    pub region: String,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = place_postcodes)]
pub struct PostcodeRow {
    pub postcode: String,
    pub source: String,
    pub source_id: String,
}

/// Rows of one batch share one source; keeps the binds of one statement
/// well under SQLite's limit (32766) with 11 columns.
pub const BATCH_MAX: usize = 1000;

/// Puts `rows` (all of `source`, at most [`BATCH_MAX`]) in place of the
/// places with the same ids, with their postcodes. Call inside a write
/// transaction.
pub fn replace_batch(
    conn: &mut DbConnection,
    source: &str,
    rows: &[PlaceRow],
    postcodes: &[PostcodeRow],
) -> Result<(), Error> {
    let ids: Vec<&str> = rows.iter().map(|r| r.source_id.as_str()).collect();
    if let DbConnection::Pg(c) = conn {
        // After five runs PostgreSQL would keep a plan made when the table
        // was nearly empty (a scan, each row against the whole list); the
        // table grows by a batch each time, so plan each with its own
        // values (the key probed). For this transaction only.
        use diesel::connection::SimpleConnection;
        c.batch_execute("SET LOCAL plan_cache_mode = force_custom_plan").map_err(db_error)?;
    }
    on_each_backend!(conn, |c| {
        diesel::delete(places::table.filter(places::source.eq(source)).filter(places::source_id.eq_any(&ids)))
            .execute(c)
    })
    .map_err(db_error)?;
    on_each_backend!(conn, |c| {
        diesel::delete(
            place_postcodes::table
                .filter(place_postcodes::source.eq(source))
                .filter(place_postcodes::source_id.eq_any(&ids)),
        )
        .execute(c)
    })
    .map_err(db_error)?;
    if !rows.is_empty() {
        batch_insert!(conn, places::table, rows)?;
    }
    for chunk in postcodes.chunks(BATCH_MAX * 3) {
        batch_insert!(conn, place_postcodes::table, chunk)?;
    }
    Ok(())
}

/// Places whose key is exactly `key`, the most populous first.
pub fn exact(conn: &mut DbConnection, key: &str, limit: i64) -> Result<Vec<PlaceRow>, Error> {
    places::table
        .select(PlaceRow::as_select())
        .filter(places::folded.eq(key))
        .order((places::population.desc(), places::source_id))
        .limit(limit)
        .load(conn)
        .map_err(db_error)
}

/// Places whose key starts with `prefix` (letters, digits and spaces
/// only, as search keys are), within the box (south, west, north, east)
/// when one is given, the most populous first. The matches are ranked on
/// the index alone (it holds population, point and keys), then only the
/// rows kept are read.
pub fn by_prefix(
    conn: &mut DbConnection,
    prefix: &str,
    bbox: Option<(f64, f64, f64, f64)>,
    limit: i64,
) -> Result<Vec<PlaceRow>, Error> {
    if prefix.is_empty() || !prefix.chars().all(|c| c.is_alphanumeric() || c == ' ') {
        return Ok(Vec::new());
    }
    let mut q = places::table
        .select((places::source, places::source_id))
        .filter(places::folded.like(format!("{prefix}%")))
        .into_boxed();
    if let Some((south, west, north, east)) = bbox {
        q = q.filter(places::latitude.between(south, north)).filter(places::longitude.between(west, east));
    }
    let keys: Vec<(String, String)> =
        q.order((places::population.desc(), places::source_id)).limit(limit).load(conn).map_err(db_error)?;
    let mut rows = by_keys(conn, &keys)?;
    rows.sort_by(|a, b| b.population.cmp(&a.population).then_with(|| a.source_id.cmp(&b.source_id)));
    Ok(rows)
}

/// Places that carry `postcode`.
pub fn by_postcode(conn: &mut DbConnection, postcode: &str, limit: i64) -> Result<Vec<PlaceRow>, Error> {
    let keys: Vec<(String, String)> = place_postcodes::table
        .select((place_postcodes::source, place_postcodes::source_id))
        .filter(place_postcodes::postcode.eq(postcode))
        .limit(limit)
        .load(conn)
        .map_err(db_error)?;
    by_keys(conn, &keys)
}

/// The places of these (source, source id) keys, in no particular order.
fn by_keys(conn: &mut DbConnection, keys: &[(String, String)]) -> Result<Vec<PlaceRow>, Error> {
    let mut found = Vec::new();
    let mut sources: Vec<&str> = keys.iter().map(|(s, _)| s.as_str()).collect();
    sources.sort_unstable();
    sources.dedup();
    for source in sources {
        let ids: Vec<&str> = keys.iter().filter(|(s, _)| s == source).map(|(_, id)| id.as_str()).collect();
        let rows: Vec<PlaceRow> = on_each_backend!(conn, |c| {
            places::table
                .select(PlaceRow::as_select())
                .filter(places::source.eq(source))
                .filter(places::source_id.eq_any(&ids))
                .load(c)
        })
        .map_err(db_error)?;
        found.extend(rows);
    }
    Ok(found)
}

/// After an import: fresh statistics for the planner, and on PostgreSQL
/// the visibility map that lets a prefix search rank on the index alone
/// (what autovacuum would do a minute later). Outside any transaction.
pub fn tidy_after_import(conn: &mut DbConnection) -> Result<(), Error> {
    use diesel::connection::SimpleConnection;
    match conn {
        DbConnection::Pg(c) => c.batch_execute("VACUUM (ANALYZE) places, place_postcodes"),
        DbConnection::Sqlite(c) => c.batch_execute("ANALYZE places; ANALYZE place_postcodes"),
    }
    .map_err(db_error)
}

/// How many places the gazetteer holds.
pub fn count(conn: &mut DbConnection) -> Result<i64, Error> {
    places::table.count().get_result(conn).map_err(db_error)
}
