//! The education catalogue on the web: search (`/utbildning`, `GET /api/v1/offerings`),
//! pathway pages (`/utbildning/bli/{yrke}/{kommunkod}`), the regional table, exports.
//!
//! [`index`] keeps the search index in memory on each web node; [`pages`] and [`api`] answer
//! from it.

pub(crate) mod api;
pub mod index;
pub(crate) mod pages;

use utoipa::OpenApi;

use crate::http::guard::{Routes, Surface};

/// The catalogue's API routes, relative to `/api` (merged into the API router).
pub fn api_routes() -> Routes {
    Routes::new(Surface::Api)
        .get("/v1/offerings", api::api_search)
        .get("/v1/offerings/{id}", api::api_offering)
        .get("/v1/reachability", api::api_reachability)
}

/// The catalogue's part of the OpenAPI document: the documented API routes of
/// [`api_routes`] and their schemas (merged into the document by [`crate::api_doc`]).
#[derive(OpenApi)]
#[openapi(
    paths(api::api_search, api::api_offering, api::api_reachability),
    components(schemas(api::OfferingPage, api::OfferingHit, api::OfferingRecord, api::ReachabilityRow))
)]
pub struct ApiDoc;

/// The catalogue's pages.
pub fn page_routes() -> Routes {
    Routes::new(Surface::Page)
        .get("/utbildning", pages::page)
        .get("/utbildning/export/{file}", pages::export)
        .get("/utbildning/bli", pages::become_page)
        .get("/utbildning/bli/{area}/{code}", pages::pathway_page)
        .get("/utbildning/regionen", pages::regional_page)
}
