//! Whether the database is fit to serve this binary: exactly its migrations, and the
//! reference data. Two small queries, for `/health` (which load balancers ask often).

use sqlx::Row;

use crate::db::url::Backend;
use crate::db::{SqlStore, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
use crate::{Readiness, StoreError};

/// The reference tables that must not be empty.
const REFERENCE_TABLES: [&str; 3] = ["municipalities", "universities", "occupations"];

impl SqlStore {
    pub(crate) async fn readiness_impl(&self) -> Result<Readiness, StoreError> {
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
}
