//! Public pages computed from many rows, kept per data version.
//!
//! The regional forecast, its map and clusters, "vem gör vad", the catalogue's regional table,
//! the pathways and the search read many rows and compute from them; anyone may ask for them,
//! so computing them per request would let one anonymous caller occupy the server. They change
//! only when data changes, and every write transaction bumps the store's data version
//! ([`kkig_store::Store::data_version`]). So this node keeps, per data version:
//!
//! - **values** computed from the store (the regional forecast, a cluster's sums), shared by
//!   every visitor including signed-in ones, computed once even when many ask at the same time;
//! - **pages** as answered to anonymous visitors, per path, query and language (a signed-in
//!   visitor's header names them, so their pages are rendered for them alone).
//!
//! The version is read again at most every [`CACHE_TTL`], and at once after this node answered
//! a request that may have written (any method but GET and HEAD): a node sees its own writes
//! immediately and other nodes' writes (or `kkig import` from the command line) within
//! `CACHE_TTL`. A new version starts an empty generation; the old one is dropped when the last
//! request using it finishes. At most [`MAX_PAGES`] pages and [`MAX_VALUES`] values are kept
//! per version (search queries are unbounded); beyond that pages are computed per request.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kkig_store::{Store, StoreError};
use tokio::sync::OnceCell;

use crate::ui::i18n::Lang;
use crate::ui::overview::CACHE_TTL;
use crate::ui::page::Chrome;
use crate::AppState;

/// Pages kept per data version at most.
pub const MAX_PAGES: usize = 2_000;
/// Computed values kept per data version at most.
pub const MAX_VALUES: usize = 1_000;
/// A page larger than this is answered but not kept.
pub const MAX_PAGE_BYTES: usize = 4 << 20;

type Shared = Arc<dyn Any + Send + Sync>;
/// A value's slot: its type and key, computed at most once.
type Slots = HashMap<(TypeId, String), Arc<OnceCell<Shared>>>;

/// What this node knows at one data version.
pub struct Generation {
    version: i64,
    values: Mutex<Slots>,
    pages: Mutex<HashMap<(String, Lang), (HeaderMap, Bytes)>>,
}

impl Generation {
    fn new(version: i64) -> Self {
        Self {
            version,
            values: Mutex::default(),
            pages: Mutex::default(),
        }
    }

    /// The data version this generation was computed at.
    pub fn version(&self) -> i64 {
        self.version
    }

    /// The value under `key` at this version: computed by `compute` on first use (once, however
    /// many ask at the same time), shared afterwards. An error is returned and not kept.
    pub async fn value<T, F, Fut>(&self, key: &str, compute: F) -> Result<Arc<T>, StoreError>
    where
        T: Any + Send + Sync,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, StoreError>>,
    {
        let cell = {
            let mut values = self.values.lock().unwrap_or_else(|e| e.into_inner());
            let k = (TypeId::of::<T>(), key.to_string());
            if values.len() >= MAX_VALUES && !values.contains_key(&k) {
                None
            } else {
                Some(values.entry(k).or_default().clone())
            }
        };
        let Some(cell) = cell else {
            return compute().await.map(Arc::new);
        };
        let shared = cell
            .get_or_try_init(|| async { compute().await.map(|v| Arc::new(v) as Shared) })
            .await?;
        shared
            .clone()
            .downcast::<T>()
            .map_err(|_| StoreError::Corrupt(format!("public cache: {key} holds another type")))
    }

    fn page(&self, key: &(String, Lang)) -> Option<(HeaderMap, Bytes)> {
        self.pages.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned()
    }

