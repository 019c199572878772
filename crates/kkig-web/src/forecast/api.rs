//! The forecast's JSON API under `/api/v1/forecast/`: one municipality and occupation in the
//! engine's output shape, the regional table, clusters, and the inputs (read by anyone, written
//! by the municipality's staff and admin — `Target::ForecastInput`).

use std::collections::BTreeMap;

use crate::http::guard::{Guard, Op, Routes, Surface};
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use kkig_core::access::Target;
use kkig_core::forecast::product::{ForecastInput, HORIZON};
use kkig_core::forecast::{Forecast, Totals, YearFlow};
use kkig_core::vfu::FieldError;
use kkig_core::{Kommunkod, Ssyk};
use kkig_store::{Actor, ForecastCluster, Store};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::forecast::pages::{occupation_order, Data};
use crate::http::auth::MaybeUser;
use crate::http::error::{ApiError, ApiResult as R, ErrorBody};
use crate::http::openapi::{BadRequest, Forbidden, NotFound, Unauthenticated};
use crate::AppState;

pub fn routes() -> Routes {
    Routes::new(Surface::Api)
        .get("/v1/forecast/region", region)
        .get("/v1/forecast/clusters", clusters)
        .get("/v1/forecast/clusters/{id}", cluster)
        .get("/v1/forecast/{code}/{ssyk}", municipality_forecast)
        .get("/v1/forecast/{code}/{ssyk}/input", get_input)
        .put("/v1/forecast/{code}/{ssyk}/input", Op::ForecastInputSave, put_input)
}

/// The flows of one forecast year (the engine's `YearFlow`).
#[derive(Serialize, ToSchema)]
pub struct YearFlowRecord {
    pub year: i32,
    pub demand: f64,
    pub retirements: f64,
    pub exits: f64,
    pub remaining: f64,
    pub need: f64,
    pub local_supply: f64,
    pub local_contribution: f64,
    pub external_need: f64,
    pub staff: f64,
}

/// Sums over the horizon and the stock at its start and end (the engine's `Totals`).
#[derive(Serialize, ToSchema)]
pub struct TotalsRecord {
    pub retirements: f64,
    pub exits: f64,
    pub need: f64,
    pub local_supply: f64,
    pub local_contribution: f64,
    pub external_need: f64,
    pub start_staff: f64,
    pub start_demand: f64,
    pub final_staff: f64,
    pub final_demand: f64,
}

/// A forecast in the engine's JSON output shape (docs/forecast.md, "Output").
#[derive(Serialize, ToSchema)]
pub struct ForecastRecord {
    pub years: Vec<YearFlowRecord>,
    pub totals: TotalsRecord,
}

fn year(y: &YearFlow) -> YearFlowRecord {
    YearFlowRecord {
        year: y.year,
        demand: y.demand,
        retirements: y.retirements,
        exits: y.exits,
        remaining: y.remaining,
        need: y.need,
        local_supply: y.local_supply,
        local_contribution: y.local_contribution,
        external_need: y.external_need,
        staff: y.staff,
    }
}

fn totals(t: &Totals) -> TotalsRecord {
    TotalsRecord {
        retirements: t.retirements,
        exits: t.exits,
        need: t.need,
        local_supply: t.local_supply,
        local_contribution: t.local_contribution,
        external_need: t.external_need,
        start_staff: t.start_staff,
        start_demand: t.start_demand,
        final_staff: t.final_staff,
        final_demand: t.final_demand,
    }
}

impl From<&Forecast> for ForecastRecord {
    fn from(f: &Forecast) -> Self {
        ForecastRecord {
            years: f.years.iter().map(year).collect(),
            totals: totals(&f.totals),
        }
    }
}

