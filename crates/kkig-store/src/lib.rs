//! kkig-store: the only crate that speaks SQL.
//!
//! [`Store`] is what the rest of kkig asks of a database. [`SqlStore`] implements it once,
//! over sqlx's `Any` driver, for both SQLite (embedded, the default) and PostgreSQL: the SQL is
//! written in the common dialect of the two (`$n` placeholders, `ON CONFLICT`, BIGINT/REAL
//! column types that decode the same), and only the migrations differ per backend.

mod accounts;
mod allocation;
mod catalogue;
mod db;
mod demo;
mod forecast;
mod privacy;
mod region;
mod sessions;
mod sync;
pub mod testing;
mod vfu;

pub use accounts::AccountStore;
pub use accounts::{
    Actor, AuditEntry, NewUser, RetentionCandidate, SignInAttempt, SignInFailure, SignInStart, TokenRecord, UserRecord,
};
pub use allocation::{AllocationData, AllocationLock, AllocationStore, PublishReport};
pub use catalogue::{CatalogueStore, ImportReport, OfferingRemoval};
pub use db::audit::{AuditAction, AuditEntity};
pub use db::error::StoreError;
pub use db::url::{normalize_database_url, Backend, DEFAULT_DATABASE_URL};
pub use db::{DbStore, Readiness, SqlStore};
pub use demo::{DemoOutcome, DemoStatus, DemoStore};
pub use forecast::{ForecastCluster, ForecastStore, KoladaValue};
pub use privacy::{retention, PrivacyStore};
pub use region::{LearningCentreEntry, RegionStore};
pub use sessions::{SessionRow, SessionStore};
pub use sync::{SyncProgress, SyncRun, SyncStore};
pub use vfu::{
    PlacementFilter, RaciView, StudentFilter, VfuContextStore, VfuImportStore, VfuPeriodStore, VfuPlacementStore,
    VfuRaciStore, VfuSiteStore, VfuStore, VfuStudentStore, VfuSupervisorStore, VfuViewStore,
};

/// Everything kkig asks of its database: one trait per capability, composed. [`SqlStore`]
/// implements each; code that holds a `dyn Store` brings the traits whose methods it calls into
/// scope with `use kkig_store::prelude::*`.
pub trait Store:
    DbStore
    + RegionStore
    + DemoStore
    + SessionStore
    + AccountStore
    + PrivacyStore
    + CatalogueStore
    + VfuStore
    + ForecastStore
    + AllocationStore
    + SyncStore
    + Send
    + Sync
    + 'static
{
}

impl<T> Store for T where
    T: DbStore
        + RegionStore
        + DemoStore
        + SessionStore
        + AccountStore
        + PrivacyStore
        + CatalogueStore
        + VfuStore
        + ForecastStore
        + AllocationStore
        + SyncStore
        + Send
        + Sync
        + 'static
{
}

/// The store's traits, for `use kkig_store::prelude::*` where a `dyn Store` is used.
pub mod prelude {
    pub use crate::{
        AccountStore, AllocationStore, CatalogueStore, DbStore, DemoStore, ForecastStore, PrivacyStore, RegionStore,
        SessionStore, Store, SyncStore, VfuContextStore, VfuImportStore, VfuPeriodStore, VfuPlacementStore,
        VfuRaciStore, VfuSiteStore, VfuStore, VfuStudentStore, VfuSupervisorStore, VfuViewStore,
    };
}
