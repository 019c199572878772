//! VFU students of a period: `/api/v1/vfu/students…`.

use super::*;

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

pub(super) async fn readable_student(state: &AppState, u: &UserRecord, id: &StudentId) -> R<VfuStudent> {
    match state.store.vfu_student(id).await? {
        Some(s) if student_allows(state, &u.principal(), Action::Read, &s).await? => Ok(s),
        _ => Err(not_found(format!("student {id}"))),
    }
}

/// Students you may see, by period and name.
#[utoipa::path(get, path = "/api/v1/vfu/students", tag = "vfu", security(("bearer" = [])), params(StudentQuery),
    responses((status = 200, body = [StudentRecord]), BadRequest, Unauthenticated, Invalid))]
pub async fn list_students(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    q: Result<Query<StudentQuery>, QueryRejection>,
) -> R<Json<Vec<StudentRecord>>> {
    let q = query(q)?;
    let filter = StudentFilter {
        period_id: q.period.filter(|s| !s.trim().is_empty()).map(PeriodId::from),
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
    responses((status = 201, body = StudentRecord), BadRequest, Unauthenticated, Forbidden, Invalid))]
pub async fn create_student(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    b: Result<Json<StudentBody>, JsonRejection>,
) -> R<(StatusCode, Json<StudentRecord>)> {
    let input = body(b)?.input();
    let ctx = state.store.vfu_context_for(&input.refs()).await?;
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
    responses((status = 200, body = StudentRecord), Unauthenticated, NotFound))]
pub async fn get_student(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    Path(id): Path<StudentId>,
) -> R<Json<StudentRecord>> {
    Ok(Json(StudentRecord::from(&readable_student(&state, &u, &id).await?)))
}

/// Replace a student's record (their university). A student changes only their wishes and
/// needs, with `PUT /api/v1/vfu/me/students/{id}/wishes`.
#[utoipa::path(put, path = "/api/v1/vfu/students/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)), request_body = StudentBody,
    responses((status = 200, body = StudentRecord), BadRequest, Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn put_student(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(id): Path<StudentId>,
    b: Result<Json<StudentBody>, JsonRejection>,
) -> R<Json<StudentRecord>> {
    let old = readable_student(&state, &u, &id).await?;
    let p = u.principal();
    if !writes_student(&state, &guard, &p, &old).await? {
        return Err(forbidden(format!("student {id} is kept by the university of their period; a student changes only their wishes and needs (PUT /api/v1/vfu/me/students/{id}/wishes)")));
    }
    let input = body(b)?.input();
    let ctx = state.store.vfu_context_for(&input.refs()).await?;
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
    responses((status = 204, description = "Deleted"), Unauthenticated, Forbidden, NotFound))]
pub async fn delete_student(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(id): Path<StudentId>,
) -> R<StatusCode> {
    let old = readable_student(&state, &u, &id).await?;
    let uni = period_university(&state, &old.period_id).await?;
    if !writes_student(&state, &guard, &u.principal(), &old).await? {
        return Err(forbidden(format!("student {id} is kept by {uni}")));
    }
    state.store.delete_vfu_student(&id, &actor(&u)).await.map_err(blocked)?;
    Ok(StatusCode::NO_CONTENT)
}
