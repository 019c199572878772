//! The database itself: two writers on one SQLite file, unusable URLs, readiness (migrations and
//! reference data) and the data version every committed write bumps.

use crate::code;
use kkig_store::prelude::*;
use kkig_store::testing::TestDb;
use kkig_store::{SessionRow, SignInStart, SqlStore};
use sqlx::Row;

/// Two processes on one SQLite file: here two independent pools writing at the same time.
/// Every write must land (the busy timeout makes writers wait) and the file must stay intact.
#[tokio::test]
async fn two_writers_on_one_sqlite_file() {
    let db = TestDb::sqlite().await;
    let other = SqlStore::connect(&db.url).await.unwrap();
    let write = |store: SqlStore, prefix: &'static str| async move {
        for i in 0..100 {
            let row = SessionRow {
                data: format!("{{\"i\":{i}}}"),
                expiry_unix: 4_000_000_000,
                user_id: None,
            };
            store.session_save(&format!("{prefix}-{i}"), &row).await.unwrap();
        }
    };
    let a = tokio::spawn(write(db.store.clone(), "a"));
    let b = tokio::spawn(write(other.clone(), "b"));
    a.await.unwrap();
    b.await.unwrap();
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM sessions")
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 200);
    let check: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .get(0);
    assert_eq!(check, "ok");
    let mode: String = sqlx::query("PRAGMA journal_mode")
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .get(0);
    assert_eq!(mode, "wal");
    other.close().await;
    db.finish().await;
}

#[tokio::test]
async fn bad_urls_and_unwritable_files_give_clear_errors() {
    let err = SqlStore::connect("mysql://root@localhost/test").await.unwrap_err();
    assert!(
        err.to_string()
            .starts_with("unsupported database URL \"mysql://root@localhost/test\""),
        "{err}"
    );

    let err = SqlStore::connect("sqlite:///nonexistent-dir/sub/kkig.db")
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with("cannot open database sqlite:///nonexistent-dir/sub/kkig.db:"),
        "{msg}"
    );
    assert!(!msg.contains('\n'), "one line: {msg}");
}

#[tokio::test]
async fn readiness_wants_exactly_this_binarys_migrations_and_the_reference_data() {
    use kkig_store::Readiness;
    let reference = kkig_formats::reference::embedded().unwrap();
    for db in TestDb::all_unmigrated().await {
        let (s, label) = (&db.store, db.label);
        let Readiness::Migrations { missing, unknown } = s.readiness().await.unwrap() else {
            panic!("{label}: an unmigrated database is not ready");
        };
        assert!(
            missing.len() >= 7 && unknown.is_empty(),
            "{label}: {missing:?} {unknown:?}"
        );
        s.migrate().await.unwrap();
        assert_eq!(
            s.readiness().await.unwrap(),
            Readiness::ReferenceData {
                empty: vec!["municipalities", "universities", "occupations"]
            },
            "{label}"
        );
        s.seed_reference(&reference).await.unwrap();
        assert_eq!(s.readiness().await.unwrap(), Readiness::Ready, "{label}");
        // A newer kkig migrated the database further: this one is not fit to serve it.
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             SELECT 29991231000001, 'from the future', success, checksum, execution_time
             FROM _sqlx_migrations WHERE version = 20261128000001",
        )
        .execute(s.pool())
        .await
        .unwrap();
        assert_eq!(
            s.readiness().await.unwrap(),
            Readiness::Migrations {
                missing: vec![],
                unknown: vec![29991231000001]
            },
            "{label}"
        );
        // A migration whose contents differ from this binary's counts as missing.
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 29991231000001")
            .execute(s.pool())
            .await
            .unwrap();
        sqlx::query(
            "UPDATE _sqlx_migrations SET checksum = (SELECT checksum FROM _sqlx_migrations WHERE version = 20261128000002)
             WHERE version = 20261128000001",
        )
        .execute(s.pool())
        .await
        .unwrap();
        assert_eq!(
            s.readiness().await.unwrap(),
            Readiness::Migrations {
                missing: vec![20261128000001],
                unknown: vec![]
            },
            "{label}"
        );
        // A database that does not answer is an error, not a readiness.
        s.close().await;
        assert!(s.readiness().await.is_err(), "{label}");
        db.finish().await;
    }
}

#[tokio::test]
async fn every_committed_write_bumps_the_data_version_and_nothing_else_does() {
    use kkig_store::{Actor, ForecastStore};
    for db in TestDb::all().await {
        let s = &db.store;
        let label = db.label;
        let reference = kkig_formats::reference::embedded().unwrap();
        s.seed_reference(&reference).await.unwrap();
        let v0 = s.data_version().await.unwrap();
        assert!(v0 > 0, "{label}: seeding wrote");
        let cli = Actor::cli();
        s.create_forecast_cluster("Tornedalen", &[code("2521"), code("2584")], &cli)
            .await
            .unwrap();
        let v1 = s.data_version().await.unwrap();
        assert!(v1 > v0, "{label}");
        // A refused write is rolled back, its bump with it.
        assert!(
            s.create_forecast_cluster("Tornedalen", &[code("2521")], &cli)
                .await
                .is_err(),
            "{label}"
        );
        assert_eq!(s.data_version().await.unwrap(), v1, "{label}");
        // Sessions and sign-in bookkeeping change nothing any page computes from.
        let row = SessionRow {
            data: "{}".into(),
            expiry_unix: 4_000_000_000,
            user_id: None,
        };
        assert!(s.session_create("s-1", &row).await.unwrap(), "{label}");
        s.session_save("s-1", &row).await.unwrap();
        s.session_delete("s-1").await.unwrap();
        let start = s
            .begin_sign_in("nobody@kkig.test", "203.0.113.9", 1_900_000_000)
            .await
            .unwrap();
        assert!(matches!(start, SignInStart::Check(_)), "{label}");
        assert_eq!(s.data_version().await.unwrap(), v1, "{label}");
        // Another connection (another web node, `kkig import`) sees the committed version.
        let other = SqlStore::connect(&db.url).await.unwrap();
        assert_eq!(other.data_version().await.unwrap(), v1, "{label}");
        other
            .create_forecast_cluster("Malmfälten", &[code("2584")], &cli)
            .await
            .unwrap();
        assert!(s.data_version().await.unwrap() > v1, "{label}");
        other.close().await;
        db.finish().await;
    }
}
