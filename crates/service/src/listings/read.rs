//! Reading listings: the one rule of who may see a listing ([`can_see`]),
//! a listing by id ([`get_visible`]) and searches ([`search`]) that follow
//! it, whoever asks (pages, the native API, Mastodon apps, matching).

use maillage_core::geo::{bounding_box, distance_km};
use maillage_core::id::Id;
use maillage_core::listing::{Category, ListingKind, ListingStatus, ListingVisibility};
use maillage_core::policy::FederationPolicy;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::listings::{self, ListingFilter, ListingRow};
use maillage_db::{follows, DbConnection};

/// Whether `viewer` (an actor, or nobody) may see `row`: public listings
/// everyone; territory listings the people of this node and of the
/// territories linked with it; followers-only listings accepted followers;
/// private ones their author only. Deleted listings nobody.
pub fn can_see(conn: &mut DbConnection, row: &ListingRow, viewer: Option<&ActorRow>) -> Result<bool, Error> {
    if row.is_deleted() {
        return Ok(false);
    }
    Ok(match (row.visibility, viewer) {
        (ListingVisibility::Public, _) => true,
        (_, Some(v)) if v.id == row.author_id => true,
        (ListingVisibility::Territory, Some(v)) => {
            v.local || crate::links::is_linked_domain(conn, &v.domain)?
        }
        (ListingVisibility::Followers, Some(v)) => {
            follows::find(conn, v.id(), Id::from_i64(row.author_id))?.is_some_and(|f| f.is_accepted())
        }
        _ => false,
    })
}

/// Listing `id` if `viewer` may see it.
pub fn find_visible(
    conn: &mut DbConnection,
    id: Id,
    viewer: Option<&ActorRow>,
) -> Result<Option<ListingRow>, Error> {
    match listings::find_by_id(conn, id)? {
        Some(row) if can_see(conn, &row, viewer)? => Ok(Some(row)),
        _ => Ok(None),
    }
}

/// Listing `id` if `viewer` may see it; 404 otherwise (whether it does not
/// exist or is hidden from this viewer).
pub fn get_visible(conn: &mut DbConnection, id: Id, viewer: Option<&ActorRow>) -> Result<ListingRow, Error> {
    find_visible(conn, id, viewer)?.ok_or_else(|| Error::not_found("Record not found"))
}

/// The visibilities worth asking the database for; [`can_see`] then keeps
/// what this viewer may see (a followers-only listing its author's
/// followers, a territory one the people of the territory and of those
/// linked with it, a private one its author).
fn searchable_visibilities(viewer: Option<&ActorRow>) -> Vec<ListingVisibility> {
    match viewer {
        Some(_) => ListingVisibility::ALL.to_vec(),
        None => vec![ListingVisibility::Public],
    }
}

/// What a search asks for; who may see what is [`search`]'s business.
#[derive(Debug, Clone, Default)]
pub struct ListingQuery {
    pub kind: Option<ListingKind>,
    pub category: Option<Category>,
    /// A hashtag, folded.
    pub tag: Option<String>,
    /// Words that must all appear in the title, description or tags.
    pub text: Option<String>,
    /// Statuses wanted; none means every status.
    pub statuses: Vec<ListingStatus>,
    /// Local listings only (`Some(true)`), remote only, or both.
    pub local: Option<bool>,
    pub author: Option<i64>,
    /// Listings published in this group.
    pub group: Option<i64>,
    /// Within `radius_km` of this (latitude, longitude).
    pub near: Option<(f64, f64)>,
    pub radius_km: f64,
    pub max_id: Option<i64>,
    pub limit: i64,
}

impl ListingQuery {
    /// The open listings a person wrote, or a group holds.
    pub fn open_of(actor: &ActorRow, limit: i64) -> ListingQuery {
        ListingQuery {
            author: Some(actor.id).filter(|_| actor.kind == "Person"),
            group: Some(actor.id).filter(|_| actor.kind == "Group"),
            statuses: vec![ListingStatus::Open],
            limit,
            ..ListingQuery::default()
        }
    }
}

/// Listings matching `query` that `viewer` may see and the federation
/// policy lets through, newest first. A person searching their own
/// listings finds all of them.
pub fn search(
    conn: &mut DbConnection,
    policy: &FederationPolicy,
    viewer: Option<&ActorRow>,
    query: &ListingQuery,
) -> Result<Vec<ListingRow>, Error> {
    let filter = filter_of(conn, policy, viewer, query)?;
    let mut found = Vec::new();
    for row in listings::search(conn, &filter)? {
        let near = query
            .near
            .is_none_or(|(lat, lon)| distance_km(lat, lon, row.latitude, row.longitude) <= query.radius_km);
        if near && can_see(conn, &row, viewer)? {
            found.push(row);
        }
    }
    Ok(found)
}

/// What the database is asked for `query`: broadly, [`can_see`] keeps the
/// rest.
pub(super) fn filter_of(
    conn: &mut DbConnection,
    policy: &FederationPolicy,
    viewer: Option<&ActorRow>,
    query: &ListingQuery,
) -> Result<ListingFilter, Error> {
    let visibilities = searchable_visibilities(viewer);
    Ok(ListingFilter {
        kind: query.kind,
        category: query.category,
        tag: query.tag.clone(),
        text: query.text.clone(),
        bbox: query.near.map(|(lat, lon)| bounding_box(lat, lon, query.radius_km)),
        statuses: query.statuses.clone(),
        local: query.local,
        author: query.author,
        group: query.group,
        visibilities,
        hidden_authors: crate::policy::hidden_remote_authors(conn, policy)?,
        max_id: query.max_id,
        limit: query.limit,
    })
}

/// A local listing served at its object URL: `None` when `id` is no local
/// listing; 404 when [`can_see`] keeps it from `fetcher` (the verified
/// signer of the request, or nobody); deleted ones are returned when they
/// were public or territory-wide (they answer 410 with a Tombstone).
pub fn local_object(
    conn: &mut DbConnection,
    id: Id,
    fetcher: Option<&ActorRow>,
) -> Result<Option<ListingRow>, Error> {
    let Some(row) = listings::find_by_id(conn, id)?.filter(|l| l.local) else {
        return Ok(None);
    };
    let shown = if row.is_deleted() {
        matches!(row.visibility, ListingVisibility::Public | ListingVisibility::Territory)
    } else {
        can_see(conn, &row, fetcher)?
    };
    if !shown {
        return Err(Error::not_found("Record not found"));
    }
    Ok(Some(row))
}

/// All of `me`'s own local listings, every status and audience, newest first.
pub fn own_listings(conn: &mut DbConnection, me: &ActorRow, limit: i64) -> Result<Vec<ListingRow>, Error> {
    let filter = ListingFilter {
        author: Some(me.id),
        local: Some(true),
        visibilities: ListingVisibility::ALL.to_vec(),
        limit,
        ..ListingFilter::default()
    };
    listings::search(conn, &filter)
}
