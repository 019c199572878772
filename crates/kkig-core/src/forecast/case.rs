//! The input of the forecast: [`Case`], its defaults, validation and the JSON file format.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Youngest age accepted in `staff_by_age`, `retirement_age` and `entry_age`.
pub const MIN_AGE: u32 = 15;
/// Oldest age accepted in `staff_by_age`, `retirement_age` and `entry_age`.
pub const MAX_AGE: u32 = 80;
/// Longest horizon accepted, in years.
pub const MAX_HORIZON: u32 = 50;
pub const DEFAULT_HORIZON: u32 = 10;
pub const DEFAULT_RETIREMENT_AGE: u32 = 66;
pub const DEFAULT_EXIT_RATE: f64 = 0.05;
pub const DEFAULT_ENTRY_AGE: u32 = 30;
pub const DEFAULT_RETENTION: f64 = 0.5;
/// Base years accepted (keeps every year y0+t far from integer overflow).
const YEARS: std::ops::RangeInclusive<i64> = 1900..=2200;

const FIELDS: [&str; 10] = [
    "base_year",
    "horizon",
    "retirement_age",
    "exit_rate",
    "entry_age",
    "retention",
    "vacancies",
    "staff_by_age",
    "driver",
    "local_graduates",
];

/// One municipality and occupation: the staff at the start of the base year and everything
/// that drives the forecast. Built by [`parse_case`] (validated) or directly (then
/// [`crate::forecast::forecast`] validates it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// y0: the forecast starts with the staff at the start of this year.
    pub base_year: i32,
    /// H: the number of years forecast (1…50).
    #[serde(default = "default_horizon")]
    pub horizon: u32,
    #[serde(default = "default_retirement_age")]
    pub retirement_age: u32,
    /// Share of the staff (after retirements) leaving each year for other reasons, 0…1.
    #[serde(default = "default_exit_rate")]
    pub exit_rate: f64,
    /// Age at which new staff enter.
    #[serde(default = "default_entry_age")]
    pub entry_age: u32,
    /// Share of local graduates who take a job in the municipality, 0…1.
    #[serde(default = "default_retention")]
    pub retention: f64,
    /// Unfilled posts at y0; demand(y0) = staff(y0) + vacancies.
    #[serde(default)]
    pub vacancies: f64,
    /// Headcount (may be fractional) by age at the start of y0.
    pub staff_by_age: BTreeMap<u32, f64>,
    /// The demographic series the occupation serves, for y0 … y0+H (H+1 values).
    pub driver: Vec<f64>,
    /// Local graduates of the occupation's programme for y0 … y0+H (H+1 values), or empty for
    /// none. The value at y0 is not used: the first year forecast is y0+1.
    #[serde(default)]
    pub local_graduates: Vec<f64>,
}

fn default_horizon() -> u32 {
    DEFAULT_HORIZON
}
fn default_retirement_age() -> u32 {
    DEFAULT_RETIREMENT_AGE
}
fn default_exit_rate() -> f64 {
    DEFAULT_EXIT_RATE
}
fn default_entry_age() -> u32 {
    DEFAULT_ENTRY_AGE
}
fn default_retention() -> f64 {
    DEFAULT_RETENTION
}

/// Why a case was rejected: the field (a path such as `staff_by_age."12"` or `driver[3]`;
/// empty for the document as a whole) and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CaseError {
    pub field: String,
    pub message: String,
}

impl CaseError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl Case {
    /// A case with the defaults and no local graduates.
    pub fn new(base_year: i32, staff_by_age: BTreeMap<u32, f64>, driver: Vec<f64>) -> Self {
        let horizon = driver.len().saturating_sub(1).min(u32::MAX as usize) as u32;
        Case {
            base_year,
            horizon,
            retirement_age: DEFAULT_RETIREMENT_AGE,
            exit_rate: DEFAULT_EXIT_RATE,
            entry_age: DEFAULT_ENTRY_AGE,
            retention: DEFAULT_RETENTION,
            vacancies: 0.0,
            staff_by_age,
            driver,
            local_graduates: Vec::new(),
        }
    }

