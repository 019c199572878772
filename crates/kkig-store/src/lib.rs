//! kkig-store: the only crate that speaks SQL.
//!
//! [`Store`] is what the rest of kkig asks of a database. [`SqlStore`] implements it once,
//! over sqlx's `Any` driver, for both SQLite (embedded, the default) and PostgreSQL: the SQL is
//! written in the common dialect of the two (`$n` placeholders, `ON CONFLICT`, BIGINT/REAL
//! column types that decode the same), and only the migrations differ per backend.

mod accounts;
mod accounts_sql;
mod allocation_sql;
mod catalogue_sql;
mod error;
mod forecast_sql;
mod health_sql;
mod identity_sql;
pub mod retention;
mod signin_sql;
mod sql;
pub mod testing;
mod url;
mod vfu_sql;

use async_trait::async_trait;
use kkig_core::demo::DemoWorld;
use kkig_core::vfu::{PlacementSite, SiteKind};
use kkig_core::{
    Kommunkod, LearningCentre, LearningCentreServices, Municipality, Occupation, ReferenceData, University,
};

pub use accounts::{
    Actor, AuditEntry, NewUser, RetentionCandidate, SignInAttempt, SignInFailure, SignInStart, TokenRecord, UserRecord,
};
pub use allocation_sql::{AllocationData, AllocationLock, AllocationStore, PublishReport};
pub use catalogue_sql::ImportReport;
pub use error::StoreError;
pub use forecast_sql::{ForecastCluster, ForecastStore, KoladaValue};
pub use sql::SqlStore;
pub use url::{normalize_database_url, Backend, DEFAULT_DATABASE_URL};
pub use vfu_sql::{PlacementFilter, RaciView, StudentFilter, VfuStore};

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
    Loaded {
        placement_sites: usize,
        learning_centres: usize,
    },
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

/// Whether a database that answers is fit to serve this binary (see [`Store::readiness`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    /// The applied migrations are not exactly this binary's: `missing` are its versions not
    /// applied (or failed, or applied with other contents), `unknown` applied versions it does
    /// not know (a newer kkig migrated the database).
    Migrations {
        missing: Vec<i64>,
        unknown: Vec<i64>,
    },
    /// Reference tables without rows (the reference data was never seeded).
    ReferenceData {
        empty: Vec<&'static str>,
    },
}

/// A stored web session: the serialized record and its expiry (unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub data: String,
    pub expiry_unix: i64,
    /// The signed-in user of the session, so that a user's sessions can be ended.
    pub user_id: Option<String>,
}

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
        + Send
        + Sync
        + 'static
{
}

/// The store's traits, for `use kkig_store::prelude::*` where a `dyn Store` is used.
pub mod prelude {
    pub use crate::{
        AccountStore, AllocationStore, CatalogueStore, DbStore, DemoStore, ForecastStore, PrivacyStore, RegionStore,
        SessionStore, Store, VfuStore,
    };
}

/// The database itself: which backend, whether it answers and is fit to serve, the data
/// version, and closing.
#[async_trait]
pub trait DbStore: Send + Sync {
    fn backend(&self) -> Backend;

    /// Succeeds when the database answers a query.
    async fn health(&self) -> Result<(), StoreError>;

    /// Whether the applied migrations are exactly this binary's and the reference data is
    /// there, from at most two small queries (for `/health`). Err when the database does not
    /// answer at all.
    async fn readiness(&self) -> Result<Readiness, StoreError>;

    /// A counter bumped by every committed write transaction except sign-in bookkeeping and
    /// sessions: pages computed from many rows are kept per data version.
    async fn data_version(&self) -> Result<i64, StoreError>;

    /// Every table and its rows as text, for the privacy test that scans the whole database.
    async fn dump_all_text(&self) -> Result<Vec<(String, String)>, StoreError>;

    /// Close the connection pool; later calls fail.
    async fn close(&self);
}

/// The region's reference data: municipalities, universities, learning centres, occupations,
/// and the placement sites the region overview counts.
#[async_trait]
pub trait RegionStore: Send + Sync {
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

