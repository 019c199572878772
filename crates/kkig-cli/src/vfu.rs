//! `kkig import sites|supervisors|students|periods`: compose the VFU file parsers of
//! kkig-formats with the store's all-or-nothing imports. No domain logic here.

use std::path::PathBuf;

use clap::Args;
use kkig_formats::vfu::{item_errors, parse_periods, parse_sites, parse_students, parse_supervisors, ParsedRows};
use kkig_store::{Actor, ImportReport, StoreError};

use crate::{open, read_file, InputError};
use kkig_store::prelude::*;

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
    let rejected = parsed
        .errors
        .iter()
        .filter_map(|e| e.row)
        .collect::<std::collections::BTreeSet<_>>()
        .len()
        .max(usize::from(!parsed.errors.is_empty()));
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
                (
                    store
                        .import_placement_sites(&p.values(), &actor)
                        .await
                        .map_err(|e| store_error(&name, &p, e))?,
                    rejected,
                )
            }
            Kind::Supervisors => {
                let p = parse_supervisors(&name, &bytes, &ctx);
                let rejected = check(&name, &p, args.skip_invalid)?;
                (
                    store
                        .import_supervisors(&p.values(), &actor)
                        .await
                        .map_err(|e| store_error(&name, &p, e))?,
                    rejected,
                )
            }
            Kind::Students => {
                let p = parse_students(&name, &bytes, &ctx);
                let rejected = check(&name, &p, args.skip_invalid)?;
                (
                    store
                        .import_vfu_students(&p.values(), &actor)
                        .await
                        .map_err(|e| store_error(&name, &p, e))?,
                    rejected,
                )
            }
            Kind::Periods => {
                let p = parse_periods(&name, &bytes, &ctx);
                let rejected = check(&name, &p, args.skip_invalid)?;
                (
                    store
                        .import_vfu_periods(&p.values(), &actor)
                        .await
                        .map_err(|e| store_error(&name, &p, e))?,
                    rejected,
                )
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

/// `kkig export vfu …`: the registry's lists as CSV (Swedish Excel), XLSX or iCalendar.
#[derive(clap::Subcommand)]
pub enum ExportVfu {
    /// Placements: of one site (the list for its supervisors) or of one municipality (for its
    /// coordinator), or all.
    Placements {
        #[arg(long)]
        site: Option<String>,
        /// Kommunkod of the sites' municipality.
        #[arg(long)]
        municipality: Option<String>,
        #[command(flatten)]
        out: Output,
    },
    /// The compensation basis: placements × weeks per municipality, university and term.
    Compensation {
        #[arg(long)]
        municipality: Option<String>,
        #[command(flatten)]
        out: Output,
    },
    /// Placement sites (the import columns; re-importing the file changes nothing).
    Sites {
        #[arg(long)]
        municipality: Option<String>,
        #[command(flatten)]
        out: Output,
    },
    /// Supervisors (the import columns).
    Supervisors {
        #[arg(long)]
        municipality: Option<String>,
        #[command(flatten)]
        out: Output,
    },
    /// VFU periods as an iCalendar feed, with the timeline milestones before each period.
    Calendar {
        /// LTU, UmU or MIUN; all universities when absent.
        #[arg(long)]
        university: Option<String>,
        /// File to write; standard output when absent.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Args)]
pub struct Output {
    /// csv (Swedish Excel: BOM, `;`, decimal comma) or xlsx.
    #[arg(long, default_value = "csv")]
    format: TableFormat,
    /// File to write; standard output when absent (not for xlsx on a terminal).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum TableFormat {
    Csv,
    Xlsx,
}

fn kommunkod(s: Option<String>) -> anyhow::Result<Option<kkig_core::Kommunkod>> {
    s.map(|s| kkig_core::Kommunkod::parse(&s).map_err(|e| input_error(format!("--municipality: {e}"))))
        .transpose()
}

fn write_table(table: kkig_formats::Table, sheet: &str, out: &Output) -> anyhow::Result<()> {
    let (bytes, binary) = match out.format {
        TableFormat::Csv => (table.to_swedish_csv(), false),
        TableFormat::Xlsx => (
            table.to_xlsx(sheet).map_err(|e| anyhow::anyhow!("writing XLSX: {e}"))?,
            true,
        ),
    };
    crate::write_output(out.output.as_deref(), &bytes, binary)
}

pub async fn export(database_url: &str, what: ExportVfu) -> anyhow::Result<()> {
    use kkig_formats::vfu::{compensation_table, placements_table, sites_table, supervisors_table, PlacementAudience};
    let store = open(database_url).await?;
    let result = async {
        match what {
            ExportVfu::Placements {
                site,
                municipality,
                out,
            } => {
                let audience = if site.is_some() {
                    PlacementAudience::Site
                } else {
                    PlacementAudience::Municipality
                };
                let filter = kkig_store::PlacementFilter {
                    site_id: site.map(kkig_core::ids::SiteId::from),
                    site_municipality: kommunkod(municipality)?,
                    ..Default::default()
                };
                let lines = store.placement_lines(&filter).await?;
                write_table(placements_table(&lines, audience), "Placeringar", &out)
            }
            ExportVfu::Compensation { municipality, out } => {
                let rows = store.compensation_basis(kommunkod(municipality)?).await?;
                write_table(compensation_table(&rows), "Ersättningsunderlag", &out)
            }
            ExportVfu::Sites { municipality, out } => {
                let sites = store.placement_sites(kommunkod(municipality)?).await?;
                write_table(sites_table(&sites), "VFU-platser", &out)
            }
            ExportVfu::Supervisors { municipality, out } => {
                let sups = store.supervisors(kommunkod(municipality)?).await?;
                write_table(supervisors_table(&sups), "Handledare", &out)
            }
            ExportVfu::Calendar { university, output } => {
                let periods = store.vfu_periods(university.as_deref()).await?;
                let ics = kkig_formats::ical::vfu_periods(&periods, &Default::default());
                crate::write_output(output.as_deref(), ics.as_bytes(), false)
            }
        }
    }
    .await;
    store.close().await;
    result
}
