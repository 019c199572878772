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
        Self { status: StatusCode::NOT_FOUND, message: message.into() }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self { status: StatusCode::BAD_REQUEST, message: message.into() }
    }
}

/// The body of every API error.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in English, naming the offending value.
    #[schema(example = "no municipality with code 9999")]
    pub error: String,
}

impl From<kkig_store::StoreError> for ApiError {
    fn from(e: kkig_store::StoreError) -> Self {
        tracing::error!(error = %e, "store error");
        Self { status: StatusCode::SERVICE_UNAVAILABLE, message: "the database is not available".into() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(ErrorBody { error: self.message })).into_response()
    }
}
