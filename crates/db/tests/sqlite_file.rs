//! A SQLite file deleted, replaced or made read-only under a running pool:
//! writes are refused with 503 instead of going into a file that will be
//! gone at the next start, `check_health` says why, and a database missing
//! beside its write-ahead log is never created anew. SQLite only: these are
//! the file's own troubles (PostgreSQL's are in `tests/it/robustness.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::RunQueryDsl;
use maillage_core::database_url::DatabaseUrl;
use maillage_core::{Error, ErrorKind};
use maillage_db::connection::ConnectError;
use maillage_db::sqlite_file::RECHECK;
use maillage_db::{transaction, DbConnection, DbPool, PoolOptions};

fn sqlite(path: &Path) -> DatabaseUrl {
    DatabaseUrl::Sqlite { path: path.to_path_buf() }
}

fn write(pool: &DbPool) -> Result<(), Error> {
    let mut conn = pool.get()?;
    transaction::write(&mut conn, |c| {
        diesel::sql_query("CREATE TABLE IF NOT EXISTS probe (x INTEGER)")
            .execute(c)
            .map_err(maillage_db::error::db_error)?;
        diesel::sql_query("INSERT INTO probe (x) VALUES (1)")
            .execute(c)
            .map_err(maillage_db::error::db_error)?;
        Ok(())
    })
}

fn health(pool: &DbPool) -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(pool.check_health(Duration::from_secs(3)))
}

fn past_recheck() {
    std::thread::sleep(RECHECK * 2);
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

#[test]
fn a_deleted_file_refuses_writes_and_is_not_created_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("node.db");
    let pool = DbPool::open_and_migrate(&sqlite(&path), &PoolOptions::default()).unwrap();
    write(&pool).unwrap();
    health(&pool).unwrap();

    std::fs::remove_file(&path).unwrap();
    past_recheck();
    let refused = write(&pool).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Unavailable, "{refused}");
    assert!(!refused.message().contains("node.db"), "no path for clients: {}", refused.message());
    let unhealthy = health(&pool).unwrap_err();
    assert_eq!(unhealthy.message(), "the database file is gone");
    assert!(!path.exists(), "nothing created an empty database in its place");

    // The next start sees the write-ahead log without its database.
    assert!(with_suffix(&path, "-wal").exists());
    match DbPool::open(&sqlite(&path), &PoolOptions::default()) {
        Err(e @ ConnectError::SqliteMissing { .. }) => {
            let text = e.to_string();
            assert!(text.contains("node.db-wal"), "{text}");
            assert_eq!(e.into_error().kind(), ErrorKind::Conflict, "refused like bad configuration");
        }
        Err(other) => panic!("expected SqliteMissing, got {other}"),
        Ok(_) => panic!("a database was opened in place of the deleted one"),
    }
    assert!(!path.exists(), "refusing created nothing");
}

#[test]
fn a_replaced_file_refuses_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("node.db");
    let pool = DbPool::open_and_migrate(&sqlite(&path), &PoolOptions::default()).unwrap();
    write(&pool).unwrap();
    let other = dir.path().join("other.db");
    std::fs::copy(&path, &other).unwrap();
    std::fs::rename(&other, &path).unwrap();
    past_recheck();
    assert_eq!(write(&pool).unwrap_err().kind(), ErrorKind::Unavailable);
    assert_eq!(health(&pool).unwrap_err().message(), "the database file was replaced");
}

#[test]
fn a_read_only_file_refuses_writes_until_it_is_writable_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("node.db");
    let pool = DbPool::open_and_migrate(&sqlite(&path), &PoolOptions::default()).unwrap();
    write(&pool).unwrap();

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    past_recheck();
    let refused = write(&pool).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Unavailable, "{refused}");
    assert_eq!(health(&pool).unwrap_err().message(), "the database is read-only");

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    past_recheck();
    write(&pool).unwrap();
    health(&pool).unwrap();
}

/// What SQLite itself answers on a connection that may not write (a file
/// another user owns, a read-only mount): `SQLITE_READONLY`, which is
/// unavailability, not a bug.
#[test]
fn sqlite_readonly_is_unavailable() {
    use diesel::Connection;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("node.db");
    drop(DbPool::open_and_migrate(&sqlite(&path), &PoolOptions::default()).unwrap());
    let uri = format!("file:{}?mode=ro", path.display());
    let mut conn = DbConnection::Sqlite(diesel::SqliteConnection::establish(&uri).unwrap());
    let refused = transaction::write(&mut conn, |c| {
        diesel::sql_query("CREATE TABLE probe (x INTEGER)")
            .execute(c)
            .map_err(maillage_db::error::db_error)?;
        Ok(())
    })
    .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Unavailable, "{refused}");
}

#[test]
fn a_first_start_creates_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new").join("node.db");
    let pool = DbPool::open_and_migrate(&sqlite(&path), &PoolOptions::default()).unwrap();
    assert!(path.exists(), "a fresh start creates the database");
    write(&pool).unwrap();
}
