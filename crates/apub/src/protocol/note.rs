//! Posts as other servers send them. `Note` is the common case; `Article`
//! and `Page` are kept as posts too (Mastodon shows them the same way).

use maillage_core::html::escape_html;
use serde::Deserialize;
use serde_json::Value;

use super::values;

pub const POST_TYPES: &[&str] =
    &["Note", "Article", "Page", "Question", "Image", "Video", "Audio", "Document"];

/// Objects that are themselves a picture, a video, a sound or a file
/// (PeerTube's videos, Funkwhale's tracks, Pixelfed's older photos): shown
/// as a status with the object as its attachment.
pub const MEDIA_OBJECT_TYPES: &[&str] = &["Image", "Video", "Audio", "Document"];

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApNote {
    pub id: url::Url,
    #[serde(rename = "type", deserialize_with = "one_type")]
    pub kind: String,
    #[serde(default, deserialize_with = "values::ids")]
    pub attributed_to: Vec<String>,
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub content_map: Option<serde_json::Map<String, Value>>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub sensitive: Option<bool>,
    #[serde(default)]
    pub in_reply_to: Option<Value>,
    #[serde(default)]
    pub url: Option<Value>,
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub updated: Option<String>,
    #[serde(default, deserialize_with = "values::ids")]
    pub to: Vec<String>,
    #[serde(default, deserialize_with = "values::ids")]
    pub cc: Vec<String>,
    #[serde(default)]
    pub tag: Option<Value>,
    /// The conversation it belongs to (`context`; Mastodon and Pleroma
    /// also send OStatus's `conversation`).
    #[serde(default)]
    pub context: Option<Value>,
    #[serde(default)]
    pub conversation: Option<Value>,
    #[serde(default)]
    pub attachment: Option<Value>,
    /// A media object's file type (a post's `mediaType` is its content's).
    #[serde(default)]
    pub media_type: Option<String>,
    #[serde(default)]
    pub width: Option<Value>,
    #[serde(default)]
    pub height: Option<Value>,
    #[serde(default)]
    pub blurhash: Option<Value>,
    /// A poll's options: `oneOf` for a single choice, `anyOf` for several.
    #[serde(default)]
    pub one_of: Option<Value>,
    #[serde(default)]
    pub any_of: Option<Value>,
    #[serde(default)]
    pub end_time: Option<String>,
    /// `true`, or when it closed.
    #[serde(default)]
    pub closed: Option<Value>,
    #[serde(default)]
    pub voters_count: Option<Value>,
}

/// The type of a received object. ActivityStreams allows several (the
/// pasture sends `["Note", "Article"]`): the first Maillage keeps as a
/// post is taken, else the first.
pub fn type_of(object: &Value) -> Option<&str> {
    match object.get("type")? {
        Value::String(kind) => Some(kind),
        Value::Array(kinds) => {
            let kinds = || kinds.iter().filter_map(Value::as_str);
            kinds().find(|k| POST_TYPES.contains(k)).or_else(|| kinds().next())
        }
        _ => None,
    }
}

fn one_type<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let kind = Value::deserialize(d)?;
    let object = serde_json::json!({ "type": kind });
    type_of(&object).map(str::to_owned).ok_or_else(|| serde::de::Error::custom("the type is not a string"))
}

/// A FEP-e232 link to one of the two listings a mediator paired:
/// `pairing` named `need` or `offer`.
fn pairing_link(t: &Value) -> Option<ApTag> {
    let rels: Vec<&str> = match t.get("rel")? {
        Value::String(r) => vec![r.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => return None,
    };
    let href = t.get("href")?.as_str()?.to_owned();
    if rels.iter().any(|r| r.strip_prefix(MAILLAGE_NS) == Some("about")) {
        // What a conversation is about: a listing or a session.
        let name = t.get("name").and_then(Value::as_str).filter(|n| matches!(*n, "listing" | "session"))?;
        return Some(ApTag { kind: "about".into(), name: name.into(), href: Some(href) });
    }
    let side = rels.iter().find_map(|r| match r.strip_prefix(MAILLAGE_NS)? {
        "pairedNeed" => Some("need"),
        "pairedOffer" => Some("offer"),
        _ => None,
    })?;
    Some(ApTag { kind: "pairing".into(), name: side.into(), href: Some(href) })
}

const MAILLAGE_NS: &str = "https://maillage.org/ns#";

/// A hashtag or mention of an incoming post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApTag {
    pub kind: String,
    pub name: String,
    pub href: Option<String>,
}

impl ApNote {
    /// The two listings a mediator paired, when the post says so.
    pub fn pairing(&self) -> Option<(String, String)> {
        let tags = self.tags();
        let find = |side: &str| tags.iter().find(|t| t.kind == "pairing" && t.name == side)?.href.clone();
        Some((find("need")?, find("offer")?))
    }

    pub fn parse(value: Value) -> Result<ApNote, String> {
        let note: ApNote = serde_json::from_value(value).map_err(|e| format!("not a post: {e}"))?;
        if !POST_TYPES.contains(&note.kind.as_str()) {
            return Err(format!("unsupported object type {}", note.kind));
        }
        if note.attributed_to.is_empty() {
            return Err("the post has no attributedTo".into());
        }
        Ok(note)
    }

