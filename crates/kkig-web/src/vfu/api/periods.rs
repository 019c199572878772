//! VFU periods (read by anyone, written by their university) and their iCalendar:
//! `/api/v1/vfu/periods…`.

use super::*;

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

pub(super) fn known_university(ctx: &VfuContext, raw: &str) -> Option<String> {
    ctx.universities
        .iter()
        .find(|u| u.eq_ignore_ascii_case(raw.trim()))
        .cloned()
}

pub(crate) async fn existing_period(state: &AppState, id: &PeriodId) -> R<VfuPeriod> {
    state
        .store
        .vfu_period(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no VFU period {id}")))
}

/// VFU periods (public: periods are announced schedules, not personal data), by start.
#[utoipa::path(get, path = "/api/v1/vfu/periods", tag = "vfu", params(PeriodQuery),
    responses((status = 200, body = [PeriodRecord]), BadRequest, Invalid))]
pub async fn list_periods(
    State(state): State<AppState>,
    q: Result<Query<PeriodQuery>, QueryRejection>,
) -> R<Json<Vec<PeriodRecord>>> {
    let q = query(q)?;
    let uni = q.university.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let ctx = state.store.vfu_context_for(&kkig_core::vfu::VfuRefs::default()).await?;
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
    responses((status = 200, description = "iCalendar (RFC 5545)", content_type = "text/calendar", body = String),
              BadRequest, Invalid))]
pub async fn periods_ics(State(state): State<AppState>, q: Result<Query<PeriodQuery>, QueryRejection>) -> R<Response> {
    let q = query(q)?;
    let ctx = state.store.vfu_context_for(&kkig_core::vfu::VfuRefs::default()).await?;
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
    responses((status = 201, body = PeriodRecord), BadRequest, Unauthenticated, Forbidden, Invalid))]
pub async fn create_period(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    b: Result<Json<PeriodBody>, JsonRejection>,
) -> R<(StatusCode, Json<PeriodRecord>)> {
    let input = body(b)?.input();
    let ctx = state.store.vfu_context_for(&input.refs()).await?;
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
    responses((status = 200, body = PeriodRecord), NotFound))]
pub async fn get_period(State(state): State<AppState>, Path(id): Path<PeriodId>) -> R<Json<PeriodRecord>> {
    Ok(Json(PeriodRecord::from(&existing_period(&state, &id).await?)))
}

/// Replace a VFU period (its university).
#[utoipa::path(put, path = "/api/v1/vfu/periods/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)), request_body = PeriodBody,
    responses((status = 200, body = PeriodRecord), BadRequest, Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn put_period(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(id): Path<PeriodId>,
    b: Result<Json<PeriodBody>, JsonRejection>,
) -> R<Json<PeriodRecord>> {
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
    input.id = id.to_string();
    let ctx = state.store.vfu_context_for(&input.refs()).await?;
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
    responses((status = 204, description = "Deleted"), Unauthenticated, Forbidden, NotFound,
              (status = 409, body = ErrorBody)))]
pub async fn delete_period(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(id): Path<PeriodId>,
) -> R<StatusCode> {
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
    responses((status = 200, body = [StudentRecord]), Unauthenticated, NotFound))]
pub async fn period_students(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    Path(id): Path<PeriodId>,
) -> R<Json<Vec<StudentRecord>>> {
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
