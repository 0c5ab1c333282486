//! Listings as rows and on the wire ([`ApListing`]: a `Note` carrying a
//! FEP-0837 proposal). `listing_to_ap` builds it, `ap_to_listing` reads it
//! back, from Maillage or from any server that sends FEP-0837 proposals
//! (`Proposal` or `Note`). Both go through the one struct, and each names
//! every field of the row, so a field added to listings fails to compile
//! until the wire format says what becomes of it.

use maillage_core::id::Id;
use maillage_core::listing::{
    expiry, Category, Direction, ListingKind, ListingStatus, ListingVisibility, TermsMode, ADDRESS_MAX,
    DESCRIPTION_MAX, HOURS_MAX, PLACE_NAME_MAX, RADIUS_MAX_KM, TAGS_MAX, TAG_MAX, TITLE_MAX, UNIT_MAX,
};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::listings::{self, tags_column, ListingRow};
use maillage_db::DbConnection;
use maillage_service::text::sanitize_capped;
use serde_json::Value;

use super::{parse_time, rfc3339};
pub use crate::protocol::listing::{is_listing, listing_context};
use crate::protocol::listing::{
    ApExchange, ApIntent, ApListing, ApQuantity, ApTag, HASHTAG, HOUR, INTENT, NOTE, PURPOSE_OFFER,
    PURPOSE_REQUEST, TRANSFER,
};
use crate::protocol::place::{ApAddress, ApPlace, PLACE};
use crate::protocol::values::web_link;
use crate::protocol::{is_public, same_origin, MAILLAGE_NS as NS, PUBLIC};
pub use maillage_service::status_text::listing_html;

/// The audience of a listing, from its visibility.
pub fn listing_audience(
    row: &ListingRow,
    author: &ActorRow,
    territory_followers: Option<&str>,
) -> (Vec<String>, Vec<String>) {
    let followers: Vec<String> = author.followers_url.clone().into_iter().collect();
    match row.visibility {
        ListingVisibility::Public => (vec![PUBLIC.to_owned()], followers),
        ListingVisibility::Territory => {
            (territory_followers.map(str::to_owned).into_iter().collect(), followers)
        }
        ListingVisibility::Followers => (followers, Vec::new()),
        ListingVisibility::Private => (Vec::new(), Vec::new()),
    }
}

/// The ValueFlows action of a listing's category.
fn action_of(category: Option<Category>) -> &'static str {
    match category {
        Some(Category::Services | Category::SkillsKnowledge) => "deliverService",
        Some(Category::SpacesMachines | Category::Mobility | Category::Housing) => "use",
        _ => "transfer",
    }
}

/// Our listing as ActivityPub JSON.
pub fn listing_to_ap(
    row: &ListingRow,
    author: &ActorRow,
    lang: &str,
    audience: (Vec<String>, Vec<String>),
    mediated_by: Option<&str>,
    attachments: Vec<Value>,
) -> Value {
    let mut document = listing_to_wire(row, author, lang, audience, mediated_by).to_document();
    if !attachments.is_empty() {
        document["attachment"] = Value::Array(attachments);
    }
    document
}

