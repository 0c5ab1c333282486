//! Listings on the wire: a `Note` (so that Mastodon shows it as a readable
//! post) carrying a FEP-0837 proposal (`purpose`, `publishes`,
//! `reciprocal`, `location`) plus Maillage's terms for what FEP-0837 lacks.
//! `listing_to_ap` builds it, `ap_to_listing` reads it back, from Maillage
//! or from any server that sends FEP-0837 proposals (`Proposal` or `Note`).

use maillage_core::id::Id;
use maillage_core::listing::{expiry, Category, ListingKind, ListingStatus, TermsMode};
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::listings::{self, tags_column, ListingRow};
use maillage_db::DbConnection;
use maillage_service::status_text::listing_html;
use maillage_service::text::sanitize_html;
use serde_json::{json, Value};

use super::{parse_time, rfc3339};
use crate::protocol::values::ids_of;
use crate::protocol::PUBLIC;

/// Namespace of Maillage's extension terms, defined inline in `@context`.
pub const NS: &str = "https://maillage.org/ns#";

pub fn listing_context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "Hashtag": "as:Hashtag",
            "sensitive": "as:sensitive",
            "vf": "https://w3id.org/valueflows/ont/vf#",
            "om2": "http://www.ontology-of-units-of-measure.org/resource/om-2/",
            "Proposal": "vf:Proposal",
            "Intent": "vf:Intent",
            "purpose": "vf:purpose",
            "publishes": "vf:publishes",
            "reciprocal": "vf:reciprocal",
            "action": "vf:action",
            "provider": "vf:provider",
            "receiver": "vf:receiver",
            "resourceClassifiedAs": "vf:resourceClassifiedAs",
            "resourceConformsTo": "vf:resourceConformsTo",
            "resourceQuantity": "vf:resourceQuantity",
            "availableQuantity": "vf:availableQuantity",
            "hasUnit": "om2:hasUnit",
            "hasNumericalValue": "om2:hasNumericalValue",
            "mlg": NS,
            "category": "mlg:category",
            "direction": "mlg:direction",
            "radiusKm": "mlg:radiusKm",
            "availableFrom": "mlg:availableFrom",
            "availableUntil": "mlg:availableUntil",
            "listingStatus": "mlg:status",
            "exchange": "mlg:exchange",
            "description": "mlg:description",
            "mediatedBy": { "@id": "mlg:mediatedBy", "@type": "@id" }
        }
    ])
}

/// The audience of a listing, from its visibility.
pub fn listing_audience(
    row: &ListingRow,
    author: &ActorRow,
    territory_followers: Option<&str>,
) -> (Vec<String>, Vec<String>) {
    let followers: Vec<String> = author.followers_url.clone().into_iter().collect();
    match row.visibility.as_str() {
        "public" => (vec![PUBLIC.to_owned()], followers),
        "territory" => (territory_followers.map(str::to_owned).into_iter().collect(), followers),
        "followers" => (followers, Vec::new()),
        _ => (Vec::new(), Vec::new()),
    }
}

