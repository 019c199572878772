//! The VFU part of the demo world: fields and addresses of the demo sites, their hosting
//! interest, about 900 supervisors (about 40 % trained), six VFU periods of the three
//! universities with about 600 students, their placements, and a contact person per
//! municipality. Generated from its own SplitMix64 stream, so the rest of the demo world stays
//! as it was. Names are made up and every record is labelled demo.

use serde::{Deserialize, Serialize};

use super::field::{FieldSpec, TeacherLevel, VfuField};
use super::lifecycle::Timeline;
use super::model::*;
use super::raci::{RaciRole, VfuContact};
use super::{PlacementSite, SiteKind};
use crate::demo::{scatter, DemoRng};
use crate::ids::SiteId;
use crate::region::{MunicipalityRole, ReferenceData};
use crate::vocab::{Day, Term};

/// Supervisors in the demo.
pub const SUPERVISORS: usize = 900;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VfuDemo {
    pub hosting: Vec<HostingInterest>,
    pub supervisors: Vec<Supervisor>,
    pub periods: Vec<VfuPeriod>,
    pub students: Vec<VfuStudent>,
    pub placements: Vec<Placement>,
    pub contacts: Vec<VfuContact>,
}

const FIRST: [&str; 40] = [
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Kerstin", "Ingrid", "Linnea", "Elin", "Hanna", "Ida",
    "Johanna", "Sofia", "Åsa", "Märta", "Frida", "Malin", "Agnes", "Lars", "Erik", "Anders", "Johan", "Per", "Nils",
    "Olof", "Mikael", "Jonas", "Henrik", "Fredrik", "Daniel", "Oskar", "Emil", "Viktor", "Ahmed", "Ali", "Sami",
    "Niila", "Björn",
];
const LAST: [&str; 40] = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Lindberg",
    "Lindström",
    "Lundqvist",
    "Öberg",
    "Sjöberg",
    "Holmgren",
    "Forsberg",
    "Strömberg",
    "Nordin",
    "Lundgren",
    "Bergström",
    "Isaksson",
    "Marklund",
    "Burman",
    "Lidström",
    "Granström",
    "Hedlund",
    "Wiklund",
    "Åström",
    "Nyström",
    "Sandström",
    "Westerlund",
    "Renberg",
    "Kuhmunen",
    "Labba",
    "Päiviö",
    "Niemi",
    "Hussein",
    "Ali",
    "Sundqvist",
];
const STREETS: [&str; 10] = [
    "Storgatan",
    "Skolgatan",
    "Kyrkogatan",
    "Järnvägsgatan",
    "Nygatan",
    "Björkvägen",
    "Tallvägen",
    "Älvvägen",
    "Parkvägen",
    "Centrumvägen",
];
const SUBJECTS_79: [&str; 8] = [
    "matematik",
    "svenska",
    "engelska",
    "no",
    "so",
    "idrott och hälsa",
    "slöjd",
    "musik",
];
const SUBJECTS_GY: [&str; 7] = [
    "matematik",
    "svenska",
    "engelska",
    "samhällskunskap",
    "historia",
    "fysik",
    "kemi",
];
const CARE: [(SiteKind, &str); 3] = [
    (SiteKind::CareHome, "äldrevård"),
    (SiteKind::HomeCare, "hemsjukvård"),
    (SiteKind::HealthCentre, "primärvård"),
];
const SOCIAL: [&str; 5] = [
    "barn och unga",
    "ekonomiskt bistånd",
    "missbruk",
    "äldreomsorg",
    "funktionsnedsättning",
];

fn ascii(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            'é' => 'e',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        })
        .collect()
}

