//! Candidate edges: which sites each student may be placed at, found without computing the
//! travel time to every site.
//!
//! Sites are indexed per field in latitude strips, each sorted by longitude. A student's query
//! visits only the strips and the longitude window that can hold a site within the travel
//! limit. The window is a conservative bound of the haversine distance (it never drops a site
//! that is within reach); every site in it gets its exact minutes from
//! [`crate::geo::TravelModel::minutes`], the one travel function.

use super::{Bipartite, UnplacedReason, Validated};
use crate::geo::{Position, EARTH_RADIUS_KM};

/// Sites of each field in latitude strips sorted by longitude.
#[derive(Debug, Clone)]
pub struct FieldIndex {
    /// Largest distance in km that can still round to `max_travel_minutes` or less.
    km_max: f64,
    strip_deg: f64,
    fields: Vec<Strips>,
}

#[derive(Debug, Clone, Default)]
struct Strips {
    first: i64,
    /// `starts[s]..starts[s+1]` is strip `first + s` in `entries`.
    starts: Vec<u32>,
    entries: Vec<(f64, u32)>,
}

impl FieldIndex {
    pub fn build(v: &Validated<'_>) -> Self {
        let r = &v.instance.rules;
        // t = round(x) ≤ T  ⇔  x < T + 0.5, x = km · road_factor / speed · 60.
        let km = (r.max_travel_minutes as f64 + 0.5) * r.speed_kmh / (60.0 * r.road_factor);
        let km_max = km * (1.0 + 1e-9) + 1e-9;
        let dlat = (km_max / EARTH_RADIUS_KM).to_degrees();
        let strip_deg = dlat.clamp(0.05, 180.0);
        let mut per_field: Vec<Vec<(i64, f64, u32)>> = vec![Vec::new(); v.field_names.len()];
        for (j, s) in v.instance.sites.iter().enumerate() {
            let strip = ((s.lat + 90.0) / strip_deg).floor() as i64;
            per_field[v.site_field[j] as usize].push((strip, s.lon, j as u32));
        }
        let fields = per_field
            .into_iter()
            .map(|mut list| {
                if list.is_empty() {
                    return Strips::default();
                }
                list.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
                let first = list[0].0;
                let last = list[list.len() - 1].0;
                let mut starts = vec![0u32; (last - first + 2) as usize];
                for e in &list {
                    starts[(e.0 - first + 1) as usize] += 1;
                }
                for s in 1..starts.len() {
                    starts[s] += starts[s - 1];
                }
                Strips {
                    first,
                    starts,
                    entries: list.into_iter().map(|e| (e.1, e.2)).collect(),
                }
            })
            .collect();
        Self {
            km_max,
            strip_deg,
            fields,
        }
    }

    /// Whether any site has this field.
    pub fn field_has_sites(&self, field: u32) -> bool {
        self.fields.get(field as usize).is_some_and(|f| !f.entries.is_empty())
    }

