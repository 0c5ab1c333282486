//! The error type of the federation library's traits: our error, with the
//! library's errors mapped onto our kinds.

use activitypub_federation::error::Error as LibError;
use maillage_core::{Error, ErrorKind};

#[derive(Debug)]
pub struct ApubError(pub Error);

impl From<Error> for ApubError {
    fn from(e: Error) -> Self {
        ApubError(e)
    }
}

impl From<ApubError> for Error {
    fn from(e: ApubError) -> Self {
        e.0
    }
}

impl From<LibError> for ApubError {
    fn from(e: LibError) -> Self {
        let kind = match &e {
            LibError::NotFound => ErrorKind::NotFound,
            LibError::ObjectDeleted(_) => ErrorKind::Gone,
            LibError::UrlVerificationError(_)
            | LibError::DomainResolveError(_)
            | LibError::ResolveInternalIpError(..)
            | LibError::FetchWrongId(_)
            | LibError::FetchInvalidContentType(_)
            | LibError::ParseFetchedObject(..)
            | LibError::ParseReceivedActivity { .. }
            | LibError::WebfingerResolveFailed(_) => ErrorKind::BadRequest,
            LibError::ActivityBodyDigestInvalid | LibError::ActivitySignatureInvalid => {
                ErrorKind::Unauthorized
            }
            LibError::RequestLimit | LibError::ResponseBodyLimit => ErrorKind::BadRequest,
            _ => ErrorKind::Unavailable,
        };
        ApubError(Error::new(kind, format!("federation: {e}")).with_cause(e))
    }
}

impl From<serde_json::Error> for ApubError {
    fn from(e: serde_json::Error) -> Self {
        ApubError(Error::bad_request(format!("invalid JSON: {e}")))
    }
}

impl std::fmt::Display for ApubError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}
