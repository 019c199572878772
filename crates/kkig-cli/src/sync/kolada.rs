//! `kkig sync kolada URL`: every page of a Kolada v3 answer, following `next_url`, imported only
//! when every page arrived and parsed.

use std::time::Duration;

use anyhow::Context;
use clap::Args;
use kkig_store::prelude::*;
use kkig_store::{Actor, SqlStore};

use super::http::{check_url, client, get};
use crate::progress::{Progress, Report};

/// At most this many pages are followed (Kolada serves up to 5,000 values a page).
const MAX_PAGES: usize = 1_000;

#[derive(Args, Clone)]
pub struct KoladaSyncArgs {
    /// The first page's URL, e.g.
    /// https://api.kolada.se/v3/data/kpi/N00914/municipality/2422,2506/year/2022,2023
    pub url: String,
    /// Seconds to wait for each answer.
    #[arg(long, default_value_t = TIMEOUT)]
    pub timeout: u64,
}

const TIMEOUT: u64 = 30;

/// As the command line's defaults give them, without a URL (the schedule sets it).
impl Default for KoladaSyncArgs {
    fn default() -> Self {
        Self {
            url: String::new(),
            timeout: TIMEOUT,
        }
    }
}

pub async fn kolada(store: &SqlStore, args: &KoladaSyncArgs, report: &Report) -> anyhow::Result<String> {
    let client = client(Duration::from_secs(args.timeout))?;
    let mut url = check_url(&args.url)?;
    let mut rows = Vec::new();
    let mut pages = 0usize;
    let progress = Progress::new(&args.url, "values").reporting(report);
    let fetched = fetch_all(&client, &mut url, &mut rows, &mut pages, &progress).await;
    progress.finish();
    fetched?;
    let n = store.import_kolada(&rows, &args.url, &Actor::cli()).await?;
    Ok(format!(
        "{}: {n} key-figure values imported from {pages} page(s)",
        args.url
    ))
}

/// Fetch and parse every page of a Kolada answer from `url` on, into `rows`.
async fn fetch_all(
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
        let bytes = get(client, url, progress)
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
