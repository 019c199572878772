//! Positions and the travel model of DESIGN.md.
//!
//! Road travel time is estimated from the great-circle distance:
//! `minutes = round(haversine_km × road_factor / speed_kmh × 60)`, Earth radius 6371.0 km,
//! rounded half away from zero. A measured matrix, when imported, overrides the estimate
//! (that lookup lives with the callers; this module is the estimate).

use serde::{Deserialize, Serialize};

/// Mean Earth radius used by the travel model, in km.
pub const EARTH_RADIUS_KM: f64 = 6371.0;

#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum PositionError {
    #[error("latitude {0} is outside -90…90")]
    Latitude(f64),
    #[error("longitude {0} is outside -180…180")]
    Longitude(f64),
}

/// A WGS84 position in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub lat: f64,
    pub lon: f64,
}

impl Position {
    /// A checked position: both coordinates finite and within range.
    pub fn new(lat: f64, lon: f64) -> Result<Self, PositionError> {
        if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
            return Err(PositionError::Latitude(lat));
        }
        if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
            return Err(PositionError::Longitude(lon));
        }
        Ok(Self { lat, lon })
    }
}

/// Great-circle distance in km by the haversine formula:
/// `2 · 6371.0 · asin(√a)`, `a = sin²(Δφ/2) + cos φ1 · cos φ2 · sin²(Δλ/2)`.
pub fn haversine_km(a: Position, b: Position) -> f64 {
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dphi = (b.lat - a.lat).to_radians();
    let dlambda = (b.lon - a.lon).to_radians();
    let h = (dphi / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dlambda / 2.0).sin().powi(2);
    // Rounding can push h a hair above 1 for antipodal points; asin would return NaN.
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Parameters of the estimated road travel time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TravelModel {
    pub road_factor: f64,
    pub speed_kmh: f64,
}

impl Default for TravelModel {
    fn default() -> Self {
        Self {
            road_factor: 1.3,
            speed_kmh: 70.0,
        }
    }
}

impl TravelModel {
    /// Estimated one-way road travel time in whole minutes, rounded half away from zero.
    pub fn minutes(&self, a: Position, b: Position) -> i64 {
        self.minutes_for_km(haversine_km(a, b))
    }

    /// `round(km × road_factor / speed_kmh × 60)`; f64::round rounds half away from zero.
    pub fn minutes_for_km(&self, km: f64) -> i64 {
        (km * self.road_factor / self.speed_kmh * 60.0).round() as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lat: f64, lon: f64) -> Position {
        Position::new(lat, lon).unwrap()
    }

    #[test]
    fn haversine_known_distances() {
        // (from, to, expected km, tolerance km); expected values computed independently
        // with the same formula and radius.
        let cases = [
            (p(0.0, 0.0), p(0.0, 1.0), 111.194_926_6, 1e-6),
            (p(0.0, 0.0), p(1.0, 0.0), 111.194_926_6, 1e-6),
            (p(65.5333, 17.5333), p(65.5333, 17.5333), 0.0, 0.0),
            // Sorsele → Umeå
            (p(65.5333, 17.5333), p(63.8258, 20.2630), 229.956, 0.001),
            (p(0.0, 0.0), p(0.0, 180.0), std::f64::consts::PI * EARTH_RADIUS_KM, 1e-6),
        ];
        for (a, b, want, tol) in cases {
            let got = haversine_km(a, b);
            assert!((got - want).abs() <= tol, "{a:?}→{b:?}: got {got}, want {want}");
        }
    }

    #[test]
    fn travel_minutes_hand_computed() {
        let m = TravelModel::default();
        // 111.1949266 km × 1.3 / 70 × 60 = 123.9 → 124
        assert_eq!(m.minutes(p(0.0, 0.0), p(0.0, 1.0)), 124);
        // Same point: 0 minutes.
        assert_eq!(m.minutes(p(64.0, 18.0), p(64.0, 18.0)), 0);
        // The example of the allocation issue: 2506 site (66.05, 17.89) and a student at
        // (66.04, 17.90): 1.2001 km × 1.3 / 70 × 60 = 1.34 → 1.
        assert_eq!(m.minutes(p(66.04, 17.90), p(66.05, 17.89)), 1);
    }

    #[test]
    fn rounds_half_away_from_zero() {
        // road_factor 1 and 60 km/h make minutes equal to km, so x.5 is exact in f64.
        let m = TravelModel {
            road_factor: 1.0,
            speed_kmh: 60.0,
        };
        for (km, want) in [(0.5, 1), (2.5, 3), (2.4999, 2), (3.5, 4), (0.0, 0)] {
            assert_eq!(m.minutes_for_km(km), want, "{km} km");
        }
    }

    #[test]
    fn position_range_checked() {
        assert!(Position::new(90.0, 180.0).is_ok());
        assert!(Position::new(-90.0, -180.0).is_ok());
        assert_eq!(Position::new(90.1, 0.0), Err(PositionError::Latitude(90.1)));
        assert_eq!(Position::new(0.0, -180.5), Err(PositionError::Longitude(-180.5)));
        assert!(Position::new(f64::NAN, 0.0).is_err());
    }

    proptest::proptest! {
        #[test]
        fn distance_is_symmetric_and_bounded(
            la in -90.0f64..=90.0, lo in -180.0f64..=180.0,
            lb in -90.0f64..=90.0, lob in -180.0f64..=180.0,
        ) {
            let (a, b) = (p(la, lo), p(lb, lob));
            let d1 = haversine_km(a, b);
            let d2 = haversine_km(b, a);
            proptest::prop_assert!((d1 - d2).abs() < 1e-6);
            proptest::prop_assert!((0.0..=std::f64::consts::PI * EARTH_RADIUS_KM + 1e-6).contains(&d1));
        }
    }
}