    /// Call `f` with every site of `field` that may lie within the travel limit of `p` (and
    /// possibly some that do not: callers check the exact minutes).
    pub fn for_each_candidate(&self, field: u32, p: Position, mut f: impl FnMut(u32)) {
        let Some(strips) = self.fields.get(field as usize) else {
            return;
        };
        if strips.entries.is_empty() {
            return;
        }
        let dlat = (self.km_max / EARTH_RADIUS_KM).to_degrees() * (1.0 + 1e-9) + 1e-9;
        let lo_lat = (p.lat - dlat).max(-90.0);
        let hi_lat = (p.lat + dlat).min(90.0);
        let s_lo = (((lo_lat + 90.0) / self.strip_deg).floor() as i64).max(strips.first);
        let s_hi =
            (((hi_lat + 90.0) / self.strip_deg).floor() as i64).min(strips.first + strips.starts.len() as i64 - 2);
        if s_lo > s_hi {
            return;
        }
        // Points with |lat| ≤ φm and longitude difference Δλ are at least
        // 2R·asin(cos φm · sin(Δλ/2)) apart, since a ≥ cos φ1 cos φ2 sin²(Δλ/2).
        let phi_m = lo_lat.abs().max(hi_lat.abs()).to_radians();
        let ratio = (self.km_max / (2.0 * EARTH_RADIUS_KM))
            .min(std::f64::consts::FRAC_PI_2)
            .sin()
            / phi_m.cos();
        // Written negated on purpose: a NaN ratio (cos φ = 0) takes the whole circle too.
        #[allow(clippy::neg_cmp_op_on_partial_ord)]
        let dlon = if !(ratio < 0.999_999) || phi_m.cos() < 1e-9 {
            360.0
        } else {
            (2.0 * ratio.asin()).to_degrees() * (1.0 + 1e-9) + 1e-9
        };
        let mut windows: [(f64, f64); 2] = [(p.lon - dlon, p.lon + dlon), (1.0, 0.0)];
        if dlon >= 180.0 {
            windows[0] = (-f64::INFINITY, f64::INFINITY);
        } else if p.lon - dlon < -180.0 {
            windows[1] = (p.lon - dlon + 360.0, f64::INFINITY);
        } else if p.lon + dlon > 180.0 {
            windows[1] = (-f64::INFINITY, p.lon + dlon - 360.0);
        }
        for s in s_lo..=s_hi {
            let k = (s - strips.first) as usize;
            let strip = &strips.entries[strips.starts[k] as usize..strips.starts[k + 1] as usize];
            for &(lo, hi) in &windows {
                if lo > hi {
                    continue;
                }
                let start = strip.partition_point(|e| e.0 < lo);
                for e in &strip[start..] {
                    if e.0 > hi {
                        break;
                    }
                    f(e.1);
                }
            }
        }
    }
}

/// The bipartite problem of the students that are not locked, and their indices.
///
/// The travel minutes of every candidate pair are the bulk of the work, so the students are
/// split between two threads (the results are joined in student order: the graph is the
/// same as when built by one).
pub(super) fn build(v: &Validated<'_>, index: &FieldIndex) -> (Bipartite, Vec<u32>) {
    let inst = v.instance;
    let free: Vec<u32> = (0..inst.students.len() as u32)
        .filter(|&i| v.locked[i as usize].is_none())
        .collect();
    let half = free.len() / 2;
    let (first, second) = if free.len() >= 2000 {
        std::thread::scope(|scope| {
            let h = scope.spawn(|| arcs(v, index, &free[half..]));
            let a = arcs(v, index, &free[..half]);
            // A panic in the helper is a bug; build its half here instead of propagating.
            let b = h.join().unwrap_or_else(|_| arcs(v, index, &free[half..]));
            (a, b)
        })
    } else {
        (arcs(v, index, &free), Arcs::default())
    };
    let mut start = first.start;
    let total = first.site.len() + second.site.len();
    let (mut site, mut cost) = if second.site.is_empty() {
        (first.site, first.cost)
    } else {
        // One exactly sized copy (the big vectors are most of the memory touched).
        let mut site = Vec::with_capacity(total);
        let mut cost = Vec::with_capacity(total);
        site.extend_from_slice(&first.site);
        cost.extend_from_slice(&first.cost);
        (site, cost)
    };
    let offset = first_len(&start);
    start.extend(second.start.iter().skip(1).map(|s| s + offset));
    site.extend_from_slice(&second.site);
    cost.extend_from_slice(&second.cost);
    drop(second);
    let g = Bipartite {
        capacity: v.free_capacity.clone(),
        unplaced_penalty: inst.rules.unplaced_penalty,
        start,
        site,
        cost,
    };
    (g, free)
}

fn first_len(start: &[u32]) -> u32 {
    start.last().copied().unwrap_or(0)
}

#[derive(Default)]
struct Arcs {
    start: Vec<u32>,
    site: Vec<u32>,
    cost: Vec<i64>,
}

