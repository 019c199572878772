//! The competence-supply forecast's pages (issue 7): the regional table (`/prognos`), one
//! municipality and occupation with its chart, flows, scenarios and input form
//! (`/prognos/kommun/{kod}/{ssyk}`), the map of need per 1,000 inhabitants (`/prognos/karta`),
//! clusters of municipalities (`/prognos/kluster/{id}`), and every table as CSV and XLSX.
//!
//! Everyone reads; a municipality's staff (and admin) edit its inputs; regional coordinators
//! (and admin) keep the clusters — `Principal::may` with `Target::ForecastInput` and
//! `Target::ForecastCluster`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::http::guard::{Guard, Op, Routes, Surface};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use kkig_core::access::{Action, Target};
use kkig_core::forecast::product::{
    driver_window, local_graduates_per_year, DriverSource, ForecastInput, PopulationCell, HORIZON, SHORTAGE_OCCUPATIONS,
};
use kkig_core::forecast::{forecast, Driver, Forecast, Scenario};
use kkig_core::map::project;
use kkig_core::vfu::{FieldError, VfuField};
use kkig_core::{Kommunkod, Municipality, MunicipalityRole, Occupation, Ssyk};
use kkig_formats::{Cell, Table};
use kkig_store::{Actor, ForecastCluster, Store, StoreError, UserRecord};
use serde::Deserialize;

use crate::http::auth::MaybeUser;
use crate::ui::form::Field;
use crate::ui::i18n::{format_decimal, Lang};
use crate::ui::page::signed_in;
use crate::ui::page::{forbidden, not_found, render, unavailable, Chrome};
use crate::ui::public_cache::public_page;
use crate::AppState;

pub fn routes() -> Routes {
    Routes::new(Surface::Page)
        .get("/prognos", regional_page)
        .get("/prognos/export/{file}", regional_export)
        .get("/prognos/karta", map_page)
        .get("/prognos/karta/export/{file}", map_export)
        .get("/prognos/kommun/{code}/{ssyk}", municipality_page)
        .post("/prognos/kommun/{code}/{ssyk}", Op::ForecastInputSave, save_input)
        .get("/prognos/kommun/{code}/{ssyk}/export/{file}", municipality_export)
        .post("/prognos/kluster", Op::ForecastClusterCreate, create_cluster)
        .get("/prognos/kluster/{id}", cluster_page)
        .get("/prognos/kluster/{id}/export/{file}", cluster_export)
        .post(
            "/prognos/kluster/{id}/ta-bort",
            Op::ForecastClusterDelete,
            delete_cluster,
        )
}

// ---------------------------------------------------------------------------------------------
// The computation shared by pages and API

/// One municipality and occupation: its input, where its numbers came from, and the forecast.
#[derive(Clone)]
pub struct Computed {
    pub input: ForecastInput,
    pub driver_source: DriverSource,
    /// VFU students placed in the municipality per year (mean over the registry's years).
    pub vfu_students: f64,
    /// vfu_students × completion share.
    pub graduates_per_year: f64,
    pub case: kkig_core::forecast::Case,
    pub forecast: Forecast,
}

/// Everything the forecast views read, loaded once per request.
pub struct Data {
    pub inputs: Vec<ForecastInput>,
    pub cells: HashMap<Kommunkod, Vec<PopulationCell>>,
    pub students: Vec<(Kommunkod, VfuField, i32, u32)>,
}

impl Data {
    pub async fn load(store: &dyn Store, municipality: Option<Kommunkod>) -> Result<Data, StoreError> {
        let inputs = store.forecast_inputs(municipality).await?;
        let mut cells: HashMap<Kommunkod, Vec<PopulationCell>> = HashMap::new();
        for (m, c) in store.population_cells(municipality).await? {
            cells.entry(m).or_default().push(c);
        }
        let students = store.vfu_students_per_year(municipality).await?;
        Ok(Data {
            inputs,
            cells,
            students,
        })
    }

    pub fn compute(&self, input: &ForecastInput) -> Computed {
        let cells = self.cells.get(&input.municipality).map(Vec::as_slice).unwrap_or(&[]);
        let (driver, driver_source) = driver_window(cells, Driver::for_ssyk(input.ssyk), input.base_year, HORIZON);
        let students: Vec<(VfuField, i32, u32)> = self
            .students
            .iter()
            .filter(|s| s.0 == input.municipality)
            .map(|s| (s.1, s.2, s.3))
            .collect();
        let (vfu_students, graduates_per_year) =
            local_graduates_per_year(&students, input.ssyk, input.completion_share);
        let case = input.case(driver, graduates_per_year);
        // A stored input is valid and the driver positive, so the engine accepts the case; an
        // empty forecast stands in should it ever not.
        let forecast = forecast(&case).unwrap_or(Forecast {
            years: Vec::new(),
            totals: Default::default(),
        });
        Computed {
            input: input.clone(),
            driver_source,
            vfu_students,
            graduates_per_year,
            case,
            forecast,
        }
    }

    pub fn all(&self) -> Vec<Computed> {
        self.inputs.iter().map(|i| self.compute(i)).collect()
    }
}

/// The occupations in forecast order: the shortage occupations first, then any other by code.
pub fn occupation_order(ssyks: impl IntoIterator<Item = Ssyk>) -> Vec<Ssyk> {
    let set: BTreeSet<Ssyk> = ssyks.into_iter().collect();
    let rank = |s: &Ssyk| {
        SHORTAGE_OCCUPATIONS
            .iter()
            .position(|c| c.to_string() == s.to_string())
            .unwrap_or(usize::MAX)
    };
    let mut v: Vec<Ssyk> = set.into_iter().collect();
    v.sort_by_key(|s| (rank(s), *s));
    v
}

