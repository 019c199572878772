//! The VFU registry's files as coordinators' tools write them: Swedish Excel CSV (BOM or
//! Windows-1252, `;`, decimal comma, dates with or without ` 00:00`) and XLSX.

use kkig_core::vfu::input::PeriodRef;
use kkig_core::vfu::*;
use kkig_core::{Kommunkod, Position};
use kkig_formats::vfu::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn k(s: &str) -> Kommunkod {
    Kommunkod::parse(s).unwrap()
}

fn ctx() -> VfuContext {
    let mut c = VfuContext::default();
    for code in ["2422", "2482", "2521", "0114"] {
        c.municipalities.insert(k(code), Position::new(65.0, 18.0).unwrap());
    }
    c.universities = ["LTU", "UmU", "MIUN"].into_iter().map(String::from).collect();
    c.sites.insert("bjorkskolan".into(), k("2422"));
    c.sites.insert("tallgarden".into(), k("2422"));
    c.periods.insert(
        "umu-vt26-f3".into(),
        PeriodRef {
            university: "UmU".into(),
            field: VfuField::Teacher(TeacherLevel::F3),
            start: Day::ymd(2026, 1, 19),
            end: Day::ymd(2026, 2, 20),
        },
    );
    c
}

/// Windows-1252 bytes of a text that only uses Latin-1 letters.
fn cp1252(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("latin-1"))
        .collect()
}

const SUPERVISORS: &str = "e-post;namn;telefon;kommun;site_id;fields;tjänstgöringsgrad;training;training_date;training_university;students_per_period;unavailable_terms;consent_contact\r\n\
Åsa.Öberg@Sorsele.se;Åsa Öberg;0952-123 45;;bjorkskolan;teacher_f3:svenska, matematik;87,5;completed;2024-06-01 00:00;UmU;2;VT2027;ja\r\n\
per@sorsele.se;Per Ängström;;2422;;teacher_4_6;100;none;;;1;;nej\r\n";

#[test]
fn supervisors_from_csv_with_bom_swedish_headers_decimal_comma_and_both_date_forms() {
    let bytes = [b"\xEF\xBB\xBF".as_slice(), SUPERVISORS.as_bytes()].concat();
    let p = parse_supervisors("handledare.csv", &bytes, &ctx());
    assert!(p.is_valid(), "{:#?}", p.errors);
    assert_eq!(p.items.len(), 2);
    let (row, a) = &p.items[0];
    assert_eq!(*row, 2);
    assert_eq!(
        (a.email.as_str(), a.name.as_str(), a.municipality),
        ("åsa.öberg@sorsele.se", "Åsa Öberg", k("2422"))
    );
    assert_eq!(a.employment_percent, 87.5);
    assert_eq!(a.training.date, Some(Day::ymd(2024, 6, 1)));
    assert_eq!(a.fields[0].subjects, ["svenska", "matematik"]);
    assert!(a.consent_contact && !a.available_in(Term::spring(2027)));
    assert_eq!(p.items[1].1.name, "Per Ängström");
}

#[test]
fn supervisors_from_windows_1252() {
    let p = parse_supervisors("handledare.csv", &cp1252(SUPERVISORS), &ctx());
    assert!(p.is_valid(), "{:#?}", p.errors);
    assert_eq!(p.items[0].1.name, "Åsa Öberg");
    assert_eq!(p.items[1].1.name, "Per Ängström");
}

#[test]
fn sites_and_students_from_csv() {
    let sites = "id;kommunkod;namn;typ;adress;lat;lon;fields\r\n\
        bjorkskolan;2422;Björkskolan;skola;Skolgatan 3;65,5331;17,5312;teacher_f3|teacher_4_6\r\n\
        ;114;Förskolan Ängen;förskola;;;;teacher_forskola\r\n";
    let p = parse_sites("platser.csv", sites.as_bytes(), &ctx());
    assert!(p.is_valid(), "{:#?}", p.errors);
    assert_eq!(p.items[0].1.position, Position::new(65.5331, 17.5312).unwrap());
    assert_eq!(p.items[1].1.municipality, k("0114"), "Excel's dropped leading zero");
    assert_eq!(p.items[1].1.kind, SiteKind::Preschool);

    let students = "period_id;email;name;hemkommun;wishes;no_driving_licence;priority;registerutdrag\n\
        umu-vt26-f3;stina@student.umu.se;Stina Ek;2422;bjorkskolan|2482;x;sole_caregiver;2025-12-01 00:00\n\
        umu-vt26-f3;olle@student.umu.se;Olle Ström;2521;;;;\n";
    let p = parse_students("studenter.csv", students.as_bytes(), &ctx());
    assert!(p.is_valid(), "{:#?}", p.errors);
    let s = &p.items[0].1;
    assert_eq!(
        s.wishes,
        vec![Wish::Site("bjorkskolan".into()), Wish::Municipality(k("2482"))]
    );
    assert!(s.needs.no_driving_licence);
    assert_eq!(s.requirements[0].issued, Some(Day::ymd(2025, 12, 1)));
}

