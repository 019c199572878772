//! Who does what in VFU in a municipality: the RACI matrix of each programme type, its
//! adaptation and reset.

use super::*;

/// Who does what in VFU in a municipality: the RACI matrix of each programme type (the
/// default, or the municipality's adaptation). Public.
#[utoipa::path(get, path = "/api/v1/vfu/municipalities/{code}/raci", tag = "vfu", params(("code" = String, Path, example = "2422")),
    responses((status = 200, body = [RaciRecord]), NotFound))]
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

pub(super) fn programme_path(s: &str) -> R<ProgrammeType> {
    ProgrammeType::parse(s)
        .ok_or_else(|| ApiError::not_found(format!("no programme type {s:?}: use teacher, nursing or social_work")))
}

/// Adapt the RACI matrix of a programme type (the municipality's coordinators).
#[utoipa::path(put, path = "/api/v1/vfu/municipalities/{code}/raci/{programme}", tag = "vfu", security(("bearer" = [])),
    params(("code" = String, Path, example = "2422"), ("programme" = String, Path, example = "teacher")), request_body = RaciBody,
    responses((status = 200, body = RaciRecord), BadRequest, Unauthenticated, Forbidden, NotFound,
              (status = 422, description = "Unknown task, role or cell, or not one A per task", body = ErrorBody)))]
pub async fn put_raci(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path((code, programme)): Path<(String, String)>,
    b: Result<Json<RaciBody>, JsonRejection>,
) -> R<Json<RaciRecord>> {
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
    responses((status = 204, description = "Back to the default"), Unauthenticated, Forbidden,
              (status = 404, description = "No such municipality or programme type, or no adaptation", body = ErrorBody)))]
pub async fn reset_raci(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path((code, programme)): Path<(String, String)>,
) -> R<StatusCode> {
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
        )))
    }
}
