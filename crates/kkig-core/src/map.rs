//! Drawing the region on a flat map (server-rendered SVG): a projection of positions, the
//! municipalities' borders as SVG path data, and a label placer that keeps names apart.
//!
//! An equirectangular projection scaled by the cosine of the middle latitude: at the region's
//! latitudes (62–68° N) it keeps shapes recognisable and is exact enough for a locator map.
//! Everything here is pure: the borders come in as data ([`Borders`], parsed by `kkig-formats`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use crate::codes::Kommunkod;
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

/// A projection fitted to a set of positions: maps any position onto the drawing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    min_lon: f64,
    max_lat: f64,
    k: f64,
    scale: f64,
    x_offset: f64,
    margin: f64,
}

impl Frame {
    /// Fit a drawing `width` units wide with `margin` units on every side around `positions`.
    /// The height follows from the geographic aspect ratio. No positions give an empty drawing
    /// `2 × margin` high.
    pub fn fit<'a>(positions: impl IntoIterator<Item = &'a Position>, width: f64, margin: f64) -> Frame {
        let (mut min_lat, mut max_lat) = (f64::INFINITY, f64::NEG_INFINITY);
        let (mut min_lon, mut max_lon) = (f64::INFINITY, f64::NEG_INFINITY);
        for p in positions {
            min_lat = min_lat.min(p.lat);
            max_lat = max_lat.max(p.lat);
            min_lon = min_lon.min(p.lon);
            max_lon = max_lon.max(p.lon);
        }
        if !min_lat.is_finite() {
            return Frame {
                width,
                height: 2.0 * margin,
                min_lon: 0.0,
                max_lat: 0.0,
                k: 1.0,
                scale: 1.0,
                x_offset: margin,
                margin,
            };
        }
        let k = ((min_lat + max_lat) / 2.0).to_radians().cos();
        let span_x = ((max_lon - min_lon) * k).max(1e-9);
        let span_y = (max_lat - min_lat).max(1e-9);
        let inner = (width - 2.0 * margin).max(1.0);
        let scale = inner / span_x.max(span_y);
        let height = span_y * scale + 2.0 * margin;
        let x_offset = margin + (inner - span_x * scale) / 2.0;
        Frame {
            width,
            height,
            min_lon,
            max_lat,
            k,
            scale,
            x_offset,
            margin,
        }
    }

    /// Where `p` falls on the drawing.
    pub fn point(&self, p: &Position) -> Point {
        Point {
            x: self.x_offset + (p.lon - self.min_lon) * self.k * self.scale,
            y: self.margin + (self.max_lat - p.lat) * self.scale,
        }
    }
}

/// Project `positions` into a drawing `width` units wide with `margin` units on every side.
/// The height follows from the geographic aspect ratio. Empty input gives an empty drawing.
pub fn project(positions: &[Position], width: f64, margin: f64) -> Projection {
    let frame = Frame::fit(positions, width, margin);
    Projection {
        width: frame.width,
        height: frame.height,
        points: positions.iter().map(|p| frame.point(p)).collect(),
    }
}

/// One closed ring of a municipality's outline (first point repeated last, as in GeoJSON).
pub type Ring = Vec<Position>;

/// The municipalities' borders: for each kommunkod its outer rings (one per island; the
/// reference outlines have no holes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Borders {
    pub shapes: BTreeMap<Kommunkod, Vec<Ring>>,
}

/// A vertex as an exact key (the reference file has 4 decimals; neighbours share vertices).
fn vertex_key(p: &Position) -> (i64, i64) {
    ((p.lat * 1e4).round() as i64, (p.lon * 1e4).round() as i64)
}

impl Borders {
    /// The municipalities that share a border vertex with one of `of`, not counting `of`
    /// themselves. The reference outlines come from one topologically clean file, so
    /// neighbours share their border's vertices exactly.
    pub fn neighbours(&self, of: &BTreeSet<Kommunkod>) -> BTreeSet<Kommunkod> {
        let mut owners: HashMap<(i64, i64), Vec<Kommunkod>> = HashMap::new();
        for (code, rings) in &self.shapes {
            for p in rings.iter().flatten() {
                let v = owners.entry(vertex_key(p)).or_default();
                if v.last() != Some(code) {
                    v.push(*code);
                }
            }
        }
        let mut out = BTreeSet::new();
        for codes in owners.values() {
            if codes.iter().any(|c| of.contains(c)) {
                out.extend(codes.iter().filter(|c| !of.contains(c)).copied());
            }
        }
        out
    }

    /// Every vertex of the named municipalities (for fitting a [`Frame`]).
    pub fn vertices<'a>(&'a self, codes: &'a BTreeSet<Kommunkod>) -> impl Iterator<Item = &'a Position> + 'a {
        codes
            .iter()
            .filter_map(|c| self.shapes.get(c))
            .flat_map(|rings| rings.iter().flatten())
    }
}