#[test]
fn bad_rows_name_row_and_column() {
    let csv = "period_id;email;name;home_municipality;wishes\n\
        umu-vt26-f3;a@x.se;A;2422;\n\
        umu-vt26-f3;A@x.se;A igen;2422;\n\
        umu-vt26-f9;b@x.se;B;2422;\n\
        umu-vt26-f3;c@x.se;C;9999;\n\
        umu-vt26-f3;d@x.se;D;0180;\n\
        umu-vt26-f3;e@x.se;E;2422;nowhere\n";
    let p = parse_students("s.csv", csv.as_bytes(), &ctx());
    let got: Vec<(u64, &str)> = p
        .errors
        .iter()
        .map(|e| (e.row.unwrap(), e.column.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        got,
        [
            (3, "email"),
            (4, "period_id"),
            (5, "home_municipality"),
            (6, "home_municipality"),
            (7, "wishes")
        ],
        "{:#?}",
        p.errors
    );
    assert!(
        p.errors[0]
            .to_string()
            .starts_with("s.csv, row 3, column email: this e-mail on this period appears twice (first on row 2)"),
        "{}",
        p.errors[0]
    );
    assert!(
        p.errors[3].message.contains("0180 is not a municipality kkig knows"),
        "{}",
        p.errors[3]
    );

    let unknown = parse_sites("x.csv", b"id;name;colour\n1;a;red\n", &ctx());
    let cols: Vec<&str> = unknown.errors.iter().map(|e| e.column.as_deref().unwrap()).collect();
    assert_eq!(
        cols,
        ["colour", "municipality", "kind", "fields"],
        "{:#?}",
        unknown.errors
    );
}

#[test]
fn two_thousand_rows_with_one_bad_row_report_that_row_and_column() {
    let mut csv = String::from(
        "\u{feff}email;name;municipality;fields;employment_percent;training_date;training;training_university\r\n",
    );
    for i in 0..2000 {
        let pct = if i == 1436 { "12O,5" } else { "75,5" };
        csv.push_str(&format!(
            "h{i}@kommun.se;Handledare {i};2482;nurse;{pct};2025-01-31 00:00;course_started;\r\n"
        ));
    }
    let p = parse_supervisors("stor.csv", csv.as_bytes(), &ctx());
    assert_eq!(p.items.len(), 1999);
    assert_eq!(p.errors.len(), 1, "{:#?}", p.errors);
    let e = &p.errors[0];
    assert_eq!(
        (e.row, e.column.as_deref()),
        (Some(1438), Some("employment_percent")),
        "header is row 1"
    );
    assert_eq!(
        e.to_string(),
        "stor.csv, row 1438, column employment_percent: \"12O,5\" is not a number; expected e.g. 87,5 or 100"
    );
}

#[test]
fn xlsx_written_by_a_spreadsheet_program() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in [
        "email",
        "name",
        "municipality",
        "fields",
        "employment_percent",
        "training",
        "training_date",
        "training_university",
        "consent_contact",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let iso = Format::new().set_num_format("yyyy-mm-dd");
    ws.write_string(1, 0, "ulla@arjeplog.se").unwrap();
    ws.write_string(1, 1, "Ulla Ödmark").unwrap();
    ws.write_number(1, 2, 2482).unwrap();
    ws.write_string(1, 3, "social_work:barn och unga").unwrap();
    ws.write_number(1, 4, 87.5).unwrap();
    ws.write_string(1, 5, "completed").unwrap();
    ws.write_datetime_with_format(1, 6, ExcelDateTime::from_ymd(2023, 11, 30).unwrap(), &iso)
        .unwrap();
    ws.write_string(1, 7, "MIUN").unwrap();
    ws.write_boolean(1, 8, true).unwrap();
    // Row 3: capacity below zero is not a column here; employment 0 is.
    ws.write_string(2, 0, "noll@arjeplog.se").unwrap();
    ws.write_string(2, 1, "Noll").unwrap();
    ws.write_number(2, 2, 2482).unwrap();
    ws.write_string(2, 3, "nurse").unwrap();
    ws.write_number(2, 4, 0).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let p = parse_supervisors("handledare.xlsx", &bytes, &ctx());
    assert_eq!(p.items.len(), 1, "{:#?}", p.errors);
    let s = &p.items[0].1;
    assert_eq!(
        (s.name.as_str(), s.employment_percent, s.training.date),
        ("Ulla Ödmark", 87.5, Some(Day::ymd(2023, 11, 30)))
    );
    assert!(s.consent_contact);
    assert_eq!(p.errors.len(), 1);
    assert_eq!(
        (p.errors[0].row, p.errors[0].column.as_deref()),
        (Some(3), Some("employment_percent"))
    );
}

#[test]
fn tables_read_back_unchanged() {
    let c = ctx();
    let sup = parse_supervisors("a.csv", SUPERVISORS.as_bytes(), &c).values();
    let again = parse_supervisors("b.csv", &supervisors_table(&sup).to_swedish_csv(), &c).values();
    assert_eq!(again, sup);
    let xlsx = supervisors_table(&sup).to_xlsx("Handledare").unwrap();
    assert_eq!(parse_supervisors("b.xlsx", &xlsx, &c).values(), sup);

    let sites = parse_sites(
        "s.csv",
        "id;municipality;name;kind;fields\nb;2422;B-skolan;school;teacher_f3:svenska\n".as_bytes(),
        &c,
    )
    .values();
    assert_eq!(
        parse_sites("t.csv", &sites_table(&sites).to_swedish_csv(), &c).values(),
        sites
    );

    let periods = "id;university;programme;course_code;start;end;field;students\nx;UmU;Grundlärare;6PE123;2026-01-19;2026-02-20;teacher_f3;40\n";
    let ps = parse_periods("p.csv", periods.as_bytes(), &c);
    assert!(ps.is_valid(), "{:#?}", ps.errors);
    let ps = ps.values();
    assert_eq!(
        parse_periods("q.csv", &periods_table(&ps).to_swedish_csv(), &c).values(),
        ps
    );
}

proptest::proptest! {
    #[test]
    fn parsers_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
        let c = ctx();
        let _ = parse_sites("x", &bytes, &c);
        let _ = parse_supervisors("x", &bytes, &c);
        let _ = parse_students("x", &bytes, &c);
        let _ = parse_periods("x", &bytes, &c);
    }

    #[test]
    fn csv_cells_never_panic(cells in proptest::collection::vec("[^\r\n;\"]{0,12}", 15)) {
        let mut csv = SUPERVISOR_COLUMNS.join(";");
        csv.push('\n');
        csv.push_str(&cells.join(";"));
        let _ = parse_supervisors("x", csv.as_bytes(), &ctx());
    }
}

