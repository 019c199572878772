//! The min-cost-flow solver for a transportation structure: people with supply 1, places with a
//! capacity, and an "unplaced" sink. The VFU allocation ([`crate::allocation`]) builds its
//! graph and calls it; the study-site choice will too.
//!
//! Students have supply 1, site `j` takes at most `capacity[j]`, and every student may instead
//! go to an "unplaced" sink of unbounded capacity at cost `U` (the unplaced penalty). The
//! linear programme and its dual:
//!
//! ```text
//! min Σ c_ij x_ij + U Σ y_i      Σ_j x_ij + y_i = 1,  Σ_i x_ij ≤ cap_j,  x, y ≥ 0
//! max Σ u_i − Σ cap_j p_j        u_i ≤ c_ij + p_j,   u_i ≤ U,           p ≥ 0
//! ```
//!
//! The algorithm is the primal-dual method (successive shortest paths in phases, like
//! Hopcroft–Karp with costs). It keeps integer site prices `p_j ≥ 0` that are dual feasible at
//! all times, with `p_j = 0` for every site that is not full, and every placed student at a
//! cheapest site for those prices (`u_k = c_kσ(k) + p_σ(k)` = its best option). A student is
//! "processed" once it is placed or unplaced; unprocessed students are added phase by phase:
//!
//! 1. **Augment on tight arcs.** For each unprocessed student `i`, `u_i = min(U, min_j c_ij +
//!    p_j)`; a depth-first search over arcs of zero reduced cost (i → a cheapest site; a full
//!    site → one of its students; that student → another site at which it is equally cheap, or
//!    to unplaced if its cost already equals `U`) ends at a site with a free place or at
//!    "unplaced". Sites are visited at most once per phase (as in Hopcroft–Karp), so a phase is
//!    linear in the graph. The first phase, with all prices 0, is the greedy assignment.
//! 2. **Raise prices.** One multi-source Dijkstra run *backwards* from all terminals (free sites
//!    at distance 0; each placed student k at distance `U − u_k`, the cost of unplacing it)
//!    gives every site its reduced distance `δ_j` to the nearest terminal; `p_j += δ_j`. This
//!    keeps every reduced cost non-negative and makes a shortest path from *every* unprocessed
//!    student tight at once, so the next phase 1 places them all unless they compete.
//!
//! Every augmentation is along a path of zero reduced cost, so the flow stays optimal for the
//! students processed so far; when none is left it is optimal, and the prices prove it
//! (see [`crate::allocation::certificate`]). Unplaced students never move again: re-placing one would
//! cost at least `U` (its cost to any free site is ≥ U), never less than unplacing another.

pub mod parts;

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A bipartite transportation problem in compressed rows: student `i`'s arcs are
/// `start[i]..start[i+1]` into `site` and `cost`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bipartite {
    pub capacity: Vec<u32>,
    pub unplaced_penalty: i64,
    pub start: Vec<u32>,
    pub site: Vec<u32>,
    pub cost: Vec<i64>,
}

impl Bipartite {
    pub fn students(&self) -> usize {
        self.start.len().saturating_sub(1)
    }
}

/// An optimal assignment (site per student, `None` = unplaced) and the site prices proving it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowSolution {
    pub assignment: Vec<Option<u32>>,
    pub prices: Vec<i64>,
    /// Global phases of the last round, and rounds of [`solve_sparse`] (1 when not sparse);
    /// from [`solve_bipartite`], the most of any connected component.
    pub phases: u32,
    pub rounds: u32,
}

const NONE: u32 = u32::MAX;
const UNPLACED: u32 = u32::MAX - 1;
const INF: i64 = i64::MAX / 4;

/// When to stop the global phases and add the remaining students one by one
/// (`State::shortest_path`): after `max_phases` (the first is the greedy one), when fewer
/// than `n / tail_divisor` students are left (0: never), or when a phase after the first
/// placed less than `min_progress_percent` of those waiting (0: never). Any choice gives the
/// optimum; the default is the fastest measured (docs/allocation.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Strategy {
    pub max_phases: u32,
    pub tail_divisor: usize,
    pub min_progress_percent: usize,
}

impl Default for Strategy {
    fn default() -> Self {
        Self {
            max_phases: 24,
            tail_divisor: 4,
            min_progress_percent: 10,
        }
    }
}