/// Our listing as the wire struct. The row is taken apart field by field,
/// each either sent or said not to be.
pub fn listing_to_wire(
    row: &ListingRow,
    author: &ActorRow,
    lang: &str,
    (to, cc): (Vec<String>, Vec<String>),
    mediated_by: Option<&str>,
) -> ApListing {
    let ListingRow {
        id: _, // our key, not federated
        ap_id,
        author_id: _, // sent as attributedTo
        group_id: _,  // sent as the group's Announce
        kind,
        category,
        direction,
        title,
        description_source: _, // the source stays here; its HTML is sent
        description_html,
        tags: _, // sent as hashtags (tag_list)
        place_name,
        place_address,
        latitude,
        longitude,
        radius_km,
        available_from,
        available_until,
        quantity_amount,
        quantity_unit,
        terms_mode,
        terms_hours,
        terms_amount,
        terms_currency,
        visibility: _, // sent as the audience (to, cc)
        status,
        local: _,
        url,
        published_at,
        updated_at,
        expires_at: _, // the receiver derives it from published and availableUntil
        deleted_at: _, // a deleted listing is served as a Tombstone
    } = row;
    let is_need = *kind == ListingKind::Need;
    let time = |micros: i64| rfc3339(Timestamp::from_micros(micros));
    let quantity = match (quantity_amount, quantity_unit) {
        (Some(amount), Some(unit)) => {
            Some(ApQuantity { has_unit: Some(unit.clone()), has_numerical_value: Some(amount.to_string()) })
        }
        _ => None,
    };
    let mut classified = vec![format!("{NS}category/{category}")];
    classified.extend(row.tag_list().iter().map(|t| format!("{NS}tag/{t}")));
    let publishes = ApIntent {
        kind: INTENT.to_owned(),
        id: Some(format!("{ap_id}#primary")),
        action: Some(action_of(Some(*category)).to_owned()),
        resource_classified_as: classified,
        resource_conforms_to: None,
        resource_quantity: quantity.clone(),
        available_quantity: quantity,
        provider: (!is_need).then(|| author.ap_id.clone()),
        receiver: is_need.then(|| author.ap_id.clone()),
    };
    let in_return = match terms_mode {
        TermsMode::Price => {
            Some(ApQuantity { has_unit: terms_currency.clone(), has_numerical_value: terms_amount.clone() })
        }
        TermsMode::TimeCredit => Some(ApQuantity {
            has_unit: Some(HOUR.to_owned()),
            has_numerical_value: terms_hours.map(|h| h.to_string()),
        }),
        _ => None,
    };
    let reciprocal = in_return.map(|q| ApIntent {
        kind: INTENT.to_owned(),
        id: Some(format!("{ap_id}#reciprocal")),
        action: Some(TRANSFER.to_owned()),
        resource_classified_as: Vec::new(),
        resource_conforms_to: Some(format!("{NS}terms/{terms_mode}")),
        resource_quantity: Some(q),
        available_quantity: None,
        provider: None,
        receiver: None,
    });
    ApListing {
        id: ap_id.clone(),
        kind: NOTE.to_owned(),
        attributed_to: Some(author.ap_id.clone()),
        name: Some(title.clone()),
        content: Some(listing_html(row, lang)),
        description: Some(description_html.clone()),
        purpose: Some(if is_need { PURPOSE_REQUEST } else { PURPOSE_OFFER }.to_owned()),
        publishes,
        reciprocal,
        category: Some(category.to_string()),
        direction: direction.map(|d| d.to_string()),
        radius_km: Some(*radius_km),
        listing_status: Some(status.to_string()),
        exchange: Some(ApExchange {
            mode: Some(terms_mode.to_string()),
            hours: *terms_hours,
            amount: terms_amount.clone(),
            currency: terms_currency.clone(),
        }),
        location: Some(ApPlace {
            kind: PLACE.to_owned(),
            name: Some(place_name.clone()),
            latitude: Some(*latitude),
            longitude: Some(*longitude),
            address: place_address.as_deref().map(ApAddress::street),
        }),
        tag: row
            .tag_list()
            .iter()
            .map(|t| ApTag { kind: HASHTAG.to_owned(), name: Some(format!("#{t}")) })
            .collect(),
        to,
        cc,
        published: Some(time(*published_at)),
        updated: updated_at.map(time),
        url: Some(url.clone().unwrap_or_else(|| ap_id.clone())),
        available_from: available_from.map(time),
        available_until: available_until.map(time),
        mediated_by: mediated_by.map(str::to_owned),
    }
}

/// A received listing's row; `Err` says why the object cannot be one.
pub fn ap_to_listing(
    object: &Value,
    author: &ActorRow,
    existing: Option<&ListingRow>,
    now: Timestamp,
) -> Result<ListingRow, String> {
    wire_to_listing(ApListing::parse(object)?, author, existing, now)
}

