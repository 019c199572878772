//! The education catalogue: offerings shaped like Susa-navet's EMIL 3 model (education info +
//! event + provider) and how reachable an offering is from a home municipality.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::codes::{Kommunkod, Ssyk};
use crate::geo::{Position, TravelModel};
use crate::region::OccupationArea;

/// The school form of an offering (Susa-navet `typeOfSchool`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SchoolType {
    /// Higher education (högskola, universitet).
    Hs,
    /// Vocational higher education (yrkeshögskola).
    Yh,
    /// Municipal adult education (komvux).
    Komvux,
    /// Folk high school (folkhögskola).
    Fhsk,
}

impl SchoolType {
    pub const ALL: [SchoolType; 4] = [Self::Hs, Self::Yh, Self::Komvux, Self::Fhsk];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hs => "hs",
            Self::Yh => "yh",
            Self::Komvux => "komvux",
            Self::Fhsk => "fhsk",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        let l = s.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|t| t.as_str() == l)
    }
}

/// How an offering is studied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StudyForm {
    Distance,
    Campus,
    Blended,
}

impl StudyForm {
    pub const ALL: [StudyForm; 3] = [Self::Distance, Self::Campus, Self::Blended];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Distance => "distance",
            Self::Campus => "campus",
            Self::Blended => "blended",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        let l = s.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|t| t.as_str() == l)
    }
}

/// A place where an offering's local group meets, or where on-site meetings are held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudySite {
    pub municipality: Kommunkod,
    pub town: String,
}

/// Mandatory on-site meetings per term: how many, how many days each, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meetings {
    pub per_term: u32,
    pub days_each: u32,
    /// Where they are held; None means at the offering's first study site.
    pub place: Option<StudySite>,
}

/// One start of a programme or course (Susa-navet "event"), with its education info and provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Offering {
    /// The event id (Susa-navet `e.…`, or the id of a CSV/XLSX row).
    pub id: String,
    /// The education info id (`i.…`).
    pub education_id: String,
    pub provider_id: String,
    pub provider_name: String,
    pub title: String,
    pub code: String,
    pub school_type: SchoolType,
    /// Level as published, e.g. "grundnivå", "avancerad nivå", "yrkeshögskola".
    pub level: String,
    pub credits: f64,
    /// "hp", "yhp", or another system's code.
    pub credit_system: String,
    pub pace_percent: u32,
    /// ISO dates YYYY-MM-DD.
    pub start: String,
    pub end: String,
    /// ISO 639 code, e.g. "swe".
    pub language: String,
    pub form: StudyForm,
    pub sites: Vec<StudySite>,
    pub meetings: Meetings,
    pub application_opens: Option<String>,
    pub application_closes: Option<String>,
    pub application_url: Option<String>,
    pub occupations: Vec<Ssyk>,
    pub eligibility: String,
}

impl Offering {
    /// Where on-site meetings are held: the meeting place, else the first study site.
    pub fn meeting_place(&self) -> Option<&StudySite> {
        self.meetings.place.as_ref().or(self.sites.first())
    }

    /// The shortage-occupation areas this offering leads to.
    pub fn areas(&self, occupations: &BTreeMap<Ssyk, OccupationArea>) -> Vec<OccupationArea> {
        let mut v: Vec<_> = self.occupations.iter().filter_map(|s| occupations.get(s).copied()).collect();
        v.sort();
        v.dedup();
        v
    }
}

/// Travel times between municipalities (seat to seat): a measured matrix where one exists,
/// otherwise the travel model of DESIGN.md on the seat positions.
#[derive(Debug, Clone, Default)]
pub struct TravelTimes {
    pub model: TravelModel,
    pub seats: BTreeMap<Kommunkod, Position>,
    /// Measured one-way minutes, both directions stored as given.
    pub measured: BTreeMap<(Kommunkod, Kommunkod), i64>,
}

impl TravelTimes {
    /// One-way minutes from `a` to `b`: measured (either direction) if known, else estimated;
    /// None when a seat position is unknown.
    pub fn minutes(&self, a: Kommunkod, b: Kommunkod) -> Option<i64> {
        if a == b {
            return Some(*self.measured.get(&(a, b)).unwrap_or(&0));
        }
        if let Some(m) = self.measured.get(&(a, b)).or_else(|| self.measured.get(&(b, a))) {
            return Some(*m);
        }
        Some(self.model.minutes(*self.seats.get(&a)?, *self.seats.get(&b)?))
    }
}

