//! The VFU allocation in the product (docs/allocation.md, "In the product"): a university's
//! allocation rules, a run on a period (the preview), manual locks and publishing, as JSON
//! ([`api`]) and as the coordinator's pages ([`pages`]).

pub mod api;
pub mod pages;

use crate::http::guard::Routes;

/// The allocation's API routes, relative to `/api` (merged into the API router).
pub fn api_routes() -> Routes {
    api::routes()
}

/// The allocation's pages.
pub fn page_routes() -> Routes {
    pages::routes()
}
