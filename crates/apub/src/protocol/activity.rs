//! The envelope every incoming activity shares. The object stays a JSON
//! value: each handler reads what it needs from it.

use serde::Deserialize;
use serde_json::Value;

use super::values;

#[derive(Debug, Clone, Deserialize)]
pub struct Envelope {
    pub id: url::Url,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(deserialize_with = "values::ids")]
    pub actor: Vec<String>,
    #[serde(default)]
    pub object: Option<Value>,
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default, deserialize_with = "values::ids")]
    pub to: Vec<String>,
    #[serde(default, deserialize_with = "values::ids")]
    pub cc: Vec<String>,
    /// On Maillage's `Confirm`: the time credit, as `PT…M`.
    #[serde(default)]
    pub duration: Option<String>,
}

/// The activity types we act on; anything else is accepted and ignored.
pub const HANDLED_TYPES: &[&str] = &[
    "Follow", "Accept", "Reject", "Undo", "Create", "Update", "Delete", "Announce", "Like", "Flag", "Offer",
    "Join", "Leave", "Confirm",
];

impl Envelope {
    pub fn parse(value: &Value) -> Result<Envelope, String> {
        let env: Envelope = Envelope::deserialize(value).map_err(|e| format!("not an activity: {e}"))?;
        if env.actor.len() != 1 {
            return Err("an activity needs exactly one actor".into());
        }
        Ok(env)
    }

    pub fn actor_id(&self) -> &str {
        self.actor.first().map(String::as_str).unwrap_or_default()
    }

    pub fn is_handled(&self) -> bool {
        HANDLED_TYPES.contains(&self.kind.as_str())
    }

    /// The object's id, whether it is a link or embedded.
    pub fn object_id(&self) -> Option<String> {
        self.object.as_ref().and_then(values::first_id)
    }

    /// The embedded object's `type`, when the object is embedded.
    pub fn object_type(&self) -> Option<&str> {
        self.object.as_ref()?.get("type")?.as_str()
    }
}
