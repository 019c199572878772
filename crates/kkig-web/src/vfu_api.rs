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
use kkig_core::vfu::input::{HostingInput, PeriodInput, SiteInput, StudentInput, SupervisorInput};
use kkig_core::vfu::lifecycle::{next_statuses, waiting_list_for, LifecycleError, TimelineRules};
use kkig_core::vfu::raci::{RaciCell, RaciModel, RaciRole, RaciRow, RaciTask, VfuContact};
use kkig_core::vfu::{
    Day, FieldError, FieldSpec, InviteStatus, Placement, PlacementSite, PlacementStatus, ProgrammeType, Supervisor,
    VfuContext, VfuPeriod, VfuStudent,
};
use kkig_core::Kommunkod;
use kkig_formats::vfu::PlacementAudience;
use kkig_store::{Actor, PlacementFilter, StoreError, StudentFilter, UserRecord};
use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::http::auth::MaybeUser;
use crate::http::error::{ApiError, ErrorBody, FieldProblem};
use crate::AppState;

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

// ---------------------------------------------------------------------------------------------
// Errors

/// An error of the VFU API: a plain [`ApiError`], or invalid fields.
#[derive(Debug)]
pub enum VfuError {
    Api(ApiError),
    Fields {
        status: StatusCode,
        fields: Vec<FieldError>,
    },
}

pub(crate) type R<T> = Result<T, VfuError>;

impl From<ApiError> for VfuError {
    fn from(e: ApiError) -> Self {
        Self::Api(e)
    }
}

impl From<StoreError> for VfuError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Fields(fields) => Self::Fields {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                fields,
            },
            StoreError::Items(items) => Self::Fields {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                fields: items
                    .into_iter()
                    .map(|(i, f)| FieldError::new(&format!("{i}.{}", f.field), f.message))
                    .collect(),
            },
            StoreError::Conflict(m) => Self::Api(ApiError {
                status: StatusCode::CONFLICT,
                message: m,
            }),
            StoreError::Invalid(m) => Self::Api(ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                message: m,
            }),
            other => Self::Api(ApiError::from(other)),
        }
    }
}

impl IntoResponse for VfuError {
    fn into_response(self) -> Response {
        match self {
            Self::Api(e) => e.into_response(),
            Self::Fields { status, mut fields } => {
                // Parsing and the rules of the whole record may both notice a problem: once each.
                let mut seen = std::collections::HashSet::new();
                fields.retain(|f| seen.insert((f.field.clone(), f.message.clone())));
                let what = if status == StatusCode::CONFLICT {
                    "refused"
                } else {
                    "invalid input"
                };
                let error = format!(
                    "{what}: {}",
                    fields.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("; ")
                );
                let fields = fields
                    .into_iter()
                    .map(|f| FieldProblem {
                        field: f.field,
                        message: f.message,
                    })
                    .collect();
                (status, Json(ErrorBody { error, fields })).into_response()
            }
        }
    }
}

fn invalid(fields: Vec<FieldError>) -> VfuError {
    VfuError::Fields {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        fields,
    }
}

pub(crate) fn invalid_field(field: &str, message: impl Into<String>) -> VfuError {
    invalid(vec![FieldError::new(field, message)])
}

/// A store error of a delete: a refusal because other records refer to it is 409.
fn blocked(e: StoreError) -> VfuError {
    match VfuError::from(e) {
        VfuError::Fields { fields, .. } => VfuError::Fields {
            status: StatusCode::CONFLICT,
            fields,
        },
        other => other,
    }
}

fn status_error(status: StatusCode, message: impl Into<String>) -> VfuError {
    VfuError::Api(ApiError {
        status,
        message: message.into(),
    })
}

fn unauthorized() -> VfuError {
    status_error(
        StatusCode::UNAUTHORIZED,
        "sign in, or send Authorization: Bearer TOKEN with a valid API token",
    )
}

pub(crate) fn forbidden(what: impl std::fmt::Display) -> VfuError {
    status_error(
        StatusCode::FORBIDDEN,
        format!("your role and scope do not allow this: {what}"),
    )
}

fn not_found(what: impl std::fmt::Display) -> VfuError {
    VfuError::Api(ApiError::not_found(format!("no {what} that you may see")))
}

pub(crate) fn user(me: MaybeUser) -> R<UserRecord> {
    me.0.map(|(u, _)| u).ok_or_else(unauthorized)
}

pub(crate) fn actor(u: &UserRecord) -> Actor {
    Actor::user(&u.id)
}

pub(crate) fn body<T>(b: Result<Json<T>, JsonRejection>) -> R<T> {
    b.map(|Json(v)| v)
        .map_err(|e| ApiError::bad_request(e.body_text()).into())
}

pub(crate) fn query<T>(q: Result<Query<T>, QueryRejection>) -> R<T> {
    q.map(|Query(v)| v)
        .map_err(|e| ApiError::bad_request(e.body_text()).into())
}

fn municipality_path(code: &str) -> R<Kommunkod> {
    Kommunkod::parse(code).map_err(|_| ApiError::not_found(format!("no municipality with code {code}")).into())
}

fn optional_municipality(field: &str, v: &Option<String>) -> R<Option<Kommunkod>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Kommunkod::parse(s)
            .map(Some)
            .map_err(|e| ApiError::bad_request(format!("{field}: {e}")).into()),
    }
}

pub(crate) fn today() -> Day {
    Day(time::OffsetDateTime::now_utc().date())
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

// ---------------------------------------------------------------------------------------------
// Input values

/// A value of an input field: a JSON string, number, boolean or null, or a list of them.
/// Kept as the text the core validation reads (lists joined with `|`, or `,` for subjects).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flex {
    text: String,
    list: Option<Vec<String>>,
}

impl Flex {
    fn joined(&self, sep: &str) -> String {
        self.list
            .as_ref()
            .map(|l| l.join(sep))
            .unwrap_or_else(|| self.text.clone())
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

impl<'de> Deserialize<'de> for Flex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        if let Value::Array(items) = &v {
            let list = items
                .iter()
                .map(scalar)
                .collect::<Option<Vec<String>>>()
                .ok_or_else(|| D::Error::custom("expected a list of strings"))?;
            return Ok(Flex {
                text: list.join("|"),
                list: Some(list),
            });
        }
        scalar(&v)
            .map(|text| Flex { text, list: None })
            .ok_or_else(|| D::Error::custom("expected a string, a number, true/false or a list of strings"))
    }
}

fn text(f: &Option<Flex>) -> String {
    f.as_ref().map(|f| f.joined("|")).unwrap_or_default()
}

fn subjects_text(f: &Option<Flex>) -> String {
    f.as_ref().map(|f| f.joined(",")).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Records (what the API returns)

/// A placement site.
#[derive(Debug, Serialize, ToSchema)]
pub struct SiteRecord {
    pub id: String,
    /// Kommunkod of the municipality that keeps the site.
    #[schema(example = "2422")]
    pub municipality: String,
    pub name: String,
    /// preschool, school, upper_secondary, care_home, home_care, health_centre, social_services.
    pub kind: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    /// The fields the site takes, each `FIELD` or `FIELD:subject,subject`.
    #[schema(example = json!(["teacher_f3:svenska,matematik", "teacher_4_6"]))]
    pub fields: Vec<String>,
}

fn field_specs(list: &[FieldSpec]) -> Vec<String> {
    list.iter()
        .map(|f| FieldSpec::format_list(std::slice::from_ref(f)))
        .collect()
}

impl From<&PlacementSite> for SiteRecord {
    fn from(s: &PlacementSite) -> Self {
        Self {
            id: s.id.clone(),
            municipality: s.municipality.to_string(),
            name: s.name.clone(),
            kind: s.kind.as_str().into(),
            address: s.address.clone(),
            lat: s.position.lat,
            lon: s.position.lon,
            fields: field_specs(&s.fields),
        }
    }
}

/// A site's answer for one term.
#[derive(Debug, Serialize, ToSchema)]
pub struct HostingRecord {
    pub site_id: String,
    #[schema(example = "HT2026")]
    pub term: String,
    /// yes, maybe or no.
    pub interest: String,
    pub capacity: u32,
    pub reason: String,
}

impl From<&kkig_core::vfu::HostingInterest> for HostingRecord {
    fn from(h: &kkig_core::vfu::HostingInterest) -> Self {
        Self {
            site_id: h.site_id.clone(),
            term: h.term.to_string(),
            interest: h.interest.as_str().into(),
            capacity: h.capacity,
            reason: h.reason.clone(),
        }
    }
}

/// A supervisor (handledare) with their training and invitation.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupervisorRecord {
    pub id: String,
    pub person_id: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub municipality: String,
    pub site_id: Option<String>,
    pub fields: Vec<String>,
    pub employment_percent: f64,
    /// none, introduction, course_started or completed.
    pub training: String,
    pub training_date: Option<String>,
    pub training_university: Option<String>,
    pub students_per_period: u32,
    pub unavailable_terms: Vec<String>,
    pub consent_contact: bool,
    /// not_invited, invited, enrolled or completed.
    pub invite: String,
    pub invite_date: Option<String>,
}

impl From<&Supervisor> for SupervisorRecord {
    fn from(s: &Supervisor) -> Self {
        Self {
            id: s.id.clone(),
            person_id: s.person_id.clone(),
            name: s.name.clone(),
            email: s.email.clone(),
            phone: s.phone.clone(),
            municipality: s.municipality.to_string(),
            site_id: s.site_id.clone(),
            fields: field_specs(&s.fields),
            employment_percent: s.employment_percent,
            training: s.training.level.as_str().into(),
            training_date: s.training.date.map(|d| d.to_string()),
            training_university: s.training.university.clone(),
            students_per_period: s.students_per_period,
            unavailable_terms: s.unavailable_terms.iter().map(|t| t.to_string()).collect(),
            consent_contact: s.consent_contact,
            invite: s.invite.as_str().into(),
            invite_date: s.invite_date.map(|d| d.to_string()),
        }
    }
}

/// A VFU period of a university course.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodRecord {
    pub id: String,
    #[schema(example = "LTU")]
    pub university: String,
    pub programme: String,
    pub course_code: String,
    pub term: String,
    #[schema(example = "2026-09-07")]
    pub start: String,
    pub end: String,
    pub field: String,
    /// Students expected on the period.
    pub students: u32,
    /// `code` or `code:max age in days`, e.g. `registerutdrag:365`.
    pub requirements: Vec<String>,
    pub capacity_deadline: String,
    /// Whole weeks the period covers.
    pub weeks: u32,
}

impl From<&VfuPeriod> for PeriodRecord {
    fn from(p: &VfuPeriod) -> Self {
        Self {
            id: p.id.clone(),
            university: p.university.clone(),
            programme: p.programme.clone(),
            course_code: p.course_code.clone(),
            term: p.term.to_string(),
            start: p.start.to_string(),
            end: p.end.to_string(),
            field: p.field.code().into(),
            students: p.students,
            requirements: p
                .requirements
                .iter()
                .map(|r| kkig_core::vfu::input::format_requirements(std::slice::from_ref(r)))
                .collect(),
            capacity_deadline: p.capacity_deadline.to_string(),
            weeks: p.weeks(),
        }
    }
}

/// A student on a VFU period.
#[derive(Debug, Serialize, ToSchema)]
pub struct StudentRecord {
    pub id: String,
    pub person_id: String,
    pub period_id: String,
    pub name: String,
    pub email: String,
    pub home_municipality: String,
    pub home_lat: Option<f64>,
    pub home_lon: Option<f64>,
    pub field: String,
    pub subjects: Vec<String>,
    /// Up to three site ids or kommunkods, most wanted first.
    pub wishes: Vec<String>,
    pub no_driving_licence: bool,
    pub needs_public_transport: bool,
    /// medical, sole_caregiver or other.
    pub priority: Option<String>,
    pub note: String,
    /// The day the police record extract was issued.
    pub registerutdrag: Option<String>,
}

