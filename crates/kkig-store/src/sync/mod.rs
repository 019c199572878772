//! SQL of `kkig sync`: the last run of each source (offerings, kolada, population) and the runs
//! in progress, so an operator can see when data last arrived, why a run failed and what a
//! running one is doing (written by `kkig sync` and by the schedule inside `kkig serve`, read by
//! `kkig sync status` and the administration's sync page).

use async_trait::async_trait;
use sqlx::Row;

use crate::db::error::StoreError;
use crate::db::SqlStore;

/// The last run of one source.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SyncRun {
    /// `offerings`, `kolada` or `population`.
    pub source: String,
    /// Unix seconds.
    pub started_at: i64,
    pub finished_at: i64,
    pub ok: bool,
    /// What the run did ("7 created, …") or why it failed.
    pub summary: String,
    /// When the source last synced successfully (this run's end when `ok`).
    pub last_ok_at: Option<i64>,
}

/// A run in progress: what it last said it was doing, and when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SyncProgress {
    pub source: String,
    /// Unix seconds.
    pub started_at: i64,
    /// When the run last reported (unix seconds): a run that stopped reporting long ago may have
    /// died without finishing.
    pub updated_at: i64,
    /// E.g. "educationEvents page 3 of 12: 500 records".
    pub progress: String,
}

/// The record of sync runs.
#[async_trait]
pub trait SyncStore: Send + Sync {
    /// Record a finished run of `run.source`, replacing the previous one; a failed run keeps the
    /// time of the last successful one (`last_ok_at` of `run` is ignored).
    async fn record_sync(&self, run: &SyncRun) -> Result<(), StoreError>;

    /// The last run of every source, by source.
    async fn sync_runs(&self) -> Result<Vec<SyncRun>, StoreError>;

    /// A run of `p.source` is in progress: start it or say what it does now (replacing what it
    /// said before). [`SyncStore::record_sync`] of the same source ends it.
    async fn sync_progress(&self, p: &SyncProgress) -> Result<(), StoreError>;

    /// The runs in progress, by source.
    async fn syncs_running(&self) -> Result<Vec<SyncProgress>, StoreError>;
}

#[async_trait]
impl SyncStore for SqlStore {
    async fn record_sync(&self, run: &SyncRun) -> Result<(), StoreError> {
        // Bookkeeping of the operator's, not data any page computes from.
        let mut tx = self.begin_write_unversioned().await?;
        let last_ok: Option<i64> = if run.ok {
            Some(run.finished_at)
        } else {
            sqlx::query("SELECT last_ok_at FROM sync_runs WHERE source = $1")
                .bind(&run.source)
                .fetch_optional(&mut *tx)
                .await?
                .and_then(|r| r.try_get::<Option<i64>, _>(0).ok().flatten())
        };
        sqlx::query(
            "INSERT INTO sync_runs (source, started_at, finished_at, ok, summary, last_ok_at) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (source) DO UPDATE SET started_at = excluded.started_at, finished_at = excluded.finished_at,
               ok = excluded.ok, summary = excluded.summary, last_ok_at = excluded.last_ok_at",
        )
        .bind(&run.source)
        .bind(run.started_at)
        .bind(run.finished_at)
        .bind(i64::from(run.ok))
        .bind(&run.summary)
        .bind(last_ok)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sync_progress WHERE source = $1")
            .bind(&run.source)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn sync_progress(&self, p: &SyncProgress) -> Result<(), StoreError> {
        let mut tx = self.begin_write_unversioned().await?;
        sqlx::query(
            "INSERT INTO sync_progress (source, started_at, updated_at, progress) VALUES ($1, $2, $3, $4)
             ON CONFLICT (source) DO UPDATE SET started_at = excluded.started_at, updated_at = excluded.updated_at,
               progress = excluded.progress",
        )
        .bind(&p.source)
        .bind(p.started_at)
        .bind(p.updated_at)
        .bind(&p.progress)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn syncs_running(&self) -> Result<Vec<SyncProgress>, StoreError> {
        let rows = sqlx::query("SELECT source, started_at, updated_at, progress FROM sync_progress ORDER BY source")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(SyncProgress {
                    source: r.try_get("source")?,
                    started_at: r.try_get("started_at")?,
                    updated_at: r.try_get("updated_at")?,
                    progress: r.try_get("progress")?,
                })
            })
            .collect()
    }

    async fn sync_runs(&self) -> Result<Vec<SyncRun>, StoreError> {
        let rows = sqlx::query(
            "SELECT source, started_at, finished_at, ok, summary, last_ok_at FROM sync_runs ORDER BY source",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SyncRun {
                    source: r.try_get("source")?,
                    started_at: r.try_get("started_at")?,
                    finished_at: r.try_get("finished_at")?,
                    ok: r.try_get::<i64, _>("ok")? != 0,
                    summary: r.try_get("summary")?,
                    last_ok_at: r.try_get("last_ok_at")?,
                })
            })
            .collect()
    }
}
