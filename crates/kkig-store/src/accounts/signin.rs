//! SQL of sign-in throttling: each attempt is checked and counted in one write transaction.
//!
//! Attempts for one account are serialised: SQLite's write transactions begin `IMMEDIATE` and
//! hold the database's write lock; on PostgreSQL the transaction first upserts the account's
//! row in `sign_in_locks`, which locks that row until commit (an upsert of a row another
//! transaction holds, or is inserting, waits for that transaction), and the counts after it see
//! every attempt committed before (READ COMMITTED: each statement takes a new snapshot). A row
//! lock rather than an advisory lock, because it works the same on both backends and through
//! the `Any` driver, and because its key is the account name itself (no hash collisions).

use kkig_core::privacy::{
    sign_in_gate, RecentFailures, SignInGate, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS,
    MAX_FAILURES_PER_ADDRESS, THROTTLE_WINDOW_SECS,
};
use sqlx::{Any, Row, Transaction};

use crate::accounts::sql::new_id;
use crate::db::SqlStore;
use crate::{SignInAttempt, SignInFailure, SignInStart, StoreError};

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

impl SqlStore {
    pub(crate) async fn begin_sign_in_impl(
        &self,
        account: &str,
        address: &str,
        now: i64,
    ) -> Result<SignInStart, StoreError> {
        let since = now - THROTTLE_WINDOW_SECS;
        let mut tx = self.begin_write_unversioned().await?;
        // Attempts for this account wait here for each other (see the module's comment).
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

    pub(crate) async fn sign_in_succeeded_impl(&self, attempt: &SignInAttempt) -> Result<(), StoreError> {
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

    pub(crate) async fn sign_in_failures_impl(
        &self,
        account: &str,
        since: i64,
    ) -> Result<Vec<SignInFailure>, StoreError> {
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

    pub(crate) async fn purge_sign_in_failures_impl(&self, before: i64) -> Result<u64, StoreError> {
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
}