/// The scenarios shown side by side: "+N local VFU students a year", retirement age 67, exit
/// rate − 1 percentage point. N students are N × completion share more graduates.
pub fn scenarios(extra_students: f64, completion_share: f64) -> [(&'static str, Scenario); 3] {
    [
        (
            "extra",
            Scenario::ExtraLocalGraduates {
                per_year: extra_students * completion_share,
            },
        ),
        ("retire67", Scenario::RetirementAge { age: 67 }),
        (
            "exit-1",
            Scenario::ExitRateChange {
                percentage_points: -1.0,
            },
        ),
    ]
}

fn name_of(occupations: &[Occupation], ssyk: Ssyk) -> String {
    occupations
        .iter()
        .find(|o| o.ssyk == ssyk)
        .map(|o| o.name.clone())
        .unwrap_or_else(|| ssyk.to_string())
}

fn dec(lang: Lang, x: f64) -> String {
    // One decimal; −0,0 reads as 0,0.
    let x = if (x * 10.0).round() == 0.0 { 0.0 } else { x };
    format_decimal(lang, x, 1)
}

// ---------------------------------------------------------------------------------------------
// Exports

fn export_response(table: &Table, file: &str, stem: &str, sheet: &str) -> Response {
    if file == format!("{stem}.csv") {
        (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{stem}.csv\""),
                ),
            ],
            table.to_swedish_csv(),
        )
            .into_response()
    } else if file == format!("{stem}.xlsx") {
        match table.to_xlsx(sheet) {
            Ok(bytes) => (
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{stem}.xlsx\""),
                    ),
                ],
                bytes,
            )
                .into_response(),
            Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        }
    } else {
        (
            StatusCode::NOT_FOUND,
            format!("no export {file:?}: use {stem}.csv or {stem}.xlsx"),
        )
            .into_response()
    }
}

fn flows_table(f: &Forecast) -> Table {
    let mut t = Table::new(&[
        "år",
        "efterfrågan",
        "pensioneringar",
        "övriga avgångar",
        "kvar",
        "rekryteringsbehov",
        "lokalt utbud",
        "lokalt bidrag",
        "externt behov",
        "personal",
    ]);
    for y in &f.years {
        let mut row = vec![Cell::Int(i64::from(y.year))];
        row.extend(y.values()[1..].iter().map(|v| Cell::Decimal(*v, 1)));
        t.push(row);
    }
    t
}

// ---------------------------------------------------------------------------------------------
// /prognos — the regional table

pub struct NeedCell {
    pub href: String,
    pub value: String,
}

pub struct RegionRow {
    pub code: String,
    pub name: String,
    pub cells: Vec<Option<NeedCell>>,
    pub total: String,
}

pub struct OccupationHead {
    pub ssyk: String,
    pub name: String,
}

pub struct ClusterLink {
    pub id: String,
    pub name: String,
    pub members: String,
}

pub struct Choice {
    pub code: String,
    pub name: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "forecast/region.html")]
pub struct RegionPage {
    pub chrome: Chrome,
    pub demo: bool,
    pub base_year: String,
    pub last_year: String,
    pub occupations: Vec<OccupationHead>,
    pub rows: Vec<RegionRow>,
    pub totals: Vec<String>,
    pub grand_total: String,
    pub clusters: Vec<ClusterLink>,
    pub may_create_cluster: bool,
    pub choices: Vec<Choice>,
    pub cluster_name: String,
    pub errors: Vec<(String, String)>,
}

impl RegionPage {
    pub fn error_for(&self, field: &str) -> Option<String> {
        self.errors.iter().find(|e| e.0 == field).map(|e| e.1.clone())
    }
}

/// The participants, each with the 10-year external need per occupation.
struct Grid {
    occupations: Vec<Ssyk>,
    rows: Vec<(Municipality, Vec<Option<f64>>)>,
    base_year: i32,
}

fn grid(municipalities: &[Municipality], computed: &[Computed], only: Option<&BTreeSet<Kommunkod>>) -> Grid {
    let occupations = occupation_order(computed.iter().map(|c| c.input.ssyk));
    let rows = municipalities
        .iter()
        .filter(|m| m.role == MunicipalityRole::Participant || computed.iter().any(|c| c.input.municipality == m.code))
        .filter(|m| only.is_none_or(|o| o.contains(&m.code)))
        .map(|m| {
            let needs = occupations
                .iter()
                .map(|s| {
                    computed
                        .iter()
                        .find(|c| c.input.municipality == m.code && c.input.ssyk == *s)
                        .map(|c| c.forecast.totals.external_need)
                })
                .collect();
            (m.clone(), needs)
        })
        .collect();
    let base_year = computed
        .iter()
        .map(|c| c.input.base_year)
        .min()
        .unwrap_or(kkig_core::forecast::product::DEMO_BASE_YEAR);
    Grid {
        occupations,
        rows,
        base_year,
    }
}

fn grid_table(g: &Grid, occupations: &[Occupation]) -> Table {
    let mut headers = vec!["kommunkod".to_string(), "kommun".to_string()];
    headers.extend(
        g.occupations
            .iter()
            .map(|s| format!("{s} {} externt behov", name_of(occupations, *s))),
    );
    headers.push("summa externt behov".into());
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut t = Table::new(&refs);
    for (m, needs) in &g.rows {
        let mut row = vec![Cell::text(m.code.to_string()), Cell::text(m.name.clone())];
        row.extend(
            needs
                .iter()
                .map(|n| n.map(|x| Cell::Decimal(x, 1)).unwrap_or(Cell::Empty)),
        );
        row.push(Cell::Decimal(needs.iter().flatten().sum(), 1));
        t.push(row);
    }
    t
}

fn grid_view(
    chrome: &Chrome,
    g: &Grid,
    occupations: &[Occupation],
) -> (Vec<OccupationHead>, Vec<RegionRow>, Vec<String>, String) {
    let lang = chrome.lang;
    let heads = g
        .occupations
        .iter()
        .map(|s| OccupationHead {
            ssyk: s.to_string(),
            name: name_of(occupations, *s),
        })
        .collect();
    let rows = g
        .rows
        .iter()
        .map(|(m, needs)| RegionRow {
            code: m.code.to_string(),
            name: m.name.clone(),
            cells: needs
                .iter()
                .zip(&g.occupations)
                .map(|(n, s)| {
                    n.map(|x| NeedCell {
                        href: format!("/prognos/kommun/{}/{s}", m.code),
                        value: dec(lang, x),
                    })
                })
                .collect(),
            total: dec(lang, needs.iter().flatten().sum()),
        })
        .collect();
    let totals: Vec<String> = (0..g.occupations.len())
        .map(|i| dec(lang, g.rows.iter().filter_map(|r| r.1[i]).sum()))
        .collect();
    let grand = dec(lang, g.rows.iter().flat_map(|r| r.1.iter().flatten()).sum());
    (heads, rows, totals, grand)
}

