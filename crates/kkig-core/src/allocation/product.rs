//! The allocation in the product: from the VFU registry of one period to an [`Instance`], and
//! from the solver's [`Allocation`] back to a preview the coordinator reads
//! (docs/allocation.md, "In the product").
//!
//! The mapping, exactly:
//!
//! - **Students** are the period's students. Field = the student's field code; municipality =
//!   the home municipality; position = the home position, or else the seat of the home
//!   municipality (reference data; every stored student has a known municipality, a missing seat
//!   leaves the student at 0°N 0°E, i.e. out of reach).
//! - **Preferences** are the student's *site* wishes, in order, that name a site of the
//!   instance; a wish for a municipality ("any site in Sorsele") expands to nothing (it would be
//!   a bonus for many sites at one rank, which the model does not have; the home municipality
//!   bonus already rewards the student's own municipality). So the first kept site wish gets
//!   `preference_bonus[0]`, the second `[1]`, …
//! - **Locked site**: a manual lock of the coordinator, or else a placement that is `confirmed`,
//!   `started` or `completed` (firm: the allocation never moves it).
//! - **Current site**: the site of the student's `requested` or `offered` placement (the
//!   published one): `move_penalty` keeps it stable.
//! - **Sites** are the placement sites that take the period's field. Capacity = Σ
//!   `students_per_period` over the site's supervisors who have the field and are available in
//!   the period's term; capped by the site's hosting-interest capacity for the term when an
//!   answer is given (0 when the answer is `no`). A site is raised to the number of students
//!   locked to it (a lock wins over capacity). A site that a student is locked to but that does
//!   not take the field is added too (a lock is regardless of field).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{Allocation, InputError, Instance, Rules, Site, Student, Validated, BUCKET_LABELS};
use crate::codes::Kommunkod;
use crate::geo::Position;
use crate::ids::{SiteId, StudentId};
use crate::vfu::{
    HostingInterest, Interest, Placement, PlacementSite, PlacementStatus, Supervisor, VfuPeriod, VfuStudent, Wish,
};

/// `move_penalty` of a university that has saved no rules: one hour of travel, so that a re-run
/// moves a published student only when that gains more than an hour for someone.
pub const DEFAULT_MOVE_PENALTY: i64 = 60;

/// The rules of a university that has saved none: [`Rules::default`] (the defaults of
/// `kkig allocate`) with `move_penalty` = [`DEFAULT_MOVE_PENALTY`], so published placements stay.
pub fn default_rules() -> Rules {
    Rules {
        move_penalty: DEFAULT_MOVE_PENALTY,
        ..Rules::default()
    }
}

/// A coordinator's manual lock of a student to a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualLock {
    pub student_id: StudentId,
    pub site_id: SiteId,
}

/// What the allocation of one period is built from (read from the store).
#[derive(Debug, Clone, Copy)]
pub struct PeriodData<'a> {
    pub period: &'a VfuPeriod,
    /// The period's students.
    pub students: &'a [VfuStudent],
    /// Placement sites (any; those taking the period's field are used).
    pub sites: &'a [PlacementSite],
    /// Supervisors (any; those with a site are counted).
    pub supervisors: &'a [Supervisor],
    /// Hosting answers (any term; the period's term is used).
    pub interests: &'a [HostingInterest],
    /// The placements of the period's students.
    pub placements: &'a [Placement],
    pub locks: &'a [ManualLock],
    /// The seat position of each municipality (reference data).
    pub seats: &'a HashMap<Kommunkod, Position>,
}

/// The firm placement (confirmed, started, completed) of each student, if any.
pub fn firm_site(placements: &[Placement], student_id: &StudentId) -> Option<SiteId> {
    placements
        .iter()
        .rev()
        .find(|p| {
            p.student_id == *student_id
                && matches!(
                    p.status,
                    PlacementStatus::Confirmed | PlacementStatus::Started | PlacementStatus::Completed
                )
        })
        .map(|p| p.site_id.clone())
}

/// The published, still movable placement (requested, offered) of a student, if any.
pub fn current_site(placements: &[Placement], student_id: &StudentId) -> Option<SiteId> {
    placements
        .iter()
        .rev()
        .find(|p| {
            p.student_id == *student_id && matches!(p.status, PlacementStatus::Requested | PlacementStatus::Offered)
        })
        .map(|p| p.site_id.clone())
}

