//! The VFU registry's pages, scoped by role: the municipality coordinator (sites and their
//! hosting interest, supervisors and their training, training need, placements, contact
//! persons), the university coordinator (periods, students with requirement status, placements
//! and their lifecycle), the student and the supervisor (`/vfu/min`), and the public
//! roles-and-responsibilities page of each municipality ("vem gör vad") with a printable version.
//!
//! Every form is a plain POST that redirects on success (POST-redirect-GET) and answers 422 with
//! the form again on invalid input: an error summary at the top linking to each field, and each
//! message next to its field (`aria-describedby`). Validation is `kkig_core::vfu::input`'s; the
//! store audits every change. Access is `Principal::may`; a record outside the reader's scope
//! (or of another municipality or university than the page's) is answered 404.

use std::collections::BTreeMap;

use crate::http::guard::{Check, Guard, Op, Routes, Surface};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use kkig_core::access::{Action, Principal, Target, TargetKind};
use kkig_core::ids::*;
use kkig_core::vfu::input::{format_requirements, HostingInput, PeriodInput, SiteInput, StudentInput, SupervisorInput};
use kkig_core::vfu::lifecycle::{next_statuses, wishes_open, Timeline, TimelineRules};
use kkig_core::vfu::raci::{validate_contact, RaciCell, RaciModel, RaciRole, RaciTask, VfuContact};
use kkig_core::vfu::wishes::WishesInput;
use kkig_core::vfu::*;
use kkig_core::{Kommunkod, MunicipalityRole, TravelModel};
use kkig_store::{Actor, PlacementFilter, StoreError, StudentFilter, UserRecord};
use serde::Deserialize;

use crate::http::auth::MaybeUser;
use crate::ui::field_errors::error_text;
use crate::ui::form::{Field, Opt, Problem};
use crate::ui::page::signed_in;
use crate::ui::page::{forbidden, render, unavailable, Chrome, MessagePage};
use crate::ui::public_cache::public_page;
use crate::AppState;

use crate::http::clock::today;
use crate::ui::page::{nf, OrUnavailable, PageResult};

mod access;
mod compensation;
mod forms;
mod index;
mod labels;
mod mine;
mod municipality;
mod need;
mod periods;
mod placements;
mod raci;
mod sites;
mod students;
mod supervisors;

use access::*;
pub use compensation::*;
pub use forms::*;
pub use index::*;
use labels::*;
pub use mine::*;
pub use municipality::*;
pub use need::*;
pub use periods::*;
pub use placements::*;
pub use raci::*;
pub use sites::*;
pub use students::*;
pub use supervisors::*;

