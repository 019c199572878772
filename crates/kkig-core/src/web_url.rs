//! Links from data: the only way a text from an import, a form or the database becomes an
//! `href` is through [`WebUrl`], which holds an absolute `http:`/`https:` address with a host.
//! `javascript:`, `data:`, `vbscript:`, `file:` and every other scheme are refused, as are
//! relative addresses, control characters and whitespace inside the address.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a text is not a web address. The caller names the text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebUrlError {
    #[error("the address is empty")]
    Empty,
    #[error("the address holds a control character (a tab, a line break or similar)")]
    Control,
    #[error("the address holds a space or other whitespace")]
    Whitespace,
    #[error("the address is not absolute; expected one starting with https:// or http://")]
    NotAbsolute,
    #[error("the address is a {scheme}: address; only https:// and http:// addresses become links")]
    Scheme { scheme: String },
    #[error("the address has no host; expected e.g. https://www.example.se/")]
    NoHost,
    #[error("{0:?} is not a host name (letters, digits, - and . ; no user name or password)")]
    Host(String),
    #[error("{0:?} is not a port (a number from 1 to 65535)")]
    Port(String),
}

/// An absolute `http:` or `https:` address with a host: safe to put in an `href`.
///
/// Parsing trims surrounding spaces (a control character anywhere, even a trailing line
/// break, is refused) and lower-cases the scheme; the rest is kept as given.
/// A value is always valid (it can only be made by [`WebUrl::parse`] or by deserialising,
/// which parses).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WebUrl(String);

impl WebUrl {
    pub fn parse(s: &str) -> Result<Self, WebUrlError> {
        // Control characters are refused anywhere, also where trimming would drop them.
        if s.chars().any(char::is_control) {
            return Err(WebUrlError::Control);
        }
        let t = s.trim();
        if t.is_empty() {
            return Err(WebUrlError::Empty);
        }
        if t.chars().any(char::is_whitespace) {
            return Err(WebUrlError::Whitespace);
        }
        let (scheme, rest) = t.split_once(':').ok_or(WebUrlError::NotAbsolute)?;
        let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if !is_scheme {
            return Err(WebUrlError::NotAbsolute);
        }
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(WebUrlError::Scheme { scheme });
        }
        let after = rest.strip_prefix("//").ok_or(WebUrlError::NoHost)?;
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        check_authority(&after[..end])?;
        Ok(Self(format!("{scheme}:{rest}")))
    }

    /// The stored text as a link, or None when it is missing or not a web address.
    pub fn parse_opt(s: Option<&str>) -> Option<Self> {
        s.and_then(|s| Self::parse(s).ok())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `host[:port]`, the host a name, an IPv4 address or a bracketed IPv6 address.
fn check_authority(authority: &str) -> Result<(), WebUrlError> {
    if authority.is_empty() {
        return Err(WebUrlError::NoHost);
    }
    if authority.contains('@') {
        return Err(WebUrlError::Host(authority.to_string()));
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (inner, after) = v6
            .split_once(']')
            .ok_or_else(|| WebUrlError::Host(authority.to_string()))?;
        let ok = !inner.is_empty()
            && inner.contains(':')
            && inner.chars().all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '.'));
        if !ok {
            return Err(WebUrlError::Host(format!("[{inner}]")));
        }
        match after {
            "" => (None, None),
            p => (
                None,
                Some(
                    p.strip_prefix(':')
                        .ok_or_else(|| WebUrlError::Host(authority.to_string()))?,
                ),
            ),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (Some(h), Some(p)),
            None => (Some(authority), None),
        }
    };
    if let Some(host) = host {
        if host.is_empty() {
            return Err(WebUrlError::NoHost);
        }
        let labels = host.strip_suffix('.').unwrap_or(host);
        let label_ok = |l: &str| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_'));
        if !labels.split('.').all(label_ok) {
            return Err(WebUrlError::Host(host.to_string()));
        }
    }
    if let Some(port) = port {
        let ok = (1..=5).contains(&port.len())
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|n| (1..=65_535).contains(&n));
        if !ok {
            return Err(WebUrlError::Port(port.to_string()));
        }
    }
    Ok(())
}

impl fmt::Display for WebUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for WebUrl {
    type Err = WebUrlError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for WebUrl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for WebUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(|e| serde::de::Error::custom(format!("{s:?}: {e}")))
    }
}

#[cfg(test)]
mod tests;
