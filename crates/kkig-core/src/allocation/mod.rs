//! VFU allocation: place students at placement sites at minimum total cost, provably optimal.
//!
//! The model (docs/allocation.md says the same, in the same words):
//!
//! - travel minutes `t(i,j)` by the travel model of [`crate::geo`];
//! - student `i` may be placed at site `j` iff their fields are equal and
//!   `t(i,j) ≤ max_travel_minutes`; a student with a `locked_site` is placed there and nowhere
//!   else, regardless of field and travel;
//! - `cost(i,j) = t(i,j) − home_municipality_bonus·[same municipality]
//!   − preference_bonus[k]·[j is the (k+1)-th preference] + move_penalty·[current_site ≠ j]`;
//! - a site takes at most `capacity` students, a student at most one site;
//! - minimise `Σ cost over placed students + unplaced_penalty × (number unplaced)`.
//!
//! The pipeline is plain functions: [`parse_instance`] (JSON bytes → [`Instance`], errors name
//! the path), [`Instance::validate`] (→ [`Validated`], errors name the path), [`solve`]
//! (→ [`Allocation`], with the site prices that prove optimality), [`certificate::check`]
//! (an independent check of those prices), and [`Allocation::write_json`]. The min-cost-flow
//! solver itself is [`crate::solve`], shared with other engines.

pub mod certificate;
pub mod demo;
mod graph;
pub mod product;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::geo::{Position, TravelModel};
use crate::ids::{SiteId, StudentId};

pub use crate::solve::{
    solve_bipartite, solve_bipartite_with, solve_sparse, solve_warm, Bipartite, FlowSolution, Strategy, WarmStart,
    SPARSE_KEEP, UNPLACED_SITE, WAITING,
};
pub use graph::FieldIndex;

/// The rules of an allocation run. Every key is optional in the file; absent keys take the
/// defaults below. Unknown keys are ignored (forward compatibility: a newer file still runs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rules {
    pub max_travel_minutes: i64,
    pub road_factor: f64,
    pub speed_kmh: f64,
    pub home_municipality_bonus: i64,
    pub preference_bonus: Vec<i64>,
    pub move_penalty: i64,
    pub unplaced_penalty: i64,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            max_travel_minutes: 90,
            road_factor: 1.3,
            speed_kmh: 70.0,
            home_municipality_bonus: 30,
            preference_bonus: vec![60, 40, 20],
            move_penalty: 0,
            unplaced_penalty: 100_000,
        }
    }
}

impl Rules {
    pub fn travel_model(&self) -> TravelModel {
        TravelModel {
            road_factor: self.road_factor,
            speed_kmh: self.speed_kmh,
        }
    }
}

/// A placement site with its capacity for this run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    pub id: SiteId,
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub capacity: i64,
}

/// A student to place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Student {
    pub id: StudentId,
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    pub lat: f64,
    pub lon: f64,
    /// Site ids in order of preference; `null` is the same as absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferences: Option<Vec<SiteId>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_site: Option<SiteId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_site: Option<SiteId>,
}

/// The input file of `kkig allocate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    #[serde(default)]
    pub rules: Rules,
    pub sites: Vec<Site>,
    pub students: Vec<Student>,
}

/// Why an instance was rejected. The message starts with where the problem is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// Malformed JSON or a value of the wrong type: the path (when known) and serde's message
    /// with line and column.
    #[error("{0}")]
    Json(String),
    /// A value that parsed but breaks a rule; `path` is e.g. `students[17].locked_site`.
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

fn invalid(path: impl Into<String>, message: impl Into<String>) -> InputError {
    InputError::Invalid {
        path: path.into(),
        message: message.into(),
    }
}

