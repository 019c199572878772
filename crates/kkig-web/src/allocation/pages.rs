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

use std::collections::{BTreeMap, HashMap};

use crate::http::guard::{Guard, Op, Routes, Surface};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use fluent_bundle::FluentValue;
use kkig_core::access::{Action, Target};
use kkig_core::allocation::product::{current_site, firm_site, run, Preview, PreviewStudent};
use kkig_core::allocation::{Rules, UnplacedReason, MAX_RULE_MAGNITUDE, MAX_TRAVEL_LIMIT};
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
use crate::ui::page::{nf, store, tri};

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
    id: &str,
) -> Result<Ctx, Response> {
    let user = signed_in(chrome, me)?;
    let all = state
        .store
        .universities()
        .await
        .map_err(|e| unavailable(chrome.clone(), &e))?;
    let u = all.into_iter().find(|u| u.code == code).ok_or_else(|| nf(chrome))?;
    let target = Target::UniversityRecord { university: &u.code };
    let allowed = match guard {
        Some(g) => g.allows(&user.principal(), &target),
        None => user.principal().may(Action::Write, &target),
    };
    if !allowed {
        return Err(forbidden(chrome.clone()));
    }
    match state.store.vfu_period(id).await {
        Ok(Some(period)) if period.university == u.code => Ok(Ctx {
            user,
            code: u.code,
            uni_name: u.name,
            period,
        }),
        Ok(_) => Err(nf(chrome)),
        Err(e) => Err(unavailable(chrome.clone(), &e)),
    }
}

/// The period's data, rules and the run on them (off the async threads).
struct Run {
    data: AllocationData,
    rules: Rules,
    preview: Preview,
}

async fn compute(state: &AppState, chrome: &Chrome, ctx: &Ctx) -> Result<Run, Response> {
    let rules = state
        .store
        .allocation_rules(&ctx.code)
        .await
        .map_err(|e| unavailable(chrome.clone(), &e))?;
    let data = state
        .store
        .allocation_data(&ctx.period.id)
        .await
        .map_err(|e| unavailable(chrome.clone(), &e))?
        .ok_or_else(|| nf(chrome))?;
    // The data and rules go to the blocking thread and come back with the run: no copy.
    let (data, rules, result) = tokio::task::spawn_blocking(move || {
        let result = run(&data.view(), &rules);
        (data, rules, result)
    })
    .await
    .map_err(|e| unavailable(chrome.clone(), &e))?;
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
            ))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What publishing would change

/// What publishing the run would do to one student (the store's rules, docs/allocation.md
/// "Publishing").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
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
    fn key(self) -> &'static str {
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

fn change_of(data: &AllocationData, student: &str, site: Option<&str>) -> Change {
    if firm_site(&data.placements, student).is_some() {
        return Change::Firm;
    }
    match (current_site(&data.placements, student), site) {
        (Some(c), Some(s)) if c == s => Change::Unchanged,
        (Some(_), Some(_)) => Change::Moved,
        (Some(_), None) => Change::Withdrawn,
        (None, Some(_)) => Change::Created,
        (None, None) => Change::None,
    }
}

