//! Reading listings: the one rule of who may see a listing ([`can_see`]),
//! a listing by id ([`get_visible`]) and searches ([`search`]) that follow
//! it, whoever asks (pages, the native API, Mastodon apps, matching).

use std::collections::HashSet;

use maillage_core::geo::{bounding_box, distance_km};
use maillage_core::id::Id;
use maillage_core::listing::{Category, ListingKind, ListingOrder, ListingStatus, ListingVisibility};
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
    Ok(match sight(row.visibility, row.author_id, viewer) {
        Sight::Yes => true,
        Sight::No => false,
        Sight::IfOfTerritory(v) => of_territory(conn, v)?,
        Sight::IfFollower(v) => follows_author(conn, v, row.author_id)?,
    })
}

/// What the rule of [`can_see`] decides from a listing's visibility and
/// author alone, or what it still has to ask about the viewer.
enum Sight<'a> {
    Yes,
    No,
    IfOfTerritory(&'a ActorRow),
    IfFollower(&'a ActorRow),
}

fn sight(visibility: ListingVisibility, author: i64, viewer: Option<&ActorRow>) -> Sight<'_> {
    match (visibility, viewer) {
        (ListingVisibility::Public, _) => Sight::Yes,
        (_, Some(v)) if v.id == author => Sight::Yes,
        (ListingVisibility::Territory, Some(v)) => Sight::IfOfTerritory(v),
        (ListingVisibility::Followers, Some(v)) => Sight::IfFollower(v),
        _ => Sight::No,
    }
}

/// Whether `viewer` is of this node or of a territory linked with it.
fn of_territory(conn: &mut DbConnection, viewer: &ActorRow) -> Result<bool, Error> {
    Ok(viewer.local || crate::links::is_linked_domain(conn, &viewer.domain)?)
}

fn follows_author(conn: &mut DbConnection, viewer: &ActorRow, author: i64) -> Result<bool, Error> {
    Ok(follows::find(conn, viewer.id(), Id::from_i64(author))?.is_some_and(|f| f.is_accepted()))
}

/// The rows of `rows` that [`can_see`] keeps, in their order, decided
/// with at most two queries whatever their number: whether the viewer is
/// of the territory, and which of the followers-only rows' authors they
/// follow.
pub(super) fn keep_visible(
    conn: &mut DbConnection,
    rows: Vec<ListingRow>,
    viewer: Option<&ActorRow>,
) -> Result<Vec<ListingRow>, Error> {
    let asks = |r: &ListingRow| sight(r.visibility, r.author_id, viewer);
    let territory = match viewer {
        Some(v) if rows.iter().any(|r| matches!(asks(r), Sight::IfOfTerritory(_))) => of_territory(conn, v)?,
        _ => false,
    };
    let mut authors: Vec<i64> =
        rows.iter().filter(|r| matches!(asks(r), Sight::IfFollower(_))).map(|r| r.author_id).collect();
    authors.sort_unstable();
    authors.dedup();
    let followed: HashSet<i64> = match viewer {
        Some(v) => follows::accepted_among(conn, v.id, &authors)?.into_iter().collect(),
        None => HashSet::new(),
    };
    Ok(rows
        .into_iter()
        .filter(|r| {
            !r.is_deleted()
                && match asks(r) {
                    Sight::Yes => true,
                    Sight::No => false,
                    Sight::IfOfTerritory(_) => territory,
                    Sight::IfFollower(_) => followed.contains(&r.author_id),
                }
        })
        .collect())
}

/// How many open listings `author` has that `viewer` may see: the rule
/// of [`can_see`] asked once per visibility (at most a query each), then
/// one count.
pub fn count_open_of(
    conn: &mut DbConnection,
    author: &ActorRow,
    viewer: Option<&ActorRow>,
) -> Result<i64, Error> {
    let mut visibilities = Vec::new();
    for &visibility in ListingVisibility::ALL {
        let seen = match sight(visibility, author.id, viewer) {
            Sight::Yes => true,
            Sight::No => false,
            Sight::IfOfTerritory(v) => of_territory(conn, v)?,
            Sight::IfFollower(v) => follows_author(conn, v, author.id)?,
        };
        if seen {
            visibilities.push(visibility);
        }
    }
    listings::count_of_author(conn, author.id, ListingStatus::Open, &visibilities)
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
    /// Without `near`: newest first, or the soonest to expire first.
    pub order: ListingOrder,
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
/// policy lets through, newest first (or as `query.order` says). A person
/// searching their own listings finds all of them.
pub fn search(
    conn: &mut DbConnection,
    policy: &FederationPolicy,
    viewer: Option<&ActorRow>,
    query: &ListingQuery,
) -> Result<Vec<ListingRow>, Error> {
    let filter = filter_of(conn, policy, viewer, query)?;
    let rows = listings::search(conn, &filter)?.into_iter().filter(|row| within(query, row)).collect();
    keep_visible(conn, rows, viewer)
}

/// Whether `row` is within `query.radius_km` of `query.near` (when the
/// query has a place).
fn within(query: &ListingQuery, row: &ListingRow) -> bool {
    query.near.is_none_or(|(lat, lon)| distance_km(lat, lon, row.latitude, row.longitude) <= query.radius_km)
}

/// One page of a search, in its order.
#[derive(Debug, Default)]
pub struct Paged {
    pub listings: Vec<ListingRow>,
    /// Whether a next page has listings.
    pub more: bool,
}

/// Page `page` (from 1) of [`search`], `query.limit` (1 to 100) a page,
/// in `query.order`: one query for the page's rows (and one more, which
/// tells whether a next page exists), whatever the order. The pages
/// split what the database finds; [`can_see`] then keeps what `viewer`
/// may see of each, so a page may show fewer, never one listing twice.
/// A search by distance is [`search_nearest`](super::search_nearest).
pub fn search_paged(
    conn: &mut DbConnection,
    policy: &FederationPolicy,
    viewer: Option<&ActorRow>,
    query: &ListingQuery,
    page: u32,
) -> Result<Paged, Error> {
    let size = query.limit.clamp(1, 100);
    let mut filter = filter_of(conn, policy, viewer, query)?;
    filter.offset = i64::from(page.max(1) - 1).saturating_mul(size);
    filter.limit = size + 1;
    let mut rows = listings::search(conn, &filter)?;
    let more = rows.len() as i64 > size;
    rows.truncate(usize::try_from(size).unwrap_or(100));
    rows.retain(|row| within(query, row));
    Ok(Paged { listings: keep_visible(conn, rows, viewer)?, more })
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
        order: query.order,
        offset: 0,
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
