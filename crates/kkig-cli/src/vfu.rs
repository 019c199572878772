//! `kkig import sites|supervisors|students|periods`: compose the VFU file parsers of
//! kkig-formats with the store's all-or-nothing imports. No domain logic here.

use std::path::PathBuf;

use clap::Args;
use kkig_formats::vfu::{item_errors, parse_periods, parse_sites, parse_students, parse_supervisors, ParsedRows};
use kkig_store::{Actor, ImportReport, Store, StoreError, VfuStore};


use crate::{open, read_file, InputError};

/// The arguments of every VFU import.
#[derive(Args)]
pub struct ImportArgs {
    /// CSV (Swedish Excel: `;`, UTF-8 with BOM or Windows-1252, decimal comma) or XLSX.
    pub file: PathBuf,
    /// Write the valid rows and report the invalid ones instead of writing nothing.
    #[arg(long)]
    pub skip_invalid: bool,
}

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Sites,
    Supervisors,
    Students,
    Periods,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Sites => "placement sites",
            Kind::Supervisors => "supervisors",
            Kind::Students => "students",
            Kind::Periods => "VFU periods",
        }
    }
}

fn input_error(message: String) -> anyhow::Error {
    anyhow::Error::new(InputError(message))
}

/// Report the parse errors; refuse (exit 2) unless `skip_invalid`.
fn check<T>(name: &str, parsed: &ParsedRows<T>, skip_invalid: bool) -> anyhow::Result<usize> {
    for e in &parsed.errors {
        eprintln!("rejected: {e}");
    }
    let rejected = parsed.errors.iter().filter_map(|e| e.row).collect::<std::collections::BTreeSet<_>>().len().max(usize::from(!parsed.errors.is_empty()));
    if rejected > 0 && !skip_invalid {
        return Err(input_error(format!(
            "{} error(s) in {name}; nothing was written (fix them, or use --skip-invalid to write the {} valid rows)",
            parsed.errors.len(),
            parsed.items.len()
        )));
    }
    Ok(rejected)
}

/// Errors the store found per item (e.g. an e-mail that belongs to a student) name the row too.
fn store_error<T>(name: &str, parsed: &ParsedRows<T>, e: StoreError) -> anyhow::Error {
    match e {
        StoreError::Items(items) => {
            let errors = item_errors(name, parsed, &items);
            for e in &errors {
                eprintln!("rejected: {e}");
            }
            input_error(format!("{} error(s) in {name}; nothing was written", errors.len()))
        }
        other => anyhow::Error::new(other),
    }
}

pub async fn import(database_url: &str, kind: Kind, args: ImportArgs) -> anyhow::Result<()> {
    let bytes = read_file(&args.file)?;
    let name = args.file.display().to_string();
    let store = open(database_url).await?;
    let result = async {
        let ctx = store.vfu_context().await?;
        let actor = Actor::cli();
        let (report, rejected): (ImportReport, usize) = match kind {
            Kind::Sites => {
                let p = parse_sites(&name, &bytes, &ctx);
                let rejected = check(&name, &p, args.skip_invalid)?;
                (store.import_placement_sites(&p.values(), &actor).await.map_err(|e| store_error(&name, &p, e))?, rejected)
            }
            Kind::Supervisors => {
                let p = parse_supervisors(&name, &bytes, &ctx);
                let rejected = check(&name, &p, args.skip_invalid)?;
                (store.import_supervisors(&p.values(), &actor).await.map_err(|e| store_error(&name, &p, e))?, rejected)
            }
            Kind::Students => {
                let p = parse_students(&name, &bytes, &ctx);
                let rejected = check(&name, &p, args.skip_invalid)?;
                (store.import_vfu_students(&p.values(), &actor).await.map_err(|e| store_error(&name, &p, e))?, rejected)
            }
            Kind::Periods => {
                let p = parse_periods(&name, &bytes, &ctx);
                let rejected = check(&name, &p, args.skip_invalid)?;
                (store.import_vfu_periods(&p.values(), &actor).await.map_err(|e| store_error(&name, &p, e))?, rejected)
            }
        };
        println!(
            "{name}: {} {}: {} created, {} updated, {} unchanged, {rejected} rejected",
            report.created + report.updated + report.unchanged,
            kind.noun(),
            report.created,
            report.updated,
            report.unchanged
        );
        Ok(())
    }
    .await;
    store.close().await;
    result
}
