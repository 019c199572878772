//! `kkig forecast` as users run it: the documented example, CSV, and every bad input exits 2
//! with a one-line message that names the field.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const EXAMPLE: &str = r#"{"base_year": 2025, "horizon": 10, "retirement_age": 66, "exit_rate": 0.05, "entry_age": 30,
 "retention": 0.5, "vacancies": 1,
 "staff_by_age": {"25": 2, "31": 1.5, "64": 3},
 "driver": [1200, 1190, 1185, 1180, 1178, 1170, 1165, 1160, 1158, 1150, 1149],
 "local_graduates": [0, 2, 2, 1, 0, 3, 2, 2, 1, 1, 2]}"#;

const COLUMNS: [&str; 10] = [
    "year",
    "demand",
    "retirements",
    "exits",
    "remaining",
    "need",
    "local_supply",
    "local_contribution",
    "external_need",
    "staff",
];

fn kkig(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kkig"));
    // A database URL that cannot be opened: forecast must not need one.
    c.current_dir(dir)
        .env(
            "KKIG_DATABASE_URL",
            format!("sqlite://{}", dir.join("no/such/dir/kkig.db").display()),
        )
        .env("KKIG_LOG", "warn")
        .env_remove("RUST_BACKTRACE");
    c
}

fn forecast_file(json: &str, extra: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.json");
    std::fs::write(&path, json).unwrap();
    let out = kkig(dir.path())
        .args(["forecast", "--input"])
        .arg(&path)
        .args(extra)
        .output()
        .unwrap();
    assert!(!dir.path().join("kkig.db").exists(), "forecast opened a database");
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The model of docs/forecast.md written again, independently of kkig-core (a map by age,
/// recomputing sums), for the example's ten years.
fn reference(staff: &[(u32, f64)], driver: &[f64], grads: &[f64], vacancies: f64) -> Vec<[f64; 10]> {
    let (retirement_age, exit_rate, entry_age, retention) = (66, 0.05, 30, 0.5);
    let mut by_age: BTreeMap<u32, f64> = staff.iter().copied().collect();
    let demand0 = by_age.values().sum::<f64>() + vacancies;
    let mut rows = Vec::new();
    for t in 1..driver.len() {
        by_age = by_age.into_iter().map(|(a, n)| (a + 1, n)).collect();
        let retirements: f64 = by_age.range(retirement_age..).map(|(_, n)| n).sum();
        by_age.retain(|&a, _| a < retirement_age);
        let left: f64 = by_age.values().sum();
        let exits = left * exit_rate;
        by_age.values_mut().for_each(|n| *n *= 1.0 - exit_rate);
        let remaining = left - exits;
        let demand = demand0 * driver[t] / driver[0];
        let need = if demand > remaining { demand - remaining } else { 0.0 };
        let local_supply = grads[t] * retention;
        let local_contribution = if local_supply < need { local_supply } else { need };
        *by_age.entry(entry_age).or_insert(0.0) += need;
        rows.push([
            2025.0 + t as f64,
            demand,
            retirements,
            exits,
            remaining,
            need,
            local_supply,
            local_contribution,
            need - local_contribution,
            remaining + need,
        ]);
    }
    rows
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
}

#[test]
fn the_example_gives_the_expected_json() {
    let o = forecast_file(EXAMPLE, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let v: Value = serde_json::from_str(&text).unwrap();
    let years = v["years"].as_array().unwrap();
    assert_eq!(years.len(), 10);
    // Field order exactly as documented.
    let first = text.find("\"year\"").unwrap();
    let positions: Vec<_> = COLUMNS
        .iter()
        .map(|c| text[first..].find(&format!("\"{c}\"")).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert_eq!(v.as_object().unwrap().len(), 2);
    assert!(text.find("\"years\"").unwrap() < text.find("\"totals\"").unwrap());

    let want = reference(
        &[(25, 2.0), (31, 1.5), (64, 3.0)],
        &[
            1200.0, 1190.0, 1185.0, 1180.0, 1178.0, 1170.0, 1165.0, 1160.0, 1158.0, 1150.0, 1149.0,
        ],
        &[0.0, 2.0, 2.0, 1.0, 0.0, 3.0, 2.0, 2.0, 1.0, 1.0, 2.0],
        1.0,
    );
    for (y, w) in years.iter().zip(&want) {
        assert_eq!(y.as_object().unwrap().len(), 10);
        for (c, w) in COLUMNS.iter().zip(w) {
            let got = y[c].as_f64().unwrap();
            assert!(close(got, *w), "{} {c}: got {got}, want {w}", y["year"]);
        }
    }
    assert_eq!(years[0]["year"], 2026);
    assert_eq!(years[9]["year"], 2035);
    // By hand (docs/forecast.md): 2026 demand 7.5 × 1190/1200 = 7.4375, exits 0.05 × 6.5 = 0.325,
    // need 7.4375 − 6.175 = 1.2625, external 0.2625; 2027 retirements 2.85, need 3.048125.
    assert_eq!(years[0]["demand"], 7.4375);
    assert_eq!(years[0]["exits"], 0.325);
    assert!(close(years[0]["need"].as_f64().unwrap(), 1.2625));
    assert!(close(years[0]["external_need"].as_f64().unwrap(), 0.2625));
    assert!(close(years[1]["retirements"].as_f64().unwrap(), 2.85));
    assert!(close(years[1]["need"].as_f64().unwrap(), 3.048125));

    let totals = &v["totals"];
    for c in [
        "retirements",
        "exits",
        "need",
        "local_supply",
        "local_contribution",
        "external_need",
    ] {
        let sum: f64 = want
            .iter()
            .map(|w| w[COLUMNS.iter().position(|x| x == &c).unwrap()])
            .sum();
        assert!(close(totals[c].as_f64().unwrap(), sum), "totals.{c}");
    }
    assert_eq!(totals["start_staff"], 6.5);
    assert_eq!(totals["start_demand"], 7.5);
    assert!(close(totals["final_staff"].as_f64().unwrap(), want[9][9]));
    assert!(close(totals["final_demand"].as_f64().unwrap(), 7.18125));
}

#[test]
fn csv_has_the_same_numbers_at_full_precision() {
    let json: Value = serde_json::from_str(&stdout(&forecast_file(EXAMPLE, &["--format", "json"]))).unwrap();
    let o = forecast_file(EXAMPLE, &["--format", "csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = stdout(&o);
    let mut lines = csv.lines();
    assert_eq!(lines.next().unwrap(), COLUMNS.join(","));
    let rows: Vec<_> = lines.collect();
    assert_eq!(rows.len(), 10);
    assert!(rows[0].starts_with("2026,7.4375,0,0.325,6.175,"), "{}", rows[0]);
    for (row, y) in rows.iter().zip(json["years"].as_array().unwrap()) {
        let fields: Vec<f64> = row.split(',').map(|f| f.parse().unwrap()).collect();
        assert_eq!(fields.len(), 10);
        for (c, f) in COLUMNS.iter().zip(fields) {
            // serde_json's default float parsing may be 1 ulp off; the printed digits are the same.
            let j = y[c].as_f64().unwrap();
            assert!((f - j).abs() <= 4.0 * f64::EPSILON * f.abs(), "{c} in {row}: {j}");
        }
    }
    assert!(
        rows.iter().all(|r| !r.contains(';') && !r.contains(['e', 'E'])),
        "no exponents: {csv}"
    );
}

#[test]
fn standard_input_and_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = kkig(dir.path())
        .args(["forecast", "--input", "-", "--format", "csv"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"base_year": 2025, "horizon": 1, "staff_by_age": {"40": 100}, "driver": [10, 11]}"#)
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // Defaults: exit 5 % of 100 = 5; remaining 95; demand 100 × 11/10 = 110; need 15; no graduates.
    assert_eq!(stdout(&o).lines().nth(1), Some("2026,110,0,5,95,15,0,0,15,110"));
}

#[test]
fn every_bad_input_exits_2_with_a_one_line_message_naming_the_field() {
    let ok = r#""base_year": 2025, "horizon": 2, "driver": [10, 10, 10], "staff_by_age": {"30": 1}"#;
    let with = |extra: &str| format!("{{{ok}, {extra}}}");
    let cases: Vec<(String, &str)> = vec![
        ("{\"base_year\": 2025,".into(), "malformed JSON at line 1"),
        ("".into(), "malformed JSON"),
        ("[1, 2]".into(), "expected a JSON object"),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [1,1,1], "staff_by_age": {"12": 2}}"#.into(),
            r#"staff_by_age."12": age 12 is outside 15…80"#,
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [1,1,1], "staff_by_age": {"81": 2}}"#.into(),
            r#"staff_by_age."81": age 81 is outside 15…80"#,
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [1,1,1], "staff_by_age": {"tjugo": 2}}"#.into(),
            r#"staff_by_age."tjugo": the age must be a whole number"#,
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [1,1,1], "staff_by_age": {"30": -2}}"#.into(),
            r#"staff_by_age."30": -2 is negative"#,
        ),
        (
            r#"{"base_year": 2025, "driver": [1,1,1,1,1,1,1,1,1], "staff_by_age": {}}"#.into(),
            "driver: expected 11 values (horizon 10 + 1), found 9",
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [0, 1, 1], "staff_by_age": {}}"#.into(),
            "driver[0]:",
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [1, 1, -1], "staff_by_age": {}}"#.into(),
            "driver[2]: -1 is negative",
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [1, 1, "x"], "staff_by_age": {}}"#.into(),
            "driver[2]: expected a number, found a string",
        ),
        (
            with(r#""local_graduates": [1, 1, 1, 1]"#),
            "local_graduates: expected 3 values (horizon 2 + 1), found 4",
        ),
        (
            with(r#""local_graduates": [1, -1, 1]"#),
            "local_graduates[1]: -1 is negative",
        ),
        (with(r#""exit_rate": 1.01"#), "exit_rate: 1.01 is outside 0…1"),
        (
            with(r#""exit_rate": "0.05""#),
            "exit_rate: expected a number, found a string",
        ),
        (with(r#""retention": -0.5"#), "retention: -0.5 is outside 0…1"),
        (with(r#""vacancies": -3"#), "vacancies: -3 is negative"),
        (
            with(r#""retirement_age": 81"#),
            "retirement_age: age 81 is outside 15…80",
        ),
        (with(r#""entry_age": 10"#), "entry_age: age 10 is outside 15…80"),
        (
            with(r#""entry_age": true"#),
            "entry_age: expected a whole number, found true/false",
        ),
        (with(r#""horizon_years": 3"#), r#""horizon_years": unknown field"#),
        (
            r#"{"base_year": 2025, "horizon": 51, "driver": [1], "staff_by_age": {}}"#.into(),
            "horizon: 51 is outside 1…50",
        ),
        (
            r#"{"base_year": 2025, "horizon": 0, "driver": [1], "staff_by_age": {}}"#.into(),
            "horizon: 0 is outside 1…50",
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [1, NaN, 1], "staff_by_age": {}}"#.into(),
            "malformed JSON",
        ),
        (
            r#"{"base_year": 2025, "horizon": 2, "driver": [1, 1e400, 1], "staff_by_age": {}}"#.into(),
            "malformed JSON",
        ),
        (
            r#"{"horizon": 2, "driver": [1, 1, 1], "staff_by_age": {}}"#.into(),
            "base_year: missing (required)",
        ),
    ];
    for (input, want) in cases {
        let o = forecast_file(&input, &[]);
        assert_eq!(o.status.code(), Some(2), "{input}: {}", stderr(&o));
        assert_one_line_error(&o, want);
        assert!(o.stdout.is_empty(), "{input}: no output on error");
    }
}

#[test]
fn unreadable_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = kkig(dir.path())
        .args(["forecast", "--input", "missing.json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_one_line_error(&o, "cannot read missing.json");
    std::fs::write(dir.path().join("latin1.json"), b"{\"base_year\": 2025, \"x\xe5\": 1}").unwrap();
    let o = kkig(dir.path())
        .args(["forecast", "--input", "latin1.json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_one_line_error(&o, "latin1.json is not UTF-8");
    let o = kkig(dir.path())
        .args(["forecast", "--input", "latin1.json", "--format", "xml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "usage error");
}

fn assert_one_line_error(o: &Output, want: &str) {
    let err = stderr(o);
    let lines: Vec<_> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line expected:\n{err}");
    assert!(
        lines[0].starts_with("error: ") && lines[0].contains(want),
        "want {want:?}, got {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}
