//! `kkig allocate` and `kkig demo-instance` as other tools drive them: exact output, exit
//! codes, one-line errors naming the field, --output, deterministic demo instances.

use std::path::Path;
use std::process::{Command, Output};

fn kkig() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kkig"));
    // No database may be needed: point the URL somewhere that cannot be opened.
    c.env("KKIG_DATABASE_URL", "sqlite:///nonexistent-dir/never.db")
        .env("KKIG_LOG", "warn")
        .env_remove("RUST_BACKTRACE");
    c
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const EXAMPLE: &str = r#"{
  "rules": {"max_travel_minutes": 90, "road_factor": 1.3, "speed_kmh": 70,
            "home_municipality_bonus": 30, "preference_bonus": [60, 40, 20],
            "move_penalty": 0, "unplaced_penalty": 100000},
  "sites":    [{"id": "S1", "field": "nurse", "municipality": "2506", "lat": 66.05, "lon": 17.89, "capacity": 2}],
  "students": [{"id": "P1", "field": "nurse", "municipality": "2506", "lat": 66.04, "lon": 17.90,
                "preferences": ["S1"], "locked_site": null, "current_site": null}]
}"#;

fn allocate_json(dir: &Path, json: &str) -> Output {
    let input = dir.join("instance.json");
    std::fs::write(&input, json).unwrap();
    kkig().arg("allocate").arg("--input").arg(&input).output().unwrap()
}

#[test]
fn the_issue_example_gives_exactly_its_output() {
    let dir = tempfile::tempdir().unwrap();
    let o = allocate_json(dir.path(), EXAMPLE);
    assert!(o.status.success(), "{}", stderr(&o));
    let got: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let want: serde_json::Value = serde_json::from_str(
        r#"{"objective": -89, "placed": 1, "unplaced": [],
            "assignments": [{"student": "P1", "site": "S1", "minutes": 1, "cost": -89}],
            "unplaced_reasons": {}}"#,
    )
    .unwrap();
    assert_eq!(got, want);
    // Keys in the documented order.
    let text = String::from_utf8(o.stdout.clone()).unwrap();
    let pos = |k: &str| text.find(&format!("\"{k}\"")).unwrap();
    assert!(
        pos("objective") < pos("placed") && pos("placed") < pos("unplaced") && pos("unplaced") < pos("assignments")
    );
    assert!(pos("assignments") < pos("unplaced_reasons"));
    // The summary goes to stderr.
    let err = stderr(&o);
    assert!(
        err.contains("1 placed (100.0 %)") && err.contains("home municipality") && err.contains("quartiles"),
        "{err}"
    );
}

#[test]
fn output_file_sorting_and_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.json");
    let output = dir.path().join("out.json");
    // One place, three students of whom two cannot have it; one has no site in its field.
    std::fs::write(
        &input,
        r#"{"sites": [{"id": "S1", "field": "nurse", "lat": 64.0, "lon": 18.0, "capacity": 1}],
            "students": [
              {"id": "P3", "field": "nurse", "lat": 64.0, "lon": 18.0},
              {"id": "P1", "field": "nurse", "lat": 64.1, "lon": 18.0},
              {"id": "P2", "field": "teacher-f3", "lat": 64.0, "lon": 18.0}]}"#,
    )
    .unwrap();
    let o = kkig()
        .arg("allocate")
        .arg("--input")
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let got: serde_json::Value = serde_json::from_slice(&std::fs::read(&output).unwrap()).unwrap();
    assert_eq!(got["placed"], 1);
    assert_eq!(got["unplaced"], serde_json::json!(["P1", "P2"]));
    assert_eq!(
        got["assignments"],
        serde_json::json!([{"student": "P3", "site": "S1", "minutes": 0, "cost": 0}])
    );
    assert_eq!(got["objective"], 200_000);
    let reasons = got["unplaced_reasons"].as_object().unwrap();
    assert!(reasons["P1"].as_str().unwrap().contains("S1 (12 min)"), "{reasons:?}");
    assert!(reasons["P1"].as_str().unwrap().contains("full"), "{reasons:?}");
    assert!(
        reasons["P2"].as_str().unwrap().contains("no site in their field"),
        "{reasons:?}"
    );
}

