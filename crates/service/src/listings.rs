//! Offers and needs by local people: create, edit, change status, delete,
//! read and search, with every change federated in the same transaction,
//! and automatic expiry.

use maillage_core::account::User;
use maillage_core::config::TerritoryConfig;
use maillage_core::id::Id;
use maillage_core::listing::{expiry, validate_draft, FieldError, ListingDraft, ListingStatus, TermsMode};
use maillage_core::time::Timestamp;
use maillage_core::urls::LocalUrls;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::listings::{self, tags_column, ListingRow};
use maillage_db::{transaction, DbConnection};

use crate::actors::actor_of_user;
use crate::federation::{Outbound, Outgoing};
use crate::text::render_markdown;

mod nearest;
mod read;
mod shown;
pub use nearest::{search_nearest, Nearest, NEAREST_CAP};
pub use read::{
    can_see, count_open_of, find_visible, get_visible, local_object, own_listings, search, search_paged,
    ListingQuery, Paged,
};
pub use shown::{any_listing, local_listing, Shown};

/// 422 with every field problem, as `field: rule; field: rule`.
pub fn field_errors(errors: Vec<FieldError>) -> Error {
    let text: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.field, e.rule)).collect();
    Error::unprocessable(format!("Validation failed: {}", text.join("; ")))
}

/// A place given by name only ("Die", "Die (26150)") is put where the
/// gazetteer has that town; any other name keeps no point of its own.
fn locate_place(
    conn: &mut DbConnection,
    draft: &mut ListingDraft,
    territory: &TerritoryConfig,
) -> Result<(), Error> {
    let Some(place) = draft.place.as_mut() else { return Ok(()) };
    if place.latitude.is_none() && place.longitude.is_none() && !place.name.trim().is_empty() {
        if let Some((lat, lon)) = crate::places::locate(conn, &place.name, territory.centre())? {
            (place.latitude, place.longitude) = (Some(lat), Some(lon));
        }
    }
    Ok(())
}

/// The row for `draft`, checked; keeps `existing`'s identity and history.
fn build_row(
    draft: &ListingDraft,
    author: &ActorRow,
    urls: &LocalUrls,
    territory: &TerritoryConfig,
    existing: Option<&ListingRow>,
    now: Timestamp,
) -> Result<ListingRow, Error> {
    let checked = validate_draft(draft).map_err(field_errors)?;
    let id = existing.map(|e| e.id).unwrap_or_else(|| Id::generate_at(now).as_i64());
    let published = existing.map(|e| Timestamp::from_micros(e.published_at)).unwrap_or(now);
    let place = draft.place.clone().unwrap_or_default();
    let (latitude, longitude) = match (place.latitude, place.longitude) {
        (Some(lat), Some(lon)) => (lat, lon),
        _ => (territory.latitude, territory.longitude),
    };
    let place_name = if place.name.trim().is_empty() && place.latitude.is_none() {
        territory.name.clone()
    } else {
        place.name.trim().to_owned()
    };
    Ok(ListingRow {
        id,
        ap_id: existing.map(|e| e.ap_id.clone()).unwrap_or_else(|| urls.object(Id::from_i64(id))),
        author_id: author.id,
        group_id: existing.and_then(|e| e.group_id),
        kind: checked.kind,
        category: checked.category,
        direction: checked.direction,
        title: draft.title.trim().to_owned(),
        description_source: Some(draft.description.clone()),
        description_html: render_markdown(&draft.description, &|_| None),
        tags: tags_column(&checked.tags),
        place_name,
        place_address: place.address.filter(|a| !a.trim().is_empty()),
        latitude,
        longitude,
        radius_km: draft.radius_km.unwrap_or(0.0),
        available_from: draft.available_from.map(Timestamp::as_micros),
        available_until: draft.available_until.map(Timestamp::as_micros),
        quantity_amount: draft.quantity.as_ref().map(|q| q.amount),
        quantity_unit: draft.quantity.as_ref().map(|q| q.unit.trim().to_owned()),
        terms_mode: checked.terms_mode,
        terms_hours: draft.terms.hours.filter(|_| checked.terms_mode == TermsMode::TimeCredit),
        terms_amount: draft.terms.amount.clone().filter(|_| checked.terms_mode == TermsMode::Price),
        terms_currency: draft.terms.currency.clone().filter(|_| checked.terms_mode == TermsMode::Price),
        visibility: checked.visibility,
        status: existing.map_or(ListingStatus::Open, |e| e.status),
        local: true,
        url: author.url.as_ref().map(|u| format!("{u}/listings/{id}")),
        published_at: published.as_micros(),
        updated_at: existing.map(|_| now.as_micros()),
        expires_at: expiry(published, draft.available_until).as_micros(),
        deleted_at: None,
    })
}