/// Read an instance from JSON bytes. On a parse error the input is read a second time to name
/// the path of the offending value (the fast path pays nothing for that).
pub fn parse_instance(bytes: &[u8]) -> Result<Instance, InputError> {
    match serde_json::from_slice::<Instance>(bytes) {
        Ok(i) => Ok(i),
        Err(plain) => {
            let mut de = serde_json::Deserializer::from_slice(bytes);
            match serde_path_to_error::deserialize::<_, Instance>(&mut de) {
                Err(e) => {
                    let path = e.path().to_string();
                    let inner = e.into_inner();
                    if path.is_empty() || path == "." || path == "?" {
                        Err(InputError::Json(format!("invalid JSON: {inner}")))
                    } else {
                        Err(InputError::Json(format!("{path}: {inner}")))
                    }
                }
                // Cannot happen (same input, same types), but never panic.
                Ok(_) => Err(InputError::Json(format!("invalid JSON: {plain}"))),
            }
        }
    }
}

/// Largest absolute value accepted for the integer rules, so sums never overflow.
pub const MAX_RULE_MAGNITUDE: i64 = 1_000_000_000;
/// Largest accepted `max_travel_minutes` (about 700 days).
pub const MAX_TRAVEL_LIMIT: i64 = 1_000_000;
/// Largest accepted site capacity.
pub const MAX_CAPACITY: i64 = 1_000_000_000;

/// A checked instance with ids resolved to indices. Built only by [`Instance::validate`].
#[derive(Debug, Clone)]
pub struct Validated<'a> {
    pub instance: &'a Instance,
    pub model: TravelModel,
    /// Per student: the locked site index.
    pub locked: Vec<Option<u32>>,
    /// Per student: the current site index.
    pub current: Vec<Option<u32>>,
    /// Per student: preference site indices in order (no duplicates).
    pub preferences: Vec<Vec<u32>>,
    /// Per site: capacity left after the locked students.
    pub free_capacity: Vec<u32>,
    /// Interned field per site and student (same number = same field string).
    pub site_field: Vec<u32>,
    pub student_field: Vec<u32>,
    pub field_names: Vec<&'a str>,
}

impl Instance {
    /// Check every rule of the file format; the error names the first offending path.
    pub fn validate(&self) -> Result<Validated<'_>, InputError> {
        let r = &self.rules;
        if !(0..=MAX_TRAVEL_LIMIT).contains(&r.max_travel_minutes) {
            return Err(invalid(
                "rules.max_travel_minutes",
                format!("must be between 0 and {MAX_TRAVEL_LIMIT}, got {}", r.max_travel_minutes),
            ));
        }
        if !(r.road_factor.is_finite() && r.road_factor > 0.0 && r.road_factor <= 100.0) {
            return Err(invalid(
                "rules.road_factor",
                format!("must be a number above 0 and at most 100, got {}", r.road_factor),
            ));
        }
        if !(r.speed_kmh.is_finite() && r.speed_kmh > 0.0 && r.speed_kmh <= 10_000.0) {
            return Err(invalid(
                "rules.speed_kmh",
                format!("must be a number above 0 and at most 10000, got {}", r.speed_kmh),
            ));
        }
        let check = |name: &str, v: i64| {
            if v.abs() > MAX_RULE_MAGNITUDE {
                Err(invalid(
                    format!("rules.{name}"),
                    format!("must be between -{MAX_RULE_MAGNITUDE} and {MAX_RULE_MAGNITUDE}, got {v}"),
                ))
            } else {
                Ok(())
            }
        };
        check("home_municipality_bonus", r.home_municipality_bonus)?;
        check("move_penalty", r.move_penalty)?;
        check("unplaced_penalty", r.unplaced_penalty)?;
        if r.preference_bonus.len() > 1000 {
            return Err(invalid("rules.preference_bonus", "at most 1000 entries"));
        }
        for (k, &b) in r.preference_bonus.iter().enumerate() {
            check(&format!("preference_bonus[{k}]"), b)?;
        }

