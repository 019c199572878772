//! kkig-web: the only crate that knows HTTP and HTML.
//!
//! Handlers are thin: parse the request, ask the store (or a core engine), render a template
//! or JSON. Pages are server-rendered and work without JavaScript; htmx (vendored) only
//! enhances them. Sessions live in the database, so any number of web nodes can serve one
//! PostgreSQL database.

mod accounts;
mod allocation;
pub mod catalogue;
mod forecast;
mod http;
mod region;
mod sync;
mod ui;
mod vfu;

#[cfg(test)]
mod tidy;

// The public paths the CLI and the route tests use.
pub use allocation::api as allocation_api;
pub use forecast::api as forecast_api;
pub use guard::{GuardReport, Op, RouteInfo, Surface};
pub use http::layers::CONTENT_SECURITY_POLICY;
pub use http::session::DbSessionStore;
pub use http::{auth, client_addr, guard};
pub use i18n::{I18n, Lang};
pub use region::api;
pub use ui::overview::{Overview, CACHE_TTL};
pub use ui::{i18n, public_cache};
pub use vfu::api as vfu_api;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware;
use axum::Router;
use kkig_store::{Store, StoreError};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use guard::Routes;

/// Settings of the web layer.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when kkig is served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// The address users reach kkig at, for links (e.g. `https://kkig.example.se`).
    pub base_url: String,
    /// Months a student's personal data is kept after their last VFU period (None = default).
    pub retention_months: Option<u32>,
    /// Reverse proxies whose forwarded headers name the client (for sign-in throttling); the
    /// headers of any other peer are ignored. Empty: the connection's address counts.
    pub trusted_proxies: Vec<client_addr::Cidr>,
    /// The syncs `kkig serve` runs on a schedule, if any (shown on the administration's sync
    /// page; the schedule itself runs in the CLI).
    pub sync_schedule: Option<SyncSchedule>,
}

/// The syncs run on a schedule: every so many hours, these sources (`offerings`, …).
#[derive(Debug, Clone, Default)]
pub struct SyncSchedule {
    pub every_hours: u32,
    pub sources: Vec<String>,
}

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub i18n: Arc<I18n>,
    pub config: Arc<WebConfig>,
    catalogue: Arc<catalogue::index::CatalogueCache>,
    public: Arc<public_cache::PublicCache>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: WebConfig) -> Result<Self, String> {
        Ok(Self {
            store,
            i18n: Arc::new(I18n::load()?),
            config: Arc::new(config),

            catalogue: Arc::default(),
            public: Arc::default(),
        })
    }

    /// The region overview, kept per data version ([`ui::public_cache`]).
    pub async fn overview(&self) -> Result<Arc<Overview>, StoreError> {
        self.public_value("region:overview", || Overview::load(self.store.as_ref()))
            .await
    }

    /// The searchable catalogue (rebuilt when the store's catalogue version changes).
    pub async fn catalogue(&self) -> Result<Arc<catalogue::index::Loaded>, StoreError> {
        self.catalogue.get(&self.store).await
    }

    /// A value computed from many rows, kept per data version ([`public_cache`]).
    pub async fn public_value<T, F, Fut>(&self, key: &str, compute: F) -> Result<Arc<T>, StoreError>
    where
        T: std::any::Any + Send + Sync,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, StoreError>>,
    {
        self.public
            .generation(self.store.as_ref())
            .await?
            .value(key, compute)
            .await
    }

    /// Make this node read the data version again before it answers the next public page (it
    /// learned of a change some other way than a write request through it).
    pub fn recheck_data_version(&self) {
        self.public.mark_stale();
    }
}

/// Every route of kkig: pages, the API under `/api`, health and static assets. Writes declare
/// their op ([`guard::Op`]); [`route_table`] lists them all for the tests.
fn routes() -> Routes {
    let api = Routes::new(Surface::Api)
        .merge(accounts::api_routes())
        .merge(catalogue::api_routes())
        .merge(region::api_routes())
        .get("/openapi.json", http::openapi::openapi_json)
        .merge(vfu::api_routes())
        .merge(forecast::api_routes())
        .merge(allocation::api_routes())
        .fallback(http::error::not_found);

    let pages = Routes::new(Surface::Page)
        .merge(region::page_routes())
        .merge(catalogue::page_routes())
        .merge(accounts::page_routes())
        .merge(vfu::page_routes())
        .merge(allocation::page_routes())
        .merge(forecast::page_routes())
        .merge(sync::page_routes())
        .fallback(ui::page::fallback);

    Routes::new(Surface::Page)
        .nest("/api", api)
        .get("/health", region::api::health)
        .get("/static/{file}", http::assets::serve)
        .merge(pages)
}

/// The OpenAPI document: the shared part and each capability's, merged.
pub(crate) fn api_doc() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi;
    let mut doc = http::openapi::ApiDoc::openapi();
    for part in [
        region::ApiDoc::openapi(),
        accounts::ApiDoc::openapi(),
        catalogue::ApiDoc::openapi(),
        vfu::ApiDoc::openapi(),
        forecast::ApiDoc::openapi(),
        allocation::ApiDoc::openapi(),
    ] {
        doc.merge(part);
    }
    doc
}

/// Every route of the application, as registered (for the tests that walk all routes).
pub fn route_table() -> Vec<RouteInfo> {
    routes().table().to_vec()
}

/// The whole application: pages, API, static assets, with sessions, headers and logging.
pub fn app(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.store.clone()))
        .with_name("kkig_session")
        .with_secure(state.config.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(time::Duration::days(30)));

    routes()
        .into_router()
        .layer(middleware::from_fn_with_state(state.clone(), auth::csrf_guard))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            public_cache::recheck_after_writes,
        ))
        .layer(sessions)
        .layer(middleware::from_fn(http::layers::log_request))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(http::layers::CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
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
            // Sign-in failures matter for 15 minutes; a day of them is kept for support.
            match store.purge_sign_in_failures(now - 86_400).await {
                Ok(n) if n > 0 => tracing::info!(removed = n, "old sign-in failures removed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not remove old sign-in failures"),
            }
        }
    });
    let retention = {
        let store = state.store.clone();
        let months = state
            .config
            .retention_months
            .unwrap_or(kkig_core::privacy::DEFAULT_RETENTION_MONTHS);
        tokio::spawn(async move {
            // Once a day, starting a minute after start: erase students' data past retention.
            tokio::time::sleep(Duration::from_secs(60)).await;
            let mut tick = tokio::time::interval(Duration::from_secs(86_400));
            loop {
                tick.tick().await;
                let today = time::OffsetDateTime::now_utc().date();
                match kkig_store::retention::apply(store.as_ref(), months, today).await {
                    Ok(erased) if !erased.is_empty() => {
                        tracing::info!(erased = erased.len(), months, "retention: student data erased")
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "retention run failed"),
                }
            }
        })
    };
    let result = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    sweeper.abort();
    retention.abort();
    result
}
