//! The region's reference facts, embedded from `data/` and parsed into core types.
//!
//! The CSV files are the source of truth (see `data/SOURCES.md`); they are compiled into the
//! binary so a fresh `kkig` can seed an empty database without any file beside it.

use std::collections::BTreeMap;

use kkig_core::{
    Campus, Kommunkod, LearningCentre, Municipality, MunicipalityRole, Occupation, OccupationArea, Position,
    ReferenceData, Ssyk, University,
};
use serde::Deserialize;

use crate::error::FormatError;

pub const MUNICIPALITIES_CSV: &str = include_str!("../../../data/municipalities.csv");
pub const SWEDEN_CSV: &str = include_str!("../../../data/municipalities-sweden.csv");
pub const CAMPUSES_CSV: &str = include_str!("../../../data/campuses.csv");
pub const LEARNING_CENTRES_CSV: &str = include_str!("../../../data/learning_centres.csv");
pub const OCCUPATIONS_CSV: &str = include_str!("../../../data/occupations.csv");

/// The reference data compiled into this binary.
pub fn embedded() -> Result<ReferenceData, FormatError> {
    let mut data = parse(MUNICIPALITIES_CSV, CAMPUSES_CSV, LEARNING_CENTRES_CSV, OCCUPATIONS_CSV)?;
    add_sweden(&mut data.municipalities, SWEDEN_CSV)?;
    Ok(data)
}

/// Parse the four reference files of the region (comma-separated, UTF-8, header row) and
/// check that they agree with each other. Sweden's other municipalities are added by
/// [`add_sweden`].
pub fn parse(
    municipalities: &str,
    campuses: &str,
    learning_centres: &str,
    occupations: &str,
) -> Result<ReferenceData, FormatError> {
    let municipalities = parse_municipalities(municipalities)?;
    let known: BTreeMap<Kommunkod, &Municipality> = municipalities.iter().map(|m| (m.code, m)).collect();

    let universities = parse_campuses(campuses, &known)?;
    let learning_centres = parse_learning_centres(learning_centres, &known)?;
    let occupations = parse_occupations(occupations)?;
    Ok(ReferenceData {
        municipalities,
        universities,
        learning_centres,
        occupations,
    })
}

/// Read a CSV with a header into rows of `T`, naming the file, row and column on errors.
fn rows<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<Vec<(u64, T)>, FormatError> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| FormatError::new(file, Some(1), None, e.to_string()))?
        .clone();
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let row = e.position().map(|p| p.line());
            FormatError::new(file, row, None, e.to_string())
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let value: T = rec.deserialize(Some(&headers)).map_err(|e| match e.kind() {
            csv::ErrorKind::Deserialize { err, .. } => FormatError {
                file: file.into(),
                row: Some(line),
                column: err.field().and_then(|i| headers.get(i as usize)).map(str::to_string),
                message: err.kind().to_string(),
            },
            _ => FormatError::new(file, Some(line), None, e.to_string()),
        })?;
        out.push((line, value));
    }
    Ok(out)
}

#[derive(Deserialize)]
struct MunicipalityRow {
    code: String,
    name: String,
    county_code: String,
    county_name: String,
    seat: String,
    lat: f64,
    lon: f64,
    population: i64,
    population_year: i32,
    role: String,
}

/// Sweden's bounding box, with a small margin: a position outside it is a typo.
const SWEDEN_LAT: std::ops::RangeInclusive<f64> = 55.3..=69.1;
const SWEDEN_LON: std::ops::RangeInclusive<f64> = 10.9..=24.2;

fn parse_municipalities(text: &str) -> Result<Vec<Municipality>, FormatError> {
    const FILE: &str = "data/municipalities.csv";
    let out = check_municipalities(FILE, rows::<MunicipalityRow>(FILE, text)?)?;
    if let Some(m) = out.iter().find(|m| m.role == MunicipalityRole::Other) {
        return Err(FormatError::new(
            FILE,
            None,
            Some("role"),
            format!(
                "{} ({}): role must be participant or campus in the region's file",
                m.name, m.code
            ),
        ));
    }
    Ok(out)
}