/// A site's capacity for the period before locks (see the module documentation).
pub fn site_capacity(d: &PeriodData<'_>, site: &PlacementSite) -> i64 {
    let term = d.period.term;
    let field = d.period.field;
    let supervised: i64 = d
        .supervisors
        .iter()
        .filter(|s| s.site_id.as_ref() == Some(&site.id) && s.has_field(field) && s.available_in(term))
        .map(|s| i64::from(s.students_per_period))
        .sum();
    match d.interests.iter().find(|h| h.site_id == site.id && h.term == term) {
        Some(h) if h.interest == Interest::No => 0,
        Some(h) => supervised.min(i64::from(h.capacity)),
        None => supervised,
    }
}

/// Build the instance of one period with the university's rules.
pub fn build_instance(d: &PeriodData<'_>, rules: &Rules) -> Instance {
    let field = d.period.field;
    let manual: HashMap<&StudentId, &SiteId> = d.locks.iter().map(|l| (&l.student_id, &l.site_id)).collect();
    let by_id: HashMap<&SiteId, &PlacementSite> = d.sites.iter().map(|s| (&s.id, s)).collect();

    // Locks first: they decide which extra sites are needed and the minimum capacities.
    let locked: Vec<Option<SiteId>> = d
        .students
        .iter()
        .map(|s| {
            manual
                .get(&s.id)
                .map(|x| (*x).clone())
                .or_else(|| firm_site(d.placements, &s.id))
                .filter(|id| by_id.contains_key(id))
        })
        .collect();
    let mut locked_count: HashMap<&SiteId, i64> = HashMap::new();
    for l in locked.iter().flatten() {
        *locked_count.entry(l).or_default() += 1;
    }

    let mut sites: Vec<Site> = Vec::new();
    let mut in_instance: HashSet<&SiteId> = HashSet::new();
    for s in d.sites {
        let takes = s.fields.iter().any(|f| f.field == field);
        let locks_here = locked_count.get(&s.id).copied().unwrap_or(0);
        if !takes && locks_here == 0 {
            continue;
        }
        let capacity = if takes { site_capacity(d, s) } else { 0 }.max(locks_here);
        in_instance.insert(&s.id);
        sites.push(Site {
            id: s.id.clone(),
            field: field.code().to_string(),
            municipality: Some(s.municipality.to_string()),
            lat: s.position.lat,
            lon: s.position.lon,
            capacity,
        });
    }

    let students = d
        .students
        .iter()
        .zip(locked)
        .map(|(s, locked_site)| {
            let pos = s
                .home_position
                .or_else(|| d.seats.get(&s.home_municipality).copied())
                .unwrap_or(Position { lat: 0.0, lon: 0.0 });
            let mut prefs: Vec<SiteId> = Vec::new();
            for w in &s.wishes {
                if let Wish::Site(id) = w {
                    if in_instance.contains(id) && !prefs.contains(id) {
                        prefs.push(id.clone());
                    }
                }
            }
            Student {
                id: s.id.clone(),
                field: s.field.code().to_string(),
                municipality: Some(s.home_municipality.to_string()),
                lat: pos.lat,
                lon: pos.lon,
                preferences: if prefs.is_empty() { None } else { Some(prefs) },
                locked_site,
                current_site: current_site(d.placements, &s.id).filter(|id| in_instance.contains(id)),
            }
        })
        .collect();
    Instance {
        rules: rules.clone(),
        sites,
        students,
    }
}

/// One student in the preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviewStudent {
    pub student: StudentId,
    pub name: String,
    pub home_municipality: String,
    /// The site, or `None` when unplaced.
    pub site: Option<SiteId>,
    pub site_name: Option<String>,
    pub site_municipality: Option<String>,
    pub minutes: Option<i64>,
    pub cost: Option<i64>,
    /// Placed in the home municipality.
    pub home: bool,
    /// Locked (by hand or by a confirmed placement).
    pub locked: bool,
    /// The site of the published placement, if any.
    pub current_site: Option<SiteId>,
    /// Why the student is unplaced (the engine's English sentence, as in `kkig allocate`).
    pub reason: Option<String>,
    /// The same as data, for pages in other languages.
    #[serde(skip)]
    pub why: Option<super::UnplacedReason>,
}

/// Placed students in one travel bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TravelBucket {
    pub minutes: String,
    pub students: usize,
}

/// The numbers of a preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviewSummary {
    pub students: usize,
    pub placed: usize,
    /// placed / students (0 without students).
    pub placed_share: f64,
    pub placed_home: usize,
    /// placed in the home municipality / placed (0 when nobody is placed).
    pub home_share: f64,
    /// Placed students whose site differs from their published placement.
    pub moved: usize,
    pub minutes_min: i64,
    pub minutes_median: i64,
    pub minutes_max: i64,
    pub travel: Vec<TravelBucket>,
}