fn plan(r: &Run) -> PublishReport {
    let mut p = PublishReport::default();
    for s in &r.preview.students {
        match change_of(&r.data, &s.student, s.site.as_deref()) {
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
fn report_rows(chrome: &Chrome, r: &PublishReport) -> Vec<(String, String)> {
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

// ---------------------------------------------------------------------------------------------
// The rules form

/// An input of the rules form, labelled from the rule's name.
fn rule_field(chrome: &Chrome, name: &'static str, kind: &'static str, value: String) -> Field {
    let label = chrome.t(&format!("alloc-rule-{}", name.replace('_', "-")));
    let hint = chrome.t(&format!("alloc-rule-{}-hint", name.replace('_', "-")));
    Field::new("f", name, label, kind, &value).hint(hint)
}

/// Put each error next to its field (the first per field) and into the summary.
fn attach(fields: &mut [Field], errors: &[(String, String)]) -> Vec<Problem> {
    let mut out = Vec::new();
    for f in fields.iter_mut() {
        for (_, text) in errors.iter().filter(|(n, _)| n == f.name) {
            out.push(Problem {
                target: f.id(),
                text: text.clone(),
            });
            if f.error.is_none() {
                f.error = Some(text.clone());
            }
        }
    }
    for (n, text) in errors.iter().filter(|(n, _)| !fields.iter().any(|f| f.name == n)) {
        out.push(Problem {
            target: String::new(),
            text: format!("{n}: {text}"),
        });
    }
    out
}

const RULE_NAMES: [&str; 9] = [
    "max_travel_minutes",
    "road_factor",
    "speed_kmh",
    "home_municipality_bonus",
    "preference_bonus_1",
    "preference_bonus_2",
    "preference_bonus_3",
    "move_penalty",
    "unplaced_penalty",
];

/// The rules form as posted: every value as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RulesForm {
    pub max_travel_minutes: String,
    pub road_factor: String,
    pub speed_kmh: String,
    pub home_municipality_bonus: String,
    pub preference_bonus_1: String,
    pub preference_bonus_2: String,
    pub preference_bonus_3: String,
    pub move_penalty: String,
    pub unplaced_penalty: String,
}

impl RulesForm {
    fn of(chrome: &Chrome, r: &Rules) -> Self {
        let b = |k: usize| r.preference_bonus.get(k).copied().unwrap_or(0).to_string();
        Self {
            max_travel_minutes: r.max_travel_minutes.to_string(),
            road_factor: decimal(chrome, r.road_factor),
            speed_kmh: decimal(chrome, r.speed_kmh),
            home_municipality_bonus: r.home_municipality_bonus.to_string(),
            preference_bonus_1: b(0),
            preference_bonus_2: b(1),
            preference_bonus_3: b(2),
            move_penalty: r.move_penalty.to_string(),
            unplaced_penalty: r.unplaced_penalty.to_string(),
        }
    }

    fn value(&self, name: &str) -> &str {
        match name {
            "max_travel_minutes" => &self.max_travel_minutes,
            "road_factor" => &self.road_factor,
            "speed_kmh" => &self.speed_kmh,
            "home_municipality_bonus" => &self.home_municipality_bonus,
            "preference_bonus_1" => &self.preference_bonus_1,
            "preference_bonus_2" => &self.preference_bonus_2,
            "preference_bonus_3" => &self.preference_bonus_3,
            "move_penalty" => &self.move_penalty,
            _ => &self.unplaced_penalty,
        }
    }

    fn fields(&self, chrome: &Chrome) -> Vec<Field> {
        RULE_NAMES
            .iter()
            .map(|n| rule_field(chrome, n, "text", self.value(n).to_string()))
            .collect()
    }

    /// The rules, or an error per bad field in the page's language. `old` gives the preference
    /// bonuses beyond the third (set through the API), which the form keeps.
    fn parse(&self, chrome: &Chrome, old: &Rules) -> Result<Rules, Vec<(String, String)>> {
        let mut errors = Vec::new();
        let label = |n: &str| chrome.t(&format!("alloc-rule-{}", n.replace('_', "-")));
        let mut int = |n: &'static str, min: i64, max: i64| -> i64 {
            let raw: String = self
                .value(n)
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| if c == '−' { '-' } else { c })
                .collect();
            if raw.is_empty() {
                errors.push((n.to_string(), chrome.t1("alloc-error-required", "field", &label(n))));
                return 0;
            }
            match raw.parse::<i64>() {
                Ok(v) if (min..=max).contains(&v) => v,
                Ok(_) => {
                    errors.push((
                        n.to_string(),
                        chrome.i18n_args(
                            "alloc-error-int-range",
                            &[("field", label(n)), ("min", chrome.int(min)), ("max", chrome.int(max))],
                        ),
                    ));
                    0
                }
                Err(_) => {
                    errors.push((n.to_string(), chrome.t1("alloc-error-int", "field", &label(n))));
                    0
                }
            }
        };
        let max_travel_minutes = int("max_travel_minutes", 0, MAX_TRAVEL_LIMIT);
        let home_municipality_bonus = int("home_municipality_bonus", -MAX_RULE_MAGNITUDE, MAX_RULE_MAGNITUDE);
        let b1 = int("preference_bonus_1", -MAX_RULE_MAGNITUDE, MAX_RULE_MAGNITUDE);
        let b2 = int("preference_bonus_2", -MAX_RULE_MAGNITUDE, MAX_RULE_MAGNITUDE);
        let b3 = int("preference_bonus_3", -MAX_RULE_MAGNITUDE, MAX_RULE_MAGNITUDE);
        let move_penalty = int("move_penalty", -MAX_RULE_MAGNITUDE, MAX_RULE_MAGNITUDE);
        let unplaced_penalty = int("unplaced_penalty", -MAX_RULE_MAGNITUDE, MAX_RULE_MAGNITUDE);
        let mut dec = |n: &'static str, max: f64| -> f64 {
            let raw: String = self
                .value(n)
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| if c == ',' { '.' } else { c })
                .collect();
            if raw.is_empty() {
                errors.push((n.to_string(), chrome.t1("alloc-error-required", "field", &label(n))));
                return 0.0;
            }
            match raw.parse::<f64>() {
                Ok(v) if v.is_finite() && v > 0.0 && v <= max => v,
                _ => {
                    errors.push((
                        n.to_string(),
                        chrome.i18n_args(
                            "alloc-error-decimal-range",
                            &[("field", label(n)), ("max", chrome.int(max as i64))],
                        ),
                    ));
                    0.0
                }
            }
        };
        let road_factor = dec("road_factor", 100.0);
        let speed_kmh = dec("speed_kmh", 10_000.0);
        if !errors.is_empty() {
            // In the order of the form.
            errors.sort_by_key(|(n, _)| RULE_NAMES.iter().position(|x| x == n));
            return Err(errors);
        }
        let mut preference_bonus = vec![b1, b2, b3];
        preference_bonus.extend(old.preference_bonus.iter().skip(3));
        Ok(Rules {
            max_travel_minutes,
            road_factor,
            speed_kmh,
            home_municipality_bonus,
            preference_bonus,
            move_penalty,
            unplaced_penalty,
        })
    }
}

