#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use maillage_db::migrations;
use maillage_test_support::TestDb;

#[test]
fn migrations_apply_once_then_are_a_no_op() {
    let db = TestDb::new();
    let pool = maillage_db::DbPool::open(db.url(), &Default::default()).unwrap();
    let mut conn = pool.get().unwrap();
    assert!(!migrations::pending(&mut conn).unwrap().is_empty());
    let first = migrations::run_pending(&mut conn).unwrap();
    assert!(!first.is_empty());
    assert!(migrations::pending(&mut conn).unwrap().is_empty());
    let second = migrations::run_pending(&mut conn).unwrap();
    assert!(second.is_empty(), "second run applied {second:?}");
}

#[test]
fn both_backends_have_the_same_migrations() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations");
    let names = |backend: &str| {
        let mut v: Vec<String> = std::fs::read_dir(format!("{root}/{backend}"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        v.sort();
        v
    };
    assert_eq!(names("sqlite"), names("postgres"));
}
