//! kkig-web: the only crate that knows HTTP and HTML.
//!
//! Handlers are thin: parse the request, ask the store (or a core engine), render a template
//! or JSON. Pages are server-rendered and work without JavaScript; htmx (vendored) only
//! enhances them. Sessions live in the database, so any number of web nodes can serve one
//! PostgreSQL database.

mod account;
pub mod allocation_api;
mod allocation_pages;
pub mod api;
mod api_auth;
pub mod catalogue;
mod catalogue_pages;
pub mod forecast_api;
mod forecast_pages;
mod http;
mod manage;
mod overview;
mod pages;
mod ui;
pub mod vfu_api;
mod vfu_pages;

pub use http::{auth, client_addr, guard};
pub use ui::{i18n, public_cache};

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use kkig_store::{Store, StoreError};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use http::session::DbSessionStore;
pub use i18n::{I18n, Lang};

pub use guard::{GuardReport, Op, RouteInfo, Surface};
pub use overview::{Overview, CACHE_TTL};

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
}

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub i18n: Arc<I18n>,
    pub config: Arc<WebConfig>,
    overview: Arc<overview::OverviewCache>,
    catalogue: Arc<catalogue::CatalogueCache>,
    public: Arc<public_cache::PublicCache>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: WebConfig) -> Result<Self, String> {
        Ok(Self {
            store,
            i18n: Arc::new(I18n::load()?),
            config: Arc::new(config),
            overview: Arc::default(),
            catalogue: Arc::default(),
            public: Arc::default(),
        })
    }

    /// The region overview (cached for [`CACHE_TTL`]).
    pub async fn overview(&self) -> Result<Arc<Overview>, StoreError> {
        self.overview.get(self.store.as_ref()).await
    }

    /// The searchable catalogue (rebuilt when the store's catalogue version changes).
    pub async fn catalogue(&self) -> Result<Arc<catalogue::Loaded>, StoreError> {
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

/// Every route of kkig: pages, the API under `/api`, health and static assets. Writes declare
/// their op ([`guard::Op`]); [`route_table`] lists them all for the tests.
fn routes() -> Routes {
    let api = Routes::new(Surface::Api)
        .get("/v1/me", api_auth::me)
        .get("/v1/me/tokens", api_auth::tokens)
        .delete("/v1/me/tokens/{id}", Op::TokenRevoke, api_auth::revoke_token)
        .get("/v1/persons/{id}", api_auth::person)
        .put(
            "/v1/learning-centres/{id}/services",
            Op::LearningCentreServices,
            api_auth::put_services,
        )
        .get("/v1/audit", api_auth::audit)
        .get("/v1/offerings", catalogue_pages::api_search)
        .get("/v1/offerings/{id}", catalogue_pages::api_offering)
        .get("/v1/reachability", catalogue_pages::api_reachability)
        .get("/v1/municipalities", api::list_municipalities)
        .get("/v1/municipalities/{code}", api::get_municipality)
        .get("/v1/universities", api::list_universities)
        .get("/v1/learning-centres", api::list_learning_centres)
        .get("/v1/occupations", api::list_occupations)
        .get("/openapi.json", api::openapi_json)
        .merge(vfu_api::routes())
        .merge(forecast_api::routes())
        .merge(allocation_api::routes())
        .fallback(api::not_found);

    let pages = Routes::new(Surface::Page)
        .get("/", pages::index)
        .get("/kommun/{code}", pages::municipality)
        .get("/integritet", manage::privacy)
        .get("/utbildning", catalogue_pages::page)
        .get("/utbildning/export/{file}", catalogue_pages::export)
        .get("/utbildning/bli/{area}/{code}", catalogue_pages::pathway_page)
        .get("/utbildning/regionen", catalogue_pages::regional_page)
        .get("/logga-in", account::login_form)
        .post("/logga-in", Op::SignIn, account::login)
        .post("/logga-ut", Op::SignOut, account::logout)
        .get("/konto", account::account)
        .post("/konto/nycklar", Op::TokenCreate, account::create_token)
        .post("/konto/nycklar/{id}/aterkalla", Op::TokenRevoke, account::revoke_token)
        .get("/losenord/{secret}", account::set_password_form)
        .post("/losenord/{secret}", Op::SetPassword, account::set_password)
        .get("/admin/anvandare", manage::users)
        .post(
            "/admin/anvandare/{id}/losenordslank",
            Op::AccountPasswordLink,
            manage::reset_link,
        )
        .post("/admin/anvandare/{id}/{what}", Op::AccountDisable, manage::set_disabled)
        .get("/admin/logg", manage::audit)
        .get("/larcentrum/{id}/andra", manage::lc_edit_form)
        .post("/larcentrum/{id}/andra", Op::LearningCentreServices, manage::lc_edit)
        .merge(vfu_pages::routes())
        .merge(allocation_pages::routes())
        .merge(forecast_pages::routes())
        .fallback(pages::fallback);

    Routes::new(Surface::Page)
        .nest("/api", api)
        .get("/health", api::health)
        .get("/static/{file}", http::assets::serve)
        .merge(pages)
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
        .layer(middleware::from_fn(log_request))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
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
