//! SCB JSON-stat 2.0 population responses → tidy rows and demand drivers; errors name the
//! position; the parser never panics.

use kkig_core::forecast::{AgeGroup, Driver};
use kkig_core::Kommunkod;
use kkig_formats::population::{parse_age, parse_population, PopulationQuery, Sex};
use proptest::prelude::*;
use serde_json::{json, Value};

const TAB638: &[u8] = include_bytes!("fixtures/scb-tab638-befolkning.json");
const TAB5557: &[u8] = include_bytes!("fixtures/scb-tab5557-befolkning.json");

fn k(s: &str) -> Kommunkod {
    Kommunkod::parse(s).unwrap()
}

fn parse(v: &Value, q: &PopulationQuery) -> Result<kkig_formats::population::PopulationTable, String> {
    parse_population("pop.json", v.to_string().as_bytes(), q).map_err(|e| e.to_string())
}

#[test]
fn tab638_fixture_gives_tidy_rows() {
    let t = parse_population("tab638.json", TAB638, &PopulationQuery::default()).unwrap();
    assert_eq!(t.source.as_deref(), Some("SCB"));
    assert_eq!(t.updated.as_deref(), Some("2024-02-21T07:00:00Z"));
    assert!(t.label.as_deref().unwrap().starts_with("Folkmängden"));
    // 3 municipalities × 9 age codes × 2 sexes × 2 years, in value order.
    assert_eq!(t.rows.len(), 108);
    let r = &t.rows[0];
    assert_eq!(
        (r.kommunkod, r.age, r.sex, r.year, r.value),
        (k("2506"), AgeGroup::Age(0), Sex::Male, 2023, Some(11.0))
    );
    let r = &t.rows[1];
    assert_eq!((r.age, r.sex, r.year), (AgeGroup::Age(0), Sex::Male, 2024));
    let r = &t.rows[2];
    assert_eq!((r.age, r.sex, r.year), (AgeGroup::Age(0), Sex::Female, 2023));
    let find = |kk: &str, age: AgeGroup, sex: Sex, year: i32| {
        t.rows
            .iter()
            .find(|r| r.kommunkod == k(kk) && r.age == age && r.sex == sex && r.year == year)
            .unwrap()
            .value
    };
    assert_eq!(find("2506", AgeGroup::Age(1), Sex::Male, 2023), Some(13.0));
    assert_eq!(find("2506", AgeGroup::Age(1), Sex::Female, 2023), Some(14.0));
    assert_eq!(find("2422", AgeGroup::AndOlder(100), Sex::Female, 2024), Some(3.0));
    assert_eq!(find("2463", AgeGroup::Total, Sex::Female, 2024), Some(1311.0));
    assert_eq!(t.municipalities(), vec![k("2506"), k("2422"), k("2463")]);
}

#[test]
fn tab638_summed_over_sexes_and_drivers() {
    let q = PopulationQuery {
        sum_sexes: true,
        ..Default::default()
    };
    let t = parse_population("tab638.json", TAB638, &q).unwrap();
    assert_eq!(t.rows.len(), 54);
    assert!(t.rows.iter().all(|r| r.sex == Sex::Total));
    let r = t
        .rows
        .iter()
        .find(|r| r.kommunkod == k("2506") && r.age == AgeGroup::Total && r.year == 2023)
        .unwrap();
    assert_eq!(r.value, Some(2609.0)); // 1371 men + 1238 women

    let all = parse_population("tab638.json", TAB638, &PopulationQuery::default()).unwrap();
    for t in [&t, &all] {
        // Children 1–5 in Arjeplog: ages 1 and 5 in the fixture; 2023: 13 + 14 + 14 + 15 = 56.
        let d = t.driver(k("2506"), Driver::PRESCHOOL, 2023, 2024).unwrap();
        assert_eq!(d.values, vec![56.0, 52.0]);
        // 80+: ages 80, 99 and 100+; 2023: 19 + 20 + 1 + 2 + 0 + 1 = 43.
        assert_eq!(
            t.driver(k("2506"), Driver::ELDERLY, 2023, 2024).unwrap().values,
            vec![43.0, 41.0]
        );
        // Total: the "tot" rows, 1371 + 1238 = 2609 and 1364 + 1231 = 2595.
        assert_eq!(
            t.driver(k("2506"), Driver::Total, 2023, 2024).unwrap().values,
            vec![2609.0, 2595.0]
        );
        // 6–15: ages 6 and 15; Åsele 2023: (15+4) + (15+4+1) + (17+4) + (17+4+1) = 82.
        assert_eq!(
            t.driver(k("2463"), Driver::COMPULSORY_SCHOOL, 2023, 2023)
                .unwrap()
                .values,
            vec![82.0]
        );
        assert!(t.driver(k("2506"), Driver::Total, 2023, 2025).is_err(), "no 2025");
    }
}

