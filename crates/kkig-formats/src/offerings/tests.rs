//! Every kind of bad input, for the Susa-navet and the CSV readers: each case says which record
//! (row) and which field (column) the error must name, and a part of its message.

use serde_json::{json, Value};

use super::*;

// ---------------------------------------------------------------------------------------------
// Susa-navet JSON

/// A valid page as the EMIL 3 API serves its records, with all three lists in one document:
/// provider (record 1), info (2), event (3).
fn susa_page() -> Value {
    json!({
        "educationProviders": [
            { "id": "p.umu", "status": "ACTIVE", "content": {
                "identifier": "p.umu",
                "name": { "strings": [ { "lang": "eng", "value": "Umeå University" }, { "lang": "swe", "value": "Umeå universitet" } ] }
            } }
        ],
        "educationInfos": [
            { "id": "i.umu.vasjp", "status": "ACTIVE", "content": {
                "identifier": "i.umu.vasjp",
                "code": "VASJP",
                "title": { "strings": [ { "lang": "swe", "value": "Sjuksköterskeprogrammet" } ] },
                "type": { "type": "C_SchoolType", "code": "HS" },
                "educationLevels": [ { "type": "C_EducationLevel", "code": "ISCED_6" } ],
                "credits": { "system": { "type": "C_Credits", "code": "hp" }, "credits": 180 },
                "subjects": [ { "type": "C_Subject_ISCED2013", "code": "0913" } ],
                "eligibility": { "strings": [ { "lang": "swe", "value": "Grundläggande behörighet" } ] }
            } }
        ],
        "educationEvents": [
            { "id": "e.umu.123", "status": "ACTIVE", "content": {
                "identifier": "e.umu.123",
                "education": "i.umu.vasjp",
                "providers": [ "p.umu" ],
                "execution": { "condition": { "type": "C_ExecutionCondition", "code": "1" }, "start": "2026-08-31", "end": "2029-06-10" },
                "isCancelled": false,
                "paceOfStudy": { "percentage": 100 },
                "languageOfInstructions": [ "swe" ],
                "distance": { "noOfMandatorySessions": 24 },
                "locations": [ { "town": "Lycksele", "areaCode": "2481" } ],
                "application": { "first": "2026-03-16", "last": "2026-04-15", "url": { "urls": [ { "lang": "swe", "value": "https://example.se/ansok" } ] } }
            } }
        ],
        "page": { "size": 100, "totalElements": 3, "totalPages": 1, "pageNumber": 0 }
    })
}

const LISTS: [&str; 3] = ["educationProviders", "educationInfos", "educationEvents"];

/// Record `i` (0 provider, 1 info, 2 event) of a page of [`susa_page`]'s shape.
fn rec(page: &mut Value, i: usize) -> &mut Value {
    &mut page[LISTS[i]][0]
}

fn parse_value(v: &Value) -> ParsedOfferings {
    parse_susa("page.json", &serde_json::to_vec_pretty(v).unwrap())
}

/// The page with one change: `(record index, pointer below content, new value)`;
/// `Value::Null` at a pointer removes the field.
fn susa_with(record: usize, pointer: &str, value: Value) -> ParsedOfferings {
    let mut page = susa_page();
    set(&mut rec(&mut page, record)["content"], pointer, value);
    parse_value(&page)
}

fn set(target: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = target.pointer_mut(parent).unwrap_or_else(|| panic!("no {parent}"));
    match (parent, value) {
        (Value::Object(o), Value::Null) => {
            o.remove(key);
        }
        (Value::Object(o), v) => {
            o.insert(key.to_string(), v);
        }
        (Value::Array(a), v) => a[key.parse::<usize>().unwrap()] = v,
        _ => panic!("cannot set {pointer}"),
    }
}

#[track_caller]
fn assert_one_error(p: &ParsedOfferings, row: u64, column: &str, message: &str) {
    assert_eq!(p.errors.len(), 1, "expected one error, got {:#?}", p.errors);
    let e = &p.errors[0];
    assert_eq!(e.row, Some(row), "{e}");
    assert_eq!(e.column.as_deref(), Some(column), "{e}");
    assert!(
        e.message.contains(message),
        "message {:?} should contain {message:?}",
        e.message
    );
}

#[test]
fn the_valid_page_gives_one_offering() {
    let p = parse_value(&susa_page());
    assert!(p.is_valid(), "{:#?}", p.errors);
    assert_eq!(p.offerings.len(), 1);
    assert!(p.removals.is_empty() && p.skipped.is_empty());
    let o = &p.offerings[0].offering;
    assert_eq!(
        (o.id.as_str(), o.education_id.as_str(), o.provider_id.as_str()),
        ("e.umu.123", "i.umu.vasjp", "p.umu")
    );
    assert_eq!(o.provider_name, "Umeå universitet", "Swedish is preferred");
    assert_eq!(
        (o.level.as_str(), o.credits, o.credit_system.as_str()),
        ("grundnivå", 180.0, "hp")
    );
    assert_eq!(o.application_url.as_deref(), Some("https://example.se/ansok"));
    // 24 mandatory sessions over six terms (HT 2026 – VT 2029): four a term, one day each, at
    // the first study site.
    assert_eq!(
        (o.form, o.meetings.per_term, o.meetings.days_each),
        (StudyForm::Distance, 4, 1)
    );
    assert_eq!(o.meeting_place().unwrap().town, "Lycksele");
    assert_eq!(p.offerings[0].row, 3);
    assert_eq!(
        p.offerings[0].municipalities,
        vec![(
            Kommunkod::parse("2481").unwrap(),
            "e.umu.123: content.locations[0].areaCode".to_string()
        )]
    );
}

