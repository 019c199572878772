//! Offerings and travel files as they arrive: Susa-navet EMIL 3 list pages as the API serves
//! them (a first full page of each list, then an `updatedSince` page), a file in the earlier
//! documented shapes, CSV from Swedish Excel in UTF-8 with BOM and in Windows-1252, XLSX written
//! by a spreadsheet program; and arbitrary bytes, which must never make a parser panic.

use kkig_core::catalogue::{Offering, SchoolType, StudyForm};
use kkig_core::Kommunkod;
use kkig_formats::offerings::{
    offerings_table, parse_offerings_csv, parse_offerings_xlsx, parse_susa, parse_susa_files, susa_links, EventLinks,
    ParsedOfferings, RecordKind, RemovalReason,
};
use kkig_formats::{parse_offerings, parse_offerings_files, parse_travel_csv};
use proptest::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;

/// `/emil3/educationProviders?schoolType=HS&page=0&size=100` and its siblings.
const PROVIDERS: &[u8] = include_bytes!("fixtures/susa-emil3-providers.json");
const INFOS: &[u8] = include_bytes!("fixtures/susa-emil3-infos.json");
const EVENTS: &[u8] = include_bytes!("fixtures/susa-emil3-events.json");
/// `/emil3/educationEvents?schoolType=HS&updatedSince=2026-04-20T00:00:00&page=0&size=100`.
const UPDATED: &[u8] = include_bytes!("fixtures/susa-emil3-events-updated.json");
/// The earlier documented shapes (`content.educationEvent` wrappers and other spellings).
const EARLIER: &[u8] = include_bytes!("fixtures/susa-earlier-shapes.json");
const CSV: &[u8] = include_bytes!("fixtures/offerings-sv-excel.csv");

fn k(s: &str) -> Kommunkod {
    Kommunkod::parse(s).unwrap()
}

fn full_pages() -> Vec<(&'static str, &'static [u8])> {
    vec![
        ("providers.json", PROVIDERS),
        ("infos.json", INFOS),
        ("events.json", EVENTS),
    ]
}

fn ids(p: &ParsedOfferings) -> Vec<&str> {
    p.offerings.iter().map(|o| o.offering.id.as_str()).collect()
}

fn sites(o: &Offering) -> Vec<String> {
    o.sites
        .iter()
        .map(|s| format!("{}:{}", s.municipality, s.town))
        .collect()
}

#[test]
fn the_links_of_an_updated_since_page_name_what_it_needs_besides_itself() {
    // The changed event refers to an info and a provider that are not on the page; the
    // cancelled and the deleted event need nothing.
    let links = susa_links(&[("updated.json", UPDATED)]);
    let link = |id: &str, info: &str, provider: &str| EventLinks {
        id: id.into(),
        info: Some(info.into()),
        provider: Some(provider.into()),
    };
    assert_eq!(
        links.events,
        [link(
            "e.uoh.umu.vasjp.lycksele.20262",
            "i.uoh.umu.vasjp.20262",
            "p.uoh.umu"
        )]
    );
    assert!(links.infos.is_empty() && links.providers.is_empty());
    // The full pages: the seven events that become offerings, every info and provider.
    let full = susa_links(&full_pages());
    let offerings: Vec<String> = parse_susa_files(&full_pages())
        .into_offerings()
        .into_iter()
        .map(|o| o.id)
        .collect();
    assert_eq!(full.events.iter().map(|e| e.id.clone()).collect::<Vec<_>>(), offerings);
    assert!(full.infos.contains("i.uoh.umu.vasjp.20262"), "{:?}", full.infos);
    assert!(full.providers.contains("p.uoh.umu"), "{:?}", full.providers);
    // Not JSON: no links (the parser reports the file).
    assert_eq!(susa_links(&[("x.json", b"{")]), Default::default());
}

#[test]
fn emil3_degrees_name_the_occupations_the_api_has_no_codes_for() {
    let p = parse_susa_files(&full_pages());
    let of = |id: &str| -> Vec<String> {
        let o = p.offerings.iter().find(|o| o.offering.id == id).unwrap();
        o.offering.occupations.iter().map(ToString::to_string).collect()
    };
    assert_eq!(of("e.uoh.umu.vasjp.umea.20262"), ["2221"], "Sjuksköterskeexamen");
    assert_eq!(of("e.uoh.umu.sasop.distans.20262"), ["2661"], "Socionomexamen");
    assert_eq!(of("e.uoh.ltu.ggf3.lulea.20262"), ["2341"], "Grundlärarexamen, F–3");
    assert!(of("e.uoh.umu.7vf001.20262").is_empty(), "a course without a degree");
}

