//! Errors of the API handlers, rendered as JSON `{"error": "…", "fields": […]}`: [`ApiError`], and
//! [`ApiFailure`] that may name the request's invalid fields, with the helpers that make them.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kkig_core::vfu::FieldError;
use kkig_store::StoreError;

/// A JSON API error: a status and a message for the caller.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn not_found(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
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

impl From<kkig_store::StoreError> for ApiError {
    fn from(e: kkig_store::StoreError) -> Self {
        tracing::error!(error = %e, "store error");
        Self {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: "the database is not available".into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(ErrorBody {
                error: self.message,
                fields: Vec::new(),
            }),
        )
            .into_response()
    }
}

/// An error of an API handler that may name the request's invalid fields: a plain [`ApiError`],
/// or every invalid field (422; 409 when a refusal names fields).
#[derive(Debug)]
pub enum ApiFailure {
    Api(ApiError),
    Fields {
        status: StatusCode,
        fields: Vec<FieldError>,
    },
}

/// The result of an API handler.
pub type ApiResult<T> = Result<T, ApiFailure>;

impl From<ApiError> for ApiFailure {
    fn from(e: ApiError) -> Self {
        Self::Api(e)
    }
}

impl From<StoreError> for ApiFailure {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Fields(fields) => Self::Fields {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                fields,
            },
            StoreError::Items(items) => Self::Fields {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                fields: items
                    .into_iter()
                    .map(|(i, f)| FieldError::new(&format!("{i}.{}", f.field), f.message))
                    .collect(),
            },
            StoreError::Conflict(m) => Self::Api(ApiError {
                status: StatusCode::CONFLICT,
                message: m,
            }),
            StoreError::Invalid(m) => Self::Api(ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                message: m,
            }),
            other => Self::Api(ApiError::from(other)),
        }
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        match self {
            Self::Api(e) => e.into_response(),
            Self::Fields { status, mut fields } => {
                // Parsing and the rules of the whole record may both notice a problem: once each.
                let mut seen = std::collections::HashSet::new();
                fields.retain(|f| seen.insert((f.field.clone(), f.message.clone())));
                let what = if status == StatusCode::CONFLICT {
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
                (status, Json(ErrorBody { error, fields })).into_response()
            }
        }
    }
}

/// Invalid input: 422 naming every bad field.
pub fn invalid(fields: Vec<FieldError>) -> ApiFailure {
    ApiFailure::Fields {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        fields,
    }
}

/// Invalid input in one field: 422 naming it.
pub fn invalid_field(field: &str, message: impl Into<String>) -> ApiFailure {
    invalid(vec![FieldError::new(field, message)])
}

/// A store error of a delete: a refusal because other records refer to it is 409.
pub fn blocked(e: StoreError) -> ApiFailure {
    match ApiFailure::from(e) {
        ApiFailure::Fields { fields, .. } => ApiFailure::Fields {
            status: StatusCode::CONFLICT,
            fields,
        },
        other => other,
    }
}

/// A plain error with `status` and `message`.
pub fn status_error(status: StatusCode, message: impl Into<String>) -> ApiFailure {
    ApiFailure::Api(ApiError {
        status,
        message: message.into(),
    })
}

/// 401: the request is not signed in (no session, no valid API token).
pub fn unauthorized() -> ApiFailure {
    status_error(
        StatusCode::UNAUTHORIZED,
        "sign in, or send Authorization: Bearer TOKEN with a valid API token",
    )
}

/// 403: the user's role and scope do not allow `what`.
pub fn forbidden(what: impl std::fmt::Display) -> ApiFailure {
    status_error(
        StatusCode::FORBIDDEN,
        format!("your role and scope do not allow this: {what}"),
    )
}

/// The JSON body, or 400 naming what is wrong with it.
pub fn body<T>(b: Result<Json<T>, JsonRejection>) -> ApiResult<T> {
    b.map(|Json(v)| v)
        .map_err(|e| ApiError::bad_request(e.body_text()).into())
}

/// The query string, or 400 naming what is wrong with it.
pub fn query<T>(q: Result<Query<T>, QueryRejection>) -> ApiResult<T> {
    q.map(|Query(v)| v)
        .map_err(|e| ApiError::bad_request(e.body_text()).into())
}

/// Unknown paths under /api: 404 in JSON.
pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("no API endpoint at {}", uri.path()))
}
