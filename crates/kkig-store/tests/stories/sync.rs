//! The record of `kkig sync` runs: the last run per source, the last success kept through a
//! failure, and a run in progress until it is recorded.

use kkig_store::prelude::*;
use kkig_store::testing::TestDb;
use kkig_store::{SyncProgress, SyncRun};

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

#[tokio::test]
async fn a_run_in_progress_until_it_is_recorded_on_every_backend() {
    for db in TestDb::all().await {
        let s = &db.store;
        let label = db.label;
        let v0 = s.data_version().await.unwrap();
        assert!(s.syncs_running().await.unwrap().is_empty(), "{label}");
        let mut p = SyncProgress {
            source: "offerings".into(),
            started_at: 1_000,
            updated_at: 1_000,
            progress: String::new(),
        };
        s.sync_progress(&p).await.unwrap();
        p.updated_at = 1_010;
        p.progress = "educationEvents page 2 of 3: 500 records".into();
        s.sync_progress(&p).await.unwrap();
        s.sync_progress(&SyncProgress {
            source: "kolada".into(),
            started_at: 1_005,
            updated_at: 1_005,
            progress: "page 1".into(),
        })
        .await
        .unwrap();
        let running = s.syncs_running().await.unwrap();
        assert_eq!(running.len(), 2, "{label}");
        assert_eq!(running[1], p, "{label}: the latest word replaces the earlier");
        s.record_sync(&run("offerings", 1_000, true, "7 created"))
            .await
            .unwrap();
        let running = s.syncs_running().await.unwrap();
        assert_eq!(running.len(), 1, "{label}: a recorded run is no longer running");
        assert_eq!(running[0].source, "kolada", "{label}");
        assert_eq!(s.data_version().await.unwrap(), v0, "{label}: bookkeeping, not data");
        db.finish().await;
    }
}
