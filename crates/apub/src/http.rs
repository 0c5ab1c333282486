//! The HTTP client of fetches and deliveries.

use std::sync::Arc;
use std::time::Duration;

use activitypub_federation::resolver::ValidatingDnsResolver;
use maillage_core::policy::FederationPolicy;
use maillage_core::urls::LocalUrls;
use maillage_core::Error;
use maillage_service::policy::PolicyHandle;
use url::{Host, Url};

/// Timeout of one outgoing request (fetch or delivery).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Redirects followed for one request (WebFinger and fetches may be sent
/// from one host to another).
pub const MAX_REDIRECTS: usize = 3;

pub fn user_agent(urls: &LocalUrls) -> String {
    format!("Maillage/{} (+{})", env!("CARGO_PKG_VERSION"), urls.base())
}

/// The HTTP client for fetches and deliveries. In production the resolver
/// refuses hosts that resolve to loopback, private or link-local addresses
/// (SSRF); only federation debug mode lets `localhost:PORT` peers through.
/// A redirect is followed only to a URL the first one could have been
/// ([`redirect_refusal`]): an IP literal never reaches the resolver, so it
/// is refused there.
pub fn http_client(
    urls: &LocalUrls,
    debug: bool,
    policy: Arc<PolicyHandle>,
) -> Result<reqwest::Client, Error> {
    let redirects = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= MAX_REDIRECTS {
            return attempt.error("too many redirects");
        }
        match redirect_refusal(attempt.url(), debug, &policy.current()) {
            None => attempt.follow(),
            Some(reason) => {
                tracing::debug!(to = %attempt.url(), reason, "redirect refused");
                attempt.error(reason)
            }
        }
    });
    reqwest::Client::builder()
        .user_agent(user_agent(urls))
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(REQUEST_TIMEOUT)
        .redirect(redirects)
        .dns_resolver(Arc::new(ValidatingDnsResolver::new(Vec::new(), !debug)))
        .build()
        .map_err(|e| Error::internal(format!("cannot build the HTTP client: {e}")))
}

/// Why a redirect to `url` is not followed, by the rules the federation
/// library applies to a first URL: `https` only (`http` too in debug
/// mode); in production a host name (not an IP literal, which the
/// resolver would never see) and no explicit port; and a domain the
/// federation policy accepts. The resolver then refuses a name that
/// resolves to a private address, as for any request.
pub fn redirect_refusal(url: &Url, debug: bool, policy: &FederationPolicy) -> Option<&'static str> {
    match url.scheme() {
        "https" => {}
        "http" if debug => {}
        _ => return Some("a redirect to a URL that is not https"),
    }
    match url.host() {
        None => return Some("a redirect to a URL without a host"),
        Some(Host::Ipv4(_) | Host::Ipv6(_)) if !debug => return Some("a redirect to an IP address"),
        Some(_) => {}
    }
    if !debug && url.port().is_some() {
        return Some("a redirect to an explicit port");
    }
    if !policy.federates_with_url(url.as_str()) {
        return Some("a redirect to a domain this node does not federate with");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use maillage_core::policy::{DomainBlock, DomainPattern, Severity};

    fn refusal(url: &str, debug: bool) -> Option<&'static str> {
        redirect_refusal(&Url::parse(url).unwrap(), debug, &FederationPolicy::default())
    }

    #[test]
    fn in_production_a_redirect_goes_only_to_an_https_host_name() {
        assert_eq!(refusal("https://social.example/users/a", false), None);
        for url in [
            "http://social.example/users/a",
            "https://127.0.0.1/",
            "https://[::1]/",
            "https://10.0.0.1/latest/meta-data/",
            "https://169.254.169.254/",
            "https://social.example:8443/",
            "ftp://social.example/",
            "file:///etc/passwd",
        ] {
            assert!(refusal(url, false).is_some(), "{url} should be refused");
        }
    }

    #[test]
    fn in_debug_mode_local_peers_are_reachable_as_the_first_url_is() {
        assert_eq!(refusal("http://localhost:8080/users/a", true), None);
        assert_eq!(refusal("http://127.0.0.1:8080/", true), None);
        assert!(refusal("ftp://localhost/", true).is_some());
    }

    #[test]
    fn a_redirect_to_a_refused_domain_is_not_followed() {
        let blocked = DomainBlock {
            pattern: DomainPattern::parse("blocked.example").unwrap(),
            severity: Severity::Suspend,
            reject_media: false,
            reject_reports: false,
            private_comment: String::new(),
            public_comment: String::new(),
            obfuscate: false,
        };
        let policy = FederationPolicy::new(Default::default(), vec![blocked], Vec::new(), Default::default());
        let url = Url::parse("https://blocked.example/users/a").unwrap();
        assert!(redirect_refusal(&url, false, &policy).is_some());
        let url = Url::parse("https://fine.example/users/a").unwrap();
        assert_eq!(redirect_refusal(&url, false, &policy), None);
    }
}