fn decimal(chrome: &Chrome, x: f64) -> String {
    let s = format!("{x}");
    if chrome.lang == crate::ui::i18n::Lang::Sv {
        s.replace('.', ",")
    } else {
        s
    }
}

/// The store's field errors with the form's field names (`preference_bonus[0]` →
/// `preference_bonus_1`).
fn store_field_errors(chrome: &Chrome, errors: &[FieldError]) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|e| {
            let name = match e
                .field
                .strip_prefix("preference_bonus[")
                .and_then(|r| r.strip_suffix(']'))
                .and_then(|k| k.parse::<usize>().ok())
            {
                Some(k) if k < 3 => format!("preference_bonus_{}", k + 1),
                _ => e.field.clone(),
            };
            let label = if RULE_NAMES.contains(&name.as_str()) {
                chrome.t(&format!("alloc-rule-{}", name.replace('_', "-")))
            } else {
                name.clone()
            };
            (name, format!("{label}: {}", e.message))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The page

pub struct SummaryView {
    pub students: String,
    pub placed: String,
    pub placed_share: String,
    pub placed_home: String,
    pub home_share: String,
    pub moved: String,
    pub minutes: String,
}

pub struct BucketView {
    pub label: String,
    pub students: String,
    pub share: String,
}

pub struct StudentView {
    pub id: String,
    pub name: String,
    pub home: String,
    pub site: String,
    pub minutes: String,
    pub cost: String,
    pub home_placed: bool,
    /// What publishing does for this student, in words.
    pub change: String,
    pub change_key: &'static str,
    /// "Låst för hand", "Fast (bekräftad)" or empty.
    pub locked: String,
    pub href: String,
}

pub struct UnplacedView {
    pub id: String,
    pub name: String,
    pub home: String,
    pub reason: String,
    pub href: String,
}

pub struct LockView {
    pub student: String,
    pub site: String,
    pub reason: String,
    pub by: String,
    pub at: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "allocation/page.html")]