/// A municipality's inputs for one occupation.
#[derive(Serialize, ToSchema)]
pub struct InputRecord {
    pub municipality: String,
    pub ssyk: String,
    pub base_year: i32,
    /// Headcount by age (15…80).
    #[schema(value_type = BTreeMap<String, f64>)]
    pub staff_by_age: BTreeMap<String, f64>,
    pub vacancies: f64,
    /// Share of the VFU students placed in the municipality who graduate (0…1).
    pub completion_share: f64,
    pub retirement_age: u32,
    pub exit_rate: f64,
    pub entry_age: u32,
    pub retention: f64,
    /// VFU students placed in the municipality a year (mean over the registry's years).
    pub vfu_students_per_year: f64,
    /// vfu_students_per_year × completion_share: the forecast's local graduates a year.
    pub local_graduates_per_year: f64,
    /// Where the demand driver came from: `population`, `population_held` (the last year with
    /// data is held) or `flat` (no population: demand stays at the base year's).
    pub driver_source: String,
}

/// New inputs. Optional parameters keep their stored value (or the default).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InputBody {
    pub base_year: Option<i32>,
    /// Headcount by age, e.g. `{"25": 2, "31": 1.5}`.
    #[schema(value_type = BTreeMap<String, f64>)]
    pub staff_by_age: BTreeMap<String, f64>,
    pub vacancies: Option<f64>,
    pub completion_share: Option<f64>,
    pub retirement_age: Option<u32>,
    pub exit_rate: Option<f64>,
    pub entry_age: Option<u32>,
    pub retention: Option<f64>,
}

/// One municipality and occupation in the regional table.
#[derive(Serialize, ToSchema)]
pub struct RegionRowRecord {
    pub municipality: String,
    pub name: String,
    pub ssyk: String,
    pub totals: TotalsRecord,
}

/// An occupation summed over the region.
#[derive(Serialize, ToSchema)]
pub struct OccupationSumRecord {
    pub ssyk: String,
    pub name: String,
    pub forecast: ForecastRecord,
}

/// The regional view: every municipality and occupation with its totals, and each occupation
/// summed over the region, year by year.
#[derive(Serialize, ToSchema)]
pub struct RegionRecord {
    pub horizon: u32,
    pub rows: Vec<RegionRowRecord>,
    pub occupations: Vec<OccupationSumRecord>,
}

/// A cluster's view: its members' rows and each occupation summed over them, year by year.
#[derive(Serialize, ToSchema)]
pub struct ClusterViewRecord {
    pub cluster: ClusterRecord,
    pub horizon: u32,
    pub rows: Vec<RegionRowRecord>,
    pub occupations: Vec<OccupationSumRecord>,
}

/// A named group of municipalities.
#[derive(Serialize, ToSchema)]
pub struct ClusterRecord {
    pub id: String,
    pub name: String,
    pub members: Vec<String>,
    pub demo: bool,
}

fn parse_path(code: &str, ssyk: &str) -> R<(Kommunkod, Ssyk)> {
    let k = Kommunkod::parse(code).map_err(|_| ApiError::not_found(format!("no municipality with code {code}")))?;
    let s = Ssyk::parse(ssyk).map_err(|_| ApiError::not_found(format!("no occupation with SSYK {ssyk}")))?;
    Ok((k, s))
}

async fn known(state: &AppState, code: &str, ssyk: &str) -> R<(Kommunkod, Ssyk)> {
    let (k, s) = parse_path(code, ssyk)?;
    if state.store.municipality(k).await?.is_none() {
        return Err(ApiError::not_found(format!("no municipality with code {code}")));
    }
    if !state.store.occupations().await?.iter().any(|o| o.ssyk == s) {
        return Err(ApiError::not_found(format!("no occupation with SSYK {ssyk}")));
    }
    Ok((k, s))
}

/// The forecast of one municipality and occupation, in the engine's output shape.
#[utoipa::path(get, path = "/api/v1/forecast/{code}/{ssyk}", tag = "forecast",
    params(("code" = String, Path, description = "kommunkod"), ("ssyk" = String, Path, description = "SSYK 2012 occupation")),
    responses((status = 200, body = ForecastRecord), (status = 404, description = "No such municipality, occupation or input", body = ErrorBody)))]
pub async fn municipality_forecast(
    State(state): State<AppState>,
    Path((code, ssyk)): Path<(String, String)>,
) -> R<Json<ForecastRecord>> {
    let (k, s) = known(&state, &code, &ssyk).await?;
    let data = state.store.forecast_data(Some(k)).await?;
    let input = data
        .inputs
        .iter()
        .find(|i| i.ssyk == s)
        .ok_or_else(|| ApiError::not_found(format!("no forecast input for {k} {s}")))?;
    Ok(Json(ForecastRecord::from(&data.compute(input).forecast)))
}

