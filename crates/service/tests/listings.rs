#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use maillage_core::account::Role;
use maillage_core::config::Config;
use maillage_core::listing::{ListingDraft, ListingStatus, TermsDraft};
use maillage_core::time::Timestamp;
use maillage_core::ErrorKind;
use maillage_service::accounts::{self, NewAccount};
use maillage_service::federation::NoFederation;
use maillage_service::listings;
use maillage_test_support::TestDb;

fn draft(until: Option<Timestamp>) -> ListingDraft {
    ListingDraft {
        kind: "need".into(),
        category: "food".into(),
        title: "Cherche des pommes à cidre".into(),
        available_until: until,
        terms: TermsDraft { mode: "barter".into(), ..Default::default() },
        ..Default::default()
    }
}

#[test]
fn listings_default_to_the_territory_centre_and_expire_on_time() {
    let db = TestDb::new();
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    let config = Config::default();
    let urls = config.local_urls();
    let new = NewAccount {
        username: "lea",
        email: "lea@example.org",
        password: Some("a good password"),
        ..Default::default()
    };
    let user = accounts::create_by_admin(&mut conn, &urls, &new, Role::Member).unwrap().user;

    let soon = Timestamp::now().saturating_add(Duration::from_secs(60));
    let row = listings::create(&mut conn, &NoFederation, &urls, &config.territory, &user, &draft(Some(soon)))
        .unwrap();
    assert_eq!((row.latitude, row.longitude), (config.territory.latitude, config.territory.longitude));
    assert_eq!(row.place_name, config.territory.name);
    assert_eq!(row.expires_at, soon.as_micros());
    let lasting =
        listings::create(&mut conn, &NoFederation, &urls, &config.territory, &user, &draft(None)).unwrap();

    assert_eq!(listings::expire_due(&mut conn, &NoFederation, Timestamp::now()).unwrap(), 0);
    let later = soon.saturating_add(Duration::from_secs(1));
    assert_eq!(listings::expire_due(&mut conn, &NoFederation, later).unwrap(), 1);
    assert_eq!(listings::expire_due(&mut conn, &NoFederation, later).unwrap(), 0, "once only");
    let expired = maillage_db::listings::find_by_id(&mut conn, row.id()).unwrap().unwrap();
    assert_eq!(expired.status.as_str(), "expired");
    let kept = maillage_db::listings::find_by_id(&mut conn, lasting.id()).unwrap().unwrap();
    assert_eq!(kept.status.as_str(), "open");

    let err =
        listings::set_status(&mut conn, &NoFederation, &user, row.id(), ListingStatus::Open).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unprocessable);
}