struct State<'a> {
    g: &'a Bipartite,
    u_pen: i64,
    /// Per student: the arc it is placed by, `NONE` (unprocessed) or `UNPLACED`.
    arc: Vec<u32>,
    load: Vec<u32>,
    /// Students at site j: `members[mstart[j]..mstart[j] + load[j]]`.
    mstart: Vec<u32>,
    members: Vec<u32>,
    price: Vec<i64>,
    visited: Vec<u32>,
    stamp: u32,
}

#[derive(Clone, Copy)]
struct Frame {
    x: u32,
    e: u32,
    end: u32,
    /// The site whose students are being tried, and the arc by which `x` would enter it.
    site: u32,
    via: u32,
    m: u32,
    u: i64,
}

impl State<'_> {
    #[inline]
    fn u_of(&self, k: u32) -> i64 {
        match self.arc[k as usize] {
            UNPLACED => self.u_pen,
            a => self.g.cost[a as usize] + self.price[self.g.site[a as usize] as usize],
        }
    }

    #[inline]
    fn site_of(&self, k: u32) -> u32 {
        match self.arc[k as usize] {
            NONE | UNPLACED => NONE,
            a => self.g.site[a as usize],
        }
    }

    fn remove_member(&mut self, j: u32, k: u32) {
        let j = j as usize;
        let s = self.mstart[j] as usize;
        let l = self.load[j] as usize;
        let slice = &mut self.members[s..s + l];
        if let Some(pos) = slice.iter().position(|&x| x == k) {
            slice.swap(pos, l - 1);
            self.load[j] -= 1;
        }
    }

    fn add_member(&mut self, j: u32, k: u32) {
        let j = j as usize;
        let pos = (self.mstart[j] + self.load[j]) as usize;
        self.members[pos] = k;
        self.load[j] += 1;
    }

    /// Move student `k` along arc `a` (or to unplaced).
    fn move_to(&mut self, k: u32, a: u32) {
        let old = self.site_of(k);
        if old != NONE {
            self.remove_member(old, k);
        }
        self.arc[k as usize] = a;
        if a != UNPLACED {
            self.add_member(self.g.site[a as usize], k);
        }
    }

    /// Depth-first search for a tight augmenting path from unprocessed student `i`.
    fn augment(&mut self, i: u32, stack: &mut Vec<Frame>) -> bool {
        let g = self.g;
        let mut ui = self.u_pen;
        for a in g.start[i as usize]..g.start[i as usize + 1] {
            ui = ui.min(g.cost[a as usize] + self.price[g.site[a as usize] as usize]);
        }
        stack.clear();
        stack.push(Frame {
            x: i,
            e: g.start[i as usize],
            end: g.start[i as usize + 1],
            site: NONE,
            via: NONE,
            m: 0,
            u: ui,
        });
        loop {
            let top = stack.len() - 1;
            let f = stack[top];
            if f.site != NONE {
                if f.m < self.load[f.site as usize] {
                    let k = self.members[(self.mstart[f.site as usize] + f.m) as usize];
                    stack[top].m += 1;
                    let (s, e) = (g.start[k as usize], g.start[k as usize + 1]);
                    let u = self.u_of(k);
                    stack.push(Frame {
                        x: k,
                        e: s,
                        end: e,
                        site: NONE,
                        via: NONE,
                        m: 0,
                        u,
                    });
                } else {
                    stack[top].site = NONE;
                }
                continue;
            }
            if f.e < f.end {
                let a = f.e;
                stack[top].e += 1;
                let j = g.site[a as usize];
                if self.visited[j as usize] == self.stamp
                    || g.cost[a as usize] + self.price[j as usize] != f.u
                    || j == self.site_of(f.x)
                {
                    continue;
                }
                self.visited[j as usize] = self.stamp;
                if self.load[j as usize] < g.capacity[j as usize] {
                    self.apply(stack, a);
                    return true;
                }
                stack[top].site = j;
                stack[top].via = a;
                stack[top].m = 0;
                continue;
            }
            if f.u == self.u_pen {
                self.apply(stack, UNPLACED);
                return true;
            }
            stack.pop();
            if stack.is_empty() {
                return false;
            }
        }
    }

    /// Carry out the path on the stack: the top student takes `last`, each student below takes
    /// the place of the one above it.
    /// The sites on the path are unmarked: their students changed, so later searches of the
    /// same phase may pass them again (sites that were dead ends stay marked).
    fn apply(&mut self, stack: &[Frame], last: u32) {
        let g = self.g;
        let top = stack.len() - 1;
        self.move_to(stack[top].x, last);
        if last != UNPLACED {
            self.visited[g.site[last as usize] as usize] = 0;
        }
        for t in (0..top).rev() {
            self.move_to(stack[t].x, stack[t].via);
            self.visited[g.site[stack[t].via as usize] as usize] = 0;
        }
    }

    /// Backward multi-source Dijkstra from the terminals (free sites at 0, each placed student
    /// at `U − u_k`, the reduced cost of unplacing it) until every unprocessed student's
    /// distance is final, at `B`; then `p_j += min(δ_j, B)`. The clipped distances are still a
    /// feasible potential shift, and every unprocessed student then has a tight path.
    fn raise_prices(&mut self, w: &mut Work) {
        let g = self.g;
        let m = g.capacity.len();
        let n = self.arc.len();
        let (dist, heap, uval) = (&mut w.dist, &mut w.heap, &mut w.uval);
        dist.fill(INF);
        heap.clear();
        for (j, d) in dist.iter_mut().enumerate().take(m) {
            if self.load[j] < g.capacity[j] {
                *d = 0;
                heap.push(Reverse((0, j as u32)));
            }
        }
        let mut waiting = 0usize;
        for k in 0..n {
            let a = self.arc[k];
            let u = match a {
                UNPLACED => continue,
                NONE => {
                    waiting += 1;
                    let mut u = self.u_pen;
                    for b in g.start[k]..g.start[k + 1] {
                        u = u.min(g.cost[b as usize] + self.price[g.site[b as usize] as usize]);
                    }
                    u
                }
                a => g.cost[a as usize] + self.price[g.site[a as usize] as usize],
            };
            uval[k] = u;
            let d = self.u_pen - u;
            dist[m + k] = d;
            heap.push(Reverse((d, (m + k) as u32)));
        }
        let mut bound = 0;
        while let Some(Reverse((d, v))) = heap.pop() {
            let v = v as usize;
            if d > dist[v] {
                continue;
            }
            bound = d;
            if v < m {
                // Arcs k → v from students elsewhere: reduced cost c + p_v − u_k.
                let pv = self.price[v];
                for &(k, c, _) in &w.rev[w.rev_start[v] as usize..w.rev_start[v + 1] as usize] {
                    let s = w.sigma[k as usize];
                    if s == v as u32 || s == UNPLACED {
                        continue;
                    }
                    let nd = d + c + pv - uval[k as usize];
                    let x = m + k as usize;
                    if nd < dist[x] {
                        dist[x] = nd;
                        heap.push(Reverse((nd, x as u32)));
                    }
                }
            } else if self.arc[v - m] == NONE {
                waiting -= 1;
                if waiting == 0 {
                    break;
                }
            } else {
                // The arc σ(k) → k (a site to one of its students) has reduced cost 0.
                let j = g.site[self.arc[v - m] as usize] as usize;
                if d < dist[j] {
                    dist[j] = d;
                    heap.push(Reverse((d, j as u32)));
                }
            }
        }
        for (p, d) in self.price.iter_mut().zip(dist.iter()).take(m) {
            *p += (*d).min(bound);
        }
    }

    /// Refill one place of site `j0`, which has room at a positive price (left by a warm start):
    /// a Dijkstra *backwards* from `j0` over reduced costs (site `v` ← student `k` with an arc
    /// to `v`, at `c_kv + p_v − u_k`; student `k` ← its own site at 0), stopped at the first
    /// way in: an unplaced student (placing it), a site `v` with students at `e_v + p_v` (taking
    /// one of them away, which leaves `v` with room at price 0), or `j0` itself at `p_j0`
    /// (leaving the place empty). Then `p_v −= E − e_v` for the sites settled before `E`, and
    /// the students on the path move one step towards `j0`. Prices stay dual feasible, and the
    /// site left with room (if any) ends with price 0.
    fn fill_slot(&mut self, j0: u32, w: &Work, b: &mut Single, path: &mut Vec<(u32, u32)>) {
        let g = self.g;
        for &j in &b.touched {
            b.dist[j as usize] = INF;
        }
        b.touched.clear();
        b.settled.clear();
        b.heap.clear();
        self.stamp += 1;
        b.dist[j0 as usize] = 0;
        b.touched.push(j0);
        b.heap.push(Reverse((0, j0)));
        // The best way in so far: (E, site v with students or j0, or NONE) or an unplaced
        // student by an arc: (E, NONE, student, arc).
        let mut best = (self.price[j0 as usize], j0, NONE, NONE);
        while let Some(&Reverse((d, v))) = b.heap.peek() {
            if d >= best.0 {
                break;
            }
            b.heap.pop();
            if d > b.dist[v as usize] || self.visited[v as usize] == self.stamp {
                continue;
            }
            self.visited[v as usize] = self.stamp;
            b.settled.push(v);
            let pv = self.price[v as usize];
            if self.load[v as usize] > 0 && d + pv < best.0 {
                best = (d + pv, v, NONE, NONE);
            }
            for &(k, c, a) in &w.rev[w.rev_start[v as usize] as usize..w.rev_start[v as usize + 1] as usize] {
                let ka = self.arc[k as usize];
                if ka == NONE {
                    continue;
                }
                if ka == UNPLACED {
                    let nd = d + c + pv - self.u_pen;
                    if nd < best.0 {
                        best = (nd, NONE, k, a);
                    }
                    continue;
                }
                let s = g.site[ka as usize];
                if s == v {
                    continue;
                }
                let nd = d + c + pv - (g.cost[ka as usize] + self.price[s as usize]);
                let ds = &mut b.dist[s as usize];
                if nd < *ds {
                    if *ds == INF {
                        b.touched.push(s);
                    }
                    *ds = nd;
                    b.pred[s as usize] = (k, a);
                    b.heap.push(Reverse((nd, s)));
                }
            }
        }
        let e = best.0;
        for &v in &b.settled {
            self.price[v as usize] -= e - b.dist[v as usize];
        }
        // The path from the way in to j0; carried out from j0's end (j0 has room).
        path.clear();
        let mut cur = if best.1 == NONE {
            path.push((best.2, best.3));
            g.site[best.3 as usize]
        } else {
            best.1
        };
        while cur != j0 {
            let (k, a) = b.pred[cur as usize];
            path.push((k, a));
            cur = g.site[a as usize];
        }
        for &(k, a) in path.iter().rev() {
            self.move_to(k, a);
        }
        self.stamp += 1;
    }

    /// One successive-shortest-path step for unprocessed student `i`: forward Dijkstra over
    /// reduced costs, stopped at the first terminal (a site with a free place, or unplacing a
    /// student), then the lazy potential update `p_j += D − d_j` for the sites settled before
    /// it (Jonker–Volgenant). Cheap when prices are already close: the search only visits
    /// sites nearer than the terminal.
    fn shortest_path(&mut self, i: u32, w: &mut Single) {
        let g = self.g;
        let u_pen = self.u_pen;
        for &j in &w.touched {
            w.dist[j as usize] = INF;
        }
        w.touched.clear();
        w.settled.clear();
        w.heap.clear();
        let mut ui = u_pen;
        for a in g.start[i as usize]..g.start[i as usize + 1] {
            ui = ui.min(g.cost[a as usize] + self.price[g.site[a as usize] as usize]);
        }
        // The best way out so far, at distance `bound`: a site with a free place (`free`),
        // or else unplacing a student (`unpl`, NONE for i itself). Only arcs that lead below
        // `bound` are worth a heap entry; free sites are never pushed (they end the search).
        let mut bound = u_pen - ui;
        let mut free = NONE;
        let mut unpl = NONE;
        let relax = |k: u32,
                     a0: u32,
                     a1: u32,
                     uk: i64,
                     d: i64,
                     skip: u32,
                     w: &mut Single,
                     st: &State,
                     bound: &mut i64,
                     free: &mut u32| {
            for a in a0..a1 {
                let j = g.site[a as usize];
                let nd = d + g.cost[a as usize] + st.price[j as usize] - uk;
                if nd >= *bound || j == skip {
                    continue;
                }
                let dj = &mut w.dist[j as usize];
                if nd < *dj {
                    if *dj == INF {
                        w.touched.push(j);
                    }
                    *dj = nd;
                    w.pred[j as usize] = (k, a);
                    if st.load[j as usize] < g.capacity[j as usize] {
                        *bound = nd;
                        *free = j;
                    } else {
                        w.heap.push(Reverse((nd, j)));
                    }
                }
            }
        };
        relax(
            i,
            g.start[i as usize],
            g.start[i as usize + 1],
            ui,
            0,
            NONE,
            w,
            self,
            &mut bound,
            &mut free,
        );
        while let Some(&Reverse((d, j))) = w.heap.peek() {
            if d >= bound {
                break;
            }
            w.heap.pop();
            if d > w.dist[j as usize] || self.visited[j as usize] == self.stamp {
                continue;
            }
            self.visited[j as usize] = self.stamp;
            w.settled.push(j);
            let ms = self.mstart[j as usize];
            for t in 0..self.load[j as usize] {
                let k = self.members[(ms + t) as usize];
                let uk = self.u_of(k);
                if d + u_pen - uk < bound {
                    bound = d + u_pen - uk;
                    free = NONE;
                    unpl = k;
                }
                relax(
                    k,
                    g.start[k as usize],
                    g.start[k as usize + 1],
                    uk,
                    d,
                    j,
                    w,
                    self,
                    &mut bound,
                    &mut free,
                );
            }
        }
        let dd = bound;
        for &j in &w.settled {
            self.price[j as usize] += dd - w.dist[j as usize];
        }
        // Walk the path back from the terminal, moving each student one step.
        let (mut x, mut a) = if free != NONE {
            w.pred[free as usize]
        } else if unpl == NONE {
            (i, UNPLACED)
        } else {
            (unpl, UNPLACED)
        };
        loop {
            let old = self.site_of(x);
            self.move_to(x, a);
            if x == i {
                break;
            }
            (x, a) = w.pred[old as usize];
        }
        self.stamp += 1;
    }
}

