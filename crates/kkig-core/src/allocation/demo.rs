//! Demo allocation instances shaped like Swedish VFU, deterministic for a seed.
//!
//! Positions are clustered around real towns: the municipality seats of the reference data
//! (the region's 17 municipalities and the campus towns) and [`SWEDISH_TOWNS`], larger towns
//! of the whole country. Towns are drawn with weight `population^0.8`, positions scattered
//! around the town centre (normal, σ = 12 km), fields from [`FIELDS`].

use super::{Instance, Rules, Site, Student};
use crate::demo::DemoRng;
use crate::geo::Position;
use crate::region::Municipality;

/// A town: kommunkod of its municipality, name, centre, municipality population (approximate).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Town {
    pub code: &'static str,
    pub name: &'static str,
    pub lat: f64,
    pub lon: f64,
    pub population: u32,
}

const fn t(code: &'static str, name: &'static str, lat: f64, lon: f64, population: u32) -> Town {
    Town {
        code,
        name,
        lat,
        lon,
        population,
    }
}

/// Larger Swedish towns with their kommunkod, centre (rounded) and municipality population
/// (about 2023, rounded).
pub const SWEDISH_TOWNS: [Town; 50] = [
    t("0180", "Stockholm", 59.3293, 18.0686, 984_000),
    t("1480", "Göteborg", 57.7089, 11.9746, 600_000),
    t("1280", "Malmö", 55.6050, 13.0038, 357_000),
    t("0380", "Uppsala", 59.8586, 17.6389, 243_000),
    t("0580", "Linköping", 58.4108, 15.6214, 166_000),
    t("1980", "Västerås", 59.6099, 16.5448, 157_000),
    t("1880", "Örebro", 59.2753, 15.2134, 158_000),
    t("0581", "Norrköping", 58.5877, 16.1924, 145_000),
    t("1283", "Helsingborg", 56.0465, 12.6945, 151_000),
    t("0680", "Jönköping", 57.7826, 14.1618, 145_000),
    t("1281", "Lund", 55.7047, 13.1910, 128_000),
    t("2180", "Gävle", 60.6749, 17.1413, 103_000),
    t("1490", "Borås", 57.7210, 12.9401, 115_000),
    t("0181", "Södertälje", 59.1955, 17.6253, 101_000),
    t("0484", "Eskilstuna", 59.3666, 16.5077, 107_000),
    t("1380", "Halmstad", 56.6745, 12.8578, 105_000),
    t("0780", "Växjö", 56.8777, 14.8091, 97_000),
    t("1780", "Karlstad", 59.4022, 13.5115, 95_000),
    t("1488", "Trollhättan", 58.2837, 12.2886, 59_000),
    t("0880", "Kalmar", 56.6634, 16.3568, 71_000),
    t("2080", "Falun", 60.6065, 15.6355, 59_000),
    t("2081", "Borlänge", 60.4858, 15.4371, 52_000),
    t("1290", "Kristianstad", 56.0294, 14.1567, 87_000),
    t("1496", "Skövde", 58.3903, 13.8461, 57_000),
    t("1080", "Karlskrona", 56.1612, 15.5869, 67_000),
    t("1485", "Uddevalla", 58.3498, 11.9424, 57_000),
    t("1383", "Varberg", 57.1057, 12.2508, 67_000),
    t("0480", "Nyköping", 58.7530, 17.0079, 58_000),
    t("0583", "Motala", 58.5371, 15.0365, 43_000),
    t("0980", "Visby", 57.6348, 18.2948, 61_000),
    t("2184", "Hudiksvall", 61.7290, 17.1036, 37_000),
    t("2062", "Mora", 61.0070, 14.5430, 20_000),
    t("2181", "Sandviken", 60.6200, 16.7756, 40_000),
    t("1494", "Lidköping", 58.5052, 13.1577, 40_000),
    t("0188", "Norrtälje", 59.7580, 18.7049, 63_000),
    t("1489", "Alingsås", 57.9300, 12.5335, 42_000),
    t("0483", "Katrineholm", 58.9959, 16.2072, 35_000),
    t("2085", "Ludvika", 60.1496, 15.1878, 26_000),
    t("1384", "Kungsbacka", 57.4872, 12.0761, 85_000),
    t("0381", "Enköping", 59.6361, 17.0777, 47_000),
    t("1292", "Ängelholm", 56.2428, 12.8622, 43_000),
    t("0883", "Västervik", 57.7584, 16.6373, 36_000),
    t("2280", "Härnösand", 62.6323, 17.9379, 25_000),
    t("2183", "Bollnäs", 61.3482, 16.3946, 26_000),
    t("1784", "Arvika", 59.6553, 12.5852, 26_000),
    t("2582", "Boden", 65.8252, 21.6886, 28_000),
    t("2514", "Kalix", 65.8553, 23.1434, 16_000),
    t("2583", "Haparanda", 65.8355, 24.1368, 9_500),
    t("1293", "Hässleholm", 56.1589, 13.7668, 53_000),
    t("2361", "Sveg", 62.0346, 14.3658, 10_000),
];

/// Fields of study with VFU, in the order `--fields K` takes them, with their relative size.
pub const FIELDS: [(&str, u32); 10] = [
    ("nurse", 30),
    ("preschool", 18),
    ("teacher-f3", 12),
    ("teacher-46", 10),
    ("teacher-79", 9),
    ("teacher-gy", 8),
    ("social-work", 12),
    ("specialist-nurse", 6),
    ("special-education", 5),
    ("leisure-time", 4),
];

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoSpec {
    pub students: usize,
    pub sites: usize,
    /// How many of [`FIELDS`] to use (1…10).
    pub fields: usize,
    pub seed: u64,
    /// Total capacity ≈ this × students; `None` draws capacities 1–6.
    pub capacity_factor: Option<f64>,
}

