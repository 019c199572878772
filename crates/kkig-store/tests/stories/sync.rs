//! The record of `kkig sync` runs: the last run per source, and the last success kept through
//! a failure.

use kkig_store::prelude::*;
use kkig_store::testing::TestDb;
use kkig_store::SyncRun;

fn run(source: &str, at: i64, ok: bool, summary: &str) -> SyncRun {
    SyncRun {
        source: source.into(),
        started_at: at,
        finished_at: at + 5,
        ok,
        summary: summary.into(),
        last_ok_at: None,
    }
}

#[tokio::test]
async fn the_last_run_per_source_and_the_last_success_on_every_backend() {
    for db in TestDb::all().await {
        let s = &db.store;
        let label = db.label;
        assert!(s.sync_runs().await.unwrap().is_empty(), "{label}");
        let v0 = s.data_version().await.unwrap();
        s.record_sync(&run("offerings", 1_000, true, "7 created"))
            .await
            .unwrap();
        s.record_sync(&run("kolada", 1_100, false, "page 2 failed 3 times"))
            .await
            .unwrap();
        s.record_sync(&run("offerings", 2_000, false, "educationEvents page 1 failed"))
            .await
            .unwrap();
        let runs = s.sync_runs().await.unwrap();
        assert_eq!(runs.len(), 2, "{label}");
        assert_eq!(
            (runs[0].source.as_str(), runs[0].ok, runs[0].last_ok_at),
            ("kolada", false, None),
            "{label}: never succeeded"
        );
        assert_eq!(runs[1].source, "offerings", "{label}");
        assert!(!runs[1].ok, "{label}");
        assert_eq!(runs[1].summary, "educationEvents page 1 failed", "{label}");
        assert_eq!(runs[1].last_ok_at, Some(1_005), "{label}: the last success is kept");
        s.record_sync(&run("offerings", 3_000, true, "0 created"))
            .await
            .unwrap();
        assert_eq!(s.sync_runs().await.unwrap()[1].last_ok_at, Some(3_005), "{label}");
        assert_eq!(s.data_version().await.unwrap(), v0, "{label}: bookkeeping, not data");
        db.finish().await;
    }
}