pub struct AllocationPage {
    pub chrome: Chrome,
    pub title: String,
    pub uni_href: String,
    pub uni_name: String,
    pub period_href: String,
    pub period_label: String,
    pub base: String,
    pub notice: String,
    pub fields: Vec<Field>,
    pub problems: Vec<Problem>,
    pub summary: SummaryView,
    pub travel: Vec<BucketView>,
    pub students: Vec<StudentView>,
    pub unplaced: Vec<UnplacedView>,
    pub locks: Vec<LockView>,
    pub plan: Vec<(String, String)>,
    pub changes: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageQuery {
    klart: String,
}

fn percent(chrome: &Chrome, share: f64) -> String {
    format!("{}\u{a0}%", format_decimal(chrome.lang, share * 100.0, 0))
}

async fn municipality_names(state: &AppState) -> Result<BTreeMap<Kommunkod, String>, StoreError> {
    Ok(state
        .store
        .municipalities()
        .await?
        .into_iter()
        .map(|m| (m.code, m.name))
        .collect())
}

fn muni_name(names: &BTreeMap<Kommunkod, String>, code: &str) -> String {
    Kommunkod::parse(code)
        .ok()
        .and_then(|k| names.get(&k).cloned())
        .unwrap_or_else(|| code.to_string())
}

/// Names of the users who locked, by actor label (`user:ID`).
async fn lockers(state: &AppState, chrome: &Chrome, locks: &[AllocationLock]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for l in locks {
        if out.contains_key(&l.locked_by) {
            continue;
        }
        let name = match l.locked_by.strip_prefix("user:") {
            Some(id) => state
                .store
                .user_by_id(id)
                .await
                .ok()
                .flatten()
                .map(|u| u.name)
                .unwrap_or_else(|| l.locked_by.clone()),
            None if l.locked_by == "cli" => chrome.t("alloc-by-cli"),
            None => l.locked_by.clone(),
        };
        out.insert(l.locked_by.clone(), name);
    }
    out
}

/// Why a student is unplaced, in the page's language, naming sites by their names.
fn unplaced_text(chrome: &Chrome, st: &PreviewStudent, sites: &HashMap<&str, &str>) -> String {
    let Some(why) = &st.why else {
        return st.reason.clone().unwrap_or_default();
    };
    let field = |code: &str| chrome.t(&format!("vfu-field-{code}"));
    let site = |id: &str| sites.get(id).copied().unwrap_or(id).to_string();
    let int = |n: i64| FluentValue::from(n);
    match why {
        UnplacedReason::NoSiteInField { field: f } => {
            chrome.message("alloc-why-no-site", &[("field", FluentValue::from(field(f)))])
        }
        UnplacedReason::NoneWithinTravel { field: f, limit } => chrome.message(
            "alloc-why-too-far",
            &[("field", FluentValue::from(field(f))), ("limit", int(*limit))],
        ),
        UnplacedReason::CostlierThanUnplaced {
            site: s,
            minutes,
            cost,
            penalty,
        } => chrome.message(
            "alloc-why-costly",
            &[
                ("site", FluentValue::from(site(s))),
                ("minutes", int(*minutes)),
                ("cost", int(*cost)),
                ("penalty", int(*penalty)),
            ],
        ),
        UnplacedReason::AllFull { count, limit, nearest } => {
            let names: Vec<String> = nearest
                .iter()
                .map(|(id, t)| chrome.t2("alloc-why-site-minutes", "site", &site(id), "minutes", &t.to_string()))
                .collect();
            chrome.message(
                "alloc-why-full",
                &[
                    ("count", int(*count as i64)),
                    ("limit", int(*limit)),
                    ("nearest", FluentValue::from(names.join(", "))),
                ],
            )
        }
    }
}

fn site_names(data: &AllocationData) -> HashMap<&str, &str> {
    data.sites.iter().map(|s| (s.id.as_str(), s.name.as_str())).collect()
}

async fn show(
    state: &AppState,
    chrome: Chrome,
    ctx: &Ctx,
    status: StatusCode,
    notice: String,
    form: Option<(Vec<Field>, Vec<Problem>)>,
) -> Response {
    let r = tri!(compute(state, &chrome, ctx).await);
    let names = store!(chrome, municipality_names(state).await);
    let locks = store!(chrome, state.store.allocation_locks(&ctx.period.id).await);
    let by = lockers(state, &chrome, &locks).await;
    let sites = site_names(&r.data);
    let manual: HashMap<&str, &AllocationLock> = locks.iter().map(|l| (l.student_id.as_str(), l)).collect();
    let base = ctx.base();
    let s = &r.preview.summary;
    let summary = SummaryView {
        students: chrome.int(s.students as i64),
        placed: chrome.int(s.placed as i64),
        placed_share: percent(&chrome, s.placed_share),
        placed_home: chrome.int(s.placed_home as i64),
        home_share: percent(&chrome, s.home_share),
        moved: chrome.int(s.moved as i64),
        minutes: if s.placed == 0 {
            "–".into()
        } else {
            chrome.i18n_args(
                "alloc-minutes-range",
                &[
                    ("min", chrome.int(s.minutes_min)),
                    ("median", chrome.int(s.minutes_median)),
                    ("max", chrome.int(s.minutes_max)),
                ],
            )
        },
    };
    let travel = s
        .travel
        .iter()
        .map(|b| BucketView {
            label: chrome.t1("alloc-bucket", "minutes", &b.minutes.replace('-', "–")),
            students: chrome.int(b.students as i64),
            share: percent(
                &chrome,
                if s.placed == 0 {
                    0.0
                } else {
                    b.students as f64 / s.placed as f64
                },
            ),
        })
        .collect();
    let mut students = Vec::new();
    let mut unplaced = Vec::new();
    for st in &r.preview.students {
        let href = format!("{base}/studenter/{}", st.student);
        let home = muni_name(&names, &st.home_municipality);
        match (&st.site, &st.reason) {
            (Some(site), _) => {
                let change = change_of(&r.data, &st.student, Some(site));
                let change_text = match change {
                    Change::Moved => {
                        let from = current_site(&r.data.placements, &st.student).unwrap_or_default();
                        chrome.t1(
                            "alloc-row-moved",
                            "site",
                            sites.get(from.as_str()).copied().unwrap_or(&from),
                        )
                    }
                    c => chrome.t(&format!("alloc-row-{}", c.key())),
                };
                let locked = match (manual.get(st.student.as_str()), st.locked) {
                    (Some(_), _) => chrome.t("alloc-locked-manual"),
                    (None, true) => chrome.t("alloc-locked-firm"),
                    _ => String::new(),
                };
                let site_label = match &st.site_municipality {
                    Some(m) => format!(
                        "{} ({})",
                        st.site_name.clone().unwrap_or_else(|| site.clone()),
                        muni_name(&names, m)
                    ),
                    None => st.site_name.clone().unwrap_or_else(|| site.clone()),
                };
                students.push(StudentView {
                    id: st.student.clone(),
                    name: st.name.clone(),
                    home,
                    site: site_label,
                    minutes: st.minutes.map(|m| chrome.int(m)).unwrap_or_default(),
                    cost: st.cost.map(|c| chrome.int(c)).unwrap_or_default(),
                    home_placed: st.home,
                    change: change_text,
                    change_key: change.key(),
                    locked,
                    href,
                });
            }
            (None, _) => {
                let mut reason = unplaced_text(&chrome, st, &sites);
                if change_of(&r.data, &st.student, None) == Change::Withdrawn {
                    reason = format!("{} {reason}", chrome.t("alloc-row-withdrawn"));
                }
                unplaced.push(UnplacedView {
                    id: st.student.clone(),
                    name: st.name.clone(),
                    home,
                    reason,
                    href,
                });
            }
        }
    }
    let student_names: HashMap<&str, &str> = r
        .data
        .students
        .iter()
        .map(|s| (s.id.as_str(), s.name.as_str()))
        .collect();
    let locks = locks
        .iter()
        .map(|l| LockView {
            student: student_names
                .get(l.student_id.as_str())
                .copied()
                .unwrap_or(&l.student_id)
                .to_string(),
            site: sites.get(l.site_id.as_str()).copied().unwrap_or(&l.site_id).to_string(),
            reason: l.reason.clone(),
            by: by.get(&l.locked_by).cloned().unwrap_or_default(),
            at: format_time(l.locked_at),
            href: format!("{base}/studenter/{}", l.student_id),
        })
        .collect();
    let p = plan(&r);
    let (fields, problems) = form.unwrap_or_else(|| (RulesForm::of(&chrome, &r.rules).fields(&chrome), Vec::new()));
    let title = chrome.t1("alloc-title", "period", &ctx.period_label(&chrome));
    let page = AllocationPage {
        title,
        uni_href: ctx.uni_href(),
        uni_name: ctx.uni_name.clone(),
        period_href: ctx.period_href(),
        period_label: ctx.period_label(&chrome),
        base,
        notice,
        fields,
        problems,
        summary,
        travel,
        students,
        unplaced,
        locks,
        plan: report_rows(&chrome, &p),
        changes: p.changed(),
        chrome,
    };
    render(status, &page)
}

async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((code, id)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Response {
    let ctx = tri!(access(&state, &chrome, me, None, &code, &id).await);
    let notice = match q.klart.as_str() {
        k @ ("kord" | "regler" | "last" | "upplast") => chrome.t(&format!("alloc-done-{k}")),
        _ => String::new(),
    };
    show(&state, chrome, &ctx, StatusCode::OK, notice, None).await
}

/// "Kör fördelning": the run is computed when the page is shown; this shows it again now.
async fn run_again(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id)): Path<(String, String)>,
) -> Response {
    let ctx = tri!(access(&state, &chrome, me, Some(&guard), &code, &id).await);
    Redirect::to(&format!("{}?klart=kord#forslag", ctx.base())).into_response()
}

