//! `kkig import population|kolada|staff`: the forecast's inputs from files. Parsing is
//! `kkig-formats`; writing is the store, in one transaction. A file that does not parse exits
//! 2 with the position named, and nothing is written.

use std::collections::BTreeSet;
use std::path::PathBuf;

use clap::Args;
use kkig_core::forecast::product::{ForecastInput, PopulationCell};
use kkig_formats::population::{parse_population, PopulationQuery};
use kkig_store::{Actor, ForecastStore, StoreError};

use crate::{open, read_file, InputError};
use kkig_store::prelude::*;

#[derive(Args)]
pub struct PopulationArgs {
    /// A PxWeb response in JSON-stat 2.0 (e.g. SCB BefolkningNy/TAB638: Region, Alder, Kon,
    /// ContentsCode, Tid), sexes are summed.
    file: PathBuf,
    /// The file is a population projection (e.g. BefProgRegFakN): its years are kept apart
    /// from the observed population and used where no observed year exists.
    #[arg(long)]
    projection: bool,
    /// Fix another dimension to one category, e.g. `--select ContentsCode=BE0101N1`.
    #[arg(long, value_name = "DIMENSION=CODE")]
    select: Vec<String>,
}

#[derive(Args)]
pub struct KoladaArgs {
    /// One or more Kolada API pages (JSON).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(Args)]
pub struct StaffArgs {
    /// Staff by age, CSV (Swedish Excel) or XLSX: kommunkod;ssyk;ålder;antal (docs/forecast.md).
    file: PathBuf,
    /// The base year of the profiles (the staff at the start of this year). Default: this year.
    #[arg(long)]
    base_year: Option<i32>,
}

fn input_error(message: String) -> anyhow::Error {
    anyhow::Error::new(InputError(message))
}

pub async fn population(database_url: &str, args: PopulationArgs) -> anyhow::Result<()> {
    let bytes = read_file(&args.file)?;
    let name = args.file.display().to_string();
    let mut query = PopulationQuery {
        sum_sexes: true,
        select: Vec::new(),
    };
    for s in &args.select {
        let (d, c) = s
            .split_once('=')
            .ok_or_else(|| input_error(format!("--select {s:?}: expected DIMENSION=CODE")))?;
        query.select.push((d.trim().to_string(), c.trim().to_string()));
    }
    let table = parse_population(&name, &bytes, &query).map_err(|e| input_error(e.to_string()))?;
    let store = open(database_url).await?;
    let result = store_population(&store, &name, &table, args.projection).await;
    store.close().await;
    println!("{}", result?);
    Ok(())
}

/// Store a parsed population table: the cells of the municipalities kkig knows (all of Sweden),
/// replacing each (municipality, year, observed/projection) it holds; returns what it did.
/// Shared with `kkig sync`.
pub(crate) async fn store_population(
    store: &kkig_store::SqlStore,
    name: &str,
    table: &kkig_formats::population::PopulationTable,
    projection: bool,
) -> anyhow::Result<String> {
    {
        let known: BTreeSet<_> = store.municipalities().await?.into_iter().map(|m| m.code).collect();
        let cells: Vec<_> = table
            .rows
            .iter()
            .filter(|r| known.contains(&r.kommunkod))
            .map(|r| {
                (
                    r.kommunkod,
                    PopulationCell {
                        age: r.age,
                        year: r.year,
                        value: r.value,
                        projection,
                    },
                )
            })
            .collect();
        let ignored: BTreeSet<String> = table
            .rows
            .iter()
            .filter(|r| !known.contains(&r.kommunkod))
            .map(|r| r.kommunkod.to_string())
            .collect();
        let municipalities: BTreeSet<_> = cells.iter().map(|c| c.0).collect();
        let n = store.import_population(&cells, name, &Actor::cli()).await?;
        let what = if projection { "projected" } else { "observed" };
        Ok(format!(
            "{name}: {n} {what} population cells of {} municipalities imported{}",
            municipalities.len(),
            if ignored.is_empty() {
                String::new()
            } else {
                format!(" ({} municipalities not known to kkig left out)", ignored.len())
            }
        ))
    }
}

pub async fn kolada(database_url: &str, args: KoladaArgs) -> anyhow::Result<()> {
    let mut pages = Vec::new();
    for f in &args.files {
        let name = f.display().to_string();
        let page = kkig_formats::kolada::parse_kolada(&name, &read_file(f)?).map_err(|e| input_error(e.to_string()))?;
        pages.push((name, page));
    }
    // A paged answer is imported whole or not at all: half of it would look like complete data.
    if let Some(missing) = kkig_formats::kolada::missing_pages(&pages) {
        return Err(input_error(format!(
            "{missing}; give every page of the answer in one command (nothing was imported)"
        )));
    }
    let rows: Vec<_> = pages.into_iter().flat_map(|(_, p)| p.rows).collect();
    let store = open(database_url).await?;
    let names: Vec<String> = args.files.iter().map(|f| f.display().to_string()).collect();
    let result = async {
        let n = store.import_kolada(&rows, &names.join(", "), &Actor::cli()).await?;
        println!("{}: {n} key-figure values imported", names.join(", "));
        Ok(())
    }
    .await;
    store.close().await;
    result
}

pub async fn staff(database_url: &str, args: StaffArgs) -> anyhow::Result<()> {
    let bytes = read_file(&args.file)?;
    let name = args.file.display().to_string();
    let profiles = kkig_formats::staff::parse_staff_ages(&name, &bytes).map_err(|errors| {
        for e in &errors {
            eprintln!("rejected: {e}");
        }
        input_error(format!("{} error(s) in {name}; nothing was written", errors.len()))
    })?;
    let base_year = args.base_year.unwrap_or_else(|| time::OffsetDateTime::now_utc().year());
    let store = open(database_url).await?;
    let result = async {
        let mut inputs = Vec::new();
        for p in &profiles {
            // Keep what the municipality set (vacancies, completion share, parameters).
            let mut input = store
                .forecast_input(p.kommunkod, p.ssyk)
                .await?
                .unwrap_or_else(|| ForecastInput::new(p.kommunkod, p.ssyk, base_year));
            input.base_year = base_year;
            input.staff_by_age = p.staff_by_age.clone();
            inputs.push(input);
        }
        match store.import_forecast_inputs(&inputs, &Actor::cli()).await {
            Ok(n) => {
                println!("{name}: {n} age profiles imported (base year {base_year})");
                Ok(())
            }
            Err(StoreError::Items(items)) => {
                for (i, e) in &items {
                    eprintln!(
                        "rejected: {name}: {} {}: {e}",
                        profiles[*i].kommunkod, profiles[*i].ssyk
                    );
                }
                Err(input_error(format!(
                    "{} invalid profile(s) in {name}; nothing was written",
                    items.len()
                )))
            }
            Err(e) => Err(e.into()),
        }
    }
    .await;
    store.close().await;
    result
}
