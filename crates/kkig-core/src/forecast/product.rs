//! The forecast in the product: the inputs a municipality keeps per occupation, how they and
//! the stored population and VFU registry become a [`Case`], local graduates from VFU
//! placements, and the deterministic demo inputs. `docs/forecast.md`, "In the product".

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::case::{
    Case, DEFAULT_ENTRY_AGE, DEFAULT_EXIT_RATE, DEFAULT_HORIZON, DEFAULT_RETENTION, DEFAULT_RETIREMENT_AGE, MAX_AGE,
    MIN_AGE,
};
use super::drivers::{AgeGroup, Driver, DriverSeries};
use crate::demo::DemoRng;
use crate::vfu::{FieldError, FieldProblem, TeacherLevel, VfuField};
use crate::{Kommunkod, Municipality, MunicipalityRole, Ssyk};

/// Share of the VFU students placed in a municipality who complete the programme, unless the
/// municipality sets its own.
pub const DEFAULT_COMPLETION_SHARE: f64 = 0.8;
/// The base year of the demo inputs and population.
pub const DEMO_BASE_YEAR: i32 = 2026;
/// The shortage occupations the product forecasts by default (and the demo fills):
/// förskollärare, grundskollärare, grundutbildade sjuksköterskor, geriatriksjuksköterskor,
/// socialsekreterare.
pub const SHORTAGE_OCCUPATIONS: [u16; 5] = [2343, 2341, 2221, 2227, 2661];

/// What a municipality keeps for one occupation: the staff by age at the start of the base
/// year, vacancies, the completion share of local VFU students and the model's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastInput {
    pub municipality: Kommunkod,
    pub ssyk: Ssyk,
    pub base_year: i32,
    /// Headcount by age (15…80).
    pub staff_by_age: BTreeMap<u32, f64>,
    pub vacancies: f64,
    /// Share of the VFU students placed in the municipality who graduate (0…1).
    pub completion_share: f64,
    pub retirement_age: u32,
    pub exit_rate: f64,
    pub entry_age: u32,
    pub retention: f64,
}

impl ForecastInput {
    /// An empty profile with the engine's defaults.
    pub fn new(municipality: Kommunkod, ssyk: Ssyk, base_year: i32) -> Self {
        ForecastInput {
            municipality,
            ssyk,
            base_year,
            staff_by_age: BTreeMap::new(),
            vacancies: 0.0,
            completion_share: DEFAULT_COMPLETION_SHARE,
            retirement_age: DEFAULT_RETIREMENT_AGE,
            exit_rate: DEFAULT_EXIT_RATE,
            entry_age: DEFAULT_ENTRY_AGE,
            retention: DEFAULT_RETENTION,
        }
    }

    pub fn staff(&self) -> f64 {
        self.staff_by_age.values().sum()
    }

