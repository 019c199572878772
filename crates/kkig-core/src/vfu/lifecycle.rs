//! The placement lifecycle (a state machine), the coordinators' timeline before a period, and
//! the waiting list (återbudskö).

use serde::{Deserialize, Serialize};

use super::model::{Placement, PlacementStatus, StatusChange, VfuStudent};
use crate::codes::Kommunkod;
use crate::ids::{PlacementId, SiteId, StudentId};
use crate::vocab::{Day, FieldProblem};

/// Whether a placement may go from `from` to `to`:
/// `requested → offered → confirmed → started → completed`, and from any of the first four to
/// `withdrawn`. Completed and withdrawn are final.
pub fn may_transition(from: PlacementStatus, to: PlacementStatus) -> bool {
    use PlacementStatus::*;
    matches!(
        (from, to),
        (Requested, Offered)
            | (Offered, Confirmed)
            | (Confirmed, Started)
            | (Started, Completed)
            | (Requested | Offered | Confirmed | Started, Withdrawn)
    )
}

/// Why a transition was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    #[error("a placement cannot go from {from} to {to}; from {from} it can go to {allowed}")]
    NotAllowed {
        from: &'static str,
        to: &'static str,
        allowed: String,
    },
    #[error("the day {on} is before the placement became {last} on {last_on}")]
    BeforeLast { on: Day, last: &'static str, last_on: Day },
}

/// The statuses a placement can go to from `from`.
pub fn next_statuses(from: PlacementStatus) -> Vec<PlacementStatus> {
    PlacementStatus::ALL
        .into_iter()
        .filter(|to| may_transition(from, *to))
        .collect()
}

impl Placement {
    /// A new placement in its first status (`requested` or `offered`), stamped with `on`.
    pub fn start(
        id: PlacementId,
        student_id: StudentId,
        site_id: SiteId,
        status: PlacementStatus,
        on: Day,
    ) -> Result<Placement, LifecycleError> {
        if !matches!(status, PlacementStatus::Requested | PlacementStatus::Offered) {
            return Err(LifecycleError::NotAllowed {
                from: "new",
                to: status.as_str(),
                allowed: "requested, offered".into(),
            });
        }
        Ok(Placement {
            id,
            student_id,
            site_id,
            supervisor_id: None,
            status,
            history: vec![StatusChange { status, on }],
            waiting_for_better: false,
            note: String::new(),
        })
    }

    /// Move to `to` on `on`, stamping the day; refused when the lifecycle does not allow it or
    /// the day is before the last change. A placement that ends leaves the waiting list.
    pub fn transition(&mut self, to: PlacementStatus, on: Day) -> Result<(), LifecycleError> {
        if !may_transition(self.status, to) {
            let allowed = next_statuses(self.status)
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            return Err(LifecycleError::NotAllowed {
                from: self.status.as_str(),
                to: to.as_str(),
                allowed: if allowed.is_empty() {
                    "nothing (it is final)".into()
                } else {
                    allowed
                },
            });
        }
        if let Some(last) = self.history.last() {
            if on < last.on {
                return Err(LifecycleError::BeforeLast {
                    on,
                    last: last.status.as_str(),
                    last_on: last.on,
                });
            }
        }
        self.status = to;
        self.history.push(StatusChange { status: to, on });
        if !to.is_active() {
            self.waiting_for_better = false;
        }
        Ok(())
    }
}

/// The rules of the timeline, in weeks (and days) before the start of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineRules {
    pub capacity_weeks: i64,
    pub allocation_weeks: i64,
    pub publish_weeks: i64,
    /// Days after publication in which students may appeal.
    pub appeal_days: i64,
    pub final_list_weeks: i64,
}

impl Default for TimelineRules {
    fn default() -> Self {
        Self {
            capacity_weeks: 12,
            allocation_weeks: 10,
            publish_weeks: 8,
            appeal_days: 14,
            final_list_weeks: 5,
        }
    }
}

/// The dates coordinators work to before a period starting on `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeline {
    /// Sites confirm their capacity (start − 12 weeks, or the period's own deadline).
    pub capacity_confirmed: Day,
    /// The allocation is run (start − 10 weeks).
    pub allocation: Day,
    /// Placements are published to students (start − 8 weeks).
    pub published: Day,
    /// The last day to appeal (publication + 14 days).
    pub appeal_closes: Day,
    /// Final lists go to the sites (start − 5 weeks).
    pub final_lists: Day,
    pub start: Day,
}

impl Timeline {
    pub fn new(start: Day, rules: &TimelineRules) -> Self {
        let before = |w: i64| start.plus_days(-7 * w);
        let published = before(rules.publish_weeks);
        Self {
            capacity_confirmed: before(rules.capacity_weeks),
            allocation: before(rules.allocation_weeks),
            published,
            appeal_closes: published.plus_days(rules.appeal_days),
            final_lists: before(rules.final_list_weeks),
            start,
        }
    }

