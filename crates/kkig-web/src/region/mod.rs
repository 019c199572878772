//! The region: the start page with its map, one page per municipality, the reference facts as
//! JSON (municipalities, universities, learning centres, occupations), and `/health`. Both read
//! the overview of read-mostly facts ([`crate::ui::overview`]) that the other capabilities'
//! pages show too.

pub mod api;
pub mod pages;

use utoipa::OpenApi;

use crate::http::guard::{Routes, Surface};

/// The region's API routes, relative to `/api` (merged into the API router).
pub fn api_routes() -> Routes {
    Routes::new(Surface::Api)
        .get("/v1/municipalities", api::list_municipalities)
        .get("/v1/municipalities/{code}", api::get_municipality)
        .get("/v1/universities", api::list_universities)
        .get("/v1/learning-centres", api::list_learning_centres)
        .get("/v1/occupations", api::list_occupations)
}

/// The region's part of the OpenAPI document: the documented API routes of [`api_routes`] and
/// `/health` (routed by [`crate::app`] at the root), and their schemas (merged into the document
/// by [`crate::api_doc`]).
#[derive(OpenApi)]
#[openapi(
    paths(
        api::list_municipalities,
        api::get_municipality,
        api::list_universities,
        api::list_learning_centres,
        api::list_occupations,
        api::health
    ),
    components(schemas(
        api::UniversityRecord,
        api::CampusRecord,
        api::LearningCentreRecord,
        api::ServicesRecord,
        api::OccupationRecord,
        api::Health,
        kkig_formats::MunicipalityRecord
    ))
)]
pub struct ApiDoc;

/// The region's pages.
pub fn page_routes() -> Routes {
    Routes::new(Surface::Page)
        .get("/", pages::index)
        .get("/kommun/{code}", pages::municipality)
}
