//! `kkig allocate` and `kkig demo-instance`: the VFU allocation engine on files, with no
//! database (docs/allocation.md). Both run before the async runtime starts.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use kkig_core::allocation::{self, demo, BUCKET_LABELS};

use crate::InputError;

#[derive(Args)]
pub struct AllocateArgs {
    /// The instance: rules, sites and students as JSON (docs/allocation.md).
    #[arg(long)]
    input: PathBuf,
    /// Where to write the result JSON; standard output when absent.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

#[derive(Args)]
pub struct DemoInstanceArgs {
    /// Number of students.
    #[arg(long)]
    students: usize,
    /// Number of placement sites.
    #[arg(long)]
    sites: usize,
    /// How many fields of study (1–10: nurse, preschool, teacher-f3, teacher-46, …).
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u8).range(1..=10))]
    fields: u8,
    /// Seed: the same seed gives the same instance.
    #[arg(long, default_value_t = kkig_core::demo::DEFAULT_SEED)]
    seed: u64,
    /// Total capacity ≈ this × students (e.g. 2 loose, 0.9 tight); without it capacities are 1–6.
    #[arg(long)]
    capacity_factor: Option<f64>,
    /// File to write; standard output when absent.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

fn input_error(msg: String) -> anyhow::Error {
    anyhow::Error::new(InputError(msg))
}

fn write_out(path: Option<&PathBuf>, bytes: &[u8]) -> anyhow::Result<()> {
    match path {
        Some(p) => std::fs::write(p, bytes).with_context(|| format!("cannot write {}", p.display())),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|_| out.flush())
                .context("cannot write to standard output")
        }
    }
}

fn pct(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

pub fn allocate(args: &AllocateArgs) -> anyhow::Result<()> {
    let t0 = Instant::now();
    let bytes =
        std::fs::read(&args.input).map_err(|e| input_error(format!("cannot read {}: {e}", args.input.display())))?;
    let instance =
        allocation::parse_instance(&bytes).map_err(|e| input_error(format!("{}: {e}", args.input.display())))?;
    drop(bytes);
    let v = instance
        .validate()
        .map_err(|e| input_error(format!("{}: {e}", args.input.display())))?;
    let t1 = Instant::now();
    let result = allocation::solve(&v);
    let t2 = Instant::now();
    let mut out = Vec::new();
    result.write_json(&v, &mut out);
    write_out(args.output.as_ref(), &out)?;
    let t3 = Instant::now();

    let s = result.summary(&v);
    let mut e = std::io::stderr().lock();
    let _ = writeln!(
        e,
        "allocated {} students to {} sites: {} placed ({:.1} %), {} unplaced; objective {}",
        s.students,
        instance.sites.len(),
        s.placed,
        pct(s.placed, s.students),
        s.students - s.placed,
        result.objective
    );
    let _ = writeln!(
        e,
        "placed in their home municipality: {} ({:.1} % of the placed)",
        s.placed_home,
        pct(s.placed_home, s.placed)
    );
    let buckets: Vec<String> = BUCKET_LABELS
        .iter()
        .zip(s.buckets)
        .map(|(l, n)| format!("{l} min {:.1} %", pct(n, s.placed)))
        .collect();
    let _ = writeln!(
        e,
        "travel of the placed: min {}, quartiles {} / {} / {}, max {} minutes; {}",
        s.minutes_min,
        s.minutes_q1,
        s.minutes_median,
        s.minutes_q3,
        s.minutes_max,
        buckets.join(", ")
    );
    let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1000.0;
    let _ = writeln!(
        e,
        "{} candidate pairs, {} round(s) of {} phase(s); read {:.0} ms, graph and solve {:.0} ms, write {:.0} ms",
        result.stats.candidate_edges,
        result.stats.rounds,
        result.stats.phases,
        ms(t0, t1),
        ms(t1, t2),
        ms(t2, t3)
    );
    Ok(())
}

pub fn demo_instance(args: &DemoInstanceArgs) -> anyhow::Result<()> {
    if let Some(f) = args.capacity_factor {
        if !(f.is_finite() && (0.0..=1000.0).contains(&f)) {
            return Err(input_error(format!(
                "--capacity-factor must be between 0 and 1000, got {f}"
            )));
        }
    }
    if args.students > 10_000_000 || args.sites > 10_000_000 {
        return Err(input_error("--students and --sites must be at most 10000000".into()));
    }
    let reference = kkig_formats::reference::embedded().context("embedded reference data")?;
    let spec = demo::DemoSpec {
        students: args.students,
        sites: args.sites,
        fields: args.fields as usize,
        seed: args.seed,
        capacity_factor: args.capacity_factor,
    };
    let instance = demo::generate(&spec, &reference.municipalities);
    let mut out = serde_json::to_vec(&instance).context("serialising the instance")?;
    out.push(b'\n');
    write_out(args.output.as_ref(), &out)
}
