//! Migrations embedded in the binary, one set per backend. They are applied
//! on start and by `maillage migrate`; applying them twice is a no-op.

use diesel::connection::SimpleConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use maillage_core::Error;

use crate::connection::DbConnection;

const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// Any fixed number: the key of the advisory lock that serialises
/// migrations when several processes start against one PostgreSQL.
const PG_MIGRATION_LOCK: i64 = 0x6d61_696c_6c61;

/// Applies pending migrations; returns the versions applied (empty when the
/// schema was already current).
pub fn run_pending(conn: &mut DbConnection) -> Result<Vec<String>, Error> {
    let fail = |e: Box<dyn std::error::Error + Send + Sync>| {
        Error::unavailable("database migration failed").with_cause(e.to_string())
    };
    let applied = match conn {
        DbConnection::Sqlite(c) => {
            c.run_pending_migrations(SQLITE).map_err(fail)?.into_iter().map(|v| v.to_string()).collect()
        }
        DbConnection::Pg(c) => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({PG_MIGRATION_LOCK})"))
                .map_err(|e| fail(e.into()))?;
            let result = c
                .run_pending_migrations(POSTGRES)
                .map(|versions| versions.into_iter().map(|v| v.to_string()).collect::<Vec<_>>())
                .map_err(fail);
            let unlock = c.batch_execute(&format!("SELECT pg_advisory_unlock({PG_MIGRATION_LOCK})"));
            let applied = result?;
            unlock.map_err(|e| fail(e.into()))?;
            applied
        }
    };
    Ok(applied)
}

/// Versions not yet applied, for `maillage migrate --dry-run` and checks.
pub fn pending(conn: &mut DbConnection) -> Result<Vec<String>, Error> {
    let fail = |e: Box<dyn std::error::Error + Send + Sync>| {
        Error::unavailable("cannot read the migration state").with_cause(e.to_string())
    };
    Ok(match conn {
        DbConnection::Sqlite(c) => c
            .pending_migrations(SQLITE)
            .map_err(fail)?
            .iter()
            .map(|m| m.name().version().to_string())
            .collect(),
        DbConnection::Pg(c) => c
            .pending_migrations(POSTGRES)
            .map_err(fail)?
            .iter()
            .map(|m| m.name().version().to_string())
            .collect(),
    })
}
