//! [`CatalogueStore`]: offerings and the travel-time matrix, implemented by [`SqlStore`] (the
//! chunked upsert of offerings, shared with the demo, in this capability's `mod.rs`).

use async_trait::async_trait;
use kkig_core::catalogue::Offering;
use kkig_core::Kommunkod;
use serde_json::json;
use sqlx::Row;

use super::{bump_version, remove_offerings_in, upsert_offerings_in, ImportReport, OfferingRemoval};
use crate::db::audit::{audit_in, AuditAction, AuditEntity};
use crate::db::error::StoreError;
use crate::db::{corrupt, SqlStore};
use crate::Actor;

/// The education catalogue: offerings and the measured travel-time matrix.
#[async_trait]
pub trait CatalogueStore: Send + Sync {
    /// Insert or update offerings by id in one transaction (audited); reports what changed.
    async fn upsert_offerings(
        &self,
        items: &[kkig_core::catalogue::Offering],
        actor: &Actor,
    ) -> Result<ImportReport, StoreError> {
        self.import_offerings(items, &[], actor).await
    }

    /// Insert or update offerings by id and remove what the publisher deleted or cancelled,
    /// all in one transaction (audited); reports created / updated / unchanged / removed. The
    /// removals apply after the upserts, so a record deleted in the same import is gone.
    async fn import_offerings(
        &self,
        items: &[kkig_core::catalogue::Offering],
        removals: &[OfferingRemoval],
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
    async fn import_offerings(
        &self,
        items: &[Offering],
        removals: &[OfferingRemoval],
        actor: &Actor,
    ) -> Result<ImportReport, StoreError> {
        let mut tx = self.begin_write().await?;
        let (mut report, changed) = upsert_offerings_in(&mut tx, self.backend, items, false).await?;
        let removed = remove_offerings_in(&mut tx, removals).await?;
        report.removed = removed.len();
        if !changed.is_empty() || !removed.is_empty() {
            let summary = json!({"created": report.created, "updated": report.updated, "unchanged": report.unchanged,
                "removed": report.removed, "ids": changed, "removed_ids": removed});
            audit_in(
                &mut tx,
                actor,
                AuditAction::Import,
                AuditEntity::Offerings,
                &format!("{} offerings", items.len()),
                None,
                None,
                Some(&summary),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(report)
    }

    async fn offerings(&self) -> Result<Vec<Offering>, StoreError> {
        let rows = sqlx::query("SELECT id, data FROM offerings ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let data: String = r.try_get("data")?;
                serde_json::from_str(&data).map_err(|e| corrupt(&format!("offering {}", r.get::<String, _>("id")), e))
            })
            .collect()
    }

    async fn catalogue_version(&self) -> Result<i64, StoreError> {
        let v: Option<String> = sqlx::query("SELECT value FROM kkig_meta WHERE key = 'catalogue_version'")
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.get(0));
        Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    async fn replace_travel_matrix(
        &self,
        rows: &[(Kommunkod, Kommunkod, i64)],
        actor: &Actor,
    ) -> Result<usize, StoreError> {
        let mut tx = self.begin_write().await?;
        let before: i64 = sqlx::query("SELECT COUNT(*) FROM travel_matrix")
            .fetch_one(&mut *tx)
            .await?
            .get(0);
        sqlx::query("DELETE FROM travel_matrix").execute(&mut *tx).await?;
        for (a, b, m) in rows {
            sqlx::query(
                "INSERT INTO travel_matrix (from_code, to_code, minutes) VALUES ($1, $2, $3)
                 ON CONFLICT (from_code, to_code) DO UPDATE SET minutes = excluded.minutes",
            )
            .bind(a.to_string())
            .bind(b.to_string())
            .bind(*m)
            .execute(&mut *tx)
            .await?;
        }
        audit_in(
            &mut tx,
            actor,
            AuditAction::Import,
            AuditEntity::TravelMatrix,
            "travel_matrix",
            None,
            Some(&json!({"pairs": before})),
            Some(&json!({"pairs": rows.len()})),
        )
        .await?;
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok(rows.len())
    }

    async fn travel_matrix(&self) -> Result<Vec<(Kommunkod, Kommunkod, i64)>, StoreError> {
        let rows = sqlx::query("SELECT from_code, to_code, minutes FROM travel_matrix ORDER BY from_code, to_code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let a: String = r.try_get(0)?;
                let b: String = r.try_get(1)?;
                Ok((
                    Kommunkod::parse(&a).map_err(|e| corrupt("from_code", e))?,
                    Kommunkod::parse(&b).map_err(|e| corrupt("to_code", e))?,
                    r.try_get(2)?,
                ))
            })
            .collect()
    }
}
