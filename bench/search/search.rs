//! In-process benchmark of kkig-search: index build for 100,000 generated offerings and the
//! comparison query set of bench/search/README.md.
//!
//! `cargo bench -p kkig-search` prints a p50/p99 summary first (every query run
//! `SUMMARY_RUNS` times after a warm-up), then runs criterion on the same queries and on the
//! build. `KKIG_BENCH_N` changes the number of offerings; `KKIG_BENCH_ONLY=Q3` limits the summary
//! to the queries whose name starts so; `KKIG_BENCH_DUMP=DIR` only writes the generated data
//! as CSV into DIR (for the PostgreSQL comparison) and exits.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use kkig_core::catalogue::StudyForm;
use kkig_core::region::OccupationArea;
use kkig_core::Kommunkod;
use kkig_search::generate::{generate, Generated};
use kkig_search::{Catalogue, SearchQuery, Sort, StartTerm};

/// The allocator the `kkig` binary uses, so that the in-process times match the server's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SEED: u64 = 2026;
const SUMMARY_RUNS: usize = 2000;

fn k(s: &str) -> Option<Kommunkod> {
    Some(Kommunkod::parse(s).unwrap())
}

/// The comparison query set (keep in step with README.md).
fn queries() -> Vec<(&'static str, SearchQuery)> {
    vec![
        ("Q01 text: sjuksköterska", SearchQuery::text("sjuksköterska")),
        ("Q02 text: lärare", SearchQuery::text("lärare")),
        ("Q03 text: socionom distans", SearchQuery::text("socionom distans")),
        ("Q04 text typo: sjukskoterska", SearchQuery::text("sjukskoterska")),
        (
            "Q05 text: specialistsjuksköterska psykiatrisk vård",
            SearchQuery::text("specialistsjuksköterska psykiatrisk vård"),
        ),
        (
            "Q06 text+home+max travel: sjuksköterska, Sorsele, ≤600",
            SearchQuery {
                home: k("2422"),
                max_travel_minutes_per_term: Some(600),
                ..SearchQuery::text("sjuksköterska")
            },
        ),
        (
            "Q07 filters: teacher, distance, HT2026",
            SearchQuery {
                area: Some(OccupationArea::Teacher),
                form: Some(StudyForm::Distance),
                start_term: StartTerm::parse("HT2026"),
                ..Default::default()
            },
        ),
        (
            "Q08 filters+travel sort: distance, Pajala",
            SearchQuery {
                home: k("2521"),
                form: Some(StudyForm::Distance),
                sort: Sort::Travel,
                ..Default::default()
            },
        ),
        (
            "Q09 text+travel sort: lärare, Storuman, ≤1200",
            SearchQuery {
                home: k("2421"),
                max_travel_minutes_per_term: Some(1200),
                sort: Sort::Travel,
                ..SearchQuery::text("lärare")
            },
        ),
        ("Q10 everything, page 1", SearchQuery::default()),
        (
            "Q11 text: vård, page 50",
            SearchQuery {
                page: 50,
                ..SearchQuery::text("vård")
            },
        ),
        (
            "Q12 text+pace: omvårdnad 50 %",
            SearchQuery {
                min_pace: Some(50),
                max_pace: Some(50),
                ..SearchQuery::text("omvårdnad")
            },
        ),
    ]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn micros(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e6)
}

