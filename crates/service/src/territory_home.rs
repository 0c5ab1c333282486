//! What the territory's home page shows: its latest public offers and
//! needs, upcoming sessions, its groups and the territories linked with it.

use maillage_core::listing::{ListingKind, ListingStatus, ListingVisibility};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::groups::{self, GroupRow};
use maillage_db::listings::{self, ListingFilter, ListingRow};
use maillage_db::sessions::{self, SessionRow};
use maillage_db::DbConnection;

#[derive(Debug, Clone)]
pub struct Home {
    pub offers: Vec<ListingRow>,
    pub needs: Vec<ListingRow>,
    /// Each with how many have a place.
    pub sessions: Vec<(SessionRow, i64)>,
    pub groups: Vec<(GroupRow, ActorRow)>,
    /// Linked territories: their actors.
    pub links: Vec<ActorRow>,
}

const SHOWN: i64 = 8;

fn open_public(conn: &mut DbConnection, kind: ListingKind) -> Result<Vec<ListingRow>, Error> {
    listings::search(
        conn,
        &ListingFilter {
            kind: Some(kind),
            statuses: vec![ListingStatus::Open],
            local: Some(true),
            visibilities: vec![ListingVisibility::Public],
            limit: SHOWN,
            ..ListingFilter::default()
        },
    )
}

pub fn home(conn: &mut DbConnection, now: Timestamp) -> Result<Home, Error> {
    let links = maillage_db::links::all(conn)?
        .into_iter()
        .filter(|(link, _)| link.is_active())
        .map(|(_, partner)| partner)
        .collect();
    Ok(Home {
        offers: open_public(conn, ListingKind::Offer)?,
        needs: open_public(conn, ListingKind::Need)?,
        sessions: sessions::upcoming(conn, now.as_micros(), SHOWN)?
            .into_iter()
            .map(|s| Ok((sessions::count_in_state(conn, s.id(), "going")?, s)))
            .map(|r: Result<(i64, SessionRow), Error>| r.map(|(n, s)| (s, n)))
            .collect::<Result<Vec<_>, Error>>()?,
        groups: groups::local_groups(conn, SHOWN)?,
        links,
    })
}
