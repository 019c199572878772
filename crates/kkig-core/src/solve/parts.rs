//! Independent parts of the candidate graph, solved apart and on two threads.
//!
//! Students and sites linked by candidate arcs fall apart into connected components (a field
//! never meets another; distant regions do not meet either). The min-cost flow of the whole is
//! the union of the components' min-cost flows: no arc crosses between components, so their
//! LP constraints and dual prices are disjoint, and a site's price proves the optimum of its own
//! component only. A site without arcs keeps price 0, a student without arcs is unplaced.
//!
//! Each component is solved by [`solve_sparse`] on its own graph with local indices (students
//! and sites in their global order), so its solution depends on the component alone: the
//! result is the same whether the components are solved on one thread or two, in any order.
//! Threads take the components largest first (by arcs) from a shared counter, which balances
//! them greedily by the time they actually take.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::{solve_sparse, Bipartite, FlowSolution, Strategy, SPARSE_KEEP};

/// Below this many arcs in all the graph the components are solved on one thread: measured
/// (the `threshold` test below, tight demo instances of 6 fields), a second thread costs more
/// than it saves up to about 2,000 arcs (500 students) and saves from about 9,000 arcs (1,000
/// students) on.
pub const TWO_THREADS_MIN_ARCS: usize = 5_000;

/// A connected component: its students and sites (ascending, global indices) and its graph
/// with local indices, without the arcs (`site` and `cost` empty) until it is solved: each
/// thread copies the arcs of the components it solves, and drops them when done.
struct Part {
    students: Vec<u32>,
    sites: Vec<u32>,
    graph: Bipartite,
}

impl Part {
    fn arcs(&self) -> usize {
        self.graph.start.last().copied().unwrap_or(0) as usize
    }

    /// The component's graph with its arcs; `local` maps a site to its index in its component.
    fn with_arcs(&self, g: &Bipartite, local: &[u32]) -> Bipartite {
        let mut site = Vec::with_capacity(self.arcs());
        let mut cost = Vec::with_capacity(self.arcs());
        for &i in &self.students {
            let arcs = g.start[i as usize] as usize..g.start[i as usize + 1] as usize;
            site.extend(g.site[arcs.clone()].iter().map(|&j| local[j as usize]));
            cost.extend_from_slice(&g.cost[arcs]);
        }
        Bipartite {
            capacity: self.graph.capacity.clone(),
            unplaced_penalty: self.graph.unplaced_penalty,
            start: self.graph.start.clone(),
            site,
            cost,
        }
    }
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let p = parent[x as usize];
        parent[x as usize] = parent[p as usize];
        x = p;
    }
    x
}

/// Sizes of the components that have arcs, as (students, sites, arcs), largest first.
pub fn component_sizes(g: &Bipartite) -> Vec<(usize, usize, usize)> {
    let mut sizes: Vec<_> = split(g)
        .0
        .iter()
        .map(|p| (p.students.len(), p.sites.len(), p.arcs()))
        .collect();
    sizes.sort_unstable_by(|a, b| b.2.cmp(&a.2).then(b.0.cmp(&a.0)));
    sizes
}

/// The components with arcs, ordered by their first student, and each site's index in its
/// component.
fn split(g: &Bipartite) -> (Vec<Part>, Vec<u32>) {
    let n = g.students();
    let m = g.capacity.len();
    // Union-find over the sites: a student joins all the sites it has arcs to.
    let mut parent: Vec<u32> = (0..m as u32).collect();
    for i in 0..n {
        let (a0, a1) = (g.start[i] as usize, g.start[i + 1] as usize);
        if a1 == a0 {
            continue;
        }
        let r0 = find(&mut parent, g.site[a0]);
        for &j in &g.site[a0 + 1..a1] {
            let r = find(&mut parent, j);
            if r != r0 {
                parent[r as usize] = r0;
            }
        }
    }
    // Number the components in the order of their first student.
    const NONE: u32 = u32::MAX;
    let mut comp_of_root = vec![NONE; m];
    let mut parts: Vec<Part> = Vec::new();
    for i in 0..n {
        let a0 = g.start[i] as usize;
        if g.start[i + 1] as usize == a0 {
            continue;
        }
        let r = find(&mut parent, g.site[a0]) as usize;
        if comp_of_root[r] == NONE {
            comp_of_root[r] = parts.len() as u32;
            parts.push(Part {
                students: Vec::new(),
                sites: Vec::new(),
                graph: Bipartite {
                    capacity: Vec::new(),
                    unplaced_penalty: g.unplaced_penalty,
                    start: vec![0],
                    site: Vec::new(),
                    cost: Vec::new(),
                },
            });
        }
        let p = &mut parts[comp_of_root[r] as usize];
        p.students.push(i as u32);
        p.graph
            .start
            .push(p.graph.start.last().copied().unwrap_or(0) + (g.start[i + 1] - g.start[i]));
    }
    // Local site indices, in global order; sites without arcs belong to no component.
    let mut local = vec![NONE; m];
    for j in 0..m {
        let c = comp_of_root[find(&mut parent, j as u32) as usize];
        if c != NONE {
            let p = &mut parts[c as usize];
            local[j] = p.sites.len() as u32;
            p.sites.push(j as u32);
            p.graph.capacity.push(g.capacity[j]);
        }
    }
    (parts, local)
}