/// The row of a parsed listing, within our limits. Every wire field is
/// named: read, or said not to be.
pub fn wire_to_listing(
    ap: ApListing,
    author: &ActorRow,
    existing: Option<&ListingRow>,
    now: Timestamp,
) -> Result<ListingRow, String> {
    let ApListing {
        id: ap_id,
        kind: _,          // Note, Proposal or another type: the proposal is what counts
        attributed_to: _, // the sender, checked by the caller
        name,
        content,
        description,
        purpose,
        publishes,
        reciprocal: _, // its quantity is also in `exchange`, which says the mode
        category,
        direction,
        radius_km,
        listing_status,
        exchange,
        location,
        tag,
        to,
        cc,
        published,
        updated: _, // our own time of update is kept
        url,
        available_from,
        available_until,
        mediated_by: _, // stored apart (upsert_remote_listing)
    } = ap;
    let kind = match purpose.as_deref() {
        Some(PURPOSE_OFFER) => ListingKind::Offer,
        Some(PURPOSE_REQUEST) => ListingKind::Need,
        other => return Err(format!("unknown purpose {other:?}")),
    };
    let category_prefix = format!("{NS}category/");
    let category = category
        .or_else(|| {
            publishes
                .resource_classified_as
                .iter()
                .find_map(|c| c.strip_prefix(&category_prefix).map(str::to_owned))
        })
        .and_then(|c| c.parse::<Category>().ok())
        .unwrap_or(Category::Other);
    let title: String = name.unwrap_or_default().chars().take(TITLE_MAX).collect();
    if title.trim().is_empty() {
        return Err("a listing needs a name".into());
    }
    let description = description.or(content).unwrap_or_default();
    let tags: Vec<String> = tag
        .into_iter()
        .filter(|t| t.kind == HASHTAG)
        .filter_map(|t| t.name)
        .map(|n| n.trim_start_matches('#').to_lowercase())
        .filter(|n| !n.is_empty() && n.chars().count() <= TAG_MAX)
        .filter(|n| n.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .take(TAGS_MAX)
        .collect();
    let place = location.unwrap_or_else(|| ApPlace {
        kind: PLACE.to_owned(),
        name: None,
        latitude: None,
        longitude: None,
        address: None,
    });
    let quantity = publishes.resource_quantity.or(publishes.available_quantity);
    let exchange = exchange.unwrap_or(ApExchange { mode: None, hours: None, amount: None, currency: None });
    let terms_mode =
        exchange.mode.as_deref().and_then(|m| m.parse::<TermsMode>().ok()).unwrap_or(TermsMode::Gift);
    let status = listing_status
        .as_deref()
        .and_then(|s| s.parse::<ListingStatus>().ok())
        .unwrap_or(ListingStatus::Open);
    let published = parse_time(published.as_deref()).unwrap_or(now);
    let until = parse_time(available_until.as_deref());
    let visibility = if to.iter().chain(&cc).any(|a| is_public(a)) {
        ListingVisibility::Public
    } else if author.followers_url.as_ref().is_some_and(|f| to.contains(f)) {
        ListingVisibility::Followers
    } else {
        ListingVisibility::Territory
    };
    let url = url.and_then(|u| web_link(&u, &ap_id));
    Ok(ListingRow {
        id: existing.map(|e| e.id).unwrap_or_else(|| Id::generate_at(now).as_i64()),
        ap_id,
        author_id: author.id,
        group_id: existing.and_then(|e| e.group_id),
        kind,
        category,
        direction: direction.and_then(|d| d.parse::<Direction>().ok()),
        title,
        description_source: None,
        description_html: sanitize_capped(&description, DESCRIPTION_MAX),
        tags: tags_column(&tags),
        place_name: place.name.clone().unwrap_or_default().chars().take(PLACE_NAME_MAX).collect(),
        place_address: place
            .address
            .as_ref()
            .and_then(ApAddress::one_line)
            .map(|a| a.chars().take(ADDRESS_MAX).collect()),
        latitude: place.latitude_in_range().unwrap_or(0.0),
        longitude: place.longitude_in_range().unwrap_or(0.0),
        radius_km: radius_km.filter(|r| (0.0..=RADIUS_MAX_KM).contains(r)).unwrap_or(0.0),
        available_from: parse_time(available_from.as_deref()).map(Timestamp::as_micros),
        available_until: until.map(Timestamp::as_micros),
        quantity_amount: quantity
            .as_ref()
            .and_then(|q| q.has_numerical_value.as_deref())
            .and_then(|v| v.trim().parse().ok()),
        quantity_unit: quantity.and_then(|q| q.has_unit).map(|u| u.chars().take(UNIT_MAX).collect()),
        terms_mode,
        terms_hours: exchange.hours.filter(|h| (0.0..=HOURS_MAX).contains(h)),
        terms_amount: exchange.amount,
        terms_currency: exchange.currency,
        visibility,
        status,
        local: false,
        url,
        published_at: published.as_micros(),
        updated_at: existing.map(|_| now.as_micros()),
        expires_at: expiry(published, until).as_micros(),
        deleted_at: None,
    })
}

/// Inserts or replaces a received listing on the caller's transaction; only
/// its author may replace it; a deleted one stays deleted.
pub fn upsert_remote_listing(
    conn: &mut DbConnection,
    object: &Value,
    author: &ActorRow,
) -> Result<ListingRow, Error> {
    let ap = ApListing::parse(object).map_err(Error::bad_request)?;
    let ap_id = ap.id.clone();
    // A node names only its own groups as reviewers.
    let mediated_by = ap.mediated_by.clone().filter(|g| same_origin(g, &ap_id));
    let existing = listings::find_by_ap_id(conn, &ap_id)?;
    if let Some(e) = &existing {
        if e.is_deleted() || e.local {
            return Ok(e.clone());
        }
        if e.author_id != author.id {
            return Err(Error::forbidden("only the author can change a listing"));
        }
    }
    let attachments = crate::protocol::attachment::from_ap(object.get("attachment"), &ap_id);
    let row = wire_to_listing(ap, author, existing.as_ref(), Timestamp::now()).map_err(Error::bad_request)?;
    match existing {
        Some(_) => listings::update(conn, &row)?,
        None => {
            if !listings::insert_or_ignore(conn, &row)? {
                return listings::find_by_ap_id(conn, &ap_id)?
                    .ok_or_else(|| Error::internal("listing vanished"));
            }
        }
    }
    maillage_db::matches::set_mediated_by(conn, row.id, mediated_by.as_deref())?;
    maillage_service::media::record_remote(conn, author.id, row.id, &attachments)?;
    Ok(row)
}

/// The document served at a local listing's URL (a Tombstone once deleted).
pub fn listing_document(
    conn: &mut DbConnection,
    urls: &maillage_core::urls::LocalUrls,
    row: &ListingRow,
    lang: &str,
) -> Result<Value, Error> {
    if row.is_deleted() {
        return Ok(super::note::tombstone(&row.ap_id, row.deleted_at));
    }
    let author = maillage_db::actors::find_by_id(conn, Id::from_i64(row.author_id))?
        .ok_or_else(|| Error::internal("listing without author"))?;
    let territory = maillage_db::actors::find_by_purpose(conn, maillage_service::actors::PURPOSE_TERRITORY)?;
    let audience = listing_audience(row, &author, territory.and_then(|t| t.followers_url).as_deref());
    let mediated_by = maillage_service::mediation::local_reviewer(conn, row)?.map(|g| g.ap_id);
    let media = super::media::attachments_of(conn, urls, row.id)?;
    Ok(listing_to_ap(row, &author, lang, audience, mediated_by.as_deref(), media))
}

#[cfg(test)]
mod tests;
