//! The frame, path data and borders: worked examples and a proptest of the frame.

use std::collections::BTreeMap;

use super::*;
use crate::Kommunkod;

fn p(lat: f64, lon: f64) -> Position {
    Position::new(lat, lon).unwrap()
}

fn code(s: &str) -> Kommunkod {
    Kommunkod::parse(s).unwrap()
}

/// A square ring with corners (lon, lat) from `sw` to `ne`, counter-clockwise.
fn square(sw: (f64, f64), ne: (f64, f64)) -> Ring {
    Ring::new(vec![
        p(sw.1, sw.0),
        p(sw.1, ne.0),
        p(ne.1, ne.0),
        p(ne.1, sw.0),
        p(sw.1, sw.0),
    ])
    .unwrap()
}

fn area(rings: Vec<Ring>) -> Area {
    Area {
        polygons: rings
            .into_iter()
            .map(|outer| Polygon { outer, holes: vec![] })
            .collect(),
    }
}

#[test]
fn north_is_up_east_is_right_and_the_bounds_fill_the_width() {
    // Kiruna (north), Sundsvall (south), Pajala (east), Strömsund (west).
    let towns = [
        p(67.8558, 20.2253),
        p(62.3908, 17.3069),
        p(67.2078, 23.3794),
        p(63.85, 15.5833),
    ];
    let frame = Frame::fit(Bounds::of(towns).unwrap(), 400.0, 20.0);
    let [kiruna, sundsvall, pajala, stromsund] = towns.map(|t| frame.point(t));
    assert!(kiruna.y < sundsvall.y);
    assert!(pajala.x > stromsund.x);
    // East–west fills the width between the margins; north–south gives the height.
    assert!((stromsund.x - 20.0).abs() < 1e-9 && (pajala.x - 380.0).abs() < 1e-9);
    assert!((kiruna.y - 20.0).abs() < 1e-9 && (sundsvall.y - (frame.height - 20.0)).abs() < 1e-9);
    // At 65° N a degree of longitude is cos 65° ≈ 0.42 of a degree of latitude: the region is tall.
    let k = (65.1233_f64).to_radians().cos();
    let expected = (67.8558 - 62.3908) / ((23.3794 - 15.5833) * k) * 360.0 + 40.0;
    assert!((frame.height - expected).abs() < 1e-6, "{} {expected}", frame.height);
    assert!(frame.height > frame.width);
}

#[test]
fn one_point_is_drawn_in_the_middle_of_a_square() {
    let frame = Frame::fit(Bounds::of([p(65.0, 18.0)]).unwrap(), 100.0, 10.0);
    assert_eq!(frame.height, 100.0);
    let q = frame.point(p(65.0, 18.0));
    assert!((q.x - 50.0).abs() < 1e-9 && (q.y - 50.0).abs() < 1e-9, "{q:?}");
    assert!(Bounds::of([]).is_none());
}

#[test]
fn the_visible_bounds_are_what_the_drawing_shows() {
    let b = Bounds {
        min_lon: 14.0,
        min_lat: 62.0,
        max_lon: 24.0,
        max_lat: 69.0,
    };
    let frame = Frame::fit(b, 400.0, 20.0);
    let v = frame.visible();
    assert!(v.min_lon < 14.0 && v.max_lon > 24.0 && v.min_lat < 62.0 && v.max_lat > 69.0);
    let corner = frame.point(p(v.max_lat, v.min_lon));
    assert!(corner.x.abs() < 1e-9 && corner.y.abs() < 1e-9, "{corner:?}");
    let corner = frame.point(p(v.min_lat, v.max_lon));
    assert!((corner.x - 400.0).abs() < 1e-9 && (corner.y - frame.height).abs() < 1e-9);
}

