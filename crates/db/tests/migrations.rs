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

#[test]
fn sqlite_connections_are_tuned_for_concurrency_and_integrity() {
    use diesel::sql_types::{BigInt, Text};
    use diesel::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct Mode {
        #[diesel(sql_type = Text)]
        journal_mode: String,
    }
    #[derive(diesel::QueryableByName)]
    struct Flag {
        #[diesel(sql_type = BigInt)]
        foreign_keys: i64,
    }
    #[derive(diesel::QueryableByName)]
    struct Timeout {
        #[diesel(sql_type = BigInt)]
        timeout: i64,
    }

    let db = TestDb::new();
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    if db.is_postgres() {
        assert_eq!(pool.backend(), maillage_db::Backend::Postgres);
        return;
    }
    let mode: Mode = diesel::sql_query("PRAGMA journal_mode").get_result(&mut *conn).unwrap();
    assert_eq!(mode.journal_mode, "wal");
    let fk: Flag = diesel::sql_query("PRAGMA foreign_keys").get_result(&mut *conn).unwrap();
    assert_eq!(fk.foreign_keys, 1);
    let busy: Timeout = diesel::sql_query("PRAGMA busy_timeout").get_result(&mut *conn).unwrap();
    assert_eq!(busy.timeout, 5000);
}

/// Migrations are append-only: once a migration is in `RELEASED.sha256`, its
/// files may not change, and every migration present must be listed there.
#[test]
fn released_migrations_never_change() {
    use sha2::{Digest, Sha256};

    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations"));
    let listed = std::fs::read_to_string(root.join("RELEASED.sha256")).unwrap();
    let mut expected = std::collections::BTreeMap::new();
    for line in listed.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let (sum, path) =
            line.split_once("  ").unwrap_or_else(|| panic!("bad line in RELEASED.sha256: {line}"));
        expected.insert(path.to_string(), sum.to_string());
    }
    let mut found = std::collections::BTreeMap::new();
    for backend in ["sqlite", "postgres"] {
        for dir in std::fs::read_dir(root.join(backend)).unwrap() {
            let dir = dir.unwrap().path();
            for file in std::fs::read_dir(&dir).unwrap() {
                let file = file.unwrap().path();
                let bytes = std::fs::read(&file).unwrap();
                let rel = file.strip_prefix(root).unwrap().display().to_string();
                found.insert(rel, format!("{:x}", Sha256::digest(&bytes)));
            }
        }
    }
    let mut problems = Vec::new();
    for (path, sum) in &expected {
        match found.get(path) {
            None => problems.push(format!("{path}: released, but gone")),
            Some(now) if now != sum => {
                problems.push(format!("{path}: released, but edited (write a new migration)"))
            }
            Some(_) => {}
        }
    }
    for (path, sum) in &found {
        if !expected.contains_key(path) {
            problems.push(format!("{path}: not in RELEASED.sha256; once it lands, append: {sum}  {path}"));
        }
    }
    assert!(problems.is_empty(), "migrations/RELEASED.sha256:\n{}", problems.join("\n"));
}
