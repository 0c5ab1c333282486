//! Domain patterns: `example.org` covers the domain and all its subdomains
//! (as on Mastodon and GoToSocial), `*.example.org` only the subdomains, and
//! `example.org:8443` one port of one host.

use std::fmt;

use crate::error::Error;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DomainPattern(String);

impl DomainPattern {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Parses what an admin typed (or a CSV held): case, a trailing dot, a
    /// scheme or path pasted along, and internationalised names are
    /// normalised; anything else that is not a domain is refused.
    pub fn parse(input: &str) -> Result<DomainPattern, Error> {
        normalize_domain(input).map(DomainPattern)
    }

    pub fn is_wildcard(&self) -> bool {
        self.0.starts_with("*.")
    }

    /// Whether `host` (a stored actor domain, maybe with a port) falls under
    /// this pattern.
    pub fn covers(&self, host: &str) -> bool {
        candidates(host).any(|c| &c == self)
    }
}

impl fmt::Display for DomainPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn normalize_domain(input: &str) -> Result<String, Error> {
    let bad = |why: &str| Error::unprocessable(format!("\"{}\" is not a domain: {why}", input.trim()));
    let mut s = input.trim().to_lowercase();
    if let Some((_, rest)) = s.split_once("://") {
        s = rest.to_owned();
    }
    if let Some((host, _)) = s.split_once('/') {
        s = host.to_owned();
    }
    let (wildcard, rest) = match s.strip_prefix("*.") {
        Some(rest) => (true, rest.to_owned()),
        None => (false, s.clone()),
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) => {
            let port: u16 = p.parse().map_err(|_| bad("the port is not a number"))?;
            (h.trim_end_matches('.').to_owned(), Some(port))
        }
        None => (rest.trim_end_matches('.').to_owned(), None),
    };
    if host.is_empty() {
        return Err(bad("it is empty"));
    }
    if wildcard && port.is_some() {
        return Err(bad("a wildcard pattern cannot name a port"));
    }
    let ascii = match url::Host::parse(&host) {
        Ok(url::Host::Domain(d)) => d,
        Ok(_) => return Err(bad("IP addresses are not domains")),
        Err(_) => return Err(bad("it holds characters a domain cannot have")),
    };
    let labels_ok = ascii.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    if !labels_ok || ascii.len() > 253 {
        return Err(bad("it holds characters a domain cannot have"));
    }
    Ok(match (wildcard, port) {
        (true, _) => format!("*.{ascii}"),
        (false, Some(p)) => format!("{ascii}:{p}"),
        (false, None) => ascii,
    })
}

/// The patterns that could cover `host`, most specific first: the host
/// with its port, the host, then for each parent domain `*.parent` and
/// `parent`.
pub fn candidates(host: &str) -> impl Iterator<Item = DomainPattern> + '_ {
    let host = host.trim_end_matches('.');
    let (bare, has_port) = match host.rsplit_once(':') {
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) => (h, true),
        _ => (host, false),
    };
    let with_port = has_port.then(|| DomainPattern(host.to_ascii_lowercase()));
    let exact = std::iter::once(DomainPattern(bare.to_ascii_lowercase()));
    let parents = bare.match_indices('.').flat_map(move |(i, _)| {
        let parent = bare[i + 1..].to_ascii_lowercase();
        [DomainPattern(format!("*.{parent}")), DomainPattern(parent)]
    });
    with_port.into_iter().chain(exact).chain(parents)
}

/// The host (with a non-default port) of a URL, as actor domains are stored.
pub fn host_of_url(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    let host = u.host_str()?.to_ascii_lowercase();
    Some(match u.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    })
}
