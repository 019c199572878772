//! Kolada JSON → rows (kpi, kommunkod, period, gender, value); errors name the path.

use kkig_core::Kommunkod;
use kkig_formats::kolada::{missing_pages, page_number, parse_kolada, Gender, KoladaPage};
use proptest::prelude::*;

const PAGE: &str = r#"{"count": 3, "next_page": "https://api.kolada.se/v3/data/kpi/N00914/municipality/2506,2422?page=2",
 "values": [
  {"kpi": "N00914", "municipality": "2506", "period": 2023,
   "values": [{"count": 1, "gender": "T", "status": "", "value": 12.3},
              {"count": 1, "gender": "K", "status": "", "value": 13.5},
              {"count": 1, "gender": "M", "status": "", "value": null}]},
  {"kpi": "N00914", "municipality": "2422", "period": "2024", "values": [{"gender": "T", "value": 7}]},
  {"kpi": "N00914", "municipality": "2463", "period": 2024, "values": []}
 ]}"#;

#[test]
fn a_page_gives_one_row_per_value() {
    let p = parse_kolada("kolada.json", PAGE.as_bytes()).unwrap();
    assert_eq!(p.count, Some(3));
    assert!(p.next_page.unwrap().ends_with("page=2"));
    let rows: Vec<_> = p
        .rows
        .iter()
        .map(|r| (r.kpi.as_str(), r.kommunkod.to_string(), r.period, r.gender, r.value))
        .collect();
    assert_eq!(
        rows,
        [
            ("N00914", "2506".to_string(), 2023, Gender::Total, Some(12.3)),
            ("N00914", "2506".to_string(), 2023, Gender::Female, Some(13.5)),
            ("N00914", "2506".to_string(), 2023, Gender::Male, None),
            ("N00914", "2422".to_string(), 2024, Gender::Total, Some(7.0)),
        ]
    );
    assert_eq!(p.rows[0].kommunkod, Kommunkod::parse("2506").unwrap());
    let bare = parse_kolada("k.json", br#"{"values": []}"#).unwrap();
    assert_eq!((bare.count, bare.next_page, bare.rows.len()), (None, None, 0));
}

const V3_PAGE1: &str = include_str!("fixtures/kolada-v3-page1.json");
const V3_PAGE2: &str = include_str!("fixtures/kolada-v3-page2.json");

/// v3 names the link `next_url` (v2: `next_page`); a `null` link ends the answer.
#[test]
fn v3_pages_link_with_next_url() {
    let p1 = parse_kolada("p1.json", V3_PAGE1.as_bytes()).unwrap();
    let p2 = parse_kolada("p2.json", V3_PAGE2.as_bytes()).unwrap();
    assert_eq!(p1.rows.len(), 4);
    assert_eq!(p2.rows.len(), 2);
    assert_eq!(p1.next_page.as_deref().and_then(page_number), Some(2));
    assert_eq!(p2.next_page, None);
    let v2 = parse_kolada("v2.json", PAGE.as_bytes()).unwrap();
    assert_eq!(v2.next_page.as_deref().and_then(page_number), Some(2));
}

#[test]
fn a_paged_answer_is_complete_only_with_every_page() {
    let page = |name: &str, next: Option<&str>| {
        (
            name.to_string(),
            KoladaPage {
                rows: vec![],
                count: None,
                next_page: next.map(str::to_string),
            },
        )
    };
    let u = |n: u32| format!("https://api.kolada.se/v3/data/kpi/N00914?page={n}&per_page=5000");
    let (u2, u3, u4) = (u(2), u(3), u(4));
    type Case<'a> = (Vec<(String, KoladaPage)>, Option<&'a str>);
    let cases: Vec<Case> = vec![
        (vec![page("a", None)], None),
        (vec![page("a", Some(&u2)), page("b", None)], None),
        (vec![page("b", None), page("a", Some(&u2))], None),
        (vec![page("a", Some(&u2)), page("b", Some(&u3)), page("c", None)], None),
        (vec![page("a", Some(&u2))], Some("a links to page 2")),
        (
            vec![page("a", Some(&u2)), page("b", Some(&u3))],
            Some("b links to page 3"),
        ),
        (
            vec![page("a", Some(&u2)), page("c", Some(&u4)), page("x", None)],
            Some("c links to page 4"),
        ),
        (
            vec![page("a", Some(&u2)), page("b", Some(&u2)), page("c", None)],
            Some("are not pages 2…3"),
        ),
        (vec![page("a", Some("https://example.org/next")), page("b", None)], None),
        (
            vec![page("a", Some("https://example.org/next"))],
            Some("a links to a next page"),
        ),
    ];
    for (pages, want) in cases {
        let got = missing_pages(&pages);
        match want {
            None => assert_eq!(got, None, "{:?}", pages.iter().map(|p| &p.0).collect::<Vec<_>>()),
            Some(w) => assert!(
                got.as_deref().is_some_and(|g| g.contains(w)),
                "{got:?} should contain {w:?}"
            ),
        }
    }
    assert_eq!(page_number("https://x/y?per_page=10&page=12#f"), Some(12));
    assert_eq!(page_number("https://x/y?pages=3"), None);
}

#[test]
fn bad_input_names_the_path() {
    let cases = [
        (
            r#"{"values": [{"kpi": "N1", "municipality": "0000", "period": 2023, "values": []}]}"#,
            "column values[0].municipality: not a municipality",
        ),
        (
            r#"{"values": [{"kpi": "N1", "municipality": 2506, "period": 2023, "values": []}]}"#,
            "values[0].municipality: expected a kommunkod",
        ),
        (
            r#"{"values": [{"municipality": "2506", "period": 2023, "values": []}]}"#,
            "values[0].kpi: missing",
        ),
        (
            r#"{"values": [{"kpi": "N1", "municipality": "2506", "period": "sen", "values": []}]}"#,
            "values[0].period: expected a year",
        ),
        (
            r#"{"values": [{"kpi": "N1", "municipality": "2506", "period": 2023, "values": [{"gender": "X", "value": 1}]}]}"#,
            "values[0].values[0].gender: expected \"T\", \"K\" or \"M\", found \"X\"",
        ),
        (
            r#"{"values": [{"kpi": "N1", "municipality": "2506", "period": 2023, "values": [{"gender": "T", "value": "1,5"}]}]}"#,
            "values[0].values[0].value: expected a number or null, found \"1,5\"",
        ),
        (
            r#"{"values": [{"kpi": "N1", "municipality": "2506", "period": 2023, "values": 4}]}"#,
            "values[0].values: expected an array",
        ),
        (r#"{"values": [3]}"#, "values[0]: expected an object"),
        (r#"{"value": []}"#, "column values: missing"),
        (r#"{"values": [], "count": -1}"#, "column count"),
        (r#"{"values": [], "next_page": 5}"#, "column next_page"),
        ("[]", "expected a Kolada response"),
        ("{", "not valid JSON"),
    ];
    for (input, want) in cases {
        let e = parse_kolada("kolada.json", input.as_bytes()).unwrap_err().to_string();
        assert!(
            e.starts_with("kolada.json") && e.contains(want),
            "want {want:?}\n got {e}"
        );
    }
}

proptest! {
    #[test]
    fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300), cut in 0usize..800) {
        let _ = parse_kolada("x.json", &bytes);
        let _ = parse_kolada("x.json", &PAGE.as_bytes()[..cut.min(PAGE.len())]);
    }
}