fn input_record(data: &Data, input: &ForecastInput) -> InputRecord {
    let c = data.compute(input);
    InputRecord {
        municipality: input.municipality.to_string(),
        ssyk: input.ssyk.to_string(),
        base_year: input.base_year,
        staff_by_age: input.staff_by_age.iter().map(|(a, n)| (a.to_string(), *n)).collect(),
        vacancies: input.vacancies,
        completion_share: input.completion_share,
        retirement_age: input.retirement_age,
        exit_rate: input.exit_rate,
        entry_age: input.entry_age,
        retention: input.retention,
        vfu_students_per_year: c.vfu_students,
        local_graduates_per_year: c.graduates_per_year,
        driver_source: serde_json::to_value(c.driver_source)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
    }
}

/// A municipality's inputs for an occupation (public).
#[utoipa::path(get, path = "/api/v1/forecast/{code}/{ssyk}/input", tag = "forecast",
    params(("code" = String, Path), ("ssyk" = String, Path)),
    responses((status = 200, body = InputRecord), NotFound))]
pub async fn get_input(
    State(state): State<AppState>,
    Path((code, ssyk)): Path<(String, String)>,
) -> R<Json<InputRecord>> {
    let (k, s) = known(&state, &code, &ssyk).await?;
    let data = state.store.forecast_data(Some(k)).await?;
    let input = data
        .inputs
        .iter()
        .find(|i| i.ssyk == s)
        .ok_or_else(|| ApiError::not_found(format!("no forecast input for {k} {s}")))?;
    Ok(Json(input_record(&data, input)))
}

/// Replace a municipality's inputs for an occupation: the municipality's own staff and admin.
#[utoipa::path(put, path = "/api/v1/forecast/{code}/{ssyk}/input", tag = "forecast", security(("bearer" = [])),
    params(("code" = String, Path), ("ssyk" = String, Path)), request_body = InputBody,
    responses((status = 200, body = InputRecord), BadRequest, Unauthenticated, Forbidden, NotFound,
              (status = 422, description = "Invalid fields, each named", body = ErrorBody)))]
pub async fn put_input(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path((code, ssyk)): Path<(String, String)>,
    b: Result<Json<InputBody>, JsonRejection>,
) -> R<Json<InputRecord>> {
    let user = me.0.map(|(u, _)| u).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "sign in or send an API token (Authorization: Bearer …)",
        )
    })?;
    let (k, s) = known(&state, &code, &ssyk).await?;
    if !guard.allows(&user.principal(), &Target::ForecastInput { municipality: k }) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            format!("your role and scope do not allow this: the forecast inputs of municipality {k}"),
        ));
    }
    let body = crate::http::error::body(b)?;
    let mut input = state
        .store
        .forecast_input(k, s)
        .await?
        .unwrap_or_else(|| ForecastInput::new(k, s, kkig_core::forecast::product::DEMO_BASE_YEAR));
    let mut errors = Vec::new();
    let mut staff = BTreeMap::new();
    for (age, n) in &body.staff_by_age {
        match age.trim().parse::<u32>() {
            Ok(a) => *staff.entry(a).or_insert(0.0) += n,
            Err(_) => errors.push(FieldError::new(
                &format!("staff_by_age.{age}"),
                "the age must be a whole number of years, e.g. \"25\"",
            )),
        }
    }
    input.staff_by_age = staff;
    input.base_year = body.base_year.unwrap_or(input.base_year);
    input.vacancies = body.vacancies.unwrap_or(input.vacancies);
    input.completion_share = body.completion_share.unwrap_or(input.completion_share);
    input.retirement_age = body.retirement_age.unwrap_or(input.retirement_age);
    input.exit_rate = body.exit_rate.unwrap_or(input.exit_rate);
    input.entry_age = body.entry_age.unwrap_or(input.entry_age);
    input.retention = body.retention.unwrap_or(input.retention);
    if let Err(es) = input.validate() {
        errors.extend(es);
    }
    if !errors.is_empty() {
        return Err(ApiError::fields(StatusCode::UNPROCESSABLE_ENTITY, errors));
    }
    state.store.save_forecast_input(&input, &Actor::user(&user.id)).await?;
    let data = state.store.forecast_data(Some(k)).await?;
    Ok(Json(input_record(&data, &input)))
}

