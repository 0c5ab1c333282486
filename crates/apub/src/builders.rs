//! Pure builders of the activities we send: no database, no network, so
//! each is unit-tested on its own. Embedded objects lose their `@context`;
//! the activity carries ours plus every term the object's defined, so the
//! object's terms mean the same embedded as served alone.

use serde_json::{json, Value};

use crate::protocol::listing::valueflows_terms;
use crate::protocol::{add_to_context, context_for, MAILLAGE_NS};

fn strip_context(mut object: Value) -> Value {
    if let Some(map) = object.as_object_mut() {
        map.remove("@context");
    }
    object
}

/// An activity around `object`, whose `@context` (if any) is moved to the
/// activity, merged with ours.
fn activity(kind: &str, id: &str, actor: &str, object: Value) -> Value {
    let ctx = context_for(&object);
    json!({ "@context": ctx, "id": id, "type": kind, "actor": actor, "object": strip_context(object) })
}

/// Wraps a whole activity (FEP-1b12 group Announce) in an `Announce`,
/// keeping the terms its context defined.
pub fn build_announce_activity(
    id: &str,
    actor: &str,
    inner: Value,
    to: &[String],
    cc: &[String],
    published: &str,
) -> Value {
    let mut a = with_audience(activity("Announce", id, actor, inner), to, cc);
    a["published"] = json!(published);
    a
}

fn with_audience(mut activity: Value, to: &[String], cc: &[String]) -> Value {
    activity["to"] = json!(to);
    activity["cc"] = json!(cc);
    activity
}

/// `Create` of a post; the audience is the post's own.
pub fn build_create(id: &str, actor: &str, object: Value) -> Value {
    let to = object.get("to").cloned().unwrap_or(json!([]));
    let cc = object.get("cc").cloned().unwrap_or(json!([]));
    let published = object.get("published").cloned();
    let mut a = activity("Create", id, actor, object);
    a["to"] = to;
    a["cc"] = cc;
    if let Some(p) = published {
        a["published"] = p;
    }
    a
}

/// `Update` of a post or of an actor; the audience is the object's own, or
/// the given one for actors.
pub fn build_update(id: &str, actor: &str, object: Value, to: &[String], cc: &[String]) -> Value {
    let to = object.get("to").cloned().unwrap_or_else(|| json!(to));
    let cc = object.get("cc").cloned().unwrap_or_else(|| json!(cc));
    let mut a = activity("Update", id, actor, object);
    a["to"] = to;
    a["cc"] = cc;
    a
}

/// `Delete` of a post, carrying its Tombstone.
pub fn build_delete(id: &str, actor: &str, tombstone: Value, to: &[String], cc: &[String]) -> Value {
    with_audience(activity("Delete", id, actor, tombstone), to, cc)
}

pub fn build_follow(id: &str, follower: &str, target: &str) -> Value {
    with_audience(activity("Follow", id, follower, json!(target)), &[target.to_owned()], &[])
}

/// A territory's Follow of another territory, proposing (or approving) a
/// link at `level` (`full` or `listings`).
pub fn build_link_follow(id: &str, territory: &str, partner: &str, level: &str) -> Value {
    let mut follow = build_follow(id, territory, partner);
    follow["territoryLink"] = json!(level);
    follow
}

/// `Accept` or `Reject` of a follow, embedding the Follow so that the
/// follower can match it even when it does not keep follow ids.
pub fn build_follow_answer(kind: &str, id: &str, target: &str, follow: Value) -> Value {
    let follower = follow.get("actor").and_then(Value::as_str).map(str::to_owned).unwrap_or_default();
    with_audience(activity(kind, id, target, follow), &[follower], &[])
}

pub fn build_undo(id: &str, actor: &str, inner: Value) -> Value {
    let to = inner.get("to").cloned().unwrap_or(json!([]));
    let cc = inner.get("cc").cloned().unwrap_or(json!([]));
    let mut a = activity("Undo", id, actor, inner);
    a["to"] = to;
    a["cc"] = cc;
    a
}

pub fn build_announce(
    id: &str,
    actor: &str,
    object_id: &str,
    to: &[String],
    cc: &[String],
    published: &str,
) -> Value {
    let mut a = with_audience(activity("Announce", id, actor, json!(object_id)), to, cc);
    a["published"] = json!(published);
    a
}

pub fn build_like(id: &str, actor: &str, object_id: &str, object_author: &str) -> Value {
    with_audience(activity("Like", id, actor, json!(object_id)), &[object_author.to_owned()], &[])
}

/// A person asks to join a group (Lemmy and Mobilizon use `Join` too).
pub fn build_join(id: &str, member: &str, group: &str) -> Value {
    with_audience(activity("Join", id, member, json!(group)), &[group.to_owned()], &[])
}