#[test]
fn susa_error_cases() {
    let ev = |f: &str| format!("e.umu.123: content.{f}");
    let info = |f: &str| format!("i.umu.vasjp: content.{f}");
    #[rustfmt::skip]
    let cases: Vec<(usize, &str, Value, u64, String, &str)> = vec![
        // wrong types
        (2, "/paceOfStudy/percentage", json!("fast"), 3, ev("paceOfStudy.percentage"), "\"fast\" is not a number"),
        (2, "/paceOfStudy/percentage", json!({"x": 1}), 3, ev("paceOfStudy.percentage"), "expected a number, got an object"),
        (2, "/paceOfStudy", json!(100), 3, ev("paceOfStudy"), "expected an object, got a number"),
        (2, "/execution/start", json!(20260831), 3, ev("execution.start"), "expected a date string"),
        (2, "/execution", json!("2026"), 3, ev("execution"), "expected an object, got a string"),
        (1, "/title", json!(42), 2, info("title"), "expected a text"),
        (1, "/title", json!({"strings": [{"lang": "swe", "value": 7}]}), 2, info("title"), "value is a number"),
        (2, "/distance", json!("yes"), 3, ev("distance"), "distance must be an object"),
        (2, "/distance/noOfMandatorySessions", json!(-2), 3, ev("distance.noOfMandatorySessions"), "not a whole number"),
        (2, "/locations/0", json!("Lycksele"), 3, ev("locations[0]"), "a location must be an object"),
        (2, "/isCancelled", json!("yes"), 3, ev("isCancelled"), "isCancelled must be true or false"),
        // pace outside 1..=100
        (2, "/paceOfStudy/percentage", json!(120), 3, ev("paceOfStudy.percentage"), "outside 1–100"),
        (2, "/paceOfStudy/percentage", json!(0), 3, ev("paceOfStudy.percentage"), "outside 1–100"),
        (2, "/paceOfStudy/percentage", json!(62.5), 3, ev("paceOfStudy.percentage"), "whole percentage"),
        (2, "/paceOfStudy/percentage", Value::Null, 3, ev("paceOfStudy.percentage"), "the pace of study (percent) is missing"),
        (2, "/paceOfStudy", Value::Null, 3, ev("paceOfStudy"), "the pace of study is missing"),
        // credits
        (1, "/credits/credits", json!(-7.5), 2, info("credits.credits"), "zero or more"),
        (1, "/credits/credits", json!("-7,5"), 2, info("credits.credits"), "zero or more"),
        (1, "/credits/credits", json!("sju"), 2, info("credits.credits"), "not a number"),
        // kommunkod
        (2, "/locations/0/areaCode", json!("9999"), 3, ev("locations[0].areaCode"), "unknown county"),
        (2, "/locations/0/areaCode", json!("24-81"), 3, ev("locations[0].areaCode"), "exactly four digits"),
        (2, "/locations/0/areaCode", Value::Null, 3, ev("locations[0].areaCode"), "kommunkod (areaCode) of the location is missing"),
        // dates
        (2, "/execution/end", json!("2026-08-30"), 3, ev("execution.end"), "end 2026-08-30 is before start 2026-08-31"),
        (2, "/execution/start", json!("2026-02-30"), 3, ev("execution.start"), "not a date in the calendar"),
        (2, "/execution/start", json!("31/08/2026"), 3, ev("execution.start"), "expected YYYY-MM-DD"),
        (2, "/execution/end", Value::Null, 3, ev("execution.end"), "the end date is missing"),
        (2, "/application/last", json!("2026-03-01"), 3, ev("application.last"), "before it opens"),
        (2, "/application/first", json!("soon"), 3, ev("application.first"), "not a date"),
        // codes
        (1, "/type", json!({"type": "C_SchoolType", "code": "XYZ"}), 2, info("type"), "unknown school type \"XYZ\""),
        (1, "/type", Value::Null, 2, info("type"), "school type is missing"),
        (2, "/formOfStudy", json!({"code": "online"}), 3, ev("formOfStudy"), "unknown form \"online\""),
        (1, "/subjects/0", json!({"type": "ssyk", "code": "22210"}), 2, info("subjects[0].code"), "SSYK 2012 code \"22210\""),
        (1, "/occupations", json!(["0221"]), 2, info("occupations[0]"), "must be four digits"),
        (2, "/languageOfInstructions", json!(["svenska"]), 3, ev("languageOfInstructions"), "not an ISO 639 code"),
        // required fields
        (1, "/title", Value::Null, 2, info("title"), "the title is missing"),
        (0, "/name", Value::Null, 1, "p.umu: content.name".into(), "the provider's name is missing"),
        (2, "/education", Value::Null, 3, ev("education"), "education info id (i.…) of the event is missing"),
        (2, "/providers", json!([]), 3, ev("providers"), "provider id (p.…) of the event is missing"),
        (2, "/distance/noOfMandatorySessions", json!(3), 3, ev("distance.noOfMandatorySessions"), ""),
        (2, "/locations", json!([]), 3, ev("distance.noOfMandatorySessions"), "no meeting place and no study site"),
        // joins: the message names both ids
        (2, "/education", json!("i.umu.nope"), 3, ev("education"), "event e.umu.123 refers to education info i.umu.nope, which is not among the records read"),
        (2, "/providers", json!(["p.nope", "p.umu"]), 3, ev("providers[0]"), "event e.umu.123 refers to provider p.nope"),
    ];
    for (record, pointer, value, row, column, message) in cases {
        let what = format!("{pointer} = {value}");
        if message.is_empty() {
            // A control: this change alone is valid.
            let p = susa_with(record, pointer, value);
            assert!(p.is_valid() && p.offerings.len() == 1, "{what}: {:#?}", p.errors);
            continue;
        }
        let p = susa_with(record, pointer, value);
        assert!(p.offerings.is_empty(), "{what}: the offering should be rejected");
        // An error in the info or provider also rejects the event, which says so.
        let (own, joined): (Vec<_>, Vec<_>) = p.errors.iter().partition(|e| e.row == Some(row));
        assert!(
            joined.iter().all(|e| e.message.contains("has errors (see its record)")),
            "{what}: {joined:#?}"
        );
        assert_eq!(own.len(), 1, "{what}: {:#?}", p.errors);
        let e = own[0];
        assert_eq!(
            (e.row, e.column.as_deref()),
            (Some(row), Some(column.as_str())),
            "{what}: {e}"
        );
        assert!(
            e.message.contains(message),
            "{what}: {:?} should contain {message:?}",
            e.message
        );
    }
}

