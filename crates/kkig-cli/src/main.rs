//! `kkig`: the one binary. Argument parsing, progress, exit codes; no domain logic.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand, ValueEnum};
use kkig_core::access::{check_scope, Role};
use kkig_core::demo::{DemoWorld, DEFAULT_SEED};
use kkig_core::ids::{PersonId, UserId};
use kkig_store::prelude::*;
use kkig_store::{Actor, DemoOutcome, NewUser, SqlStore, DEFAULT_DATABASE_URL};

/// mimalloc instead of the system allocator: a search answer makes many short-lived
/// allocations across two worker threads, where glibc's malloc spent a tenth of the CPU
/// (bench/search/results.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod allocate;
mod forecast;
mod forecast_import;
mod progress;
mod sync;
mod vfu;

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

    /// The address users reach kkig at, used in links kkig prints or shows.
    #[arg(long, global = true, env = "KKIG_BASE_URL", default_value = "http://127.0.0.1:8080")]
    base_url: String,

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
    /// Manage user accounts: add, list, disable, and create password links.
    #[command(subcommand)]
    User(UserCommand),
    /// Read the audit log: every change to personal data and shared records.
    Audit {
        /// First day to show, YYYY-MM-DD (UTC).
        #[arg(long)]
        since: String,
        /// Output as JSON lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Privacy requests: export or erase a person's data, and the retention of student data.
    #[command(subcommand)]
    Privacy(PrivacyCommand),
    /// Import files: education offerings, a measured travel-time matrix, the VFU registry, the
    /// forecast's population, key figures and staff age profiles.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Fetch data from its publisher's API over HTTPS and import it (checked as `import` does;
    /// a failed or partial fetch writes nothing).
    #[command(subcommand)]
    Sync(SyncCommand),
    /// Forecast staff, retirements and recruitment need of one occupation in one municipality
    /// from a case file (docs/forecast.md). Needs no database.
    Forecast(forecast::ForecastArgs),
    /// Allocate VFU students to placement sites, provably optimal (docs/allocation.md).
    /// Reads an instance JSON, writes the result JSON; needs no database.
    Allocate(allocate::AllocateArgs),
    /// Write a demo allocation instance shaped like Swedish VFU, the same for the same seed.
    DemoInstance(allocate::DemoInstanceArgs),
}

#[derive(Subcommand)]
enum SyncCommand {
    /// Kolada v3 key figures: fetch the URL's first page and every page its `next_url` links
    /// to (retrying a failed page with backoff), then import them all in one transaction.
    Kolada(sync::KoladaSyncArgs),
    /// SCB's population (TAB5557, from 2025) of the region's municipalities: posts a PxWeb query
    /// and imports the JSON-stat 2.0 answer as `import population` does.
    Population(sync::PopulationSyncArgs),
    /// Education offerings from Susa-navet's EMIL 3 API: every page of providers, infos and
    /// events of the school types the first time (or with --full), afterwards what changed since
    /// the last success (updatedSince) and the records those changes need, stored as
    /// `import offerings --skip-invalid` does; deleted and cancelled ones are removed.
    Offerings(sync::OfferingsSyncArgs),
    /// The last run of each source (when, whether it succeeded, what it did, the last success)
    /// and the runs in progress.
    Status,
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Education offerings from Susa-navet EMIL 3 JSON (an API page or an array of records), or
    /// CSV/XLSX with the columns of docs/catalogue-import.md. Upserts by id: importing twice
    /// changes nothing. The whole file is validated first; with any invalid record nothing is
    /// written (exit 2), unless --skip-invalid.
    Offerings {
        /// One or more files; Susa-navet pages of infos, events and providers are joined.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Write the valid records and report the invalid ones instead of writing nothing.
        #[arg(long)]
        skip_invalid: bool,
    },
    /// A measured travel-time matrix: CSV `from;to;minutes` of kommunkod (replaces the previous one).
    Travel { file: PathBuf },
    /// VFU placement sites (CSV/XLSX, columns in docs/vfu.md). Upserts by id. The whole file is
    /// validated first; with any invalid row nothing is written (exit 2), unless --skip-invalid.
    Sites(vfu::ImportArgs),
    /// VFU supervisors (CSV/XLSX, docs/vfu.md). Upserts by e-mail; all or nothing as for sites.
    Supervisors(vfu::ImportArgs),
    /// Students on VFU periods (CSV/XLSX, docs/vfu.md). Upserts by period and e-mail.
    Students(vfu::ImportArgs),
    /// VFU periods (CSV/XLSX, docs/vfu.md). Upserts by id.
    Periods(vfu::ImportArgs),
    /// Population by age and year from SCB's PxWeb JSON-stat 2.0 (TAB638), or with
    /// --projection a population projection; replaces the same municipalities and years.
    Population(forecast_import::PopulationArgs),
    /// Key figures from Kolada API JSON pages (upserts by KPI, municipality, period, gender).
    Kolada(forecast_import::KoladaArgs),
    /// Staff age profiles for the forecast (CSV/XLSX `kommunkod;ssyk;ålder;antal`,
    /// docs/forecast.md); all or nothing.
    Staff(forecast_import::StaffArgs),
}