impl From<&VfuStudent> for StudentRecord {
    fn from(s: &VfuStudent) -> Self {
        Self {
            id: s.id.clone(),
            person_id: s.person_id.clone(),
            period_id: s.period_id.clone(),
            name: s.name.clone(),
            email: s.email.clone(),
            home_municipality: s.home_municipality.to_string(),
            home_lat: s.home_position.map(|p| p.lat),
            home_lon: s.home_position.map(|p| p.lon),
            field: s.field.code().into(),
            subjects: s.subjects.clone(),
            wishes: s.wishes.iter().map(|w| w.as_text()).collect(),
            no_driving_licence: s.needs.no_driving_licence,
            needs_public_transport: s.needs.needs_public_transport,
            priority: s.needs.priority.map(|p| p.as_str().to_string()),
            note: s.needs.note.clone(),
            registerutdrag: s
                .requirements
                .iter()
                .find(|r| r.code == "registerutdrag")
                .and_then(|r| r.issued)
                .map(|d| d.to_string()),
        }
    }
}

/// One step of a placement's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusStep {
    pub status: String,
    pub on: String,
}

/// A placement of a student at a site.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementRecord {
    pub id: String,
    pub student_id: String,
    pub site_id: String,
    pub supervisor_id: Option<String>,
    /// requested, offered, confirmed, started, completed or withdrawn.
    pub status: String,
    pub history: Vec<StatusStep>,
    /// On the waiting list for a better placement (återbudskö).
    pub waiting_for_better: bool,
    pub note: String,
    /// The statuses the placement can go to next.
    pub next: Vec<String>,
}

impl From<&Placement> for PlacementRecord {
    fn from(p: &Placement) -> Self {
        Self {
            id: p.id.clone(),
            student_id: p.student_id.clone(),
            site_id: p.site_id.clone(),
            supervisor_id: p.supervisor_id.clone(),
            status: p.status.as_str().into(),
            history: p
                .history
                .iter()
                .map(|c| StatusStep {
                    status: c.status.as_str().into(),
                    on: c.on.to_string(),
                })
                .collect(),
            waiting_for_better: p.waiting_for_better,
            note: p.note.clone(),
            next: next_statuses(p.status).iter().map(|s| s.as_str().to_string()).collect(),
        }
    }
}

/// A student on the waiting list for a freed seat at a site, best first.
#[derive(Debug, Serialize, ToSchema)]
pub struct WaitingRecord {
    pub student_id: String,
    pub placement_id: String,
    /// Rank of this site among the student's wishes (0 = first wish).
    pub rank_of_freed: usize,
    pub rank_of_current: Option<usize>,
    pub priority: bool,
    pub since: String,
}

/// One field and term of a municipality's training need.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingNeedRowRecord {
    pub field: String,
    pub term: String,
    pub students_from_municipality: u32,
    pub not_yet_listed: u32,
    pub expected_demand: u32,
    pub trained_capacity: u32,
    pub trained_supervisors: u32,
    pub in_training_capacity: u32,
    pub gap: u32,
}

/// A supervisor who could be invited to training.
#[derive(Debug, Serialize, ToSchema)]
pub struct InviteCandidateRecord {
    pub supervisor_id: String,
    pub name: String,
    pub site_id: Option<String>,
    pub training: String,
    pub invite: String,
    pub fields_with_gap: Vec<String>,
    pub students_per_period: u32,
}

/// A municipality's training need: VFU demand against trained supervisors' capacity.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingNeedRecord {
    pub municipality: String,
    /// The municipality's share of places not yet listed (0–1).
    pub share: f64,
    pub rows: Vec<TrainingNeedRowRecord>,
    pub candidates: Vec<InviteCandidateRecord>,
}

/// Placements and student-weeks per municipality, university and term.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompensationRecord {
    pub municipality: String,
    pub university: String,
    pub term: String,
    pub placements: u32,
    pub student_weeks: u32,
}

/// One task of a RACI matrix with R/A/C/I per role.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RaciRowRecord {
    /// announce_periods, confirm_capacity, appoint_supervisors, supervisor_training, allocate,
    /// publish_placements, check_requirements, introduce_student, supervise, three_party_meeting,
    /// assess, compensation_basis, handle_problems.
    pub task: String,
    /// Role (municipal_coordinator, unit_responsible, manager, supervisor,
    /// university_coordinator, course_leader, student) → `A`, `R`, `A/R`, `C`, `I` or empty.
    #[schema(example = json!({"municipal_coordinator": "A", "unit_responsible": "R"}))]
    pub cells: BTreeMap<String, String>,
}

/// A municipality's roles-and-responsibilities matrix of one programme type.
#[derive(Debug, Serialize, ToSchema)]
pub struct RaciRecord {
    pub municipality: String,
    /// teacher, nursing or social_work.
    pub programme: String,
    /// True when the municipality has adapted the default model.
    pub adapted: bool,
    pub rows: Vec<RaciRowRecord>,
}

fn raci_record(m: Kommunkod, model: &RaciModel, adapted: bool) -> RaciRecord {
    RaciRecord {
        municipality: m.to_string(),
        programme: model.programme.as_str().into(),
        adapted,
        rows: model
            .rows
            .iter()
            .map(|r| RaciRowRecord {
                task: r.task.as_str().into(),
                cells: RaciRole::ALL
                    .iter()
                    .map(|role| (role.as_str().to_string(), r.cell(*role).to_string()))
                    .collect(),
            })
            .collect(),
    }
}

/// A contact person for a role in a municipality. Public, e-mail and phone included: the
/// municipality names contact persons so that students, sites and universities can reach them
/// (the form says so before it is saved).
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactRecord {
    pub id: String,
    pub municipality: String,
    /// A RACI role, e.g. municipal_coordinator.
    pub role: String,
    /// teacher, nursing, social_work, or null for every programme type.
    pub programme: Option<String>,
    pub name: String,
    pub title: String,
    /// Work e-mail.
    pub email: String,
    /// Work phone; empty when none is given.
    pub phone: String,
}

fn contact_record(c: &VfuContact) -> ContactRecord {
    ContactRecord {
        id: c.id.clone(),
        municipality: c.municipality.to_string(),
        role: c.role.as_str().into(),
        programme: c.programme.map(|p| p.as_str().to_string()),
        name: c.name.clone(),
        title: c.title.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// Scope helpers

/// What the rules need to know about students and sites, loaded once per request.
struct Scope {
    /// Student id → (person id, university, home municipality).
    students: HashMap<String, (String, String, Kommunkod)>,
    sites: HashMap<String, Kommunkod>,
}

impl Scope {
    async fn load(state: &AppState) -> R<Self> {
        let periods: HashMap<String, String> = state
            .store
            .vfu_periods(None)
            .await?
            .into_iter()
            .map(|p| (p.id, p.university))
            .collect();
        let students = state
            .store
            .vfu_students(&StudentFilter::default())
            .await?
            .into_iter()
            .map(|s| {
                let uni = periods.get(&s.period_id).cloned().unwrap_or_default();
                (s.id, (s.person_id, uni, s.home_municipality))
            })
            .collect();
        let sites = state.store.vfu_context().await?.sites.into_iter().collect();
        Ok(Self { students, sites })
    }

    fn placement_allows(&self, p: &Principal, action: Action, pl: &Placement) -> bool {
        let (Some((person, uni, _)), Some(m)) = (self.students.get(&pl.student_id), self.sites.get(&pl.site_id)) else {
            return p.may(action, &Target::Administration);
        };
        p.may(
            action,
            &Target::Placement {
                student_person_id: person,
                university: uni,
                site_municipality: *m,
            },
        )
    }

    /// Whether the route's guard lets `p` change this placement (admin only for a placement
    /// whose student or site is gone).
    fn placement_writable(&self, guard: &Guard, p: &Principal, pl: &Placement) -> bool {
        let (Some((person, uni, _)), Some(m)) = (self.students.get(&pl.student_id), self.sites.get(&pl.site_id)) else {
            return p.may(Action::Write, &Target::Administration);
        };
        guard.allows(
            p,
            &Target::Placement {
                student_person_id: person,
                university: uni,
                site_municipality: *m,
            },
        )
    }
}

async fn period_university(state: &AppState, period_id: &str) -> R<String> {
    Ok(state
        .store
        .vfu_period(period_id)
        .await?
        .map(|p| p.university)
        .unwrap_or_default())
}

/// Whether the route's guard lets `p` change this student's record.
async fn writes_student(state: &AppState, guard: &Guard, p: &Principal, s: &VfuStudent) -> R<bool> {
    let uni = period_university(state, &s.period_id).await?;
    Ok(guard.allows(
        p,
        &Target::VfuStudent {
            person_id: &s.person_id,
            university: &uni,
            home_municipality: s.home_municipality,
        },
    ))
}

async fn student_allows(state: &AppState, p: &Principal, action: Action, s: &VfuStudent) -> R<bool> {
    let uni = period_university(state, &s.period_id).await?;
    Ok(p.may(
        action,
        &Target::VfuStudent {
            person_id: &s.person_id,
            university: &uni,
            home_municipality: s.home_municipality,
        },
    ))
}

fn supervisor_allows(p: &Principal, action: Action, s: &Supervisor) -> bool {
    p.may(
        action,
        &Target::Supervisor {
            person_id: &s.person_id,
            municipality: s.municipality,
        },
    )
}

async fn readable_site(state: &AppState, u: &UserRecord, id: &str) -> R<PlacementSite> {
    match state.store.placement_site(id).await? {
        Some(s) if may_municipal(&u.principal(), Action::Read, s.municipality) => Ok(s),
        _ => Err(not_found(format!("placement site {id}"))),
    }
}

// ---------------------------------------------------------------------------------------------
// Sites

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SiteQuery {
    /// Only the sites of this municipality (kommunkod).
    pub municipality: Option<String>,
}

/// A placement site as the API takes it (the columns of the sites file).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SiteBody {
    /// Empty on create: kkig gives an id. Ignored on update (the path names the site).
    #[schema(value_type = Option<String>)]
    pub id: Option<Flex>,
    #[schema(value_type = String, example = "2422")]
    pub municipality: Option<Flex>,
    #[schema(value_type = String)]
    pub name: Option<Flex>,
    /// preschool, school, upper_secondary, care_home, home_care, health_centre, social_services
    /// (or the Swedish words).
    #[schema(value_type = String)]
    pub kind: Option<Flex>,
    #[schema(value_type = Option<String>)]
    pub address: Option<Flex>,
    /// WGS84; without lat/lon the municipality's seat is used.
    #[schema(value_type = Option<f64>)]
    pub lat: Option<Flex>,
    #[schema(value_type = Option<f64>)]
    pub lon: Option<Flex>,
    /// A list of `FIELD` or `FIELD:subject,subject`, or one string joined with `|`.
    #[schema(value_type = Vec<String>)]
    pub fields: Option<Flex>,
}

impl SiteBody {
    fn input(&self) -> SiteInput {
        SiteInput {
            id: text(&self.id),
            municipality: text(&self.municipality),
            name: text(&self.name),
            kind: text(&self.kind),
            address: text(&self.address),
            lat: text(&self.lat),
            lon: text(&self.lon),
            fields: text(&self.fields),
        }
    }
}

/// Placement sites you may see (municipalities: their own; universities, regional: all).
#[utoipa::path(get, path = "/api/v1/vfu/sites", tag = "vfu", security(("bearer" = [])), params(SiteQuery),
    responses((status = 200, body = [SiteRecord]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_sites(
    State(state): State<AppState>,
    me: MaybeUser,
    q: Result<Query<SiteQuery>, QueryRejection>,
) -> R<Json<Vec<SiteRecord>>> {
    let u = user(me)?;
    let q = query(q)?;
    let m = optional_municipality("municipality", &q.municipality)?;
    let p = u.principal();
    if let Some(m) = m {
        if !may_municipal(&p, Action::Read, m) {
            return Err(forbidden(format!("the placement sites of municipality {m}")));
        }
    }
    let sites = state.store.placement_sites(m).await?;
    Ok(Json(
        sites
            .iter()
            .filter(|s| may_municipal(&p, Action::Read, s.municipality))
            .map(SiteRecord::from)
            .collect(),
    ))
}

/// Create a placement site (the municipality's coordinators, admin).
#[utoipa::path(post, path = "/api/v1/vfu/sites", tag = "vfu", security(("bearer" = [])), request_body = SiteBody,
    responses((status = 201, body = SiteRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, description = "Invalid fields, each named", body = ErrorBody)))]
pub async fn create_site(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    b: Result<Json<SiteBody>, JsonRejection>,
) -> R<(StatusCode, Json<SiteRecord>)> {
    let u = user(me)?;
    let input = body(b)?.input();
    if let Ok(m) = Kommunkod::parse(input.municipality.trim()) {
        if !guard.allows(&u.principal(), &municipal(m)) {
            return Err(forbidden(format!("placement sites of municipality {m}")));
        }
    }
    let ctx = state.store.vfu_context().await?;
    let site = input.parse(&ctx).map_err(invalid)?;
    if !guard.allows(&u.principal(), &municipal(site.municipality)) {
        return Err(forbidden(format!(
            "placement sites of municipality {}",
            site.municipality
        )));
    }
    let id = state.store.create_placement_site(&site, &actor(&u)).await?;
    let saved = state
        .store
        .placement_site(&id)
        .await?
        .ok_or_else(|| not_found(format!("placement site {id}")))?;
    Ok((StatusCode::CREATED, Json(SiteRecord::from(&saved))))
}

/// One placement site.
#[utoipa::path(get, path = "/api/v1/vfu/sites/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = SiteRecord), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_site(State(state): State<AppState>, me: MaybeUser, Path(id): Path<String>) -> R<Json<SiteRecord>> {
    let u = user(me)?;
    Ok(Json(SiteRecord::from(&readable_site(&state, &u, &id).await?)))
}

