//! Parse tests over real payloads from other servers (`../shared/fixtures`):
//! what Maillage handles parses into its types; what it does not is
//! refused with a reason. Nothing panics.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use maillage_apub::protocol::activity::Envelope;
use maillage_apub::protocol::actor::{ApActor, ACTOR_TYPES};
use maillage_apub::protocol::note::{ApNote, POST_TYPES};
use serde_json::Value;

fn fixtures_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/activitypub");
    assert!(root.is_dir(), "the shared fixtures are missing at {}", root.display());
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
