//! An actor's wire format (a group here), built and read back.

use maillage_core::time::Timestamp;
use serde_json::json;

use super::*;
use crate::protocol::context;

fn group() -> ActorRow {
    let mut g = maillage_test_support::actor_row(
        "https://a.example/users/atelier",
        "atelier",
        "a.example",
        "PEM",
        true,
    );
    g.kind = "Group".into();
    g.display_name = "Atelier partagé".into();
    g.summary_html = "<p>Outils en commun</p>".into();
    g.shared_inbox_url = Some("https://a.example/inbox".into());
    g.outbox_url = Some("https://a.example/users/atelier/outbox".into());
    g.followers_url = Some("https://a.example/users/atelier/followers".into());
    g.following_url = Some("https://a.example/users/atelier/following".into());
    g.url = Some("https://a.example/@atelier".into());
    g.icon_url = Some("https://a.example/media/atelier.png".into());
    g.manually_approves_followers = true;
    g.published_at = 1_795_000_000_000_000;
    g.latitude = Some(43.95);
    g.longitude = Some(2.88);
    g
}

#[test]
fn a_group_is_a_group_actor_with_what_mastodon_reads() {
    let expected = json!({
        "@context": context(),
        "id": "https://a.example/users/atelier",
        "type": "Group",
        "preferredUsername": "atelier",
        "name": "Atelier partagé",
        "summary": "<p>Outils en commun</p>",
        "inbox": "https://a.example/users/atelier/inbox",
        "outbox": "https://a.example/users/atelier/outbox",
        "followers": "https://a.example/users/atelier/followers",
        "following": "https://a.example/users/atelier/following",
        "endpoints": { "sharedInbox": "https://a.example/inbox" },
        "publicKey": {
            "id": "https://a.example/users/atelier#main-key",
            "owner": "https://a.example/users/atelier",
            "publicKeyPem": "PEM"
        },
        "manuallyApprovesFollowers": true,
        "discoverable": true,
        "indexable": false,
        "url": "https://a.example/@atelier",
        "icon": { "type": "Image", "url": "https://a.example/media/atelier.png" },
        "published": "2026-11-18T11:06:40.000Z",
        "location": { "type": "Place", "name": "Atelier partagé", "latitude": 43.95, "longitude": 2.88 }
    });
    assert_eq!(actor_to_ap(&group()), expected);
}

#[test]
fn a_group_reads_back_as_it_was_built() {
    let row = group();
    let now = Timestamp::from_micros(row.published_at);
    let back = ap_to_actor(&ApActor::parse(actor_to_ap(&row)).unwrap(), Some(&row), now);
    let expected = ActorRow {
        local: false,
        private_key_pem: None,
        updated_at: now.as_micros(),
        fetched_at: Some(now.as_micros()),
        ..row
    };
    // ActorRow has no PartialEq: its Debug form shows every field.
    assert_eq!(format!("{back:?}"), format!("{expected:?}"));
}