        let mut site_index: HashMap<&str, u32> = HashMap::with_capacity(self.sites.len());
        let mut fields: HashMap<&str, u32> = HashMap::new();
        let mut field_names: Vec<&str> = Vec::new();
        let mut site_field = Vec::with_capacity(self.sites.len());
        let mut free_capacity = Vec::with_capacity(self.sites.len());
        if self.sites.len() >= u32::MAX as usize || self.students.len() >= u32::MAX as usize {
            return Err(invalid("sites", "too many sites or students"));
        }
        for (j, s) in self.sites.iter().enumerate() {
            if site_index.insert(s.id.as_str(), j as u32).is_some() {
                return Err(invalid(format!("sites[{j}].id"), format!("duplicate id {:?}", s.id)));
            }
            check_position(&format!("sites[{j}]"), s.lat, s.lon)?;
            if s.capacity < 0 {
                return Err(invalid(
                    format!("sites[{j}].capacity"),
                    format!("must not be negative, got {}", s.capacity),
                ));
            }
            if s.capacity > MAX_CAPACITY {
                return Err(invalid(
                    format!("sites[{j}].capacity"),
                    format!("must be at most {MAX_CAPACITY}, got {}", s.capacity),
                ));
            }
            let f = *fields.entry(s.field.as_str()).or_insert_with(|| {
                field_names.push(s.field.as_str());
                (field_names.len() - 1) as u32
            });
            site_field.push(f);
            free_capacity.push(s.capacity as u64);
        }
        let lookup = |path: String, id: &str| -> Result<u32, InputError> {
            site_index
                .get(id)
                .copied()
                .ok_or_else(|| invalid(path, format!("unknown site {id:?}")))
        };
        let mut student_ids: HashMap<&str, ()> = HashMap::with_capacity(self.students.len());
        let mut locked = Vec::with_capacity(self.students.len());
        let mut current = Vec::with_capacity(self.students.len());
        let mut preferences = Vec::with_capacity(self.students.len());
        let mut student_field = Vec::with_capacity(self.students.len());
        let mut locked_count = vec![0u64; self.sites.len()];
        for (i, s) in self.students.iter().enumerate() {
            if student_ids.insert(s.id.as_str(), ()).is_some() {
                return Err(invalid(format!("students[{i}].id"), format!("duplicate id {:?}", s.id)));
            }
            check_position(&format!("students[{i}]"), s.lat, s.lon)?;
            let mut prefs = Vec::new();
            if let Some(p) = &s.preferences {
                prefs.reserve(p.len());
                for (k, id) in p.iter().enumerate() {
                    let j = lookup(format!("students[{i}].preferences[{k}]"), id.as_str())?;
                    if prefs.contains(&j) {
                        return Err(invalid(
                            format!("students[{i}].preferences[{k}]"),
                            format!("site {id:?} is listed twice"),
                        ));
                    }
                    prefs.push(j);
                }
            }
            let l = match &s.locked_site {
                Some(id) => {
                    let j = lookup(format!("students[{i}].locked_site"), id.as_str())?;
                    locked_count[j as usize] += 1;
                    Some(j)
                }
                None => None,
            };
            let c = match &s.current_site {
                Some(id) => Some(lookup(format!("students[{i}].current_site"), id.as_str())?),
                None => None,
            };
            // A field no site has gets its own number too: it simply matches nothing.
            let f = *fields.entry(s.field.as_str()).or_insert_with(|| {
                field_names.push(s.field.as_str());
                (field_names.len() - 1) as u32
            });
            student_field.push(f);
            locked.push(l);
            current.push(c);
            preferences.push(prefs);
        }
        for (j, s) in self.sites.iter().enumerate() {
            if locked_count[j] > free_capacity[j] {
                return Err(invalid(
                    format!("sites[{j}].capacity"),
                    format!(
                        "{} students are locked to site {:?} but its capacity is {}",
                        locked_count[j], s.id, s.capacity
                    ),
                ));
            }
            free_capacity[j] -= locked_count[j];
        }
        let n = self.students.len() as u64;
        let free_capacity = free_capacity.into_iter().map(|c| c.min(n) as u32).collect();
        Ok(Validated {
            instance: self,
            model: r.travel_model(),
            locked,
            current,
            preferences,
            free_capacity,
            site_field,
            student_field,
            field_names,
        })
    }
}

