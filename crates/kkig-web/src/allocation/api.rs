//! The VFU allocation in the product, as JSON under `/api/v1/vfu/` (docs/allocation.md, "In the
//! product"): a university's allocation rules, a run on a period (the preview), manual locks with
//! a reason, and publishing.
//!
//! Only the period's university (its coordinator) and admins: `Principal::may(Write,
//! UniversityRecord)`; regional coordinators read the rules. A period that does not exist is 404;
//! a period of another university 403 (periods are public, their allocation is not). The run is
//! the core's `allocation::product::run` on the store's `allocation_data` with the university's
//! rules, so `move_penalty` keeps published placements where they are.

use std::collections::BTreeMap;

use crate::http::guard::{Guard, Op, Routes, Surface};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use kkig_core::access::{Action, Principal, Target};
use kkig_core::allocation::product::{run, Preview};
use kkig_core::allocation::Rules;
use kkig_core::ids::*;
use kkig_core::vfu::VfuPeriod;
use kkig_store::{AllocationLock, PublishReport, UserRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::http::auth::{actor, ApiUser};
use crate::http::clock::today;
use crate::http::error::{body, forbidden, invalid_field, query, ApiError, ApiResult as R, ErrorBody};
use crate::http::openapi::{BadRequest, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::AppState;

/// The routes, relative to `/api` (merged into the API router).
pub fn routes() -> Routes {
    Routes::new(Surface::Api)
        .get("/v1/vfu/universities/{id}/allocation-rules", get_rules)
        .put(
            "/v1/vfu/universities/{id}/allocation-rules",
            Op::AllocationRules,
            put_rules,
        )
        .post("/v1/vfu/periods/{id}/allocation", Op::AllocationRun, run_allocation)
        .put(
            "/v1/vfu/periods/{id}/allocation/locks/{student}",
            Op::AllocationLock,
            put_lock,
        )
        .delete(
            "/v1/vfu/periods/{id}/allocation/locks/{student}",
            Op::AllocationUnlock,
            delete_lock,
        )
        .post(
            "/v1/vfu/periods/{id}/allocation/publish",
            Op::AllocationPublish,
            publish,
        )
}

/// The rules of a university's allocation runs (the `rules` of `kkig allocate`'s instance).
/// Every key is optional in a `PUT`; an absent key takes its default (`move_penalty` 60).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct RulesRecord {
    #[schema(example = 90)]
    pub max_travel_minutes: i64,
    #[schema(example = 1.3)]
    pub road_factor: f64,
    #[schema(example = 70.0)]
    pub speed_kmh: f64,
    #[schema(example = 30)]
    pub home_municipality_bonus: i64,
    pub preference_bonus: Vec<i64>,
    /// Added to the cost of placing a student elsewhere than their published placement.
    pub move_penalty: i64,
    pub unplaced_penalty: i64,
}

impl Default for RulesRecord {
    fn default() -> Self {
        kkig_core::allocation::product::default_rules().into()
    }
}

impl From<Rules> for RulesRecord {
    fn from(r: Rules) -> Self {
        Self {
            max_travel_minutes: r.max_travel_minutes,
            road_factor: r.road_factor,
            speed_kmh: r.speed_kmh,
            home_municipality_bonus: r.home_municipality_bonus,
            preference_bonus: r.preference_bonus,
            move_penalty: r.move_penalty,
            unplaced_penalty: r.unplaced_penalty,
        }
    }
}

impl From<RulesRecord> for Rules {
    fn from(r: RulesRecord) -> Self {
        Self {
            max_travel_minutes: r.max_travel_minutes,
            road_factor: r.road_factor,
            speed_kmh: r.speed_kmh,
            home_municipality_bonus: r.home_municipality_bonus,
            preference_bonus: r.preference_bonus,
            move_penalty: r.move_penalty,
            unplaced_penalty: r.unplaced_penalty,
        }
    }
}

/// One placed student (as in `kkig allocate`'s output).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AssignmentRecord {
    #[schema(value_type = String)]
    pub student: StudentId,
    #[schema(value_type = String)]
    pub site: SiteId,
    pub minutes: i64,
    pub cost: i64,
}

/// One student of the preview, placed (site, minutes, cost) or not (reason).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PreviewStudentRecord {
    #[schema(value_type = String)]
    pub student: StudentId,
    pub name: String,
    pub home_municipality: String,
    #[schema(value_type = Option<String>)]
    pub site: Option<SiteId>,
    pub site_name: Option<String>,
    pub site_municipality: Option<String>,
    pub minutes: Option<i64>,
    pub cost: Option<i64>,
    /// Placed in the home municipality.
    pub home: bool,
    /// Locked by hand, or by a confirmed/started/completed placement.
    pub locked: bool,
    /// The site of the published (requested/offered) placement.
    #[schema(value_type = Option<String>)]
    pub current_site: Option<SiteId>,
    pub reason: Option<String>,
}

