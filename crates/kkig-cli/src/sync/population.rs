//! `kkig sync population`: the PxWeb query for SCB's population table (TAB5557) for the
//! region's municipalities, and its JSON-stat 2.0 answer imported as `kkig import population`
//! imports a file.

use std::time::Duration;

use anyhow::Context;
use clap::Args;
use kkig_store::prelude::*;
use kkig_store::SqlStore;

use super::http::{check_url, client, post};
use crate::progress::{Progress, Report};

/// SCB's population by region, civil status, age and sex from 2025 (BefolkningCKM, TAB5557) in
/// the PxWeb API.
pub const SCB_POPULATION_URL: &str = "https://api.scb.se/OV0104/v1/doris/sv/ssd/BE/BE0101/BE0101A/BefolkningCKM";

#[derive(Args, Clone)]
pub struct PopulationSyncArgs {
    /// The PxWeb table's URL.
    #[arg(long, env = "KKIG_SCB_POPULATION_URL", default_value = SCB_POPULATION_URL)]
    pub url: String,
    /// The years to fetch, e.g. `--year 2025`; without it, the table's latest year.
    #[arg(long)]
    pub year: Vec<i32>,
    /// Seconds to wait for the answer.
    #[arg(long, default_value_t = TIMEOUT)]
    pub timeout: u64,
}

const TIMEOUT: u64 = 60;

/// As the command line's defaults give them (for the schedule inside `kkig serve`).
impl Default for PopulationSyncArgs {
    fn default() -> Self {
        Self {
            url: SCB_POPULATION_URL.into(),
            year: Vec::new(),
            timeout: TIMEOUT,
        }
    }
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

/// Ask for the region's population, read the answer and store it.
pub async fn population(store: &SqlStore, args: &PopulationSyncArgs, report: &Report) -> anyhow::Result<String> {
    let client = client(Duration::from_secs(args.timeout))?;
    let url = check_url(&args.url)?;
    let region: Vec<String> = store
        .municipalities()
        .await?
        .into_iter()
        .filter(|m| m.role.in_region())
        .map(|m| m.code.to_string())
        .collect();
    let query = population_query(&region, &args.year);
    let progress = Progress::new(url.as_str(), "answers").reporting(report);
    let bytes = post(&client, &url, &query, &progress)
        .await
        .context("nothing was imported");
    progress.step(1, "the answer arrived");
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