#[test]
fn an_invalid_info_or_provider_rejects_its_events_too() {
    let p = susa_with(1, "/credits/credits", json!(-1));
    assert_eq!(p.errors.len(), 2, "{:#?}", p.errors);
    assert_eq!(
        p.errors[0].column.as_deref(),
        Some("i.umu.vasjp: content.credits.credits")
    );
    assert_eq!(p.errors[1].column.as_deref(), Some("e.umu.123: content.education"));
    assert!(p.errors[1]
        .message
        .contains("education info i.umu.vasjp of event e.umu.123 has errors"));
}

#[test]
fn record_level_errors() {
    let cases: Vec<(Value, &str, &str)> = vec![
        (json!(42), "record 1: ", "a record must be an object"),
        (
            json!({"id": 7, "content": {}}),
            "record 1: id",
            "id must be a string, got a number",
        ),
        (json!({"id": "e.1"}), "e.1: content", "content is missing"),
        (
            json!({"id": "e.1", "content": "x"}),
            "e.1: content",
            "content must be the record's entity (an object) or null, got a string",
        ),
        (
            json!({"id": "e.1", "content": {"educationEvent": {}, "educationInfo": {}}}),
            "e.1: content",
            "content holds 2 of educationInfo",
        ),
        (
            json!({"id": "e.1", "content": {"educationEvent": [1]}}),
            "e.1: content.educationEvent",
            "must be an object",
        ),
        (
            json!({"content": {"title": "X"}}),
            "record 1: id",
            "the record has no id",
        ),
        (
            json!({"id": "i.1", "content": {"educationEvent": {}}}),
            "i.1: id",
            "prefix of educationInfo records, but the record holds educationEvent",
        ),
        (
            json!({"id": "x.1", "content": {"lastEdited": "2026-01-01"}}),
            "x.1: id",
            "cannot tell whether x.1 is an education info, event or provider",
        ),
        (
            json!({"id": "x.1", "status": "DELETED", "content": null}),
            "x.1: id",
            "cannot tell whether x.1",
        ),
        (
            json!({"id": "p.1", "status": true, "content": {"name": "X"}}),
            "p.1: status",
            "status must be a string",
        ),
    ];
    for (record, column, message) in cases {
        let p = parse_value(&json!([record]));
        assert_eq!(p.errors.len(), 1, "{record}: {:#?}", p.errors);
        assert_eq!(p.errors[0].row, Some(1));
        assert_eq!(p.errors[0].column.as_deref(), Some(column), "{record}");
        assert!(
            p.errors[0].message.contains(message),
            "{record}: {}",
            p.errors[0].message
        );
    }
    // The list a record is in must agree with its id and its wrapper.
    let p = parse_value(&json!({"educationEvents": [{"id": "i.1", "status": "ACTIVE", "content": {"title": "X"}}]}));
    assert_one_error(
        &p,
        1,
        "i.1: id",
        "id i.1 has the prefix of educationInfo records, but the record is in the list educationEvents",
    );
    let p = parse_value(&json!({"educationInfos": [{"id": "x.1", "content": {"educationEvent": {}}}]}));
    assert_one_error(
        &p,
        1,
        "x.1: content",
        "the record is in the list educationInfos but holds educationEvent",
    );
    for (doc, message) in [
        (json!("hello"), "the file holds a string"),
        (json!({"page": {"size": 0}}), "no array of records"),
        (
            json!({"educationEvents": {"id": "e.1"}}),
            "educationEvents must be an array of records, got an object",
        ),
    ] {
        let p = parse_value(&doc);
        assert_eq!(p.errors.len(), 1);
        assert!(p.errors[0].message.contains(message), "{}", p.errors[0]);
    }
    // An empty last page is no error.
    let p = parse_value(
        &json!({"links": [], "educationEvents": [], "page": {"size": 100, "totalElements": 0, "totalPages": 0, "pageNumber": 0}}),
    );
    assert!(p.is_valid() && p.offerings.is_empty());
}

#[test]
fn malformed_json_error_carries_serde_position() {
    let p = parse_susa("page.json", b"[\n{\"id\": \"e.1\", \"content\": }\n]");
    let e = &p.errors[0];
    assert_eq!(e.row, Some(2));
    assert_eq!(e.message, "malformed JSON at line 2, column 26: expected value", "{e}");
    assert!(e.column.is_none());
}

#[test]
fn duplicate_ids_in_one_file_are_errors_naming_the_first() {
    let mut page = susa_page();
    let dup = rec(&mut page, 2).clone();
    page["educationEvents"].as_array_mut().unwrap().push(dup);
    let p = parse_value(&page);
    assert_eq!(p.offerings.len(), 1, "the first is kept");
    assert_one_error(&p, 4, "e.umu.123: id", "id e.umu.123 appears twice (first as record 3)");
}

#[test]
fn all_errors_are_collected_and_valid_events_kept() {
    let mut page = susa_page();
    let mut second = rec(&mut page, 2).clone();
    second["id"] = json!("e.umu.124");
    let mut third = second.clone();
    third["id"] = json!("e.umu.125");
    second["content"]["paceOfStudy"]["percentage"] = json!(150);
    second["content"]["execution"]["end"] = json!("2020-01-01");
    third["content"]["locations"][0]["areaCode"] = json!("1");
    let list = page["educationEvents"].as_array_mut().unwrap();
    list.push(second);
    list.push(third);
    let p = parse_value(&page);
    assert_eq!(
        p.offerings.iter().map(|o| o.offering.id.as_str()).collect::<Vec<_>>(),
        ["e.umu.123"]
    );
    let cols: Vec<_> = p
        .errors
        .iter()
        .map(|e| (e.row.unwrap(), e.column.clone().unwrap()))
        .collect();
    assert_eq!(
        cols,
        [
            (4, "e.umu.124: content.paceOfStudy.percentage".to_string()),
            (5, "e.umu.125: content.locations[0].areaCode".to_string()),
        ]
    );
}

fn removals(p: &ParsedOfferings) -> Vec<(u64, &str, RecordKind, &str)> {
    p.removals
        .iter()
        .map(|r| (r.row, r.id.as_str(), r.kind, r.reason.as_str()))
        .collect()
}