/// Placed students in a travel bucket (`0-15`, `16-30`, `31-45`, `46-60`, `61-90`, `>90`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TravelBucketRecord {
    pub minutes: String,
    pub students: usize,
}

/// The numbers of a preview.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PreviewSummaryRecord {
    pub students: usize,
    pub placed: usize,
    pub placed_share: f64,
    pub placed_home: usize,
    /// Of the placed.
    pub home_share: f64,
    /// Placed elsewhere than their published placement.
    pub moved: usize,
    pub minutes_min: i64,
    pub minutes_median: i64,
    pub minutes_max: i64,
    pub travel: Vec<TravelBucketRecord>,
}

/// A run's preview: `kkig allocate`'s output (objective, placed, unplaced, assignments,
/// unplaced_reasons) plus every student with names, the summary, the rules and the locks.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PreviewRecord {
    #[schema(value_type = String)]
    pub period_id: PeriodId,
    pub objective: i64,
    pub placed: usize,
    #[schema(value_type = Vec<String>)]
    pub unplaced: Vec<StudentId>,
    pub assignments: Vec<AssignmentRecord>,
    #[schema(value_type = BTreeMap<String, String>)]
    pub unplaced_reasons: BTreeMap<StudentId, String>,
    pub students: Vec<PreviewStudentRecord>,
    pub summary: PreviewSummaryRecord,
    pub rules: RulesRecord,
    pub locks: Vec<AllocationLock>,
}

impl PreviewRecord {
    fn new(period_id: &PeriodId, p: &Preview, rules: Rules, locks: Vec<AllocationLock>) -> R<Self> {
        // The core's preview has the same field names; the records add the API schema.
        let mut v =
            serde_json::to_value(p).map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        if let Some(o) = v.as_object_mut() {
            o.insert("period_id".into(), period_id.as_str().into());
            o.insert(
                "rules".into(),
                serde_json::to_value(RulesRecord::from(rules)).unwrap_or_default(),
            );
            o.insert("locks".into(), serde_json::to_value(locks).unwrap_or_default());
        }
        serde_json::from_value(v).map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
    }
}

/// What publishing did, with the preview that was published.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublishRecord {
    pub report: PublishReport,
    pub preview: PreviewRecord,
}

/// A manual lock: the site and why (the reason is required and logged).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LockBody {
    pub site: Option<String>,
    pub reason: Option<String>,
}

/// Why a lock is removed (required, logged).
#[derive(Debug, Clone, Deserialize, IntoParams)]
pub struct UnlockQuery {
    pub reason: Option<String>,
}

fn known_university<'a>(state_universities: impl IntoIterator<Item = &'a String>, raw: &str) -> Option<String> {
    state_universities
        .into_iter()
        .find(|u| u.eq_ignore_ascii_case(raw.trim()))
        .cloned()
}

async fn university(state: &AppState, id: &str) -> R<String> {
    let ctx = state.store.vfu_context_for(&kkig_core::vfu::VfuRefs::default()).await?;
    known_university(&ctx.universities, id).ok_or_else(|| ApiError::not_found(format!("no university {id}")))
}

/// The period, when the user may allocate it (404 when there is none, 403 for another
/// university's).
async fn allocatable(state: &AppState, guard: &Guard, u: &UserRecord, id: &PeriodId) -> R<VfuPeriod> {
    let period = state
        .store
        .vfu_period(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no VFU period {id}")))?;
    if !guard.allows(
        &u.principal(),
        &Target::UniversityRecord {
            university: &period.university,
        },
    ) {
        return Err(forbidden(format!(
            "the allocation of VFU period {id} belongs to {}",
            period.university
        )));
    }
    Ok(period)
}

async fn preview_of(state: &AppState, period: &VfuPeriod) -> R<(Preview, Rules)> {
    let rules = state.store.allocation_rules(&period.university).await?;
    let Some(data) = state.store.allocation_data(&period.id).await? else {
        return Err(ApiError::not_found(format!("no VFU period {}", period.id)));
    };
    let r = rules.clone();
    let result = tokio::task::spawn_blocking(move || run(&data.view(), &r))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    let preview = result.map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("the period's data is not a valid instance: {e}"),
        )
    })?;
    Ok((preview, rules))
}

fn may_read_rules(p: &Principal, university: &str) -> bool {
    p.may(Action::Read, &Target::UniversityRecord { university })
}