/// A preview: the shape of `kkig allocate`'s output, plus names, per-student lines and the
/// summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub objective: i64,
    pub placed: usize,
    /// Unplaced student ids, sorted.
    pub unplaced: Vec<StudentId>,
    /// Sorted by student id.
    pub assignments: Vec<super::Assignment>,
    pub unplaced_reasons: BTreeMap<StudentId, String>,
    /// Every student, sorted by name then id.
    pub students: Vec<PreviewStudent>,
    pub summary: PreviewSummary,
}

impl Preview {
    /// `(student id, site id)` of every placed student.
    pub fn placements(&self) -> Vec<(StudentId, SiteId)> {
        self.assignments
            .iter()
            .map(|a| (a.student.clone(), a.site.clone()))
            .collect()
    }
}

/// Map an allocation back to the registry: names, home, reasons and the summary.
pub fn preview(d: &PeriodData<'_>, v: &Validated<'_>, a: &Allocation) -> Preview {
    let inst = v.instance;
    let site_by_id: HashMap<&SiteId, &PlacementSite> = d.sites.iter().map(|s| (&s.id, s)).collect();
    let student_by_id: HashMap<&StudentId, &VfuStudent> = d.students.iter().map(|s| (&s.id, s)).collect();
    let s = a.summary(v);
    let mut lines = Vec::with_capacity(inst.students.len());
    let mut assignments = Vec::new();
    let mut unplaced = Vec::new();
    let mut reasons = BTreeMap::new();
    let mut moved = 0;
    for (i, st) in inst.students.iter().enumerate() {
        let name = student_by_id.get(&st.id).map(|x| x.name.clone()).unwrap_or_default();
        let mut line = PreviewStudent {
            student: st.id.clone(),
            name,
            home_municipality: st.municipality.clone().unwrap_or_default(),
            site: None,
            site_name: None,
            site_municipality: None,
            minutes: None,
            cost: None,
            home: false,
            locked: st.locked_site.is_some(),
            current_site: st.current_site.clone(),
            reason: None,
            why: None,
        };
        match a.site_of[i] {
            Some(j) => {
                let site = &inst.sites[j as usize];
                line.site = Some(site.id.clone());
                line.site_name = site_by_id.get(&site.id).map(|x| x.name.clone());
                line.site_municipality = site.municipality.clone();
                line.minutes = Some(a.minutes[i]);
                line.cost = Some(a.costs[i]);
                line.home = site.municipality.is_some() && site.municipality == st.municipality;
                if st.current_site.as_ref().is_some_and(|c| *c != site.id) {
                    moved += 1;
                }
                assignments.push(super::Assignment {
                    student: st.id.clone(),
                    site: site.id.clone(),
                    minutes: a.minutes[i],
                    cost: a.costs[i],
                });
            }
            None => {
                let why = a.reasons.get(&i).cloned();
                let r = why.as_ref().map(|w| w.to_string()).unwrap_or_default();
                line.reason = Some(r.clone());
                line.why = why;
                unplaced.push(st.id.clone());
                reasons.insert(st.id.clone(), r);
            }
        }
        lines.push(line);
    }
    assignments.sort_by(|x, y| x.student.cmp(&y.student));
    unplaced.sort();
    lines.sort_by(|x, y| crate::text::swedish_cmp(&x.name, &y.name).then_with(|| x.student.cmp(&y.student)));
    let share = |n: usize, d: usize| if d == 0 { 0.0 } else { n as f64 / d as f64 };
    Preview {
        objective: a.objective,
        placed: s.placed,
        unplaced,
        assignments,
        unplaced_reasons: reasons,
        students: lines,
        summary: PreviewSummary {
            students: s.students,
            placed: s.placed,
            placed_share: share(s.placed, s.students),
            placed_home: s.placed_home,
            home_share: share(s.placed_home, s.placed),
            moved,
            minutes_min: s.minutes_min,
            minutes_median: s.minutes_median,
            minutes_max: s.minutes_max,
            travel: BUCKET_LABELS
                .iter()
                .zip(s.buckets)
                .map(|(l, n)| TravelBucket {
                    minutes: (*l).to_string(),
                    students: n,
                })
                .collect(),
        },
    }
}

