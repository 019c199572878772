//! The allocation page of a period (`/vfu/larosate/{uni}/perioder/{id}/fordelning`): the
//! proposal computed on each view, with reasons for the unplaced.

use super::*;

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

pub(super) fn percent(chrome: &Chrome, share: f64) -> String {
    format!("{}\u{a0}%", format_decimal(chrome.lang, share * 100.0, 0))
}

pub(super) async fn municipality_names(state: &AppState) -> Result<BTreeMap<Kommunkod, String>, StoreError> {
    Ok(state
        .store
        .municipalities()
        .await?
        .into_iter()
        .map(|m| (m.code, m.name))
        .collect())
}

pub(super) fn muni_name(names: &BTreeMap<Kommunkod, String>, code: &str) -> String {
    Kommunkod::parse(code)
        .ok()
        .and_then(|k| names.get(&k).cloned())
        .unwrap_or_else(|| code.to_string())
}

/// Names of the users who locked, by actor label (`user:ID`).
pub(super) async fn lockers(state: &AppState, chrome: &Chrome, locks: &[AllocationLock]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for l in locks {
        if out.contains_key(&l.locked_by) {
            continue;
        }
        let name = match l.locked_by.strip_prefix("user:") {
            Some(id) => state
                .store
                .user_by_id(&UserId::from(id))
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
pub(super) fn unplaced_text(chrome: &Chrome, st: &PreviewStudent, sites: &HashMap<&str, &str>) -> String {
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
                ("site", FluentValue::from(site(s.as_str()))),
                ("minutes", int(*minutes)),
                ("cost", int(*cost)),
                ("penalty", int(*penalty)),
            ],
        ),
        UnplacedReason::AllFull { count, limit, nearest } => {
            let names: Vec<String> = nearest
                .iter()
                .map(|(id, t)| {
                    chrome.t2(
                        "alloc-why-site-minutes",
                        "site",
                        &site(id.as_str()),
                        "minutes",
                        &t.to_string(),
                    )
                })
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

pub(super) fn site_names(data: &AllocationData) -> HashMap<&str, &str> {
    data.sites.iter().map(|s| (s.id.as_str(), s.name.as_str())).collect()
}

pub(super) async fn show(
    state: &AppState,
    chrome: Chrome,
    ctx: &Ctx,
    status: StatusCode,
    notice: String,
    form: Option<(Vec<Field>, Vec<Problem>)>,
) -> PageResult {
    let r = compute(state, &chrome, ctx).await?;
    let names = municipality_names(state).await.or_unavailable(&chrome)?;
    let locks = state
        .store
        .allocation_locks(&ctx.period.id)
        .await
        .or_unavailable(&chrome)?;
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
                            sites.get(from.as_str()).copied().unwrap_or(from.as_str()),
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
                        st.site_name.clone().unwrap_or_else(|| site.to_string()),
                        muni_name(&names, m)
                    ),
                    None => st.site_name.clone().unwrap_or_else(|| site.to_string()),
                };
                students.push(StudentView {
                    id: st.student.to_string(),
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
                    id: st.student.to_string(),
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
                .unwrap_or(l.student_id.as_str())
                .to_string(),
            site: sites
                .get(l.site_id.as_str())
                .copied()
                .unwrap_or(l.site_id.as_str())
                .to_string(),
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
    Ok(render(status, &page))
}

pub(super) async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((code, id)): Path<(String, PeriodId)>,
    Query(q): Query<PageQuery>,
) -> PageResult {
    let ctx = access(&state, &chrome, me, None, &code, &id).await?;
    let notice = match q.klart.as_str() {
        k @ ("kord" | "regler" | "last" | "upplast") => chrome.t(&format!("alloc-done-{k}")),
        _ => String::new(),
    };
    show(&state, chrome, &ctx, StatusCode::OK, notice, None).await
}

/// "Kör fördelning": the run is computed when the page is shown; this shows it again now.
pub(super) async fn run_again(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id)): Path<(String, PeriodId)>,
) -> PageResult {
    let ctx = access(&state, &chrome, me, Some(&guard), &code, &id).await?;
    Ok(Redirect::to(&format!("{}?klart=kord#forslag", ctx.base())).into_response())
}

pub(super) async fn save_rules(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id)): Path<(String, PeriodId)>,
    Form(form): Form<RulesForm>,
) -> PageResult {
    let ctx = access(&state, &chrome, me, Some(&guard), &code, &id).await?;
    let old = state.store.allocation_rules(&ctx.code).await.or_unavailable(&chrome)?;
    let errors = match form.parse(&chrome, &old) {
        Ok(rules) => match state.store.save_allocation_rules(&ctx.code, &rules, &ctx.actor()).await {
            Ok(()) => return Ok(Redirect::to(&format!("{}?klart=regler#regler", ctx.base())).into_response()),
            Err(StoreError::Fields(e)) => store_field_errors(&chrome, &e),
            Err(e) => return Err(unavailable(chrome, &e).into()),
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
