//! The VFU registry's rules, tested: validation, lifecycle, timeline, waiting list and views.

use std::collections::{BTreeMap, BTreeSet};

use super::input::*;
use super::lifecycle::*;
use super::raci::*;
use super::views::*;
use super::wishes::*;
use super::*;

fn k(s: &str) -> Kommunkod {
    Kommunkod::parse(s).unwrap()
}

fn ctx() -> VfuContext {
    let mut c = VfuContext::default();
    for (code, lat, lon) in [("2422", 65.53, 17.53), ("2482", 64.75, 20.95), ("2462", 64.6, 16.65)] {
        c.municipalities.insert(k(code), Position::new(lat, lon).unwrap());
    }
    c.universities = ["LTU", "UmU", "MIUN"].into_iter().map(String::from).collect();
    c.sites.insert("s-1".into(), k("2422"));
    c.sites.insert("s-2".into(), k("2482"));
    c.periods.insert(
        "p-1".into(),
        input::PeriodRef {
            university: "UmU".into(),
            field: VfuField::Teacher(TeacherLevel::F3),
            start: Day::ymd(2026, 1, 19),
            end: Day::ymd(2026, 2, 20),
        },
    );
    c
}

fn fields_of(e: &[FieldError]) -> Vec<&str> {
    e.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn fields_terms_and_days_parse_from_their_file_forms() {
    for f in VfuField::ALL {
        assert_eq!(VfuField::parse(f.code()), Some(f));
        assert_eq!(serde_json::to_string(&f).unwrap(), format!("\"{}\"", f.code()));
        assert!(!f.label_sv().is_empty());
    }
    assert_eq!(VfuField::parse("F-3"), Some(VfuField::Teacher(TeacherLevel::F3)));
    assert_eq!(
        VfuField::parse(" Förskola "),
        Some(VfuField::Teacher(TeacherLevel::Forskola))
    );
    assert_eq!(VfuField::parse("7–9"), Some(VfuField::Teacher(TeacherLevel::Ar79)));
    assert_eq!(VfuField::parse("läkare"), None);
    let list = FieldSpec::parse_list("teacher_f3:Svenska, matematik|nurse").unwrap();
    assert_eq!(
        list,
        vec![
            FieldSpec::with(VfuField::Teacher(TeacherLevel::F3), &["svenska", "matematik"]),
            FieldSpec::new(VfuField::Nurse)
        ]
    );
    assert_eq!(FieldSpec::format_list(&list), "teacher_f3:svenska,matematik|nurse");
    assert!(FieldSpec::parse_list("nurse|nurse").unwrap_err().contains("twice"));
    assert!(FieldSpec::parse_list("pilot").unwrap_err().contains("teacher_f3"));

    for (s, want) in [
        ("VT2026", Term::spring(2026)),
        ("ht 2026", Term::autumn(2026)),
        ("vt26", Term::spring(2026)),
        ("2027HT", Term::autumn(2027)),
    ] {
        assert_eq!(Term::parse(s).unwrap(), want, "{s}");
    }
    for bad in ["", "2026", "ST2026", "VT20261", "VTxx"] {
        assert!(Term::parse(bad).is_err(), "{bad}");
    }
    assert!(Term::spring(2026) < Term::autumn(2026) && Term::autumn(2026) < Term::spring(2027));
    assert_eq!(Term::of(Day::ymd(2026, 7, 31)), Term::spring(2026));
    assert_eq!(Term::of(Day::ymd(2026, 8, 1)), Term::autumn(2026));
    assert_eq!(Term::autumn(2026).to_string(), "HT2026");

    assert_eq!(Day::parse("2025-01-31").unwrap().to_string(), "2025-01-31");
    assert_eq!(Day::parse("2025-01-31 00:00").unwrap(), Day::ymd(2025, 1, 31));
    for bad in ["2025-02-29", "31/01/2025", "2025-1-31", "2025-01-31 noon", ""] {
        assert!(Day::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn site_validation_names_each_bad_field() {
    let good = SiteInput {
        id: "s-9".into(),
        municipality: "2422".into(),
        name: "Björkskolan".into(),
        kind: "school".into(),
        address: "Skolgatan 3".into(),
        lat: "65,5".into(),
        lon: "17.5".into(),
        fields: "teacher_f3:svenska|teacher_4_6".into(),
    };
    let site = good.parse(&ctx()).unwrap();
    assert_eq!(site.position, Position::new(65.5, 17.5).unwrap());
    assert_eq!(site.fields.len(), 2);
    // Without coordinates the site takes the municipality's seat.
    let seat = SiteInput {
        lat: String::new(),
        lon: String::new(),
        ..good.clone()
    }
    .parse(&ctx())
    .unwrap();
    assert_eq!(seat.position, Position::new(65.53, 17.53).unwrap());

    type Edit = fn(&mut SiteInput);
    let cases: Vec<(Edit, &str)> = vec![
        (|s| s.municipality = "9999".into(), "municipality"),
        (|s| s.municipality = "0180".into(), "municipality"),
        (|s| s.municipality = String::new(), "municipality"),
        (|s| s.name = "  ".into(), "name"),
        (|s| s.kind = "hospital".into(), "kind"),
        (|s| s.lat = "95".into(), "lat"),
        (|s| s.lon = String::new(), "lon"),
        (|s| s.lat = "x".into(), "lat"),
        (|s| s.fields = "pilot".into(), "fields"),
        (|s| s.fields = String::new(), "fields"),
        (|s| s.fields = "nurse".into(), "fields"),
        (|s| s.id = "a b".into(), "id"),
    ];
    for (edit, field) in cases {
        let mut input = good.clone();
        edit(&mut input);
        let errors = input.parse(&ctx()).unwrap_err();
        assert!(fields_of(&errors).contains(&field), "{input:?}: {errors:?}");
    }
}

#[test]
fn supervisor_validation_names_each_bad_field() {
    let good = SupervisorInput {
        email: " Anna.Berg@Sorsele.se ".into(),
        name: "Anna Berg".into(),
        site_id: "s-1".into(),
        fields: "teacher_f3:matematik".into(),
        employment_percent: "87,5".into(),
        training: "completed".into(),
        training_date: "2024-06-01 00:00".into(),
        training_university: "UmU".into(),
        students_per_period: "2".into(),
        unavailable_terms: "VT2027".into(),
        consent_contact: "ja".into(),
        ..Default::default()
    };
    let s = good.parse(&ctx()).unwrap();
    assert_eq!(s.email, "anna.berg@sorsele.se");
    assert_eq!(s.municipality, k("2422"), "from the site");
    assert_eq!(s.employment_percent, 87.5);
    assert!(s.is_trained() && s.consent_contact && !s.available_in(Term::spring(2027)));

    type Edit = fn(&mut SupervisorInput);
    let cases: Vec<(Edit, &str)> = vec![
        (|s| s.email = "anna".into(), "email"),
        (|s| s.email = String::new(), "email"),
        (|s| s.name = String::new(), "name"),
        (|s| s.site_id = "nope".into(), "site_id"),
        (|s| s.municipality = "2482".into(), "site_id"),
        (|s| s.fields = String::new(), "fields"),
        (|s| s.employment_percent = "120".into(), "employment_percent"),
        (|s| s.employment_percent = "0".into(), "employment_percent"),
        (|s| s.employment_percent = "full".into(), "employment_percent"),
        (|s| s.training = "phd".into(), "training"),
        (|s| s.training_date = String::new(), "training_date"),
        (|s| s.training_date = "2024-13-01".into(), "training_date"),
        (|s| s.training_university = "KTH".into(), "training_university"),
        (|s| s.students_per_period = "-1".into(), "students_per_period"),
        (|s| s.students_per_period = "11".into(), "students_per_period"),
        (|s| s.unavailable_terms = "sommar".into(), "unavailable_terms"),
        (|s| s.consent_contact = "kanske".into(), "consent_contact"),
        (|s| s.invite = "invited".into(), "invite_date"),
    ];
    for (edit, field) in cases {
        let mut input = good.clone();
        edit(&mut input);
        let errors = input.parse(&ctx()).unwrap_err();
        assert!(fields_of(&errors).contains(&field), "{field}: {errors:?}");
        assert!(errors.iter().all(|e| !e.message.is_empty()));
    }
    let below = SupervisorInput {
        students_per_period: "-1".into(),
        ..good.clone()
    }
    .parse(&ctx())
    .unwrap_err();
    assert!(below[0].message.contains("below zero"), "{below:?}");
}

#[test]
fn period_validation_names_each_bad_field() {
    let good = PeriodInput {
        id: "umu-vt26-f3".into(),
        university: "umu".into(),
        programme: "Grundlärarprogrammet F–3".into(),
        course_code: "6pe123".into(),
        start: "2026-01-19".into(),
        end: "2026-02-20".into(),
        field: "teacher_f3".into(),
        students: "40".into(),
        ..Default::default()
    };
    let p = good.parse(&ctx()).unwrap();
    assert_eq!(
        (p.university.as_str(), p.course_code.as_str(), p.term),
        ("UmU", "6PE123", Term::spring(2026))
    );
    assert_eq!(
        p.requirements,
        vec![Requirement::registerutdrag()],
        "school VFU needs a registerutdrag by default"
    );
    assert_eq!(p.capacity_deadline, Day::ymd(2025, 10, 27), "12 weeks before");
    assert_eq!(p.weeks(), 5);
    let none = PeriodInput {
        requirements: "-".into(),
        ..good.clone()
    }
    .parse(&ctx())
    .unwrap();
    assert!(none.requirements.is_empty());
    let custom = PeriodInput {
        requirements: "registerutdrag|hepatit_b:730".into(),
        ..good.clone()
    }
    .parse(&ctx())
    .unwrap();
    assert_eq!(
        format_requirements(&custom.requirements),
        "registerutdrag:365|hepatit_b:730"
    );

    type Edit = fn(&mut PeriodInput);
    let cases: Vec<(Edit, &str)> = vec![
        (|p| p.university = "KTH".into(), "university"),
        (|p| p.programme = String::new(), "programme"),
        (|p| p.course_code = "6PE-12".into(), "course_code"),
        (|p| p.end = "2026-01-18".into(), "end"),
        (|p| p.start = String::new(), "start"),
        (|p| p.term = "HT2026".into(), "term"),
        (|p| p.field = "pilot".into(), "field"),
        (|p| p.students = "-3".into(), "students"),
        (|p| p.capacity_deadline = "2026-02-01".into(), "capacity_deadline"),
        (|p| p.requirements = "a b".into(), "requirements"),
    ];
    for (edit, field) in cases {
        let mut input = good.clone();
        edit(&mut input);
        let errors = input.parse(&ctx()).unwrap_err();
        assert!(fields_of(&errors).contains(&field), "{field}: {errors:?}");
    }
    let order = PeriodInput {
        end: "2026-01-01".into(),
        ..good
    }
    .parse(&ctx())
    .unwrap_err();
    assert_eq!(order[0].message, "end 2026-01-01 is before start 2026-01-19");
}

#[test]
fn student_validation_names_each_bad_field() {
    let good = StudentInput {
        period_id: "p-1".into(),
        email: "stina@student.umu.se".into(),
        name: "Stina Ek".into(),
        home_municipality: "2422".into(),
        wishes: "s-1|2482".into(),
        no_driving_licence: "x".into(),
        priority: "sole_caregiver".into(),
        registerutdrag: "2025-12-01".into(),
        ..Default::default()
    };
    let s = good.parse(&ctx()).unwrap();
    assert_eq!(s.field, VfuField::Teacher(TeacherLevel::F3), "the period's field");
    assert_eq!(s.wishes, vec![Wish::Site("s-1".into()), Wish::Municipality(k("2482"))]);
    assert!(s.needs.no_driving_licence && s.needs.priority == Some(PriorityReason::SoleCaregiver));

    type Edit = fn(&mut StudentInput);
    let cases: Vec<(Edit, &str)> = vec![
        (|s| s.period_id = "p-9".into(), "period_id"),
        (|s| s.email = "stina@".into(), "email"),
        (|s| s.name = String::new(), "name"),
        (|s| s.home_municipality = "9999".into(), "home_municipality"),
        (|s| s.home_municipality = "0180".into(), "home_municipality"),
        (|s| s.home_lat = "65".into(), "home_lon"),
        (|s| s.field = "nurse".into(), "field"),
        (|s| s.wishes = "s-1|s-2|2422|2482".into(), "wishes"),
        (|s| s.wishes = "s-9".into(), "wishes"),
        (|s| s.wishes = "s-1|s-1".into(), "wishes"),
        (|s| s.priority = "vip".into(), "priority"),
        (|s| s.registerutdrag = "igår".into(), "registerutdrag"),
        (|s| s.needs_public_transport = "2".into(), "needs_public_transport"),
    ];
    for (edit, field) in cases {
        let mut input = good.clone();
        edit(&mut input);
        let errors = input.parse(&ctx()).unwrap_err();
        assert!(fields_of(&errors).contains(&field), "{field}: {errors:?}");
    }
}

#[test]
fn an_input_is_validated_the_same_against_just_the_records_it_names() {
    // A store loads, for one record's input, only the sites and periods `refs()` names: that
    // context must give every answer the whole registry gives, and hold nothing else.
    let full = ctx();
    let cut = |refs: &VfuRefs| {
        let c = full.restricted_to(refs);
        assert!(c.sites.keys().all(|id| refs.sites.contains(id)), "{refs:?}");
        assert!(c.periods.keys().all(|id| refs.periods.contains(id)), "{refs:?}");
        c
    };
    for (m, site_id) in [
        ("2422", "s-1"),
        ("", " s-2 "),
        ("2482", "s-1"),
        ("", "s-9"),
        ("2422", ""),
    ] {
        let i = SupervisorInput {
            email: "ann@kommun.se".into(),
            name: "Ann".into(),
            municipality: m.into(),
            site_id: site_id.into(),
            fields: "teacher_f3".into(),
            ..Default::default()
        };
        assert_eq!(i.parse(&cut(&i.refs())), i.parse(&full), "supervisor at {site_id:?}");
    }
    for site_id in ["s-1", " s-2", "s-9", ""] {
        let i = HostingInput {
            site_id: site_id.into(),
            term: "HT2026".into(),
            interest: "ja".into(),
            capacity: "2".into(),
            reason: String::new(),
        };
        assert_eq!(i.parse(&cut(&i.refs())), i.parse(&full), "hosting at {site_id:?}");
    }
    let site = SiteInput {
        municipality: "2422".into(),
        name: "Skolan".into(),
        kind: "school".into(),
        fields: "teacher_f3".into(),
        ..Default::default()
    };
    assert!(cut(&site.refs()).sites.is_empty());
    assert_eq!(site.parse(&cut(&site.refs())), site.parse(&full));
    let period = PeriodInput {
        university: "umu".into(),
        programme: "Grundlärare F-3".into(),
        course_code: "6PE123".into(),
        start: "2026-09-07".into(),
        end: "2026-10-09".into(),
        field: "teacher_f3".into(),
        ..Default::default()
    };
    assert!(cut(&period.refs()).periods.is_empty());
    assert_eq!(period.parse(&cut(&period.refs())), period.parse(&full));
    for period_id in ["p-1", " p-1 ", "p-9", ""] {
        for wishes in ["s-1|2482", " s-2 | s-1 ", "s-9", "s-1|s-1", "2422", ""] {
            let i = StudentInput {
                period_id: period_id.into(),
                email: "stina@student.umu.se".into(),
                name: "Stina Ek".into(),
                home_municipality: "2422".into(),
                wishes: wishes.into(),
                ..Default::default()
            };
            assert_eq!(
                i.parse(&cut(&i.refs())),
                i.parse(&full),
                "student on {period_id:?} wishing {wishes:?}"
            );
        }
    }
    let s = StudentInput {
        period_id: "p-1".into(),
        email: "stina@student.umu.se".into(),
        name: "Stina Ek".into(),
        home_municipality: "2422".into(),
        wishes: "s-1".into(),
        ..Default::default()
    }
    .parse(&full)
    .unwrap();
    for (w1, w2) in [
        ("s-2", "2482"),
        (" s-1 ", "s-9"),
        ("s-1|s-2", ""),
        ("s-2", "s-2"),
        ("", ""),
    ] {
        let w = WishesInput {
            wish1: w1.into(),
            wish2: w2.into(),
            ..Default::default()
        };
        assert_eq!(
            w.apply(&s, &cut(&w.refs(&s))),
            w.apply(&s, &full),
            "wishes {w1:?}, {w2:?}"
        );
    }
}

#[test]
fn hosting_interest_rules() {
    let ok = HostingInput {
        site_id: "s-1".into(),
        term: "HT2026".into(),
        interest: "ja".into(),
        capacity: "2".into(),
        reason: String::new(),
    };
    assert_eq!(ok.parse(&ctx()).unwrap().interest, Interest::Yes);
    type Edit = fn(&mut HostingInput);
    let cases: Vec<(Edit, &str)> = vec![
        (|h| h.site_id = "s-9".into(), "site_id"),
        (|h| h.term = "2026".into(), "term"),
        (|h| h.interest = "gärna".into(), "interest"),
        (|h| h.capacity = "-1".into(), "capacity"),
        (|h| h.capacity = "0".into(), "capacity"),
        (
            |h| {
                h.interest = "nej".into();
                h.capacity = "0".into();
            },
            "reason",
        ),
    ];
    for (edit, field) in cases {
        let mut input = ok.clone();
        edit(&mut input);
        let errors = input.parse(&ctx()).unwrap_err();
        assert!(fields_of(&errors).contains(&field), "{field}: {errors:?}");
    }
}

#[test]
fn requirements_are_checked_against_the_start() {
    let req = Requirement::registerutdrag();
    let start = Day::ymd(2026, 1, 19);
    let ev = |d: Option<Day>| {
        vec![RequirementStatus {
            code: "registerutdrag".into(),
            issued: d,
        }]
    };
    assert_eq!(check_requirement(&req, &[], start), RequirementCheck::Missing);
    assert_eq!(check_requirement(&req, &ev(None), start), RequirementCheck::Missing);
    assert_eq!(
        check_requirement(&req, &ev(Some(Day::ymd(2025, 1, 19))), start),
        RequirementCheck::Met,
        "365 days old"
    );
    assert_eq!(
        check_requirement(&req, &ev(Some(Day::ymd(2025, 1, 18))), start),
        RequirementCheck::TooOld
    );
}

#[test]
fn duplicate_keys_are_found() {
    assert_eq!(duplicates(["a", "b", "a", "c", "b"]), vec![(2, 0), (4, 1)]);
    assert!(duplicates(Vec::<String>::new()).is_empty());
}

#[test]
fn lifecycle_transitions_as_a_table() {
    use PlacementStatus::*;
    // Rows: from; columns: to in the order of ALL (requested … withdrawn).
    let table: [(PlacementStatus, [bool; 6]); 6] = [
        (Requested, [false, true, false, false, false, true]),
        (Offered, [false, false, true, false, false, true]),
        (Confirmed, [false, false, false, true, false, true]),
        (Started, [false, false, false, false, true, true]),
        (Completed, [false; 6]),
        (Withdrawn, [false; 6]),
    ];
    for (from, row) in table {
        for (to, want) in PlacementStatus::ALL.into_iter().zip(row) {
            assert_eq!(may_transition(from, to), want, "{from:?} → {to:?}");
        }
    }
}

#[test]
fn transitions_stamp_dates_and_refuse_the_wrong_order() {
    use PlacementStatus::*;
    let d = |m, day| Day::ymd(2026, m, day);
    let mut p = Placement::start("pl-1".into(), "stu-1".into(), "s-1".into(), Requested, d(10, 1)).unwrap();
    assert!(Placement::start("x".into(), "y".into(), "z".into(), Started, d(10, 1)).is_err());
    p.transition(Offered, d(10, 20)).unwrap();
    p.waiting_for_better = true;
    let err = p.transition(Completed, d(10, 21)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a placement cannot go from offered to completed; from offered it can go to confirmed, withdrawn"
    );
    assert!(matches!(
        p.transition(Confirmed, d(10, 19)),
        Err(LifecycleError::BeforeLast { .. })
    ));
    p.transition(Confirmed, d(10, 22)).unwrap();
    p.transition(Started, d(11, 2)).unwrap();
    p.transition(Completed, d(12, 4)).unwrap();
    assert!(!p.waiting_for_better, "a finished placement leaves the waiting list");
    assert_eq!(p.date_of(Offered), Some(d(10, 20)));
    assert_eq!(p.date_of(Completed), Some(d(12, 4)));
    assert_eq!(p.history.len(), 5);
    let err = p.transition(Withdrawn, d(12, 5)).unwrap_err();
    assert!(err.to_string().contains("nothing (it is final)"), "{err}");
}

#[test]
fn timeline_counts_weeks_back_from_the_start() {
    // Monday 2026-01-19.
    let t = Timeline::new(Day::ymd(2026, 1, 19), &TimelineRules::default());
    assert_eq!(t.capacity_confirmed, Day::ymd(2025, 10, 27), "12 weeks");
    assert_eq!(t.allocation, Day::ymd(2025, 11, 10), "10 weeks");
    assert_eq!(t.published, Day::ymd(2025, 11, 24), "8 weeks");
    assert_eq!(t.appeal_closes, Day::ymd(2025, 12, 8), "published + 14 days");
    assert_eq!(t.final_lists, Day::ymd(2025, 12, 15), "5 weeks");
    let days: Vec<Day> = t.milestones().iter().map(|m| m.2).collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "in order");
}

fn student(id: &str, period: &str, home: &str, wishes: &[Wish], priority: bool) -> VfuStudent {
    VfuStudent {
        id: id.into(),
        person_id: format!("p-{id}").into(),
        period_id: period.into(),
        name: id.into(),
        email: format!("{id}@x.se"),
        home_municipality: k(home),
        home_position: None,
        field: VfuField::Nurse,
        subjects: vec![],
        wishes: wishes.to_vec(),
        needs: Needs {
            priority: priority.then_some(PriorityReason::Medical),
            ..Default::default()
        },
        requirements: vec![],
    }
}

#[test]
fn the_waiting_list_orders_by_priority_wish_and_time() {
    use PlacementStatus::*;
    let d = |day| Day::ymd(2026, 3, day);
    let site_m = |id: &SiteId| {
        Some(if id.as_str().starts_with("a") {
            k("2422")
        } else {
            k("2482")
        })
    };
    let students = vec![
        student("s1", "p", "2422", &[Wish::Site("a-1".into())], false),
        student("s2", "p", "2422", &[Wish::Municipality(k("2422"))], true),
        student(
            "s3",
            "p",
            "2422",
            &[Wish::Site("b-1".into()), Wish::Site("a-1".into())],
            false,
        ),
        student("s4", "p", "2422", &[Wish::Site("a-1".into())], false),
    ];
    let mut placements = vec![];
    for (i, s) in students.iter().enumerate() {
        let mut p = Placement::start(
            format!("pl{i}").into(),
            s.id.clone(),
            "b-2".into(),
            Offered,
            d(1 + i as u8),
        )
        .unwrap();
        p.waiting_for_better = s.id != "s4";
        placements.push(p);
    }
    // s3 already sits at its first wish.
    placements[2].site_id = "b-1".into();
    let list = waiting_list_for(&"a-1".into(), k("2422"), &students, &placements, site_m);
    let ids: Vec<&str> = list.iter().map(|c| c.student_id.as_str()).collect();
    assert_eq!(
        ids,
        ["s2", "s1"],
        "priority first; s3 is happier where it is; s4 is not waiting"
    );
    assert_eq!(list[1].rank_of_freed, 0);
}

fn period(id: &str, field: VfuField, uni: &str, start: Day, end: Day, students: u32) -> VfuPeriod {
    VfuPeriod {
        id: id.into(),
        university: uni.into(),
        programme: "P".into(),
        course_code: "C1".into(),
        term: Term::of(start),
        start,
        end,
        field,
        students,
        requirements: vec![],
        capacity_deadline: start,
    }
}

fn supervisor(id: &str, m: &str, field: VfuField, level: TrainingLevel, cap: u32, consent: bool) -> Supervisor {
    Supervisor {
        id: id.into(),
        person_id: format!("p-{id}").into(),
        name: id.into(),
        email: format!("{id}@x.se"),
        phone: String::new(),
        municipality: k(m),
        site_id: None,
        fields: vec![FieldSpec::new(field)],
        employment_percent: 100.0,
        training: Training {
            level,
            date: None,
            university: None,
        },
        students_per_period: cap,
        unavailable_terms: vec![],
        consent_contact: consent,
        invite: InviteStatus::NotInvited,
        invite_date: None,
    }
}

#[test]
fn training_need_by_hand() {
    use TrainingLevel::*;
    let vt = Day::ymd(2026, 1, 19);
    let ht = Day::ymd(2026, 9, 7);
    let periods = vec![
        // 10 places, 4 listed (3 from Sorsele): 6 not yet listed.
        period("n1", VfuField::Nurse, "UmU", vt, vt.plus_days(34), 10),
        // 5 places, none listed.
        period("n2", VfuField::Nurse, "LTU", ht, ht.plus_days(34), 5),
        period("sw", VfuField::SocialWork, "MIUN", vt, vt.plus_days(34), 0),
    ];
    let students = vec![
        student("a", "n1", "2422", &[], false),
        student("b", "n1", "2422", &[], false),
        student("c", "n1", "2422", &[], false),
        student("d", "n1", "2482", &[], false),
    ];
    let mut sups = vec![
        supervisor("trained", "2422", VfuField::Nurse, Completed, 2, true),
        supervisor("Önsk", "2422", VfuField::Nurse, None, 1, true),
        supervisor("Berit", "2422", VfuField::Nurse, CourseStarted, 1, true),
        supervisor("Anna", "2422", VfuField::Nurse, Introduction, 1, true),
        supervisor("no-consent", "2422", VfuField::Nurse, None, 1, false),
        supervisor("elsewhere", "2482", VfuField::Nurse, Completed, 5, true),
        supervisor("social", "2422", VfuField::SocialWork, None, 1, true),
    ];
    sups[0].unavailable_terms = vec![Term::autumn(2026)];
    let need = training_need(k("2422"), 0.25, &periods, &students, &sups);
    type Row = (VfuField, Term, u32, u32, u32, u32, u32, u32);
    let rows: Vec<Row> = need
        .rows
        .iter()
        .map(|r| {
            (
                r.field,
                r.term,
                r.students_from_municipality,
                r.not_yet_listed,
                r.expected_demand,
                r.trained_capacity,
                r.in_training_capacity,
                r.gap,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            // 3 own + round(0.25 × 6 = 1.5) = 5; trained 2; Berit in the course 1; gap 3.
            (VfuField::Nurse, Term::spring(2026), 3, 6, 5, 2, 1, 3),
            // 0 + round(0.25 × 5 = 1.25) = 1; the trained one is away in HT2026.
            (VfuField::Nurse, Term::autumn(2026), 0, 5, 1, 0, 1, 1),
            (VfuField::SocialWork, Term::spring(2026), 0, 0, 0, 0, 0, 0),
        ]
    );
    let names: Vec<&str> = need.candidates.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["Berit", "Anna", "Önsk"],
        "course started, introduction, none; no consent and no gap left out"
    );
}

#[test]
fn compensation_basis_by_hand() {
    use PlacementStatus::*;
    let vt = Day::ymd(2026, 1, 19);
    let periods = vec![
        period("a", VfuField::Nurse, "UmU", vt, Day::ymd(2026, 2, 20), 10), // 33 days: 5 weeks
        period("b", VfuField::SocialWork, "MIUN", vt, Day::ymd(2026, 3, 27), 10), // 68 days: 10 weeks
    ];
    let students = vec![
        student("s1", "a", "2422", &[], false),
        student("s2", "a", "2422", &[], false),
        student("s3", "b", "2422", &[], false),
        student("s4", "a", "2422", &[], false),
    ];
    let pl = |id: &str, st: &str, site: &str, status| {
        let mut p = Placement::start(id.into(), st.into(), site.into(), Requested, vt).unwrap();
        p.status = status;
        p
    };
    let placements = vec![
        pl("1", "s1", "sorsele-1", Confirmed),
        pl("2", "s2", "sorsele-2", Completed),
        pl("3", "s3", "sorsele-1", Started),
        pl("4", "s4", "skelleftea-1", Offered),
        pl("5", "s4", "skelleftea-1", Withdrawn),
        pl("6", "ghost", "sorsele-1", Confirmed),
    ];
    let site_m = |s: &SiteId| match s.as_str() {
        s if s.starts_with("sorsele") => Some(k("2422")),
        s if s.starts_with("skelleftea") => Some(k("2482")),
        _ => None,
    };
    let rows = compensation_basis(&periods, &students, &placements, site_m);
    assert_eq!(
        rows,
        vec![
            CompensationRow {
                municipality: k("2422"),
                university: "MIUN".into(),
                term: Term::spring(2026),
                placements: 1,
                student_weeks: 10
            },
            CompensationRow {
                municipality: k("2422"),
                university: "UmU".into(),
                term: Term::spring(2026),
                placements: 2,
                student_weeks: 10
            },
        ]
    );
}

#[test]
fn raci_defaults_have_exactly_one_accountable_per_task() {
    for p in ProgrammeType::ALL {
        let m = RaciModel::default_for(p);
        assert_eq!(m.rows.len(), RaciTask::ALL.len(), "{p:?}");
        assert!(m.validate().is_empty(), "{p:?}: {:?}", m.validate());
        for row in &m.rows {
            assert_eq!(
                row.cells.iter().filter(|c| c.is_accountable()).count(),
                1,
                "{p:?} {:?}",
                row.task
            );
        }
        assert!(m.changes_from_default().is_empty());
    }
    let mut m = RaciModel::default_for(ProgrammeType::Teacher);
    m.set(RaciTask::Supervise, RaciRole::Manager, RaciCell::parse("A").unwrap());
    let errors = m.validate();
    assert_eq!(fields_of(&errors), ["task.supervise"]);
    assert!(errors[0].message.contains("2 roles accountable"), "{errors:?}");
    assert_eq!(m.changes_from_default().len(), 1);
    assert_eq!(RaciCell::parse("r/a").unwrap().to_string(), "A/R");
    assert!(RaciCell::parse("X").is_err());
    let json = serde_json::to_string(&m).unwrap();
    assert_eq!(serde_json::from_str::<RaciModel>(&json).unwrap(), m);
}

#[test]
fn entities_round_trip_as_json() {
    let s = SupervisorInput {
        email: "a@b.se".into(),
        name: "A".into(),
        municipality: "2422".into(),
        fields: "nurse:medicin".into(),
        ..Default::default()
    }
    .parse(&ctx())
    .unwrap();
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(serde_json::from_str::<Supervisor>(&json).unwrap(), s);
    let known: BTreeSet<&str> = ["a"].into();
    let _ = (known, BTreeMap::<u8, u8>::new());
}

/// The real reference municipalities (data/municipalities.csv), read by hand: core has no
/// file parser, and its tests may read the repository's data.
fn real_reference() -> crate::region::ReferenceData {
    use crate::region::{Campus, Municipality, MunicipalityRole, University};
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/municipalities.csv")).unwrap();
    let municipalities = text
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            Municipality {
                code: k(c[0]),
                name: c[1].into(),
                county_code: c[2].into(),
                county_name: c[3].into(),
                seat: c[4].into(),
                position: Position::new(c[5].parse().unwrap(), c[6].parse().unwrap()).unwrap(),
                population: c[7].parse().unwrap(),
                population_year: c[8].parse().unwrap(),
                role: MunicipalityRole::parse(c[9]).unwrap(),
            }
        })
        .collect();
    let universities = [("LTU", "2580"), ("UmU", "2480"), ("MIUN", "2281")]
        .into_iter()
        .map(|(code, m)| University {
            code: code.into(),
            name: code.into(),
            campuses: vec![Campus {
                town: "x".into(),
                municipality: k(m),
            }],
        })
        .collect();
    crate::region::ReferenceData {
        municipalities,
        universities,
        ..Default::default()
    }
}

#[test]
fn the_demo_registry_is_a_believable_region() {
    let r = real_reference();
    let w = crate::demo::DemoWorld::generate(crate::demo::DEFAULT_SEED, &r);
    let v = &w.vfu;
    assert!(
        (380..=440).contains(&w.placement_sites.len()),
        "{} sites",
        w.placement_sites.len()
    );
    assert_eq!(v.supervisors.len(), 900);
    let trained = v.supervisors.iter().filter(|s| s.is_trained()).count() as f64 / 900.0;
    assert!((0.36..=0.44).contains(&trained), "{trained} trained");
    assert_eq!(v.periods.len(), 6);
    let unis: BTreeSet<&str> = v.periods.iter().map(|p| p.university.as_str()).collect();
    assert_eq!(unis.len(), 3);
    for u in &unis {
        assert_eq!(v.periods.iter().filter(|p| p.university == *u).count(), 2, "{u}");
    }
    assert_eq!(v.students.len(), 600);
    assert_eq!(v.periods.iter().map(|p| p.students).sum::<u32>(), 600);
    let placed = v.placements.len() as f64 / 600.0;
    assert!((0.75..=0.95).contains(&placed), "{placed} placed");
    assert_eq!(v.contacts.len(), 17);

    // Every record passes the same validation as a form or a file.
    let mut c = VfuContext::default();
    for m in &r.municipalities {
        c.municipalities.insert(m.code, m.position);
    }
    c.universities = unis.iter().map(|u| u.to_string()).collect();
    for s in &w.placement_sites {
        c.sites.insert(s.id.clone(), s.municipality);
        assert_eq!(input::validate_site(s, &c), vec![], "{s:?}");
    }
    for p in &v.periods {
        assert_eq!(input::validate_period(p, &c), vec![], "{p:?}");
        c.periods.insert(
            p.id.clone(),
            input::PeriodRef {
                university: p.university.clone(),
                field: p.field,
                start: p.start,
                end: p.end,
            },
        );
    }
    for s in &v.supervisors {
        assert_eq!(input::validate_supervisor(s, &c), vec![], "{s:?}");
    }
    for s in &v.students {
        assert_eq!(input::validate_student(s, &c), vec![], "{s:?}");
    }
    for h in &v.hosting {
        assert_eq!(input::validate_hosting(h, &c), vec![], "{h:?}");
    }
    let emails: BTreeSet<&str> = v
        .supervisors
        .iter()
        .map(|s| s.email.as_str())
        .chain(v.students.iter().map(|s| s.email.as_str()))
        .collect();
    assert_eq!(emails.len(), 1500, "unique e-mails");
    let students: BTreeMap<&str, &VfuStudent> = v.students.iter().map(|s| (s.id.as_str(), s)).collect();
    let sites: BTreeMap<&str, &PlacementSite> = w.placement_sites.iter().map(|s| (s.id.as_str(), s)).collect();
    for p in &v.placements {
        let st = students[p.student_id.as_str()];
        assert!(
            sites[p.site_id.as_str()].fields.iter().any(|f| f.field == st.field),
            "{p:?}"
        );
    }
    // Most students are placed in their home municipality.
    let home = v
        .placements
        .iter()
        .filter(|p| sites[p.site_id.as_str()].municipality == students[p.student_id.as_str()].home_municipality)
        .count();
    assert!(
        home * 2 > v.placements.len(),
        "{home} of {} at home",
        v.placements.len()
    );
    // The views have something to show.
    let need = views::training_need(k("2482"), 0.2, &v.periods, &v.students, &v.supervisors);
    assert!(
        need.rows.iter().any(|r| r.gap > 0) && !need.candidates.is_empty(),
        "{need:?}"
    );
    let basis = views::compensation_basis(&v.periods, &v.students, &v.placements, |id| {
        sites.get(id.as_str()).map(|s| s.municipality)
    });
    assert!(basis.iter().map(|r| r.placements).sum::<u32>() > 200);
}

#[test]
fn the_demo_registry_is_deterministic() {
    let r = real_reference();
    let a = crate::demo::DemoWorld::generate(7, &r);
    assert_eq!(a, crate::demo::DemoWorld::generate(7, &r));
    assert_ne!(a.vfu, crate::demo::DemoWorld::generate(8, &r).vfu);
    // The registry has its own stream: the sites' places and the catalogue do not depend on it.
    let b = crate::demo::DemoWorld::generate(7, &r);
    assert_eq!(
        a.placement_sites.iter().map(|s| s.position).collect::<Vec<_>>(),
        b.placement_sites.iter().map(|s| s.position).collect::<Vec<_>>()
    );
}

#[test]
fn placement_and_contact_input() {
    let ok = PlacementInput {
        student_id: "stu-1".into(),
        site_id: "s-1".into(),
        on: "2025-11-24 00:00".into(),
        ..Default::default()
    };
    let p = ok.parse().unwrap();
    assert_eq!(
        (p.status, p.date_of(PlacementStatus::Requested)),
        (PlacementStatus::Requested, Some(Day::ymd(2025, 11, 24)))
    );
    let bad = PlacementInput {
        status: "started".into(),
        on: String::new(),
        site_id: String::new(),
        ..ok.clone()
    }
    .parse()
    .unwrap_err();
    assert_eq!(fields_of(&bad), ["site_id", "status", "on"]);

    let c = ContactInput {
        municipality: "2422".into(),
        role: "manager".into(),
        name: "Rut Rektor".into(),
        email: "rut@sorsele.se".into(),
        ..Default::default()
    };
    assert_eq!(c.parse(&ctx()).unwrap().role, RaciRole::Manager);
    let bad = ContactInput {
        role: "boss".into(),
        programme: "law".into(),
        email: "x".into(),
        ..c
    }
    .parse(&ctx())
    .unwrap_err();
    assert_eq!(fields_of(&bad), ["role", "programme", "email"]);

    let period = period(
        "p",
        VfuField::Teacher(TeacherLevel::F3),
        "UmU",
        Day::ymd(2026, 1, 19),
        Day::ymd(2026, 2, 20),
        1,
    );
    let period = VfuPeriod {
        requirements: vec![Requirement::registerutdrag()],
        ..period
    };
    let s = student("s", "p", "2422", &[], false);
    assert_eq!(
        requirement_report(&period, &s),
        vec![(Requirement::registerutdrag(), RequirementCheck::Missing)]
    );
}

proptest::proptest! {
    #[test]
    fn validation_never_panics(cells in proptest::collection::vec(".{0,24}", 15)) {
        let c = ctx();
        let g = |i: usize| cells[i].clone();
        let _ = SiteInput { id: g(0), municipality: g(1), name: g(2), kind: g(3), address: g(4), lat: g(5), lon: g(6), fields: g(7) }.parse(&c);
        let _ = SupervisorInput {
            email: g(0), name: g(1), phone: g(2), municipality: g(3), site_id: g(4), fields: g(5), employment_percent: g(6),
            training: g(7), training_date: g(8), training_university: g(9), students_per_period: g(10), unavailable_terms: g(11),
            consent_contact: g(12), invite: g(13), invite_date: g(14),
        }
        .parse(&c);
        let _ = PeriodInput {
            id: g(0), university: g(1), programme: g(2), course_code: g(3), term: g(4), start: g(5), end: g(6), field: g(7),
            students: g(8), requirements: g(9), capacity_deadline: g(10),
        }
        .parse(&c);
        let _ = StudentInput {
            period_id: g(0), email: g(1), name: g(2), home_municipality: g(3), home_lat: g(4), home_lon: g(5), field: g(6),
            subjects: g(7), wishes: g(8), no_driving_licence: g(9), needs_public_transport: g(10), priority: g(11), note: g(12),
            registerutdrag: g(13),
        }
        .parse(&c);
        let _ = HostingInput { site_id: g(0), term: g(1), interest: g(2), capacity: g(3), reason: g(4) }.parse(&c);
        let _ = RaciCell::parse(&g(0));
        let _ = Term::parse(&g(1));
        let _ = Day::parse(&g(2));
    }

    #[test]
    fn valid_dates_parse_and_print_back(y in 1900i32..2200, m in 1u8..13, d in 1u8..29) {
        let day = Day::ymd(y, m, d);
        proptest::prop_assert_eq!(Day::parse(&day.to_string()).unwrap(), day);
        proptest::prop_assert_eq!(Day::parse(&format!("{day} 00:00")).unwrap(), day);
    }
}

#[test]
fn a_student_changes_only_their_wishes_and_needs() {
    let c = ctx();
    let original = StudentInput {
        period_id: "p-1".into(),
        email: "stina@student.umu.se".into(),
        name: "Stina Ek".into(),
        home_municipality: "2422".into(),
        subjects: "svenska".into(),
        wishes: "s-1".into(),
        registerutdrag: "2025-12-01".into(),
        ..Default::default()
    }
    .parse(&c)
    .unwrap();
    let mut s = original.clone();
    s.id = "st-1".into();
    s.person_id = "pe-1".into();
    assert_eq!(
        WishesInput::of(&s),
        WishesInput {
            wish1: "s-1".into(),
            ..Default::default()
        }
    );

    let w = WishesInput {
        wish1: "2482".into(),
        wish2: " s-2 ".into(),
        wish3: String::new(),
        no_driving_licence: "1".into(),
        priority: "medical".into(),
        note: "Hämtar på förskolan 16.00".into(),
        ..Default::default()
    };
    let changed = w.apply(&s, &c).unwrap();
    assert_eq!(
        changed.wishes,
        vec![Wish::Municipality(k("2482")), Wish::Site("s-2".into())]
    );
    assert!(changed.needs.no_driving_licence && !changed.needs.needs_public_transport);
    assert_eq!(changed.needs.priority, Some(PriorityReason::Medical));
    assert_eq!(changed.needs.note, "Hämtar på förskolan 16.00");
    // Nothing else of the record moves.
    assert_eq!(
        VfuStudent {
            wishes: s.wishes.clone(),
            needs: s.needs.clone(),
            ..changed.clone()
        },
        s
    );
    assert_eq!(WishesInput::of(&changed).wish2, "s-2");

    type Edit = fn(&mut WishesInput);
    let cases: Vec<(Edit, &str)> = vec![
        (|w| w.wish2 = "2482".into(), "wish2"),
        (|w| w.wish3 = "s-9".into(), "wish3"),
        (|w| w.wish1 = "0180".into(), "wish1"),
        (|w| w.priority = "vip".into(), "priority"),
        (|w| w.no_driving_licence = "kanske".into(), "no_driving_licence"),
        (|w| w.note = "x".repeat(501), "note"),
    ];
    for (edit, field) in cases {
        let mut bad = w.clone();
        edit(&mut bad);
        let errors = bad.apply(&s, &c).unwrap_err();
        assert_eq!(fields_of(&errors), [field], "{errors:?}");
    }
}

#[test]
fn wishes_close_on_the_allocation_day_or_when_a_placement_is_made() {
    use PlacementStatus::*;
    let p = period(
        "p",
        VfuField::Nurse,
        "UmU",
        Day::ymd(2026, 1, 19),
        Day::ymd(2026, 2, 20),
        5,
    );
    let rules = TimelineRules::default();
    let close = Timeline::for_period(&p, &rules).wishes_close();
    assert_eq!(
        close,
        Day::ymd(2025, 11, 10),
        "the allocation day, 10 weeks before the start"
    );
    assert!(wishes_open(&p, &[], close.plus_days(-1), &rules));
    assert!(!wishes_open(&p, &[], close, &rules));
    let mut pl = Placement::start("pl".into(), "s".into(), "a-1".into(), Requested, Day::ymd(2025, 10, 1)).unwrap();
    assert!(
        !wishes_open(&p, std::slice::from_ref(&pl), Day::ymd(2025, 10, 2), &rules),
        "a requested placement"
    );
    pl.transition(Withdrawn, Day::ymd(2025, 10, 3)).unwrap();
    assert!(
        wishes_open(&p, &[pl], Day::ymd(2025, 10, 4), &rules),
        "withdrawn: open again"
    );
}

#[test]
fn vfu_near_home_counts_sites_of_the_area_and_their_trained_supervisors() {
    let site = |id: &str, m: &str, fields: &[VfuField]| PlacementSite {
        id: id.into(),
        municipality: k(m),
        name: id.into(),
        kind: SiteKind::School,
        address: String::new(),
        position: Position::new(65.5, 17.5).unwrap(),
        fields: fields.iter().map(|f| FieldSpec::new(*f)).collect(),
    };
    let at = |mut s: Supervisor, site: &str| {
        s.site_id = Some(site.into());
        s
    };
    let f3 = VfuField::Teacher(TeacherLevel::F3);
    let sites = [
        site("home-school", "2422", &[f3]),
        site("home-care", "2422", &[VfuField::Nurse]),
        site("home-both", "2422", &[f3, VfuField::Nurse]),
        site("near-school", "2421", &[f3]),
        site("far-school", "2480", &[f3]),
        site("unplaced", "0114", &[f3]),
    ];
    let supervisors = [
        at(
            supervisor("a", "2422", f3, TrainingLevel::Completed, 1, false),
            "home-school",
        ),
        // Trained, but a nurse: does not count for teachers at a site taking both.
        at(
            supervisor("b", "2422", VfuField::Nurse, TrainingLevel::Completed, 1, false),
            "home-both",
        ),
        // A teacher not yet trained.
        at(
            supervisor("c", "2421", f3, TrainingLevel::None, 1, false),
            "near-school",
        ),
        at(
            supervisor("d", "2480", f3, TrainingLevel::Completed, 1, false),
            "far-school",
        ),
    ];
    let minutes = |m: Kommunkod| match m.to_string().as_str() {
        "2421" => Some(60),
        "2480" => Some(250),
        _ => None,
    };
    let teacher = vfu_near_home(&sites, &supervisors, k("2422"), OccupationArea::Teacher, 90, minutes);
    assert_eq!(
        teacher,
        VfuNearHome {
            at_home: 2,
            at_home_trained: 1,
            within_reach: 3,
            within_reach_trained: 1
        }
    );
    let nurse = vfu_near_home(&sites, &supervisors, k("2422"), OccupationArea::Nurse, 90, minutes);
    assert_eq!((nurse.at_home, nurse.at_home_trained, nurse.within_reach), (2, 1, 2));
    // A limit that reaches Umeå adds its trained teacher.
    let wide = vfu_near_home(&sites, &supervisors, k("2422"), OccupationArea::Teacher, 300, minutes);
    assert_eq!((wide.within_reach, wide.within_reach_trained), (4, 2));
}
