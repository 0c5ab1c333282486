//! Wire types: what other servers send us (parsed leniently: unknown fields
//! are ignored, single values and arrays both accepted) and the JSON-LD
//! context of what we send.

pub mod activity;
pub mod actor;
pub mod note;
pub mod values;

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
            "maillage": "https://maillage.org/ns#",
            "territoryLink": "maillage:territoryLink"
        }
    ])
}

pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// Whether an audience entry means "public" (the three forms in use).
pub fn is_public(audience: &str) -> bool {
    matches!(audience, PUBLIC | "as:Public" | "Public")
}
