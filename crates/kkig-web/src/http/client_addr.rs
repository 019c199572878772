//! The client's address, for sign-in throttling: the connection's peer, or — only when the
//! peer is a trusted reverse proxy — the address the proxies forwarded (`Forwarded: for=`,
//! RFC 7239, else `X-Forwarded-For`). Forwarded headers from any other peer are ignored: a
//! client could write anything there.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use axum::http::{header, HeaderMap};

/// A network in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`), or one address (`192.0.2.7`,
/// the same as `/32`; `::1`, the same as `/128`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Whether `ip` lies in this network (IPv4-mapped IPv6 addresses count as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let text = s.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network: IpAddr = addr.parse().map_err(|_| {
            format!("{text:?} is not an IP address or network (expected e.g. 10.0.0.0/8, 192.0.2.7 or 2001:db8::/32)")
        })?;
        let max: u8 = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{text:?}: the prefix length must be a number from 0 to {max}"))?,
        };
        // ::ffff:10.0.0.0/104 is the IPv4 network 10.0.0.0/8.
        if let IpAddr::V6(v6) = network {
            if let (Some(v4), true) = (v6.to_ipv4_mapped(), prefix >= 96) {
                return Ok(Cidr {
                    network: IpAddr::V4(v4),
                    prefix: prefix - 96,
                });
            }
        }
        Ok(Cidr { network, prefix })
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// Split `s` at `sep` where it is not inside a quoted string.
fn split_unquoted(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c == sep && !quoted => {
                parts.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

/// A node as proxies write it: `192.0.2.43`, `192.0.2.43:47011`, `[2001:db8::17]`,
/// `[2001:db8::17]:4711`, or a bare `2001:db8::17`. None for anything else (`unknown`,
/// obfuscated identifiers such as `_hidden`).
pub fn parse_node(node: &str) -> Option<IpAddr> {
    let node = node.trim();
    if let Some(rest) = node.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        let port_ok = after.is_empty() || after.strip_prefix(':').is_some_and(|p| p.parse::<u16>().is_ok());
        return port_ok
            .then(|| inside.parse::<Ipv6Addr>().ok().map(IpAddr::V6))
            .flatten();
    }
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(ip);
    }
    let (host, port) = node.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
}

/// The `for=` nodes of `Forwarded` header values, left to right (RFC 7239: elements separated
/// by commas, pairs by semicolons, names in any case, values as tokens or quoted strings).
pub fn forwarded_for<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<Option<IpAddr>> {
    let mut out = Vec::new();
    for value in values {
        for element in split_unquoted(value, ',') {
            for pair in split_unquoted(element, ';') {
                let Some((name, v)) = pair.split_once('=') else {
                    continue;
                };
                if !name.trim().eq_ignore_ascii_case("for") {
                    continue;
                }
                let v = v.trim();
                let v = match v.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
                    Some(q) => q.replace('\\', ""),
                    None => v.to_string(),
                };
                out.push(parse_node(&v));
            }
        }
    }
    out
}

/// The nodes of `X-Forwarded-For` header values, left to right.
pub fn x_forwarded_for<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<Option<IpAddr>> {
    values
        .into_iter()
        .flat_map(|v| v.split(','))
        .filter(|n| !n.trim().is_empty())
        .map(parse_node)
        .collect()
}