#[test]
fn placement_lists_for_sites_and_coordinators() {
    let line = |id: &str, status| PlacementLine {
        placement_id: id.into(),
        status,
        waiting_for_better: id == "pl-2",
        site_id: "bjorkskolan".into(),
        site_name: "Björkskolan".into(),
        site_municipality: k("2422"),
        student_name: format!("Student {id}"),
        student_email: format!("{id}@x.se"),
        home_municipality: k("2422"),
        period_id: "umu-vt26-f3".into(),
        university: "UmU".into(),
        programme: "Grundlärarprogrammet F–3".into(),
        course_code: "6PE123".into(),
        field: VfuField::Teacher(TeacherLevel::F3),
        start: Day::ymd(2026, 1, 19),
        end: Day::ymd(2026, 2, 20),
        supervisor_name: Some("Anna Berg".into()),
        supervisor_email: None,
    };
    let lines = [
        line("pl-1", PlacementStatus::Confirmed),
        line("pl-2", PlacementStatus::Offered),
        line("pl-3", PlacementStatus::Withdrawn),
    ];
    let site = placements_table(&lines, PlacementAudience::Site);
    assert_eq!(site.rows.len(), 2, "a site sees only active placements");
    let csv = String::from_utf8(site.to_swedish_csv()).unwrap();
    assert!(
        csv.starts_with("\u{feff}enhet;student;e-post;program;kurskod;område;start;slut;handledare;status\r\n"),
        "{csv}"
    );
    assert!(csv.contains("Björkskolan;Student pl-1;pl-1@x.se;Grundlärarprogrammet F–3;6PE123;Lärare F–3;2026-01-19;2026-02-20;Anna Berg;Bekräftad"), "{csv}");
    let all = placements_table(&lines, PlacementAudience::Municipality);
    assert_eq!(all.rows.len(), 3);
    let csv = String::from_utf8(all.to_swedish_csv()).unwrap();
    assert!(
        csv.contains(";VT2026;2026-01-19;2026-02-20;5;Anna Berg;;offered;ja\r\n"),
        "{csv}"
    );
    assert!(all.to_xlsx("Placeringar").unwrap().starts_with(b"PK"));

    let rows = [kkig_core::vfu::views::CompensationRow {
        municipality: k("2422"),
        university: "UmU".into(),
        term: Term::spring(2026),
        placements: 3,
        student_weeks: 15,
    }];
    let csv = String::from_utf8(compensation_table(&rows).to_swedish_csv()).unwrap();
    assert_eq!(
        csv,
        "\u{feff}kommunkod;lärosäte;termin;placeringar;studentveckor\r\n2422;UmU;VT2026;3;15\r\n"
    );
}
