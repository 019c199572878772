//! `kkig sync …`: fetch data from its publisher's API over HTTPS and import it, with the same
//! checks as `kkig import …`. Every page is fetched and parsed before anything is written, so a
//! failed or partial fetch writes nothing.
//!
//! Today: `kkig sync kolada URL` follows Kolada v3's `next_url` from the first page's URL;
//! `kkig sync population` posts a PxWeb query for SCB's population table (TAB5557) for the
//! region's municipalities and imports the JSON-stat 2.0 answer.

use std::time::Duration;

use anyhow::Context;
use clap::Args;
use kkig_store::prelude::*;
use kkig_store::{Actor, SyncRun};

use crate::progress::Progress;
use crate::{open, InputError};

fn input_error(msg: String) -> anyhow::Error {
    anyhow::Error::new(InputError(msg))
}

/// Attempts per page (the first and two retries).
const ATTEMPTS: u32 = 3;
/// The wait before the first retry; doubled before each further one.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// At most this many pages are followed (Kolada serves up to 5,000 values a page).
const MAX_PAGES: usize = 1_000;

#[derive(Args)]
pub struct KoladaSyncArgs {
    /// The first page's URL, e.g.
    /// https://api.kolada.se/v3/data/kpi/N00914/municipality/2422,2506/year/2022,2023
    url: String,
    /// Seconds to wait for each answer.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
}

/// Susa-navet's EMIL 3 API.
pub const SUSA_URL: &str = "https://api.skolverket.se/susa-navet/emil3";

#[derive(Args)]
pub struct OfferingsSyncArgs {
    /// The API's base URL (its lists are `{url}/educationProviders`, `…/educationInfos`,
    /// `…/educationEvents`).
    #[arg(long, default_value = SUSA_URL)]
    url: String,
    /// The school types to fetch (C_SchoolType), repeatable.
    #[arg(long = "school-type", default_values_t = ["HS".to_string(), "YH".to_string()])]
    school_types: Vec<String>,
    /// Records per page (the API allows 1–2000).
    #[arg(long, default_value_t = 500)]
    size: u32,
    /// Stop (and write nothing) when a list has more pages than this.
    #[arg(long, default_value_t = 1000)]
    max_pages: u32,
    /// Seconds to wait for each answer.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
}

/// The lists of the EMIL 3 API, in the order they are read (providers, infos, events).
const SUSA_LISTS: [&str; 3] = ["educationProviders", "educationInfos", "educationEvents"];

/// Fetch every page of every list, then store them as `kkig import offerings` does (invalid
/// records reported and left out, as a whole country's data always holds some). A page that
/// cannot be fetched or is not a page writes nothing.
pub async fn offerings(database_url: &str, args: OfferingsSyncArgs) -> anyhow::Result<String> {
    let client = client(Duration::from_secs(args.timeout))?;
    let base = check_url(args.url.trim_end_matches('/'))?;
    let progress = Progress::new(base.as_str(), "pages");
    let fetched = fetch_susa(&client, &base, &args, &progress).await;
    progress.finish();
    let files = fetched?;
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let parsed = kkig_formats::parse_susa_files(&refs);
    crate::store_offerings(database_url, base.as_str(), parsed, true).await
}

async fn fetch_susa(
    client: &reqwest::Client,
    base: &reqwest::Url,
    args: &OfferingsSyncArgs,
    progress: &Progress,
) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for list in SUSA_LISTS {
        let mut page = 0u32;
        loop {
            if page >= args.max_pages {
                anyhow::bail!("{list} has more than {} pages; nothing was imported", args.max_pages);
            }
            let mut url = reqwest::Url::parse(&format!("{}/{list}", base.as_str().trim_end_matches('/')))?;
            {
                let mut q = url.query_pairs_mut();
                for t in &args.school_types {
                    q.append_pair("schoolType", t);
                }
                q.append_pair("page", &page.to_string())
                    .append_pair("size", &args.size.to_string());
            }
            let bytes = fetch(client, &url, progress)
                .await
                .with_context(|| format!("{list} page {page}; nothing was imported"))?;
            let doc: serde_json::Value = serde_json::from_slice(&bytes)
                .map_err(|e| anyhow::anyhow!("{url}: not JSON ({e}); nothing was imported"))?;
            let total_pages = doc
                .get("page")
                .and_then(|p| p.get("totalPages"))
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(1);
            let records = doc.get(list).and_then(serde_json::Value::as_array).map_or(0, Vec::len);
            progress.step(
                1,
                &format!("{list} page {} of {total_pages}: {records} records", page + 1),
            );
            files.push((format!("{list} page {page}"), bytes));
            page += 1;
            if u64::from(page) >= total_pages {
                break;
            }
        }
    }
    Ok(files)
}

