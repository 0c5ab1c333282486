//! A session on the wire: an `Event` as Mobilizon and FEP-8a8e describe it
//! (`name`, `content`, `startTime`, `endTime`, `timezone`, `location` as a
//! `Place` with a `PostalAddress`, capacities, `participantCount`,
//! `joinMode`). One struct, written by `session_to_ap` and read by
//! `ap_to_session`.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::lenient;
use super::place::{place_terms, ApPlace};

pub const EVENT: &str = "Event";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApEvent {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::text")]
    pub media_type: Option<String>,
    /// The author: a person, or the group it is published in (Mobilizon).
    #[serde(default, deserialize_with = "lenient::first_id")]
    pub attributed_to: Option<String>,
    /// The organizing person, when `attributedTo` is a group (Mobilizon).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::first_id")]
    pub actor: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::text")]
    pub end_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::text")]
    pub timezone: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub join_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::integer")]
    pub participant_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::integer")]
    pub maximum_attendee_capacity: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::integer")]
    pub remaining_attendee_capacity: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::optional")]
    pub location: Option<ApPlace>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::url")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "super::values::ids")]
    pub to: Vec<String>,
    #[serde(default, deserialize_with = "super::values::ids")]
    pub cc: Vec<String>,
}

impl ApEvent {
    /// Parses a received object as an Event; the error says why it is not
    /// one.
    pub fn parse(object: &Value) -> Result<ApEvent, String> {
        let event = ApEvent::deserialize(object).map_err(|e| format!("not an Event: {e}"))?;
        if event.kind != EVENT {
            return Err("not an Event".into());
        }
        Ok(event)
    }

    /// The document with its `@context`, as served and sent.
    pub fn to_document(&self) -> Value {
        // Serializing plain structs of strings and numbers cannot fail.
        let mut doc = serde_json::to_value(self).unwrap_or_default();
        if let Some(map) = doc.as_object_mut() {
            map.insert("@context".into(), event_context());
        }
        doc
    }

    /// Who organizes it: `actor` (Mobilizon names the person there and the
    /// group in `attributedTo`), else `attributedTo`.
    pub fn organizer(&self) -> Option<&str> {
        self.actor.as_deref().or(self.attributed_to.as_deref())
    }
}

/// The `@context` of an Event: schema.org's place and capacities and
/// Mobilizon's terms, defined inline.
pub fn event_context() -> Value {
    let mut terms = json!({
        "mz": "https://joinmobilizon.org/ns#",
        "maximumAttendeeCapacity": "sc:maximumAttendeeCapacity",
        "remainingAttendeeCapacity": "sc:remainingAttendeeCapacity",
        "participantCount": { "@id": "mz:participantCount", "@type": "sc:Integer" },
        "joinMode": { "@id": "mz:joinMode", "@type": "mz:joinModeType" },
        "timezone": { "@id": "mz:timezone", "@type": "sc:Text" }
    });
    if let (Some(map), Some(place)) = (terms.as_object_mut(), place_terms().as_object()) {
        map.extend(place.clone());
    }
    json!(["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1", terms])
}
