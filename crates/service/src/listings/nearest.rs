//! Listings by distance from a point, nearest first, a page at a time.
//! The database gives the id and point of every listing the search's
//! conditions keep inside the circle's bounding box (at most
//! [`NEAREST_CAP`]); they are sorted here by their exact
//! distance, and only the rows of the page asked for are loaded and
//! checked with [`can_see`](super::can_see) (a few queries a chunk, not
//! one a row).

use std::collections::HashMap;

use maillage_core::geo::distance_km;
use maillage_core::policy::FederationPolicy;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::listings::{self, ListingRow};
use maillage_db::DbConnection;

use super::read::{filter_of, keep_visible, ListingQuery};

/// The most listings a search by distance sorts: far more than a
/// territory holds within a few dozen kilometres.
pub const NEAREST_CAP: i64 = 5000;

/// One page of listings, each with its distance in km, nearest first.
#[derive(Debug, Default)]
pub struct Nearest {
    pub listings: Vec<(ListingRow, f64)>,
    /// Whether a next page has listings.
    pub more: bool,
}

/// Page `page` (from 1) of the listings matching `query` within
/// `query.radius_km` of `query.near` that `viewer` may see, nearest
/// first (the newest first at the same distance); `query.limit` (1 to
/// 100) per page. Nothing without `query.near`.
pub fn search_nearest(
    conn: &mut DbConnection,
    policy: &FederationPolicy,
    viewer: Option<&ActorRow>,
    query: &ListingQuery,
    page: u32,
) -> Result<Nearest, Error> {
    let Some((lat, lon)) = query.near else {
        return Ok(Nearest::default());
    };
    let filter = filter_of(conn, policy, viewer, query)?;
    let mut points: Vec<(i64, f64)> = listings::points(conn, &filter, NEAREST_CAP)?
        .into_iter()
        .map(|(id, a, b)| (id, distance_km(lat, lon, a, b)))
        .filter(|(_, km)| *km <= query.radius_km)
        .collect();
    points.sort_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
    let size = usize::try_from(query.limit.clamp(1, 100)).unwrap_or(100);
    let skip = (page.max(1) as usize - 1).saturating_mul(size);
    let mut passed = 0;
    let mut found = Nearest::default();
    'pages: for chunk in points.chunks(size.max(50)) {
        let ids: Vec<i64> = chunk.iter().map(|(id, _)| *id).collect();
        let loaded = listings::find_by_ids(conn, &ids)?;
        let mut rows: HashMap<i64, ListingRow> =
            keep_visible(conn, loaded, viewer)?.into_iter().map(|r| (r.id, r)).collect();
        for (id, km) in chunk {
            let Some(row) = rows.remove(id) else { continue };
            if passed < skip {
                passed += 1;
            } else if found.listings.len() == size {
                found.more = true;
                break 'pages;
            } else {
                found.listings.push((row, *km));
            }
        }
    }
    Ok(found)
}
