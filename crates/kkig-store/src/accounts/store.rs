//! [`AccountStore`]: accounts, passwords and password links, sign-in throttling and API tokens,
//! implemented by [`SqlStore`] (row helpers in `sql`, who a person is in `identity`).

use async_trait::async_trait;
use kkig_core::access::Role;
use kkig_core::ids::{PersonId, UserId};
use kkig_core::privacy::{
    sign_in_gate, RecentFailures, SignInGate, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS,
    MAX_FAILURES_PER_ADDRESS, THROTTLE_WINDOW_SECS,
};
use kkig_core::vfu::identity::{may_attach_account, PersonKind};
use kkig_core::Kommunkod;
use serde_json::json;
use sqlx::{Any, Row, Transaction};

use crate::accounts::identity;
use crate::accounts::sql::{
    attach_to_person, existing_person_of_user, insert_person, new_id, normalize_email, person_of_user, set_password_in,
    token_from, void_password_links_in,
};
use crate::db::audit::{audit_in, AuditAction, AuditEntity};
use crate::db::error::StoreError;
use crate::db::{corrupt, now_unix, SqlStore};
use crate::{Actor, NewUser, SignInAttempt, SignInFailure, SignInStart, TokenRecord, UserRecord};

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

    async fn user_by_id(&self, id: &UserId) -> Result<Option<UserRecord>, StoreError>;

    /// Disable or enable an account (audited); disabling ends its sessions. False if no such user.
    async fn set_user_disabled(&self, user_id: &UserId, disabled: bool, actor: &Actor) -> Result<bool, StoreError>;

    /// Store a new password hash (audited, without the hash).
    async fn set_password_hash(&self, user_id: &UserId, hash: &str, actor: &Actor) -> Result<(), StoreError>;

    /// Record a one-time password link (only its hash), valid until `expires_at`.
    async fn create_password_reset(
        &self,
        user_id: &UserId,
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
        user_id: &UserId,
        token_id: &str,
        name: &str,
        token_hash: &str,
        expires_at: i64,
        actor: &Actor,
    ) -> Result<(), StoreError>;

    async fn api_tokens(&self, user_id: &UserId) -> Result<Vec<TokenRecord>, StoreError>;

    /// The enabled user of an unrevoked, unexpired token; notes when it was used.
    async fn user_for_token(&self, token_hash: &str, now: i64) -> Result<Option<UserRecord>, StoreError>;

    /// Revoke one of the user's tokens (audited). False when the user has no such live token.
    async fn revoke_api_token(
        &self,
        user_id: &UserId,
        token_id: &str,
        now: i64,
        actor: &Actor,
    ) -> Result<bool, StoreError>;
}

#[async_trait]
impl AccountStore for SqlStore {
    async fn create_user(&self, new: &NewUser, actor: &Actor) -> Result<UserRecord, StoreError> {
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
        let id = UserId::new(new_id("u"));
        sqlx::query("INSERT INTO users (id, person_id, role, scope, password_hash, disabled, created_at) VALUES ($1, $2, $3, $4, NULL, 0, $5)")
            .bind(id.as_str())
            .bind(person_id.as_str())
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
        self.users_where("WHERE u.id = $1", Some(id.as_str()))
            .await?
            .pop()
            .ok_or_else(|| corrupt("users", "created user not found"))
    }

    async fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        self.users_where("", None).await
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, StoreError> {
        Ok(self
            .users_where("WHERE p.email = $1", Some(&normalize_email(email)))
            .await?
            .pop())
    }

    async fn user_by_id(&self, id: &UserId) -> Result<Option<UserRecord>, StoreError> {
        Ok(self.users_where("WHERE u.id = $1", Some(id.as_str())).await?.pop())
    }

