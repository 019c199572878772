//! The VFU registry's JSON API under `/api/v1/vfu/`: placement sites and their hosting
//! interest, supervisors and their training, VFU periods, students, placements and their
//! lifecycle, the RACI matrix and contact persons of each municipality, the views (training
//! need, compensation basis), placement lists as CSV/XLSX, the iCalendar of periods, and
//! `me` for students and supervisors.
//!
//! Every write goes through the store's audited methods with the signed-in user as actor.
//! Every handler asks [`Principal::may`]: a record outside the reader's scope is answered 404
//! like a record that does not exist; a readable record the user may not change is 403.
//! Invalid input is 422 with every bad field named (`fields`); a body that is not JSON of the
//! right shape is 400; a refused lifecycle step or a delete blocked by other records is 409.
//!
//! Inputs take the same field names as the import files; every value may be a JSON string,
//! number or boolean, and list fields (`fields`, `wishes`, `subjects`, `unavailable_terms`)
//! may also be arrays of strings. What GET returns can be sent back with PUT.

use std::collections::{BTreeMap, HashMap};

use crate::http::guard::{Guard, Op, Routes, Surface};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kkig_core::access::{Action, Principal, Target};
use kkig_core::geo::TravelModel;
use kkig_core::ids::*;
use kkig_core::vfu::input::{HostingInput, PeriodInput, SiteInput, StudentInput, SupervisorInput};
use kkig_core::vfu::lifecycle::{next_statuses, waiting_list_for, LifecycleError, TimelineRules};
use kkig_core::vfu::raci::{RaciCell, RaciModel, RaciRole, RaciRow, RaciTask, VfuContact};
use kkig_core::vfu::{
    Day, FieldError, FieldSpec, InviteStatus, Placement, PlacementSite, PlacementStatus, ProgrammeType, Supervisor,
    VfuContext, VfuPeriod, VfuStudent,
};
use kkig_core::Kommunkod;
use kkig_formats::vfu::PlacementAudience;
use kkig_store::{PlacementFilter, StudentFilter, UserRecord};
use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::http::auth::{actor, ApiUser};
use crate::http::clock::today;
use crate::http::error::{
    blocked, body, forbidden, invalid, invalid_field, query, status_error, ApiError, ApiResult, ErrorBody,
};
use crate::http::openapi::{BadRequest, Forbidden, Invalid, NotFound, Unauthenticated};

/// The result of a VFU API handler.
pub(crate) type R<T> = ApiResult<T>;
use crate::AppState;

mod contacts;
mod exports;
mod input;
mod me;
mod periods;
mod placements;
mod raci;
mod records;
mod scope;
mod sites;
mod students;
mod supervisors;
mod views;

pub use contacts::*;
pub use exports::*;
pub use input::*;
pub use me::*;
pub use periods::*;
pub use placements::*;
pub use raci::*;
pub use records::*;
use scope::*;
pub use sites::*;
pub use students::*;
pub use supervisors::*;
pub use views::*;