/// The whole region's forecasts and what the regional views show with them.
pub struct Region {
    pub municipalities: Vec<Municipality>,
    pub occupations: Vec<Occupation>,
    pub computed: Vec<Computed>,
    pub clusters: Vec<ForecastCluster>,
}

/// The regional forecast, computed once per data version ([`crate::ui::public_cache`]).
async fn region_data(state: &AppState) -> Result<Arc<Region>, StoreError> {
    state
        .public_value("forecast:region", || async {
            let store = state.store.as_ref();
            let data = Data::load(store, None).await?;
            Ok(Region {
                municipalities: store.municipalities().await?,
                occupations: store.occupations().await?,
                computed: data.all(),
                clusters: store.forecast_clusters().await?,
            })
        })
        .await
}

fn user_may(me: &MaybeUser, action: Action, target: &Target<'_>) -> bool {
    me.0.as_ref().is_some_and(|(u, _)| u.principal().may(action, target))
}

async fn region_response(
    state: &AppState,
    chrome: Chrome,
    me: &MaybeUser,
    status: StatusCode,
    cluster_name: String,
    checked: BTreeSet<String>,
    errors: Vec<(String, String)>,
) -> Response {
    let region = match region_data(state).await {
        Ok(v) => v,
        Err(e) => return unavailable(chrome, &e),
    };
    let Region {
        municipalities,
        occupations,
        computed: _,
        clusters,
    } = region.as_ref();
    let g = grid(municipalities, &region.computed, None);
    let (occ, rows, totals, grand_total) = grid_view(&chrome, &g, occupations);
    let names: HashMap<Kommunkod, String> = municipalities.iter().map(|m| (m.code, m.name.clone())).collect();
    let page = RegionPage {
        demo: chrome.demo_seed.is_some(),
        base_year: g.base_year.to_string(),
        last_year: (g.base_year + HORIZON as i32).to_string(),
        occupations: occ,
        rows,
        totals,
        grand_total,
        clusters: clusters
            .iter()
            .map(|c| ClusterLink {
                id: c.id.clone(),
                name: c.name.clone(),
                members: c
                    .members
                    .iter()
                    .map(|m| names.get(m).cloned().unwrap_or_else(|| m.to_string()))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
        may_create_cluster: user_may(me, Action::Write, &Target::ForecastCluster),
        choices: g
            .rows
            .iter()
            .map(|(m, _)| Choice {
                code: m.code.to_string(),
                name: m.name.clone(),
                checked: checked.contains(&m.code.to_string()),
            })
            .collect(),
        cluster_name,
        errors,
        chrome,
    };
    render(status, &page)
}

pub async fn regional_page(State(state): State<AppState>, chrome: Chrome, me: MaybeUser) -> Response {
    let key = chrome.clone();
    public_page(
        &state,
        &key,
        region_response(
            &state,
            chrome,
            &me,
            StatusCode::OK,
            String::new(),
            BTreeSet::new(),
            Vec::new(),
        ),
    )
    .await
}

pub async fn regional_export(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    match region_data(&state).await {
        Ok(r) => export_response(
            &grid_table(&grid(&r.municipalities, &r.computed, None), &r.occupations),
            &file,
            "prognos-regionen",
            "Prognos",
        ),
        Err(e) => crate::http::error::ApiError::from(e).into_response(),
    }
}

// ---------------------------------------------------------------------------------------------
// Clusters

/// The cluster form: a name and municipalities (checkboxes, repeated `members`).
pub async fn create_cluster(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let user = match signed_in(&chrome, me.clone()) {
        Ok(u) => u,
        Err(r) => return r,
    };
    if !guard.allows(&user.principal(), &Target::ForecastCluster) {
        return forbidden(chrome);
    }
    let mut name = String::new();
    let mut members = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "name" => name = v,
            "members" => members.push(v),
            _ => {}
        }
    }
    let codes: Vec<Kommunkod> = members.iter().filter_map(|m| Kommunkod::parse(m).ok()).collect();
    let checked: BTreeSet<String> = members.iter().cloned().collect();
    let result = state
        .store
        .create_forecast_cluster(&name, &codes, &Actor::user(&user.id))
        .await;
    match result {
        Ok(c) => Redirect::to(&format!("/prognos/kluster/{}?lang={}", c.id, chrome.lang_code())).into_response(),
        Err(StoreError::Fields(errors)) => {
            let errors = errors
                .into_iter()
                .map(|e| {
                    let key = if e.field == "name" {
                        "fc-error-cluster-name"
                    } else {
                        "fc-error-cluster-members"
                    };
                    (e.field.clone(), chrome.t(key))
                })
                .collect();
            region_response(
                &state,
                chrome,
                &me,
                StatusCode::UNPROCESSABLE_ENTITY,
                name,
                checked,
                errors,
            )
            .await
        }
        Err(StoreError::Conflict(_)) => {
            let errors = vec![("name".to_string(), chrome.t("fc-error-cluster-taken"))];
            region_response(
                &state,
                chrome,
                &me,
                StatusCode::UNPROCESSABLE_ENTITY,
                name,
                checked,
                errors,
            )
            .await
        }
        Err(e) => unavailable(chrome, &e),
    }
}

pub async fn delete_cluster(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
) -> Response {
    let user = match signed_in(&chrome, me) {
        Ok(u) => u,
        Err(r) => return r,
    };
    if !guard.allows(&user.principal(), &Target::ForecastCluster) {
        return forbidden(chrome);
    }
    match state.store.delete_forecast_cluster(&id, &Actor::user(&user.id)).await {
        Ok(true) => Redirect::to(&format!("/prognos?lang={}", chrome.lang_code())).into_response(),
        Ok(false) => not_found(
            chrome.clone(),
            chrome.t1("not-found-text", "path", &chrome.display_path()),
        ),
        Err(e) => unavailable(chrome, &e),
    }
}

