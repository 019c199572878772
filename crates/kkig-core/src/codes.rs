//! Official codes as newtypes that parse: SCB kommunkod and SSYK 2012.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a code did not parse. The message names the offending value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("kommunkod {0:?} must be exactly four digits, e.g. \"2422\"")]
    KommunkodFormat(String),
    #[error("kommunkod {0:?} has unknown county (län) code {1:02}")]
    KommunkodCounty(String, u8),
    #[error("SSYK 2012 code {0:?} must be four digits, e.g. \"2221\"")]
    SsykFormat(String),
}

/// County (län) codes in use since 2007 (SCB). A kommunkod starts with one of them.
pub const COUNTY_CODES: [u8; 21] = [
    1, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 17, 18, 19, 20, 21, 22, 23, 24, 25,
];

/// SCB's four-digit municipality code (kommunkod), e.g. `2422` for Sorsele.
///
/// The first two digits are the county (län) code; parsing checks the shape and the county.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Kommunkod(u16);

impl Kommunkod {
    pub fn parse(s: &str) -> Result<Self, CodeError> {
        let t = s.trim();
        if t.len() != 4 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CodeError::KommunkodFormat(s.to_string()));
        }
        let n: u16 = t.parse().map_err(|_| CodeError::KommunkodFormat(s.to_string()))?;
        let county = (n / 100) as u8;
        if !COUNTY_CODES.contains(&county) {
            return Err(CodeError::KommunkodCounty(s.to_string(), county));
        }
        Ok(Self(n))
    }

    /// The two-digit county (län) code, e.g. `"24"`.
    pub fn county_code(self) -> String {
        format!("{:02}", self.0 / 100)
    }

    pub fn as_u16(self) -> u16 {
        self.0
    }
}

impl fmt::Display for Kommunkod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.0)
    }
}

impl std::str::FromStr for Kommunkod {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Kommunkod {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Kommunkod {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// An SSYK 2012 occupation code at unit-group level (four digits), e.g. `2221`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ssyk(u16);

impl Ssyk {
    pub fn parse(s: &str) -> Result<Self, CodeError> {
        let t = s.trim();
        if t.len() != 4 || !t.bytes().all(|b| b.is_ascii_digit()) || t.starts_with('0') {
            return Err(CodeError::SsykFormat(s.to_string()));
        }
        t.parse().map(Self).map_err(|_| CodeError::SsykFormat(s.to_string()))
    }

    /// The four digits as a number, e.g. `2221`.
    pub fn code(self) -> u16 {
        self.0
    }
}

impl fmt::Display for Ssyk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Ssyk {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Ssyk {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kommunkod_cases() {
        let cases: &[(&str, Result<&str, &str>)] = &[
            ("2422", Ok("2422")),
            (" 2506 ", Ok("2506")),
            ("0114", Ok("0114")),
            ("0180", Ok("0180")),
            ("114", Err("exactly four digits")),
            ("24220", Err("exactly four digits")),
            ("24a2", Err("exactly four digits")),
            ("", Err("exactly four digits")),
            ("２４２２", Err("exactly four digits")),
            ("9999", Err("unknown county")),
            ("0214", Err("unknown county")),
            ("1580", Err("unknown county")),
        ];
        for (input, expected) in cases {
            match (Kommunkod::parse(input), expected) {
                (Ok(k), Ok(want)) => assert_eq!(k.to_string(), *want, "input {input:?}"),
                (Err(e), Err(want)) => {
                    assert!(e.to_string().contains(want), "input {input:?}: {e}")
                }
                (got, want) => panic!("input {input:?}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn county_code_is_two_digits() {
        assert_eq!(Kommunkod::parse("2422").unwrap().county_code(), "24");
        assert_eq!(Kommunkod::parse("0114").unwrap().county_code(), "01");
    }

    #[test]
    fn ssyk_cases() {
        for ok in ["2221", "2661", "2343"] {
            assert_eq!(Ssyk::parse(ok).unwrap().to_string(), ok);
        }
        for bad in ["221", "22210", "0221", "ab12", ""] {
            assert!(Ssyk::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    proptest::proptest! {
        #[test]
        fn kommunkod_parse_never_panics(s in ".{0,8}") {
            let _ = Kommunkod::parse(&s);
        }

        #[test]
        fn kommunkod_display_round_trips(county in proptest::sample::select(COUNTY_CODES.to_vec()), rest in 0u16..100) {
            let s = format!("{county:02}{rest:02}");
            let k = Kommunkod::parse(&s).unwrap();
            proptest::prop_assert_eq!(k.to_string(), s);
        }
    }
}
