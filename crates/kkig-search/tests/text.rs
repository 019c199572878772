//! Free text: Swedish stemming, å/ä/ö, typos, compounds, fields and ranking.

mod common;

use common::*;
use kkig_search::{Catalogue, SearchQuery, TIER_COMPOUND, TIER_EXACT, TIER_FUZZY};

fn catalogue() -> Catalogue {
    build(vec![
        o("s1", "Sjuksköterskeprogrammet"),
        o("s2", "Introduktion för nya sjuksköterskor"),
        with(o("s3", "Palliativ vård"), |o| {
            o.eligibility = "Legitimerad sjuksköterska.".into()
        }),
        o("s4", "Specialistsjuksköterskeprogrammet, distriktssköterska"),
        o("l1", "Ämnesdidaktik för lärare"),
        o("l2", "Lärarna och skolans värdegrund"),
        o("l3", "Lärarutbildning för yrkesverksamma"),
        o("l4", "Förskollärarprogrammet"),
        o("c1", "Socionomprogrammet"),
        o("c2", "Socialt arbete för socionomer"),
        o("h1", "Här och nu: samtida konst"),
        o("h2", "Vem har rätt? Juridik"),
        o("m1", "Matematik för lärare"),
        o("m2", "Matematisk statistik"),
        o("v1", "Vård i hemmet"),
    ])
}

fn check(c: &Catalogue, cases: &[(&str, &[&str], &[&str])]) {
    for (query, found, not_found) in cases {
        let got = text_ids(c, query);
        for id in *found {
            assert!(got.iter().any(|g| g == id), "{query:?} should find {id}; got {got:?}");
        }
        for id in *not_found {
            assert!(
                !got.iter().any(|g| g == id),
                "{query:?} should not find {id}; got {got:?}"
            );
        }
    }
}

#[test]
fn swedish_stemming() {
    let c = catalogue();
    check(
        &c,
        &[
            // Plural and singular share the stem "sjukskötersk"; the programmes contain it as a compound part.
            ("sjuksköterska", &["s1", "s2", "s3", "s4"], &["l1", "v1"]),
            ("sjuksköterskor", &["s1", "s2", "s3", "s4"], &["l1", "v1"]),
            ("SJUKSKÖTERSKA", &["s1", "s2", "s3", "s4"], &[]),
            ("Sjuksköterskeprogrammet", &["s1", "s4"], &["s2", "s3"]),
            // lärare, lärarna and läraren stem to "lär"; "lärar" is a compound part of
            // "lärarutbildning" and "förskollärarprogrammet".
            ("lärare", &["l1", "l2", "l3", "l4", "m1"], &["s1", "c1"]),
            ("läraren", &["l1", "l2", "m1"], &["s1"]),
            ("lärarna", &["l1", "l2", "m1"], &["s1"]),
            ("lärarutbildning", &["l3"], &["l1", "l2", "l4"]),
            ("socionom", &["c1", "c2"], &["s1"]),
            ("socionomer", &["c1", "c2"], &["s1"]),
            ("Socionomprogrammet", &["c1"], &["c2"]),
        ],
    );
}

#[test]
fn a_ring_a_umlaut_o_umlaut_are_letters_of_their_own() {
    let c = catalogue();
    assert_eq!(text_ids(&c, "har"), ["h2"]);
    assert_eq!(text_ids(&c, "här"), ["h1"]);
    assert_eq!(text_ids(&c, "Här"), ["h1"]);
    assert!(text_ids(&c, "vard").is_empty(), "4 letters: no fuzzy, and å is not a");
    assert_eq!(text_ids(&c, "vård"), ["s3", "v1"]);
    // A word of five letters or more without its dots is one substitution away: found, but
    // only as a fuzzy match, below every exact match.
    let r = search(&c, &SearchQuery::text("larare"));
    assert!(!r.hits.is_empty());
    for h in &r.hits {
        assert!(
            h.score >= TIER_FUZZY && h.score < TIER_COMPOUND,
            "{} {}",
            h.offering.id,
            h.score
        );
    }
}

#[test]
fn typos_one_edit_from_five_letters() {
    let c = catalogue();
    check(
        &c,
        &[
            ("sjukskoterska", &["s2", "s3"], &["l1"]), // ö → o: one substitution
            ("sjuksköterka", &["s2", "s3"], &[]),      // deletion
            ("sjukskjöterska", &["s2", "s3"], &[]),    // insertion
            ("sjuksökterska", &["s2", "s3"], &[]),     // transposition counts as one
            ("lärae", &["l1", "l2"], &[]),             // five letters, deletion
            ("socinom", &["c2"], &[]),
            ("scoionom", &["c2"], &[]),
            ("matematk", &["m1"], &[]),
        ],
    );
    // Four letters or fewer: exact only.
    for q in ["vrd", "vord", "vårf", "hör", "lärr"] {
        assert!(text_ids(&c, q).is_empty(), "{q:?} found {:?}", text_ids(&c, q));
    }
    // Two edits: not found.
    for q in ["sjukskotarska", "scoinom", "matmatk"] {
        assert!(text_ids(&c, q).is_empty(), "{q:?} found {:?}", text_ids(&c, q));
    }
}

