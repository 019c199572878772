//! `kkig import sites|supervisors|students|periods` as coordinators run it: Swedish Excel CSV
//! (BOM, Windows-1252) and XLSX, exit 2 naming file, row and column with nothing written, and
//! re-imports that change nothing.

mod common;
use common::{kkig, out};
use std::path::Path;

use kkig_store::prelude::*;
use kkig_store::{SqlStore, StudentFilter};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

fn cp1252(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("latin-1"))
        .collect()
}

fn counts(db: &str) -> (usize, usize, usize) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let s = SqlStore::connect(db).await.unwrap();
        let n = (
            s.placement_sites(None).await.unwrap().len(),
            s.supervisors(None).await.unwrap().len(),
            s.vfu_students(&StudentFilter::default()).await.unwrap().len(),
        );
        s.close().await;
        n
    })
}

const SITES: &str = "\u{feff}id;kommunkod;namn;typ;adress;lat;lon;fields\r\n\
    bjorkskolan;2422;Björkskolan;skola;Skolgatan 3;65,5331;17,5312;teacher_f3|teacher_4_6\r\n\
    tallgarden;2422;Tallgårdens särskilda boende;care_home;;;;nurse:äldrevård\r\n";

const SUPERVISORS: &str = "e-post;namn;kommun;site_id;fields;tjänstgöringsgrad;training;training_date;training_university;consent_contact\r\n\
    åsa@sorsele.se;Åsa Öberg;;bjorkskolan;teacher_f3;87,5;completed;2024-06-01 00:00;UmU;ja\r\n\
    per@sorsele.se;Per Ängström;2422;tallgarden;nurse;100;none;;;nej\r\n";