fn arcs(v: &Validated<'_>, index: &FieldIndex, students: &[u32]) -> Arcs {
    let inst = v.instance;
    let limit = inst.rules.max_travel_minutes;
    let unplaced = inst.rules.unplaced_penalty;
    // Reserve from a sample of the students (sites in their search window, of which about
    // π/4 lie within reach), so the big vectors are not regrown and copied.
    let step = 50;
    let mut sampled = 0usize;
    for &i in students.iter().step_by(step) {
        index.for_each_candidate(v.student_field[i as usize], v.student_position(i as usize), |_| {
            sampled += 1
        });
    }
    let estimate = (sampled * step).min(students.len().saturating_mul(v.instance.sites.len())) * 85 / 100 + 1024;
    let mut out = Arcs {
        start: Vec::with_capacity(students.len() + 1),
        site: Vec::with_capacity(estimate),
        cost: Vec::with_capacity(estimate),
    };
    out.start.push(0u32);
    for &i in students {
        let i = i as usize;
        let p = v.student_position(i);
        index.for_each_candidate(v.student_field[i], p, |j| {
            let j = j as usize;
            if v.free_capacity[j] == 0 {
                return;
            }
            let t = v.model.minutes(p, v.site_position(j));
            if t > limit {
                return;
            }
            let c = v.cost(i, j, t);
            // An arc that costs more than leaving the student unplaced is never used.
            if c <= unplaced {
                out.site.push(j as u32);
                out.cost.push(c);
            }
        });
        out.start.push(out.site.len() as u32);
    }
    out
}

/// Why student `i` is unplaced; `load[j]` counts the non-locked students placed at site `j`.
pub(super) fn reason(v: &Validated<'_>, index: &FieldIndex, i: usize, load: &[u32]) -> UnplacedReason {
    let inst = v.instance;
    let st = &inst.students[i];
    let limit = inst.rules.max_travel_minutes;
    let field = v.student_field[i];
    if !index.field_has_sites(field) {
        return UnplacedReason::NoSiteInField {
            field: st.field.clone(),
        };
    }
    let p = v.student_position(i);
    let mut reachable: Vec<(i64, u32)> = Vec::new();
    index.for_each_candidate(field, p, |j| {
        let t = v.model.minutes(p, v.site_position(j as usize));
        if t <= limit {
            reachable.push((t, j));
        }
    });
    if reachable.is_empty() {
        return UnplacedReason::NoneWithinTravel {
            field: st.field.clone(),
            limit,
        };
    }
    reachable.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then(inst.sites[a.1 as usize].id.cmp(&inst.sites[b.1 as usize].id))
    });
    let open: Vec<(i64, i64, u32)> = reachable
        .iter()
        .filter(|&&(_, j)| load[j as usize] < v.free_capacity[j as usize])
        .map(|&(t, j)| (v.cost(i, j as usize, t), t, j))
        .collect();
    if let Some(&(cost, minutes, j)) = open.iter().min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1))) {
        return UnplacedReason::CostlierThanUnplaced {
            site: inst.sites[j as usize].id.clone(),
            minutes,
            cost,
            penalty: inst.rules.unplaced_penalty,
        };
    }
    UnplacedReason::AllFull {
        count: reachable.len(),
        limit,
        nearest: reachable
            .iter()
            .take(3)
            .map(|&(t, j)| (inst.sites[j as usize].id.clone(), t))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::demo::{generate, DemoSpec};

    /// The two-thread build (2,000 free students or more) gives the very graph one thread
    /// builds: the same arcs in the same order.
    #[test]
    fn two_threads_build_the_same_graph_as_one() {
        let spec = DemoSpec {
            students: 2600,
            sites: 700,
            fields: 3,
            seed: 11,
            capacity_factor: None,
        };
        let inst = generate(&spec, &[]);
        let v = inst.validate().unwrap();
        let index = FieldIndex::build(&v);
        let (g, free) = build(&v, &index);
        assert!(free.len() >= 2000, "the instance must take the two-thread path");
        let one = arcs(&v, &index, &free);
        assert_eq!(g.start, one.start);
        assert_eq!(g.site, one.site);
        assert_eq!(g.cost, one.cost);
        assert!(!g.site.is_empty());
    }
}
