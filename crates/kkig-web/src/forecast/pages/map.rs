//! `/prognos/karta`: need per 1,000 inhabitants on a map with a legend, and the same figures
//! as a table.

use super::*;
use crate::ui::map::{LegendItem, MapSpec, MapSvg, Shade, Swatch, Town, TownKind};
use kkig_core::University;

/// Class limits of need per 1,000 inhabitants over ten years, and their fills (light → dark).
pub const MAP_CLASSES: [(f64, &str); 4] = [
    (5.0, "#e3f0ec"),
    (10.0, "#a6d1c3"),
    (20.0, "#4f9a84"),
    (f64::INFINITY, "#17594a"),
];

pub struct MapRow {
    pub code: String,
    pub name: String,
    pub population: String,
    pub need: String,
    pub per_thousand: String,
}

#[derive(Template)]
#[template(path = "forecast/map.html")]
pub struct MapPage {
    pub chrome: Chrome,
    pub demo: bool,
    pub map: MapSvg,
    pub rows: Vec<MapRow>,
    pub base_year: String,
    pub last_year: String,
}

/// (municipality, total 10-year external need, need per 1,000 inhabitants)
pub(super) fn map_rows(municipalities: &[Municipality], computed: &[Computed]) -> Vec<(Municipality, f64, f64)> {
    municipalities
        .iter()
        .filter(|m| m.role == MunicipalityRole::Participant)
        .map(|m| {
            let need: f64 = computed
                .iter()
                .filter(|c| c.input.municipality == m.code)
                .map(|c| c.forecast.totals.external_need)
                .sum();
            let per = if m.population > 0 {
                need / m.population as f64 * 1000.0
            } else {
                0.0
            };
            (m.clone(), need, per)
        })
        .collect()
}

pub(super) fn map_table(rows: &[(Municipality, f64, f64)]) -> Table {
    let mut t = Table::new(&[
        "kommunkod",
        "kommun",
        "folkmängd",
        "externt behov 10 år",
        "per 1 000 invånare",
    ]);
    for (m, need, per) in rows {
        t.push(vec![
            Cell::text(m.code.to_string()),
            Cell::text(m.name.clone()),
            Cell::Int(m.population),
            Cell::Decimal(*need, 1),
            Cell::Decimal(*per, 1),
        ]);
    }
    t
}

/// The fill of a need per 1,000 inhabitants: its class's.
fn class_fill(per: f64) -> &'static str {
    MAP_CLASSES
        .iter()
        .find(|c| per < c.0)
        .map_or(MAP_CLASSES[MAP_CLASSES.len() - 1].1, |c| c.1)
}

/// The map: the participants shaded by their need per 1,000 inhabitants, labelled with it, in
/// the frame of the region (participants and campus towns, `in_region`); the campus towns
/// marked as such.
fn map_view(
    chrome: &Chrome,
    rows: &[(Municipality, f64, f64)],
    region: &[Municipality],
    universities: &[University],
) -> MapSvg {
    let lang = chrome.lang;
    let campus: BTreeSet<Kommunkod> = universities
        .iter()
        .flat_map(|u| u.campuses.iter().map(|c| c.municipality))
        .collect();
    let kind = |code: &Kommunkod| {
        if campus.contains(code) {
            TownKind::Campus
        } else {
            TownKind::Seat
        }
    };
    let figures = rows.iter().map(|(m, _, per)| Town {
        position: m.position,
        kind: kind(&m.code),
        label: format!("{} {}", m.name, dec(lang, *per)),
    });
    let campus_towns = region
        .iter()
        .filter(|m| campus.contains(&m.code) && !rows.iter().any(|(r, _, _)| r.code == m.code))
        .map(|m| Town {
            position: m.position,
            kind: TownKind::Campus,
            label: m.name.clone(),
        });
    let mut lo = 0.0;
    let legend = MAP_CLASSES
        .iter()
        .map(|(hi, fill)| {
            let label = if hi.is_finite() {
                chrome.t2("fc-map-class", "from", &dec(lang, lo), "to", &dec(lang, *hi))
            } else {
                chrome.t1("fc-map-class-top", "from", &dec(lang, lo))
            };
            lo = *hi;
            LegendItem {
                swatch: Swatch::Fill(fill),
                label,
            }
        })
        .collect();
    crate::ui::map::draw(
        chrome,
        MapSpec {
            id: "fc-map",
            title: chrome.t("fc-map-title"),
            desc: chrome.t("fc-map-desc"),
            frame: region.iter().map(|m| m.code).collect(),
            shaded: rows
                .iter()
                .map(|(m, _, per)| Shade {
                    code: m.code,
                    fill: class_fill(*per),
                    title: format!("{}: {}", m.name, dec(lang, *per)),
                })
                .collect(),
            towns: figures.chain(campus_towns).collect(),
            legend,
            table_id: "forecast-map-table",
        },
    )
}

pub async fn map_page(State(state): State<AppState>, chrome: Chrome) -> Response {
    let key = chrome.clone();
    public_page(&state, &key, map_response(&state, chrome)).await
}

pub(super) async fn map_response(state: &AppState, chrome: Chrome) -> PageResult {
    let region = region_data(state).await.or_unavailable(&chrome)?;
    let (municipalities, computed) = (&region.municipalities, &region.computed);
    let rows = map_rows(municipalities, computed);
    let lang = chrome.lang;
    let overview = state.overview().await.or_unavailable(&chrome)?;
    let map = map_view(&chrome, &rows, &overview.municipalities, &overview.universities);
    let base_year = computed
        .iter()
        .map(|c| c.input.base_year)
        .min()
        .unwrap_or(kkig_core::forecast::product::DEMO_BASE_YEAR);
    let page = MapPage {
        demo: chrome.demo_seed.is_some(),
        map,
        rows: rows
            .iter()
            .map(|(m, need, per)| MapRow {
                code: m.code.to_string(),
                name: m.name.clone(),
                population: chrome.int(m.population),
                need: dec(lang, *need),
                per_thousand: dec(lang, *per),
            })
            .collect(),
        base_year: base_year.to_string(),
        last_year: (base_year + HORIZON as i32).to_string(),
        chrome,
    };
    Ok(render(StatusCode::OK, &page))
}

pub async fn map_export(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    match region_data(&state).await {
        Ok(r) => export_response(
            &map_table(&map_rows(&r.municipalities, &r.computed)),
            &file,
            "prognos-karta",
            "Behov per 1000",
        ),
        Err(e) => crate::http::error::ApiError::from(e).into_response(),
    }
}
