//! The HTTP client of fetches and deliveries.

use std::sync::Arc;
use std::time::Duration;

use activitypub_federation::resolver::ValidatingDnsResolver;
use maillage_core::urls::LocalUrls;
use maillage_core::Error;

/// Timeout of one outgoing request (fetch or delivery).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

pub fn user_agent(urls: &LocalUrls) -> String {
    format!("Maillage/{} (+{})", env!("CARGO_PKG_VERSION"), urls.base())
}

/// The HTTP client for fetches and deliveries. In production the resolver
/// refuses hosts that resolve to loopback, private or link-local addresses
/// (SSRF); only federation debug mode lets `localhost:PORT` peers through.
pub fn http_client(urls: &LocalUrls, debug: bool) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .user_agent(user_agent(urls))
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::limited(3))
        .dns_resolver(Arc::new(ValidatingDnsResolver::new(Vec::new(), !debug)))
        .build()
        .map_err(|e| Error::internal(format!("cannot build the HTTP client: {e}")))
}
