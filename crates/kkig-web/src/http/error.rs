//! The one error of the API handlers, [`ApiError`], rendered as JSON `{"error": "…", "fields":
//! […]}`, the store's errors as API errors, and the helpers that make the common ones.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kkig_core::vfu::FieldError;
use kkig_store::StoreError;

/// A JSON API error: a status and a message for the caller, and the request's invalid fields
/// when there are any (then the message names them all).
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    /// The request's invalid fields (422), or those a refusal names (409).
    pub fields: Vec<FieldError>,
}

/// The result of an API handler.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// Invalid fields with `status` (422, or 409 for a refusal); the message is made from them.
    pub fn fields(status: StatusCode, fields: Vec<FieldError>) -> Self {
        Self {
            status,
            message: String::new(),
            fields,
        }
    }
}

/// The body of every API error.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in English, naming the offending value.
    #[schema(example = "no municipality with code 9999")]
    pub error: String,
    /// Every invalid field of the request body, when the input was invalid (400/409/422).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(nullable = false)]
    pub fields: Vec<FieldProblem>,
}

/// One invalid field of a request body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    /// The field as the request names it, e.g. `end`, `fields`, `task.allocate`.
    #[schema(example = "end")]
    pub field: String,
    #[schema(example = "end 2026-01-10 is before start 2026-02-01")]
    pub message: String,
}

/// The store's answer as the caller's: a conflict is 409, invalid input 422 (with every invalid
/// field), stored data that cannot be read 500, and only a database that does not answer (or
/// cannot run the query) 503. The last two are logged; their details stay in the log.
impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(m) => Self::new(StatusCode::CONFLICT, m),
            StoreError::Invalid(m) => Self::new(StatusCode::UNPROCESSABLE_ENTITY, m),
            StoreError::Fields(fields) => Self::fields(StatusCode::UNPROCESSABLE_ENTITY, fields),
            StoreError::Items(items) => Self::fields(
                StatusCode::UNPROCESSABLE_ENTITY,
                items
                    .into_iter()
                    .map(|(i, f)| FieldError::new(&format!("{i}.{}", f.field), f.message))
                    .collect(),
            ),
            StoreError::Corrupt(_) => {
                tracing::error!(error = %e, "stored data is invalid");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error: stored data could not be read (the details are logged)",
                )
            }
            _ => {
                tracing::error!(error = %e, "store error");
                Self::new(StatusCode::SERVICE_UNAVAILABLE, "the database is not available")
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.fields.is_empty() {
            return (
                self.status,
                Json(ErrorBody {
                    error: self.message,
                    fields: Vec::new(),
                }),
            )
                .into_response();
        }
        let mut fields = self.fields;
        // Parsing and the rules of the whole record may both notice a problem: once each.
        let mut seen = std::collections::HashSet::new();
        fields.retain(|f| seen.insert((f.field.clone(), f.message.clone())));
        let what = if self.status == StatusCode::CONFLICT {
            "refused"
        } else {
            "invalid input"
        };
        let error = format!(
            "{what}: {}",
            fields.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("; ")
        );
        let fields = fields
            .into_iter()
            .map(|f| FieldProblem {
                field: f.field,
                message: f.message,
            })
            .collect();
        (self.status, Json(ErrorBody { error, fields })).into_response()
    }
}

/// Invalid input: 422 naming every bad field.
pub fn invalid(fields: Vec<FieldError>) -> ApiError {
    ApiError::fields(StatusCode::UNPROCESSABLE_ENTITY, fields)
}

/// Invalid input in one field: 422 naming it.
pub fn invalid_field(field: &str, message: impl Into<String>) -> ApiError {
    invalid(vec![FieldError::new(field, message)])
}

/// A store error of a delete: a refusal because other records refer to it is 409.
pub fn blocked(e: StoreError) -> ApiError {
    let mut e = ApiError::from(e);
    if !e.fields.is_empty() {
        e.status = StatusCode::CONFLICT;
    }
    e
}

/// A plain error with `status` and `message`.
pub fn status_error(status: StatusCode, message: impl Into<String>) -> ApiError {
    ApiError::new(status, message)
}

/// 401: the request is not signed in (no session, no valid API token).
pub fn unauthorized() -> ApiError {
    status_error(
        StatusCode::UNAUTHORIZED,
        "sign in, or send Authorization: Bearer TOKEN with a valid API token",
    )
}

/// 403: the user's role and scope do not allow `what`.
pub fn forbidden(what: impl std::fmt::Display) -> ApiError {
    status_error(
        StatusCode::FORBIDDEN,
        format!("your role and scope do not allow this: {what}"),
    )
}

/// The JSON body, or 400 naming what is wrong with it.
pub fn body<T>(b: Result<Json<T>, JsonRejection>) -> ApiResult<T> {
    b.map(|Json(v)| v).map_err(|e| ApiError::bad_request(e.body_text()))
}

/// The query string, or 400 naming what is wrong with it.
pub fn query<T>(q: Result<Query<T>, QueryRejection>) -> ApiResult<T> {
    q.map(|Query(v)| v).map_err(|e| ApiError::bad_request(e.body_text()))
}

/// Unknown paths under /api: 404 in JSON.
pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("no API endpoint at {}", uri.path()))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(e: ApiError) -> (StatusCode, serde_json::Value) {
        let res = e.into_response();
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn store_errors_answer_as_the_callers_error_they_are() {
        let field = |f: &str, m: &str| FieldError::new(f, m);
        let cases: [(StoreError, u16, serde_json::Value); 6] = [
            (
                StoreError::Conflict("a cluster named Norr already exists".into()),
                409,
                serde_json::json!({"error": "a cluster named Norr already exists"}),
            ),
            (
                StoreError::Invalid("no placement p-1".into()),
                422,
                serde_json::json!({"error": "no placement p-1"}),
            ),
            (
                StoreError::Fields(vec![field("end", "is before start"), field("end", "is before start")]),
                422,
                serde_json::json!({"error": "invalid input: end: is before start",
                                   "fields": [{"field": "end", "message": "is before start"}]}),
            ),
            (
                StoreError::Items(vec![(2, field("email", "is not an e-mail address"))]),
                422,
                serde_json::json!({"error": "invalid input: 2.email: is not an e-mail address",
                                   "fields": [{"field": "2.email", "message": "is not an e-mail address"}]}),
            ),
            (
                StoreError::Corrupt("vfu_periods.term 'x'".into()),
                500,
                serde_json::json!({"error": "internal error: stored data could not be read (the details are logged)"}),
            ),
            (
                StoreError::UnsupportedUrl("mysql://db".into()),
                503,
                serde_json::json!({"error": "the database is not available"}),
            ),
        ];
        for (e, status, body) in cases {
            let what = format!("{e:?}");
            assert_eq!(
                body_of(ApiError::from(e)).await,
                (StatusCode::from_u16(status).unwrap(), body),
                "{what}"
            );
        }
    }

    #[tokio::test]
    async fn a_refused_delete_names_its_fields_with_409() {
        let e = blocked(StoreError::Fields(vec![FieldError::new(
            "id",
            "3 placements refer to it",
        )]));
        assert_eq!(
            body_of(e).await,
            (
                StatusCode::CONFLICT,
                serde_json::json!({"error": "refused: id: 3 placements refer to it",
                                   "fields": [{"field": "id", "message": "3 placements refer to it"}]})
            )
        );
        let e = blocked(StoreError::Conflict("in use".into()));
        assert_eq!(body_of(e).await.0, StatusCode::CONFLICT);
    }
}