/// Invalid input: reported, nothing written, exit code 2.
#[derive(Debug)]
struct InputError(String);

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account and print a one-time link where the user chooses a password.
    ///
    /// There are no default passwords. Roles: admin, regional, municipality (--scope KOMMUNKOD),
    /// university (--scope LTU|UmU|MIUN), provider (--scope PROVIDER-ID), supervisor, student.
    /// A person the VFU registry already has (same e-mail, no account) gets the account when the
    /// role fits them (docs/accounts-and-privacy.md, "Who a person is").
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        role: String,
        /// The municipality, university or provider the role is limited to.
        #[arg(long)]
        scope: Option<String>,
    },
    /// List all accounts.
    List,
    /// Disable an account: it can no longer sign in, its sessions end and its tokens stop working.
    Disable { email: String },
    /// Print a one-time link (valid 7 days) where the user chooses a new password.
    ResetLink { email: String },
}

#[derive(Subcommand)]
enum PrivacyCommand {
    /// Print everything kkig holds on a person, as JSON (the export is audited).
    Export {
        #[arg(long)]
        person: String,
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Erase a person everywhere; anonymous counts are kept (audited).
    Erase {
        #[arg(long)]
        person: String,
    },
    /// List (or with --apply erase) students whose last VFU period ended more than N months ago.
    Retention {
        /// Erase them; without this flag nothing is changed.
        #[arg(long)]
        apply: bool,
        #[arg(long, env = "KKIG_RETENTION_MONTHS", default_value_t = kkig_core::privacy::DEFAULT_RETENTION_MONTHS)]
        months: u32,
    },
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
    /// Months a student's personal data is kept after their last VFU period; erased daily after.
    #[arg(long, env = "KKIG_RETENTION_MONTHS", default_value_t = kkig_core::privacy::DEFAULT_RETENTION_MONTHS)]
    retention_months: u32,
    /// A reverse proxy in front of kkig (an address or a CIDR network, e.g. 10.0.0.0/8);
    /// repeatable, or comma-separated in the variable. Only from these peers are the client's
    /// address taken from Forwarded / X-Forwarded-For (for sign-in throttling). Default: none.
    #[arg(
        long = "trusted-proxy",
        value_name = "CIDR",
        env = "KKIG_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<kkig_web::client_addr::Cidr>,
    #[command(flatten)]
    sync: sync::schedule::ScheduleArgs,
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
    /// The VFU registry: placements per site or municipality, the compensation basis, sites,
    /// supervisors (CSV/XLSX), and the VFU periods as an iCalendar feed.
    #[command(subcommand)]
    Vfu(vfu::ExportVfu),
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
    store
        .seed_reference(&reference)
        .await
        .context("seeding reference data")?;
    Ok(Arc::new(store))
}

async fn load_demo(store: &SqlStore, seed: u64) -> anyhow::Result<()> {
    let reference = kkig_formats::reference::embedded()?;
    let world = DemoWorld::generate(seed, &reference);
    match store.load_demo(&world).await? {
        DemoOutcome::Loaded {
            placement_sites,
            learning_centres,
        } => tracing::info!(seed, placement_sites, learning_centres, "demo world loaded"),
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

async fn serve(database_url: &str, base_url: &str, args: ServeArgs) -> anyhow::Result<()> {
    let schedule = sync::schedule::plan(&args.sync)?;
    let store = open(database_url).await?;
    if args.demo {
        load_demo(&store, args.seed).await?;
    }
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    let users = store.users().await?;
    if !users.iter().any(|u| u.role == Role::Admin && !u.disabled) {
        tracing::warn!(
            "no administrator yet: create one with  kkig user add --role admin --email YOU@EXAMPLE.SE --name \"Your Name\"  and open the link it prints"
        );
    }
    let config = kkig_web::WebConfig {
        secure_cookies: args.secure_cookies,
        base_url: base_url.trim_end_matches('/').to_string(),
        retention_months: Some(args.retention_months),
        trusted_proxies: args.trusted_proxies.clone(),
        sync_schedule: schedule.as_ref().map(|(jobs, every)| kkig_web::SyncSchedule {
            every_hours: u32::try_from(every.as_secs() / 3600).unwrap_or(u32::MAX),
            sources: jobs.iter().map(|j| j.source().as_str().to_string()).collect(),
        }),
    };
    let state = kkig_web::AppState::new(store.clone(), config).map_err(anyhow::Error::msg)?;
    if !args.trusted_proxies.is_empty() {
        let proxies: Vec<String> = args.trusted_proxies.iter().map(ToString::to_string).collect();
        tracing::info!(proxies = %proxies.join(", "), "client addresses are taken from these proxies' forwarded headers");
    }
    tracing::info!(
        addr = %args.addr,
        backend = store.backend().as_str(),
        "kkig is serving on http://{}",
        args.addr
    );
    let syncs = schedule.map(|(jobs, every)| tokio::spawn(sync::schedule::run(store.clone(), jobs, every)));
    let served = kkig_web::serve(listener, state, shutdown_signal())
        .await
        .context("serving");
    if let Some(task) = syncs {
        task.abort();
        let _ = task.await;
    }
    served?;
    store.close().await;
    Ok(())
}

async fn export(database_url: &str, what: ExportWhat) -> anyhow::Result<()> {
    match what {
        ExportWhat::Vfu(what) => vfu::export(database_url, what).await,
        ExportWhat::Municipalities { format, output } => {
            let store = open(database_url).await?;
            // the region, as `GET /api/v1/municipalities` lists it
            let items: Vec<_> = store
                .municipalities()
                .await?
                .into_iter()
                .filter(|m| m.role.in_region())
                .collect();
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
            out.write_all(bytes)
                .and_then(|_| out.flush())
                .context("cannot write to standard output")
        }
    }
}

/// Store parsed offerings as `kkig import offerings` does: municipalities kkig does not know
/// rejected, every invalid record listed, nothing written when any is invalid (unless
/// `skip_invalid`), removals applied with the upserts; returns what it did. Shared with
/// `kkig sync offerings`.
pub(crate) async fn store_offerings(
    store: &SqlStore,
    name: &str,
    mut parsed: kkig_formats::ParsedOfferings,
    skip_invalid: bool,
) -> anyhow::Result<String> {
    {
        let known: std::collections::BTreeSet<_> = store.municipalities().await?.into_iter().map(|m| m.code).collect();
        parsed.reject_unknown_municipalities(|k| known.contains(&k));
        for s in &parsed.skipped {
            eprintln!("skipped: {}, row {}: {} ({})", s.file, s.row, s.id, s.reason);
        }
        for e in &parsed.errors {
            eprintln!("rejected: {e}");
        }
        // Values left out of offerings that are imported (a URL that is not http(s)).
        for w in &parsed.warnings {
            eprintln!("warning: {w}");
        }
        let warned = match parsed.warnings.len() {
            0 => String::new(),
            n => format!(", {n} warning(s)"),
        };
        let rejected = parsed.errors.len();
        if rejected > 0 && !skip_invalid {
            return Err(anyhow::Error::new(InputError(format!(
                "{rejected} invalid record(s) in {name}; nothing was written (fix them, or use --skip-invalid to write the {} valid ones)",
                parsed.offerings.len()
            ))));
        }
        // Deleted records and cancelled events remove the offerings they refer to.
        let removals: Vec<kkig_store::OfferingRemoval> = parsed
            .removals
            .iter()
            .map(|r| {
                let id = r.id.clone();
                match r.kind {
                    kkig_formats::RecordKind::Event => kkig_store::OfferingRemoval::Event(id),
                    kkig_formats::RecordKind::Info => kkig_store::OfferingRemoval::Education(id),
                    kkig_formats::RecordKind::Provider => kkig_store::OfferingRemoval::Provider(id),
                }
            })
            .collect();
        let offerings = parsed.into_offerings();
        let progress = progress::Progress::new(name, "records");
        progress.step(
            (offerings.len() + removals.len()) as u64,
            &format!("storing {} offerings and {} removals", offerings.len(), removals.len()),
        );
        let report = store.import_offerings(&offerings, &removals, &Actor::cli()).await;
        progress.finish();
        let report = report?;
        Ok(format!(
            "{name}: {} created, {} updated, {} unchanged, {} removed, {rejected} rejected{warned}",
            report.created, report.updated, report.unchanged, report.removed
        ))
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve(&cli.database_url, &cli.base_url, args).await,
        Command::User(cmd) => user(&cli.database_url, &cli.base_url, cmd).await,
        Command::Audit { since, json } => audit(&cli.database_url, &since, json).await,
        Command::Privacy(cmd) => privacy(&cli.database_url, cmd).await,
        Command::Import(cmd) => import(&cli.database_url, cmd).await,
        Command::Sync(cmd) => {
            let store = open(&cli.database_url).await?;
            let job = match cmd {
                SyncCommand::Kolada(args) => sync::Job::Kolada(args),
                SyncCommand::Population(args) => sync::Job::Population(args),
                SyncCommand::Offerings(args) => sync::Job::Offerings(args),
                SyncCommand::Status => {
                    let result = sync::status(&store).await;
                    store.close().await;
                    return result;
                }
            };
            let result = sync::run_recorded(&store, &job, progress::Report::default()).await;
            store.close().await;
            result.map(|summary| println!("{summary}"))
        }
        Command::Migrate => {
            let store = open(&cli.database_url).await?;
            tracing::info!(
                backend = store.backend().as_str(),
                "database is migrated and reference data seeded"
            );
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
        Command::Forecast(args) => forecast::run(&args),
        // Run in main() before the runtime starts.
        Command::Allocate(args) => allocate::allocate(&args),
        Command::DemoInstance(args) => allocate::demo_instance(&args),
    }
}

async fn reset_path(store: &SqlStore, user_id: &UserId) -> anyhow::Result<String> {
    let secret = kkig_web::auth::new_secret();
    let expires = time::OffsetDateTime::now_utc().unix_timestamp() + 7 * 86_400;
    store
        .create_password_reset(
            user_id,
            &kkig_core::privacy::hash_token(&secret),
            expires,
            &Actor::cli(),
        )
        .await?;
    Ok(format!("/losenord/{secret}"))
}

async fn user(database_url: &str, base_url: &str, cmd: UserCommand) -> anyhow::Result<()> {
    let store = open(database_url).await?;
    let base = base_url.trim_end_matches('/');
    let result = async {
        match cmd {
            UserCommand::Add { email, name, role, scope } => {
                let role = Role::parse(&role).with_context(|| {
                    format!("unknown role {role:?}: expected one of admin, regional, municipality, university, provider, supervisor, student")
                })?;
                let unis: Vec<String> = store.universities().await?.into_iter().map(|u| u.code).collect();
                let unis: Vec<&str> = unis.iter().map(String::as_str).collect();
                let scope = check_scope(role, scope.as_deref(), &unis)?;
                let user = store.create_user(&NewUser { email, name, role, scope }, &Actor::cli()).await?;
                let path = reset_path(&store, &user.id).await?;
                println!("created {} ({}{})", user.email, role.as_str(), user.scope.as_deref().map(|s| format!(", {s}")).unwrap_or_default());
                println!("the user chooses a password here (valid 7 days, once): {base}{path}");
            }
            UserCommand::List => {
                println!("{:<36} {:<28} {:<13} {:<8} {:<16} {:<34} user", "email", "name", "role", "scope", "status", "person");
                for u in store.users().await? {
                    let status = if u.disabled { "disabled" } else if u.password_hash.is_none() { "no password yet" } else { "active" };
                    println!(
                        "{:<36} {:<28} {:<13} {:<8} {:<16} {:<34} {}",
                        u.email, u.name, u.role.as_str(), u.scope.unwrap_or_default(), status, u.person_id, u.id
                    );
                }
            }
            UserCommand::Disable { email } => {
                let u = store.user_by_email(&email).await?.with_context(|| format!("no account with e-mail {email}"))?;
                store.set_user_disabled(&u.id, true, &Actor::cli()).await?;
                println!("disabled {}; its sessions are ended, its tokens and password links no longer work", u.email);
            }
            UserCommand::ResetLink { email } => {
                let u = store.user_by_email(&email).await?.with_context(|| format!("no account with e-mail {email}"))?;
                let path = reset_path(&store, &u.id).await?;
                println!("{base}{path}");
            }
        }
        Ok(())
    }
    .await;
    store.close().await;
    result
}

async fn audit(database_url: &str, since: &str, json: bool) -> anyhow::Result<()> {
    let date = time::Date::parse(since, time::macros::format_description!("[year]-[month]-[day]"))
        .with_context(|| format!("--since {since:?} is not a date YYYY-MM-DD"))?;
    let store = open(database_url).await?;
    let entries = store
        .audit_since(date.midnight().assume_utc().unix_timestamp(), i64::MAX)
        .await;
    store.close().await;
    for e in entries? {
        if json {
            println!("{}", serde_json::to_string(&e)?);
        } else {
            let at = time::OffsetDateTime::from_unix_timestamp(e.at)?;
            let change = if e.redacted {
                "(erased on request)".to_string()
            } else {
                format!(
                    "{} -> {}",
                    e.before.as_deref().unwrap_or("-"),
                    e.after.as_deref().unwrap_or("-")
                )
            };
            println!(
                "{} {:<20} {:<7} {} {} {}",
                at.date().to_string() + " " + &at.time().to_string()[..8],
                e.actor,
                e.action,
                e.entity,
                e.entity_id,
                change
            );
        }
    }
    Ok(())
}

async fn privacy(database_url: &str, cmd: PrivacyCommand) -> anyhow::Result<()> {
    let store = open(database_url).await?;
    let result = async {
        match cmd {
            PrivacyCommand::Export { person, output } => {
                let person = PersonId::new(person);
                let data = store.export_person(&person, &Actor::cli()).await?.with_context(|| format!("no person {person}"))?;
                let mut bytes = serde_json::to_vec_pretty(&data)?;
                bytes.push(b'\n');
                write_output(output.as_deref(), &bytes, false)
            }
            PrivacyCommand::Erase { person } => {
                let person = PersonId::new(person);
                if !store.erase_person(&person, "request", &Actor::cli()).await? {
                    bail!("no person {person}");
                }
                println!("erased {person}");
                Ok(())
            }
            PrivacyCommand::Retention { apply, months } => {
                let today = time::OffsetDateTime::now_utc().date();
                let due = if apply {
                    kkig_store::retention::apply(store.as_ref(), months, today).await?
                } else {
                    kkig_store::retention::due(store.as_ref(), months, today).await?
                };
                for c in &due {
                    println!("{}\tlast VFU period ended {}", c.person_id, c.last_period_end);
                }
                if apply {
                    println!("erased {} student(s) whose last VFU period ended more than {months} months ago", due.len());
                } else {
                    println!("{} student(s) due for erasure ({months} months); dry run, nothing changed: add --apply to erase", due.len());
                }
                Ok(())
            }
        }
    }
    .await;
    store.close().await;
    result
}

/// Read a file to import, with a bar over its bytes on a terminal (one line when read otherwise).
fn read_file(path: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let cannot = |e: std::io::Error| anyhow::Error::new(InputError(format!("cannot read {}: {e}", path.display())));
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let size = file.metadata().map_err(cannot)?.len();
    let progress = progress::Progress::counting(&path.display().to_string(), "bytes", size);
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut chunk).map_err(cannot)?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&chunk[..n]);
        progress.advance(n as u64);
    }
    progress.step(0, &format!("read {} bytes", bytes.len()));
    progress.finish();
    Ok(bytes)
}

async fn import(database_url: &str, cmd: ImportCommand) -> anyhow::Result<()> {
    match cmd {
        ImportCommand::Sites(args) => vfu::import(database_url, vfu::Kind::Sites, args).await,
        ImportCommand::Supervisors(args) => vfu::import(database_url, vfu::Kind::Supervisors, args).await,
        ImportCommand::Students(args) => vfu::import(database_url, vfu::Kind::Students, args).await,
        ImportCommand::Periods(args) => vfu::import(database_url, vfu::Kind::Periods, args).await,
        ImportCommand::Population(args) => forecast_import::population(database_url, args).await,
        ImportCommand::Kolada(args) => forecast_import::kolada(database_url, args).await,
        ImportCommand::Staff(args) => forecast_import::staff(database_url, args).await,
        ImportCommand::Offerings { files, skip_invalid } => {
            let mut contents = Vec::new();
            for f in &files {
                contents.push((f.display().to_string(), read_file(f)?));
            }
            let name = contents.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ");
            let refs: Vec<(&str, &[u8])> = contents.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
            let parsed = kkig_formats::parse_offerings_files(&refs);
            let store = open(database_url).await?;
            let result = store_offerings(&store, &name, parsed, skip_invalid).await;
            store.close().await;
            println!("{}", result?);
            Ok(())
        }
        ImportCommand::Travel { file } => {
            let bytes = read_file(&file)?;
            let name = file.display().to_string();
            let rows = kkig_formats::parse_travel_csv(&name, &bytes).map_err(|errors| {
                for e in &errors {
                    eprintln!("rejected: {e}");
                }
                anyhow::Error::new(InputError(format!(
                    "{} invalid row(s) in {name}; nothing was written",
                    errors.len()
                )))
            })?;
            let pairs = kkig_formats::kommunkod_pairs(&rows);
            let store = open(database_url).await?;
            let result = async {
                let known: std::collections::BTreeSet<_> =
                    store.municipalities().await?.into_iter().map(|m| m.code).collect();
                let unknown: Vec<String> = pairs
                    .iter()
                    .flat_map(|(a, b, _)| [a, b])
                    .filter(|k| !known.contains(k))
                    .map(|k| k.to_string())
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                if !unknown.is_empty() {
                    return Err(anyhow::Error::new(InputError(format!(
                        "{name}: kommunkod {} not known to kkig; nothing was written",
                        unknown.join(", ")
                    ))));
                }
                let n = store.replace_travel_matrix(&pairs, &Actor::cli()).await?;
                let ignored = rows.len() - pairs.len();
                println!(
                    "{name}: {n} measured travel times between municipalities imported{}",
                    if ignored > 0 {
                        format!(" ({ignored} rows between sites kept out: only municipality pairs are used)")
                    } else {
                        String::new()
                    }
                );
                Ok(())
            }
            .await;
            store.close().await;
            result
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    // The allocation engine needs no database and no runtime.
    let result = match &cli.command {
        Command::Allocate(args) => allocate::allocate(args),
        Command::DemoInstance(args) => allocate::demo_instance(args),
        _ => match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
            Ok(runtime) => runtime.block_on(run(cli)),
            Err(e) => {
                eprintln!("error: cannot start the runtime: {e}");
                return ExitCode::FAILURE;
            }
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line: the chain of causes, without a backtrace.
            eprintln!("error: {e:#}");
            if e.downcast_ref::<InputError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
