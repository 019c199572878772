//! Demand drivers: the demographic series an occupation serves, summed from population data.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Ssyk;

/// The population an occupation serves: all ages (`Total`) or the ages `from`…`to`
/// (inclusive; `to: None` means "and older").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Driver {
    Total,
    Ages { from: u32, to: Option<u32> },
}

impl Driver {
    /// Children 1–5: preschool teachers (förskollärare).
    pub const PRESCHOOL: Driver = Driver::Ages { from: 1, to: Some(5) };
    /// Children 6–15: compulsory-school teachers (grundskollärare).
    pub const COMPULSORY_SCHOOL: Driver = Driver::Ages { from: 6, to: Some(15) };
    /// People aged 80 and older: nurses in elderly care (geriatriksjuksköterskor).
    pub const ELDERLY: Driver = Driver::Ages { from: 80, to: None };

    /// The default driver of an SSYK 2012 occupation: 2343 förskollärare → 1–5,
    /// 2341 grundskollärare → 6–15, 2227 geriatriksjuksköterskor → 80+, otherwise the total
    /// population.
    pub fn for_ssyk(ssyk: Ssyk) -> Driver {
        match ssyk.to_string().as_str() {
            "2343" => Driver::PRESCHOOL,
            "2341" => Driver::COMPULSORY_SCHOOL,
            "2227" => Driver::ELDERLY,
            _ => Driver::Total,
        }
    }

    /// Does this driver count every person of `group`? `None` when the group straddles the
    /// driver's bounds (it cannot be split).
    fn covers(self, group: AgeGroup) -> Option<bool> {
        let (from, to) = match self {
            Driver::Total => return Some(!matches!(group, AgeGroup::Total)),
            Driver::Ages { from, to } => (from, to.unwrap_or(u32::MAX)),
        };
        let (lo, hi) = match group {
            AgeGroup::Total => return Some(false),
            AgeGroup::Age(a) => (a, a),
            AgeGroup::Range(a, b) => (a.min(b), a.max(b)),
            AgeGroup::AndOlder(a) => (a, u32::MAX),
        };
        if lo >= from && hi <= to {
            Some(true)
        } else if hi < from || lo > to {
            Some(false)
        } else {
            None
        }
    }
}

impl fmt::Display for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Driver::Total => f.write_str("total population"),
            Driver::Ages { from, to: Some(to) } => write!(f, "ages {from}–{to}"),
            Driver::Ages { from, to: None } => write!(f, "ages {from}+"),
        }
    }
}

/// An age category of population data: one age, a range (inclusive), "and older" (SCB's
/// `100+`), or the total over all ages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "age", rename_all = "snake_case")]
pub enum AgeGroup {
    Age(u32),
    Range(u32, u32),
    AndOlder(u32),
    Total,
}

impl fmt::Display for AgeGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AgeGroup::Age(a) => write!(f, "{a}"),
            AgeGroup::Range(a, b) => write!(f, "{a}-{b}"),
            AgeGroup::AndOlder(a) => write!(f, "{a}+"),
            AgeGroup::Total => f.write_str("tot"),
        }
    }
}

/// Why a driver series could not be made from population data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DriverError {
    #[error("the last year {last} is before the first year {first}")]
    Years { first: i32, last: i32 },
    #[error("no population for year {0}")]
    MissingYear(i32),
    #[error("year {year}, age {age}: no value (null) where {driver} needs one")]
    MissingValue { year: i32, age: AgeGroup, driver: Driver },
    #[error("year {year}, age {age}: the age group straddles {driver} and cannot be split")]
    Straddles { year: i32, age: AgeGroup, driver: Driver },
    #[error("year {year}, age {age}: {value} is not a finite number ≥ 0")]
    BadValue { year: i32, age: AgeGroup, value: f64 },
}

/// A driver's values for the consecutive years `first_year`, `first_year + 1`, …
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriverSeries {
    pub driver: Driver,
    pub first_year: i32,
    pub values: Vec<f64>,
}

impl DriverSeries {
    /// Sum population cells `(age group, year, value)` into the driver's series for
    /// `first_year…=last_year`.
    ///
    /// Pass the cells of one municipality (of one sex or of every sex: cells are summed, so
    /// sexes add up). For [`Driver::Total`], a year's `Total` cells are used when there are any,
    /// otherwise the sum of all its age cells; for an age range, `Total` cells are ignored and
    /// every age cell inside the range is summed. A `null` value inside the range, an age group
    /// that straddles the range (e.g. `0-4` for 1–5), a negative or non-finite value, or a year
    /// without any cell is an error. Cells of other years are ignored.
    pub fn from_population<I>(cells: I, driver: Driver, first_year: i32, last_year: i32) -> Result<Self, DriverError>
    where
        I: IntoIterator<Item = (AgeGroup, i32, Option<f64>)>,
    {
        if last_year < first_year {
            return Err(DriverError::Years {
                first: first_year,
                last: last_year,
            });
        }
        let n = (last_year as i64 - first_year as i64 + 1) as usize;
        let mut ages = vec![0.0; n];
        let mut totals = vec![0.0; n];
        let mut seen = vec![false; n];
        let mut has_total = vec![false; n];
        // For Driver::Total a null age cell only matters when the year has no Total cell.
        let mut null_age: Vec<Option<AgeGroup>> = vec![None; n];
        for (age, year, value) in cells {
            if year < first_year || year > last_year {
                continue;
            }
            let i = (year - first_year) as usize;
            seen[i] = true;
            let counts = if age == AgeGroup::Total {
                driver == Driver::Total
            } else {
                driver.covers(age).ok_or(DriverError::Straddles { year, age, driver })?
            };
            if !counts {
                continue;
            }
            let Some(v) = value else {
                if driver == Driver::Total && age != AgeGroup::Total {
                    null_age[i].get_or_insert(age);
                    continue;
                }
                return Err(DriverError::MissingValue { year, age, driver });
            };
            if !v.is_finite() || v < 0.0 {
                return Err(DriverError::BadValue { year, age, value: v });
            }
            if age == AgeGroup::Total {
                has_total[i] = true;
                totals[i] += v;
            } else {
                ages[i] += v;
            }
        }
        if let Some(i) = seen.iter().position(|s| !s) {
            return Err(DriverError::MissingYear(first_year + i as i32));
        }
        for i in 0..n {
            if let (false, Some(age)) = (has_total[i], null_age[i]) {
                return Err(DriverError::MissingValue {
                    year: first_year + i as i32,
                    age,
                    driver,
                });
            }
        }
        let values = (0..n).map(|i| if has_total[i] { totals[i] } else { ages[i] }).collect();
        Ok(DriverSeries {
            driver,
            first_year,
            values,
        })
    }

    /// The value of `year`, if the series has it.
    pub fn get(&self, year: i32) -> Option<f64> {
        let i = usize::try_from(year as i64 - self.first_year as i64).ok()?;
        self.values.get(i).copied()
    }

    /// The values for `base_year…=base_year+horizon`, as [`super::Case::driver`] wants them.
    pub fn window(&self, base_year: i32, horizon: u32) -> Option<Vec<f64>> {
        (0..=horizon as i64)
            .map(|t| self.get((base_year as i64 + t).try_into().ok()?))
            .collect()
    }
}
