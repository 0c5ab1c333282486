//! Request parameters as Mastodon clients send them: JSON or form bodies,
//! booleans as `true`/`false` or `1`/`0`, ids as strings or numbers.

use actix_web::http::header::CONTENT_TYPE;
use actix_web::HttpRequest;
use maillage_core::id::Id;
use maillage_core::Error;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

/// Parses a JSON or form-encoded body (an empty body is an empty form).
pub fn body<T: DeserializeOwned>(req: &HttpRequest, bytes: &[u8]) -> Result<T, Error> {
    let content_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if content_type.starts_with("application/json") {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            match path.as_str() {
                "." | "" => Error::unprocessable(format!("invalid JSON body: {}", e.inner())),
                _ => Error::unprocessable(format!("Validation failed: {path}: {}", e.inner())),
            }
        })
    } else {
        serde_urlencoded::from_bytes(bytes)
            .map_err(|e| Error::unprocessable(format!("invalid form body: {e}")))
    }
}

pub fn flexible_bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(optional_bool(d)?.unwrap_or(false))
}

pub fn optional_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum B {
        Bool(bool),
        Text(String),
        Int(i64),
    }
    Ok(match Option::<B>::deserialize(d)? {
        Some(B::Bool(b)) => Some(b),
        Some(B::Int(i)) => Some(i != 0),
        Some(B::Text(t)) if t.is_empty() => None,
        Some(B::Text(t)) => Some(matches!(t.to_ascii_lowercase().as_str(), "true" | "1" | "on" | "yes")),
        None => None,
    })
}

pub fn optional_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Id>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum I {
        Text(String),
        Int(i64),
    }
    match Option::<I>::deserialize(d)? {
        None => Ok(None),
        Some(I::Int(i)) => Ok(Some(Id::from_i64(i))),
        Some(I::Text(t)) if t.is_empty() => Ok(None),
        Some(I::Text(t)) => t.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

pub fn required_id<'de, D: Deserializer<'de>>(d: D) -> Result<Id, D::Error> {
    optional_id(d)?.ok_or_else(|| serde::de::Error::custom("an id is required"))
}

/// A list of ids a body names under `key`: `key[]=1&key[]=2` (or `key=1`)
/// in a form, `{"key": ["1", 2]}` in JSON; `None` when absent.
pub fn id_list(req: &HttpRequest, bytes: &[u8], key: &str) -> Result<Option<Vec<Id>>, Error> {
    let bad = || Error::unprocessable(format!("Validation failed: {key}: not a list of ids"));
    let content_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let raw: Option<Vec<String>> = if content_type.starts_with("application/json") {
        let body: serde_json::Value = serde_json::from_slice(bytes).map_err(|_| bad())?;
        match body.get(key) {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::Array(items)) => Some(
                items
                    .iter()
                    .map(|v| match v {
                        serde_json::Value::String(s) => Ok(s.clone()),
                        serde_json::Value::Number(n) => Ok(n.to_string()),
                        _ => Err(bad()),
                    })
                    .collect::<Result<_, _>>()?,
            ),
            Some(_) => return Err(bad()),
        }
    } else {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes).unwrap_or_default();
        let array_key = format!("{key}[]");
        let found: Vec<String> =
            pairs.into_iter().filter(|(k, _)| *k == array_key || k == key).map(|(_, v)| v).collect();
        (!found.is_empty()).then_some(found)
    };
    raw.map(|ids| ids.iter().filter(|i| !i.is_empty()).map(|i| i.parse().map_err(|_| bad())).collect())
        .transpose()
}

/// An id from the path; anything else is 404, as Mastodon answers.
pub fn path_id(raw: &str) -> Result<Id, Error> {
    raw.parse().map_err(|_| Error::not_found("Record not found"))
}