struct Place {
    code: String,
    lat: f64,
    lon: f64,
    weight: f64,
}

fn places(municipalities: &[Municipality]) -> Vec<Place> {
    let mut out: Vec<Place> = municipalities
        .iter()
        .map(|m| Place {
            code: m.code.to_string(),
            lat: m.position.lat,
            lon: m.position.lon,
            weight: (m.population.max(1000) as f64).powf(0.8),
        })
        .collect();
    for t in &SWEDISH_TOWNS {
        if !out.iter().any(|p| p.code == t.code) {
            out.push(Place {
                code: t.code.to_string(),
                lat: t.lat,
                lon: t.lon,
                weight: (t.population as f64).powf(0.8),
            });
        }
    }
    out
}

fn pick_weighted(rng: &mut DemoRng, cumulative: &[f64]) -> usize {
    let total = *cumulative.last().unwrap_or(&0.0);
    let x = rng.unit() * total;
    cumulative
        .partition_point(|&c| c <= x)
        .min(cumulative.len().saturating_sub(1))
}

fn cumulate(weights: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    weights
        .map(|w| {
            acc += w;
            acc
        })
        .collect()
}

/// Standard normal by Box–Muller.
fn normal(rng: &mut DemoRng) -> f64 {
    let u1 = 1.0 - rng.unit();
    let u2 = rng.unit();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn scatter(rng: &mut DemoRng, p: &Place, sigma_km: f64) -> Position {
    let dlat = normal(rng) * sigma_km / 111.2;
    let dlon = normal(rng) * sigma_km / (111.2 * p.lat.to_radians().cos());
    let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
    Position {
        lat: round((p.lat + dlat).clamp(-90.0, 90.0)),
        lon: round((p.lon + dlon).clamp(-180.0, 180.0)),
    }
}

/// Generate an instance. `municipalities` are the reference municipalities (their seats are
/// towns too); the same spec and municipalities give the same instance on every machine.
pub fn generate(spec: &DemoSpec, municipalities: &[Municipality]) -> Instance {
    let mut rng = DemoRng::new(spec.seed);
    let places = places(municipalities);
    let town_cum = cumulate(places.iter().map(|p| p.weight));
    let k = spec.fields.clamp(1, FIELDS.len());
    let field_cum = cumulate(FIELDS[..k].iter().map(|f| f.1 as f64));
    let width_s = spec.sites.max(1).to_string().len();
    let width_p = spec.students.max(1).to_string().len();

    let mut sites = Vec::with_capacity(spec.sites);
    // Sites of each (town, field), for preferences.
    let mut by_town_field: Vec<Vec<usize>> = vec![Vec::new(); places.len() * k];
    let mean = spec
        .capacity_factor
        .map(|f| (f * spec.students as f64 / spec.sites.max(1) as f64).max(0.0));
    for j in 0..spec.sites {
        let town = pick_weighted(&mut rng, &town_cum);
        let f = pick_weighted(&mut rng, &field_cum);
        let pos = scatter(&mut rng, &places[town], 12.0);
        let capacity = match mean {
            None => rng.range(1, 6),
            // Uniform on 1..=hi with mean `mean` (hi fractional: the top value is drawn with
            // the right probability), or 0/1 when the mean is below 1.
            Some(mu) if mu < 1.0 => (rng.unit() < mu) as i64,
            Some(mu) => {
                let hi = 2.0 * mu - 1.0;
                let base = hi.floor();
                let top = if rng.unit() < hi - base { base + 1.0 } else { base };
                rng.range(1, top.max(1.0) as i64)
            }
        };
        by_town_field[town * k + f].push(j);
        sites.push(Site {
            id: format!("S{:0width_s$}", j + 1).into(),
            field: FIELDS[f].0.to_string(),
            municipality: Some(places[town].code.clone()),
            lat: pos.lat,
            lon: pos.lon,
            capacity,
        });
    }
    let mut students = Vec::with_capacity(spec.students);
    for i in 0..spec.students {
        let town = pick_weighted(&mut rng, &town_cum);
        let f = pick_weighted(&mut rng, &field_cum);
        let pos = scatter(&mut rng, &places[town], 15.0);
        let near = &by_town_field[town * k + f];
        let mut preferences = Vec::new();
        if !near.is_empty() && rng.unit() < 0.7 {
            let want = rng.range(1, 3) as usize;
            for _ in 0..want.min(near.len()) * 2 {
                let j = *rng.pick(near);
                let id = &sites[j].id;
                if !preferences.contains(id) {
                    preferences.push(id.clone());
                }
                if preferences.len() == want {
                    break;
                }
            }
        }
        students.push(Student {
            id: format!("P{:0width_p$}", i + 1).into(),
            field: FIELDS[f].0.to_string(),
            // A few students have not stated a home municipality.
            municipality: if rng.unit() < 0.97 {
                Some(places[town].code.clone())
            } else {
                None
            },
            lat: pos.lat,
            lon: pos.lon,
            preferences: if preferences.is_empty() {
                None
            } else {
                Some(preferences)
            },
            locked_site: None,
            current_site: None,
        });
    }
    Instance {
        rules: Rules::default(),
        sites,
        students,
    }
}
