//! The OpenAPI document at `/api/openapi.json`: what every capability's part shares (the
//! description, the tags, the bearer scheme, the error body), and the document served, which
//! [`crate::api_doc`] merges from every capability's part.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;

use crate::http::error::{ErrorBody, FieldProblem};

/// What every capability's part of the document shares.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "kkig API",
        description = "Coordinated competence supply in inland Norrland: municipalities, universities, learning centres, occupations. Swedish domain terms: kommunkod = SCB municipality code, lärcentrum = learning centre, SSYK = occupation classification.",
        license(name = "EUPL-1.2")
    ),
    components(schemas(ErrorBody, FieldProblem)),
    modifiers(&BearerAuth),
    tags(
        (name = "vfu", description = "The VFU registry (work placements): placement sites and hosting interest, supervisors, periods, students, placements and their lifecycle, RACI and contacts per municipality, training need, compensation basis, lists and calendar"),
        (name = "forecast", description = "The competence-supply forecast: per municipality and occupation in the engine's output shape, the regional table, clusters, and the inputs (staff by age, vacancies, completion share)"),
        (name = "catalogue", description = "Education reachable from each municipality: search, pathways, reachability"),
        (name = "accounts", description = "The signed-in user, personal data within the reader's scope, tokens and the audit log"),
        (name = "region", description = "Reference facts about the region, with their sources"),
        (name = "operations", description = "Health of the service")
    )
)]
pub struct ApiDoc;

// The error answers that many paths share, written once: a path lists them by name, e.g.
// `responses((status = 200, body = X), Unauthenticated, Forbidden)`. Each is an `ErrorBody`
// with the status and no description. (Plain comments on purpose: utoipa would turn a doc
// comment into the response's description, and the document has none for these entries.)
// The types are never built; only their part of the document is used.

// 400: the request is malformed (a parameter, or a body that is not JSON).
#[derive(utoipa::IntoResponses)]
#[response(status = 400)]
#[allow(dead_code)]
pub struct BadRequest(ErrorBody);

// 401: the request is not signed in (no session, no valid API token).
#[derive(utoipa::IntoResponses)]
#[response(status = 401)]
#[allow(dead_code)]
pub struct Unauthenticated(ErrorBody);

// 403: the user's role and scope do not allow this.
#[derive(utoipa::IntoResponses)]
#[response(status = 403)]
#[allow(dead_code)]
pub struct Forbidden(ErrorBody);

// 404: no such record, or one outside the reader's scope.
#[derive(utoipa::IntoResponses)]
#[response(status = 404)]
#[allow(dead_code)]
pub struct NotFound(ErrorBody);

// 422: invalid input, every bad field named.
#[derive(utoipa::IntoResponses)]
#[response(status = 422)]
#[allow(dead_code)]
pub struct Invalid(ErrorBody);

/// Declares the `Authorization: Bearer` scheme of personal API tokens.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A personal API token from \"Mitt konto\" (/konto): kkig_ followed by 64 hex digits. It has the permissions of its user, expires, and can be revoked."))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document, generated once from the code.
pub static OPENAPI_JSON: LazyLock<String> = LazyLock::new(|| {
    crate::api_doc()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
});

pub async fn openapi_json() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI_JSON.as_str()).into_response()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::{route_table, Surface};

    /// Routed but not part of the document it serves.
    const UNDOCUMENTED: [(&str, &str); 1] = [("GET", "/api/openapi.json")];

    /// A route cannot exist without its documentation, nor the documentation without its route:
    /// every API route (and `/health`) is an operation of the document, and every operation of
    /// the document is routed with that method.
    #[test]
    fn every_api_route_is_documented_and_every_documented_operation_routed() {
        let routed: BTreeSet<(String, String)> = route_table()
            .into_iter()
            .filter(|r| r.surface == Surface::Api || r.path == "/health")
            .map(|r| (r.method.to_string(), r.path))
            .filter(|(m, p)| !UNDOCUMENTED.contains(&(m.as_str(), p.as_str())))
            .collect();
        let doc = serde_json::to_value(crate::api_doc()).unwrap();
        let mut documented = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                if ["get", "put", "post", "delete", "patch", "head", "options", "trace"].contains(&method.as_str()) {
                    documented.insert((method.to_uppercase(), path.clone()));
                }
            }
        }
        let undocumented: Vec<_> = routed.difference(&documented).collect();
        let unrouted: Vec<_> = documented.difference(&routed).collect();
        assert!(
            undocumented.is_empty() && unrouted.is_empty(),
            "routes without #[utoipa::path] in their capability's ApiDoc: {undocumented:?}\n\
             documented operations without a route: {unrouted:?}"
        );
        assert!(routed.len() > 60, "{} API routes", routed.len());
    }
}