fn pick_n(rng: &mut DemoRng, items: &[&str], n: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    while out.len() < n.min(items.len()) {
        let s = rng.pick(items).to_string();
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Give the demo sites their fields and addresses.
pub fn enrich_sites(rng: &mut DemoRng, sites: &mut [PlacementSite], reference: &ReferenceData) {
    for s in sites.iter_mut() {
        let seat = reference
            .municipalities
            .iter()
            .find(|m| m.code == s.municipality)
            .map(|m| m.seat.as_str())
            .unwrap_or("");
        s.address = format!("{} {}, {}", rng.pick(&STREETS), rng.range(1, 60), seat);
        s.fields = s
            .kind
            .default_fields()
            .into_iter()
            .map(|f| {
                let subjects = match f {
                    VfuField::Teacher(TeacherLevel::Ar79) => pick_n(rng, &SUBJECTS_79, 3),
                    VfuField::Teacher(TeacherLevel::Gymnasium) => pick_n(rng, &SUBJECTS_GY, 3),
                    VfuField::Nurse => CARE
                        .iter()
                        .filter(|(k, _)| *k == s.kind)
                        .map(|(_, c)| c.to_string())
                        .collect(),
                    VfuField::SocialWork => pick_n(rng, &SOCIAL, 2),
                    _ => Vec::new(),
                };
                FieldSpec { field: f, subjects }
            })
            .collect();
    }
}

struct PeriodSpec {
    id: &'static str,
    university: &'static str,
    programme: &'static str,
    course_code: &'static str,
    field: VfuField,
    start: (i32, u8, u8),
    weeks: i64,
    students: u32,
}

const PERIODS: [PeriodSpec; 6] = [
    PeriodSpec {
        id: "demo-ltu-vt26-f3",
        university: "LTU",
        programme: "Grundlärarprogrammet F–3",
        course_code: "L0047P",
        field: VfuField::Teacher(TeacherLevel::F3),
        start: (2026, 1, 19),
        weeks: 5,
        students: 110,
    },
    PeriodSpec {
        id: "demo-miun-vt26-soc",
        university: "MIUN",
        programme: "Socionomprogrammet",
        course_code: "SA039G",
        field: VfuField::SocialWork,
        start: (2026, 2, 2),
        weeks: 10,
        students: 80,
    },
    PeriodSpec {
        id: "demo-umu-vt26-ssk",
        university: "UmU",
        programme: "Sjuksköterskeprogrammet",
        course_code: "3OM141",
        field: VfuField::Nurse,
        start: (2026, 3, 2),
        weeks: 8,
        students: 130,
    },
    PeriodSpec {
        id: "demo-umu-ht26-fsk",
        university: "UmU",
        programme: "Förskollärarprogrammet",
        course_code: "6PE207",
        field: VfuField::Teacher(TeacherLevel::Forskola),
        start: (2026, 9, 14),
        weeks: 5,
        students: 100,
    },
    PeriodSpec {
        id: "demo-ltu-ht26-79",
        university: "LTU",
        programme: "Ämneslärarprogrammet 7–9",
        course_code: "L0105P",
        field: VfuField::Teacher(TeacherLevel::Ar79),
        start: (2026, 10, 5),
        weeks: 6,
        students: 80,
    },
    PeriodSpec {
        id: "demo-miun-ht26-46",
        university: "MIUN",
        programme: "Grundlärarprogrammet 4–6",
        course_code: "GR045G",
        field: VfuField::Teacher(TeacherLevel::Ar46),
        start: (2026, 11, 2),
        weeks: 5,
        students: 100,
    },
];

/// The VFU records of the demo world for `sites` (already enriched).
pub fn generate(rng: &mut DemoRng, sites: &[PlacementSite], reference: &ReferenceData) -> VfuDemo {
    let mut demo = VfuDemo::default();
    let unis: Vec<&str> = reference.universities.iter().map(|u| u.code.as_str()).collect();
    let unis = if unis.is_empty() {
        vec!["LTU", "UmU", "MIUN"]
    } else {
        unis
    };
    let participants: Vec<_> = reference
        .municipalities
        .iter()
        .filter(|m| m.role == MunicipalityRole::Participant)
        .collect();
    if sites.is_empty() || participants.is_empty() {
        return demo;
    }
    let terms = [Term::spring(2026), Term::autumn(2026)];

    // Hosting interest per site and term.
    for s in sites {
        for term in terms {
            let x = rng.unit();
            let (interest, capacity, reason) = if x < 0.7 {
                (Interest::Yes, rng.range(1, 3) as u32, String::new())
            } else if x < 0.9 {
                (Interest::Maybe, rng.range(0, 2) as u32, String::new())
            } else {
                (
                    Interest::No,
                    0,
                    rng.pick(&[
                        "Ombyggnad",
                        "Många nyanställda",
                        "Brist på handledare",
                        "Föräldraledigheter",
                    ])
                    .to_string(),
                )
            };
            demo.hosting.push(HostingInterest {
                site_id: s.id.clone(),
                term,
                interest,
                capacity,
                reason,
            });
        }
    }

    // Supervisors: about 2 per site, round robin until SUPERVISORS.
    let mut per_site = vec![0usize; sites.len()];
    let mut i = 0;
    while demo.supervisors.len() < SUPERVISORS {
        let si = i % sites.len();
        i += 1;
        if per_site[si] >= 1 && rng.unit() < 0.35 {
            continue;
        }
        per_site[si] += 1;
        let site = &sites[si];
        let n = demo.supervisors.len() + 1;
        let (first, last) = (*rng.pick(&FIRST), *rng.pick(&LAST));
        let x = rng.unit();
        let level = if x < 0.40 {
            TrainingLevel::Completed
        } else if x < 0.50 {
            TrainingLevel::CourseStarted
        } else if x < 0.65 {
            TrainingLevel::Introduction
        } else {
            TrainingLevel::None
        };
        let date = match level {
            TrainingLevel::Completed => Some(Day::ymd(
                rng.range(2014, 2025) as i32,
                rng.range(1, 12) as u8,
                rng.range(1, 28) as u8,
            )),
            TrainingLevel::CourseStarted => Some(Day::ymd(2025, rng.range(8, 11) as u8, rng.range(1, 28) as u8)),
            _ => None,
        };
        let university = matches!(level, TrainingLevel::Completed | TrainingLevel::CourseStarted)
            .then(|| rng.pick(&unis).to_string());
        let fields = if site.fields.len() > 1 && rng.unit() < 0.6 {
            vec![site.fields[rng.range(0, site.fields.len() as i64 - 1) as usize].clone()]
        } else {
            site.fields.clone()
        };
        let (invite, invite_date) = match level {
            TrainingLevel::CourseStarted => (InviteStatus::Enrolled, date),
            TrainingLevel::Completed | TrainingLevel::None | TrainingLevel::Introduction
                if rng.unit() < 0.1 && level != TrainingLevel::Completed =>
            {
                (
                    InviteStatus::Invited,
                    Some(Day::ymd(2025, rng.range(9, 11) as u8, rng.range(1, 28) as u8)),
                )
            }
            _ => (InviteStatus::NotInvited, None),
        };
        demo.supervisors.push(Supervisor {
            id: format!("demo-sup-{n:04}").into(),
            person_id: format!("p-demo-sup-{n:04}").into(),
            name: format!("{first} {last}"),
            email: format!(
                "{}.{}.{n}@demo.{}.kkig.se",
                ascii(first),
                ascii(last),
                site.municipality
            ),
            phone: format!(
                "070-{:03} {:02} {:02}",
                rng.range(100, 999),
                rng.range(10, 99),
                rng.range(10, 99)
            ),
            municipality: site.municipality,
            site_id: Some(site.id.clone()),
            fields,
            employment_percent: *rng.pick(&[100.0, 100.0, 100.0, 100.0, 87.5, 80.0, 75.0, 50.0]),
            training: Training {
                level,
                date,
                university,
            },
            students_per_period: if rng.unit() < 0.8 { 1 } else { 2 },
            unavailable_terms: if rng.unit() < 0.08 {
                vec![*rng.pick(&terms)]
            } else {
                Vec::new()
            },
            consent_contact: rng.unit() < 0.85,
            invite,
            invite_date,
        });
    }

    // Periods.
    for p in &PERIODS {
        let start = Day::ymd(p.start.0, p.start.1, p.start.2);
        let end = start.plus_days(7 * p.weeks - 3);
        demo.periods.push(VfuPeriod {
            id: p.id.into(),
            university: p.university.into(),
            programme: p.programme.into(),
            course_code: p.course_code.into(),
            term: Term::of(start),
            start,
            end,
            field: p.field,
            students: p.students,
            requirements: Requirement::defaults_for(p.field),
            capacity_deadline: Timeline::default_capacity_deadline(start),
        });
    }

    // Students: home municipality by population; wishes mostly at home.
    let total: i64 = participants.iter().map(|m| m.population).sum();
    let mut n = 0;
    for (pi, p) in PERIODS.iter().enumerate() {
        let period = demo.periods[pi].clone();
        let mut seats: std::collections::BTreeMap<&SiteId, u32> = std::collections::BTreeMap::new();
        for s in sites.iter().filter(|s| s.fields.iter().any(|f| f.field == p.field)) {
            let cap: u32 = demo
                .supervisors
                .iter()
                .filter(|x| x.site_id.as_ref() == Some(&s.id) && x.has_field(p.field) && x.available_in(period.term))
                .map(|x| x.students_per_period)
                .sum();
            seats.insert(&s.id, cap);
        }
        for _ in 0..p.students {
            n += 1;
            let mut x = rng.range(0, total - 1);
            let home = participants.iter().find(|m| {
                x -= m.population;
                x < 0
            });
            let home = home.unwrap_or(&participants[0]);
            let (first, last) = (*rng.pick(&FIRST), *rng.pick(&LAST));
            let local: Vec<&PlacementSite> = sites
                .iter()
                .filter(|s| s.municipality == home.code && s.fields.iter().any(|f| f.field == p.field))
                .collect();
            let mut wishes = Vec::new();
            if !local.is_empty() && rng.unit() < 0.6 {
                wishes.push(Wish::Site(rng.pick(&local).id.clone()));
            }
            if rng.unit() < 0.7 {
                wishes.push(Wish::Municipality(home.code));
            }
            if rng.unit() < 0.3 {
                let other = rng.pick(&participants).code;
                if other != home.code {
                    wishes.push(Wish::Municipality(other));
                }
            }
            let requirements = match p.field {
                VfuField::Teacher(_) if rng.unit() < 0.93 => {
                    vec![RequirementStatus {
                        code: "registerutdrag".into(),
                        issued: Some(period.start.plus_days(-rng.range(20, 400))),
                    }]
                }
                _ => Vec::new(),
            };
            let priority = if rng.unit() < 0.04 {
                Some(*rng.pick(&PriorityReason::ALL))
            } else {
                None
            };
            let student = VfuStudent {
                id: format!("demo-stu-{n:04}").into(),
                person_id: format!("p-demo-stu-{n:04}").into(),
                period_id: period.id.clone(),
                name: format!("{first} {last}"),
                email: format!(
                    "{}.{}.{n}@student.demo.{}.kkig.se",
                    ascii(first),
                    ascii(last),
                    p.university.to_lowercase()
                ),
                home_municipality: home.code,
                home_position: Some(scatter(rng, home.position, 20.0)),
                field: p.field,
                subjects: match p.field {
                    VfuField::Teacher(TeacherLevel::Ar79) => pick_n(rng, &SUBJECTS_79, 2),
                    _ => Vec::new(),
                },
                wishes,
                needs: Needs {
                    no_driving_licence: rng.unit() < 0.15,
                    needs_public_transport: rng.unit() < 0.1,
                    priority,
                    note: String::new(),
                },
                requirements,
            };
            // A placement: the first wished site with a free seat, else a free seat at home,
            // else anywhere in the region; spring placements are confirmed, autumn ones offered.
            let wished = student.wishes.iter().find_map(|w| match w {
                Wish::Site(id) if seats.get(id).copied().unwrap_or(0) > 0 => Some(id.clone()),
                _ => None,
            });
            let at_home = || {
                local
                    .iter()
                    .find(|s| seats.get(&s.id).copied().unwrap_or(0) > 0)
                    .map(|s| s.id.clone())
            };
            let anywhere = || seats.iter().find(|(_, c)| **c > 0).map(|(id, _)| (*id).clone());
            let chosen = if rng.unit() < 0.92 {
                wished.or_else(at_home).or_else(anywhere)
            } else {
                None
            };
            if let Some(site_id) = chosen {
                if let Some(c) = seats.get_mut(&site_id) {
                    *c -= 1;
                }
                let t = Timeline::for_period(&period, &Default::default());
                let status = if period.term == Term::spring(2026) {
                    PlacementStatus::Confirmed
                } else {
                    PlacementStatus::Offered
                };
                let mut pl = Placement::start(
                    format!("demo-pl-{n:04}").into(),
                    student.id.clone(),
                    site_id.clone(),
                    PlacementStatus::Requested,
                    t.allocation,
                )
                .unwrap_or_else(|_| unreachable!("requested is a first status"));
                let _ = pl.transition(PlacementStatus::Offered, t.published);
                if status == PlacementStatus::Confirmed {
                    let _ = pl.transition(PlacementStatus::Confirmed, t.final_lists);
                }
                let site_municipality = sites.iter().find(|s| s.id == site_id).map(|s| s.municipality);
                pl.waiting_for_better = site_municipality != Some(home.code) && rng.unit() < 0.3;
                pl.supervisor_id = demo
                    .supervisors
                    .iter()
                    .find(|x| x.site_id.as_ref() == Some(&site_id) && x.has_field(p.field))
                    .map(|x| x.id.clone());
                demo.placements.push(pl);
            }
            demo.students.push(student);
        }
    }

    // A municipal VFU coordinator per participant.
    for (i, m) in participants.iter().enumerate() {
        let (first, last) = (*rng.pick(&FIRST), *rng.pick(&LAST));
        demo.contacts.push(VfuContact {
            id: format!("demo-con-{:02}", i + 1),
            person_id: format!("p-demo-con-{:02}", i + 1).into(),
            municipality: m.code,
            role: RaciRole::MunicipalCoordinator,
            programme: None,
            name: format!("{first} {last}"),
            email: format!("vfu.{}@demo.{}.kkig.se", i + 1, m.code),
            phone: format!(
                "0{}-{:02} {:02} {:02}",
                rng.range(910, 980),
                rng.range(10, 99),
                rng.range(10, 99),
                rng.range(10, 99)
            ),
            title: format!("Kommunal VFU-samordnare, {} kommun", m.name),
        });
    }
    demo
}
