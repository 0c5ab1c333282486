//! The rate limits at the API's doors (the counting is
//! `maillage_service::limits`): every write under `/api/` per address,
//! sign-ups per address on top, the inboxes per server. Limited answers
//! carry `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
//! `X-RateLimit-Reset` (an ISO 8601 time), as Mastodon sends them; a
//! refusal is 429 with `Retry-After` and `{"error": "Too many requests"}`.

use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::time::Timestamp;
use maillage_service::limits::{Limiters, Verdict};

use crate::state::AppState;

const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

/// What the limits count `req` under: its peer, or the client a trusted
/// proxy names.
pub fn client_key(req: &HttpRequest, limiters: &Limiters) -> String {
    let forwarded = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
    limiters.client_key(req.peer_addr().map(|a| a.ip()), forwarded)
}

fn set(headers: &mut HeaderMap, name: HeaderName, value: String) {
    if let Ok(v) = HeaderValue::from_str(&value) {
        headers.insert(name, v);
    }
}

/// Whole seconds, rounded up, at least one.
fn seconds(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// The `X-RateLimit-*` headers of a verdict.
pub fn add_headers(headers: &mut HeaderMap, v: &Verdict) {
    set(headers, LIMIT, v.limit.to_string());
    set(headers, REMAINING, v.remaining.to_string());
    set(headers, RESET, Timestamp::now().saturating_add(v.reset_after).to_rfc3339());
}

/// 429 with `Retry-After` and the `X-RateLimit-*` headers.
pub fn too_many(v: &Verdict) -> HttpResponse {
    tracing::debug!(limit = v.limit, "rate limited");
    let mut response = HttpResponse::TooManyRequests()
        .insert_header((RETRY_AFTER, seconds(v.retry_after).max(1).to_string()))
        .json(serde_json::json!({ "error": "Too many requests" }));
    add_headers(response.headers_mut(), v);
    response
}

/// The verdict that binds: a refusal first, then the one with less room.
fn tighter(a: Verdict, b: Verdict) -> Verdict {
    match (a.allowed, b.allowed) {
        (false, true) => a,
        (true, false) => b,
        (false, false) if a.retry_after >= b.retry_after => a,
        (false, false) => b,
        _ if a.remaining <= b.remaining => a,
        _ => b,
    }
}

fn is_write(method: &Method) -> bool {
    [Method::POST, Method::PUT, Method::PATCH, Method::DELETE].contains(method)
}

/// Counts every write under `/api/` (and sign-ups once more) by address.
pub async fn api_writes(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let limited = req.path().starts_with("/api/") && is_write(req.method());
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let verdict = match (limited, state) {
        (true, Some(state)) => {
            let limiters = &state.limits;
            let key = client_key(req.request(), limiters);
            let write = limiters.api_writes.check(&key);
            if req.method() == Method::POST && req.path() == "/api/v1/accounts" {
                Some(tighter(write, limiters.sign_up.check(&key)))
            } else {
                Some(write)
            }
        }
        _ => None,
    };
    match verdict {
        Some(v) if !v.allowed => Ok(req.into_response(too_many(&v))),
        Some(v) => {
            let mut res = next.call(req).await?.map_into_boxed_body();
            add_headers(res.headers_mut(), &v);
            Ok(res)
        }
        None => Ok(next.call(req).await?.map_into_boxed_body()),
    }
}

/// The server an inbox delivery counts under: the host of the key that
/// signs it, from the address it comes from (the signature is checked
/// later, so a forger elsewhere spends only its own allowance, never the
/// real server's), or the address alone when unsigned.
pub fn inbox_key(req: &HttpRequest, limiters: &Limiters) -> String {
    let key_host = req
        .headers()
        .get("signature")
        .and_then(|v| v.to_str().ok())
        .and_then(|sig| sig.split("keyId=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .and_then(|key_id| url::Url::parse(key_id).ok())
        .and_then(|u| u.host_str().map(|h| h.to_ascii_lowercase()));
    match key_host {
        Some(host) => format!("host:{host} ip:{}", client_key(req, limiters)),
        None => format!("ip:{}", client_key(req, limiters)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(allowed: bool, remaining: u32, retry: u64) -> Verdict {
        Verdict {
            allowed,
            limit: 10,
            remaining,
            reset_after: Duration::from_secs(5),
            retry_after: Duration::from_secs(retry),
        }
    }

    #[test]
    fn the_tighter_verdict_binds() {
        assert!(!tighter(verdict(true, 5, 0), verdict(false, 0, 3)).allowed);
        assert_eq!(tighter(verdict(true, 5, 0), verdict(true, 2, 0)).remaining, 2);
        assert_eq!(tighter(verdict(false, 0, 9), verdict(false, 0, 3)).retry_after, Duration::from_secs(9));
        assert_eq!(seconds(Duration::from_millis(1500)), 2);
        assert_eq!(seconds(Duration::from_secs(2)), 2);
    }
}