/// Replace a placement site.
#[utoipa::path(put, path = "/api/v1/vfu/sites/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)), request_body = SiteBody,
    responses((status = 200, body = SiteRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_site(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
    b: Result<Json<SiteBody>, JsonRejection>,
) -> R<Json<SiteRecord>> {
    let u = user(me)?;
    let old = readable_site(&state, &u, &id).await?;
    let p = u.principal();
    if !guard.allows(&p, &municipal(old.municipality)) {
        return Err(forbidden(format!(
            "placement site {id} belongs to municipality {}",
            old.municipality
        )));
    }
    let mut input = body(b)?.input();
    input.id = id.clone();
    let ctx = state.store.vfu_context().await?;
    let site = input.parse(&ctx).map_err(invalid)?;
    if !guard.allows(&p, &municipal(site.municipality)) {
        return Err(forbidden(format!(
            "placement sites of municipality {}",
            site.municipality
        )));
    }
    state.store.update_placement_site(&site, &actor(&u)).await?;
    Ok(Json(SiteRecord::from(&site)))
}

/// Delete a placement site (409 while placements refer to it).
#[utoipa::path(delete, path = "/api/v1/vfu/sites/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "Placements refer to the site", body = ErrorBody)))]
pub async fn delete_site(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
) -> R<StatusCode> {
    let u = user(me)?;
    let old = readable_site(&state, &u, &id).await?;
    if !guard.allows(&u.principal(), &municipal(old.municipality)) {
        return Err(forbidden(format!(
            "placement site {id} belongs to municipality {}",
            old.municipality
        )));
    }
    state
        .store
        .delete_placement_site(&id, &actor(&u))
        .await
        .map_err(blocked)?;
    Ok(StatusCode::NO_CONTENT)
}

/// A site's hosting answers, by term.
#[utoipa::path(get, path = "/api/v1/vfu/sites/{id}/interest", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = [HostingRecord]), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn site_interest(
    State(state): State<AppState>,
    me: MaybeUser,
    Path(id): Path<String>,
) -> R<Json<Vec<HostingRecord>>> {
    let u = user(me)?;
    let site = readable_site(&state, &u, &id).await?;
    let all = state.store.hosting_interests(Some(site.municipality), None).await?;
    Ok(Json(
        all.iter()
            .filter(|h| h.site_id == id)
            .map(HostingRecord::from)
            .collect(),
    ))
}

/// A site's answer for one term.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct InterestBody {
    /// yes, maybe or no (ja, kanske, nej).
    #[schema(value_type = String, example = "yes")]
    pub interest: Option<Flex>,
    /// Students the site can take that term (0 when no).
    #[schema(value_type = Option<i64>)]
    pub capacity: Option<Flex>,
    /// Required when the answer is no.
    #[schema(value_type = Option<String>)]
    pub reason: Option<Flex>,
}

/// Set a site's hosting interest and capacity for a term (the municipality confirms capacity).
#[utoipa::path(put, path = "/api/v1/vfu/sites/{id}/interest/{term}", tag = "vfu", security(("bearer" = [])),
    params(("id" = String, Path), ("term" = String, Path, example = "HT2026")), request_body = InterestBody,
    responses((status = 200, body = HostingRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_interest(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path((id, term)): Path<(String, String)>,
    b: Result<Json<InterestBody>, JsonRejection>,
) -> R<Json<HostingRecord>> {
    let u = user(me)?;
    let site = readable_site(&state, &u, &id).await?;
    if !guard.allows(&u.principal(), &municipal(site.municipality)) {
        return Err(forbidden(format!(
            "placement site {id} belongs to municipality {}",
            site.municipality
        )));
    }
    let b = body(b)?;
    let input = HostingInput {
        site_id: id,
        term,
        interest: text(&b.interest),
        capacity: text(&b.capacity),
        reason: text(&b.reason),
    };
    let ctx = state.store.vfu_context().await?;
    let h = input.parse(&ctx).map_err(invalid)?;
    state.store.set_hosting_interest(&h, &actor(&u)).await?;
    Ok(Json(HostingRecord::from(&h)))
}

/// Delete a site's answer for a term (the municipality's coordinators).
#[utoipa::path(delete, path = "/api/v1/vfu/sites/{id}/interest/{term}", tag = "vfu", security(("bearer" = [])),
    params(("id" = String, Path), ("term" = String, Path, example = "HT2026")),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_interest(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path((id, term)): Path<(String, String)>,
) -> R<StatusCode> {
    let u = user(me)?;
    let site = readable_site(&state, &u, &id).await?;
    if !guard.allows(&u.principal(), &municipal(site.municipality)) {
        return Err(forbidden(format!(
            "placement site {id} belongs to municipality {}",
            site.municipality
        )));
    }
    let t =
        kkig_core::vfu::Term::parse(&term).map_err(|_| not_found(format!("answer of site {id} for term {term}")))?;
    if state.store.delete_hosting_interest(&site.id, t, &actor(&u)).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found(format!("answer of site {id} for term {t}")))
    }
}

/// The waiting list for a freed seat at a site: students whose placement waits for a better one
/// and who wished this site higher, best first (only those you may see).
#[utoipa::path(get, path = "/api/v1/vfu/sites/{id}/waiting-list", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = [WaitingRecord]), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn site_waiting_list(
    State(state): State<AppState>,
    me: MaybeUser,
    Path(id): Path<String>,
) -> R<Json<Vec<WaitingRecord>>> {
    let u = user(me)?;
    let site = readable_site(&state, &u, &id).await?;
    let scope = Scope::load(&state).await?;
    let students = state.store.vfu_students(&StudentFilter::default()).await?;
    let placements = state.store.placements(&PlacementFilter::default()).await?;
    let p = u.principal();
    let by_id: HashMap<&str, &Placement> = placements.iter().map(|pl| (pl.id.as_str(), pl)).collect();
    let list = waiting_list_for(&site.id, site.municipality, &students, &placements, |s| {
        scope.sites.get(s).copied()
    });
    Ok(Json(
        list.into_iter()
            .filter(|c| {
                by_id
                    .get(c.placement_id.as_str())
                    .is_some_and(|pl| scope.placement_allows(&p, Action::Read, pl))
            })
            .map(|c| WaitingRecord {
                student_id: c.student_id,
                placement_id: c.placement_id,
                rank_of_freed: c.rank_of_freed,
                rank_of_current: c.rank_of_current,
                priority: c.priority,
                since: c.since.to_string(),
            })
            .collect(),
    ))
}

// ---------------------------------------------------------------------------------------------
// Supervisors

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SupervisorQuery {
    /// Only the supervisors of this municipality (kommunkod).
    pub municipality: Option<String>,
}

/// A supervisor as the API takes it (the columns of the supervisors file).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SupervisorBody {
    #[schema(value_type = String)]
    pub email: Option<Flex>,
    #[schema(value_type = String)]
    pub name: Option<Flex>,
    #[schema(value_type = Option<String>)]
    pub phone: Option<Flex>,
    /// Kommunkod; may be left out when `site_id` is given.
    #[schema(value_type = Option<String>)]
    pub municipality: Option<Flex>,
    #[schema(value_type = Option<String>)]
    pub site_id: Option<Flex>,
    #[schema(value_type = Vec<String>)]
    pub fields: Option<Flex>,
    #[schema(value_type = Option<f64>)]
    pub employment_percent: Option<Flex>,
    /// none, introduction, course_started or completed.
    #[schema(value_type = Option<String>)]
    pub training: Option<Flex>,
    #[schema(value_type = Option<String>)]
    pub training_date: Option<Flex>,
    #[schema(value_type = Option<String>)]
    pub training_university: Option<Flex>,
    #[schema(value_type = Option<i64>)]
    pub students_per_period: Option<Flex>,
    #[schema(value_type = Option<Vec<String>>)]
    pub unavailable_terms: Option<Flex>,
    #[schema(value_type = Option<bool>)]
    pub consent_contact: Option<Flex>,
    /// not_invited, invited, enrolled or completed.
    #[schema(value_type = Option<String>)]
    pub invite: Option<Flex>,
    #[schema(value_type = Option<String>)]
    pub invite_date: Option<Flex>,
}

impl SupervisorBody {
    fn input(&self) -> SupervisorInput {
        SupervisorInput {
            email: text(&self.email),
            name: text(&self.name),
            phone: text(&self.phone),
            municipality: text(&self.municipality),
            site_id: text(&self.site_id),
            fields: text(&self.fields),
            employment_percent: text(&self.employment_percent),
            training: text(&self.training),
            training_date: text(&self.training_date),
            training_university: text(&self.training_university),
            students_per_period: text(&self.students_per_period),
            unavailable_terms: text(&self.unavailable_terms),
            consent_contact: text(&self.consent_contact),
            invite: text(&self.invite),
            invite_date: text(&self.invite_date),
        }
    }
}

/// The municipality a supervisor input names, directly or through its site.
fn supervisor_municipality(input: &SupervisorInput, ctx: &VfuContext) -> Option<Kommunkod> {
    Kommunkod::parse(input.municipality.trim())
        .ok()
        .or_else(|| ctx.sites.get(input.site_id.trim()).copied())
}

async fn readable_supervisor(state: &AppState, u: &UserRecord, id: &str) -> R<Supervisor> {
    match state.store.supervisor(id).await? {
        Some(s) if supervisor_allows(&u.principal(), Action::Read, &s) => Ok(s),
        _ => Err(not_found(format!("supervisor {id}"))),
    }
}

