#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use maillage_core::account::{AccountState, RegistrationMode, Role};
use maillage_core::ErrorKind;
use maillage_service::accounts::{self, NewAccount};
use maillage_test_support::TestDb;

fn urls() -> maillage_core::urls::LocalUrls {
    maillage_core::urls::LocalUrls::new("maillage.test", false)
}

fn account<'a>(username: &'a str, email: &'a str) -> NewAccount<'a> {
    NewAccount { username, email, password: Some("a good password"), ..Default::default() }
}

#[test]
fn creates_an_active_account_and_logs_in_by_username_or_email() {
    let db = TestDb::new();
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    let created =
        accounts::create_by_admin(&mut conn, &urls(), &account("Alice", "alice@example.org"), Role::Admin)
            .unwrap();
    assert_eq!(created.user.username, "Alice");
    assert_eq!(created.user.role, Role::Admin);
    assert_eq!(created.user.state, AccountState::Active);
    assert!(created.generated_password.is_none());

    let by_name = accounts::login(&mut conn, "alice", "a good password").unwrap();
    assert_eq!(by_name.id, created.user.id);
    assert!(by_name.last_login_at.is_some());
    let by_email = accounts::login(&mut conn, "ALICE@example.org", "a good password").unwrap();
    assert_eq!(by_email.id, created.user.id);

    let wrong = accounts::login(&mut conn, "alice", "a bad password").unwrap_err();
    assert_eq!(wrong.kind(), ErrorKind::Unauthorized);
    let unknown = accounts::login(&mut conn, "bob", "a good password").unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::Unauthorized);
    assert_eq!(wrong.message(), unknown.message(), "no hint whether the account exists");
}

#[test]
fn generates_a_password_when_none_is_given() {
    let db = TestDb::new();
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    let new = NewAccount { password: None, ..account("bob", "bob@example.org") };
    let created = accounts::create_by_admin(&mut conn, &urls(), &new, Role::Member).unwrap();
    let generated = created.generated_password.expect("a generated password");
    assert!(accounts::login(&mut conn, "bob", &generated).is_ok());
}

#[test]
fn usernames_and_emails_are_unique_case_insensitively() {
    let db = TestDb::new();
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    accounts::create_by_admin(&mut conn, &urls(), &account("alice", "alice@example.org"), Role::Member)
        .unwrap();

    let dup_name =
        accounts::create_by_admin(&mut conn, &urls(), &account("ALICE", "other@example.org"), Role::Member)
            .unwrap_err();
    assert_eq!(dup_name.kind(), ErrorKind::Conflict);
    assert!(dup_name.message().contains("username"), "{}", dup_name.message());

    let dup_email =
        accounts::create_by_admin(&mut conn, &urls(), &account("alice2", "Alice@Example.org"), Role::Member)
            .unwrap_err();
    assert_eq!(dup_email.kind(), ErrorKind::Conflict);
    assert!(dup_email.message().contains("e-mail"), "{}", dup_email.message());

    assert_eq!(accounts::list(&mut conn).unwrap().len(), 1, "nothing was stored by the refusals");
}

#[test]
fn bad_input_is_refused_before_anything_is_stored() {
    let db = TestDb::new();
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    let long = "x".repeat(31);
    let cases = [
        account("", "a@example.org"),
        account("has space", "a@example.org"),
        account("émile", "a@example.org"),
        account(&long, "a@example.org"),
        account("admin", "a@example.org"),
        account("carol", "not-an-email"),
        NewAccount { password: Some("short"), ..account("carol", "c@example.org") },
    ];
    for case in &cases {
        let err = accounts::create_by_admin(&mut conn, &urls(), case, Role::Member).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unprocessable, "{case:?}: {err}");
    }
    assert!(accounts::list(&mut conn).unwrap().is_empty());
}

#[test]
fn registration_follows_the_mode() {
    let db = TestDb::new();
    let pool = db.pool();
    let mut conn = pool.get().unwrap();

    let open =
        accounts::register(&mut conn, &urls(), RegistrationMode::Open, &account("olga", "olga@example.org"))
            .unwrap();
    assert_eq!(open.state, AccountState::Active);
    assert_eq!(open.role, Role::Member);

    let pending = accounts::register(
        &mut conn,
        &urls(),
        RegistrationMode::Approval,
        &account("paul", "paul@example.org"),
    )
    .unwrap();
    assert_eq!(pending.state, AccountState::Pending);
    let refused = accounts::login(&mut conn, "paul", "a good password").unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Forbidden);
    accounts::approve(&mut conn, "paul").unwrap();
    assert!(accounts::login(&mut conn, "paul", "a good password").is_ok());
    assert_eq!(accounts::approve(&mut conn, "paul").unwrap_err().kind(), ErrorKind::Conflict);

    let closed = accounts::register(
        &mut conn,
        &urls(),
        RegistrationMode::Closed,
        &account("quentin", "q@example.org"),
    )
    .unwrap_err();
    assert_eq!(closed.kind(), ErrorKind::Forbidden);
    assert!(accounts::find_by_username(&mut conn, "quentin").is_err());
}

#[test]
fn admins_change_roles_passwords_and_states() {
    let db = TestDb::new();
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    accounts::create_by_admin(&mut conn, &urls(), &account("dora", "dora@example.org"), Role::Member)
        .unwrap();

    assert_eq!(accounts::set_role(&mut conn, "DORA", Role::Moderator).unwrap().role, Role::Moderator);

    let generated = accounts::set_password(&mut conn, "dora", None).unwrap().expect("generated");
    assert!(accounts::login(&mut conn, "dora", "a good password").is_err());
    assert!(accounts::login(&mut conn, "dora", &generated).is_ok());
    assert!(accounts::set_password(&mut conn, "dora", Some("tiny")).is_err());

    assert_eq!(accounts::disable(&mut conn, "dora").unwrap().state, AccountState::Disabled);
    assert_eq!(accounts::login(&mut conn, "dora", &generated).unwrap_err().kind(), ErrorKind::Forbidden);
    assert_eq!(accounts::enable(&mut conn, "dora").unwrap().state, AccountState::Active);
    assert!(accounts::login(&mut conn, "dora", &generated).is_ok());

    assert_eq!(accounts::set_role(&mut conn, "nobody", Role::Admin).unwrap_err().kind(), ErrorKind::NotFound);
}

#[test]
fn concurrent_writers_queue_instead_of_failing() {
    let db = TestDb::new();
    let pool = db.pool();
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let pool = pool.clone();
            std::thread::spawn(move || {
                let mut conn = pool.get().unwrap();
                for j in 0..3 {
                    let name = format!("user_{i}_{j}");
                    let email = format!("{name}@example.org");
                    accounts::create_by_admin(&mut conn, &urls(), &account(&name, &email), Role::Member)
                        .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let mut conn = pool.get().unwrap();
    assert_eq!(accounts::list(&mut conn).unwrap().len(), 24);
}
