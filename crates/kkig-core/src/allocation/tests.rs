//! The allocation engine's tests: worked examples, certificates of optimality and proptest
//! against a brute-force solver.

use std::collections::HashMap;

use proptest::prelude::*;
use proptest::strategy::Strategy;

use super::*;

const EXAMPLE: &str = r#"{
  "rules": {"max_travel_minutes": 90, "road_factor": 1.3, "speed_kmh": 70,
            "home_municipality_bonus": 30, "preference_bonus": [60, 40, 20],
            "move_penalty": 0, "unplaced_penalty": 100000},
  "sites":    [{"id": "S1", "field": "nurse", "municipality": "2506", "lat": 66.05, "lon": 17.89, "capacity": 2}],
  "students": [{"id": "P1", "field": "nurse", "municipality": "2506", "lat": 66.04, "lon": 17.90,
                "preferences": ["S1"], "locked_site": null, "current_site": null}]
}"#;

/// Solve, check the certificate, and check that every strategy of the solver (only global
/// phases; greedy then single searches) reaches the same objective with a valid certificate.
fn run(inst: &Instance) -> Allocation {
    let v = inst.validate().expect("valid");
    let a = solve(&v);
    certificate::check(inst, &a.site_of, &a.prices, a.objective).expect("certificate");
    let (problem, free) = build_problem(&v);
    for strategy in [
        super::Strategy {
            max_phases: u32::MAX,
            tail_divisor: 0,
            min_progress_percent: 0,
        },
        super::Strategy {
            max_phases: 1,
            tail_divisor: 0,
            min_progress_percent: 0,
        },
        super::Strategy {
            max_phases: 3,
            tail_divisor: 0,
            min_progress_percent: 0,
        },
    ] {
        check_solution(
            inst,
            &v,
            &free,
            &solve_bipartite_with(&problem, strategy),
            a.objective,
            &format!("{strategy:?}"),
        );
    }
    // The sparse-first solve with one arc per student needs several rounds.
    for keep in [1, 2] {
        let s = solve_sparse(&problem, keep, super::Strategy::default());
        check_solution(inst, &v, &free, &s, a.objective, &format!("sparse {keep}"));
    }
    // The connected components solved apart, on two threads and on one: the same solution,
    // certified; and the whole graph solved in one piece has the same objective.
    let two = crate::solve::parts::solve_parts(&problem, 0);
    check_solution(inst, &v, &free, &two, a.objective, "components on two threads");
    assert_eq!(
        two,
        crate::solve::parts::solve_parts(&problem, usize::MAX),
        "two threads and one differ"
    );
    let whole = solve_sparse(&problem, SPARSE_KEEP, super::Strategy::default());
    check_solution(inst, &v, &free, &whole, a.objective, "whole graph in one piece");
    // Warm starts from the optimum with some students taken out again (every student, every
    // second, every third): their places are left with room at positive prices, which the
    // solver must refill or price down to 0 before adding the students anew.
    let opt = solve_bipartite_with(&problem, super::Strategy::default());
    for (modulus, rest) in [(1, 0), (2, 0), (2, 1), (3, 1)] {
        let site = opt
            .assignment
            .iter()
            .enumerate()
            .map(|(k, s)| {
                if k % modulus == rest {
                    WAITING
                } else {
                    s.unwrap_or(UNPLACED_SITE)
                }
            })
            .collect();
        let warm = WarmStart {
            site,
            prices: opt.prices.clone(),
        };
        let s = solve_warm(&problem, super::Strategy::default(), Some(warm));
        check_solution(
            inst,
            &v,
            &free,
            &s,
            a.objective,
            &format!("warm start, every {modulus} from {rest}"),
        );
    }
    a
}

fn check_solution(inst: &Instance, v: &Validated<'_>, free: &[u32], s: &FlowSolution, objective: i64, what: &str) {
    let mut site_of = v.locked.clone();
    for (k, &i) in free.iter().enumerate() {
        site_of[i as usize] = s.assignment[k];
    }
    certificate::check(inst, &site_of, &s.prices, objective).unwrap_or_else(|e| panic!("{what}: {e}"));
}

fn site(id: &str, field: &str, muni: Option<&str>, lat: f64, lon: f64, capacity: i64) -> Site {
    Site {
        id: id.into(),
        field: field.into(),
        municipality: muni.map(Into::into),
        lat,
        lon,
        capacity,
    }
}