/// Our listing as ActivityPub JSON.
pub fn listing_to_ap(
    row: &ListingRow,
    author: &ActorRow,
    lang: &str,
    audience: (Vec<String>, Vec<String>),
    mediated_by: Option<&str>,
) -> Value {
    let purpose = if row.kind == "need" { "request" } else { "offer" };
    let action = match row.category.as_str() {
        "services" | "skills_knowledge" => "deliverService",
        "spaces_machines" | "mobility" | "housing" => "use",
        _ => "transfer",
    };
    let party = if row.kind == "need" { "receiver" } else { "provider" };
    let mut classified = vec![json!(format!("{NS}category/{}", row.category))];
    classified.extend(row.tag_list().iter().map(|t| json!(format!("{NS}tag/{t}"))));
    let mut primary = json!({
        "type": "Intent",
        "id": format!("{}#primary", row.ap_id),
        "action": action,
        "resourceClassifiedAs": classified,
        party: author.ap_id,
    });
    if let (Some(a), Some(u)) = (row.quantity_amount, &row.quantity_unit) {
        primary["resourceQuantity"] = json!({ "hasUnit": u, "hasNumericalValue": a.to_string() });
        primary["availableQuantity"] = primary["resourceQuantity"].clone();
    }
    let reciprocal = match row.terms_mode.as_str() {
        "price" => Some(json!({ "hasUnit": row.terms_currency, "hasNumericalValue": row.terms_amount })),
        "time_credit" => {
            Some(json!({ "hasUnit": "hour", "hasNumericalValue": row.terms_hours.map(|h| h.to_string()) }))
        }
        _ => None,
    };
    let tags: Vec<Value> =
        row.tag_list().iter().map(|t| json!({ "type": "Hashtag", "name": format!("#{t}") })).collect();
    let (to, cc) = audience;
    let mut doc = json!({
        "@context": listing_context(),
        "id": row.ap_id,
        "type": "Note",
        "attributedTo": author.ap_id,
        "name": row.title,
        "content": listing_html(row, lang),
        "description": row.description_html,
        "purpose": purpose,
        "publishes": primary,
        "category": row.category,
        "radiusKm": row.radius_km,
        "listingStatus": row.status,
        "exchange": { "mode": row.terms_mode, "hours": row.terms_hours, "amount": row.terms_amount, "currency": row.terms_currency },
        "location": {
            "type": "Place",
            "name": row.place_name,
            "latitude": row.latitude,
            "longitude": row.longitude,
        },
        "tag": tags,
        "to": to,
        "cc": cc,
        "published": rfc3339(Timestamp::from_micros(row.published_at)),
        "url": row.url.clone().unwrap_or_else(|| row.ap_id.clone()),
    });
    if let Some(q) = reciprocal {
        doc["reciprocal"] = json!({
            "type": "Intent",
            "id": format!("{}#reciprocal", row.ap_id),
            "action": "transfer",
            "resourceConformsTo": format!("{NS}terms/{}", row.terms_mode),
            "resourceQuantity": q,
        });
    }
    if let Some(d) = &row.direction {
        doc["direction"] = json!(d);
    }
    if let Some(group) = mediated_by {
        doc["mediatedBy"] = json!(group);
    }
    if let Some(address) = &row.place_address {
        doc["location"]["address"] = json!({ "type": "PostalAddress", "streetAddress": address });
    }
    for (key, value) in [("availableFrom", row.available_from), ("availableUntil", row.available_until)] {
        if let Some(v) = value {
            doc[key] = json!(rfc3339(Timestamp::from_micros(v)));
        }
    }
    if let Some(u) = row.updated_at {
        doc["updated"] = json!(rfc3339(Timestamp::from_micros(u)));
    }
    doc
}