#[test]
fn bad_input_exits_2_with_one_line_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let s = r#"{"id": "S1", "field": "f", "lat": 64, "lon": 18, "capacity": 1}"#;
    let p = |extra: &str| format!(r#"{{"id": "P1", "field": "f", "lat": 64, "lon": 18{extra}}}"#);
    let cases = [
        (
            "{ not json".to_string(),
            "invalid JSON: key must be a string at line 1 column 3",
        ),
        (r#"{"sites": "x", "students": []}"#.to_string(), "sites: invalid type"),
        (
            format!(r#"{{"sites": [{s}], "students": [{}]}}"#, p(r#", "lat": "north""#)),
            "duplicate field `lat`",
        ),
        (
            format!(r#"{{"sites": [{s}], "students": [{{"id": "P1", "field": "f", "lat": "north", "lon": 18}}]}}"#),
            "students[0].lat: invalid type",
        ),
        (
            format!(r#"{{"sites": [{s}, {s}], "students": []}}"#),
            "sites[1].id: duplicate id \"S1\"",
        ),
        (
            format!(r#"{{"sites": [{s}], "students": [{}, {}]}}"#, p(""), p("")),
            "students[1].id: duplicate id \"P1\"",
        ),
        (
            format!(
                r#"{{"sites": [{s}], "students": [{}]}}"#,
                p(r#", "preferences": ["S9"]"#)
            ),
            "students[0].preferences[0]: unknown site \"S9\"",
        ),
        (
            format!(
                r#"{{"sites": [{s}], "students": [{}]}}"#,
                p(r#", "locked_site": "S99""#)
            ),
            "students[0].locked_site: unknown site \"S99\"",
        ),
        (
            format!(
                r#"{{"sites": [{s}], "students": [{}]}}"#,
                p(r#", "current_site": "S7""#)
            ),
            "students[0].current_site: unknown site \"S7\"",
        ),
        (
            r#"{"sites": [{"id": "S1", "field": "f", "lat": 64, "lon": 18, "capacity": -2}], "students": []}"#
                .to_string(),
            "sites[0].capacity: must not be negative",
        ),
        (
            r#"{"sites": [{"id": "S1", "field": "f", "lat": -91, "lon": 18, "capacity": 1}], "students": []}"#
                .to_string(),
            "sites[0].lat: latitude must be between -90 and 90",
        ),
        (
            format!(r#"{{"sites": [{s}], "students": [{{"id": "P1", "field": "f", "lat": 64, "lon": 181}}]}}"#),
            "students[0].lon: longitude must be between -180 and 180",
        ),
        (
            format!(
                r#"{{"sites": [{s}], "students": [{}, {{"id": "P2", "field": "f", "lat": 64, "lon": 18, "locked_site": "S1"}}]}}"#,
                p(r#", "locked_site": "S1""#)
            ),
            "sites[0].capacity: 2 students are locked to site \"S1\" but its capacity is 1",
        ),
        (
            format!(r#"{{"rules": {{"road_factor": -1.3}}, "sites": [{s}], "students": []}}"#),
            "rules.road_factor",
        ),
        (
            format!(r#"{{"rules": {{"speed_kmh": 0}}, "sites": [{s}], "students": []}}"#),
            "rules.speed_kmh",
        ),
        (
            format!(r#"{{"rules": {{"unplaced_penalty": "high"}}, "sites": [{s}], "students": []}}"#),
            "rules.unplaced_penalty: invalid type",
        ),
    ];
    for (json, want) in cases {
        let o = allocate_json(dir.path(), &json);
        assert_eq!(o.status.code(), Some(2), "{json}: {}", stderr(&o));
        let err = stderr(&o);
        let lines: Vec<_> = err.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "one line expected for {json}:\n{err}");
        assert!(
            lines[0].starts_with("error: ") && lines[0].contains(want),
            "{json}\n got: {err}\nwant: {want}"
        );
        assert!(!err.contains("panicked"), "{err}");
        assert!(o.stdout.is_empty());
    }
    // A missing input file is an input error too.
    let o = kkig()
        .args(["allocate", "--input"])
        .arg(dir.path().join("missing.json"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("error: cannot read"), "{}", stderr(&o));
}

#[test]
fn demo_instance_is_deterministic_and_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let run = |seed: &str| -> Vec<u8> {
        let o = kkig()
            .args([
                "demo-instance",
                "--students",
                "400",
                "--sites",
                "150",
                "--fields",
                "3",
                "--seed",
                seed,
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        o.stdout
    };
    let a = run("7");
    assert_eq!(a, run("7"));
    assert_ne!(a, run("8"));
    let inst: serde_json::Value = serde_json::from_slice(&a).unwrap();
    assert_eq!(inst["students"].as_array().unwrap().len(), 400);
    assert_eq!(inst["sites"].as_array().unwrap().len(), 150);
    let fields: std::collections::BTreeSet<_> = inst["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["field"].as_str().unwrap().to_string())
        .collect();
    assert!(fields.len() <= 3 && fields.contains("nurse"), "{fields:?}");
    assert!(inst["sites"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| (1..=6).contains(&s["capacity"].as_i64().unwrap())));

    // --output, --capacity-factor, and allocate accepts the file.
    let path = dir.path().join("demo.json");
    let o = kkig()
        .args([
            "demo-instance",
            "--students",
            "400",
            "--sites",
            "150",
            "--capacity-factor",
            "0.9",
            "--output",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let inst: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let total: i64 = inst["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["capacity"].as_i64().unwrap())
        .sum();
    assert!((300..=420).contains(&total), "{total}");
    let o = kkig().arg("allocate").arg("--input").arg(&path).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let result: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let placed = result["placed"].as_i64().unwrap();
    assert!(placed > 0 && placed <= total);
    assert_eq!(placed as usize + result["unplaced"].as_array().unwrap().len(), 400);

    let o = kkig()
        .args([
            "demo-instance",
            "--students",
            "10",
            "--sites",
            "5",
            "--capacity-factor",
            "-1",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}
