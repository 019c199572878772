//! The region's reference facts as JSON under `/api/v1/`: municipalities, universities, learning
//! centres, occupations; and `/health`.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kkig_core::{Kommunkod, MunicipalityRole};
use kkig_formats::MunicipalityRecord;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::http::error::{ApiError, ErrorBody};
use crate::http::openapi::Invalid;
use crate::ui::overview::MunicipalityList;
use crate::AppState;

/// Filters of the municipality list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MunicipalityFilter {
    /// `participant` (the 17 municipalities of the collaboration), `campus` (campus towns),
    /// `other` (the rest of Sweden) or `all` (all 290). Without it: the region (participants
    /// and campus towns).
    pub role: Option<String>,
}

/// The region's municipalities (participants, then campus towns), or with `role` one group or all 290.
#[utoipa::path(
    get, path = "/api/v1/municipalities", tag = "region",
    params(MunicipalityFilter),
    responses(
        (status = 200, description = "Municipalities, participants first, each group in Swedish alphabetical order", body = [MunicipalityRecord]),
        (status = 400, description = "Unknown role", body = ErrorBody),
        Invalid
    )
)]
pub async fn list_municipalities(
    State(state): State<AppState>,
    filter: Result<Query<MunicipalityFilter>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let filter = crate::http::error::query(filter)?;
    let list = match filter.role.as_deref() {
        None | Some("") => MunicipalityList::Region,
        Some("all") => MunicipalityList::Sweden,
        Some(r) => MunicipalityList::Role(MunicipalityRole::parse(r).ok_or_else(|| {
            ApiError::bad_request(format!("role {r:?} is not one of participant, campus, other, all"))
        })?),
    };
    let items = state.overview().await?.municipalities_json(list);
    Ok(([(header::CONTENT_TYPE, "application/json")], items).into_response())
}