/// Check municipality rows (code, county, position, population, role) and make them values.
fn check_municipalities(
    file: &'static str,
    rows: Vec<(u64, MunicipalityRow)>,
) -> Result<Vec<Municipality>, FormatError> {
    let err = |row: u64, col: &str, msg: String| FormatError::new(file, Some(row), Some(col), msg);
    let mut out: Vec<Municipality> = Vec::new();
    for (line, r) in rows {
        let code = Kommunkod::parse(&r.code).map_err(|e| err(line, "code", e.to_string()))?;
        if code.county_code() != r.county_code {
            return Err(err(
                line,
                "county_code",
                format!(
                    "county_code {} does not match kommunkod {code} (expected {})",
                    r.county_code,
                    code.county_code()
                ),
            ));
        }
        if out.iter().any(|m| m.code == code) {
            return Err(err(line, "code", format!("kommunkod {code} appears twice")));
        }
        if !SWEDEN_LAT.contains(&r.lat) {
            return Err(err(
                line,
                "lat",
                format!("latitude {} is outside Sweden (55.3–69.1)", r.lat),
            ));
        }
        if !SWEDEN_LON.contains(&r.lon) {
            return Err(err(
                line,
                "lon",
                format!("longitude {} is outside Sweden (10.9–24.2)", r.lon),
            ));
        }
        if r.population <= 0 {
            return Err(err(
                line,
                "population",
                format!("population {} must be positive", r.population),
            ));
        }
        if !(2020..=2100).contains(&r.population_year) {
            return Err(err(
                line,
                "population_year",
                format!("year {} is not 2020 or later", r.population_year),
            ));
        }
        let role = MunicipalityRole::parse(&r.role)
            .ok_or_else(|| err(line, "role", format!("role {:?} is not participant or campus", r.role)))?;
        for (col, v) in [("name", &r.name), ("county_name", &r.county_name), ("seat", &r.seat)] {
            if v.is_empty() {
                return Err(err(line, col, "must not be empty".into()));
            }
        }
        out.push(Municipality {
            code,
            name: r.name,
            county_code: r.county_code,
            county_name: r.county_name,
            seat: r.seat,
            position: Position::new(r.lat, r.lon).map_err(|e| err(line, "lat", e.to_string()))?,
            population: r.population,
            population_year: r.population_year,
            role,
        });
    }
    Ok(out)
}

/// A row of `data/municipalities-sweden.csv` (SCB's 290 municipalities, the columns of
/// `shared/reference/kommuner-alla.csv`).
#[derive(Deserialize)]
struct SwedenRow {
    kommunkod: String,
    kommun: String,
    lanskod: String,
    lan: String,
    centralort: String,
    lat: f64,
    lon: f64,
    folkmangd: i64,
    folkmangd_ar: i32,
}

/// Add Sweden's municipalities that `region` (the region's file) does not hold, with the role
/// [`MunicipalityRole::Other`]. The region's rows keep their role and figures, and must agree
/// with the national file on name and county: a kommunkod means one municipality everywhere.
pub fn add_sweden(region: &mut Vec<Municipality>, sweden: &str) -> Result<(), FormatError> {
    const FILE: &str = "data/municipalities-sweden.csv";
    let as_region_row = |r: SwedenRow| MunicipalityRow {
        code: r.kommunkod,
        name: r.kommun,
        county_code: r.lanskod,
        county_name: r.lan,
        seat: r.centralort,
        lat: r.lat,
        lon: r.lon,
        population: r.folkmangd,
        population_year: r.folkmangd_ar,
        role: MunicipalityRole::Other.as_str().to_string(),
    };
    let rows: Vec<(u64, MunicipalityRow)> = rows::<SwedenRow>(FILE, sweden)?
        .into_iter()
        .map(|(line, r)| (line, as_region_row(r)))
        .collect();
    let all = check_municipalities(FILE, rows)?;
    for m in region.iter() {
        let Some(n) = all.iter().find(|n| n.code == m.code) else {
            return Err(FormatError::new(
                "data/municipalities.csv",
                None,
                Some("code"),
                format!(
                    "{} ({}) is not one of Sweden's municipalities in {FILE}",
                    m.name, m.code
                ),
            ));
        };
        if n.name != m.name || n.county_code != m.county_code {
            return Err(FormatError::new(
                "data/municipalities.csv",
                None,
                Some("name"),
                format!("{} is {} in {} but {} in {FILE}", m.code, m.name, m.county_code, n.name),
            ));
        }
    }
    let others: Vec<Municipality> = all
        .into_iter()
        .filter(|n| !region.iter().any(|m| m.code == n.code))
        .collect();
    region.extend(others);
    Ok(())
}

