//! From diesel's errors to ours: constraint violations are the client's
//! problem (409), lost connections and a database that cannot be written
//! (read-only, gone, failing disk) are unavailability (503), the rest is a
//! bug (500). The diesel error is always kept as the cause.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use maillage_core::Error;

pub fn db_error(e: DieselError) -> Error {
    match &e {
        DieselError::NotFound => Error::not_found("not found").with_cause(e),
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
            Error::conflict("already exists").with_cause(e)
        }
        DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
            Error::unprocessable("refers to something that does not exist").with_cause(e)
        }
        DieselError::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _,
        ) => Error::unavailable("the database is unavailable").with_cause(e),
        DieselError::DatabaseError(DatabaseErrorKind::ReadOnlyTransaction, _) => {
            Error::unavailable("the database cannot be written").with_cause(e)
        }
        DieselError::DatabaseError(_, info) if is_busy(info.message()) => {
            Error::unavailable("the database is busy, try again").with_cause(e)
        }
        DieselError::DatabaseError(_, info) if cannot_write(info.message()) => {
            Error::unavailable("the database cannot be written").with_cause(e)
        }
        DieselError::DatabaseError(_, info) if is_lost(info.message()) => {
            Error::unavailable("the database is unavailable").with_cause(e)
        }
        _ => Error::internal(e),
    }
}

fn is_busy(message: &str) -> bool {
    message.contains("database is locked") || message.contains("database is busy")
}

/// SQLite's messages for SQLITE_READONLY (and its extended codes, such as
/// a file moved since it was opened), SQLITE_IOERR, SQLITE_CANTOPEN and
/// SQLITE_FULL.
fn cannot_write(message: &str) -> bool {
    message.contains("readonly database")
        || message.contains("disk I/O error")
        || message.contains("unable to open database file")
        || message.contains("database or disk is full")
}

/// PostgreSQL's messages when the server ends a session (an administrator
/// terminated it, the server shuts down) or libpq lost it.
fn is_lost(message: &str) -> bool {
    message.contains("terminating connection")
        || message.contains("server closed the connection")
        || message.contains("no connection to the server")
        || message.contains("the database system is shutting down")
}

/// Whether an error is a unique-constraint violation on `column` (both
/// backends name the column or the index in their message).
pub fn is_unique_violation_on(e: &DieselError, column: &str) -> bool {
    match e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            info.message().contains(column) || info.constraint_name().is_some_and(|c| c.contains(column))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use maillage_core::ErrorKind;

    fn database(kind: DatabaseErrorKind, message: &str) -> DieselError {
        DieselError::DatabaseError(kind, Box::new(message.to_owned()))
    }

    #[test]
    fn a_database_that_cannot_be_written_is_unavailable() {
        for e in [
            database(DatabaseErrorKind::Unknown, "attempt to write a readonly database"),
            database(DatabaseErrorKind::Unknown, "disk I/O error"),
            database(DatabaseErrorKind::Unknown, "unable to open database file"),
            database(
                DatabaseErrorKind::ReadOnlyTransaction,
                "cannot execute INSERT in a read-only transaction",
            ),
            database(DatabaseErrorKind::UnableToSendCommand, "server closed the connection unexpectedly"),
            database(DatabaseErrorKind::Unknown, "terminating connection due to administrator command"),
            database(DatabaseErrorKind::ClosedConnection, "connection lost"),
        ] {
            let mapped = db_error(e);
            assert_eq!(mapped.kind(), ErrorKind::Unavailable, "{mapped}");
            assert!(!mapped.message().contains("readonly") && !mapped.message().contains("server"));
        }
    }

    #[test]
    fn other_failures_stay_internal() {
        let mapped = db_error(database(DatabaseErrorKind::Unknown, "no such table: listings"));
        assert_eq!(mapped.kind(), ErrorKind::Internal);
    }
}
