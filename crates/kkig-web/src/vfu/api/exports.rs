//! Placement lists of a municipality or a site as JSON, CSV and XLSX.

use super::*;

pub(super) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub(super) fn download(table: kkig_formats::Table, xlsx: bool, name: &str) -> R<Response> {
    download_sheet(table, xlsx, name, "Placeringar")
}

/// A table as a Swedish-Excel CSV or an XLSX workbook (one sheet named `sheet`), as an attachment
/// `name.csv`/`name.xlsx`.
pub(crate) fn download_sheet(table: kkig_formats::Table, xlsx: bool, name: &str, sheet: &str) -> R<Response> {
    if xlsx {
        let bytes = table
            .to_xlsx(sheet)
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("cannot write XLSX: {e}")))?;
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

pub(super) async fn visible_lines(
    state: &AppState,
    u: &UserRecord,
    filter: &PlacementFilter,
) -> R<Vec<kkig_core::vfu::PlacementLine>> {
    let scope = Scope::load(state).await?;
    let p = u.principal();
    let allowed: std::collections::HashSet<PlacementId> = state
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

pub(super) async fn municipality_lines(
    state: &AppState,
    u: UserRecord,
    code: &str,
) -> R<(Kommunkod, Vec<kkig_core::vfu::PlacementLine>)> {
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

pub(super) async fn site_lines(state: &AppState, u: UserRecord, id: &SiteId) -> R<Vec<kkig_core::vfu::PlacementLine>> {
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

pub(super) async fn municipality_placements(state: AppState, u: UserRecord, code: String, xlsx: bool) -> R<Response> {
    let (m, lines) = municipality_lines(&state, u, &code).await?;
    download(
        kkig_formats::vfu::placements_table(&lines, PlacementAudience::Municipality),
        xlsx,
        &format!("placeringar-{m}"),
    )
}

pub(super) async fn site_placements(state: AppState, u: UserRecord, id: SiteId, xlsx: bool) -> R<Response> {
    let lines = site_lines(&state, u, &id).await?;
    download(
        kkig_formats::vfu::placements_table(&lines, PlacementAudience::Site),
        xlsx,
        &format!("placeringar-{id}"),
    )
}

/// A placement with the names around it: one line of the lists for sites and municipalities.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementLineRecord {
    #[schema(value_type = String)]
    pub placement_id: PlacementId,
    pub status: String,
    pub waiting_for_better: bool,
    #[schema(value_type = String)]
    pub site_id: SiteId,
    pub site_name: String,
    pub site_municipality: String,
    pub student_name: String,
    pub student_email: String,
    pub home_municipality: String,
    #[schema(value_type = String)]
    pub period_id: PeriodId,
    pub university: String,
    pub programme: String,
    pub course_code: String,
    pub field: String,
    pub start: String,
    pub end: String,
    pub supervisor_name: Option<String>,
    pub supervisor_email: Option<String>,
}

pub(super) fn line_records(lines: &[kkig_core::vfu::PlacementLine]) -> Vec<PlacementLineRecord> {
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
    responses((status = 200, body = [PlacementLineRecord]), Unauthenticated, Forbidden, NotFound))]
pub async fn municipality_placements_json(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    Path(code): Path<String>,
) -> R<Json<Vec<PlacementLineRecord>>> {
    Ok(Json(line_records(&municipality_lines(&state, u, &code).await?.1)))
}

/// Every placement at a site that you may see, with names (every status).
#[utoipa::path(get, path = "/api/v1/vfu/sites/{id}/placements", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = [PlacementLineRecord]), Unauthenticated, NotFound))]
pub async fn site_placements_json(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    Path(id): Path<SiteId>,
) -> R<Json<Vec<PlacementLineRecord>>> {
    Ok(Json(line_records(&site_lines(&state, u, &id).await?)))
}

/// Every placement at the municipality's sites, for its coordinator (Swedish-Excel CSV: UTF-8
/// with BOM, semicolons, decimal comma).
#[utoipa::path(get, path = "/api/v1/vfu/municipalities/{code}/placements.csv", tag = "vfu", security(("bearer" = [])),
    params(("code" = String, Path, example = "2422")),
    responses((status = 200, description = "Swedish-Excel CSV", content_type = "text/csv", body = String),
              Unauthenticated, Forbidden, NotFound))]
pub async fn municipality_placements_csv(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    Path(code): Path<String>,
) -> R<Response> {
    municipality_placements(state, u, code, false).await
}

/// The same list as XLSX.
#[utoipa::path(get, path = "/api/v1/vfu/municipalities/{code}/placements.xlsx", tag = "vfu", security(("bearer" = [])),
    params(("code" = String, Path, example = "2422")),
    responses((status = 200, description = "An XLSX workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = String, example = "(binary)"),
              Unauthenticated, Forbidden, NotFound))]
pub async fn municipality_placements_xlsx(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    Path(code): Path<String>,
) -> R<Response> {
    municipality_placements(state, u, code, true).await
}

/// The active placements at a site, for the site and its supervisors (CSV).
#[utoipa::path(get, path = "/api/v1/vfu/sites/{id}/placements.csv", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, description = "Swedish-Excel CSV", content_type = "text/csv", body = String),
              Unauthenticated, NotFound))]
pub async fn site_placements_csv(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    Path(id): Path<SiteId>,
) -> R<Response> {
    site_placements(state, u, id, false).await
}

/// The same list as XLSX.
#[utoipa::path(get, path = "/api/v1/vfu/sites/{id}/placements.xlsx", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, description = "An XLSX workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = String, example = "(binary)"),
              Unauthenticated, NotFound))]
pub async fn site_placements_xlsx(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    Path(id): Path<SiteId>,
) -> R<Response> {
    site_placements(state, u, id, true).await
}
