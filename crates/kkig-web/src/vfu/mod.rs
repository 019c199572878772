//! The VFU registry (work placements): placement sites and their hosting interest, supervisors,
//! periods, students, placements and their lifecycle, RACI and contacts per municipality, the
//! views and lists, as JSON ([`api`]) and as pages scoped by role ([`pages`]).

pub mod api;
pub mod pages;

use utoipa::OpenApi;

use crate::http::guard::Routes;

/// The VFU registry's API routes, relative to `/api` (merged into the API router).
pub fn api_routes() -> Routes {
    api::routes()
}

/// The VFU registry's part of the OpenAPI document: the documented API routes of
/// [`api_routes`] and their schemas (merged into the document by [`crate::api_doc`]).
#[derive(OpenApi)]
#[openapi(
    paths(
        api::me,
        api::put_my_wishes,
        api::list_sites,
        api::create_site,
        api::get_site,
        api::put_site,
        api::delete_site,
        api::site_interest,
        api::put_interest,
        api::delete_interest,
        api::site_waiting_list,
        api::site_placements_json,
        api::site_placements_csv,
        api::site_placements_xlsx,
        api::list_supervisors,
        api::create_supervisor,
        api::get_supervisor,
        api::put_supervisor,
        api::delete_supervisor,
        api::invite_supervisor,
        api::list_periods,
        api::periods_ics,
        api::create_period,
        api::get_period,
        api::put_period,
        api::delete_period,
        api::period_students,
        api::list_students,
        api::create_student,
        api::get_student,
        api::put_student,
        api::delete_student,
        api::list_placements,
        api::create_placement,
        api::get_placement,
        api::put_placement,
        api::delete_placement,
        api::transition_placement,
        api::training_need,
        api::compensation,
        api::get_raci,
        api::put_raci,
        api::reset_raci,
        api::list_contacts,
        api::create_contact,
        api::put_contact,
        api::delete_contact,
        api::municipality_placements_json,
        api::municipality_placements_csv,
        api::municipality_placements_xlsx
    ),
    components(schemas(
        api::SiteRecord,
        api::SiteBody,
        api::HostingRecord,
        api::InterestBody,
        api::WaitingRecord,
        api::SupervisorRecord,
        api::SupervisorBody,
        api::InviteBody,
        api::PeriodRecord,
        api::PeriodBody,
        api::StudentRecord,
        api::StudentBody,
        api::WishesBody,
        api::PlacementRecord,
        api::StatusStep,
        api::NewPlacementBody,
        api::PlacementBody,
        api::TransitionBody,
        api::TrainingNeedRecord,
        api::TrainingNeedRowRecord,
        api::InviteCandidateRecord,
        api::CompensationRecord,
        api::RaciRecord,
        api::RaciRowRecord,
        api::RaciBody,
        api::ContactRecord,
        api::ContactBody,
        api::PlacementLineRecord,
        api::VfuMe,
        api::MyStudy,
        api::MyPlacement,
        api::MySupervisee
    ))
)]
pub struct ApiDoc;

/// The VFU registry's pages.
pub fn page_routes() -> Routes {
    pages::routes()
}