    /// The author: the first actor in `attributedTo` (Lemmy and PeerTube
    /// list the group too, after the person).
    pub fn author(&self) -> &str {
        self.attributed_to.first().map(String::as_str).unwrap_or_default()
    }

    /// The HTML content; a titled Article or Page gets its title first.
    pub fn content_html(&self) -> String {
        let body = self
            .content
            .clone()
            .or_else(|| {
                self.content_map.as_ref().and_then(|m| m.values().find_map(|v| v.as_str().map(str::to_owned)))
            })
            .unwrap_or_default();
        match (&self.name, self.kind.as_str()) {
            (Some(title), "Article" | "Page" | "Image" | "Video" | "Audio" | "Document")
                if !title.is_empty() =>
            {
                format!("<p><strong>{}</strong></p>{body}", escape_html(title))
            }
            _ => body,
        }
    }

    /// The language of `contentMap`, when there is exactly one.
    pub fn language(&self) -> Option<String> {
        let map = self.content_map.as_ref()?;
        (map.len() == 1).then(|| map.keys().next().cloned()).flatten()
    }

    /// The conversation's URI: `context`, else `conversation`; none when
    /// absurdly long.
    pub fn context(&self) -> Option<String> {
        [&self.context, &self.conversation]
            .into_iter()
            .find_map(|v| v.as_ref().and_then(values::first_id))
            .filter(|c| !c.is_empty() && c.len() <= 2048)
    }

    pub fn in_reply_to_id(&self) -> Option<String> {
        self.in_reply_to.as_ref().and_then(values::first_id)
    }

    /// The page of the note, when it is a web link.
    pub fn url(&self) -> Option<String> {
        self.url.as_ref().and_then(values::url_of).and_then(|u| values::web_link(&u, self.id.as_str()))
    }

    pub fn tags(&self) -> Vec<ApTag> {
        let items = match &self.tag {
            Some(Value::Array(items)) => items.clone(),
            Some(v @ Value::Object(_)) => vec![v.clone()],
            _ => Vec::new(),
        };
        items
            .iter()
            .filter_map(|t| {
                let kind = as_term(t.get("type")?.as_str()?);
                if kind == "Link" {
                    return pairing_link(t);
                }
                let href = t.get("href").and_then(Value::as_str).map(str::to_owned);
                let name = t.get("name").and_then(Value::as_str);
                match kind {
                    "Hashtag" => {
                        let name = name?.trim_start_matches('#').to_lowercase();
                        (!name.is_empty()).then(|| ApTag { kind: "hashtag".into(), name, href })
                    }
                    // `name` is optional: a mention is its `href` (funfedi
                    // and the pasture send some without), named by the
                    // actor when we know it (see `objects::note`).
                    "Mention" => {
                        let name =
                            name.filter(|n| !n.is_empty()).map(str::to_owned).or_else(|| href.clone())?;
                        Some(ApTag { kind: "mention".into(), name, href })
                    }
                    _ => None,
                }
            })
            .collect()
    }
}

/// A type as a term: `as:Mention` and the full ActivityStreams IRI are
/// `Mention` once expanded, so they are read as such.
fn as_term(kind: &str) -> &str {
    kind.strip_prefix("as:")
        .or_else(|| kind.strip_prefix("https://www.w3.org/ns/activitystreams#"))
        .unwrap_or(kind)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn tags_of(tag: Value) -> Vec<ApTag> {
        let note = json!({ "id": "https://b.example/notes/1", "type": "Note",
                           "attributedTo": "https://b.example/users/bob", "tag": tag });
        ApNote::parse(note).unwrap().tags()
    }

    fn tag(kind: &str, name: &str, href: Option<&str>) -> ApTag {
        ApTag { kind: kind.into(), name: name.into(), href: href.map(str::to_owned) }
    }

    #[test]
    fn a_mention_without_name_is_its_href() {
        let href = "https://a.example/users/alice";
        assert_eq!(tags_of(json!({ "type": "Mention", "href": href })), [tag("mention", href, Some(href))]);
        assert_eq!(
            tags_of(json!([{ "type": "Mention", "name": "", "href": href }])),
            [tag("mention", href, Some(href))]
        );
        assert!(tags_of(json!({ "type": "Mention" })).is_empty(), "a mention of nobody");
    }

    #[test]
    fn of_several_types_the_post_type_is_taken() {
        let note = json!({ "id": "https://b.example/notes/1", "type": ["Create", "Article", "Note"],
                           "attributedTo": "https://b.example/users/bob" });
        assert_eq!(type_of(&note), Some("Article"));
        assert_eq!(ApNote::parse(note).unwrap().kind, "Article");
        assert_eq!(type_of(&json!({ "type": ["Audio", "Video"] })), Some("Audio"));
        assert_eq!(type_of(&json!({ "type": null })), None);
    }

    #[test]
    fn prefixed_and_full_iri_types_read_as_their_term() {
        let href = "https://a.example/users/alice";
        let tags = tags_of(json!([
            { "type": "as:Mention", "name": "@alice", "href": href },
            { "type": "as:Hashtag", "name": "#Test" },
            { "type": "https://www.w3.org/ns/activitystreams#Hashtag", "name": "Velo" },
            { "name": "#untyped" },
            { "type": "Hashtag", "name": "#" }
        ]));
        assert_eq!(
            tags,
            [
                tag("mention", "@alice", Some(href)),
                tag("hashtag", "test", None),
                tag("hashtag", "velo", None)
            ]
        );
    }
}
