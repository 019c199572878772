//! Maps for drawing: municipal borders ([`Borders`]), a [`Frame`] fitted around some of them,
//! SVG path data per municipality ([`path_data`]) and a label placer ([`place_labels`]).
//!
//! The projection is equirectangular, scaled by the cosine of the frame's middle latitude: at the
//! region's latitudes (62–69° N) it keeps shapes recognisable and is exact enough for an overview
//! map. Everything is in drawing units (origin top left, y downwards); the caller chooses the
//! drawing's width and the SVG `viewBox` follows the frame.

mod borders;
mod labels;

pub use borders::{Area, Borders, Polygon, Ring, RingError};
pub use labels::{place_labels, LabelRequest, PlacedLabel, TextAnchor};

use crate::geo::Position;

/// A point on the drawing, in drawing units (origin top left, y downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// A rectangle on the drawing: top-left corner, width and height (both ≥ 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    /// The square of half-side `r` around `p` (a mark on the map).
    pub fn around(p: Point, r: f64) -> Self {
        Self {
            x: p.x - r,
            y: p.y - r,
            w: 2.0 * r,
            h: 2.0 * r,
        }
    }

    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Whether the two rectangles share an area (touching edges do not overlap).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right() && other.x < self.right() && self.y < other.bottom() && other.y < self.bottom()
    }

    /// Whether `self` lies wholly inside `outer` (edges may touch).
    pub fn inside(&self, outer: &Rect) -> bool {
        self.x >= outer.x && self.y >= outer.y && self.right() <= outer.right() && self.bottom() <= outer.bottom()
    }

    /// The rectangle grown by `d` on every side.
    pub fn grown(&self, d: f64) -> Self {
        Self {
            x: self.x - d,
            y: self.y - d,
            w: self.w + 2.0 * d,
            h: self.h + 2.0 * d,
        }
    }

    /// The point of the rectangle nearest to `p` (`p` itself when inside).
    pub fn nearest(&self, p: Point) -> Point {
        Point {
            x: p.x.clamp(self.x, self.right()),
            y: p.y.clamp(self.y, self.bottom()),
        }
    }

    /// Whether the segment from `a` to `b` passes through the inside of the rectangle
    /// (Liang–Barsky clipping; a segment only touching an edge does not).
    pub fn crosses(&self, a: Point, b: Point) -> bool {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        for (p, q) in [
            (-dx, a.x - self.x),
            (dx, self.right() - a.x),
            (-dy, a.y - self.y),
            (dy, self.bottom() - a.y),
        ] {
            if p == 0.0 {
                if q <= 0.0 {
                    return false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
        t1 - t0 > 1e-9
    }
}

/// A geographic bounding box in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
}

impl Bounds {
    /// The bounds of some positions; `None` when there are none.
    pub fn of(positions: impl IntoIterator<Item = Position>) -> Option<Self> {
        positions.into_iter().fold(None, |acc: Option<Bounds>, p| {
            let one = Bounds {
                min_lon: p.lon,
                min_lat: p.lat,
                max_lon: p.lon,
                max_lat: p.lat,
            };
            Some(acc.map_or(one, |b| b.union(&one)))
        })
    }

    pub fn union(&self, other: &Bounds) -> Self {
        Self {
            min_lon: self.min_lon.min(other.min_lon),
            min_lat: self.min_lat.min(other.min_lat),
            max_lon: self.max_lon.max(other.max_lon),
            max_lat: self.max_lat.max(other.max_lat),
        }
    }

    /// Whether the two boxes share at least a point.
    pub fn intersects(&self, other: &Bounds) -> bool {
        self.min_lon <= other.max_lon
            && other.min_lon <= self.max_lon
            && self.min_lat <= other.max_lat
            && other.min_lat <= self.max_lat
    }
}

/// A drawing fitted around some bounds: `width` units wide, the height following the
/// geographic aspect, `margin` units free on every side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    min_lon: f64,
    max_lat: f64,
    /// cos of the middle latitude: one degree of longitude is `k` degrees of latitude wide.
    k: f64,
    /// Drawing units per degree of latitude.
    scale: f64,
    x0: f64,
    y0: f64,
}

impl Frame {
    /// Fit `bounds` into a drawing `width` units wide with `margin` units on every side: the
    /// bounds' east–west extent fills the width between the margins and the height follows. A
    /// box with no east–west extent (one point, a meridian) is drawn as a square.
    pub fn fit(bounds: Bounds, width: f64, margin: f64) -> Self {
        let k = ((bounds.min_lat + bounds.max_lat) / 2.0).to_radians().cos();
        let span_x = (bounds.max_lon - bounds.min_lon) * k;
        let span_y = bounds.max_lat - bounds.min_lat;
        let inner = (width - 2.0 * margin).max(1.0);
        let span = if span_x > 1e-9 { span_x } else { span_y.max(1e-9) };
        let scale = inner / span;
        let height = span_y * scale + 2.0 * margin;
        let height = if span_x > 1e-9 { height } else { height.max(width) };
        Self {
            width,
            height,
            min_lon: bounds.min_lon,
            max_lat: bounds.max_lat,
            k,
            scale,
            x0: margin + (inner - span_x * scale) / 2.0,
            y0: margin + (height - 2.0 * margin - span_y * scale) / 2.0,
        }
    }

    /// Where a position is drawn.
    pub fn point(&self, p: Position) -> Point {
        Point {
            x: self.x0 + (p.lon - self.min_lon) * self.k * self.scale,
            y: self.y0 + (self.max_lat - p.lat) * self.scale,
        }
    }

    /// The whole drawing as a rectangle.
    pub fn rect(&self) -> Rect {
        Rect {
            x: 0.0,
            y: 0.0,
            w: self.width,
            h: self.height,
        }
    }

    /// The geographic area the drawing shows, margins included: what lies outside it is not seen.
    pub fn visible(&self) -> Bounds {
        let lon = |x: f64| self.min_lon + (x - self.x0) / (self.k * self.scale);
        let lat = |y: f64| self.max_lat - (y - self.y0) / self.scale;
        Bounds {
            min_lon: lon(0.0),
            max_lon: lon(self.width),
            min_lat: lat(self.height),
            max_lat: lat(0.0),
        }
    }
}

/// SVG path data of an area on the frame: one closed subpath (`M … Z`) per ring, coordinates
/// with one decimal, points that round to the one before left out.
pub fn path_data(area: &Area, frame: &Frame) -> String {
    use std::fmt::Write;
    let mut d = String::new();
    for ring in area.polygons.iter().flat_map(|p| p.rings()) {
        let mut last: Option<(i64, i64)> = None;
        let mut first = true;
        for &p in ring.positions() {
            let q = frame.point(p);
            let r = ((q.x * 10.0).round() as i64, (q.y * 10.0).round() as i64);
            if last == Some(r) {
                continue;
            }
            last = Some(r);
            let cmd = if first { 'M' } else { 'L' };
            first = false;
            let _ = write!(d, "{cmd}{} {}", tenths(r.0), tenths(r.1));
        }
        if !first {
            d.push('Z');
        }
    }
    d
}

/// `n` tenths as a decimal number without a needless `.0`.
fn tenths(n: i64) -> String {
    let (sign, n) = if n < 0 { ("-", -n) } else { ("", n) };
    match n % 10 {
        0 => format!("{sign}{}", n / 10),
        f => format!("{sign}{}.{f}", n / 10),
    }
}

#[cfg(test)]
mod tests;
