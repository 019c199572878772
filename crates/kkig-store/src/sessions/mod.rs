//! Web sessions in the database, so that any number of web nodes can serve them.

use async_trait::async_trait;
use kkig_core::ids::UserId;
use sqlx::Row;

use crate::db::error::StoreError;

use crate::db::*;

/// A stored web session: the serialized record and its expiry (unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub data: String,
    pub expiry_unix: i64,
    /// The signed-in user of the session, so that a user's sessions can be ended.
    pub user_id: Option<UserId>,
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
    async fn delete_user_sessions(&self, user_id: &UserId) -> Result<u64, StoreError>;
}

#[async_trait]
impl SessionStore for SqlStore {
    async fn session_load(&self, id: &str) -> Result<Option<SessionRow>, StoreError> {
        let row = sqlx::query("SELECT data, expiry_unix, user_id FROM sessions WHERE id = $1 AND expiry_unix > $2")
            .bind(id)
            .bind(now_unix())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(SessionRow {
                data: r.try_get("data")?,
                expiry_unix: r.try_get("expiry_unix")?,
                user_id: opt_id_at(&r, "user_id")?,
            })
        })
        .transpose()
    }

    async fn session_create(&self, id: &str, row: &SessionRow) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO sessions (id, data, expiry_unix, user_id) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(&row.data)
        .bind(row.expiry_unix)
        .bind(row.user_id.as_ref().map(UserId::as_str))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn session_save(&self, id: &str, row: &SessionRow) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (id, data, expiry_unix, user_id) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expiry_unix = excluded.expiry_unix, user_id = excluded.user_id",
        )
        .bind(id)
        .bind(&row.data)
        .bind(row.expiry_unix)
        .bind(row.user_id.as_ref().map(UserId::as_str))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn session_delete(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn session_delete_expired(&self, now: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE expiry_unix <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    async fn delete_user_sessions(&self, user_id: &UserId) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id.as_str())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