pub fn build_leave(id: &str, member: &str, group: &str) -> Value {
    with_audience(activity("Leave", id, member, json!(group)), &[group.to_owned()], &[])
}

/// "I'm interested" (FEP-0837): an `Offer` of an `Agreement` whose
/// commitment satisfies the listing's primary intent.
pub fn build_offer_agreement(
    id: &str,
    actor: &str,
    author: &str,
    agreement_id: &str,
    listing_id: &str,
    message: &str,
) -> Value {
    let agreement = json!({
        "type": "Agreement",
        "id": agreement_id,
        "stipulates": {
            "type": "Commitment",
            "id": format!("{agreement_id}#primary"),
            "satisfies": format!("{listing_id}#primary"),
        },
    });
    let mut a = with_audience(activity("Offer", id, actor, agreement), &[author.to_owned()], &[]);
    a["content"] = json!(message);
    add_to_context(&mut a["@context"], &valueflows_terms());
    a
}

/// The author's `Accept` or `Reject` of such an offer, embedding it.
pub fn build_agreement_answer(
    kind: &str,
    id: &str,
    author: &str,
    offer_id: &str,
    initiator: &str,
    agreement_id: &str,
) -> Value {
    let offer = json!({ "type": "Offer", "id": offer_id, "actor": initiator, "object": agreement_id });
    let mut a = with_audience(activity(kind, id, author, offer), &[initiator.to_owned()], &[]);
    add_to_context(&mut a["@context"], &valueflows_terms());
    a
}

/// A party's confirmation that an agreement was fulfilled, with the time
/// credit it moves as an xsd:duration (`PT90M`). Maillage's own activity:
/// servers that do not know it ignore it.
pub fn build_agreement_confirmation(
    id: &str,
    party: &str,
    other: &str,
    agreement_id: &str,
    minutes: i64,
) -> Value {
    let mut a = with_audience(activity("Confirm", id, party, json!(agreement_id)), &[other.to_owned()], &[]);
    a["duration"] = json!(format!("PT{minutes}M"));
    add_to_context(&mut a["@context"], &json!({ "Confirm": format!("{MAILLAGE_NS}Confirm") }));
    a
}

