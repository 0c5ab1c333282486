//! The listing's wire format, built and read back.

use maillage_core::time::Timestamp;
use maillage_db::actors::ActorRow;
use maillage_db::listings::ListingRow;
use serde_json::json;

use super::*;

const PUBLISHED: i64 = 1_795_000_000_000_000; // 2026-11-18T11:06:40Z

fn author() -> ActorRow {
    let mut a =
        maillage_test_support::actor_row("https://a.example/users/alice", "alice", "a.example", "", true);
    a.id = 1;
    a.followers_url = Some("https://a.example/users/alice/followers".into());
    a
}

fn row() -> ListingRow {
    ListingRow {
        id: 7,
        ap_id: "https://a.example/objects/7".into(),
        author_id: author().id,
        group_id: None,
        kind: ListingKind::Offer,
        category: Category::SpacesMachines,
        direction: None,
        title: "Bétonnière".into(),
        description_source: Some("Une **bétonnière**".into()),
        description_html: "<p>Une <strong>bétonnière</strong></p>".into(),
        tags: " chantier ".into(),
        place_name: "Saint-Affrique".into(),
        place_address: Some("2 rue de la Gare".into()),
        latitude: 43.9585,
        longitude: 2.8869,
        radius_km: 15.0,
        available_from: Some(PUBLISHED),
        available_until: None,
        quantity_amount: Some(1.0),
        quantity_unit: Some("machine".into()),
        terms_mode: TermsMode::TimeCredit,
        terms_hours: Some(2.5),
        terms_amount: None,
        terms_currency: None,
        visibility: ListingVisibility::Public,
        status: ListingStatus::Open,
        local: true,
        url: None,
        published_at: PUBLISHED,
        updated_at: None,
        expires_at: PUBLISHED,
        deleted_at: None,
    }
}

fn audience() -> (Vec<String>, Vec<String>) {
    (vec![PUBLIC.to_owned()], vec!["https://a.example/users/alice/followers".to_owned()])
}

#[test]
fn a_listing_is_a_note_carrying_a_proposal() {
    let row = row();
    let doc =
        listing_to_ap(&row, &author(), "fr", audience(), Some("https://a.example/users/atelier"), Vec::new());
    let expected = json!({
        "@context": listing_context(),
        "id": "https://a.example/objects/7",
        "type": "Note",
        "attributedTo": "https://a.example/users/alice",
        "name": "Bétonnière",
        "content": listing_html(&row, "fr"),
        "description": "<p>Une <strong>bétonnière</strong></p>",
        "purpose": "offer",
        "publishes": {
            "type": "Intent",
            "id": "https://a.example/objects/7#primary",
            "action": "use",
            "resourceClassifiedAs": [
                "https://maillage.org/ns#category/spaces_machines",
                "https://maillage.org/ns#tag/chantier"
            ],
            "resourceQuantity": { "hasUnit": "machine", "hasNumericalValue": "1" },
            "availableQuantity": { "hasUnit": "machine", "hasNumericalValue": "1" },
            "provider": "https://a.example/users/alice"
        },
        "reciprocal": {
            "type": "Intent",
            "id": "https://a.example/objects/7#reciprocal",
            "action": "transfer",
            "resourceConformsTo": "https://maillage.org/ns#terms/time_credit",
            "resourceQuantity": { "hasUnit": "hour", "hasNumericalValue": "2.5" }
        },
        "category": "spaces_machines",
        "radiusKm": 15.0,
        "listingStatus": "open",
        "exchange": { "mode": "time_credit", "hours": 2.5, "amount": null, "currency": null },
        "location": {
            "type": "Place",
            "name": "Saint-Affrique",
            "latitude": 43.9585,
            "longitude": 2.8869,
            "address": { "type": "PostalAddress", "streetAddress": "2 rue de la Gare" }
        },
        "tag": [{ "type": "Hashtag", "name": "#chantier" }],
        "to": [PUBLIC],
        "cc": ["https://a.example/users/alice/followers"],
        "published": "2026-11-18T11:06:40.000Z",
        "url": "https://a.example/objects/7",
        "availableFrom": "2026-11-18T11:06:40.000Z",
        "mediatedBy": "https://a.example/users/atelier"
    });
    assert_eq!(doc, expected);
}

#[test]
fn a_listing_reads_back_as_it_was_built() {
    let row = row();
    let author = author();
    let doc = listing_to_ap(&row, &author, "en", audience(), None, Vec::new());
    let back = ap_to_listing(&doc, &author, Some(&row), Timestamp::from_micros(PUBLISHED)).unwrap();
    let expected = ListingRow {
        description_source: None, // the source stays on its node
        local: false,
        url: Some(row.ap_id.clone()),
        updated_at: Some(PUBLISHED),
        expires_at: back.expires_at,
        ..row
    };
    assert_eq!(back, expected);
}

#[test]
fn a_need_names_its_author_as_receiver_and_a_price_as_reciprocal() {
    let mut row = row();
    row.kind = ListingKind::Need;
    row.terms_mode = TermsMode::Price;
    row.terms_hours = None;
    row.terms_amount = Some("12.50".into());
    row.terms_currency = Some("EUR".into());
    let author = author();
    let doc = listing_to_ap(&row, &author, "en", (vec![], vec![]), None, Vec::new());
    assert_eq!(doc["purpose"], "request");
    assert_eq!(doc["publishes"]["receiver"], "https://a.example/users/alice");
    assert!(doc["publishes"].get("provider").is_none());
    assert_eq!(
        doc["reciprocal"]["resourceQuantity"],
        json!({ "hasUnit": "EUR", "hasNumericalValue": "12.50" })
    );
    let back = ap_to_listing(&doc, &author, None, Timestamp::now()).unwrap();
    assert_eq!((back.kind.as_str(), back.terms_amount.as_deref()), ("need", Some("12.50")));
    assert_eq!(back.visibility.as_str(), "territory");
}

#[test]
fn what_is_read_keeps_to_our_limits() {
    let author = author();
    let mut doc = listing_to_ap(&row(), &author, "en", audience(), None, Vec::new());
    doc["name"] = json!("x".repeat(TITLE_MAX + 50));
    doc["radiusKm"] = json!(RADIUS_MAX_KM + 1.0);
    doc["tag"] = json!((0..TAGS_MAX + 5)
        .map(|i| json!({ "type": "Hashtag", "name": format!("#t{i}") }))
        .collect::<Vec<_>>());
    let back = ap_to_listing(&doc, &author, None, Timestamp::now()).unwrap();
    assert_eq!(back.title.chars().count(), TITLE_MAX);
    assert_eq!(back.radius_km, 0.0);
    assert_eq!(back.tag_list().len(), TAGS_MAX);
}

#[test]
fn objects_that_are_not_listings_are_refused_with_a_reason() {
    let author = author();
    let no_purpose =
        json!({ "id": "https://b.example/p/1", "type": "Proposal", "name": "x", "publishes": {} });
    assert!(ap_to_listing(&no_purpose, &author, None, Timestamp::now()).unwrap_err().contains("purpose"));
    let no_intent =
        json!({ "id": "https://b.example/p/1", "type": "Proposal", "purpose": "offer", "name": "x" });
    assert!(ap_to_listing(&no_intent, &author, None, Timestamp::now()).unwrap_err().contains("publishes"));
    let no_name =
        json!({ "id": "https://b.example/p/1", "type": "Note", "purpose": "offer", "publishes": {} });
    assert!(ap_to_listing(&no_name, &author, None, Timestamp::now()).unwrap_err().contains("name"));
}