#[test]
fn deleted_records_and_cancelled_events_are_removals_not_errors() {
    // A deleted event as an updatedSince page serves it.
    let p = parse_value(&json!({"educationEvents": [{"id": "e.umu.123", "status": "DELETED", "content": null}]}));
    assert!(p.is_valid(), "{:#?}", p.errors);
    assert_eq!(removals(&p), [(1, "e.umu.123", RecordKind::Event, "DELETED")]);
    assert_eq!(p.removals[0].reason, RemovalReason::Status("DELETED".into()));
    assert!(p.offerings.is_empty() && p.skipped.is_empty());

    // Any status other than ACTIVE, with or without content; content null alone; isCancelled.
    let mut page = susa_page();
    rec(&mut page, 1)["status"] = json!("inactive");
    let p = parse_value(&page);
    assert!(p.is_valid(), "{:#?}", p.errors);
    assert_eq!(removals(&p), [(2, "i.umu.vasjp", RecordKind::Info, "inactive")]);
    let skipped: Vec<_> = p.skipped.iter().map(|s| (s.id.as_str(), s.reason.as_str())).collect();
    assert_eq!(
        skipped,
        [("e.umu.123", "its education info i.umu.vasjp is removed (inactive)")]
    );
    let mut page = susa_page();
    rec(&mut page, 0)["content"] = Value::Null;
    let p = parse_value(&page);
    assert_eq!(removals(&p), [(1, "p.umu", RecordKind::Provider, "no content")]);
    assert_eq!(p.removals[0].reason, RemovalReason::NoContent);
    assert_eq!(p.skipped[0].reason, "its provider p.umu is removed (no content)");
    let p = susa_with(2, "/isCancelled", json!(true));
    assert!(p.is_valid() && p.offerings.is_empty(), "{:#?}", p.errors);
    assert_eq!(removals(&p), [(3, "e.umu.123", RecordKind::Event, "cancelled")]);
    // A deleted record needs no more than its id: the id's prefix tells its kind.
    let p = parse_value(&json!([{"id": "i.umu.vasjp", "status": "DELETED"}]));
    assert_eq!(removals(&p), [(1, "i.umu.vasjp", RecordKind::Info, "DELETED")]);

    // What each removal applies to.
    let o = parse_value(&susa_page()).into_offerings().remove(0);
    let removal = |id: &str, kind| Removal {
        file: "f".into(),
        row: 1,
        id: id.into(),
        kind,
        reason: RemovalReason::Cancelled,
    };
    assert!(removal("e.umu.123", RecordKind::Event).applies_to(&o));
    assert!(removal("i.umu.vasjp", RecordKind::Info).applies_to(&o));
    assert!(removal("p.umu", RecordKind::Provider).applies_to(&o));
    assert!(!removal("e.umu.124", RecordKind::Event).applies_to(&o));
    assert!(!removal("e.umu.123", RecordKind::Info).applies_to(&o));
    let parsed = ParsedOfferings {
        removals: vec![removal("p.umu", RecordKind::Provider)],
        ..Default::default()
    };
    assert_eq!(parsed.removal_of(&o).map(|r| r.id.as_str()), Some("p.umu"));
}

#[test]
fn a_later_file_replaces_records_of_an_earlier_one() {
    let full = serde_json::to_vec(&susa_page()).unwrap();
    let mut changed = susa_page();
    rec(&mut changed, 2)["content"]["paceOfStudy"]["percentage"] = json!(50);
    let update = |events: Value| serde_json::to_vec(&json!({ "educationEvents": events })).unwrap();
    let changed = update(json!([rec(&mut changed, 2).clone()]));
    let p = parse_susa_files(&[("full.json", &full), ("updated.json", &changed)]);
    assert!(p.is_valid(), "{:#?}", p.errors);
    assert_eq!(p.offerings.len(), 1);
    assert_eq!(
        (
            p.offerings[0].file.as_str(),
            p.offerings[0].row,
            p.offerings[0].offering.pace_percent
        ),
        ("updated.json", 1, 50)
    );
    // A later removal takes the record out of the import.
    let deleted = update(json!([{"id": "e.umu.123", "status": "DELETED", "content": null}]));
    let p = parse_susa_files(&[("full.json", &full), ("updated.json", &deleted)]);
    assert!(p.is_valid() && p.offerings.is_empty(), "{:#?}", p.errors);
    assert_eq!(removals(&p), [(1, "e.umu.123", RecordKind::Event, "DELETED")]);
    // An errors of a replaced record is not reported, the replacement's are.
    let mut broken = susa_page();
    rec(&mut broken, 2)["content"]["paceOfStudy"]["percentage"] = json!(500);
    let broken = serde_json::to_vec(&broken).unwrap();
    let p = parse_susa_files(&[("broken.json", &broken), ("updated.json", &changed)]);
    assert!(p.is_valid(), "{:#?}", p.errors);
    let p = parse_susa_files(&[("updated.json", &changed), ("broken.json", &broken)]);
    assert_eq!(p.errors.len(), 1, "{:#?}", p.errors);
    assert_eq!(p.errors[0].file, "broken.json");
}

#[test]
fn school_types_the_catalogue_does_not_hold_are_skipped_with_their_events() {
    for (code, held) in [
        ("HS", Some(SchoolType::Hs)),
        ("YH", Some(SchoolType::Yh)),
        ("FHS", Some(SchoolType::Fhsk)),
        ("VUXGY", Some(SchoolType::Komvux)),
        ("VUXSFI", Some(SchoolType::Komvux)),
        ("vux", Some(SchoolType::Komvux)),
        ("AUB", None),
        ("KKU", None),
    ] {
        // Nothing else of a skipped info is read: its other errors do not count.
        let mut page = susa_page();
        rec(&mut page, 1)["content"]["type"]["code"] = json!(code);
        if held.is_none() {
            rec(&mut page, 1)["content"]["title"] = json!(42);
        }
        let p = parse_value(&page);
        assert!(p.is_valid(), "{code}: {:#?}", p.errors);
        match held {
            Some(t) => assert_eq!(p.offerings[0].offering.school_type, t, "{code}"),
            None => {
                assert!(p.offerings.is_empty());
                let skipped: Vec<_> = p.skipped.iter().map(|s| s.id.as_str()).collect();
                assert_eq!(skipped, ["i.umu.vasjp", "e.umu.123"], "{code}");
                assert!(
                    p.skipped[0].reason.starts_with(&format!("school type {code} (")),
                    "{}",
                    p.skipped[0].reason
                );
                assert!(p.skipped[1]
                    .reason
                    .starts_with("its education info i.umu.vasjp is skipped: school type"));
            }
        }
    }
}

