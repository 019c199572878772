//! `kkig forecast`: run the competence-supply forecast on a case file. Needs no database.

use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};

use crate::InputError;

#[derive(Args)]
pub struct ForecastArgs {
    /// The case: a JSON file as described in docs/forecast.md (`-` reads standard input).
    #[arg(long)]
    input: PathBuf,
    /// Output format: JSON `{"years": […], "totals": {…}}` or CSV (one row per year).
    #[arg(long, value_enum, default_value_t = ForecastFormat::Json)]
    format: ForecastFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum ForecastFormat {
    Json,
    Csv,
}

pub fn run(args: &ForecastArgs) -> anyhow::Result<()> {
    let input_error = |m: String| anyhow::Error::new(InputError(m));
    let mut bytes = Vec::new();
    if args.input.as_os_str() == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| input_error(format!("cannot read standard input: {e}")))?;
    } else {
        bytes = std::fs::read(&args.input)
            .map_err(|e| input_error(format!("cannot read {}: {e}", args.input.display())))?;
    }
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        input_error(format!(
            "{} is not UTF-8 text (byte {})",
            args.input.display(),
            e.valid_up_to()
        ))
    })?;
    let case = kkig_core::forecast::parse_case(text).map_err(|e| input_error(e.to_string()))?;
    let result = kkig_core::forecast::forecast(&case).map_err(|e| input_error(e.to_string()))?;
    let out = match args.format {
        ForecastFormat::Json => {
            let mut s = serde_json::to_string_pretty(&result).context("cannot write the forecast as JSON")?;
            s.push('\n');
            s
        }
        ForecastFormat::Csv => result.to_csv(),
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
        .context("cannot write to standard output")
}
