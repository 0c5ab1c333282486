//! One connection type for both backends, opened explicitly by URL scheme:
//! diesel's derived `establish` tries each backend in turn and reports only
//! "invalid connection url", which hides the real cause.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, SqliteConnection};
use maillage_core::database_url::DatabaseUrl;

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl DbConnection {
    pub fn backend(&self) -> Backend {
        match self {
            DbConnection::Sqlite(_) => Backend::Sqlite,
            DbConnection::Pg(_) => Backend::Postgres,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("cannot create the folder {path} for the SQLite database: {source}")]
    CreateFolder { path: String, source: std::io::Error },
    #[error("cannot open the SQLite database {url}: {cause}")]
    Sqlite { url: String, cause: String },
    #[error("cannot connect to PostgreSQL at {url}: {cause}")]
    Postgres { url: String, cause: String },
}

/// How long SQLite waits for a lock held by another connection before
/// reporting "database is locked".
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens one connection of the kind the URL names.
pub fn establish(url: &DatabaseUrl) -> Result<DbConnection, ConnectError> {
    match url {
        DatabaseUrl::Sqlite { path } => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|source| ConnectError::CreateFolder {
                    path: parent.display().to_string(),
                    source,
                })?;
            }
            let fail = |cause: String| ConnectError::Sqlite { url: url.to_string(), cause };
            let mut conn =
                SqliteConnection::establish(&path.to_string_lossy()).map_err(|e| fail(e.to_string()))?;
            // WAL lets readers run beside the one writer; NORMAL sync is
            // durable across application crashes in WAL mode.
            conn.batch_execute(&format!(
                "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                SQLITE_BUSY_TIMEOUT.as_millis()
            ))
            .map_err(|e| fail(e.to_string()))?;
            Ok(DbConnection::Sqlite(conn))
        }
        DatabaseUrl::Postgres { url: raw } => {
            PgConnection::establish(raw).map(DbConnection::Pg).map_err(|e| ConnectError::Postgres {
                url: url.to_string(),
                cause: e.to_string().trim().to_owned(),
            })
        }
    }
}

/// Creates the PostgreSQL database named in `url` when it does not exist,
/// so that a new node needs only a server, as with SQLite. Several processes
/// may race here: "already exists" counts as success.
pub fn ensure_postgres_database(url: &DatabaseUrl) -> Result<(), ConnectError> {
    let DatabaseUrl::Postgres { url: raw } = url else { return Ok(()) };
    let fail = |cause: String| ConnectError::Postgres { url: url.to_string(), cause };
    let parsed = url::Url::parse(raw).map_err(|e| fail(e.to_string()))?;
    let name = parsed.path().trim_start_matches('/').to_owned();
    match PgConnection::establish(raw) {
        Ok(_) => return Ok(()),
        Err(e) if !e.to_string().contains("does not exist") => {
            return Err(fail(e.to_string().trim().to_owned()))
        }
        Err(_) => {}
    }
    let mut maintenance_url = parsed.clone();
    maintenance_url.set_path("/postgres");
    let mut conn = PgConnection::establish(maintenance_url.as_str())
        .map_err(|e| fail(format!("the database does not exist and cannot be created: {e}")))?;
    let quoted = name.replace('"', "\"\"");
    match conn.batch_execute(&format!("CREATE DATABASE \"{quoted}\"")) {
        Ok(()) => {
            tracing::info!(database = %name, "created PostgreSQL database");
            Ok(())
        }
        Err(e) if e.to_string().contains("already exists") => Ok(()),
        Err(e) => Err(fail(format!("the database does not exist and cannot be created: {e}"))),
    }
}
