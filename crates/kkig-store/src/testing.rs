//! Fresh databases for tests, on every backend the environment offers.
//!
//! SQLite always (a new file in the temp directory). PostgreSQL too when
//! `KKIG_TEST_DATABASE_URL` names a server (e.g. `postgres://postgres@127.0.0.1:5432/postgres`):
//! each test then gets a database of its own, created through that URL and dropped by
//! [`TestDb::finish`]. With `CI` set, an unreachable PostgreSQL fails the test instead of being
//! skipped, so a CI run cannot pass without having tested PostgreSQL.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::{Connection, Executor};

use crate::db::SqlStore;

use crate::prelude::*;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The environment variable naming the PostgreSQL server for tests.
pub const PG_ENV: &str = "KKIG_TEST_DATABASE_URL";

enum Cleanup {
    File(PathBuf),
    Postgres { admin_url: String, database: String },
}

/// A migrated (unless made by [`TestDb::all_unmigrated`]), empty database for one test.
pub struct TestDb {
    pub store: SqlStore,
    /// `sqlite` or `postgres`, for assertion messages.
    pub label: &'static str,
    /// The URL the store was opened with (to open a second connection to the same database).
    pub url: String,
    cleanup: Cleanup,
}

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "kkig_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

impl TestDb {
    /// A fresh SQLite file database.
    pub async fn sqlite() -> TestDb {
        Self::sqlite_with(true).await
    }

    async fn sqlite_with(migrate: bool) -> TestDb {
        let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
        let url = format!("sqlite://{}", path.display());
        let store = SqlStore::connect_with(&url, migrate)
            .await
            .expect("open SQLite test database");
        TestDb {
            store,
            label: "sqlite",
            url,
            cleanup: Cleanup::File(path),
        }
    }

    /// A fresh PostgreSQL database, when `KKIG_TEST_DATABASE_URL` is set.
    pub async fn postgres() -> Option<TestDb> {
        Self::postgres_with(true).await
    }

    async fn postgres_with(migrate: bool) -> Option<TestDb> {
        let admin_url = std::env::var(PG_ENV).ok().filter(|s| !s.is_empty())?;
        let database = unique_name();
        let mut admin = match sqlx::PgConnection::connect(&admin_url).await {
            Ok(c) => c,
            Err(e) if std::env::var_os("CI").is_some() => {
                panic!("{PG_ENV}={admin_url} is set but PostgreSQL is unreachable: {e}")
            }
            Err(e) => {
                eprintln!("skipping PostgreSQL: {PG_ENV}={admin_url} is unreachable: {e}");
                return None;
            }
        };
        admin
            .execute(format!("CREATE DATABASE \"{database}\"").as_str())
            .await
            .expect("create PostgreSQL test database");
        let _ = admin.close().await;
        let url = replace_database(&admin_url, &database);
        let store = SqlStore::connect_with(&url, migrate)
            .await
            .expect("open PostgreSQL test database");
        Some(TestDb {
            store,
            label: "postgres",
            url,
            cleanup: Cleanup::Postgres { admin_url, database },
        })
    }

    /// Every backend available here: SQLite, and PostgreSQL when configured.
    pub async fn all() -> Vec<TestDb> {
        let mut v = vec![Self::sqlite().await];
        if let Some(pg) = Self::postgres().await {
            v.push(pg);
        }
        v
    }

    /// A copy of this SQLite database as it is now, as a test database of its own (`VACUUM
    /// INTO`); `None` on PostgreSQL. For tests that try one change on each of many copies.
    pub async fn sqlite_copy(&self) -> Option<TestDb> {
        let Cleanup::File(_) = &self.cleanup else { return None };
        let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
        let into = path.display().to_string().replace('\'', "''");
        sqlx::query(&format!("VACUUM INTO '{into}'"))
            .execute(&self.store.pool)
            .await
            .expect("copy the SQLite test database");
        let url = format!("sqlite://{}", path.display());
        let store = SqlStore::connect(&url)
            .await
            .expect("open the copied SQLite test database");
        Some(TestDb {
            store,
            label: "sqlite",
            url,
            cleanup: Cleanup::File(path),
        })
    }

    /// Run one statement behind the store's back, with text parameters `$1`, `$2`, …: for
    /// tests of what a change that no store method makes does (or does not) set off.
    pub async fn execute_raw(&self, sql: &str, binds: &[&str]) -> u64 {
        let mut q = sqlx::query(sql);
        for b in binds {
            q = q.bind(*b);
        }
        q.execute(&self.store.pool)
            .await
            .expect("raw statement")
            .rows_affected()
    }

    /// Like [`TestDb::all`], but empty databases whose migrations were not run.
    pub async fn all_unmigrated() -> Vec<TestDb> {
        let mut v = vec![Self::sqlite_with(false).await];
        if let Some(pg) = Self::postgres_with(false).await {
            v.push(pg);
        }
        v
    }

    /// Close the store and remove its database.
    pub async fn finish(self) {
        self.store.close().await;
        match self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
            }
            Cleanup::Postgres { admin_url, database } => {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ = admin
                        .execute(format!("DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)").as_str())
                        .await;
                    let _ = admin.close().await;
                }
            }
        }
    }
}

/// `postgres://u@h:5432/postgres?x=y` with the database name replaced.
fn replace_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[authority_start..].find('/') {
        Some(i) => &base[..authority_start + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{database}?{q}"),
        None => format!("{base}/{database}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_is_replaced() {
        use super::replace_database as r;
        assert_eq!(
            r("postgres://p@127.0.0.1:5432/postgres", "x"),
            "postgres://p@127.0.0.1:5432/x"
        );
        assert_eq!(
            r("postgres://p@h/db?sslmode=disable", "x"),
            "postgres://p@h/x?sslmode=disable"
        );
        assert_eq!(r("postgres://p@h", "x"), "postgres://p@h/x");
    }
}