#[test]
fn vfu_imports_from_csv_and_xlsx_are_idempotent_and_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kkig.db").display());

    // Sites: UTF-8 with BOM, Swedish headers, decimal comma.
    let sites = write(dir.path(), "platser.csv", SITES.as_bytes());
    let o = kkig(&db, &["import", "sites", &sites]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("2 placement sites: 2 created, 0 updated, 0 unchanged, 0 rejected"),
        "{}",
        out(&o)
    );
    let o = kkig(&db, &["import", "sites", &sites]);
    assert!(
        out(&o).contains("0 created, 0 updated, 2 unchanged"),
        "idempotent: {}",
        out(&o)
    );

    // Supervisors: Windows-1252 with a bad row → exit 2, file/row/column, nothing written.
    let bad = SUPERVISORS.replace(
        "per@sorsele.se;Per Ängström;2422;tallgarden;nurse;100",
        "per@sorsele.se;Per Ängström;2422;tallgarden;nurse;-5",
    );
    let bad = write(dir.path(), "handledare-fel.csv", &cp1252(&bad));
    let o = kkig(&db, &["import", "supervisors", &bad]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    let text = out(&o);
    assert!(
        text.contains(&format!(
            "rejected: {bad}, row 3, column employment_percent: employment_percent -5 is outside 0–100"
        )),
        "{text}"
    );
    assert!(text.contains("nothing was written"), "{text}");
    assert_eq!(counts(&db), (2, 0, 0), "nothing written");
    // With --skip-invalid the valid row is written.
    let o = kkig(&db, &["import", "supervisors", &bad, "--skip-invalid"]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("1 supervisors: 1 created, 0 updated, 0 unchanged, 1 rejected"),
        "{}",
        out(&o)
    );
    let good = write(dir.path(), "handledare.csv", &cp1252(SUPERVISORS));
    let o = kkig(&db, &["import", "supervisors", &good]);
    assert!(out(&o).contains("1 created, 0 updated, 1 unchanged"), "{}", out(&o));
    let o = kkig(&db, &["import", "supervisors", &good]);
    assert!(out(&o).contains("0 created, 0 updated, 2 unchanged"), "{}", out(&o));

    // Periods from CSV, students from XLSX.
    let periods = write(
        dir.path(),
        "perioder.csv",
        b"id;university;programme;course_code;start;end;field;students\numu-vt26-f3;UmU;Grundl\xe4rarprogrammet F-3;6PE123;2026-01-19;2026-02-20 00:00;teacher_f3;40\n",
    );
    let o = kkig(&db, &["import", "periods", &periods]);
    assert!(o.status.success(), "{}", out(&o));
    use kkig_formats::table::{Cell, Table};
    let mut t = Table::new(&[
        "period_id",
        "email",
        "name",
        "home_municipality",
        "wishes",
        "registerutdrag",
    ]);
    for (email, name, home) in [
        ("stina@student.umu.se", "Stina Ek", 2422),
        ("olle@student.umu.se", "Olle Ström", 2521),
    ] {
        t.push(vec![
            Cell::text("umu-vt26-f3"),
            Cell::text(email),
            Cell::text(name),
            Cell::Int(home),
            Cell::text("bjorkskolan"),
            Cell::text("2025-12-01"),
        ]);
    }
    let students = dir.path().join("studenter.xlsx");
    std::fs::write(&students, t.to_xlsx("Studenter").unwrap()).unwrap();
    let students = students.display().to_string();
    let o = kkig(&db, &["import", "students", &students]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("2 students: 2 created"), "{}", out(&o));
    let o = kkig(&db, &["import", "students", &students]);
    assert!(out(&o).contains("0 created, 0 updated, 2 unchanged"), "{}", out(&o));
    assert_eq!(counts(&db), (2, 2, 2));

    // A student whose e-mail belongs to a supervisor: found by the store, reported by row with
    // the one answer that names nothing of that person.
    let clash = write(
        dir.path(),
        "krock.csv",
        "period_id;email;name;home_municipality\numu-vt26-f3;per@sorsele.se;Per;2422\n".as_bytes(),
    );
    let o = kkig(&db, &["import", "students", &clash]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(
        out(&o).contains(&format!(
            "rejected: {clash}, row 2, column email: this e-mail address cannot be used here"
        )),
        "{}",
        out(&o)
    );
    assert_eq!(counts(&db), (2, 2, 2));

    // An unknown file is exit 2 too.
    let o = kkig(&db, &["import", "sites", "/nonexistent/platser.csv"]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
}

#[test]
fn vfu_exports_from_the_demo_world() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kkig.db").display());
    let o = kkig(&db, &["demo"]);
    assert!(o.status.success(), "{}", out(&o));
    assert_eq!(counts(&db).1, 900);

    let o = kkig(&db, &["export", "vfu", "placements", "--municipality", "2482"]);
    assert!(o.status.success(), "{}", out(&o));
    let csv = String::from_utf8(o.stdout).unwrap();
    assert!(csv.starts_with("\u{feff}placering;enhet_id;enhet;kommunkod;"), "{csv}");
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(
        rows.len() > 20 && rows.iter().all(|r| r.split(';').nth(3) == Some("2482")),
        "{} rows",
        rows.len()
    );
    let site = rows[0].split(';').nth(1).unwrap().to_string();
    let o = kkig(
        &db,
        &[
            "export",
            "vfu",
            "placements",
            "--site",
            &site,
            "--format",
            "xlsx",
            "-o",
            &dir.path().join("p.xlsx").display().to_string(),
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(std::fs::read(dir.path().join("p.xlsx")).unwrap().starts_with(b"PK"));

    let o = kkig(&db, &["export", "vfu", "compensation"]);
    let csv = String::from_utf8(o.stdout).unwrap();
    assert!(
        csv.starts_with("\u{feff}kommunkod;lärosäte;termin;placeringar;studentveckor\r\n"),
        "{csv}"
    );

    let o = kkig(&db, &["export", "vfu", "calendar", "--university", "UmU"]);
    let ics = String::from_utf8(o.stdout).unwrap();
    assert_eq!(
        ics.matches("BEGIN:VEVENT").count(),
        12,
        "two UmU periods, five milestones each: {ics}"
    );

    // An export is a valid import: re-importing it changes nothing.
    let path = dir.path().join("handledare.csv").display().to_string();
    assert!(kkig(
        &db,
        &["export", "vfu", "supervisors", "--municipality", "2422", "-o", &path]
    )
    .status
    .success());
    let o = kkig(&db, &["import", "supervisors", &path]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("0 created, 0 updated"), "{}", out(&o));
    let path = dir.path().join("platser.xlsx").display().to_string();
    assert!(kkig(&db, &["export", "vfu", "sites", "--format", "xlsx", "-o", &path])
        .status
        .success());
    let o = kkig(&db, &["import", "sites", &path]);
    assert!(out(&o).contains("0 created, 0 updated"), "{}", out(&o));

    let o = kkig(&db, &["export", "vfu", "placements", "--municipality", "99"]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
}
