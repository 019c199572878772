//! Scenarios: pure adjustments of a [`Case`], for comparing "what if" with the baseline.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::case::{Case, MAX_AGE, MIN_AGE};

/// One adjustment of a case. [`Scenario::apply`] keeps a valid case valid: results are
/// clamped to the accepted ranges (ages 15…80, shares 0…1, counts ≥ 0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scenario {
    /// N more local graduates every forecast year y0+1 … y0+H (N may be negative).
    ExtraLocalGraduates { per_year: f64 },
    /// Another retirement age.
    RetirementAge { age: u32 },
    /// The exit rate changed by this many percentage points (−1 → 5 % becomes 4 %).
    ExitRateChange { percentage_points: f64 },
    /// Another retention of local graduates (0…1).
    Retention { retention: f64 },
    /// Another entry age of new staff.
    EntryAge { age: u32 },
}

impl Scenario {
    /// The adjusted case; `case` itself is unchanged.
    pub fn apply(&self, case: &Case) -> Case {
        let mut c = case.clone();
        match *self {
            Scenario::ExtraLocalGraduates { per_year } => {
                let len = c.horizon as usize + 1;
                if c.local_graduates.len() != len {
                    c.local_graduates.resize(len, 0.0);
                }
                for g in c.local_graduates.iter_mut().skip(1) {
                    *g = (*g + per_year).max(0.0);
                }
            }
            Scenario::RetirementAge { age } => c.retirement_age = age.clamp(MIN_AGE, MAX_AGE),
            Scenario::ExitRateChange { percentage_points } => {
                c.exit_rate = (c.exit_rate + percentage_points / 100.0).clamp(0.0, 1.0);
            }
            Scenario::Retention { retention } => c.retention = retention.clamp(0.0, 1.0),
            Scenario::EntryAge { age } => c.entry_age = age.clamp(MIN_AGE, MAX_AGE),
        }
        c
    }

    /// Apply several adjustments in order.
    pub fn apply_all(scenarios: &[Scenario], case: &Case) -> Case {
        scenarios.iter().fold(case.clone(), |c, s| s.apply(&c))
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scenario::ExtraLocalGraduates { per_year } => write!(f, "{per_year:+} local graduates a year"),
            Scenario::RetirementAge { age } => write!(f, "retirement age {age}"),
            Scenario::ExitRateChange { percentage_points } => {
                write!(f, "exit rate {percentage_points:+} percentage points")
            }
            Scenario::Retention { retention } => write!(f, "retention {retention}"),
            Scenario::EntryAge { age } => write!(f, "entry age {age}"),
        }
    }
}
