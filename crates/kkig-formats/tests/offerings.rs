//! Offerings and travel files as they arrive: a Susa-navet API page, CSV from Swedish Excel in
//! UTF-8 with BOM and in Windows-1252, XLSX written by a spreadsheet program; and arbitrary bytes,
//! which must never make a parser panic.

use kkig_core::catalogue::{SchoolType, StudyForm};
use kkig_core::Kommunkod;
use kkig_formats::offerings::{offerings_table, parse_offerings_csv, parse_offerings_xlsx, parse_susa};
use kkig_formats::{parse_offerings, parse_travel_csv};
use proptest::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;

const SUSA: &[u8] = include_bytes!("fixtures/susa-page.json");
const CSV: &[u8] = include_bytes!("fixtures/offerings-sv-excel.csv");

fn k(s: &str) -> Kommunkod {
    Kommunkod::parse(s).unwrap()
}

#[test]
fn susa_page_three_providers_joined() {
    let p = parse_susa("susa-page.json", SUSA);
    assert!(p.is_valid(), "{:#?}", p.errors);
    let ids: Vec<_> = p.offerings.iter().map(|o| o.offering.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "e.uoh.umu.vasjp.lycksele.20262",
            "e.uoh.umu.vasjp.umea.20262",
            "e.uoh.umu.7vf001.20262",
            "e.uoh.ltu.ggf3.kiruna.20262",
            "e.yh.lycksele.spusk.20262",
        ]
    );
    let skipped: Vec<_> = p.skipped.iter().map(|s| (s.row, s.id.as_str())).collect();
    assert_eq!(
        skipped,
        [
            (8, "i.uoh.umu.vasjx.20252"),
            (14, "e.uoh.umu.vasjp.lycksele.20252"),
            (15, "e.uoh.umu.vasjx.20262"),
            (16, "e.uoh.ltu.ggf3.pajala.20262"),
        ]
    );

    // The distance nursing programme: local group in Lycksele, Storuman and Sorsele, four
    // two-day meetings a term in Lycksele.
    let nurse = &p.offerings[0].offering;
    assert_eq!(
        nurse.title,
        "Sjuksköterskeprogrammet, distans med lokal studiegrupp i Lycksele"
    );
    assert_eq!(
        (nurse.education_id.as_str(), nurse.code.as_str()),
        ("i.uoh.umu.vasjp.20262", "VASJP")
    );
    assert_eq!(
        (nurse.provider_id.as_str(), nurse.provider_name.as_str()),
        ("p.uoh.umu", "Umeå universitet")
    );
    assert_eq!((nurse.school_type, nurse.level.as_str()), (SchoolType::Hs, "grundnivå"));
    assert_eq!(
        (nurse.credits, nurse.credit_system.as_str(), nurse.pace_percent),
        (180.0, "hp", 100)
    );
    assert_eq!((nurse.start.as_str(), nurse.end.as_str()), ("2026-08-31", "2029-06-10"));
    assert_eq!(nurse.form, StudyForm::Distance);
    let sites: Vec<_> = nurse
        .sites
        .iter()
        .map(|s| format!("{}:{}", s.municipality, s.town))
        .collect();
    assert_eq!(sites, ["2481:Lycksele", "2421:Storuman", "2422:Sorsele"]);
    assert_eq!((nurse.meetings.per_term, nurse.meetings.days_each), (4, 2));
    assert_eq!(nurse.meeting_place().unwrap().municipality, k("2481"));
    assert_eq!(nurse.application_opens.as_deref(), Some("2026-03-16"));
    assert_eq!(nurse.application_closes.as_deref(), Some("2026-04-15"));
    assert_eq!(
        nurse.application_url.as_deref(),
        Some("https://www.antagning.se/se/search?freeText=VASJP")
    );
    assert_eq!(
        nurse.occupations.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        ["2221"]
    );
    assert!(nurse.eligibility.starts_with("Grundläggande behörighet samt Biologi 2"));

    let campus = &p.offerings[1].offering;
    assert_eq!(
        (campus.form, campus.meetings.per_term, campus.title.as_str()),
        (StudyForm::Campus, 0, "Sjuksköterskeprogrammet")
    );
    assert_eq!(campus.application_url, None);

    // A course in the real API's shapes: paceOfStudy.percentage, distance: true, url lists.
    let course = &p.offerings[2].offering;
    assert_eq!(
        (course.credits, course.pace_percent, course.form),
        (7.5, 25, StudyForm::Distance)
    );
    assert_eq!(course.level, "avancerad nivå");
    assert!(course.sites.is_empty() && course.meeting_place().is_none());
    assert_eq!(
        course.application_url.as_deref(),
        Some("https://www.umu.se/utbildning/kurser/handledning-vfu/")
    );
    assert_eq!(course.eligibility, "Legitimerad sjuksköterska, lärare eller socionom.");

    // LTU in the real API's shapes: no top-level id or status, {"string": [{"lang","content"}]},
    // location/municipalityCode, credits lists, SSYK in subject, distance.mandatory meetings.
    let teacher = &p.offerings[3].offering;
    assert_eq!(
        teacher.provider_name, "Luleå tekniska universitet",
        "Swedish before English"
    );
    assert_eq!(
        teacher.title,
        "Grundlärarprogrammet, inriktning förskoleklass och årskurs 1–3"
    );
    assert_eq!(
        (teacher.credits, teacher.credit_system.as_str(), teacher.school_type),
        (240.0, "hp", SchoolType::Hs)
    );
    assert_eq!(
        (teacher.start.as_str(), teacher.end.as_str()),
        ("2026-08-31", "2030-06-07")
    );
    assert_eq!(
        (
            teacher.meetings.per_term,
            teacher.meetings.days_each,
            teacher.meetings.place.clone()
        ),
        (3, 1, None)
    );
    assert_eq!(
        teacher.meeting_place().unwrap().town,
        "Kiruna",
        "meetings at the first study site"
    );
    assert_eq!(
        teacher.occupations.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        ["2341"]
    );
    assert_eq!(
        teacher.application_url.as_deref(),
        Some("https://www.ltu.se/utbildning/ggf3")
    );
    assert!(teacher
        .eligibility
        .starts_with("Grundläggande behörighet samt Matematik"));

    let yh = &p.offerings[4].offering;
    assert_eq!(
        (yh.school_type, yh.credits, yh.credit_system.as_str()),
        (SchoolType::Yh, 200.0, "yhp")
    );
    assert_eq!(
        (yh.form, yh.meetings.per_term, yh.meetings.days_each),
        (StudyForm::Blended, 2, 3)
    );
    assert_eq!(yh.provider_name, "Yrkeshögskolan Lycksele");

    let codes: Vec<_> = p.kommunkods().iter().map(|k| k.to_string()).collect();
    assert_eq!(codes, ["2421", "2422", "2480", "2481", "2523", "2584"]);
    // The same file through the format sniffing entry point.
    assert_eq!(parse_offerings("susa-page.json", SUSA), p);
}

