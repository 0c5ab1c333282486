//! From diesel's errors to ours: constraint violations are the client's
//! problem (409), lost connections are unavailability (503), the rest is a
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
        DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => {
            Error::unavailable("the database is unavailable").with_cause(e)
        }
        DieselError::DatabaseError(_, info) if is_busy(info.message()) => {
            Error::unavailable("the database is busy, try again").with_cause(e)
        }
        _ => Error::internal(e),
    }
}

fn is_busy(message: &str) -> bool {
    message.contains("database is locked") || message.contains("database is busy")
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
