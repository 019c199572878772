//! The education catalogue: offerings shaped like Susa-navet's EMIL 3 model (education info +
//! event + provider) and how reachable an offering is from a home municipality.

mod degrees;
mod everyday_words;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::codes::{Kommunkod, Ssyk};
use crate::geo::{Position, TravelModel};
use crate::region::OccupationArea;
use crate::web_url::WebUrl;

pub use degrees::occupations_of_degree;
pub use everyday_words::{everyday_query, EverydayQuery};

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
    /// Where to apply, as stored. Imports keep only http(s) addresses; show it as a link only
    /// through [`Offering::application_link`].
    pub application_url: Option<String>,
    pub occupations: Vec<Ssyk>,
    pub eligibility: String,
}

impl Offering {
    /// Where on-site meetings are held: the meeting place, else the first study site.
    pub fn meeting_place(&self) -> Option<&StudySite> {
        self.meetings.place.as_ref().or(self.sites.first())
    }

    /// The application URL as a link: None when there is none or the stored text is not an
    /// absolute http(s) address (old data, another tool's writes).
    pub fn application_link(&self) -> Option<WebUrl> {
        WebUrl::parse_opt(self.application_url.as_deref())
    }

    /// The shortage-occupation areas this offering leads to.
    pub fn areas(&self, occupations: &BTreeMap<Ssyk, OccupationArea>) -> Vec<OccupationArea> {
        let mut v: Vec<_> = self
            .occupations
            .iter()
            .filter_map(|s| occupations.get(s).copied())
            .collect();
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
        return Some(Reach {
            one_way_minutes: 0,
            burden_minutes_per_term: 0,
        });
    };
    let one_way = travel.minutes(home, place.municipality)?;
    Some(Reach {
        one_way_minutes: one_way,
        burden_minutes_per_term: i64::from(offering.meetings.per_term) * 2 * one_way,
    })
}

/// On-site days away from home per term: `meetings.per_term × days_each` when the meeting
/// place is in another municipality than home, else 0. (Used by the regional table: an
/// offering is "reachable within N travel days" when this is at most N.)
pub fn travel_days_per_term(offering: &Offering, home: Kommunkod) -> u32 {
    match offering.meeting_place() {
        Some(place) if place.municipality != home => offering.meetings.per_term * offering.meetings.days_each.max(1),
        _ => 0,
    }
}

/// Whether an offering is a programme leading to a shortage occupation: higher education or
/// YH, at least 60 credits, targeting an occupation of the area.
pub fn leads_to(offering: &Offering, area: OccupationArea, areas: &BTreeMap<Ssyk, OccupationArea>) -> bool {
    matches!(offering.school_type, SchoolType::Hs | SchoolType::Yh)
        && offering.credits >= 60.0
        && offering.occupations.iter().any(|s| areas.get(s) == Some(&area))
}

/// SSYK 2012 groups reached only by those already licensed or qualified in the occupation:
/// midwives and specialist nurses (a nurse's licence first) and special needs teachers
/// (a teacher's degree first). Programmes leading only to these are further education, not
/// the way into the occupation.
pub const FURTHER_EDUCATION: [u16; 5] = [2222, 2224, 2225, 2227, 2351];

/// Whether `offering`, leading to `area`, requires a licence or professional degree in it: every
/// occupation of the area it leads to is in [`FURTHER_EDUCATION`].
pub fn requires_licence(offering: &Offering, area: OccupationArea, areas: &BTreeMap<Ssyk, OccupationArea>) -> bool {
    let mut of_area = offering
        .occupations
        .iter()
        .filter(|s| areas.get(s) == Some(&area))
        .peekable();
    of_area.peek().is_some() && of_area.all(|s| FURTHER_EDUCATION.contains(&s.code()))
}

/// A programme's place on the way to a licensed occupation, for the search filter `licence`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Licence {
    /// Leads into an occupation of the region's shortage areas (and its licence).
    Leads,
    /// Further education for those already licensed or qualified ([`requires_licence`]).
    Requires,
}

impl Licence {
    pub const ALL: [Licence; 2] = [Self::Leads, Self::Requires];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Leads => "leads",
            Self::Requires => "requires",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s.trim())
    }

    /// `offering`'s place: `Leads` when it leads into any area it reaches, `Requires` when every
    /// area it leads to requires a licence first, None when it leads to none ([`leads_to`]).
    pub fn of(offering: &Offering, areas: &BTreeMap<Ssyk, OccupationArea>) -> Option<Self> {
        let reached: Vec<OccupationArea> = OccupationArea::ALL
            .into_iter()
            .filter(|a| leads_to(offering, *a, areas))
            .collect();
        if reached.is_empty() {
            None
        } else if reached.iter().all(|a| requires_licence(offering, *a, areas)) {
            Some(Self::Requires)
        } else {
            Some(Self::Leads)
        }
    }
}

