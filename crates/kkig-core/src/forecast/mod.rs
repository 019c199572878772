//! The competence-supply forecast: a transparent stock-flow model per municipality and
//! occupation (issue 7). `docs/forecast.md` writes the model down exactly as implemented here.
//!
//! Per year y → y+1, in this order:
//!
//! 1. everyone ages one year;
//! 2. retirements: everyone whose age is now ≥ `retirement_age` leaves;
//! 3. other exits = `exit_rate` × the remaining staff, taken proportionally from every age;
//! 4. remaining = staff after steps 2 and 3;
//! 5. demand(y+1) = demand(y0) × driver(y+1) / driver(y0), demand(y0) = staff(y0) + vacancies;
//! 6. need = max(0, demand(y+1) − remaining);
//! 7. local_supply = local_graduates(y+1) × retention; local_contribution = min(local_supply,
//!    need); external_need = need − local_contribution;
//! 8. `need` new staff enter at `entry_age`; staff = remaining + need.
//!
//! A [`Case`] is plain data (it can come from anywhere); [`forecast`] validates it first and
//! answers a [`CaseError`] that names the field. [`parse_case`] reads the JSON file format of
//! `kkig forecast` with the same field-naming errors, never panicking.

mod case;
pub mod computed;
mod drivers;
pub mod product;
mod scenario;
#[cfg(test)]
mod tests;

use serde::Serialize;

pub use case::{
    parse_case, Case, CaseError, DEFAULT_ENTRY_AGE, DEFAULT_EXIT_RATE, DEFAULT_HORIZON, DEFAULT_RETENTION,
    DEFAULT_RETIREMENT_AGE, MAX_AGE, MAX_HORIZON, MIN_AGE,
};
pub use drivers::{AgeGroup, Driver, DriverError, DriverSeries};
pub use scenario::Scenario;

/// The flows of one forecast year y0+t (t = 1…H). Field order is the output order.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct YearFlow {
    pub year: i32,
    /// demand(y) = demand(y0) × driver(y) / driver(y0).
    pub demand: f64,
    /// Staff who reached `retirement_age` this year.
    pub retirements: f64,
    /// Other exits: `exit_rate` × the staff left after retirements.
    pub exits: f64,
    /// Staff after retirements and exits, before anyone is recruited.
    pub remaining: f64,
    /// Recruitment need: max(0, demand − remaining).
    pub need: f64,
    /// local_graduates(y) × retention.
    pub local_supply: f64,
    /// min(local_supply, need): the part of the need local graduates can fill.
    pub local_contribution: f64,
    /// need − local_contribution: what must be recruited from elsewhere.
    pub external_need: f64,
    /// Staff at the end of the year: remaining + need.
    pub staff: f64,
}

/// Sums over the horizon, and the stock at its start and end. Field order is the output order.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Totals {
    pub retirements: f64,
    pub exits: f64,
    pub need: f64,
    pub local_supply: f64,
    pub local_contribution: f64,
    pub external_need: f64,
    /// Staff at the start of the base year y0 (the sum of `staff_by_age`).
    pub start_staff: f64,
    /// demand(y0) = start_staff + vacancies.
    pub start_demand: f64,
    /// Staff at the end of the last year y0+H.
    pub final_staff: f64,
    /// Demand in the last year y0+H.
    pub final_demand: f64,
}

/// A forecast: one [`YearFlow`] per year y0+1 … y0+H, and the [`Totals`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    pub years: Vec<YearFlow>,
    pub totals: Totals,
}

/// The CSV columns of `kkig forecast --format csv`, in order (the fields of [`YearFlow`]).
pub const CSV_COLUMNS: [&str; 10] = [
    "year",
    "demand",
    "retirements",
    "exits",
    "remaining",
    "need",
    "local_supply",
    "local_contribution",
    "external_need",
    "staff",
];

impl YearFlow {
    /// The values in [`CSV_COLUMNS`] order (the year as a number).
    pub fn values(&self) -> [f64; 10] {
        [
            self.year as f64,
            self.demand,
            self.retirements,
            self.exits,
            self.remaining,
            self.need,
            self.local_supply,
            self.local_contribution,
            self.external_need,
            self.staff,
        ]
    }
}

impl Forecast {
    /// The forecast as CSV: header [`CSV_COLUMNS`], `,` between fields, `.` as decimal point,
    /// numbers in Rust's shortest round-trip form (no exponent), `\n` after every line.
    pub fn to_csv(&self) -> String {
        use std::fmt::Write;
        let mut out = String::with_capacity(64 + self.years.len() * 160);
        out.push_str(&CSV_COLUMNS.join(","));
        out.push('\n');
        for y in &self.years {
            let _ = write!(out, "{}", y.year);
            for v in &y.values()[1..] {
                let _ = write!(out, ",{v}");
            }
            out.push('\n');
        }
        out
    }