/// Solve each component with [`solve_sparse`] (on two threads when the graph has at least
/// `two_threads_min_arcs` arcs and more than one component), and join the solutions.
pub fn solve_parts(g: &Bipartite, two_threads_min_arcs: usize) -> FlowSolution {
    let n = g.students();
    let m = g.capacity.len();
    let (parts, local) = split(g);
    let solve = |p: &Part| solve_sparse(&p.with_arcs(g, &local), SPARSE_KEEP, Strategy::default());
    // Largest first.
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&c| (std::cmp::Reverse(parts[c].arcs()), c));
    let mut sols: Vec<Option<FlowSolution>> = vec![None; parts.len()];
    if parts.len() >= 2 && g.site.len() >= two_threads_min_arcs {
        let next = AtomicUsize::new(0);
        let done = Mutex::new(Vec::new());
        let work = || loop {
            let t = next.fetch_add(1, Ordering::Relaxed);
            let Some(&c) = order.get(t) else { break };
            let s = solve(&parts[c]);
            done.lock().unwrap_or_else(|e| e.into_inner()).push((c, s));
        };
        std::thread::scope(|scope| {
            let helper = scope.spawn(work);
            work();
            // A panic in the helper is a bug; its unfinished component is solved below.
            let _ = helper.join();
        });
        for (c, s) in done.into_inner().unwrap_or_else(|e| e.into_inner()) {
            sols[c] = Some(s);
        }
    }
    let mut assignment = vec![None; n];
    let mut prices = vec![0i64; m];
    let (mut phases, mut rounds) = (0, 1);
    for (c, p) in parts.iter().enumerate() {
        let s = sols[c].take().unwrap_or_else(|| solve(p));
        for (k, &i) in p.students.iter().enumerate() {
            assignment[i as usize] = s.assignment[k].map(|j| p.sites[j as usize]);
        }
        for (l, &j) in p.sites.iter().enumerate() {
            prices[j as usize] = s.prices[l];
        }
        phases = phases.max(s.phases);
        rounds = rounds.max(s.rounds);
    }
    FlowSolution {
        assignment,
        prices,
        phases,
        rounds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::{build_problem, parse_instance};

    /// Component sizes and solve times of an instance file (`KKIG_PARTS_INSTANCE`), for
    /// docs/allocation.md: `cargo test --release -p kkig-core parts::tests::measure -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn measure() {
        let Ok(path) = std::env::var("KKIG_PARTS_INSTANCE") else {
            return;
        };
        let inst = parse_instance(&std::fs::read(&path).unwrap()).unwrap();
        let v = inst.validate().unwrap();
        let (g, _) = build_problem(&v);
        let sizes = component_sizes(&g);
        let arcs = g.site.len();
        println!("{path}: {} arcs, {} components", arcs, sizes.len());
        for s in sizes.iter().take(12) {
            println!(
                "  students {:6} sites {:5} arcs {:8} ({:.1}%)",
                s.0,
                s.1,
                s.2,
                100.0 * s.2 as f64 / arcs as f64
            );
        }
        let t = std::time::Instant::now();
        let t0 = std::time::Instant::now();
        let _ = split(&g);
        println!("split {:?}", t0.elapsed());
        let whole = solve_sparse(&g, SPARSE_KEEP, Strategy::default());
        let t1 = t.elapsed();
        let one = solve_parts(&g, usize::MAX);
        let t2 = t.elapsed();
        let two = solve_parts(&g, 0);
        let t3 = t.elapsed();
        println!(
            "whole {:?}  parts one thread {:?}  parts two threads {:?}",
            t1,
            t2 - t1,
            t3 - t2
        );
        assert_eq!(one, two);
        let _ = whole;
    }

    /// One thread against two on demo instances of growing size (tight, 6 fields), best of
    /// five, for [`TWO_THREADS_MIN_ARCS`]:
    /// `cargo test --release -p kkig-core parts::tests::threshold -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn threshold() {
        use crate::allocation::demo::{generate, DemoSpec};
        for students in [250, 500, 1000, 2000, 4000] {
            let spec = DemoSpec {
                students,
                sites: students * 3 / 10,
                fields: 6,
                seed: 1,
                capacity_factor: Some(0.9),
            };
            let inst = generate(&spec, &[]);
            let v = inst.validate().unwrap();
            let (g, _) = build_problem(&v);
            let best = |min| {
                (0..5)
                    .map(|_| {
                        let t = std::time::Instant::now();
                        std::hint::black_box(solve_parts(&g, min));
                        t.elapsed()
                    })
                    .min()
                    .unwrap()
            };
            println!(
                "{students} students, {} arcs: one thread {:?}, two {:?}",
                g.site.len(),
                best(usize::MAX),
                best(0)
            );
        }
    }
}
