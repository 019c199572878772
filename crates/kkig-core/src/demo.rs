//! The deterministic demo world: generated, never real, and always labelled as demo.
//!
//! Same seed and same reference data give the same world, byte for byte, on every machine:
//! the generator uses its own SplitMix64 stream (fixed by its published constants) rather than
//! a library RNG whose output may change between versions.

use serde::{Deserialize, Serialize};

use crate::geo::Position;
use crate::region::{LearningCentreServices, MunicipalityRole, ReferenceData};
use crate::vfu::{PlacementSite, SiteKind};

/// The seed used by `kkig demo` and `kkig serve --demo` unless told otherwise.
pub const DEFAULT_SEED: u64 = 2025;

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and fully specified.
#[derive(Debug, Clone)]
pub struct DemoRng(u64);

impl DemoRng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform integer in `lo..=hi` (`lo <= hi`).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        let span = (hi - lo) as u64 + 1;
        lo + (self.next_u64() % span) as i64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() as i64 - 1) as usize]
    }
}

/// Everything the demo adds on top of the reference data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoWorld {
    pub seed: u64,
    pub learning_centre_services: Vec<LearningCentreServices>,
    pub placement_sites: Vec<PlacementSite>,
    pub offerings: Vec<crate::catalogue::Offering>,
    /// Supervisors, periods, students, placements, hosting interest, contacts.
    #[serde(default)]
    pub vfu: crate::vfu::demo::VfuDemo,
    /// Forecast inputs for every participant and shortage occupation, and their population.
    #[serde(default)]
    pub forecast: crate::forecast::product::ForecastDemo,
}

const PLACE_WORDS: [&str; 24] = [
    "Björk", "Gran", "Tall", "Älv", "Fjäll", "Myr", "Sjö", "Norr", "Söder", "Väster", "Öster", "Ängs", "Skogs", "Berg",
    "Ås", "Strand", "Hed", "Bäck", "Lid", "Ren", "Lugnvik", "Solback", "Kyrk", "Ström",
];

/// Sites per inhabitant in the demo: roughly 400 sites for the 17 participants.
const INHABITANTS_PER_SITE: f64 = 545.0;

impl DemoWorld {
    /// Generate the demo world for the participating municipalities of `reference`.
    pub fn generate(seed: u64, reference: &ReferenceData) -> Self {
        let mut rng = DemoRng::new(seed);
        let mut learning_centre_services = Vec::new();
        for lc in &reference.learning_centres {
            learning_centre_services.push(LearningCentreServices {
                learning_centre_id: lc.id.clone(),
                study_places: rng.range(6, 40),
                exam_sittings: rng.unit() < 0.9,
                video_rooms: rng.range(1, 4),
                study_guidance: rng.unit() < 0.8,
            });
        }

        let mut placement_sites = Vec::new();
        for m in reference
            .municipalities
            .iter()
            .filter(|m| m.role == MunicipalityRole::Participant)
        {
            let n = ((m.population as f64 / INHABITANTS_PER_SITE).round() as i64).max(8);
            // Every municipality has at least one site of each kind; the rest follow
            // the usual mix of a Swedish municipality (schools and preschools dominate).
            let weights: [(SiteKind, f64); 7] = [
                (SiteKind::Preschool, 0.30),
                (SiteKind::School, 0.28),
                (SiteKind::UpperSecondary, 0.05),
                (SiteKind::CareHome, 0.14),
                (SiteKind::HomeCare, 0.10),
                (SiteKind::HealthCentre, 0.06),
                (SiteKind::SocialServices, 0.07),
            ];
            let mut kinds: Vec<SiteKind> = SiteKind::ALL.to_vec();
            while (kinds.len() as i64) < n {
                let mut x = rng.unit();
                let mut chosen = SiteKind::Preschool;
                for (k, w) in weights {
                    if x < w {
                        chosen = k;
                        break;
                    }
                    x -= w;
                }
                kinds.push(chosen);
            }
            kinds.sort();
            let mut used_names = std::collections::BTreeSet::new();
            for (i, kind) in kinds.into_iter().enumerate() {
                // A few draws usually give a fresh name; after that, number the last one.
                let mut name = site_name(&mut rng, kind, &m.seat);
                for attempt in 0.. {
                    if used_names.insert(name.clone()) {
                        break;
                    }
                    name = if attempt < 8 {
                        site_name(&mut rng, kind, &m.seat)
                    } else {
                        format!("{} {}", site_name(&mut rng, kind, &m.seat), attempt - 6)
                    };
                }
                placement_sites.push(PlacementSite {
                    id: format!("demo-{}-{:03}", m.code, i + 1).into(),
                    municipality: m.code,
                    name,
                    kind,
                    address: String::new(),
                    position: scatter(&mut rng, m.position, 25.0),
                    fields: Vec::new(),
                });
            }
        }
        let offerings = crate::demo_catalogue::generate(&mut rng, reference);
        // The VFU registry draws from its own stream, so that the sites and offerings above
        // stay what they were before it existed.
        let mut vfu_rng = DemoRng::new(seed ^ 0x5646_5544_454D_4F00);
        crate::vfu::demo::enrich_sites(&mut vfu_rng, &mut placement_sites, reference);
        let vfu = crate::vfu::demo::generate(&mut vfu_rng, &placement_sites, reference);
        // The forecast's inputs and population draw from a stream of their own, too.
        let mut forecast_rng = DemoRng::new(seed ^ 0x464F_5245_4341_5354);
        let forecast = crate::forecast::product::ForecastDemo::generate(&mut forecast_rng, &reference.municipalities);
        Self {
            seed,
            learning_centre_services,
            placement_sites,
            offerings,
            vfu,
            forecast,
        }
    }
}

