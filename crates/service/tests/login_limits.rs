//! Failed log-ins counted in the database: two pools on one database (as
//! two processes of a node) trying at once never get more wrong guesses
//! through than the limit, and a success leaves no trace.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use maillage_core::account::Role;
use maillage_core::config::{Limit, RateLimitsConfig};
use maillage_core::time::Timestamp;
use maillage_db::login_attempts::{newest, By};
use maillage_db::DbConnection;
use maillage_service::accounts::{self, NewAccount};
use maillage_service::limits::login::{self, LoginFailure, LoginGate};
use maillage_test_support::TestDb;

fn limits(max: u32) -> RateLimitsConfig {
    RateLimitsConfig {
        login_per_ip: Limit::new(max, 600),
        login_per_account: Limit::new(1_000, 600),
        ..RateLimitsConfig::default()
    }
}

fn create(db: &TestDb, name: &str) {
    let email = format!("{name}@example.org");
    let new =
        NewAccount { username: name, email: &email, password: Some("a good password"), ..Default::default() };
    let urls = maillage_core::urls::LocalUrls::new("maillage.test", false);
    accounts::create_by_admin(&mut db.pool().get().unwrap(), &urls, &new, Role::Member).unwrap();
}

/// The tries of `ip` counted now.
fn counted(conn: &mut DbConnection, ip: &str) -> usize {
    newest(conn, By::Ip(ip), Timestamp::from_micros(0), -1, 1_000).unwrap().len()
}

#[test]
fn guesses_at_once_from_two_processes_never_pass_the_limit() {
    let db = TestDb::new();
    create(&db, "alice");
    let pools = [db.pool(), db.pool()];
    let config = Arc::new(limits(5));
    let tries: Vec<_> = (0..16)
        .map(|i| {
            let (pool, config) = (pools[i % 2].clone(), config.clone());
            std::thread::spawn(move || {
                let gate = LoginGate { limits: &config, ip: "203.0.113.1" };
                login::log_in(&mut pool.get().unwrap(), &gate, "alice", "a guess")
            })
        })
        .collect();
    let (mut checked, mut limited) = (0, 0);
    for t in tries {
        match t.join().unwrap() {
            Err(LoginFailure::Refused(e)) => {
                assert_eq!(e.kind(), maillage_core::ErrorKind::Unauthorized);
                checked += 1;
            }
            Err(LoginFailure::Limited(l)) => {
                assert_eq!(l.max, 5);
                assert!(l.retry_after.as_secs() >= 1 && l.retry_after.as_secs() <= 600);
                limited += 1;
            }
            Ok(_) => panic!("a guess went through"),
        }
    }
    assert!(checked <= 5, "{checked} guesses were checked");
    assert_eq!(checked + limited, 16);
    // Only the guesses that were checked stay counted.
    assert_eq!(counted(&mut pools[0].get().unwrap(), "203.0.113.1"), checked);

    // Once full, the right password is refused from either pool.
    for pool in &pools {
        let gate = LoginGate { limits: &config, ip: "203.0.113.1" };
        while let Err(LoginFailure::Refused(_)) = login::log_in(&mut pool.get().unwrap(), &gate, "alice", "x")
        {
        }
        let right = login::log_in(&mut pool.get().unwrap(), &gate, "alice", "a good password");
        assert!(matches!(right, Err(LoginFailure::Limited(_))), "{right:?}");
    }
}

#[test]
fn a_success_is_not_counted_and_other_addresses_are_free() {
    let db = TestDb::new();
    create(&db, "bruno");
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    let config = limits(2);
    let from = |ip| LoginGate { limits: &config, ip };
    for _ in 0..5 {
        assert!(login::log_in(&mut conn, &from("198.51.100.1"), "bruno", "a good password").is_ok());
    }
    assert_eq!(counted(&mut conn, "198.51.100.1"), 0, "successes leave nothing");
    for _ in 0..2 {
        assert!(matches!(
            login::log_in(&mut conn, &from("198.51.100.1"), "bruno", "no"),
            Err(LoginFailure::Refused(_))
        ));
    }
    assert!(matches!(
        login::log_in(&mut conn, &from("198.51.100.1"), "bruno", "a good password"),
        Err(LoginFailure::Limited(_))
    ));
    assert!(login::log_in(&mut conn, &from("198.51.100.2"), "bruno", "a good password").is_ok());
}
