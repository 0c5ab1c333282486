//! One connection type for both backends, opened explicitly by URL scheme:
//! diesel's derived `establish` tries each backend in turn and reports only
//! "invalid connection url", which hides the real cause.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, SqliteConnection};
use maillage_core::database_url::DatabaseUrl;

use crate::sqlite_file::SqliteFile;

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
    #[error(
        "the SQLite database {path} is missing, but the files SQLite keeps beside it are still \
         there ({leftovers}): the database was deleted or moved while in use. Put it back, or \
         remove those files to start with an empty database"
    )]
    SqliteMissing { path: String, leftovers: String },
}

impl ConnectError {
    /// As a domain error: a database deleted under the node is refused like
    /// bad configuration (exit code 2); the rest is unavailability.
    pub fn into_error(self) -> maillage_core::Error {
        match self {
            ConnectError::SqliteMissing { .. } => {
                maillage_core::Error::new(maillage_core::ErrorKind::Conflict, self.to_string())
            }
            other => maillage_core::Error::unavailable("cannot open the database").with_cause(other),
        }
    }
}

/// How long SQLite waits for a lock held by another connection before
/// reporting "database is locked".
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens one connection of the kind the URL names, creating a SQLite
/// database (and its folder) that does not exist yet.
pub fn establish(url: &DatabaseUrl) -> Result<DbConnection, ConnectError> {
    if let DatabaseUrl::Sqlite { path } = url {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| ConnectError::CreateFolder {
                path: parent.display().to_string(),
                source,
            })?;
        }
    }
    open(url, Opening::MayCreate)
}

/// How a SQLite file is opened.
enum Opening {
    /// The first connection: the file may be created.
    MayCreate,
    /// A pool's next ones: the file must exist; the connection answers for
    /// it on the write path.
    Existing(Option<Arc<SqliteFile>>),
}

/// Opens one more connection to a database a pool opened: a SQLite file
/// that has disappeared since is not created again (a node would then write
/// into an empty database), and the connection answers for `file` on the
/// write path (see [`crate::sqlite_file`]).
pub(crate) fn establish_existing(
    url: &DatabaseUrl,
    file: Option<Arc<SqliteFile>>,
) -> Result<DbConnection, ConnectError> {
    open(url, Opening::Existing(file))
}

fn open(url: &DatabaseUrl, opening: Opening) -> Result<DbConnection, ConnectError> {
    match url {
        DatabaseUrl::Sqlite { path } => {
            let fail = |cause: String| ConnectError::Sqlite { url: url.to_string(), cause };
            let (target, file) = match opening {
                Opening::MayCreate => (path.to_string_lossy().into_owned(), None),
                Opening::Existing(file) => (existing_file_uri(path), file),
            };
            let mut conn = SqliteConnection::establish(&target).map_err(|e| fail(e.to_string()))?;
            crate::sqlite_file::watch(&mut conn, file).map_err(|e| fail(e.to_string()))?;
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

/// `path` as an SQLite URI that opens the file for reading and writing but
/// never creates it (`mode=rw`). `%`, `?` and `#` are escaped; an absolute
/// path gets an empty authority, so that `//x` is not read as a host.
fn existing_file_uri(path: &Path) -> String {
    let raw = path.to_string_lossy();
    let mut escaped = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '?' => escaped.push_str("%3F"),
            '#' => escaped.push_str("%23"),
            c => escaped.push(c),
        }
    }
    let authority = if escaped.starts_with('/') { "//" } else { "" };
    format!("file:{authority}{escaped}?mode=rw")
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
