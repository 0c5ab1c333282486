//! Deserializers for the typed wire structs: what peers send varies (a
//! number as a string, a link or an embedded object, one value or a list),
//! and a field we cannot use is read as absent rather than refusing the
//! whole object.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::values;

/// The first id of a link-or-object value (`"x"`, `{ "id": "x" }`, a list).
pub fn first_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.as_ref().and_then(values::first_id))
}

/// A number, or a string holding one.
pub fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.as_ref().and_then(number_of))
}

pub fn number_of(v: &Value) -> Option<f64> {
    v.as_f64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())).filter(|n: &f64| n.is_finite())
}

/// A whole number, or a string holding one.
pub fn integer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?
        .as_ref()
        .and_then(number_of)
        .filter(|n| n.fract() == 0.0)
        .map(|n| n as i64))
}

/// A string, or a number written as one (`hasNumericalValue` is either).
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// The `href` of a `url` property (a string, a Link, or a list of them).
pub fn url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.as_ref().and_then(values::url_of))
}

/// One value or a list; the items that do not parse are left out.
pub fn list<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Vec<T>, D::Error> {
    let items = match Option::<Value>::deserialize(d)? {
        Some(Value::Array(items)) => items,
        Some(Value::Null) | None => Vec::new(),
        Some(one) => vec![one],
    };
    Ok(items.into_iter().filter_map(|v| serde_json::from_value(v).ok()).collect())
}

/// A string, or empty when absent or of another shape.
pub fn text_or_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(text(d)?.unwrap_or_default())
}

/// The first item of one value or a list that has the expected shape.
pub fn first<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Option<T>, D::Error> {
    Ok(list(d)?.into_iter().next())
}

/// A value of the expected shape, or absent when it has another.
pub fn optional<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Option<T>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.and_then(|v| serde_json::from_value(v).ok()))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Deserialize)]
    struct Sample {
        #[serde(default, deserialize_with = "super::number")]
        n: Option<f64>,
        #[serde(default, deserialize_with = "super::text")]
        t: Option<String>,
        #[serde(default, deserialize_with = "super::list")]
        l: Vec<String>,
        #[serde(default, deserialize_with = "super::first_id")]
        id: Option<String>,
    }

    #[test]
    fn shapes_peers_send_are_read() {
        let s: Sample =
            serde_json::from_value(json!({"n": "2.5", "t": 3, "l": "a", "id": {"id": "x"}})).unwrap();
        assert_eq!(
            (s.n, s.t.as_deref(), s.l, s.id.as_deref()),
            (Some(2.5), Some("3"), vec!["a".to_owned()], Some("x"))
        );
        let s: Sample = serde_json::from_value(json!({"n": "many", "l": ["a", 1, "b"]})).unwrap();
        assert_eq!((s.n, s.l), (None, vec!["a".to_owned(), "b".to_owned()]));
    }
}
