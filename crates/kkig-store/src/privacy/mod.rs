//! The audit log, a person's data exported or erased in one transaction, and retention of
//! students' data.

pub mod retention;

use async_trait::async_trait;
use kkig_core::ids::PersonId;
use kkig_core::Kommunkod;
use serde_json::{json, Value};
use sqlx::Row;

use crate::accounts::sql::insert_person;
use crate::db::audit::{audit_in, AuditAction, AuditEntity};
use crate::db::error::StoreError;
use crate::db::{corrupt, id_at, now_unix, opt_id_at, SqlStore};
use crate::{AccountStore, Actor, AuditEntry, RetentionCandidate};

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
        person_id: Option<&PersonId>,
    ) -> Result<(), StoreError>;

    /// The person's municipality (for scope checks), if the person exists.
    async fn person_municipality(
        &self,
        person_id: &PersonId,
    ) -> Result<Option<Option<kkig_core::Kommunkod>>, StoreError>;

    /// Everything held on a person, as JSON (no secrets: hashes are left out); None if unknown.
    async fn export_person(&self, person_id: &PersonId, actor: &Actor)
        -> Result<Option<serde_json::Value>, StoreError>;

    /// Erase a person everywhere in one transaction, keeping an anonymous count (audited).
    /// False if no such person.
    async fn erase_person(&self, person_id: &PersonId, reason: &str, actor: &Actor) -> Result<bool, StoreError>;

    /// Students with the end of their last VFU period.
    async fn retention_candidates(&self) -> Result<Vec<RetentionCandidate>, StoreError>;

    /// Set the end of a student's last VFU period (the VFU registry keeps it up to date).
    async fn set_last_period_end(
        &self,
        person_id: &PersonId,
        date: Option<&str>,
        actor: &Actor,
    ) -> Result<(), StoreError>;

    /// Create a student or supervisor person without an account (audited).
    async fn create_person(
        &self,
        name: &str,
        email: Option<&str>,
        kind: &str,
        municipality: Option<kkig_core::Kommunkod>,
        actor: &Actor,
    ) -> Result<PersonId, StoreError>;
}