/// SCB's population by region, civil status, age and sex from 2025 (BefolkningCKM, TAB5557) in
/// the PxWeb API.
pub const SCB_POPULATION_URL: &str = "https://api.scb.se/OV0104/v1/doris/sv/ssd/BE/BE0101/BE0101A/BefolkningCKM";

#[derive(Args)]
pub struct PopulationSyncArgs {
    /// The PxWeb table's URL.
    #[arg(long, default_value = SCB_POPULATION_URL)]
    url: String,
    /// The years to fetch, e.g. `--year 2025`; without it, the table's latest year.
    #[arg(long)]
    year: Vec<i32>,
    /// Seconds to wait for the answer.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
}

/// The PxWeb query for TAB5557: the municipalities given, the four civil statuses (summed on
/// import), every single age and 100+, both sexes, the population, the years given or the latest.
pub fn population_query(municipalities: &[String], years: &[i32]) -> serde_json::Value {
    let item = |code: &str, values: Vec<String>| serde_json::json!({"code": code, "selection": {"filter": "item", "values": values}});
    let mut ages: Vec<String> = (0..100).map(|a| a.to_string()).collect();
    ages.push("100+1".into());
    let tid = if years.is_empty() {
        serde_json::json!({"code": "Tid", "selection": {"filter": "top", "values": ["1"]}})
    } else {
        item("Tid", years.iter().map(i32::to_string).collect())
    };
    serde_json::json!({
        "query": [
            item("Region", municipalities.to_vec()),
            item("Civilstand", ["OG", "G", "ÄNKL", "SK"].map(String::from).to_vec()),
            item("Alder", ages),
            item("Kon", vec!["1".into(), "2".into()]),
            item("ContentsCode", vec!["000007ME".into()]),
            tid,
        ],
        "response": {"format": "json-stat2"}
    })
}

