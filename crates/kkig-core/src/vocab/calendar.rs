//! Calendar days (`YYYY-MM-DD` everywhere) and terms (spring, autumn), as input gives them and
//! as every capability uses them.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month};

use super::FieldProblem;

/// A calendar day, written `YYYY-MM-DD` everywhere (files, JSON, database).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Day(pub Date);

impl Day {
    /// `2025-01-31`, `2025-01-31 00:00` (as Excel writes a date cell to CSV) or
    /// `2025-01-31T00:00:00…`; the time is ignored. Years 1900–2199.
    pub fn parse(s: &str) -> Result<Day, String> {
        Self::check(s).map_err(|p| p.english(""))
    }

    /// [`Day::parse`] with the problem as data.
    pub fn check(s: &str) -> Result<Day, FieldProblem> {
        let s = s.trim();
        let bad = || FieldProblem::BadDate { value: s.to_string() };
        let (date, time) = match s.find([' ', 'T']) {
            Some(i) => (&s[..i], Some(s[i + 1..].trim())),
            None => (s, None),
        };
        let b = date.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        if let Some(t) = time {
            let tb = t.as_bytes();
            if !(tb.len() >= 5 && tb[2] == b':' && tb[..2].iter().chain(&tb[3..5]).all(u8::is_ascii_digit)) {
                return Err(bad());
            }
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = &date[r];
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())
                .flatten()
        };
        let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
            return Err(bad());
        };
        if !(1900..=2199).contains(&y) {
            return Err(FieldProblem::YearOutOfRange {
                value: s.to_string(),
                year: y,
            });
        }
        let not_in_calendar = || FieldProblem::NotInCalendar { value: s.to_string() };
        let month = Month::try_from(m as u8).map_err(|_| not_in_calendar())?;
        Date::from_calendar_date(y as i32, month, d as u8)
            .map(Day)
            .map_err(|_| not_in_calendar())
    }

    pub fn ymd(y: i32, m: u8, d: u8) -> Day {
        Day(Date::from_calendar_date(y, Month::try_from(m).unwrap_or(Month::January), d).unwrap_or(Date::MIN))
    }

    pub fn plus_days(self, days: i64) -> Day {
        Day(self.0.checked_add(time::Duration::days(days)).unwrap_or(self.0))
    }

    /// Days from `self` to `other` (negative when `other` is earlier).
    pub fn days_until(self, other: Day) -> i64 {
        (other.0 - self.0).whole_days()
    }

    pub fn term(self) -> Term {
        Term::of(self)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month() as u8,
            self.0.day()
        )
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Day::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Spring (VT, January–July) or autumn (HT, August–December).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Season {
    Spring,
    Autumn,
}

/// A term (termin): `VT2026` or `HT2026`. Orders chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Term {
    pub year: i32,
    pub season: Season,
}

impl Term {
    pub fn spring(year: i32) -> Self {
        Self {
            year,
            season: Season::Spring,
        }
    }

    pub fn autumn(year: i32) -> Self {
        Self {
            year,
            season: Season::Autumn,
        }
    }

    /// The term a period starting on `day` belongs to: January–July spring, August–December autumn.
    pub fn of(day: Day) -> Self {
        let season = if (day.0.month() as u8) <= 7 {
            Season::Spring
        } else {
            Season::Autumn
        };
        Self {
            year: day.0.year(),
            season,
        }
    }

    /// `VT2026`, `VT 2026`, `vt26`, `HT-2026`, `2026VT` (case and separators ignored).
    pub fn parse(s: &str) -> Result<Term, String> {
        Self::check(s).map_err(|p| p.english(""))
    }

    /// [`Term::parse`] with the problem as data.
    pub fn check(s: &str) -> Result<Term, FieldProblem> {
        let t: String = s
            .trim()
            .to_uppercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let bad = || FieldProblem::BadTerm { value: s.to_string() };
        let (season, digits) = if let Some(r) = t.strip_prefix("VT") {
            (Season::Spring, r)
        } else if let Some(r) = t.strip_prefix("HT") {
            (Season::Autumn, r)
        } else if let Some(r) = t.strip_suffix("VT") {
            (Season::Spring, r)
        } else if let Some(r) = t.strip_suffix("HT") {
            (Season::Autumn, r)
        } else {
            return Err(bad());
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = match digits.len() {
            2 => 2000 + digits.parse::<i32>().map_err(|_| bad())?,
            4 => digits.parse().map_err(|_| bad())?,
            _ => return Err(bad()),
        };
        if !(1900..=2199).contains(&year) {
            return Err(bad());
        }
        Ok(Term { year, season })
    }

    /// `VT 2026` / `HT 2026`.
    pub fn label_sv(self) -> String {
        format!(
            "{} {}",
            if self.season == Season::Spring { "VT" } else { "HT" },
            self.year
        )
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}",
            if self.season == Season::Spring { "VT" } else { "HT" },
            self.year
        )
    }
}

impl Serialize for Term {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Term {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Term::parse(&s).map_err(serde::de::Error::custom)
    }
}
