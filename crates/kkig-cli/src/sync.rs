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
use kkig_store::Actor;

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

pub async fn population(database_url: &str, args: PopulationSyncArgs) -> anyhow::Result<()> {
    let client = client(Duration::from_secs(args.timeout))?;
    let url = check_url(&args.url)?;
    let store = open(database_url).await?;
    let region: Result<Vec<String>, _> = store.municipalities().await.map(|ms| {
        ms.into_iter()
            .filter(|m| m.role.in_region())
            .map(|m| m.code.to_string())
            .collect()
    });
    store.close().await;
    let query = population_query(&region?, &args.year);
    let progress = Progress::new(url.as_str(), "bytes");
    let bytes = fetch_with(&client, &url, Some(&query), &progress)
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
    crate::forecast_import::store_population(database_url, url.as_str(), &table, false).await
}

pub async fn kolada(database_url: &str, args: KoladaSyncArgs) -> anyhow::Result<()> {
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
        println!("{}: {n} key-figure values imported from {pages} page(s)", args.url);
        Ok(())
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