async fn save_rules(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id)): Path<(String, String)>,
    Form(form): Form<RulesForm>,
) -> Response {
    let ctx = tri!(access(&state, &chrome, me, Some(&guard), &code, &id).await);
    let old = store!(chrome, state.store.allocation_rules(&ctx.code).await);
    let errors = match form.parse(&chrome, &old) {
        Ok(rules) => match state.store.save_allocation_rules(&ctx.code, &rules, &ctx.actor()).await {
            Ok(()) => return Redirect::to(&format!("{}?klart=regler#regler", ctx.base())).into_response(),
            Err(StoreError::Fields(e)) => store_field_errors(&chrome, &e),
            Err(e) => return unavailable(chrome, &e),
        },
        Err(e) => e,
    };
    let mut fields = form.fields(&chrome);
    let problems = attach(&mut fields, &errors);
    show(
        &state,
        chrome,
        &ctx,
        StatusCode::UNPROCESSABLE_ENTITY,
        String::new(),
        Some((fields, problems)),
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// A student: lock and unlock

#[derive(Template)]
#[template(path = "allocation/student.html")]
pub struct StudentPage {
    pub chrome: Chrome,
    pub title: String,
    pub uni_href: String,
    pub uni_name: String,
    pub period_href: String,
    pub period_label: String,
    pub base: String,
    pub action: String,
    pub facts: Vec<(String, String)>,
    /// The current lock as facts (empty when none).
    pub lock: Vec<(String, String)>,
    pub lock_fields: Vec<Field>,
    pub lock_problems: Vec<Problem>,
    pub unlock_fields: Vec<Field>,
    pub unlock_problems: Vec<Problem>,
    /// Why the run leaves the student unplaced, in the page's language.
    pub reason: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LockForm {
    pub site: String,
    pub reason: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UnlockForm {
    pub reason: String,
}

fn reason_field(chrome: &Chrome, prefix: &'static str, key: &str, value: &str) -> Field {
    Field::new(prefix, "reason", chrome.t(&format!("alloc-{key}")), "textarea", value)
        .hint(chrome.t(&format!("alloc-{key}-hint")))
}

#[allow(clippy::too_many_arguments)]
async fn student_view(
    state: &AppState,
    chrome: Chrome,
    ctx: &Ctx,
    student: &str,
    status: StatusCode,
    lock_form: &LockForm,
    lock_errors: &[(String, String)],
    unlock_form: &UnlockForm,
    unlock_errors: &[(String, String)],
) -> Response {
    let r = tri!(compute(state, &chrome, ctx).await);
    let Some(st) = r.preview.students.iter().find(|s| s.student == student) else {
        return nf(&chrome);
    };
    let names = store!(chrome, municipality_names(state).await);
    let locks = store!(chrome, state.store.allocation_locks(&ctx.period.id).await);
    let mine = locks.iter().find(|l| l.student_id == student);
    let by = lockers(state, &chrome, &locks).await;
    let sites = site_names(&r.data);
    let site_label = |id: &str| sites.get(id).copied().unwrap_or(id).to_string();
    let none = chrome.t("alloc-none");
    let mut facts = vec![
        (chrome.t("alloc-col-home"), muni_name(&names, &st.home_municipality)),
        (
            chrome.t("alloc-col-proposed"),
            st.site.as_deref().map(site_label).unwrap_or_else(|| none.clone()),
        ),
        (
            chrome.t("alloc-col-published"),
            current_site(&r.data.placements, student)
                .or_else(|| firm_site(&r.data.placements, student))
                .as_deref()
                .map(site_label)
                .unwrap_or_else(|| none.clone()),
        ),
    ];
    if let Some(m) = st.minutes {
        facts.push((chrome.t("alloc-col-minutes"), chrome.int(m)));
    }
    let firm = firm_site(&r.data.placements, student).is_some();
    if firm {
        facts.push((chrome.t("alloc-col-locked"), chrome.t("alloc-locked-firm")));
    }
    let lock = mine
        .map(|l| {
            vec![
                (chrome.t("alloc-col-site"), site_label(&l.site_id)),
                (chrome.t("alloc-col-lock-reason"), l.reason.clone()),
                (
                    chrome.t("alloc-col-by"),
                    by.get(&l.locked_by).cloned().unwrap_or_default(),
                ),
                (chrome.t("alloc-col-at"), format_time(l.locked_at)),
            ]
        })
        .unwrap_or_default();
    // The sites that take the period's field, and the locked one if it does not.
    let field = r.data.period.field;
    let mut choices: Vec<(String, String)> = r
        .data
        .sites
        .iter()
        .filter(|s| s.fields.iter().any(|f| f.field == field) || mine.is_some_and(|l| l.site_id == s.id))
        .map(|s| {
            (
                s.id.clone(),
                format!(
                    "{} ({})",
                    s.name,
                    names.get(&s.municipality).cloned().unwrap_or_default()
                ),
            )
        })
        .collect();
    choices.sort_by(|a, b| kkig_core::text::swedish_cmp(&a.1, &b.1));
    let selected = if lock_form.site.is_empty() {
        mine.map(|l| l.site_id.clone())
            .or_else(|| st.site.clone())
            .unwrap_or_default()
    } else {
        lock_form.site.clone()
    };
    let mut options = vec![(String::new(), chrome.t("alloc-choose-site"))];
    options.extend(choices);
    let site = Field::new("lock", "site", chrome.t("alloc-lock-site"), "select", &selected)
        .hint(chrome.t("alloc-lock-site-hint"))
        .options(options);
    let mut lock_fields = vec![site, reason_field(&chrome, "lock", "lock-reason", &lock_form.reason)];
    let lock_problems = attach(&mut lock_fields, lock_errors);
    let mut unlock_fields = if mine.is_some() {
        vec![reason_field(&chrome, "unlock", "unlock-reason", &unlock_form.reason)]
    } else {
        Vec::new()
    };
    let unlock_problems = attach(&mut unlock_fields, unlock_errors);
    let base = ctx.base();
    let page = StudentPage {
        title: chrome.t1("alloc-student-title", "name", &st.name),
        uni_href: ctx.uni_href(),
        uni_name: ctx.uni_name.clone(),
        period_href: ctx.period_href(),
        period_label: ctx.period_label(&chrome),
        action: format!("{base}/studenter/{student}"),
        base,
        facts,
        lock,
        lock_fields,
        lock_problems,
        unlock_fields,
        unlock_problems,
        reason: if st.site.is_none() {
            unplaced_text(&chrome, st, &sites)
        } else {
            String::new()
        },
        chrome,
    };
    render(status, &page)
}

async fn student_page(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((code, id, student)): Path<(String, String, String)>,
) -> Response {
    let ctx = tri!(access(&state, &chrome, me, None, &code, &id).await);
    student_view(
        &state,
        chrome,
        &ctx,
        &student,
        StatusCode::OK,
        &LockForm::default(),
        &[],
        &UnlockForm::default(),
        &[],
    )
    .await
}

/// The store's lock errors with the form's field names.
fn lock_errors(chrome: &Chrome, errors: &[FieldError]) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|e| match e.field.as_str() {
            "reason" => (
                "reason".to_string(),
                chrome.t1("alloc-error-reason", "message", &e.message),
            ),
            "site" => ("site".to_string(), chrome.t1("alloc-error-site", "message", &e.message)),
            f => (f.to_string(), e.message.clone()),
        })
        .collect()
}

async fn lock(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id, student)): Path<(String, String, String)>,
    Form(form): Form<LockForm>,
) -> Response {
    let ctx = tri!(access(&state, &chrome, me, Some(&guard), &code, &id).await);
    let mut errors = Vec::new();
    if form.site.trim().is_empty() {
        errors.push((
            "site".to_string(),
            chrome.t1("alloc-error-required", "field", &chrome.t("alloc-lock-site")),
        ));
    }
    if form.reason.trim().is_empty() {
        errors.push((
            "reason".to_string(),
            chrome.t1("alloc-error-required", "field", &chrome.t("alloc-lock-reason")),
        ));
    }
    if errors.is_empty() {
        match state
            .store
            .set_allocation_lock(
                &ctx.period.id,
                &student,
                form.site.trim(),
                form.reason.trim(),
                &ctx.actor(),
            )
            .await
        {
            Ok(_) => return crate::http::redirect::see_other(&format!("{}?klart=last#s-{student}", ctx.base())),
            Err(StoreError::Fields(e)) if e.iter().any(|e| e.field == "student") => return nf(&chrome),
            Err(StoreError::Fields(e)) => errors = lock_errors(&chrome, &e),
            Err(e) => return unavailable(chrome, &e),
        }
    }
    student_view(
        &state,
        chrome,
        &ctx,
        &student,
        StatusCode::UNPROCESSABLE_ENTITY,
        &form,
        &errors,
        &UnlockForm::default(),
        &[],
    )
    .await
}