#[test]
fn emil3_pages_as_served_join_into_offerings() {
    let p = parse_susa_files(&full_pages());
    assert!(p.is_valid(), "{:#?}", p.errors);
    assert!(p.removals.is_empty() && p.skipped.is_empty() && p.warnings.is_empty());
    assert_eq!(
        ids(&p),
        [
            "e.uoh.umu.vasjp.lycksele.20262",
            "e.uoh.umu.vasjp.umea.20262",
            "e.uoh.umu.sasop.distans.20262",
            "e.uoh.umu.7vf001.20262",
            "e.uoh.ltu.ggf3.lulea.20262",
            "e.uoh.ltu.ggf3.kiruna.20262",
            "e.uoh.miun.vsjka.ostersund.20262",
        ]
    );
    assert!(p.offerings.iter().all(|o| o.file == "events.json"));
    assert_eq!(
        p.offerings.iter().map(|o| o.row).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5, 6, 7]
    );

    // Nursing at distance with a local study group in Lycksele, Storuman and Sorsele: 24
    // mandatory sessions over six terms are four a term, held at the first study site.
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
    assert_eq!((nurse.language.as_str(), nurse.form), ("swe", StudyForm::Distance));
    assert_eq!(sites(nurse), ["2481:Lycksele", "2421:Storuman", "2422:Sorsele"]);
    assert_eq!((nurse.meetings.per_term, nurse.meetings.days_each), (4, 1));
    assert_eq!(nurse.meeting_place().unwrap().municipality, k("2481"));
    assert_eq!(
        (nurse.application_opens.as_deref(), nurse.application_closes.as_deref()),
        (Some("2026-03-16"), Some("2026-04-15"))
    );
    assert_eq!(
        nurse.application_url.as_deref(),
        Some("https://www.antagning.se/se/search?period=24&freeText=22010")
    );
    // EMIL 3 has no SSYK codes: the degree the info gives ("Sjuksköterskeexamen") names it.
    assert_eq!(nurse.occupations, [kkig_core::Ssyk::parse("2221").unwrap()]);
    assert!(nurse.eligibility.starts_with("Grundläggande behörighet samt Biologi 2"));

    // The same programme on campus: no distance object, no meetings; the info's title.
    let campus = &p.offerings[1].offering;
    assert_eq!(
        (campus.form, campus.meetings.per_term, campus.title.as_str()),
        (StudyForm::Campus, 0, "Sjuksköterskeprogrammet")
    );
    assert_eq!(sites(campus), ["2480:Umeå"]);

    // Social work at distance, meetings in Umeå: 14 sessions over eight terms (HT 2026 – VT 2030).
    let social = &p.offerings[2].offering;
    assert_eq!(
        (social.credits, social.form, social.meetings.per_term),
        (210.0, StudyForm::Distance, 2)
    );
    assert_eq!(social.meeting_place().unwrap().town, "Umeå");

    // A course wholly online: UHR's level, HTML eligibility as text, the event's own page.
    let course = &p.offerings[3].offering;
    assert_eq!(
        (course.credits, course.pace_percent, course.form, course.level.as_str()),
        (7.5, 25, StudyForm::Distance, "avancerad nivå")
    );
    assert!(course.sites.is_empty() && course.meeting_place().is_none());
    assert_eq!(
        course.eligibility,
        "Legitimerad sjuksköterska, lärare eller socionom.\nMinst två års yrkeserfarenhet."
    );

    // Teacher education from Luleå and nursing from Östersund: two sessions a term.
    let teacher = &p.offerings[4].offering;
    assert_eq!(teacher.title, "Grundlärarprogrammet, förskoleklass och årskurs 1–3");
    assert_eq!(
        (
            teacher.provider_name.as_str(),
            teacher.credits,
            teacher.meetings.per_term
        ),
        ("Luleå tekniska universitet", 240.0, 2)
    );
    assert_eq!(sites(&p.offerings[5].offering), ["2584:Kiruna", "2580:Luleå"]);
    let miun = &p.offerings[6].offering;
    assert_eq!(
        (miun.provider_name.as_str(), miun.meetings.per_term, sites(miun)),
        ("Mittuniversitetet", 2, vec!["2380:Östersund".to_string()])
    );

    let codes: Vec<_> = p.kommunkods().iter().map(|k| k.to_string()).collect();
    assert_eq!(codes, ["2380", "2421", "2422", "2480", "2481", "2580", "2584"]);
    // The same files through the format sniffing entry point.
    assert_eq!(parse_offerings_files(&full_pages()), p);
    // Alone, the providers and infos pages yield nothing and no error; the events page cannot be
    // joined (each event names its info and its provider as not read).
    for page in [PROVIDERS, INFOS] {
        let alone = parse_susa("page.json", page);
        assert!(alone.is_valid() && alone.offerings.is_empty(), "{:#?}", alone.errors);
    }
    assert_eq!(parse_susa("events.json", EVENTS).errors.len(), 14);
}

