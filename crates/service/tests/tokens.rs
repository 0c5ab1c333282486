#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use maillage_core::account::Role;
use maillage_core::scope::Scopes;
use maillage_core::ErrorKind;
use maillage_service::accounts::{self, NewAccount};
use maillage_service::tokens;
use maillage_test_support::TestDb;

fn urls() -> maillage_core::urls::LocalUrls {
    maillage_core::urls::LocalUrls::new("maillage.test", false)
}

fn setup() -> (TestDb, maillage_db::DbPool) {
    let db = TestDb::new();
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    let new = NewAccount {
        username: "erin",
        email: "erin@example.org",
        password: Some("a good password"),
        ..Default::default()
    };
    accounts::create_by_admin(&mut conn, &urls(), &new, Role::Member).unwrap();
    drop(conn);
    (db, pool)
}

#[test]
fn a_token_grants_its_scopes_and_nothing_more() {
    let (_db, pool) = setup();
    let mut conn = pool.get().unwrap();
    let issued = tokens::issue_for_username(&mut conn, "erin", "read write:statuses").unwrap();
    assert_eq!(issued.scopes.to_string(), "read write:statuses");

    let auth = tokens::authenticate(&mut conn, &issued.token, &["read:accounts"]).unwrap();
    assert_eq!(auth.user.username, "erin");
    assert!(tokens::authenticate(&mut conn, &issued.token, &["write:statuses"]).is_ok());

    let denied = tokens::authenticate(&mut conn, &issued.token, &["write:follows"]).unwrap_err();
    assert_eq!(denied.kind(), ErrorKind::Forbidden);
    let denied = tokens::authenticate(&mut conn, &issued.token, &["admin:read"]).unwrap_err();
    assert_eq!(denied.kind(), ErrorKind::Forbidden);
}

#[test]
fn unknown_revoked_and_expired_tokens_are_401() {
    let (_db, pool) = setup();
    let mut conn = pool.get().unwrap();
    let unknown = tokens::authenticate(&mut conn, "not-a-token", &[]).unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::Unauthorized);
    let empty = tokens::authenticate(&mut conn, "", &[]).unwrap_err();
    assert_eq!(empty.kind(), ErrorKind::Unauthorized);

    let issued = tokens::issue_for_username(&mut conn, "erin", "read").unwrap();
    tokens::revoke(&mut conn, &issued.token).unwrap();
    let revoked = tokens::authenticate(&mut conn, &issued.token, &[]).unwrap_err();
    assert_eq!(revoked.kind(), ErrorKind::Unauthorized);

    let user = accounts::find_by_username(&mut conn, "erin").unwrap();
    let scopes = Scopes::parse("read").unwrap();
    let expired = tokens::issue_for_user(&mut conn, user.id, &scopes, Some(Duration::ZERO)).unwrap();
    let err = tokens::authenticate(&mut conn, &expired.token, &[]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert!(err.message().contains("expired"));
}

#[test]
fn changing_the_password_or_disabling_revokes_tokens() {
    let (_db, pool) = setup();
    let mut conn = pool.get().unwrap();
    let before = tokens::issue_for_username(&mut conn, "erin", "read").unwrap();
    accounts::set_password(&mut conn, "erin", Some("another good password")).unwrap();
    assert!(tokens::authenticate(&mut conn, &before.token, &[]).is_err());

    let again = tokens::issue_for_username(&mut conn, "erin", "read").unwrap();
    accounts::disable(&mut conn, "erin").unwrap();
    assert!(tokens::authenticate(&mut conn, &again.token, &[]).is_err());
    let refused = tokens::issue_for_username(&mut conn, "erin", "read").unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Forbidden);
}

#[test]
fn bad_scope_lists_are_refused() {
    let (_db, pool) = setup();
    let mut conn = pool.get().unwrap();
    for bad in ["", "read wrte", "superpowers"] {
        let err = tokens::issue_for_username(&mut conn, "erin", bad).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unprocessable, "{bad}");
    }
    let err = tokens::issue_for_username(&mut conn, "nobody", "read").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}
