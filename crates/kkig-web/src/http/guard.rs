//! Routes and the one access check each write declares.
//!
//! Every route of kkig is registered through [`Routes`]: reads with [`Routes::get`], writes
//! with [`Routes::post`], [`Routes::put`] or [`Routes::delete`] and the [`Op`] they perform.
//! An op names the question it asks the rule book (`Principal::may(Write, target)` for targets
//! of one [`TargetKind`]), so a page and an API route that do the same thing declare the same
//! op and ask the same question. Handlers ask it through the [`Guard`] extractor, which only
//! answers for targets of the declared kind. A write answered with success without that check
//! is logged as an error and marked on the response ([`GuardReport`]), which the route tests'
//! scope probe reads; [`Routes::table`] lists every route for the tests.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::extract::{FromRequestParts, Request};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{self, MethodRouter};
use axum::{Extension, Router};
use kkig_core::access::{Action, Principal, Target, TargetKind};

use crate::AppState;

/// Every write kkig does, named once. Pages and API routes that do the same declare the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    // Accounts: signing in and out, one's own password, one's own API tokens.
    SignIn,
    SignOut,
    SetPassword,
    TokenCreate,
    TokenRevoke,
    // Administration.
    AccountPasswordLink,
    AccountDisable,
    // Region: a learning centre's services.
    LearningCentreServices,
    // VFU registry.
    VfuSiteCreate,
    VfuSiteUpdate,
    VfuSiteDelete,
    VfuHostingSet,
    VfuHostingDelete,
    VfuSupervisorCreate,
    VfuSupervisorUpdate,
    VfuSupervisorDelete,
    VfuSupervisorInvite,
    VfuRaciSet,
    VfuRaciReset,
    VfuContactCreate,
    VfuContactUpdate,
    VfuContactDelete,
    VfuPeriodCreate,
    VfuPeriodUpdate,
    VfuPeriodDelete,
    VfuStudentCreate,
    VfuStudentUpdate,
    VfuStudentDelete,
    VfuStudentWishes,
    VfuPlacementCreate,
    VfuPlacementUpdate,
    VfuPlacementDelete,
    VfuPlacementTransition,
    // VFU allocation.
    AllocationRules,
    AllocationRun,
    AllocationLock,
    AllocationUnlock,
    AllocationPublish,
    // Forecast.
    ForecastInputSave,
    ForecastClusterCreate,
    ForecastClusterDelete,
}

/// What an op asks before it writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Nobody's record: the request carries its own proof (a password, a secret link) or ends
    /// the caller's own session.
    Open,
    /// A signed-in user changing only their own account (the store matches the record to them).
    OwnAccount,
    /// `Principal::may(Action::Write, target)` for a target of this kind.
    Write(TargetKind),
}

impl Op {
    pub const ALL: [Op; 41] = [
        Op::SignIn,
        Op::SignOut,
        Op::SetPassword,
        Op::TokenCreate,
        Op::TokenRevoke,
        Op::AccountPasswordLink,
        Op::AccountDisable,
        Op::LearningCentreServices,
        Op::VfuSiteCreate,
        Op::VfuSiteUpdate,
        Op::VfuSiteDelete,
        Op::VfuHostingSet,
        Op::VfuHostingDelete,
        Op::VfuSupervisorCreate,
        Op::VfuSupervisorUpdate,
        Op::VfuSupervisorDelete,
        Op::VfuSupervisorInvite,
        Op::VfuRaciSet,
        Op::VfuRaciReset,
        Op::VfuContactCreate,
        Op::VfuContactUpdate,
        Op::VfuContactDelete,
        Op::VfuPeriodCreate,
        Op::VfuPeriodUpdate,
        Op::VfuPeriodDelete,
        Op::VfuStudentCreate,
        Op::VfuStudentUpdate,
        Op::VfuStudentDelete,
        Op::VfuStudentWishes,
        Op::VfuPlacementCreate,
        Op::VfuPlacementUpdate,
        Op::VfuPlacementDelete,
        Op::VfuPlacementTransition,
        Op::AllocationRules,
        Op::AllocationRun,
        Op::AllocationLock,
        Op::AllocationUnlock,
        Op::AllocationPublish,
        Op::ForecastInputSave,
        Op::ForecastClusterCreate,
        Op::ForecastClusterDelete,
    ];

