//! Sessions on the wire: an `Event` as Mobilizon and FEP-8a8e describe it
//! (`name`, `content`, `startTime`, `endTime`, `timezone`, `location` as a
//! `Place` with a `PostalAddress`, capacities, `participantCount`,
//! `joinMode`), which Mastodon shows with its name, summary and link.

use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_db::actors::ActorRow;
use maillage_db::sessions::SessionRow;
use maillage_service::text::sanitize_html;
use serde_json::{json, Value};

use super::{parse_time, rfc3339};
use crate::protocol::values::{first_id, url_of};
use crate::protocol::PUBLIC;

pub fn session_context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "sc": "http://schema.org#",
            "mz": "https://joinmobilizon.org/ns#",
            "PostalAddress": "sc:PostalAddress",
            "address": { "@id": "sc:address", "@type": "sc:PostalAddress" },
            "streetAddress": "sc:streetAddress",
            "addressLocality": "sc:addressLocality",
            "postalCode": "sc:postalCode",
            "addressCountry": "sc:addressCountry",
            "maximumAttendeeCapacity": "sc:maximumAttendeeCapacity",
            "remainingAttendeeCapacity": "sc:remainingAttendeeCapacity",
            "participantCount": { "@id": "mz:participantCount", "@type": "sc:Integer" },
            "joinMode": { "@id": "mz:joinMode", "@type": "mz:joinModeType" },
            "timezone": { "@id": "mz:timezone", "@type": "sc:Text" }
        }
    ])
}

/// Our session as an Event; `going` is how many have a place.
pub fn session_to_ap(row: &SessionRow, organizer: &ActorRow, going: i64) -> Value {
    let followers: Vec<String> = organizer.followers_url.clone().into_iter().collect();
    let mut doc = json!({
        "@context": session_context(),
        "id": row.ap_id,
        "type": "Event",
        "name": row.title,
        "content": row.description_html,
        "mediaType": "text/html",
        "attributedTo": organizer.ap_id,
        "startTime": rfc3339(Timestamp::from_micros(row.starts_at)),
        "joinMode": row.join_mode,
        "participantCount": going,
        "published": rfc3339(Timestamp::from_micros(row.published_at)),
        "url": row.url.clone().unwrap_or_else(|| row.ap_id.clone()),
        "to": [PUBLIC],
        "cc": followers,
    });
    if let Some(end) = row.ends_at {
        doc["endTime"] = json!(rfc3339(Timestamp::from_micros(end)));
    }
    if let Some(tz) = &row.timezone {
        doc["timezone"] = json!(tz);
    }
    if let Some(c) = row.capacity {
        doc["maximumAttendeeCapacity"] = json!(c);
        doc["remainingAttendeeCapacity"] = json!((i64::from(c) - going).max(0));
    }
    if !row.place_name.is_empty() || row.latitude.is_some() {
        let mut place = json!({ "type": "Place", "name": row.place_name });
        if let (Some(lat), Some(lon)) = (row.latitude, row.longitude) {
            place["latitude"] = json!(lat);
            place["longitude"] = json!(lon);
        }
        if let Some(a) = &row.place_address {
            place["address"] = json!({ "type": "PostalAddress", "streetAddress": a });
        }
        doc["location"] = place;
    }
    doc
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// A received Event's row; `Err` says why it cannot be a session. The
/// organizer is `actor` when given (Mobilizon names the person there and
/// the group in `attributedTo`), else `attributedTo`.
pub fn ap_to_session(
    object: &Value,
    organizer: &ActorRow,
    existing: Option<&SessionRow>,
    now: Timestamp,
) -> Result<SessionRow, String> {
    if object.get("type").and_then(Value::as_str) != Some("Event") {
        return Err("not an Event".into());
    }
    let ap_id = text(object, "id").ok_or("an Event needs an id")?;
    let title: String = text(object, "name").unwrap_or_default().chars().take(200).collect();
    if title.trim().is_empty() {
        return Err("an Event needs a name".into());
    }
    let starts =
        parse_time(object.get("startTime").and_then(Value::as_str)).ok_or("an Event needs a startTime")?;
    let location = object.get("location").cloned().unwrap_or(Value::Null);
    let address = location.get("address").cloned().unwrap_or(Value::Null);
    let street = [
        text(&address, "streetAddress"),
        text(&address, "postalCode"),
        text(&address, "addressLocality"),
        text(&address, "addressCountry"),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let number =
        |v: Option<&Value>| v.and_then(|x| x.as_f64().or_else(|| x.as_str().and_then(|s| s.parse().ok())));
    let capacity = object
        .get("maximumAttendeeCapacity")
        .and_then(Value::as_i64)
        .filter(|c| *c > 0)
        .and_then(|c| i32::try_from(c).ok());
    Ok(SessionRow {
        id: existing.map(|e| e.id).unwrap_or_else(|| Id::generate_at(now).as_i64()),
        ap_id,
        organizer_id: organizer.id,
        group_id: existing.and_then(|e| e.group_id),
        title,
        description_html: sanitize_html(&text(object, "content").unwrap_or_default()),
        starts_at: starts.as_micros(),
        ends_at: parse_time(object.get("endTime").and_then(Value::as_str)).map(Timestamp::as_micros),
        timezone: text(object, "timezone"),
        place_name: text(&location, "name").unwrap_or_default().chars().take(200).collect(),
        place_address: (!street.is_empty()).then_some(street),
        latitude: number(location.get("latitude")).filter(|l| (-90.0..=90.0).contains(l)),
        longitude: number(location.get("longitude")).filter(|l| (-180.0..=180.0).contains(l)),
        capacity,
        join_mode: text(object, "joinMode").unwrap_or_else(|| "free".into()),
        local: false,
        url: object.get("url").and_then(url_of),
        published_at: parse_time(object.get("published").and_then(Value::as_str)).unwrap_or(now).as_micros(),
        updated_at: existing.map(|_| now.as_micros()),
        deleted_at: None,
    })
}

/// Who organizes a received Event: its `actor` (Mobilizon) or its author.
pub fn organizer_id(object: &Value) -> Option<String> {
    object.get("actor").and_then(first_id).or_else(|| object.get("attributedTo").and_then(first_id))
}

/// Inserts or replaces a received Event on the caller's transaction; only
/// the host that sent it first may replace it.
pub fn upsert_remote_session(
    conn: &mut maillage_db::DbConnection,
    object: &Value,
    sender: &ActorRow,
) -> Result<SessionRow, maillage_core::Error> {
    use maillage_core::Error;
    use maillage_db::sessions;
    let ap_id = text(object, "id").unwrap_or_default();
    let existing = sessions::find_by_ap_id(conn, &ap_id)?;
    if let Some(e) = &existing {
        if e.local || e.deleted_at.is_some() {
            return Ok(e.clone());
        }
        if e.organizer_id != sender.id {
            return Err(Error::forbidden("only the organizer can change an event"));
        }
    }
    let row =
        ap_to_session(object, sender, existing.as_ref(), Timestamp::now()).map_err(Error::bad_request)?;
    match existing {
        Some(_) => sessions::update(conn, &row)?,
        None => {
            if !sessions::insert_or_ignore(conn, &row)? {
                return sessions::find_by_ap_id(conn, &ap_id)?
                    .ok_or_else(|| Error::internal("session vanished"));
            }
        }
    }
    Ok(row)
}
