//! Errors as HTTP responses. Clients get the status and the safe message;
//! the cause is logged, at `error` for our failures and `debug` for theirs.

use std::fmt;

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError, UrlencodedError};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use maillage_core::{Error, ErrorKind};

/// The body of every error answer (`Error` in the OpenAPI document).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorJson {
    /// What is wrong, safe to show; a 422 names each field with its rule.
    pub error: String,
}

/// The error answers of the native API's handlers, one type per status, so
/// that each `#[utoipa::path]` names them in a word and their wording lives
/// here once.
#[derive(utoipa::IntoResponses)]
#[response(status = 401, description = "No valid token")]
pub struct Unauthorized(pub ErrorJson);

#[derive(utoipa::IntoResponses)]
#[response(status = 403, description = "Not allowed, or a missing scope")]
pub struct Forbidden(pub ErrorJson);

#[derive(utoipa::IntoResponses)]
#[response(status = 404, description = "No such thing")]
pub struct NotFound(pub ErrorJson);

#[derive(utoipa::IntoResponses)]
#[response(status = 422, description = "Invalid fields, each named with its rule")]
pub struct Invalid(pub ErrorJson);

/// Our [`Error`], answerable by actix-web.
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.0.kind().http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        if self.0.kind().is_client_error() {
            tracing::debug!(error = %self.0, "request refused");
        } else {
            tracing::error!(error = %self.0, "request failed");
        }
        HttpResponse::build(self.status_code()).json(ErrorJson { error: self.0.message().to_string() })
    }
}

pub(crate) fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let e = match &err {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            Error::new(ErrorKind::PayloadTooLarge, "request body too large")
        }
        JsonPayloadError::ContentType => Error::new(ErrorKind::BadRequest, "expected a JSON body"),
        JsonPayloadError::Deserialize(de) if de.is_data() => {
            Error::unprocessable(format!("invalid JSON body: {de}"))
        }
        _ => Error::bad_request(format!("invalid JSON body: {err}")),
    };
    ApiError(e).into()
}

pub(crate) fn form_error(err: UrlencodedError, _req: &HttpRequest) -> actix_web::Error {
    let e = match &err {
        UrlencodedError::Overflow { .. } => Error::new(ErrorKind::PayloadTooLarge, "request body too large"),
        _ => Error::unprocessable(format!("invalid form body: {err}")),
    };
    ApiError(e).into()
}

pub(crate) fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    ApiError(Error::bad_request(format!("invalid query string: {err}"))).into()
}

pub(crate) fn path_error(err: PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError(Error::not_found(format!("Record not found ({err})"))).into()
}
