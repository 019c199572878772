//! kkig-web: the only crate that knows HTTP and HTML.
//!
//! Handlers are thin: parse the request, ask the store (or a core engine), render a template
//! or JSON. Pages are server-rendered and work without JavaScript; htmx (vendored) only
//! enhances them. Sessions live in the database, so any number of web nodes can serve one
//! PostgreSQL database.

pub mod api;
mod assets;
mod error;
pub mod i18n;
mod overview;
mod page;
mod pages;
mod session;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use kkig_store::{Store, StoreError};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use i18n::{I18n, Lang};
pub use session::DbSessionStore;

pub use overview::{Overview, CACHE_TTL};

/// Settings of the web layer.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when kkig is served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
}

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub i18n: Arc<I18n>,
    pub config: Arc<WebConfig>,
    overview: Arc<overview::OverviewCache>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: WebConfig) -> Result<Self, String> {
        Ok(Self { store, i18n: Arc::new(I18n::load()?), config: Arc::new(config), overview: Arc::default() })
    }

    /// The region overview (cached for [`CACHE_TTL`]).
    pub async fn overview(&self) -> Result<Arc<Overview>, StoreError> {
        self.overview.get(self.store.as_ref()).await
    }

    /// Make this node read the overview again on its next request (after writing to it).
    pub async fn invalidate_overview(&self) {
        self.overview.invalidate().await;
    }
}

/// The Content-Security-Policy: nothing inline, nothing from elsewhere, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// One log line per request: method, route, status, duration.
async fn log_request(req: Request, next: Next) -> Response {
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

/// The whole application: pages, API, static assets, with sessions, headers and logging.
pub fn app(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.store.clone()))
        .with_name("kkig_session")
        .with_secure(state.config.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(time::Duration::days(30)));

    let api = Router::new()
        .route("/v1/municipalities", get(api::list_municipalities))
        .route("/v1/municipalities/{code}", get(api::get_municipality))
        .route("/v1/universities", get(api::list_universities))
        .route("/v1/learning-centres", get(api::list_learning_centres))
        .route("/v1/occupations", get(api::list_occupations))
        .route("/openapi.json", get(api::openapi_json))
        .fallback(api::not_found);

    let pages = Router::new()
        .route("/", get(pages::index))
        .route("/kommun/{code}", get(pages::municipality))
        .fallback(pages::fallback)
        .layer(sessions);

    Router::new()
        .nest("/api", api)
        .route("/health", get(api::health))
        .route("/static/{file}", get(assets::serve))
        .merge(pages)
        .layer(middleware::from_fn(log_request))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ))
        .with_state(state)
}

/// Serve `app` on `listener` until `shutdown` completes, then finish in-flight requests.
/// Expired sessions are removed once an hour while serving.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let store = state.store.clone();
    let sweeper = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            match store.session_delete_expired(now).await {
                Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions removed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not remove expired sessions"),
            }
        }
    });
    let result = axum::serve(listener, app(state)).with_graceful_shutdown(shutdown).await;
    sweeper.abort();
    result
}
