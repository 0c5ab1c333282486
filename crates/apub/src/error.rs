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
    /// A fixed message per kind of failure: the library's text names URLs
    /// it fetched, addresses it resolved, the errors of the HTTP client and
    /// the variable that turns its address checks off, none of which a peer
    /// or an anonymous caller should read. The text stays as the cause, for
    /// the logs.
    fn from(e: LibError) -> Self {
        let (kind, message) = match &e {
            LibError::NotFound => (ErrorKind::NotFound, "not found"),
            LibError::ObjectDeleted(_) => (ErrorKind::Gone, "the object was deleted"),
            LibError::UrlVerificationError(_)
            | LibError::DomainResolveError(_)
            | LibError::ResolveInternalIpError(..) => (ErrorKind::BadRequest, "this URL may not be fetched"),
            LibError::FetchWrongId(_)
            | LibError::FetchInvalidContentType(_)
            | LibError::ParseFetchedObject(..) => (ErrorKind::BadRequest, "the remote object is not usable"),
            LibError::ParseReceivedActivity { .. } => (ErrorKind::BadRequest, "the activity cannot be read"),
            LibError::WebfingerResolveFailed(_) => (ErrorKind::BadRequest, "the account cannot be found"),
            LibError::ActivityBodyDigestInvalid | LibError::ActivitySignatureInvalid => {
                (ErrorKind::Unauthorized, "the signature does not verify")
            }
            LibError::RequestLimit => (ErrorKind::BadRequest, "too many fetches for one request"),
            LibError::ResponseBodyLimit => (ErrorKind::BadRequest, "the remote answer is too large"),
            _ => (ErrorKind::Unavailable, "the remote server cannot be reached"),
        };
        ApubError(Error::new(kind, message).with_cause(e))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_library_s_text_stays_in_the_cause() {
        let refused = Error::from(ApubError::from(LibError::DomainResolveError("localhost".into())));
        assert_eq!(refused.kind(), ErrorKind::BadRequest);
        assert_eq!(refused.message(), "this URL may not be fetched");
        assert!(
            refused.to_string().contains("DANGER_"),
            "the cause keeps the detail for the logs: {refused}"
        );
        let resolved = LibError::ResolveInternalIpError("internal.example".into(), [10, 0, 0, 1].into());
        let resolved = Error::from(ApubError::from(resolved));
        assert!(!resolved.message().contains("10.0.0.1") && !resolved.message().contains("internal.example"));
        let other =
            Error::from(ApubError::from(LibError::Other("connect to http://10.1.2.3:5432 failed".into())));
        assert_eq!(other.kind(), ErrorKind::Unavailable);
        assert!(!other.message().contains("10.1.2.3"));
    }
}
