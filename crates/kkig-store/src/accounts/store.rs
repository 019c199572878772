//! [`AccountStore`]: accounts, passwords and password links, sign-in throttling and API tokens,
//! implemented by [`SqlStore`] with the SQL in `sql`, `signin` and `identity`.

use async_trait::async_trait;

use crate::accounts::sql::{normalize_email, set_password_in};
use crate::db::error::StoreError;

use crate::db::*;
use crate::*;

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

#[async_trait]
impl AccountStore for SqlStore {
    async fn create_user(&self, new: &NewUser, actor: &Actor) -> Result<UserRecord, StoreError> {
        self.create_user_impl(new, actor).await
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

    async fn user_by_id(&self, id: &str) -> Result<Option<UserRecord>, StoreError> {
        Ok(self.users_where("WHERE u.id = $1", Some(id)).await?.pop())
    }

    async fn set_user_disabled(&self, user_id: &str, disabled: bool, actor: &Actor) -> Result<bool, StoreError> {
        self.set_user_disabled_impl(user_id, disabled, actor).await
    }

    async fn set_password_hash(&self, user_id: &str, hash: &str, actor: &Actor) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        set_password_in(&mut tx, user_id, hash, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_password_reset(
        &self,
        user_id: &str,
        token_hash: &str,
        expires_at: i64,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        self.create_password_reset_impl(user_id, token_hash, expires_at, actor)
            .await
    }

    async fn password_reset_user(&self, token_hash: &str, now: i64) -> Result<Option<UserRecord>, StoreError> {
        self.password_reset_user_impl(token_hash, now).await
    }

    async fn use_password_reset(&self, token_hash: &str, password_hash: &str, now: i64) -> Result<bool, StoreError> {
        self.use_password_reset_impl(token_hash, password_hash, now).await
    }

    async fn begin_sign_in(&self, account: &str, address: &str, now: i64) -> Result<SignInStart, StoreError> {
        self.begin_sign_in_impl(account, address, now).await
    }

    async fn sign_in_succeeded(&self, attempt: &SignInAttempt) -> Result<(), StoreError> {
        self.sign_in_succeeded_impl(attempt).await
    }

    async fn sign_in_failures(&self, account: &str, since: i64) -> Result<Vec<SignInFailure>, StoreError> {
        self.sign_in_failures_impl(account, since).await
    }

    async fn purge_sign_in_failures(&self, before: i64) -> Result<u64, StoreError> {
        self.purge_sign_in_failures_impl(before).await
    }

    async fn create_api_token(
        &self,
        user_id: &str,
        token_id: &str,
        name: &str,
        token_hash: &str,
        expires_at: i64,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        self.create_api_token_impl(user_id, token_id, name, token_hash, expires_at, actor)
            .await
    }

    async fn api_tokens(&self, user_id: &str) -> Result<Vec<TokenRecord>, StoreError> {
        self.api_tokens_impl(user_id).await
    }

    async fn user_for_token(&self, token_hash: &str, now: i64) -> Result<Option<UserRecord>, StoreError> {
        self.user_for_token_impl(token_hash, now).await
    }

    async fn revoke_api_token(
        &self,
        user_id: &str,
        token_id: &str,
        now: i64,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        self.revoke_api_token_impl(user_id, token_id, now, actor).await
    }
}