    /// Check every field; one error per bad field, named as in forms and the API.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if !(1900..=2200).contains(&self.base_year) {
            errors.push(FieldError::of("base_year", range(self.base_year, 1900, 2200)));
        }
        for (&age, &n) in &self.staff_by_age {
            if !(MIN_AGE..=MAX_AGE).contains(&age) {
                let p = FieldProblem::AgeOutOfRange {
                    age: age.to_string(),
                    min: MIN_AGE.to_string(),
                    max: MAX_AGE.to_string(),
                };
                errors.push(FieldError::of(&format!("staff_by_age.{age}"), p));
            } else if !n.is_finite() || n < 0.0 {
                errors.push(FieldError::of(
                    &format!("staff_by_age.{age}"),
                    FieldProblem::Negative { value: n.to_string() },
                ));
            }
        }
        if !self.vacancies.is_finite() || self.vacancies < 0.0 {
            errors.push(FieldError::of(
                "vacancies",
                FieldProblem::Negative {
                    value: self.vacancies.to_string(),
                },
            ));
        }
        for (name, v) in [
            ("completion_share", self.completion_share),
            ("exit_rate", self.exit_rate),
            ("retention", self.retention),
        ] {
            if !v.is_finite() || !(0.0..=1.0).contains(&v) {
                errors.push(FieldError::of(name, range(v, 0, 1)));
            }
        }
        for (name, v) in [("retirement_age", self.retirement_age), ("entry_age", self.entry_age)] {
            if !(MIN_AGE..=MAX_AGE).contains(&v) {
                errors.push(FieldError::of(name, range(v, MIN_AGE, MAX_AGE)));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The engine's case: the driver series as given, local graduates flat at
    /// `graduates_per_year` for every forecast year (index 0, the base year, is not used).
    pub fn case(&self, driver: Vec<f64>, graduates_per_year: f64) -> Case {
        let horizon = driver.len().saturating_sub(1) as u32;
        Case {
            base_year: self.base_year,
            horizon,
            retirement_age: self.retirement_age,
            exit_rate: self.exit_rate,
            entry_age: self.entry_age,
            retention: self.retention,
            vacancies: self.vacancies,
            staff_by_age: self.staff_by_age.clone(),
            driver,
            local_graduates: vec![graduates_per_year.max(0.0); horizon as usize + 1],
        }
    }
}

/// A stored population cell of one municipality: (age group, year, value); `projection` marks
/// values from a population projection rather than the observed population.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PopulationCell {
    pub age: AgeGroup,
    pub year: i32,
    pub value: Option<f64>,
    pub projection: bool,
}

/// Where a driver series came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DriverSource {
    /// Every year from the stored population (observed, or the projection where there is no
    /// observed value).
    Population,
    /// The population ends before y0+H: the last year's value is held for the rest.
    PopulationHeld,
    /// No usable population for the base year: demand is held at the base year's (driver 1).
    Flat,
}

/// The driver for `base_year…=base_year+horizon` from a municipality's stored cells: per year
/// the observed cells when the year has any, otherwise the projection's; a year after the
/// last year with data holds the last value; no usable data for the base year → a flat series.
pub fn driver_window(
    cells: &[PopulationCell],
    driver: Driver,
    base_year: i32,
    horizon: u32,
) -> (Vec<f64>, DriverSource) {
    let observed: BTreeSet<i32> = cells.iter().filter(|c| !c.projection).map(|c| c.year).collect();
    let chosen = cells
        .iter()
        .filter(|c| {
            if observed.contains(&c.year) {
                !c.projection
            } else {
                c.projection
            }
        })
        .map(|c| (c.age, c.year, c.value));
    let chosen: Vec<_> = chosen.collect();
    let last_year = chosen.iter().map(|c| c.1).max().unwrap_or(i32::MIN);
    let flat = || (vec![1.0; horizon as usize + 1], DriverSource::Flat);
    if last_year < base_year {
        return flat();
    }
    let to = last_year.min(base_year + horizon as i32);
    let Ok(series) = DriverSeries::from_population(chosen, driver, base_year, to) else {
        return flat();
    };
    if series.values.first().is_none_or(|v| *v <= 0.0) {
        return flat();
    }
    let mut values = series.values;
    let held = values.len() < horizon as usize + 1;
    let last = *values.last().unwrap_or(&1.0);
    values.resize(horizon as usize + 1, last);
    (
        values,
        if held {
            DriverSource::PopulationHeld
        } else {
            DriverSource::Population
        },
    )
}

/// The SSYK occupation a VFU field trains for: förskollärare 2343; F–3, 4–6, 7–9 2341;
/// gymnasium 2330; nurse 2221 (grundutbildad sjuksköterska); social work 2661.
pub fn ssyk_of_field(field: VfuField) -> Ssyk {
    let code = match field {
        VfuField::Teacher(TeacherLevel::Forskola) => "2343",
        VfuField::Teacher(TeacherLevel::Gymnasium) => "2330",
        VfuField::Teacher(_) => "2341",
        VfuField::Nurse => "2221",
        VfuField::SocialWork => "2661",
    };
    Ssyk::parse(code).expect("valid SSYK")
}

