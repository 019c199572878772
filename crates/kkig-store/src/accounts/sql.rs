//! Rows of accounts: persons (`insert_person`, also for the VFU registry), users, API tokens and
//! password links, read and written inside the transactions of `store` and `crate::privacy`.

use kkig_core::access::Role;
use kkig_core::ids::{PersonId, UserId};
use kkig_core::vfu::identity::PersonKind;
use kkig_core::Kommunkod;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::accounts::identity;
use crate::db::audit::{audit_in, AuditAction, AuditEntity};
use crate::db::{corrupt, id_at, now_unix, SqlStore};
use crate::{Actor, NewUser, StoreError, TokenRecord, UserRecord};

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
) -> Result<PersonId, StoreError> {
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
    let id = PersonId::new(new_id("p"));
    let now = now_unix();
    sqlx::query(
        "INSERT INTO persons (id, name, email, kind, municipality_code, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(id.as_str())
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
pub(crate) async fn person_of_user(
    tx: &mut Transaction<'static, Any>,
    user_id: &UserId,
) -> Result<Option<PersonId>, StoreError> {
    Ok(sqlx::query("SELECT person_id FROM users WHERE id = $1")
        .bind(user_id.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| PersonId::new(r.get::<String, _>(0))))
}

/// The person of a user account that must exist.
pub(crate) async fn existing_person_of_user(
    tx: &mut Transaction<'static, Any>,
    user_id: &UserId,
) -> Result<PersonId, StoreError> {
    person_of_user(tx, user_id)
        .await?
        .ok_or_else(|| StoreError::Invalid(format!("no user {user_id}")))
}

/// Spend every outstanding password link of a user (a new password was set, or the account
/// was disabled): a link is only ever good for the state it was made in. Returns how many.
pub(crate) async fn void_password_links_in(
    tx: &mut Transaction<'static, Any>,
    user_id: &UserId,
) -> Result<u64, StoreError> {
    let done = sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(now_unix())
        .bind(user_id.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Set a user's password hash; every other outstanding link of the account is voided.
pub(crate) async fn set_password_in(
    tx: &mut Transaction<'static, Any>,
    user_id: &UserId,
    hash: &str,
    actor: &Actor,
) -> Result<(), StoreError> {
    let person = existing_person_of_user(tx, user_id).await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(user_id.as_str())
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
        id: id_at(row, "id")?,
        person_id: id_at(row, "person_id")?,
        name: row.try_get("name")?,
        email: row.try_get::<Option<String>, _>("email")?.unwrap_or_default(),
        role: Role::parse(&role).ok_or_else(|| corrupt("role", &role))?,
        scope: row.try_get("scope")?,
        password_hash: row.try_get("password_hash")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        created_at: row.try_get("created_at")?,
    })
}

pub(crate) fn token_from(row: &AnyRow) -> Result<TokenRecord, StoreError> {
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
pub(crate) async fn attach_to_person(
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
        .bind(p.id.as_str())
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
}
