//! What publishing an allocation would change, per student: placed, moved, withdrawn, kept.

use super::*;

/// What publishing the run would do to one student (the store's rules, docs/allocation.md
/// "Publishing").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Change {
    /// A confirmed, started or completed placement: never touched.
    Firm,
    Unchanged,
    Moved,
    Created,
    Withdrawn,
    /// Neither placed before nor now.
    None,
}

impl Change {
    pub(super) fn key(self) -> &'static str {
        match self {
            Self::Firm => "firm",
            Self::Unchanged => "unchanged",
            Self::Moved => "moved",
            Self::Created => "created",
            Self::Withdrawn => "withdrawn",
            Self::None => "none",
        }
    }
}

pub(super) fn change_of(data: &AllocationData, student: &StudentId, site: Option<&SiteId>) -> Change {
    if firm_site(&data.placements, student).is_some() {
        return Change::Firm;
    }
    match (current_site(&data.placements, student), site) {
        (Some(c), Some(s)) if c == *s => Change::Unchanged,
        (Some(_), Some(_)) => Change::Moved,
        (Some(_), None) => Change::Withdrawn,
        (None, Some(_)) => Change::Created,
        (None, None) => Change::None,
    }
}

pub(super) fn plan(r: &Run) -> PublishReport {
    let mut p = PublishReport::default();
    for s in &r.preview.students {
        match change_of(&r.data, &s.student, s.site.as_ref()) {
            Change::Firm => p.firm += 1,
            Change::Unchanged => p.unchanged += 1,
            Change::Moved => p.moved += 1,
            Change::Created => p.created += 1,
            Change::Withdrawn => p.withdrawn += 1,
            Change::None => {}
        }
    }
    p
}

/// The report's counts as labelled rows, in the page's language.
pub(super) fn report_rows(chrome: &Chrome, r: &PublishReport) -> Vec<(String, String)> {
    [
        ("created", r.created),
        ("moved", r.moved),
        ("withdrawn", r.withdrawn),
        ("unchanged", r.unchanged),
        ("firm", r.firm),
    ]
    .iter()
    .map(|(k, n)| (chrome.t(&format!("alloc-change-{k}")), chrome.int(*n as i64)))
    .collect()
}