fn site_name(rng: &mut DemoRng, kind: SiteKind, seat: &str) -> String {
    let w = rng.pick(&PLACE_WORDS);
    let lower = w.to_lowercase();
    let n = rng.range(1, 9);
    match kind {
        SiteKind::Preschool => format!("{w}backens förskola"),
        SiteKind::School => format!("{w}skolan"),
        SiteKind::UpperSecondary => format!("{w}gymnasiet {seat}"),
        SiteKind::CareHome => format!("{w}gårdens särskilda boende"),
        SiteKind::HomeCare => format!(
            "Hemtjänsten {seat} {}",
            ["norra", "södra", "östra", "västra", "centrum"][(n % 5) as usize]
        ),
        SiteKind::HealthCentre => format!("Hälsocentralen {w}{}", if lower.ends_with('s') { "" } else { "s" }),
        SiteKind::SocialServices => format!("Socialtjänsten {seat}, enhet {n}"),
    }
}

/// A position within `max_km` of `centre`, uniformly over the disc.
pub(crate) fn scatter(rng: &mut DemoRng, centre: Position, max_km: f64) -> Position {
    let r = max_km * rng.unit().sqrt();
    let bearing = rng.unit() * std::f64::consts::TAU;
    let dlat = r * bearing.cos() / 111.195;
    let dlon = r * bearing.sin() / (111.195 * centre.lat.to_radians().cos());
    let lat = ((centre.lat + dlat) * 1e5).round() / 1e5;
    let lon = ((centre.lon + dlon) * 1e5).round() / 1e5;
    Position::new(lat, lon).unwrap_or(centre)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Kommunkod;
    use crate::region::{LearningCentre, Municipality};

    fn reference() -> ReferenceData {
        let m = |code: &str, name: &str, lat: f64, lon: f64, pop: i64, role| Municipality {
            code: Kommunkod::parse(code).unwrap(),
            name: name.into(),
            county_code: code[..2].into(),
            county_name: "län".into(),
            seat: name.into(),
            position: Position::new(lat, lon).unwrap(),
            population: pop,
            population_year: 2023,
            role,
        };
        ReferenceData {
            municipalities: vec![
                m("2422", "Sorsele", 65.5333, 17.5333, 2387, MunicipalityRole::Participant),
                m(
                    "2482",
                    "Skellefteå",
                    64.7507,
                    20.9528,
                    76542,
                    MunicipalityRole::Participant,
                ),
                m("2480", "Umeå", 63.8258, 20.2630, 133091, MunicipalityRole::Campus),
            ],
            learning_centres: vec![LearningCentre {
                id: "lc-2422".into(),
                municipality: Kommunkod::parse("2422").unwrap(),
                name: "Lärcentrum Sorsele".into(),
                town: "Sorsele".into(),
                position: Position::new(65.5333, 17.5333).unwrap(),
                position_source: "seat".into(),
            }],
            universities: [
                ("LTU", "Luleå tekniska universitet", "2580", "Luleå"),
                ("UmU", "Umeå universitet", "2480", "Umeå"),
                ("MIUN", "Mittuniversitetet", "2281", "Sundsvall"),
            ]
            .into_iter()
            .map(|(code, name, kod, town)| crate::region::University {
                code: code.into(),
                name: name.into(),
                campuses: vec![crate::region::Campus {
                    town: town.into(),
                    municipality: Kommunkod::parse(kod).unwrap(),
                }],
            })
            .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn same_seed_same_world_other_seed_other_world() {
        let r = reference();
        assert_eq!(DemoWorld::generate(7, &r), DemoWorld::generate(7, &r));
        assert_ne!(DemoWorld::generate(7, &r), DemoWorld::generate(8, &r));
    }

    #[test]
    fn rng_matches_splitmix64_reference_values() {
        // First outputs of SplitMix64 seeded with 0 (reference implementation by Vigna).
        let mut r = DemoRng::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn sites_only_for_participants_with_every_kind_and_unique_ids() {
        let w = DemoWorld::generate(DEFAULT_SEED, &reference());
        let sorsele: Vec<_> = w
            .placement_sites
            .iter()
            .filter(|s| s.municipality.to_string() == "2422")
            .collect();
        let skelleftea = w
            .placement_sites
            .iter()
            .filter(|s| s.municipality.to_string() == "2482")
            .count();
        assert!(w.placement_sites.iter().all(|s| s.municipality.to_string() != "2480"));
        assert_eq!(sorsele.len(), 8, "small municipalities get the minimum of 8");
        assert_eq!(skelleftea, 140, "76542 / 545 rounded");
        for kind in SiteKind::ALL {
            assert!(sorsele.iter().any(|s| s.kind == kind), "{kind:?} missing");
        }
        let ids: std::collections::BTreeSet<_> = w.placement_sites.iter().map(|s| &s.id).collect();
        assert_eq!(ids.len(), w.placement_sites.len());
        let centre = Position::new(65.5333, 17.5333).unwrap();
        for s in &sorsele {
            assert!(crate::geo::haversine_km(centre, s.position) <= 25.01, "{s:?}");
        }
        assert_eq!(w.learning_centre_services.len(), 1);
    }

    #[test]
    fn demo_catalogue_is_large_realistic_and_valid() {
        let r = reference();
        let w = DemoWorld::generate(DEFAULT_SEED, &r);
        let n = w.offerings.len();
        assert!(n >= 300, "{n} offerings");
        let ids: std::collections::BTreeSet<_> = w.offerings.iter().map(|o| &o.id).collect();
        assert_eq!(ids.len(), n, "unique ids");
        use crate::catalogue::{SchoolType, StudyForm};
        let share = |f: StudyForm| w.offerings.iter().filter(|o| o.form == f).count() as f64 / n as f64;
        assert!(
            (0.4..0.7).contains(&share(StudyForm::Distance)),
            "distance share {}",
            share(StudyForm::Distance)
        );
        assert!(
            (0.1..0.35).contains(&share(StudyForm::Campus)),
            "campus share {}",
            share(StudyForm::Campus)
        );
        for st in [SchoolType::Hs, SchoolType::Yh, SchoolType::Komvux] {
            assert!(w.offerings.iter().any(|o| o.school_type == st), "{st:?}");
        }
        for o in &w.offerings {
            assert!(o.end > o.start, "{o:?}");
            assert!(o.credits > 0.0 && (1..=100).contains(&o.pace_percent), "{o:?}");
            assert!(!o.sites.is_empty(), "{}", o.id);
        }
    }
}
