//! A listing as the native API shows it (`Listing` in the OpenAPI document,
//! generated from this struct).
//! [`listing_to_api`] takes the row apart field by field, without `..`,
//! and builds [`ListingJson`] with a struct literal: a column added to
//! listings, or a field added to the response, does not compile until
//! this conversion says what becomes of it.

use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::urls::LocalUrls;
use maillage_core::Error;
use maillage_db::listings::ListingRow;
use maillage_db::DbConnection;
use serde::Serialize;
use serde_json::Value;

use crate::mastodon::entities::account_to_api;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Place)]
pub struct PlaceJson {
    pub name: String,
    pub address: Option<String>,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Quantity)]
pub struct QuantityJson {
    pub amount: f64,
    pub unit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Terms)]
pub struct TermsJson {
    pub mode: String,
    pub hours: Option<f64>,
    pub amount: Option<String>,
    pub currency: Option<String>,
}

/// Every field is always present (`null` when empty), as clients expect.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Listing)]
pub struct ListingJson {
    pub id: String,
    pub uri: String,
    pub url: String,
    pub kind: String,
    pub category: String,
    pub direction: Option<String>,
    pub title: String,
    /// Sanitized HTML.
    pub description: String,
    /// The Markdown it was written in (local listings).
    pub description_source: Option<String>,
    pub tags: Vec<String>,
    pub place: PlaceJson,
    pub radius_km: f64,
    pub available_from: Option<String>,
    pub available_until: Option<String>,
    pub quantity: Option<QuantityJson>,
    pub terms: TermsJson,
    pub visibility: String,
    pub status: String,
    /// The author as a Mastodon Account.
    #[schema(value_type = Object)]
    pub author: Value,
    pub origin_domain: String,
    pub created_at: String,
    pub updated_at: Option<String>,
    pub expires_at: String,
    pub group_id: Option<String>,
    /// Its photos, in order, as Mastodon's MediaAttachment entities.
    #[schema(value_type = Vec<Object>)]
    pub media_attachments: Vec<Value>,
}

fn time(micros: i64) -> String {
    Timestamp::from_micros(micros).to_rfc3339()
}

/// A listing as the API shows it.
pub fn listing_to_api(
    conn: &mut DbConnection,
    row: &ListingRow,
    urls: &LocalUrls,
) -> Result<ListingJson, Error> {
    let tags = row.tag_list();
    let ListingRow {
        id,
        ap_id,
        author_id,
        group_id,
        kind,
        category,
        direction,
        title,
        description_source,
        description_html,
        tags: _, // as the list above
        place_name,
        place_address,
        latitude,
        longitude,
        radius_km,
        available_from,
        available_until,
        quantity_amount,
        quantity_unit,
        terms_mode,
        terms_hours,
        terms_amount,
        terms_currency,
        visibility,
        status,
        local: _, // said by `origin_domain`
        url,
        published_at,
        updated_at,
        expires_at,
        deleted_at: _, // deleted listings answer 404, or are shown once when deleted
    } = row.clone();
    let author = maillage_service::actors::find(conn, Id::from_i64(author_id))?
        .ok_or_else(|| Error::internal("listing without author"))?;
    Ok(ListingJson {
        id: id.to_string(),
        url: url.unwrap_or_else(|| ap_id.clone()),
        uri: ap_id,
        kind: kind.to_string(),
        category: category.to_string(),
        direction: direction.map(|d| d.to_string()),
        title,
        description: description_html,
        description_source,
        tags,
        place: PlaceJson { name: place_name, address: place_address, lat: latitude, lon: longitude },
        radius_km,
        available_from: available_from.map(time),
        available_until: available_until.map(time),
        quantity: quantity_amount.map(|amount| QuantityJson { amount, unit: quantity_unit }),
        terms: TermsJson {
            mode: terms_mode.to_string(),
            hours: terms_hours,
            amount: terms_amount,
            currency: terms_currency,
        },
        visibility: visibility.to_string(),
        status: status.to_string(),
        author: account_to_api(conn, &author, urls)?,
        media_attachments: maillage_service::media::of_post(conn, id)?
            .iter()
            .map(|m| crate::mastodon::entities::media_to_api(m, urls))
            .collect(),
        origin_domain: author.domain,
        created_at: time(published_at),
        updated_at: updated_at.map(time),
        expires_at: time(expires_at),
        group_id: group_id.map(|g| g.to_string()),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    fn sample() -> ListingJson {
        ListingJson {
            id: "1".into(),
            uri: "https://a.example/objects/1".into(),
            url: "https://a.example/@ana/listings/1".into(),
            kind: "offer".into(),
            category: "tools".into(),
            direction: None,
            title: "Drill".into(),
            description: "<p>A drill</p>".into(),
            description_source: Some("A drill".into()),
            tags: vec!["outils".into()],
            media_attachments: Vec::new(),
            place: PlaceJson { name: "Albi".into(), address: None, lat: 43.9, lon: 2.1 },
            radius_km: 5.0,
            available_from: None,
            available_until: None,
            quantity: None,
            terms: TermsJson { mode: "gift".into(), hours: None, amount: None, currency: None },
            visibility: "public".into(),
            status: "open".into(),
            author: serde_json::json!({ "id": "2" }),
            origin_domain: "a.example".into(),
            created_at: "2026-12-01T00:00:00Z".into(),
            updated_at: None,
            expires_at: "2027-01-01T00:00:00Z".into(),
            group_id: None,
        }
    }

    /// The published schema and the response name the same fields: a
    /// field the struct gains must be documented, and one documented must
    /// be sent (serde never leaves a field out here: no `skip`).
    #[test]
    fn the_response_has_every_field_of_the_documented_listing() {
        let doc: Value = serde_json::from_str(crate::openapi::document()).unwrap();
        let mut documented: Vec<String> = doc["components"]["schemas"]["Listing"]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        let mut sent: Vec<String> =
            serde_json::to_value(sample()).unwrap().as_object().unwrap().keys().cloned().collect();
        documented.sort();
        sent.sort();
        assert_eq!(sent, documented);
    }
}