/// A projection (e.g. BefProgRegFakN) of another dimension order, an index given as an array,
/// a second content that must be selected, and a null.
#[test]
fn projection_with_other_dimensions() {
    let doc = json!({
        "version": "2.0", "class": "dataset", "label": "Framskriven folkmängd", "source": "SCB",
        "id": ["Region", "Kon", "ContentsCode", "Tid", "Alder"],
        "size": [1, 2, 2, 2, 2],
        "dimension": {
            "Region": {"category": {"index": ["2422"], "label": {"2422": "Sorsele"}}},
            "Kon": {"category": {"index": ["1", "2"]}},
            "ContentsCode": {"category": {"index": {"000005RC": 0, "000005RD": 1}}},
            "Tid": {"category": {"index": ["2030", "2031"]}},
            "Alder": {"category": {"index": ["3", "100+"]}}
        },
        "value": [1, 2, 3, 4, 90, 91, 92, 93, 5, 6, 7, null, 94, 95, 96, 97]
    });
    let err = parse(&doc, &PopulationQuery::default()).unwrap_err();
    assert!(
        err.contains("dimension.ContentsCode") && err.contains("select one"),
        "{err}"
    );
    let q = PopulationQuery {
        sum_sexes: false,
        select: vec![("ContentsCode".into(), "000005RC".into())],
    };
    let t = parse(&doc, &q).unwrap();
    assert_eq!(t.rows.len(), 8);
    let vals: Vec<_> = t.rows.iter().map(|r| (r.sex, r.year, r.age, r.value)).collect();
    assert_eq!(vals[0], (Sex::Male, 2030, AgeGroup::Age(3), Some(1.0)));
    assert_eq!(vals[1], (Sex::Male, 2030, AgeGroup::AndOlder(100), Some(2.0)));
    assert_eq!(vals[7], (Sex::Female, 2031, AgeGroup::AndOlder(100), None));
    let q = PopulationQuery { sum_sexes: true, ..q };
    let t = parse(&doc, &q).unwrap();
    let vals: Vec<_> = t.rows.iter().map(|r| (r.year, r.age, r.value)).collect();
    assert_eq!(
        vals,
        [
            (2030, AgeGroup::Age(3), Some(6.0)),
            (2030, AgeGroup::AndOlder(100), Some(8.0)),
            (2031, AgeGroup::Age(3), Some(10.0)),
            (2031, AgeGroup::AndOlder(100), None)
        ]
    );
    let d = t.driver(k("2422"), Driver::PRESCHOOL, 2030, 2031).unwrap();
    assert_eq!(d.values, vec![6.0, 10.0]);
    assert!(
        t.driver(k("2422"), Driver::ELDERLY, 2030, 2031).is_err(),
        "null in 2031"
    );
    // Sparse values as an object; role names the dimensions.
    let sparse = json!({
        "version": "2.0", "class": "dataset",
        "id": ["Kommun", "Ålder", "År"], "size": [1, 1, 2],
        "role": {"geo": ["Kommun"], "time": ["År"]},
        "dimension": {"Kommun": {"category": {"label": {"2463": "Åsele"}}}, "Ålder": {"category": {"index": {"tot": 0}}}, "År": {"category": {"index": ["2024", "2025"]}}},
        "value": {"1": 2700}
    });
    let t = parse(&sparse, &PopulationQuery::default()).unwrap();
    // A small file may not describe a huge sparse table.
    let mut huge = sparse.clone();
    let many: Vec<String> = (0..5000).map(|i| i.to_string()).collect();
    huge["id"] = json!(["Kommun", "Ålder", "År", "A", "B"]);
    huge["size"] = json!([1, 1, 2, 5000, 5000]);
    huge["dimension"]["A"] = json!({"category": {"index": many}});
    huge["dimension"]["B"] = json!({"category": {"index": many}});
    huge["value"] = json!({});
    let q = PopulationQuery {
        select: vec![("A".into(), "0".into()), ("B".into(), "0".into())],
        ..Default::default()
    };
    assert!(parse(&huge, &q)
        .unwrap_err()
        .contains("a sparse table may have at most"));
    assert_eq!(
        t.rows
            .iter()
            .map(|r| (r.kommunkod, r.sex, r.year, r.value))
            .collect::<Vec<_>>(),
        [
            (k("2463"), Sex::Total, 2024, None),
            (k("2463"), Sex::Total, 2025, Some(2700.0))
        ]
    );
}

