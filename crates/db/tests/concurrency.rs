//! Several writers at once, as several requests or several processes
//! sharing one PostgreSQL produce them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::sync::{Arc, Barrier};
use std::time::Duration;

use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_db::{actors, deliveries, instances, received, transaction, DbPool};
use maillage_test_support::TestDb;

fn in_threads<T: Send + 'static>(
    pool: &DbPool,
    n: usize,
    f: impl Fn(&mut maillage_db::DbConnection, usize) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let f = Arc::new(f);
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (pool, f, barrier) = (pool.clone(), f.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut conn = pool.get().unwrap();
                barrier.wait();
                f(&mut conn, i)
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

fn local_actor(id: Id, name: &str) -> actors::ActorRow {
    let mut row = maillage_test_support::actor_row(
        &format!("https://maillage.test/users/{name}"),
        name,
        "maillage.test",
        "",
        true,
    );
    row.id = id.as_i64();
    row
}

#[test]
fn the_same_activity_received_at_once_is_recorded_once() {
    let db = TestDb::new();
    let pool = db.pool();
    let results = in_threads(&pool, 8, |conn, _| {
        transaction::write(conn, |c| {
            received::mark_received(c, "https://x.example/activities/1", Timestamp::now())
        })
        .unwrap()
    });
    assert_eq!(results.iter().filter(|new| **new).count(), 1, "{results:?}");
}

#[test]
fn a_host_first_seen_by_several_requests_at_once_is_one_row() {
    let db = TestDb::new();
    let pool = db.pool();
    let results = in_threads(&pool, 8, |conn, i| {
        if i % 2 == 0 {
            instances::record_success(conn, "x.example", Timestamp::now()).map(drop)
        } else {
            instances::record_failure(conn, "x.example", Timestamp::now(), Duration::from_secs(3600))
                .map(drop)
        }
    });
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let mut conn = pool.get().unwrap();
    assert!(instances::find(&mut conn, "x.example").unwrap().is_some());
}

#[test]
fn concurrent_workers_never_claim_the_same_delivery() {
    let db = TestDb::new();
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    let signer = Id::generate();
    let now = Timestamp::now();
    actors::insert(&mut conn, &local_actor(signer, "a")).unwrap();
    let inboxes: Vec<String> =
        (0..400).map(|i| format!("https://host{}.example/inbox/{i}", i % 20)).collect();
    deliveries::enqueue(&mut conn, "https://maillage.test/activities/1", "{}", signer, &inboxes, now)
        .unwrap();
    drop(conn);

    let claimed = in_threads(&pool, 6, |conn, _| {
        let mut mine = Vec::new();
        loop {
            let rows = deliveries::claim(conn, Timestamp::now(), Duration::from_secs(60), 25, &[]).unwrap();
            if rows.is_empty() {
                break mine;
            }
            mine.extend(rows.into_iter().map(|r| r.id));
        }
    });
    let all: Vec<i64> = claimed.into_iter().flatten().collect();
    let distinct: HashSet<i64> = all.iter().copied().collect();
    assert_eq!(all.len(), 400, "every row claimed");
    assert_eq!(distinct.len(), 400, "no row claimed twice");
}

#[test]
fn busy_hosts_are_left_out_of_claims_and_leases_expire() {
    let db = TestDb::new();
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    let signer = Id::generate();
    let now = Timestamp::now();
    actors::insert(&mut conn, &local_actor(signer, "b")).unwrap();
    let inboxes = vec!["https://slow.example/inbox".to_owned(), "https://fast.example/inbox".to_owned()];
    deliveries::enqueue(&mut conn, "https://maillage.test/activities/2", "{}", signer, &inboxes, now)
        .unwrap();
    let rows =
        deliveries::claim(&mut conn, now, Duration::from_secs(1), 10, &["slow.example".to_owned()]).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].host, "fast.example");
    // Claimed rows are not claimed again until their lease runs out.
    assert!(deliveries::claim(&mut conn, now, Duration::from_secs(1), 10, &["slow.example".to_owned()])
        .unwrap()
        .is_empty());
    let later = now.saturating_add(Duration::from_secs(2));
    let again = deliveries::claim(&mut conn, later, Duration::from_secs(1), 10, &["slow.example".to_owned()])
        .unwrap();
    assert_eq!(again.len(), 1, "a dead worker's claim is taken over after its lease");
}

#[test]
fn finished_deliveries_are_pruned_after_retention_and_pending_ones_kept() {
    let db = TestDb::new();
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    let signer = Id::generate();
    actors::insert(&mut conn, &local_actor(signer, "c")).unwrap();
    let long_ago = Timestamp::from_micros(Timestamp::now().as_micros() - 10 * 86_400_000_000);
    let inboxes: Vec<String> = (0..3).map(|i| format!("https://h{i}.example/inbox")).collect();
    deliveries::enqueue(&mut conn, "https://maillage.test/activities/3", "{}", signer, &inboxes, long_ago)
        .unwrap();
    let rows = deliveries::claim(&mut conn, Timestamp::now(), Duration::from_secs(60), 10, &[]).unwrap();
    deliveries::mark_delivered(&mut conn, rows[0].id, long_ago).unwrap();
    deliveries::mark_failed(&mut conn, rows[1].id, 16, "gave up", long_ago).unwrap();
    let pruned =
        deliveries::prune(&mut conn, Timestamp::now().saturating_sub(Duration::from_secs(86_400))).unwrap();
    assert_eq!(pruned, 2);
    assert_eq!(deliveries::count_in_state(&mut conn, "pending").unwrap(), 1, "pending rows are never pruned");
}
