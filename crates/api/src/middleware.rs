//! Request context: every request gets an id (the caller's `X-Request-Id`
//! when it is sane, a new one otherwise), echoed in the response and carried
//! by every log line of the request; a request whose declared body exceeds
//! the limit is refused with 413 before anything reads it.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue, CONTENT_LENGTH};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, ResponseError};
use maillage_core::{Error, ErrorKind};
use tracing::Instrument;

use crate::error::ApiError;

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the request being served, for handlers that want to show it.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

fn is_sane_request_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

fn new_request_id() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// The limits the middleware enforces, set once at start-up: `upload` for
/// `multipart/form-data` bodies (whose parts are capped again as they are
/// read), `body` for every other.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit {
    pub body: usize,
    pub upload: usize,
}

pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let id = req
        .headers()
        .get(&REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_sane_request_id(v))
        .map(str::to_owned)
        .unwrap_or_else(new_request_id);
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.path());
    let started = Instant::now();
    req.extensions_mut().insert(RequestId(id.clone()));

    let multipart = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let limit = req.app_data::<BodyLimit>().map(|l| if multipart { l.upload } else { l.body });
    let declared =
        req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    let too_large = matches!((limit, declared), (Some(max), Some(len)) if len > max as u64);

    let mut res = if too_large {
        let err = ApiError(Error::new(ErrorKind::PayloadTooLarge, "request body too large"));
        let response = span.in_scope(|| err.error_response());
        req.into_response(response)
    } else {
        next.call(req).instrument(span.clone()).await?.map_into_boxed_body()
    };
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    let status = res.status().as_u16();
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| tracing::info!(status, elapsed_ms, "served"));
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_from_callers_are_checked() {
        assert!(is_sane_request_id("abc-123_x.y"));
        assert!(!is_sane_request_id(""));
        assert!(!is_sane_request_id("has space"));
        assert!(!is_sane_request_id(&"a".repeat(129)));
        assert_eq!(new_request_id().len(), 16);
    }
}