/// The level of higher education (högskoleförordningen: grundnivå, avancerad nivå), for the
/// search filter `level`, from the offering's level as imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Grundnivå.
    FirstCycle,
    /// Avancerad nivå.
    SecondCycle,
}

impl Level {
    pub const ALL: [Level; 2] = [Self::FirstCycle, Self::SecondCycle];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstCycle => "first_cycle",
            Self::SecondCycle => "second_cycle",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s.trim())
    }

    /// "grundnivå" → FirstCycle, "avancerad nivå" → SecondCycle (any case); others None.
    pub fn of(offering: &Offering) -> Option<Self> {
        let l = offering.level.trim().to_lowercase();
        if l.starts_with("grundnivå") {
            Some(Self::FirstCycle)
        } else if l.starts_with("avancerad") {
            Some(Self::SecondCycle)
        } else {
            None
        }
    }
}

/// Whether the application to `offering` has closed by `today` (ISO dates): its last day is
/// before today. No closing date: not closed.
pub fn application_closed(offering: &Offering, today: &str) -> bool {
    offering
        .application_closes
        .as_deref()
        .is_some_and(|c| !c.is_empty() && c < today)
}

/// Whether `offering` has started by `today` (ISO dates): it can no longer be joined. No start
/// date: not started.
pub fn has_started(offering: &Offering, today: &str) -> bool {
    !offering.start.is_empty() && offering.start.as_str() < today
}

/// One offering on a pathway page, with its travel burden from the home municipality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathwayItem<'a> {
    pub offering: &'a Offering,
    pub reach: Option<Reach>,
    pub travel_days: u32,
    /// Further education for those already licensed ([`requires_licence`]).
    pub further: bool,
}

/// "Become a nurse from Sorsele": the programmes leading to `area`, those leading into the
/// occupation first and further education for the licensed after them, each by travel burden
/// from `home` (unknown burdens last), then start date and title.
pub fn pathway<'a>(
    offerings: impl IntoIterator<Item = &'a Offering>,
    area: OccupationArea,
    home: Kommunkod,
    areas: &BTreeMap<Ssyk, OccupationArea>,
    travel: &TravelTimes,
) -> Vec<PathwayItem<'a>> {
    let mut items: Vec<PathwayItem<'a>> = offerings
        .into_iter()
        .filter(|o| leads_to(o, area, areas))
        .map(|o| PathwayItem {
            offering: o,
            reach: reach(o, home, travel),
            travel_days: travel_days_per_term(o, home),
            further: requires_licence(o, area, areas),
        })
        .collect();
    items.sort_by(|a, b| {
        let key = |i: &PathwayItem| i.reach.as_ref().map(|r| r.burden_minutes_per_term).unwrap_or(i64::MAX);
        a.further
            .cmp(&b.further)
            .then_with(|| key(a).cmp(&key(b)))
            .then_with(|| a.offering.start.cmp(&b.offering.start))
            .then_with(|| a.offering.title.cmp(&b.offering.title))
            .then_with(|| a.offering.id.cmp(&b.offering.id))
    });
    items
}

