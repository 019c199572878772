//! The forecast engine's tests: the worked examples of docs/forecast.md and proptest invariants.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
}

#[track_caller]
fn assert_flow(y: &YearFlow, want: [f64; 10]) {
    for ((name, got), want) in CSV_COLUMNS.iter().zip(y.values()).zip(want) {
        assert!(close(got, want), "{} {name}: got {got}, want {want}", y.year);
    }
}

const EXAMPLE: &str = r#"{"base_year": 2025, "horizon": 10, "retirement_age": 66, "exit_rate": 0.05, "entry_age": 30,
 "retention": 0.5, "vacancies": 1,
 "staff_by_age": {"25": 2, "31": 1.5, "64": 3},
 "driver": [1200, 1190, 1185, 1180, 1178, 1170, 1165, 1160, 1158, 1150, 1149],
 "local_graduates": [0, 2, 2, 1, 0, 3, 2, 2, 1, 1, 2]}"#;

/// The example of docs/forecast.md, first two years by hand.
#[test]
fn hand_computed_example_of_the_docs() {
    let f = forecast(&parse_case(EXAMPLE).unwrap()).unwrap();
    assert_eq!(f.years.len(), 10);
    assert_eq!(f.years[0].year, 2026);
    assert_eq!(f.years[9].year, 2035);
    // y0 = 2025: staff 2 + 1.5 + 3 = 6.5; demand(y0) = 6.5 + 1 vacancy = 7.5.
    assert_eq!(f.totals.start_staff, 6.5);
    assert_eq!(f.totals.start_demand, 7.5);
    // 2026:
    // 1. aging: 26 → 2, 32 → 1.5, 65 → 3
    // 2. retirements (age ≥ 66): none → 0
    // 3. exits = 0.05 × 6.5 = 0.325; by age ×0.95: 26 → 1.9, 32 → 1.425, 65 → 2.85
    // 4. remaining = 6.5 − 0.325 = 6.175
    // 5. demand = 7.5 × 1190 / 1200 = 7.4375
    // 6. need = 7.4375 − 6.175 = 1.2625
    // 7. local_supply = 2 × 0.5 = 1; local_contribution = min(1, 1.2625) = 1;
    //    external_need = 1.2625 − 1 = 0.2625
    // 8. 1.2625 enter at 30; staff = 6.175 + 1.2625 = 7.4375
    assert_flow(
        &f.years[0],
        [2026.0, 7.4375, 0.0, 0.325, 6.175, 1.2625, 1.0, 1.0, 0.2625, 7.4375],
    );
    // 2027:
    // 1. aging: 27 → 1.9, 31 → 1.2625, 33 → 1.425, 66 → 2.85
    // 2. retirements: age 66 → 2.85
    // 3. left: 1.9 + 1.2625 + 1.425 = 4.5875; exits = 0.05 × 4.5875 = 0.229375
    // 4. remaining = 4.5875 − 0.229375 = 4.358125
    // 5. demand = 7.5 × 1185 / 1200 = 7.40625
    // 6. need = 7.40625 − 4.358125 = 3.048125
    // 7. local_supply = 2 × 0.5 = 1; local_contribution = 1; external_need = 2.048125
    // 8. staff = 4.358125 + 3.048125 = 7.40625
    assert_flow(
        &f.years[1],
        [
            2027.0, 7.40625, 2.85, 0.229375, 4.358125, 3.048125, 1.0, 1.0, 2.048125, 7.40625,
        ],
    );
    // The last year's demand: 7.5 × 1149 / 1200 = 7.18125.
    assert!(close(f.totals.final_demand, 7.18125));
    assert!(close(f.totals.final_staff, f.years[9].staff));
}

