//! Municipal borders from GeoJSON (RFC 7946: WGS84 lon/lat), read into
//! [`kkig_core::map::Borders`]: SCB's borders of the 290 municipalities are embedded from
//! `data/municipality-borders.geojson` (sources in `data/SOURCES.md`) and parsed once.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use kkig_core::map::{Area, Borders, Polygon, Ring};
use kkig_core::{Kommunkod, Position};
use serde::Deserialize;

use crate::error::FormatError;

pub const BORDERS_GEOJSON: &str = include_str!("../../../data/municipality-borders.geojson");
const BORDERS_FILE: &str = "data/municipality-borders.geojson";

/// The borders compiled into this binary, parsed at the first call and kept.
pub fn embedded() -> Result<&'static Borders, &'static FormatError> {
    static BORDERS: OnceLock<Result<Borders, FormatError>> = OnceLock::new();
    BORDERS
        .get_or_init(|| parse_borders(BORDERS_FILE, BORDERS_GEOJSON.as_bytes()))
        .as_ref()
}

#[derive(Deserialize)]
struct Collection {
    #[serde(rename = "type")]
    kind: String,
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    properties: Properties,
    geometry: Geometry,
}

#[derive(Deserialize)]
struct Properties {
    kommunkod: String,
}

type Coordinates = Vec<Vec<[f64; 2]>>;

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometry {
    Polygon(Coordinates),
    MultiPolygon(Vec<Coordinates>),
}

/// Parse a GeoJSON FeatureCollection whose features are one municipality each: property
/// `kommunkod`, geometry a Polygon or MultiPolygon. Errors name the file and the feature
/// (`features[3].geometry.coordinates[0][1]`), or the line for JSON that does not fit.
pub fn parse_borders(file: &str, bytes: &[u8]) -> Result<Borders, FormatError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let doc: Collection = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        FormatError::new(
            file,
            Some(inner.line() as u64),
            Some(path.as_str()).filter(|p| *p != "."),
            format!("expected a GeoJSON FeatureCollection of Polygon and MultiPolygon features: {inner}"),
        )
    })?;
    if doc.kind != "FeatureCollection" {
        return Err(FormatError::new(
            file,
            None,
            Some("type"),
            format!("expected \"FeatureCollection\", found \"{}\"", doc.kind),
        ));
    }
    let mut areas = BTreeMap::new();
    for (i, f) in doc.features.into_iter().enumerate() {
        let at = |field: &str| format!("features[{i}].{field}");
        let code = Kommunkod::parse(&f.properties.kommunkod)
            .map_err(|e| FormatError::new(file, None, Some(&at("properties.kommunkod")), e.to_string()))?;
        let polygons = match f.geometry {
            Geometry::Polygon(p) => vec![p],
            Geometry::MultiPolygon(ps) => ps,
        };
        let multi = polygons.len() > 1;
        let area = Area {
            polygons: polygons
                .into_iter()
                .enumerate()
                .map(|(j, rings)| {
                    let path = if multi {
                        at(&format!("geometry.coordinates[{j}]"))
                    } else {
                        at("geometry.coordinates")
                    };
                    polygon(file, &path, rings)
                })
                .collect::<Result<_, _>>()?,
        };
        if area.polygons.is_empty() {
            return Err(FormatError::new(
                file,
                None,
                Some(&at("geometry.coordinates")),
                "no polygon",
            ));
        }
        if areas.insert(code, area).is_some() {
            return Err(FormatError::new(
                file,
                None,
                Some(&at("properties.kommunkod")),
                format!("{code} has a feature already"),
            ));
        }
    }
    Ok(Borders::new(areas))
}

