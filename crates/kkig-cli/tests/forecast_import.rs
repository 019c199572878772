//! `kkig import population|kolada|staff`: the forecast's inputs from SCB JSON-stat, Kolada JSON
//! and HR age-profile files; bad input exits 2 naming the position, and nothing is written.

mod common;
use common::{kkig, out};
use std::path::Path;

use kkig_core::{Kommunkod, Ssyk};
use kkig_store::prelude::*;
use kkig_store::{ForecastStore, SqlStore};

const TAB638: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../kkig-formats/tests/fixtures/scb-tab638-befolkning.json"
);

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

/// (population cells, kolada values of Sorsele, inputs)
fn counts(db: &str) -> (usize, usize, usize) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let s = SqlStore::connect(db).await.unwrap();
        let n = (
            s.population_cells(None).await.unwrap().len(),
            s.kolada_values(Kommunkod::parse("2422").unwrap()).await.unwrap().len(),
            s.forecast_inputs(None).await.unwrap().len(),
        );
        s.close().await;
        n
    })
}

#[test]
fn population_observed_and_projection() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kkig.db").display());
    let o = kkig(&db, &["import", "population", TAB638]);
    assert!(o.status.success(), "{}", out(&o));
    // 3 municipalities × 9 age groups × 2 years, sexes summed.
    assert!(
        out(&o).contains("54 observed population cells of 3 municipalities imported"),
        "{}",
        out(&o)
    );
    let o = kkig(&db, &["import", "population", "--projection", TAB638]);
    assert!(o.status.success(), "{}", out(&o));
    assert_eq!(counts(&db).0, 108);
    // Again: the same municipalities and years are replaced, not added.
    assert!(kkig(&db, &["import", "population", TAB638]).status.success());
    assert_eq!(counts(&db).0, 108);

    // A broken value: exit 2, the position named, nothing written.
    let text = std::fs::read_to_string(TAB638).unwrap();
    let broken = text.replacen("\"value\": [", "\"value\": [\"x\", ", 1);
    let f = write(dir.path(), "broken.json", broken.as_bytes());
    let o = kkig(&db, &["import", "population", &f]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(
        out(&o).contains("broken.json") && out(&o).contains("value"),
        "{}",
        out(&o)
    );
    let f = write(dir.path(), "v1.json", br#"{"dataset": {"dimension": {}}}"#);
    let o = kkig(&db, &["import", "population", &f]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("json-stat2"), "{}", out(&o));
    assert_eq!(counts(&db).0, 108);
}

#[test]
fn kolada_pages() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kkig.db").display());
    let page = r#"{"count": 1, "values": [{"kpi": "N00914", "municipality": "2422", "period": 2023,
        "values": [{"gender": "T", "value": 12.3}, {"gender": "K", "value": null}]}]}"#;
    let f = write(dir.path(), "kolada.json", page.as_bytes());
    let o = kkig(&db, &["import", "kolada", &f]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("2 key-figure values imported"), "{}", out(&o));
    assert_eq!(counts(&db).1, 2);
    let bad = page.replace("\"2422\"", "\"0000\"");
    let f = write(dir.path(), "bad.json", bad.as_bytes());
    let o = kkig(&db, &["import", "kolada", &f]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(
        out(&o).contains("bad.json") && out(&o).contains("values[0].municipality"),
        "{}",
        out(&o)
    );
}

/// SCB's table from 2025 (TAB5557): civil statuses summed, `100+1` read as 100 and older; Boden
/// (2582) is a municipality like any other.
#[test]
fn population_tab5557_imports() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kkig.db").display());
    let f = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../kkig-formats/tests/fixtures/scb-tab5557-befolkning.json"
    );
    let o = kkig(&db, &["import", "population", f]);
    assert!(o.status.success(), "{}", out(&o));
    // Sorsele and Boden: 7 age codes × 1 year each, sexes and civil statuses summed.
    assert!(
        out(&o).contains("14 observed population cells of 2 municipalities imported") && !out(&o).contains("left out"),
        "{}",
        out(&o)
    );
    assert_eq!(counts(&db).0, 14);
}

/// Kolada v3 answers in pages linked by `next_url`: both pages of one answer import together;
/// page 1 alone is refused (nothing written) instead of silently importing half.
#[test]
fn kolada_v3_answer_in_two_pages() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kkig.db").display());
    let p1 = include_str!("../../kkig-formats/tests/fixtures/kolada-v3-page1.json");
    let p2 = include_str!("../../kkig-formats/tests/fixtures/kolada-v3-page2.json");
    let f1 = write(dir.path(), "page1.json", p1.as_bytes());
    let f2 = write(dir.path(), "page2.json", p2.as_bytes());
    let o = kkig(&db, &["import", "kolada", &f1]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(
        out(&o).contains("page1.json links to page 2") && out(&o).contains("nothing was imported"),
        "{}",
        out(&o)
    );
    assert_eq!(counts(&db).1, 0);
    // in either order
    let o = kkig(&db, &["import", "kolada", &f2, &f1]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("6 key-figure values imported"), "{}", out(&o));
    assert_eq!(counts(&db).1, 6);
}

#[test]
fn staff_age_profiles_from_swedish_excel() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kkig.db").display());
    let csv = "\u{feff}kommunkod;ssyk;ålder;antal\r\n2422;2343;25;2\r\n2422;2343;31;1,5\r\n2422;2343;64;3\r\n2506;2221;50;4\r\n";
    let f = write(dir.path(), "personal.csv", csv.as_bytes());
    let o = kkig(&db, &["import", "staff", "--base-year", "2026", &f]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("2 age profiles imported (base year 2026)"),
        "{}",
        out(&o)
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let input = rt.block_on(async {
        let s = SqlStore::connect(&db).await.unwrap();
        let i = s
            .forecast_input(Kommunkod::parse("2422").unwrap(), Ssyk::parse("2343").unwrap())
            .await
            .unwrap()
            .unwrap();
        s.close().await;
        i
    });
    assert_eq!(input.staff(), 6.5);
    assert_eq!(input.base_year, 2026);
    assert_eq!(input.completion_share, 0.8);

    // One bad row: exit 2 naming row and column, nothing written.
    let bad = "kommunkod;ssyk;ålder;antal\n2422;2341;40;2\n2422;2341;95;1\n";
    let f = write(dir.path(), "bad.csv", bad.as_bytes());
    let o = kkig(&db, &["import", "staff", &f]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(
        out(&o).contains("bad.csv, row 3, column ålder: age 95 is outside 15…80"),
        "{}",
        out(&o)
    );
    assert_eq!(counts(&db).2, 2);
}
