//! A greedy label placer: each label beside its mark (right, left, above, below, then the
//! diagonals), else further out with a leader line to its mark, else not at all (the caller
//! lists it below the map); labels left without room get a new round in front of the others. Labels never overlap each other or any mark, stay inside the frame,
//! and no leader line passes through a label, a mark or another leader.

use super::{Point, Rect};

/// The gap between a mark's edge and its label.
const GAP: f64 = 2.0;
/// The room kept between two labels.
const SPACING: f64 = 1.0;
/// How many steps further out a label may stand, with a leader line to its mark.
const LEADER_STEPS: usize = 4;

/// A label to place beside its mark.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelRequest {
    /// The mark's centre.
    pub at: Point,
    /// Half the mark's size: the mark covers the square of this half-side around `at`.
    pub clearance: f64,
    /// The label's size on the drawing (the caller's estimate of its text).
    pub width: f64,
    pub height: f64,
}

/// How the text is anchored at its x position: towards the mark, so that a text a little longer
/// than estimated grows away from the mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextAnchor {
    Start,
    Middle,
    End,
}

impl TextAnchor {
    /// The SVG `text-anchor` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Middle => "middle",
            Self::End => "end",
        }
    }
}

/// Where a label goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedLabel {
    /// The room the label takes.
    pub rect: Rect,
    pub anchor: TextAnchor,
    /// From the mark's edge to the label, when the label stands away from its mark.
    pub leader: Option<(Point, Point)>,
}

impl PlacedLabel {
    /// The x position of the text for its anchor.
    pub fn text_x(&self) -> f64 {
        match self.anchor {
            TextAnchor::Start => self.rect.x,
            TextAnchor::Middle => self.rect.x + self.rect.w / 2.0,
            TextAnchor::End => self.rect.right(),
        }
    }
}

/// Where a label stands, tried in this order: right, left, above, below, the diagonals, and
/// above and below again, reaching out to the right and to the left from the mark.
#[derive(Clone, Copy)]
struct Spot {
    dx: i8,
    dy: i8,
    /// Above and below: which way the label reaches from the mark (its anchor).
    reach: TextAnchor,
}

const fn spot(dx: i8, dy: i8, reach: TextAnchor) -> Spot {
    Spot { dx, dy, reach }
}

const SPOTS: [Spot; 12] = {
    use TextAnchor::{End, Middle, Start};
    [
        spot(1, 0, Start),
        spot(-1, 0, End),
        spot(0, -1, Middle),
        spot(0, 1, Middle),
        spot(1, -1, Start),
        spot(-1, -1, End),
        spot(1, 1, Start),
        spot(-1, 1, End),
        spot(0, -1, Start),
        spot(0, -1, End),
        spot(0, 1, Start),
        spot(0, 1, End),
    ]
};

/// How many times the labels left without room are moved to the front and all placed again.
const ROUNDS: usize = 4;

/// Place `labels` inside `frame`. The answer has one entry per label, in order: `None` for a
/// label that found no room (list it beside the map). Labels earlier in the list get the better
/// places: every label is first tried beside its mark, and only then are the rest tried further
/// out with leader lines. When some find no room, they go first in a new round (at most
/// [`ROUNDS`] more), and the round that places the most labels is kept.
pub fn place_labels(frame: Rect, labels: &[LabelRequest]) -> Vec<Option<PlacedLabel>> {
    let marks: Vec<Rect> = labels.iter().map(|l| Rect::around(l.at, l.clearance)).collect();
    let mut order: Vec<usize> = (0..labels.len()).collect();
    let mut best = greedy(frame, labels, &marks, &order);
    let count = |p: &[Option<PlacedLabel>]| p.iter().flatten().count();
    for _ in 0..ROUNDS {
        let (unplaced, placed): (Vec<usize>, Vec<usize>) = order.iter().partition(|&&i| best[i].is_none());
        if unplaced.is_empty() {
            break;
        }
        order = unplaced.into_iter().chain(placed).collect();
        let next = greedy(frame, labels, &marks, &order);
        if count(&next) > count(&best) {
            best = next;
        }
    }
    best
}

/// One greedy round in the given order.
fn greedy(frame: Rect, labels: &[LabelRequest], marks: &[Rect], order: &[usize]) -> Vec<Option<PlacedLabel>> {
    let mut placed: Vec<Option<PlacedLabel>> = vec![None; labels.len()];
    for step in 0..=LEADER_STEPS {
        for &i in order {
            let label = &labels[i];
            if placed[i].is_some() || !(label.width.is_finite() && label.height.is_finite()) {
                continue;
            }
            placed[i] = SPOTS
                .iter()
                .map(|&spot| candidate(label, spot, step))
                .find(|c| fits(c, i, frame, marks, &placed));
        }
    }
    placed
}

