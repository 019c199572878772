//! Placement sites and their hosting interest per term: `/api/v1/vfu/sites…`.

use super::*;

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
    responses((status = 200, body = [SiteRecord]), BadRequest, Unauthenticated, Forbidden, Invalid))]
pub async fn list_sites(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    q: Result<Query<SiteQuery>, QueryRejection>,
) -> R<Json<Vec<SiteRecord>>> {
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
    responses((status = 201, body = SiteRecord), BadRequest, Unauthenticated, Forbidden,
              (status = 422, description = "Invalid fields, each named", body = ErrorBody)))]
pub async fn create_site(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    b: Result<Json<SiteBody>, JsonRejection>,
) -> R<(StatusCode, Json<SiteRecord>)> {
    let input = body(b)?.input();
    if let Ok(m) = Kommunkod::parse(input.municipality.trim()) {
        if !guard.allows(&u.principal(), &municipal(m)) {
            return Err(forbidden(format!("placement sites of municipality {m}")));
        }
    }
    let ctx = state.store.vfu_context_for(&input.refs()).await?;
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
    responses((status = 200, body = SiteRecord), Unauthenticated, NotFound))]
pub async fn get_site(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    Path(id): Path<SiteId>,
) -> R<Json<SiteRecord>> {
    Ok(Json(SiteRecord::from(&readable_site(&state, &u, &id).await?)))
}

/// Replace a placement site.
#[utoipa::path(put, path = "/api/v1/vfu/sites/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)), request_body = SiteBody,
    responses((status = 200, body = SiteRecord), BadRequest, Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn put_site(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(id): Path<SiteId>,
    b: Result<Json<SiteBody>, JsonRejection>,
) -> R<Json<SiteRecord>> {
    let old = readable_site(&state, &u, &id).await?;
    let p = u.principal();
    if !guard.allows(&p, &municipal(old.municipality)) {
        return Err(forbidden(format!(
            "placement site {id} belongs to municipality {}",
            old.municipality
        )));
    }
    let mut input = body(b)?.input();
    input.id = id.to_string();
    let ctx = state.store.vfu_context_for(&input.refs()).await?;
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
    responses((status = 204, description = "Deleted"), Unauthenticated, Forbidden, NotFound,
              (status = 409, description = "Placements refer to the site", body = ErrorBody)))]
pub async fn delete_site(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(id): Path<SiteId>,
) -> R<StatusCode> {
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
    responses((status = 200, body = [HostingRecord]), Unauthenticated, NotFound))]
pub async fn site_interest(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    Path(id): Path<SiteId>,
) -> R<Json<Vec<HostingRecord>>> {
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
    responses((status = 200, body = HostingRecord), BadRequest, Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn put_interest(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path((id, term)): Path<(SiteId, String)>,
    b: Result<Json<InterestBody>, JsonRejection>,
) -> R<Json<HostingRecord>> {
    let site = readable_site(&state, &u, &id).await?;
    if !guard.allows(&u.principal(), &municipal(site.municipality)) {
        return Err(forbidden(format!(
            "placement site {id} belongs to municipality {}",
            site.municipality
        )));
    }
    let b = body(b)?;
    let input = HostingInput {
        site_id: String::from(id),
        term,
        interest: text(&b.interest),
        capacity: text(&b.capacity),
        reason: text(&b.reason),
    };
    let ctx = state.store.vfu_context_for(&input.refs()).await?;
    let h = input.parse(&ctx).map_err(invalid)?;
    state.store.set_hosting_interest(&h, &actor(&u)).await?;
    Ok(Json(HostingRecord::from(&h)))
}

/// Delete a site's answer for a term (the municipality's coordinators).
#[utoipa::path(delete, path = "/api/v1/vfu/sites/{id}/interest/{term}", tag = "vfu", security(("bearer" = [])),
    params(("id" = String, Path), ("term" = String, Path, example = "HT2026")),
    responses((status = 204, description = "Deleted"), Unauthenticated, Forbidden, NotFound))]
pub async fn delete_interest(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path((id, term)): Path<(SiteId, String)>,
) -> R<StatusCode> {
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
    responses((status = 200, body = [WaitingRecord]), Unauthenticated, NotFound))]
pub async fn site_waiting_list(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    Path(id): Path<SiteId>,
) -> R<Json<Vec<WaitingRecord>>> {
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