/// Creates a listing by `user`, published in `group` when given (the user
/// must be a member of that local group; the group then announces it).
#[allow(clippy::too_many_arguments)]
pub fn create_in(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    territory: &TerritoryConfig,
    user: &User,
    draft: &ListingDraft,
    group: Option<Id>,
) -> Result<ListingRow, Error> {
    transaction::write(conn, |conn| {
        let author = actor_of_user(conn, user.id)?;
        let mut draft = draft.clone();
        locate_place(conn, &mut draft, territory)?;
        let mut row = build_row(&draft, &author, urls, territory, None, Timestamp::now())?;
        if let Some(group) = group {
            let member = maillage_db::groups::find_membership(conn, group, author.id())?
                .is_some_and(|m| m.is_accepted());
            let local =
                maillage_db::actors::find_by_id(conn, group)?.is_some_and(|g| g.local && g.kind == "Group");
            if !(member && local) {
                return Err(Error::unprocessable(
                    "Validation failed: group_id: you are not a member of this group",
                ));
            }
            row.group_id = Some(group.as_i64());
        }
        listings::insert_or_ignore(conn, &row)?;
        attach_photos(conn, &author, row.id, &draft)?;
        outbound.publish(conn, Outgoing::CreateListing { listing: &row, author: &author })?;
        Ok(row)
    })
}

fn attach_photos(
    conn: &mut DbConnection,
    author: &ActorRow,
    listing: i64,
    draft: &ListingDraft,
) -> Result<(), Error> {
    if let Some(ids) = &draft.media_ids {
        let ids: Vec<Id> = ids.iter().map(|i| Id::from_i64(*i)).collect();
        crate::media::attach(conn, author.id, listing, &ids, crate::media::MAX_LISTING_MEDIA)?;
    }
    Ok(())
}

pub fn create(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    territory: &TerritoryConfig,
    user: &User,
    draft: &ListingDraft,
) -> Result<ListingRow, Error> {
    create_in(conn, outbound, urls, territory, user, draft, None)
}

/// A local listing of `user`'s (with its author), or 404.
pub fn own(conn: &mut DbConnection, user: &User, id: Id) -> Result<(ListingRow, ActorRow), Error> {
    let author = actor_of_user(conn, user.id)?;
    let row = listings::find_by_id(conn, id)?
        .filter(|l| l.author_id == author.id && !l.is_deleted())
        .ok_or_else(|| Error::not_found("Record not found"))?;
    Ok((row, author))
}

