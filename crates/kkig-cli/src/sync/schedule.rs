//! The syncs on a schedule inside `kkig serve` (off unless `--sync-every` is given): each source
//! runs when its last run (recorded in the store, whoever ran it) is older than the interval, so
//! a restart neither repeats a sync that just ran nor skips one that is due.

use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use kkig_store::prelude::*;
use kkig_store::SqlStore;

use super::offerings::SUSA_URL;
use super::population::SCB_POPULATION_URL;
use super::{now_unix, run_recorded, Job, KoladaSyncArgs, OfferingsSyncArgs, PopulationSyncArgs, Source};
use crate::progress::Report;
use crate::InputError;

#[derive(Args, Clone, Default)]
pub struct ScheduleArgs {
    /// Sync from the publishers' APIs every this many hours while serving (off when absent).
    #[arg(long = "sync-every", value_name = "HOURS", env = "KKIG_SYNC_EVERY_HOURS",
          value_parser = clap::value_parser!(u32).range(1..=24 * 365))]
    pub every_hours: Option<u32>,
    /// What to sync on the schedule; repeatable, or comma-separated in the variable. Default:
    /// offerings and population, and kolada when --sync-kolada-url is given.
    #[arg(
        long = "sync",
        value_name = "SOURCE",
        env = "KKIG_SYNC",
        value_delimiter = ',',
        value_enum
    )]
    pub sources: Vec<Source>,
    /// The first page of the Kolada answer to sync (as `kkig sync kolada URL` takes it).
    #[arg(long = "sync-kolada-url", value_name = "URL", env = "KKIG_SYNC_KOLADA_URL")]
    pub kolada_url: Option<String>,
    /// Susa-navet's EMIL 3 base URL.
    #[arg(long = "sync-susa-url", value_name = "URL", env = "KKIG_SUSA_URL", default_value = SUSA_URL)]
    pub susa_url: String,
    /// SCB's PxWeb population table.
    #[arg(long = "sync-population-url", value_name = "URL", env = "KKIG_SCB_POPULATION_URL",
          default_value = SCB_POPULATION_URL)]
    pub population_url: String,
}

/// The jobs and their interval, or None when the schedule is off; a source that cannot run
/// (kolada without its URL) is the operator's mistake.
pub fn plan(args: &ScheduleArgs) -> anyhow::Result<Option<(Vec<Job>, Duration)>> {
    let Some(hours) = args.every_hours else {
        if !args.sources.is_empty() {
            return Err(anyhow::Error::new(InputError(
                "--sync names what to sync on a schedule; give --sync-every HOURS too".into(),
            )));
        }
        return Ok(None);
    };
    let sources = if args.sources.is_empty() {
        let mut s = vec![Source::Offerings, Source::Population];
        if args.kolada_url.is_some() {
            s.push(Source::Kolada);
        }
        s
    } else {
        args.sources.clone()
    };
    let mut jobs = Vec::new();
    for source in sources {
        jobs.push(match source {
            Source::Offerings => Job::Offerings(OfferingsSyncArgs {
                url: args.susa_url.clone(),
                ..OfferingsSyncArgs::default()
            }),
            Source::Population => Job::Population(PopulationSyncArgs {
                url: args.population_url.clone(),
                ..PopulationSyncArgs::default()
            }),
            Source::Kolada => Job::Kolada(KoladaSyncArgs {
                url: args.kolada_url.clone().ok_or_else(|| {
                    anyhow::Error::new(InputError("--sync kolada needs --sync-kolada-url URL".into()))
                })?,
                ..KoladaSyncArgs::default()
            }),
        });
    }
    Ok(Some((jobs, Duration::from_secs(u64::from(hours) * 3600))))
}

/// How long until `job` is due: now when it never ran, else `every` after its last run ended.
async fn due_in(store: &SqlStore, source: Source, every: Duration) -> Duration {
    let last = match store.sync_runs().await {
        Ok(runs) => runs
            .into_iter()
            .find(|r| r.source == source.as_str())
            .map(|r| r.finished_at),
        Err(e) => {
            tracing::warn!(source = source.as_str(), "cannot read the last sync: {e}");
            None
        }
    };
    let Some(last) = last else {
        return Duration::ZERO;
    };
    let elapsed = u64::try_from(now_unix() - last).unwrap_or(0);
    every.saturating_sub(Duration::from_secs(elapsed))
}

/// Run `jobs` every `every`, for ever (the caller aborts the task when the server stops; a
/// job stopped half-way has written nothing, its transaction never committed).
pub async fn run(store: Arc<SqlStore>, jobs: Vec<Job>, every: Duration) {
    let names: Vec<&str> = jobs.iter().map(|j| j.source().as_str()).collect();
    tracing::info!(
        sources = %names.join(", "),
        hours = every.as_secs() / 3600,
        "syncing from the publishers' APIs on a schedule"
    );
    loop {
        let mut next = every;
        for job in &jobs {
            let source = job.source();
            let wait = due_in(&store, source, every).await;
            if !wait.is_zero() {
                next = next.min(wait);
                continue;
            }
            match run_recorded(&store, job, Report::background()).await {
                Ok(summary) => tracing::info!(source = source.as_str(), "sync: {summary}"),
                Err(e) => tracing::warn!(source = source.as_str(), "sync failed: {e:#}"),
            }
        }
        tokio::time::sleep(next.max(Duration::from_secs(1))).await;
    }
}