/// Windows-1252 bytes of a text (the fixture only uses characters the code page has).
fn to_1252(s: &str) -> Vec<u8> {
    s.chars()
        .filter(|c| *c != '\u{feff}')
        .map(|c| match c {
            '–' => 0x96,
            '€' => 0x80,
            c if (c as u32) < 0x100 => c as u8,
            c => panic!("{c:?} is not in the fixture's code page"),
        })
        .collect()
}

#[test]
fn csv_from_swedish_excel_in_utf8_with_bom_and_in_windows_1252() {
    let utf8 = parse_offerings_csv("utbildningar.csv", CSV);
    assert!(utf8.is_valid(), "{:#?}", utf8.errors);
    assert_eq!(utf8.offerings.len(), 3, "the empty ;;; row is left out");
    let o = &utf8.offerings[0].offering;
    assert_eq!(o.provider_name, "Umeå universitet");
    assert_eq!(
        (o.credits, o.form, o.end.as_str()),
        (7.5, StudyForm::Distance, "2027-01-17")
    );
    assert_eq!(
        o.eligibility,
        "Legitimerad sjuksköterska, lärare eller socionom; minst två års yrkeserfarenhet."
    );
    assert_eq!(o.occupations.len(), 3);
    assert_eq!(
        utf8.offerings[1].offering.title,
        "Specialistundersköterska – äldreomsorg"
    );
    let komvux = &utf8.offerings[2].offering;
    assert_eq!(
        (komvux.education_id.as_str(), komvux.school_type),
        ("komvux-sva-arvidsjaur-2026", SchoolType::Komvux)
    );
    assert_eq!(utf8.offerings.iter().map(|o| o.row).collect::<Vec<_>>(), [2, 3, 4]);

    let text = std::str::from_utf8(CSV).unwrap();
    let bytes = to_1252(text);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the 1252 fixture must not be valid UTF-8"
    );
    assert!(
        bytes.contains(&0xE5) && bytes.contains(&0x96),
        "å and – as single bytes"
    );
    let cp1252 = parse_offerings_csv("utbildningar.csv", &bytes);
    assert_eq!(cp1252, utf8);
}