/// For each home municipality and area: how many programmes leading to the area are reachable
/// within `max_travel_days` travel days per term.
pub fn reachable_counts<'a>(
    offerings: impl IntoIterator<Item = &'a Offering>,
    homes: &[Kommunkod],
    areas: &BTreeMap<Ssyk, OccupationArea>,
    max_travel_days: u32,
) -> Vec<(Kommunkod, BTreeMap<OccupationArea, usize>)> {
    let empty: BTreeMap<OccupationArea, usize> = OccupationArea::ALL.iter().map(|a| (*a, 0)).collect();
    let mut counts: Vec<(Kommunkod, BTreeMap<OccupationArea, usize>)> =
        homes.iter().map(|h| (*h, empty.clone())).collect();
    // One pass over the offerings; the areas an offering leads to do not depend on home.
    for o in offerings {
        let leads: Vec<OccupationArea> = OccupationArea::ALL
            .into_iter()
            .filter(|a| leads_to(o, *a, areas))
            .collect();
        if leads.is_empty() {
            continue;
        }
        for (home, c) in counts.iter_mut() {
            if travel_days_per_term(o, *home) <= max_travel_days {
                for a in &leads {
                    *c.entry(*a).or_default() += 1;
                }
            }
        }
    }
    counts
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
            sites: vec![StudySite {
                municipality: k(place),
                town: "Umeå".into(),
            }],
            meetings: Meetings {
                per_term: meetings,
                days_each: 2,
                place: None,
            },
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
        TravelTimes {
            seats,
            ..Default::default()
        }
    }

    #[test]
    fn burden_hand_computed() {
        let t = travel();
        // Sorsele → Umeå: 229.956 km × 1.3 / 70 × 60 = 256.2 → 256 min one way.
        // Four meetings a term: 4 × 2 × 256 = 2048 minutes.
        let o = offering("e1", StudyForm::Distance, 4, "2480");
        assert_eq!(
            reach(&o, k("2422"), &t),
            Some(Reach {
                one_way_minutes: 256,
                burden_minutes_per_term: 2048
            })
        );
        // From Umeå itself: nothing.
        assert_eq!(reach(&o, k("2480"), &t).unwrap().burden_minutes_per_term, 0);
        // No meetings: nothing, whatever the distance.
        let none = offering("e2", StudyForm::Distance, 0, "2480");
        assert_eq!(reach(&none, k("2422"), &t).unwrap().burden_minutes_per_term, 0);
        // A measured matrix wins over the estimate, in either direction.
        let mut m = travel();
        m.measured.insert((k("2480"), k("2422")), 240);
        assert_eq!(
            reach(&o, k("2422"), &m),
            Some(Reach {
                one_way_minutes: 240,
                burden_minutes_per_term: 1920
            })
        );
        // Unknown seat: None.
        let far = offering("e3", StudyForm::Campus, 1, "0180");
        assert_eq!(reach(&far, k("2422"), &t), None);
    }

    #[test]
    fn meeting_place_overrides_the_study_site() {
        let t = travel();
        let mut o = offering("e1", StudyForm::Blended, 2, "2480");
        o.meetings.place = Some(StudySite {
            municipality: k("2481"),
            town: "Lycksele".into(),
        });
        let r = reach(&o, k("2422"), &t).unwrap();
        // Sorsele → Lycksele estimated, 2 meetings × round trip.
        assert_eq!(r.burden_minutes_per_term, 2 * 2 * r.one_way_minutes);
        assert!(r.one_way_minutes < 256);
    }

    fn areas() -> BTreeMap<Ssyk, OccupationArea> {
        [
            ("2221", OccupationArea::Nurse),
            ("2222", OccupationArea::Nurse),
            ("2224", OccupationArea::Nurse),
            ("2351", OccupationArea::Teacher),
            ("2343", OccupationArea::Teacher),
            ("2341", OccupationArea::Teacher),
            ("2661", OccupationArea::SocialWork),
        ]
        .into_iter()
        .map(|(s, a)| (Ssyk::parse(s).unwrap(), a))
        .collect()
    }

    #[test]
    fn pathways_and_regional_counts() {
        let t = travel();
        let mut near = offering("near", StudyForm::Blended, 3, "2481"); // Lycksele
        near.meetings.days_each = 2;
        let far = offering("far", StudyForm::Distance, 2, "2480"); // Umeå
        let mut course = offering("course", StudyForm::Distance, 1, "2480");
        course.credits = 7.5; // a course, not a programme
        let mut teacher = offering("teacher", StudyForm::Distance, 1, "2480");
        teacher.occupations = vec![Ssyk::parse("2341").unwrap()];
        let all = vec![far.clone(), course, near.clone(), teacher];
        let p = pathway(&all, OccupationArea::Nurse, k("2422"), &areas(), &t);
        let ids: Vec<&str> = p.iter().map(|i| i.offering.id.as_str()).collect();
        // Lycksele: 3 meetings × round trip, less than Umeå's 2 × 2 × 256 = 1024? Sorsele→Lycksele
        // is about 100 km (≈ 112 min), 3 × 2 × 112 = 672 < 1024.
        assert_eq!(ids, ["near", "far"]);
        assert_eq!(p[0].travel_days, 6, "3 meetings × 2 days");
        assert_eq!(p[1].travel_days, 4, "2 meetings × 2 days");

        let counts = reachable_counts(&all, &[k("2422"), k("2481")], &areas(), 4);
        // From Sorsele within 4 days: "far" (4 days) and "teacher" (1×2 days); "near" needs 6.
        assert_eq!(counts[0].1[&OccupationArea::Nurse], 1);
        assert_eq!(counts[0].1[&OccupationArea::Teacher], 1);
        assert_eq!(counts[0].1[&OccupationArea::SocialWork], 0);
        // From Lycksele "near" is at home: 0 days.
        assert_eq!(counts[1].1[&OccupationArea::Nurse], 2);
    }

    #[test]
    fn the_way_in_comes_before_further_education_for_the_licensed() {
        let t = travel();
        let with = |id: &str, place: &str, codes: &[&str]| {
            let mut o = offering(id, StudyForm::Distance, 1, place);
            o.occupations = codes.iter().map(|c| Ssyk::parse(c).unwrap()).collect();
            o
        };
        // The midwives' programme meets at home, the nurses' programme far away: the nurses'
        // still comes first.
        let midwife = with("midwife", "2422", &["2222"]);
        let district = with("district", "2422", &["2224"]);
        let nurse = with("nurse", "2480", &["2221"]);
        let both = with("both", "2480", &["2221", "2224"]);
        let all = [midwife, district, nurse, both];
        let p = pathway(&all, OccupationArea::Nurse, k("2422"), &areas(), &t);
        let got: Vec<(&str, bool)> = p.iter().map(|i| (i.offering.id.as_str(), i.further)).collect();
        assert_eq!(
            got,
            [("both", false), ("nurse", false), ("district", true), ("midwife", true)]
        );
        // Data-driven: which occupations make a programme further education, per area.
        let cases: &[(&[&str], OccupationArea, bool)] = &[
            (&["2221"], OccupationArea::Nurse, false),
            (&["2222"], OccupationArea::Nurse, true),
            (&["2222", "2224"], OccupationArea::Nurse, true),
            (&["2221", "2222"], OccupationArea::Nurse, false),
            (&["2343"], OccupationArea::Teacher, false),
            (&["2351"], OccupationArea::Teacher, true),
            // A special needs teacher programme that also names nursing: in nursing, no area
            // occupation is further education.
            (&["2351", "2221"], OccupationArea::Nurse, false),
            (&[], OccupationArea::Nurse, false),
        ];
        for (codes, area, want) in cases {
            let o = with("x", "2422", codes);
            assert_eq!(requires_licence(&o, *area, &areas()), *want, "{codes:?} {area:?}");
        }
    }

    #[test]
    fn licence_and_level_of_an_offering() {
        let with = |codes: &[&str], level: &str, credits: f64| {
            let mut o = offering("x", StudyForm::Distance, 0, "2422");
            o.occupations = codes.iter().map(|c| Ssyk::parse(c).unwrap()).collect();
            o.level = level.into();
            o.credits = credits;
            o
        };
        let cases: &[(&[&str], f64, Option<Licence>)] = &[
            (&["2221"], 180.0, Some(Licence::Leads)),
            (&["2222"], 90.0, Some(Licence::Requires)),
            (&["2351", "2221"], 90.0, Some(Licence::Leads)),
            (&["2224"], 7.5, None),
            (&[], 180.0, None),
        ];
        for (codes, credits, want) in cases {
            assert_eq!(Licence::of(&with(codes, "", *credits), &areas()), *want, "{codes:?}");
        }
        for (level, want) in [
            ("grundnivå", Some(Level::FirstCycle)),
            ("Avancerad nivå", Some(Level::SecondCycle)),
            ("gymnasial nivå", None),
            ("", None),
        ] {
            assert_eq!(Level::of(&with(&[], level, 1.0)), want, "{level}");
        }
        for l in Licence::ALL {
            assert_eq!(Licence::parse(l.as_str()), Some(l));
        }
        for l in Level::ALL {
            assert_eq!(Level::parse(l.as_str()), Some(l));
        }
        assert_eq!(Level::parse("grundniva"), None);
    }

    #[test]
    fn an_application_closes_after_its_last_day() {
        let mut o = offering("o", StudyForm::Distance, 0, "2422");
        for (closes, today, closed) in [
            (Some("2026-04-15"), "2026-12-07", true),
            (Some("2026-12-07"), "2026-12-07", false),
            (Some("2027-04-15"), "2026-12-07", false),
            (None, "2026-12-07", false),
            (Some(""), "2026-12-07", false),
        ] {
            o.application_closes = closes.map(String::from);
            assert_eq!(application_closed(&o, today), closed, "{closes:?} on {today}");
        }
        for (start, today, started) in [
            ("2026-08-31", "2026-12-07", true),
            ("2026-12-07", "2026-12-07", false),
            ("2027-01-18", "2026-12-07", false),
            ("", "2026-12-07", false),
        ] {
            o.start = start.into();
            assert_eq!(has_started(&o, today), started, "{start:?} on {today}");
        }
    }

    #[test]
    fn codes_parse() {
        assert_eq!(SchoolType::parse(" HS "), Some(SchoolType::Hs));
        assert_eq!(SchoolType::parse("gy"), None);
        assert_eq!(StudyForm::parse("Distance"), Some(StudyForm::Distance));
    }
}