/// SVG path data for `rings` on `frame`: one `M … Z` subpath per ring, coordinates with one
/// decimal, consecutive points that round to the same place dropped.
pub fn path_data(frame: &Frame, rings: &[Ring]) -> String {
    let mut d = String::new();
    for ring in rings {
        let mut last: Option<(i64, i64)> = None;
        let mut n = 0;
        for p in ring {
            let q = frame.point(p);
            let key = ((q.x * 10.0).round() as i64, (q.y * 10.0).round() as i64);
            if last == Some(key) {
                continue;
            }
            last = Some(key);
            let cmd = if n == 0 { 'M' } else { 'L' };
            if !d.is_empty() && n == 0 {
                d.push(' ');
            }
            let _ = write!(d, "{cmd}{:.1} {:.1}", q.x, q.y);
            n += 1;
        }
        if n > 0 {
            d.push('Z');
        }
    }
    d
}

/// An axis-aligned rectangle on the drawing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    /// Whether the two rectangles share any area (touching edges do not count).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    /// Whether `self` lies wholly inside `o`.
    pub fn inside(&self, o: &Rect) -> bool {
        self.x >= o.x && self.y >= o.y && self.x + self.w <= o.x + o.w && self.y + self.h <= o.y + o.h
    }

    /// The point of the rectangle nearest to `p`.
    pub fn nearest(&self, p: Point) -> Point {
        Point {
            x: p.x.clamp(self.x, self.x + self.w),
            y: p.y.clamp(self.y, self.y + self.h),
        }
    }
}

/// A mark on the map (a seat town's circle or a campus square), as a centre and a radius.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    pub at: Point,
    pub r: f64,
}

impl Mark {
    pub fn rect(&self) -> Rect {
        Rect {
            x: self.at.x - self.r,
            y: self.at.y - self.r,
            w: 2.0 * self.r,
            h: 2.0 * self.r,
        }
    }
}

/// Which end of a label `x` names (SVG `text-anchor`): the side towards its mark, so that a
/// text narrower than its estimate still sits next to the mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    pub fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// A label placed by [`place_labels`]: draw `text` with `text-anchor` = `anchor` at (`x`,
/// `baseline`); `bbox` is the space it was given; `leader` runs from the mark's edge to the
/// label when the label was moved away from its mark.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub text: String,
    pub anchor: Anchor,
    pub x: f64,
    pub baseline: f64,
    pub bbox: Rect,
    pub leader: Option<(Point, Point)>,
}

/// The placed labels and the height of the drawing (grown if a label had to go below it).
#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    pub labels: Vec<Label>,
    pub height: f64,
}

/// Estimated size of a label: average glyph width 0.6 × font size per character (generous
/// for proportional sans-serif fonts), height 1.2 × font size.
pub fn label_size(text: &str, font_size: f64) -> (f64, f64) {
    (text.chars().count() as f64 * font_size * 0.6, font_size * 1.2)
}

