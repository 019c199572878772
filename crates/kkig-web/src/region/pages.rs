//! The HTML pages: the region's start page and one page per municipality.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use axum::extract::{Path, State};
use kkig_core::geo::haversine_km;
use kkig_core::region::OccupationArea;
use kkig_core::{Kommunkod, Municipality, MunicipalityRole, TravelModel, University};

use crate::ui;
use crate::ui::become_form::{pathway_links, BecomeForm};
use crate::ui::i18n::format_decimal;
use crate::ui::map::{LegendItem, MapSpec, MapSvg, Shade, Swatch, Town, TownKind};
use crate::ui::page::{not_found, render_public, Chrome, OrUnavailable, PageResult};
use crate::AppState;

/// The start page's fills: the participants, and the campus towns' municipalities outside the
/// collaboration.
const PARTICIPANT_FILL: &str = "#7dbca6";
const CAMPUS_FILL: &str = "#f2d49b";

/// The region on the map: its municipalities shaded by their role, seat towns and campus towns
/// marked (a campus town's mark is its municipality's seat).
fn map_view(chrome: &Chrome, municipalities: &[Municipality], universities: &[University]) -> MapSvg {
    let campus: BTreeSet<Kommunkod> = universities
        .iter()
        .flat_map(|u| u.campuses.iter().map(|c| c.municipality))
        .collect();
    let fill = |m: &Municipality| match m.role {
        MunicipalityRole::Participant => PARTICIPANT_FILL,
        _ => CAMPUS_FILL,
    };
    ui::map::draw(
        chrome,
        MapSpec {
            id: "map",
            title: chrome.t("map-title"),
            desc: chrome.t("map-desc"),
            frame: municipalities.iter().map(|m| m.code).collect(),
            shaded: municipalities
                .iter()
                .map(|m| Shade {
                    code: m.code,
                    fill: fill(m),
                    title: format!("{}: {}", m.name, chrome.t(&format!("role-{}", m.role.as_str()))),
                })
                .collect(),
            towns: municipalities
                .iter()
                .map(|m| Town {
                    position: m.position,
                    kind: if campus.contains(&m.code) {
                        TownKind::Campus
                    } else {
                        TownKind::Seat
                    },
                    label: m.name.clone(),
                })
                .collect(),
            legend: vec![
                LegendItem {
                    swatch: Swatch::Fill(PARTICIPANT_FILL),
                    label: chrome.t("map-legend-participant"),
                },
                LegendItem {
                    swatch: Swatch::Fill(CAMPUS_FILL),
                    label: chrome.t("map-legend-campus"),
                },
            ],
            table_id: "municipalities",
        },
    )
}

pub struct Row {
    pub code: String,
    pub name: String,
    pub county: String,
    pub population: String,
    pub year: i32,
    pub sites: usize,
}

pub struct UniversityRow {
    pub code: String,
    pub name: String,
    pub campuses: String,
}

pub struct TownLink {
    pub code: String,
    pub name: String,
    pub population: String,
}

#[derive(Template)]
#[template(path = "region/index.html")]
pub struct IndexPage {
    pub chrome: Chrome,
    pub count: String,
    pub total_population: String,
    pub map: MapSvg,
    pub rows: Vec<Row>,
    pub show_sites: bool,
    pub total_sites: usize,
    pub universities: Vec<UniversityRow>,
    pub campus_towns: Vec<TownLink>,
    /// "Vad vill du bli? Var bor du?"
    pub become_form: BecomeForm,
}