/// The label `step`s out from its mark at `spot` (step 0: right beside it).
fn candidate(label: &LabelRequest, spot: Spot, step: usize) -> PlacedLabel {
    let (w, h, at, r) = (label.width.max(0.0), label.height.max(0.0), label.at, label.clearance);
    let gap = r + GAP + step as f64 * h;
    let x = match (spot.dx, spot.reach) {
        (1, _) => at.x + gap,
        (-1, _) => at.x - gap - w,
        (_, TextAnchor::Start) => at.x - r,
        (_, TextAnchor::End) => at.x + r - w,
        _ => at.x - w / 2.0,
    };
    let y = match spot.dy {
        -1 => at.y - gap - h,
        1 => at.y + gap,
        _ => at.y - h / 2.0,
    };
    let rect = Rect { x, y, w, h };
    let leader = (step > 0).then(|| {
        let (ux, uy) = (f64::from(spot.dx), f64::from(spot.dy));
        let norm = (ux * ux + uy * uy).sqrt();
        let start = Point {
            x: at.x + ux / norm * r,
            y: at.y + uy / norm * r,
        };
        (start, rect.nearest(at))
    });
    PlacedLabel {
        rect,
        anchor: spot.reach,
        leader,
    }
}

/// Whether label `i` may stand at `c` given the marks and the labels placed so far.
fn fits(c: &PlacedLabel, i: usize, frame: Rect, marks: &[Rect], placed: &[Option<PlacedLabel>]) -> bool {
    if !c.rect.inside(&frame) || marks.iter().any(|m| c.rect.overlaps(m)) {
        return false;
    }
    let others = placed.iter().flatten();
    for o in others {
        if c.rect.overlaps(&o.rect.grown(SPACING)) {
            return false;
        }
        if let Some((a, b)) = o.leader {
            if c.rect.crosses(a, b) {
                return false;
            }
        }
    }
    let Some((a, b)) = c.leader else {
        return true;
    };
    let through_mark = marks.iter().enumerate().any(|(j, m)| j != i && m.crosses(a, b));
    let through_label = placed.iter().flatten().any(|o| o.rect.crosses(a, b));
    let across_leader = placed
        .iter()
        .flatten()
        .filter_map(|o| o.leader)
        .any(|(p, q)| segments_cross(a, b, p, q));
    !(through_mark || through_label || across_leader)
}