#[test]
fn exact_matches_rank_above_compound_and_fuzzy_ones() {
    let c = catalogue();
    // "matematisk" is one edit from "matematik": after the exact match, although it is the
    // shorter title.
    let r = search(&c, &SearchQuery::text("matematik"));
    assert_eq!(ids(&r), ["m1", "m2"]);
    assert!(r.hits[0].score >= TIER_EXACT);
    assert!(r.hits[1].score < TIER_COMPOUND);

    let r = search(&c, &SearchQuery::text("sjuksköterska"));
    let (exact, rest): (Vec<_>, Vec<_>) = r.hits.iter().partition(|h| h.score >= TIER_EXACT);
    let mut exact: Vec<_> = exact.iter().map(|h| h.offering.id.as_str()).collect();
    exact.sort();
    assert_eq!(exact, ["s2", "s3"]);
    let mut rest: Vec<_> = rest.iter().map(|h| h.offering.id.as_str()).collect();
    rest.sort();
    assert_eq!(rest, ["s1", "s4"]);
    assert_eq!(
        &ids(&r)[..2]
            .iter()
            .filter(|id| id.as_str() == "s2" || id.as_str() == "s3")
            .count(),
        &2
    );
    assert!(r.hits.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn fields_searched_and_title_weighted_highest() {
    let c = build(vec![
        with(o("t1", "Geriatrik"), |o| {
            o.eligibility = "Grundläggande behörighet.".into()
        }),
        with(o("t2", "Omvårdnad"), |o| {
            o.eligibility = "Kurs i geriatrik, 7,5 hp.".into()
        }),
        with(o("code", "Kurs A"), |o| o.code = "VSJUK01".into()),
        with(o("prov", "Kurs B"), |o| {
            o.provider_name = "Luleå tekniska universitet".into()
        }),
        with(o("lvl", "Kurs C"), |o| o.level = "avancerad nivå".into()),
        with(o("town", "Kurs D"), |o| o.sites = vec![town("2422")]),
        with(o("meet", "Kurs E"), |o| o.meetings.place = Some(town("2506"))),
    ]);
    assert_eq!(text_ids(&c, "geriatrik"), ["t1", "t2"]);
    assert_eq!(text_ids(&c, "vsjuk01"), ["code"]);
    assert_eq!(text_ids(&c, "tekniska"), ["prov"]);
    assert_eq!(text_ids(&c, "avancerad"), ["lvl"]);
    assert_eq!(text_ids(&c, "behörighet"), ["t1"]);
    assert_eq!(text_ids(&c, "Sorsele"), ["town"]);
    // Only study sites are searched, not a separate meeting place.
    assert!(text_ids(&c, "Arjeplog").is_empty());
}

#[test]
fn every_word_must_match_and_function_words_are_optional() {
    let c = catalogue();
    assert_eq!(text_ids(&c, "vård hemmet"), ["v1"]);
    assert_eq!(text_ids(&c, "vård i hemmet"), ["v1"]);
    assert_eq!(text_ids(&c, "vård och hemmet"), ["v1"], "\"och\" is optional here");
    assert!(text_ids(&c, "vård statistik").is_empty());
    // A query of function words only needs them.
    let mut och = text_ids(&c, "och");
    och.sort();
    assert_eq!(och, ["h1", "l2"]);
    // A function word that matches adds a little, never a tier.
    let score = |q: &str, id: &str| {
        search(&c, &SearchQuery::text(q))
            .hits
            .iter()
            .find(|h| h.offering.id == id)
            .unwrap()
            .score
    };
    let nudge = score("lärarna och", "l2") - score("lärarna", "l2");
    assert!(nudge > 0.0 && nudge < 1.0, "{nudge}");
    assert_eq!(score("lärarna och", "l1"), score("lärarna", "l1"));
}

#[test]
fn empty_or_punctuation_text_is_no_text() {
    let c = catalogue();
    for q in ["", "   ", " ,.;!– "] {
        let r = search(&c, &SearchQuery::text(q));
        assert_eq!(r.total, c.len(), "{q:?}");
        assert!(r.hits.iter().all(|h| h.score == 0.0));
    }
}