/// Supervisors you may see (municipalities: their own; universities, regional: all; a
/// supervisor: themselves).
#[utoipa::path(get, path = "/api/v1/vfu/supervisors", tag = "vfu", security(("bearer" = [])), params(SupervisorQuery),
    responses((status = 200, body = [SupervisorRecord]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_supervisors(
    State(state): State<AppState>,
    me: MaybeUser,
    q: Result<Query<SupervisorQuery>, QueryRejection>,
) -> R<Json<Vec<SupervisorRecord>>> {
    let u = user(me)?;
    let q = query(q)?;
    let m = optional_municipality("municipality", &q.municipality)?;
    let p = u.principal();
    if let Some(m) = m {
        if !may_municipal(&p, Action::Read, m) {
            return Err(forbidden(format!("the supervisors of municipality {m}")));
        }
    }
    let all = state.store.supervisors(m).await?;
    Ok(Json(
        all.iter()
            .filter(|s| supervisor_allows(&p, Action::Read, s))
            .map(SupervisorRecord::from)
            .collect(),
    ))
}

/// Register a supervisor (the municipality's coordinators, admin).
#[utoipa::path(post, path = "/api/v1/vfu/supervisors", tag = "vfu", security(("bearer" = [])), request_body = SupervisorBody,
    responses((status = 201, body = SupervisorRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create_supervisor(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    b: Result<Json<SupervisorBody>, JsonRejection>,
) -> R<(StatusCode, Json<SupervisorRecord>)> {
    let u = user(me)?;
    let input = body(b)?.input();
    let ctx = state.store.vfu_context().await?;
    let p = u.principal();
    if let Some(m) = supervisor_municipality(&input, &ctx) {
        if !guard.allows(
            &p,
            &Target::Supervisor {
                person_id: "",
                municipality: m,
            },
        ) {
            return Err(forbidden(format!("supervisors of municipality {m}")));
        }
    }
    let s = input.parse(&ctx).map_err(invalid)?;
    if !guard.allows(
        &p,
        &Target::Supervisor {
            person_id: "",
            municipality: s.municipality,
        },
    ) {
        return Err(forbidden(format!("supervisors of municipality {}", s.municipality)));
    }
    let saved = state.store.create_supervisor(&s, &actor(&u)).await?;
    Ok((StatusCode::CREATED, Json(SupervisorRecord::from(&saved))))
}

/// One supervisor.
#[utoipa::path(get, path = "/api/v1/vfu/supervisors/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = SupervisorRecord), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_supervisor(
    State(state): State<AppState>,
    me: MaybeUser,
    Path(id): Path<String>,
) -> R<Json<SupervisorRecord>> {
    let u = user(me)?;
    Ok(Json(SupervisorRecord::from(
        &readable_supervisor(&state, &u, &id).await?,
    )))
}

/// Replace a supervisor's record (their municipality, or the supervisor themselves).
#[utoipa::path(put, path = "/api/v1/vfu/supervisors/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)), request_body = SupervisorBody,
    responses((status = 200, body = SupervisorRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_supervisor(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
    b: Result<Json<SupervisorBody>, JsonRejection>,
) -> R<Json<SupervisorRecord>> {
    let u = user(me)?;
    let old = readable_supervisor(&state, &u, &id).await?;
    let p = u.principal();
    if !guard.allows(&p, &supervisor_target(&old)) {
        return Err(forbidden(format!(
            "supervisor {id} is kept by municipality {}",
            old.municipality
        )));
    }
    let input = body(b)?.input();
    let ctx = state.store.vfu_context().await?;
    let mut s = input.parse(&ctx).map_err(invalid)?;
    s.id = old.id.clone();
    s.person_id = old.person_id.clone();
    // A supervisor corrects their own record but does not move it to another municipality.
    if !guard.allows(&p, &supervisor_target(&s))
        || (s.municipality != old.municipality && !may_municipal(&p, Action::Write, s.municipality))
    {
        return Err(forbidden(format!("supervisors of municipality {}", s.municipality)));
    }
    state.store.update_supervisor(&s, &actor(&u)).await?;
    let saved = state
        .store
        .supervisor(&id)
        .await?
        .ok_or_else(|| not_found(format!("supervisor {id}")))?;
    Ok(Json(SupervisorRecord::from(&saved)))
}

/// Remove a supervisor (their placements lose the supervisor).
#[utoipa::path(delete, path = "/api/v1/vfu/supervisors/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_supervisor(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
) -> R<StatusCode> {
    let u = user(me)?;
    let old = readable_supervisor(&state, &u, &id).await?;
    if !guard.allows(&u.principal(), &municipal(old.municipality)) {
        return Err(forbidden(format!(
            "supervisor {id} is kept by municipality {}",
            old.municipality
        )));
    }
    state.store.delete_supervisor(&id, &actor(&u)).await.map_err(blocked)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mark a supervisor invited to, enrolled in or done with supervisor training.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct InviteBody {
    /// invited, enrolled or completed (completed records the training as completed).
    #[schema(example = "invited")]
    pub status: String,
    /// The day (YYYY-MM-DD); today when left out.
    pub on: Option<String>,
    /// The university giving the training (LTU, UmU, MIUN); required for completed unless known.
    pub university: Option<String>,
}

/// Mark a supervisor invited / enrolled / completed (the municipality's coordinators).
#[utoipa::path(post, path = "/api/v1/vfu/supervisors/{id}/invite", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)), request_body = InviteBody,
    responses((status = 200, body = SupervisorRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn invite_supervisor(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
    b: Result<Json<InviteBody>, JsonRejection>,
) -> R<Json<SupervisorRecord>> {
    let u = user(me)?;
    let old = readable_supervisor(&state, &u, &id).await?;
    if !guard.allows(&u.principal(), &municipal(old.municipality)) {
        return Err(forbidden(format!(
            "supervisor {id} is kept by municipality {}",
            old.municipality
        )));
    }
    let b = body(b)?;
    let mut errors = Vec::new();
    let status = match InviteStatus::parse(&b.status) {
        Some(s @ (InviteStatus::Invited | InviteStatus::Enrolled | InviteStatus::Completed)) => Some(s),
        _ => {
            errors.push(FieldError::new(
                "status",
                format!("status {:?} is not one of invited, enrolled, completed", b.status),
            ));
            None
        }
    };
    let on = match b.on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(today()),
        Some(s) => Day::parse(s).map_err(|m| errors.push(FieldError::new("on", m))).ok(),
    };
    let (Some(status), Some(on)) = (status, on) else {
        return Err(invalid(errors));
    };
    let university = b.university.as_deref().map(str::trim).filter(|s| !s.is_empty());
    state
        .store
        .set_supervisor_invite(&id, status, on, university, &actor(&u))
        .await?;
    let saved = state
        .store
        .supervisor(&id)
        .await?
        .ok_or_else(|| not_found(format!("supervisor {id}")))?;
    Ok(Json(SupervisorRecord::from(&saved)))
}

// ---------------------------------------------------------------------------------------------
// Periods

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// Only the periods of this university (LTU, UmU, MIUN).
    pub university: Option<String>,
}

/// A VFU period as the API takes it (the columns of the periods file).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PeriodBody {
    /// Empty on create: kkig gives an id. Ignored on update.
    #[schema(value_type = Option<String>)]
    pub id: Option<Flex>,
    #[schema(value_type = String, example = "LTU")]
    pub university: Option<Flex>,
    #[schema(value_type = String)]
    pub programme: Option<Flex>,
    #[schema(value_type = String)]
    pub course_code: Option<Flex>,
    /// Left out: the term of the start.
    #[schema(value_type = Option<String>)]
    pub term: Option<Flex>,
    #[schema(value_type = String, example = "2026-09-07")]
    pub start: Option<Flex>,
    #[schema(value_type = String, example = "2026-10-09")]
    pub end: Option<Flex>,
    #[schema(value_type = String, example = "teacher_f3")]
    pub field: Option<Flex>,
    #[schema(value_type = Option<i64>)]
    pub students: Option<Flex>,
    /// `registerutdrag`, `code:days`; left out: the field's defaults; `-`: none.
    #[schema(value_type = Option<Vec<String>>)]
    pub requirements: Option<Flex>,
    /// Left out: 12 weeks before the start.
    #[schema(value_type = Option<String>)]
    pub capacity_deadline: Option<Flex>,
}

impl PeriodBody {
    fn input(&self) -> PeriodInput {
        PeriodInput {
            id: text(&self.id),
            university: text(&self.university),
            programme: text(&self.programme),
            course_code: text(&self.course_code),
            term: text(&self.term),
            start: text(&self.start),
            end: text(&self.end),
            field: text(&self.field),
            students: text(&self.students),
            requirements: text(&self.requirements),
            capacity_deadline: text(&self.capacity_deadline),
        }
    }
}

pub(crate) fn may_university(p: &Principal, action: Action, university: &str) -> bool {
    p.may(action, &Target::UniversityRecord { university })
}

fn known_university(ctx: &VfuContext, raw: &str) -> Option<String> {
    ctx.universities
        .iter()
        .find(|u| u.eq_ignore_ascii_case(raw.trim()))
        .cloned()
}

pub(crate) async fn existing_period(state: &AppState, id: &str) -> R<VfuPeriod> {
    state
        .store
        .vfu_period(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no VFU period {id}")).into())
}

/// VFU periods (public: periods are announced schedules, not personal data), by start.
#[utoipa::path(get, path = "/api/v1/vfu/periods", tag = "vfu", params(PeriodQuery),
    responses((status = 200, body = [PeriodRecord]), (status = 400, body = ErrorBody)))]
pub async fn list_periods(
    State(state): State<AppState>,
    q: Result<Query<PeriodQuery>, QueryRejection>,
) -> R<Json<Vec<PeriodRecord>>> {
    let q = query(q)?;
    let uni = q.university.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let ctx = state.store.vfu_context().await?;
    let uni = match uni {
        None => None,
        Some(raw) => Some(known_university(&ctx, raw).ok_or_else(|| {
            ApiError::bad_request(format!(
                "university {raw:?} is not one of {}",
                ctx.universities.iter().cloned().collect::<Vec<_>>().join(", ")
            ))
        })?),
    };
    Ok(Json(
        state
            .store
            .vfu_periods(uni.as_deref())
            .await?
            .iter()
            .map(PeriodRecord::from)
            .collect(),
    ))
}

/// All VFU periods as an iCalendar feed, with the coordinators' milestones before each
/// (capacity, allocation, publication, appeal, final lists). Public, for calendar programs.
#[utoipa::path(get, path = "/api/v1/vfu/periods.ics", tag = "vfu", params(PeriodQuery),
    responses((status = 200, description = "iCalendar (RFC 5545)", content_type = "text/calendar", body = String), (status = 400, body = ErrorBody)))]
pub async fn periods_ics(State(state): State<AppState>, q: Result<Query<PeriodQuery>, QueryRejection>) -> R<Response> {
    let q = query(q)?;
    let ctx = state.store.vfu_context().await?;
    let uni = q
        .university
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|raw| {
            known_university(&ctx, raw)
                .ok_or_else(|| ApiError::bad_request(format!("university {raw:?} is not a university kkig knows")))
        });
    let uni = uni.transpose()?;
    let periods = state.store.vfu_periods(uni.as_deref()).await?;
    let ics = kkig_formats::ical::vfu_periods(&periods, &TimelineRules::default());
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "inline; filename=\"vfu-perioder.ics\""),
        ],
        ics,
    )
        .into_response())
}

/// Announce a VFU period (the university's coordinators, admin).
#[utoipa::path(post, path = "/api/v1/vfu/periods", tag = "vfu", security(("bearer" = [])), request_body = PeriodBody,
    responses((status = 201, body = PeriodRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create_period(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    b: Result<Json<PeriodBody>, JsonRejection>,
) -> R<(StatusCode, Json<PeriodRecord>)> {
    let u = user(me)?;
    let input = body(b)?.input();
    let ctx = state.store.vfu_context().await?;
    let p = u.principal();
    if let Some(uni) = known_university(&ctx, &input.university) {
        if !guard.allows(&p, &Target::UniversityRecord { university: &uni }) {
            return Err(forbidden(format!("VFU periods of {uni}")));
        }
    }
    let period = input.parse(&ctx).map_err(invalid)?;
    if !guard.allows(
        &p,
        &Target::UniversityRecord {
            university: &period.university,
        },
    ) {
        return Err(forbidden(format!("VFU periods of {}", period.university)));
    }
    let id = state.store.create_vfu_period(&period, &actor(&u)).await?;
    Ok((
        StatusCode::CREATED,
        Json(PeriodRecord::from(&existing_period(&state, &id).await?)),
    ))
}

/// One VFU period (public).
#[utoipa::path(get, path = "/api/v1/vfu/periods/{id}", tag = "vfu", params(("id" = String, Path)),
    responses((status = 200, body = PeriodRecord), (status = 404, body = ErrorBody)))]
pub async fn get_period(State(state): State<AppState>, Path(id): Path<String>) -> R<Json<PeriodRecord>> {
    Ok(Json(PeriodRecord::from(&existing_period(&state, &id).await?)))
}