    fn keep_page(&self, key: (String, Lang), headers: HeaderMap, body: Bytes) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        if pages.len() < MAX_PAGES || pages.contains_key(&key) {
            pages.insert(key, (headers, body));
        }
    }

    /// Pages kept at this version.
    pub fn pages_kept(&self) -> usize {
        self.pages.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// This node's generations: the current one and when its version was last confirmed.
#[derive(Default)]
pub struct PublicCache {
    current: RwLock<Option<(Arc<Generation>, Instant)>>,
    refreshing: tokio::sync::Mutex<()>,
    /// Set after a request that may have written: the version is read on the next use.
    stale: AtomicBool,
}

impl PublicCache {
    fn fresh(&self) -> Option<Arc<Generation>> {
        if self.stale.load(Ordering::Acquire) {
            return None;
        }
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        current
            .as_ref()
            .filter(|(_, at)| at.elapsed() < CACHE_TTL)
            .map(|(g, _)| g.clone())
    }

    /// The generation of the store's current data version.
    pub async fn generation(&self, store: &dyn Store) -> Result<Arc<Generation>, StoreError> {
        if let Some(g) = self.fresh() {
            return Ok(g);
        }
        let _one_reader = self.refreshing.lock().await;
        if let Some(g) = self.fresh() {
            return Ok(g);
        }
        // Cleared before reading: a write that commits after this read marks it again.
        self.stale.store(false, Ordering::Release);
        let version = match store.data_version().await {
            Ok(v) => v,
            Err(e) => {
                self.stale.store(true, Ordering::Release);
                return Err(e);
            }
        };
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        let generation = match current.take() {
            Some((g, _)) if g.version == version => g,
            _ => Arc::new(Generation::new(version)),
        };
        *current = Some((generation.clone(), Instant::now()));
        Ok(generation)
    }

    /// Read the data version again before the next use (this node may have written).
    pub fn mark_stale(&self) {
        self.stale.store(true, Ordering::Release);
    }
}

/// Middleware: after any request that may have written, the data version is read again.
pub async fn recheck_after_writes(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let res = next.run(req).await;
    if writes {
        state.public.mark_stale();
    }
    res
}

/// A public page the same for every anonymous visitor: answered from this data version's
/// memory when it was answered before on the same day (UTC), otherwise by `page` (and kept when it answered 200).
/// Signed-in visitors always get `page` (their header names them); values it reads through
/// [`AppState::public_value`] are still shared.
pub async fn public_page(state: &AppState, chrome: &Chrome, page: impl Future<Output = impl IntoResponse>) -> Response {
    if chrome.user.is_some() {
        return page.await.into_response();
    }
    // Without a version the page is answered as it is (and reports the store's trouble itself).
    let Ok(generation) = state.public.generation(state.store.as_ref()).await else {
        return page.await.into_response();
    };
    // Kept per day too: pages say what has closed by today (application deadlines).
    let today = crate::http::clock::today();
    let key = (
        if chrome.query.is_empty() {
            format!("{} {today}", chrome.path)
        } else {
            format!("{}?{} {today}", chrome.path, chrome.query)
        },
        chrome.lang,
    );
    if let Some((headers, body)) = generation.page(&key) {
        return (headers, body).into_response();
    }
    let res = page.await.into_response();
    if res.status() != StatusCode::OK {
        return res;
    }
    let (parts, body) = res.into_parts();
    match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => {
            generation.keep_page(key, parts.headers.clone(), bytes.clone());
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(e) => {
            tracing::error!(error = %e, path = %chrome.path, "public page too large to keep or unreadable");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_value_is_computed_once_per_generation_however_many_ask() {
        let g = Arc::new(Generation::new(1));
        let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let (g, calls) = (g.clone(), calls.clone());
                tokio::spawn(async move {
                    g.value("region", || async {
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::task::yield_now().await;
                        Ok::<_, StoreError>(42_u32)
                    })
                    .await
                    .map(|v| *v)
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap(), 42);
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn an_error_is_not_kept_and_keys_of_other_types_do_not_meet() {
        let g = Generation::new(1);
        let failed = g
            .value::<u32, _, _>("k", || async { Err(StoreError::Corrupt("x".into())) })
            .await;
        assert!(failed.is_err());
        assert_eq!(*g.value("k", || async { Ok::<_, StoreError>(7_u32) }).await.unwrap(), 7);
        assert_eq!(
            *g.value("k", || async { Ok::<_, StoreError>("text") }).await.unwrap(),
            "text"
        );
    }

    #[test]
    fn pages_beyond_the_bound_are_not_kept() {
        let g = Generation::new(1);
        for i in 0..MAX_PAGES + 10 {
            g.keep_page(
                (format!("/utbildning?q={i}"), Lang::Sv),
                HeaderMap::new(),
                Bytes::from_static(b"x"),
            );
        }
        assert_eq!(g.pages_kept(), MAX_PAGES);
        // A kept page can still be replaced.
        g.keep_page(
            ("/utbildning?q=0".into(), Lang::Sv),
            HeaderMap::new(),
            Bytes::from_static(b"y"),
        );
        assert_eq!(
            g.page(&("/utbildning?q=0".into(), Lang::Sv)).unwrap().1,
            Bytes::from_static(b"y")
        );
        assert!(g
            .page(&(format!("/utbildning?q={}", MAX_PAGES + 1), Lang::Sv))
            .is_none());
    }
}
