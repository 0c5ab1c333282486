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

fn fixture(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixtures_root().join(path)).unwrap()).unwrap()
}

#[test]
fn mitras_proposal_parses_into_a_listing() {
    use maillage_apub::objects::listing::{ap_to_listing, is_listing};
    use maillage_core::time::Timestamp;
    let proposal = fixture("mitra/objects/proposal.json");
    assert!(is_listing(&proposal));
    let author = maillage_test_support::actor_row(
        "https://mitra.example/users/alice",
        "alice",
        "mitra.example",
        "",
        false,
    );
    let listing = ap_to_listing(&proposal, &author, None, Timestamp::now()).unwrap();
    assert_eq!((listing.kind.as_str(), listing.title.as_str()), ("offer", "Pay for subscription"));
    assert_eq!((listing.category.as_str(), listing.visibility.as_str()), ("other", "public"));
    assert_eq!((listing.quantity_amount, listing.quantity_unit.as_deref()), (Some(1.0), Some("second")));
}

#[test]
fn mitras_agreement_offer_and_accept_name_what_they_answer() {
    let offer = Envelope::parse(&fixture("mitra/activities/offer_agreement.json")).unwrap();
    let agreement = offer.object.as_ref().unwrap();
    assert_eq!(agreement["type"], "Agreement");
    assert_eq!(agreement["stipulates"]["satisfies"], "https://maillage.example/objects/1#primary");
    let accept = Envelope::parse(&fixture("mitra/activities/accept_agreement.json")).unwrap();
    assert_eq!(accept.object_id().as_deref(), Some("https://maillage.example/activities/offer/7"));
}

#[test]
fn groups_parse_and_ours_read_back_the_same() {
    use maillage_apub::objects::actor::{actor_to_ap, ap_to_actor};
    use maillage_core::time::Timestamp;
    for path in ["lemmy/objects/group.json", "mobilizon/objects/group.json", "peertube/objects/group.json"] {
        let group = ApActor::parse(fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(group.kind, "Group", "{path}");
        let row = ap_to_actor(&group, None, Timestamp::now());
        assert!(!row.username.is_empty() && row.inbox_url.starts_with("https://"), "{path}");
        let again = ApActor::parse(actor_to_ap(&row)).unwrap();
        assert_eq!((&again.id, &again.inbox, &again.kind), (&group.id, &group.inbox, &group.kind), "{path}");
        assert_eq!(again.preferred_username, group.preferred_username, "{path}");
        assert_eq!(again.followers, group.followers, "{path}");
    }
}

#[test]
fn malformed_event_times_are_reported_as_malformed() {
    use maillage_apub::objects::session::ap_to_session;
    let organizer = maillage_test_support::actor_row("https://x.example/u", "u", "x.example", "", false);
    let mut event = fixture("mobilizon/objects/event.json");
    event["startTime"] = serde_json::json!("next saturday");
    let reason = ap_to_session(&event, &organizer, None, maillage_core::time::Timestamp::now()).unwrap_err();
    assert!(reason.contains("malformed startTime"), "{reason}");
    let mut event = fixture("mobilizon/objects/event.json");
    event["endTime"] = serde_json::json!("2022-13-45");
    let reason = ap_to_session(&event, &organizer, None, maillage_core::time::Timestamp::now()).unwrap_err();
    assert!(reason.contains("malformed endTime"), "{reason}");
}
