//! Sessions as rows and on the wire ([`ApEvent`]: an `Event` as Mobilizon
//! and FEP-8a8e describe it), which Mastodon shows with its name, summary
//! and link. Both directions go through the one struct and name every
//! field of the row.

use maillage_core::id::Id;
use maillage_core::session::{CAPACITY_MAX, DESCRIPTION_MAX, PLACE_NAME_MAX, TITLE_MAX};
use maillage_core::time::Timestamp;
use maillage_db::actors::ActorRow;
use maillage_db::sessions::SessionRow;
use maillage_service::text::sanitize_capped;
use serde_json::Value;

use super::{parse_time, rfc3339};
use crate::protocol::event::{ApEvent, EVENT};
use crate::protocol::place::{ApAddress, ApPlace, PLACE};
use crate::protocol::values::{first_id, web_link};
use crate::protocol::PUBLIC;

const HTML: &str = "text/html";
/// The join mode of a session anyone may join (Mobilizon's word).
const FREE: &str = "free";

/// Our session as an Event; `going` is how many have a place.
pub fn session_to_ap(row: &SessionRow, organizer: &ActorRow, going: i64) -> Value {
    session_to_wire(row, organizer, going).to_document()
}

/// Our session as served and sent: the Event with its photos.
pub fn session_document(
    conn: &mut maillage_db::DbConnection,
    urls: &maillage_core::urls::LocalUrls,
    row: &SessionRow,
    organizer: &ActorRow,
    going: i64,
) -> Result<Value, maillage_core::Error> {
    let mut document = session_to_ap(row, organizer, going);
    let media = super::media::attachments_of(conn, urls, row.id)?;
    if !media.is_empty() {
        document["attachment"] = Value::Array(media);
    }
    Ok(document)
}

/// Our session as the wire struct. The row is taken apart field by field,
/// each either sent or said not to be.
pub fn session_to_wire(row: &SessionRow, organizer: &ActorRow, going: i64) -> ApEvent {
    let SessionRow {
        id: _, // our key, not federated
        ap_id,
        organizer_id: _, // sent as attributedTo
        group_id: _,     // sent as the group's Announce
        title,
        description_html,
        starts_at,
        ends_at,
        timezone,
        place_name,
        place_address,
        latitude,
        longitude,
        capacity,
        join_mode,
        local: _,
        url,
        published_at,
        updated_at: _, // an Update is sent instead
        deleted_at: _, // a deleted session is served as a Tombstone
    } = row;
    let time = |micros: i64| rfc3339(Timestamp::from_micros(micros));
    let has_place = !place_name.is_empty() || latitude.is_some();
    let (latitude, longitude) = match (latitude, longitude) {
        (Some(lat), Some(lon)) => (Some(*lat), Some(*lon)),
        _ => (None, None),
    };
    ApEvent {
        id: ap_id.clone(),
        kind: EVENT.to_owned(),
        name: Some(title.clone()),
        content: Some(description_html.clone()),
        media_type: Some(HTML.to_owned()),
        attributed_to: Some(organizer.ap_id.clone()),
        actor: None,
        start_time: Some(time(*starts_at)),
        end_time: ends_at.map(time),
        timezone: timezone.clone(),
        join_mode: Some(join_mode.clone()),
        participant_count: Some(going),
        maximum_attendee_capacity: capacity.map(i64::from),
        remaining_attendee_capacity: capacity.map(|c| (i64::from(c) - going).max(0)),
        location: has_place.then(|| ApPlace {
            kind: PLACE.to_owned(),
            name: Some(place_name.clone()),
            latitude,
            longitude,
            address: place_address.as_deref().map(ApAddress::street),
        }),
        published: Some(time(*published_at)),
        url: Some(url.clone().unwrap_or_else(|| ap_id.clone())),
        to: vec![PUBLIC.to_owned()],
        cc: organizer.followers_url.clone().into_iter().collect(),
    }
}

/// A date of the Event: `Ok(None)` when absent, an error naming the field
/// when it is not an RFC 3339 date.
fn event_time(raw: Option<&str>, field: &str) -> Result<Option<Timestamp>, String> {
    match raw {
        None => Ok(None),
        Some(text) => parse_time(Some(text))
            .map(Some)
            .ok_or_else(|| format!("malformed {field} {text:?}: expected an RFC 3339 date")),
    }
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
    wire_to_session(ApEvent::parse(object)?, organizer, existing, now)
}

/// The row of a parsed Event, within our limits. Every wire field is
/// named: read, or said not to be.
pub fn wire_to_session(
    event: ApEvent,
    organizer: &ActorRow,
    existing: Option<&SessionRow>,
    now: Timestamp,
) -> Result<SessionRow, String> {
    let ApEvent {
        id: ap_id,
        kind: _,
        name,
        content,
        media_type: _,    // content is read as HTML and sanitized
        attributed_to: _, // the organizer, found by the caller
        actor: _,
        start_time,
        end_time,
        timezone,
        join_mode,
        participant_count: _, // we count our own participants
        maximum_attendee_capacity,
        remaining_attendee_capacity: _,
        location,
        published,
        url,
        to: _, // sessions are public
        cc: _,
    } = event;
    let title: String = name.unwrap_or_default().chars().take(TITLE_MAX).collect();
    if title.trim().is_empty() {
        return Err("an Event needs a name".into());
    }
    let starts = event_time(start_time.as_deref(), "startTime")?.ok_or("an Event needs a startTime")?;
    let ends = event_time(end_time.as_deref(), "endTime")?;
    let place = location.as_ref();
    let url = url.and_then(|u| web_link(&u, &ap_id));
    Ok(SessionRow {
        id: existing.map(|e| e.id).unwrap_or_else(|| Id::generate_at(now).as_i64()),
        ap_id,
        organizer_id: organizer.id,
        group_id: existing.and_then(|e| e.group_id),
        title,
        description_html: sanitize_capped(&content.unwrap_or_default(), DESCRIPTION_MAX),
        starts_at: starts.as_micros(),
        ends_at: ends.map(Timestamp::as_micros),
        timezone,
        place_name: place
            .and_then(|p| p.name.clone())
            .unwrap_or_default()
            .chars()
            .take(PLACE_NAME_MAX)
            .collect(),
        place_address: place.and_then(|p| p.address.as_ref()).and_then(ApAddress::one_line),
        latitude: place.and_then(ApPlace::latitude_in_range),
        longitude: place.and_then(ApPlace::longitude_in_range),
        capacity: maximum_attendee_capacity
            .filter(|c| *c > 0)
            .and_then(|c| i32::try_from(c).ok())
            .map(|c| c.min(CAPACITY_MAX)),
        join_mode: join_mode.unwrap_or_else(|| FREE.to_owned()),
        local: false,
        url,
        published_at: parse_time(published.as_deref()).unwrap_or(now).as_micros(),
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
    let event = ApEvent::parse(object).map_err(Error::bad_request)?;
    let ap_id = event.id.clone();
    let attachments = crate::protocol::attachment::from_ap(object.get("attachment"), &ap_id);
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
        wire_to_session(event, sender, existing.as_ref(), Timestamp::now()).map_err(Error::bad_request)?;
    match existing {
        Some(_) => sessions::update(conn, &row)?,
        None => {
            if !sessions::insert_or_ignore(conn, &row)? {
                return sessions::find_by_ap_id(conn, &ap_id)?
                    .ok_or_else(|| Error::internal("session vanished"));
            }
        }
    }
    maillage_service::media::record_remote(conn, sender.id, row.id, &attachments)?;
    Ok(row)
}

#[cfg(test)]
mod tests;