/// A university's allocation rules (defaults until saved): its coordinators, regional, admin.
#[utoipa::path(get, path = "/api/v1/vfu/universities/{id}/allocation-rules", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = RulesRecord), Unauthenticated, Forbidden, NotFound))]
pub async fn get_rules(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    Path(id): Path<String>,
) -> R<Json<RulesRecord>> {
    let uni = university(&state, &id).await?;
    if !may_read_rules(&u.principal(), &uni) {
        return Err(forbidden(format!("the allocation rules of {uni}")));
    }
    Ok(Json(state.store.allocation_rules(&uni).await?.into()))
}

/// Replace a university's allocation rules (its coordinators, admin); 422 names the bad rule.
#[utoipa::path(put, path = "/api/v1/vfu/universities/{id}/allocation-rules", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)), request_body = RulesRecord,
    responses((status = 200, body = RulesRecord), BadRequest, Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn put_rules(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(id): Path<String>,
    b: Result<Json<RulesRecord>, JsonRejection>,
) -> R<Json<RulesRecord>> {
    let uni = university(&state, &id).await?;
    if !guard.allows(&u.principal(), &Target::UniversityRecord { university: &uni }) {
        return Err(forbidden(format!("the allocation rules of {uni}")));
    }
    let rules: Rules = body(b)?.into();
    state.store.save_allocation_rules(&uni, &rules, &actor(&u)).await?;
    Ok(Json(state.store.allocation_rules(&uni).await?.into()))
}

/// Run the allocation of a period and return the preview (nothing is written).
#[utoipa::path(post, path = "/api/v1/vfu/periods/{id}/allocation", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = PreviewRecord), Unauthenticated, Forbidden, NotFound))]
pub async fn run_allocation(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(id): Path<PeriodId>,
) -> R<Json<PreviewRecord>> {
    let period = allocatable(&state, &guard, &u, &id).await?;
    let (preview, rules) = preview_of(&state, &period).await?;
    let locks = state.store.allocation_locks(&id).await?;
    Ok(Json(PreviewRecord::new(&id, &preview, rules, locks)?))
}

/// Lock a student of the period to a site (`{"site": "…", "reason": "…"}`; the reason is
/// required and logged). The next run places the student there.
#[utoipa::path(put, path = "/api/v1/vfu/periods/{id}/allocation/locks/{student}", tag = "vfu", security(("bearer" = [])),
    params(("id" = String, Path), ("student" = String, Path)), request_body = LockBody,
    responses((status = 200, body = AllocationLock), BadRequest, Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn put_lock(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path((id, student)): Path<(PeriodId, StudentId)>,
    b: Result<Json<LockBody>, JsonRejection>,
) -> R<Json<AllocationLock>> {
    allocatable(&state, &guard, &u, &id).await?;
    let b = body(b)?;
    let site = b
        .site
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid_field("site", "a site is required"))?;
    let lock = state
        .store
        .set_allocation_lock(
            &id,
            &student,
            &SiteId::from(site),
            b.reason.as_deref().unwrap_or(""),
            &actor(&u),
        )
        .await?;
    Ok(Json(lock))
}

/// Remove a lock (`?reason=…`, required and logged); 404 when the student has none.
#[utoipa::path(delete, path = "/api/v1/vfu/periods/{id}/allocation/locks/{student}", tag = "vfu", security(("bearer" = [])),
    params(("id" = String, Path), ("student" = String, Path), UnlockQuery),
    responses((status = 204, description = "Unlocked"), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn delete_lock(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path((id, student)): Path<(PeriodId, StudentId)>,
    q: Result<Query<UnlockQuery>, QueryRejection>,
) -> R<StatusCode> {
    allocatable(&state, &guard, &u, &id).await?;
    let q = query(q)?;
    if state
        .store
        .delete_allocation_lock(&id, &student, q.reason.as_deref().unwrap_or(""), &actor(&u))
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!(
            "no lock of student {student} on period {id}"
        )))
    }
}

/// Run again and publish in one transaction: placements created, moved or withdrawn as
/// `offered` (confirmed ones untouched), audited; 409 when nothing would change.
#[utoipa::path(post, path = "/api/v1/vfu/periods/{id}/allocation/publish", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = PublishRecord), Unauthenticated, Forbidden, NotFound,
              (status = 409, body = ErrorBody)))]
pub async fn publish(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(id): Path<PeriodId>,
) -> R<Json<PublishRecord>> {
    let period = allocatable(&state, &guard, &u, &id).await?;
    let (preview, rules) = preview_of(&state, &period).await?;
    let report = state
        .store
        .publish_allocation(&id, &preview.placements(), today(), &actor(&u))
        .await?;
    if report.changed() == 0 {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "nothing to publish: the published placements already are this allocation",
        ));
    }
    let locks = state.store.allocation_locks(&id).await?;
    Ok(Json(PublishRecord {
        report,
        preview: PreviewRecord::new(&id, &preview, rules, locks)?,
    }))
}
