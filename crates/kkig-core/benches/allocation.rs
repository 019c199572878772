//! The allocation solver alone (graph already built), on demo instances shaped like Swedish
//! VFU: 20,000 students × 6,000 sites with loose (2× students) and tight (0.9×) capacity.
//! The whole-process comparison with OR-Tools is `bench/allocation/compare.sh`.
//!
//! Run: `cargo bench -p kkig-core --bench allocation`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use kkig_core::allocation::{build_problem, demo, solve_bipartite};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("allocation");
    group.sample_size(10);
    for (name, factor) in [("20000x6000-loose", 2.0), ("20000x6000-tight", 0.9)] {
        let spec = demo::DemoSpec {
            students: 20_000,
            sites: 6_000,
            fields: 6,
            seed: 1,
            capacity_factor: Some(factor),
        };
        let inst = demo::generate(&spec, &[]);
        let v = inst.validate().expect("demo instance is valid");
        let (problem, _) = build_problem(&v);
        group.bench_function(format!("solve/{name}"), |b| {
            b.iter(|| black_box(solve_bipartite(black_box(&problem))))
        });
        group.bench_function(format!("build-graph/{name}"), |b| {
            b.iter(|| black_box(build_problem(black_box(&v))))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