fn check_position(path: &str, lat: f64, lon: f64) -> Result<(), InputError> {
    if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
        return Err(invalid(
            format!("{path}.lat"),
            format!("latitude must be between -90 and 90, got {lat}"),
        ));
    }
    if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
        return Err(invalid(
            format!("{path}.lon"),
            format!("longitude must be between -180 and 180, got {lon}"),
        ));
    }
    Ok(())
}

impl Validated<'_> {
    pub fn student_position(&self, i: usize) -> Position {
        let s = &self.instance.students[i];
        Position { lat: s.lat, lon: s.lon }
    }

    pub fn site_position(&self, j: usize) -> Position {
        let s = &self.instance.sites[j];
        Position { lat: s.lat, lon: s.lon }
    }

    /// Travel minutes by the travel model.
    pub fn minutes(&self, i: usize, j: usize) -> i64 {
        self.model.minutes(self.student_position(i), self.site_position(j))
    }

    /// `cost(i,j)` of the model for travel minutes `t`.
    pub fn cost(&self, i: usize, j: usize, t: i64) -> i64 {
        let r = &self.instance.rules;
        let (st, si) = (&self.instance.students[i], &self.instance.sites[j]);
        let mut c = t;
        if let (Some(a), Some(b)) = (&st.municipality, &si.municipality) {
            if a == b {
                c -= r.home_municipality_bonus;
            }
        }
        if let Some(k) = self.preferences[i].iter().position(|&p| p as usize == j) {
            if let Some(b) = r.preference_bonus.get(k) {
                c -= b;
            }
        }
        if let Some(cur) = self.current[i] {
            if cur as usize != j {
                c += r.move_penalty;
            }
        }
        c
    }
}

/// One placed student.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub student: StudentId,
    pub site: SiteId,
    pub minutes: i64,
    pub cost: i64,
}

/// The result of an allocation run: the output file plus what proves it optimal.
#[derive(Debug, Clone, PartialEq)]
pub struct Allocation {
    pub objective: i64,
    /// Per student (input order): the site index, or `None` when unplaced.
    pub site_of: Vec<Option<u32>>,
    /// Per student: travel minutes and cost when placed.
    pub minutes: Vec<i64>,
    pub costs: Vec<i64>,
    /// Per site: the dual price that certifies optimality (see [`certificate`]).
    pub prices: Vec<i64>,
    /// Per unplaced student (index): why.
    pub reasons: BTreeMap<usize, UnplacedReason>,
    pub stats: SolveStats,
}

/// Why a student is unplaced, as data: the CLI writes its English sentence ([`std::fmt::Display`],
/// the `unplaced_reasons` of the output file); pages say it in their own language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnplacedReason {
    /// No site of the instance takes the student's field.
    NoSiteInField { field: String },
    /// Sites take the field, but none within `limit` minutes.
    NoneWithinTravel { field: String, limit: i64 },
    /// A reachable site has a free place, but placing the student there costs `cost`, not less
    /// than the unplaced `penalty` (only when the penalty is set that low).
    CostlierThanUnplaced {
        site: SiteId,
        minutes: i64,
        cost: i64,
        penalty: i64,
    },
    /// Every one of the `count` sites of the field within `limit` minutes is full; the nearest
    /// (up to three) with their minutes.
    AllFull {
        count: usize,
        limit: i64,
        nearest: Vec<(SiteId, i64)>,
    },
}