/// Every municipality and occupation with its ten-year totals, and each occupation summed over
/// the region year by year (public).
#[utoipa::path(get, path = "/api/v1/forecast/region", tag = "forecast", responses((status = 200, body = RegionRecord)))]
pub async fn region(State(state): State<AppState>) -> R<Json<RegionRecord>> {
    let (rows, occupations) = summed(&state, None).await?;
    Ok(Json(RegionRecord {
        horizon: HORIZON,
        rows,
        occupations,
    }))
}

/// A cluster's members with their ten-year totals, and each occupation summed over them (public).
#[utoipa::path(get, path = "/api/v1/forecast/clusters/{id}", tag = "forecast", params(("id" = String, Path)),
    responses((status = 200, body = ClusterViewRecord), NotFound))]
pub async fn cluster(State(state): State<AppState>, Path(id): Path<String>) -> R<Json<ClusterViewRecord>> {
    let c = state
        .store
        .forecast_cluster(&id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no cluster {id}")))?;
    let (rows, occupations) = summed(&state, Some(&c.members)).await?;
    let cluster = ClusterRecord {
        id: c.id,
        name: c.name,
        members: c.members.iter().map(|m| m.to_string()).collect(),
        demo: c.demo,
    };
    Ok(Json(ClusterViewRecord {
        cluster,
        horizon: HORIZON,
        rows,
        occupations,
    }))
}

/// Rows of the given municipalities (all when None) and each occupation summed over them.
async fn summed(state: &AppState, only: Option<&[Kommunkod]>) -> R<(Vec<RegionRowRecord>, Vec<OccupationSumRecord>)> {
    let store: &dyn Store = state.store.as_ref();
    let data = store.forecast_data(None).await?;
    let computed: Vec<_> = data
        .all()
        .into_iter()
        .filter(|c| only.is_none_or(|o| o.contains(&c.input.municipality)))
        .collect();
    let municipalities = store.municipalities().await?;
    let occupations = store.occupations().await?;
    let name = |k: Kommunkod| {
        municipalities
            .iter()
            .find(|m| m.code == k)
            .map(|m| m.name.clone())
            .unwrap_or_default()
    };
    let order = occupation_order(computed.iter().map(|c| c.input.ssyk));
    let rows = computed
        .iter()
        .map(|c| RegionRowRecord {
            municipality: c.input.municipality.to_string(),
            name: name(c.input.municipality),
            ssyk: c.input.ssyk.to_string(),
            totals: totals(&c.forecast.totals),
        })
        .collect();
    let sums = order
        .iter()
        .filter_map(|s| {
            let fs: Vec<Forecast> = computed
                .iter()
                .filter(|c| c.input.ssyk == *s)
                .map(|c| c.forecast.clone())
                .collect();
            Forecast::sum(&fs).map(|f| OccupationSumRecord {
                ssyk: s.to_string(),
                name: occupations
                    .iter()
                    .find(|o| o.ssyk == *s)
                    .map(|o| o.name.clone())
                    .unwrap_or_default(),
                forecast: ForecastRecord::from(&f),
            })
        })
        .collect();
    Ok((rows, sums))
}

/// The clusters of municipalities the views are summed over (public).
#[utoipa::path(get, path = "/api/v1/forecast/clusters", tag = "forecast", responses((status = 200, body = [ClusterRecord])))]
pub async fn clusters(State(state): State<AppState>) -> R<Json<Vec<ClusterRecord>>> {
    let list: Vec<ForecastCluster> = state.store.forecast_clusters().await?;
    Ok(Json(
        list.into_iter()
            .map(|c| ClusterRecord {
                id: c.id,
                name: c.name,
                members: c.members.iter().map(|m| m.to_string()).collect(),
                demo: c.demo,
            })
            .collect(),
    ))
}
