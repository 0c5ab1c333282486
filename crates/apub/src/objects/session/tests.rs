//! The session's wire format (an `Event`), built and read back.

use maillage_core::time::Timestamp;
use maillage_db::actors::ActorRow;
use maillage_db::sessions::SessionRow;
use serde_json::json;

use super::*;
use crate::protocol::event::event_context;

const STARTS: i64 = 1_802_080_800_000_000; // 2027-02-08T10:00:00Z

fn organizer() -> ActorRow {
    let mut a =
        maillage_test_support::actor_row("https://a.example/users/alice", "alice", "a.example", "", true);
    a.id = 1;
    a.followers_url = Some("https://a.example/users/alice/followers".into());
    a
}

fn row() -> SessionRow {
    SessionRow {
        id: 9,
        ap_id: "https://a.example/objects/9".into(),
        organizer_id: 1,
        group_id: None,
        title: "Apprendre à souder".into(),
        description_html: "<p>Fer et étain fournis.</p>".into(),
        starts_at: STARTS,
        ends_at: Some(STARTS + 3 * 3_600_000_000),
        timezone: Some("Europe/Paris".into()),
        place_name: "Atelier".into(),
        place_address: Some("1 place du Foirail".into()),
        latitude: Some(43.95),
        longitude: Some(2.88),
        capacity: Some(8),
        join_mode: "free".into(),
        local: true,
        url: None,
        published_at: STARTS,
        updated_at: None,
        deleted_at: None,
    }
}

#[test]
fn a_session_is_an_event_as_mobilizon_describes_it() {
    let doc = session_to_ap(&row(), &organizer(), 3);
    let expected = json!({
        "@context": event_context(),
        "id": "https://a.example/objects/9",
        "type": "Event",
        "name": "Apprendre à souder",
        "content": "<p>Fer et étain fournis.</p>",
        "mediaType": "text/html",
        "attributedTo": "https://a.example/users/alice",
        "startTime": "2027-02-08T10:00:00.000Z",
        "endTime": "2027-02-08T13:00:00.000Z",
        "timezone": "Europe/Paris",
        "joinMode": "free",
        "participantCount": 3,
        "maximumAttendeeCapacity": 8,
        "remainingAttendeeCapacity": 5,
        "location": {
            "type": "Place",
            "name": "Atelier",
            "latitude": 43.95,
            "longitude": 2.88,
            "address": { "type": "PostalAddress", "streetAddress": "1 place du Foirail" }
        },
        "published": "2027-02-08T10:00:00.000Z",
        "url": "https://a.example/objects/9",
        "to": [PUBLIC],
        "cc": ["https://a.example/users/alice/followers"]
    });
    assert_eq!(doc, expected);
}

#[test]
fn a_session_reads_back_as_it_was_built() {
    let row = row();
    let doc = session_to_ap(&row, &organizer(), 0);
    let back = ap_to_session(&doc, &organizer(), Some(&row), Timestamp::from_micros(STARTS)).unwrap();
    let expected = SessionRow { local: false, url: Some(row.ap_id.clone()), updated_at: Some(STARTS), ..row };
    assert_eq!(back, expected);
}

#[test]
fn malformed_dates_are_named_and_missing_ones_too() {
    let organizer = organizer();
    let mut doc = session_to_ap(&row(), &organizer, 0);
    doc["startTime"] = json!("samedi");
    let reason = ap_to_session(&doc, &organizer, None, Timestamp::now()).unwrap_err();
    assert!(reason.starts_with("malformed startTime"), "{reason}");
    doc["startTime"] = json!(null);
    let reason = ap_to_session(&doc, &organizer, None, Timestamp::now()).unwrap_err();
    assert_eq!(reason, "an Event needs a startTime");
    let mut doc = session_to_ap(&row(), &organizer, 0);
    doc["endTime"] = json!(1234);
    let reason = ap_to_session(&doc, &organizer, None, Timestamp::now()).unwrap_err();
    assert!(reason.starts_with("malformed endTime"), "{reason}");
}
