//! `kkig sync …`: fetch data from its publisher's API over HTTPS and import it, with the same
//! checks as `kkig import …`. Every page is fetched and parsed before anything is written, so a
//! failed or partial fetch writes nothing.
//!
//! - `kkig sync offerings` reads Susa-navet's EMIL 3 lists ([`offerings`]): everything the first
//!   time, then what changed since the last success (`updatedSince`);
//! - `kkig sync population` posts a PxWeb query for SCB's population table (TAB5557) for the
//!   region's municipalities and imports the JSON-stat 2.0 answer ([`population`]);
//! - `kkig sync kolada URL` follows Kolada v3's `next_url` from the first page's URL ([`kolada`]).
//!
//! Every run is recorded in the store ([`run_recorded`]): while it runs, what it is doing; when
//! it ends, whether it succeeded and what it did. `kkig sync status` and the administration's
//! sync page show both. [`schedule`] runs the same jobs inside `kkig serve`.

mod http;
mod kolada;
mod offerings;
mod population;
pub mod schedule;

use std::sync::Arc;
use std::time::Duration;

use kkig_store::prelude::*;
use kkig_store::{SqlStore, SyncProgress, SyncRun};

pub use kolada::KoladaSyncArgs;
pub use offerings::OfferingsSyncArgs;
pub use population::PopulationSyncArgs;

use crate::progress::Report;

/// What is synced; the name is the one the store and the pages know it by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Source {
    Offerings,
    Population,
    Kolada,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Offerings => "offerings",
            Self::Population => "population",
            Self::Kolada => "kolada",
        }
    }
}

/// One sync to run, with its arguments.
#[derive(Clone)]
pub enum Job {
    Offerings(OfferingsSyncArgs),
    Population(PopulationSyncArgs),
    Kolada(KoladaSyncArgs),
}

impl Job {
    pub fn source(&self) -> Source {
        match self {
            Self::Offerings(_) => Source::Offerings,
            Self::Population(_) => Source::Population,
            Self::Kolada(_) => Source::Kolada,
        }
    }

    async fn run(&self, store: &SqlStore, report: &Report) -> anyhow::Result<String> {
        match self {
            Self::Offerings(args) => offerings::offerings(store, args, report).await,
            Self::Population(args) => population::population(store, args, report).await,
            Self::Kolada(args) => kolada::kolada(store, args, report).await,
        }
    }
}

fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// How often a running sync's progress is written to the store.
const PROGRESS_EVERY: Duration = Duration::from_secs(2);

/// Run `job` and record it: while it runs, what it says it does in `report` (written every two
/// seconds by a task of its own, so that the job's writes never wait for it); when it ends, how
/// it went. The job's own answer is returned; failing to record is logged but does not hide
/// that answer.
pub async fn run_recorded(store: &Arc<SqlStore>, job: &Job, report: Report) -> anyhow::Result<String> {
    let source = job.source().as_str();
    let started_at = now_unix();
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let writer = {
        let (store, report) = (store.clone(), report.clone());
        tokio::spawn(async move {
            let mut said = None;
            let mut tick = tokio::time::interval(PROGRESS_EVERY);
            loop {
                tokio::select! {
                    _ = stopped.changed() => break,
                    _ = tick.tick() => {}
                }
                let now = report.get();
                if said.as_ref() == Some(&now) {
                    continue;
                }
                let p = SyncProgress {
                    source: source.to_string(),
                    started_at,
                    updated_at: now_unix(),
                    progress: now.clone(),
                };
                // A busy database (the job's own import) only delays the next word.
                match store.sync_progress(&p).await {
                    Ok(()) => said = Some(now),
                    Err(e) => tracing::debug!(source, "progress not written: {e}"),
                }
            }
        })
    };
    let result = job.run(store, &report).await;
    let _ = stop.send(true);
    let _ = writer.await;
    let (ok, summary) = match &result {
        Ok(summary) => (true, summary.clone()),
        Err(e) => (false, format!("{e:#}")),
    };
    let run = SyncRun {
        source: source.to_string(),
        started_at,
        finished_at: now_unix(),
        ok,
        summary,
        last_ok_at: None,
    };
    if let Err(e) = store.record_sync(&run).await {
        tracing::warn!(source, "the run could not be recorded: {e}");
    }
    result
}

/// Unix seconds as RFC 3339 (UTC), or the number when out of range.
fn when(t: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| t.to_string())
}

/// `kkig sync status`: one line per source, then the runs in progress.
pub async fn status(store: &SqlStore) -> anyhow::Result<()> {
    let runs = store.sync_runs().await?;
    let running = store.syncs_running().await?;
    if runs.is_empty() && running.is_empty() {
        println!("no sync has run yet");
    }
    for r in runs {
        let last_ok = r.last_ok_at.map_or("never".to_string(), when);
        println!(
            "{}: {} at {} ({}); last success: {last_ok}",
            r.source,
            if r.ok { "ok" } else { "FAILED" },
            when(r.finished_at),
            r.summary
        );
    }
    for p in running {
        println!(
            "{}: running since {} ({} at {})",
            p.source,
            when(p.started_at),
            if p.progress.is_empty() { "started" } else { &p.progress },
            when(p.updated_at)
        );
    }
    Ok(())
}
