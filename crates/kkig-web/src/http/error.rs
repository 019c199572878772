//! Errors of handlers, rendered as an HTML page or as JSON `{"error": "…"}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

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

/// Unknown paths under /api: 404 in JSON.
pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("no API endpoint at {}", uri.path()))
}
