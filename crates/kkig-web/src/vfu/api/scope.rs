//! Whom a VFU API request may read or change: the rule book's targets of students, placements,
//! supervisors and sites, loaded per request: for one record only what it names
//! ([`Scope::for_records`]), for a list the whole registry once ([`Scope::load`]).

use super::*;

/// What the rules need to know about students and sites, loaded once per request.
pub(super) struct Scope {
    /// Student id → (person id, university, home municipality).
    pub(super) students: HashMap<StudentId, (PersonId, String, Kommunkod)>,
    pub(super) sites: HashMap<SiteId, Kommunkod>,
}

impl Scope {
    /// Every student (with their period's university) and every site of the registry: only for
    /// the endpoints that produce a whole list and check each row (students, placements,
    /// placement lines and their exports, a site's waiting list). The checks on one record use
    /// [`Scope::for_records`].
    pub(super) async fn load(state: &AppState) -> R<Self> {
        let periods: HashMap<PeriodId, String> = state
            .store
            .vfu_periods(None)
            .await?
            .into_iter()
            .map(|p| (p.id, p.university))
            .collect();
        let students = state
            .store
            .vfu_students(&StudentFilter::default())
            .await?
            .into_iter()
            .map(|s| {
                let uni = periods.get(&s.period_id).cloned().unwrap_or_default();
                (s.id, (s.person_id, uni, s.home_municipality))
            })
            .collect();
        let sites = state.store.vfu_context().await?.sites.into_iter().collect();
        Ok(Self { students, sites })
    }

    /// Only the students and sites named, for checks on one record: a few reads instead of
    /// every period, student and site of the registry. Unknown ids are left out (the checks
    /// then answer as for a record that does not exist).
    pub(super) async fn for_records(state: &AppState, student_ids: &[&StudentId], site_ids: &[&SiteId]) -> R<Self> {
        let mut students = HashMap::new();
        for id in student_ids {
            if let Some(s) = state.store.vfu_student(id).await? {
                let uni = period_university(state, &s.period_id).await?;
                students.insert(s.id, (s.person_id, uni, s.home_municipality));
            }
        }
        let mut sites = HashMap::new();
        for id in site_ids {
            if let Some(site) = state.store.placement_site(id).await? {
                sites.insert(site.id, site.municipality);
            }
        }
        Ok(Self { students, sites })
    }

    pub(super) fn placement_allows(&self, p: &Principal, action: Action, pl: &Placement) -> bool {
        let (Some((person, uni, _)), Some(m)) = (self.students.get(&pl.student_id), self.sites.get(&pl.site_id)) else {
            return p.may(action, &Target::Administration);
        };
        p.may(
            action,
            &Target::Placement {
                student_person_id: person,
                university: uni,
                site_municipality: *m,
            },
        )
    }

    /// Whether the route's guard lets `p` change this placement (admin only for a placement
    /// whose student or site is gone).
    pub(super) fn placement_writable(&self, guard: &Guard, p: &Principal, pl: &Placement) -> bool {
        let (Some((person, uni, _)), Some(m)) = (self.students.get(&pl.student_id), self.sites.get(&pl.site_id)) else {
            return p.may(Action::Write, &Target::Administration);
        };
        guard.allows(
            p,
            &Target::Placement {
                student_person_id: person,
                university: uni,
                site_municipality: *m,
            },
        )
    }
}

pub(super) async fn period_university(state: &AppState, period_id: &PeriodId) -> R<String> {
    Ok(state
        .store
        .vfu_period(period_id)
        .await?
        .map(|p| p.university)
        .unwrap_or_default())
}

/// Whether the route's guard lets `p` change this student's record.
pub(super) async fn writes_student(state: &AppState, guard: &Guard, p: &Principal, s: &VfuStudent) -> R<bool> {
    let uni = period_university(state, &s.period_id).await?;
    Ok(guard.allows(
        p,
        &Target::VfuStudent {
            person_id: &s.person_id,
            university: &uni,
            home_municipality: s.home_municipality,
        },
    ))
}

pub(super) async fn student_allows(state: &AppState, p: &Principal, action: Action, s: &VfuStudent) -> R<bool> {
    let uni = period_university(state, &s.period_id).await?;
    Ok(p.may(
        action,
        &Target::VfuStudent {
            person_id: &s.person_id,
            university: &uni,
            home_municipality: s.home_municipality,
        },
    ))
}

pub(super) fn supervisor_allows(p: &Principal, action: Action, s: &Supervisor) -> bool {
    p.may(
        action,
        &Target::Supervisor {
            person_id: &s.person_id,
            municipality: s.municipality,
        },
    )
}

pub(super) async fn readable_site(state: &AppState, u: &UserRecord, id: &SiteId) -> R<PlacementSite> {
    match state.store.placement_site(id).await? {
        Some(s) if may_municipal(&u.principal(), Action::Read, s.municipality) => Ok(s),
        _ => Err(not_found(format!("placement site {id}"))),
    }
}

/// Whether `u` may read municipality `m`'s views, RACI, contacts and placement lists (403 naming
/// `what` if not).
pub(super) fn require_municipal_read(u: &UserRecord, m: Kommunkod, what: &str) -> R<()> {
    if may_municipal(&u.principal(), Action::Read, m) {
        Ok(())
    } else {
        Err(forbidden(format!("the {what} of municipality {m}")))
    }
}

pub(super) async fn known_municipality(state: &AppState, code: &str) -> R<Kommunkod> {
    let m = municipality_path(code)?;
    match state.store.municipality(m).await? {
        Some(_) => Ok(m),
        None => Err(ApiError::not_found(format!("no municipality with code {code}"))),
    }
}
