//! One student's page in the allocation: locking them to a site with a reason, and unlocking.

use super::*;

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

pub(super) fn reason_field(chrome: &Chrome, prefix: &'static str, key: &str, value: &str) -> Field {
    Field::new(prefix, "reason", chrome.t(&format!("alloc-{key}")), "textarea", value)
        .hint(chrome.t(&format!("alloc-{key}-hint")))
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn student_view(
    state: &AppState,
    chrome: Chrome,
    ctx: &Ctx,
    student: &StudentId,
    status: StatusCode,
    lock_form: &LockForm,
    lock_errors: &[(String, String)],
    unlock_form: &UnlockForm,
    unlock_errors: &[(String, String)],
) -> PageResult {
    let r = compute(state, &chrome, ctx).await?;
    let Some(st) = r.preview.students.iter().find(|s| s.student == *student) else {
        return Err(nf(&chrome).into());
    };
    let names = municipality_names(state).await.or_unavailable(&chrome)?;
    let locks = state
        .store
        .allocation_locks(&ctx.period.id)
        .await
        .or_unavailable(&chrome)?;
    let mine = locks.iter().find(|l| l.student_id == *student);
    let by = lockers(state, &chrome, &locks).await;
    let sites = site_names(&r.data);
    let site_label = |id: &str| sites.get(id).copied().unwrap_or(id).to_string();
    let none = chrome.t("alloc-none");
    let mut facts = vec![
        (chrome.t("alloc-col-home"), muni_name(&names, &st.home_municipality)),
        (
            chrome.t("alloc-col-proposed"),
            st.site
                .as_ref()
                .map(SiteId::as_str)
                .map(site_label)
                .unwrap_or_else(|| none.clone()),
        ),
        (
            chrome.t("alloc-col-published"),
            current_site(&r.data.placements, student)
                .or_else(|| firm_site(&r.data.placements, student))
                .as_ref()
                .map(SiteId::as_str)
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
                (chrome.t("alloc-col-site"), site_label(l.site_id.as_str())),
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
                s.id.to_string(),
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
        mine.map(|l| l.site_id.to_string())
            .or_else(|| st.site.as_ref().map(SiteId::to_string))
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
    Ok(render(status, &page))
}

pub(super) async fn student_page(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((code, id, student)): Path<(String, PeriodId, StudentId)>,
) -> PageResult {
    let ctx = access(&state, &chrome, me, None, &code, &id).await?;
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
pub(super) fn lock_errors(chrome: &Chrome, errors: &[FieldError]) -> Vec<(String, String)> {
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

pub(super) async fn lock(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id, student)): Path<(String, PeriodId, StudentId)>,
    Form(form): Form<LockForm>,
) -> PageResult {
    let ctx = access(&state, &chrome, me, Some(&guard), &code, &id).await?;
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
                &SiteId::from(form.site.trim()),
                form.reason.trim(),
                &ctx.actor(),
            )
            .await
        {
            Ok(_) => {
                return Ok(crate::http::redirect::see_other(&format!(
                    "{}?klart=last#s-{student}",
                    ctx.base()
                )))
            }
            Err(StoreError::Fields(e)) if e.iter().any(|e| e.field == "student") => return Err(nf(&chrome).into()),
            Err(StoreError::Fields(e)) => errors = lock_errors(&chrome, &e),
            Err(e) => return Err(unavailable(chrome, &e).into()),
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

pub(super) async fn unlock(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id, student)): Path<(String, PeriodId, StudentId)>,
    Form(form): Form<UnlockForm>,
) -> PageResult {
    let ctx = access(&state, &chrome, me, Some(&guard), &code, &id).await?;
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
            Ok(true) => {
                return Ok(crate::http::redirect::see_other(&format!(
                    "{}?klart=upplast#s-{student}",
                    ctx.base()
                )))
            }
            Ok(false) => return Err(nf(&chrome).into()),
            Err(StoreError::Fields(e)) => lock_errors(&chrome, &e),
            Err(e) => return Err(unavailable(chrome, &e).into()),
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
