//! What wraps every route: one log line per request, and the Content-Security-Policy that
//! [`crate::app`] sets with the other security headers.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

/// The Content-Security-Policy: nothing inline, nothing from elsewhere, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// One log line per request: method, route, status, duration.
pub async fn log_request(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    let res = next.run(req).await;
    tracing::info!(
        target: "kkig::http",
        %method,
        path,
        route = route.as_deref().unwrap_or("-"),
        status = res.status().as_u16(),
        ms = format!("{:.1}", start.elapsed().as_secs_f64() * 1000.0),
        "request"
    );
    res
}