/// Build, validate, solve and preview in one call.
pub fn run(d: &PeriodData<'_>, rules: &Rules) -> Result<Preview, InputError> {
    let inst = build_instance(d, rules);
    let v = inst.validate()?;
    let a = super::solve(&v);
    Ok(preview(d, &v, &a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vfu::{Day, FieldSpec, InviteStatus, Needs, SiteKind, StatusChange, Term, Training, VfuField};

    fn k(s: &str) -> Kommunkod {
        Kommunkod::parse(s).unwrap()
    }

    fn period() -> VfuPeriod {
        VfuPeriod {
            id: "per-1".into(),
            university: "UmU".into(),
            programme: "Sjuksköterskeprogrammet".into(),
            course_code: "3OM123".into(),
            term: Term::spring(2026),
            start: Day::ymd(2026, 3, 2),
            end: Day::ymd(2026, 4, 3),
            field: VfuField::Nurse,
            students: 3,
            requirements: vec![],
            capacity_deadline: Day::ymd(2025, 12, 8),
        }
    }

    fn site(id: &str, m: &str, lat: f64, field: VfuField) -> PlacementSite {
        PlacementSite {
            id: id.into(),
            municipality: k(m),
            name: format!("Site {id}"),
            kind: SiteKind::CareHome,
            address: String::new(),
            position: Position { lat, lon: 18.0 },
            fields: vec![FieldSpec::new(field)],
        }
    }

    fn sup(id: &str, site: &str, n: u32, field: VfuField, unavailable: Vec<Term>) -> Supervisor {
        Supervisor {
            id: id.into(),
            person_id: format!("p-{id}").into(),
            name: id.into(),
            email: format!("{id}@x.se"),
            phone: String::new(),
            municipality: k("2422"),
            site_id: Some(site.into()),
            fields: vec![FieldSpec::new(field)],
            employment_percent: 100.0,
            training: Training::default(),
            students_per_period: n,
            unavailable_terms: unavailable,
            consent_contact: false,
            invite: InviteStatus::NotInvited,
            invite_date: None,
        }
    }

    fn student(id: &str, name: &str, m: &str, pos: Option<Position>, wishes: Vec<Wish>) -> VfuStudent {
        VfuStudent {
            id: id.into(),
            person_id: format!("p-{id}").into(),
            period_id: "per-1".into(),
            name: name.into(),
            email: format!("{id}@s.se"),
            home_municipality: k(m),
            home_position: pos,
            field: VfuField::Nurse,
            subjects: vec![],
            wishes,
            needs: Needs::default(),
            requirements: vec![],
        }
    }

    fn placement(student: &str, site: &str, status: PlacementStatus) -> Placement {
        Placement {
            id: format!("pl-{student}").into(),
            student_id: student.into(),
            site_id: site.into(),
            supervisor_id: None,
            status,
            history: vec![StatusChange {
                status,
                on: Day::ymd(2026, 1, 1),
            }],
            waiting_for_better: false,
            note: String::new(),
        }
    }

    struct World {
        period: VfuPeriod,
        students: Vec<VfuStudent>,
        sites: Vec<PlacementSite>,
        supervisors: Vec<Supervisor>,
        interests: Vec<HostingInterest>,
        placements: Vec<Placement>,
        locks: Vec<ManualLock>,
        seats: HashMap<Kommunkod, Position>,
    }

    impl World {
        fn data(&self) -> PeriodData<'_> {
            PeriodData {
                period: &self.period,
                students: &self.students,
                sites: &self.sites,
                supervisors: &self.supervisors,
                interests: &self.interests,
                placements: &self.placements,
                locks: &self.locks,
                seats: &self.seats,
            }
        }
    }

    /// Three sites on the meridian 18°E; one degree of latitude is 111.19 km, so with the
    /// default rules (×1.3, 70 km/h) 0.1° is round(11.119·1.3/70·60) = 12 minutes.
    fn world() -> World {
        let nurse = VfuField::Nurse;
        World {
            period: period(),
            students: vec![
                student(
                    "st-a",
                    "Anna",
                    "2422",
                    Some(Position { lat: 65.0, lon: 18.0 }),
                    vec![Wish::Site("B".into()), Wish::Municipality(k("2422"))],
                ),
                student(
                    "st-b",
                    "Bo",
                    "2482",
                    None,
                    vec![Wish::Municipality(k("2482")), Wish::Site("A".into())],
                ),
                student(
                    "st-c",
                    "Cilla",
                    "2422",
                    Some(Position { lat: 65.1, lon: 18.0 }),
                    vec![Wish::Site("X".into())],
                ),
            ],
            sites: vec![
                site("A", "2422", 65.0, nurse),
                site("B", "2422", 65.1, nurse),
                site("C", "2482", 64.8, nurse),
                site("X", "2422", 65.0, VfuField::SocialWork),
            ],
            supervisors: vec![
                sup("s1", "A", 2, nurse, vec![]),
                sup("s2", "A", 1, nurse, vec![]),
                sup("s3", "B", 3, nurse, vec![Term::spring(2026)]),
                sup("s4", "B", 1, nurse, vec![Term::autumn(2026)]),
                sup("s5", "B", 5, VfuField::SocialWork, vec![]),
                sup("s6", "C", 4, nurse, vec![]),
                sup("s7", "X", 4, VfuField::SocialWork, vec![]),
            ],
            interests: vec![
                HostingInterest {
                    site_id: "A".into(),
                    term: Term::spring(2026),
                    interest: Interest::Yes,
                    capacity: 2,
                    reason: String::new(),
                },
                HostingInterest {
                    site_id: "C".into(),
                    term: Term::spring(2026),
                    interest: Interest::No,
                    capacity: 0,
                    reason: "renovering".into(),
                },
                HostingInterest {
                    site_id: "B".into(),
                    term: Term::autumn(2026),
                    interest: Interest::Yes,
                    capacity: 1,
                    reason: String::new(),
                },
            ],
            placements: vec![],
            locks: vec![],
            seats: HashMap::from([
                (k("2482"), Position { lat: 64.75, lon: 18.0 }),
                (k("2422"), Position { lat: 65.0, lon: 18.0 }),
            ]),
        }
    }

    #[test]
    fn product_defaults_keep_published_placements() {
        assert_eq!(
            default_rules(),
            Rules {
                move_penalty: 60,
                ..Rules::default()
            }
        );
    }

    #[test]
    fn capacities_from_supervisors_and_interest() {
        let w = world();
        let inst = build_instance(&w.data(), &Rules::default());
        let caps: Vec<(&str, i64)> = inst.sites.iter().map(|s| (s.id.as_str(), s.capacity)).collect();
        // A: supervisors 2 + 1 = 3, capped by the interest 2. B: s3 is away VT2026, s5 is not a
        // nurse supervisor, so 1 (the HT2026 answer does not apply). C: answered no. X: not nurse.
        assert_eq!(caps, vec![("A", 2), ("B", 1), ("C", 0)]);
        assert!(inst.sites.iter().all(|s| s.field == "nurse"));
    }

    #[test]
    fn students_positions_wishes() {
        let w = world();
        let inst = build_instance(&w.data(), &Rules::default());
        let a = &inst.students[0];
        assert_eq!((a.lat, a.lon, a.municipality.as_deref()), (65.0, 18.0, Some("2422")));
        // Site wish kept; municipality wish expands to nothing.
        assert_eq!(a.preferences, Some(vec!["B".into()]));
        let b = &inst.students[1];
        // No home position: the seat of 2482.
        assert_eq!((b.lat, b.lon), (64.75, 18.0));
        // The municipality wish is dropped, so A becomes the first preference.
        assert_eq!(b.preferences, Some(vec!["A".into()]));
        // A wish for a site not taking the field is dropped.
        assert_eq!(inst.students[2].preferences, None);
        assert!(inst
            .students
            .iter()
            .all(|s| s.locked_site.is_none() && s.current_site.is_none()));
    }

    #[test]
    fn locks_and_current_sites() {
        let mut w = world();
        w.placements = vec![
            placement("st-a", "A", PlacementStatus::Confirmed),
            placement("st-b", "B", PlacementStatus::Offered),
            placement("st-c", "C", PlacementStatus::Withdrawn),
        ];
        w.locks = vec![ManualLock {
            student_id: "st-c".into(),
            site_id: "C".into(),
        }];
        let inst = build_instance(&w.data(), &Rules::default());
        let s = &inst.students;
        assert_eq!(
            (
                s[0].locked_site.as_ref().map(SiteId::as_str),
                s[0].current_site.as_ref().map(SiteId::as_str)
            ),
            (Some("A"), None)
        );
        assert_eq!(
            (
                s[1].locked_site.as_ref().map(SiteId::as_str),
                s[1].current_site.as_ref().map(SiteId::as_str)
            ),
            (None, Some("B"))
        );
        assert_eq!(
            (
                s[2].locked_site.as_ref().map(SiteId::as_str),
                s[2].current_site.as_ref().map(SiteId::as_str)
            ),
            (Some("C"), None)
        );
        // C answered no (0) but a student is locked there: raised to 1.
        assert_eq!(inst.sites.iter().find(|x| x.id == "C").unwrap().capacity, 1);
        inst.validate().unwrap();
    }

    #[test]
    fn preview_hand_computed() {
        let w = world();
        let p = run(&w.data(), &Rules::default()).unwrap();
        // Capacities A 2, B 1, C 0. Minutes (0.05° = 6, 0.1° = 12, 0.25° = 31, 0.35° = 43):
        // Anna (65.0) → A 0, B 12; Bo (64.75) → A 31, B 43; Cilla (65.1) → A 12, B 0.
        // Costs (home bonus 30 for Anna and Cilla at the 2422 sites; Anna's first preference
        // is B (60), Bo's is A (60)): Anna A −30, B −78; Bo A −29, B 43; Cilla A −18, B −30.
        // B is contested: Anna gains 48 there, Cilla 12 → Anna at B, Bo and Cilla at A:
        // −78 − 29 − 18 = −125.
        assert_eq!(p.objective, -125);
        assert_eq!(p.placed, 3);
        assert!(p.unplaced.is_empty());
        let got: Vec<(&str, &str, i64, i64)> = p
            .assignments
            .iter()
            .map(|a| (a.student.as_str(), a.site.as_str(), a.minutes, a.cost))
            .collect();
        assert_eq!(
            got,
            vec![("st-a", "B", 12, -78), ("st-b", "A", 31, -29), ("st-c", "A", 12, -18)]
        );
        let names: Vec<&str> = p.students.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, vec!["Anna", "Bo", "Cilla"]);
        assert_eq!(p.students[0].site_name.as_deref(), Some("Site B"));
        assert!(p.students[0].home && !p.students[1].home && p.students[2].home);
        assert_eq!(p.summary.placed_home, 2);
        assert!((p.summary.home_share - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(p.summary.placed_share, 1.0);
        assert_eq!(
            p.summary.travel[0],
            TravelBucket {
                minutes: "0-15".into(),
                students: 2
            }
        );
        assert_eq!(p.summary.travel[2].students, 1);
        assert_eq!(
            (p.summary.minutes_min, p.summary.minutes_median, p.summary.minutes_max),
            (12, 12, 31)
        );
    }

    #[test]
    fn preview_unplaced_with_reason_and_move_penalty() {
        let mut w = world();
        // A and B one place each (s2, s4). Costs as above: Anna B −78 and Bo A −29 (−107) beat
        // Anna B + Cilla A (−96) and Anna A + Cilla B (−60): Cilla is unplaced.
        w.supervisors.retain(|s| s.id == "s2" || s.id == "s4");
        let p = run(&w.data(), &Rules::default()).unwrap();
        assert_eq!(
            p.placements(),
            vec![("st-a".into(), "B".into()), ("st-b".into(), "A".into())]
        );
        assert_eq!(p.unplaced, vec!["st-c".to_string()]);
        assert_eq!(
            p.unplaced_reasons["st-c"],
            "All 3 sites in their field within 90 minutes are full (nearest: B (0 min), A (12 min), C (37 min))."
        );
        // (C answered no for VT2026: it is in the instance with capacity 0, so it counts as full.)
        assert_eq!(
            p.students[2].reason.as_deref(),
            Some(p.unplaced_reasons["st-c"].as_str())
        );
        assert_eq!(p.summary.placed, 2);

        // Anna holds the published placement at A. Without a move penalty she moves to B.
        w.placements = vec![placement("st-a", "A", PlacementStatus::Offered)];
        let p = run(&w.data(), &Rules::default()).unwrap();
        assert_eq!(
            p.placements(),
            vec![("st-a".into(), "B".into()), ("st-b".into(), "A".into())]
        );
        assert_eq!(p.summary.moved, 1);
        assert_eq!(p.students[0].current_site.as_ref().map(SiteId::as_str), Some("A"));
        // With 100 she stays: Anna A −30 + Cilla B −30 = −60 beats Anna B (−78 + 100) + Bo A
        // −29 = −7 (each with one student unplaced).
        let rules = Rules {
            move_penalty: 100,
            ..Rules::default()
        };
        let p = run(&w.data(), &rules).unwrap();
        assert_eq!(
            p.placements(),
            vec![("st-a".into(), "A".into()), ("st-c".into(), "B".into())]
        );
        assert_eq!(p.summary.moved, 0);
        assert_eq!(p.objective, -60 + 100_000);
    }
}
