//! The database: one [`SqlStore`] over sqlx's `Any` driver for SQLite and PostgreSQL —
//! connection, migrations, write transactions (each bumps the data version), row helpers
//! (`NullableF64`, kommunkod, municipality rows); errors (`error`), URLs (`url`) and
//! [`DbStore`] with readiness (`store`) beside it.

pub(crate) mod audit;
pub(crate) mod error;
pub(crate) mod parts;
mod store;
pub(crate) mod url;

pub use store::{DbStore, Readiness};

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kkig_core::{Kommunkod, Municipality, MunicipalityRole, Position};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor, Row};

use crate::db::error::StoreError;
use crate::db::url::{normalize_database_url, Backend};

pub(crate) static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
pub(crate) static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// The SQL store. Cheap to clone (the pool is shared).
#[derive(Clone, Debug)]
pub struct SqlStore {
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
}

/// A URL fit for messages and logs: the password, if any, replaced by `***`.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..scheme_end + 3], &userinfo[..colon], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

pub(crate) fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl SqlStore {
    /// Open the database at `url` (see [`normalize_database_url`]), creating a SQLite file when
    /// needed, and apply the backend's migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(url, true).await
    }

    /// Open without migrating (for `kkig migrate` to report separately, and for tests).
    pub async fn connect_with(url: &str, migrate: bool) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let (backend, full) = normalize_database_url(url)?;
        let shown = redact(url);
        let is_sqlite = backend == Backend::Sqlite;
        let pool = AnyPoolOptions::new()
            .max_connections(if is_sqlite { 8 } else { 16 })
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if is_sqlite {
                        // Two processes on one file must wait for each other, never fail or
                        // corrupt: WAL lets readers and one writer work side by side, and the
                        // busy timeout makes a second writer wait its turn.
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                    }
                    Ok(())
                })
            })
            .connect(&full)
            .await
            .map_err(|source| StoreError::Connect {
                url: shown.clone(),
                source,
            })?;
        if is_sqlite && !full.contains(":memory:") {
            pool.execute("PRAGMA journal_mode = WAL")
                .await
                .map_err(|source| StoreError::Connect {
                    url: shown.clone(),
                    source,
                })?;
        }
        let store = Self { pool, backend };
        if migrate {
            store.migrate().await.map_err(|e| match e {
                StoreError::Migrate { source, .. } => StoreError::Migrate {
                    url: shown.clone(),
                    source,
                },
                other => other,
            })?;
        }
        Ok(store)
    }

    /// Apply the migrations of this backend that are not yet applied.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let failed = |source| StoreError::Migrate {
            url: String::new(),
            source,
        };
        match self.backend {
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await.map_err(failed),
            Backend::Sqlite => {
                // SQLite changes a table's constraints by rebuilding the table, which needs
                // foreign keys off while the old table is dropped; they can only be switched
                // outside a transaction, and sqlx runs each migration in one. So the migrations
                // run on one connection with the keys off, and every key is checked afterwards
                // (the procedure of SQLite's documentation for ALTER TABLE).
                let mut conn = self.pool.acquire().await?;
                conn.execute("PRAGMA foreign_keys = OFF").await?;
                let ran = SQLITE_MIGRATIONS.run(&mut *conn).await;
                let dangling = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut *conn).await;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                ran.map_err(failed)?;
                let dangling = dangling?;
                if let Some(row) = dangling.first() {
                    let table: String = row.try_get(0).unwrap_or_default();
                    let parent: String = row.try_get(2).unwrap_or_default();
                    return Err(StoreError::Corrupt(format!(
                        "after migrating, {} row(s) refer to rows that do not exist (first: {table} → {parent})",
                        dangling.len()
                    )));
                }
                Ok(())
            }
        }
    }

    /// The pool, for the store's own tests (e.g. integrity checks).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begin a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a transaction that reads first and writes later could otherwise
    /// fail with "database is locked" when another process wrote in between, because SQLite
    /// cannot wait for a lock while holding an outdated read snapshot.
    ///
    /// Its first statement bumps the data version ([`Store::data_version`]), so every web node
    /// knows that pages computed from the data must be computed again. Other connections see
    /// the new version when the transaction commits, together with the data (a rolled-back
    /// transaction bumps nothing). On PostgreSQL the bump's row lock orders write transactions
    /// one after another, as `BEGIN IMMEDIATE` does on SQLite; kkig's writes are short.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        let mut tx = self.begin_write_unversioned().await?;
        sqlx::query(
            "INSERT INTO kkig_meta (key, value) VALUES ('data_version', '1')
             ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(kkig_meta.value AS BIGINT) + 1 AS TEXT)",
        )
        .execute(&mut *tx)
        .await?;
        Ok(tx)
    }

    /// A write transaction that changes nothing any page computes from (sign-in bookkeeping):
    /// it leaves the data version alone.
    pub(crate) async fn begin_write_unversioned(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    pub(crate) async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT value FROM kkig_meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.get::<String, _>(0)))
    }
}