/// Place one label per mark (`texts[i]` belongs to `marks[i]`) inside `width × height` so that
/// no label overlaps another label or any mark. Greedy, in the order given: each label tries
/// right, left, above, below and the four diagonals of its mark, first touching the mark and
/// then further out (with a leader line); if none is free it goes to a free place below the
/// drawing, which grows (leader line included). Labels of marks outside the drawing are placed
/// the same way.
pub fn place_labels(marks: &[Mark], texts: &[String], font_size: f64, width: f64, height: f64) -> Labels {
    let gap = font_size * 0.25;
    let obstacles: Vec<Rect> = marks.iter().map(Mark::rect).collect();
    let mut placed: Vec<Rect> = Vec::new();
    let mut labels = Vec::new();
    let mut extra_rows: Vec<f64> = Vec::new(); // next free x in each extra row below the map
    let view = Rect {
        x: 0.0,
        y: 0.0,
        w: width,
        h: height,
    };
    for (mark, text) in marks.iter().zip(texts) {
        let (w, h) = label_size(text, font_size);
        let free = |r: &Rect, placed: &[Rect]| {
            r.inside(&view) && !obstacles.iter().any(|o| o.overlaps(r)) && !placed.iter().any(|o| o.overlaps(r))
        };
        let mut found = None;
        'steps: for step in 0..6 {
            let d = mark.r + gap + step as f64 * font_size;
            let (cx, cy) = (mark.at.x, mark.at.y);
            let diag = d * std::f64::consts::FRAC_1_SQRT_2;
            use Anchor::{End, Middle, Start};
            let candidates = [
                (cx + d, cy - h / 2.0, Start),       // right
                (cx - d - w, cy - h / 2.0, End),     // left
                (cx - w / 2.0, cy - d - h, Middle),  // above
                (cx - w / 2.0, cy + d, Middle),      // below
                (cx + diag, cy - diag - h, Start),   // above right
                (cx - diag - w, cy - diag - h, End), // above left
                (cx + diag, cy + diag, Start),       // below right
                (cx - diag - w, cy + diag, End),     // below left
            ];
            for (x, y, anchor) in candidates {
                let r = Rect { x, y, w, h };
                if free(&r, &placed) {
                    found = Some((r, step > 0, anchor));
                    break 'steps;
                }
            }
        }
        let (rect, leader, anchor) = match found {
            Some(f) => f,
            None => {
                // Below the drawing, in rows of labels, each at the first free x.
                let row = extra_rows.iter().position(|next_x| next_x + w <= width);
                let row = match row {
                    Some(i) => i,
                    None => {
                        extra_rows.push(gap);
                        extra_rows.len() - 1
                    }
                };
                let r = Rect {
                    x: extra_rows[row].min((width - w).max(0.0)),
                    y: height + gap + row as f64 * (h + gap),
                    w,
                    h,
                };
                extra_rows[row] = r.x + w + 2.0 * gap;
                (r, true, Anchor::Start)
            }
        };
        let leader = leader.then(|| {
            let to = rect.nearest(mark.at);
            let (dx, dy) = (to.x - mark.at.x, to.y - mark.at.y);
            let len = (dx * dx + dy * dy).sqrt().max(1e-9);
            let from = Point {
                x: mark.at.x + dx / len * mark.r,
                y: mark.at.y + dy / len * mark.r,
            };
            (from, to)
        });
        placed.push(rect);
        labels.push(Label {
            text: text.clone(),
            anchor,
            x: match anchor {
                Anchor::Start => rect.x,
                Anchor::Middle => rect.x + rect.w / 2.0,
                Anchor::End => rect.x + rect.w,
            },
            baseline: rect.y + font_size * 0.95,
            bbox: rect,
            leader,
        });
    }
    let grown = if extra_rows.is_empty() {
        height
    } else {
        height + gap + extra_rows.len() as f64 * (label_size("", font_size).1 + gap)
    };
    Labels { labels, height: grown }
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

    fn code(s: &str) -> Kommunkod {
        Kommunkod::parse(s).unwrap()
    }

    fn square(lat: f64, lon: f64) -> Ring {
        vec![
            p(lat, lon),
            p(lat, lon + 1.0),
            p(lat + 1.0, lon + 1.0),
            p(lat + 1.0, lon),
            p(lat, lon),
        ]
    }

    #[test]
    fn project_is_the_frame_fitted_to_the_points() {
        let pts = [p(65.0, 18.0), p(66.0, 20.0)];
        let frame = Frame::fit(&pts, 300.0, 10.0);
        let pr = project(&pts, 300.0, 10.0);
        assert_eq!(pr.height, frame.height);
        assert_eq!(pr.points, pts.iter().map(|q| frame.point(q)).collect::<Vec<_>>());
    }

    #[test]
    fn path_data_has_one_closed_subpath_per_ring() {
        let rings = vec![square(65.0, 18.0), square(60.0, 18.0)];
        let all: Vec<Position> = rings.iter().flatten().copied().collect();
        let frame = Frame::fit(&all, 100.0, 0.0);
        let d = path_data(&frame, &rings);
        assert_eq!(d.matches('M').count(), 2, "{d}");
        assert_eq!(d.matches('Z').count(), 2, "{d}");
        assert!(d.starts_with("M"), "{d}");
        // The top-left corner of the northern square is the drawing's top edge.
        assert!(d.contains(" 0.0"), "{d}");
        assert_eq!(path_data(&frame, &[]), "");
    }

    #[test]
    fn neighbours_share_a_vertex() {
        // A | B | C in a row, D far away.
        let borders = Borders {
            shapes: [
                (code("2482"), vec![square(64.0, 18.0)]),
                (code("2506"), vec![square(64.0, 19.0)]),
                (code("2505"), vec![square(64.0, 20.0)]),
                (code("2425"), vec![square(60.0, 10.0)]),
            ]
            .into_iter()
            .collect(),
        };
        let of: BTreeSet<_> = [code("2482")].into_iter().collect();
        assert_eq!(borders.neighbours(&of), [code("2506")].into_iter().collect());
        let of: BTreeSet<_> = [code("2506")].into_iter().collect();
        assert_eq!(
            borders.neighbours(&of),
            [code("2482"), code("2505")].into_iter().collect()
        );
        assert_eq!(borders.vertices(&of).count(), 5);
    }

    fn check_labels(marks: &[Mark], out: &Labels, width: f64) {
        let view = Rect {
            x: 0.0,
            y: 0.0,
            w: width,
            h: out.height,
        };
        for (i, a) in out.labels.iter().enumerate() {
            assert!(a.bbox.inside(&view), "{a:?} outside {view:?}");
            for b in &out.labels[i + 1..] {
                assert!(!a.bbox.overlaps(&b.bbox), "{a:?} overlaps {b:?}");
            }
            for m in marks {
                assert!(!a.bbox.overlaps(&m.rect()), "{a:?} overlaps mark {m:?}");
            }
        }
    }

    struct Case {
        what: &'static str,
        towns: &'static [(&'static str, f64, f64)],
    }

    #[test]
    fn labels_of_close_towns_do_not_collide() {
        let cases = [
            Case {
                what: "Pajala and Gällivare",
                towns: &[
                    ("Gällivare", 67.1339, 20.6528),
                    ("Pajala", 67.2078, 23.3794),
                    ("Kiruna", 67.8558, 20.2253),
                ],
            },
            Case {
                what: "Lycksele and Norsjö",
                towns: &[
                    ("Lycksele", 64.5954, 18.6735),
                    ("Norsjö", 64.9114, 19.4826),
                    ("Skellefteå", 64.7507, 20.9528),
                ],
            },
            Case {
                what: "one place three times: two labels move away with a leader",
                towns: &[
                    ("Alfa", 65.0, 18.0),
                    ("Beta", 65.0, 18.0),
                    ("Gamma", 65.0, 18.0),
                    ("Far", 66.0, 20.0),
                ],
            },
        ];
        for case in cases {
            let pts: Vec<Position> = case.towns.iter().map(|t| p(t.1, t.2)).collect();
            let pr = project(&pts, 200.0, 20.0);
            let marks: Vec<Mark> = pr.points.iter().map(|&at| Mark { at, r: 5.0 }).collect();
            let texts: Vec<String> = case.towns.iter().map(|t| t.0.to_string()).collect();
            let out = place_labels(&marks, &texts, 12.0, pr.width, pr.height);
            assert_eq!(out.labels.len(), texts.len(), "{}", case.what);
            check_labels(&marks, &out, pr.width);
        }
    }

    #[test]
    fn a_free_label_sits_right_of_its_mark_without_a_leader() {
        let marks = [Mark {
            at: Point { x: 50.0, y: 50.0 },
            r: 4.0,
        }];
        let out = place_labels(&marks, &["Kiruna".to_string()], 10.0, 200.0, 100.0);
        let l = &out.labels[0];
        assert!(l.x > 54.0 && l.x < 60.0, "{l:?}");
        assert_eq!(l.anchor, Anchor::Start);
        assert!(l.leader.is_none());
        assert_eq!(out.height, 100.0);
    }

    #[test]
    fn a_crowded_label_moves_away_with_a_leader_or_below_the_map() {
        // Ten marks on one spot in a small drawing: every label still gets its own place.
        let marks: Vec<Mark> = (0..10)
            .map(|_| Mark {
                at: Point { x: 40.0, y: 30.0 },
                r: 4.0,
            })
            .collect();
        let texts: Vec<String> = (0..10).map(|i| format!("Town {i}")).collect();
        let out = place_labels(&marks, &texts, 10.0, 120.0, 60.0);
        check_labels(&marks, &out, 120.0);
        assert!(out.labels[0].leader.is_none());
        // Eight fit around the mark; the others move out with a leader line.
        assert!(out.labels.iter().filter(|l| l.leader.is_some()).count() >= 2);
        assert!(out.height > 60.0, "some labels had to go below: {}", out.height);
    }

    proptest::proptest! {
        #[test]
        fn labels_never_overlap_and_stay_inside(
            towns in proptest::collection::vec((0.0f64..1.0, 0.0f64..1.0, 1usize..14, 2.0f64..12.0), 0..25),
            width in 150.0f64..500.0,
            height in 150.0f64..600.0,
            font in 8.0f64..14.0,
        ) {
            let marks: Vec<Mark> = towns
                .iter()
                .map(|t| Mark { at: Point { x: 10.0 + t.0 * (width - 20.0), y: 10.0 + t.1 * (height - 20.0) }, r: t.3.min(8.0) })
                .collect();
            let texts: Vec<String> = towns.iter().map(|t| "Å".repeat(t.2)).collect();
            let out = place_labels(&marks, &texts, font, width, height);
            proptest::prop_assert_eq!(out.labels.len(), marks.len());
            proptest::prop_assert!(out.height >= height);
            check_labels(&marks, &out, width);
        }
    }
}