/// Scratch space of the single-source searches.
struct Single {
    dist: Vec<i64>,
    pred: Vec<(u32, u32)>,
    touched: Vec<u32>,
    settled: Vec<u32>,
    heap: BinaryHeap<Reverse<(i64, u32)>>,
}

/// Scratch space of the price raise, reused across phases.
struct Work {
    rev_start: Vec<u32>,
    /// Per site: the students with an arc to it, the arc's cost and the arc.
    rev: Vec<(u32, i64, u32)>,
    /// Per student: its site, `NONE` or `UNPLACED` (a copy of `arc` resolved to sites).
    sigma: Vec<u32>,
    uval: Vec<i64>,
    dist: Vec<i64>,
    heap: BinaryHeap<Reverse<(i64, u32)>>,
}

/// Solve to a proven optimum. Arcs costing more than `unplaced_penalty` are allowed (never used).
/// The graph's connected components are solved apart by [`solve_sparse`], on two threads when
/// the graph is large ([`parts`]); the result does not depend on the threads.
pub fn solve_bipartite(g: &Bipartite) -> FlowSolution {
    parts::solve_parts(g, parts::TWO_THREADS_MIN_ARCS)
}

/// Arcs kept per student in the first round of [`solve_sparse`].
pub const SPARSE_KEEP: usize = 12;