/// Local graduates a year of `ssyk` in a municipality: the VFU students placed there per
/// calendar year (`(field, year, students)`, withdrawn placements already left out), averaged
/// over the years with any such student, × `completion_share`. 0 without any.
pub fn local_graduates_per_year(students: &[(VfuField, i32, u32)], ssyk: Ssyk, completion_share: f64) -> (f64, f64) {
    let mut per_year: BTreeMap<i32, u32> = BTreeMap::new();
    for &(field, year, n) in students {
        if ssyk_of_field(field) == ssyk {
            *per_year.entry(year).or_default() += n;
        }
    }
    if per_year.is_empty() {
        return (0.0, 0.0);
    }
    let mean = per_year.values().map(|&n| n as f64).sum::<f64>() / per_year.len() as f64;
    (mean, mean * completion_share)
}

/// The horizon of every product forecast.
pub const HORIZON: u32 = DEFAULT_HORIZON;

/// The deterministic demo: inputs for every participating municipality and shortage
/// occupation, and its population by single age (0…99, 100+) for the base year (observed)
/// and the ten years after (projection).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ForecastDemo {
    pub inputs: Vec<ForecastInput>,
    /// (municipality, cell)
    pub population: Vec<(Kommunkod, PopulationCell)>,
}

/// Staff per 1,000 inhabitants, by occupation, in the demo.
fn demo_rate(ssyk: u16) -> f64 {
    match ssyk {
        2343 => 4.5,
        2341 => 9.0,
        2221 => 6.0,
        2227 => 1.2,
        2661 => 2.2,
        _ => 2.0,
    }
}

impl ForecastDemo {
    pub fn generate(rng: &mut DemoRng, municipalities: &[Municipality]) -> Self {
        let mut out = ForecastDemo::default();
        for m in municipalities
            .iter()
            .filter(|m| m.role == MunicipalityRole::Participant)
        {
            let pop = m.population.max(500) as f64;
            // Population by age: an ageing inland profile, scaled to the municipality.
            let weights: Vec<f64> = (0..=100)
                .map(|a: u32| {
                    let base = if a < 20 {
                        0.85
                    } else if a < 45 {
                        0.9
                    } else if a < 70 {
                        1.25
                    } else if a < 85 {
                        1.0
                    } else {
                        0.35
                    };
                    let fade = if a > 85 { 0.8f64.powi(a as i32 - 85) } else { 1.0 };
                    base * fade * (0.9 + 0.2 * rng.unit())
                })
                .collect();
            let sum: f64 = weights.iter().sum();
            let child_trend = -0.012 - 0.01 * rng.unit();
            let old_trend = 0.025 + 0.015 * rng.unit();
            for t in 0..=HORIZON as i32 {
                let year = DEMO_BASE_YEAR + t;
                for (a, w) in weights.iter().enumerate() {
                    let trend = if a <= 15 {
                        child_trend
                    } else if a >= 80 {
                        old_trend
                    } else {
                        -0.004
                    };
                    let v = (pop * w / sum * (1.0 + trend).powi(t)).round();
                    let age = if a == 100 {
                        AgeGroup::AndOlder(100)
                    } else {
                        AgeGroup::Age(a as u32)
                    };
                    out.population.push((
                        m.code,
                        PopulationCell {
                            age,
                            year,
                            value: Some(v),
                            projection: t > 0,
                        },
                    ));
                }
            }
            for code in SHORTAGE_OCCUPATIONS {
                let ssyk = Ssyk::parse(&code.to_string()).expect("valid SSYK");
                let mut input = ForecastInput::new(m.code, ssyk, DEMO_BASE_YEAR);
                let staff = (pop / 1000.0 * demo_rate(code) * (0.8 + 0.4 * rng.unit()))
                    .round()
                    .max(2.0) as u32;
                for _ in 0..staff {
                    // Older staff are over-represented: half are 50 or older.
                    let age = if rng.unit() < 0.5 {
                        rng.range(50, 65)
                    } else {
                        rng.range(24, 49)
                    } as u32;
                    *input.staff_by_age.entry(age).or_default() += 1.0;
                }
                input.vacancies = rng.range(0, (staff / 8).max(1) as i64) as f64;
                out.inputs.push(input);
            }
        }
        out
    }
}