/// Whether a received object is a listing (a FEP-0837 proposal).
pub fn is_listing(object: &Value) -> bool {
    object.get("publishes").is_some() || object.get("type").and_then(Value::as_str) == Some("Proposal")
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64().or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

/// A received listing's row; `Err` says why the object cannot be one.
pub fn ap_to_listing(
    object: &Value,
    author: &ActorRow,
    existing: Option<&ListingRow>,
    now: Timestamp,
) -> Result<ListingRow, String> {
    let ap_id = text(object, "id").ok_or("a listing needs an id")?;
    let kind = match text(object, "purpose").as_deref() {
        Some("offer") => ListingKind::Offer,
        Some("request") => ListingKind::Need,
        other => return Err(format!("unknown purpose {other:?}")),
    };
    let primary = object.get("publishes").ok_or("a listing needs publishes")?;
    let category = text(object, "category")
        .or_else(|| {
            ids_of(primary.get("resourceClassifiedAs").unwrap_or(&Value::Null))
                .iter()
                .find_map(|c| c.strip_prefix(&format!("{NS}category/")).map(str::to_owned))
        })
        .and_then(|c| c.parse::<Category>().ok())
        .unwrap_or(Category::Other);
    let title: String = text(object, "name").unwrap_or_default().chars().take(200).collect();
    if title.trim().is_empty() {
        return Err("a listing needs a name".into());
    }
    let description = text(object, "description").or_else(|| text(object, "content")).unwrap_or_default();
    let tags: Vec<String> = match object.get("tag") {
        Some(Value::Array(items)) => items
            .iter()
            .filter(|t| t.get("type").and_then(Value::as_str) == Some("Hashtag"))
            .filter_map(|t| t.get("name").and_then(Value::as_str))
            .map(|n| n.trim_start_matches('#').to_lowercase())
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_alphanumeric() || c == '_'))
            .take(10)
            .collect(),
        _ => Vec::new(),
    };
    let location = object.get("location").cloned().unwrap_or(Value::Null);
    let quantity = primary.get("resourceQuantity").or_else(|| primary.get("availableQuantity"));
    let exchange = object.get("exchange").cloned().unwrap_or(Value::Null);
    let terms_mode =
        text(&exchange, "mode").and_then(|m| m.parse::<TermsMode>().ok()).unwrap_or(TermsMode::Gift);
    let status = text(object, "listingStatus")
        .and_then(|s| s.parse::<ListingStatus>().ok())
        .unwrap_or(ListingStatus::Open);
    let published = parse_time(object.get("published").and_then(Value::as_str)).unwrap_or(now);
    let until = parse_time(object.get("availableUntil").and_then(Value::as_str));
    let to = ids_of(object.get("to").unwrap_or(&Value::Null));
    let cc = ids_of(object.get("cc").unwrap_or(&Value::Null));
    let visibility = if to.iter().chain(&cc).any(|a| crate::protocol::is_public(a)) {
        "public"
    } else if author.followers_url.as_ref().is_some_and(|f| to.contains(f)) {
        "followers"
    } else {
        "territory"
    };
    Ok(ListingRow {
        id: existing.map(|e| e.id).unwrap_or_else(|| Id::generate_at(now).as_i64()),
        ap_id,
        author_id: author.id,
        group_id: existing.and_then(|e| e.group_id),
        kind: kind.as_str().to_owned(),
        category: category.as_str().to_owned(),
        direction: text(object, "direction").filter(|d| d == "teach" || d == "learn"),
        title,
        description_source: None,
        description_html: sanitize_html(&description),
        tags: tags_column(&tags),
        place_name: text(&location, "name").unwrap_or_default().chars().take(200).collect(),
        place_address: location
            .get("address")
            .and_then(|a| text(a, "streetAddress").or_else(|| a.as_str().map(str::to_owned))),
        latitude: location
            .get("latitude")
            .and_then(number)
            .filter(|l| (-90.0..=90.0).contains(l))
            .unwrap_or(0.0),
        longitude: location
            .get("longitude")
            .and_then(number)
            .filter(|l| (-180.0..=180.0).contains(l))
            .unwrap_or(0.0),
        radius_km: object
            .get("radiusKm")
            .and_then(number)
            .filter(|r| (0.0..=500.0).contains(r))
            .unwrap_or(0.0),
        available_from: parse_time(object.get("availableFrom").and_then(Value::as_str))
            .map(Timestamp::as_micros),
        available_until: until.map(Timestamp::as_micros),
        quantity_amount: quantity.and_then(|q| q.get("hasNumericalValue")).and_then(number),
        quantity_unit: quantity.and_then(|q| text(q, "hasUnit")),
        terms_mode: terms_mode.as_str().to_owned(),
        terms_hours: exchange.get("hours").and_then(number),
        terms_amount: text(&exchange, "amount"),
        terms_currency: text(&exchange, "currency"),
        visibility: visibility.to_owned(),
        status: status.as_str().to_owned(),
        local: false,
        url: object.get("url").and_then(crate::protocol::values::url_of),
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
    let ap_id = text(object, "id").unwrap_or_default();
    let existing = listings::find_by_ap_id(conn, &ap_id)?;
    if let Some(e) = &existing {
        if e.is_deleted() || e.local {
            return Ok(e.clone());
        }
        if e.author_id != author.id {
            return Err(Error::forbidden("only the author can change a listing"));
        }
    }
    let row =
        ap_to_listing(object, author, existing.as_ref(), Timestamp::now()).map_err(Error::bad_request)?;
    match existing {
        Some(_) => listings::update(conn, &row)?,
        None => {
            if !listings::insert_or_ignore(conn, &row)? {
                return listings::find_by_ap_id(conn, &ap_id)?
                    .ok_or_else(|| Error::internal("listing vanished"));
            }
        }
    }
    // A node names only its own groups as reviewers.
    let mediated_by = text(object, "mediatedBy").filter(|g| crate::inbox::same_origin(g, &ap_id));
    maillage_db::matches::set_mediated_by(conn, row.id, mediated_by.as_deref())?;
    Ok(row)
}

/// The document served at a local listing's URL (a Tombstone once deleted).
pub fn listing_document(conn: &mut DbConnection, row: &ListingRow, lang: &str) -> Result<Value, Error> {
    if row.is_deleted() {
        return Ok(super::note::tombstone(&row.ap_id, row.deleted_at));
    }
    let author = maillage_db::actors::find_by_id(conn, Id::from_i64(row.author_id))?
        .ok_or_else(|| Error::internal("listing without author"))?;
    let territory = maillage_db::actors::find_by_purpose(conn, maillage_service::actors::PURPOSE_TERRITORY)?;
    let audience = listing_audience(row, &author, territory.and_then(|t| t.followers_url).as_deref());
    let mediated_by = maillage_service::mediation::local_reviewer(conn, row)?.map(|g| g.ap_id);
    Ok(listing_to_ap(row, &author, lang, audience, mediated_by.as_deref()))
}