    /// Check every rule of docs/forecast.md; the first broken rule is reported.
    pub fn validate(&self) -> Result<(), CaseError> {
        if !YEARS.contains(&(self.base_year as i64)) {
            return Err(CaseError::new(
                "base_year",
                format!("{} is outside {}…{}", self.base_year, YEARS.start(), YEARS.end()),
            ));
        }
        if !(1..=MAX_HORIZON).contains(&self.horizon) {
            return Err(CaseError::new(
                "horizon",
                format!("{} is outside 1…{MAX_HORIZON}", self.horizon),
            ));
        }
        check_age("retirement_age", self.retirement_age)?;
        check_age("entry_age", self.entry_age)?;
        check_share("exit_rate", self.exit_rate)?;
        check_share("retention", self.retention)?;
        check_count("vacancies", self.vacancies)?;
        for (&age, &n) in &self.staff_by_age {
            // Field names are only formatted for an error: validation runs on every forecast.
            if !(MIN_AGE..=MAX_AGE).contains(&age) {
                return Err(CaseError::new(
                    format!("staff_by_age.\"{age}\""),
                    format!("age {age} is outside {MIN_AGE}…{MAX_AGE}"),
                ));
            }
            if !(n.is_finite() && n >= 0.0) {
                check_count(&format!("staff_by_age.\"{age}\""), n)?;
            }
        }
        let want = self.horizon as usize + 1;
        check_series("driver", &self.driver, want, self.horizon)?;
        if self.driver[0] <= 0.0 {
            return Err(CaseError::new(
                "driver[0]",
                format!(
                    "the base year's value must be > 0 (it divides every later year), found {}",
                    self.driver[0]
                ),
            ));
        }
        if !self.local_graduates.is_empty() {
            check_series("local_graduates", &self.local_graduates, want, self.horizon)?;
        }
        Ok(())
    }
}

fn check_age(field: &str, age: u32) -> Result<(), CaseError> {
    if (MIN_AGE..=MAX_AGE).contains(&age) {
        Ok(())
    } else {
        Err(CaseError::new(
            field,
            format!("age {age} is outside {MIN_AGE}…{MAX_AGE}"),
        ))
    }
}

fn check_finite(field: &str, x: f64) -> Result<(), CaseError> {
    if x.is_finite() {
        Ok(())
    } else {
        Err(CaseError::new(field, format!("{x} is not a finite number")))
    }
}

fn check_share(field: &str, x: f64) -> Result<(), CaseError> {
    check_finite(field, x)?;
    if (0.0..=1.0).contains(&x) {
        Ok(())
    } else {
        Err(CaseError::new(field, format!("{x} is outside 0…1")))
    }
}

fn check_count(field: &str, x: f64) -> Result<(), CaseError> {
    check_finite(field, x)?;
    if x < 0.0 {
        Err(CaseError::new(field, format!("{x} is negative; it must be ≥ 0")))
    } else {
        Ok(())
    }
}

fn check_series(field: &str, xs: &[f64], want: usize, horizon: u32) -> Result<(), CaseError> {
    if xs.len() != want {
        return Err(CaseError::new(
            field,
            format!("expected {want} values (horizon {horizon} + 1), found {}", xs.len()),
        ));
    }
    if let Some(i) = xs.iter().position(|x| !(x.is_finite() && *x >= 0.0)) {
        check_count(&format!("{field}[{i}]"), xs[i])?;
    }
    Ok(())
}