    /// The one question this op asks the rule book.
    pub const fn check(self) -> Check {
        use Check::*;
        use TargetKind as K;
        match self {
            Op::SignIn | Op::SignOut | Op::SetPassword => Open,
            Op::TokenCreate | Op::TokenRevoke => OwnAccount,
            Op::AccountPasswordLink | Op::AccountDisable => Write(K::Administration),
            Op::LearningCentreServices => Write(K::MunicipalityRecord),
            // A municipality keeps its sites, hosting answers, RACI and contact persons, and
            // removes or invites its supervisors; a supervisor corrects their own record.
            Op::VfuSiteCreate
            | Op::VfuSiteUpdate
            | Op::VfuSiteDelete
            | Op::VfuHostingSet
            | Op::VfuHostingDelete
            | Op::VfuSupervisorDelete
            | Op::VfuSupervisorInvite
            | Op::VfuRaciSet
            | Op::VfuRaciReset
            | Op::VfuContactCreate
            | Op::VfuContactUpdate
            | Op::VfuContactDelete => Write(K::VfuMunicipal),
            Op::VfuSupervisorCreate | Op::VfuSupervisorUpdate => Write(K::Supervisor),
            Op::VfuPeriodCreate | Op::VfuPeriodUpdate | Op::VfuPeriodDelete => Write(K::UniversityRecord),
            Op::VfuStudentCreate | Op::VfuStudentUpdate | Op::VfuStudentDelete => Write(K::VfuStudent),
            Op::VfuStudentWishes => Write(K::VfuStudentWishes),
            Op::VfuPlacementCreate | Op::VfuPlacementUpdate | Op::VfuPlacementDelete | Op::VfuPlacementTransition => {
                Write(K::Placement)
            }
            Op::AllocationRules
            | Op::AllocationRun
            | Op::AllocationLock
            | Op::AllocationUnlock
            | Op::AllocationPublish => Write(K::UniversityRecord),
            Op::ForecastInputSave => Write(K::ForecastInput),
            Op::ForecastClusterCreate | Op::ForecastClusterDelete => Write(K::ForecastCluster),
        }
    }
}

/// Pages (HTML) or the JSON API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Page,
    Api,
}

/// One route as registered: for the tests that walk every route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: &'static str,
    /// The path pattern as axum sees it, e.g. `/api/v1/vfu/sites/{id}`.
    pub path: String,
    /// The write this route does; `None` for reads (GET).
    pub op: Option<Op>,
    pub surface: Surface,
}

/// A router that records every route it is given, and attaches the declared op to writes.
pub struct Routes {
    router: Router<AppState>,
    table: Vec<RouteInfo>,
    surface: Surface,
}

/// The op a write route declared, in the request's extensions.
#[derive(Debug, Clone, Copy)]
struct Declared(Op);

/// Set when the handler asked the declared op's question.
#[derive(Debug, Clone)]
struct Asked(Arc<AtomicBool>);

/// On the response of every write route: its op and whether the handler asked its question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuardReport {
    pub op: Op,
    pub checked: bool,
}

impl Routes {
    pub fn new(surface: Surface) -> Self {
        Self {
            router: Router::new(),
            table: Vec::new(),
            surface,
        }
    }

    fn add(mut self, method: &'static str, path: &str, op: Option<Op>, mr: MethodRouter<AppState>) -> Self {
        self.router = self.router.route(path, mr);
        self.table.push(RouteInfo {
            method,
            path: path.to_string(),
            op,
            surface: self.surface,
        });
        self
    }

    fn write(method: MethodRouter<AppState>, op: Op) -> MethodRouter<AppState> {
        method
            .layer::<_, std::convert::Infallible>(middleware::from_fn(report))
            .layer(Extension(Declared(op)))
    }

