//! The forecast engine at regional scale: all 290 Swedish municipalities × 20 occupations ×
//! 20 years (5,800 cases), generated deterministically with `DemoRng`. Goal: under 100 ms.
//!
//! Run: `cargo bench -p kkig-core --bench forecast`; results in bench/forecast/results.md.

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use kkig_core::demo::DemoRng;
use kkig_core::forecast::{forecast, Case, Forecast};

const MUNICIPALITIES: usize = 290;
const OCCUPATIONS: usize = 20;
const HORIZON: u32 = 20;

/// One case per municipality and occupation: 1–400 staff spread over ages 22–67, a driver that
/// drifts by up to ±3 % a year, and 0–10 local graduates a year.
fn cases(seed: u64) -> Vec<Case> {
    let mut rng = DemoRng::new(seed);
    let mut out = Vec::with_capacity(MUNICIPALITIES * OCCUPATIONS);
    for _ in 0..MUNICIPALITIES {
        let population = rng.range(2_000, 100_000) as f64;
        for _ in 0..OCCUPATIONS {
            let size = rng.range(1, 400) as f64;
            let mut staff = BTreeMap::new();
            for _ in 0..rng.range(5, 40) {
                *staff.entry(rng.range(22, 67) as u32).or_insert(0.0) += size * rng.unit() / 20.0;
            }
            let mut d = population * (0.05 + rng.unit());
            let driver = (0..=HORIZON)
                .map(|_| {
                    let v = d;
                    d *= 0.97 + 0.06 * rng.unit();
                    v
                })
                .collect();
            let local_graduates = (0..=HORIZON).map(|_| rng.range(0, 10) as f64).collect();
            out.push(Case {
                horizon: HORIZON,
                retirement_age: rng.range(65, 68) as u32,
                exit_rate: 0.02 + 0.08 * rng.unit(),
                entry_age: rng.range(25, 35) as u32,
                retention: rng.unit(),
                vacancies: rng.range(0, 5) as f64,
                local_graduates,
                ..Case::new(2025, staff, driver)
            });
        }
    }
    out
}

fn run_all(cases: &[Case]) -> Vec<Forecast> {
    cases
        .iter()
        .map(|c| forecast(c).expect("generated cases are valid"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let cases = cases(2025);
    let mut g = c.benchmark_group("forecast");
    g.sample_size(30);
    g.bench_function("290 municipalities x 20 occupations x 20 years", |b| {
        b.iter(|| run_all(black_box(&cases)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