/// Replace a VFU period (its university).
#[utoipa::path(put, path = "/api/v1/vfu/periods/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)), request_body = PeriodBody,
    responses((status = 200, body = PeriodRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_period(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
    b: Result<Json<PeriodBody>, JsonRejection>,
) -> R<Json<PeriodRecord>> {
    let u = user(me)?;
    let old = existing_period(&state, &id).await?;
    let p = u.principal();
    if !guard.allows(
        &p,
        &Target::UniversityRecord {
            university: &old.university,
        },
    ) {
        return Err(forbidden(format!("VFU period {id} belongs to {}", old.university)));
    }
    let mut input = body(b)?.input();
    input.id = id.clone();
    let ctx = state.store.vfu_context().await?;
    let period = input.parse(&ctx).map_err(invalid)?;
    if !guard.allows(
        &p,
        &Target::UniversityRecord {
            university: &period.university,
        },
    ) {
        return Err(forbidden(format!("VFU periods of {}", period.university)));
    }
    state.store.update_vfu_period(&period, &actor(&u)).await?;
    Ok(Json(PeriodRecord::from(&existing_period(&state, &id).await?)))
}

/// Delete a VFU period (409 while students are on it).
#[utoipa::path(delete, path = "/api/v1/vfu/periods/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn delete_period(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
) -> R<StatusCode> {
    let u = user(me)?;
    let old = existing_period(&state, &id).await?;
    if !guard.allows(
        &u.principal(),
        &Target::UniversityRecord {
            university: &old.university,
        },
    ) {
        return Err(forbidden(format!("VFU period {id} belongs to {}", old.university)));
    }
    state.store.delete_vfu_period(&id, &actor(&u)).await.map_err(blocked)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The students on a period that you may see (the university: all; a municipality: those
/// whose home it is; regional: all).
#[utoipa::path(get, path = "/api/v1/vfu/periods/{id}/students", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = [StudentRecord]), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn period_students(
    State(state): State<AppState>,
    me: MaybeUser,
    Path(id): Path<String>,
) -> R<Json<Vec<StudentRecord>>> {
    let u = user(me)?;
    let period = existing_period(&state, &id).await?;
    let p = u.principal();
    let students = state
        .store
        .vfu_students(&StudentFilter {
            period_id: Some(id),
            ..Default::default()
        })
        .await?;
    Ok(Json(
        students
            .iter()
            .filter(|s| {
                p.may(
                    Action::Read,
                    &Target::VfuStudent {
                        person_id: &s.person_id,
                        university: &period.university,
                        home_municipality: s.home_municipality,
                    },
                )
            })
            .map(StudentRecord::from)
            .collect(),
    ))
}

// ---------------------------------------------------------------------------------------------
// Students

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StudentQuery {
    pub period: Option<String>,
    pub university: Option<String>,
    /// Kommunkod of the students' home municipality.
    pub home_municipality: Option<String>,
}

/// A student on a period as the API takes it (the columns of the students file).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct StudentBody {
    #[schema(value_type = String)]
    pub period_id: Option<Flex>,
    #[schema(value_type = String)]
    pub email: Option<Flex>,
    #[schema(value_type = String)]
    pub name: Option<Flex>,
    #[schema(value_type = String, example = "2422")]
    pub home_municipality: Option<Flex>,
    #[schema(value_type = Option<f64>)]
    pub home_lat: Option<Flex>,
    #[schema(value_type = Option<f64>)]
    pub home_lon: Option<Flex>,
    /// Left out: the period's field.
    #[schema(value_type = Option<String>)]
    pub field: Option<Flex>,
    #[schema(value_type = Option<Vec<String>>)]
    pub subjects: Option<Flex>,
    /// Up to three site ids or kommunkods, most wanted first.
    #[schema(value_type = Option<Vec<String>>)]
    pub wishes: Option<Flex>,
    #[schema(value_type = Option<bool>)]
    pub no_driving_licence: Option<Flex>,
    #[schema(value_type = Option<bool>)]
    pub needs_public_transport: Option<Flex>,
    /// medical, sole_caregiver or other.
    #[schema(value_type = Option<String>)]
    pub priority: Option<Flex>,
    #[schema(value_type = Option<String>)]
    pub note: Option<Flex>,
    /// The day the police record extract was issued.
    #[schema(value_type = Option<String>)]
    pub registerutdrag: Option<Flex>,
}

impl StudentBody {
    fn input(&self) -> StudentInput {
        StudentInput {
            period_id: text(&self.period_id),
            email: text(&self.email),
            name: text(&self.name),
            home_municipality: text(&self.home_municipality),
            home_lat: text(&self.home_lat),
            home_lon: text(&self.home_lon),
            field: text(&self.field),
            subjects: subjects_text(&self.subjects),
            wishes: text(&self.wishes),
            no_driving_licence: text(&self.no_driving_licence),
            needs_public_transport: text(&self.needs_public_transport),
            priority: text(&self.priority),
            note: text(&self.note),
            registerutdrag: text(&self.registerutdrag),
        }
    }
}

async fn readable_student(state: &AppState, u: &UserRecord, id: &str) -> R<VfuStudent> {
    match state.store.vfu_student(id).await? {
        Some(s) if student_allows(state, &u.principal(), Action::Read, &s).await? => Ok(s),
        _ => Err(not_found(format!("student {id}"))),
    }
}

/// Students you may see, by period and name.
#[utoipa::path(get, path = "/api/v1/vfu/students", tag = "vfu", security(("bearer" = [])), params(StudentQuery),
    responses((status = 200, body = [StudentRecord]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list_students(
    State(state): State<AppState>,
    me: MaybeUser,
    q: Result<Query<StudentQuery>, QueryRejection>,
) -> R<Json<Vec<StudentRecord>>> {
    let u = user(me)?;
    let q = query(q)?;
    let filter = StudentFilter {
        period_id: q.period.filter(|s| !s.trim().is_empty()),
        university: q.university.filter(|s| !s.trim().is_empty()),
        home_municipality: optional_municipality("home_municipality", &q.home_municipality)?,
        person_id: None,
    };
    let scope = Scope::load(&state).await?;
    let p = u.principal();
    let students = state.store.vfu_students(&filter).await?;
    Ok(Json(
        students
            .iter()
            .filter(|s| {
                let uni = scope.students.get(&s.id).map(|x| x.1.as_str()).unwrap_or("");
                p.may(
                    Action::Read,
                    &Target::VfuStudent {
                        person_id: &s.person_id,
                        university: uni,
                        home_municipality: s.home_municipality,
                    },
                )
            })
            .map(StudentRecord::from)
            .collect(),
    ))
}

/// Put a student on a period (the period's university, admin).
#[utoipa::path(post, path = "/api/v1/vfu/students", tag = "vfu", security(("bearer" = [])), request_body = StudentBody,
    responses((status = 201, body = StudentRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create_student(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    b: Result<Json<StudentBody>, JsonRejection>,
) -> R<(StatusCode, Json<StudentRecord>)> {
    let u = user(me)?;
    let input = body(b)?.input();
    let ctx = state.store.vfu_context().await?;
    let p = u.principal();
    if let Some(period) = ctx.periods.get(input.period_id.trim()) {
        if !may_university(&p, Action::Write, &period.university) {
            return Err(forbidden(format!("students of {}", period.university)));
        }
    }
    let s = input.parse(&ctx).map_err(invalid)?;
    if !writes_student(&state, &guard, &p, &s).await? {
        return Err(forbidden(format!("students of VFU period {}", s.period_id)));
    }
    let saved = state.store.create_vfu_student(&s, &actor(&u)).await?;
    Ok((StatusCode::CREATED, Json(StudentRecord::from(&saved))))
}

/// One student.
#[utoipa::path(get, path = "/api/v1/vfu/students/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = StudentRecord), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_student(
    State(state): State<AppState>,
    me: MaybeUser,
    Path(id): Path<String>,
) -> R<Json<StudentRecord>> {
    let u = user(me)?;
    Ok(Json(StudentRecord::from(&readable_student(&state, &u, &id).await?)))
}

/// Replace a student's record (their university). A student changes only their wishes and
/// needs, with `PUT /api/v1/vfu/me/students/{id}/wishes`.
#[utoipa::path(put, path = "/api/v1/vfu/students/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)), request_body = StudentBody,
    responses((status = 200, body = StudentRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_student(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
    b: Result<Json<StudentBody>, JsonRejection>,
) -> R<Json<StudentRecord>> {
    let u = user(me)?;
    let old = readable_student(&state, &u, &id).await?;
    let p = u.principal();
    if !writes_student(&state, &guard, &p, &old).await? {
        return Err(forbidden(format!("student {id} is kept by the university of their period; a student changes only their wishes and needs (PUT /api/v1/vfu/me/students/{id}/wishes)")));
    }
    let input = body(b)?.input();
    let ctx = state.store.vfu_context().await?;
    let mut s = input.parse(&ctx).map_err(invalid)?;
    s.id = old.id.clone();
    s.person_id = old.person_id.clone();
    // Nobody moves a student to a period of another university than their own.
    let moved = s.period_id != old.period_id
        && !may_university(&p, Action::Write, &period_university(&state, &s.period_id).await?);
    if moved || !writes_student(&state, &guard, &p, &s).await? {
        return Err(forbidden(format!("students of VFU period {}", s.period_id)));
    }
    state.store.update_vfu_student(&s, &actor(&u)).await?;
    let saved = state
        .store
        .vfu_student(&id)
        .await?
        .ok_or_else(|| not_found(format!("student {id}")))?;
    Ok(Json(StudentRecord::from(&saved)))
}

/// Take a student off their period (their placements go too).
#[utoipa::path(delete, path = "/api/v1/vfu/students/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_student(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
) -> R<StatusCode> {
    let u = user(me)?;
    let old = readable_student(&state, &u, &id).await?;
    let uni = period_university(&state, &old.period_id).await?;
    if !writes_student(&state, &guard, &u.principal(), &old).await? {
        return Err(forbidden(format!("student {id} is kept by {uni}")));
    }
    state.store.delete_vfu_student(&id, &actor(&u)).await.map_err(blocked)?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------------
// Placements

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlacementQuery {
    pub period: Option<String>,
    pub site: Option<String>,
    /// Kommunkod of the sites' municipality.
    pub municipality: Option<String>,
    pub student: Option<String>,
    pub status: Option<String>,
}

/// A new placement.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct NewPlacementBody {
    pub student_id: String,
    pub site_id: String,
    pub supervisor_id: Option<String>,
    /// requested (the default) or offered.
    pub status: Option<String>,
    /// The day of the first status (YYYY-MM-DD); today when left out.
    pub on: Option<String>,
    pub note: Option<String>,
    pub waiting_for_better: Option<bool>,
}

/// What can change on a placement besides its status (which changes by `transition`).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PlacementBody {
    pub site_id: Option<String>,
    pub supervisor_id: Option<String>,
    pub waiting_for_better: Option<bool>,
    pub note: Option<String>,
}

/// A step of the lifecycle.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TransitionBody {
    /// offered, confirmed, started, completed or withdrawn.
    #[schema(example = "confirmed")]
    pub to: String,
    /// The day (YYYY-MM-DD); today when left out.
    #[schema(example = "2026-03-01")]
    pub on: Option<String>,
}

fn empty_none(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

async fn readable_placement(state: &AppState, u: &UserRecord, id: &str) -> R<(Placement, Scope)> {
    let scope = Scope::load(state).await?;
    match state.store.placement(id).await? {
        Some(pl) if scope.placement_allows(&u.principal(), Action::Read, &pl) => Ok((pl, scope)),
        _ => Err(not_found(format!("placement {id}"))),
    }
}

/// Placements you may see (the university: its students'; a municipality: those at its sites;
/// a student: their own).
#[utoipa::path(get, path = "/api/v1/vfu/placements", tag = "vfu", security(("bearer" = [])), params(PlacementQuery),
    responses((status = 200, body = [PlacementRecord]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list_placements(
    State(state): State<AppState>,
    me: MaybeUser,
    q: Result<Query<PlacementQuery>, QueryRejection>,
) -> R<Json<Vec<PlacementRecord>>> {
    let u = user(me)?;
    let q = query(q)?;
    let status = match empty_none(q.status) {
        None => None,
        Some(s) => Some(
            PlacementStatus::parse(&s)
                .ok_or_else(|| ApiError::bad_request(format!("status {s:?} is not a placement status")))?,
        ),
    };
    let filter = PlacementFilter {
        period_id: empty_none(q.period),
        site_id: empty_none(q.site),
        site_municipality: optional_municipality("municipality", &q.municipality)?,
        student_id: empty_none(q.student),
        ..Default::default()
    };
    let scope = Scope::load(&state).await?;
    let p = u.principal();
    let all = state.store.placements(&filter).await?;
    Ok(Json(
        all.iter()
            .filter(|pl| status.is_none_or(|s| pl.status == s))
            .filter(|pl| scope.placement_allows(&p, Action::Read, pl))
            .map(PlacementRecord::from)
            .collect(),
    ))
}

/// Request or offer a placement (the student's university, or the site's municipality).
#[utoipa::path(post, path = "/api/v1/vfu/placements", tag = "vfu", security(("bearer" = [])), request_body = NewPlacementBody,
    responses((status = 201, body = PlacementRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create_placement(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    b: Result<Json<NewPlacementBody>, JsonRejection>,
) -> R<(StatusCode, Json<PlacementRecord>)> {
    let u = user(me)?;
    let b = body(b)?;
    let p = u.principal();
    let scope = Scope::load(&state).await?;
    let mut errors = Vec::new();
    // A student or site the user may not see is answered like one that does not exist.
    let student = scope.students.get(b.student_id.trim()).filter(|(person, uni, home)| {
        p.may(
            Action::Read,
            &Target::VfuStudent {
                person_id: person,
                university: uni,
                home_municipality: *home,
            },
        )
    });
    if student.is_none() {
        errors.push(FieldError::new(
            "student_id",
            format!("no student {:?}", b.student_id.trim()),
        ));
    }
    let site = scope
        .sites
        .get(b.site_id.trim())
        .filter(|m| may_municipal(&p, Action::Read, **m));
    if site.is_none() {
        errors.push(FieldError::new(
            "site_id",
            format!("no placement site {:?}", b.site_id.trim()),
        ));
    }
    let status = match empty_none(b.status.clone()).as_deref() {
        None => Some(PlacementStatus::Requested),
        Some(s) => match PlacementStatus::parse(s) {
            Some(st @ (PlacementStatus::Requested | PlacementStatus::Offered)) => Some(st),
            _ => {
                errors.push(FieldError::new(
                    "status",
                    format!("a new placement is requested or offered, not {s:?}"),
                ));
                None
            }
        },
    };
    let on = match empty_none(b.on.clone()) {
        None => Some(today()),
        Some(s) => Day::parse(&s).map_err(|m| errors.push(FieldError::new("on", m))).ok(),
    };
    let (Some((person, uni, _)), Some(m), Some(status), Some(on)) = (student, site, status, on) else {
        return Err(invalid(errors));
    };
    if !guard.allows(
        &p,
        &Target::Placement {
            student_person_id: person,
            university: uni,
            site_municipality: *m,
        },
    ) {
        return Err(forbidden(format!("placements of students of {uni} at sites in {m}")));
    }
    let mut pl = Placement::start("", b.student_id.trim(), b.site_id.trim(), status, on)
        .map_err(|e| invalid_field("status", e.to_string()))?;
    pl.supervisor_id = empty_none(b.supervisor_id);
    pl.note = b.note.unwrap_or_default();
    pl.waiting_for_better = b.waiting_for_better.unwrap_or(false);
    let id = state.store.create_placement(&pl, &actor(&u)).await?;
    let saved = state
        .store
        .placement(&id)
        .await?
        .ok_or_else(|| not_found(format!("placement {id}")))?;
    Ok((StatusCode::CREATED, Json(PlacementRecord::from(&saved))))
}

/// One placement.
#[utoipa::path(get, path = "/api/v1/vfu/placements/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = PlacementRecord), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_placement(
    State(state): State<AppState>,
    me: MaybeUser,
    Path(id): Path<String>,
) -> R<Json<PlacementRecord>> {
    let u = user(me)?;
    Ok(Json(PlacementRecord::from(
        &readable_placement(&state, &u, &id).await?.0,
    )))
}

/// Change a placement's site, supervisor, waiting flag or note (fields left out stay).
#[utoipa::path(put, path = "/api/v1/vfu/placements/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)), request_body = PlacementBody,
    responses((status = 200, body = PlacementRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_placement(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
    b: Result<Json<PlacementBody>, JsonRejection>,
) -> R<Json<PlacementRecord>> {
    let u = user(me)?;
    let (old, scope) = readable_placement(&state, &u, &id).await?;
    let p = u.principal();
    if !scope.placement_writable(&guard, &p, &old) {
        return Err(forbidden(format!("placement {id}")));
    }
    let b = body(b)?;
    let mut new = old.clone();
    if let Some(site) = b.site_id {
        new.site_id = site.trim().to_string();
        if !scope
            .sites
            .get(&new.site_id)
            .is_some_and(|m| may_municipal(&p, Action::Read, *m))
        {
            return Err(invalid_field("site_id", format!("no placement site {:?}", new.site_id)));
        }
    }
    if let Some(sup) = b.supervisor_id {
        new.supervisor_id = Some(sup.trim().to_string()).filter(|s| !s.is_empty());
    }
    if let Some(w) = b.waiting_for_better {
        new.waiting_for_better = w;
    }
    if let Some(n) = b.note {
        new.note = n;
    }
    if !scope.placement_writable(&guard, &p, &new) {
        return Err(forbidden(format!("placements at site {}", new.site_id)));
    }
    state.store.update_placement(&new, &actor(&u)).await?;
    let saved = state
        .store
        .placement(&id)
        .await?
        .ok_or_else(|| not_found(format!("placement {id}")))?;
    Ok(Json(PlacementRecord::from(&saved)))
}

/// Delete a placement (a mistake; a placement that ends is `withdrawn` instead).
#[utoipa::path(delete, path = "/api/v1/vfu/placements/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_placement(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
) -> R<StatusCode> {
    let u = user(me)?;
    let (old, scope) = readable_placement(&state, &u, &id).await?;
    // Only the university that offered it removes a placement (the site's municipality
    // withdraws it instead), as on the pages.
    let university = scope
        .students
        .get(&old.student_id)
        .map(|s| s.1.as_str())
        .unwrap_or_default();
    if !may_university(&u.principal(), Action::Write, university)
        || !scope.placement_writable(&guard, &u.principal(), &old)
    {
        return Err(forbidden(format!(
            "placement {id}: only its university removes a placement; the municipality withdraws it"
        )));
    }
    state.store.delete_placement(&id, &actor(&u)).await.map_err(blocked)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Move a placement along its lifecycle: requested → offered → confirmed → started →
/// completed, or withdrawn from any of the first four. 409 names the steps allowed from the
/// current status; 422 a day before the last step.
#[utoipa::path(post, path = "/api/v1/vfu/placements/{id}/transition", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = TransitionBody,
    responses((status = 200, body = PlacementRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "The lifecycle does not allow this step", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn transition_placement(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
    b: Result<Json<TransitionBody>, JsonRejection>,
) -> R<Json<PlacementRecord>> {
    let u = user(me)?;
    let (old, scope) = readable_placement(&state, &u, &id).await?;
    if !scope.placement_writable(&guard, &u.principal(), &old) {
        return Err(forbidden(format!("placement {id}")));
    }
    let b = body(b)?;
    let mut errors = Vec::new();
    let to = PlacementStatus::parse(&b.to);
    if to.is_none() {
        errors.push(FieldError::new(
            "to",
            format!(
                "{:?} is not one of {}",
                b.to,
                PlacementStatus::ALL.map(|s| s.as_str()).join(", ")
            ),
        ));
    }
    let on = match empty_none(b.on) {
        None => Some(today()),
        Some(s) => Day::parse(&s).map_err(|m| errors.push(FieldError::new("on", m))).ok(),
    };
    let (Some(to), Some(on)) = (to, on) else {
        return Err(invalid(errors));
    };
    // The core decides; the same check runs again in the store's transaction.
    let mut check = old.clone();
    match check.transition(to, on) {
        Err(e @ LifecycleError::NotAllowed { .. }) => {
            return Err(VfuError::Fields {
                status: StatusCode::CONFLICT,
                fields: vec![FieldError::new("to", e.to_string())],
            })
        }
        Err(e @ LifecycleError::BeforeLast { .. }) => return Err(invalid_field("on", e.to_string())),
        Ok(()) => {}
    }
    let saved = state
        .store
        .transition_placement(&id, to, on, &actor(&u))
        .await
        .map_err(blocked)?;
    Ok(Json(PlacementRecord::from(&saved)))
}

// ---------------------------------------------------------------------------------------------
// Municipalities: views, RACI, contacts, placement lists

fn require_municipal_read(u: &UserRecord, m: Kommunkod, what: &str) -> R<()> {
    if may_municipal(&u.principal(), Action::Read, m) {
        Ok(())
    } else {
        Err(forbidden(format!("the {what} of municipality {m}")))
    }
}

async fn known_municipality(state: &AppState, code: &str) -> R<Kommunkod> {
    let m = municipality_path(code)?;
    match state.store.municipality(m).await? {
        Some(_) => Ok(m),
        None => Err(ApiError::not_found(format!("no municipality with code {code}")).into()),
    }
}

/// A municipality's training need: expected VFU students per field and term against the
/// capacity of its trained supervisors, and the supervisors to invite.
#[utoipa::path(get, path = "/api/v1/vfu/municipalities/{code}/training-need", tag = "vfu", security(("bearer" = [])),
    params(("code" = String, Path, example = "2422")),
    responses((status = 200, body = TrainingNeedRecord), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn training_need(
    State(state): State<AppState>,
    me: MaybeUser,
    Path(code): Path<String>,
) -> R<Json<TrainingNeedRecord>> {
    let u = user(me)?;
    let m = known_municipality(&state, &code).await?;
    require_municipal_read(&u, m, "training need")?;
    let t = state.store.training_need(m).await?;
    Ok(Json(TrainingNeedRecord {
        municipality: t.municipality.to_string(),
        share: t.share,
        rows: t
            .rows
            .iter()
            .map(|r| TrainingNeedRowRecord {
                field: r.field.code().into(),
                term: r.term.to_string(),
                students_from_municipality: r.students_from_municipality,
                not_yet_listed: r.not_yet_listed,
                expected_demand: r.expected_demand,
                trained_capacity: r.trained_capacity,
                trained_supervisors: r.trained_supervisors,
                in_training_capacity: r.in_training_capacity,
                gap: r.gap,
            })
            .collect(),
        candidates: t
            .candidates
            .iter()
            .map(|c| InviteCandidateRecord {
                supervisor_id: c.supervisor_id.clone(),
                name: c.name.clone(),
                site_id: c.site_id.clone(),
                training: c.training.as_str().into(),
                invite: c.invite.as_str().into(),
                fields_with_gap: c.fields_with_gap.iter().map(|f| f.code().to_string()).collect(),
                students_per_period: c.students_per_period,
            })
            .collect(),
    }))
}

/// The compensation basis of a municipality: confirmed, started and completed placements and
/// their student-weeks per university and term.
#[utoipa::path(get, path = "/api/v1/vfu/municipalities/{code}/compensation", tag = "vfu", security(("bearer" = [])),
    params(("code" = String, Path, example = "2422")),
    responses((status = 200, body = [CompensationRecord]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn compensation(
    State(state): State<AppState>,
    me: MaybeUser,
    Path(code): Path<String>,
) -> R<Json<Vec<CompensationRecord>>> {
    let u = user(me)?;
    let m = known_municipality(&state, &code).await?;
    require_municipal_read(&u, m, "compensation basis")?;
    let rows = state.store.compensation_basis(Some(m)).await?;
    Ok(Json(
        rows.iter()
            .map(|r| CompensationRecord {
                municipality: r.municipality.to_string(),
                university: r.university.clone(),
                term: r.term.to_string(),
                placements: r.placements,
                student_weeks: r.student_weeks,
            })
            .collect(),
    ))
}

/// Who does what in VFU in a municipality: the RACI matrix of each programme type (the
/// default, or the municipality's adaptation). Public.
#[utoipa::path(get, path = "/api/v1/vfu/municipalities/{code}/raci", tag = "vfu", params(("code" = String, Path, example = "2422")),
    responses((status = 200, body = [RaciRecord]), (status = 404, body = ErrorBody)))]
pub async fn get_raci(State(state): State<AppState>, Path(code): Path<String>) -> R<Json<Vec<RaciRecord>>> {
    let m = known_municipality(&state, &code).await?;
    let mut out = Vec::new();
    for programme in ProgrammeType::ALL {
        let v = state.store.raci_model(m, programme).await?;
        out.push(raci_record(m, &v.model, v.adapted));
    }
    Ok(Json(out))
}

/// A municipality's adaptation of one programme type's matrix: every task, each with exactly
/// one A.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RaciBody {
    pub rows: Vec<RaciRowRecord>,
}

fn programme_path(s: &str) -> R<ProgrammeType> {
    ProgrammeType::parse(s).ok_or_else(|| {
        ApiError::not_found(format!("no programme type {s:?}: use teacher, nursing or social_work")).into()
    })
}

/// Adapt the RACI matrix of a programme type (the municipality's coordinators).
#[utoipa::path(put, path = "/api/v1/vfu/municipalities/{code}/raci/{programme}", tag = "vfu", security(("bearer" = [])),
    params(("code" = String, Path, example = "2422"), ("programme" = String, Path, example = "teacher")), request_body = RaciBody,
    responses((status = 200, body = RaciRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, description = "Unknown task, role or cell, or not one A per task", body = ErrorBody)))]
pub async fn put_raci(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path((code, programme)): Path<(String, String)>,
    b: Result<Json<RaciBody>, JsonRejection>,
) -> R<Json<RaciRecord>> {
    let u = user(me)?;
    let m = known_municipality(&state, &code).await?;
    let programme = programme_path(&programme)?;
    if !guard.allows(&u.principal(), &municipal(m)) {
        return Err(forbidden(format!("the RACI matrix of municipality {m}")));
    }
    let b = body(b)?;
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    for r in &b.rows {
        let Some(task) = RaciTask::parse(&r.task) else {
            errors.push(FieldError::new(
                &format!("task.{}", r.task),
                format!("unknown task {:?}", r.task),
            ));
            continue;
        };
        let mut row = RaciRow {
            task,
            cells: Default::default(),
        };
        for (role, cell) in &r.cells {
            let field = format!("task.{}.{role}", task.as_str());
            let Some(role) = RaciRole::parse(role) else {
                errors.push(FieldError::new(&field, format!("unknown role {role:?}")));
                continue;
            };
            match RaciCell::parse(cell) {
                Ok(c) => row.cells[RaciRole::ALL.iter().position(|x| *x == role).unwrap_or(0)] = c,
                Err(e) => errors.push(FieldError::new(&field, e)),
            }
        }
        rows.push(row);
    }
    let model = RaciModel { programme, rows };
    errors.extend(model.validate());
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    state.store.save_raci_model(m, &model, &actor(&u)).await?;
    let v = state.store.raci_model(m, programme).await?;
    Ok(Json(raci_record(m, &v.model, v.adapted)))
}

/// Go back to the default matrix of a programme type.
#[utoipa::path(delete, path = "/api/v1/vfu/municipalities/{code}/raci/{programme}", tag = "vfu", security(("bearer" = [])),
    params(("code" = String, Path, example = "2422"), ("programme" = String, Path, example = "teacher")),
    responses((status = 204, description = "Back to the default"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, description = "No such municipality or programme type, or no adaptation", body = ErrorBody)))]
pub async fn reset_raci(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path((code, programme)): Path<(String, String)>,
) -> R<StatusCode> {
    let u = user(me)?;
    let m = known_municipality(&state, &code).await?;
    let programme = programme_path(&programme)?;
    if !guard.allows(&u.principal(), &municipal(m)) {
        return Err(forbidden(format!("the RACI matrix of municipality {m}")));
    }
    if state.store.reset_raci_model(m, programme, &actor(&u)).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!(
            "municipality {m} has not adapted the {} matrix",
            programme.as_str()
        ))
        .into())
    }
}

/// A contact person as the API takes it.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ContactBody {
    /// A RACI role, e.g. municipal_coordinator.
    pub role: String,
    /// teacher, nursing or social_work; left out: every programme type.
    pub programme: Option<String>,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    /// Work title or unit, e.g. "Rektor, Björkskolan".
    pub title: Option<String>,
}

impl ContactBody {
    fn contact(self, id: &str, municipality: Kommunkod) -> R<VfuContact> {
        let mut errors = Vec::new();
        let role = RaciRole::parse(&self.role);
        if role.is_none() {
            errors.push(FieldError::new(
                "role",
                format!(
                    "unknown role {:?}; expected one of {}",
                    self.role,
                    RaciRole::ALL.map(|r| r.as_str()).join(", ")
                ),
            ));
        }
        let programme = match empty_none(self.programme) {
            None => None,
            Some(p) => {
                let parsed = ProgrammeType::parse(&p);
                if parsed.is_none() {
                    errors.push(FieldError::new(
                        "programme",
                        format!("unknown programme {p:?}; expected teacher, nursing or social_work"),
                    ));
                }
                parsed
            }
        };
        let c = VfuContact {
            id: id.into(),
            person_id: String::new(),
            municipality,
            role: role.unwrap_or(RaciRole::MunicipalCoordinator),
            programme,
            name: self.name.trim().into(),
            email: self.email.trim().into(),
            phone: self.phone.unwrap_or_default().trim().into(),
            title: self.title.unwrap_or_default().trim().into(),
        };
        errors.extend(kkig_core::vfu::raci::validate_contact(&c));
        if errors.is_empty() {
            Ok(c)
        } else {
            Err(invalid(errors))
        }
    }
}

/// The contact persons of a municipality per role, with their work e-mail and phone. Public,
/// like the municipality's "vem gör vad" page that shows them.
#[utoipa::path(get, path = "/api/v1/vfu/municipalities/{code}/contacts", tag = "vfu", params(("code" = String, Path, example = "2422")),
    responses((status = 200, body = [ContactRecord]), (status = 404, body = ErrorBody)))]
pub async fn list_contacts(State(state): State<AppState>, Path(code): Path<String>) -> R<Json<Vec<ContactRecord>>> {
    let m = known_municipality(&state, &code).await?;
    let contacts = state.store.vfu_contacts(Some(m)).await?;
    Ok(Json(contacts.iter().map(contact_record).collect()))
}

/// Name a contact person for a role (the municipality's coordinators).
#[utoipa::path(post, path = "/api/v1/vfu/municipalities/{code}/contacts", tag = "vfu", security(("bearer" = [])),
    params(("code" = String, Path, example = "2422")), request_body = ContactBody,
    responses((status = 201, body = ContactRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_contact(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path(code): Path<String>,
    b: Result<Json<ContactBody>, JsonRejection>,
) -> R<(StatusCode, Json<ContactRecord>)> {
    let u = user(me)?;
    let m = known_municipality(&state, &code).await?;
    if !guard.allows(&u.principal(), &municipal(m)) {
        return Err(forbidden(format!("the contact persons of municipality {m}")));
    }
    let c = body(b)?.contact("", m)?;
    let saved = state.store.create_vfu_contact(&c, &actor(&u)).await?;
    Ok((StatusCode::CREATED, Json(contact_record(&saved))))
}

async fn existing_contact(state: &AppState, u: &UserRecord, id: &str) -> R<VfuContact> {
    let found = state.store.vfu_contacts(None).await?.into_iter().find(|c| c.id == id);
    match found {
        Some(c) if may_municipal(&u.principal(), Action::Read, c.municipality) => Ok(c),
        _ => Err(not_found(format!("contact {id}"))),
    }
}

/// Replace a contact person.
#[utoipa::path(put, path = "/api/v1/vfu/contacts/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)), request_body = ContactBody,
    responses((status = 200, body = ContactRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_contact(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
    b: Result<Json<ContactBody>, JsonRejection>,
) -> R<Json<ContactRecord>> {
    let u = user(me)?;
    let old = existing_contact(&state, &u, &id).await?;
    if !guard.allows(&u.principal(), &municipal(old.municipality)) {
        return Err(forbidden(format!(
            "the contact persons of municipality {}",
            old.municipality
        )));
    }
    let mut c = body(b)?.contact(&id, old.municipality)?;
    c.person_id = old.person_id.clone();
    state.store.update_vfu_contact(&c, &actor(&u)).await?;
    let saved = existing_contact(&state, &u, &id).await?;
    Ok(Json(contact_record(&saved)))
}

/// Remove a contact person.
#[utoipa::path(delete, path = "/api/v1/vfu/contacts/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_contact(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
) -> R<StatusCode> {
    let u = user(me)?;
    let old = existing_contact(&state, &u, &id).await?;
    if !guard.allows(&u.principal(), &municipal(old.municipality)) {
        return Err(forbidden(format!(
            "the contact persons of municipality {}",
            old.municipality
        )));
    }
    state.store.delete_vfu_contact(&id, &actor(&u)).await.map_err(blocked)?;
    Ok(StatusCode::NO_CONTENT)
}

// Placement lists.

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn download(table: kkig_formats::Table, xlsx: bool, name: &str) -> R<Response> {
    download_sheet(table, xlsx, name, "Placeringar")
}

/// A table as a Swedish-Excel CSV or an XLSX workbook (one sheet named `sheet`), as an attachment
/// `name.csv`/`name.xlsx`.
pub(crate) fn download_sheet(table: kkig_formats::Table, xlsx: bool, name: &str, sheet: &str) -> R<Response> {
    if xlsx {
        let bytes = table.to_xlsx(sheet).map_err(|e| ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: format!("cannot write XLSX: {e}"),
        })?;
        Ok((
            [
                (header::CONTENT_TYPE, XLSX.to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.xlsx\""),
                ),
            ],
            bytes,
        )
            .into_response())
    } else {
        Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.csv\""),
                ),
            ],
            table.to_swedish_csv(),
        )
            .into_response())
    }
}