    /// The regional total of several forecasts over the same years: every flow and total is
    /// summed. `None` when `forecasts` is empty or their years differ.
    pub fn sum(forecasts: &[Forecast]) -> Option<Forecast> {
        let first = forecasts.first()?;
        let same_years = forecasts.iter().all(|f| {
            f.years.len() == first.years.len() && f.years.iter().zip(&first.years).all(|(a, b)| a.year == b.year)
        });
        if !same_years {
            return None;
        }
        let mut out = Forecast {
            years: first
                .years
                .iter()
                .map(|y| YearFlow {
                    year: y.year,
                    ..YearFlow::zero()
                })
                .collect(),
            totals: Totals::default(),
        };
        for f in forecasts {
            for (o, y) in out.years.iter_mut().zip(&f.years) {
                o.demand += y.demand;
                o.retirements += y.retirements;
                o.exits += y.exits;
                o.remaining += y.remaining;
                o.need += y.need;
                o.local_supply += y.local_supply;
                o.local_contribution += y.local_contribution;
                o.external_need += y.external_need;
                o.staff += y.staff;
            }
            let (o, t) = (&mut out.totals, &f.totals);
            o.retirements += t.retirements;
            o.exits += t.exits;
            o.need += t.need;
            o.local_supply += t.local_supply;
            o.local_contribution += t.local_contribution;
            o.external_need += t.external_need;
            o.start_staff += t.start_staff;
            o.start_demand += t.start_demand;
            o.final_staff += t.final_staff;
            o.final_demand += t.final_demand;
        }
        Some(out)
    }
}

impl YearFlow {
    fn zero() -> Self {
        YearFlow {
            year: 0,
            demand: 0.0,
            retirements: 0.0,
            exits: 0.0,
            remaining: 0.0,
            need: 0.0,
            local_supply: 0.0,
            local_contribution: 0.0,
            external_need: 0.0,
            staff: 0.0,
        }
    }
}

/// Age slots of the stock: ages 0…MAX_AGE+1. Nobody is older than MAX_AGE at the start of a
/// year (staff_by_age ≤ 80, entry_age ≤ 80, and after step 2 everyone is below
/// retirement_age ≤ 80), so after aging nobody is older than MAX_AGE + 1.
const SLOTS: usize = MAX_AGE as usize + 2;

/// Validate `case` and run the model. Errors name the offending field.
pub fn forecast(case: &Case) -> Result<Forecast, CaseError> {
    case.validate()?;
    Ok(run_valid(case))
}

/// The model itself, for a case that [`Case::validate`] accepted.
fn run_valid(case: &Case) -> Forecast {
    let mut stock = [0.0f64; SLOTS];
    // The occupied ages are lo..=hi (empty when lo > hi): the loops touch only those slots.
    // Skipped slots hold 0, so the sums are the same as over every slot.
    let (mut lo, mut hi) = (SLOTS, 0);
    let mut start_staff = 0.0;
    for (&age, &n) in &case.staff_by_age {
        let a = age as usize;
        stock[a] += n;
        start_staff += n;
        lo = lo.min(a);
        hi = hi.max(a);
    }
    let start_demand = start_staff + case.vacancies;
    let retirement_age = case.retirement_age as usize;
    let entry_age = case.entry_age as usize;
    let keep = 1.0 - case.exit_rate;
    let driver0 = case.driver[0];
    let horizon = case.horizon as usize;
    let mut years = Vec::with_capacity(horizon);
    let mut totals = Totals {
        start_staff,
        start_demand,
        final_staff: start_staff,
        final_demand: start_demand,
        ..Totals::default()
    };
    for t in 1..=horizon {
        // 1. everyone ages one year (hi ≤ MAX_AGE here, so hi + 1 < SLOTS).
        if lo <= hi {
            stock.copy_within(lo..=hi, lo + 1);
            stock[lo] = 0.0;
            lo += 1;
            hi += 1;
        }
        // 2. retirements: everyone now at or above the retirement age leaves.
        let mut retirements = 0.0;
        if lo <= hi && hi >= retirement_age {
            for n in &mut stock[lo.max(retirement_age)..=hi] {
                retirements += *n;
                *n = 0.0;
            }
            if lo >= retirement_age {
                (lo, hi) = (SLOTS, 0);
            } else {
                hi = retirement_age - 1;
            }
        }
        // 3. other exits, proportionally from every age.
        let mut before_exits = 0.0;
        if lo <= hi {
            for n in &mut stock[lo..=hi] {
                before_exits += *n;
                *n *= keep;
            }
        }
        let exits = case.exit_rate * before_exits;
        // 4.
        let remaining = before_exits - exits;
        // 5.
        let demand = start_demand * case.driver[t] / driver0;
        // 6.
        let need = (demand - remaining).max(0.0);
        // 7.
        let local_supply = case.local_graduates.get(t).copied().unwrap_or(0.0) * case.retention;
        let local_contribution = local_supply.min(need);
        let external_need = need - local_contribution;
        // 8.
        if need > 0.0 {
            stock[entry_age] += need;
            lo = lo.min(entry_age);
            hi = hi.max(entry_age);
        }
        let staff = remaining + need;
        totals.retirements += retirements;
        totals.exits += exits;
        totals.need += need;
        totals.local_supply += local_supply;
        totals.local_contribution += local_contribution;
        totals.external_need += external_need;
        totals.final_staff = staff;
        totals.final_demand = demand;
        years.push(YearFlow {
            year: case.base_year + t as i32,
            demand,
            retirements,
            exits,
            remaining,
            need,
            local_supply,
            local_contribution,
            external_need,
            staff,
        });
    }
    Forecast { years, totals }
}
