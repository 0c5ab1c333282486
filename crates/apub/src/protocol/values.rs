//! Helpers for the shapes ActivityStreams allows: a value or a list, a link
//! or an embedded object.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Accepts `"x"`, `["x", "y"]`, `{ "id": "x" }`, `null` or nothing, and
/// yields the ids as strings.
pub fn ids<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let value = Option::<Value>::deserialize(d)?;
    Ok(value.map(|v| ids_of(&v)).unwrap_or_default())
}

pub fn ids_of(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(ids_of).collect(),
        Value::Object(map) => {
            map.get("id").and_then(Value::as_str).map(|s| vec![s.to_owned()]).unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

/// The first id of a link-or-object value.
pub fn first_id(value: &Value) -> Option<String> {
    ids_of(value).into_iter().next()
}

/// The `href` of a `url` property, which may be a string, a Link, or a list
/// of either (PeerTube sends a list of Links).
pub fn url_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => {
            let html = items.iter().find(|v| v.get("mediaType").and_then(Value::as_str) == Some("text/html"));
            html.or_else(|| items.first()).and_then(url_of)
        }
        Value::Object(map) => map.get("href").or_else(|| map.get("url")).and_then(url_of),
        _ => None,
    }
}

/// Longest link kept from another server.
pub const LINK_MAX: usize = 2048;

/// A link from another server that pages and apps may show as an `href` or
/// `src`: kept when `https`, or plain `http` when the object it belongs to
/// (`owner_id`) is itself plain http, which only federation debug mode
/// lets through; dropped otherwise (`javascript:`, `data:`, relative or
/// malformed links, and links longer than [`LINK_MAX`]).
pub fn web_link(raw: &str, owner_id: &str) -> Option<String> {
    if raw.len() > LINK_MAX {
        return None;
    }
    let url = url::Url::parse(raw.trim()).ok()?;
    let allowed = match url.scheme() {
        "https" => true,
        "http" => owner_id.starts_with("http://"),
        _ => false,
    };
    (allowed && url.host_str().is_some_and(|h| !h.is_empty())).then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_web_links_are_kept() {
        let owner = "https://a.example/users/x";
        assert_eq!(web_link("https://a.example/@x", owner).as_deref(), Some("https://a.example/@x"));
        assert_eq!(web_link(" https://A.example/p ", owner).as_deref(), Some("https://a.example/p"));
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "/relative",
            "//a.example/x",
            "http://a.example/plain",
            "https://",
            "file:///etc/passwd",
            "",
        ] {
            assert_eq!(web_link(bad, owner), None, "{bad}");
        }
        assert_eq!(web_link(&format!("https://a.example/{}", "x".repeat(LINK_MAX)), owner), None);
        assert!(
            web_link("http://localhost:8080/@x", "http://localhost:8080/users/x").is_some(),
            "debug mode"
        );
        assert_eq!(web_link("javascript:alert(1)", "http://localhost:8080/users/x"), None);
    }

    #[test]
    fn ids_accept_every_shape() {
        assert_eq!(ids_of(&json!("a")), ["a"]);
        assert_eq!(ids_of(&json!(["a", {"id": "b"}])), ["a", "b"]);
        assert!(ids_of(&json!(null)).is_empty());
        assert!(ids_of(&json!(3)).is_empty());
    }

    #[test]
    fn urls_prefer_html_links() {
        let v = json!([{"type": "Link", "mediaType": "application/x-mpegURL", "href": "a"},
                       {"type": "Link", "mediaType": "text/html", "href": "b"}]);
        assert_eq!(url_of(&v).as_deref(), Some("b"));
        assert_eq!(url_of(&json!("c")).as_deref(), Some("c"));
    }
}