    /// The timeline of a period, with its own capacity deadline.
    pub fn for_period(p: &super::model::VfuPeriod, rules: &TimelineRules) -> Self {
        Self {
            capacity_confirmed: p.capacity_deadline,
            ..Self::new(p.start, rules)
        }
    }

    /// The first day students can no longer change their wishes and needs: the allocation day
    /// (they are read when the allocation is run).
    pub fn wishes_close(&self) -> Day {
        self.allocation
    }

    /// The default capacity deadline: 12 weeks before the start.
    pub fn default_capacity_deadline(start: Day) -> Day {
        Self::new(start, &TimelineRules::default()).capacity_confirmed
    }

    /// The milestones in order, with stable codes, for pages and calendars.
    pub fn milestones(&self) -> [(&'static str, &'static str, Day); 6] {
        [
            ("capacity_confirmed", "Platser bekräftade", self.capacity_confirmed),
            ("allocation", "Fördelning", self.allocation),
            ("published", "Placeringar publiceras", self.published),
            ("appeal_closes", "Sista dag att överklaga", self.appeal_closes),
            ("final_lists", "Slutliga listor till enheterna", self.final_lists),
            ("start", "VFU börjar", self.start),
        ]
    }
}

/// Whether a student may still change their wishes and needs for `period` on `today`: before
/// the allocation day of the period's timeline, and only while none of their `placements` (those
/// of this student on this period) is more than withdrawn — once a site is requested, offered,
/// confirmed, started or completed, the allocation has used the wishes. The coordinators change
/// them after that.
pub fn wishes_open(
    period: &super::model::VfuPeriod,
    placements: &[Placement],
    today: Day,
    rules: &TimelineRules,
) -> bool {
    today < Timeline::for_period(period, rules).wishes_close()
        && placements.iter().all(|p| p.status == PlacementStatus::Withdrawn)
}

/// How much a student wants a site: 0 for the first wish, 1, 2; None if not wished.
pub fn wish_rank(student: &VfuStudent, site_id: &SiteId, municipality: Kommunkod) -> Option<usize> {
    student.wishes.iter().position(|w| w.matches(site_id, municipality))
}

/// One student on the waiting list for a freed seat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingCandidate {
    pub student_id: StudentId,
    pub placement_id: PlacementId,
    /// Rank of the freed site among the student's wishes (0 = first wish).
    pub rank_of_freed: usize,
    /// Rank of the current placement among the wishes (None: not wished at all).
    pub rank_of_current: Option<usize>,
    pub priority: bool,
    /// The day the student joined the queue (the last change of their placement).
    pub since: Day,
}

/// The students on the waiting list who would rather have a seat at `site` (in
/// `municipality`), best first: priority students first, then those for whom the site is a
/// higher wish, then the longest waiting, then by id. A student qualifies when their active
/// placement is marked `waiting_for_better` and the site ranks above their current one. Each
/// student keeps their current placement until they accept the new one.
pub fn waiting_list_for(
    site_id: &SiteId,
    municipality: Kommunkod,
    students: &[VfuStudent],
    placements: &[Placement],
    site_municipality: impl Fn(&SiteId) -> Option<Kommunkod>,
) -> Vec<WaitingCandidate> {
    let mut out = Vec::new();
    for p in placements
        .iter()
        .filter(|p| p.waiting_for_better && p.status.is_active() && p.site_id != *site_id)
    {
        let Some(s) = students.iter().find(|s| s.id == p.student_id) else {
            continue;
        };
        let Some(rank) = wish_rank(s, site_id, municipality) else {
            continue;
        };
        let current = site_municipality(&p.site_id).and_then(|m| wish_rank(s, &p.site_id, m));
        if current.is_some_and(|c| c <= rank) {
            continue;
        }
        out.push(WaitingCandidate {
            student_id: s.id.clone(),
            placement_id: p.id.clone(),
            rank_of_freed: rank,
            rank_of_current: current,
            priority: s.needs.priority.is_some(),
            since: p.history.last().map(|c| c.on).unwrap_or(Day::ymd(1900, 1, 1)),
        });
    }
    out.sort_by(|a, b| {
        b.priority
            .cmp(&a.priority)
            .then(a.rank_of_freed.cmp(&b.rank_of_freed))
            .then(a.since.cmp(&b.since))
            .then(a.student_id.cmp(&b.student_id))
    });
    out
}

impl From<LifecycleError> for FieldProblem {
    fn from(e: LifecycleError) -> Self {
        match e {
            LifecycleError::NotAllowed { from, to, allowed } => FieldProblem::TransitionNotAllowed {
                from: from.into(),
                to: to.into(),
                allowed,
            },
            LifecycleError::BeforeLast { on, last, last_on } => FieldProblem::BeforeLastStep {
                on: on.to_string(),
                last: last.into(),
                last_on: last_on.to_string(),
            },
        }
    }
}
