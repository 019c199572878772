//! Views computed from the registry: a municipality's training need (VFU demand against
//! trained-supervisor capacity) and the compensation basis (placements × weeks).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::field::VfuField;
use super::model::{InviteStatus, Placement, Supervisor, TrainingLevel, VfuPeriod, VfuStudent};
use crate::codes::Kommunkod;
use crate::ids::{PeriodId, SiteId, StudentId, SupervisorId};
use crate::vocab::Term;

/// One field and term of a municipality's training-need view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingNeedRow {
    pub field: VfuField,
    pub term: Term,
    /// Students on the term's periods of this field whose home municipality is this one.
    pub students_from_municipality: u32,
    /// Places the universities announced that no student list fills yet (all municipalities).
    pub not_yet_listed: u32,
    /// `students_from_municipality + round(share × not_yet_listed)`.
    pub expected_demand: u32,
    /// Students the municipality's trained supervisors of this field can take that term.
    pub trained_capacity: u32,
    pub trained_supervisors: u32,
    /// Students the supervisors now in the course could take once trained.
    pub in_training_capacity: u32,
    /// `max(0, expected_demand − trained_capacity)`.
    pub gap: u32,
}

/// A supervisor who could be invited to training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InviteCandidate {
    pub supervisor_id: SupervisorId,
    pub name: String,
    pub site_id: Option<SiteId>,
    pub training: TrainingLevel,
    pub invite: InviteStatus,
    /// The fields of the supervisor that have a gap in some term.
    pub fields_with_gap: Vec<VfuField>,
    pub students_per_period: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingNeed {
    pub municipality: Kommunkod,
    /// The municipality's share of places not yet listed (0–1).
    pub share: f64,
    pub rows: Vec<TrainingNeedRow>,
    pub candidates: Vec<InviteCandidate>,
}

/// The training-need view of `municipality`:
///
/// - demand per field and term: the municipality's own students on the term's periods of the
///   field, plus its `share` of the places announced but not yet filled by a student list
///   (`Σ max(0, period.students − students listed on it)`), rounded half up;
/// - capacity: the sum of `students_per_period` of its supervisors with completed training in
///   that field who are available that term;
/// - candidates: its supervisors who are not yet trained, consent to be contacted and have a
///   field with a gap — course started first, then introduction, then none; by name.
///
/// Only terms with periods appear. `supervisors` may hold other municipalities' (ignored).
pub fn training_need(
    municipality: Kommunkod,
    share: f64,
    periods: &[VfuPeriod],
    students: &[VfuStudent],
    supervisors: &[Supervisor],
) -> TrainingNeed {
    let share = if share.is_finite() { share.clamp(0.0, 1.0) } else { 0.0 };
    let mut keys: BTreeSet<(VfuField, Term)> = BTreeSet::new();
    let mut own: BTreeMap<(VfuField, Term), u32> = BTreeMap::new();
    let mut open: BTreeMap<(VfuField, Term), u32> = BTreeMap::new();
    for p in periods {
        let key = (p.field, p.term);
        keys.insert(key);
        let listed = students.iter().filter(|s| s.period_id == p.id).count() as u32;
        *open.entry(key).or_default() += p.students.saturating_sub(listed);
        *own.entry(key).or_default() += students
            .iter()
            .filter(|s| s.period_id == p.id && s.home_municipality == municipality)
            .count() as u32;
    }
    let mine: Vec<&Supervisor> = supervisors.iter().filter(|s| s.municipality == municipality).collect();
    let mut rows = Vec::new();
    for (field, term) in keys {
        let own_n = own.get(&(field, term)).copied().unwrap_or(0);
        let open_n = open.get(&(field, term)).copied().unwrap_or(0);
        let expected = own_n + (share * f64::from(open_n) + 0.5).floor() as u32;
        let able = |s: &&&Supervisor| s.has_field(field) && s.available_in(term);
        let trained: Vec<_> = mine.iter().filter(able).filter(|s| s.is_trained()).collect();
        let trained_capacity = trained.iter().map(|s| s.students_per_period).sum();
        let in_training_capacity = mine
            .iter()
            .filter(able)
            .filter(|s| s.training.level == TrainingLevel::CourseStarted)
            .map(|s| s.students_per_period)
            .sum();
        rows.push(TrainingNeedRow {
            field,
            term,
            students_from_municipality: own_n,
            not_yet_listed: open_n,
            expected_demand: expected,
            trained_capacity,
            trained_supervisors: trained.len() as u32,
            in_training_capacity,
            gap: expected.saturating_sub(trained_capacity),
        });
    }
    let gap_fields: BTreeSet<VfuField> = rows.iter().filter(|r| r.gap > 0).map(|r| r.field).collect();
    let mut candidates: Vec<InviteCandidate> = mine
        .iter()
        .filter(|s| !s.is_trained() && s.consent_contact && s.invite != InviteStatus::Completed)
        .filter_map(|s| {
            let fields: Vec<VfuField> = s
                .fields
                .iter()
                .map(|f| f.field)
                .filter(|f| gap_fields.contains(f))
                .collect();
            (!fields.is_empty()).then(|| InviteCandidate {
                supervisor_id: s.id.clone(),
                name: s.name.clone(),
                site_id: s.site_id.clone(),
                training: s.training.level,
                invite: s.invite,
                fields_with_gap: fields,
                students_per_period: s.students_per_period,
            })
        })
        .collect();
    candidates.sort_by(|a, b| {
        b.training
            .cmp(&a.training)
            .then_with(|| crate::text::swedish_cmp(&a.name, &b.name))
            .then(a.supervisor_id.cmp(&b.supervisor_id))
    });
    TrainingNeed {
        municipality,
        share,
        rows,
        candidates,
    }
}