/// Solve on a sparse subgraph first — each student's `keep` cheapest arcs — then check the
/// optimal prices of that subgraph against *every* arc: if no arc left out is cheaper for its
/// student than what the student has (`c_ij + p_j ≥ u_i`), the prices are dual feasible for
/// the whole graph and the subgraph's optimum is the optimum. Otherwise each student with an
/// offending arc gets its ⌈keep/2⌉ cheapest arcs at the current prices and the subgraph is
/// solved again, warm: from the last round's prices and placements, with only those students
/// added anew. The dense demo graphs (100–400 arcs per student) are
/// solved on a tenth of their arcs, usually in one round.
pub fn solve_sparse(g: &Bipartite, keep: usize, strategy: Strategy) -> FlowSolution {
    let n = g.students();
    let mut kept = vec![false; g.site.len()];
    let mut order: Vec<u32> = Vec::new();
    for i in 0..n {
        let (a0, a1) = (g.start[i] as usize, g.start[i + 1] as usize);
        if a1 - a0 <= keep {
            kept[a0..a1].fill(true);
            continue;
        }
        order.clear();
        order.extend(a0 as u32..a1 as u32);
        order.select_nth_unstable_by_key(keep - 1, |&a| (g.cost[a as usize], a));
        for &a in &order[..keep] {
            kept[a as usize] = true;
        }
    }
    let mut rounds = 0;
    let mut warm: Option<WarmStart> = None;
    loop {
        rounds += 1;
        let mut sub = Bipartite {
            capacity: g.capacity.clone(),
            unplaced_penalty: g.unplaced_penalty,
            start: Vec::with_capacity(n + 1),
            site: Vec::new(),
            cost: Vec::new(),
        };
        sub.start.push(0);
        for i in 0..n {
            for a in g.start[i]..g.start[i + 1] {
                if kept[a as usize] {
                    sub.site.push(g.site[a as usize]);
                    sub.cost.push(g.cost[a as usize]);
                }
            }
            sub.start.push(sub.site.len() as u32);
        }
        let mut sol = solve_warm(&sub, strategy, warm.take());
        // u_i of each student for the subgraph's prices.
        let mut added = 0usize;
        let mut next: Vec<u32> = sol.assignment.iter().map(|s| s.unwrap_or(UNPLACED)).collect();
        for (i, next_i) in next.iter_mut().enumerate() {
            let u = match sol.assignment[i] {
                None => g.unplaced_penalty,
                Some(j) => {
                    let mut c = i64::MAX;
                    for b in sub.start[i]..sub.start[i + 1] {
                        if sub.site[b as usize] == j {
                            c = c.min(sub.cost[b as usize]);
                        }
                    }
                    c + sol.prices[j as usize]
                }
            };
            let arcs = g.start[i] as usize..g.start[i + 1] as usize;
            if arcs
                .clone()
                .any(|a| !kept[a] && g.cost[a] + sol.prices[g.site[a] as usize] < u)
            {
                // The next round adds this student anew.
                *next_i = WAITING;
                // Prices moved: keep the student's ⌈keep/2⌉ cheapest arcs at these prices too.
                // The cheapest is an offending arc (every kept arc costs at least u), so each
                // round adds an arc and the rounds end. Adding every offending arc instead
                // doubled the subgraph of a tight instance and was slower (warm rounds are
                // cheap).
                order.clear();
                order.extend(arcs.start as u32..arcs.end as u32);
                let rc = |a: u32| (g.cost[a as usize] + sol.prices[g.site[a as usize] as usize], a);
                let k = keep.div_ceil(2).min(order.len());
                order.select_nth_unstable_by_key(k - 1, |&a| rc(a));
                for &a in &order[..k] {
                    added += !kept[a as usize] as usize;
                    kept[a as usize] = true;
                }
            }
        }
        if added == 0 {
            sol.rounds = rounds;
            return sol;
        }
        warm = Some(WarmStart {
            site: next,
            prices: std::mem::take(&mut sol.prices),
        });
    }
}

