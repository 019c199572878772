//! SQL of accounts, tokens, the audit log and privacy requests.

use kkig_core::access::Role;
use kkig_core::vfu::identity::{may_attach_account, PersonKind};
use kkig_core::{Kommunkod, LearningCentreServices};
use serde_json::{json, Value};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::accounts::identity;
use crate::db::audit::{audit_in, AuditAction, AuditEntity};
use crate::db::url::Backend;
use crate::db::{corrupt, now_unix, SqlStore};
use crate::{Actor, AuditEntry, NewUser, StoreError, TokenRecord, UserRecord};

pub(crate) fn new_id(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}

/// E-mail addresses are compared and stored trimmed and in lower case.
pub(crate) fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub(crate) async fn insert_person(
    tx: &mut Transaction<'static, Any>,
    name: &str,
    email: Option<&str>,
    kind: &str,
    municipality: Option<Kommunkod>,
    actor: &Actor,
) -> Result<String, StoreError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::Invalid("name must not be empty".into()));
    }
    let email = email.map(normalize_email);
    if let Some(e) = &email {
        let taken = sqlx::query("SELECT 1 FROM persons WHERE email = $1")
            .bind(e)
            .fetch_optional(&mut **tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!("a person with e-mail {e} already exists")));
        }
    }
    let id = new_id("p");
    let now = now_unix();
    sqlx::query(
        "INSERT INTO persons (id, name, email, kind, municipality_code, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(&id)
    .bind(name)
    .bind(&email)
    .bind(kind)
    .bind(municipality.map(|m| m.to_string()))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let after =
        json!({"name": name, "email": email, "kind": kind, "municipality": municipality.map(|m| m.to_string())});
    audit_in(
        tx,
        actor,
        AuditAction::Create,
        AuditEntity::Person,
        &id,
        Some(&id),
        None,
        Some(&after),
    )
    .await?;
    Ok(id)
}

/// The person of a user account, inside a transaction; None if there is no such user.
async fn person_of_user(tx: &mut Transaction<'static, Any>, user_id: &str) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query("SELECT person_id FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.get(0)))
}

/// The person of a user account that must exist.
async fn existing_person_of_user(tx: &mut Transaction<'static, Any>, user_id: &str) -> Result<String, StoreError> {
    person_of_user(tx, user_id)
        .await?
        .ok_or_else(|| StoreError::Invalid(format!("no user {user_id}")))
}

