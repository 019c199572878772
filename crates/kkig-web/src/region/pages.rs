//! The HTML pages: the region's start page and one page per municipality.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use kkig_core::geo::haversine_km;
use kkig_core::map::project;
use kkig_core::region::OccupationArea;
use kkig_core::{Kommunkod, Municipality, MunicipalityRole, TravelModel};

use crate::ui::become_form::BecomeForm;
use crate::ui::i18n::format_decimal;
use crate::ui::page::{not_found, render_public, Chrome, OrUnavailable, PageResult};
use crate::AppState;

pub struct MapPoint {
    pub x: String,
    pub y: String,
    x_num: f64,
    y_num: f64,
    pub r: String,
    pub campus: bool,
    pub label: String,
    pub label_x: String,
    pub label_y: String,
    pub anchor: &'static str,
}

impl MapPoint {
    pub fn x_minus(&self, d: f64) -> String {
        format!("{:.1}", self.x_num - d)
    }
    pub fn y_minus(&self, d: f64) -> String {
        format!("{:.1}", self.y_num - d)
    }
}

pub struct MapView {
    pub width: String,
    pub height: String,
    pub points: Vec<MapPoint>,
}

const MAP_WIDTH: f64 = 440.0;

/// Lay out the municipalities on the map: circles with area ∝ population for participants,
/// squares for campus towns, labels beside them (to the left near the right edge).
fn map_view(municipalities: &[Municipality]) -> MapView {
    let positions: Vec<_> = municipalities.iter().map(|m| m.position).collect();
    let pr = project(&positions, MAP_WIDTH, 40.0);
    let max_pop = municipalities.iter().map(|m| m.population).max().unwrap_or(1).max(1) as f64;
    let points = municipalities
        .iter()
        .zip(&pr.points)
        .map(|(m, p)| {
            let campus = m.role == MunicipalityRole::Campus;
            let r = if campus {
                5.0
            } else {
                4.0 + 14.0 * (m.population as f64 / max_pop).sqrt()
            };
            let right_side = p.x > MAP_WIDTH * 0.72;
            let (label_x, anchor) = if right_side {
                (p.x - r - 3.0, "end")
            } else {
                (p.x + r + 3.0, "start")
            };
            MapPoint {
                x: format!("{:.1}", p.x),
                y: format!("{:.1}", p.y),
                x_num: p.x,
                y_num: p.y,
                r: format!("{r:.1}"),
                campus,
                label: m.name.clone(),
                label_x: format!("{label_x:.1}"),
                label_y: format!("{:.1}", p.y + 4.0),
                anchor,
            }
        })
        .collect();
    MapView {
        width: format!("{:.0}", pr.width),
        height: format!("{:.0}", pr.height),
        points,
    }
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
    pub map: MapView,
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
            map: map_view(municipalities),
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

        let pathways = OccupationArea::ALL
            .iter()
            .map(|a| {
                (
                    format!("/utbildning/bli/{}/{}", a.slug(), m.code),
                    chrome.t2(
                        "pathway-link",
                        "occupation",
                        &chrome.t(&format!("become-{}", a.slug())),
                        "municipality",
                        &m.name,
                    ),
                )
            })
            .collect();
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
