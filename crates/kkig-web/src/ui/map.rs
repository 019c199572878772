//! The region's maps as server-rendered SVG drawn from SCB's municipal borders
//! (`kkig_formats::borders`): the municipalities a page shows shaded by its figure, every other
//! municipality in the frame grey, seat towns and campus towns marked, labels placed without
//! collisions by `kkig_core::map::place_labels` (those that find no room listed below the map),
//! a legend, and a link to the table that holds the same figures. The drawing has a `viewBox`
//! and no fixed size, so it scales to any width. Used by the start page and the forecast map
//! (`templates/ui/map.html`, included by both).

use kkig_core::map::{path_data, place_labels, Borders, Bounds, Frame, LabelRequest, PlacedLabel, Point};
use kkig_core::{Kommunkod, Position};

use crate::ui::page::Chrome;

/// The drawing's width in its own units; the height follows the region's shape.
const WIDTH: f64 = 400.0;
/// Free room around the fitted municipalities.
const MARGIN: f64 = 6.0;
/// The labels' font size in drawing units.
const FONT: f64 = 13.0;
/// The width of an average character of the labels, in ems: generous for the sans-serif fonts
/// browsers use, so that a label never takes more room than the placer gave it.
const CHAR_EM: f64 = 0.62;
/// Half the size of a seat town's dot and of a campus town's square.
const SEAT_R: f64 = 3.0;
const CAMPUS_R: f64 = 4.5;

/// The fill of municipalities outside the figure (grey) and of their borders.
pub const OTHER_FILL: &str = "#d5d8d7";

/// A municipality shaded with the page's figure.
pub struct Shade {
    pub code: Kommunkod,
    pub fill: &'static str,
    /// Its name and figure, shown when pointing at it.
    pub title: String,
}

/// What kind of town a mark is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TownKind {
    /// A municipality's seat town.
    Seat,
    /// A university campus town.
    Campus,
}

/// A town marked and labelled on the map. Earlier towns get the better label places.
pub struct Town {
    pub position: Position,
    pub kind: TownKind,
    pub label: String,
}

/// An entry of the legend.
pub struct LegendItem {
    pub swatch: Swatch,
    pub label: String,
}

/// The symbol of a legend entry.
pub enum Swatch {
    Fill(&'static str),
    Seat,
    Campus,
}

impl Swatch {
    pub fn fill(&self) -> &'static str {
        match self {
            Self::Fill(f) => f,
            _ => "",
        }
    }
    pub fn is_seat(&self) -> bool {
        matches!(self, Self::Seat)
    }
    pub fn is_campus(&self) -> bool {
        matches!(self, Self::Campus)
    }
}

/// What a page asks to be drawn.
pub struct MapSpec {
    /// Prefix of the drawing's element ids (unique on the page).
    pub id: &'static str,
    pub title: String,
    pub desc: String,
    /// The municipalities the frame is fitted around (the region).
    pub frame: Vec<Kommunkod>,
    pub shaded: Vec<Shade>,
    pub towns: Vec<Town>,
    /// The page's own legend entries (its fills); the grey, seat and campus entries follow.
    pub legend: Vec<LegendItem>,
    /// The id of the table with the same figures.
    pub table_id: &'static str,
}

pub struct AreaView {
    pub d: String,
    pub fill: &'static str,
    pub title: String,
}

pub struct MarkView {
    pub campus: bool,
    pub x: String,
    pub y: String,
    /// The square's corner (campus towns).
    pub corner_x: String,
    pub corner_y: String,
}

pub struct LabelView {
    pub x: String,
    pub y: String,
    pub anchor: &'static str,
    pub text: String,
    /// The line to its mark, when the label stands away from it.
    pub leader: Option<Leader>,
}

pub struct Leader {
    pub x1: String,
    pub y1: String,
    pub x2: String,
    pub y2: String,
}

