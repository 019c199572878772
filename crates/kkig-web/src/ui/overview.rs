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
    /// The region's municipalities: the participants, then the campus towns. The region's
    /// pages show these.
    pub municipalities: Vec<Municipality>,
    /// All of Sweden's municipalities (the region's first), for choosing where someone lives
    /// or works.
    pub sweden: Vec<Municipality>,
    pub universities: Vec<University>,
    pub learning_centres: Vec<LearningCentreEntry>,
    /// Placement sites per municipality and kind.
    pub site_counts: Vec<(Kommunkod, SiteKind, i64)>,
    /// `GET /api/v1/municipalities` for each list, serialized once.
    municipalities_json: HashMap<MunicipalityList, Bytes>,
}

impl Overview {
    pub(crate) async fn load(store: &dyn Store) -> Result<Self, StoreError> {
        let sweden = store.municipalities().await?;
        let mut municipalities_json = HashMap::new();
        for list in [
            MunicipalityList::Region,
            MunicipalityList::Role(MunicipalityRole::Participant),
            MunicipalityList::Role(MunicipalityRole::Campus),
            MunicipalityList::Role(MunicipalityRole::Other),
            MunicipalityList::Sweden,
        ] {
            let items: Vec<MunicipalityRecord> = sweden
                .iter()
                .filter(|m| list.holds(m))
                .map(MunicipalityRecord::from)
                .collect();
            let bytes = serde_json::to_vec(&items).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            municipalities_json.insert(list, Bytes::from(bytes));
        }
        let municipalities = sweden.iter().filter(|m| m.role.in_region()).cloned().collect();
        Ok(Self {
            demo_seed: store.demo_status().await?.map(|s| s.seed),
            universities: store.universities().await?,
            learning_centres: store.learning_centres().await?,
            site_counts: store.placement_site_counts().await?,
            municipalities,
            sweden,
            municipalities_json,
        })
    }

    /// A municipality of the region (participant or campus town).
    pub fn municipality(&self, code: Kommunkod) -> Option<&Municipality> {
        self.municipalities.iter().find(|m| m.code == code)
    }

    /// Any of Sweden's municipalities.
    pub fn in_sweden(&self, code: Kommunkod) -> Option<&Municipality> {
        self.sweden.iter().find(|m| m.code == code)
    }

    pub fn municipalities_json(&self, list: MunicipalityList) -> Bytes {
        self.municipalities_json.get(&list).cloned().unwrap_or_default()
    }
}

/// Which municipalities `GET /api/v1/municipalities` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MunicipalityList {
    /// The region: the participants, then the campus towns (no `role` given).
    Region,
    /// One role.
    Role(MunicipalityRole),
    /// All 290 of Sweden (`role=all`).
    Sweden,
}

impl MunicipalityList {
    fn holds(self, m: &Municipality) -> bool {
        match self {
            Self::Region => m.role.in_region(),
            Self::Role(r) => m.role == r,
            Self::Sweden => true,
        }
    }
}
