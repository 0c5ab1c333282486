//! Parse tests over real payloads from other servers (`tests/fixtures/`, see
//! its README for where each came from):
//! what Maillage handles parses into its types; what it does not is
//! refused with a reason. Nothing panics.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use maillage_apub::protocol::activity::Envelope;
use maillage_apub::protocol::actor::{ApActor, ACTOR_TYPES};
use maillage_apub::protocol::note::{ApNote, POST_TYPES};
use serde_json::Value;

fn fixtures_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/activitypub");
    assert!(root.is_dir(), "the fixtures are missing at {}", root.display());
    root
}

fn all_fixtures() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut stack = vec![fixtures_root()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read fixtures") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).expect("read fixture");
                let value: Value =
                    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let name = path.strip_prefix(fixtures_root()).unwrap_or(&path).display().to_string();
                out.push((name, value));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() > 100, "expected the full fixture set, found {}", out.len());
    out
}

/// Software whose payloads must all parse when of a handled type.
const MUST_PARSE: &[&str] = &["mastodon", "pleroma", "lemmy", "mobilizon", "mitra", "peertube", "friendica"];
const HANDLED_ACTIVITIES: &[&str] =
    &["Follow", "Accept", "Create", "Update", "Delete", "Announce", "Undo", "Like"];

fn kind(v: &Value) -> &str {
    v.get("type").and_then(Value::as_str).unwrap_or_default()
}

#[test]
fn actors_parse_or_are_refused_with_a_reason() {
    let mut parsed = 0;
    for (name, value) in all_fixtures() {
        if !ACTOR_TYPES.contains(&kind(&value)) {
            continue;
        }
        let software = name.split('/').next().unwrap_or_default();
        match ApActor::parse(value) {
            Ok(actor) => {
                assert!(!actor.preferred_username.is_empty(), "{name}");
                parsed += 1;
            }
            Err(reason) => {
                assert!(!reason.is_empty());
                assert!(!MUST_PARSE.contains(&software), "{name} must parse: {reason}");
            }
        }
    }
    assert!(parsed >= 20, "only {parsed} actors parsed");
}

#[test]
fn posts_parse_or_are_refused_with_a_reason() {
    let mut parsed = 0;
    for (name, value) in all_fixtures() {
        let objects: Vec<Value> = match kind(&value) {
            "Create" | "Update" => {
                value.get("object").filter(|o| o.is_object()).cloned().into_iter().collect()
            }
            _ if name.contains("/objects/") => vec![value.clone()],
            _ => Vec::new(),
        };
        for object in objects {
            let k = kind(&object).to_owned();
            let software = name.split('/').next().unwrap_or_default();
            match ApNote::parse(object) {
                Ok(note) => {
                    assert!(!note.author().is_empty(), "{name}");
                    parsed += 1;
                }
                Err(reason) => {
                    assert!(!reason.is_empty());
                    assert!(
                        !(POST_TYPES.contains(&k.as_str()) && MUST_PARSE.contains(&software)),
                        "{name}: {reason}"
                    );
                }
            }
        }
    }
    assert!(parsed >= 30, "only {parsed} posts parsed");
}

#[test]
fn activities_parse_or_are_refused_with_a_reason() {
    let mut parsed = 0;
    for (name, value) in all_fixtures() {
        if !name.contains("/activities/") {
            continue;
        }
        let software = name.split('/').next().unwrap_or_default();
        match Envelope::parse(&value) {
            Ok(env) => {
                assert!(!env.actor_id().is_empty(), "{name}");
                assert!(env.object.is_some(), "{name} has no object");
                parsed += 1;
            }
            Err(reason) => {
                assert!(
                    !(HANDLED_ACTIVITIES.contains(&kind(&value)) && MUST_PARSE.contains(&software)),
                    "{name} must parse: {reason}"
                );
            }
        }
    }
    assert!(parsed >= 60, "only {parsed} activities parsed");
}

#[test]
fn undo_and_accept_objects_name_what_they_answer() {
    for (name, value) in all_fixtures() {
        if matches!(kind(&value), "Undo" | "Accept") {
            let env = Envelope::parse(&value).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(env.object_id().is_some(), "{name}: no object id");
        }
    }
}

#[test]
fn mobilizons_event_parses_into_a_session() {
    use maillage_apub::objects::session::{ap_to_session, organizer_id, session_to_ap};
    use maillage_core::time::Timestamp;
    let path = fixtures_root().join("mobilizon/objects/event.json");
    let event: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let organizer_ap = organizer_id(&event).unwrap();
    assert_eq!(organizer_ap, "https://rendezvous.nomagic.uk/@emorrp1", "the person, not the group");
    let organizer =
        maillage_test_support::actor_row(&organizer_ap, "emorrp1", "rendezvous.nomagic.uk", "", false);
    let session = ap_to_session(&event, &organizer, None, Timestamp::now()).unwrap();
    assert_eq!(session.title, "Caledonian scottish dance class");
    assert_eq!(Timestamp::from_micros(session.starts_at).to_rfc3339(), "2022-12-11T19:00:00.000Z");
    assert_eq!(
        session.ends_at.map(|e| Timestamp::from_micros(e).to_rfc3339()).as_deref(),
        Some("2022-12-11T21:00:00.000Z")
    );
    assert_eq!(session.timezone.as_deref(), Some("Europe/London"));
    assert_eq!(session.capacity, None, "0 means no limit in Mobilizon");
    assert!(session.place_address.as_deref().unwrap_or_default().contains("EX6 7TW"));
    assert!(session.latitude.is_some() || !session.place_name.is_empty());
    assert!(session.description_html.contains("ceilidh"));
    assert!(!session.description_html.contains("target="), "remote HTML is sanitized");

    // And ours reads back the same.
    let doc = session_to_ap(&session, &organizer, 0);
    assert_eq!(doc["type"], "Event");
    let again = ap_to_session(&doc, &organizer, None, Timestamp::now()).unwrap();
    assert_eq!(
        (again.title, again.starts_at, again.ends_at),
        (session.title, session.starts_at, session.ends_at)
    );
}

#[test]
fn events_without_a_start_are_refused_with_a_reason() {
    use maillage_apub::objects::session::ap_to_session;
    let organizer = maillage_test_support::actor_row("https://x.example/u", "u", "x.example", "", false);
    let no_start = serde_json::json!({ "type": "Event", "id": "https://x.example/e/1", "name": "x" });
    assert!(ap_to_session(&no_start, &organizer, None, maillage_core::time::Timestamp::now())
        .unwrap_err()
        .contains("startTime"));
    let note = serde_json::json!({ "type": "Note", "id": "https://x.example/n/1" });
    assert!(ap_to_session(&note, &organizer, None, maillage_core::time::Timestamp::now()).is_err());
}