async fn unlock(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id, student)): Path<(String, String, String)>,
    Form(form): Form<UnlockForm>,
) -> Response {
    let ctx = tri!(access(&state, &chrome, me, Some(&guard), &code, &id).await);
    let errors = if form.reason.trim().is_empty() {
        vec![(
            "reason".to_string(),
            chrome.t1("alloc-error-required", "field", &chrome.t("alloc-unlock-reason")),
        )]
    } else {
        match state
            .store
            .delete_allocation_lock(&ctx.period.id, &student, form.reason.trim(), &ctx.actor())
            .await
        {
            Ok(true) => return crate::http::redirect::see_other(&format!("{}?klart=upplast#s-{student}", ctx.base())),
            Ok(false) => return nf(&chrome),
            Err(StoreError::Fields(e)) => lock_errors(&chrome, &e),
            Err(e) => return unavailable(chrome, &e),
        }
    };
    student_view(
        &state,
        chrome,
        &ctx,
        &student,
        StatusCode::UNPROCESSABLE_ENTITY,
        &LockForm::default(),
        &[],
        &form,
        &errors,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Publishing

pub struct ChangeView {
    pub name: String,
    pub change: String,
    pub site: String,
}

#[derive(Template)]
#[template(path = "allocation/publish.html")]
pub struct PublishPage {
    pub chrome: Chrome,
    pub title: String,
    pub uni_href: String,
    pub uni_name: String,
    pub period_href: String,
    pub period_label: String,
    pub base: String,
    /// Before publishing: what will change; after: what changed.
    pub done: bool,
    pub intro: String,
    pub counts: Vec<(String, String)>,
    pub changes: Vec<ChangeView>,
    pub changed: usize,
}

fn changes(chrome: &Chrome, r: &Run) -> Vec<ChangeView> {
    let sites = site_names(&r.data);
    let label = |id: &str| sites.get(id).copied().unwrap_or(id).to_string();
    r.preview
        .students
        .iter()
        .filter_map(|s| {
            let c = change_of(&r.data, &s.student, s.site.as_deref());
            let site = match c {
                Change::Created => label(s.site.as_deref().unwrap_or_default()),
                Change::Moved => format!(
                    "{} → {}",
                    label(&current_site(&r.data.placements, &s.student).unwrap_or_default()),
                    label(s.site.as_deref().unwrap_or_default())
                ),
                Change::Withdrawn => label(&current_site(&r.data.placements, &s.student).unwrap_or_default()),
                _ => return None,
            };
            Some(ChangeView {
                name: s.name.clone(),
                change: chrome.t(&format!("alloc-one-{}", c.key())),
                site,
            })
        })
        .collect()
}

fn publish_view(
    chrome: Chrome,
    ctx: &Ctx,
    done: bool,
    report: &PublishReport,
    changes: Vec<ChangeView>,
) -> PublishPage {
    let title = if done {
        chrome.t("alloc-published-title")
    } else {
        chrome.t("alloc-publish-title")
    };
    let intro = if done {
        chrome.t("alloc-published-intro")
    } else {
        chrome.t("alloc-publish-intro")
    };
    PublishPage {
        title,
        uni_href: ctx.uni_href(),
        uni_name: ctx.uni_name.clone(),
        period_href: ctx.period_href(),
        period_label: ctx.period_label(&chrome),
        base: ctx.base(),
        done,
        intro,
        counts: report_rows(&chrome, report),
        changes,
        changed: report.changed(),
        chrome,
    }
}

async fn publish_page(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((code, id)): Path<(String, String)>,
) -> Response {
    let ctx = tri!(access(&state, &chrome, me, None, &code, &id).await);
    let r = tri!(compute(&state, &chrome, &ctx).await);
    let p = plan(&r);
    let list = changes(&chrome, &r);
    render(StatusCode::OK, &publish_view(chrome, &ctx, false, &p, list))
}

async fn publish(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id)): Path<(String, String)>,
) -> Response {
    let ctx = tri!(access(&state, &chrome, me, Some(&guard), &code, &id).await);
    let r = tri!(compute(&state, &chrome, &ctx).await);
    let list = changes(&chrome, &r);
    match state
        .store
        .publish_allocation(&ctx.period.id, &r.preview.placements(), today(), &ctx.actor())
        .await
    {
        Ok(report) if report.changed() == 0 => {
            let title = chrome.t("alloc-nothing-title");
            let message = chrome.t1("alloc-nothing-text", "path", &ctx.base());
            render(StatusCode::CONFLICT, &MessagePage { chrome, title, message })
        }
        Ok(report) => render(StatusCode::OK, &publish_view(chrome, &ctx, true, &report, list)),
        Err(StoreError::Fields(e)) => {
            let title = chrome.t("alloc-invalid-title");
            let message = e
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join(" ");
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &MessagePage { chrome, title, message },
            )
        }
        Err(e) => unavailable(chrome, &e),
    }
}