/// One age group, numbers exact in binary floating point.
#[test]
fn hand_computed_one_age_group() {
    let case = Case {
        exit_rate: 0.25,
        retention: 0.5,
        local_graduates: vec![0.0, 10.0, 100.0],
        ..Case::new(2025, BTreeMap::from([(40, 100.0)]), vec![100.0, 100.0, 120.0])
    };
    assert_eq!(case.horizon, 2);
    let f = forecast(&case).unwrap();
    // demand(y0) = 100 staff + 0 vacancies = 100.
    // 2026: 1. 41 → 100. 2. retirements 0. 3. exits = 0.25 × 100 = 25 (41 → 75).
    //       4. remaining 75. 5. demand = 100 × 100/100 = 100. 6. need = 100 − 75 = 25.
    //       7. local_supply = 10 × 0.5 = 5, contribution 5, external 20.
    //       8. 25 enter at 30: 30 → 25, 41 → 75; staff 100.
    assert_flow(
        &f.years[0],
        [2026.0, 100.0, 0.0, 25.0, 75.0, 25.0, 5.0, 5.0, 20.0, 100.0],
    );
    // 2027: 1. 31 → 25, 42 → 75. 2. retirements 0. 3. exits = 0.25 × 100 = 25.
    //       4. remaining 75. 5. demand = 100 × 120/100 = 120. 6. need = 45.
    //       7. local_supply = 100 × 0.5 = 50 > 45: contribution 45, external 0.
    //       8. staff = 75 + 45 = 120.
    assert_flow(
        &f.years[1],
        [2027.0, 120.0, 0.0, 25.0, 75.0, 45.0, 50.0, 45.0, 0.0, 120.0],
    );
    assert_eq!(
        f.totals,
        Totals {
            retirements: 0.0,
            exits: 50.0,
            need: 70.0,
            local_supply: 55.0,
            local_contribution: 50.0,
            external_need: 20.0,
            start_staff: 100.0,
            start_demand: 100.0,
            final_staff: 120.0,
            final_demand: 120.0,
        }
    );
}

/// Retirements, a falling driver (surplus, no need) and local graduates exceeding the need.
#[test]
fn hand_computed_retirements_and_graduates_exceeding_need() {
    let case = Case {
        retirement_age: 62,
        exit_rate: 0.0,
        entry_age: 25,
        retention: 0.5,
        local_graduates: vec![0.0, 20.0, 20.0, 0.0],
        ..Case::new(
            2030,
            BTreeMap::from([(45, 10.0), (60, 4.0), (61, 6.0)]),
            vec![20.0, 20.0, 10.0, 10.0],
        )
    };
    let f = forecast(&case).unwrap();
    // demand(y0) = 20.
    // 2031: 1. 46 → 10, 61 → 4, 62 → 6. 2. retirements (≥ 62) = 6. 3. exits 0.
    //       4. remaining 14. 5. demand = 20 × 20/20 = 20. 6. need 6.
    //       7. local_supply = 20 × 0.5 = 10 > 6: contribution 6, external 0.
    //       8. 6 enter at 25; staff 20.
    assert_flow(&f.years[0], [2031.0, 20.0, 6.0, 0.0, 14.0, 6.0, 10.0, 6.0, 0.0, 20.0]);
    // 2032: 1. 26 → 6, 47 → 10, 62 → 4. 2. retirements 4. 4. remaining 16.
    //       5. demand = 20 × 10/20 = 10. 6. need = max(0, 10 − 16) = 0.
    //       7. local_supply 10, contribution 0, external 0. 8. staff 16 (a surplus of 6).
    assert_flow(&f.years[1], [2032.0, 10.0, 4.0, 0.0, 16.0, 0.0, 10.0, 0.0, 0.0, 16.0]);
    // 2033: 1. 27 → 6, 48 → 10. 2. none retire. remaining 16, demand 10, need 0, supply 0.
    assert_flow(&f.years[2], [2033.0, 10.0, 0.0, 0.0, 16.0, 0.0, 0.0, 0.0, 0.0, 16.0]);
    assert_eq!(f.totals.retirements, 10.0);
    assert_eq!(f.totals.need, 6.0);
    assert_eq!(f.totals.local_supply, 20.0);
    assert_eq!(f.totals.local_contribution, 6.0);
    assert_eq!(f.totals.external_need, 0.0);
    assert_eq!((f.totals.final_staff, f.totals.final_demand), (16.0, 10.0));
}

/// entry_age ≥ retirement_age is allowed: entrants retire at the next step.
#[test]
fn entrants_at_or_above_retirement_age_retire_the_next_year() {
    let case = Case {
        retirement_age: 60,
        entry_age: 60,
        exit_rate: 0.0,
        ..Case::new(2025, BTreeMap::from([(30, 5.0)]), vec![5.0, 5.0, 5.0])
    };
    let f = forecast(&case).unwrap();
    assert_flow(&f.years[0], [2026.0, 5.0, 0.0, 0.0, 5.0, 0.0, 0.0, 0.0, 0.0, 5.0]);
    let case = Case {
        staff_by_age: BTreeMap::from([(59, 5.0)]),
        ..case
    };
    let f = forecast(&case).unwrap();
    // 2026: 59 → 60 retire (5); need 5 enter at 60. 2027: they are 61 and retire again.
    assert_flow(&f.years[0], [2026.0, 5.0, 5.0, 0.0, 0.0, 5.0, 0.0, 0.0, 5.0, 5.0]);
    assert_flow(&f.years[1], [2027.0, 5.0, 5.0, 0.0, 0.0, 5.0, 0.0, 0.0, 5.0, 5.0]);
}

