//! One error type for every layer. The `message` is written for the client
//! and must never leak internals; the `cause` is for the logs only.

use std::fmt;

/// What went wrong, coarse enough to pick an HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Malformed input (400).
    BadRequest,
    /// No or invalid credentials (401).
    Unauthorized,
    /// Authenticated but not allowed (403).
    Forbidden,
    /// No such thing (404).
    NotFound,
    /// Conflicts with what is stored, e.g. a taken username (409).
    Conflict,
    /// Existed once, deleted since (410).
    Gone,
    /// Request body too large (413).
    PayloadTooLarge,
    /// Well-formed but invalid values (422).
    Unprocessable,
    /// Too many requests (429).
    TooManyRequests,
    /// A dependency (database, peer) is unavailable (503).
    Unavailable,
    /// A bug or an unexpected failure (500).
    Internal,
}

impl ErrorKind {
    pub fn http_status(self) -> u16 {
        match self {
            ErrorKind::BadRequest => 400,
            ErrorKind::Unauthorized => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::Conflict => 409,
            ErrorKind::Gone => 410,
            ErrorKind::PayloadTooLarge => 413,
            ErrorKind::Unprocessable => 422,
            ErrorKind::TooManyRequests => 429,
            ErrorKind::Unavailable => 503,
            ErrorKind::Internal => 500,
        }
    }

    /// Whether this kind describes something wrong with the caller's input,
    /// as opposed to a failure on our side.
    pub fn is_client_error(self) -> bool {
        self.http_status() < 500
    }
}

type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An error with a client-safe message and an optional internal cause.
pub struct Error {
    kind: ErrorKind,
    message: String,
    cause: Option<Cause>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into(), cause: None }
    }

    /// Attach the internal cause (logged, never shown to clients).
    pub fn with_cause(mut self, cause: impl Into<Cause>) -> Self {
        self.cause = Some(cause.into());
        self
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadRequest, message)
    }
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unauthorized, message)
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, message)
    }
    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unprocessable, message)
    }
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unavailable, message)
    }

    /// An unexpected failure: the client sees a generic message, the cause
    /// goes to the logs.
    pub fn internal(cause: impl Into<Cause>) -> Self {
        Self::new(ErrorKind::Internal, "internal server error").with_cause(cause)
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message that may be shown to clients.
    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn cause(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.cause.as_deref()
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("cause", &self.cause.as_ref().map(|c| c.to_string()))
            .finish()
    }
}

/// Displays the message and, when present, the cause: this is the form for
/// logs and the command line, not for HTTP clients.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(cause) = &self.cause {
            write!(f, ": {cause}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause.as_deref().map(|c| c as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_hide_their_cause_from_the_message() {
        let err = Error::internal("disk on fire");
        assert_eq!(err.message(), "internal server error");
        assert_eq!(err.kind().http_status(), 500);
        assert!(err.to_string().contains("disk on fire"));
    }

    #[test]
    fn kinds_map_to_statuses() {
        assert_eq!(ErrorKind::Unprocessable.http_status(), 422);
        assert!(ErrorKind::Conflict.is_client_error());
        assert!(!ErrorKind::Unavailable.is_client_error());
    }
}