/// The client's address. The connection's `peer` unless it is a trusted proxy; then the
/// rightmost forwarded address that is not itself a trusted proxy, from `Forwarded: for=`
/// if the request has any, else from `X-Forwarded-For`. When that entry is no address
/// (`unknown`, an obfuscated name) the client cannot be told apart and the peer is used; when
/// every entry is a trusted proxy, the leftmost (the first hop). None without a peer.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[Cidr]) -> Option<IpAddr> {
    let peer = peer?.to_canonical();
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(peer) {
        return Some(peer);
    }
    let values = |name| headers.get_all(name).iter().filter_map(|v| v.to_str().ok());
    let mut chain = forwarded_for(values(header::FORWARDED));
    if chain.is_empty() {
        chain = x_forwarded_for(values(header::HeaderName::from_static("x-forwarded-for")));
    }
    for node in chain.iter().rev() {
        match node {
            Some(ip) if is_trusted(*ip) => continue,
            Some(ip) => return Some(ip.to_canonical()),
            None => return Some(peer),
        }
    }
    Some(chain.first().copied().flatten().map_or(peer, |ip| ip.to_canonical()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn cidrs_parse_and_contain() {
        // (text, shown as, inside, outside)
        let cases: [(&str, &str, &[&str], &[&str]); 7] = [
            (
                "10.0.0.0/8",
                "10.0.0.0/8",
                &["10.0.0.1", "10.255.255.255", "::ffff:10.1.2.3"],
                &["11.0.0.1", "::1"],
            ),
            ("192.0.2.7", "192.0.2.7/32", &["192.0.2.7"], &["192.0.2.8"]),
            (" 172.16.0.0/12 ", "172.16.0.0/12", &["172.31.255.1"], &["172.32.0.1"]),
            ("0.0.0.0/0", "0.0.0.0/0", &["1.2.3.4", "255.255.255.255"], &["::1"]),
            (
                "2001:db8::/32",
                "2001:db8::/32",
                &["2001:db8:cafe::17"],
                &["2001:db9::1", "10.0.0.1"],
            ),
            ("::1", "::1/128", &["::1"], &["::2", "127.0.0.1"]),
            (
                "::ffff:10.0.0.0/104",
                "10.0.0.0/8",
                &["10.9.9.9", "::ffff:10.9.9.9"],
                &["11.0.0.0"],
            ),
        ];
        for (text, shown, inside, outside) in cases {
            let c: Cidr = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(c.to_string(), shown, "{text}");
            for a in inside {
                assert!(c.contains(ip(a)), "{text} contains {a}");
            }
            for a in outside {
                assert!(!c.contains(ip(a)), "{text} does not contain {a}");
            }
        }
        for bad in [
            "",
            "10.0.0.0/33",
            "2001:db8::/129",
            "10.0.0/8",
            "10.0.0.0/x",
            "proxy.example",
            "10.0.0.0/-1",
        ] {
            let e = bad.parse::<Cidr>().unwrap_err();
            assert!(e.contains(&format!("{:?}", bad.trim())), "{bad}: {e}");
        }
    }

    #[test]
    fn nodes_as_proxies_write_them() {
        let cases = [
            ("192.0.2.43", Some("192.0.2.43")),
            ("192.0.2.43:47011", Some("192.0.2.43")),
            (" 192.0.2.43 ", Some("192.0.2.43")),
            ("[2001:db8:cafe::17]", Some("2001:db8:cafe::17")),
            ("[2001:db8:cafe::17]:4711", Some("2001:db8:cafe::17")),
            ("2001:db8:cafe::17", Some("2001:db8:cafe::17")),
            ("unknown", None),
            ("_hidden", None),
            ("[2001:db8::1", None),
            ("[2001:db8::1]:port", None),
            ("192.0.2.43:99999", None),
            ("[192.0.2.43]", None),
            ("", None),
        ];
        for (node, want) in cases {
            assert_eq!(parse_node(node), want.map(ip), "{node:?}");
        }
    }

    #[test]
    fn forwarded_headers_are_parsed() {
        let cases: [(&[&str], &[Option<&str>]); 7] = [
            (&["for=192.0.2.60;proto=http;by=203.0.113.43"], &[Some("192.0.2.60")]),
            (
                &["for=192.0.2.43, for=198.51.100.17"],
                &[Some("192.0.2.43"), Some("198.51.100.17")],
            ),
            (&["For=\"[2001:db8:cafe::17]:4711\""], &[Some("2001:db8:cafe::17")]),
            (
                &["for=\"192.0.2.43:47011\";proto=https", "FOR=10.0.0.1"],
                &[Some("192.0.2.43"), Some("10.0.0.1")],
            ),
            (
                &["for=unknown, for=\"_gazonk\", for=192.0.2.1"],
                &[None, None, Some("192.0.2.1")],
            ),
            // A quoted value may hold a comma or semicolon without splitting the header.
            (&["by=\"a,b;c\";for=192.0.2.9"], &[Some("192.0.2.9")]),
            (&["proto=https;host=kkig.example"], &[]),
        ];
        for (values, want) in cases {
            let want: Vec<Option<IpAddr>> = want.iter().map(|w| w.map(ip)).collect();
            assert_eq!(forwarded_for(values.iter().copied()), want, "{values:?}");
        }
        let xff = x_forwarded_for(["203.0.113.1, 198.51.100.2", "2001:db8::5,unknown", " "]);
        assert_eq!(
            xff,
            vec![
                Some(ip("203.0.113.1")),
                Some(ip("198.51.100.2")),
                Some(ip("2001:db8::5")),
                None
            ]
        );
    }

    #[test]
    fn the_client_is_taken_from_forwarded_headers_only_behind_a_trusted_proxy() {
        let trusted: Vec<Cidr> = vec!["10.0.0.0/8".parse().unwrap(), "2001:db8:ffff::/48".parse().unwrap()];
        // (peer, Forwarded, X-Forwarded-For, client)
        type Case<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>, Option<&'a str>);
        let cases: [Case; 14] = [
            (None, None, Some("198.51.100.1"), None),
            // Untrusted peers: their headers are ignored.
            (Some("192.0.2.50"), None, Some("198.51.100.1"), Some("192.0.2.50")),
            (Some("192.0.2.50"), Some("for=198.51.100.1"), None, Some("192.0.2.50")),
            (Some("::ffff:192.0.2.50"), None, None, Some("192.0.2.50")),
            // A trusted proxy: the rightmost forwarded address that is no proxy.
            (Some("10.0.0.2"), None, Some("198.51.100.1"), Some("198.51.100.1")),
            (
                Some("10.0.0.2"),
                None,
                Some("6.6.6.6, 198.51.100.1"),
                Some("198.51.100.1"),
            ),
            (
                Some("10.0.0.2"),
                None,
                Some("198.51.100.1, 10.0.0.3, 10.0.0.4"),
                Some("198.51.100.1"),
            ),
            (
                Some("::ffff:10.0.0.2"),
                None,
                Some("198.51.100.1:5555"),
                Some("198.51.100.1"),
            ),
            (
                Some("2001:db8:ffff::9"),
                None,
                Some("[2001:db8::1]:443"),
                Some("2001:db8::1"),
            ),
            // Forwarded wins over X-Forwarded-For.
            (
                Some("10.0.0.2"),
                Some("for=\"[2001:db8::7]:80\", for=10.0.0.3"),
                Some("198.51.100.1"),
                Some("2001:db8::7"),
            ),
            // No forwarded address: the proxy itself.
            (Some("10.0.0.2"), None, None, Some("10.0.0.2")),
            (Some("10.0.0.2"), Some("proto=https"), None, Some("10.0.0.2")),
            // The proxy forwarded no address it knew: the client cannot be told apart.
            (Some("10.0.0.2"), Some("for=unknown"), None, Some("10.0.0.2")),
            // Only proxies in the chain: the first hop.
            (Some("10.0.0.2"), None, Some("10.0.0.7, 10.0.0.8"), Some("10.0.0.7")),
        ];
        for (peer, fwd, xff, want) in cases {
            let mut headers = HeaderMap::new();
            if let Some(f) = fwd {
                headers.insert(header::FORWARDED, f.parse().unwrap());
            }
            if let Some(x) = xff {
                headers.insert("x-forwarded-for", x.parse().unwrap());
            }
            assert_eq!(
                client_ip(peer.map(ip), &headers, &trusted),
                want.map(ip),
                "{peer:?} {fwd:?} {xff:?}"
            );
        }
        // Without trusted proxies, forwarded headers never count.
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "198.51.100.1".parse().unwrap());
        assert_eq!(client_ip(Some(ip("10.0.0.2")), &headers, &[]), Some(ip("10.0.0.2")));
    }
}
