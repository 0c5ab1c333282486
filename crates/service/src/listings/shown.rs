//! A local listing as its page shows it: the listing, its author, and how
//! many open listings of theirs the visitor may see.

use maillage_core::id::Id;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::listings::ListingRow;
use maillage_db::DbConnection;

use super::read::{count_open_of, find_visible};

pub struct Shown {
    pub listing: ListingRow,
    pub author: ActorRow,
    /// The author's open listings `viewer` may see (this one among them
    /// when it is open).
    pub author_open: i64,
    /// Its photos, in order.
    pub photos: Vec<maillage_db::media::MediaRow>,
}

/// Local listing `id`, at its address under its author `name` (in any
/// case), if `viewer` may see it; `None` for any other listing or name.
pub fn local_listing(
    conn: &mut DbConnection,
    id: Id,
    name: &str,
    viewer: Option<&ActorRow>,
) -> Result<Option<Shown>, Error> {
    let Some(listing) = find_visible(conn, id, viewer)?.filter(|l| l.local) else {
        return Ok(None);
    };
    let Some(author) = crate::actors::find(conn, Id::from_i64(listing.author_id))?
        .filter(|a| a.username.eq_ignore_ascii_case(name))
    else {
        return Ok(None);
    };
    shown(conn, listing, author, viewer).map(Some)
}

fn shown(
    conn: &mut DbConnection,
    listing: ListingRow,
    author: ActorRow,
    viewer: Option<&ActorRow>,
) -> Result<Shown, Error> {
    let author_open = count_open_of(conn, &author, viewer)?;
    let photos = crate::media::of_post(conn, listing.id)?;
    Ok(Shown { listing, author, author_open, photos })
}

/// Listing `id`, local or from another node, if `viewer` may see it: how
/// residents read a neighbour's listing without leaving their node.
pub fn any_listing(
    conn: &mut DbConnection,
    id: Id,
    viewer: Option<&ActorRow>,
) -> Result<Option<Shown>, Error> {
    let Some(listing) = find_visible(conn, id, viewer)? else { return Ok(None) };
    let Some(author) = crate::actors::find(conn, Id::from_i64(listing.author_id))? else { return Ok(None) };
    shown(conn, listing, author, viewer).map(Some)
}