#[test]
fn events_without_fixed_dates_are_skipped() {
    let mut page = susa_page();
    rec(&mut page, 2)["content"]["execution"] = json!({ "condition": { "type": "C_ExecutionCondition", "code": "2" } });
    let p = parse_value(&page);
    assert!(p.is_valid(), "{:#?}", p.errors);
    assert_eq!(p.skipped.len(), 1);
    assert_eq!(
        p.skipped[0].reason,
        "no start and end dates: execution condition 2 (start and end are set by the student)"
    );
    // Condition 1 promises the dates: their absence is an error.
    let p = susa_with(2, "/execution/start", Value::Null);
    assert_one_error(&p, 3, "e.umu.123: content.execution.start", "the start date is missing");
}

#[test]
fn real_field_values_map_to_the_offering() {
    // Levels: UHR's code before ISCED; ISCED alone.
    let levels = |v: Value| {
        let p = susa_with(1, "/educationLevels", v);
        assert!(p.is_valid(), "{:#?}", p.errors);
        p.offerings[0].offering.level.clone()
    };
    assert_eq!(
        levels(json!([{"type": "C_EducationLevel", "code": "ISCED_6"}, {"type": "UH_EducationLevel", "code": "A1N"}])),
        "avancerad nivå"
    );
    assert_eq!(
        levels(json!([{"type": "C_EducationLevel", "code": "ISCED_7"}])),
        "avancerad nivå"
    );
    assert_eq!(
        levels(json!([{"type": "C_EducationLevel", "code": "ISCED_5"}])),
        "kort eftergymnasial nivå"
    );
    assert_eq!(levels(json!([{"type": "YH_EducationLevel", "code": "5"}])), "5");
    assert_eq!(levels(Value::Null), "");
    // Credits: C_Credits yh is kkig's yhp.
    let p = susa_with(
        1,
        "/credits",
        json!({"system": {"type": "C_Credits", "code": "yh"}, "credits": 400}),
    );
    assert_eq!(
        (
            p.offerings[0].offering.credits,
            p.offerings[0].offering.credit_system.as_str()
        ),
        (400.0, "yhp")
    );
    // HTML marked by EMIL 3.0.4 becomes text.
    let p = susa_with(
        1,
        "/eligibility",
        json!({"strings": [{"lang": "swe", "value": "<p>Grundläggande behörighet &amp; <b>Matematik 2</b></p><ul><li>Kemi 2</li></ul>", "content": "HTML"}]}),
    );
    assert_eq!(
        p.offerings[0].offering.eligibility,
        "Grundläggande behörighet & Matematik 2\nKemi 2"
    );
    // Campus: no distance object; the first language; the town from studyLocation.
    let mut page = susa_page();
    let ev = &mut rec(&mut page, 2)["content"];
    ev.as_object_mut().unwrap().remove("distance");
    ev["languageOfInstructions"] = json!(["eng", "swe"]);
    ev["locations"] =
        json!([{"areaCode": "2480", "studyLocation": {"strings": [{"lang": "swe", "value": "Campus Umeå"}]}}]);
    let p = parse_value(&page);
    let o = &p.offerings[0].offering;
    assert_eq!(
        (o.form, o.meetings.per_term, o.language.as_str()),
        (StudyForm::Campus, 0, "eng")
    );
    assert_eq!(o.sites[0].town, "Campus Umeå");
    // Mandatory sessions are spread over the event's terms, rounded up: 7 over one term (a
    // course HT 2026), 7 over two (HT 2026 – VT 2027).
    let sessions = |n: u32, end: &str| {
        let mut page = susa_page();
        let ev = &mut rec(&mut page, 2)["content"];
        ev["distance"]["noOfMandatorySessions"] = json!(n);
        ev["execution"]["end"] = json!(end);
        parse_value(&page).offerings[0].offering.meetings.per_term
    };
    assert_eq!(sessions(7, "2026-12-20"), 7);
    assert_eq!(sessions(7, "2027-01-17"), 4);
    assert_eq!(sessions(0, "2027-01-17"), 0);
}

#[test]
fn one_record_and_bare_entities_are_read() {
    // The answer of /educationEvents/{id}, with its info and provider in other files.
    let page = susa_page();
    let one = |i: usize| serde_json::to_vec(&page[LISTS[i]][0]).unwrap();
    let (p0, i0, e0) = (one(0), one(1), one(2));
    let p = parse_susa_files(&[("p.json", &p0), ("i.json", &i0), ("e.json", &e0)]);
    assert!(p.is_valid(), "{:#?}", p.errors);
    assert_eq!(p.offerings.len(), 1);
    // Bare entities (no wrapper) with an identifier; errors then name the field without `content`.
    let bare: Vec<Value> = (0..3).map(|i| page[LISTS[i]][0]["content"].clone()).collect();
    let p = parse_value(&json!(bare));
    assert!(p.is_valid(), "{:#?}", p.errors);
    assert_eq!(p.offerings.len(), 1);
    let mut bare = bare;
    bare[2]["paceOfStudy"]["percentage"] = json!(0);
    assert_one_error(
        &parse_value(&json!(bare)),
        3,
        "e.umu.123: paceOfStudy.percentage",
        "outside 1–100",
    );
}

