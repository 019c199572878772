//! `/admin/synk`: the last run of each source (offerings from Susa-navet, population from SCB,
//! key figures from Kolada), the runs in progress, and whether `kkig serve` syncs on a schedule.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use fluent_bundle::FluentValue;
use kkig_core::access::Target;
use kkig_store::{SyncProgress, SyncRun};

use crate::http::auth::MaybeUser;
use crate::http::clock::now;
use crate::ui::page::{format_time, render, signed_in_reading, Chrome, OrUnavailable, PageResult};
use crate::AppState;

/// The sources in the order shown, by the name the store knows them by.
const SOURCES: [&str; 3] = ["offerings", "population", "kolada"];

/// A run that has said nothing for this long may have stopped without finishing.
const SILENT_AFTER: i64 = 10 * 60;

pub struct SourceRow {
    pub name: String,
    pub last_run: String,
    /// "ok", "failed" or "never" (for the class and the text).
    pub state: &'static str,
    pub state_text: String,
    pub summary: String,
    pub last_ok: String,
}

pub struct RunningRow {
    pub name: String,
    pub since: String,
    pub progress: String,
    pub updated: String,
    /// No word for [`SILENT_AFTER`].
    pub silent: bool,
}

#[derive(Template)]
#[template(path = "sync/status.html")]
pub struct StatusPage {
    pub chrome: Chrome,
    pub schedule: String,
    pub sources: Vec<SourceRow>,
    pub running: Vec<RunningRow>,
}

fn source_name(chrome: &Chrome, source: &str) -> String {
    match source {
        "offerings" => chrome.t("sync-source-offerings"),
        "population" => chrome.t("sync-source-population"),
        "kolada" => chrome.t("sync-source-kolada"),
        other => other.to_string(),
    }
}

fn source_row(chrome: &Chrome, source: &str, run: Option<&SyncRun>) -> SourceRow {
    let name = source_name(chrome, source);
    match run {
        None => SourceRow {
            name,
            last_run: String::new(),
            state: "never",
            state_text: chrome.t("sync-never"),
            summary: String::new(),
            last_ok: String::new(),
        },
        Some(r) => SourceRow {
            name,
            last_run: format_time(r.finished_at),
            state: if r.ok { "ok" } else { "failed" },
            state_text: chrome.t(if r.ok { "sync-ok" } else { "sync-failed" }),
            summary: r.summary.clone(),
            last_ok: r.last_ok_at.map_or_else(|| chrome.t("sync-never"), format_time),
        },
    }
}

fn running_row(chrome: &Chrome, p: &SyncProgress, now: i64) -> RunningRow {
    RunningRow {
        name: source_name(chrome, &p.source),
        since: format_time(p.started_at),
        progress: if p.progress.is_empty() {
            chrome.t("sync-started")
        } else {
            p.progress.clone()
        },
        updated: format_time(p.updated_at),
        silent: now - p.updated_at > SILENT_AFTER,
    }
}

pub async fn status(State(state): State<AppState>, chrome: Chrome, me: MaybeUser) -> PageResult {
    signed_in_reading(&chrome, me, &Target::Administration)?;
    let runs = state.store.sync_runs().await.or_unavailable(&chrome)?;
    let running = state.store.syncs_running().await.or_unavailable(&chrome)?;
    let mut sources: Vec<SourceRow> = SOURCES
        .iter()
        .map(|s| source_row(&chrome, s, runs.iter().find(|r| r.source == *s)))
        .collect();
    // A source this page does not know by name is still shown.
    sources.extend(
        runs.iter()
            .filter(|r| !SOURCES.contains(&r.source.as_str()))
            .map(|r| source_row(&chrome, &r.source, Some(r))),
    );
    let now = now();
    let running = running.iter().map(|p| running_row(&chrome, p, now)).collect();
    let schedule = match &state.config.sync_schedule {
        None => chrome.t("sync-schedule-off"),
        Some(s) => {
            let sources: Vec<String> = s.sources.iter().map(|x| source_name(&chrome, x)).collect();
            chrome.message(
                "sync-schedule-on",
                &[
                    ("hours", FluentValue::from(i64::from(s.every_hours))),
                    ("sources", FluentValue::from(sources.join(", "))),
                ],
            )
        }
    };
    Ok(render(
        StatusCode::OK,
        &StatusPage {
            chrome,
            schedule,
            sources,
            running,
        },
    ))
}