    /// Replace a learning centre's services (audited). False if no such centre.
    async fn update_learning_centre_services(
        &self,
        services: &LearningCentreServices,
        actor: &Actor,
    ) -> Result<bool, StoreError>;
}

/// The generated demo world: whether one is loaded, and loading it.
#[async_trait]
pub trait DemoStore: Send + Sync {
    async fn demo_status(&self) -> Result<Option<DemoStatus>, StoreError>;

    /// Fill an empty database with the demo world, in one transaction. Refuses when the
    /// database holds data that is not demo data; does nothing when this demo is already there.
    async fn load_demo(&self, world: &DemoWorld) -> Result<DemoOutcome, StoreError>;
}

/// Web sessions, stored in the database so that any node can serve them.
#[async_trait]
pub trait SessionStore: Send + Sync {
    async fn session_load(&self, id: &str) -> Result<Option<SessionRow>, StoreError>;

    /// Insert a new session; false when the id is taken (the caller draws a new one).
    async fn session_create(&self, id: &str, row: &SessionRow) -> Result<bool, StoreError>;

    async fn session_save(&self, id: &str, row: &SessionRow) -> Result<(), StoreError>;

    async fn session_delete(&self, id: &str) -> Result<(), StoreError>;

    /// Remove sessions that expired before `now_unix`; returns how many.
    async fn session_delete_expired(&self, now_unix: i64) -> Result<u64, StoreError>;

    /// End every session of a user (log out everywhere).
    async fn delete_user_sessions(&self, user_id: &str) -> Result<u64, StoreError>;
}

/// Accounts: people who sign in, their passwords, password links, sign-in throttling and API
/// tokens.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Create a person and their account in one transaction (audited). When a person without
    /// an account has the e-mail, the account is given to them if the role fits them and their
    /// VFU records (`kkig_core::vfu::identity::may_attach_account`); any other taken e-mail is
    /// a Conflict.
    async fn create_user(&self, new: &NewUser, actor: &Actor) -> Result<UserRecord, StoreError>;

    async fn users(&self) -> Result<Vec<UserRecord>, StoreError>;

    async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, StoreError>;

    async fn user_by_id(&self, id: &str) -> Result<Option<UserRecord>, StoreError>;

    /// Disable or enable an account (audited); disabling ends its sessions. False if no such user.
    async fn set_user_disabled(&self, user_id: &str, disabled: bool, actor: &Actor) -> Result<bool, StoreError>;

    /// Store a new password hash (audited, without the hash).
    async fn set_password_hash(&self, user_id: &str, hash: &str, actor: &Actor) -> Result<(), StoreError>;

    /// Record a one-time password link (only its hash), valid until `expires_at`.
    async fn create_password_reset(
        &self,
        user_id: &str,
        token_hash: &str,
        expires_at: i64,
        actor: &Actor,
    ) -> Result<(), StoreError>;

    /// The user of an unused, unexpired password link.
    async fn password_reset_user(&self, token_hash: &str, now: i64) -> Result<Option<UserRecord>, StoreError>;

    /// Use a password link: set the password and spend the link, in one transaction.
    /// False when the link is unknown, used or expired.
    async fn use_password_reset(&self, token_hash: &str, password_hash: &str, now: i64) -> Result<bool, StoreError>;

    /// Decide a sign-in attempt for `account` (the e-mail as typed) from `address`, and when it
    /// may go on to the password check, record it as a failure — in one write transaction that
    /// attempts for the same account take one after the other, so that parallel attempts
    /// cannot all pass under the limit (`kkig_core::privacy::sign_in_gate` decides).
    async fn begin_sign_in(&self, account: &str, address: &str, now: i64) -> Result<SignInStart, StoreError>;

    /// The password was right: remove the attempt and the earlier failures of this account
    /// from this address (failures from other addresses keep counting).
    async fn sign_in_succeeded(&self, attempt: &SignInAttempt) -> Result<(), StoreError>;

    /// Failures of `account` at or after `since`, oldest first.
    async fn sign_in_failures(&self, account: &str, since: i64) -> Result<Vec<SignInFailure>, StoreError>;

    /// Remove throttling state from before `before` (unix seconds); returns how many failures.
    async fn purge_sign_in_failures(&self, before: i64) -> Result<u64, StoreError>;

    async fn create_api_token(
        &self,
        user_id: &str,
        token_id: &str,
        name: &str,
        token_hash: &str,
        expires_at: i64,
        actor: &Actor,
    ) -> Result<(), StoreError>;

    async fn api_tokens(&self, user_id: &str) -> Result<Vec<TokenRecord>, StoreError>;

    /// The enabled user of an unrevoked, unexpired token; notes when it was used.
    async fn user_for_token(&self, token_hash: &str, now: i64) -> Result<Option<UserRecord>, StoreError>;

    /// Revoke one of the user's tokens (audited). False when the user has no such live token.
    async fn revoke_api_token(
        &self,
        user_id: &str,
        token_id: &str,
        now: i64,
        actor: &Actor,
    ) -> Result<bool, StoreError>;
}

