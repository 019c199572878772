//! kkig-store: the only crate that speaks SQL.
//!
//! [`Store`] is what the rest of kkig asks of a database. [`SqlStore`] implements it once,
//! over sqlx's `Any` driver, for both SQLite (embedded, the default) and PostgreSQL: the SQL is
//! written in the common dialect of the two (`$n` placeholders, `ON CONFLICT`, BIGINT/REAL
//! column types that decode the same), and only the migrations differ per backend.

mod error;
mod sql;
mod url;
pub mod testing;

use async_trait::async_trait;
use kkig_core::demo::DemoWorld;
use kkig_core::vfu::{PlacementSite, SiteKind};
use kkig_core::{
    Kommunkod, LearningCentre, LearningCentreServices, Municipality, Occupation, ReferenceData,
    University,
};

pub use error::StoreError;
pub use sql::SqlStore;
pub use url::{normalize_database_url, Backend, DEFAULT_DATABASE_URL};

/// Which demo world a database holds, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoStatus {
    pub seed: u64,
    /// When it was loaded, unix seconds.
    pub loaded_at_unix: i64,
}

/// What `load_demo` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoOutcome {
    Loaded { placement_sites: usize, learning_centres: usize },
    AlreadyLoaded(DemoStatus),
}

/// A learning centre with what it offers, when that is known.
#[derive(Debug, Clone, PartialEq)]
pub struct LearningCentreEntry {
    pub centre: LearningCentre,
    pub services: Option<LearningCentreServices>,
    /// True when the services are generated demo data.
    pub services_are_demo: bool,
}

/// A stored web session: the serialized record and its expiry (unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub data: String,
    pub expiry_unix: i64,
}

/// Everything kkig asks of its database.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    fn backend(&self) -> Backend;

    /// Succeeds when the database answers a query.
    async fn health(&self) -> Result<(), StoreError>;

    /// Insert or update all reference facts in one transaction. Running it twice changes nothing.
    async fn seed_reference(&self, reference: &ReferenceData) -> Result<(), StoreError>;

    /// All municipalities, participants first, each group by name.
    async fn municipalities(&self) -> Result<Vec<Municipality>, StoreError>;
    async fn municipality(&self, code: Kommunkod) -> Result<Option<Municipality>, StoreError>;
    async fn universities(&self) -> Result<Vec<University>, StoreError>;
    async fn learning_centres(&self) -> Result<Vec<LearningCentreEntry>, StoreError>;
    async fn occupations(&self) -> Result<Vec<Occupation>, StoreError>;
    /// Placement sites, of one municipality or all, by municipality and name.
    async fn placement_sites(&self, municipality: Option<Kommunkod>) -> Result<Vec<PlacementSite>, StoreError>;

    /// Number of placement sites per municipality and kind (for overviews, without loading sites).
    async fn placement_site_counts(&self) -> Result<Vec<(Kommunkod, SiteKind, i64)>, StoreError>;

    async fn demo_status(&self) -> Result<Option<DemoStatus>, StoreError>;
    /// Fill an empty database with the demo world, in one transaction. Refuses when the
    /// database holds data that is not demo data; does nothing when this demo is already there.
    async fn load_demo(&self, world: &DemoWorld) -> Result<DemoOutcome, StoreError>;

    async fn session_load(&self, id: &str) -> Result<Option<SessionRow>, StoreError>;
    /// Insert a new session; false when the id is taken (the caller draws a new one).
    async fn session_create(&self, id: &str, row: &SessionRow) -> Result<bool, StoreError>;
    async fn session_save(&self, id: &str, row: &SessionRow) -> Result<(), StoreError>;
    async fn session_delete(&self, id: &str) -> Result<(), StoreError>;
    /// Remove sessions that expired before `now_unix`; returns how many.
    async fn session_delete_expired(&self, now_unix: i64) -> Result<u64, StoreError>;

    /// Close the connection pool; later calls fail.
    async fn close(&self);
}