#[test]
fn the_earlier_wrapped_shape_is_still_read() {
    let page = json!({
        "content": [
            { "id": "p.umu", "status": "active", "content": { "educationProvider": {
                "name": { "string": [ { "lang": "swe", "content": "Umeå universitet" } ] }
            } } },
            { "id": "i.umu.vasjp", "status": "active", "content": { "educationInfo": {
                "code": "VASJP",
                "title": "Sjuksköterskeprogrammet",
                "typeOfSchool": { "type": "typeOfSchool", "code": "hs" },
                "educationLevel": { "type": "educationLevel", "code": "grund" },
                "credits": { "exact": 180, "system": { "type": "creditSystem", "code": "hp" } },
                "occupations": [ { "type": "ssyk", "code": "2221" } ]
            } } },
            { "id": "e.umu.123", "status": "active", "content": { "educationEvent": {
                "education": "i.umu.vasjp",
                "provider": [ "p.umu" ],
                "execution": { "start": "2026-08-31", "end": "2029-06-10" },
                "paceOfStudyPercentage": 100,
                "languageOfInstruction": "swe",
                "distance": true,
                "locations": [ { "town": "Lycksele", "areaCode": "2481" } ],
                "onSiteMeetings": { "perTerm": 4, "daysEach": 2 },
                "application": { "first": "2026-03-16", "last": "2026-04-15", "url": "https://example.se/ansok" }
            } } }
        ]
    });
    let p = parse_value(&page);
    assert!(p.is_valid(), "{:#?}", p.errors);
    let o = &p.offerings[0].offering;
    assert_eq!(
        (
            o.level.as_str(),
            o.credits,
            o.form,
            o.meetings.per_term,
            o.meetings.days_each
        ),
        ("grundnivå", 180.0, StudyForm::Distance, 4, 2)
    );
    assert_eq!(
        o.occupations.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        ["2221"]
    );
    let mut broken = page.clone();
    broken["content"][2]["content"]["educationEvent"]["paceOfStudyPercentage"] = json!(0);
    assert_one_error(
        &parse_value(&broken),
        3,
        "e.umu.123: content.educationEvent.paceOfStudyPercentage",
        "outside 1–100",
    );
}

#[test]
fn files_are_joined_across_pages() {
    let page = susa_page();
    let files: Vec<Vec<u8>> = LISTS
        .iter()
        .map(|l| serde_json::to_vec(&json!({ *l: page[*l].clone(), "page": page["page"].clone() })).unwrap())
        .collect();
    let p = parse_susa_files(&[
        ("providers.json", &files[0]),
        ("infos.json", &files[1]),
        ("events.json", &files[2]),
    ]);
    assert!(p.is_valid(), "{:#?}", p.errors);
    assert_eq!(p.offerings[0].file, "events.json");
    // Alone, the events page cannot be joined.
    let p = parse_susa("events.json", &files[2]);
    assert_eq!(p.errors.len(), 2, "{:#?}", p.errors);
}

// ---------------------------------------------------------------------------------------------
// CSV

const HEADER: &str = "id;education_id;provider_id;provider_name;title;code;school_type;level;credits;credit_system;pace_percent;start;end;language;form;sites;meetings_per_term;meeting_days;meeting_place;application_opens;application_closes;application_url;occupations;eligibility";
const ROW: &str = "umu-hand-26;umu-7vf001;p.uoh.umu;Umeå universitet;Handledning i VFU;7VF001;hs;avancerad nivå;7,5;hp;25;2026-09-07;2027-01-17;swe;distance;2422:Sorsele|2481:Lycksele;2;1;2481:Lycksele;2026-03-16;2026-04-15;https://umu.se;2221|2341;Legitimation";

fn csv_with(column: &str, value: &str) -> ParsedOfferings {
    let i = HEADER.split(';').position(|h| h == column).unwrap();
    let mut cells: Vec<&str> = ROW.split(';').collect();
    cells[i] = value;
    parse_offerings_csv("o.csv", format!("{HEADER}\r\n{}\r\n", cells.join(";")).as_bytes())
}

#[test]
fn the_valid_row_gives_one_offering() {
    let p = csv_with("id", "umu-hand-26");
    assert!(p.is_valid(), "{:#?}", p.errors);
    let o = &p.offerings[0].offering;
    assert_eq!((o.credits, o.pace_percent, o.form), (7.5, 25, StudyForm::Distance));
    assert_eq!(o.sites.len(), 2);
    assert_eq!(o.meetings.place.as_ref().unwrap().town, "Lycksele");
    assert_eq!(p.offerings[0].row, 2);
    let cols: Vec<_> = p.offerings[0]
        .municipalities
        .iter()
        .map(|(k, c)| format!("{k} {c}"))
        .collect();
    assert_eq!(cols, ["2422 sites", "2481 sites", "2481 meeting_place"]);
}

#[test]
fn csv_error_cases() {
    #[rustfmt::skip]
    let cases: &[(&str, &str, &str, &str)] = &[
        // (column, value, column named, message part)
        ("id", "", "id", "id is missing"),
        ("provider_name", "", "provider_name", "provider_name is missing"),
        ("title", "", "title", "title is missing"),
        ("credits", "-7,5", "credits", "zero or more"),
        ("credits", "sju", "credits", "\"sju\" is not a number"),
        ("credits", "NaN", "credits", "not a number"),
        ("credits", "1e999", "credits", "not a number"),
        ("pace_percent", "0", "pace_percent", "outside 1–100"),
        ("pace_percent", "101%", "pace_percent", "outside 1–100"),
        ("pace_percent", "", "pace_percent", "pace_percent is missing"),
        ("start", "2026-02-30", "start", "not a date in the calendar"),
        ("start", "7/9/2026", "start", "expected YYYY-MM-DD"),
        ("end", "", "end", "date is missing"),
        ("end", "2026-09-06", "end", "end 2026-09-06 is before start 2026-09-07"),
        ("application_closes", "2026-03-01", "application_closes", "before it opens"),
        ("application_opens", "mars", "application_opens", "not a date"),
        ("school_type", "gy", "school_type", "unknown school type \"gy\""),
        ("form", "online", "form", "unknown form \"online\""),
        ("sites", "2480:Umeå|9999:X", "sites", "unknown county"),
        ("sites", "Umeå", "sites", "exactly four digits"),
        ("meeting_place", "2A81:Lycksele", "meeting_place", "exactly four digits"),
        ("meetings_per_term", "-2", "meetings_per_term", "not a whole number"),
        ("meeting_days", "1,5", "meeting_days", "not a whole number"),
        ("occupations", "2221|22", "occupations", "SSYK 2012 code \"22\""),
        ("language", "svenska", "language", "not an ISO 639 code"),
    ];
    for (column, value, named, message) in cases {
        let p = csv_with(column, value);
        assert!(p.offerings.is_empty(), "{column}={value:?} should be rejected");
        assert_eq!(p.errors.len(), 1, "{column}={value:?}: {:#?}", p.errors);
        let e = &p.errors[0];
        assert_eq!(
            (e.file.as_str(), e.row, e.column.as_deref()),
            ("o.csv", Some(2), Some(*named)),
            "{column}={value:?}: {e}"
        );
        assert!(
            e.message.contains(message),
            "{column}={value:?}: {:?} should contain {message:?}",
            e.message
        );
    }
}

