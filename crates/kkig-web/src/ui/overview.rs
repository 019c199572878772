//! The region overview: the read-mostly data almost every page shows (reference facts, site
//! counts, the demo status), loaded in one go and kept per data version like every value
//! computed from many rows ([`crate::ui::public_cache`], `AppState::overview`): a node sees its
//! own writes at once and other nodes' within [`CACHE_TTL`].

use std::collections::HashMap;
use std::time::Duration;

use axum::body::Bytes;
use kkig_core::vfu::SiteKind;
use kkig_core::{Kommunkod, Municipality, MunicipalityRole, University};
use kkig_formats::MunicipalityRecord;
use kkig_store::{LearningCentreEntry, Store, StoreError};

/// How long a node serves what it keeps in memory before it reads the data version (or the
/// catalogue version) again.
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
}

impl Overview {
    pub(crate) async fn load(store: &dyn Store) -> Result<Self, StoreError> {
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
        })
    }

    pub fn municipality(&self, code: Kommunkod) -> Option<&Municipality> {
        self.municipalities.iter().find(|m| m.code == code)
    }

    pub fn municipalities_json(&self, role: Option<MunicipalityRole>) -> Bytes {
        self.municipalities_json.get(&role).cloned().unwrap_or_default()
    }
}
