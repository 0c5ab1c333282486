//! The `listings` table: offers and needs, local and remote.

use diesel::prelude::*;
use maillage_core::id::Id;
use maillage_core::listing::{
    Category, Direction, ListingKind, ListingOrder, ListingStatus, ListingVisibility, TermsMode,
};
use maillage_core::time::Timestamp;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;
use crate::schema::listings;

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = listings, treat_none_as_null = true)]
pub struct ListingRow {
    pub id: i64,
    pub ap_id: String,
    pub author_id: i64,
    pub group_id: Option<i64>,
    pub kind: ListingKind,
    pub category: Category,
    pub direction: Option<Direction>,
    pub title: String,
    pub description_source: Option<String>,
    pub description_html: String,
    /// Space-separated, with a space at each end: `" velo outils "`.
    pub tags: String,
    pub place_name: String,
    pub place_address: Option<String>,
    pub latitude: f64,
    pub longitude: f64,
    pub radius_km: f64,
    pub available_from: Option<i64>,
    pub available_until: Option<i64>,
    pub quantity_amount: Option<f64>,
    pub quantity_unit: Option<String>,
    pub terms_mode: TermsMode,
    pub terms_hours: Option<f64>,
    pub terms_amount: Option<String>,
    pub terms_currency: Option<String>,
    pub visibility: ListingVisibility,
    pub status: ListingStatus,
    pub local: bool,
    pub url: Option<String>,
    pub published_at: i64,
    pub updated_at: Option<i64>,
    pub expires_at: i64,
    pub deleted_at: Option<i64>,
}

impl ListingRow {
    pub fn id(&self) -> Id {
        Id::from_i64(self.id)
    }

    pub fn tag_list(&self) -> Vec<String> {
        self.tags.split_whitespace().map(str::to_owned).collect()
    }

    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }
}

/// The stored form of a tag list.
pub fn tags_column(tags: &[String]) -> String {
    if tags.is_empty() {
        String::new()
    } else {
        format!(" {} ", tags.join(" "))
    }
}

/// Inserts unless a listing with this id exists; returns whether it went in.
pub fn insert_or_ignore(conn: &mut DbConnection, row: &ListingRow) -> Result<bool, Error> {
    let inserted = crate::insert_or_ignore!(conn, listings::table, row)? == 1;
    if inserted {
        crate::status_views::mirror_listing(conn, row)?;
    }
    Ok(inserted)
}

/// Replaces a live listing's columns. A listing deleted meanwhile (by a
/// Delete handled concurrently) stays deleted: an edit never resurrects it.
pub fn update(conn: &mut DbConnection, row: &ListingRow) -> Result<(), Error> {
    let live = diesel::update(listings::table.find(row.id).filter(listings::deleted_at.is_null()))
        .set(row)
        .execute(conn)
        .map_err(db_error)?;
    if live == 1 {
        crate::status_views::mirror_listing(conn, row)?;
    }
    Ok(())
}

pub fn find_by_id(conn: &mut DbConnection, id: Id) -> Result<Option<ListingRow>, Error> {
    listings::table.find(id.as_i64()).select(ListingRow::as_select()).first(conn).optional().map_err(db_error)
}

