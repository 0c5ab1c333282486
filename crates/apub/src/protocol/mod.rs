//! Wire types: what other servers send us (parsed leniently: unknown fields
//! are ignored, single values and arrays both accepted) and the JSON-LD
//! context of what we send.

pub mod activity;
pub mod actor;
pub mod attachment;
pub mod event;
pub mod lenient;
pub mod listing;
pub mod note;
pub mod place;
pub mod question;
pub mod values;

use url::Url;

/// The namespace of Maillage's own terms.
pub const MAILLAGE_NS: &str = "https://maillage.org/ns#";

/// The `@context` of every document we serve or send: only the
/// ActivityStreams and security contexts, which every peer has offline,
/// plus the extension terms we use, defined inline.
pub fn context() -> serde_json::Value {
    serde_json::json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "sensitive": "as:sensitive",
            "Hashtag": "as:Hashtag",
            "toot": "http://joinmastodon.org/ns#",
            "discoverable": "toot:discoverable",
            "indexable": "toot:indexable",
            "ostatus": "http://ostatus.org#",
            "conversation": "ostatus:conversation",
            "litepub": "http://litepub.social/ns#",
            "directMessage": "litepub:directMessage",
            "blurhash": "toot:blurhash",
            "focalPoint": { "@container": "@list", "@id": "toot:focalPoint" },
            "maillage": "https://maillage.org/ns#",
            "territoryLink": "maillage:territoryLink"
        }
    ])
}

/// The `@context` of an activity carrying `object`: ours, plus every term
/// the object's own `@context` defines, so that the object's terms expand
/// the same embedded as they do served alone. Remote contexts come first,
/// then one map of terms; the object's definition of a term wins.
pub fn context_for(object: &serde_json::Value) -> serde_json::Value {
    let mut ctx = context();
    if let Some(extra) = object.get("@context") {
        add_to_context(&mut ctx, extra);
    }
    ctx
}

/// Adds the remote contexts and terms of `extra` to `ctx` (a list of
/// remote contexts followed by one map of terms, as [`context`] returns).
pub fn add_to_context(ctx: &mut serde_json::Value, extra: &serde_json::Value) {
    use serde_json::Value;
    let Some(list) = ctx.as_array_mut() else { return };
    let entries: Vec<Value> = match extra {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    for entry in entries {
        match entry {
            Value::String(_) if !list.contains(&entry) => {
                let at = list.iter().position(Value::is_object).unwrap_or(list.len());
                list.insert(at, entry);
            }
            Value::Object(terms) => match list.iter_mut().rev().find_map(Value::as_object_mut) {
                Some(map) => map.extend(terms),
                None => list.push(Value::Object(terms)),
            },
            _ => {}
        }
    }
}

pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// Whether an audience entry means "public" (the three forms in use).
pub fn is_public(audience: &str) -> bool {
    matches!(audience, PUBLIC | "as:Public" | "Public")
}

/// The host of a URL, with its port.
pub fn origin(url: &str) -> Option<String> {
    let u = Url::parse(url).ok()?;
    let host = u.host_str()?;
    Some(match u.port() {
        Some(p) => format!("{}://{host}:{p}", u.scheme()),
        None => format!("{}://{host}", u.scheme()),
    })
}

pub fn same_origin(a: &str, b: &str) -> bool {
    matches!((origin(a), origin(b)), (Some(x), Some(y)) if x == y)
}