#[derive(Deserialize)]
struct CampusRow {
    university_code: String,
    university_name: String,
    town: String,
    municipality_code: String,
}

fn parse_campuses(text: &str, known: &BTreeMap<Kommunkod, &Municipality>) -> Result<Vec<University>, FormatError> {
    const FILE: &str = "data/campuses.csv";
    let mut out: Vec<University> = Vec::new();
    for (line, r) in rows::<CampusRow>(FILE, text)? {
        let code = Kommunkod::parse(&r.municipality_code)
            .map_err(|e| FormatError::new(FILE, Some(line), Some("municipality_code"), e.to_string()))?;
        if !known.contains_key(&code) {
            return Err(FormatError::new(
                FILE,
                Some(line),
                Some("municipality_code"),
                format!("campus town {} ({code}) is not in data/municipalities.csv", r.town),
            ));
        }
        let campus = Campus {
            town: r.town,
            municipality: code,
        };
        match out.iter_mut().find(|u| u.code == r.university_code) {
            Some(u) if u.name != r.university_name => {
                return Err(FormatError::new(
                    FILE,
                    Some(line),
                    Some("university_name"),
                    format!("{} is named {:?} on an earlier row", r.university_code, u.name),
                ));
            }
            Some(u) => u.campuses.push(campus),
            None => out.push(University {
                code: r.university_code,
                name: r.university_name,
                campuses: vec![campus],
            }),
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
struct LearningCentreRow {
    id: String,
    municipality_code: String,
    name: String,
    town: String,
    lat: f64,
    lon: f64,
    position_source: String,
}

fn parse_learning_centres(
    text: &str,
    known: &BTreeMap<Kommunkod, &Municipality>,
) -> Result<Vec<LearningCentre>, FormatError> {
    const FILE: &str = "data/learning_centres.csv";
    let mut out: Vec<LearningCentre> = Vec::new();
    for (line, r) in rows::<LearningCentreRow>(FILE, text)? {
        let err = |col: &str, msg: String| FormatError::new(FILE, Some(line), Some(col), msg);
        let code = Kommunkod::parse(&r.municipality_code).map_err(|e| err("municipality_code", e.to_string()))?;
        if !known.contains_key(&code) {
            return Err(err(
                "municipality_code",
                format!("{code} is not in data/municipalities.csv"),
            ));
        }
        if out.iter().any(|l| l.id == r.id) {
            return Err(err("id", format!("id {} appears twice", r.id)));
        }
        let position = Position::new(r.lat, r.lon).map_err(|e| err("lat", e.to_string()))?;
        out.push(LearningCentre {
            id: r.id,
            municipality: code,
            name: r.name,
            town: r.town,
            position,
            position_source: r.position_source,
        });
    }
    Ok(out)
}

#[derive(Deserialize)]
struct OccupationRow {
    ssyk: String,
    name: String,
    area: String,
}

fn parse_occupations(text: &str) -> Result<Vec<Occupation>, FormatError> {
    const FILE: &str = "data/occupations.csv";
    let mut out = Vec::new();
    for (line, r) in rows::<OccupationRow>(FILE, text)? {
        let ssyk = Ssyk::parse(&r.ssyk).map_err(|e| FormatError::new(FILE, Some(line), Some("ssyk"), e.to_string()))?;
        let area = OccupationArea::parse(&r.area).ok_or_else(|| {
            FormatError::new(
                FILE,
                Some(line),
                Some("area"),
                format!("area {:?} is not one of teacher, nurse, social_work", r.area),
            )
        })?;
        out.push(Occupation {
            ssyk,
            name: r.name,
            area,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_reference_is_complete_and_consistent() {
        let r = embedded().unwrap();
        let participants: Vec<_> = r
            .municipalities
            .iter()
            .filter(|m| m.role == MunicipalityRole::Participant)
            .collect();
        assert_eq!(participants.len(), 17);
        let mut codes: Vec<String> = participants.iter().map(|m| m.code.to_string()).collect();
        codes.sort();
        assert_eq!(
            codes,
            [
                "2282", "2283", "2313", "2417", "2421", "2422", "2425", "2462", "2463", "2481", "2482", "2505", "2506",
                "2510", "2521", "2523", "2584"
            ]
        );
        // Spot checks against the gathered facts.
        let sorsele = r.municipalities.iter().find(|m| m.code.to_string() == "2422").unwrap();
        assert_eq!(
            (sorsele.name.as_str(), sorsele.population, sorsele.population_year),
            ("Sorsele", 2387, 2023)
        );
        assert_eq!((sorsele.position.lat, sorsele.position.lon), (65.5333, 17.5333));
        let stromsund = r.municipalities.iter().find(|m| m.name == "Strömsund").unwrap();
        assert_eq!((stromsund.population, stromsund.population_year), (11023, 2024));

        let uni: Vec<_> = r
            .universities
            .iter()
            .map(|u| (u.code.as_str(), u.campuses.len()))
            .collect();
        assert_eq!(uni, [("LTU", 4), ("UmU", 3), ("MIUN", 2)]);

        // One learning centre per participant, none elsewhere.
        assert_eq!(r.learning_centres.len(), 17);
        for m in &participants {
            assert_eq!(
                r.learning_centres.iter().filter(|l| l.municipality == m.code).count(),
                1,
                "{}",
                m.name
            );
        }

        // All of Sweden: the region's 23 rows as they are, the other 267 with role `other`.
        assert_eq!(r.municipalities.len(), 290);
        let others = r
            .municipalities
            .iter()
            .filter(|m| m.role == MunicipalityRole::Other)
            .count();
        assert_eq!(others, 290 - 23);
        let mut all: Vec<_> = r.municipalities.iter().map(|m| m.code).collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 290);
        for (code, name, seat) in [
            ("2582", "Boden", "Boden"),
            ("2580", "Luleå", "Luleå"),
            ("2460", "Vännäs", "Vännäs"),
        ] {
            let m = r.municipalities.iter().find(|m| m.code.to_string() == code).unwrap();
            assert_eq!((m.name.as_str(), m.seat.as_str()), (name, seat));
            let expected = if code == "2580" {
                MunicipalityRole::Campus
            } else {
                MunicipalityRole::Other
            };
            assert_eq!(m.role, expected, "{name}");
        }
        let population: i64 = r
            .municipalities
            .iter()
            .filter(|m| m.role == MunicipalityRole::Other)
            .map(|m| m.population)
            .sum();
        assert!(population > 9_000_000, "{population}");

        assert_eq!(r.occupations.len(), 15);
        for (area, n) in [
            (OccupationArea::Teacher, 6),
            (OccupationArea::Nurse, 5),
            (OccupationArea::SocialWork, 4),
        ] {
            assert_eq!(r.occupations.iter().filter(|o| o.area == area).count(), n, "{area:?}");
        }
    }

    const HEADER: &str = "code,name,county_code,county_name,seat,lat,lon,population,population_year,role\n";

    #[test]
    fn the_region_must_agree_with_sweden() {
        let sweden = "kommunkod,kommun,lanskod,lan,centralort,lat,lon,folkmangd,folkmangd_ar\n\
            2422,Sorsele,24,Västerbottens län,Sorsele,65.5333,17.5333,2400,2024\n\
            2582,Boden,25,Norrbottens län,Boden,65.8252,21.6886,27000,2024\n";
        let region = |row: &str| parse_municipalities(&format!("{HEADER}{row}\n")).unwrap();
        let mut r = region("2422,Sorsele,24,Västerbottens län,Sorsele,65.5333,17.5333,2387,2023,participant");
        add_sweden(&mut r, sweden).unwrap();
        let got: Vec<_> = r.iter().map(|m| (m.code.to_string(), m.role, m.population)).collect();
        assert_eq!(
            got,
            [
                ("2422".to_string(), MunicipalityRole::Participant, 2387),
                ("2582".to_string(), MunicipalityRole::Other, 27000)
            ]
        );
        let mut r = region("2422,Sorsell,24,Västerbottens län,Sorsele,65.5333,17.5333,2387,2023,participant");
        let e = add_sweden(&mut r, sweden).unwrap_err().to_string();
        assert!(e.contains("2422 is Sorsell in 24 but Sorsele"), "{e}");
        let mut r = region("2480,Umeå,24,Västerbottens län,Umeå,63.8,20.2,130000,2023,campus");
        let e = add_sweden(&mut r, sweden).unwrap_err().to_string();
        assert!(e.contains("Umeå (2480) is not one of Sweden's municipalities"), "{e}");
        let bad = format!("{sweden}2583,Haparanda,25,Norrbottens län,Haparanda,99.0,24.1,9500,2024\n");
        let e = add_sweden(&mut vec![], &bad).unwrap_err().to_string();
        assert!(e.contains("data/municipalities-sweden.csv, row 4, column lat"), "{e}");
        // the region's own file may not use the role `other`
        let e = municipality_error("2582,Boden,25,Norrbottens län,Boden,65.8,21.7,27000,2024,other");
        assert!(e.contains("role must be participant or campus"), "{e}");
    }

    fn municipality_error(row: &str) -> String {
        parse_municipalities(&format!("{HEADER}{row}\n"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn bad_rows_are_named_by_row_and_column() {
        let cases = [
            (
                "24x2,Sorsele,24,V,Sorsele,65.5,17.5,2387,2023,participant",
                "row 2, column code: kommunkod \"24x2\"",
            ),
            (
                "2422,Sorsele,25,V,Sorsele,65.5,17.5,2387,2023,participant",
                "row 2, column county_code",
            ),
            (
                "2422,Sorsele,24,V,Sorsele,75.5,17.5,2387,2023,participant",
                "row 2, column lat: latitude 75.5",
            ),
            (
                "2422,Sorsele,24,V,Sorsele,65.5,37.5,2387,2023,participant",
                "row 2, column lon",
            ),
            (
                "2422,Sorsele,24,V,Sorsele,65.5,17.5,-1,2023,participant",
                "row 2, column population",
            ),
            (
                "2422,Sorsele,24,V,Sorsele,65.5,17.5,many,2023,participant",
                "row 2, column population",
            ),
            (
                "2422,Sorsele,24,V,Sorsele,65.5,17.5,2387,2023,member",
                "row 2, column role",
            ),
            (
                "2422,,24,V,Sorsele,65.5,17.5,2387,2023,participant",
                "row 2, column name: must not be empty",
            ),
        ];
        for (row, want) in cases {
            let got = municipality_error(row);
            assert!(
                got.starts_with("data/municipalities.csv, ") && got.contains(want),
                "{row}\n got: {got}\nwant: {want}"
            );
        }
    }

    #[test]
    fn duplicate_code_is_rejected_on_its_row() {
        let row = "2422,Sorsele,24,V,Sorsele,65.5,17.5,2387,2023,participant";
        let err = parse_municipalities(&format!("{HEADER}{row}\n{row}\n")).unwrap_err();
        assert_eq!((err.row, err.column.as_deref()), (Some(3), Some("code")));
    }

    #[test]
    fn campus_in_unknown_town_is_rejected() {
        let err = parse(
            MUNICIPALITIES_CSV,
            "university_code,university_name,town,municipality_code,source\nX,Xuni,Stockholm,0180,s\n",
            LEARNING_CENTRES_CSV,
            OCCUPATIONS_CSV,
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("Stockholm (0180) is not in data/municipalities.csv"),
            "{err}"
        );
    }

    proptest::proptest! {
        #[test]
        fn municipality_parser_never_panics(s in "\\PC{0,200}") {
            let _ = parse_municipalities(&format!("{HEADER}{s}"));
        }
    }
}