impl std::fmt::Display for UnplacedReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoSiteInField { field } => write!(f, "There is no site in their field ({field:?}) at all."),
            Self::NoneWithinTravel { field, limit } => {
                write!(
                    f,
                    "There is no site in their field ({field:?}) within the maximum travel of {limit} minutes."
                )
            }
            Self::CostlierThanUnplaced {
                site,
                minutes,
                cost,
                penalty,
            } => {
                let cmp = match cost.cmp(penalty) {
                    std::cmp::Ordering::Greater => "more than",
                    std::cmp::Ordering::Equal => "as much as",
                    std::cmp::Ordering::Less => "less than",
                };
                write!(
                    f,
                    "Placing them would cost more than leaving them unplaced: the cheapest site with a free place, {site} ({minutes} min), costs {cost}, {cmp} the unplaced penalty of {penalty}."
                )
            }
            Self::AllFull { count, limit, nearest } => {
                let all = if *count == 1 {
                    "The only site".to_string()
                } else {
                    format!("All {count} sites")
                };
                let names: Vec<String> = nearest.iter().map(|(id, t)| format!("{id} ({t} min)")).collect();
                write!(
                    f,
                    "{all} in their field within {limit} minutes {} full (nearest: {}).",
                    if *count == 1 { "is" } else { "are" },
                    names.join(", ")
                )
            }
        }
    }
}

/// Size of the work done, for the summary and the docs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SolveStats {
    pub candidate_edges: usize,
    /// Global phases of the solver's last round, and rounds of the sparse-first solve (the
    /// most of any connected component, each solved apart).
    pub phases: u32,
    pub rounds: u32,
}

/// The candidate graph of the students that are not locked (their indices alongside): for the
/// benchmark of the solver alone.
pub fn build_problem(v: &Validated<'_>) -> (Bipartite, Vec<u32>) {
    graph::build(v, &FieldIndex::build(v))
}

/// Build the candidate graph, solve it to optimality, and explain the unplaced.
pub fn solve(v: &Validated<'_>) -> Allocation {
    let inst = v.instance;
    let n = inst.students.len();
    let index = FieldIndex::build(v);
    let (problem, free_students) = graph::build(v, &index);
    let FlowSolution {
        assignment,
        prices,
        phases,
        rounds,
    } = solve_bipartite(&problem);
    let mut site_of: Vec<Option<u32>> = v.locked.clone();
    for (k, &i) in free_students.iter().enumerate() {
        site_of[i as usize] = assignment[k];
    }
    let mut minutes = vec![0i64; n];
    let mut costs = vec![0i64; n];
    let mut objective: i64 = 0;
    let mut reasons = BTreeMap::new();
    for i in 0..n {
        match site_of[i] {
            Some(j) => {
                let t = v.minutes(i, j as usize);
                let c = v.cost(i, j as usize, t);
                minutes[i] = t;
                costs[i] = c;
                objective += c;
            }
            None => {
                objective += inst.rules.unplaced_penalty;
            }
        }
    }
    let mut load = vec![0u32; inst.sites.len()];
    for (i, s) in site_of.iter().enumerate() {
        if let (Some(j), None) = (s, v.locked[i]) {
            load[*j as usize] += 1;
        }
    }
    for (i, site) in site_of.iter().enumerate() {
        if site.is_none() {
            reasons.insert(i, graph::reason(v, &index, i, &load));
        }
    }
    Allocation {
        objective,
        site_of,
        minutes,
        costs,
        prices,
        reasons,
        stats: SolveStats {
            candidate_edges: problem.site.len(),
            phases,
            rounds,
        },
    }
}

/// Summary statistics printed by the CLI.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub students: usize,
    pub placed: usize,
    pub placed_home: usize,
    /// Travel minutes of the placed: min, quartiles, max (0 when nobody is placed).
    pub minutes_min: i64,
    pub minutes_q1: i64,
    pub minutes_median: i64,
    pub minutes_q3: i64,
    pub minutes_max: i64,
    /// Placed students per travel bucket: ≤15, ≤30, ≤45, ≤60, ≤90, >90 minutes.
    pub buckets: [usize; 6],
}