/// Whether two segments cross or touch.
fn segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool {
    let orient = |p: Point, q: Point, r: Point| (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
    let on = |p: Point, q: Point, r: Point| {
        r.x >= p.x.min(q.x) && r.x <= p.x.max(q.x) && r.y >= p.y.min(q.y) && r.y <= p.y.max(q.y)
    };
    let (d1, d2) = (orient(c, d, a), orient(c, d, b));
    let (d3, d4) = (orient(a, b, c), orient(a, b, d));
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0)) && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0)) {
        return true;
    }
    (d1 == 0.0 && on(c, d, a)) || (d2 == 0.0 && on(c, d, b)) || (d3 == 0.0 && on(a, b, c)) || (d4 == 0.0 && on(a, b, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(x: f64, y: f64, w: f64) -> LabelRequest {
        LabelRequest {
            at: Point { x, y },
            clearance: 4.0,
            width: w,
            height: 14.0,
        }
    }

    const FRAME: Rect = Rect {
        x: 0.0,
        y: 0.0,
        w: 400.0,
        h: 600.0,
    };

    #[test]
    fn a_lone_label_goes_right_of_its_mark_and_is_anchored_there() {
        let out = place_labels(FRAME, &[label(100.0, 100.0, 50.0)]);
        let p = out[0].unwrap();
        assert_eq!(p.anchor, TextAnchor::Start);
        assert_eq!(
            p.rect,
            Rect {
                x: 106.0,
                y: 93.0,
                w: 50.0,
                h: 14.0
            }
        );
        assert_eq!(p.text_x(), 106.0);
        assert_eq!(p.leader, None);
    }

    #[test]
    fn near_the_right_edge_the_label_goes_left_anchored_at_its_end() {
        let p = place_labels(FRAME, &[label(380.0, 100.0, 50.0)])[0].unwrap();
        assert_eq!(p.anchor, TextAnchor::End);
        assert_eq!(p.text_x(), 374.0);
        assert!(p.rect.inside(&FRAME));
    }

    #[test]
    fn two_close_marks_get_labels_that_do_not_collide() {
        // Like Lycksele and Norsjö, or Pajala and Gällivare: marks 20 units apart, long names.
        let labels = [label(200.0, 300.0, 70.0), label(215.0, 288.0, 60.0)];
        let out = place_labels(FRAME, &labels);
        let (a, b) = (out[0].unwrap(), out[1].unwrap());
        assert!(!a.rect.overlaps(&b.rect), "{a:?} {b:?}");
        for m in labels.iter().map(|l| Rect::around(l.at, l.clearance)) {
            assert!(!a.rect.overlaps(&m) && !b.rect.overlaps(&m));
        }
    }

    #[test]
    fn crowded_marks_get_leader_lines_and_what_does_not_fit_is_left_out() {
        // A column of ten marks 6 units apart: beside them there is room for a few labels, the
        // rest stand further out with leader lines.
        let labels: Vec<_> = (0..10).map(|i| label(200.0, 100.0 + 6.0 * i as f64, 40.0)).collect();
        let out = place_labels(FRAME, &labels);
        assert!(out.iter().all(Option::is_some), "{out:?}");
        assert!(out.iter().flatten().any(|p| p.leader.is_some()), "{out:?}");
        let placed: Vec<_> = out.iter().flatten().collect();
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!a.rect.overlaps(&b.rect), "{a:?} {b:?}");
            }
        }
        // Nine marks in a 3×3 grid 12 units apart: the middle one is boxed in and left to the
        // list, as is a label too long for its frame.
        let grid: Vec<_> = (0..9)
            .map(|i| label(56.0 + 12.0 * (i % 3) as f64, 48.0 + 12.0 * (i / 3) as f64, 30.0))
            .collect();
        assert_eq!(place_labels(FRAME, &grid)[4], None);
        let tiny = Rect {
            x: 0.0,
            y: 0.0,
            w: 20.0,
            h: 20.0,
        };
        assert!(place_labels(tiny, &[label(10.0, 10.0, 30.0)])[0].is_none());
    }

    #[test]
    fn segments() {
        let p = |x, y| Point { x, y };
        assert!(segments_cross(p(0.0, 0.0), p(2.0, 2.0), p(0.0, 2.0), p(2.0, 0.0)));
        assert!(!segments_cross(p(0.0, 0.0), p(1.0, 0.0), p(0.0, 1.0), p(1.0, 1.0)));
        assert!(
            segments_cross(p(0.0, 0.0), p(2.0, 0.0), p(1.0, 0.0), p(1.0, 3.0)),
            "touching"
        );
        let r = Rect {
            x: 0.0,
            y: 0.0,
            w: 10.0,
            h: 10.0,
        };
        assert!(r.crosses(p(-5.0, 5.0), p(15.0, 5.0)));
        assert!(r.crosses(p(5.0, 5.0), p(5.0, 6.0)), "inside");
        assert!(!r.crosses(p(-5.0, -1.0), p(15.0, -1.0)));
        assert!(!r.crosses(p(-5.0, 0.0), p(15.0, 0.0)), "along an edge");
        assert!(!r.crosses(p(10.0, 5.0), p(20.0, 5.0)), "from an edge outwards");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Whatever the marks and names: placed labels are inside the frame, overlap neither
        /// each other nor any mark, and leader lines cross no label, no other mark and no other
        /// leader; every label is placed or left for the list, and the same input gives the
        /// same answer.
        #[test]
        fn placed_labels_never_collide(
            w in 60.0..500.0_f64,
            h in 60.0..700.0_f64,
            raw in proptest::collection::vec((0.0..1.0_f64, 0.0..1.0_f64, 1.0..120.0_f64, 1.0..8.0_f64), 0..40),
        ) {
            let frame = Rect { x: 0.0, y: 0.0, w, h };
            let labels: Vec<LabelRequest> = raw
                .iter()
                .map(|&(fx, fy, lw, r)| LabelRequest { at: Point { x: fx * w, y: fy * h }, clearance: r, width: lw, height: 14.0 })
                .collect();
            let out = place_labels(frame, &labels);
            proptest::prop_assert_eq!(out.len(), labels.len());
            proptest::prop_assert_eq!(&out, &place_labels(frame, &labels));
            let marks: Vec<Rect> = labels.iter().map(|l| Rect::around(l.at, l.clearance)).collect();
            for (i, a) in out.iter().enumerate() {
                let Some(a) = a else { continue };
                proptest::prop_assert!(a.rect.inside(&frame), "{:?} outside", a);
                proptest::prop_assert_eq!((a.rect.w, a.rect.h), (labels[i].width, labels[i].height));
                for m in &marks {
                    proptest::prop_assert!(!a.rect.overlaps(m), "{:?} covers mark {:?}", a, m);
                }
                for (j, b) in out.iter().enumerate() {
                    let Some(b) = b else { continue };
                    if i == j { continue; }
                    proptest::prop_assert!(!a.rect.overlaps(&b.rect), "{:?} overlaps {:?}", a, b);
                    if let Some((p, q)) = b.leader {
                        proptest::prop_assert!(!a.rect.crosses(p, q), "leader of {:?} crosses {:?}", b, a);
                        if let Some((r, s)) = a.leader {
                            proptest::prop_assert!(!segments_cross(p, q, r, s), "leaders cross");
                        }
                    }
                }
                if let Some((p, q)) = a.leader {
                    for (j, m) in marks.iter().enumerate() {
                        proptest::prop_assert!(j == i || !m.crosses(p, q), "leader of {:?} crosses mark {:?}", a, m);
                    }
                }
            }
        }
    }
}