fn student(id: &str, field: &str, muni: Option<&str>, lat: f64, lon: f64) -> Student {
    Student {
        id: id.into(),
        field: field.into(),
        municipality: muni.map(Into::into),
        lat,
        lon,
        preferences: None,
        locked_site: None,
        current_site: None,
    }
}

#[test]
fn the_issue_example_costs_minus_89() {
    let inst = parse_instance(EXAMPLE.as_bytes()).unwrap();
    let a = run(&inst);
    // 1 minute − 30 home bonus − 60 first preference.
    assert_eq!(a.objective, -89);
    assert_eq!(a.site_of, vec![Some(0)]);
    assert_eq!((a.minutes[0], a.costs[0]), (1, -89));
    let v = inst.validate().unwrap();
    let mut out = Vec::new();
    a.write_json(&v, &mut out);
    let got: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let want: serde_json::Value = serde_json::from_str(
        r#"{"objective": -89, "placed": 1, "unplaced": [],
            "assignments": [{"student": "P1", "site": "S1", "minutes": 1, "cost": -89}],
            "unplaced_reasons": {}}"#,
    )
    .unwrap();
    assert_eq!(got, want);
}

#[test]
fn defaults_apply_and_unknown_keys_are_ignored() {
    let inst = parse_instance(
        br#"{"rules": {"future_rule": 1}, "extra": true,
            "sites": [{"id": "S1", "field": "nurse", "lat": 64.0, "lon": 18.0, "capacity": 1, "note": "x"}],
            "students": [{"id": "P1", "field": "nurse", "lat": 64.0, "lon": 18.0}]}"#,
    )
    .unwrap();
    assert_eq!(inst.rules, Rules::default());
    let a = run(&inst);
    assert_eq!(a.objective, 0);
}

/// Two students, one place: the one who would travel farther elsewhere gets it.
#[test]
fn hand_computed_competition() {
    // Along the equator 1° of longitude is 111.19 km = 123.9 → 124 minutes at the defaults;
    // use road_factor 1 and 60 km/h so minutes equal km (rounded).
    let rules = Rules {
        road_factor: 1.0,
        speed_kmh: 60.0,
        max_travel_minutes: 200,
        home_municipality_bonus: 0,
        ..Rules::default()
    };
    // A at lon 0 (cap 1), B at lon 1 (cap 1). P1 at lon 0.1, P2 at lon 0.2.
    // t(P1,A)=11, t(P1,B)=100; t(P2,A)=22, t(P2,B)=89.
    // P1→A, P2→B: 11+89 = 100.  P1→B, P2→A: 100+22 = 122.  Optimum 100.
    let inst = Instance {
        rules,
        sites: vec![site("A", "f", None, 0.0, 0.0, 1), site("B", "f", None, 0.0, 1.0, 1)],
        students: vec![student("P1", "f", None, 0.0, 0.1), student("P2", "f", None, 0.0, 0.2)],
    };
    let a = run(&inst);
    assert_eq!(a.minutes, vec![11, 89]);
    assert_eq!(a.objective, 100);
    assert_eq!(a.site_of, vec![Some(0), Some(1)]);
}

