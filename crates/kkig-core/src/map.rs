//! Projection of positions onto a flat map for drawing (an SVG on the start page).
//!
//! An equirectangular projection scaled by the cosine of the middle latitude: at the region's
//! latitudes (62–68° N) it keeps shapes recognisable and is exact enough for a locator map.

use crate::geo::Position;

/// A point on the drawing, in drawing units (origin top left, y downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// The projected points and the drawing's size (width is given, height follows the aspect).
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub width: f64,
    pub height: f64,
    pub points: Vec<Point>,
}

/// Project `positions` into a drawing `width` units wide with `margin` units on every side.
/// The height follows from the geographic aspect ratio. Empty input gives an empty drawing.
pub fn project(positions: &[Position], width: f64, margin: f64) -> Projection {
    if positions.is_empty() {
        return Projection {
            width,
            height: 2.0 * margin,
            points: Vec::new(),
        };
    }
    let (mut min_lat, mut max_lat) = (f64::INFINITY, f64::NEG_INFINITY);
    let (mut min_lon, mut max_lon) = (f64::INFINITY, f64::NEG_INFINITY);
    for p in positions {
        min_lat = min_lat.min(p.lat);
        max_lat = max_lat.max(p.lat);
        min_lon = min_lon.min(p.lon);
        max_lon = max_lon.max(p.lon);
    }
    let k = ((min_lat + max_lat) / 2.0).to_radians().cos();
    let span_x = ((max_lon - min_lon) * k).max(1e-9);
    let span_y = (max_lat - min_lat).max(1e-9);
    let inner = (width - 2.0 * margin).max(1.0);
    let scale = inner / span_x.max(span_y);
    let height = span_y * scale + 2.0 * margin;
    let x_offset = margin + (inner - span_x * scale) / 2.0;
    let points = positions
        .iter()
        .map(|p| Point {
            x: x_offset + (p.lon - min_lon) * k * scale,
            y: margin + (max_lat - p.lat) * scale,
        })
        .collect();
    Projection { width, height, points }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lat: f64, lon: f64) -> Position {
        Position::new(lat, lon).unwrap()
    }

    #[test]
    fn north_is_up_and_east_is_right() {
        // Kiruna (north), Sundsvall (south), Pajala (east), Strömsund (west).
        let pts = [
            p(67.8558, 20.2253),
            p(62.3908, 17.3069),
            p(67.2078, 23.3794),
            p(63.85, 15.5833),
        ];
        let pr = project(&pts, 400.0, 20.0);
        let [kiruna, sundsvall, pajala, stromsund] = [0, 1, 2, 3].map(|i| pr.points[i]);
        assert!(kiruna.y < sundsvall.y);
        assert!(pajala.x > stromsund.x);
        // Everything inside the margins.
        for q in &pr.points {
            assert!((20.0 - 1e-9..=380.0 + 1e-9).contains(&q.x), "{q:?}");
            assert!((20.0 - 1e-9..=pr.height - 20.0 + 1e-9).contains(&q.y), "{q:?}");
        }
        // The extreme points touch the margins on the longer axis (here north–south).
        assert!((kiruna.y - 20.0).abs() < 1e-9);
        assert!((sundsvall.y - (pr.height - 20.0)).abs() < 1e-9);
    }

    #[test]
    fn single_point_and_empty_do_not_divide_by_zero() {
        let pr = project(&[p(65.0, 18.0)], 100.0, 10.0);
        assert!(pr.points[0].x.is_finite() && pr.points[0].y.is_finite());
        assert!(project(&[], 100.0, 10.0).points.is_empty());
    }
}