#[test]
fn an_updated_since_page_changes_cancels_and_deletes() {
    let mut files = full_pages();
    files.push(("updated.json", UPDATED));
    let p = parse_susa_files(&files);
    assert!(p.is_valid(), "{:#?}", p.errors);
    assert_eq!(
        ids(&p),
        [
            "e.uoh.umu.vasjp.umea.20262",
            "e.uoh.umu.sasop.distans.20262",
            "e.uoh.umu.7vf001.20262",
            "e.uoh.ltu.ggf3.lulea.20262",
            "e.uoh.umu.vasjp.lycksele.20262",
        ]
    );
    // The changed event replaces the first page's: a fourth study site, 18 sessions (three a
    // term), a later deadline.
    let changed = p.offerings.last().unwrap();
    assert_eq!((changed.file.as_str(), changed.row), ("updated.json", 1));
    assert_eq!(
        sites(&changed.offering),
        ["2481:Lycksele", "2421:Storuman", "2422:Sorsele", "2462:Vilhelmina"]
    );
    assert_eq!(changed.offering.meetings.per_term, 3);
    assert_eq!(changed.offering.application_closes.as_deref(), Some("2026-04-30"));
    // The cancelled event and the deleted one are removals, in file order.
    let removals: Vec<_> = p
        .removals
        .iter()
        .map(|r| (r.file.as_str(), r.row, r.id.as_str(), r.kind, r.reason.clone()))
        .collect();
    assert_eq!(
        removals,
        [
            (
                "updated.json",
                2,
                "e.uoh.miun.vsjka.ostersund.20262",
                RecordKind::Event,
                RemovalReason::Cancelled
            ),
            (
                "updated.json",
                3,
                "e.uoh.ltu.ggf3.kiruna.20262",
                RecordKind::Event,
                RemovalReason::Status("DELETED".into())
            ),
        ]
    );
    // They apply to the offerings of the first import, and to no other.
    let before = parse_susa_files(&full_pages()).into_offerings();
    let removed: Vec<_> = before
        .iter()
        .filter(|o| p.removal_of(o).is_some())
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(
        removed,
        ["e.uoh.ltu.ggf3.kiruna.20262", "e.uoh.miun.vsjka.ostersund.20262"]
    );

    // Alone, the page still says what is gone; its changed event cannot be joined without the
    // pages that hold its info and provider.
    let alone = parse_susa("updated.json", UPDATED);
    assert_eq!(alone.removals.len(), 2);
    let errors: Vec<_> = alone.errors.iter().map(|e| (e.row, e.column.as_deref())).collect();
    assert_eq!(
        errors,
        [
            (Some(1), Some("e.uoh.umu.vasjp.lycksele.20262: content.education")),
            (Some(1), Some("e.uoh.umu.vasjp.lycksele.20262: content.providers[0]")),
        ]
    );
}