/// Spend every outstanding password link of a user (a new password was set, or the account
/// was disabled): a link is only ever good for the state it was made in. Returns how many.
async fn void_password_links_in(tx: &mut Transaction<'static, Any>, user_id: &str) -> Result<u64, StoreError> {
    let done = sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(now_unix())
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Set a user's password hash; every other outstanding link of the account is voided.
pub(crate) async fn set_password_in(
    tx: &mut Transaction<'static, Any>,
    user_id: &str,
    hash: &str,
    actor: &Actor,
) -> Result<(), StoreError> {
    let person = existing_person_of_user(tx, user_id).await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    let voided = void_password_links_in(tx, user_id).await?;
    audit_in(
        tx,
        actor,
        AuditAction::Update,
        AuditEntity::User,
        user_id,
        Some(&person),
        None,
        Some(&json!({"password": "changed", "password_links_voided": voided})),
    )
    .await?;
    Ok(())
}

const USER_SELECT: &str =
    "SELECT u.id, u.person_id, p.name, p.email, u.role, u.scope, u.password_hash, u.disabled, u.created_at
     FROM users u JOIN persons p ON p.id = u.person_id";

fn user_from(row: &AnyRow) -> Result<UserRecord, StoreError> {
    let role: String = row.try_get("role")?;
    Ok(UserRecord {
        id: row.try_get("id")?,
        person_id: row.try_get("person_id")?,
        name: row.try_get("name")?,
        email: row.try_get::<Option<String>, _>("email")?.unwrap_or_default(),
        role: Role::parse(&role).ok_or_else(|| corrupt("role", &role))?,
        scope: row.try_get("scope")?,
        password_hash: row.try_get("password_hash")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        created_at: row.try_get("created_at")?,
    })
}

fn token_from(row: &AnyRow) -> Result<TokenRecord, StoreError> {
    Ok(TokenRecord {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        revoked_at: row.try_get("revoked_at")?,
        last_used_at: row.try_get("last_used_at")?,
    })
}

/// Give a new account to a person the registry already has: the administrator's name replaces
/// theirs only when given and different; a staff account brings the person into its own scope
/// (a municipality account: its municipality; other staff: none), a student's or supervisor's
/// home municipality is registry data and stays. Audited as a change of the person.
async fn attach_to_person(
    tx: &mut Transaction<'static, Any>,
    p: &identity::Person,
    new: &NewUser,
    municipality: Option<Kommunkod>,
    actor: &Actor,
) -> Result<(), StoreError> {
    let name = Some(new.name.trim())
        .filter(|n| !n.is_empty() && *n != p.name)
        .unwrap_or(&p.name);
    let home = match p.ties.kind {
        PersonKind::Staff => municipality.map(|m| m.to_string()),
        PersonKind::Student | PersonKind::Supervisor => p.municipality.clone(),
    };
    if name == p.name && home == p.municipality {
        return Ok(());
    }
    sqlx::query("UPDATE persons SET name = $1, municipality_code = $2, updated_at = $3 WHERE id = $4")
        .bind(name)
        .bind(&home)
        .bind(now_unix())
        .bind(&p.id)
        .execute(&mut **tx)
        .await?;
    let before = json!({"name": p.name, "municipality": p.municipality});
    let after = json!({"name": name, "municipality": home});
    audit_in(
        tx,
        actor,
        AuditAction::Update,
        AuditEntity::Person,
        &p.id,
        Some(&p.id),
        Some(&before),
        Some(&after),
    )
    .await
}

impl SqlStore {
    pub(crate) async fn users_where(&self, clause: &str, arg: Option<&str>) -> Result<Vec<UserRecord>, StoreError> {
        let sql = format!("{USER_SELECT} {clause} ORDER BY p.email");
        let mut q = sqlx::query(&sql);
        if let Some(a) = arg {
            q = q.bind(a);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(user_from).collect()
    }

    pub(crate) async fn create_user_impl(&self, new: &NewUser, actor: &Actor) -> Result<UserRecord, StoreError> {
        let email = normalize_email(&new.email);
        if !email.contains('@') || email.len() < 3 || email.contains(char::is_whitespace) {
            return Err(StoreError::Invalid(format!(
                "e-mail {:?} is not an e-mail address",
                new.email
            )));
        }
        let mut tx = self.begin_write().await?;
        let kind = PersonKind::of_role(new.role);
        let municipality = match new.role {
            Role::Municipality => new.scope.as_deref().and_then(|s| Kommunkod::parse(s).ok()),
            _ => None,
        };
        // The registry first, the account second: a person the registry has, without an
        // account, gets the account when the role fits them and their records
        // (`kkig_core::vfu::identity::may_attach_account`); anyone else's e-mail is refused.
        let existing = match identity::person_by_email(&mut tx, &email).await? {
            Some(id) => Some(identity::person(&mut tx, &id, identity::Except::Nothing).await?),
            None => None,
        };
        let attached = existing.is_some();
        let person_id = match existing {
            Some(p) if may_attach_account(&p.ties, new.role, new.scope.as_deref()) => {
                attach_to_person(&mut tx, &p, new, municipality, actor).await?;
                p.id
            }
            Some(_) => {
                return Err(StoreError::Conflict(format!(
                    "an account or person with e-mail {email} already exists"
                )));
            }
            None => insert_person(&mut tx, &new.name, Some(&email), kind.as_str(), municipality, actor).await?,
        };
        let id = new_id("u");
        sqlx::query("INSERT INTO users (id, person_id, role, scope, password_hash, disabled, created_at) VALUES ($1, $2, $3, $4, NULL, 0, $5)")
            .bind(&id)
            .bind(&person_id)
            .bind(new.role.as_str())
            .bind(&new.scope)
            .bind(now_unix())
            .execute(&mut *tx)
            .await?;
        let mut after = json!({"role": new.role.as_str(), "scope": new.scope});
        if attached {
            after["existing_person"] = json!(true);
        }
        audit_in(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::User,
            &id,
            Some(&person_id),
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        self.users_where("WHERE u.id = $1", Some(&id))
            .await?
            .pop()
            .ok_or_else(|| corrupt("users", "created user not found"))
    }

    pub(crate) async fn set_user_disabled_impl(
        &self,
        user_id: &str,
        disabled: bool,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT person_id, disabled FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else { return Ok(false) };
        let person: String = row.try_get(0)?;
        let was: i64 = row.try_get(1)?;
        sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let mut after = json!({"disabled": disabled});
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            // Its password links die with it; enabling the account again does not revive them.
            after["password_links_voided"] = json!(void_password_links_in(&mut tx, user_id).await?);
        }
        audit_in(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::User,
            user_id,
            Some(&person),
            Some(&json!({"disabled": was != 0})),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub(crate) async fn create_password_reset_impl(
        &self,
        user_id: &str,
        token_hash: &str,
        expires_at: i64,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let person = existing_person_of_user(&mut tx, user_id).await?;
        sqlx::query(
            "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now_unix())
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::PasswordLink,
            user_id,
            Some(&person),
            None,
            Some(&json!({"expires_at": expires_at})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn password_reset_user_impl(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<UserRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(self
                .users_where("WHERE u.id = $1", Some(&r.try_get::<String, _>(0)?))
                .await?
                .pop()
                .filter(|u| !u.disabled)),
            None => Ok(None),
        }
    }

    pub(crate) async fn use_password_reset_impl(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(false) };
        let user_id: String = row.try_get(0)?;
        sqlx::query("UPDATE password_resets SET used_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
        set_password_in(&mut tx, &user_id, password_hash, &Actor::user(&user_id)).await?;
        // A new password ends every existing session of the account.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(&user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub(crate) async fn create_api_token_impl(
        &self,
        user_id: &str,
        token_id: &str,
        name: &str,
        token_hash: &str,
        expires_at: i64,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let person = existing_person_of_user(&mut tx, user_id).await?;
        sqlx::query("INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(token_id)
            .bind(user_id)
            .bind(name)
            .bind(token_hash)
            .bind(now_unix())
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::ApiToken,
            token_id,
            Some(&person),
            None,
            Some(&json!({"name": name, "expires_at": expires_at})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn api_tokens_impl(&self, user_id: &str) -> Result<Vec<TokenRecord>, StoreError> {
        let rows = sqlx::query("SELECT id, name, created_at, expires_at, revoked_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(token_from).collect()
    }

    pub(crate) async fn user_for_token_impl(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<UserRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT id, user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let (token_id, user_id): (String, String) = (row.try_get(0)?, row.try_get(1)?);
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&token_id)
            .execute(&self.pool)
            .await?;
        Ok(self
            .users_where("WHERE u.id = $1", Some(&user_id))
            .await?
            .pop()
            .filter(|u| !u.disabled))
    }

    pub(crate) async fn revoke_api_token_impl(
        &self,
        user_id: &str,
        token_id: &str,
        now: i64,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done =
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
                .bind(now)
                .bind(token_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        let person: Option<String> = person_of_user(&mut tx, user_id).await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::ApiToken,
            token_id,
            person.as_deref(),
            None,
            Some(&json!({"revoked_at": now})),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub(crate) async fn audit_since_impl(&self, since: i64, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
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
                    person_id: r.try_get("person_id")?,
                    before: r.try_get("before_json")?,
                    after: r.try_get("after_json")?,
                    redacted: r.try_get::<i64, _>("redacted")? != 0,
                })
            })
            .collect()
    }

    pub(crate) async fn export_person_impl(&self, person_id: &str, actor: &Actor) -> Result<Option<Value>, StoreError> {
        let Some(p) = sqlx::query(
            "SELECT id, name, email, phone, kind, municipality_code, last_period_end, created_at, updated_at FROM persons WHERE id = $1",
        )
        .bind(person_id)
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
        let users = self.users_where("WHERE u.person_id = $1", Some(person_id)).await?;
        let mut accounts = Vec::new();
        for u in &users {
            let tokens = self.api_tokens_impl(&u.id).await?;
            let sessions: i64 = sqlx::query("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
                .bind(&u.id)
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
                .bind(person_id)
                .fetch_all(&self.pool)
                .await?;
            let ids: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
            let all = self.audit_since_impl(0, i64::MAX).await?;
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

    pub(crate) async fn erase_person_impl(
        &self,
        person_id: &str,
        reason: &str,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT kind, email FROM persons WHERE id = $1")
            .bind(person_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else { return Ok(false) };
        let kind: String = row.try_get(0)?;
        let email: Option<String> = row.try_get(1)?;
        let user_ids: Vec<String> = sqlx::query("SELECT id FROM users WHERE person_id = $1")
            .bind(person_id)
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
            .bind(person_id)
            .execute(&mut *tx)
            .await?;
        // The audit log keeps who did what and when, but no longer the erased values.
        sqlx::query("UPDATE audit_log SET before_json = NULL, after_json = NULL, redacted = 1 WHERE person_id = $1")
            .bind(person_id)
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

    pub(crate) async fn set_last_period_end_impl(
        &self,
        person_id: &str,
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
            .bind(person_id)
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

    pub(crate) async fn update_learning_centre_services_impl(
        &self,
        s: &LearningCentreServices,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        if s.study_places < 0 || s.video_rooms < 0 {
            return Err(StoreError::Invalid(
                "study_places and video_rooms must be 0 or more".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        let exists = sqlx::query("SELECT 1 FROM learning_centres WHERE id = $1")
            .bind(&s.learning_centre_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Ok(false);
        }
        let before = sqlx::query("SELECT study_places, exam_sittings, video_rooms, study_guidance, demo FROM learning_centre_services WHERE learning_centre_id = $1")
            .bind(&s.learning_centre_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| {
                json!({
                    "study_places": r.get::<i64, _>(0), "exam_sittings": r.get::<i64, _>(1) != 0,
                    "video_rooms": r.get::<i64, _>(2), "study_guidance": r.get::<i64, _>(3) != 0, "demo": r.get::<i64, _>(4) != 0,
                })
            });
        sqlx::query(
            "INSERT INTO learning_centre_services (learning_centre_id, study_places, exam_sittings, video_rooms, study_guidance, demo)
             VALUES ($1, $2, $3, $4, $5, 0)
             ON CONFLICT (learning_centre_id) DO UPDATE SET study_places = excluded.study_places, exam_sittings = excluded.exam_sittings,
               video_rooms = excluded.video_rooms, study_guidance = excluded.study_guidance, demo = 0",
        )
        .bind(&s.learning_centre_id)
        .bind(s.study_places)
        .bind(i64::from(s.exam_sittings))
        .bind(s.video_rooms)
        .bind(i64::from(s.study_guidance))
        .execute(&mut *tx)
        .await?;
        let after = json!({"study_places": s.study_places, "exam_sittings": s.exam_sittings, "video_rooms": s.video_rooms, "study_guidance": s.study_guidance, "demo": false});
        audit_in(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::LearningCentreServices,
            &s.learning_centre_id,
            None,
            before.as_ref(),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub(crate) async fn dump_all_text_impl(&self) -> Result<Vec<(String, String)>, StoreError> {
        let tables_sql = match self.backend {
            Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            Backend::Postgres => "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name",
        };
        let tables: Vec<String> = sqlx::query(tables_sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut out = Vec::new();
        // sqlx's own bookkeeping (migration checksums as binary) holds no data of ours.
        for t in tables.into_iter().filter(|t| !t.starts_with("_sqlx")) {
            let cols_sql = match self.backend {
                Backend::Sqlite => format!("SELECT name FROM pragma_table_info('{t}')"),
                Backend::Postgres => format!(
                    "SELECT CAST(column_name AS TEXT) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{t}' ORDER BY ordinal_position"
                ),
            };
            let cols: Vec<String> = sqlx::query(&cols_sql)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| r.get(0))
                .collect();
            if cols.is_empty() {
                continue;
            }
            let concat = cols
                .iter()
                .map(|c| format!("COALESCE(CAST(\"{c}\" AS TEXT), '')"))
                .collect::<Vec<_>>()
                .join(" || '|' || ");
            let rows = sqlx::query(&format!("SELECT {concat} FROM \"{t}\""))
                .fetch_all(&self.pool)
                .await?;
            for r in rows {
                out.push((t.clone(), r.try_get::<String, _>(0)?));
            }
        }
        Ok(out)
    }
}
