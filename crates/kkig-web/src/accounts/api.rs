//! The authenticated part of the JSON API: who am I, persons (scoped), shared records,
//! the audit log and one's own tokens. Send `Authorization: Bearer TOKEN`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use kkig_core::access::{Action, Target};
use kkig_core::ids::{PersonId, UserId};
use kkig_core::LearningCentreServices;
use kkig_store::{Actor, AuditEntry, TokenRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::auth::ApiUser;
use crate::http::clock::now;
use crate::http::error::ApiError;
use crate::http::guard::Guard;
use crate::http::openapi::{BadRequest, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::AppState;

fn forbidden(what: &str) -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        format!("your role and scope do not allow this: {what}"),
    )
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    #[schema(value_type = String)]
    pub user_id: UserId,
    #[schema(value_type = String)]
    pub person_id: PersonId,
    pub name: String,
    pub email: String,
    /// admin, regional, municipality, university, provider, supervisor or student.
    pub role: String,
    /// The kommunkod, university or provider the role is limited to.
    pub scope: Option<String>,
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Me), Unauthenticated))]
pub async fn me(ApiUser(u): ApiUser) -> Result<Json<Me>, ApiError> {
    Ok(Json(Me {
        user_id: u.id,
        person_id: u.person_id,
        name: u.name,
        email: u.email,
        role: u.role.as_str().into(),
        scope: u.scope,
    }))
}

/// Everything kkig holds on a person (GDPR access). Others' records are visible only within
/// the reader's role and scope; anything else is 404, so that existence is not revealed.
#[utoipa::path(get, path = "/api/v1/persons/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "Person id")),
    responses((status = 200, description = "All data held on the person", body = Object), Unauthenticated, NotFound))]
pub async fn person(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    Path(id): Path<PersonId>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let not_found = || ApiError::not_found(format!("no person {id} that you may see"));
    let Some(municipality) = state.store.person_municipality(&id).await? else {
        return Err(not_found());
    };
    if !u.principal().may(
        Action::Read,
        &Target::Person {
            person_id: &id,
            municipality,
        },
    ) {
        return Err(not_found());
    }
    state
        .store
        .export_person(&id, &Actor::user(&u.id))
        .await?
        .map(Json)
        .ok_or_else(not_found)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ServicesInput {
    pub study_places: i64,
    pub exam_sittings: bool,
    pub video_rooms: i64,
    pub study_guidance: bool,
}

/// Replace a learning centre's services. Allowed for admin, regional, and the municipality
/// the centre belongs to.
#[utoipa::path(put, path = "/api/v1/learning-centres/{id}/services", tag = "region", security(("bearer" = [])),
    params(("id" = String, Path, description = "Learning centre id", example = "lc-2422")),
    request_body = ServicesInput,
    responses((status = 204, description = "Saved"), BadRequest, Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn put_services(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(id): Path<String>,
    body: Result<Json<ServicesInput>, axum::extract::rejection::JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let centres = state.store.learning_centres().await?;
    let entry = centres
        .into_iter()
        .find(|c| c.centre.id == id)
        .ok_or_else(|| ApiError::not_found(format!("no learning centre {id}")))?;
    if !guard.allows(
        &u.principal(),
        &Target::MunicipalityRecord {
            municipality: entry.centre.municipality,
        },
    ) {
        return Err(forbidden(&format!(
            "learning centre {id} belongs to municipality {}",
            entry.centre.municipality
        )));
    }
    let input = crate::http::error::body(body)?;
    for (field, v) in [("study_places", input.study_places), ("video_rooms", input.video_rooms)] {
        if !(0..=10_000).contains(&v) {
            return Err(ApiError::bad_request(format!("{field} must be 0…10000, got {v}")));
        }
    }
    let services = LearningCentreServices {
        learning_centre_id: id,
        study_places: input.study_places,
        exam_sittings: input.exam_sittings,
        video_rooms: input.video_rooms,
        study_guidance: input.study_guidance,
    };
    state
        .store
        .update_learning_centre_services(&services, &Actor::user(&u.id))
        .await?;
    state.recheck_data_version();
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// First day to include, YYYY-MM-DD (UTC).
    pub since: String,
}

/// The audit log since a date (administrators only), oldest first, at most 10 000 entries.
#[utoipa::path(get, path = "/api/v1/audit", tag = "accounts", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = [AuditEntry]), BadRequest, Unauthenticated, Forbidden, Invalid))]
pub async fn audit(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    q: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    if !u.principal().may(Action::Read, &Target::Administration) {
        return Err(forbidden("the audit log is for administrators"));
    }
    let q = crate::http::error::query(q)?;
    let since = crate::accounts::manage::parse_date(&q.since)
        .ok_or_else(|| ApiError::bad_request(format!("since {:?} is not a date YYYY-MM-DD", q.since)))?;
    Ok(Json(state.store.audit_since(since, 10_000).await?))
}

/// One's own API tokens (never the secrets).
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = [TokenRecord]), Unauthenticated))]
pub async fn tokens(State(state): State<AppState>, ApiUser(u): ApiUser) -> Result<Json<Vec<TokenRecord>>, ApiError> {
    Ok(Json(state.store.api_tokens(&u.id).await?))
}

/// Revoke one of one's own tokens.
#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "Token id")),
    responses((status = 204, description = "Revoked"), Unauthenticated, NotFound))]
pub async fn revoke_token(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    if state
        .store
        .revoke_api_token(&u.id, &id, now(), &Actor::user(&u.id))
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!("you have no live token {id}")))
    }
}
