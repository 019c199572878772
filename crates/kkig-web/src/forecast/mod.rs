//! The competence-supply forecast: the regional table, one municipality and occupation, the
//! map, clusters and the inputs, as JSON ([`api`]) and as pages with CSV and XLSX tables
//! ([`pages`]).

pub mod api;
pub mod pages;

use utoipa::OpenApi;

use crate::http::guard::Routes;

/// The forecast's API routes, relative to `/api` (merged into the API router).
pub fn api_routes() -> Routes {
    api::routes()
}

/// The forecast's part of the OpenAPI document: the documented API routes of
/// [`api_routes`] and their schemas (merged into the document by [`crate::api_doc`]).
#[derive(OpenApi)]
#[openapi(
    paths(
        api::municipality_forecast,
        api::get_input,
        api::put_input,
        api::region,
        api::clusters,
        api::cluster
    ),
    components(schemas(
        api::ForecastRecord,
        api::YearFlowRecord,
        api::TotalsRecord,
        api::InputRecord,
        api::InputBody,
        api::RegionRecord,
        api::RegionRowRecord,
        api::OccupationSumRecord,
        api::ClusterRecord,
        api::ClusterViewRecord
    ))
)]
pub struct ApiDoc;

/// The forecast's pages.
pub fn page_routes() -> Routes {
    pages::routes()
}