/// The drawing, ready for `templates/ui/map.html`.
pub struct MapSvg {
    pub id: &'static str,
    pub width: String,
    pub height: String,
    pub title: String,
    pub desc: String,
    pub others: Vec<String>,
    pub other_fill: &'static str,
    pub areas: Vec<AreaView>,
    pub marks: Vec<MarkView>,
    pub labels: Vec<LabelView>,
    /// Towns whose label found no room on the map.
    pub unplaced: Vec<String>,
    pub legend_heading: String,
    pub legend: Vec<LegendItem>,
    pub unplaced_heading: String,
    pub table_id: &'static str,
    pub table_link: String,
    pub source: String,
    pub seat_r: String,
    pub campus_size: String,
    pub font_size: String,
}

/// A coordinate with one decimal, without a needless `.0` (nor a `-0`).
fn n(x: f64) -> String {
    let x = if (x * 10.0).round() == 0.0 { 0.0 } else { x };
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// The frame fitted around the municipalities `around` (else around the towns), where the
/// towns are on it, and their labels placed (`None`: no room).
fn layout(
    borders: Option<&Borders>,
    around: &[Kommunkod],
    towns: &[Town],
) -> (Frame, Vec<Point>, Vec<Option<PlacedLabel>>) {
    let bounds = borders
        .and_then(|b| b.bounds_of(around.iter().copied()))
        .or_else(|| Bounds::of(towns.iter().map(|t| t.position)))
        .unwrap_or(Bounds {
            min_lon: 14.0,
            min_lat: 62.0,
            max_lon: 24.0,
            max_lat: 69.0,
        });
    let frame = Frame::fit(bounds, WIDTH, MARGIN);
    let points: Vec<Point> = towns.iter().map(|t| frame.point(t.position)).collect();
    let requests: Vec<LabelRequest> = towns
        .iter()
        .zip(&points)
        .map(|(t, p)| LabelRequest {
            at: *p,
            clearance: if t.kind == TownKind::Campus { CAMPUS_R } else { SEAT_R },
            width: t.label.chars().count() as f64 * CHAR_EM * FONT,
            height: FONT * 1.2,
        })
        .collect();
    let placed = place_labels(frame.rect(), &requests);
    (frame, points, placed)
}

/// Draw `spec` in the page's language.
pub fn draw(chrome: &Chrome, spec: MapSpec) -> MapSvg {
    let borders = match kkig_formats::borders::embedded() {
        Ok(b) => Some(b),
        Err(e) => {
            tracing::error!("the embedded municipal borders do not parse: {e}");
            None
        }
    };
    let (frame, points, placed) = layout(borders, &spec.frame, &spec.towns);
    let shaded: Vec<Kommunkod> = spec.shaded.iter().map(|s| s.code).collect();
    let (others, areas) = match borders {
        Some(b) => (
            b.meeting(&frame.visible())
                .into_iter()
                .filter(|c| !shaded.contains(c))
                .filter_map(|c| b.area(c))
                .map(|a| path_data(a, &frame))
                .collect(),
            spec.shaded
                .into_iter()
                .filter_map(|s| {
                    Some(AreaView {
                        d: path_data(b.area(s.code)?, &frame),
                        fill: s.fill,
                        title: s.title,
                    })
                })
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };

    let marks = spec
        .towns
        .iter()
        .zip(&points)
        .map(|(t, p)| MarkView {
            campus: t.kind == TownKind::Campus,
            x: n(p.x),
            y: n(p.y),
            corner_x: n(p.x - CAMPUS_R),
            corner_y: n(p.y - CAMPUS_R),
        })
        .collect();
    let mut labels = Vec::new();
    let mut unplaced = Vec::new();
    for (t, p) in spec.towns.iter().zip(&placed) {
        match p {
            Some(p) => labels.push(LabelView {
                x: n(p.text_x()),
                // The baseline: the box holds the ascent above it and the descent below.
                y: n(p.rect.y + p.rect.h * 0.78),
                anchor: p.anchor.as_str(),
                text: t.label.clone(),
                leader: p.leader.map(|(a, b)| Leader {
                    x1: n(a.x),
                    y1: n(a.y),
                    x2: n(b.x),
                    y2: n(b.y),
                }),
            }),
            None => unplaced.push(t.label.clone()),
        }
    }

    let mut legend = spec.legend;
    legend.push(LegendItem {
        swatch: Swatch::Fill(OTHER_FILL),
        label: chrome.t("map-other-municipality"),
    });
    if spec.towns.iter().any(|t| t.kind == TownKind::Seat) {
        legend.push(LegendItem {
            swatch: Swatch::Seat,
            label: chrome.t("map-seat-town"),
        });
    }
    if spec.towns.iter().any(|t| t.kind == TownKind::Campus) {
        legend.push(LegendItem {
            swatch: Swatch::Campus,
            label: chrome.t("map-campus-town"),
        });
    }
    MapSvg {
        id: spec.id,
        width: n(frame.width),
        height: n(frame.height),
        title: spec.title,
        desc: spec.desc,
        others,
        other_fill: OTHER_FILL,
        areas,
        marks,
        labels,
        unplaced,
        legend_heading: chrome.t("map-legend"),
        legend,
        unplaced_heading: chrome.t("map-unlabelled"),
        table_id: spec.table_id,
        table_link: chrome.t("map-table-link"),
        source: chrome.t("map-source"),
        seat_r: n(SEAT_R),
        campus_size: n(2.0 * CAMPUS_R),
        font_size: n(FONT),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_one_decimal_without_a_needless_zero() {
        assert_eq!(n(12.0), "12");
        assert_eq!(n(12.26), "12.3");
        assert_eq!(n(-0.04), "0");
        assert_eq!(n(-1.25), "-1.2");
    }

    /// The region's 23 towns, as the start page and the forecast map order them (participants,
    /// then the campus towns, by name), labelled with their names or with a name and the
    /// longest figure (a need like "88,8"): every label finds room, none overlaps another.
    #[test]
    fn every_town_of_the_region_is_labelled() {
        use kkig_core::text::swedish_cmp;
        let borders = kkig_formats::borders::embedded().ok();
        let reference = kkig_formats::reference::embedded().unwrap();
        let mut region: Vec<_> = reference.municipalities.iter().filter(|m| m.role.in_region()).collect();
        region.sort_by(|a, b| {
            (a.role as u8)
                .cmp(&(b.role as u8))
                .then_with(|| swedish_cmp(&a.name, &b.name))
        });
        let campus: Vec<Kommunkod> = reference
            .universities
            .iter()
            .flat_map(|u| u.campuses.iter().map(|c| c.municipality))
            .collect();
        let codes: Vec<_> = region.iter().map(|m| m.code).collect();
        for figure in ["", " 88,8"] {
            let towns: Vec<Town> = region
                .iter()
                .map(|m| Town {
                    position: m.position,
                    kind: if campus.contains(&m.code) {
                        TownKind::Campus
                    } else {
                        TownKind::Seat
                    },
                    label: if m.role == kkig_core::MunicipalityRole::Participant {
                        format!("{}{figure}", m.name)
                    } else {
                        m.name.clone()
                    },
                })
                .collect();
            let (frame, _, placed) = layout(borders, &codes, &towns);
            let unplaced: Vec<_> = towns
                .iter()
                .zip(&placed)
                .filter(|(_, p)| p.is_none())
                .map(|(t, _)| &t.label)
                .collect();
            assert!(unplaced.is_empty(), "{figure:?}: no room for {unplaced:?}");
            let rects: Vec<_> = placed.iter().flatten().map(|p| p.rect).collect();
            for (i, a) in rects.iter().enumerate() {
                assert!(a.inside(&frame.rect()));
                assert!(rects[i + 1..].iter().all(|b| !a.overlaps(b)));
            }
        }
    }
}