#[test]
fn a_file_in_the_earlier_shapes_is_still_read() {
    let p = parse_susa("susa-earlier-shapes.json", EARLIER);
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
    let removals: Vec<_> = p
        .removals
        .iter()
        .map(|r| (r.row, r.id.as_str(), r.reason.as_str()))
        .collect();
    assert_eq!(
        removals,
        [
            (8, "i.uoh.umu.vasjx.20252", "inactive"),
            (14, "e.uoh.umu.vasjp.lycksele.20252", "inactive"),
            (16, "e.uoh.ltu.ggf3.pajala.20262", "cancelled"),
        ]
    );
    let skipped: Vec<_> = p
        .skipped
        .iter()
        .map(|s| (s.row, s.id.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [(
            15,
            "e.uoh.umu.vasjx.20262",
            "its education info i.uoh.umu.vasjx.20252 is removed (inactive)"
        )]
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
    assert_eq!(parse_offerings("susa-earlier-shapes.json", EARLIER), p);
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
    let offerings = parse_susa_files(&full_pages()).into_offerings();
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
        earlier in any::<bool>(),
        pick in any::<proptest::sample::Index>(),
        value in json_value(),
    ) {
        // The earlier shapes' file, or the three EMIL 3 pages and the updatedSince page.
        let (mut doc, files) = if earlier {
            (serde_json::from_slice(EARLIER).unwrap(), vec![])
        } else {
            (serde_json::from_slice(EVENTS).unwrap(), vec![("providers.json", PROVIDERS), ("infos.json", INFOS), ("updated.json", UPDATED)])
        };
        let mut all = Vec::new();
        pointers(&doc, String::new(), &mut all);
        let target = &all[pick.index(all.len())];
        if target.is_empty() {
            doc = value;
        } else if let Some(slot) = doc.pointer_mut(target) {
            *slot = value;
        }
        let bytes = serde_json::to_vec(&doc).unwrap();
        let mut files = files;
        files.insert(files.len().saturating_sub(1), ("events.json", &bytes));
        let p = parse_susa_files(&files);
        // Whatever happens, no event yields two offerings (eight events in either set of files),
        // and nothing is both an offering and removed.
        let ids: std::collections::BTreeSet<_> = p.offerings.iter().map(|o| o.offering.id.as_str()).collect();
        prop_assert!(ids.len() == p.offerings.len() && ids.len() <= 8);
        prop_assert!(p.offerings.iter().all(|o| p.removals.iter().all(|r| r.kind != RecordKind::Event || r.id != o.offering.id)));
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
            .get_or_init(|| offerings_table(&parse_susa("s.json", EARLIER).into_offerings()).to_xlsx("U").unwrap())
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
    assert_eq!(json.len(), 4, "three pages of a full import and an updatedSince page");
    let pages: Vec<(&str, &[u8])> = ["providers.json", "infos.json", "events.json", "updated.json"]
        .into_iter()
        .zip(json.iter().map(|b| b.as_bytes()))
        .collect();
    let p = parse_susa_files(&pages[..3]);
    assert!(p.is_valid(), "{:#?}", p.errors);
    assert!(p.removals.is_empty() && p.skipped.is_empty());
    assert_eq!(
        ids(&p),
        [
            "e.uoh.umu.vasjp.lycksele.20262",
            "e.uoh.umu.vasjp.umea.20262",
            "e.uoh.umu.sasop.distans.20262",
        ]
    );
    let o = &p.offerings[0].offering;
    assert_eq!(
        (o.title.as_str(), o.provider_name.as_str(), o.level.as_str()),
        (
            "Sjuksköterskeprogrammet, distans med lokal studiegrupp i Lycksele",
            "Umeå universitet",
            "grundnivå"
        )
    );
    assert_eq!(
        (o.school_type, o.credits, o.credit_system.as_str(), o.pace_percent),
        (SchoolType::Hs, 180.0, "hp", 100)
    );
    assert_eq!(
        (o.start.as_str(), o.end.as_str(), o.language.as_str(), o.form),
        ("2026-08-31", "2029-06-10", "swe", StudyForm::Distance)
    );
    assert_eq!(sites(o), ["2481:Lycksele", "2421:Storuman", "2422:Sorsele"]);
    assert_eq!(
        (
            o.meetings.per_term,
            o.meetings.days_each,
            o.meeting_place().unwrap().town.as_str()
        ),
        (4, 1, "Lycksele")
    );
    assert_eq!(
        (o.application_opens.as_deref(), o.application_closes.as_deref()),
        (Some("2026-03-16"), Some("2026-04-15"))
    );
    assert!(o.occupations.is_empty());
    let campus = &p.offerings[1].offering;
    assert_eq!(
        (campus.title.as_str(), campus.form, campus.meetings.per_term),
        ("Sjuksköterskeprogrammet", StudyForm::Campus, 0)
    );
    let social = &p.offerings[2].offering;
    assert_eq!(
        (
            social.title.as_str(),
            social.credits,
            social.form,
            social.meetings.per_term
        ),
        ("Socionomprogrammet", 210.0, StudyForm::Distance, 2)
    );
    assert_eq!(social.meeting_place().unwrap().town, "Umeå");

    // The updatedSince page after them: one changed offering, two removals.
    let p = parse_susa_files(&pages);
    assert!(p.is_valid(), "{:#?}", p.errors);
    assert_eq!(ids(&p), ["e.uoh.umu.vasjp.lycksele.20262"]);
    let o = &p.offerings[0].offering;
    assert_eq!(
        (o.meetings.per_term, o.application_closes.as_deref()),
        (3, Some("2026-04-30"))
    );
    let removals: Vec<_> = p.removals.iter().map(|r| (r.id.as_str(), r.reason.as_str())).collect();
    assert_eq!(
        removals,
        [
            ("e.uoh.umu.vasjp.umea.20262", "DELETED"),
            ("e.uoh.umu.sasop.distans.20262", "cancelled"),
        ]
    );
    // Alone: the two removals, and two errors for the changed event.
    let alone = parse_susa("updated.json", pages[3].1);
    assert_eq!((alone.removals.len(), alone.errors.len()), (2, 2));

    let csv = doc_blocks("csv");
    assert_eq!(csv.len(), 2);
    let p = parse_offerings_csv("example.csv", csv[0].as_bytes());
    assert!(p.is_valid(), "{:#?}", p.errors);
    assert_eq!(p.offerings.len(), 2);
    let travel = parse_travel_csv("travel.csv", csv[1].as_bytes()).unwrap();
    assert_eq!(travel.len(), 3);
    assert_eq!(kkig_formats::kommunkod_pairs(&travel).len(), 2);
}
