//! The region overview: the read-mostly data almost every page shows (reference facts, site
//! counts, the demo status), loaded in one go and kept in memory for [`CACHE_TTL`].
//!
//! These facts change only when reference data is seeded, demo data loaded or a site added,
//! so pages and reference API calls are served from memory in the steady state, and the
//! database is asked at most once per `CACHE_TTL` per web node. A node that writes such data
//! calls [`OverviewCache::invalidate`], so it sees its own change at once; other nodes see it
//! within `CACHE_TTL`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use kkig_core::vfu::SiteKind;
use kkig_core::{Kommunkod, Municipality, MunicipalityRole, University};
use kkig_formats::MunicipalityRecord;
use kkig_store::{LearningCentreEntry, Store, StoreError};
use tokio::sync::{Mutex, RwLock};

use crate::ui::i18n::Lang;

/// How long the overview is served from memory before it is read again.
pub const CACHE_TTL: Duration = Duration::from_secs(5);

pub struct Overview {
    pub demo_seed: Option<u64>,
    pub municipalities: Vec<Municipality>,
    pub universities: Vec<University>,
    pub learning_centres: Vec<LearningCentreEntry>,
    /// Placement sites per municipality and kind.
    pub site_counts: Vec<(Kommunkod, SiteKind, i64)>,
    /// `GET /api/v1/municipalities` for no filter and each role, serialized once.
    municipalities_json: HashMap<Option<MunicipalityRole>, Bytes>,
    /// Public pages rendered from this overview, by path and language: they are the same for
    /// every visitor until the overview is read again.
    pages: std::sync::Mutex<HashMap<(String, Lang), Bytes>>,
}

impl Overview {
    async fn load(store: &dyn Store) -> Result<Self, StoreError> {
        let municipalities = store.municipalities().await?;
        let mut municipalities_json = HashMap::new();
        for role in [
            None,
            Some(MunicipalityRole::Participant),
            Some(MunicipalityRole::Campus),
        ] {
            let items: Vec<MunicipalityRecord> = municipalities
                .iter()
                .filter(|m| role.is_none_or(|r| m.role == r))
                .map(MunicipalityRecord::from)
                .collect();
            let bytes = serde_json::to_vec(&items).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            municipalities_json.insert(role, Bytes::from(bytes));
        }
        Ok(Self {
            demo_seed: store.demo_status().await?.map(|s| s.seed),
            universities: store.universities().await?,
            learning_centres: store.learning_centres().await?,
            site_counts: store.placement_site_counts().await?,
            municipalities,
            municipalities_json,
            pages: Default::default(),
        })
    }

    pub fn municipality(&self, code: Kommunkod) -> Option<&Municipality> {
        self.municipalities.iter().find(|m| m.code == code)
    }

    /// The page at `path` in `lang` as rendered earlier from this overview, if it was.
    pub fn page(&self, path: &str, lang: Lang) -> Option<Bytes> {
        self.pages.lock().ok()?.get(&(path.to_string(), lang)).cloned()
    }

    /// Remember a page rendered from this overview (only pages that are the same for everyone).
    pub fn keep_page(&self, path: &str, lang: Lang, html: Bytes) {
        if let Ok(mut pages) = self.pages.lock() {
            pages.insert((path.to_string(), lang), html);
        }
    }

    pub fn municipalities_json(&self, role: Option<MunicipalityRole>) -> Bytes {
        self.municipalities_json.get(&role).cloned().unwrap_or_default()
    }
}

#[derive(Default)]
pub struct OverviewCache {
    current: RwLock<Option<(Arc<Overview>, Instant)>>,
    /// Held while one request reloads, so a burst at expiry reloads once, not once per request.
    reloading: Mutex<()>,
}

impl OverviewCache {
    pub async fn get(&self, store: &dyn Store) -> Result<Arc<Overview>, StoreError> {
        if let Some(v) = self.fresh().await {
            return Ok(v);
        }
        let _guard = self.reloading.lock().await;
        if let Some(v) = self.fresh().await {
            return Ok(v);
        }
        let loaded = Arc::new(Overview::load(store).await?);
        *self.current.write().await = Some((loaded.clone(), Instant::now()));
        Ok(loaded)
    }

    async fn fresh(&self) -> Option<Arc<Overview>> {
        match self.current.read().await.as_ref() {
            Some((v, at)) if at.elapsed() < CACHE_TTL => Some(v.clone()),
            _ => None,
        }
    }

    /// Forget the overview; the next request reads it again.
    pub async fn invalidate(&self) {
        *self.current.write().await = None;
    }
}
