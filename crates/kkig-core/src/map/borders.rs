//! Municipal borders: each municipality's area as polygons of WGS84 rings, and which
//! municipalities are neighbours (their borders share a vertex).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use super::Bounds;
use crate::geo::Position;
use crate::Kommunkod;

/// A closed ring of positions: at least four, the last equal to the first.
#[derive(Debug, Clone, PartialEq)]
pub struct Ring(Vec<Position>);

/// Why a list of positions is not a ring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RingError {
    TooShort(usize),
    NotClosed,
}

impl fmt::Display for RingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooShort(n) => write!(f, "a ring needs at least 4 positions, found {n}"),
            Self::NotClosed => f.write_str("a ring must end where it starts"),
        }
    }
}

impl std::error::Error for RingError {}

impl Ring {
    pub fn new(positions: Vec<Position>) -> Result<Self, RingError> {
        if positions.len() < 4 {
            return Err(RingError::TooShort(positions.len()));
        }
        if positions.first() != positions.last() {
            return Err(RingError::NotClosed);
        }
        Ok(Self(positions))
    }

    pub fn positions(&self) -> &[Position] {
        &self.0
    }
}

/// A polygon: its outer ring, then its holes (if any).
#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    pub outer: Ring,
    pub holes: Vec<Ring>,
}

impl Polygon {
    /// The outer ring, then the holes.
    pub fn rings(&self) -> impl Iterator<Item = &Ring> {
        std::iter::once(&self.outer).chain(&self.holes)
    }
}

/// A municipality's area: one polygon, or several (islands).
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub polygons: Vec<Polygon>,
}

impl Area {
    /// The area's bounding box (of its outer rings); `None` for an area without polygons.
    pub fn bounds(&self) -> Option<Bounds> {
        Bounds::of(self.polygons.iter().flat_map(|p| p.outer.positions().iter().copied()))
    }
}

/// The borders of some municipalities, with their neighbours.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Borders {
    areas: BTreeMap<Kommunkod, Area>,
    neighbours: BTreeMap<Kommunkod, BTreeSet<Kommunkod>>,
}

impl Borders {
    /// Borders from each municipality's area. Two municipalities are neighbours when their
    /// borders share a vertex (true of a border file generalized as one network, as SCB's is).
    pub fn new(areas: BTreeMap<Kommunkod, Area>) -> Self {
        let mut at: HashMap<(i64, i64), BTreeSet<Kommunkod>> = HashMap::new();
        for (code, area) in &areas {
            for ring in area.polygons.iter().flat_map(|p| p.rings()) {
                for p in ring.positions() {
                    // Micro-degrees: the same vertex written twice compares equal.
                    let key = ((p.lon * 1e6).round() as i64, (p.lat * 1e6).round() as i64);
                    at.entry(key).or_default().insert(*code);
                }
            }
        }
        let mut neighbours: BTreeMap<Kommunkod, BTreeSet<Kommunkod>> = BTreeMap::new();
        for codes in at.values().filter(|c| c.len() > 1) {
            for a in codes {
                neighbours
                    .entry(*a)
                    .or_default()
                    .extend(codes.iter().filter(|b| *b != a));
            }
        }
        Self { areas, neighbours }
    }

    pub fn area(&self, code: Kommunkod) -> Option<&Area> {
        self.areas.get(&code)
    }

    /// Every municipality with borders, by code.
    pub fn codes(&self) -> impl Iterator<Item = Kommunkod> + '_ {
        self.areas.keys().copied()
    }

    pub fn len(&self) -> usize {
        self.areas.len()
    }

    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }

    /// The municipalities whose borders share a vertex with `code`'s.
    pub fn neighbours(&self, code: Kommunkod) -> BTreeSet<Kommunkod> {
        self.neighbours.get(&code).cloned().unwrap_or_default()
    }

    /// Every pair of neighbours once, the smaller code first.
    pub fn neighbour_pairs(&self) -> BTreeSet<(Kommunkod, Kommunkod)> {
        self.neighbours
            .iter()
            .flat_map(|(a, bs)| bs.iter().filter(move |b| a < *b).map(move |b| (*a, *b)))
            .collect()
    }

    /// The bounding box of the given municipalities' areas (those without borders are skipped).
    pub fn bounds_of(&self, codes: impl IntoIterator<Item = Kommunkod>) -> Option<Bounds> {
        codes
            .into_iter()
            .filter_map(|c| self.areas.get(&c)?.bounds())
            .reduce(|a, b| a.union(&b))
    }

    /// The municipalities whose bounding box meets `bounds` (candidates for what a frame shows).
    pub fn meeting(&self, bounds: &Bounds) -> Vec<Kommunkod> {
        self.areas
            .iter()
            .filter(|(_, a)| a.bounds().is_some_and(|b| b.intersects(bounds)))
            .map(|(c, _)| *c)
            .collect()
    }
}