#[test]
fn path_data_has_one_closed_subpath_per_ring_in_tenths() {
    let a = area(vec![
        square((14.0, 62.0), (16.0, 64.0)),
        square((15.0, 62.5), (15.001, 62.501)),
    ]);
    let frame = Frame::fit(a.bounds().unwrap(), 100.0, 0.0);
    let d = path_data(&a, &frame);
    assert!(d.starts_with("M0 "), "{d}");
    assert_eq!(d.matches('M').count(), 2, "{d}");
    assert_eq!(d.matches('Z').count(), 2, "{d}");
    // The tiny square rounds to (almost) a point: repeated positions are left out.
    let tiny = d.split('M').nth(2).unwrap();
    assert!(tiny.starts_with("50 ") && tiny.matches('L').count() < 4, "{d}");
    assert!(!d.contains(".0 ") && !d.contains(".0L"), "no needless .0: {d}");
    assert_eq!(tenths(-15), "-1.5");
    assert_eq!(tenths(20), "2");
    assert_eq!(tenths(3), "0.3");
}

#[test]
fn rings_must_be_closed_and_long_enough() {
    let open = vec![p(62.0, 14.0), p(62.0, 15.0), p(63.0, 15.0), p(63.0, 14.0)];
    assert_eq!(Ring::new(open), Err(RingError::NotClosed));
    assert_eq!(
        Ring::new(vec![p(62.0, 14.0), p(62.0, 15.0), p(62.0, 14.0)]),
        Err(RingError::TooShort(3))
    );
    assert_eq!(RingError::NotClosed.to_string(), "a ring must end where it starts");
}

#[test]
fn neighbours_share_a_vertex() {
    // A and B share an edge, B and C a corner, D stands apart.
    let mut areas = BTreeMap::new();
    areas.insert(code("2521"), area(vec![square((14.0, 62.0), (15.0, 63.0))]));
    areas.insert(code("2523"), area(vec![square((15.0, 62.0), (16.0, 63.0))]));
    areas.insert(code("2584"), area(vec![square((16.0, 63.0), (17.0, 64.0))]));
    areas.insert(code("2417"), area(vec![square((20.0, 62.0), (21.0, 63.0))]));
    let b = Borders::new(areas);
    assert_eq!(b.len(), 4);
    assert_eq!(
        b.neighbours(code("2521")).into_iter().collect::<Vec<_>>(),
        [code("2523")]
    );
    assert_eq!(
        b.neighbours(code("2523")).into_iter().collect::<Vec<_>>(),
        [code("2521"), code("2584")]
    );
    assert!(b.neighbours(code("2417")).is_empty());
    assert_eq!(b.neighbour_pairs().len(), 2);
    let bounds = b.bounds_of([code("2521"), code("2523")]).unwrap();
    assert_eq!(
        (bounds.min_lon, bounds.max_lon, bounds.min_lat, bounds.max_lat),
        (14.0, 16.0, 62.0, 63.0)
    );
    // What a frame around them meets: themselves and the corner neighbour, not the far one.
    assert_eq!(b.meeting(&bounds), [code("2521"), code("2523"), code("2584")]);
    assert!(b.bounds_of([code("0114")]).is_none());
}

proptest::proptest! {
    /// Every position inside the fitted bounds lands inside the drawing, within the margins.
    #[test]
    fn fitted_positions_stay_within_the_margins(
        lat0 in 55.0..68.0_f64, dlat in 0.0..4.0_f64,
        lon0 in 11.0..22.0_f64, dlon in 0.0..4.0_f64,
        fx in 0.0..=1.0_f64, fy in 0.0..=1.0_f64,
        width in 50.0..800.0_f64, margin in 0.0..20.0_f64,
    ) {
        let b = Bounds { min_lon: lon0, min_lat: lat0, max_lon: lon0 + dlon, max_lat: lat0 + dlat };
        let frame = Frame::fit(b, width, margin);
        proptest::prop_assert!(frame.height.is_finite() && frame.height >= 2.0 * margin);
        let q = frame.point(p(lat0 + fy * dlat, lon0 + fx * dlon));
        let eps = 1e-6;
        proptest::prop_assert!(q.x >= margin - eps && q.x <= width - margin + eps, "{:?} {:?}", q, frame);
        proptest::prop_assert!(q.y >= margin - eps && q.y <= frame.height - margin + eps, "{:?} {:?}", q, frame);
    }
}
