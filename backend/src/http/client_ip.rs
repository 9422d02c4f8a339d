//! Who is on the other end, for rate limits: the TCP peer, or, when the peer
//! is one of our own proxies, the address that proxy saw.
//!
//! `X-Forwarded-For` is a list anyone can start: a client sends
//! `X-Forwarded-For: 1.2.3.4` and every proxy appends the address it received
//! the request from. Only the part our proxies wrote is true, so the list is
//! read from the right, skipping our proxies, and the first address that is
//! not one of them is the client. Without trusted proxies the header is
//! ignored. Limits count IPv6 clients per /64: one subscriber gets a whole
//! /64 (or more) and could otherwise walk through its addresses.

use std::{
    fmt,
    net::{IpAddr, Ipv6Addr},
};

use actix_web::HttpRequest;
use ipnet::IpNet;

/// The address a request comes from, as far as we can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    /// The rate-limit bucket: the address itself for IPv4, its /64 for IPv6.
    pub fn bucket(&self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let s = v6.segments();
                let prefix = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{prefix}/64")
            }
        }
    }
}

impl fmt::Display for ClientIp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The client of `req`, reading `X-Forwarded-For` only from `trusted` peers.
pub fn client_ip(req: &HttpRequest, trusted: &[IpNet]) -> ClientIp {
    let peer = req.peer_addr().map(|a| a.ip()).unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    let forwarded =
        req.headers().get_all("x-forwarded-for").filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
    if trusted.is_empty() && !forwarded.is_empty() {
        warn_once_ignored(peer);
    }
    ClientIp(resolve(peer, &forwarded, trusted))
}

/// Behind a proxy nobody declared, every client looks like the proxy and
/// shares its limits: say so once, for the operator.
fn warn_once_ignored(peer: IpAddr) {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        tracing::warn!(
            %peer,
            "X-Forwarded-For ignored: no POS_TRUSTED_PROXIES are set. Behind a reverse proxy, set it to the \
             proxy's address, or every client counts as the proxy for rate limits"
        );
    }
}

/// The rightmost hop of `peer` and the `X-Forwarded-For` chain before it
/// that is not a trusted proxy. If every hop is trusted, the leftmost one;
/// an unreadable hop ends the walk at the last address we could believe.
pub fn resolve(peer: IpAddr, forwarded_for: &str, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let mut client = canonical(peer);
    if !is_trusted(&client) {
        return client;
    }
    for hop in forwarded_for.rsplit(',').map(str::trim).filter(|h| !h.is_empty()) {
        let Some(ip) = parse_hop(hop) else {
            return client;
        };
        client = canonical(ip);
        if !is_trusted(&client) {
            return client;
        }
    }
    client
}

/// IPv4 clients of a dual-stack socket arrive as `::ffff:a.b.c.d`.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or `[2001:db8::1]:443`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Ok(addr) = hop.parse::<std::net::SocketAddr>() {
        return Some(addr.ip());
    }
    hop.strip_prefix('[').and_then(|h| h.strip_suffix(']')).and_then(|h| h.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(spec: &[&str]) -> Vec<IpNet> {
        spec.iter().map(|s| s.parse().unwrap()).collect()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        assert_eq!(resolve(ip("203.0.113.9"), "1.1.1.1", &[]), ip("203.0.113.9"));
        assert_eq!(resolve(ip("203.0.113.9"), "1.1.1.1", &nets(&["10.0.0.0/8"])), ip("203.0.113.9"));
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let trusted = nets(&["10.0.0.0/8", "192.168.0.0/16"]);
        // The client forged the first entry; our two proxies appended the rest.
        assert_eq!(resolve(ip("10.0.0.2"), "6.6.6.6, 198.51.100.7, 192.168.1.1", &trusted), ip("198.51.100.7"));
        // Several headers read as one list, in order.
        assert_eq!(resolve(ip("10.0.0.2"), "6.6.6.6,198.51.100.8", &trusted), ip("198.51.100.8"));
        // Every hop trusted: the leftmost.
        assert_eq!(resolve(ip("10.0.0.2"), "10.9.9.9, 192.168.3.3", &trusted), ip("10.9.9.9"));
        // No header from a trusted peer: the peer.
        assert_eq!(resolve(ip("10.0.0.2"), "", &trusted), ip("10.0.0.2"));
        // Garbage stops the walk at the last believable address.
        assert_eq!(resolve(ip("10.0.0.2"), "198.51.100.7, not-an-ip, 10.1.1.1", &trusted), ip("10.1.1.1"));
    }

    #[test]
    fn ports_brackets_and_mapped_addresses() {
        let trusted = nets(&["127.0.0.1/32", "::1/128"]);
        assert_eq!(resolve(ip("::1"), "198.51.100.7:5555", &trusted), ip("198.51.100.7"));
        assert_eq!(resolve(ip("::1"), "[2001:db8::5]:443", &trusted), ip("2001:db8::5"));
        assert_eq!(resolve(ip("::ffff:127.0.0.1"), "2001:db8::6", &trusted), ip("2001:db8::6"));
        assert_eq!(resolve(ip("::ffff:203.0.113.1"), "", &[]), ip("203.0.113.1"));
    }

    #[test]
    fn ipv6_clients_share_a_bucket_per_64() {
        let a = ClientIp(ip("2001:db8:1:2:aaaa::1"));
        let b = ClientIp(ip("2001:db8:1:2:ffff:1:2:3"));
        let c = ClientIp(ip("2001:db8:1:3::1"));
        assert_eq!(a.bucket(), "2001:db8:1:2::/64");
        assert_eq!(a.bucket(), b.bucket());
        assert_ne!(a.bucket(), c.bucket());
        assert_eq!(ClientIp(ip("198.51.100.7")).bucket(), "198.51.100.7");
    }
}