/// An HTTP client for the publishers' APIs: rustls, a timeout, kkig's user agent.
fn client(timeout: Duration) -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(timeout)
        .user_agent(concat!("kkig/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("cannot create the HTTP client")
}

fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Run one sync and record how it went (`kkig sync status` shows it). The sync's own answer is
/// returned; failing to record it is reported but does not hide that answer.
pub async fn recorded(
    database_url: &str,
    source: &str,
    sync: impl std::future::Future<Output = anyhow::Result<String>>,
) -> anyhow::Result<()> {
    let started_at = now_unix();
    let result = sync.await;
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
    match open(database_url).await {
        Ok(store) => {
            if let Err(e) = store.record_sync(&run).await {
                eprintln!("warning: the run could not be recorded: {e}");
            }
            store.close().await;
        }
        Err(e) => eprintln!("warning: the run could not be recorded: {e:#}"),
    }
    result.map(|summary| println!("{summary}"))
}

/// `kkig sync status`: one line per source.
pub async fn status(database_url: &str) -> anyhow::Result<()> {
    let store = open(database_url).await?;
    let runs = store.sync_runs().await;
    store.close().await;
    let runs = runs?;
    if runs.is_empty() {
        println!("no sync has run yet");
    }
    let when = |t: i64| {
        time::OffsetDateTime::from_unix_timestamp(t)
            .ok()
            .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
            .unwrap_or_else(|| t.to_string())
    };
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
    Ok(())
}

/// Only http(s) URLs are fetched; anything else is the caller's mistake (exit 2).
fn check_url(url: &str) -> anyhow::Result<reqwest::Url> {
    let parsed = reqwest::Url::parse(url).map_err(|e| input_error(format!("{url:?} is not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(input_error(format!("{url:?}: only http and https URLs are fetched")));
    }
    Ok(parsed)
}

/// GET `url` (or POST `body` as JSON to it), retrying with backoff on a network error, a 429 or
/// a 5xx (the answers a retry can change); any other non-success status fails at once.
async fn fetch_with(
    client: &reqwest::Client,
    url: &reqwest::Url,
    body: Option<&serde_json::Value>,
    progress: &Progress,
) -> anyhow::Result<Vec<u8>> {
    let mut wait = FIRST_BACKOFF;
    let mut last = String::new();
    for attempt in 1..=ATTEMPTS {
        let request = match body {
            None => client.get(url.clone()),
            Some(b) => client
                .post(url.clone())
                .header("content-type", "application/json")
                .body(b.to_string()),
        };
        match request.send().await {
            Ok(res) if res.status().is_success() => {
                return Ok(res.bytes().await.with_context(|| format!("reading {url}"))?.to_vec());
            }
            Ok(res) if res.status().as_u16() == 429 || res.status().is_server_error() => {
                last = format!("HTTP {}", res.status());
            }
            Ok(res) => anyhow::bail!("{url} answered HTTP {}", res.status()),
            Err(e) => last = e.to_string(),
        }
        if attempt < ATTEMPTS {
            progress.note(&format!("{url}: {last}; trying again in {} ms", wait.as_millis()));
            tokio::time::sleep(wait).await;
            wait *= 2;
        }
    }
    anyhow::bail!("{url} failed {ATTEMPTS} times; the last time: {last}")
}

async fn fetch(client: &reqwest::Client, url: &reqwest::Url, progress: &Progress) -> anyhow::Result<Vec<u8>> {
    fetch_with(client, url, None, progress).await
}

pub async fn population(database_url: &str, args: PopulationSyncArgs) -> anyhow::Result<String> {
    let client = client(Duration::from_secs(args.timeout))?;
    let url = check_url(&args.url)?;
    let store = open(database_url).await?;
    let result = fetch_and_store_population(&store, &client, &url, &args.year).await;
    store.close().await;
    result
}

/// Ask for the region's population, read the answer and store it (one open store throughout).
async fn fetch_and_store_population(
    store: &kkig_store::SqlStore,
    client: &reqwest::Client,
    url: &reqwest::Url,
    years: &[i32],
) -> anyhow::Result<String> {
    let region: Vec<String> = store
        .municipalities()
        .await?
        .into_iter()
        .filter(|m| m.role.in_region())
        .map(|m| m.code.to_string())
        .collect();
    let query = population_query(&region, years);
    let progress = Progress::new(url.as_str(), "bytes");
    let bytes = fetch_with(client, url, Some(&query), &progress)
        .await
        .context("nothing was imported");
    progress.finish();
    let bytes = bytes?;
    let table = kkig_formats::population::parse_population(
        url.as_str(),
        &bytes,
        &kkig_formats::population::PopulationQuery {
            sum_sexes: true,
            select: Vec::new(),
        },
    )
    .map_err(|e| anyhow::anyhow!("{e}; nothing was imported"))?;
    crate::forecast_import::store_population(store, url.as_str(), &table, false).await
}

pub async fn kolada(database_url: &str, args: KoladaSyncArgs) -> anyhow::Result<String> {
    let client = client(Duration::from_secs(args.timeout))?;
    let mut url = check_url(&args.url)?;
    let mut rows = Vec::new();
    let mut pages = 0usize;
    let progress = Progress::new(&args.url, "values");
    let fetched = fetch_all_kolada(&client, &mut url, &mut rows, &mut pages, &progress).await;
    progress.finish();
    fetched?;
    let store = open(database_url).await?;
    let result = async {
        let n = store.import_kolada(&rows, &args.url, &Actor::cli()).await?;
        Ok(format!(
            "{}: {n} key-figure values imported from {pages} page(s)",
            args.url
        ))
    }
    .await;
    store.close().await;
    result
}

/// Fetch and parse every page of a Kolada answer from `url` on, into `rows`.
async fn fetch_all_kolada(
    client: &reqwest::Client,
    url: &mut reqwest::Url,
    rows: &mut Vec<kkig_formats::kolada::KoladaRow>,
    pages: &mut usize,
    progress: &Progress,
) -> anyhow::Result<()> {
    loop {
        *pages += 1;
        if *pages > MAX_PAGES {
            anyhow::bail!("more than {MAX_PAGES} pages; nothing was imported");
        }
        let bytes = fetch(client, url, progress)
            .await
            .with_context(|| format!("page {pages}; nothing was imported"))?;
        let page = kkig_formats::kolada::parse_kolada(url.as_str(), &bytes)
            .map_err(|e| anyhow::anyhow!("{e}; nothing was imported"))?;
        progress.step(
            page.rows.len() as u64,
            &format!("page {pages}: {} values", page.rows.len()),
        );
        rows.extend(page.rows);
        match page.next_page {
            None => return Ok(()),
            Some(next) => {
                *url = url
                    .join(&next)
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https"))
                    .ok_or_else(|| {
                        anyhow::anyhow!(
                            "page {pages} links to {next:?}, which is not an http(s) URL; nothing was imported"
                        )
                    })?;
            }
        }
    }
}