#[test]
fn bonuses_penalties_and_unplaced() {
    let rules = Rules {
        road_factor: 1.0,
        speed_kmh: 60.0,
        max_travel_minutes: 50,
        home_municipality_bonus: 5,
        preference_bonus: vec![7, 3],
        move_penalty: 4,
        unplaced_penalty: 30,
    };
    let mut p1 = student("P1", "f", Some("0001"), 0.0, 0.1); // t(A)=11, t(B)=0 (B at lon 0.1)
    p1.preferences = Some(vec!["A".into(), "B".into()]);
    p1.current_site = Some("A".into());
    let p2 = student("P2", "g", None, 0.0, 0.1); // no site of field g
    let p3 = student("P3", "f", None, 0.0, 0.9); // 89 km from B: beyond 50 minutes
    let mut p4 = student("P4", "f", None, 0.0, 0.4); // t(B)=33 > U=30: better unplaced
    p4.locked_site = None;
    let mut p5 = student("P5", "h", None, 10.0, 10.0);
    p5.locked_site = Some("A".into()); // locked: placed regardless of field and travel
    let inst = Instance {
        rules,
        sites: vec![
            site("A", "f", Some("0001"), 0.0, 0.0, 2),
            site("B", "f", Some("0002"), 0.0, 0.1, 1),
        ],
        students: vec![p1, p2, p3, p4, p5],
    };
    let v = inst.validate().unwrap();
    // P1: A = 11 − 5 − 7 + 0 = −1; B = 0 − 3 + 4 = 1 → A.
    assert_eq!(v.cost(0, 0, 11), -1);
    assert_eq!(v.cost(0, 1, 0), 1);
    let a = run(&inst);
    assert_eq!(a.site_of[0], Some(0));
    assert_eq!(a.site_of[1], None);
    assert_eq!(a.site_of[2], None);
    // P4: A costs 44, B 33, both > 30.
    assert_eq!(a.site_of[3], None);
    assert_eq!(a.site_of[4], Some(0));
    let t5 = v.minutes(4, 0);
    assert_eq!(a.objective, -1 + 30 * 3 + t5);
    assert!(
        a.reasons[&1]
            .to_string()
            .contains("no site in their field (\"g\") at all"),
        "{}",
        a.reasons[&1]
    );
    assert!(
        a.reasons[&2]
            .to_string()
            .contains("within the maximum travel of 50 minutes"),
        "{}",
        a.reasons[&2]
    );
    assert!(
        a.reasons[&3]
            .to_string()
            .contains("would cost more than leaving them unplaced"),
        "{}",
        a.reasons[&3]
    );
}

#[test]
fn full_sites_are_named_in_the_reason() {
    let rules = Rules {
        road_factor: 1.0,
        speed_kmh: 60.0,
        ..Rules::default()
    };
    let inst = Instance {
        rules,
        sites: vec![site("A", "f", None, 0.0, 0.0, 1), site("B", "f", None, 0.0, 0.2, 0)],
        students: vec![student("P1", "f", None, 0.0, 0.05), student("P2", "f", None, 0.0, 0.1)],
    };
    let a = run(&inst);
    assert_eq!(a.site_of, vec![Some(0), None]);
    assert_eq!(
        a.reasons[&1].to_string(),
        "All 2 sites in their field within 90 minutes are full (nearest: A (11 min), B (11 min))."
    );
}

fn err(json: &str) -> String {
    match parse_instance(json.as_bytes()) {
        Err(e) => e.to_string(),
        Ok(i) => match i.validate() {
            Err(e) => e.to_string(),
            Ok(_) => panic!("accepted: {json}"),
        },
    }
}

