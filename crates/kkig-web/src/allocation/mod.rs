//! The VFU allocation in the product (docs/allocation.md, "In the product"): a university's
//! allocation rules, a run on a period (the preview), manual locks and publishing, as JSON
//! ([`api`]) and as the coordinator's pages ([`pages`]).

pub mod api;
pub mod pages;

use utoipa::OpenApi;

use crate::http::guard::Routes;

/// The allocation's API routes, relative to `/api` (merged into the API router).
pub fn api_routes() -> Routes {
    api::routes()
}

/// The allocation's part of the OpenAPI document: the documented API routes of
/// [`api_routes`] and their schemas (merged into the document by [`crate::api_doc`]).
#[derive(OpenApi)]
#[openapi(
    paths(
        api::get_rules,
        api::put_rules,
        api::run_allocation,
        api::put_lock,
        api::delete_lock,
        api::publish
    ),
    components(schemas(
        api::RulesRecord,
        api::AssignmentRecord,
        api::PreviewStudentRecord,
        api::TravelBucketRecord,
        api::PreviewSummaryRecord,
        api::PreviewRecord,
        api::PublishRecord,
        api::LockBody,
        kkig_store::AllocationLock,
        kkig_store::PublishReport
    ))
)]
pub struct ApiDoc;

/// The allocation's pages.
pub fn page_routes() -> Routes {
    pages::routes()
}