/// The draft a stored listing was made from, for partial edits.
pub fn draft_of(row: &ListingRow) -> ListingDraft {
    use maillage_core::listing::{PlaceDraft, QuantityDraft, TermsDraft};
    ListingDraft {
        kind: row.kind.to_string(),
        category: row.category.to_string(),
        direction: row.direction.map(|d| d.to_string()),
        title: row.title.clone(),
        description: row.description_source.clone().unwrap_or_default(),
        tags: row.tag_list(),
        place: Some(PlaceDraft {
            name: row.place_name.clone(),
            address: row.place_address.clone(),
            latitude: Some(row.latitude),
            longitude: Some(row.longitude),
        }),
        radius_km: Some(row.radius_km),
        available_from: row.available_from.map(Timestamp::from_micros),
        available_until: row.available_until.map(Timestamp::from_micros),
        quantity: row
            .quantity_amount
            .zip(row.quantity_unit.clone())
            .map(|(amount, unit)| QuantityDraft { amount, unit }),
        terms: TermsDraft {
            mode: row.terms_mode.to_string(),
            hours: row.terms_hours,
            amount: row.terms_amount.clone(),
            currency: row.terms_currency.clone(),
        },
        visibility: Some(row.visibility.to_string()),
        media_ids: None,
    }
}

/// Edits a listing: `change` receives the current draft and edits it (or
/// refuses the edit, which then changes nothing).
pub fn update(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    urls: &LocalUrls,
    territory: &TerritoryConfig,
    user: &User,
    id: Id,
    change: &dyn Fn(&mut ListingDraft) -> Result<(), Error>,
) -> Result<ListingRow, Error> {
    transaction::write(conn, |conn| {
        let (existing, author) = own(conn, user, id)?;
        let mut draft = draft_of(&existing);
        change(&mut draft)?;
        locate_place(conn, &mut draft, territory)?;
        let row = build_row(&draft, &author, urls, territory, Some(&existing), Timestamp::now())?;
        listings::update(conn, &row)?;
        attach_photos(conn, &author, row.id, &draft)?;
        outbound.publish(conn, Outgoing::UpdateListing { listing: &row, author: &author })?;
        Ok(row)
    })
}

pub fn set_status(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    user: &User,
    id: Id,
    to: ListingStatus,
) -> Result<ListingRow, Error> {
    transaction::write(conn, |conn| {
        let (row, author) = own(conn, user, id)?;
        let from = row.status;
        if !from.can_move_to(to) {
            return Err(Error::unprocessable(format!(
                "Validation failed: status: cannot go from {from} to {to}"
            )));
        }
        listings::set_status(conn, row.id(), from, to, Timestamp::now())?;
        let row = listings::find_by_id(conn, row.id())?.ok_or_else(|| Error::internal("listing vanished"))?;
        outbound.publish(conn, Outgoing::UpdateListing { listing: &row, author: &author })?;
        Ok(row)
    })
}

pub fn delete(
    conn: &mut DbConnection,
    outbound: &dyn Outbound,
    user: &User,
    id: Id,
) -> Result<ListingRow, Error> {
    transaction::write(conn, |conn| {
        let (row, author) = own(conn, user, id)?;
        listings::mark_deleted(conn, row.id(), Timestamp::now())?;
        crate::media::remove_of_post(conn, row.id)?;
        outbound.publish(conn, Outgoing::DeleteListing { listing: &row, author: &author })?;
        Ok(row)
    })
}

/// Expires local listings whose time is up and tells peers; safe when
/// several processes run it (a status change happens once).
pub fn expire_due(conn: &mut DbConnection, outbound: &dyn Outbound, now: Timestamp) -> Result<usize, Error> {
    let due = listings::due_for_expiry(conn, now, 200)?;
    let mut expired = 0;
    for row in due {
        let moved = transaction::write(conn, |conn| {
            if !listings::set_status(conn, row.id(), row.status, ListingStatus::Expired, now)? {
                return Ok(false);
            }
            let author = maillage_db::actors::find_by_id(conn, Id::from_i64(row.author_id))?
                .ok_or_else(|| Error::internal("listing without author"))?;
            let row =
                listings::find_by_id(conn, row.id())?.ok_or_else(|| Error::internal("listing vanished"))?;
            outbound.publish(conn, Outgoing::UpdateListing { listing: &row, author: &author })?;
            Ok(true)
        })?;
        expired += usize::from(moved);
    }
    Ok(expired)
}