async fn visible_lines(
    state: &AppState,
    u: &UserRecord,
    filter: &PlacementFilter,
) -> R<Vec<kkig_core::vfu::PlacementLine>> {
    let scope = Scope::load(state).await?;
    let p = u.principal();
    let allowed: std::collections::HashSet<String> = state
        .store
        .placements(filter)
        .await?
        .into_iter()
        .filter(|pl| scope.placement_allows(&p, Action::Read, pl))
        .map(|pl| pl.id)
        .collect();
    Ok(state
        .store
        .placement_lines(filter)
        .await?
        .into_iter()
        .filter(|l| allowed.contains(&l.placement_id))
        .collect())
}

async fn municipality_lines(
    state: &AppState,
    me: MaybeUser,
    code: &str,
) -> R<(Kommunkod, Vec<kkig_core::vfu::PlacementLine>)> {
    let u = user(me)?;
    let m = known_municipality(state, code).await?;
    require_municipal_read(&u, m, "placements")?;
    Ok((
        m,
        visible_lines(
            state,
            &u,
            &PlacementFilter {
                site_municipality: Some(m),
                ..Default::default()
            },
        )
        .await?,
    ))
}

async fn site_lines(state: &AppState, me: MaybeUser, id: &str) -> R<Vec<kkig_core::vfu::PlacementLine>> {
    let u = user(me)?;
    let site = readable_site(state, &u, id).await?;
    visible_lines(
        state,
        &u,
        &PlacementFilter {
            site_id: Some(site.id.clone()),
            ..Default::default()
        },
    )
    .await
}

