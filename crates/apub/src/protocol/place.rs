//! A `Place` with a schema.org `PostalAddress`, as Mobilizon sends it and as
//! we send a listing's or a session's location.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::lenient;

pub const PLACE: &str = "Place";
pub const POSTAL_ADDRESS: &str = "PostalAddress";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApPlace {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::number")]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::number")]
    pub longitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::optional")]
    pub address: Option<ApAddress>,
}

/// A `PostalAddress`, or the plain string some servers send instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ApAddress {
    Postal(PostalAddress),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostalAddress {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::text")]
    pub street_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::text")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::text")]
    pub address_locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::text")]
    pub address_country: Option<String>,
}

impl ApAddress {
    /// Our one-line address as a `PostalAddress`.
    pub fn street(line: &str) -> ApAddress {
        ApAddress::Postal(PostalAddress {
            kind: POSTAL_ADDRESS.to_owned(),
            street_address: Some(line.to_owned()),
            postal_code: None,
            address_locality: None,
            address_country: None,
        })
    }

    /// The address on one line: its non-empty parts, comma-separated.
    pub fn one_line(&self) -> Option<String> {
        let line = match self {
            ApAddress::Text(s) => s.trim().to_owned(),
            ApAddress::Postal(a) => {
                [&a.street_address, &a.postal_code, &a.address_locality, &a.address_country]
                    .into_iter()
                    .flatten()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        (!line.is_empty()).then_some(line)
    }
}

impl ApPlace {
    /// Latitude and longitude, each kept only when in range.
    pub fn latitude_in_range(&self) -> Option<f64> {
        self.latitude.filter(|l| (-90.0..=90.0).contains(l))
    }

    pub fn longitude_in_range(&self) -> Option<f64> {
        self.longitude.filter(|l| (-180.0..=180.0).contains(l))
    }
}

/// The schema.org terms a `Place` with a `PostalAddress` uses.
pub fn place_terms() -> Value {
    json!({
        "sc": "http://schema.org#",
        "PostalAddress": "sc:PostalAddress",
        "address": { "@id": "sc:address", "@type": "sc:PostalAddress" },
        "streetAddress": "sc:streetAddress",
        "addressLocality": "sc:addressLocality",
        "postalCode": "sc:postalCode",
        "addressCountry": "sc:addressCountry"
    })
}
