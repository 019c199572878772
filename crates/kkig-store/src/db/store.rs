//! [`DbStore`]: what the rest of kkig asks of the database itself — which backend, whether it
//! answers and is fit to serve this binary ([`Readiness`]), the data version, closing.

use async_trait::async_trait;

use crate::db::error::StoreError;

use crate::db::url::Backend;

use crate::db::*;

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

#[async_trait]
impl DbStore for SqlStore {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn health(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").fetch_one(&self.pool).await?;
        Ok(())
    }

    async fn readiness(&self) -> Result<crate::Readiness, StoreError> {
        self.readiness_impl().await
    }

    async fn data_version(&self) -> Result<i64, StoreError> {
        self.data_version_impl().await
    }

    async fn dump_all_text(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.dump_all_text_impl().await
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