/// One municipality by its kommunkod: any of Sweden's 290.
#[utoipa::path(
    get, path = "/api/v1/municipalities/{code}", tag = "region",
    params(("code" = String, Path, description = "SCB kommunkod, four digits", example = "2422")),
    responses(
        (status = 200, description = "The municipality", body = MunicipalityRecord),
        (status = 404, description = "No municipality with this code, or the code is malformed", body = ErrorBody)
    )
)]
pub async fn get_municipality(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<MunicipalityRecord>, ApiError> {
    let kod =
        Kommunkod::parse(&code).map_err(|e| ApiError::not_found(format!("no municipality with code {code:?}: {e}")))?;
    let overview = state.overview().await?;
    let m = overview
        .in_sweden(kod)
        .ok_or_else(|| ApiError::not_found(format!("no municipality with code {kod} in kkig")))?;
    Ok(Json(MunicipalityRecord::from(m)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CampusRecord {
    #[schema(example = "Skellefteå")]
    pub town: String,
    /// Kommunkod of the campus town.
    #[schema(example = "2482")]
    pub municipality_code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UniversityRecord {
    #[schema(example = "LTU")]
    pub code: String,
    #[schema(example = "Luleå tekniska universitet")]
    pub name: String,
    pub campuses: Vec<CampusRecord>,
}

/// The partner universities and their campus towns.
#[utoipa::path(get, path = "/api/v1/universities", tag = "region",
    responses((status = 200, description = "LTU, UmU and MIUN with their campuses", body = [UniversityRecord])))]
pub async fn list_universities(State(state): State<AppState>) -> Result<Json<Vec<UniversityRecord>>, ApiError> {
    let overview = state.overview().await?;
    Ok(Json(
        overview
            .universities
            .iter()
            .cloned()
            .map(|u| UniversityRecord {
                code: u.code,
                name: u.name,
                campuses: u
                    .campuses
                    .into_iter()
                    .map(|c| CampusRecord {
                        town: c.town,
                        municipality_code: c.municipality.to_string(),
                    })
                    .collect(),
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServicesRecord {
    pub study_places: i64,
    pub exam_sittings: bool,
    pub video_rooms: i64,
    pub study_guidance: bool,
    /// True when these services are generated demo data.
    pub demo: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LearningCentreRecord {
    #[schema(example = "lc-2422")]
    pub id: String,
    #[schema(example = "2422")]
    pub municipality_code: String,
    pub name: String,
    pub town: String,
    pub lat: f64,
    pub lon: f64,
    /// Where the position comes from.
    pub position_source: String,
    /// What the centre offers; null when not registered.
    pub services: Option<ServicesRecord>,
}

/// One learning centre (lärcentrum) per participating municipality.
#[utoipa::path(get, path = "/api/v1/learning-centres", tag = "region",
    responses((status = 200, description = "Learning centres by id", body = [LearningCentreRecord])))]
pub async fn list_learning_centres(State(state): State<AppState>) -> Result<Json<Vec<LearningCentreRecord>>, ApiError> {
    let overview = state.overview().await?;
    Ok(Json(
        overview
            .learning_centres
            .iter()
            .cloned()
            .map(|e| LearningCentreRecord {
                id: e.centre.id,
                municipality_code: e.centre.municipality.to_string(),
                name: e.centre.name,
                town: e.centre.town,
                lat: e.centre.position.lat,
                lon: e.centre.position.lon,
                position_source: e.centre.position_source,
                services: e.services.map(|s| ServicesRecord {
                    study_places: s.study_places,
                    exam_sittings: s.exam_sittings,
                    video_rooms: s.video_rooms,
                    study_guidance: s.study_guidance,
                    demo: e.services_are_demo,
                }),
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OccupationRecord {
    /// SSYK 2012 unit group.
    #[schema(example = "2221")]
    pub ssyk: String,
    #[schema(example = "Grundutbildade sjuksköterskor")]
    pub name: String,
    /// `teacher`, `nurse` or `social_work`.
    #[schema(example = "nurse")]
    pub area: String,
}

/// The shortage occupations in focus, as SSYK 2012 codes.
#[utoipa::path(get, path = "/api/v1/occupations", tag = "region",
    responses((status = 200, description = "Occupations by SSYK code", body = [OccupationRecord])))]
pub async fn list_occupations(State(state): State<AppState>) -> Result<Json<Vec<OccupationRecord>>, ApiError> {
    let items = state.store.occupations().await?;
    Ok(Json(
        items
            .into_iter()
            .map(|o| OccupationRecord {
                ssyk: o.ssyk.to_string(),
                name: o.name,
                area: o.area.as_str().to_string(),
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` or `unavailable`.
    pub status: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// When unavailable, what is wrong in general terms: `database`, `migrations` or `reference data` (details only in the log).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// Whether this node can serve: the database answers, migrated exactly to this version, with the reference data.
///
/// Two small queries. A 503 names the problem only in general terms; the details are logged.
#[utoipa::path(get, path = "/health", tag = "operations",
    responses(
        (status = 200, description = "kkig and its database work", body = Health,
            example = json!({"status": "ok", "backend": "postgres"})),
        (status = 503, description = "Not fit to serve: the database does not answer, its migrations are not exactly this version's, or the reference data is missing", body = Health,
            example = json!({"status": "unavailable", "backend": "postgres", "problem": "migrations"}))
    ))]
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let backend = state.store.backend().as_str().to_string();
    let problem = match state.store.readiness().await {
        Ok(kkig_store::Readiness::Ready) => {
            return (
                StatusCode::OK,
                Json(Health {
                    status: "ok".into(),
                    backend,
                    problem: None,
                }),
            )
        }
        Ok(kkig_store::Readiness::Migrations { missing, unknown }) => {
            tracing::error!(
                ?missing,
                ?unknown,
                "health: the applied migrations are not exactly this version's"
            );
            "migrations"
        }
        Ok(kkig_store::Readiness::ReferenceData { empty }) => {
            tracing::error!(?empty, "health: reference data missing (run kkig migrate)");
            "reference data"
        }
        Err(e) => {
            tracing::error!(error = %e, "health: the database does not answer");
            "database"
        }
    };
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(Health {
            status: "unavailable".into(),
            backend,
            problem: Some(problem.into()),
        }),
    )
}