#[test]
fn table_round_trips_through_swedish_csv_and_xlsx() {
    let offerings = parse_susa("susa-page.json", SUSA).into_offerings();
    let table = offerings_table(&offerings);
    let csv = table.to_swedish_csv();
    assert!(String::from_utf8_lossy(&csv).contains(";7,5;hp;25;"), "decimal comma");
    let from_csv = parse_offerings_csv("export.csv", &csv);
    assert!(from_csv.is_valid(), "{:#?}", from_csv.errors);
    assert_eq!(from_csv.into_offerings(), offerings);
    let xlsx = table.to_xlsx("Utbildningar").unwrap();
    let from_xlsx = parse_offerings_xlsx("export.xlsx", &xlsx);
    assert!(from_xlsx.is_valid(), "{:#?}", from_xlsx.errors);
    assert_eq!(from_xlsx.into_offerings(), offerings);
}

/// A sheet as a coordinator's spreadsheet holds it: numbers as numbers, dates as date cells,
/// a kommunkod typed as a number, an empty row, and a bad row.
#[test]
fn xlsx_written_by_a_spreadsheet_program() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let headers = [
        "Title",
        "id",
        "provider_id",
        "provider_name",
        "school_type",
        "credits",
        "credit_system",
        "pace_percent",
        "start",
        "end",
        "form",
        "sites",
        "meetings_per_term",
        "meeting_days",
        "meeting_place",
        "application_closes",
        "occupations",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let iso = Format::new().set_num_format("yyyy-mm-dd");
    let swedish = Format::new().set_num_format("d/m/yyyy");
    let date = |y, m, d| ExcelDateTime::from_ymd(y, m, d).unwrap();
    // Row 2: valid.
    ws.write_string(1, 0, "Handledning i VFU").unwrap();
    ws.write_number(1, 1, 1001).unwrap();
    ws.write_string(1, 2, "p.uoh.umu").unwrap();
    ws.write_string(1, 3, "Umeå universitet").unwrap();
    ws.write_string(1, 4, "HS").unwrap();
    ws.write_number(1, 5, 7.5).unwrap();
    ws.write_string(1, 6, "hp").unwrap();
    ws.write_number(1, 7, 25).unwrap();
    ws.write_datetime_with_format(1, 8, date(2026, 9, 7), &iso).unwrap();
    ws.write_datetime_with_format(1, 9, date(2027, 1, 17), &swedish)
        .unwrap();
    ws.write_string(1, 10, "Distans").unwrap();
    ws.write_string(1, 11, "2422:Sorsele").unwrap();
    ws.write_number(1, 12, 2).unwrap();
    ws.write_number(1, 13, 1).unwrap();
    ws.write_number(1, 14, 2481).unwrap();
    ws.write_number(1, 15, 46_127).unwrap(); // a bare serial in a date column: 2026-04-15
    ws.write_number(1, 16, 2221).unwrap();
    // Row 3 is empty. Row 4: bad pace and end before start.
    ws.write_string(3, 0, "Trasig").unwrap();
    ws.write_string(3, 1, "x-2").unwrap();
    ws.write_string(3, 2, "p.1").unwrap();
    ws.write_string(3, 3, "Lärcentrum").unwrap();
    ws.write_string(3, 4, "komvux").unwrap();
    ws.write_number(3, 7, 150).unwrap();
    ws.write_datetime_with_format(3, 8, date(2026, 9, 7), &iso).unwrap();
    ws.write_string(3, 9, "2026-13-01").unwrap();
    ws.write_string(3, 10, "campus").unwrap();
    let bytes = wb.save_to_buffer().unwrap();

    let p = parse_offerings_xlsx("utbildningar.xlsx", &bytes);
    assert_eq!(p.offerings.len(), 1, "{:#?}", p.errors);
    let o = &p.offerings[0].offering;
    assert_eq!(
        (o.id.as_str(), o.title.as_str(), o.credits, o.pace_percent),
        ("1001", "Handledning i VFU", 7.5, 25)
    );
    assert_eq!((o.start.as_str(), o.end.as_str()), ("2026-09-07", "2027-01-17"));
    assert_eq!(o.application_closes.as_deref(), Some("2026-04-15"));
    assert_eq!(
        (o.form, o.meetings.place.as_ref().unwrap().municipality),
        (StudyForm::Distance, k("2481"))
    );
    assert_eq!(
        o.occupations.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        ["2221"]
    );
    let errors: Vec<_> = p.errors.iter().map(|e| (e.row, e.column.as_deref())).collect();
    assert_eq!(errors, [(Some(4), Some("pace_percent")), (Some(4), Some("end"))]);
    assert!(p.errors[1].message.contains("\"2026-13-01\""), "{}", p.errors[1]);
}

