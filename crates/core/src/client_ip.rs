//! Which address a request comes from, for the rate limits: the peer of
//! the connection, unless that peer is a proxy the admin trusts
//! (`rate_limits.trusted_proxies`); then the last hop of
//! `X-Forwarded-For` that is not one of them. A header from anyone else is
//! ignored, so that a client cannot pick the address it is counted under.

use std::fmt;
use std::net::IpAddr;

/// An address or a network (`10.0.0.0/8`, `::1`, `fd00::/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    pub fn parse(text: &str) -> Result<IpRange, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network: IpAddr = addr
            .parse()
            .map_err(|_| format!("expected an IP address or network such as 10.0.0.0/8, found \"{text}\""))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("expected a prefix length from 0 to {max}, found \"{text}\""))?,
        };
        Ok(IpRange { network, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                same_prefix(u128::from(u32::from(net)) << 96, u128::from(u32::from(ip)) << 96, self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => same_prefix(u128::from(net), u128::from(ip), self.prefix),
            _ => false,
        }
    }
}

impl fmt::Display for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

fn same_prefix(a: u128, b: u128, prefix: u8) -> bool {
    let mask = if prefix == 0 { 0 } else { u128::MAX << (128 - u32::from(prefix)) };
    a & mask == b & mask
}

/// An IPv4 address written as IPv6 (`::ffff:1.2.3.4`) is the IPv4 one.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// The client's address: `peer` itself unless it is a trusted proxy; then,
/// walking `X-Forwarded-For` from its end, the first hop that is not a
/// trusted proxy (the nearest trusted one when all are, or when a hop is
/// not an address).
pub fn client_ip(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpRange]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|r| r.contains(ip));
    let mut client = canonical(peer);
    if !is_trusted(client) {
        return client;
    }
    let Some(header) = forwarded_for else { return client };
    for hop in header.rsplit(',') {
        let Ok(ip) = hop.trim().parse::<IpAddr>() else { return client };
        client = canonical(ip);
        if !is_trusted(client) {
            return client;
        }
    }
    client
}

/// What the limits count an address under: an IPv4 address itself, an
/// IPv6 address by its /64 (one machine usually holds a whole /64, as
/// Mastodon counts them).
pub fn limit_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let net = u128::from(v6) & (u128::MAX << 64);
            format!("{}/64", std::net::Ipv6Addr::from(net))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    fn ranges(list: &[&str]) -> Vec<IpRange> {
        list.iter().filter_map(|r| IpRange::parse(r).ok()).collect()
    }

    #[test]
    fn ranges_hold_their_addresses() {
        let r = IpRange::parse("10.0.0.0/8");
        assert!(r.as_ref().is_ok_and(|r| r.contains(ip("10.1.2.3"))));
        assert!(r.as_ref().is_ok_and(|r| !r.contains(ip("11.0.0.1"))));
        assert!(r.as_ref().is_ok_and(|r| r.contains(ip("::ffff:10.9.9.9"))));
        assert!(IpRange::parse("::1").is_ok_and(|r| r.contains(ip("::1")) && !r.contains(ip("::2"))));
        assert!(IpRange::parse("fd00::/8").is_ok_and(|r| r.contains(ip("fd12::1"))));
        assert!(IpRange::parse("0.0.0.0/0").is_ok_and(|r| r.contains(ip("8.8.8.8"))));
        for bad in ["", "10.0.0.0/33", "::/129", "example.org", "10.0.0.0/x", "10.0.0/8"] {
            assert!(IpRange::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_peer_counts_unless_it_is_a_trusted_proxy() {
        let none: Vec<IpRange> = Vec::new();
        assert_eq!(client_ip(ip("203.0.113.5"), Some("1.2.3.4"), &none), ip("203.0.113.5"));
        let proxies = ranges(&["127.0.0.1", "10.0.0.0/8"]);
        // A client behind no proxy cannot choose its address.
        assert_eq!(client_ip(ip("203.0.113.5"), Some("1.2.3.4"), &proxies), ip("203.0.113.5"));
        // Behind the proxy: the last hop it did not add itself.
        assert_eq!(client_ip(ip("127.0.0.1"), Some("6.6.6.6, 203.0.113.5"), &proxies), ip("203.0.113.5"));
        assert_eq!(
            client_ip(ip("127.0.0.1"), Some("6.6.6.6, 203.0.113.5, 10.0.0.2"), &proxies),
            ip("203.0.113.5")
        );
        assert_eq!(client_ip(ip("127.0.0.1"), None, &proxies), ip("127.0.0.1"));
        assert_eq!(client_ip(ip("127.0.0.1"), Some("garbage, 10.0.0.3"), &proxies), ip("10.0.0.3"));
        assert_eq!(client_ip(ip("::ffff:127.0.0.1"), Some("2001:db8::1"), &proxies), ip("2001:db8::1"));
    }

    #[test]
    fn ipv6_counts_by_its_64() {
        assert_eq!(limit_key(ip("2001:db8:1:2:3:4:5:6")), limit_key(ip("2001:db8:1:2::9")));
        assert_ne!(limit_key(ip("2001:db8:1:2::1")), limit_key(ip("2001:db8:1:3::1")));
        assert_eq!(limit_key(ip("::ffff:192.0.2.1")), "192.0.2.1");
    }
}