pub fn find_by_ap_id(conn: &mut DbConnection, ap_id: &str) -> Result<Option<ListingRow>, Error> {
    listings::table
        .filter(listings::ap_id.eq(ap_id))
        .select(ListingRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// Moves a listing from `from` to `to`; returns false when its status was
/// no longer `from` (another process moved it first).
pub fn set_status(
    conn: &mut DbConnection,
    id: Id,
    from: ListingStatus,
    to: ListingStatus,
    now: Timestamp,
) -> Result<bool, Error> {
    let moved = diesel::update(listings::table.find(id.as_i64()).filter(listings::status.eq(from)))
        .set((listings::status.eq(to), listings::updated_at.eq(Some(now.as_micros()))))
        .execute(conn)
        .map_err(db_error)?
        == 1;
    if moved {
        crate::status_views::touch(conn, id, now)?;
    }
    Ok(moved)
}

pub fn mark_deleted(conn: &mut DbConnection, id: Id, now: Timestamp) -> Result<(), Error> {
    diesel::update(listings::table.find(id.as_i64()))
        .set((listings::deleted_at.eq(Some(now.as_micros())), listings::status.eq(ListingStatus::Withdrawn)))
        .execute(conn)
        .map_err(db_error)?;
    crate::posts::mark_deleted(conn, id, now)
}

/// Local active listings whose time is up, oldest first.
pub fn due_for_expiry(conn: &mut DbConnection, now: Timestamp, limit: i64) -> Result<Vec<ListingRow>, Error> {
    listings::table
        .filter(listings::local.eq(true))
        .filter(listings::deleted_at.is_null())
        .filter(listings::status.eq_any([ListingStatus::Open, ListingStatus::InProgress]))
        .filter(listings::expires_at.le(now.as_micros()))
        .select(ListingRow::as_select())
        .order(listings::expires_at.asc())
        .limit(limit)
        .load(conn)
        .map_err(db_error)
}

/// What a search asks for; every part optional.
#[derive(Debug, Clone, Default)]
pub struct ListingFilter {
    pub kind: Option<ListingKind>,
    pub category: Option<Category>,
    pub tag: Option<String>,
    /// Words that must all appear in the title, description or tags; a
    /// word written `#tag` must be one of the tags.
    pub text: Option<String>,
    /// A bounding box (south, west, north, east) that the caller refines
    /// with the exact distance.
    pub bbox: Option<(f64, f64, f64, f64)>,
    pub statuses: Vec<ListingStatus>,
    pub local: Option<bool>,
    pub author: Option<i64>,
    /// Listings published in this group.
    pub group: Option<i64>,
    /// Visibilities the viewer may see.
    pub visibilities: Vec<ListingVisibility>,
    /// Authors left out (limited by the federation policy).
    pub hidden_authors: Vec<i64>,
    pub max_id: Option<i64>,
    /// Newest first, or the soonest to expire first.
    pub order: ListingOrder,
    /// Rows skipped, in that order, before the first one returned.
    pub offset: i64,
    pub limit: i64,
}

/// The most rows one search returns: a page of 100 and one more, which
/// tells the caller a next page exists.
pub const SEARCH_MAX: i64 = 101;

/// Listings matching `f`, in `f.order`, `f.offset` skipped, at most
/// `f.limit` (up to [`SEARCH_MAX`]). "Ending soon" reads the
/// `(status, expires_at)` index, the id breaking ties in its order.
pub fn search(conn: &mut DbConnection, f: &ListingFilter) -> Result<Vec<ListingRow>, Error> {
    let q = matching(f, Words::of(conn)).select(ListingRow::as_select());
    let q = match f.order {
        ListingOrder::Newest => q.order(listings::id.desc()),
        ListingOrder::EndingSoon => q.order((listings::expires_at.asc(), listings::id.asc())),
    };
    q.offset(f.offset.max(0)).limit(f.limit.clamp(1, SEARCH_MAX)).load(conn).map_err(db_error)
}

/// The id and point of at most `cap` listings matching `f` (its limit
/// aside), in no order: what a search by distance sorts before it loads
/// the rows of one page ([`find_by_ids`]).
pub fn points(conn: &mut DbConnection, f: &ListingFilter, cap: i64) -> Result<Vec<(i64, f64, f64)>, Error> {
    // No order: the caller sorts by distance, and an order by id would
    // walk every open listing instead of the box's latitudes.
    matching(f, Words::of(conn))
        .select((listings::id, listings::latitude, listings::longitude))
        .limit(cap)
        .load(conn)
        .map_err(db_error)
}

/// How many undeleted listings `author` has in `status` among
/// `visibilities`. Only the author is asked of the database, so that it
/// reads the `(author_id, id)` index: without statistics SQLite would
/// rather walk every open listing by the status index (150 ms with
/// 100,000 listings); the few rows of one author are counted here.
pub fn count_of_author(
    conn: &mut DbConnection,
    author: i64,
    status: ListingStatus,
    visibilities: &[ListingVisibility],
) -> Result<i64, Error> {
    let rows: Vec<(ListingStatus, ListingVisibility)> = listings::table
        .filter(listings::author_id.eq(author))
        .filter(listings::deleted_at.is_null())
        .select((listings::status, listings::visibility))
        .load(conn)
        .map_err(db_error)?;
    let counted = rows.iter().filter(|(s, v)| *s == status && visibilities.contains(v)).count();
    Ok(i64::try_from(counted).unwrap_or(i64::MAX))
}

/// The listings among `ids` (in no particular order).
pub fn find_by_ids(conn: &mut DbConnection, ids: &[i64]) -> Result<Vec<ListingRow>, Error> {
    listings::table
        .select(ListingRow::as_select())
        .filter(listings::id.eq_any(ids))
        .load(conn)
        .map_err(db_error)
}

type Backend = <DbConnection as diesel::Connection>::Backend;

/// How a backend compares words regardless of case. SQLite's `LIKE`
/// already ignores the case of ASCII letters and its `lower()` folds no
/// other, so lowering every title and description (a copy of each row's
/// text) buys nothing there; PostgreSQL's `LIKE` minds case.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Words {
    LikeIgnoresCase,
    Lowered,
}

impl Words {
    fn of(conn: &DbConnection) -> Words {
        match conn {
            DbConnection::Sqlite(_) => Words::LikeIgnoresCase,
            DbConnection::Pg(_) => Words::Lowered,
        }
    }
}

/// The undeleted listings that match `f`'s conditions.
fn matching(f: &ListingFilter, words: Words) -> listings::BoxedQuery<'static, Backend> {
    let mut q = listings::table.filter(listings::deleted_at.is_null()).into_boxed();
    if let Some(kind) = f.kind {
        q = q.filter(listings::kind.eq(kind));
    }
    if let Some(category) = f.category {
        q = q.filter(listings::category.eq(category));
    }
    if let Some(tag) = &f.tag {
        q = q.filter(listings::tags.like(format!("% {} %", escape_like(tag))).escape('\\'));
    }
    if let Some(text) = &f.text {
        for word in text.split_whitespace().take(8) {
            if let Some(tag) = word.strip_prefix('#').filter(|t| !t.is_empty()) {
                let pattern = format!("% {} %", escape_like(&tag.to_lowercase()));
                q = q.filter(listings::tags.like(pattern).escape('\\'));
                continue;
            }
            let pattern = format!("%{}%", escape_like(&word.to_lowercase()));
            q = match words {
                Words::LikeIgnoresCase => q.filter(
                    listings::title
                        .like(pattern.clone())
                        .escape('\\')
                        .or(listings::description_html.like(pattern.clone()).escape('\\'))
                        .or(listings::tags.like(pattern).escape('\\')),
                ),
                Words::Lowered => q.filter(
                    lower(listings::title)
                        .like(pattern.clone())
                        .escape('\\')
                        .or(lower(listings::description_html).like(pattern.clone()).escape('\\'))
                        .or(listings::tags.like(pattern).escape('\\')),
                ),
            };
        }
    }
    if let Some((south, west, north, east)) = f.bbox {
        q = q
            .filter(listings::latitude.between(south, north))
            .filter(listings::longitude.between(west, east));
    }
    if !f.statuses.is_empty() {
        q = q.filter(listings::status.eq_any(f.statuses.clone()));
    }
    if let Some(local) = f.local {
        q = q.filter(listings::local.eq(local));
    }
    if let Some(author) = f.author {
        q = q.filter(listings::author_id.eq(author));
    }
    if let Some(group) = f.group {
        q = q.filter(listings::group_id.eq(group));
    }
    if !f.hidden_authors.is_empty() {
        q = q.filter(listings::author_id.ne_all(f.hidden_authors.clone()));
    }
    q = q.filter(listings::visibility.eq_any(f.visibilities.clone()));
    if let Some(max) = f.max_id {
        q = q.filter(listings::id.lt(max));
    }
    q
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
