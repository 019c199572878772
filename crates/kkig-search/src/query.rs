//! What a search asks for and what it answers.

use std::fmt;

use kkig_core::catalogue::{Level, Licence, Offering, Reach, SchoolType, StudyForm};
use kkig_core::region::OccupationArea;
use kkig_core::Kommunkod;

/// At most this many hits per page.
pub const MAX_PER_PAGE: usize = 1000;

/// The default page size.
pub const DEFAULT_PER_PAGE: usize = 20;

/// A term in which an offering starts: `HT2026` (autumn: a start in July–December) or
/// `VT2027` (spring: a start in January–June).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StartTerm {
    pub year: u16,
    pub autumn: bool,
}

impl StartTerm {
    /// `HT2026`, `vt2027` (case and surrounding space ignored).
    pub fn parse(s: &str) -> Option<StartTerm> {
        let t = s.trim();
        if t.len() != 6 || !t.is_ascii() {
            return None;
        }
        let autumn = match t[..2].to_ascii_uppercase().as_str() {
            "HT" => true,
            "VT" => false,
            _ => return None,
        };
        let digits = &t[2..];
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(StartTerm {
            year: digits.parse().ok()?,
            autumn,
        })
    }

    /// The term an ISO date (`YYYY-MM-DD`) falls in; None when the date does not parse.
    pub fn of_date(date: &str) -> Option<StartTerm> {
        let b = date.as_bytes();
        if b.len() < 7
            || b[4] != b'-'
            || !b[..4].iter().all(u8::is_ascii_digit)
            || !b[5..7].iter().all(u8::is_ascii_digit)
        {
            return None;
        }
        let year: u16 = date[..4].parse().ok()?;
        let month: u8 = date[5..7].parse().ok()?;
        match month {
            1..=6 => Some(StartTerm { year, autumn: false }),
            7..=12 => Some(StartTerm { year, autumn: true }),
            _ => None,
        }
    }

    /// A number that orders terms in time (used as the indexed value).
    pub(crate) fn key(self) -> u64 {
        u64::from(self.year) * 2 + u64::from(self.autumn)
    }
}

impl fmt::Display for StartTerm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{:04}", if self.autumn { "HT" } else { "VT" }, self.year)
    }
}

/// The order of the hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first (score descending, then id). Without text: start date, title
    /// (Swedish order), id.
    #[default]
    Relevance,
    /// Least travel burden per term from home first, then title (Swedish order), then id.
    /// Offerings whose burden cannot be computed come last. Needs `home`.
    Travel,
}

/// A search: free text, filters, order and page. Every field is optional except the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// Free text, Swedish. All words must match (a function word like "och" is optional when
    /// the query has other words).
    pub text: Option<String>,
    /// The user's home municipality: hits then carry their `reach`.
    pub home: Option<Kommunkod>,
    /// Only offerings leading to an occupation in this area.
    pub area: Option<OccupationArea>,
    pub school_type: Option<SchoolType>,
    /// Only programmes leading into a licensed occupation, or only further education for the
    /// licensed ([`Licence::of`]).
    pub licence: Option<Licence>,
    /// Only first-cycle (grundnivå) or second-cycle (avancerad nivå) offerings.
    pub level: Option<Level>,
    /// Pace in percent, inclusive bounds.
    pub min_pace: Option<u32>,
    pub max_pace: Option<u32>,
    pub form: Option<StudyForm>,
    /// Only offerings whose travel burden per term from `home` is at most this many minutes
    /// (offerings whose burden cannot be computed are left out). Needs `home`.
    pub max_travel_minutes_per_term: Option<i64>,
    pub start_term: Option<StartTerm>,
    pub sort: Sort,
    /// 1-based.
    pub page: usize,
    /// 1 to [`MAX_PER_PAGE`].
    pub per_page: usize,
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery {
            text: None,
            home: None,
            area: None,
            school_type: None,
            licence: None,
            level: None,
            min_pace: None,
            max_pace: None,
            form: None,
            max_travel_minutes_per_term: None,
            start_term: None,
            sort: Sort::Relevance,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl SearchQuery {
    /// A query for `text` with everything else at its default.
    pub fn text(text: &str) -> SearchQuery {
        SearchQuery {
            text: Some(text.to_string()),
            ..Default::default()
        }
    }
}

/// One hit.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit<'a> {
    pub offering: &'a Offering,
    /// The offering's position in the catalogue's default order ([`crate::Catalogue::iter`]):
    /// a key for what callers keep per offering.
    pub ord: u32,
    /// The relevance score (0 when the search had no text or was sorted by travel).
    pub score: f32,
    /// How the offering is reached from `home` (when a home was given and the burden can be
    /// computed): exactly `kkig_core::catalogue::reach`.
    pub reach: Option<Reach>,
}

/// One page of hits and how many there are in all.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResult<'a> {
    /// All hits after all filters, on every page.
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub hits: Vec<Hit<'a>>,
}

impl SearchResult<'_> {
    /// How many pages `total` makes (at least 1).
    pub fn pages(&self) -> usize {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }
}

/// Why a catalogue could not be built or a query not answered.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// Building: two offerings have the same id.
    #[error("offering id {0:?} occurs more than once")]
    DuplicateId(String),
    /// Building: more offerings than the index can number.
    #[error("too many offerings ({0}); at most {max}", max = u32::MAX)]
    TooMany(usize),
    /// The caller's query: a travel filter or travel sort without a home municipality.
    #[error("{0} needs a home municipality")]
    NeedsHome(&'static str),
    /// The caller's query: page 0.
    #[error("page must be 1 or more")]
    Page,
    /// The caller's query: page size out of range.
    #[error("per_page must be between 1 and {MAX_PER_PAGE}")]
    PerPage,
    /// The index itself failed (it lives in memory, so this should not happen).
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
}

impl SearchError {
    /// True when the query was at fault (answer 400), false when the engine was (500).
    pub fn is_bad_query(&self) -> bool {
        matches!(
            self,
            SearchError::NeedsHome(_) | SearchError::Page | SearchError::PerPage
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_terms() {
        assert_eq!(
            StartTerm::parse("HT2026"),
            Some(StartTerm {
                year: 2026,
                autumn: true
            })
        );
        assert_eq!(
            StartTerm::parse(" vt2027 "),
            Some(StartTerm {
                year: 2027,
                autumn: false
            })
        );
        for bad in ["", "HT26", "ST2026", "HT20266", "HT-202", "HTÅÄÖ1"] {
            assert_eq!(StartTerm::parse(bad), None, "{bad}");
        }
        assert_eq!(StartTerm::parse("VT2027").unwrap().to_string(), "VT2027");
        // HT = July–December, VT = January–June.
        assert_eq!(StartTerm::of_date("2026-07-01"), StartTerm::parse("HT2026"));
        assert_eq!(StartTerm::of_date("2026-12-31"), StartTerm::parse("HT2026"));
        assert_eq!(StartTerm::of_date("2027-01-18"), StartTerm::parse("VT2027"));
        assert_eq!(StartTerm::of_date("2027-06-30"), StartTerm::parse("VT2027"));
        assert_eq!(StartTerm::of_date("2027-13-01"), None);
        assert_eq!(StartTerm::of_date("snart"), None);
        assert!(StartTerm::parse("VT2027").unwrap().key() < StartTerm::parse("HT2027").unwrap().key());
    }
}