    async fn set_user_disabled(&self, user_id: &UserId, disabled: bool, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT person_id, disabled FROM users WHERE id = $1")
            .bind(user_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else { return Ok(false) };
        let person = PersonId::new(row.try_get::<String, _>(0)?);
        let was: i64 = row.try_get(1)?;
        sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(user_id.as_str())
            .execute(&mut *tx)
            .await?;
        let mut after = json!({"disabled": disabled});
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id.as_str())
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

    async fn set_password_hash(&self, user_id: &UserId, hash: &str, actor: &Actor) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        set_password_in(&mut tx, user_id, hash, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_password_reset(
        &self,
        user_id: &UserId,
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
        .bind(user_id.as_str())
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

    async fn password_reset_user(&self, token_hash: &str, now: i64) -> Result<Option<UserRecord>, StoreError> {
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

    async fn use_password_reset(&self, token_hash: &str, password_hash: &str, now: i64) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(false) };
        let user_id = UserId::new(row.try_get::<String, _>(0)?);
        sqlx::query("UPDATE password_resets SET used_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
        set_password_in(&mut tx, &user_id, password_hash, &Actor::user(&user_id)).await?;
        // A new password ends every existing session of the account.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    // Sign-in throttling: each attempt is checked and counted in one write transaction.
    //
    // Attempts for one account are serialised: SQLite's write transactions begin `IMMEDIATE` and
    // hold the database's write lock; on PostgreSQL the transaction first upserts the account's
    // row in `sign_in_locks`, which locks that row until commit (an upsert of a row another
    // transaction holds, or is inserting, waits for that transaction), and the counts after it see
    // every attempt committed before (READ COMMITTED: each statement takes a new snapshot). A row
    // lock rather than an advisory lock, because it works the same on both backends and through
    // the `Any` driver, and because its key is the account name itself (no hash collisions).
    async fn begin_sign_in(&self, account: &str, address: &str, now: i64) -> Result<SignInStart, StoreError> {
        let since = now - THROTTLE_WINDOW_SECS;
        let mut tx = self.begin_write_unversioned().await?;
        // Attempts for this account wait here for each other (see above).
        sqlx::query(
            "INSERT INTO sign_in_locks (account, at) VALUES ($1, $2)
             ON CONFLICT (account) DO UPDATE SET at = excluded.at",
        )
        .bind(account)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let pair = newest(
            &mut tx,
            "account = $1 AND address = $2",
            &[account, address],
            since,
            MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS,
        )
        .await?;
        let all = newest(&mut tx, "account = $1", &[account], since, MAX_FAILURES_PER_ACCOUNT).await?;
        let from_address = newest(&mut tx, "address = $1", &[address], since, MAX_FAILURES_PER_ADDRESS).await?;
        let failures = RecentFailures {
            account_and_address: &pair,
            account: &all,
            address: &from_address,
        };
        let start = match sign_in_gate(&failures, now) {
            // A refusal checks no password and so is no failure: nothing to record.
            SignInGate::Refuse { retry_after } => SignInStart::Refused { retry_after },
            SignInGate::Check { address_limited } => {
                let id = new_id("f");
                sqlx::query("INSERT INTO sign_in_failures (id, account, address, at) VALUES ($1, $2, $3, $4)")
                    .bind(&id)
                    .bind(account)
                    .bind(address)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                SignInStart::Check(SignInAttempt {
                    id,
                    account: account.to_string(),
                    address: address.to_string(),
                    address_limited,
                })
            }
        };
        tx.commit().await?;
        Ok(start)
    }

    async fn sign_in_succeeded(&self, attempt: &SignInAttempt) -> Result<(), StoreError> {
        // The attempt itself and this account's earlier failures from this address (the
        // user's own typing mistakes); failures from elsewhere keep counting towards the cap.
        sqlx::query("DELETE FROM sign_in_failures WHERE id = $1 OR (account = $2 AND address = $3)")
            .bind(&attempt.id)
            .bind(&attempt.account)
            .bind(&attempt.address)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn sign_in_failures(&self, account: &str, since: i64) -> Result<Vec<SignInFailure>, StoreError> {
        let rows = sqlx::query(
            "SELECT account, address, at FROM sign_in_failures WHERE account = $1 AND at >= $2 ORDER BY at, id",
        )
        .bind(account)
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SignInFailure {
                    account: r.try_get(0)?,
                    address: r.try_get(1)?,
                    at: r.try_get(2)?,
                })
            })
            .collect()
    }

    async fn purge_sign_in_failures(&self, before: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM sign_in_failures WHERE at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        sqlx::query("DELETE FROM sign_in_locks WHERE at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    async fn create_api_token(
        &self,
        user_id: &UserId,
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
            .bind(user_id.as_str())
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

    async fn api_tokens(&self, user_id: &UserId) -> Result<Vec<TokenRecord>, StoreError> {
        let rows = sqlx::query("SELECT id, name, created_at, expires_at, revoked_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id")
            .bind(user_id.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(token_from).collect()
    }

    async fn user_for_token(&self, token_hash: &str, now: i64) -> Result<Option<UserRecord>, StoreError> {
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

    async fn revoke_api_token(
        &self,
        user_id: &UserId,
        token_id: &str,
        now: i64,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done =
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
                .bind(now)
                .bind(token_id)
                .bind(user_id.as_str())
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        let person: Option<PersonId> = person_of_user(&mut tx, user_id).await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::ApiToken,
            token_id,
            person.as_ref(),
            None,
            Some(&json!({"revoked_at": now})),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// The times of the newest `limit` failures matching `clause` (binds: $1, [$2], then since):
/// the throttle rule needs no more than that many.
async fn newest(
    tx: &mut Transaction<'static, Any>,
    clause: &str,
    args: &[&str],
    since: i64,
    limit: usize,
) -> Result<Vec<i64>, StoreError> {
    let n = args.len() + 1;
    let sql = format!("SELECT at FROM sign_in_failures WHERE {clause} AND at >= ${n} ORDER BY at DESC LIMIT {limit}");
    let mut q = sqlx::query(&sql);
    for a in args {
        q = q.bind(*a);
    }
    let rows = q.bind(since).fetch_all(&mut **tx).await?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}