/// `value` outside `min`…`max`, as the forecast's checks say it.
fn range(value: impl std::fmt::Display, min: impl std::fmt::Display, max: impl std::fmt::Display) -> FieldProblem {
    FieldProblem::OutOfRange {
        value: value.to_string(),
        min: min.to_string(),
        max: max.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Kommunkod {
        Kommunkod::parse(s).unwrap()
    }

    #[test]
    fn validation_names_every_field() {
        let mut i = ForecastInput::new(k("2422"), Ssyk::parse("2343").unwrap(), 2026);
        assert_eq!(i.validate(), Ok(()));
        i.staff_by_age.insert(12, 1.0);
        i.staff_by_age.insert(30, -1.0);
        i.vacancies = -2.0;
        i.completion_share = 1.5;
        i.retirement_age = 90;
        let fields: Vec<String> = i.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "staff_by_age.12",
                "staff_by_age.30",
                "vacancies",
                "completion_share",
                "retirement_age"
            ]
        );
    }

    #[test]
    fn driver_prefers_observed_then_projection_then_holds() {
        let cell = |age, year, value, projection| PopulationCell {
            age: AgeGroup::Age(age),
            year,
            value: Some(value),
            projection,
        };
        let cells = vec![
            cell(3, 2026, 10.0, false),
            cell(3, 2026, 99.0, true),
            cell(3, 2027, 12.0, true),
            cell(30, 2027, 500.0, true),
        ];
        let (v, src) = driver_window(&cells, Driver::PRESCHOOL, 2026, 3);
        assert_eq!(v, [10.0, 12.0, 12.0, 12.0]);
        assert_eq!(src, DriverSource::PopulationHeld);
        let (v, src) = driver_window(&[], Driver::PRESCHOOL, 2026, 2);
        assert_eq!((v, src), (vec![1.0; 3], DriverSource::Flat));
    }

    #[test]
    fn local_graduates_average_years_with_students() {
        let s = [
            (VfuField::Teacher(TeacherLevel::F3), 2025, 3),
            (VfuField::Teacher(TeacherLevel::Ar79), 2025, 1),
            (VfuField::Teacher(TeacherLevel::Ar46), 2026, 2),
            (VfuField::Nurse, 2026, 5),
        ];
        let (students, graduates) = local_graduates_per_year(&s, Ssyk::parse("2341").unwrap(), 0.8);
        assert_eq!(students, 3.0);
        assert!((graduates - 2.4).abs() < 1e-12);
        assert_eq!(
            local_graduates_per_year(&s, Ssyk::parse("2661").unwrap(), 0.8),
            (0.0, 0.0)
        );
    }

    #[test]
    fn demo_is_deterministic_and_valid() {
        let m = |code: &str, pop: i64, role| Municipality {
            code: k(code),
            name: code.into(),
            county_code: code[..2].into(),
            county_name: "län".into(),
            seat: code.into(),
            position: crate::Position::new(65.0, 17.0).unwrap(),
            population: pop,
            population_year: 2023,
            role,
        };
        let ms = [
            m("2422", 2387, MunicipalityRole::Participant),
            m("2506", 2700, MunicipalityRole::Participant),
            m("2480", 130000, MunicipalityRole::Campus),
        ];
        let a = ForecastDemo::generate(&mut DemoRng::new(7), &ms);
        let b = ForecastDemo::generate(&mut DemoRng::new(7), &ms);
        assert_eq!(a, b);
        let participants = 2;
        assert_eq!(a.inputs.len(), participants * SHORTAGE_OCCUPATIONS.len());
        for i in &a.inputs {
            i.validate().unwrap();
            let cells: Vec<PopulationCell> = a
                .population
                .iter()
                .filter(|(m, _)| *m == i.municipality)
                .map(|(_, c)| *c)
                .collect();
            let (driver, src) = driver_window(&cells, Driver::for_ssyk(i.ssyk), i.base_year, HORIZON);
            assert_eq!(src, DriverSource::Population);
            super::super::forecast(&i.case(driver, 1.0)).unwrap();
        }
    }
}
