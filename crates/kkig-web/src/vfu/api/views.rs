//! A municipality's views: the training need and the compensation basis.

use super::*;

/// A municipality's training need: expected VFU students per field and term against the
/// capacity of its trained supervisors, and the supervisors to invite.
#[utoipa::path(get, path = "/api/v1/vfu/municipalities/{code}/training-need", tag = "vfu", security(("bearer" = [])),
    params(("code" = String, Path, example = "2422")),
    responses((status = 200, body = TrainingNeedRecord), Unauthenticated, Forbidden, NotFound))]
pub async fn training_need(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    Path(code): Path<String>,
) -> R<Json<TrainingNeedRecord>> {
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
    responses((status = 200, body = [CompensationRecord]), Unauthenticated, Forbidden, NotFound))]
pub async fn compensation(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    Path(code): Path<String>,
) -> R<Json<Vec<CompensationRecord>>> {
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
