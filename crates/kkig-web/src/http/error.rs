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

/// The JSON body. A body that is not JSON is 400, one without `Content-Type: application/json`
/// 415 (what axum answers, as for a body it cannot read); JSON that does not fit the type is
/// 422 naming the field (see [`unfit`]).
pub fn body<T>(b: Result<Json<T>, JsonRejection>) -> ApiResult<T> {
    b.map(|Json(v)| v).map_err(|e| match e {
        JsonRejection::JsonDataError(e) => unfit::<serde_json::Error>(&e, "the JSON body does not fit", e.body_text()),
        e => ApiError::new(e.status(), e.body_text()),
    })
}

/// The query string: parameters that do not deserialize (a required one missing, a value of
/// the wrong kind) are 422 naming the parameter (see [`unfit`]); anything else axum refuses
/// keeps its status.
pub fn query<T>(q: Result<Query<T>, QueryRejection>) -> ApiResult<T> {
    q.map(|Query(v)| v).map_err(|e| match e {
        QueryRejection::FailedToDeserializeQueryString(e) => {
            unfit::<serde::de::value::Error>(&e, "the query string does not fit", e.body_text())
        }
        e => ApiError::new(e.status(), e.body_text()),
    })
}

/// Input that parses but does not fit the type: 422 with the field named as the request names
/// it (`task.allocate`, `items[2].email`; a missing or unknown field by its own name). axum
/// keeps the deserializer's error with its path (`serde_path_to_error`, over `E`) as the
/// rejection's source; should it not be there, the 422 carries `fallback` alone.
fn unfit<E: std::error::Error + 'static>(
    rejection: &(dyn std::error::Error + 'static),
    what: &str,
    fallback: String,
) -> ApiError {
    let mut source = rejection.source();
    while let Some(e) = source {
        if let Some(e) = e.downcast_ref::<serde_path_to_error::Error<E>>() {
            return unfit_field(&e.path().to_string(), &e.inner().to_string(), what);
        }
        source = e.source();
    }
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, fallback)
}

/// 422 for the field at `path` (`.` is the whole input) with the deserializer's `message`.
fn unfit_field(path: &str, message: &str, what: &str) -> ApiError {
    let path = if path == "." { "" } else { path };
    // A missing field is reported at its parent (an unknown one at itself); its name is in the
    // message.
    let named = ["missing field `", "unknown field `"]
        .iter()
        .find_map(|p| message.strip_prefix(p))
        .and_then(|rest| rest.split('`').next())
        .filter(|name| path != *name && !path.ends_with(&format!(".{name}")));
    let field = match (path, named) {
        ("", Some(name)) => name.to_string(),
        (path, Some(name)) => format!("{path}.{name}"),
        (path, None) => path.to_string(),
    };
    if field.is_empty() {
        return ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, format!("{what}: {message}"));
    }
    invalid_field(&field, message)
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

    /// The answer to a refused input.
    async fn refused<T>(r: ApiResult<T>) -> (u16, serde_json::Value) {
        let Err(e) = r else { panic!("accepted") };
        let (status, body) = body_of(e).await;
        (status.as_u16(), body)
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Task {
        name: String,
        allocate: Vec<u32>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    #[serde(deny_unknown_fields)]
    struct Input {
        start: String,
        task: Task,
    }

    fn json_request(content_type: Option<&str>, body: &str) -> axum::http::Request<axum::body::Body> {
        let mut b = axum::http::Request::builder().method("POST").uri("/");
        if let Some(t) = content_type {
            b = b.header(axum::http::header::CONTENT_TYPE, t);
        }
        b.body(axum::body::Body::from(body.to_string())).unwrap()
    }

    async fn json(content_type: Option<&str>, body: &str) -> (u16, serde_json::Value) {
        use axum::extract::FromRequest;
        refused(super::body(
            Json::<Input>::from_request(json_request(content_type, body), &()).await,
        ))
        .await
    }

    async fn query_of(uri: &str) -> (u16, serde_json::Value) {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Q {
            since: String,
            limit: Option<u32>,
        }
        refused(super::query(Query::<Q>::try_from_uri(&uri.parse().unwrap()))).await
    }

    const JSON: Option<&str> = Some("application/json");

    #[tokio::test]
    async fn a_body_that_is_not_json_is_400() {
        let (status, body) = json(JSON, "{\"start\": ").await;
        assert_eq!(status, 400, "{body}");
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .starts_with("Failed to parse the request body as JSON"),
            "{body}"
        );
        assert!(body.get("fields").is_none(), "{body}");
    }

    #[tokio::test]
    async fn a_body_without_the_json_content_type_is_415() {
        for content_type in [None, Some("text/plain")] {
            let (status, body) = json(content_type, "{}").await;
            assert_eq!(status, 415, "{content_type:?}: {body}");
            assert_eq!(
                body["error"], "Expected request with `Content-Type: application/json`",
                "{content_type:?}"
            );
        }
    }

    #[tokio::test]
    async fn a_body_that_cannot_be_read_keeps_axums_status() {
        // Over axum's default limit of 2 MB.
        let big = format!("\"{}\"", "x".repeat(2 * 1024 * 1024));
        let (status, body) = json(JSON, &big).await;
        assert_eq!(status, 413, "{}", body["error"]);
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .starts_with("Failed to buffer the request body"),
            "{body}"
        );
    }

    #[tokio::test]
    async fn json_that_does_not_fit_is_422_naming_the_field() {
        let cases = [
            // A value of the wrong type, nested and in a list.
            (
                r#"{"start": 5, "task": {"name": "a", "allocate": []}}"#,
                "start",
                "invalid type: integer `5`, expected a string at line 1 column 11",
            ),
            (
                r#"{"start": "x", "task": {"name": "a", "allocate": [1, -2]}}"#,
                "task.allocate[1]",
                "invalid value: integer `-2`, expected u32 at line 1 column 55",
            ),
            // A missing field, at the top and nested.
            (
                r#"{"task": {"name": "a", "allocate": []}}"#,
                "start",
                "missing field `start` at line 1 column 39",
            ),
            (
                r#"{"start": "x", "task": {"name": "a"}}"#,
                "task.allocate",
                "missing field `allocate` at line 1 column 36",
            ),
            // A field the type does not have.
            (
                r#"{"start": "x", "stop": "y"}"#,
                "stop",
                "unknown field `stop`, expected `start` or `task` at line 1 column 21",
            ),
        ];
        for (input, field, message) in cases {
            let (status, body) = json(JSON, input).await;
            assert_eq!(status, 422, "{input}: {body}");
            assert_eq!(
                body,
                serde_json::json!({"error": format!("invalid input: {field}: {message}"),
                                   "fields": [{"field": field, "message": message}]}),
                "{input}"
            );
        }
        // JSON of another shape than an object: nothing to name but the whole body.
        let (status, body) = json(JSON, "5").await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            body,
            serde_json::json!({"error": "the JSON body does not fit: invalid type: integer `5`, expected struct Input at line 1 column 1"})
        );
    }

    #[tokio::test]
    async fn a_query_string_that_does_not_fit_is_422_naming_the_parameter() {
        let (status, body) = query_of("/?limit=5").await;
        assert_eq!(
            (status, body),
            (
                422,
                serde_json::json!({"error": "invalid input: since: missing field `since`",
                                   "fields": [{"field": "since", "message": "missing field `since`"}]})
            )
        );
        let (status, body) = query_of("/?since=2026-01-01&limit=many").await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["fields"][0]["field"], "limit", "{body}");
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