/// How an offering is reached from a home municipality.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reach {
    /// One-way minutes to the meeting place.
    pub one_way_minutes: i64,
    /// On-site meetings per term × round trip: the travel burden per term, in minutes.
    pub burden_minutes_per_term: i64,
}

/// The travel burden per term of `offering` for someone living in `home`:
/// `meetings.per_term × 2 × one-way minutes to the meeting place`. An offering without a
/// meeting place (pure distance, no meetings) costs nothing; None if a position is unknown.
pub fn reach(offering: &Offering, home: Kommunkod, travel: &TravelTimes) -> Option<Reach> {
    let Some(place) = offering.meeting_place() else {
        return Some(Reach { one_way_minutes: 0, burden_minutes_per_term: 0 });
    };
    let one_way = travel.minutes(home, place.municipality)?;
    Some(Reach { one_way_minutes: one_way, burden_minutes_per_term: i64::from(offering.meetings.per_term) * 2 * one_way })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn k(s: &str) -> Kommunkod {
        Kommunkod::parse(s).unwrap()
    }

    pub fn offering(id: &str, form: StudyForm, meetings: u32, place: &str) -> Offering {
        Offering {
            id: id.into(),
            education_id: format!("i.{id}"),
            provider_id: "p.umu".into(),
            provider_name: "Umeå universitet".into(),
            title: "Sjuksköterskeprogrammet".into(),
            code: "VASJP".into(),
            school_type: SchoolType::Hs,
            level: "grundnivå".into(),
            credits: 180.0,
            credit_system: "hp".into(),
            pace_percent: 100,
            start: "2026-08-31".into(),
            end: "2029-06-07".into(),
            language: "swe".into(),
            form,
            sites: vec![StudySite { municipality: k(place), town: "Umeå".into() }],
            meetings: Meetings { per_term: meetings, days_each: 2, place: None },
            application_opens: None,
            application_closes: Some("2026-04-15".into()),
            application_url: None,
            occupations: vec![Ssyk::parse("2221").unwrap()],
            eligibility: String::new(),
        }
    }

    fn travel() -> TravelTimes {
        let mut seats = BTreeMap::new();
        seats.insert(k("2422"), Position::new(65.5333, 17.5333).unwrap()); // Sorsele
        seats.insert(k("2480"), Position::new(63.8258, 20.2630).unwrap()); // Umeå
        seats.insert(k("2481"), Position::new(64.5954, 18.6735).unwrap()); // Lycksele
        TravelTimes { seats, ..Default::default() }
    }

    #[test]
    fn burden_hand_computed() {
        let t = travel();
        // Sorsele → Umeå: 229.956 km × 1.3 / 70 × 60 = 256.2 → 256 min one way.
        // Four meetings a term: 4 × 2 × 256 = 2048 minutes.
        let o = offering("e1", StudyForm::Distance, 4, "2480");
        assert_eq!(reach(&o, k("2422"), &t), Some(Reach { one_way_minutes: 256, burden_minutes_per_term: 2048 }));
        // From Umeå itself: nothing.
        assert_eq!(reach(&o, k("2480"), &t).unwrap().burden_minutes_per_term, 0);
        // No meetings: nothing, whatever the distance.
        let none = offering("e2", StudyForm::Distance, 0, "2480");
        assert_eq!(reach(&none, k("2422"), &t).unwrap().burden_minutes_per_term, 0);
        // A measured matrix wins over the estimate, in either direction.
        let mut m = travel();
        m.measured.insert((k("2480"), k("2422")), 240);
        assert_eq!(reach(&o, k("2422"), &m), Some(Reach { one_way_minutes: 240, burden_minutes_per_term: 1920 }));
        // Unknown seat: None.
        let far = offering("e3", StudyForm::Campus, 1, "0180");
        assert_eq!(reach(&far, k("2422"), &t), None);
    }

    #[test]
    fn meeting_place_overrides_the_study_site() {
        let t = travel();
        let mut o = offering("e1", StudyForm::Blended, 2, "2480");
        o.meetings.place = Some(StudySite { municipality: k("2481"), town: "Lycksele".into() });
        let r = reach(&o, k("2422"), &t).unwrap();
        // Sorsele → Lycksele estimated, 2 meetings × round trip.
        assert_eq!(r.burden_minutes_per_term, 2 * 2 * r.one_way_minutes);
        assert!(r.one_way_minutes < 256);
    }

    #[test]
    fn codes_parse() {
        assert_eq!(SchoolType::parse(" HS "), Some(SchoolType::Hs));
        assert_eq!(SchoolType::parse("gy"), None);
        assert_eq!(StudyForm::parse("Distance"), Some(StudyForm::Distance));
    }
}
