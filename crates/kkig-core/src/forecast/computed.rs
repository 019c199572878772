//! The forecast of every stored input, as the pages, the API and the catalogue's pathway pages
//! show it: the inputs with the population and the VFU students they read, and one municipality
//! and occupation computed from them (pure; the store loads [`ForecastData`]).

use std::collections::HashMap;

use super::product::{driver_window, local_graduates_per_year, DriverSource, ForecastInput, PopulationCell, HORIZON};
use super::{forecast, Case, Driver, Forecast};
use crate::vfu::VfuField;
use crate::Kommunkod;

/// One municipality and occupation: its input, where its numbers came from, and the forecast.
#[derive(Debug, Clone)]
pub struct Computed {
    pub input: ForecastInput,
    pub driver_source: DriverSource,
    /// VFU students placed in the municipality per year (mean over the registry's years).
    pub vfu_students: f64,
    /// vfu_students × completion share.
    pub graduates_per_year: f64,
    pub case: Case,
    pub forecast: Forecast,
}

/// Everything the forecast views read: the inputs, the population cells per municipality, and
/// the VFU students per (municipality, field, year).
#[derive(Debug, Clone, Default)]
pub struct ForecastData {
    pub inputs: Vec<ForecastInput>,
    pub cells: HashMap<Kommunkod, Vec<PopulationCell>>,
    pub students: Vec<(Kommunkod, VfuField, i32, u32)>,
}

impl ForecastData {
    pub fn compute(&self, input: &ForecastInput) -> Computed {
        let cells = self.cells.get(&input.municipality).map(Vec::as_slice).unwrap_or(&[]);
        let (driver, driver_source) = driver_window(cells, Driver::for_ssyk(input.ssyk), input.base_year, HORIZON);
        let students: Vec<(VfuField, i32, u32)> = self
            .students
            .iter()
            .filter(|s| s.0 == input.municipality)
            .map(|s| (s.1, s.2, s.3))
            .collect();
        let (vfu_students, graduates_per_year) =
            local_graduates_per_year(&students, input.ssyk, input.completion_share);
        let case = input.case(driver, graduates_per_year);
        // A stored input is valid and the driver positive, so the engine accepts the case; an
        // empty forecast stands in should it ever not.
        let forecast = forecast(&case).unwrap_or(Forecast {
            years: Vec::new(),
            totals: Default::default(),
        });
        Computed {
            input: input.clone(),
            driver_source,
            vfu_students,
            graduates_per_year,
            case,
            forecast,
        }
    }

    pub fn all(&self) -> Vec<Computed> {
        self.inputs.iter().map(|i| self.compute(i)).collect()
    }
}