/// The VFU pages, merged into the application's router.
pub fn routes() -> Routes {
    let k = "/vfu/kommun/{kod}";
    let l = "/vfu/larosate/{uni}";
    Routes::new(Surface::Page)
        .get("/vfu", index)
        .get("/vfu/min", mine)
        .post("/vfu/min/{id}/onskemal", Op::VfuStudentWishes, wishes_save)
        .get(k, muni_overview)
        .get(&format!("{k}/vem-gor-vad"), raci_page)
        .get(&format!("{k}/vem-gor-vad/andra"), raci_edit_form)
        .post(&format!("{k}/vem-gor-vad/andra"), Op::VfuRaciSet, raci_save)
        .post(&format!("{k}/vem-gor-vad/standard"), Op::VfuRaciReset, raci_reset)
        .post(&format!("{k}/kontakter"), Op::VfuContactCreate, contact_create)
        .get(&format!("{k}/kontakter/{{id}}"), contact_edit_form)
        .post(&format!("{k}/kontakter/{{id}}"), Op::VfuContactUpdate, contact_update)
        .post(
            &format!("{k}/kontakter/{{id}}/ta-bort"),
            Op::VfuContactDelete,
            contact_delete,
        )
        .get(&format!("{k}/platser"), sites_page)
        .get(&format!("{k}/platser/ny"), site_new_form)
        .post(&format!("{k}/platser/ny"), Op::VfuSiteCreate, site_create)
        .get(&format!("{k}/platser/{{id}}"), site_edit_form)
        .post(&format!("{k}/platser/{{id}}"), Op::VfuSiteUpdate, site_update)
        .post(&format!("{k}/platser/{{id}}/ta-bort"), Op::VfuSiteDelete, site_delete)
        .post(&format!("{k}/platser/{{id}}/intresse"), Op::VfuHostingSet, hosting_set)
        .post(
            &format!("{k}/platser/{{id}}/intresse/{{term}}/ta-bort"),
            Op::VfuHostingDelete,
            hosting_delete,
        )
        .get(&format!("{k}/handledare"), supervisors_page)
        .get(&format!("{k}/handledare/ny"), supervisor_new_form)
        .post(
            &format!("{k}/handledare/ny"),
            Op::VfuSupervisorCreate,
            supervisor_create,
        )
        .get(&format!("{k}/handledare/{{id}}"), supervisor_edit_form)
        .post(
            &format!("{k}/handledare/{{id}}"),
            Op::VfuSupervisorUpdate,
            supervisor_update,
        )
        .post(
            &format!("{k}/handledare/{{id}}/ta-bort"),
            Op::VfuSupervisorDelete,
            supervisor_delete,
        )
        .post(
            &format!("{k}/handledare/{{id}}/inbjudan"),
            Op::VfuSupervisorInvite,
            supervisor_invite,
        )
        .get(&format!("{k}/utbildningsbehov"), need_page)
        .get(&format!("{k}/placeringar"), muni_placements)
        .get(&format!("{k}/ersattning"), compensation_page)
        .get(&format!("{k}/ersattning.csv"), compensation_csv)
        .get(&format!("{k}/ersattning.xlsx"), compensation_xlsx)
        .get(&format!("{k}/placeringar/{{id}}"), placement_edit_form)
        .post(
            &format!("{k}/placeringar/{{id}}"),
            Op::VfuPlacementUpdate,
            placement_update,
        )
        .get(l, uni_overview)
        .get(&format!("{l}/perioder/ny"), period_new_form)
        .post(&format!("{l}/perioder/ny"), Op::VfuPeriodCreate, period_create)
        .get(&format!("{l}/perioder/{{id}}"), period_page)
        .get(&format!("{l}/perioder/{{id}}/andra"), period_edit_form)
        .post(
            &format!("{l}/perioder/{{id}}/andra"),
            Op::VfuPeriodUpdate,
            period_update,
        )
        .post(
            &format!("{l}/perioder/{{id}}/ta-bort"),
            Op::VfuPeriodDelete,
            period_delete,
        )
        .get(&format!("{l}/perioder/{{id}}/studenter/ny"), student_new_form)
        .post(
            &format!("{l}/perioder/{{id}}/studenter/ny"),
            Op::VfuStudentCreate,
            student_create,
        )
        .get(&format!("{l}/studenter/{{id}}"), student_edit_form)
        .post(&format!("{l}/studenter/{{id}}"), Op::VfuStudentUpdate, student_update)
        .post(
            &format!("{l}/studenter/{{id}}/ta-bort"),
            Op::VfuStudentDelete,
            student_delete,
        )
        .get(&format!("{l}/studenter/{{id}}/placera"), placement_new_form)
        .post(
            &format!("{l}/studenter/{{id}}/placera"),
            Op::VfuPlacementCreate,
            placement_create,
        )
        .post(
            "/vfu/placering/{id}/status",
            Op::VfuPlacementTransition,
            placement_status,
        )
        .post("/vfu/placering/{id}/ta-bort", Op::VfuPlacementDelete, placement_delete)
}

fn see_other(to: &str) -> Response {
    crate::http::redirect::see_other(to)
}

/// A refusal by the store (conflict, invalid transition) as a page naming what to do.
fn refused(chrome: Chrome, error: StoreError, back: &str) -> Response {
    let message = match &error {
        StoreError::Fields(errors) => errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(" "),
        StoreError::Conflict(m) | StoreError::Invalid(m) => m.clone(),
        _ => return unavailable(chrome, &error),
    };
    let title = chrome.t("vfu-refused-title");
    let message = format!("{message} {}", chrome.t1("vfu-refused-back", "path", back));
    render(StatusCode::CONFLICT, &MessagePage { chrome, title, message })
}
