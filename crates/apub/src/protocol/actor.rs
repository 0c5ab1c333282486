//! Actors as other servers describe them: Person, Group, Application,
//! Service, Organization.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lenient;
use super::place::ApPlace;

pub const IMAGE: &str = "Image";
pub const ACTOR_TYPES: &[&str] = &["Person", "Group", "Application", "Service", "Organization"];

/// An actor, ours or another server's: one struct, written by
/// `actor_to_ap` and read by `ap_to_actor`. Groups are actors of type
/// `Group` (FEP-1b12), territories of type `Service`... with a `location`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApActor {
    /// Normalized by [`ApActor::parse`] (as `url::Url` writes it).
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// Optional in ActivityStreams: [`ApActor::parse`] falls back to the
    /// last segment of the id's path, then to `name`.
    #[serde(default, deserialize_with = "lenient::text_or_empty")]
    pub preferred_username: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub summary: Option<String>,
    pub inbox: String,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::optional")]
    pub outbox: Option<url::Url>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::optional")]
    pub followers: Option<url::Url>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::optional")]
    pub following: Option<url::Url>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::optional")]
    pub endpoints: Option<Endpoints>,
    pub public_key: PublicKey,
    #[serde(default, deserialize_with = "lenient::optional")]
    pub manually_approves_followers: Option<bool>,
    /// Mastodon's: whether the actor may be suggested, and its posts
    /// indexed.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::optional")]
    pub discoverable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::optional")]
    pub indexable: Option<bool>,
    /// The profile page.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::url")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::first")]
    pub icon: Option<ApImage>,
    /// The header picture.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::first")]
    pub image: Option<ApImage>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub published: Option<String>,
    /// Where the actor is: a `Place` (Mobilizon groups, Maillage
    /// territories).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::first")]
    pub location: Option<ApPlace>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    #[serde(default, deserialize_with = "lenient::optional")]
    pub shared_inbox: Option<url::Url>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKey {
    pub id: String,
    pub owner: String,
    pub public_key_pem: String,
}

/// An `Image` (an avatar); its `url` may be a string or a Link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApImage {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default, deserialize_with = "lenient::url")]
    pub url: Option<String>,
}

impl ApActor {
    /// Parses and checks the parts we rely on; the error says why an actor
    /// is refused.
    pub fn parse(value: Value) -> Result<ApActor, String> {
        let mut actor: ApActor = serde_json::from_value(value).map_err(|e| format!("not an actor: {e}"))?;
        if !ACTOR_TYPES.contains(&actor.kind.as_str()) {
            return Err(format!("unsupported actor type {}", actor.kind));
        }
        actor.id = normalized(&actor.id, "id")?;
        actor.inbox = normalized(&actor.inbox, "inbox")?;
        actor.public_key.owner = normalized(&actor.public_key.owner, "publicKey.owner")?;
        if actor.public_key.owner != actor.id {
            return Err("the public key belongs to another actor".into());
        }
        if actor.preferred_username.trim().is_empty() {
            actor.preferred_username = fallback_username(&actor).ok_or(
                "the actor has no preferredUsername, and neither its id's path nor its name gives one",
            )?;
        }
        Ok(actor)
    }

    /// The id as a URL ([`ApActor::parse`] checked that it is one).
    pub fn id_url(&self) -> Result<url::Url, String> {
        url::Url::parse(&self.id).map_err(|e| format!("the actor's id is not a URL: {e}"))
    }

    pub fn shared_inbox(&self) -> Option<&url::Url> {
        self.endpoints.as_ref().and_then(|e| e.shared_inbox.as_ref())
    }

    /// The actor's profile page, when it is a web link.
    pub fn profile_url(&self) -> Option<String> {
        self.url.as_deref().and_then(|u| super::values::web_link(u, &self.id))
    }

    /// Latitude and longitude of the actor's `location`, when it gives
    /// valid ones.
    pub fn place(&self) -> Option<(f64, f64)> {
        let place = self.location.as_ref()?;
        Some((place.latitude_in_range()?, place.longitude_in_range()?))
    }

    /// The avatar, when it is a web link.
    pub fn icon_url(&self) -> Option<String> {
        self.icon.as_ref().and_then(|i| i.url.as_deref()).and_then(|u| super::values::web_link(u, &self.id))
    }

    /// The header picture, when it is a web link.
    pub fn image_url(&self) -> Option<String> {
        self.image.as_ref().and_then(|i| i.url.as_deref()).and_then(|u| super::values::web_link(u, &self.id))
    }

    /// The document with our `@context`, as served and sent.
    pub fn to_document(&self) -> Value {
        // Serializing plain structs of strings and numbers cannot fail.
        let mut doc = serde_json::to_value(self).unwrap_or_default();
        if let Some(map) = doc.as_object_mut() {
            map.insert("@context".into(), super::context());
        }
        doc
    }
}

/// A URL as `url::Url` writes it (lower-case host, `/` for an empty path),
/// so that ids compare as the federation library's do.
fn normalized(raw: &str, field: &str) -> Result<String, String> {
    url::Url::parse(raw).map(String::from).map_err(|e| format!("the actor's {field} is not a URL: {e}"))
}

/// A username for an actor without `preferredUsername`: the last non-empty
/// segment of its id's path (`https://x.example/users/alice` → `alice`),
/// else its `name` without spaces.
fn fallback_username(actor: &ApActor) -> Option<String> {
    let id = actor.id_url().ok()?;
    let from_path = id.path_segments().and_then(|segments| segments.rev().find(|s| !s.is_empty()));
    let from_path = from_path.map(|s| s.trim_start_matches('@').to_owned()).filter(|s| !s.is_empty());
    let from_name = || {
        let name: String = actor.name.as_deref()?.split_whitespace().collect::<Vec<_>>().join("_");
        (!name.is_empty()).then_some(name)
    };
    from_path.or_else(from_name)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn actor(id: &str, extra: Value) -> Value {
        let mut a = json!({ "id": id, "type": "Person", "inbox": format!("{id}/inbox"),
            "publicKey": { "id": format!("{id}#main-key"), "owner": id, "publicKeyPem": "PEM" } });
        if let (Some(map), Some(more)) = (a.as_object_mut(), extra.as_object()) {
            map.extend(more.clone());
        }
        a
    }

    #[test]
    fn an_actor_without_preferred_username_is_named_from_its_id_or_name() {
        let parsed = ApActor::parse(actor("https://x.example/users/alice", json!({}))).unwrap();
        assert_eq!(parsed.preferred_username, "alice");
        let parsed = ApActor::parse(actor("https://x.example/@bob/", json!({}))).unwrap();
        assert_eq!(parsed.preferred_username, "bob");
        let parsed = ApActor::parse(actor("https://x.example", json!({ "name": "Cé Dric" }))).unwrap();
        assert_eq!(parsed.preferred_username, "Cé_Dric");
        let named =
            ApActor::parse(actor("https://x.example/u/1", json!({ "preferredUsername": "dee" }))).unwrap();
        assert_eq!(named.preferred_username, "dee");
        let reason = ApActor::parse(actor("https://x.example/", json!({}))).unwrap_err();
        assert!(reason.contains("preferredUsername"), "{reason}");
    }
}