/// The routes of the VFU API, relative to `/api` (merged into the API router).
pub fn routes() -> Routes {
    let (sites, site, supervisors, supervisor) = (
        "/v1/vfu/sites",
        "/v1/vfu/sites/{id}",
        "/v1/vfu/supervisors",
        "/v1/vfu/supervisors/{id}",
    );
    let (periods, period, students, student) = (
        "/v1/vfu/periods",
        "/v1/vfu/periods/{id}",
        "/v1/vfu/students",
        "/v1/vfu/students/{id}",
    );
    let (placements, placement) = ("/v1/vfu/placements", "/v1/vfu/placements/{id}");
    let (raci, contacts, contact) = (
        "/v1/vfu/municipalities/{code}/raci/{programme}",
        "/v1/vfu/municipalities/{code}/contacts",
        "/v1/vfu/contacts/{id}",
    );
    Routes::new(Surface::Api)
        .get("/v1/vfu/me", me)
        .put("/v1/vfu/me/students/{id}/wishes", Op::VfuStudentWishes, put_my_wishes)
        .get(sites, list_sites)
        .post(sites, Op::VfuSiteCreate, create_site)
        .get(site, get_site)
        .put(site, Op::VfuSiteUpdate, put_site)
        .delete(site, Op::VfuSiteDelete, delete_site)
        .get("/v1/vfu/sites/{id}/interest", site_interest)
        .put("/v1/vfu/sites/{id}/interest/{term}", Op::VfuHostingSet, put_interest)
        .delete(
            "/v1/vfu/sites/{id}/interest/{term}",
            Op::VfuHostingDelete,
            delete_interest,
        )
        .get("/v1/vfu/sites/{id}/waiting-list", site_waiting_list)
        .get("/v1/vfu/sites/{id}/placements", site_placements_json)
        .get("/v1/vfu/sites/{id}/placements.csv", site_placements_csv)
        .get("/v1/vfu/sites/{id}/placements.xlsx", site_placements_xlsx)
        .get(supervisors, list_supervisors)
        .post(supervisors, Op::VfuSupervisorCreate, create_supervisor)
        .get(supervisor, get_supervisor)
        .put(supervisor, Op::VfuSupervisorUpdate, put_supervisor)
        .delete(supervisor, Op::VfuSupervisorDelete, delete_supervisor)
        .post(
            "/v1/vfu/supervisors/{id}/invite",
            Op::VfuSupervisorInvite,
            invite_supervisor,
        )
        .get(periods, list_periods)
        .post(periods, Op::VfuPeriodCreate, create_period)
        .get("/v1/vfu/periods.ics", periods_ics)
        .get(period, get_period)
        .put(period, Op::VfuPeriodUpdate, put_period)
        .delete(period, Op::VfuPeriodDelete, delete_period)
        .get("/v1/vfu/periods/{id}/students", period_students)
        .get(students, list_students)
        .post(students, Op::VfuStudentCreate, create_student)
        .get(student, get_student)
        .put(student, Op::VfuStudentUpdate, put_student)
        .delete(student, Op::VfuStudentDelete, delete_student)
        .get(placements, list_placements)
        .post(placements, Op::VfuPlacementCreate, create_placement)
        .get(placement, get_placement)
        .put(placement, Op::VfuPlacementUpdate, put_placement)
        .delete(placement, Op::VfuPlacementDelete, delete_placement)
        .post(
            "/v1/vfu/placements/{id}/transition",
            Op::VfuPlacementTransition,
            transition_placement,
        )
        .get("/v1/vfu/municipalities/{code}/training-need", training_need)
        .get("/v1/vfu/municipalities/{code}/compensation", compensation)
        .get("/v1/vfu/municipalities/{code}/raci", get_raci)
        .put(raci, Op::VfuRaciSet, put_raci)
        .delete(raci, Op::VfuRaciReset, reset_raci)
        .get(contacts, list_contacts)
        .post(contacts, Op::VfuContactCreate, create_contact)
        .get("/v1/vfu/municipalities/{code}/placements", municipality_placements_json)
        .get(
            "/v1/vfu/municipalities/{code}/placements.csv",
            municipality_placements_csv,
        )
        .get(
            "/v1/vfu/municipalities/{code}/placements.xlsx",
            municipality_placements_xlsx,
        )
        .put(contact, Op::VfuContactUpdate, put_contact)
        .delete(contact, Op::VfuContactDelete, delete_contact)
}

/// A record outside the reader's scope is answered like a record that does not exist.
fn not_found(what: impl std::fmt::Display) -> ApiError {
    ApiError::not_found(format!("no {what} that you may see"))
}

fn municipality_path(code: &str) -> R<Kommunkod> {
    Kommunkod::parse(code).map_err(|_| ApiError::not_found(format!("no municipality with code {code}")))
}

fn optional_municipality(field: &str, v: &Option<String>) -> R<Option<Kommunkod>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Kommunkod::parse(s)
            .map(Some)
            .map_err(|e| ApiError::bad_request(format!("{field}: {e}"))),
    }
}

fn may_municipal(p: &Principal, action: Action, m: Kommunkod) -> bool {
    p.may(action, &Target::VfuMunicipal { municipality: m })
}

/// The municipality's VFU records, as a target of the rule book.
fn municipal(m: Kommunkod) -> Target<'static> {
    Target::VfuMunicipal { municipality: m }
}

/// A supervisor's record, as a target of the rule book.
fn supervisor_target(s: &Supervisor) -> Target<'_> {
    Target::Supervisor {
        person_id: &s.person_id,
        municipality: s.municipality,
    }
}