/// One line of the compensation basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompensationRow {
    pub municipality: Kommunkod,
    pub university: String,
    pub term: Term,
    /// Placements confirmed, started or completed.
    pub placements: u32,
    /// `Σ period.weeks()` over those placements.
    pub student_weeks: u32,
}

/// The compensation basis: per municipality of the site, university and term, the placements
/// that are confirmed, started or completed, and their student-weeks (each placement counts its
/// period's weeks, [`VfuPeriod::weeks`]). Placements whose student, period or site is unknown
/// are left out. Sorted by municipality, university, term.
pub fn compensation_basis(
    periods: &[VfuPeriod],
    students: &[VfuStudent],
    placements: &[Placement],
    site_municipality: impl Fn(&SiteId) -> Option<Kommunkod>,
) -> Vec<CompensationRow> {
    let periods: BTreeMap<&PeriodId, &VfuPeriod> = periods.iter().map(|p| (&p.id, p)).collect();
    let students: BTreeMap<&StudentId, &VfuStudent> = students.iter().map(|s| (&s.id, s)).collect();
    let mut sums: BTreeMap<(Kommunkod, String, Term), (u32, u32)> = BTreeMap::new();
    for pl in placements.iter().filter(|p| p.status.counts_for_compensation()) {
        let Some(s) = students.get(&pl.student_id) else {
            continue;
        };
        let Some(p) = periods.get(&s.period_id) else {
            continue;
        };
        let Some(m) = site_municipality(&pl.site_id) else {
            continue;
        };
        let e = sums.entry((m, p.university.clone(), p.term)).or_default();
        e.0 += 1;
        e.1 += p.weeks();
    }
    sums.into_iter()
        .map(
            |((municipality, university, term), (placements, student_weeks))| CompensationRow {
                municipality,
                university,
                term,
                placements,
                student_weeks,
            },
        )
        .collect()
}

/// VFU near a home municipality for one occupation area: the placement sites that take students
/// of the area in the municipality itself and within a travel limit of it, and how many of each
/// have a supervisor of the area who has completed supervisor training.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct VfuNearHome {
    pub at_home: usize,
    pub at_home_trained: usize,
    pub within_reach: usize,
    pub within_reach_trained: usize,
}

/// [`VfuNearHome`] of `home` and `area`: "within reach" is the home municipality and every
/// municipality `minutes_from_home` puts at most `max_minutes` away (one way; the allocation's
/// travel limit); a municipality it cannot place is not within reach.
pub fn vfu_near_home(
    sites: &[crate::vfu::PlacementSite],
    supervisors: &[Supervisor],
    home: Kommunkod,
    area: crate::region::OccupationArea,
    max_minutes: i64,
    minutes_from_home: impl Fn(Kommunkod) -> Option<i64>,
) -> VfuNearHome {
    let trained: BTreeSet<&SiteId> = supervisors
        .iter()
        .filter(|s| s.is_trained() && s.fields.iter().any(|f| f.field.area() == area))
        .filter_map(|s| s.site_id.as_ref())
        .collect();
    let mut reach: BTreeMap<Kommunkod, bool> = BTreeMap::new();
    let mut out = VfuNearHome::default();
    for site in sites.iter().filter(|s| s.fields.iter().any(|f| f.field.area() == area)) {
        let near = *reach.entry(site.municipality).or_insert_with(|| {
            site.municipality == home || minutes_from_home(site.municipality).is_some_and(|m| m <= max_minutes)
        });
        if !near {
            continue;
        }
        let has_trained = trained.contains(&site.id);
        out.within_reach += 1;
        out.within_reach_trained += usize::from(has_trained);
        if site.municipality == home {
            out.at_home += 1;
            out.at_home_trained += usize::from(has_trained);
        }
    }
    out
}