async fn municipality_placements(state: AppState, me: MaybeUser, code: String, xlsx: bool) -> R<Response> {
    let (m, lines) = municipality_lines(&state, me, &code).await?;
    download(
        kkig_formats::vfu::placements_table(&lines, PlacementAudience::Municipality),
        xlsx,
        &format!("placeringar-{m}"),
    )
}

async fn site_placements(state: AppState, me: MaybeUser, id: String, xlsx: bool) -> R<Response> {
    let lines = site_lines(&state, me, &id).await?;
    download(
        kkig_formats::vfu::placements_table(&lines, PlacementAudience::Site),
        xlsx,
        &format!("placeringar-{id}"),
    )
}

/// A placement with the names around it: one line of the lists for sites and municipalities.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementLineRecord {
    pub placement_id: String,
    pub status: String,
    pub waiting_for_better: bool,
    pub site_id: String,
    pub site_name: String,
    pub site_municipality: String,
    pub student_name: String,
    pub student_email: String,
    pub home_municipality: String,
    pub period_id: String,
    pub university: String,
    pub programme: String,
    pub course_code: String,
    pub field: String,
    pub start: String,
    pub end: String,
    pub supervisor_name: Option<String>,
    pub supervisor_email: Option<String>,
}

fn line_records(lines: &[kkig_core::vfu::PlacementLine]) -> Vec<PlacementLineRecord> {
    lines
        .iter()
        .map(|l| PlacementLineRecord {
            placement_id: l.placement_id.clone(),
            status: l.status.as_str().into(),
            waiting_for_better: l.waiting_for_better,
            site_id: l.site_id.clone(),
            site_name: l.site_name.clone(),
            site_municipality: l.site_municipality.to_string(),
            student_name: l.student_name.clone(),
            student_email: l.student_email.clone(),
            home_municipality: l.home_municipality.to_string(),
            period_id: l.period_id.clone(),
            university: l.university.clone(),
            programme: l.programme.clone(),
            course_code: l.course_code.clone(),
            field: l.field.code().into(),
            start: l.start.to_string(),
            end: l.end.to_string(),
            supervisor_name: l.supervisor_name.clone(),
            supervisor_email: l.supervisor_email.clone(),
        })
        .collect()
}