#[async_trait]
impl PrivacyStore for SqlStore {
    async fn audit_since(&self, since: i64, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, at, actor, action, entity, entity_id, person_id, before_json, after_json, redacted
             FROM audit_log WHERE at >= $1 ORDER BY id LIMIT $2",
        )
        .bind(since)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    entity: r.try_get("entity")?,
                    entity_id: r.try_get("entity_id")?,
                    person_id: opt_id_at(r, "person_id")?,
                    before: r.try_get("before_json")?,
                    after: r.try_get("after_json")?,
                    redacted: r.try_get::<i64, _>("redacted")? != 0,
                })
            })
            .collect()
    }

    async fn audit(
        &self,
        actor: &Actor,
        action: AuditAction,
        entity: AuditEntity,
        entity_id: &str,
        person_id: Option<&PersonId>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        audit_in(&mut tx, actor, action, entity, entity_id, person_id, None, None).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn person_municipality(&self, person_id: &PersonId) -> Result<Option<Option<Kommunkod>>, StoreError> {
        let row = sqlx::query("SELECT municipality_code FROM persons WHERE id = $1")
            .bind(person_id.as_str())
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

    async fn export_person(&self, person_id: &PersonId, actor: &Actor) -> Result<Option<Value>, StoreError> {
        let Some(p) = sqlx::query(
            "SELECT id, name, email, phone, kind, municipality_code, last_period_end, created_at, updated_at FROM persons WHERE id = $1",
        )
        .bind(person_id.as_str())
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let person = json!({
            "id": p.try_get::<String, _>("id")?,
            "name": p.try_get::<String, _>("name")?,
            "email": p.try_get::<Option<String>, _>("email")?,
            "phone": p.try_get::<Option<String>, _>("phone")?,
            "kind": p.try_get::<String, _>("kind")?,
            "municipality_code": p.try_get::<Option<String>, _>("municipality_code")?,
            "last_period_end": p.try_get::<Option<String>, _>("last_period_end")?,
            "created_at": p.try_get::<i64, _>("created_at")?,
            "updated_at": p.try_get::<i64, _>("updated_at")?,
        });
        let users = self
            .users_where("WHERE u.person_id = $1", Some(person_id.as_str()))
            .await?;
        let mut accounts = Vec::new();
        for u in &users {
            let tokens = self.api_tokens(&u.id).await?;
            let sessions: i64 = sqlx::query("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
                .bind(u.id.as_str())
                .fetch_one(&self.pool)
                .await?
                .get(0);
            accounts.push(json!({
                "id": u.id, "role": u.role.as_str(), "scope": u.scope, "disabled": u.disabled,
                "created_at": u.created_at, "has_password": u.password_hash.is_some(),
                "api_tokens": tokens, "active_sessions": sessions,
            }));
        }
        let audit: Vec<AuditEntry> = {
            let rows = sqlx::query("SELECT id FROM audit_log WHERE person_id = $1 ORDER BY id")
                .bind(person_id.as_str())
                .fetch_all(&self.pool)
                .await?;
            let ids: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
            let all = self.audit_since(0, i64::MAX).await?;
            all.into_iter().filter(|e| ids.contains(&e.id)).collect()
        };
        let mut parts = serde_json::Map::new();
        for part in crate::db::parts::PARTS {
            if let Some(v) = part.export_person(self, person_id).await? {
                parts.insert(part.name().to_string(), v);
            }
        }
        let mut tx = self.begin_write().await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Export,
            AuditEntity::Person,
            person_id,
            Some(person_id),
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        let mut export = json!({
            "exported_at": now_unix(),
            "person": person,
            "accounts": accounts,
            "audit_log": audit,
        });
        if let Some(object) = export.as_object_mut() {
            object.extend(parts);
        }
        Ok(Some(export))
    }

    async fn erase_person(&self, person_id: &PersonId, reason: &str, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT kind, email FROM persons WHERE id = $1")
            .bind(person_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else { return Ok(false) };
        let kind: String = row.try_get(0)?;
        let email: Option<String> = row.try_get(1)?;
        let user_ids: Vec<String> = sqlx::query("SELECT id FROM users WHERE person_id = $1")
            .bind(person_id.as_str())
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        for uid in &user_ids {
            for sql in [
                "DELETE FROM sessions WHERE user_id = $1",
                "DELETE FROM api_tokens WHERE user_id = $1",
                "DELETE FROM password_resets WHERE user_id = $1",
                "DELETE FROM users WHERE id = $1",
            ] {
                sqlx::query(sql).bind(uid).execute(&mut *tx).await?;
            }
        }
        if let Some(e) = &email {
            for sql in [
                "DELETE FROM sign_in_failures WHERE account = $1",
                "DELETE FROM sign_in_locks WHERE account = $1",
            ] {
                sqlx::query(sql).bind(e).execute(&mut *tx).await?;
            }
        }
        for part in crate::db::parts::PARTS {
            part.erase_person(&mut tx, person_id).await?;
        }
        sqlx::query("DELETE FROM persons WHERE id = $1")
            .bind(person_id.as_str())
            .execute(&mut *tx)
            .await?;
        // The audit log keeps who did what and when, but no longer the erased values.
        sqlx::query("UPDATE audit_log SET before_json = NULL, after_json = NULL, redacted = 1 WHERE person_id = $1")
            .bind(person_id.as_str())
            .execute(&mut *tx)
            .await?;
        let year = time::OffsetDateTime::now_utc().year() as i64;
        sqlx::query(
            "INSERT INTO erasure_counts (kind, reason, year, count) VALUES ($1, $2, $3, 1)
             ON CONFLICT (kind, reason, year) DO UPDATE SET count = erasure_counts.count + 1",
        )
        .bind(&kind)
        .bind(reason)
        .bind(year)
        .execute(&mut *tx)
        .await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Erase,
            AuditEntity::Person,
            person_id,
            None,
            None,
            Some(&json!({"kind": kind, "reason": reason})),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn retention_candidates(&self) -> Result<Vec<RetentionCandidate>, StoreError> {
        let rows = sqlx::query("SELECT id, last_period_end FROM persons WHERE kind = 'student' AND last_period_end IS NOT NULL ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(RetentionCandidate {
                    person_id: id_at(r, "id")?,
                    last_period_end: r.try_get("last_period_end")?,
                })
            })
            .collect()
    }

    async fn set_last_period_end(
        &self,
        person_id: &PersonId,
        date: Option<&str>,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        if let Some(d) = date {
            time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]"))
                .map_err(|e| StoreError::Invalid(format!("last_period_end {d:?} is not a date YYYY-MM-DD: {e}")))?;
        }
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE persons SET last_period_end = $1, updated_at = $2 WHERE id = $3")
            .bind(date)
            .bind(now_unix())
            .bind(person_id.as_str())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Invalid(format!("no person {person_id}")));
        }
        audit_in(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::Person,
            person_id,
            Some(person_id),
            None,
            Some(&json!({"last_period_end": date})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_person(
        &self,
        name: &str,
        email: Option<&str>,
        kind: &str,
        municipality: Option<Kommunkod>,
        actor: &Actor,
    ) -> Result<PersonId, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = insert_person(&mut tx, name, email, kind, municipality, actor).await?;
        tx.commit().await?;
        Ok(id)
    }
}
