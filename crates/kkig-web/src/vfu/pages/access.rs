//! Who may see or change a municipality's or a university's VFU records on the pages: the
//! signed-in user, asked through `Principal::may` or the route's guard.

use super::*;

pub(super) struct Muni {
    pub(super) user: UserRecord,
    pub(super) code: Kommunkod,
    pub(super) name: String,
}

impl Muni {
    /// Whether the user may change the municipality's VFU records (regional coordinators and
    /// universities read them): the pages show their forms and buttons only then.
    pub(super) fn writable(&self) -> bool {
        self.user.principal().may(
            Action::Write,
            &Target::VfuMunicipal {
                municipality: self.code,
            },
        )
    }
    pub(super) fn base(&self) -> String {
        format!("/vfu/kommun/{}", self.code)
    }
    pub(super) fn actor(&self) -> Actor {
        Actor::user(&self.user.id)
    }
}

/// How a page asks the rule book: pages that show records or forms with `Principal::may`,
/// writes through their route's guard (the same question the API route of that write asks).
#[derive(Clone, Copy)]
pub(super) enum Ask<'a> {
    May(Action),
    Guard(&'a Guard),
}

impl Ask<'_> {
    pub(super) fn allows(self, p: &Principal, target: &Target<'_>) -> bool {
        match self {
            Ask::May(action) => p.may(action, target),
            Ask::Guard(guard) => guard.allows(p, target),
        }
    }
}

/// The signed-in user who may see (or, for forms and writes, change) the municipality's VFU
/// records; the municipality by code. Reading asks for the municipality's records; a form asks
/// for its VFU records; a write asks its guard: sites, hosting, RACI and contacts
/// (`VfuMunicipal`), a new supervisor (`Supervisor` of the municipality); writes of other
/// records (a supervisor, a placement) are asked with the record by the handler.
pub(super) async fn muni(
    state: &AppState,
    chrome: &Chrome,
    me: MaybeUser,
    kod: &str,
    ask: Ask<'_>,
) -> PageResult<Muni> {
    let user = signed_in(chrome, me)?;
    let code = Kommunkod::parse(kod).map_err(|_| nf(chrome))?;
    let m = state
        .store
        .municipality(code)
        .await
        .or_unavailable(chrome)?
        .ok_or_else(|| nf(chrome))?;
    let target = match ask {
        Ask::May(Action::Read) => Some(Target::MunicipalityRecord { municipality: code }),
        Ask::May(Action::Write) => Some(Target::VfuMunicipal { municipality: code }),
        Ask::Guard(g) => match g.op().check() {
            Check::Write(TargetKind::VfuMunicipal) => Some(Target::VfuMunicipal { municipality: code }),
            Check::Write(TargetKind::Supervisor) if g.op() == Op::VfuSupervisorCreate => Some(Target::Supervisor {
                person_id: &PersonId::default(),
                municipality: code,
            }),
            _ => None,
        },
    };
    if target.is_some_and(|t| !ask.allows(&user.principal(), &t)) {
        return Err(forbidden(chrome.clone()).into());
    }
    Ok(Muni {
        user,
        code,
        name: m.name,
    })
}

pub(super) struct Uni {
    pub(super) user: UserRecord,
    pub(super) code: String,
    pub(super) name: String,
}

impl Uni {
    pub(super) fn base(&self) -> String {
        format!("/vfu/larosate/{}", self.code)
    }
    pub(super) fn actor(&self) -> Actor {
        Actor::user(&self.user.id)
    }
}

/// The signed-in user who may see (or change) the university's VFU records. A write of its
/// periods asks its guard; writes of students and placements also ask the guard with the record.
pub(super) async fn uni(state: &AppState, chrome: &Chrome, me: MaybeUser, code: &str, ask: Ask<'_>) -> PageResult<Uni> {
    let user = signed_in(chrome, me)?;
    let all = state.store.universities().await.or_unavailable(chrome)?;
    let u = all.into_iter().find(|u| u.code == code).ok_or_else(|| nf(chrome))?;
    let target = Target::UniversityRecord { university: &u.code };
    let allowed = match ask {
        Ask::Guard(g) if g.op().check() == Check::Write(TargetKind::UniversityRecord) => {
            ask.allows(&user.principal(), &target)
        }
        Ask::Guard(_) => user.principal().may(Action::Write, &target),
        Ask::May(_) => ask.allows(&user.principal(), &target),
    };
    if !allowed {
        return Err(forbidden(chrome.clone()).into());
    }
    Ok(Uni {
        user,
        code: u.code,
        name: u.name,
    })
}