#[test]
fn unreadable_workbooks_are_errors() {
    let p = parse_offerings_xlsx("x.xlsx", b"not a zip");
    assert_eq!(p.errors.len(), 1);
    assert!(
        p.errors[0].message.starts_with("not a readable XLSX workbook"),
        "{}",
        p.errors[0]
    );
    let mut wb = Workbook::new();
    wb.add_worksheet();
    let empty = wb.save_to_buffer().unwrap();
    let p = parse_offerings_xlsx("x.xlsx", &empty);
    assert_eq!(p.errors[0].message, "the first sheet is empty; expected a header row");
}

/// Every JSON pointer of a document.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => o.iter().for_each(|(k, v)| pointers(v, format!("{at}/{k}"), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, v)| pointers(v, format!("{at}/{i}"), out)),
        _ => {}
    }
    out.push(at);
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[0-9a-zé:. -]{0,12}".prop_map(Value::from),
        Just(Value::from("2026-02-30")),
        Just(Value::from("9999")),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("(code|strings|value|lang|start|end|areaCode|x)", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn susa_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_susa("x.json", &bytes);
    }

    #[test]
    fn susa_never_panics_on_a_mutated_page(
        pick in any::<proptest::sample::Index>(),
        value in json_value(),
    ) {
        let mut doc: Value = serde_json::from_slice(SUSA).unwrap();
        let mut all = Vec::new();
        pointers(&doc, String::new(), &mut all);
        let target = &all[pick.index(all.len())];
        if target.is_empty() {
            doc = value;
        } else if let Some(slot) = doc.pointer_mut(target) {
            *slot = value;
        }
        let p = parse_susa("x.json", &serde_json::to_vec(&doc).unwrap());
        // Whatever happens, no event yields two offerings (the page holds eight events).
        let ids: std::collections::BTreeSet<_> = p.offerings.iter().map(|o| o.offering.id.as_str()).collect();
        prop_assert!(ids.len() == p.offerings.len() && ids.len() <= 8);
    }

    #[test]
    fn csv_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_offerings_csv("x.csv", &bytes);
        let _ = parse_offerings("x", &bytes);
    }

    #[test]
    fn csv_never_panics_on_mutated_rows(cells in proptest::collection::vec("[0-9a-zåäö:|,.% -]{0,12}", 24)) {
        let text = std::str::from_utf8(CSV).unwrap();
        let header = text.lines().next().unwrap();
        let csv = format!("{header}\r\n{}\r\n", cells.join(";"));
        let _ = parse_offerings_csv("x.csv", csv.as_bytes());
    }

    #[test]
    fn xlsx_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_offerings_xlsx("x.xlsx", &bytes);
    }

    #[test]
    fn xlsx_never_panics_on_a_damaged_workbook(flips in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>()), 1..8)) {
        static WORKBOOK: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        let mut bytes = WORKBOOK
            .get_or_init(|| offerings_table(&parse_susa("s.json", SUSA).into_offerings()).to_xlsx("U").unwrap())
            .clone();
        for (at, b) in flips {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        let _ = parse_offerings_xlsx("x.xlsx", &bytes);
    }

    #[test]
    fn travel_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_travel_csv("t.csv", &bytes);
    }
}