/// An optional `f64` to bind. sqlx 0.8's Any driver passes a NULL `f64` on to PostgreSQL typed
/// as `float4` (its `AnyArguments::convert_to` swaps Real and Double for NULLs); the statement
/// is prepared with that type and cached on the connection, and the next call on it that binds
/// a number fails with "incorrect binary data format in bind parameter N" — an error that came
/// and went with which pooled connection first saw a NULL. A NULL `f32` reaches PostgreSQL as
/// `float8`, so `None` is bound as that; a number is bound as the `f64` it is. SQLite is not
/// affected (a NULL is a NULL).
pub(crate) struct NullableF64(pub Option<f64>);

impl sqlx::Type<sqlx::Any> for NullableF64 {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <f64 as sqlx::Type<sqlx::Any>>::type_info()
    }
}

impl<'q> sqlx::Encode<'q, sqlx::Any> for NullableF64 {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        match self.0 {
            Some(v) => <f64 as sqlx::Encode<'q, sqlx::Any>>::encode_by_ref(&v, buf),
            None => <Option<f32> as sqlx::Encode<'q, sqlx::Any>>::encode_by_ref(&None, buf),
        }
    }
}

pub(crate) fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

pub(crate) fn position(row: &AnyRow) -> Result<Position, StoreError> {
    Position::new(row.try_get("lat")?, row.try_get("lon")?).map_err(|e| corrupt("position", e))
}

/// A text column read as a typed id (`SiteId`, `PersonId`, … of `kkig_core::ids`, or a plain
/// `String`): the store keeps ids as text, and the id types wrap it.
pub(crate) fn id_at<T: From<String>>(row: &AnyRow, column: &str) -> Result<T, StoreError> {
    Ok(T::from(row.try_get::<String, _>(column)?))
}

/// A nullable text column read as a typed id.
pub(crate) fn opt_id_at<T: From<String>>(row: &AnyRow, column: &str) -> Result<Option<T>, StoreError> {
    Ok(row.try_get::<Option<String>, _>(column)?.map(T::from))
}

pub(crate) fn kommunkod(row: &AnyRow, column: &str) -> Result<Kommunkod, StoreError> {
    let s: String = row.try_get(column)?;
    Kommunkod::parse(&s).map_err(|e| corrupt(column, e))
}

pub(crate) fn municipality_from(row: &AnyRow) -> Result<Municipality, StoreError> {
    let role: String = row.try_get("role")?;
    Ok(Municipality {
        code: kommunkod(row, "code")?,
        name: row.try_get("name")?,
        county_code: row.try_get("county_code")?,
        county_name: row.try_get("county_name")?,
        seat: row.try_get("seat")?,
        position: position(row)?,
        population: row.try_get("population")?,
        population_year: row.try_get::<i64, _>("population_year")? as i32,
        role: MunicipalityRole::parse(&role).ok_or_else(|| corrupt("role", &role))?,
    })
}

pub(crate) const MUNICIPALITY_COLUMNS: &str =
    "code, name, county_code, county_name, seat, lat, lon, population, population_year, role";

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted() {
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(super::redact("sqlite://kkig.db"), "sqlite://kkig.db");
    }
}
