//! A listing on the wire: a `Note` (so that Mastodon shows it as a post)
//! carrying a FEP-0837 proposal (`purpose`, `publishes`, `reciprocal`),
//! plus Maillage's terms for what FEP-0837 lacks (`category`, `radiusKm`,
//! `exchange`, ...). One struct, written by `listing_to_ap` and read by
//! `ap_to_listing`; the JSON key of every field is its serde name here.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::place::{place_terms, ApPlace};
use super::{lenient, values, MAILLAGE_NS};

/// FEP-0837 `purpose` of an offer and of a request (our "need").
pub const PURPOSE_OFFER: &str = "offer";
pub const PURPOSE_REQUEST: &str = "request";
pub const INTENT: &str = "Intent";
pub const PROPOSAL: &str = "Proposal";
pub const HASHTAG: &str = "Hashtag";
pub const NOTE: &str = "Note";
/// ValueFlows action of what is given in return.
pub const TRANSFER: &str = "transfer";
/// The om2 unit of time credits.
pub const HOUR: &str = "hour";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApListing {
    pub id: String,
    /// `Note` when we send it; `Proposal` or another object type from
    /// other FEP-0837 servers.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, deserialize_with = "lenient::first_id")]
    pub attributed_to: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: Option<String>,
    /// The HTML any app shows.
    #[serde(default, deserialize_with = "lenient::text")]
    pub content: Option<String>,
    /// The description alone (HTML), without the facts `content` adds.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::text")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub purpose: Option<String>,
    pub publishes: ApIntent,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::optional")]
    pub reciprocal: Option<ApIntent>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::text")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::text")]
    pub direction: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::number")]
    pub radius_km: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::text")]
    pub listing_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::optional")]
    pub exchange: Option<ApExchange>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::optional")]
    pub location: Option<ApPlace>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub tag: Vec<ApTag>,
    #[serde(default, deserialize_with = "values::ids")]
    pub to: Vec<String>,
    #[serde(default, deserialize_with = "values::ids")]
    pub cc: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::text")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::text")]
    pub updated: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::url")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::text")]
    pub available_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::text")]
    pub available_until: Option<String>,
    /// The local group whose mediators reviewed the listing.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::first_id")]
    pub mediated_by: Option<String>,
}

/// A FEP-0837 `Intent`: what is offered or asked (`publishes`), or what is
/// given in return (`reciprocal`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApIntent {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::first_id")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::text")]
    pub action: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "values::ids")]
    pub resource_classified_as: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::first_id")]
    pub resource_conforms_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::optional")]
    pub resource_quantity: Option<ApQuantity>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::optional")]
    pub available_quantity: Option<ApQuantity>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::first_id")]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient::first_id")]
    pub receiver: Option<String>,
}

/// An om2 measure: `hasNumericalValue` is sent as a string.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApQuantity {
    #[serde(default, deserialize_with = "lenient::text")]
    pub has_unit: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub has_numerical_value: Option<String>,
}

/// Maillage's terms of exchange: the mode and what it needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApExchange {
    #[serde(default, deserialize_with = "lenient::text")]
    pub mode: Option<String>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub hours: Option<f64>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub amount: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub currency: Option<String>,
}

/// A `Hashtag` (other tags, such as mentions, are read and ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApTag {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: Option<String>,
}

impl ApListing {
    /// Parses a received object as a listing; the error says why it is not
    /// one.
    pub fn parse(object: &Value) -> Result<ApListing, String> {
        ApListing::deserialize(object).map_err(|e| format!("not a listing: {e}"))
    }

    /// The document with its `@context`, as served and sent.
    pub fn to_document(&self) -> Value {
        // Serializing plain structs of strings and numbers cannot fail.
        let mut doc = serde_json::to_value(self).unwrap_or_default();
        if let Some(map) = doc.as_object_mut() {
            map.insert("@context".into(), listing_context());
        }
        doc
    }
}

/// Whether a received object is a listing (a FEP-0837 proposal).
pub fn is_listing(object: &Value) -> bool {
    object.get("publishes").is_some() || object.get("type").and_then(Value::as_str) == Some(PROPOSAL)
}

/// The FEP-0837 (ValueFlows) terms, as Mitra defines them, that listings
/// and agreements use.
pub fn valueflows_terms() -> Value {
    json!({
        "vf": "https://w3id.org/valueflows/ont/vf#",
        "om2": "http://www.ontology-of-units-of-measure.org/resource/om-2/",
        "Proposal": "vf:Proposal",
        "Intent": "vf:Intent",
        "purpose": "vf:purpose",
        "publishes": "vf:publishes",
        "reciprocal": "vf:reciprocal",
        "unitBased": "vf:unitBased",
        "action": "vf:action",
        "provider": "vf:provider",
        "receiver": "vf:receiver",
        "Agreement": "vf:Agreement",
        "stipulates": "vf:stipulates",
        "stipulatesReciprocal": "vf:stipulatesReciprocal",
        "Commitment": "vf:Commitment",
        "satisfies": "vf:satisfies",
        "resourceClassifiedAs": "vf:resourceClassifiedAs",
        "resourceConformsTo": "vf:resourceConformsTo",
        "resourceQuantity": "vf:resourceQuantity",
        "availableQuantity": "vf:availableQuantity",
        "hasUnit": "om2:hasUnit",
        "hasNumericalValue": "om2:hasNumericalValue"
    })
}

/// The `@context` of a listing: ActivityStreams, FEP-0837, schema.org's
/// address and Maillage's own terms, all defined inline.
pub fn listing_context() -> Value {
    let mut terms = json!({
        "Hashtag": "as:Hashtag",
        "sensitive": "as:sensitive",
        "mlg": MAILLAGE_NS,
        "category": "mlg:category",
        "direction": "mlg:direction",
        "radiusKm": "mlg:radiusKm",
        "availableFrom": "mlg:availableFrom",
        "availableUntil": "mlg:availableUntil",
        "listingStatus": "mlg:status",
        "exchange": "mlg:exchange",
        "mode": "mlg:exchangeMode",
        "hours": "mlg:hours",
        "amount": "mlg:amount",
        "currency": "mlg:currency",
        "description": "mlg:description",
        "mediatedBy": { "@id": "mlg:mediatedBy", "@type": "@id" }
    });
    if let (Some(map), Some(vf), Some(place)) =
        (terms.as_object_mut(), valueflows_terms().as_object(), place_terms().as_object())
    {
        map.extend(vf.clone());
        map.extend(place.clone());
    }
    json!(["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1", terms])
}