pub const BUCKET_LABELS: [&str; 6] = ["0-15", "16-30", "31-45", "46-60", "61-90", ">90"];

impl Allocation {
    pub fn placed(&self) -> usize {
        self.site_of.iter().filter(|s| s.is_some()).count()
    }

    pub fn summary(&self, v: &Validated<'_>) -> Summary {
        let inst = v.instance;
        let mut mins: Vec<i64> = Vec::with_capacity(self.site_of.len());
        let mut home = 0;
        let mut buckets = [0usize; 6];
        for (i, s) in self.site_of.iter().enumerate() {
            if let Some(j) = s {
                let t = self.minutes[i];
                mins.push(t);
                if let (Some(a), Some(b)) = (&inst.students[i].municipality, &inst.sites[*j as usize].municipality) {
                    if a == b {
                        home += 1;
                    }
                }
                let b = match t {
                    ..=15 => 0,
                    16..=30 => 1,
                    31..=45 => 2,
                    46..=60 => 3,
                    61..=90 => 4,
                    _ => 5,
                };
                buckets[b] += 1;
            }
        }
        mins.sort_unstable();
        let q = |f: f64| -> i64 {
            if mins.is_empty() {
                0
            } else {
                mins[((mins.len() - 1) as f64 * f).round() as usize]
            }
        };
        Summary {
            students: self.site_of.len(),
            placed: mins.len(),
            placed_home: home,
            minutes_min: q(0.0),
            minutes_q1: q(0.25),
            minutes_median: q(0.5),
            minutes_q3: q(0.75),
            minutes_max: q(1.0),
            buckets,
        }
    }

    /// The output file: `objective`, `placed`, `unplaced` (sorted ids), `assignments` (sorted by
    /// student id, one per line), `unplaced_reasons` (by id).
    pub fn write_json(&self, v: &Validated<'_>, out: &mut Vec<u8>) {
        let inst = v.instance;
        let mut order: Vec<usize> = (0..inst.students.len()).collect();
        order.sort_unstable_by(|&a, &b| inst.students[a].id.cmp(&inst.students[b].id));
        let placed = self.placed();
        out.reserve(64 * placed + 128);
        out.extend_from_slice(
            format!(
                "{{\"objective\":{},\"placed\":{},\"unplaced\":[",
                self.objective, placed
            )
            .as_bytes(),
        );
        let mut first = true;
        for &i in &order {
            if self.site_of[i].is_none() {
                if !first {
                    out.push(b',');
                }
                first = false;
                write_str(out, inst.students[i].id.as_str());
            }
        }
        out.extend_from_slice(b"],\n\"assignments\":[");
        let mut first = true;
        for &i in &order {
            if let Some(j) = self.site_of[i] {
                out.extend_from_slice(if first { b"\n{\"student\":" } else { b",\n{\"student\":" });
                first = false;
                write_str(out, inst.students[i].id.as_str());
                out.extend_from_slice(b",\"site\":");
                write_str(out, inst.sites[j as usize].id.as_str());
                out.extend_from_slice(
                    format!(",\"minutes\":{},\"cost\":{}}}", self.minutes[i], self.costs[i]).as_bytes(),
                );
            }
        }
        out.extend_from_slice(if first {
            b"],\n\"unplaced_reasons\":{"
        } else {
            b"\n],\n\"unplaced_reasons\":{"
        });
        let mut first = true;
        for &i in &order {
            if let Some(r) = self.reasons.get(&i) {
                out.extend_from_slice(if first { b"\n" } else { b",\n" });
                first = false;
                write_str(out, inst.students[i].id.as_str());
                out.push(b':');
                write_str(out, &r.to_string());
            }
        }
        out.extend_from_slice(if first { b"}}\n" } else { b"\n}}\n" });
    }
}

fn write_str(out: &mut Vec<u8>, s: &str) {
    // serde_json escapes exactly as JSON requires; writing to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}
