//! [`DbStore`]: what the rest of kkig asks of the database itself — which backend, whether it
//! answers and is fit to serve this binary ([`Readiness`]: exactly its migrations and the
//! reference data, from two small queries for `/health`, which load balancers ask often), the
//! data version, every table as text, closing.

use async_trait::async_trait;
use sqlx::Row;

use crate::db::error::StoreError;
use crate::db::url::Backend;
use crate::db::{SqlStore, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

/// The reference tables that must not be empty.
const REFERENCE_TABLES: [&str; 3] = ["municipalities", "universities", "occupations"];

/// Whether a database that answers is fit to serve this binary (see [`Store::readiness`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    /// The applied migrations are not exactly this binary's: `missing` are its versions not
    /// applied (or failed, or applied with other contents), `unknown` applied versions it does
    /// not know (a newer kkig migrated the database).
    Migrations {
        missing: Vec<i64>,
        unknown: Vec<i64>,
    },
    /// Reference tables without rows (the reference data was never seeded).
    ReferenceData {
        empty: Vec<&'static str>,
    },
}

/// The database itself: which backend, whether it answers and is fit to serve, the data
/// version, and closing.
#[async_trait]
pub trait DbStore: Send + Sync {
    fn backend(&self) -> Backend;

    /// Succeeds when the database answers a query.
    async fn health(&self) -> Result<(), StoreError>;

    /// Whether the applied migrations are exactly this binary's and the reference data is
    /// there, from at most two small queries (for `/health`). Err when the database does not
    /// answer at all.
    async fn readiness(&self) -> Result<Readiness, StoreError>;

    /// A counter bumped by every committed write transaction except sign-in bookkeeping and
    /// sessions: pages computed from many rows are kept per data version.
    async fn data_version(&self) -> Result<i64, StoreError>;

    /// Every table and its rows as text, for the privacy test that scans the whole database.
    async fn dump_all_text(&self) -> Result<Vec<(String, String)>, StoreError>;

    /// Close the connection pool; later calls fail.
    async fn close(&self);
}

#[async_trait]
impl DbStore for SqlStore {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn health(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").fetch_one(&self.pool).await?;
        Ok(())
    }

    async fn readiness(&self) -> Result<Readiness, StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        let sql = "SELECT version, checksum, CAST(CASE WHEN success THEN 1 ELSE 0 END AS BIGINT) FROM _sqlx_migrations";
        let rows = match sqlx::query(sql).fetch_all(&self.pool).await {
            Ok(rows) => rows,
            // The database answered, with an error: no bookkeeping table, never migrated.
            Err(sqlx::Error::Database(e)) => {
                tracing::debug!(error = %e, "no migrations table");
                Vec::new()
            }
            Err(e) => return Err(e.into()),
        };
        let mut applied = Vec::with_capacity(rows.len());
        for r in &rows {
            let version: i64 = r.try_get(0)?;
            let checksum: Vec<u8> = r.try_get(1)?;
            let success: i64 = r.try_get(2)?;
            applied.push((version, checksum, success == 1));
        }
        let ours: Vec<_> = migrator
            .iter()
            .filter(|m| !m.migration_type.is_down_migration())
            .collect();
        let missing: Vec<i64> = ours
            .iter()
            .filter(|m| {
                !applied
                    .iter()
                    .any(|(v, c, ok)| *v == m.version && *ok && c[..] == m.checksum[..])
            })
            .map(|m| m.version)
            .collect();
        let mut unknown: Vec<i64> = applied
            .iter()
            .map(|(v, _, _)| *v)
            .filter(|v| !ours.iter().any(|m| m.version == *v))
            .collect();
        unknown.sort_unstable();
        if !missing.is_empty() || !unknown.is_empty() {
            return Ok(Readiness::Migrations { missing, unknown });
        }
        let counts = REFERENCE_TABLES
            .map(|t| format!("(SELECT COUNT(*) FROM {t})"))
            .join(", ");
        let row = sqlx::query(&format!("SELECT {counts}")).fetch_one(&self.pool).await?;
        let mut empty = Vec::new();
        for (i, table) in REFERENCE_TABLES.iter().enumerate() {
            if row.try_get::<i64, _>(i)? == 0 {
                empty.push(*table);
            }
        }
        Ok(if empty.is_empty() {
            Readiness::Ready
        } else {
            Readiness::ReferenceData { empty }
        })
    }

    async fn data_version(&self) -> Result<i64, StoreError> {
        let v = self.meta("data_version").await?;
        Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    async fn dump_all_text(&self) -> Result<Vec<(String, String)>, StoreError> {
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

    async fn close(&self) {
        self.pool.close().await;
    }
}
