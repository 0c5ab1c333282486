//! The connection pool, and the one way handlers reach the database:
//! [`DbPool::run`] runs a blocking closure on tokio's blocking threads.

use std::sync::Arc;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::RunQueryDsl;
use maillage_core::database_url::DatabaseUrl;
use maillage_core::Error;

use crate::connection::{self, Backend, ConnectError, DbConnection};
use crate::migrations;
use crate::sqlite_file::{self, SqliteFile};

pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

#[derive(Debug, Clone)]
pub struct PoolOptions {
    pub max_connections: u32,
    pub connect_timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions { max_connections: 8, connect_timeout: Duration::from_secs(5) }
    }
}

/// Opens connections for r2d2 to a database that exists (see
/// [`connection::establish_existing`]).
#[derive(Debug)]
pub struct ConnectionManager {
    url: DatabaseUrl,
    file: Option<Arc<SqliteFile>>,
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = ConnectError;

    fn connect(&self) -> Result<DbConnection, ConnectError> {
        connection::establish_existing(&self.url, self.file.clone())
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectError> {
        conn.batch_execute("SELECT 1")
            .map_err(|e| ConnectError::Postgres { url: self.url.to_string(), cause: e.to_string() })
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

#[derive(Clone)]
pub struct DbPool {
    pool: r2d2::Pool<ConnectionManager>,
    url: Arc<DatabaseUrl>,
    writer: Arc<std::sync::OnceLock<crate::batch::BatchWriter>>,
    /// The SQLite file opened, watched on the write path and by `/healthz`.
    file: Option<Arc<SqliteFile>>,
}

impl DbPool {
    /// Opens the database (creating it when it is a new SQLite file or a
    /// missing PostgreSQL database), checks that a first connection works so
    /// that a bad URL fails here with its real cause, and builds the pool.
    /// A SQLite file that is missing while its write-ahead log is there was
    /// deleted under a running node: it is refused, never created anew.
    /// Does not migrate: see [`DbPool::open_and_migrate`].
    pub fn open(url: &DatabaseUrl, options: &PoolOptions) -> Result<DbPool, ConnectError> {
        if let DatabaseUrl::Sqlite { path } = url {
            let leftovers = sqlite_file::leftovers(path);
            if !path.exists() && !leftovers.is_empty() {
                let names: Vec<String> = leftovers.iter().map(|p| p.display().to_string()).collect();
                return Err(ConnectError::SqliteMissing {
                    path: path.display().to_string(),
                    leftovers: names.join(", "),
                });
            }
        }
        connection::ensure_postgres_database(url)?;
        let first = connection::establish(url)?;
        drop(first);
        let file = match url {
            DatabaseUrl::Sqlite { path } => Some(Arc::new(SqliteFile::opened(path))),
            DatabaseUrl::Postgres { .. } => None,
        };
        // SQLite has a single writer; more connections only help readers, and
        // an in-process pool larger than the cores gains nothing.
        let max = match url {
            DatabaseUrl::Sqlite { .. } => options.max_connections.clamp(1, 16),
            DatabaseUrl::Postgres { .. } => options.max_connections.max(1),
        };
        let pool = r2d2::Pool::builder()
            .max_size(max)
            .min_idle(Some(0))
            .connection_timeout(options.connect_timeout)
            .error_handler(Box::new(LogErrors))
            .build_unchecked(ConnectionManager { url: url.clone(), file: file.clone() });
        Ok(DbPool { pool, url: Arc::new(url.clone()), writer: Arc::default(), file })
    }

    /// Opens the pool and applies pending migrations: what `serve` does.
    pub fn open_and_migrate(url: &DatabaseUrl, options: &PoolOptions) -> Result<DbPool, Error> {
        let pool = DbPool::open(url, options).map_err(ConnectError::into_error)?;
        let mut conn = pool.get()?;
        migrations::run_pending(&mut conn)?;
        Ok(pool)
    }

    pub fn backend(&self) -> Backend {
        match *self.url {
            DatabaseUrl::Sqlite { .. } => Backend::Sqlite,
            DatabaseUrl::Postgres { .. } => Backend::Postgres,
        }
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// A connection, for blocking code (CLI, workers already on a blocking
    /// thread). Async code uses [`DbPool::run`].
    pub fn get(&self) -> Result<PooledConnection, Error> {
        self.pool.get().map_err(|e| Error::unavailable("the database is unavailable").with_cause(e))
    }

    /// Runs `f` with a connection on a blocking thread.
    pub async fn run<T, F>(&self, f: F) -> Result<T, Error>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, Error> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await
        .map_err(Error::internal)?
    }

    /// Runs a small write whose commit may be grouped with others (SQLite:
    /// see [`crate::batch`]); on PostgreSQL, the same as a write transaction
    /// in [`DbPool::run`]. `f` runs in its own transaction or savepoint.
    pub async fn write_batched<T, F>(&self, f: F) -> Result<T, Error>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, Error> + Send + 'static,
        T: Send + 'static,
    {
        if self.backend() == Backend::Postgres {
            return self.run(move |conn| crate::transaction::write(conn, f)).await;
        }
        let writer = match self.writer.get() {
            Some(w) => w,
            None => {
                let started = crate::batch::BatchWriter::start(self.without_writer())?;
                let _ = self.writer.set(started);
                self.writer.get().ok_or_else(|| Error::internal("the database writer did not start"))?
            }
        };
        let (reply, answer) = tokio::sync::oneshot::channel();
        writer.submit(crate::batch::job(f, reply))?;
        answer.await.map_err(|_| Error::unavailable("the database writer dropped the write"))?
    }

    /// A handle for the writer thread itself, which must not keep the
    /// writer alive (it would never see its queue close).
    fn without_writer(&self) -> DbPool {
        DbPool {
            pool: self.pool.clone(),
            url: self.url.clone(),
            writer: Arc::default(),
            file: self.file.clone(),
        }
    }

    /// Whether the database answers a real query within `timeout` and may
    /// be written. For SQLite the file must also still be the one opened
    /// (not deleted, not replaced) and writable: a node writing into a
    /// deleted file would lose everything at its next restart. PostgreSQL
    /// must not be read-only (a standby, or `default_transaction_read_only`).
    pub async fn check_health(&self, timeout: Duration) -> Result<(), Error> {
        let pool = self.clone();
        let check = tokio::task::spawn_blocking(move || -> Result<(), Error> {
            if let Some(problem) = pool.file.as_ref().and_then(|f| f.state_now().problem()) {
                return Err(Error::unavailable(problem));
            }
            let mut conn = pool
                .pool
                .get_timeout(timeout)
                .map_err(|e| Error::unavailable("the database is unavailable").with_cause(e))?;
            diesel::sql_query("SELECT version FROM __diesel_schema_migrations LIMIT 1")
                .execute(&mut *conn)
                .map(drop)
                .map_err(|e| Error::unavailable("the database does not answer").with_cause(e))?;
            if let DbConnection::Pg(pg) = &mut *conn {
                let setting: Setting =
                    diesel::sql_query("SELECT current_setting('transaction_read_only') AS value")
                        .get_result(pg)
                        .map_err(|e| Error::unavailable("the database does not answer").with_cause(e))?;
                if setting.value == "on" {
                    return Err(Error::unavailable("the database is read-only"));
                }
            }
            Ok(())
        });
        match tokio::time::timeout(timeout, check).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(Error::internal(join)),
            Err(_) => Err(Error::unavailable("the database did not answer in time")),
        }
    }
}

#[derive(diesel::QueryableByName)]
struct Setting {
    #[diesel(sql_type = diesel::sql_types::Text)]
    value: String,
}

#[derive(Debug)]
struct LogErrors;

impl r2d2::HandleError<ConnectError> for LogErrors {
    fn handle_error(&self, error: ConnectError) {
        tracing::warn!(%error, "database connection failed");
    }
}