/// The minutes of a `PT…M` duration (only whole minutes are sent).
pub fn minutes_of_duration(d: &str) -> Option<i64> {
    d.strip_prefix("PT")?.strip_suffix('M')?.parse().ok().filter(|m: &i64| *m >= 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::context;

    #[test]
    fn a_confirmation_names_the_agreement_and_its_duration() {
        let c = build_agreement_confirmation(
            "https://a.example/activities/1",
            "https://a.example/users/al",
            "https://b.example/users/bo",
            "https://a.example/agreements/9",
            90,
        );
        assert_eq!(
            (c["type"].clone(), c["object"].clone()),
            (json!("Confirm"), json!("https://a.example/agreements/9"))
        );
        assert_eq!(c["to"][0], "https://b.example/users/bo");
        assert_eq!(minutes_of_duration(c["duration"].as_str().unwrap()), Some(90));
        assert_eq!(minutes_of_duration("P1D"), None);
        assert_eq!(minutes_of_duration("PT-5M"), None);
    }

    #[test]
    fn create_takes_the_audience_of_its_object() {
        let note = json!({"@context": context(), "id": "https://a.example/objects/1", "type": "Note",
            "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": ["https://a.example/users/al/followers"],
            "published": "2026-11-25T20:00:00.000Z"});
        let create = build_create("https://a.example/objects/1/activity", "https://a.example/users/al", note);
        assert_eq!(create["type"], "Create");
        assert_eq!(create["to"][0], "https://www.w3.org/ns/activitystreams#Public");
        assert_eq!(create["cc"][0], "https://a.example/users/al/followers");
        assert_eq!(create["published"], "2026-11-25T20:00:00.000Z");
        assert!(create["object"].get("@context").is_none(), "embedded objects carry no context");
        assert!(create.get("@context").is_some());
    }

    /// The terms (not the remote contexts) an activity's `@context` defines.
    fn terms(activity: &Value) -> serde_json::Map<String, Value> {
        let mut out = serde_json::Map::new();
        for entry in activity["@context"].as_array().into_iter().flatten() {
            out.extend(entry.as_object().cloned().unwrap_or_default());
        }
        out
    }

    #[test]
    fn activities_carry_the_terms_of_their_object() {
        let listing = json!({ "@context": crate::protocol::listing::listing_context(),
            "id": "https://a.example/objects/1", "type": "Note", "radiusKm": 3.0 });
        let event = json!({ "@context": crate::protocol::event::event_context(),
            "id": "https://a.example/objects/2", "type": "Event" });
        for object in [listing, event] {
            let own = terms(&json!({ "@context": object["@context"].clone() }));
            let create =
                build_create("https://a.example/activities/1", "https://a.example/users/al", object.clone());
            let update = build_update(
                "https://a.example/activities/2",
                "https://a.example/users/al",
                object,
                &[],
                &[],
            );
            for activity in [&create, &update] {
                let carried = terms(activity);
                for (term, definition) in &own {
                    assert_eq!(carried.get(term), Some(definition), "{} lacks {term}", activity["type"]);
                }
                assert!(carried.contains_key("manuallyApprovesFollowers"), "ours are kept too");
                assert!(activity["object"].get("@context").is_none());
            }
            let announce = build_announce_activity(
                "https://a.example/activities/3",
                "https://a.example/users/group",
                create.clone(),
                &[],
                &[],
                "2026-11-25T20:00:00.000Z",
            );
            assert_eq!(terms(&announce), terms(&create), "an Announce of an activity keeps its terms");
        }
        let offer = build_offer_agreement(
            "https://b.example/activities/offer/7",
            "https://b.example/users/bo",
            "https://a.example/users/al",
            "https://b.example/agreements/7",
            "https://a.example/objects/1",
            "",
        );
        for term in ["Agreement", "stipulates", "Commitment", "satisfies"] {
            assert!(terms(&offer).contains_key(term), "Offer lacks {term}");
        }
        let strings: Vec<&Value> =
            offer["@context"].as_array().unwrap().iter().filter(|c| c.is_string()).collect();
        assert_eq!(strings.len(), 2, "remote contexts are not repeated");
    }

    #[test]
    fn follow_answers_embed_the_follow() {
        let follow = build_follow(
            "https://b.example/activities/9",
            "https://b.example/users/bo",
            "https://a.example/users/al",
        );
        assert_eq!(follow["object"], "https://a.example/users/al");
        let accept = build_follow_answer(
            "Accept",
            "https://a.example/activities/10",
            "https://a.example/users/al",
            follow,
        );
        assert_eq!(accept["type"], "Accept");
        assert_eq!(accept["actor"], "https://a.example/users/al");
        assert_eq!(accept["object"]["id"], "https://b.example/activities/9");
        assert_eq!(accept["to"][0], "https://b.example/users/bo");
    }

    #[test]
    fn undo_wraps_and_keeps_the_audience() {
        let like = build_like(
            "https://a.example/activities/3",
            "https://a.example/users/al",
            "https://b.example/n/1",
            "https://b.example/users/bo",
        );
        let undo = build_undo("https://a.example/activities/4", "https://a.example/users/al", like);
        assert_eq!(undo["object"]["type"], "Like");
        assert_eq!(undo["to"][0], "https://b.example/users/bo");
    }

    #[test]
    fn interest_is_an_offer_of_an_agreement() {
        let offer = build_offer_agreement(
            "https://b.example/activities/7",
            "https://b.example/users/bo",
            "https://a.example/users/al",
            "https://b.example/agreements/7",
            "https://a.example/objects/1",
            "Intéressé !",
        );
        assert_eq!(offer["type"], "Offer");
        assert_eq!(offer["object"]["type"], "Agreement");
        assert_eq!(offer["object"]["stipulates"]["satisfies"], "https://a.example/objects/1#primary");
        assert_eq!(offer["to"][0], "https://a.example/users/al");
        let accept = build_agreement_answer(
            "Accept",
            "https://a.example/activities/8",
            "https://a.example/users/al",
            "https://b.example/activities/7",
            "https://b.example/users/bo",
            "https://b.example/agreements/7",
        );
        assert_eq!(accept["object"]["id"], "https://b.example/activities/7");
        assert_eq!(accept["to"][0], "https://b.example/users/bo");
    }

    #[test]
    fn announce_and_delete_have_their_audience() {
        let to = vec!["https://www.w3.org/ns/activitystreams#Public".to_owned()];
        let cc = vec!["https://a.example/users/t/followers".to_owned()];
        let ann = build_announce(
            "https://a.example/activities/5",
            "https://a.example/users/t",
            "https://a.example/objects/1",
            &to,
            &cc,
            "2026-11-25T20:00:00.000Z",
        );
        assert_eq!(ann["object"], "https://a.example/objects/1");
        assert_eq!(ann["cc"][0], "https://a.example/users/t/followers");
        let del = build_delete(
            "https://a.example/activities/6",
            "https://a.example/users/al",
            json!({"id": "https://a.example/objects/1", "type": "Tombstone"}),
            &to,
            &cc,
        );
        assert_eq!(del["object"]["type"], "Tombstone");
    }
}
