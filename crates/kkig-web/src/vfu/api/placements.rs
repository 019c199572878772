//! Placements of students at sites and their lifecycle: `/api/v1/vfu/placements…`.

use super::*;

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

pub(super) fn empty_none(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

pub(super) async fn readable_placement(state: &AppState, u: &UserRecord, id: &PlacementId) -> R<(Placement, Scope)> {
    let Some(pl) = state.store.placement(id).await? else {
        return Err(not_found(format!("placement {id}")));
    };
    let scope = Scope::for_records(state, &[&pl.student_id], &[&pl.site_id]).await?;
    if scope.placement_allows(&u.principal(), Action::Read, &pl) {
        Ok((pl, scope))
    } else {
        Err(not_found(format!("placement {id}")))
    }
}

/// Placements you may see (the university: its students'; a municipality: those at its sites;
/// a student: their own).
#[utoipa::path(get, path = "/api/v1/vfu/placements", tag = "vfu", security(("bearer" = [])), params(PlacementQuery),
    responses((status = 200, body = [PlacementRecord]), BadRequest, Unauthenticated, Invalid))]
pub async fn list_placements(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    q: Result<Query<PlacementQuery>, QueryRejection>,
) -> R<Json<Vec<PlacementRecord>>> {
    let q = query(q)?;
    let status = match empty_none(q.status) {
        None => None,
        Some(s) => Some(
            PlacementStatus::parse(&s)
                .ok_or_else(|| ApiError::bad_request(format!("status {s:?} is not a placement status")))?,
        ),
    };
    let filter = PlacementFilter {
        period_id: empty_none(q.period).map(PeriodId::from),
        site_id: empty_none(q.site).map(SiteId::from),
        site_municipality: optional_municipality("municipality", &q.municipality)?,
        student_id: empty_none(q.student).map(StudentId::from),
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
    responses((status = 201, body = PlacementRecord), BadRequest, Unauthenticated, Forbidden, Invalid))]
pub async fn create_placement(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    b: Result<Json<NewPlacementBody>, JsonRejection>,
) -> R<(StatusCode, Json<PlacementRecord>)> {
    let b = body(b)?;
    let p = u.principal();
    let (student_id, site_id) = (StudentId::new(b.student_id.trim()), SiteId::new(b.site_id.trim()));
    let scope = Scope::for_records(&state, &[&student_id], &[&site_id]).await?;
    let mut errors = Vec::new();
    // A student or site the user may not see is answered like one that does not exist.
    let student = scope.students.get(&student_id).filter(|(person, uni, home)| {
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
    let mut pl = Placement::start(PlacementId::default(), student_id, site_id, status, on)
        .map_err(|e| invalid_field("status", e.to_string()))?;
    pl.supervisor_id = empty_none(b.supervisor_id).map(SupervisorId::from);
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
    responses((status = 200, body = PlacementRecord), Unauthenticated, NotFound))]
pub async fn get_placement(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    Path(id): Path<PlacementId>,
) -> R<Json<PlacementRecord>> {
    Ok(Json(PlacementRecord::from(
        &readable_placement(&state, &u, &id).await?.0,
    )))
}

/// Change a placement's site, supervisor, waiting flag or note (fields left out stay).
#[utoipa::path(put, path = "/api/v1/vfu/placements/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)), request_body = PlacementBody,
    responses((status = 200, body = PlacementRecord), BadRequest, Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn put_placement(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(id): Path<PlacementId>,
    b: Result<Json<PlacementBody>, JsonRejection>,
) -> R<Json<PlacementRecord>> {
    let (old, scope) = readable_placement(&state, &u, &id).await?;
    let p = u.principal();
    if !scope.placement_writable(&guard, &p, &old) {
        return Err(forbidden(format!("placement {id}")));
    }
    let b = body(b)?;
    let mut new = old.clone();
    if let Some(site) = b.site_id {
        new.site_id = SiteId::new(site.trim());
        if !scope
            .sites
            .get(&new.site_id)
            .is_some_and(|m| may_municipal(&p, Action::Read, *m))
        {
            return Err(invalid_field("site_id", format!("no placement site {:?}", new.site_id)));
        }
    }
    if let Some(sup) = b.supervisor_id {
        new.supervisor_id = Some(sup.trim()).filter(|s| !s.is_empty()).map(SupervisorId::new);
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
    responses((status = 204, description = "Deleted"), Unauthenticated, Forbidden, NotFound))]
pub async fn delete_placement(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(id): Path<PlacementId>,
) -> R<StatusCode> {
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
    responses((status = 200, body = PlacementRecord), BadRequest, Unauthenticated, Forbidden, NotFound,
              (status = 409, description = "The lifecycle does not allow this step", body = ErrorBody), Invalid))]
pub async fn transition_placement(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(id): Path<PlacementId>,
    b: Result<Json<TransitionBody>, JsonRejection>,
) -> R<Json<PlacementRecord>> {
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
            return Err(ApiError::fields(
                StatusCode::CONFLICT,
                vec![FieldError::new("to", e.to_string())],
            ))
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