/// Every placement at the municipality's sites that you may see, with names, by site, start
/// and student.
#[utoipa::path(get, path = "/api/v1/vfu/municipalities/{code}/placements", tag = "vfu", security(("bearer" = [])),
    params(("code" = String, Path, example = "2422")),
    responses((status = 200, body = [PlacementLineRecord]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn municipality_placements_json(
    State(state): State<AppState>,
    me: MaybeUser,
    Path(code): Path<String>,
) -> R<Json<Vec<PlacementLineRecord>>> {
    Ok(Json(line_records(&municipality_lines(&state, me, &code).await?.1)))
}

/// Every placement at a site that you may see, with names (every status).
#[utoipa::path(get, path = "/api/v1/vfu/sites/{id}/placements", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = [PlacementLineRecord]), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn site_placements_json(
    State(state): State<AppState>,
    me: MaybeUser,
    Path(id): Path<String>,
) -> R<Json<Vec<PlacementLineRecord>>> {
    Ok(Json(line_records(&site_lines(&state, me, &id).await?)))
}

/// Every placement at the municipality's sites, for its coordinator (Swedish-Excel CSV: UTF-8
/// with BOM, semicolons, decimal comma).
#[utoipa::path(get, path = "/api/v1/vfu/municipalities/{code}/placements.csv", tag = "vfu", security(("bearer" = [])),
    params(("code" = String, Path, example = "2422")),
    responses((status = 200, description = "Swedish-Excel CSV", content_type = "text/csv", body = String), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn municipality_placements_csv(
    State(state): State<AppState>,
    me: MaybeUser,
    Path(code): Path<String>,
) -> R<Response> {
    municipality_placements(state, me, code, false).await
}

/// The same list as XLSX.
#[utoipa::path(get, path = "/api/v1/vfu/municipalities/{code}/placements.xlsx", tag = "vfu", security(("bearer" = [])),
    params(("code" = String, Path, example = "2422")),
    responses((status = 200, description = "An XLSX workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = String, example = "(binary)"),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn municipality_placements_xlsx(
    State(state): State<AppState>,
    me: MaybeUser,
    Path(code): Path<String>,
) -> R<Response> {
    municipality_placements(state, me, code, true).await
}

/// The active placements at a site, for the site and its supervisors (CSV).
#[utoipa::path(get, path = "/api/v1/vfu/sites/{id}/placements.csv", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, description = "Swedish-Excel CSV", content_type = "text/csv", body = String), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn site_placements_csv(State(state): State<AppState>, me: MaybeUser, Path(id): Path<String>) -> R<Response> {
    site_placements(state, me, id, false).await
}

/// The same list as XLSX.
#[utoipa::path(get, path = "/api/v1/vfu/sites/{id}/placements.xlsx", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, description = "An XLSX workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = String, example = "(binary)"),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn site_placements_xlsx(State(state): State<AppState>, me: MaybeUser, Path(id): Path<String>) -> R<Response> {
    site_placements(state, me, id, true).await
}

// ---------------------------------------------------------------------------------------------
// Me

/// A student's own placement, with the site, the supervisor and the travel time from home.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyPlacement {
    pub placement: PlacementRecord,
    pub site: SiteRecord,
    pub supervisor_name: Option<String>,
    pub supervisor_email: Option<String>,
    pub supervisor_phone: Option<String>,
    /// Estimated one-way road travel time from home (or the home municipality's seat) to the
    /// site, by kkig's travel model (straight line × 1.3 at 70 km/h).
    pub travel_minutes: i64,
}

/// One VFU period of the signed-in student.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyStudy {
    pub student: StudentRecord,
    pub period: PeriodRecord,
    pub placements: Vec<MyPlacement>,
}

/// A student supervised by the signed-in supervisor.
#[derive(Debug, Serialize, ToSchema)]
pub struct MySupervisee {
    pub placement_id: String,
    pub status: String,
    pub student_name: String,
    pub student_email: String,
    pub site_id: String,
    pub site_name: String,
    pub programme: String,
    pub course_code: String,
    pub start: String,
    pub end: String,
}

/// The signed-in user's own VFU: as a student (periods, placements) and as a supervisor
/// (their record and their students). Empty lists for users who are neither.
#[derive(Debug, Serialize, ToSchema)]
pub struct VfuMe {
    pub studies: Vec<MyStudy>,
    pub supervisor: Option<SupervisorRecord>,
    pub supervising: Vec<MySupervisee>,
}

/// My VFU: a student's placements with supervisor and travel time; a supervisor's students.
#[utoipa::path(get, path = "/api/v1/vfu/me", tag = "vfu", security(("bearer" = [])),
    responses((status = 200, body = VfuMe), (status = 401, body = ErrorBody)))]
pub async fn me(State(state): State<AppState>, me: MaybeUser) -> R<Json<VfuMe>> {
    let u = user(me)?;
    let ctx = state.store.vfu_context().await?;
    let travel = TravelModel::default();
    let mut studies = Vec::new();
    for s in state
        .store
        .vfu_students(&StudentFilter {
            person_id: Some(u.person_id.clone()),
            ..Default::default()
        })
        .await?
    {
        let Some(period) = state.store.vfu_period(&s.period_id).await? else {
            continue;
        };
        let home = s
            .home_position
            .or_else(|| ctx.municipalities.get(&s.home_municipality).copied());
        let mut placements = Vec::new();
        for pl in state
            .store
            .placements(&PlacementFilter {
                student_id: Some(s.id.clone()),
                ..Default::default()
            })
            .await?
        {
            let Some(site) = state.store.placement_site(&pl.site_id).await? else {
                continue;
            };
            let sup = match &pl.supervisor_id {
                Some(id) => state.store.supervisor(id).await?,
                None => None,
            };
            placements.push(MyPlacement {
                travel_minutes: home.map(|h| travel.minutes(h, site.position)).unwrap_or(0),
                placement: PlacementRecord::from(&pl),
                site: SiteRecord::from(&site),
                supervisor_name: sup.as_ref().map(|s| s.name.clone()),
                supervisor_email: sup.as_ref().map(|s| s.email.clone()),
                supervisor_phone: sup.as_ref().map(|s| s.phone.clone()),
            });
        }
        studies.push(MyStudy {
            student: StudentRecord::from(&s),
            period: PeriodRecord::from(&period),
            placements,
        });
    }
    let supervisor = state
        .store
        .supervisors(None)
        .await?
        .into_iter()
        .find(|s| s.person_id == u.person_id);
    let mut supervising = Vec::new();
    if let Some(sup) = &supervisor {
        for l in state
            .store
            .placement_lines(&PlacementFilter {
                supervisor_id: Some(sup.id.clone()),
                ..Default::default()
            })
            .await?
        {
            supervising.push(MySupervisee {
                placement_id: l.placement_id,
                status: l.status.as_str().into(),
                student_name: l.student_name,
                student_email: l.student_email,
                site_id: l.site_id,
                site_name: l.site_name,
                programme: l.programme,
                course_code: l.course_code,
                start: l.start.to_string(),
                end: l.end.to_string(),
            });
        }
    }
    Ok(Json(VfuMe {
        studies,
        supervisor: supervisor.as_ref().map(SupervisorRecord::from),
        supervising,
    }))
}

/// A student's wishes and needs, the part of their record they keep themselves.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct WishesBody {
    /// Up to three site ids or kommunkods, most wanted first (a list, or one string joined
    /// with `|`); empty or left out: no wishes.
    #[schema(value_type = Option<Vec<String>>, example = json!(["site-a", "2421"]))]
    pub wishes: Option<Flex>,
    #[schema(value_type = Option<bool>)]
    pub no_driving_licence: Option<Flex>,
    #[schema(value_type = Option<bool>)]
    pub needs_public_transport: Option<Flex>,
    /// medical, sole_caregiver or other; empty: none.
    #[schema(value_type = Option<String>)]
    pub priority: Option<Flex>,
    /// For the coordinator; no diagnoses.
    #[schema(value_type = Option<String>)]
    pub note: Option<Flex>,
}

/// Change the wishes and needs of one of your own VFU periods (nothing else of the record).
/// Open until the allocation day of the period's timeline (10 weeks before the start) and while
/// no placement is made for you; after that 409 (the university's coordinator changes them).
/// Bad wishes are named by their place in the list (`wishes.0` … `wishes.2`).
#[utoipa::path(put, path = "/api/v1/vfu/me/students/{id}/wishes", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)), request_body = WishesBody,
    responses((status = 200, body = StudentRecord), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_my_wishes(
    State(state): State<AppState>,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
    b: Result<Json<WishesBody>, JsonRejection>,
) -> R<Json<StudentRecord>> {
    let u = user(me)?;
    let old = readable_student(&state, &u, &id).await?;
    let period = existing_period(&state, &old.period_id).await?;
    let target = Target::VfuStudentWishes {
        person_id: &old.person_id,
        university: &period.university,
        home_municipality: old.home_municipality,
    };
    if !guard.allows(&u.principal(), &target) {
        return Err(forbidden(format!(
            "the wishes of student {id} are kept by the student and their university"
        )));
    }
    let b = body(b)?;
    let own = state
        .store
        .placements(&PlacementFilter {
            student_id: Some(old.id.clone()),
            ..Default::default()
        })
        .await?;
    if !kkig_core::vfu::lifecycle::wishes_open(&period, &own, today(), &TimelineRules::default()) {
        let close = kkig_core::vfu::lifecycle::Timeline::for_period(&period, &TimelineRules::default()).wishes_close();
        return Err(status_error(
            StatusCode::CONFLICT,
            format!("the wishes of student {id} can no longer be changed: they close on {close} (the allocation day) or when a placement is made"),
        ));
    }
    let list: Vec<String> = match &b.wishes {
        None => Vec::new(),
        Some(f) => f
            .joined("|")
            .split('|')
            .map(|w| w.trim().to_string())
            .filter(|w| !w.is_empty())
            .collect(),
    };
    if list.len() > 3 {
        return Err(invalid_field("wishes", format!("{} wishes; at most three", list.len())));
    }
    let wish = |i: usize| list.get(i).cloned().unwrap_or_default();
    let input = kkig_core::vfu::wishes::WishesInput {
        wish1: wish(0),
        wish2: wish(1),
        wish3: wish(2),
        no_driving_licence: text(&b.no_driving_licence),
        needs_public_transport: text(&b.needs_public_transport),
        priority: text(&b.priority),
        note: text(&b.note),
    };
    let ctx = state.store.vfu_context().await?;
    let new = input.apply(&old, &ctx).map_err(|errors| {
        invalid(
            errors
                .into_iter()
                .map(|mut e| {
                    if let Some(n) = e.field.strip_prefix("wish").and_then(|n| n.parse::<usize>().ok()) {
                        e.field = format!("wishes.{}", n - 1);
                    }
                    e
                })
                .collect(),
        )
    })?;
    state.store.update_vfu_student(&new, &actor(&u)).await?;
    let saved = state
        .store
        .vfu_student(&id)
        .await?
        .ok_or_else(|| not_found(format!("student {id}")))?;
    Ok(Json(StudentRecord::from(&saved)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flex_takes_strings_numbers_booleans_and_lists() {
        let v: BTreeMap<String, Flex> = serde_json::from_str(
            r#"{"a": "x", "b": 87.5, "c": true, "d": null, "e": ["svenska", "matte"], "f": 2422}"#,
        )
        .unwrap();
        assert_eq!(v["a"].joined("|"), "x");
        assert_eq!(v["b"].joined("|"), "87.5");
        assert_eq!(v["c"].joined("|"), "true");
        assert_eq!(v["d"].joined("|"), "");
        assert_eq!(v["e"].joined("|"), "svenska|matte");
        assert_eq!(v["e"].joined(","), "svenska,matte");
        assert_eq!(v["f"].joined("|"), "2422");
        assert!(serde_json::from_str::<Flex>(r#"{"x": 1}"#).is_err());
        assert!(serde_json::from_str::<Flex>(r#"[{"x": 1}]"#).is_err());
    }
}