pub async fn index(State(state): State<AppState>, chrome: Chrome) -> PageResult {
    let overview = state.overview().await.or_unavailable(&chrome)?;
    let key = chrome.clone();
    Ok(render_public(&state, &key, || {
        let (municipalities, universities) = (&overview.municipalities, &overview.universities);
        let mut per_municipality: BTreeMap<Kommunkod, usize> = BTreeMap::new();
        for (code, _, n) in &overview.site_counts {
            *per_municipality.entry(*code).or_default() += *n as usize;
        }
        let total_sites: usize = per_municipality.values().sum();
        let participants: Vec<&Municipality> = municipalities
            .iter()
            .filter(|m| m.role == MunicipalityRole::Participant)
            .collect();
        let rows = participants
            .iter()
            .map(|m| Row {
                code: m.code.to_string(),
                name: m.name.clone(),
                county: m.county_name.clone(),
                population: chrome.int(m.population),
                year: m.population_year,
                sites: per_municipality.get(&m.code).copied().unwrap_or(0),
            })
            .collect();
        let total: i64 = participants.iter().map(|m| m.population).sum();
        let map = map_view(&chrome, municipalities, universities);
        let universities = universities
            .iter()
            .map(|u| UniversityRow {
                code: u.code.clone(),
                name: u.name.clone(),
                campuses: u
                    .campuses
                    .iter()
                    .map(|c| c.town.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect();
        let campus_towns = municipalities
            .iter()
            .filter(|m| m.role == MunicipalityRole::Campus)
            .map(|m| TownLink {
                code: m.code.to_string(),
                name: m.name.clone(),
                population: chrome.int(m.population),
            })
            .collect();
        IndexPage {
            become_form: BecomeForm::new(&chrome, &overview, None, None),
            count: participants.len().to_string(),
            total_population: chrome.int(total),
            map,
            rows,
            show_sites: total_sites > 0,
            total_sites,
            universities,
            campus_towns,
            chrome,
        }
    })
    .await)
}

pub struct ServicesView {
    pub study_places: i64,
    pub exam_sittings: String,
    pub video_rooms: i64,
    pub study_guidance: String,
}

pub struct CentreView {
    pub name: String,
    pub town: String,
    pub position_source: String,
    pub services: Option<ServicesView>,
}

pub struct CampusView {
    pub town: String,
    pub universities: String,
    pub km: String,
    pub minutes: String,
}

#[derive(Template)]
#[template(path = "region/municipality.html")]
pub struct MunicipalityPage {
    pub chrome: Chrome,
    pub m: Municipality,
    pub population: String,
    pub year: String,
    pub position: String,
    pub role: String,
    pub participant: bool,
    pub centre: Option<CentreView>,
    pub campuses: Vec<CampusView>,
    pub sites: Vec<(String, i64)>,
    /// "Bli sjuksköterska från Sorsele" and the other pathway pages from here.
    pub pathways: Vec<(String, String)>,
}

pub async fn municipality(State(state): State<AppState>, chrome: Chrome, Path(code): Path<String>) -> PageResult {
    let Ok(kod) = Kommunkod::parse(&code) else {
        let msg = chrome.t1("not-found-municipality", "code", &code);
        return Err(not_found(chrome, msg).into());
    };
    let overview = state.overview().await.or_unavailable(&chrome)?;
    let Some(m) = overview.municipality(kod).cloned() else {
        let msg = chrome.t1("not-found-municipality", "code", &code);
        return Err(not_found(chrome, msg).into());
    };
    let key = chrome.clone();
    Ok(render_public(&state, &key, || {
        let (universities, municipalities) = (&overview.universities, &overview.municipalities);
        let yes_no = |b: bool| chrome.t(if b { "yes" } else { "no" });
        let centre = overview
            .learning_centres
            .iter()
            .find(|c| c.centre.municipality == kod)
            .cloned()
            .map(|c| CentreView {
                name: c.centre.name,
                town: c.centre.town,
                position_source: if c.centre.position_source == "seat" {
                    chrome.t("position-source-seat")
                } else {
                    c.centre.position_source
                },
                services: c.services.map(|s| ServicesView {
                    study_places: s.study_places,
                    exam_sittings: yes_no(s.exam_sittings),
                    video_rooms: s.video_rooms,
                    study_guidance: yes_no(s.study_guidance),
                }),
            });

        // Campus towns by estimated travel time from the seat town (travel model of DESIGN.md).
        let model = TravelModel::default();
        let mut towns: BTreeMap<Kommunkod, (String, Vec<String>)> = BTreeMap::new();
        for u in universities {
            for c in &u.campuses {
                towns
                    .entry(c.municipality)
                    .or_insert_with(|| (c.town.clone(), Vec::new()))
                    .1
                    .push(u.code.clone());
            }
        }
        let mut campuses: Vec<(i64, f64, CampusView)> = towns
            .into_iter()
            .filter_map(|(code, (town, unis))| {
                let target = municipalities.iter().find(|x| x.code == code)?;
                let km = haversine_km(m.position, target.position);
                let minutes = model.minutes_for_km(km);
                Some((
                    minutes,
                    km,
                    CampusView {
                        town,
                        universities: unis.join(", "),
                        km: chrome.t1("km", "km", &chrome.int(km.round() as i64)),
                        minutes: chrome.t1("minutes", "minutes", &chrome.int(minutes)),
                    },
                ))
            })
            .collect();
        campuses.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));

        let sites = overview
            .site_counts
            .iter()
            .filter(|(c, _, _)| *c == kod)
            .map(|(_, kind, n)| (chrome.t(&format!("site-kind-{}", kind.as_str())), *n))
            .collect();

        let pathways = pathway_links(&chrome, OccupationArea::ALL, m.code, &m.name);
        let page = MunicipalityPage {
            pathways,
            population: chrome.int(m.population),
            year: m.population_year.to_string(),
            position: format!(
                "{}° N, {}° E",
                format_decimal(chrome.lang, m.position.lat, 4),
                format_decimal(chrome.lang, m.position.lon, 4)
            ),
            role: chrome.t(match m.role {
                MunicipalityRole::Participant => "role-participant",
                MunicipalityRole::Campus => "role-campus",
                MunicipalityRole::Other => "role-other",
            }),
            participant: m.role == MunicipalityRole::Participant,
            centre,
            campuses: campuses.into_iter().map(|(_, _, c)| c).collect(),
            sites,
            m,
            chrome,
        };
        page
    })
    .await)
}
