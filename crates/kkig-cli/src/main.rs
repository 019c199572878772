//! `kkig`: the one binary. Argument parsing, progress, exit codes; no domain logic.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand, ValueEnum};
use kkig_core::demo::{DemoWorld, DEFAULT_SEED};
use kkig_store::{DemoOutcome, SqlStore, Store, DEFAULT_DATABASE_URL};

#[derive(Parser)]
#[command(
    name = "kkig",
    version,
    about = "Coordinated competence supply in inland Norrland: VFU, forecasts, education and joint initiatives",
    long_about = "kkig keeps the collaboration's data in a database — by default the SQLite file kkig.db in the \
                  working directory, created on first start — and serves it as web pages and a JSON API.\n\n\
                  Start here:  kkig serve --demo   then open http://127.0.0.1:8080"
)]
struct Cli {
    /// Database: sqlite://FILE (or a plain file path) or postgres://USER@HOST/DB.
    #[arg(long, global = true, env = "KKIG_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web pages and the JSON API until stopped with Ctrl-C or SIGTERM.
    ///
    /// Migrates the database and seeds the reference data first. With --demo, an empty
    /// database is filled with the deterministic demo world.
    Serve(ServeArgs),
    /// Apply the database migrations and seed the reference data, then exit.
    Migrate,
    /// Fill an empty database with the deterministic demo world (labelled demo everywhere).
    Demo(DemoArgs),
    /// Write data to a file (or standard output) as CSV, XLSX or JSON.
    Export(ExportArgs),
}

#[derive(Args)]
struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "KKIG_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Load the demo world into an empty database before serving.
    #[arg(long)]
    demo: bool,
    /// Seed of the demo world (same seed, same data).
    #[arg(long, default_value_t = DEFAULT_SEED, requires = "demo")]
    seed: u64,
    /// Mark cookies Secure: use when kkig is reached over HTTPS (directly or through a proxy).
    #[arg(long, env = "KKIG_SECURE_COOKIES")]
    secure_cookies: bool,
}

#[derive(Args)]
struct DemoArgs {
    /// Seed of the demo world (same seed, same data).
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
}

#[derive(Args)]
struct ExportArgs {
    #[command(subcommand)]
    what: ExportWhat,
}

#[derive(Subcommand)]
enum ExportWhat {
    /// The municipalities (the 17 participants and the campus towns) with population and position.
    ///
    /// CSV is written as Swedish Excel reads it: UTF-8 with BOM, ';' between fields, decimal comma.
    Municipalities {
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// File to write; standard output when absent (not for xlsx on a terminal).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Csv,
    Xlsx,
    Json,
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("KKIG_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}

/// Open the database, apply migrations and seed the embedded reference data.
async fn open(url: &str) -> anyhow::Result<Arc<SqlStore>> {
    let store = SqlStore::connect(url).await?;
    let reference = kkig_formats::reference::embedded().context("embedded reference data")?;
    store.seed_reference(&reference).await.context("seeding reference data")?;
    Ok(Arc::new(store))
}

async fn load_demo(store: &SqlStore, seed: u64) -> anyhow::Result<()> {
    let reference = kkig_formats::reference::embedded()?;
    let world = DemoWorld::generate(seed, &reference);
    match store.load_demo(&world).await? {
        DemoOutcome::Loaded { placement_sites, learning_centres } => tracing::info!(
            seed,
            placement_sites,
            learning_centres,
            "demo world loaded"
        ),
        DemoOutcome::AlreadyLoaded(status) => {
            tracing::info!(seed = status.seed, "demo world already loaded")
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

async fn serve(database_url: &str, args: ServeArgs) -> anyhow::Result<()> {
    let store = open(database_url).await?;
    if args.demo {
        load_demo(&store, args.seed).await?;
    }
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    let state = kkig_web::AppState::new(store.clone(), kkig_web::WebConfig { secure_cookies: args.secure_cookies })
        .map_err(anyhow::Error::msg)?;
    tracing::info!(
        addr = %args.addr,
        backend = store.backend().as_str(),
        "kkig is serving on http://{}",
        args.addr
    );
    kkig_web::serve(listener, state, shutdown_signal()).await.context("serving")?;
    store.close().await;
    Ok(())
}

async fn export(database_url: &str, what: ExportWhat) -> anyhow::Result<()> {
    match what {
        ExportWhat::Municipalities { format, output } => {
            let store = open(database_url).await?;
            let items = store.municipalities().await?;
            store.close().await;
            let bytes = match format {
                ExportFormat::Csv => kkig_formats::records::municipalities_table(&items).to_swedish_csv(),
                ExportFormat::Xlsx => kkig_formats::records::municipalities_table(&items)
                    .to_xlsx("Kommuner")
                    .context("writing XLSX")?,
                ExportFormat::Json => {
                    let records: Vec<_> = items.iter().map(kkig_formats::MunicipalityRecord::from).collect();
                    let mut v = serde_json::to_vec_pretty(&records)?;
                    v.push(b'\n');
                    v
                }
            };
            write_output(output.as_deref(), &bytes, matches!(format, ExportFormat::Xlsx))
        }
    }
}

fn write_output(path: Option<&std::path::Path>, bytes: &[u8], binary: bool) -> anyhow::Result<()> {
    match path {
        Some(p) => std::fs::write(p, bytes).with_context(|| format!("cannot write {}", p.display())),
        None => {
            let mut out = std::io::stdout().lock();
            if binary && std::io::IsTerminal::is_terminal(&out) {
                bail!("XLSX is binary: give --output FILE or redirect standard output to a file");
            }
            out.write_all(bytes).and_then(|_| out.flush()).context("cannot write to standard output")
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve(&cli.database_url, args).await,
        Command::Migrate => {
            let store = open(&cli.database_url).await?;
            tracing::info!(backend = store.backend().as_str(), "database is migrated and reference data seeded");
            store.close().await;
            Ok(())
        }
        Command::Demo(args) => {
            let store = open(&cli.database_url).await?;
            let result = load_demo(&store, args.seed).await;
            store.close().await;
            result
        }
        Command::Export(args) => export(&cli.database_url, args.what).await,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line: the chain of causes, without a backtrace.
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
