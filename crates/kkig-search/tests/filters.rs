//! Filters, sorting, pagination, travel, errors and determinism.

mod common;

use common::*;
use kkig_core::catalogue::{reach, Meetings, SchoolType, StudyForm};
use kkig_core::region::OccupationArea;
use kkig_search::{generate, Catalogue, SearchError, SearchQuery, Sort, StartTerm, MAX_PER_PAGE};

fn all(q: SearchQuery) -> SearchQuery {
    SearchQuery {
        per_page: MAX_PER_PAGE,
        ..q
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn school_type_form_and_area() {
    let c = build(vec![
        o("hs", "Kurs"),
        with(o("yh", "Kurs"), |o| o.school_type = SchoolType::Yh),
        with(o("campus", "Kurs"), |o| o.form = StudyForm::Campus),
        with(o("blended", "Kurs"), |o| o.form = StudyForm::Blended),
        with(o("nurse", "Kurs"), |o| o.occupations = vec![ssyk("2221")]),
        with(o("teacher", "Kurs"), |o| {
            o.occupations = vec![ssyk("2341"), ssyk("2512")]
        }),
        with(o("both", "Kurs"), |o| o.occupations = vec![ssyk("2330"), ssyk("2661")]),
        with(o("other", "Kurs"), |o| o.occupations = vec![ssyk("2512")]),
    ]);
    let f = |q: SearchQuery| sorted(ids(&search(&c, &all(q))));
    assert_eq!(
        f(SearchQuery {
            school_type: Some(SchoolType::Yh),
            ..Default::default()
        }),
        ["yh"]
    );
    assert_eq!(
        f(SearchQuery {
            school_type: Some(SchoolType::Komvux),
            ..Default::default()
        }),
        Vec::<String>::new()
    );
    assert_eq!(
        f(SearchQuery {
            form: Some(StudyForm::Campus),
            ..Default::default()
        }),
        ["campus"]
    );
    assert_eq!(
        f(SearchQuery {
            form: Some(StudyForm::Blended),
            ..Default::default()
        }),
        ["blended"]
    );
    assert_eq!(
        f(SearchQuery {
            form: Some(StudyForm::Distance),
            ..Default::default()
        })
        .len(),
        6
    );
    assert_eq!(
        f(SearchQuery {
            area: Some(OccupationArea::Nurse),
            ..Default::default()
        }),
        ["nurse"]
    );
    assert_eq!(
        f(SearchQuery {
            area: Some(OccupationArea::Teacher),
            ..Default::default()
        }),
        ["both", "teacher"]
    );
    assert_eq!(
        f(SearchQuery {
            area: Some(OccupationArea::SocialWork),
            ..Default::default()
        }),
        ["both"]
    );
    // Filters combine with each other and with text.
    assert_eq!(
        f(SearchQuery {
            area: Some(OccupationArea::Teacher),
            form: Some(StudyForm::Distance),
            ..SearchQuery::text("kurs")
        }),
        ["both", "teacher"]
    );
    assert_eq!(
        f(SearchQuery {
            school_type: Some(SchoolType::Yh),
            ..SearchQuery::text("okänd")
        }),
        Vec::<String>::new()
    );
}

#[test]
fn pace_inclusive_bounds() {
    let c = build(vec![
        with(o("p25", "Kurs"), |o| o.pace_percent = 25),
        with(o("p50", "Kurs"), |o| o.pace_percent = 50),
        with(o("p100", "Kurs"), |o| o.pace_percent = 100),
    ]);
    let f = |min: Option<u32>, max: Option<u32>| {
        sorted(ids(&search(
            &c,
            &all(SearchQuery {
                min_pace: min,
                max_pace: max,
                ..Default::default()
            }),
        )))
    };
    assert_eq!(f(Some(50), None), ["p100", "p50"]);
    assert_eq!(f(None, Some(50)), ["p25", "p50"]);
    assert_eq!(f(Some(50), Some(50)), ["p50"]);
    assert_eq!(f(Some(26), Some(99)), ["p50"]);
    assert_eq!(f(Some(60), Some(40)), Vec::<String>::new());
    assert_eq!(f(None, None).len(), 3);
}

#[test]
fn start_term_autumn_is_july_to_december() {
    let c = build(vec![
        with(o("vt26", "Kurs"), |o| o.start = "2026-06-30".into()),
        with(o("ht26a", "Kurs"), |o| o.start = "2026-07-01".into()),
        with(o("ht26b", "Kurs"), |o| o.start = "2026-12-31".into()),
        with(o("vt27", "Kurs"), |o| o.start = "2027-01-18".into()),
        with(o("bad", "Kurs"), |o| o.start = "snart".into()),
    ]);
    let f = |t: &str| {
        sorted(ids(&search(
            &c,
            &all(SearchQuery {
                start_term: StartTerm::parse(t),
                ..Default::default()
            }),
        )))
    };
    assert_eq!(f("VT2026"), ["vt26"]);
    assert_eq!(f("HT2026"), ["ht26a", "ht26b"]);
    assert_eq!(f("VT2027"), ["vt27"]);
    assert_eq!(f("HT2027"), Vec::<String>::new());
}

fn travel_catalogue() -> Catalogue {
    build(vec![
        // Sorsele → Umeå is 256 minutes one way: 4 meetings × 2 × 256 = 2048.
        with(o("umea4", "Beta"), |o| {
            o.sites = vec![town("2480")];
            o.meetings = Meetings {
                per_term: 4,
                days_each: 2,
                place: None,
            };
        }),
        o("none", "Gamma"),
        // Meetings in Upplands Väsby: no seat position, burden unknown.
        with(o("unknown", "Alfa"), |o| {
            o.meetings = Meetings {
                per_term: 1,
                days_each: 1,
                place: Some(kkig_core::catalogue::StudySite {
                    municipality: k("0114"),
                    town: "Upplands Väsby".into(),
                }),
            }
        }),
        with(o("lycksele2", "Delta"), |o| {
            o.sites = vec![town("2422")];
            o.meetings = Meetings {
                per_term: 2,
                days_each: 2,
                place: Some(town("2481")),
            };
        }),
        with(o("home", "Alfa"), |o| {
            o.form = StudyForm::Campus;
            o.sites = vec![town("2422")];
            o.meetings = Meetings {
                per_term: 60,
                days_each: 1,
                place: None,
            };
        }),
    ])
}

#[test]
fn maximum_travel_per_term_from_home() {
    let c = travel_catalogue();
    let t = travel();
    let sorsele = Some(k("2422"));
    let f = |max: i64| {
        sorted(ids(&search(
            &c,
            &all(SearchQuery {
                home: sorsele,
                max_travel_minutes_per_term: Some(max),
                ..Default::default()
            }),
        )))
    };
    assert_eq!(f(2048), ["home", "lycksele2", "none", "umea4"]);
    assert_eq!(f(2047), ["home", "lycksele2", "none"]);
    assert_eq!(f(0), ["home", "none"]);
    assert_eq!(f(-1), Vec::<String>::new());
    // Hits carry exactly kkig-core's reach; the unknown burden has none.
    let r = search(
        &c,
        &all(SearchQuery {
            home: sorsele,
            ..Default::default()
        }),
    );
    assert_eq!(r.total, 5);
    for h in &r.hits {
        assert_eq!(h.reach, reach(h.offering, k("2422"), &t), "{}", h.offering.id);
    }
    let umea = r.hits.iter().find(|h| h.offering.id == "umea4").unwrap();
    assert_eq!(umea.reach.as_ref().unwrap().burden_minutes_per_term, 2048);
    assert!(r
        .hits
        .iter()
        .find(|h| h.offering.id == "unknown")
        .unwrap()
        .reach
        .is_none());
    // Without a home, no reach.
    assert!(search(&c, &SearchQuery::default())
        .hits
        .iter()
        .all(|h| h.reach.is_none()));
}

#[test]
fn sort_by_travel_then_title_then_id_unknown_last() {
    let c = travel_catalogue();
    let r = search(
        &c,
        &all(SearchQuery {
            home: Some(k("2422")),
            sort: Sort::Travel,
            ..Default::default()
        }),
    );
    // burdens: home 0 (Alfa), none 0 (Gamma), lycksele2 2×2×x, umea4 2048, unknown None.
    assert_eq!(ids(&r), ["home", "none", "lycksele2", "umea4", "unknown"]);
    let burdens: Vec<_> = r
        .hits
        .iter()
        .map(|h| h.reach.as_ref().map(|x| x.burden_minutes_per_term))
        .collect();
    assert!(burdens[2].unwrap() < 2048 && burdens[2].unwrap() > 0);
    // From Umeå the order changes.
    let r = search(
        &c,
        &all(SearchQuery {
            home: Some(k("2480")),
            sort: Sort::Travel,
            ..Default::default()
        }),
    );
    assert_eq!(ids(&r), ["umea4", "none", "lycksele2", "home", "unknown"]);
    // Ties on burden and title are broken by id.
    let c = build(vec![o("b", "Samma"), o("a", "Samma"), o("c", "Annan")]);
    let r = search(
        &c,
        &SearchQuery {
            home: Some(k("2422")),
            sort: Sort::Travel,
            ..Default::default()
        },
    );
    assert_eq!(ids(&r), ["c", "a", "b"]);
    // Text with travel sort: the text selects, travel orders.
    let c = travel_catalogue();
    let r = search(
        &c,
        &SearchQuery {
            home: Some(k("2422")),
            sort: Sort::Travel,
            ..SearchQuery::text("alfa")
        },
    );
    assert_eq!(ids(&r), ["home", "unknown"]);
}

#[test]
fn relevance_order_ties_by_id_and_no_text_by_start_title_id() {
    let c = build(vec![
        with(o("z", "Kurs i etik"), |o| o.start = "2026-01-19".into()),
        with(o("y", "Kurs i etik"), |o| o.start = "2026-01-19".into()),
        with(o("x", "Ärenden"), |o| o.start = "2025-08-25".into()),
        with(o("w", "Öppen kurs"), |o| o.start = "2026-01-19".into()),
        with(o("v", "Åtgärder"), |o| o.start = "2026-01-19".into()),
        with(o("u", "Zoologi"), |o| o.start = "2026-01-19".into()),
    ]);
    // Equal scores: id ascending.
    let r = search(&c, &SearchQuery::text("etik"));
    assert_eq!(ids(&r), ["y", "z"]);
    assert_eq!(r.hits[0].score, r.hits[1].score);
    // No text: start date, then title in Swedish order (Z < Å < Ä < Ö), then id.
    assert_eq!(
        ids(&search(&c, &SearchQuery::default())),
        ["x", "y", "z", "u", "v", "w"]
    );
}

#[test]
fn pagination() {
    let offerings: Vec<_> = (0..25)
        .map(|i| o(&format!("e{i:02}"), &format!("Kurs nummer {i}")))
        .collect();
    let c = build(offerings);
    let whole = ids(&search(
        &c,
        &SearchQuery {
            per_page: 100,
            ..SearchQuery::text("kurs")
        },
    ));
    assert_eq!(whole.len(), 25);
    let mut pages = Vec::new();
    for page in 1..=3 {
        let r = search(
            &c,
            &SearchQuery {
                page,
                per_page: 10,
                ..SearchQuery::text("kurs")
            },
        );
        assert_eq!(r.total, 25);
        assert_eq!(r.pages(), 3);
        assert_eq!(r.hits.len(), if page == 3 { 5 } else { 10 });
        pages.extend(ids(&r));
    }
    assert_eq!(pages, whole);
    let beyond = search(
        &c,
        &SearchQuery {
            page: 4,
            per_page: 10,
            ..SearchQuery::text("kurs")
        },
    );
    assert_eq!((beyond.total, beyond.hits.len()), (25, 0));
    let huge = search(
        &c,
        &SearchQuery {
            page: usize::MAX,
            per_page: MAX_PER_PAGE,
            ..Default::default()
        },
    );
    assert_eq!((huge.total, huge.hits.len()), (25, 0));
    // The same for filters only and for travel order.
    for sort in [Sort::Relevance, Sort::Travel] {
        let q = |page, per_page| SearchQuery {
            home: Some(k("2422")),
            sort,
            page,
            per_page,
            ..Default::default()
        };
        let whole = ids(&search(&c, &q(1, 25)));
        let parts: Vec<String> = (1..=9).flat_map(|p| ids(&search(&c, &q(p, 3)))).collect();
        assert_eq!(parts, whole);
    }
}

#[test]
fn bad_queries_are_errors_not_panics() {
    let c = travel_catalogue();
    let t = travel();
    let bad = [
        SearchQuery {
            max_travel_minutes_per_term: Some(100),
            ..Default::default()
        },
        SearchQuery {
            sort: Sort::Travel,
            ..Default::default()
        },
        SearchQuery {
            page: 0,
            ..Default::default()
        },
        SearchQuery {
            per_page: 0,
            ..Default::default()
        },
        SearchQuery {
            per_page: MAX_PER_PAGE + 1,
            ..Default::default()
        },
    ];
    for q in bad {
        let e = c.search(&q, &t).unwrap_err();
        assert!(e.is_bad_query(), "{e}");
    }
    let dup = Catalogue::build(vec![o("a", "X"), o("a", "Y")], &generate::occupation_areas());
    assert!(matches!(dup, Err(SearchError::DuplicateId(id)) if id == "a"));
    let empty = build(vec![]);
    assert!(empty.is_empty());
    assert_eq!(search(&empty, &SearchQuery::text("sjuksköterska")).total, 0);
}

#[test]
fn get_and_len() {
    let c = travel_catalogue();
    assert_eq!(c.len(), 5);
    assert_eq!(c.get("umea4").unwrap().title, "Beta");
    assert!(c.get("nope").is_none());
    assert_eq!(c.iter().count(), 5);
}

#[test]
fn deterministic_whatever_the_input_order() {
    let g = generate::generate(3000, 42);
    let mut reversed = g.offerings.clone();
    reversed.reverse();
    let a = Catalogue::build(g.offerings.clone(), &g.occupation_areas).unwrap();
    let b = Catalogue::build(reversed, &g.occupation_areas).unwrap();
    let queries = [
        SearchQuery::text("sjuksköterska"),
        SearchQuery::text("lärare umeå"),
        SearchQuery {
            home: Some(k("2422")),
            max_travel_minutes_per_term: Some(600),
            ..SearchQuery::text("socionom")
        },
        SearchQuery {
            form: Some(StudyForm::Distance),
            per_page: 200,
            ..Default::default()
        },
        SearchQuery {
            home: Some(k("2521")),
            sort: Sort::Travel,
            page: 3,
            ..Default::default()
        },
    ];
    for q in &queries {
        let ra = a.search(q, &g.travel).unwrap();
        let rb = b.search(q, &g.travel).unwrap();
        let key = |r: &kkig_search::SearchResult| -> Vec<(String, u32)> {
            r.hits
                .iter()
                .map(|h| (h.offering.id.clone(), h.score.to_bits()))
                .collect()
        };
        assert_eq!(ra.total, rb.total, "{q:?}");
        assert_eq!(key(&ra), key(&rb), "{q:?}");
        assert_eq!(key(&ra), key(&a.search(q, &g.travel).unwrap()), "{q:?}");
        assert!(ra.total > 0, "{q:?}");
    }
}

#[test]
fn a_catalogue_can_be_shared_between_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Catalogue>();
    let g = generate::generate(500, 1);
    let c = std::sync::Arc::new(Catalogue::build(g.offerings.clone(), &g.occupation_areas).unwrap());
    let expected = ids(&c.search(&SearchQuery::text("lärare"), &g.travel).unwrap());
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (c, t) = (c.clone(), g.travel.clone());
            std::thread::spawn(move || ids(&c.search(&SearchQuery::text("lärare"), &t).unwrap()))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), expected);
    }
}
