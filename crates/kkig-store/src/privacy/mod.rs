//! The audit log, a person's data exported or erased in one transaction, and retention of
//! students' data.

pub mod retention;

use async_trait::async_trait;
use kkig_core::Kommunkod;
use sqlx::Row;

use crate::accounts::sql::insert_person;
use crate::db::audit::{audit_in, AuditAction, AuditEntity};
use crate::db::error::StoreError;

use crate::db::*;
use crate::*;

/// Audit and privacy: the audit log, a person's data exported or erased, retention.
#[async_trait]
pub trait PrivacyStore: Send + Sync {
    /// Audit entries at or after `since` (unix seconds), oldest first, at most `limit`.
    async fn audit_since(&self, since: i64, limit: i64) -> Result<Vec<AuditEntry>, StoreError>;

    /// Append an entry outside any other change (e.g. an export of personal data).
    async fn audit(
        &self,
        actor: &Actor,
        action: AuditAction,
        entity: AuditEntity,
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

#[async_trait]
impl PrivacyStore for SqlStore {
    async fn audit_since(&self, since: i64, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        self.audit_since_impl(since, limit).await
    }

    async fn audit(
        &self,
        actor: &Actor,
        action: AuditAction,
        entity: AuditEntity,
        entity_id: &str,
        person_id: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        audit_in(&mut tx, actor, action, entity, entity_id, person_id, None, None).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn person_municipality(&self, person_id: &str) -> Result<Option<Option<Kommunkod>>, StoreError> {
        let row = sqlx::query("SELECT municipality_code FROM persons WHERE id = $1")
            .bind(person_id)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            None => Ok(None),
            Some(r) => {
                let code: Option<String> = r.try_get(0)?;
                Ok(Some(
                    code.map(|c| Kommunkod::parse(&c).map_err(|e| corrupt("municipality_code", e)))
                        .transpose()?,
                ))
            }
        }
    }

    async fn export_person(&self, person_id: &str, actor: &Actor) -> Result<Option<serde_json::Value>, StoreError> {
        self.export_person_impl(person_id, actor).await
    }

    async fn erase_person(&self, person_id: &str, reason: &str, actor: &Actor) -> Result<bool, StoreError> {
        self.erase_person_impl(person_id, reason, actor).await
    }

    async fn retention_candidates(&self) -> Result<Vec<RetentionCandidate>, StoreError> {
        let rows = sqlx::query("SELECT id, last_period_end FROM persons WHERE kind = 'student' AND last_period_end IS NOT NULL ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(RetentionCandidate {
                    person_id: r.try_get("id")?,
                    last_period_end: r.try_get("last_period_end")?,
                })
            })
            .collect()
    }

    async fn set_last_period_end(&self, person_id: &str, date: Option<&str>, actor: &Actor) -> Result<(), StoreError> {
        self.set_last_period_end_impl(person_id, date, actor).await
    }

    async fn create_person(
        &self,
        name: &str,
        email: Option<&str>,
        kind: &str,
        municipality: Option<Kommunkod>,
        actor: &Actor,
    ) -> Result<String, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = insert_person(&mut tx, name, email, kind, municipality, actor).await?;
        tx.commit().await?;
        Ok(id)
    }
}
