//! The region's map as server-rendered SVG: municipal borders (participants shaded, their
//! neighbours and the campus towns' municipalities grey), seat and campus towns marked, and
//! labels placed without collisions ([`kkig_core::map::place_labels`]). Used by the start page
//! and the forecast map.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use kkig_core::map::{path_data, place_labels, Borders, Frame, Mark};
use kkig_core::{Kommunkod, Municipality, MunicipalityRole};

/// The borders compiled into the binary, parsed once (the file is checked by kkig-formats' tests).
static BORDERS: LazyLock<Borders> =
    LazyLock::new(|| kkig_formats::reference::embedded_borders().expect("the embedded border file parses"));

/// Drawing width in SVG units; the drawing scales to its container (`width="100%"`).
pub const WIDTH: f64 = 440.0;
const MARGIN: f64 = 6.0;
const FONT_SIZE: f64 = 11.0;
/// Fill of municipalities that are drawn for orientation only.
pub const NEIGHBOUR_FILL: &str = "#dcdfdd";

/// One municipality's outline.
pub struct Shape {
    pub d: String,
    pub fill: String,
    pub participant: bool,
}

/// A town on the map: a circle for a participant's seat, a square for a campus town.
pub struct TownMark {
    pub x: String,
    pub y: String,
    pub square_x: String,
    pub square_y: String,
    pub campus: bool,
}

pub struct LabelView {
    pub anchor: &'static str,
    pub x: String,
    pub y: String,
    pub text: String,
    /// x1, y1, x2, y2 of the leader line, when the label was moved away from its town.
    pub leader: Option<[String; 4]>,
}

pub struct SvgMap {
    pub width: String,
    pub height: String,
    pub shapes: Vec<Shape>,
    pub marks: Vec<TownMark>,
    pub labels: Vec<LabelView>,
}

/// A municipality to draw: its fill (participants) and its label.
pub struct Town<'a> {
    pub municipality: &'a Municipality,
    pub fill: &'a str,
    pub label: String,
}

fn f1(v: f64) -> String {
    format!("{v:.1}")
}

/// Draw `towns` (the region's participants and campus towns) with their neighbours.
pub fn svg_map(towns: &[Town]) -> SvgMap {
    let borders = &*BORDERS;
    let participants: BTreeSet<Kommunkod> = towns
        .iter()
        .filter(|t| t.municipality.role == MunicipalityRole::Participant)
        .map(|t| t.municipality.code)
        .collect();
    let mut drawn = borders.neighbours(&participants);
    drawn.extend(towns.iter().map(|t| t.municipality.code));
    let frame = Frame::fit(
        borders
            .vertices(&drawn)
            .chain(towns.iter().map(|t| &t.municipality.position)),
        WIDTH,
        MARGIN,
    );
    let mut shapes: Vec<Shape> = drawn
        .iter()
        .filter_map(|code| {
            let rings = borders.shapes.get(code)?;
            let town = towns
                .iter()
                .find(|t| t.municipality.code == *code && t.municipality.role == MunicipalityRole::Participant);
            Some(Shape {
                d: path_data(&frame, rings),
                fill: town.map_or(NEIGHBOUR_FILL, |t| t.fill).to_string(),
                participant: town.is_some(),
            })
        })
        .collect();
    // Participants last, so their outlines are drawn over the grey ones.
    shapes.sort_by_key(|s| s.participant);
    let points: Vec<_> = towns.iter().map(|t| frame.point(&t.municipality.position)).collect();
    let marks: Vec<Mark> = towns
        .iter()
        .zip(&points)
        .map(|(t, &at)| Mark {
            at,
            r: if t.municipality.role == MunicipalityRole::Campus {
                4.5
            } else {
                3.5
            },
        })
        .collect();
    let texts: Vec<String> = towns.iter().map(|t| t.label.clone()).collect();
    let placed = place_labels(&marks, &texts, FONT_SIZE, frame.width, frame.height);
    SvgMap {
        width: format!("{:.0}", frame.width),
        height: format!("{:.0}", placed.height.ceil()),
        shapes,
        marks: towns
            .iter()
            .zip(&points)
            .map(|(t, p)| TownMark {
                x: f1(p.x),
                y: f1(p.y),
                square_x: f1(p.x - 3.5),
                square_y: f1(p.y - 3.5),
                campus: t.municipality.role == MunicipalityRole::Campus,
            })
            .collect(),
        labels: placed
            .labels
            .into_iter()
            .map(|l| LabelView {
                anchor: l.anchor.as_str(),
                x: f1(l.x),
                y: f1(l.baseline),
                text: l.text,
                leader: l.leader.map(|(a, b)| [f1(a.x), f1(a.y), f1(b.x), f1(b.y)]),
            })
            .collect(),
    }
}
