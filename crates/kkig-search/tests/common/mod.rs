//! Offerings and travel times shared by the search tests.

#![allow(dead_code)]

use kkig_core::catalogue::{Meetings, Offering, SchoolType, StudyForm, StudySite, TravelTimes};
use kkig_core::{Kommunkod, Ssyk};
use kkig_search::{generate, Catalogue, SearchQuery, SearchResult};

pub fn k(s: &str) -> Kommunkod {
    Kommunkod::parse(s).unwrap()
}

pub fn town(code: &str) -> StudySite {
    let name = generate::TOWNS
        .iter()
        .find(|t| t.0 == code)
        .map(|t| t.1)
        .unwrap_or("Okänd ort");
    StudySite {
        municipality: k(code),
        town: name.to_string(),
    }
}

/// A plain offering: a distance course from Umeå universitet with no meetings.
pub fn o(id: &str, title: &str) -> Offering {
    Offering {
        id: id.into(),
        education_id: format!("i.{id}"),
        provider_id: "p.umu".into(),
        provider_name: "Umeå universitet".into(),
        title: title.into(),
        code: format!("K{}", id.to_uppercase().replace('.', "")),
        school_type: SchoolType::Hs,
        level: "grundnivå".into(),
        credits: 7.5,
        credit_system: "hp".into(),
        pace_percent: 100,
        start: "2026-08-31".into(),
        end: "2027-01-17".into(),
        language: "swe".into(),
        form: StudyForm::Distance,
        sites: vec![],
        meetings: Meetings {
            per_term: 0,
            days_each: 0,
            place: None,
        },
        application_opens: None,
        application_closes: None,
        application_url: None,
        occupations: vec![],
        eligibility: String::new(),
    }
}

pub fn with(mut o: Offering, f: impl FnOnce(&mut Offering)) -> Offering {
    f(&mut o);
    o
}

pub fn ssyk(s: &str) -> Ssyk {
    Ssyk::parse(s).unwrap()
}

pub fn build(offerings: Vec<Offering>) -> Catalogue {
    Catalogue::build(offerings, &generate::occupation_areas()).unwrap()
}

pub fn travel() -> TravelTimes {
    generate::travel_times()
}

pub fn ids(r: &SearchResult) -> Vec<String> {
    r.hits.iter().map(|h| h.offering.id.clone()).collect()
}

pub fn search<'a>(c: &'a Catalogue, q: &SearchQuery) -> SearchResult<'a> {
    c.search(q, &travel()).unwrap()
}

pub fn text_ids(c: &Catalogue, text: &str) -> Vec<String> {
    ids(&search(
        c,
        &SearchQuery {
            per_page: 1000,
            ..SearchQuery::text(text)
        },
    ))
}
