//! The VFU allocation's page for a university's coordinator ("Kör fördelning", docs/allocation.md
//! "In the product"): `/vfu/larosate/{uni}/perioder/{id}/fordelning`.
//!
//! - The university's rules as a form (saved through `AllocationStore::save_allocation_rules`,
//!   like `PUT …/allocation-rules`; every bad field named next to it, 422).
//! - The preview: computed on the fly on every GET with the saved rules, the locks and the
//!   registry as they are now (the run is deterministic and fast; nothing is stored). The "Kör
//!   fördelning" button (POST) runs it and shows the page again (POST-redirect-GET).
//! - Locks per student on their own page (`…/fordelning/studenter/{student}`): a site and a
//!   required reason; unlocking also takes a reason. The store logs both (reason, by, at).
//! - Publishing: a confirmation page with what will change (new, moved, withdrawn, untouched),
//!   then one transaction through `AllocationStore::publish_allocation`, and its report.
//!
//! Access is the API's: `Principal::may(Write, UniversityRecord)` for the period's university
//! (its coordinators and admins). Anonymous visitors are sent to sign in; another university's
//! coordinator gets 403; a period of another university under this path is 404.

mod changes;
mod locks;
mod page;
mod publish;
mod rules;

use changes::*;
use locks::*;
use page::*;
use publish::*;
use rules::*;

use std::collections::{BTreeMap, HashMap};

use crate::http::guard::{Guard, Op, Routes, Surface};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use fluent_bundle::FluentValue;
use kkig_core::access::{Action, Target};
use kkig_core::allocation::product::{current_site, firm_site, run, Preview, PreviewStudent};
use kkig_core::allocation::{Rules, UnplacedReason, MAX_RULE_MAGNITUDE, MAX_TRAVEL_LIMIT};
use kkig_core::ids::*;
use kkig_core::vfu::{FieldError, VfuPeriod};
use kkig_core::Kommunkod;
use kkig_store::{Actor, AllocationData, AllocationLock, PublishReport, StoreError, UserRecord};
use serde::Deserialize;

use crate::http::auth::MaybeUser;
use crate::ui::form::{Field, Problem};
use crate::ui::i18n::format_decimal;
use crate::ui::page::{forbidden, render, unavailable, Chrome, MessagePage};
use crate::ui::page::{format_time, signed_in};
use crate::AppState;

const BASE: &str = "/vfu/larosate/{uni}/perioder/{id}/fordelning";

/// The allocation pages, merged into the application's router.
pub fn routes() -> Routes {
    Routes::new(Surface::Page)
        .get(BASE, page)
        .post(BASE, Op::AllocationRun, run_again)
        .post(&format!("{BASE}/regler"), Op::AllocationRules, save_rules)
        .get(&format!("{BASE}/studenter/{{student}}"), student_page)
        .post(&format!("{BASE}/studenter/{{student}}/las"), Op::AllocationLock, lock)
        .post(
            &format!("{BASE}/studenter/{{student}}/las-upp"),
            Op::AllocationUnlock,
            unlock,
        )
        .get(&format!("{BASE}/publicera"), publish_page)
        .post(&format!("{BASE}/publicera"), Op::AllocationPublish, publish)
}

use crate::http::clock::today;
use crate::ui::page::{nf, OrUnavailable, PageResult};

/// The signed-in coordinator, the university and the period of a request.
struct Ctx {
    user: UserRecord,
    code: String,
    uni_name: String,
    period: VfuPeriod,
}

impl Ctx {
    fn actor(&self) -> Actor {
        Actor::user(&self.user.id)
    }
    fn uni_href(&self) -> String {
        format!("/vfu/larosate/{}", self.code)
    }
    fn period_href(&self) -> String {
        format!("/vfu/larosate/{}/perioder/{}", self.code, self.period.id)
    }
    fn base(&self) -> String {
        format!("{}/fordelning", self.period_href())
    }
    fn period_label(&self, chrome: &Chrome) -> String {
        chrome.t2(
            "alloc-period-label",
            "course",
            &self.period.course_code,
            "term",
            &term_label(chrome, &self.period),
        )
    }
}

fn term_label(chrome: &Chrome, p: &VfuPeriod) -> String {
    let season = if p.term.season == kkig_core::vfu::Season::Spring {
        chrome.t("vfu-term-spring")
    } else {
        chrome.t("vfu-term-autumn")
    };
    format!("{season} {}", p.term.year)
}

/// The signed-in user who may allocate the university's periods (the API's rule:
/// `Write` on the university's records), and the period when it is the university's.
/// Writes ask through their route's guard; the pages that show the forms ask the same rule.
async fn access(
    state: &AppState,
    chrome: &Chrome,
    me: MaybeUser,
    guard: Option<&Guard>,
    code: &str,
    id: &PeriodId,
) -> PageResult<Ctx> {
    let user = signed_in(chrome, me)?;
    let all = state.store.universities().await.or_unavailable(chrome)?;
    let u = all.into_iter().find(|u| u.code == code).ok_or_else(|| nf(chrome))?;
    let target = Target::UniversityRecord { university: &u.code };
    let allowed = match guard {
        Some(g) => g.allows(&user.principal(), &target),
        None => user.principal().may(Action::Write, &target),
    };
    if !allowed {
        return Err(forbidden(chrome.clone()).into());
    }
    let period = state
        .store
        .vfu_period(id)
        .await
        .or_unavailable(chrome)?
        .filter(|p| p.university == u.code)
        .ok_or_else(|| nf(chrome))?;
    Ok(Ctx {
        user,
        code: u.code,
        uni_name: u.name,
        period,
    })
}

/// The period's data, rules and the run on them (off the async threads).
struct Run {
    data: AllocationData,
    rules: Rules,
    preview: Preview,
}

async fn compute(state: &AppState, chrome: &Chrome, ctx: &Ctx) -> PageResult<Run> {
    let rules = state.store.allocation_rules(&ctx.code).await.or_unavailable(chrome)?;
    let data = state
        .store
        .allocation_data(&ctx.period.id)
        .await
        .or_unavailable(chrome)?
        .ok_or_else(|| nf(chrome))?;
    // The data and rules go to the blocking thread and come back with the run: no copy.
    let (data, rules, result) = tokio::task::spawn_blocking(move || {
        let result = run(&data.view(), &rules);
        (data, rules, result)
    })
    .await
    .or_unavailable(chrome)?;
    match result {
        Ok(preview) => Ok(Run { data, rules, preview }),
        Err(e) => {
            let title = chrome.t("alloc-invalid-title");
            let message = chrome.t1("alloc-invalid-text", "error", &e.to_string());
            Err(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &MessagePage {
                    chrome: chrome.clone(),
                    title,
                    message,
                },
            )
            .into())
        }
    }
}
