//! The competence-supply forecast: the regional table, one municipality and occupation, the
//! map, clusters and the inputs, as JSON ([`api`]) and as pages with CSV and XLSX tables
//! ([`pages`]).

pub mod api;
pub mod pages;

use crate::http::guard::Routes;

/// The forecast's API routes, relative to `/api` (merged into the API router).
pub fn api_routes() -> Routes {
    api::routes()
}

/// The forecast's pages.
pub fn page_routes() -> Routes {
    pages::routes()
}
