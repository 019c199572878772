//! Supervisors, their training, and invitations to an account: `/api/v1/vfu/supervisors…`.

use super::*;

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
pub(super) fn supervisor_municipality(input: &SupervisorInput, ctx: &VfuContext) -> Option<Kommunkod> {
    Kommunkod::parse(input.municipality.trim())
        .ok()
        .or_else(|| ctx.sites.get(input.site_id.trim()).copied())
}

pub(super) async fn readable_supervisor(state: &AppState, u: &UserRecord, id: &SupervisorId) -> R<Supervisor> {
    match state.store.supervisor(id).await? {
        Some(s) if supervisor_allows(&u.principal(), Action::Read, &s) => Ok(s),
        _ => Err(not_found(format!("supervisor {id}"))),
    }
}

/// Supervisors you may see (municipalities: their own; universities, regional: all; a
/// supervisor: themselves).
#[utoipa::path(get, path = "/api/v1/vfu/supervisors", tag = "vfu", security(("bearer" = [])), params(SupervisorQuery),
    responses((status = 200, body = [SupervisorRecord]), BadRequest, Unauthenticated, Forbidden, Invalid))]
pub async fn list_supervisors(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    q: Result<Query<SupervisorQuery>, QueryRejection>,
) -> R<Json<Vec<SupervisorRecord>>> {
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
    responses((status = 201, body = SupervisorRecord), BadRequest, Unauthenticated, Forbidden, Invalid))]
pub async fn create_supervisor(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    b: Result<Json<SupervisorBody>, JsonRejection>,
) -> R<(StatusCode, Json<SupervisorRecord>)> {
    let input = body(b)?.input();
    let ctx = state.store.vfu_context_for(&input.refs()).await?;
    let p = u.principal();
    if let Some(m) = supervisor_municipality(&input, &ctx) {
        if !guard.allows(
            &p,
            &Target::Supervisor {
                person_id: &PersonId::default(),
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
            person_id: &PersonId::default(),
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
    responses((status = 200, body = SupervisorRecord), Unauthenticated, NotFound))]
pub async fn get_supervisor(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    Path(id): Path<SupervisorId>,
) -> R<Json<SupervisorRecord>> {
    Ok(Json(SupervisorRecord::from(
        &readable_supervisor(&state, &u, &id).await?,
    )))
}

/// Replace a supervisor's record (their municipality, or the supervisor themselves).
#[utoipa::path(put, path = "/api/v1/vfu/supervisors/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)), request_body = SupervisorBody,
    responses((status = 200, body = SupervisorRecord), BadRequest, Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn put_supervisor(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(id): Path<SupervisorId>,
    b: Result<Json<SupervisorBody>, JsonRejection>,
) -> R<Json<SupervisorRecord>> {
    let old = readable_supervisor(&state, &u, &id).await?;
    let p = u.principal();
    if !guard.allows(&p, &supervisor_target(&old)) {
        return Err(forbidden(format!(
            "supervisor {id} is kept by municipality {}",
            old.municipality
        )));
    }
    let input = body(b)?.input();
    let ctx = state.store.vfu_context_for(&input.refs()).await?;
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
    responses((status = 204, description = "Deleted"), Unauthenticated, Forbidden, NotFound))]
pub async fn delete_supervisor(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(id): Path<SupervisorId>,
) -> R<StatusCode> {
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
    responses((status = 200, body = SupervisorRecord), BadRequest, Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn invite_supervisor(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(id): Path<SupervisorId>,
    b: Result<Json<InviteBody>, JsonRejection>,
) -> R<Json<SupervisorRecord>> {
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