pub struct YearRow {
    pub year: String,
    pub values: Vec<String>,
}

#[derive(Template)]
#[template(path = "forecast/cluster.html")]
pub struct ClusterPage {
    pub chrome: Chrome,
    pub demo: bool,
    pub id: String,
    pub name: String,
    pub base_year: String,
    pub last_year: String,
    pub occupations: Vec<OccupationHead>,
    pub rows: Vec<RegionRow>,
    pub totals: Vec<String>,
    pub grand_total: String,
    /// Summed external need per year (rows) and occupation (columns).
    pub years: Vec<YearRow>,
    pub may_delete: bool,
}

/// A cluster, its grid and its summed forecasts per occupation (None: no such cluster).
type ClusterData = Option<(ForecastCluster, Grid, Vec<Occupation>, Vec<(Ssyk, Forecast)>)>;

/// A cluster's sums, computed once per data version ([`crate::ui::public_cache`]).
async fn cluster_data(state: &AppState, id: &str) -> Result<Arc<ClusterData>, StoreError> {
    state
        .public_value(&format!("forecast:cluster:{id}"), || cluster_sums(state, id))
        .await
}

async fn cluster_sums(state: &AppState, id: &str) -> Result<ClusterData, StoreError> {
    let Some(cluster) = state.store.forecast_cluster(id).await? else {
        return Ok(None);
    };
    let region = region_data(state).await?;
    let members: BTreeSet<Kommunkod> = cluster.members.iter().copied().collect();
    let mine: Vec<Computed> = region
        .computed
        .iter()
        .filter(|c| members.contains(&c.input.municipality))
        .cloned()
        .collect();
    let g = grid(&region.municipalities, &mine, Some(&members));
    let sums = g
        .occupations
        .iter()
        .filter_map(|s| {
            let fs: Vec<Forecast> = mine
                .iter()
                .filter(|c| c.input.ssyk == *s)
                .map(|c| c.forecast.clone())
                .collect();
            Forecast::sum(&fs).map(|f| (*s, f))
        })
        .collect();
    Ok(Some((cluster, g, region.occupations.clone(), sums)))
}

fn cluster_years_table(sums: &[(Ssyk, Forecast)], occupations: &[Occupation]) -> Table {
    let mut headers = vec!["år".to_string()];
    headers.extend(
        sums.iter()
            .map(|(s, _)| format!("{s} {} externt behov", name_of(occupations, *s))),
    );
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut t = Table::new(&refs);
    if let Some((_, first)) = sums.first() {
        for (i, y) in first.years.iter().enumerate() {
            let mut row = vec![Cell::Int(i64::from(y.year))];
            row.extend(sums.iter().map(|(_, f)| {
                f.years
                    .get(i)
                    .map(|y| Cell::Decimal(y.external_need, 1))
                    .unwrap_or(Cell::Empty)
            }));
            t.push(row);
        }
    }
    t
}

pub async fn cluster_page(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(id): Path<String>,
) -> Response {
    let key = chrome.clone();
    public_page(&state, &key, cluster_response(&state, chrome, &me, &id)).await
}