fn polygon(file: &str, path: &str, rings: Coordinates) -> Result<Polygon, FormatError> {
    let mut rings = rings.into_iter().enumerate().map(|(k, coordinates)| {
        let here = format!("{path}[{k}]");
        let positions = coordinates
            .into_iter()
            .enumerate()
            .map(|(n, [lon, lat])| {
                Position::new(lat, lon)
                    .map_err(|e| FormatError::new(file, None, Some(&format!("{here}[{n}]")), e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ring::new(positions).map_err(|e| FormatError::new(file, None, Some(&here), e.to_string()))
    });
    let outer = rings
        .next()
        .ok_or_else(|| FormatError::new(file, None, Some(path), "a polygon needs an outer ring"))??;
    Ok(Polygon {
        outer,
        holes: rings.collect::<Result<_, _>>()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> Kommunkod {
        Kommunkod::parse(s).unwrap()
    }

    #[test]
    fn the_embedded_borders_are_sweden_s_290_municipalities_with_728_neighbour_pairs() {
        let b = embedded().unwrap();
        assert_eq!(b.len(), 290);
        // The reference's own check: 728 neighbouring pairs, the same set as an independent
        // adjacency list built from SCB's full border file (shared/reference/README.md).
        assert_eq!(b.neighbour_pairs().len(), 728);
        // Every municipality of the reference data has borders.
        let reference = crate::reference::embedded().unwrap();
        for m in &reference.municipalities {
            assert!(b.area(m.code).is_some(), "{} {}", m.code, m.name);
        }
        // Pajala borders Gällivare, Kiruna, Övertorneå and Överkalix; not Luleå.
        let pajala: Vec<_> = b.neighbours(code("2521")).into_iter().map(|c| c.to_string()).collect();
        assert_eq!(pajala, ["2513", "2518", "2523", "2584"]);
        // Sweden's bounding box, 11.13–24.15° E and 55.34–69.05° N as the reference's README
        // gives it.
        let all = b.bounds_of(b.codes()).unwrap();
        assert_eq!(
            (all.min_lon, all.max_lon, all.min_lat, all.max_lat),
            (11.1314, 24.1496, 55.34, 69.0478),
            "{all:?}"
        );
        // Parsed once: the same value every time.
        assert!(std::ptr::eq(b, embedded().unwrap()));
    }

    #[test]
    fn islands_are_separate_polygons() {
        let b = embedded().unwrap();
        // 290 features, 13 of them MultiPolygons, 314 rings in all and no holes.
        let polygons: usize = b.codes().map(|c| b.area(c).unwrap().polygons.len()).sum();
        assert_eq!(polygons, 314);
        let multi = b.codes().filter(|c| b.area(*c).unwrap().polygons.len() > 1).count();
        assert_eq!(multi, 13);
    }

    #[test]
    fn errors_name_the_feature() {
        let bad = |json: &str| parse_borders("b.geojson", json.as_bytes()).unwrap_err().to_string();
        let square = "[[[14,62],[15,62],[15,63],[14,63],[14,62]]]";
        let feature = |code: &str, geometry: &str| {
            format!(r#"{{"type":"Feature","properties":{{"kommunkod":"{code}"}},"geometry":{geometry}}}"#)
        };
        let collection =
            |features: &[String]| format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","));
        let ok = collection(&[feature(
            "2422",
            &format!(r#"{{"type":"Polygon","coordinates":{square}}}"#),
        )]);
        assert_eq!(parse_borders("b.geojson", ok.as_bytes()).unwrap().len(), 1);

        let e = bad(&collection(&[feature(
            "9999",
            &format!(r#"{{"type":"Polygon","coordinates":{square}}}"#),
        )]));
        assert!(
            e.starts_with("b.geojson, column features[0].properties.kommunkod: "),
            "{e}"
        );
        let open = "[[[14,62],[15,62],[15,63],[14,63],[14,62.5]]]";
        let e = bad(&collection(&[
            feature("2422", &format!(r#"{{"type":"Polygon","coordinates":{square}}}"#)),
            feature(
                "2421",
                &format!(r#"{{"type":"MultiPolygon","coordinates":[{square},{open}]}}"#),
            ),
        ]));
        assert_eq!(
            e,
            "b.geojson, column features[1].geometry.coordinates[1][0]: a ring must end where it starts"
        );
        let e = bad(&collection(&[feature(
            "2422",
            r#"{"type":"Polygon","coordinates":[[[14,95],[15,62],[15,63],[14,95]]]}"#,
        )]));
        assert!(e.contains("column features[0].geometry.coordinates[0][0]:"), "{e}");
        let e = bad(&collection(&[feature(
            "2422",
            r#"{"type":"Point","coordinates":[14,62]}"#,
        )]));
        assert!(e.contains("column features[0].geometry"), "{e}");
        let twice = feature("2422", &format!(r#"{{"type":"Polygon","coordinates":{square}}}"#));
        let e = bad(&collection(&[twice.clone(), twice]));
        assert!(e.ends_with("2422 has a feature already"), "{e}");
        let e = bad(r#"{"type":"Feature","features":[]}"#);
        assert!(e.ends_with("expected \"FeatureCollection\", found \"Feature\""), "{e}");
        assert!(bad("not json").starts_with("b.geojson, row 1: "));
    }

    proptest::proptest! {
        /// Any bytes give borders or an error, never a panic.
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let _ = parse_borders("x", &bytes);
        }
    }
}
