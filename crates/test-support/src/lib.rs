//! # maillage-test-support
//!
//! Gives each test a fresh, migrated database on the backend chosen by the
//! environment, so that one suite runs on both:
//!
//! - `MAILLAGE_TEST_DATABASE_URL` unset: a new SQLite file in a temporary
//!   folder, removed afterwards.
//! - `MAILLAGE_TEST_DATABASE_URL=postgres://USER@HOST:PORT/ANY`: a new
//!   database `maillage_test_…` on that server, dropped afterwards. When the
//!   server cannot be reached the test fails loudly: it never skips.
//!
//! Test-only code: panicking on a broken test set-up is the point.
#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

pub mod bench_listings;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use maillage_core::database_url::DatabaseUrl;
use maillage_db::{DbPool, PoolOptions};

pub const TEST_DATABASE_URL_VAR: &str = "MAILLAGE_TEST_DATABASE_URL";

pub struct TestDb {
    url: DatabaseUrl,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<PostgresTestDb>,
}

struct PostgresTestDb {
    admin_url: String,
    name: String,
}

impl TestDb {
    /// A new empty database (not migrated).
    pub fn new() -> TestDb {
        match std::env::var(TEST_DATABASE_URL_VAR) {
            Ok(server) if !server.trim().is_empty() => Self::new_postgres(server.trim()),
            _ => Self::new_sqlite(),
        }
    }

    fn new_sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("create a temporary folder");
        let path = dir.path().join("maillage.db");
        TestDb { url: DatabaseUrl::Sqlite { path }, _dir: Some(dir), postgres: None }
    }

    fn new_postgres(server: &str) -> TestDb {
        let parsed = url::Url::parse(server)
            .unwrap_or_else(|e| panic!("{TEST_DATABASE_URL_VAR}={server} is not a URL: {e}"));
        assert!(
            parsed.scheme().starts_with("postgres"),
            "{TEST_DATABASE_URL_VAR} must be a postgres:// URL, found {server}"
        );
        let mut admin = parsed.clone();
        admin.set_path("/postgres");
        let name = format!("maillage_test_{}_{:08x}", std::process::id(), rand::random::<u32>());
        let mut conn = PgConnection::establish(admin.as_str()).unwrap_or_else(|e| {
            panic!("{TEST_DATABASE_URL_VAR} is set but PostgreSQL cannot be reached at {admin}: {e}")
        });
        conn.batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
        let mut url = parsed;
        url.set_path(&format!("/{name}"));
        // Test processes end with nodes still running. With TLS to the
        // server, libpq's OpenSSL is torn down at exit while those nodes'
        // connections close, and the process aborts after every test has
        // passed. Local test connections need no TLS.
        if !url.query_pairs().any(|(k, _)| k == "sslmode") {
            url.query_pairs_mut().append_pair("sslmode", "disable");
        }
        TestDb {
            url: DatabaseUrl::Postgres { url: url.to_string() },
            _dir: None,
            postgres: Some(PostgresTestDb { admin_url: admin.to_string(), name }),
        }
    }

    /// A database that does not exist yet, to test that a node creates it:
    /// a SQLite path inside folders that do not exist, or a PostgreSQL
    /// database name never created. Dropped afterwards all the same.
    pub fn unborn() -> TestDb {
        let mut db = TestDb::new();
        match (&mut db.url, &db.postgres) {
            (DatabaseUrl::Sqlite { path }, _) => {
                let base = path.parent().map(|p| p.to_path_buf()).unwrap_or_default();
                *path = base.join("not").join("yet").join("maillage.db");
            }
            (DatabaseUrl::Postgres { .. }, Some(pg)) => pg.drop_database(),
            _ => {}
        }
        db
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// The URL as `MAILLAGE_DATABASE_URL` takes it.
    pub fn url_string(&self) -> String {
        match &self.url {
            DatabaseUrl::Sqlite { path } => path.to_string_lossy().into_owned(),
            DatabaseUrl::Postgres { url } => url.clone(),
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// A pool on this database, with migrations applied.
    pub fn pool(&self) -> DbPool {
        DbPool::open_and_migrate(&self.url, &PoolOptions::default())
            .unwrap_or_else(|e| panic!("cannot open test database {}: {e}", self.url))
    }

    /// Makes the database disappear while a node may be using it: the
    /// SQLite file is deleted, the PostgreSQL database dropped with its
    /// connections.
    pub fn destroy(&mut self) {
        match (&self.url, self.postgres.take()) {
            (_, Some(pg)) => pg.drop_database(),
            (DatabaseUrl::Sqlite { path }, None) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
            }
            _ => {}
        }
    }
}

impl Default for TestDb {
    fn default() -> Self {
        Self::new()
    }
}

impl PostgresTestDb {
    fn drop_database(&self) {
        if let Ok(mut conn) = PgConnection::establish(&self.admin_url) {
            let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name));
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(pg) = self.postgres.take() {
            pg.drop_database();
        }
    }
}

/// Which backend this run tests, for messages.
pub fn backend_name() -> &'static str {
    match std::env::var(TEST_DATABASE_URL_VAR) {
        Ok(v) if !v.trim().is_empty() => "postgres",
        _ => "sqlite",
    }
}

/// An actor row as tests and benchmarks insert it directly: inbox at
/// `{ap_id}/inbox`, no shared inbox, fetched just now.
pub fn actor_row(
    ap_id: &str,
    username: &str,
    domain: &str,
    public_pem: &str,
    local: bool,
) -> maillage_db::actors::ActorRow {
    let now = maillage_core::time::Timestamp::now().as_micros();
    maillage_db::actors::ActorRow {
        id: maillage_core::id::Id::generate().as_i64(),
        ap_id: ap_id.to_owned(),
        kind: "Person".into(),
        username: username.to_owned(),
        username_lower: username.to_lowercase(),
        domain: domain.to_owned(),
        display_name: String::new(),
        summary_html: String::new(),
        inbox_url: format!("{ap_id}/inbox"),
        shared_inbox_url: None,
        outbox_url: None,
        followers_url: None,
        following_url: None,
        url: None,
        icon_url: None,
        image_url: None,
        public_key_pem: public_pem.to_owned(),
        private_key_pem: None,
        manually_approves_followers: false,
        local,
        purpose: None,
        user_id: None,
        published_at: now,
        updated_at: now,
        fetched_at: Some(now),
        latitude: None,
        longitude: None,
    }
}
