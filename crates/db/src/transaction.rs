//! Write transactions. On SQLite a plain `BEGIN` takes the write lock only at
//! the first write, and two such transactions that both read first deadlock:
//! one gets SQLITE_BUSY at once, without waiting. `BEGIN IMMEDIATE` takes the
//! lock up front, so concurrent writers queue behind `busy_timeout` instead.

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;

/// Runs `f` in a transaction meant to write; commits when it returns `Ok`,
/// rolls back otherwise. Nested calls become savepoints.
pub fn write<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, Error>,
) -> Result<T, Error> {
    let depth = <DbConnection as TransactionManager<DbConnection>>::transaction_manager_status_mut(conn)
        .transaction_depth()
        .map_err(db_error)?;
    match conn {
        DbConnection::Sqlite(inner) if depth.is_none() => {
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE").map_err(db_error)?
        }
        _ => DbConnection::begin_transaction(conn).map_err(db_error)?,
    }
    match f(conn) {
        Ok(value) => {
            DbConnection::commit_transaction(conn).map_err(db_error)?;
            Ok(value)
        }
        Err(error) => {
            if let Err(rollback) = DbConnection::rollback_transaction(conn) {
                tracing::error!(%rollback, "rollback failed");
            }
            Err(error)
        }
    }
}