/// Read a case from the JSON file format of `kkig forecast` (docs/forecast.md) and validate it.
///
/// Every error names the field; malformed JSON is reported with its line and column. Unknown
/// keys are rejected, so that a misspelt optional key is not silently replaced by its default.
pub fn parse_case(json: &str) -> Result<Case, CaseError> {
    let value: Value = serde_json::from_str(json).map_err(|e| {
        CaseError::new(
            "",
            format!(
                "malformed JSON at line {} column {}: {}",
                e.line(),
                e.column(),
                strip_position(&e.to_string())
            ),
        )
    })?;
    let Value::Object(map) = value else {
        return Err(CaseError::new(
            "",
            format!(
                "expected a JSON object with base_year, staff_by_age and driver, found {}",
                kind(&value)
            ),
        ));
    };
    if let Some(key) = map.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(CaseError::new(
            format!("{key:?}"),
            format!("unknown field; expected one of {}", FIELDS.join(", ")),
        ));
    }
    let required = |k: &str| map.get(k).ok_or_else(|| CaseError::new(k, "missing (required)"));
    let base_year = whole(required("base_year")?, "base_year")?;
    if !YEARS.contains(&base_year) {
        return Err(CaseError::new(
            "base_year",
            format!("{base_year} is outside {}…{}", YEARS.start(), YEARS.end()),
        ));
    }
    let horizon = match map.get("horizon") {
        None => DEFAULT_HORIZON,
        Some(v) => {
            let h = whole(v, "horizon")?;
            if !(1..=MAX_HORIZON as i64).contains(&h) {
                return Err(CaseError::new("horizon", format!("{h} is outside 1…{MAX_HORIZON}")));
            }
            h as u32
        }
    };
    let age = |k: &str, default: u32| -> Result<u32, CaseError> {
        match map.get(k) {
            None => Ok(default),
            Some(v) => {
                let a = whole(v, k)?;
                if !(MIN_AGE as i64..=MAX_AGE as i64).contains(&a) {
                    return Err(CaseError::new(k, format!("age {a} is outside {MIN_AGE}…{MAX_AGE}")));
                }
                Ok(a as u32)
            }
        }
    };
    let number_or =
        |k: &str, default: f64| -> Result<f64, CaseError> { map.get(k).map_or(Ok(default), |v| number(v, k)) };
    let retirement_age = age("retirement_age", DEFAULT_RETIREMENT_AGE)?;
    let exit_rate = number_or("exit_rate", DEFAULT_EXIT_RATE)?;
    let entry_age = age("entry_age", DEFAULT_ENTRY_AGE)?;
    let retention = number_or("retention", DEFAULT_RETENTION)?;
    let vacancies = number_or("vacancies", 0.0)?;

    let Value::Object(staff) = required("staff_by_age")? else {
        return Err(CaseError::new(
            "staff_by_age",
            format!(
                "expected an object of age → headcount, e.g. {{\"25\": 2}}, found {}",
                kind(&map["staff_by_age"])
            ),
        ));
    };
    let mut staff_by_age = BTreeMap::new();
    for (key, v) in staff {
        let field = format!("staff_by_age.{key:?}");
        let t = key.trim();
        if t.is_empty() || t.len() > 3 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CaseError::new(
                field,
                "the age must be a whole number of years, e.g. \"25\"",
            ));
        }
        let a: u32 = t
            .parse()
            .map_err(|_| CaseError::new(&field, "the age must be a whole number of years, e.g. \"25\""))?;
        if !(MIN_AGE..=MAX_AGE).contains(&a) {
            return Err(CaseError::new(field, format!("age {a} is outside {MIN_AGE}…{MAX_AGE}")));
        }
        let n = number(v, &field)?;
        if staff_by_age.insert(a, n).is_some() {
            return Err(CaseError::new(field, format!("age {a} is given twice")));
        }
    }
    let driver = series(required("driver")?, "driver")?;
    let local_graduates = match map.get("local_graduates") {
        None => Vec::new(),
        Some(v) => series(v, "local_graduates")?,
    };
    let case = Case {
        base_year: base_year as i32,
        horizon,
        retirement_age,
        exit_rate,
        entry_age,
        retention,
        vacancies,
        staff_by_age,
        driver,
        local_graduates,
    };
    case.validate()?;
    Ok(case)
}

/// serde_json appends " at line L column C" to its messages; the position is reported once.
fn strip_position(msg: &str) -> &str {
    msg.find(" at line ").map_or(msg, |i| &msg[..i])
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn number(v: &Value, field: &str) -> Result<f64, CaseError> {
    match v.as_f64() {
        Some(x) if v.is_number() => {
            check_finite(field, x)?;
            Ok(x)
        }
        _ => Err(CaseError::new(field, format!("expected a number, found {}", kind(v)))),
    }
}

fn whole(v: &Value, field: &str) -> Result<i64, CaseError> {
    if let Some(i) = v.as_i64() {
        return Ok(i);
    }
    let x =
        number(v, field).map_err(|_| CaseError::new(field, format!("expected a whole number, found {}", kind(v))))?;
    if x.fract() == 0.0 && x.abs() < 1e15 {
        Ok(x as i64)
    } else {
        Err(CaseError::new(field, format!("expected a whole number, found {x}")))
    }
}

fn series(v: &Value, field: &str) -> Result<Vec<f64>, CaseError> {
    let Value::Array(items) = v else {
        return Err(CaseError::new(
            field,
            format!("expected an array of numbers, found {}", kind(v)),
        ));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, x)| number(x, &format!("{field}[{i}]")))
        .collect()
}
