//! `me` for students and supervisors: one's own placements, studies and supervisees, and a
//! student's wishes.

use super::*;

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
    #[schema(value_type = String)]
    pub placement_id: PlacementId,
    pub status: String,
    pub student_name: String,
    pub student_email: String,
    #[schema(value_type = String)]
    pub site_id: SiteId,
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
    responses((status = 200, body = VfuMe), Unauthenticated))]
pub async fn me(State(state): State<AppState>, ApiUser(u): ApiUser) -> R<Json<VfuMe>> {
    let ctx = state.store.vfu_context_for(&kkig_core::vfu::VfuRefs::default()).await?;
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
    responses((status = 200, body = StudentRecord), BadRequest, Unauthenticated, Forbidden, NotFound,
              (status = 409, body = ErrorBody), Invalid))]
pub async fn put_my_wishes(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(id): Path<StudentId>,
    b: Result<Json<WishesBody>, JsonRejection>,
) -> R<Json<StudentRecord>> {
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
    let ctx = state.store.vfu_context_for(&input.refs(&old)).await?;
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