/// The code blocks of docs/catalogue-import.md with the given language.
fn doc_blocks(lang: &str) -> Vec<String> {
    let doc = include_str!("../../../docs/catalogue-import.md");
    let fence = format!("```{lang}\n");
    doc.split(&fence)
        .skip(1)
        .map(|b| b.split("```").next().unwrap().to_string())
        .collect()
}

#[test]
fn the_documented_examples_read_as_documented() {
    let json = doc_blocks("json");
    assert_eq!(json.len(), 1);
    let p = parse_susa("example.json", json[0].as_bytes());
    assert!(p.is_valid(), "{:#?}", p.errors);
    assert_eq!(p.skipped.len(), 1);
    let [o] = &p.into_offerings()[..] else {
        panic!("one offering")
    };
    assert_eq!(o.id, "e.uoh.umu.vasjp.lycksele.20262");
    assert_eq!(
        (o.title.as_str(), o.provider_name.as_str(), o.level.as_str()),
        ("Sjuksköterskeprogrammet", "Umeå universitet", "grundnivå")
    );
    assert_eq!(
        (o.school_type, o.credits, o.credit_system.as_str(), o.pace_percent),
        (SchoolType::Hs, 180.0, "hp", 100)
    );
    assert_eq!(
        (o.start.as_str(), o.end.as_str(), o.language.as_str(), o.form),
        ("2026-08-31", "2029-06-10", "swe", StudyForm::Distance)
    );
    let sites: Vec<_> = o
        .sites
        .iter()
        .map(|s| format!("{} {}", s.municipality, s.town))
        .collect();
    assert_eq!(sites, ["2481 Lycksele", "2421 Storuman", "2422 Sorsele"]);
    assert_eq!(
        (
            o.meetings.per_term,
            o.meetings.days_each,
            o.meeting_place().unwrap().town.as_str()
        ),
        (4, 2, "Lycksele")
    );
    assert_eq!(
        (o.application_opens.as_deref(), o.application_closes.as_deref()),
        (Some("2026-03-16"), Some("2026-04-15"))
    );
    assert_eq!(
        o.occupations.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        ["2221"]
    );

    let csv = doc_blocks("csv");
    assert_eq!(csv.len(), 2);
    let p = parse_offerings_csv("example.csv", csv[0].as_bytes());
    assert!(p.is_valid(), "{:#?}", p.errors);
    assert_eq!(p.offerings.len(), 2);
    let travel = parse_travel_csv("travel.csv", csv[1].as_bytes()).unwrap();
    assert_eq!(travel.len(), 3);
    assert_eq!(kkig_formats::kommunkod_pairs(&travel).len(), 2);
}