/// [`solve_bipartite`] with a chosen switch from global phases to single searches.
pub fn solve_bipartite_with(g: &Bipartite, strategy: Strategy) -> FlowSolution {
    solve_warm(g, strategy, None)
}

/// A start for [`solve_warm`]: per student its site, [`WAITING`] or [`UNPLACED_SITE`], and the
/// site prices. Placed and unplaced students must be optimal for the prices on the graph
/// solved (each at a cheapest site, `u_k ≤ U`; an unplaced student has no arc cheaper than
/// `U`); sites may be left with room at a positive price (those places are refilled or the
/// prices lowered first).
pub struct WarmStart {
    pub site: Vec<u32>,
    pub prices: Vec<i64>,
}

/// A student still to be added, in [`WarmStart::site`].
pub const WAITING: u32 = NONE;
/// An unplaced student, in [`WarmStart::site`].
pub const UNPLACED_SITE: u32 = UNPLACED;

/// [`solve_bipartite_with`] from a warm start (or from nothing).
pub fn solve_warm(g: &Bipartite, strategy: Strategy, warm: Option<WarmStart>) -> FlowSolution {
    let n = g.students();
    let m = g.capacity.len();
    // Students per site, for the backward search, and room for each site's members.
    let mut deg = vec![0u32; m + 1];
    for &j in &g.site {
        deg[j as usize + 1] += 1;
    }
    let mut rev_start = deg.clone();
    for j in 0..m {
        rev_start[j + 1] += rev_start[j];
    }
    let mut fill = rev_start.clone();
    let mut rev = vec![(0u32, 0i64, 0u32); g.site.len()];
    for i in 0..n {
        for a in g.start[i]..g.start[i + 1] {
            let j = g.site[a as usize] as usize;
            rev[fill[j] as usize] = (i as u32, g.cost[a as usize], a);
            fill[j] += 1;
        }
    }
    let mut mstart = vec![0u32; m + 1];
    for j in 0..m {
        mstart[j + 1] = mstart[j] + g.capacity[j].min(deg[j + 1]);
    }
    let mut st = State {
        g,
        u_pen: g.unplaced_penalty,
        arc: vec![NONE; n],
        load: vec![0; m],
        members: vec![0; mstart[m] as usize],
        mstart,
        price: vec![0; m],
        visited: vec![0; m],
        stamp: 0,
    };
    let mut work = Work {
        rev_start,
        rev,
        sigma: vec![NONE; n],
        uval: vec![0; n],
        dist: vec![0; m + n],
        heap: BinaryHeap::new(),
    };
    let mut todo: Vec<u32> = Vec::new();
    if let Some(warm) = warm {
        st.price = warm.prices;
        for i in 0..n {
            let s = warm.site[i];
            let a = match s {
                NONE | UNPLACED => s,
                j => (g.start[i]..g.start[i + 1])
                    .find(|&a| g.site[a as usize] == j)
                    .unwrap_or(NONE),
            };
            if a != NONE
                && a != UNPLACED
                && st.load[g.site[a as usize] as usize] >= st.g.capacity[g.site[a as usize] as usize]
            {
                // Not a valid start (a site over capacity): add the student anew.
                todo.push(i as u32);
                continue;
            }
            if a == NONE {
                todo.push(i as u32);
            } else {
                st.move_to(i as u32, a);
            }
        }
        // Places left at a positive price: fill each or lower the price to 0.
        let mut back = Single {
            dist: vec![INF; m],
            pred: vec![(NONE, NONE); m],
            touched: Vec::new(),
            settled: Vec::new(),
            heap: BinaryHeap::new(),
        };
        let mut path = Vec::new();
        for j in 0..m {
            while st.load[j] < g.capacity[j] && st.price[j] > 0 {
                st.fill_slot(j as u32, &work, &mut back, &mut path);
            }
        }
    } else {
        todo.extend(0..n as u32);
    }
    if todo.is_empty() {
        let assignment = st
            .arc
            .iter()
            .map(|&a| {
                if a == UNPLACED || a == NONE {
                    None
                } else {
                    Some(g.site[a as usize])
                }
            })
            .collect();
        return FlowSolution {
            assignment,
            prices: st.price,
            phases: 0,
            rounds: 1,
        };
    }
    let mut stack = Vec::new();
    let mut phases = 0;
    loop {
        phases += 1;
        st.stamp += 1;
        let before = todo.len();
        todo.retain(|&i| !st.augment(i, &mut stack));
        if todo.is_empty() {
            break;
        }
        if todo.len() == before && phases > 1 {
            // Cannot happen: after a price raise every unprocessed student has a tight path.
            // Should it ever, stop rather than loop; the certificate check would fail.
            debug_assert!(false, "a phase after a price raise augmented nothing");
            for &i in &todo {
                st.arc[i as usize] = UNPLACED;
            }
            break;
        }
        let resolved = before - todo.len();
        if phases >= strategy.max_phases
            || todo.len() * strategy.tail_divisor < n
            || (phases >= 2 && resolved * 100 < before * strategy.min_progress_percent)
        {
            // The tail, one student at a time, cheapest best option first.
            let mut keyed: Vec<(i64, u32)> = todo
                .iter()
                .map(|&i| {
                    let mut u = st.u_pen;
                    for a in g.start[i as usize]..g.start[i as usize + 1] {
                        u = u.min(g.cost[a as usize] + st.price[g.site[a as usize] as usize]);
                    }
                    (u, i)
                })
                .collect();
            keyed.sort_unstable();
            let mut single = Single {
                dist: vec![INF; m],
                pred: vec![(NONE, NONE); m],
                touched: Vec::new(),
                settled: Vec::new(),
                heap: BinaryHeap::new(),
            };
            st.stamp += 1;
            for &(_, i) in &keyed {
                st.shortest_path(i, &mut single);
            }
            break;
        }
        for (k, &a) in st.arc.iter().enumerate() {
            work.sigma[k] = match a {
                NONE | UNPLACED => a,
                a => g.site[a as usize],
            };
        }
        st.raise_prices(&mut work);
    }
    let assignment = st
        .arc
        .iter()
        .map(|&a| {
            if a == UNPLACED || a == NONE {
                None
            } else {
                Some(g.site[a as usize])
            }
        })
        .collect();
    FlowSolution {
        assignment,
        prices: st.price,
        phases,
        rounds: 1,
    }
}