#[test]
fn bad_input_names_the_position() {
    let good = || -> Value { serde_json::from_slice(TAB638).unwrap() };
    type Edit = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(Edit, &str)> = vec![
        (Box::new(|v| v["size"][1] = json!(8)), "dimension.Alder.category.index: 9 categories, but \"size\" says 8"),
        (Box::new(|v| v["size"] = json!([3, 9, 2, 1])), "column size: 4 sizes for 5 dimensions"),
        (Box::new(|v| { v["value"].as_array_mut().unwrap().pop(); }), "column value: 107 values, but the sizes [3, 9, 2, 1, 2] of Region × Alder × Kon × ContentsCode × Tid make 108"),
        (Box::new(|v| v["value"][17] = json!("12")), "column value[17]: (Region \"2506\", Alder \"15\", Kon \"1\", ContentsCode \"BE0101N1\", Tid \"2024\"): expected a number or null, found \"12\""),
        (Box::new(|v| v["value"][0] = json!(true)), "value[0]"),
        (Box::new(|v| { let r = v["dimension"]["Region"]["category"]["index"].as_object_mut().unwrap(); r.remove("2422"); r.insert("9999".into(), json!(1)); }), "dimension.Region.category.index.\"9999\": not a municipality"),
        (Box::new(|v| { let r = v["dimension"]["Region"]["category"]["index"].as_object_mut().unwrap(); r.remove("2422"); r.insert("25".into(), json!(1)); }), "dimension.Region.category.index.\"25\": not a municipality"),
        (Box::new(|v| { let r = v["dimension"]["Alder"]["category"]["index"].as_object_mut().unwrap(); r.remove("99"); r.insert("99 år".into(), json!(6)); }), "dimension.Alder.category.index.\"99 år\": expected an age"),
        (Box::new(|v| { let r = v["dimension"]["Tid"]["category"]["index"].as_object_mut().unwrap(); r.remove("2024"); r.insert("2024K1".into(), json!(1)); }), "dimension.Tid.category.index.\"2024K1\": expected a year"),
        (Box::new(|v| v["dimension"]["Kon"]["category"]["index"] = json!({"1": 0, "3": 1})), "dimension.Kon.category.index.\"3\": expected a sex code"),
        (Box::new(|v| v["dimension"]["Kon"]["category"]["index"] = json!({"1": 0, "2": 0})), "position 0 is also"),
        (Box::new(|v| v["dimension"]["Kon"]["category"]["index"] = json!({"1": 0, "2": 5})), "dimension.Kon.category.index.\"2\": expected a position 0…1, found 5"),
        (Box::new(|v| { v["dimension"].as_object_mut().unwrap().remove("Tid"); }), "column dimension.Tid: missing"),
        (Box::new(|v| { v["id"][2] = json!("Kon2"); }), "dimension.Kon2: missing"),
        (Box::new(|v| { v["id"][1] = json!("Kon2"); v["dimension"]["Kon2"] = v["dimension"]["Alder"].clone(); }), "no age dimension (Alder)"),
        (Box::new(|v| v["class"] = json!("collection")), "column class: expected \"dataset\""),
        (Box::new(|v| v["version"] = json!("1.0")), "column version"),
        (Box::new(|v| v["value"] = json!(3)), "column value: expected an array"),
    ];
    for (edit, want) in cases {
        let mut v = good();
        edit(&mut v);
        let e = parse(&v, &PopulationQuery::default()).unwrap_err();
        assert!(e.contains(want), "want {want:?}\n got {e}");
        assert!(e.starts_with("pop.json"), "{e}");
    }
    for (bytes, want) in [
        (&b"{"[..], "not valid JSON"),
        (b"[]", "expected a JSON-stat 2.0 dataset"),
        (br#"{"dataset": {}}"#, "JSON-stat 1.x bundle"),
    ] {
        let e = parse_population("pop.json", bytes, &PopulationQuery::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains(want), "{e}");
    }
    let e = parse_population(
        "tab638.json",
        TAB638,
        &PopulationQuery {
            select: vec![("ContentsCode".into(), "X".into())],
            ..Default::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("no category \"X\"; found BE0101N1"), "{e}");
}

/// TAB5557 (2025 on) as SCB serves it: four civil statuses to add up, `100+1` for 100 and
/// older, and a municipality outside the region (Boden).
#[test]
fn tab5557_with_civil_status_and_100_plus_1_imports() {
    let doc: Value = serde_json::from_slice(TAB5557).unwrap();
    let t = parse_population("tab5557.json", TAB5557, &PopulationQuery::default()).unwrap();
    // 2 municipalities × 7 ages × 2 sexes × 1 year; the 4 civil statuses summed.
    assert_eq!(t.rows.len(), 28);
    assert_eq!(t.municipalities(), vec![k("2422"), k("2582")]);
    // the sum of the four civil statuses, read straight from the value array
    // (ids: Region, Civilstand, Alder, Kon, ContentsCode, Tid; sizes 2, 4, 7, 2, 1, 1)
    let cell = |r: usize, c: usize, a: usize, s: usize| doc["value"][((r * 4 + c) * 7 + a) * 2 + s].as_f64().unwrap();
    for (r, kk) in [(0, "2422"), (1, "2582")] {
        for (a, age) in [
            (0, AgeGroup::Age(0)),
            (5, AgeGroup::Age(99)),
            (6, AgeGroup::AndOlder(100)),
        ] {
            for (s, sex) in [(0, Sex::Male), (1, Sex::Female)] {
                let want: f64 = (0..4).map(|c| cell(r, c, a, s)).sum();
                let got = t
                    .rows
                    .iter()
                    .find(|x| x.kommunkod == k(kk) && x.age == age && x.sex == sex && x.year == 2025)
                    .unwrap();
                assert_eq!(got.value, Some(want), "{kk} {age:?} {sex:?}");
            }
        }
    }
}

#[test]
fn civil_status_total_is_used_when_present_and_summed_otherwise() {
    let mut doc: Value = serde_json::from_slice(TAB5557).unwrap();
    // keep only OG and add the total SC with its own numbers: SC is used, OG ignored
    let n = doc["value"].as_array().unwrap().len();
    let mut values = Vec::new();
    for r in 0..2 {
        for c in 0..5 {
            for a in 0..7 {
                for s in 0..2 {
                    values.push(if c == 4 {
                        json!(1000 + r * 100 + a * 10 + s)
                    } else {
                        doc["value"][((r * 4 + c) * 7 + a) * 2 + s].clone()
                    });
                }
            }
        }
    }
    assert_eq!(values.len(), n / 4 * 5);
    doc["value"] = json!(values);
    doc["size"][1] = json!(5);
    doc["dimension"]["Civilstand"]["category"]["index"]["SC"] = json!(4);
    let t = parse(&doc, &PopulationQuery::default()).unwrap();
    assert_eq!(t.rows.len(), 28);
    let r = t
        .rows
        .iter()
        .find(|x| x.kommunkod == k("2582") && x.age == AgeGroup::Age(1) && x.sex == Sex::Female)
        .unwrap();
    assert_eq!(r.value, Some(1111.0));
    // a null among the parts leaves the sum missing rather than too small
    let mut doc: Value = serde_json::from_slice(TAB5557).unwrap();
    doc["value"][0] = Value::Null;
    let t = parse(&doc, &PopulationQuery::default()).unwrap();
    assert_eq!(t.rows[0].value, None);
    assert!(t.rows[1].value.is_some());
}

#[test]
fn age_codes() {
    assert_eq!(parse_age("0"), Some(AgeGroup::Age(0)));
    assert_eq!(parse_age("99"), Some(AgeGroup::Age(99)));
    assert_eq!(parse_age("100+"), Some(AgeGroup::AndOlder(100)));
    assert_eq!(parse_age("100+1"), Some(AgeGroup::AndOlder(100)));
    assert_eq!(parse_age("tot"), Some(AgeGroup::Total));
    assert_eq!(parse_age("TotSA"), Some(AgeGroup::Total));
    assert_eq!(parse_age("5-9"), Some(AgeGroup::Range(5, 9)));
    for bad in ["", "x", "9-5", "-1", "+", "1000", "5 år", "99+1", "100+2"] {
        assert_eq!(parse_age(bad), None, "{bad}");
    }
}

proptest! {
    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse_population("x.json", &bytes, &PopulationQuery::default());
    }

    #[test]
    fn never_panics_on_mangled_fixtures(cut in 0usize..4000, sizes in proptest::collection::vec(0u64..12, 0..6), at in 0usize..108, v in prop_oneof![Just(json!(null)), Just(json!("x")), Just(json!(-1.5)), Just(json!({}))]) {
        let _ = parse_population("x.json", &TAB638[..cut.min(TAB638.len())], &PopulationQuery::default());
        let mut doc: Value = serde_json::from_slice(TAB638).unwrap();
        doc["value"][at] = v;
        let _ = parse(&doc, &PopulationQuery { sum_sexes: true, ..Default::default() });
        doc["size"] = json!(sizes);
        let _ = parse(&doc, &PopulationQuery::default());
    }
}