/// Audit and privacy: the audit log, a person's data exported or erased, retention.
#[async_trait]
pub trait PrivacyStore: Send + Sync {
    /// Audit entries at or after `since` (unix seconds), oldest first, at most `limit`.
    async fn audit_since(&self, since: i64, limit: i64) -> Result<Vec<AuditEntry>, StoreError>;

    /// Append an entry outside any other change (e.g. an export of personal data).
    async fn audit(
        &self,
        actor: &Actor,
        action: &str,
        entity: &str,
        entity_id: &str,
        person_id: Option<&str>,
    ) -> Result<(), StoreError>;

    /// The person's municipality (for scope checks), if the person exists.
    async fn person_municipality(&self, person_id: &str) -> Result<Option<Option<kkig_core::Kommunkod>>, StoreError>;

    /// Everything held on a person, as JSON (no secrets: hashes are left out); None if unknown.
    async fn export_person(&self, person_id: &str, actor: &Actor) -> Result<Option<serde_json::Value>, StoreError>;

    /// Erase a person everywhere in one transaction, keeping an anonymous count (audited).
    /// False if no such person.
    async fn erase_person(&self, person_id: &str, reason: &str, actor: &Actor) -> Result<bool, StoreError>;

    /// Students with the end of their last VFU period.
    async fn retention_candidates(&self) -> Result<Vec<RetentionCandidate>, StoreError>;

    /// Set the end of a student's last VFU period (the VFU registry keeps it up to date).
    async fn set_last_period_end(&self, person_id: &str, date: Option<&str>, actor: &Actor) -> Result<(), StoreError>;

    /// Create a student or supervisor person without an account (audited).
    async fn create_person(
        &self,
        name: &str,
        email: Option<&str>,
        kind: &str,
        municipality: Option<kkig_core::Kommunkod>,
        actor: &Actor,
    ) -> Result<String, StoreError>;
}

/// The education catalogue: offerings and the measured travel-time matrix.
#[async_trait]
pub trait CatalogueStore: Send + Sync {
    /// Insert or update offerings by id in one transaction (audited); reports what changed.
    async fn upsert_offerings(
        &self,
        items: &[kkig_core::catalogue::Offering],
        actor: &Actor,
    ) -> Result<ImportReport, StoreError>;

    async fn offerings(&self) -> Result<Vec<kkig_core::catalogue::Offering>, StoreError>;

    /// A counter bumped by every change to offerings or the travel matrix.
    async fn catalogue_version(&self) -> Result<i64, StoreError>;

    /// Replace the measured travel-time matrix (audited). Returns the number of pairs.
    async fn replace_travel_matrix(
        &self,
        rows: &[(Kommunkod, Kommunkod, i64)],
        actor: &Actor,
    ) -> Result<usize, StoreError>;

    async fn travel_matrix(&self) -> Result<Vec<(Kommunkod, Kommunkod, i64)>, StoreError>;
}