    /// A read: GET (and HEAD).
    pub fn get<H: Handler<T, AppState>, T: 'static>(self, path: &str, handler: H) -> Self {
        self.add("GET", path, None, routing::get(handler))
    }

    pub fn post<H: Handler<T, AppState>, T: 'static>(self, path: &str, op: Op, handler: H) -> Self {
        self.add("POST", path, Some(op), Self::write(routing::post(handler), op))
    }

    pub fn put<H: Handler<T, AppState>, T: 'static>(self, path: &str, op: Op, handler: H) -> Self {
        self.add("PUT", path, Some(op), Self::write(routing::put(handler), op))
    }

    pub fn delete<H: Handler<T, AppState>, T: 'static>(self, path: &str, op: Op, handler: H) -> Self {
        self.add("DELETE", path, Some(op), Self::write(routing::delete(handler), op))
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self
    }

    /// `other`'s routes under `prefix` (e.g. the API under `/api`).
    pub fn nest(mut self, prefix: &str, other: Routes) -> Self {
        self.router = self.router.nest(prefix, other.router);
        self.table.extend(other.table.into_iter().map(|r| RouteInfo {
            path: format!("{prefix}{}", r.path),
            ..r
        }));
        self
    }

    /// Answer unmatched paths with `handler` (a read).
    pub fn fallback<H: Handler<T, AppState>, T: 'static>(mut self, handler: H) -> Self {
        self.router = self.router.fallback(handler);
        self
    }

    pub fn table(&self) -> &[RouteInfo] {
        &self.table
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}

/// Around every write route: note whether the handler asked its op's question.
async fn report(mut req: Request, next: Next) -> Response {
    let Some(Declared(op)) = req.extensions().get::<Declared>().copied() else {
        return next.run(req).await;
    };
    let asked = Arc::new(AtomicBool::new(false));
    req.extensions_mut().insert(Asked(asked.clone()));
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let mut res = next.run(req).await;
    let checked = match op.check() {
        Check::Write(_) => asked.load(Ordering::SeqCst),
        Check::Open | Check::OwnAccount => true,
    };
    let status = res.status();
    if !checked && (status.is_success() || status.is_redirection()) {
        tracing::error!(?op, %method, path, status = status.as_u16(), "a write answered without asking its access check");
    }
    res.extensions_mut().insert(GuardReport { op, checked });
    res
}

/// The access check of a write route: asks `Principal::may(Write, target)` for targets of the
/// kind the route's op declares, and nothing else.
#[derive(Debug, Clone)]
pub struct Guard {
    op: Op,
    asked: Arc<AtomicBool>,
}

impl<S: Send + Sync> FromRequestParts<S> for Guard {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match (parts.extensions.get::<Declared>(), parts.extensions.get::<Asked>()) {
            (Some(Declared(op)), Some(Asked(asked))) => Ok(Guard {
                op: *op,
                asked: asked.clone(),
            }),
            _ => {
                tracing::error!(
                    path = parts.uri.path(),
                    "a handler asks for a Guard on a route that declares no op"
                );
                Err(StatusCode::INTERNAL_SERVER_ERROR.into_response())
            }
        }
    }
}

impl Guard {
    pub fn op(&self) -> Op {
        self.op
    }

    /// Whether `p` may do this route's write on `target`. A target of another kind than the op
    /// declares is refused (and logged): the question asked is always the declared one.
    pub fn allows(&self, p: &Principal, target: &Target<'_>) -> bool {
        match self.op.check() {
            Check::Write(kind) if kind == target.kind() => {
                self.asked.store(true, Ordering::SeqCst);
                p.may(Action::Write, target)
            }
            declared => {
                tracing::error!(op = ?self.op, ?declared, asked = ?target.kind(), "access check of another kind than declared");
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_op_once() {
        let set: std::collections::BTreeSet<Op> = Op::ALL.into_iter().collect();
        assert_eq!(set.len(), Op::ALL.len());
    }
}
