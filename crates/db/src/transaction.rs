//! Write transactions. On SQLite a plain `BEGIN` takes the write lock only at
//! the first write, and two such transactions that both read first deadlock:
//! one gets SQLITE_BUSY at once, without waiting. `BEGIN IMMEDIATE` takes the
//! lock up front, so concurrent writers queue instead.
//!
//! Within one process, SQLite writers also queue on a mutex before `BEGIN
//! IMMEDIATE`: SQLite's own busy handler waits by sleeping in growing steps
//! (up to 100 ms), which under load costs far more than the write itself. A
//! mutex hands the lock over as soon as it is free. (SQLite is used by one
//! process; PostgreSQL needs neither.)
//!
//! Before that, a SQLite write asks whether the pool's file is still there,
//! still the same and writable ([`crate::sqlite_file`]): writes into a
//! deleted file would be lost at the next start.

use std::sync::{Mutex, MutexGuard};

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::db_error;

static SQLITE_WRITER: Mutex<()> = Mutex::new(());

/// Runs `f` in a transaction meant to write; commits when it returns `Ok`,
/// rolls back otherwise. Nested calls become savepoints.
pub fn write<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, Error>,
) -> Result<T, Error> {
    let depth = <DbConnection as TransactionManager<DbConnection>>::transaction_manager_status_mut(conn)
        .transaction_depth()
        .map_err(db_error)?;
    let _writer: Option<MutexGuard<'_, ()>> = match conn {
        DbConnection::Sqlite(inner) if depth.is_none() => {
            // A deleted, replaced or read-only file refuses the write (503)
            // before it takes the lock.
            crate::sqlite_file::check_writable(inner)?;
            let guard = SQLITE_WRITER.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE").map_err(db_error)?;
            Some(guard)
        }
        _ => {
            DbConnection::begin_transaction(conn).map_err(db_error)?;
            None
        }
    };
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