#[test]
fn staff_older_than_retirement_age_at_y0_retire_in_the_first_year() {
    let case = Case {
        exit_rate: 0.0,
        ..Case::new(2025, BTreeMap::from([(80, 2.0), (70, 1.0)]), vec![1.0, 1.0])
    };
    let f = forecast(&case).unwrap();
    assert_flow(&f.years[0], [2026.0, 3.0, 3.0, 0.0, 0.0, 3.0, 0.0, 0.0, 3.0, 3.0]);
}

#[test]
fn defaults_of_the_file_format() {
    let c = parse_case(r#"{"base_year": 2025, "staff_by_age": {}, "driver": [1,1,1,1,1,1,1,1,1,1,1]}"#).unwrap();
    assert_eq!((c.horizon, c.retirement_age, c.entry_age), (10, 66, 30));
    assert_eq!((c.exit_rate, c.retention, c.vacancies), (0.05, 0.5, 0.0));
    assert!(c.local_graduates.is_empty());
    // The derived Deserialize has the same defaults.
    let d: Case =
        serde_json::from_str(r#"{"base_year": 2025, "staff_by_age": {}, "driver": [1,1,1,1,1,1,1,1,1,1,1]}"#).unwrap();
    assert_eq!(c, d);
    let e: Case = serde_json::from_str(EXAMPLE).unwrap();
    assert_eq!(e, parse_case(EXAMPLE).unwrap());
}

#[test]
fn every_bad_input_names_its_field() {
    let ok = r#""base_year": 2025, "horizon": 2, "driver": [10, 10, 10], "staff_by_age": {"30": 1}"#;
    let with = |extra: &str| format!("{{{ok}, {extra}}}");
    let cases: Vec<(String, &str)> = vec![
        ("{".into(), "malformed JSON at line 1 column 1"),
        ("[]".into(), "expected a JSON object"),
        (r#"{"horizon": 2}"#.into(), "base_year: missing (required)"),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [1, 1, 1]}"#.into(),
            "staff_by_age: missing (required)",
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "staff_by_age": {}}"#.into(),
            "driver: missing (required)",
        ),
        (with(r#""exit_rat": 0.1"#), r#""exit_rat": unknown field"#),
        (
            r#"{"base_year": "2025", "driver": [1], "staff_by_age": {}}"#.into(),
            "base_year: expected a whole number, found a string",
        ),
        (
            r#"{"base_year": 2025.5, "driver": [1], "staff_by_age": {}}"#.into(),
            "base_year: expected a whole number, found 2025.5",
        ),
        (with(r#""exit_rate": 1.5"#), "exit_rate: 1.5 is outside 0…1"),
        (with(r#""exit_rate": -0.1"#), "exit_rate: -0.1 is outside 0…1"),
        (
            with(r#""exit_rate": "5%""#),
            "exit_rate: expected a number, found a string",
        ),
        (with(r#""retention": 2"#), "retention: 2 is outside 0…1"),
        (with(r#""retention": null"#), "retention: expected a number, found null"),
        (with(r#""vacancies": -1"#), "vacancies: -1 is negative"),
        (
            with(r#""retirement_age": 90"#),
            "retirement_age: age 90 is outside 15…80",
        ),
        (with(r#""entry_age": 14"#), "entry_age: age 14 is outside 15…80"),
        (
            with(r#""entry_age": 30.5"#),
            "entry_age: expected a whole number, found 30.5",
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [1,1,1], "staff_by_age": {"12": 1}}"#.into(),
            r#"staff_by_age."12": age 12 is outside 15…80"#,
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [1,1,1], "staff_by_age": {"x": 1}}"#.into(),
            r#"staff_by_age."x": the age must be a whole number"#,
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [1,1,1], "staff_by_age": {"-3": 1}}"#.into(),
            r#"staff_by_age."-3": the age must be a whole number"#,
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [1,1,1], "staff_by_age": {"30": -1}}"#.into(),
            r#"staff_by_age."30": -1 is negative"#,
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [1,1,1], "staff_by_age": {"30": "2"}}"#.into(),
            r#"staff_by_age."30": expected a number, found a string"#,
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [1,1,1], "staff_by_age": {"30": 1, "030": 1}}"#.into(),
            r#"age 30 is given twice"#,
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [1,1,1], "staff_by_age": [1]}"#.into(),
            "staff_by_age: expected an object",
        ),
        (
            r#"{"base_year": 2025, "driver": [1,1,1,1,1,1,1,1,1], "staff_by_age": {}}"#.into(),
            "driver: expected 11 values (horizon 10 + 1), found 9",
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [0, 1, 1], "staff_by_age": {}}"#.into(),
            "driver[0]: the base year's value must be > 0",
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [1, -1, 1], "staff_by_age": {}}"#.into(),
            "driver[1]: -1 is negative",
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [1, "a", 1], "staff_by_age": {}}"#.into(),
            "driver[1]: expected a number, found a string",
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": 5, "staff_by_age": {}}"#.into(),
            "driver: expected an array of numbers, found a number",
        ),
        (
            with(r#""local_graduates": [1, 2]"#),
            "local_graduates: expected 3 values (horizon 2 + 1), found 2",
        ),
        (
            with(r#""local_graduates": [1, 2, -3]"#),
            "local_graduates[2]: -3 is negative",
        ),
        (
            r#"{"base_year": 2025, "horizon": 0, "driver": [1], "staff_by_age": {}}"#.into(),
            "horizon: 0 is outside 1…50",
        ),
        (
            r#"{"base_year": 2025, "horizon": 51, "driver": [1], "staff_by_age": {}}"#.into(),
            "horizon: 51 is outside 1…50",
        ),
        (
            r#"{"base_year": 2025, "horizon": -1, "driver": [1], "staff_by_age": {}}"#.into(),
            "horizon: -1 is outside 1…50",
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [1, 1e999, 1], "staff_by_age": {}}"#.into(),
            "malformed JSON",
        ),
    ];
    for (input, want) in cases {
        let err = parse_case(&input).expect_err(&input).to_string();
        assert!(err.contains(want), "{input}\n got: {err}\nwant: {want}");
        assert!(!err.contains('\n'), "one line: {err}");
    }
}

#[test]
fn validate_rejects_what_json_cannot_say() {
    let base = Case::new(2025, BTreeMap::from([(30, 1.0)]), vec![1.0, 1.0]);
    for (case, want) in [
        (
            Case {
                exit_rate: f64::NAN,
                ..base.clone()
            },
            "exit_rate: NaN is not a finite number",
        ),
        (
            Case {
                vacancies: f64::INFINITY,
                ..base.clone()
            },
            "vacancies: inf is not a finite number",
        ),
        (
            Case {
                driver: vec![1.0, f64::NAN],
                ..base.clone()
            },
            "driver[1]: NaN is not a finite number",
        ),
        (
            Case {
                staff_by_age: BTreeMap::from([(200, 1.0)]),
                ..base.clone()
            },
            "staff_by_age.\"200\": age 200 is outside 15…80",
        ),
        (
            Case {
                horizon: 0,
                driver: vec![1.0],
                ..base.clone()
            },
            "horizon: 0 is outside 1…50",
        ),
        (
            Case {
                base_year: i32::MAX,
                ..base.clone()
            },
            "base_year",
        ),
    ] {
        let err = forecast(&case).unwrap_err().to_string();
        assert!(err.contains(want), "{err}");
    }
}

#[test]
fn output_json_has_the_documented_field_order() {
    let f = forecast(&parse_case(EXAMPLE).unwrap()).unwrap();
    let json = serde_json::to_string(&f).unwrap();
    assert!(
        json.starts_with(
            r#"{"years":[{"year":2026,"demand":7.4375,"retirements":0.0,"exits":0.325,"remaining":6.175,"need":"#
        ),
        "{json}"
    );
    let totals = &json[json.find(r#""totals":"#).unwrap()..];
    let keys = [
        "retirements",
        "exits",
        "need",
        "local_supply",
        "local_contribution",
        "external_need",
        "start_staff",
        "start_demand",
        "final_staff",
        "final_demand",
    ];
    let positions: Vec<_> = keys.iter().map(|k| totals.find(&format!("\"{k}\"")).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{totals}");
    let csv = f.to_csv();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("year,demand,retirements,exits,remaining,need,local_supply,local_contribution,external_need,staff")
    );
    // Full precision: 7.4375 − 6.175 is 1.2625000000000002 in binary floating point.
    assert_eq!(
        lines.next(),
        Some("2026,7.4375,0,0.325,6.175,1.2625000000000002,1,1,0.2625000000000002,7.4375")
    );
    // Every number reads back exactly, in CSV and in JSON.
    let back: serde_json::Value = serde_json::from_str(&json).unwrap();
    for (y, line) in f.years.iter().zip(csv.lines().skip(1)) {
        let fields: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
        assert_eq!(fields, y.values());
    }
    // (serde_json's default float parsing may be 1 ulp off.)
    assert!(
        (back["years"][9]["staff"].as_f64().unwrap() - f.years[9].staff).abs() <= 4.0 * f64::EPSILON * f.years[9].staff
    );
    assert_eq!(csv.lines().count(), 11);
}

#[test]
fn scenarios_adjust_a_case_and_stay_valid() {
    let base = parse_case(EXAMPLE).unwrap();
    let c = Scenario::ExtraLocalGraduates { per_year: 2.0 }.apply(&base);
    assert_eq!(
        c.local_graduates,
        vec![0.0, 4.0, 4.0, 3.0, 2.0, 5.0, 4.0, 4.0, 3.0, 3.0, 4.0]
    );
    let none = Case {
        local_graduates: vec![],
        ..base.clone()
    };
    assert_eq!(
        Scenario::ExtraLocalGraduates { per_year: 1.0 }
            .apply(&none)
            .local_graduates,
        [vec![0.0], vec![1.0; 10]].concat()
    );
    assert_eq!(Scenario::RetirementAge { age: 67 }.apply(&base).retirement_age, 67);
    assert_eq!(Scenario::RetirementAge { age: 99 }.apply(&base).retirement_age, 80);
    assert!(close(
        Scenario::ExitRateChange {
            percentage_points: -1.0
        }
        .apply(&base)
        .exit_rate,
        0.04
    ));
    assert_eq!(
        Scenario::ExitRateChange {
            percentage_points: -10.0
        }
        .apply(&base)
        .exit_rate,
        0.0
    );
    let all = Scenario::apply_all(
        &[
            Scenario::ExtraLocalGraduates { per_year: 1.0 },
            Scenario::RetirementAge { age: 67 },
            Scenario::Retention { retention: 0.8 },
        ],
        &base,
    );
    assert_eq!(
        (all.retirement_age, all.retention, all.local_graduates[1]),
        (67, 0.8, 3.0)
    );
    assert_eq!(base, parse_case(EXAMPLE).unwrap(), "the base is unchanged");
    // More local graduates never raise the external need; a later retirement never raises the need.
    let f0 = forecast(&base).unwrap();
    let f1 = forecast(&Scenario::ExtraLocalGraduates { per_year: 1.0 }.apply(&base)).unwrap();
    assert!(f1.totals.external_need <= f0.totals.external_need);
    let f2 = forecast(&Scenario::RetirementAge { age: 67 }.apply(&base)).unwrap();
    assert!(f2.totals.need <= f0.totals.need + 1e-9);
    assert_eq!(
        Scenario::ExitRateChange {
            percentage_points: -1.0
        }
        .to_string(),
        "exit rate -1 percentage points"
    );
}

#[test]
fn regional_sum_adds_every_flow() {
    let a = forecast(&parse_case(EXAMPLE).unwrap()).unwrap();
    let s = Forecast::sum(&[a.clone(), a.clone()]).unwrap();
    assert!(close(s.years[1].need, 2.0 * a.years[1].need));
    assert!(close(s.totals.external_need, 2.0 * a.totals.external_need));
    assert_eq!(s.years[1].year, 2027);
    let short = Forecast {
        years: a.years[..3].to_vec(),
        totals: a.totals,
    };
    assert!(Forecast::sum(&[a, short]).is_none());
    assert!(Forecast::sum(&[]).is_none());
}

#[test]
fn driver_series_from_population() {
    use AgeGroup::*;
    let cells = vec![
        (Age(0), 2024, Some(10.0)),
        (Age(1), 2024, Some(11.0)),
        (Age(5), 2024, Some(12.0)),
        (Age(6), 2024, Some(13.0)),
        (Age(15), 2024, Some(14.0)),
        (Age(80), 2024, Some(3.0)),
        (AndOlder(100), 2024, Some(1.0)),
        (Total, 2024, Some(999.0)),
        (Age(1), 2025, Some(20.0)),
        (Age(1), 2025, Some(21.0)), // the other sex
        (Range(81, 84), 2025, Some(4.0)),
        (Age(16), 2025, None),
    ];
    let s = DriverSeries::from_population(cells.clone(), Driver::PRESCHOOL, 2024, 2025).unwrap();
    assert_eq!(s.values, vec![23.0, 41.0]);
    let s = DriverSeries::from_population(cells.clone(), Driver::COMPULSORY_SCHOOL, 2024, 2025).unwrap();
    assert_eq!(s.values, vec![27.0, 0.0]);
    let s = DriverSeries::from_population(cells.clone(), Driver::ELDERLY, 2024, 2025).unwrap();
    assert_eq!(s.values, vec![4.0, 4.0]);
    assert_eq!(s.get(2025), Some(4.0));
    assert_eq!(s.window(2024, 1), Some(vec![4.0, 4.0]));
    assert_eq!(s.window(2024, 2), None);
    // Total: the year's Total cell when there is one, else the sum of the ages; 2025 has a null.
    let err = DriverSeries::from_population(cells.clone(), Driver::Total, 2024, 2025).unwrap_err();
    assert_eq!(
        err.to_string(),
        "year 2025, age 16: no value (null) where total population needs one"
    );
    let s = DriverSeries::from_population(cells[..8].to_vec(), Driver::Total, 2024, 2024).unwrap();
    assert_eq!(s.values, vec![999.0]);
    let s = DriverSeries::from_population(cells[..7].to_vec(), Driver::Total, 2024, 2024).unwrap();
    assert_eq!(s.values, vec![64.0]);
    assert_eq!(
        DriverSeries::from_population(cells.clone(), Driver::PRESCHOOL, 2024, 2026).unwrap_err(),
        DriverError::MissingYear(2026)
    );
    let straddle = vec![(Range(0, 4), 2024, Some(1.0))];
    assert!(matches!(
        DriverSeries::from_population(straddle, Driver::PRESCHOOL, 2024, 2024),
        Err(DriverError::Straddles { .. })
    ));
    let negative = vec![(Age(3), 2024, Some(-1.0))];
    assert!(matches!(
        DriverSeries::from_population(negative, Driver::PRESCHOOL, 2024, 2024),
        Err(DriverError::BadValue { .. })
    ));
    assert_eq!(Driver::for_ssyk(crate::Ssyk::parse("2343").unwrap()), Driver::PRESCHOOL);
    assert_eq!(
        Driver::for_ssyk(crate::Ssyk::parse("2341").unwrap()),
        Driver::COMPULSORY_SCHOOL
    );
    assert_eq!(Driver::for_ssyk(crate::Ssyk::parse("2227").unwrap()), Driver::ELDERLY);
    assert_eq!(Driver::for_ssyk(crate::Ssyk::parse("2221").unwrap()), Driver::Total);
}

fn arb_case() -> impl Strategy<Value = Case> {
    (1u32..=25)
        .prop_flat_map(|h| {
            let n = h as usize + 1;
            (
                Just(h),
                proptest::collection::btree_map(15u32..=80, 0.0f64..500.0, 0..12),
                proptest::collection::vec(0.0f64..5000.0, n),
                1.0f64..5000.0,
                proptest::collection::vec(0.0f64..50.0, n),
                (15u32..=80, 15u32..=80, 0.0f64..=1.0, 0.0f64..=1.0, 0.0f64..20.0),
            )
        })
        .prop_map(
            |(h, staff, mut driver, d0, grads, (ra, ea, exit_rate, retention, vacancies))| {
                driver[0] = d0;
                Case {
                    base_year: 2025,
                    horizon: h,
                    retirement_age: ra,
                    exit_rate,
                    entry_age: ea,
                    retention,
                    vacancies,
                    staff_by_age: staff,
                    driver,
                    local_graduates: grads,
                }
            },
        )
}

proptest! {
    #[test]
    fn flows_obey_the_model(case in arb_case()) {
        let f = forecast(&case).unwrap();
        prop_assert_eq!(f.years.len(), case.horizon as usize);
        let mut staff = f.totals.start_staff;
        for y in &f.years {
            for v in y.values() {
                prop_assert!(v.is_finite() && v >= 0.0, "{:?}", y);
            }
            prop_assert!(y.local_contribution <= y.need);
            prop_assert_eq!(y.need, (y.demand - y.remaining).max(0.0));
            prop_assert_eq!(y.external_need, y.need - y.local_contribution);
            prop_assert!(y.external_need >= 0.0);
            let expected = staff - y.retirements - y.exits + y.need;
            prop_assert!((y.staff - expected).abs() <= 1e-9 * staff.abs().max(y.staff.abs()).max(1.0), "{} vs {}", y.staff, expected);
            prop_assert!(y.staff >= y.demand - 1e-9 * y.demand.max(1.0));
            staff = y.staff;
        }
        let sum = |g: fn(&YearFlow) -> f64| f.years.iter().map(g).sum::<f64>();
        prop_assert!((f.totals.need - sum(|y| y.need)).abs() <= 1e-9 * f.totals.need.max(1.0));
        prop_assert_eq!(f.totals.final_staff, f.years.last().unwrap().staff);
    }

    #[test]
    fn parser_never_panics_on_arbitrary_text(s in ".{0,200}") {
        let _ = parse_case(&s);
    }

    #[test]
    fn parser_never_panics_on_arbitrary_json_fields(
        key in prop_oneof![Just("base_year"), Just("horizon"), Just("retirement_age"), Just("exit_rate"), Just("entry_age"),
                           Just("retention"), Just("vacancies"), Just("staff_by_age"), Just("driver"), Just("local_graduates")],
        value in prop_oneof![
            Just("null".to_string()), Just("true".to_string()), Just("\"x\"".to_string()), Just("{}".to_string()),
            any::<i64>().prop_map(|i| i.to_string()), any::<f64>().prop_map(|x| format!("{x:?}")),
            proptest::collection::vec(-10.0f64..1e6, 0..60).prop_map(|v| serde_json::to_string(&v).unwrap()),
            proptest::collection::btree_map("[0-9a-z ]{0,4}", -5.0f64..100.0, 0..5).prop_map(|m| serde_json::to_string(&m).unwrap()),
        ],
    ) {
        let json = format!(r#"{{"base_year": 2025, "staff_by_age": {{"30": 1}}, "driver": [1,1,1,1,1,1,1,1,1,1,1], "{key}": {value}}}"#);
        if let Ok(case) = parse_case(&json) {
            prop_assert!(forecast(&case).is_ok());
        }
    }
}

/// The model over every age slot, without the engine's occupied-range bookkeeping.
fn naive(case: &Case) -> Vec<[f64; 10]> {
    let mut stock = vec![0.0; 200];
    for (&a, &n) in &case.staff_by_age {
        stock[a as usize] += n;
    }
    let demand0: f64 = stock.iter().sum::<f64>() + case.vacancies;
    let ra = case.retirement_age as usize;
    let mut out = Vec::new();
    for t in 1..=case.horizon as usize {
        stock.rotate_right(1);
        let retirements: f64 = stock[ra..].iter().sum();
        stock[ra..].iter_mut().for_each(|n| *n = 0.0);
        let left: f64 = stock.iter().sum();
        let exits = case.exit_rate * left;
        stock.iter_mut().for_each(|n| *n *= 1.0 - case.exit_rate);
        let remaining = left - exits;
        let demand = demand0 * case.driver[t] / case.driver[0];
        let need = (demand - remaining).max(0.0);
        let supply = case.local_graduates.get(t).copied().unwrap_or(0.0) * case.retention;
        let contribution = supply.min(need);
        stock[case.entry_age as usize] += need;
        out.push([
            (case.base_year + t as i32) as f64,
            demand,
            retirements,
            exits,
            remaining,
            need,
            supply,
            contribution,
            need - contribution,
            remaining + need,
        ]);
    }
    out
}

proptest! {
    #[test]
    fn engine_equals_the_naive_model(case in arb_case()) {
        let f = forecast(&case).unwrap();
        for (y, want) in f.years.iter().zip(naive(&case)) {
            for (got, want) in y.values().into_iter().zip(want) {
                prop_assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "{:?} vs {:?}", y, want);
            }
        }
    }
}