#[test]
fn invalid_input_names_the_path() {
    let s = r#"{"id": "S1", "field": "f", "lat": 64, "lon": 18, "capacity": 1}"#;
    let p = r#"{"id": "P1", "field": "f", "lat": 64, "lon": 18}"#;
    let cases = [
        (
            format!(r#"{{"sites": [{s}], "students": [{p}, {p}]}}"#),
            "students[1].id: duplicate id \"P1\"",
        ),
        (
            format!(r#"{{"sites": [{s}, {s}], "students": []}}"#),
            "sites[1].id: duplicate id \"S1\"",
        ),
        (
            format!(
                r#"{{"sites": [{s}], "students": [{{"id": "P1", "field": "f", "lat": 64, "lon": 18, "locked_site": "S99"}}]}}"#
            ),
            "students[0].locked_site: unknown site \"S99\"",
        ),
        (
            format!(
                r#"{{"sites": [{s}], "students": [{{"id": "P1", "field": "f", "lat": 64, "lon": 18, "current_site": "X"}}]}}"#
            ),
            "students[0].current_site: unknown site \"X\"",
        ),
        (
            format!(
                r#"{{"sites": [{s}], "students": [{{"id": "P1", "field": "f", "lat": 64, "lon": 18, "preferences": ["S1", "S2"]}}]}}"#
            ),
            "students[0].preferences[1]: unknown site \"S2\"",
        ),
        (
            format!(
                r#"{{"sites": [{s}], "students": [{{"id": "P1", "field": "f", "lat": 64, "lon": 18, "preferences": ["S1", "S1"]}}]}}"#
            ),
            "students[0].preferences[1]: site \"S1\" is listed twice",
        ),
        (
            r#"{"sites": [{"id": "S1", "field": "f", "lat": 64, "lon": 18, "capacity": -1}], "students": []}"#
                .to_string(),
            "sites[0].capacity: must not be negative",
        ),
        (
            r#"{"sites": [{"id": "S1", "field": "f", "lat": 91, "lon": 18, "capacity": 1}], "students": []}"#
                .to_string(),
            "sites[0].lat: latitude",
        ),
        (
            format!(r#"{{"sites": [{s}], "students": [{{"id": "P1", "field": "f", "lat": 64, "lon": -180.5}}]}}"#),
            "students[0].lon: longitude",
        ),
        (
            format!(
                r#"{{"sites": [{s}], "students": [{{"id": "P1", "field": "f", "lat": 64, "lon": 18, "locked_site": "S1"}}, {{"id": "P2", "field": "f", "lat": 64, "lon": 18, "locked_site": "S1"}}]}}"#
            ),
            "sites[0].capacity: 2 students are locked to site \"S1\" but its capacity is 1",
        ),
        (
            format!(r#"{{"rules": {{"road_factor": 0}}, "sites": [{s}], "students": []}}"#),
            "rules.road_factor",
        ),
        (
            format!(r#"{{"rules": {{"speed_kmh": -5}}, "sites": [{s}], "students": []}}"#),
            "rules.speed_kmh",
        ),
        (
            format!(r#"{{"rules": {{"max_travel_minutes": -1}}, "sites": [{s}], "students": []}}"#),
            "rules.max_travel_minutes",
        ),
        (
            format!(r#"{{"sites": [{s}], "students": [{{"id": "P1", "field": "f", "lat": "x", "lon": 18}}]}}"#),
            "students[0].lat: invalid type: string \"x\"",
        ),
        (
            format!(r#"{{"sites": [{s}], "students": [{{"id": "P1", "field": "f", "lat": 64, "lon": 18}}"#),
            "EOF while parsing",
        ),
        (r#"{"sites": []}"#.to_string(), "missing field `students`"),
        (
            r#"{"sites": [{"id": "S1", "field": "f", "lat": 64, "lon": 18, "capacity": 1.5}], "students": []}"#
                .to_string(),
            "sites[0].capacity: invalid type: floating point",
        ),
    ];
    for (json, want) in cases {
        let got = err(&json);
        assert!(got.contains(want), "{json}\n got: {got}\nwant: {want}");
        assert!(!got.contains('\n'), "one line: {got}");
    }
    // Malformed JSON says line and column.
    assert!(
        err("{\n  \"sites\": [,]\n}").contains("line 2 column"),
        "{}",
        err("{\n  \"sites\": [,]\n}")
    );
}

// ---- brute force: an exact dynamic programme over remaining capacities, written apart ----

fn brute_force(inst: &Instance) -> i64 {
    let r = &inst.rules;
    let model = r.travel_model();
    let ids: HashMap<&str, usize> = inst.sites.iter().enumerate().map(|(j, s)| (s.id.as_str(), j)).collect();
    let mut caps: Vec<i64> = inst.sites.iter().map(|s| s.capacity).collect();
    let cost = |st: &Student, j: usize| -> i64 {
        let si = &inst.sites[j];
        let mut c = model.minutes(
            Position {
                lat: st.lat,
                lon: st.lon,
            },
            Position {
                lat: si.lat,
                lon: si.lon,
            },
        );
        if st.municipality.is_some() && st.municipality == si.municipality {
            c -= r.home_municipality_bonus;
        }
        for (k, p) in st.preferences.iter().flatten().enumerate() {
            if *p == si.id {
                c -= r.preference_bonus.get(k).copied().unwrap_or(0);
            }
        }
        if matches!(&st.current_site, Some(c0) if *c0 != si.id) {
            c += r.move_penalty;
        }
        c
    };
    let mut fixed = 0;
    let mut options: Vec<Vec<(usize, i64)>> = Vec::new();
    for st in &inst.students {
        if let Some(l) = &st.locked_site {
            let j = ids[l.as_str()];
            caps[j] -= 1;
            fixed += cost(st, j);
            continue;
        }
        let mut o = Vec::new();
        for (j, si) in inst.sites.iter().enumerate() {
            let t = model.minutes(
                Position {
                    lat: st.lat,
                    lon: st.lon,
                },
                Position {
                    lat: si.lat,
                    lon: si.lon,
                },
            );
            if si.field == st.field && t <= r.max_travel_minutes {
                o.push((j, cost(st, j)));
            }
        }
        options.push(o);
    }
    fn go(
        k: usize,
        caps: &mut Vec<i64>,
        options: &[Vec<(usize, i64)>],
        u: i64,
        memo: &mut HashMap<(usize, Vec<i64>), i64>,
    ) -> i64 {
        if k == options.len() {
            return 0;
        }
        if let Some(&v) = memo.get(&(k, caps.clone())) {
            return v;
        }
        let mut best = u + go(k + 1, caps, options, u, memo);
        for &(j, c) in &options[k] {
            if caps[j] > 0 {
                caps[j] -= 1;
                best = best.min(c + go(k + 1, caps, options, u, memo));
                caps[j] += 1;
            }
        }
        memo.insert((k, caps.clone()), best);
        best
    }
    fixed + go(0, &mut caps, &options, r.unplaced_penalty, &mut HashMap::new())
}

/// Random small instances in a 60 km square so that travel limits bite.
fn arb_instance(max_students: usize, max_sites: usize) -> impl Strategy<Value = Instance> {
    let rules = (
        20i64..80,
        0i64..40,
        prop::collection::vec(0i64..50, 0..3),
        0i64..30,
        0i64..150,
    )
        .prop_map(
            |(max_travel_minutes, home, preference_bonus, move_penalty, unplaced_penalty)| Rules {
                max_travel_minutes,
                home_municipality_bonus: home,
                preference_bonus,
                move_penalty,
                unplaced_penalty,
                ..Rules::default()
            },
        );
    let site = (0u8..2, 0u8..3, 64.0f64..64.5, 17.0f64..18.0, 0i64..3);
    let student = (
        0u8..2,
        0u8..3,
        64.0f64..64.5,
        17.0f64..18.0,
        prop::collection::vec(0usize..8, 0..3),
        0usize..20,
        0usize..12,
    );
    (
        rules,
        prop::collection::vec(site, 1..=max_sites),
        prop::collection::vec(student, 0..=max_students),
    )
        .prop_map(|(rules, sites, students)| {
            let sites: Vec<Site> = sites
                .into_iter()
                .enumerate()
                .map(|(j, (f, mu, lat, lon, cap))| Site {
                    id: format!("S{j}").into(),
                    field: format!("f{f}"),
                    municipality: (mu > 0).then(|| format!("m{mu}")),
                    lat,
                    lon,
                    capacity: cap,
                })
                .collect();
            let m = sites.len();
            let mut locked_count = vec![0i64; m];
            let students = students
                .into_iter()
                .enumerate()
                .map(|(i, (f, mu, lat, lon, prefs, lock, cur))| {
                    let mut p: Vec<SiteId> = Vec::new();
                    for x in prefs {
                        let id = SiteId::new(format!("S{}", x % m));
                        if !p.contains(&id) {
                            p.push(id);
                        }
                    }
                    let locked_site = (lock < m && locked_count[lock] < sites[lock].capacity).then(|| {
                        locked_count[lock] += 1;
                        SiteId::new(format!("S{lock}"))
                    });
                    Student {
                        id: format!("P{i}").into(),
                        field: format!("f{f}"),
                        municipality: (mu > 0).then(|| format!("m{mu}")),
                        lat,
                        lon,
                        preferences: Some(p),
                        locked_site,
                        current_site: (cur < m).then(|| SiteId::new(format!("S{cur}"))),
                    }
                })
                .collect();
            Instance { rules, sites, students }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn optimal_like_brute_force_and_certified(inst in arb_instance(7, 4)) {
        let a = run(&inst);
        prop_assert_eq!(a.objective, brute_force(&inst));
        prop_assert_eq!(a.reasons.len(), a.site_of.iter().filter(|s| s.is_none()).count());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Larger instances: the certificate alone (brute force would be too slow).
    #[test]
    fn larger_instances_are_certified(inst in arb_instance(60, 25)) {
        run(&inst);
    }

    /// Arbitrary bytes never panic the parser.
    #[test]
    fn parser_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(i) = parse_instance(&bytes) {
            if let Ok(v) = i.validate() {
                solve(&v);
            }
        }
    }

    /// Mutated valid instances: parse and validate give Ok or a clean error, and valid ones solve.
    #[test]
    fn mutated_instances_never_panic(pos in 0usize..10_000, byte in any::<u8>(), cut in any::<bool>()) {
        let mut bytes = EXAMPLE.as_bytes().to_vec();
        let p = pos % bytes.len();
        if cut { bytes.truncate(p) } else { bytes[p] = byte }
        if let Ok(i) = parse_instance(&bytes) {
            if let Ok(v) = i.validate() {
                let a = solve(&v);
                prop_assert!(certificate::check(&i, &a.site_of, &a.prices, a.objective).is_ok());
            }
        }
    }

    /// Odd but valid rule values: huge travel limits, tiny speeds, poles and the date line.
    #[test]
    fn extreme_geometry_is_pruned_correctly(
        lat in -90.0f64..=90.0, lon in -180.0f64..=180.0,
        pts in prop::collection::vec((-90.0f64..=90.0, -180.0f64..=180.0), 1..8),
        limit in 0i64..3000,
    ) {
        let rules = Rules { max_travel_minutes: limit, ..Rules::default() };
        let sites = pts.iter().enumerate().map(|(j, &(a, b))| site(&format!("S{j}"), "f", None, a, b, 1)).collect();
        let inst = Instance { rules, sites, students: vec![student("P", "f", None, lat, lon)] };
        let a = run(&inst);
        prop_assert_eq!(a.objective, brute_force(&inst));
    }
}

#[test]
fn demo_instances_are_deterministic_and_solve() {
    let spec = demo::DemoSpec {
        students: 300,
        sites: 120,
        fields: 4,
        seed: 7,
        capacity_factor: None,
    };
    let a = demo::generate(&spec, &[]);
    let b = demo::generate(&spec, &[]);
    assert_eq!(a, b);
    assert_eq!(a.students.len(), 300);
    assert!(a.sites.iter().all(|s| (1..=6).contains(&s.capacity)));
    run(&a);
    let tight = demo::generate(
        &demo::DemoSpec {
            capacity_factor: Some(0.9),
            ..spec.clone()
        },
        &[],
    );
    let total: i64 = tight.sites.iter().map(|s| s.capacity).sum();
    assert!((220..=320).contains(&total), "{total}");
    let r = run(&tight);
    assert!(r.placed() < 300);
}

/// Demo instances of several thousand students (many components: fields and regions), loose
/// and tight: the components on two threads give the same solution as on one thread, and the
/// same objective as the whole graph solved in one piece; all three are certified.
#[test]
fn components_on_two_threads_match_one_thread_on_demo_instances() {
    for (students, sites, fields, seed, capacity_factor) in [
        (3000, 900, 4, 3, None),
        (4000, 1200, 6, 5, Some(0.9)),
        (2500, 800, 2, 9, Some(0.9)),
    ] {
        let spec = demo::DemoSpec {
            students,
            sites,
            fields,
            seed,
            capacity_factor,
        };
        let inst = demo::generate(&spec, &[]);
        let v = inst.validate().unwrap();
        let (problem, free) = build_problem(&v);
        assert!(
            crate::solve::parts::component_sizes(&problem).len() > 1,
            "{spec:?} has one component"
        );
        let two = crate::solve::parts::solve_parts(&problem, 0);
        let one = crate::solve::parts::solve_parts(&problem, usize::MAX);
        assert_eq!(two, one, "{spec:?}");
        let whole = solve_sparse(&problem, SPARSE_KEEP, super::Strategy::default());
        let objective = |s: &FlowSolution| {
            let mut site_of = v.locked.clone();
            for (k, &i) in free.iter().enumerate() {
                site_of[i as usize] = s.assignment[k];
            }
            let o: i64 = site_of
                .iter()
                .enumerate()
                .map(|(i, s)| match s {
                    Some(j) => v.cost(i, *j as usize, v.minutes(i, *j as usize)),
                    None => inst.rules.unplaced_penalty,
                })
                .sum();
            (site_of, o)
        };
        let (site_two, o_two) = objective(&two);
        let (site_whole, o_whole) = objective(&whole);
        assert_eq!(o_two, o_whole, "{spec:?}");
        certificate::check(&inst, &site_two, &two.prices, o_two)
            .unwrap_or_else(|e| panic!("{spec:?} two threads: {e}"));
        certificate::check(&inst, &site_whole, &whole.prices, o_whole)
            .unwrap_or_else(|e| panic!("{spec:?} whole: {e}"));
        assert_eq!(solve(&v).objective, o_two);
    }
}