async fn cluster_response(state: &AppState, chrome: Chrome, me: &MaybeUser, id: &str) -> Response {
    let data = match cluster_data(state, id).await {
        Ok(v) => v,
        Err(e) => return unavailable(chrome, &e),
    };
    let Some((cluster, g, occupations, sums)) = data.as_ref() else {
        return not_found(
            chrome.clone(),
            chrome.t1("not-found-text", "path", &chrome.display_path()),
        );
    };
    let (occ, rows, totals, grand_total) = grid_view(&chrome, g, occupations);
    let lang = chrome.lang;
    let years = sums
        .first()
        .map(|(_, first)| {
            first
                .years
                .iter()
                .enumerate()
                .map(|(i, y)| YearRow {
                    year: y.year.to_string(),
                    values: sums
                        .iter()
                        .map(|(_, f)| f.years.get(i).map(|y| dec(lang, y.external_need)).unwrap_or_default())
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    let page = ClusterPage {
        demo: chrome.demo_seed.is_some(),
        id: cluster.id.clone(),
        name: cluster.name.clone(),
        base_year: g.base_year.to_string(),
        last_year: (g.base_year + HORIZON as i32).to_string(),
        occupations: occ,
        rows,
        totals,
        grand_total,
        years,
        may_delete: user_may(me, Action::Write, &Target::ForecastCluster),
        chrome,
    };
    render(StatusCode::OK, &page)
}

pub async fn cluster_export(State(state): State<AppState>, Path((id, file)): Path<(String, String)>) -> Response {
    let data = match cluster_data(&state, &id).await {
        Ok(v) => v,
        Err(e) => return crate::http::error::ApiError::from(e).into_response(),
    };
    match data.as_ref() {
        Some((_, g, occupations, sums)) => {
            if file.starts_with("kluster-per-ar") {
                export_response(
                    &cluster_years_table(sums, occupations),
                    &file,
                    "kluster-per-ar",
                    "Per år",
                )
            } else {
                export_response(&grid_table(g, occupations), &file, "kluster", "Kluster")
            }
        }
        None => (StatusCode::NOT_FOUND, format!("no cluster {id}")).into_response(),
    }
}

// ---------------------------------------------------------------------------------------------
// /prognos/karta — need per 1,000 inhabitants

/// Class limits of need per 1,000 inhabitants over ten years, and their fills (light → dark).
pub const MAP_CLASSES: [(f64, &str); 4] = [
    (5.0, "#e3f0ec"),
    (10.0, "#a6d1c3"),
    (20.0, "#4f9a84"),
    (f64::INFINITY, "#17594a"),
];

pub struct MapDot {
    pub x: String,
    pub y: String,
    pub fill: String,
    pub label: String,
    pub label_x: String,
    pub label_y: String,
    pub anchor: &'static str,
    pub value: String,
}

pub struct LegendItem {
    pub fill: String,
    pub label: String,
}

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
    pub width: String,
    pub height: String,
    pub dots: Vec<MapDot>,
    pub legend: Vec<LegendItem>,
    pub rows: Vec<MapRow>,
    pub base_year: String,
    pub last_year: String,
}

/// (municipality, total 10-year external need, need per 1,000 inhabitants)
fn map_rows(municipalities: &[Municipality], computed: &[Computed]) -> Vec<(Municipality, f64, f64)> {
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

fn map_table(rows: &[(Municipality, f64, f64)]) -> Table {
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

pub async fn map_page(State(state): State<AppState>, chrome: Chrome) -> Response {
    let key = chrome.clone();
    public_page(&state, &key, map_response(&state, chrome)).await
}

async fn map_response(state: &AppState, chrome: Chrome) -> Response {
    let region = match region_data(state).await {
        Ok(v) => v,
        Err(e) => return unavailable(chrome, &e),
    };
    let (municipalities, computed) = (&region.municipalities, &region.computed);
    let rows = map_rows(municipalities, computed);
    let lang = chrome.lang;
    let positions: Vec<_> = rows.iter().map(|r| r.0.position).collect();
    let width = 440.0;
    let pr = project(&positions, width, 40.0);
    let dots = rows
        .iter()
        .zip(&pr.points)
        .map(|((m, _, per), p)| {
            let fill = MAP_CLASSES
                .iter()
                .find(|c| *per < c.0)
                .map(|c| c.1)
                .unwrap_or(MAP_CLASSES[3].1);
            let right = p.x > width * 0.72;
            let (lx, anchor) = if right {
                (p.x - 13.0, "end")
            } else {
                (p.x + 13.0, "start")
            };
            MapDot {
                x: format!("{:.1}", p.x),
                y: format!("{:.1}", p.y),
                fill: fill.to_string(),
                label: m.name.clone(),
                label_x: format!("{lx:.1}"),
                label_y: format!("{:.1}", p.y + 4.0),
                anchor,
                value: dec(lang, *per),
            }
        })
        .collect();
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
                fill: fill.to_string(),
                label,
            }
        })
        .collect();
    let base_year = computed
        .iter()
        .map(|c| c.input.base_year)
        .min()
        .unwrap_or(kkig_core::forecast::product::DEMO_BASE_YEAR);
    let page = MapPage {
        demo: chrome.demo_seed.is_some(),
        width: format!("{:.0}", pr.width),
        height: format!("{:.0}", pr.height),
        dots,
        legend,
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
    render(StatusCode::OK, &page)
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

// ---------------------------------------------------------------------------------------------
// /prognos/kommun/{kod}/{ssyk}

pub struct FlowRow {
    pub year: String,
    pub demand: String,
    pub retirements: String,
    pub exits: String,
    pub remaining: String,
    pub need: String,
    pub local_supply: String,
    pub local_contribution: String,
    pub external_need: String,
    pub staff: String,
}

pub struct ScenarioColumn {
    pub label: String,
    pub need: String,
    pub local_contribution: String,
    pub external_need: String,
    pub final_staff: String,
}

pub struct Chart {
    pub width: u32,
    pub height: u32,
    pub demand_points: String,
    pub remaining_points: String,
    pub bars: Vec<(String, String, String, String)>,
    pub y_ticks: Vec<(String, String)>,
    pub x_ticks: Vec<(String, String)>,
    pub plot_left: u32,
    pub plot_bottom: u32,
    pub plot_right: u32,
}

#[derive(Default, Clone)]
pub struct InputForm {
    pub base_year: String,
    pub staff: String,
    pub vacancies: String,
    pub completion_share: String,
    pub retirement_age: String,
    pub exit_rate: String,
    pub entry_age: String,
    pub retention: String,
}

#[derive(Template)]
#[template(path = "forecast/municipality.html")]
pub struct MunicipalityPage {
    pub chrome: Chrome,
    pub demo: bool,
    pub code: String,
    pub municipality: String,
    pub ssyk: String,
    pub occupation: String,
    pub has_input: bool,
    pub driver: String,
    pub driver_note: String,
    pub base_year: String,
    pub start_staff: String,
    pub vacancies: String,
    pub graduates_text: String,
    /// Kolada key figures of the municipality (total over genders): KPI, period, value.
    pub kolada: Vec<(String, String, String)>,
    pub total_need: String,
    pub total_external: String,
    pub chart: Chart,
    pub chart_desc: String,
    pub flows: Vec<FlowRow>,
    pub extra: String,
    /// Why the typed number of extra students was not used (the default 2 is shown instead).
    pub extra_error: Option<String>,
    pub scenarios: Vec<ScenarioColumn>,
    pub may_edit: bool,
    pub form: InputForm,
    pub errors: Vec<(String, String)>,
    pub saved: bool,
}

impl MunicipalityPage {
    pub fn error_for(&self, field: &str) -> Option<String> {
        self.errors.iter().find(|e| e.0 == field).map(|e| e.1.clone())
    }

    pub fn fields(&self) -> Vec<Field> {
        let f = &self.form;
        let spec: [(&'static str, &String, bool, &'static str); 8] = [
            ("staff", &f.staff, true, "text"),
            ("vacancies", &f.vacancies, false, "decimal"),
            ("completion_share", &f.completion_share, false, "decimal"),
            ("base_year", &f.base_year, false, "numeric"),
            ("retirement_age", &f.retirement_age, false, "numeric"),
            ("exit_rate", &f.exit_rate, false, "decimal"),
            ("entry_age", &f.entry_age, false, "numeric"),
            ("retention", &f.retention, false, "decimal"),
        ];
        spec.into_iter()
            .map(|(name, value, textarea, inputmode)| {
                let key = label_key(name);
                let kind = if textarea { "textarea" } else { "text" };
                let mut field = Field::new("", name, self.chrome.t(key), kind, value)
                    .hint(self.chrome.t(&format!("{key}-hint")))
                    .inputmode(inputmode);
                field.error = self.error_for(name);
                field
            })
            .collect()
    }
}

fn chart(f: &Forecast, lang: Lang) -> Chart {
    let (w, h) = (640u32, 300u32);
    let (left, right, top, bottom) = (56.0, 624.0, 16.0, 260.0);
    let max = f
        .years
        .iter()
        .flat_map(|y| [y.demand, y.staff, y.remaining, y.external_need])
        .fold(f.totals.start_demand, f64::max)
        .max(1.0);
    let step = nice_step(max / 4.0);
    let top_value = (max / step).ceil() * step;
    let n = f.years.len().max(1) as f64;
    let x = |i: usize| left + (right - left) * (i as f64 + 0.5) / n;
    let y = |v: f64| bottom - (bottom - top) * v / top_value;
    let pts = |get: &dyn Fn(&kkig_core::forecast::YearFlow) -> f64| {
        f.years
            .iter()
            .enumerate()
            .map(|(i, yf)| format!("{:.1},{:.1}", x(i), y(get(yf))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let bar_w = ((right - left) / n * 0.5).max(2.0);
    let bars = f
        .years
        .iter()
        .enumerate()
        .map(|(i, yf)| {
            let top_y = y(yf.external_need);
            (
                format!("{:.1}", x(i) - bar_w / 2.0),
                format!("{top_y:.1}"),
                format!("{bar_w:.1}"),
                format!("{:.1}", bottom - top_y),
            )
        })
        .collect();
    let mut y_ticks = Vec::new();
    let mut v = 0.0;
    while v <= top_value + 1e-9 {
        y_ticks.push((
            format!("{:.1}", y(v)),
            format_decimal(lang, v, if step < 1.0 { 1 } else { 0 }),
        ));
        v += step;
    }
    let x_ticks = f
        .years
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(i, yf)| (format!("{:.1}", x(i)), yf.year.to_string()))
        .collect();
    Chart {
        width: w,
        height: h,
        demand_points: pts(&|yf| yf.demand),
        remaining_points: pts(&|yf| yf.remaining),
        bars,
        y_ticks,
        x_ticks,
        plot_left: left as u32,
        plot_bottom: bottom as u32,
        plot_right: right as u32,
    }
}

fn nice_step(raw: f64) -> f64 {
    let p = 10f64.powf(raw.max(1e-9).log10().floor());
    let m = raw / p;
    let nice = if m <= 1.0 {
        1.0
    } else if m <= 2.0 {
        2.0
    } else if m <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * p
}

fn form_of(input: &ForecastInput, lang: Lang) -> InputForm {
    let num = |x: f64| {
        let s = if x.fract() == 0.0 {
            format!("{x:.0}")
        } else {
            format!("{x}")
        };
        if lang == Lang::Sv {
            s.replace('.', ",")
        } else {
            s
        }
    };
    InputForm {
        base_year: input.base_year.to_string(),
        staff: input
            .staff_by_age
            .iter()
            .map(|(a, n)| format!("{a};{}", num(*n)))
            .collect::<Vec<_>>()
            .join("\n"),
        vacancies: num(input.vacancies),
        completion_share: num(input.completion_share),
        retirement_age: input.retirement_age.to_string(),
        exit_rate: num(input.exit_rate),
        entry_age: input.entry_age.to_string(),
        retention: num(input.retention),
    }
}

#[derive(Deserialize, Default)]
pub struct ExtraQuery {
    pub extra: Option<String>,
    pub saved: Option<String>,
}

async fn municipality_context(
    state: &AppState,
    code: &str,
    ssyk: &str,
) -> Result<Option<(Municipality, Ssyk, String, Data)>, StoreError> {
    let (Ok(kod), Ok(parsed)) = (Kommunkod::parse(code), Ssyk::parse(ssyk)) else {
        return Ok(None);
    };
    // One address per page: no spaces or other spellings of the codes.
    if code != kod.to_string() || ssyk != parsed.to_string() {
        return Ok(None);
    }
    let ssyk = parsed;
    let Some(m) = state.store.municipality(kod).await? else {
        return Ok(None);
    };
    let occupations = state.store.occupations().await?;
    let Some(occ) = occupations.iter().find(|o| o.ssyk == ssyk) else {
        return Ok(None);
    };
    let data = Data::load(state.store.as_ref(), Some(kod)).await?;
    Ok(Some((m, ssyk, occ.name.clone(), data)))
}

#[allow(clippy::too_many_arguments)]
fn municipality_view(
    chrome: Chrome,
    m: &Municipality,
    ssyk: Ssyk,
    occupation: String,
    data: &Data,
    extra: f64,
    may_edit: bool,
    form: Option<InputForm>,
    errors: Vec<(String, String)>,
    saved: bool,
) -> MunicipalityPage {
    let lang = chrome.lang;
    let stored = data
        .inputs
        .iter()
        .find(|i| i.municipality == m.code && i.ssyk == ssyk)
        .cloned();
    let has_input = stored.is_some();
    let input =
        stored.unwrap_or_else(|| ForecastInput::new(m.code, ssyk, kkig_core::forecast::product::DEMO_BASE_YEAR));
    let c = data.compute(&input);
    let f = &c.forecast;
    let flows = f
        .years
        .iter()
        .map(|y| FlowRow {
            year: y.year.to_string(),
            demand: dec(lang, y.demand),
            retirements: dec(lang, y.retirements),
            exits: dec(lang, y.exits),
            remaining: dec(lang, y.remaining),
            need: dec(lang, y.need),
            local_supply: dec(lang, y.local_supply),
            local_contribution: dec(lang, y.local_contribution),
            external_need: dec(lang, y.external_need),
            staff: dec(lang, y.staff),
        })
        .collect();
    let mut scenario_cols = vec![ScenarioColumn {
        label: chrome.t("fc-scenario-base"),
        need: dec(lang, f.totals.need),
        local_contribution: dec(lang, f.totals.local_contribution),
        external_need: dec(lang, f.totals.external_need),
        final_staff: dec(lang, f.totals.final_staff),
    }];
    for (key, s) in scenarios(extra, input.completion_share) {
        let Ok(sf) = forecast(&s.apply(&c.case)) else { continue };
        let label = match key {
            "extra" => chrome.t1(
                "fc-scenario-extra",
                "n",
                &format_decimal(lang, extra, if extra.fract() == 0.0 { 0 } else { 1 }),
            ),
            "retire67" => chrome.t("fc-scenario-retire67"),
            _ => chrome.t("fc-scenario-exit"),
        };
        scenario_cols.push(ScenarioColumn {
            label,
            need: dec(lang, sf.totals.need),
            local_contribution: dec(lang, sf.totals.local_contribution),
            external_need: dec(lang, sf.totals.external_need),
            final_staff: dec(lang, sf.totals.final_staff),
        });
    }
    let driver = match Driver::for_ssyk(ssyk) {
        Driver::Total => chrome.t("fc-driver-total"),
        Driver::Ages { from, to: Some(to) } => {
            chrome.t2("fc-driver-ages", "from", &from.to_string(), "to", &to.to_string())
        }
        Driver::Ages { from, to: None } => chrome.t1("fc-driver-older", "from", &from.to_string()),
    };
    let driver_note = match c.driver_source {
        DriverSource::Population => chrome.t("fc-driver-population"),
        DriverSource::PopulationHeld => chrome.t("fc-driver-held"),
        DriverSource::Flat => chrome.t("fc-driver-flat"),
    };
    let first = f.years.first();
    let last = f.years.last();
    let chart_desc = match (first, last) {
        (Some(a), Some(b)) => chrome.i18n_args(
            "fc-chart-desc",
            &[
                ("from", a.year.to_string()),
                ("to", b.year.to_string()),
                ("demand0", dec(lang, a.demand)),
                ("demand1", dec(lang, b.demand)),
                ("remaining1", dec(lang, b.remaining)),
                ("external", dec(lang, f.totals.external_need)),
            ],
        ),
        _ => String::new(),
    };
    MunicipalityPage {
        demo: chrome.demo_seed.is_some(),
        code: m.code.to_string(),
        municipality: m.name.clone(),
        ssyk: ssyk.to_string(),
        occupation,
        has_input,
        driver,
        driver_note,
        base_year: input.base_year.to_string(),
        start_staff: dec(lang, f.totals.start_staff),
        vacancies: dec(lang, input.vacancies),
        kolada: Vec::new(),
        graduates_text: chrome.i18n_args(
            "fc-graduates-explain",
            &[
                ("students", dec(lang, c.vfu_students)),
                ("share", format_decimal(lang, input.completion_share, 2)),
                ("graduates", dec(lang, c.graduates_per_year)),
                ("retention", format_decimal(lang, input.retention, 2)),
            ],
        ),
        total_need: dec(lang, f.totals.need),
        total_external: dec(lang, f.totals.external_need),
        chart: chart(f, lang),
        chart_desc,
        flows,
        extra: format_decimal(lang, extra, if extra.fract() == 0.0 { 0 } else { 1 }),
        extra_error: None,
        scenarios: scenario_cols,
        may_edit,
        form: form.unwrap_or_else(|| form_of(&input, lang)),
        errors,
        saved,
        chrome,
    }
}

/// The number of extra local VFU students a year (0…100, default 2); `Err` keeps what was typed.
fn parse_extra(q: &ExtraQuery) -> Result<f64, String> {
    match q.extra.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(2.0),
        Some(s) => number(s)
            .filter(|x| (0.0..=100.0).contains(x))
            .ok_or_else(|| s.to_string()),
    }
}

pub async fn municipality_page(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((code, ssyk)): Path<(String, String)>,
    Query(q): Query<ExtraQuery>,
) -> Response {
    let key = chrome.clone();
    public_page(
        &state,
        &key,
        municipality_response(&state, chrome, &me, &code, &ssyk, q),
    )
    .await
}

async fn municipality_response(
    state: &AppState,
    chrome: Chrome,
    me: &MaybeUser,
    code: &str,
    ssyk: &str,
    q: ExtraQuery,
) -> Response {
    let (m, ssyk, occupation, data) = match municipality_context(state, code, ssyk).await {
        Ok(Some(v)) => v,
        Ok(None) => {
            return not_found(
                chrome.clone(),
                chrome.t1("not-found-text", "path", &chrome.display_path()),
            )
        }
        Err(e) => return unavailable(chrome, &e),
    };
    let may_edit = user_may(me, Action::Write, &Target::ForecastInput { municipality: m.code });
    let saved = q.saved.is_some();
    let kolada = match state.store.kolada_values(m.code).await {
        Ok(v) => v,
        Err(e) => return unavailable(chrome, &e),
    };
    let lang = chrome.lang;
    let extra = parse_extra(&q);
    let error = extra
        .as_ref()
        .err()
        .map(|_| chrome.t1("fc-error-extra", "field", &chrome.t("fc-scenario-extra-label")));
    let mut page = municipality_view(
        chrome,
        &m,
        ssyk,
        occupation,
        &data,
        extra.clone().unwrap_or(2.0),
        may_edit,
        None,
        Vec::new(),
        saved,
    );
    if let Err(typed) = extra {
        page.extra = typed;
        page.extra_error = error;
    }
    page.kolada = kolada
        .into_iter()
        .filter(|k| k.gender == "T")
        .map(|k| {
            (
                k.kpi,
                k.period.to_string(),
                k.value
                    .map(|v| format_decimal(lang, v, 1))
                    .unwrap_or_else(|| "–".into()),
            )
        })
        .collect();
    render(StatusCode::OK, &page)
}

pub async fn municipality_export(
    State(state): State<AppState>,
    Path((code, ssyk, file)): Path<(String, String, String)>,
) -> Response {
    let (m, ssyk, _, data) = match municipality_context(&state, &code, &ssyk).await {
        Ok(Some(v)) => v,
        Ok(None) => return (StatusCode::NOT_FOUND, "no such municipality or occupation").into_response(),
        Err(e) => return crate::http::error::ApiError::from(e).into_response(),
    };
    let input = data
        .inputs
        .iter()
        .find(|i| i.ssyk == ssyk)
        .cloned()
        .unwrap_or_else(|| ForecastInput::new(m.code, ssyk, kkig_core::forecast::product::DEMO_BASE_YEAR));
    let stem = format!("prognos-{}-{}", m.code, ssyk);
    export_response(&flows_table(&data.compute(&input).forecast), &file, &stem, "Prognos")
}

#[derive(Deserialize, Default)]
pub struct InputFormBody {
    #[serde(default)]
    pub base_year: String,
    #[serde(default)]
    pub staff: String,
    #[serde(default)]
    pub vacancies: String,
    #[serde(default)]
    pub completion_share: String,
    #[serde(default)]
    pub retirement_age: String,
    #[serde(default)]
    pub exit_rate: String,
    #[serde(default)]
    pub entry_age: String,
    #[serde(default)]
    pub retention: String,
}

/// The field's label key, for error messages that name the field.
fn label_key(field: &str) -> &'static str {
    match field {
        "base_year" => "fc-field-base-year",
        "vacancies" => "fc-field-vacancies",
        "completion_share" => "fc-field-completion-share",
        "retirement_age" => "fc-field-retirement-age",
        "exit_rate" => "fc-field-exit-rate",
        "entry_age" => "fc-field-entry-age",
        "retention" => "fc-field-retention",
        _ => "fc-field-staff",
    }
}

fn number(s: &str) -> Option<f64> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace(',', ".")
        .replace('−', "-");
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Parse the form into an input; errors per field in the page's language.
pub fn parse_form(
    chrome: &Chrome,
    base: &ForecastInput,
    body: &InputFormBody,
) -> Result<ForecastInput, Vec<(String, String)>> {
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut input = base.clone();
    let label = |f: &str| chrome.t(label_key(f));
    let msg = |f: &str, key: &str| (f.to_string(), chrome.t1(key, "field", &label(f)));
    match body.base_year.trim().parse::<i32>() {
        Ok(y) if (1900..=2200).contains(&y) => input.base_year = y,
        _ => errors.push(msg("base_year", "fc-error-year")),
    }
    for (f, slot, key) in [
        ("vacancies", &mut input.vacancies as &mut f64, "fc-error-count"),
        ("completion_share", &mut input.completion_share, "fc-error-share"),
        ("exit_rate", &mut input.exit_rate, "fc-error-share"),
        ("retention", &mut input.retention, "fc-error-share"),
    ] {
        let v = match f {
            "vacancies" => &body.vacancies,
            "completion_share" => &body.completion_share,
            "exit_rate" => &body.exit_rate,
            _ => &body.retention,
        };
        let ok = number(v).filter(|x| {
            if key == "fc-error-share" {
                (0.0..=1.0).contains(x)
            } else {
                *x >= 0.0
            }
        });
        match ok {
            Some(x) => *slot = x,
            None => errors.push(msg(f, key)),
        }
    }
    for (f, v) in [("retirement_age", &body.retirement_age), ("entry_age", &body.entry_age)] {
        match v.trim().parse::<u32>() {
            Ok(a) if (15..=80).contains(&a) => {
                if f == "retirement_age" {
                    input.retirement_age = a
                } else {
                    input.entry_age = a
                }
            }
            _ => errors.push(msg(f, "fc-error-age")),
        }
    }
    let mut staff = BTreeMap::new();
    for (i, line) in body.staff.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split([';', ':', '\t', ' ']).filter(|p| !p.is_empty());
        let (age, n) = (parts.next(), parts.next());
        let parsed = match (
            age.and_then(|a| a.parse::<u32>().ok()),
            n.and_then(number),
            parts.next(),
        ) {
            (Some(a), Some(n), None) if (15..=80).contains(&a) && n >= 0.0 => Some((a, n)),
            _ => None,
        };
        match parsed {
            Some((a, n)) => *staff.entry(a).or_insert(0.0) += n,
            None => {
                errors.push((
                    "staff".into(),
                    chrome.t2(
                        "fc-error-staff-line",
                        "field",
                        &label("staff"),
                        "line",
                        &(i + 1).to_string(),
                    ),
                ));
                break;
            }
        }
    }
    input.staff_by_age = staff;
    if errors.is_empty() {
        // The core rules again (the same checks the store makes).
        if let Err(es) = input.validate() {
            errors.extend(es.into_iter().map(|e: FieldError| {
                let f = if e.field.starts_with("staff_by_age") {
                    "staff".to_string()
                } else {
                    e.field.clone()
                };
                let text = crate::ui::field_errors::error_text(chrome, &label(&f), &e);
                (f, text)
            }));
        }
    }
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

/// The signed-in user whom the write route's guard lets change the municipality's inputs.
fn editor(chrome: &Chrome, me: MaybeUser, guard: &Guard, kod: Kommunkod) -> Result<UserRecord, Response> {
    let user = signed_in(chrome, me)?;
    if !guard.allows(&user.principal(), &Target::ForecastInput { municipality: kod }) {
        return Err(forbidden(chrome.clone()));
    }
    Ok(user)
}

pub async fn save_input(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, ssyk)): Path<(String, String)>,
    Form(body): Form<InputFormBody>,
) -> Response {
    let (m, ssyk, occupation, data) = match municipality_context(&state, &code, &ssyk).await {
        Ok(Some(v)) => v,
        Ok(None) => {
            return not_found(
                chrome.clone(),
                chrome.t1("not-found-text", "path", &chrome.display_path()),
            )
        }
        Err(e) => return unavailable(chrome, &e),
    };
    let user = match editor(&chrome, me, &guard, m.code) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let base = data
        .inputs
        .iter()
        .find(|i| i.ssyk == ssyk)
        .cloned()
        .unwrap_or_else(|| ForecastInput::new(m.code, ssyk, kkig_core::forecast::product::DEMO_BASE_YEAR));
    match parse_form(&chrome, &base, &body) {
        Ok(input) => match state.store.save_forecast_input(&input, &Actor::user(&user.id)).await {
            Ok(()) => Redirect::to(&format!(
                "/prognos/kommun/{}/{ssyk}?saved=1&lang={}#inmatning",
                m.code,
                chrome.lang_code()
            ))
            .into_response(),
            Err(e) => unavailable(chrome, &e),
        },
        Err(errors) => {
            let form = InputForm {
                base_year: body.base_year,
                staff: body.staff,
                vacancies: body.vacancies,
                completion_share: body.completion_share,
                retirement_age: body.retirement_age,
                exit_rate: body.exit_rate,
                entry_age: body.entry_age,
                retention: body.retention,
            };
            let page = municipality_view(
                chrome,
                &m,
                ssyk,
                occupation,
                &data,
                2.0,
                true,
                Some(form),
                errors,
                false,
            );
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}