#[test]
fn non_finite_numbers_are_rejected() {
    let huge = "9".repeat(400);
    let p = csv_with("credits", &huge);
    assert_eq!(p.errors[0].column.as_deref(), Some("credits"));
    assert!(
        p.errors[0].message.contains("must be a finite number"),
        "{}",
        p.errors[0]
    );
    let p = csv_with("pace_percent", &huge);
    assert!(p.errors[0].message.contains("outside 1–100"), "{}", p.errors[0]);
    let p = susa_with(1, "/credits/credits", json!(huge));
    assert_eq!(
        p.errors[0].column.as_deref(),
        Some("i.umu.vasjp: content.credits.credits")
    );
    assert!(
        p.errors[0].message.contains("must be a finite number"),
        "{}",
        p.errors[0]
    );
}

#[test]
fn meetings_need_a_place() {
    let csv = format!(
        "{HEADER}\n{}\n",
        ROW.replace("2422:Sorsele|2481:Lycksele;2;1;2481:Lycksele", ";2;1;")
    );
    let p = parse_offerings_csv("o.csv", csv.as_bytes());
    assert_eq!(p.errors.len(), 1);
    assert_eq!(p.errors[0].column.as_deref(), Some("meetings_per_term"));
}

#[test]
fn csv_collects_every_error_of_every_row() {
    let bad = ROW
        .replace(";25;", ";250;")
        .replace("2027-01-17", "2020-01-01")
        .replace(";hs;", ";gy;");
    let dup = ROW.to_string();
    let csv = format!("{HEADER}\n{ROW}\n{bad}\n{dup}\n;;;\n{ROW};extra\n");
    let p = parse_offerings_csv("o.csv", csv.as_bytes());
    let got: Vec<_> = p
        .errors
        .iter()
        .map(|e| (e.row.unwrap(), e.column.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        got,
        [
            (3, "id".to_string()),
            (3, "school_type".to_string()),
            (3, "pace_percent".to_string()),
            (4, "id".to_string()),
            (6, String::new()),
            (6, "id".to_string()),
        ]
    );
    assert!(p.errors[0].message.contains("appears twice (first on row 2)"));
    assert!(p.errors[4].message.contains("column 25, which has no header"));
    assert_eq!(p.offerings.len(), 1);
}

#[test]
fn header_errors() {
    let p = parse_offerings_csv("o.csv", b"id;titel;title;title\n1;2;3;4\n");
    let got: Vec<_> = p
        .errors
        .iter()
        .map(|e| (e.row, e.column.clone().unwrap(), e.message.clone()))
        .collect();
    assert_eq!(got[0].1, "titel");
    assert!(got[0]
        .2
        .starts_with("unknown column \"titel\"; the columns are: id, education_id"));
    assert_eq!(got[1].1, "title");
    assert!(got[1].2.contains("appears twice"));
    let missing: Vec<_> = got[2..].iter().map(|g| g.1.as_str()).collect();
    assert_eq!(
        missing,
        [
            "provider_id",
            "provider_name",
            "school_type",
            "pace_percent",
            "start",
            "end",
            "form"
        ]
    );
    assert!(got.iter().all(|g| g.0 == Some(1)));
    assert_eq!(
        parse_offerings_csv("o.csv", b"").errors[0].message,
        "the file is empty; expected a header row"
    );
}

#[test]
fn optional_columns_may_be_left_out_and_comma_files_are_read() {
    let csv = "ID,Provider_id,provider_name,title,school_type,pace_percent,start,end,form\nx1,p.1,Lärcentrum Sorsele,Svenska 1,komvux,50,2026-01-19,2026-06-05,campus\n";
    let p = parse_offerings_csv("o.csv", csv.as_bytes());
    assert!(p.is_valid(), "{:#?}", p.errors);
    let o = &p.offerings[0].offering;
    assert_eq!(
        (o.education_id.as_str(), o.language.as_str(), o.credits),
        ("x1", "swe", 0.0)
    );
    assert_eq!(o.school_type, SchoolType::Komvux);
}

#[test]
fn unknown_municipalities_are_rejected_by_the_caller_rule() {
    let csv = format!(
        "{HEADER}\n{ROW}\n{}\n",
        ROW.replace("umu-hand-26", "b")
            .replace("2422:Sorsele", "0114:Upplands Väsby")
    );
    let mut p = parse_offerings_csv("o.csv", csv.as_bytes());
    let codes: Vec<_> = p.kommunkods().iter().map(|k| k.to_string()).collect();
    assert_eq!(codes, ["0114", "2422", "2481"]);
    p.reject_unknown_municipalities(|k| k.county_code() == "24");
    assert_eq!(p.offerings.len(), 1);
    assert_eq!(p.errors.len(), 1);
    let e = &p.errors[0];
    assert_eq!((e.row, e.column.as_deref()), (Some(3), Some("sites")));
    assert!(
        e.message
            .contains("kommunkod 0114 is not a municipality kkig knows (offering b)"),
        "{e}"
    );
}

#[test]
fn the_format_is_told_by_its_content() {
    let json = serde_json::to_vec(&susa_page()).unwrap();
    assert_eq!(parse_offerings("x", &json).offerings.len(), 1);
    let csv = format!("\u{feff}{HEADER}\n{ROW}\n");
    assert_eq!(parse_offerings("x", csv.as_bytes()).offerings.len(), 1);
    let xlsx = offerings_table(&parse_offerings("x", csv.as_bytes()).into_offerings())
        .to_xlsx("Utbildningar")
        .unwrap();
    assert_eq!(parse_offerings("x", &xlsx).offerings.len(), 1);
    assert!(!parse_offerings("x", b"PK\x03\x04garbage").is_valid());
}

#[test]
fn an_export_with_travel_columns_imports_again() {
    let csv = format!("\u{feff}{HEADER}\n{ROW}\n");
    let offerings = parse_offerings("x", csv.as_bytes()).into_offerings();
    let home = Kommunkod::parse("2422").unwrap();
    let reach = kkig_core::catalogue::Reach {
        one_way_minutes: 75,
        burden_minutes_per_term: 300,
    };
    let table = offerings_table_from(&offerings, home, &[Some(reach)]);
    assert_eq!(
        &table.headers[table.headers.len() - 3..],
        ["home", "one_way_minutes", "travel_minutes_per_term"]
    );
    let out = table.to_swedish_csv();
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(text.lines().nth(1).unwrap().ends_with(";2422;75;300"), "{text}");
    let again = parse_offerings("x", &out);
    assert!(again.is_valid(), "{:?}", again.errors);
    assert_eq!(again.into_offerings(), offerings);
    // Unknown reach: empty cells.
    let t = offerings_table_from(&offerings, home, &[None]);
    assert!(String::from_utf8(t.to_swedish_csv())
        .unwrap()
        .lines()
        .nth(1)
        .unwrap()
        .ends_with(";2422;;"));
}

// ---------------------------------------------------------------------------------------------
// Application URLs: only http(s) is stored; anything else is a warning, the offering stays.

#[track_caller]
fn assert_url_warning(p: &ParsedOfferings, file: &str, row: u64, column: &str, value: &str) {
    assert!(p.is_valid(), "{:#?}", p.errors);
    assert_eq!(p.offerings.len(), 1, "the offering is still imported");
    assert_eq!(p.offerings[0].offering.application_url, None, "the URL is not stored");
    assert_eq!(p.warnings.len(), 1, "{:#?}", p.warnings);
    let w = &p.warnings[0];
    assert_eq!(
        (w.file.as_str(), w.row, w.column.as_deref()),
        (file, Some(row), Some(column)),
        "{w}"
    );
    assert!(
        w.message.contains(&format!("{value:?}")),
        "the warning names the value: {w}"
    );
    assert!(w.message.contains("not stored"), "{w}");
}

#[test]
fn csv_and_xlsx_urls_that_are_not_http_are_warnings() {
    for bad in [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        " JaVaScRiPt:alert(1)",
        "www.umu.se",
        "ftp://umu.se/",
    ] {
        let p = csv_with("application_url", bad);
        assert_url_warning(&p, "o.csv", 2, "application_url", bad.trim());
    }
    // A good URL is stored as the link reads it: the scheme in lower case.
    for (good, stored) in [
        ("https://umu.se", "https://umu.se"),
        ("HTTP://umu.se/X", "http://umu.se/X"),
    ] {
        let p = csv_with("application_url", good);
        assert!(p.warnings.is_empty(), "{good}: {:#?}", p.warnings);
        assert_eq!(p.offerings[0].offering.application_url.as_deref(), Some(stored));
    }
    // The same through XLSX: a workbook with the bad URL in a string cell.
    let mut offering = csv_with("id", "umu-hand-26").into_offerings().remove(0);
    offering.application_url = Some("javascript:alert(1)".into());
    let xlsx = offerings_table(&[offering]).to_xlsx("Utbildningar").unwrap();
    let p = parse_offerings_xlsx("o.xlsx", &xlsx);
    assert_url_warning(&p, "o.xlsx", 2, "application_url", "javascript:alert(1)");
}

#[test]
fn susa_urls_that_are_not_http_are_warnings() {
    let p = susa_with(
        2,
        "/application/url",
        json!({"urls": [{"lang": "swe", "value": "javascript:alert(1)"}]}),
    );
    assert_url_warning(
        &p,
        "page.json",
        3,
        "e.umu.123: content.application.url",
        "javascript:alert(1)",
    );
    // The event's own url is used when the application's is left out, and checked the same way.
    let mut page = susa_page();
    let ev = &mut rec(&mut page, 2)["content"];
    ev["application"].as_object_mut().unwrap().remove("url");
    ev["url"] = json!({"urls": [{"lang": "swe", "value": "data:text/html,x"}]});
    let p = parse_value(&page);
    assert_url_warning(&p, "page.json", 3, "e.umu.123: content.url", "data:text/html,x");
    // A bad application URL falls back to a good event URL, with the warning.
    let ev = &mut rec(&mut page, 2)["content"];
    ev["application"]["url"] = json!({"urls": [{"lang": "swe", "value": "vbscript:x"}]});
    ev["url"] = json!({"urls": [{"lang": "eng", "value": "https://umu.se/en/vasjp"}, {"lang": "swe", "value": "https://umu.se/vasjp"}]});
    let p = parse_value(&page);
    assert_eq!(
        p.offerings[0].offering.application_url.as_deref(),
        Some("https://umu.se/vasjp"),
        "the Swedish page"
    );
    assert_eq!(p.warnings.len(), 1, "{:#?}", p.warnings);
    assert_eq!(
        p.warnings[0].column.as_deref(),
        Some("e.umu.123: content.application.url")
    );
    // A good URL: no warning.
    assert!(parse_value(&susa_page()).warnings.is_empty());
}

#[test]
fn warnings_of_several_files_are_kept() {
    let csv = |url: &str| format!("{HEADER}\n{}\n", ROW.replace("https://umu.se", url));
    let (a, b) = (csv("javascript:a()"), csv("data:,b"));
    let p = parse_offerings_files(&[("a.csv", a.as_bytes()), ("b.csv", b.as_bytes())]);
    let files: Vec<_> = p.warnings.iter().map(|w| w.file.as_str()).collect();
    assert_eq!(files, ["a.csv", "b.csv"]);
}
