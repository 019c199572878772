//! `kkig sync …`: fetch data from its publisher's API over HTTPS and import it, with the same
//! checks as `kkig import …`. Every page is fetched and parsed before anything is written, so a
//! failed or partial fetch writes nothing.
//!
//! Today: `kkig sync kolada URL` follows Kolada v3's `next_url` from the first page's URL.

use std::time::Duration;

use anyhow::Context;
use clap::Args;
use kkig_store::prelude::*;
use kkig_store::Actor;

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

/// GET `url`, retrying with backoff on a network error, a 429 or a 5xx (the answers a retry can
/// change); any other non-success status fails at once.
async fn fetch(client: &reqwest::Client, url: &reqwest::Url) -> anyhow::Result<Vec<u8>> {
    let mut wait = FIRST_BACKOFF;
    let mut last = String::new();
    for attempt in 1..=ATTEMPTS {
        match client.get(url.clone()).send().await {
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
            eprintln!("{url}: {last}; trying again in {} ms", wait.as_millis());
            tokio::time::sleep(wait).await;
            wait *= 2;
        }
    }
    anyhow::bail!("{url} failed {ATTEMPTS} times; the last time: {last}")
}

pub async fn kolada(database_url: &str, args: KoladaSyncArgs) -> anyhow::Result<()> {
    let client = client(Duration::from_secs(args.timeout))?;
    let mut url = check_url(&args.url)?;
    let mut rows = Vec::new();
    let mut pages = 0usize;
    loop {
        pages += 1;
        if pages > MAX_PAGES {
            anyhow::bail!("more than {MAX_PAGES} pages from {}; nothing was imported", args.url);
        }
        let bytes = fetch(&client, &url)
            .await
            .with_context(|| format!("page {pages}; nothing was imported"))?;
        let page = kkig_formats::kolada::parse_kolada(url.as_str(), &bytes)
            .map_err(|e| anyhow::anyhow!("{e}; nothing was imported"))?;
        eprintln!("page {pages}: {} values from {url}", page.rows.len());
        rows.extend(page.rows);
        match page.next_page {
            None => break,
            Some(next) => {
                url = url
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
