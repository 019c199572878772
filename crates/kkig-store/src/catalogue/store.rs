//! [`CatalogueStore`]: offerings and the travel-time matrix, implemented by [`SqlStore`] with
//! the SQL in this capability's `mod.rs`.

use async_trait::async_trait;
use kkig_core::Kommunkod;

use crate::db::error::StoreError;

use crate::db::*;
use crate::*;

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

#[async_trait]
impl CatalogueStore for SqlStore {
    async fn upsert_offerings(
        &self,
        items: &[kkig_core::catalogue::Offering],
        actor: &Actor,
    ) -> Result<crate::ImportReport, StoreError> {
        self.upsert_offerings_impl(items, false, actor).await
    }

    async fn offerings(&self) -> Result<Vec<kkig_core::catalogue::Offering>, StoreError> {
        self.offerings_impl().await
    }

    async fn catalogue_version(&self) -> Result<i64, StoreError> {
        self.catalogue_version_impl().await
    }

    async fn replace_travel_matrix(
        &self,
        rows: &[(Kommunkod, Kommunkod, i64)],
        actor: &Actor,
    ) -> Result<usize, StoreError> {
        self.replace_travel_matrix_impl(rows, actor).await
    }

    async fn travel_matrix(&self) -> Result<Vec<(Kommunkod, Kommunkod, i64)>, StoreError> {
        self.travel_matrix_impl().await
    }
}
