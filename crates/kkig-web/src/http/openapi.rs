//! The OpenAPI document at `/api/openapi.json`, assembled from every capability's documented
//! routes and schemas.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use kkig_formats::MunicipalityRecord;
use utoipa::OpenApi;

use crate::http::error::ErrorBody;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "kkig API",
        description = "Coordinated competence supply in inland Norrland: municipalities, universities, learning centres, occupations. Swedish domain terms: kommunkod = SCB municipality code, lärcentrum = learning centre, SSYK = occupation classification.",
        license(name = "EUPL-1.2")
    ),
    paths(crate::region::api::list_municipalities, crate::region::api::get_municipality, crate::region::api::list_universities, crate::region::api::list_learning_centres, crate::region::api::list_occupations, crate::region::api::health,
          crate::accounts::api::me, crate::accounts::api::tokens, crate::accounts::api::revoke_token, crate::accounts::api::person,
          crate::accounts::api::put_services, crate::accounts::api::audit,
          crate::catalogue::api::api_search, crate::catalogue::api::api_offering, crate::catalogue::api::api_reachability,
          crate::vfu_api::me, crate::vfu_api::put_my_wishes,
          crate::vfu_api::list_sites, crate::vfu_api::create_site, crate::vfu_api::get_site, crate::vfu_api::put_site, crate::vfu_api::delete_site,
          crate::vfu_api::site_interest, crate::vfu_api::put_interest, crate::vfu_api::delete_interest, crate::vfu_api::site_waiting_list,
          crate::vfu_api::site_placements_json, crate::vfu_api::site_placements_csv, crate::vfu_api::site_placements_xlsx,
          crate::vfu_api::list_supervisors, crate::vfu_api::create_supervisor, crate::vfu_api::get_supervisor, crate::vfu_api::put_supervisor,
          crate::vfu_api::delete_supervisor, crate::vfu_api::invite_supervisor,
          crate::vfu_api::list_periods, crate::vfu_api::periods_ics, crate::vfu_api::create_period, crate::vfu_api::get_period, crate::vfu_api::put_period,
          crate::vfu_api::delete_period, crate::vfu_api::period_students,
          crate::vfu_api::list_students, crate::vfu_api::create_student, crate::vfu_api::get_student, crate::vfu_api::put_student, crate::vfu_api::delete_student,
          crate::vfu_api::list_placements, crate::vfu_api::create_placement, crate::vfu_api::get_placement, crate::vfu_api::put_placement,
          crate::vfu_api::delete_placement, crate::vfu_api::transition_placement,
          crate::vfu_api::training_need, crate::vfu_api::compensation, crate::vfu_api::get_raci, crate::vfu_api::put_raci, crate::vfu_api::reset_raci,
          crate::vfu_api::list_contacts, crate::vfu_api::create_contact, crate::vfu_api::put_contact, crate::vfu_api::delete_contact,
          crate::vfu_api::municipality_placements_json, crate::vfu_api::municipality_placements_csv, crate::vfu_api::municipality_placements_xlsx,
          crate::forecast::api::municipality_forecast, crate::forecast::api::get_input, crate::forecast::api::put_input,
          crate::forecast::api::region, crate::forecast::api::clusters, crate::forecast::api::cluster,
          crate::allocation::api::get_rules, crate::allocation::api::put_rules, crate::allocation::api::run_allocation,
          crate::allocation::api::put_lock, crate::allocation::api::delete_lock, crate::allocation::api::publish),
    components(schemas(MunicipalityRecord, crate::region::api::UniversityRecord, crate::region::api::CampusRecord, crate::region::api::LearningCentreRecord, crate::region::api::ServicesRecord, crate::region::api::OccupationRecord, ErrorBody, crate::region::api::Health,
          crate::accounts::api::Me, crate::accounts::api::ServicesInput, kkig_store::AuditEntry, kkig_store::TokenRecord,
          crate::catalogue::api::OfferingPage, crate::catalogue::api::OfferingHit, crate::catalogue::api::OfferingRecord, crate::catalogue::api::ReachabilityRow,
          crate::http::error::FieldProblem,
          crate::vfu_api::SiteRecord, crate::vfu_api::SiteBody, crate::vfu_api::HostingRecord, crate::vfu_api::InterestBody, crate::vfu_api::WaitingRecord,
          crate::vfu_api::SupervisorRecord, crate::vfu_api::SupervisorBody, crate::vfu_api::InviteBody,
          crate::vfu_api::PeriodRecord, crate::vfu_api::PeriodBody, crate::vfu_api::StudentRecord, crate::vfu_api::StudentBody, crate::vfu_api::WishesBody,
          crate::vfu_api::PlacementRecord, crate::vfu_api::StatusStep, crate::vfu_api::NewPlacementBody, crate::vfu_api::PlacementBody, crate::vfu_api::TransitionBody,
          crate::vfu_api::TrainingNeedRecord, crate::vfu_api::TrainingNeedRowRecord, crate::vfu_api::InviteCandidateRecord, crate::vfu_api::CompensationRecord,
          crate::vfu_api::RaciRecord, crate::vfu_api::RaciRowRecord, crate::vfu_api::RaciBody, crate::vfu_api::ContactRecord, crate::vfu_api::ContactBody,
          crate::vfu_api::PlacementLineRecord, crate::vfu_api::VfuMe, crate::vfu_api::MyStudy, crate::vfu_api::MyPlacement, crate::vfu_api::MySupervisee,
          crate::forecast::api::ForecastRecord, crate::forecast::api::YearFlowRecord, crate::forecast::api::TotalsRecord, crate::forecast::api::InputRecord,
          crate::forecast::api::InputBody, crate::forecast::api::RegionRecord, crate::forecast::api::RegionRowRecord, crate::forecast::api::OccupationSumRecord,
          crate::forecast::api::ClusterRecord, crate::forecast::api::ClusterViewRecord,
          crate::allocation::api::RulesRecord, crate::allocation::api::AssignmentRecord, crate::allocation::api::PreviewStudentRecord,
          crate::allocation::api::TravelBucketRecord, crate::allocation::api::PreviewSummaryRecord, crate::allocation::api::PreviewRecord,
          crate::allocation::api::PublishRecord, crate::allocation::api::LockBody, kkig_store::AllocationLock, kkig_store::PublishReport)),
    modifiers(&BearerAuth),
    tags(
        (name = "vfu", description = "The VFU registry (work placements): placement sites and hosting interest, supervisors, periods, students, placements and their lifecycle, RACI and contacts per municipality, training need, compensation basis, lists and calendar"),
        (name = "forecast", description = "The competence-supply forecast: per municipality and occupation in the engine's output shape, the regional table, clusters, and the inputs (staff by age, vacancies, completion share)"),
        (name = "catalogue", description = "Education reachable from each municipality: search, pathways, reachability"),
        (name = "accounts", description = "The signed-in user, personal data within the reader's scope, tokens and the audit log"),
        (name = "region", description = "Reference facts about the region, with their sources"),
        (name = "operations", description = "Health of the service")
    )
)]
pub struct ApiDoc;

/// Declares the `Authorization: Bearer` scheme of personal API tokens.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A personal API token from \"Mitt konto\" (/konto): kkig_ followed by 64 hex digits. It has the permissions of its user, expires, and can be revoked."))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document, generated once from the code.
pub static OPENAPI_JSON: LazyLock<String> = LazyLock::new(|| {
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
});

pub async fn openapi_json() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI_JSON.as_str()).into_response()
}
