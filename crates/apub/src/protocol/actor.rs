//! Actors as other servers describe them: Person, Group, Application,
//! Service, Organization.

use serde::Deserialize;
use serde_json::Value;

use super::values;

pub const ACTOR_TYPES: &[&str] = &["Person", "Group", "Application", "Service", "Organization"];

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApActor {
    pub id: url::Url,
    #[serde(rename = "type")]
    pub kind: String,
    pub preferred_username: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    pub inbox: url::Url,
    #[serde(default)]
    pub outbox: Option<url::Url>,
    #[serde(default)]
    pub followers: Option<url::Url>,
    #[serde(default)]
    pub following: Option<url::Url>,
    #[serde(default)]
    pub endpoints: Option<Endpoints>,
    pub public_key: PublicKey,
    #[serde(default)]
    pub manually_approves_followers: Option<bool>,
    #[serde(default)]
    pub url: Option<Value>,
    #[serde(default)]
    pub icon: Option<Value>,
    #[serde(default)]
    pub published: Option<String>,
    /// Where the actor is: a `Place` (Mobilizon groups, Maillage
    /// territories).
    #[serde(default)]
    pub location: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    #[serde(default)]
    pub shared_inbox: Option<url::Url>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKey {
    pub id: String,
    pub owner: url::Url,
    pub public_key_pem: String,
}

impl ApActor {
    /// Parses and checks the parts we rely on; the error says why an actor
    /// is refused.
    pub fn parse(value: Value) -> Result<ApActor, String> {
        let actor: ApActor = serde_json::from_value(value).map_err(|e| format!("not an actor: {e}"))?;
        if !ACTOR_TYPES.contains(&actor.kind.as_str()) {
            return Err(format!("unsupported actor type {}", actor.kind));
        }
        if actor.public_key.owner != actor.id {
            return Err("the public key belongs to another actor".into());
        }
        if actor.preferred_username.is_empty() {
            return Err("the actor has no preferredUsername".into());
        }
        Ok(actor)
    }

    pub fn shared_inbox(&self) -> Option<&url::Url> {
        self.endpoints.as_ref().and_then(|e| e.shared_inbox.as_ref())
    }

    pub fn profile_url(&self) -> Option<String> {
        self.url.as_ref().and_then(values::url_of)
    }

    /// Latitude and longitude of the actor's `location`, when it gives
    /// valid ones.
    pub fn place(&self) -> Option<(f64, f64)> {
        let place = self.location.as_ref()?;
        let place = place.as_array().and_then(|a| a.first()).unwrap_or(place);
        let lat = place.get("latitude")?.as_f64()?;
        let lon = place.get("longitude")?.as_f64()?;
        ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
    }

    pub fn icon_url(&self) -> Option<String> {
        self.icon.as_ref().and_then(values::url_of)
    }
}
