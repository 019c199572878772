//! The VFU registry (work placements): placement sites and their hosting interest, supervisors,
//! periods, students, placements and their lifecycle, RACI and contacts per municipality, the
//! views and lists, as JSON ([`api`]) and as pages scoped by role ([`pages`]).

pub mod api;
pub mod pages;

use crate::http::guard::Routes;

/// The VFU registry's API routes, relative to `/api` (merged into the API router).
pub fn api_routes() -> Routes {
    api::routes()
}

/// The VFU registry's pages.
pub fn page_routes() -> Routes {
    pages::routes()
}