fn summary(g: &Generated, runs: usize) -> Catalogue {
    let n = g.offerings.len();
    let t = Instant::now();
    let catalogue = Catalogue::build(g.offerings.clone(), &g.occupation_areas).unwrap();
    let build = t.elapsed();
    println!();
    println!(
        "kkig-search: {n} generated offerings (seed {SEED}); build {:.2} s",
        build.as_secs_f64()
    );
    println!(
        "{:<58} {:>7} {:>9} {:>9} {:>9} {:>15}",
        "query", "total", "p50 µs", "p99 µs", "max µs", "first use p50"
    );
    let only = std::env::var("KKIG_BENCH_ONLY").ok();
    for (name, q) in queries() {
        if only.as_deref().is_some_and(|o| !name.starts_with(o)) {
            continue;
        }
        for _ in 0..runs.min(100) {
            black_box(catalogue.search(&q, &g.travel).unwrap());
        }
        let mut times = Vec::with_capacity(runs);
        let mut total = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let r = catalogue.search(black_box(&q), &g.travel).unwrap();
            times.push(t.elapsed());
            total = r.total;
            black_box(r);
        }
        times.sort();
        // The same query when its words are not kept yet: tantivy finds them first.
        let mut first = Vec::with_capacity(runs / 10);
        for _ in 0..(runs / 10).max(1) {
            catalogue.forget_words();
            let t = Instant::now();
            black_box(catalogue.search(black_box(&q), &g.travel).unwrap());
            first.push(t.elapsed());
        }
        first.sort();
        println!(
            "{:<58} {:>7} {:>9} {:>9} {:>9} {:>15}",
            name,
            total,
            micros(percentile(&times, 0.5)),
            micros(percentile(&times, 0.99)),
            micros(*times.last().unwrap()),
            micros(percentile(&first, 0.5))
        );
    }
    println!();
    catalogue
}

/// Write the generated offerings and the travel minutes as CSV (`;`, UTF-8) into `dir`, for
/// loading the same data into PostgreSQL (see README.md).
fn dump(g: &Generated, dir: &str) {
    use std::fmt::Write as _;
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::from(
        "id;title;code;provider_name;level;eligibility;towns;school_type;form;pace_percent;start;start_term;areas;meeting_kommunkod;meetings_per_term\n",
    );
    for o in &g.offerings {
        let towns: Vec<&str> = o.sites.iter().map(|s| s.town.as_str()).collect();
        let areas: Vec<&str> = o.areas(&g.occupation_areas).iter().map(|a| a.as_str()).collect();
        let term = StartTerm::of_date(&o.start).map(|t| t.to_string()).unwrap_or_default();
        let place = o
            .meeting_place()
            .map(|p| p.municipality.to_string())
            .unwrap_or_default();
        writeln!(
            out,
            "{};{};{};{};{};{};{};{};{};{};{};{};{};{};{}",
            q(&o.id),
            q(&o.title),
            q(&o.code),
            q(&o.provider_name),
            q(&o.level),
            q(&o.eligibility),
            q(&towns.join("|")),
            o.school_type.as_str(),
            o.form.as_str(),
            o.pace_percent,
            o.start,
            term,
            areas.join("|"),
            place,
            o.meetings.per_term
        )
        .unwrap();
    }
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(format!("{dir}/offerings.csv"), out).unwrap();
    let mut travel = String::from("from;to;minutes\n");
    for a in g.travel.seats.keys() {
        for b in g.travel.seats.keys() {
            writeln!(travel, "{a};{b};{}", g.travel.minutes(*a, *b).unwrap()).unwrap();
        }
    }
    std::fs::write(format!("{dir}/travel.csv"), travel).unwrap();
    println!("wrote {dir}/offerings.csv and {dir}/travel.csv");
}

fn main() {
    let test_mode = std::env::args().any(|a| a == "--test");
    let n = std::env::var("KKIG_BENCH_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if test_mode { 2000 } else { 100_000 });
    let g = generate(n, SEED);
    if let Ok(dir) = std::env::var("KKIG_BENCH_DUMP") {
        dump(&g, &dir);
        return;
    }
    let catalogue = summary(&g, if test_mode { 5 } else { SUMMARY_RUNS });

    let mut c = Criterion::default().configure_from_args();
    {
        let mut group = c.benchmark_group("search");
        for (name, q) in queries() {
            group.bench_function(name.split(':').next().unwrap_or(name), |b| {
                b.iter(|| black_box(catalogue.search(black_box(&q), &g.travel).unwrap().total))
            });
        }
        group.finish();
    }
    {
        let mut group = c.benchmark_group("build");
        group.sample_size(10).measurement_time(Duration::from_secs(30));
        group.bench_function(format!("{n} offerings"), |b| {
            b.iter_batched(
                || g.offerings.clone(),
                |offerings| black_box(Catalogue::build(offerings, &g.occupation_areas).unwrap().len()),
                criterion::BatchSize::LargeInput,
            )
        });
        group.finish();
    }
    c.final_summary();
}
