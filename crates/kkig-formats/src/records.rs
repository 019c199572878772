//! Flat records shared by the JSON API and the exports, so both say the same thing.

use kkig_core::Municipality;
use serde::{Deserialize, Serialize};

use crate::table::{Cell, Table};

/// A municipality as the API and the exports show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MunicipalityRecord {
    /// SCB kommunkod, four digits.
    #[schema(example = "2422", pattern = "^[0-9]{4}$")]
    pub code: String,
    #[schema(example = "Sorsele")]
    pub name: String,
    /// County (län) code, two digits.
    #[schema(example = "24")]
    pub county_code: String,
    #[schema(example = "Västerbottens län")]
    pub county_name: String,
    /// Seat town (centralort).
    #[schema(example = "Sorsele")]
    pub seat: String,
    /// Latitude of the seat town, WGS84 degrees.
    pub lat: f64,
    /// Longitude of the seat town, WGS84 degrees.
    pub lon: f64,
    /// Population on 31 December of `population_year` (SCB).
    pub population: i64,
    pub population_year: i32,
    /// `participant` for the 17 municipalities of the collaboration, `campus` for campus towns.
    #[schema(example = "participant")]
    pub role: String,
}

impl From<&Municipality> for MunicipalityRecord {
    fn from(m: &Municipality) -> Self {
        Self {
            code: m.code.to_string(),
            name: m.name.clone(),
            county_code: m.county_code.clone(),
            county_name: m.county_name.clone(),
            seat: m.seat.clone(),
            lat: m.position.lat,
            lon: m.position.lon,
            population: m.population,
            population_year: m.population_year,
            role: m.role.as_str().to_string(),
        }
    }
}

/// The municipalities as a table for CSV/XLSX export (column names as in the JSON API).
pub fn municipalities_table(items: &[Municipality]) -> Table {
    let mut t = Table::new(&[
        "code",
        "name",
        "county_code",
        "county_name",
        "seat",
        "lat",
        "lon",
        "population",
        "population_year",
        "role",
    ]);
    for m in items {
        t.push(vec![
            Cell::text(m.code.to_string()),
            Cell::text(&m.name),
            Cell::text(&m.county_code),
            Cell::text(&m.county_name),
            Cell::text(&m.seat),
            Cell::Decimal(m.position.lat, 4),
            Cell::Decimal(m.position.lon, 4),
            Cell::Int(m.population),
            Cell::Int(m.population_year.into()),
            Cell::text(m.role.as_str()),
        ]);
    }
    t
}
