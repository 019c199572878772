//! A university's VFU overview page and its periods.

use super::*;

pub struct PeriodRow {
    pub id: String,
    pub programme: String,
    pub course: String,
    pub field: String,
    pub term: String,
    pub dates: String,
    pub students: u32,
    pub listed: usize,
    pub deadline: String,
}

#[derive(Template)]
#[template(path = "vfu/university.html")]
pub struct UniPage {
    pub chrome: Chrome,
    pub code: String,
    pub name: String,
    pub rows: Vec<PeriodRow>,
    pub writable: bool,
}

pub(super) async fn uni_overview(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(code): Path<String>,
) -> PageResult {
    let u = uni(&state, &chrome, me, &code, Ask::May(Action::Read)).await?;
    let periods = state.store.vfu_periods(Some(&u.code)).await.or_unavailable(&chrome)?;
    let students = state
        .store
        .vfu_students(&StudentFilter {
            university: Some(u.code.clone()),
            ..Default::default()
        })
        .await
        .or_unavailable(&chrome)?;
    let rows = periods
        .into_iter()
        .map(|p| PeriodRow {
            listed: students.iter().filter(|s| s.period_id == p.id).count(),
            programme: p.programme,
            course: p.course_code,
            field: l_field(&chrome, p.field),
            term: l_term(&chrome, p.term),
            dates: format!("{} – {}", p.start, p.end),
            students: p.students,
            deadline: p.capacity_deadline.to_string(),
            id: String::from(p.id),
        })
        .collect();
    let writable = u
        .user
        .principal()
        .may(Action::Write, &Target::UniversityRecord { university: &u.code });
    Ok(render(
        StatusCode::OK,
        &UniPage {
            chrome,
            code: u.code,
            name: u.name,
            rows,
            writable,
        },
    ))
}

pub(super) fn period_input(p: &VfuPeriod) -> PeriodInput {
    PeriodInput {
        id: p.id.to_string(),
        university: p.university.clone(),
        programme: p.programme.clone(),
        course_code: p.course_code.clone(),
        term: p.term.to_string(),
        start: p.start.to_string(),
        end: p.end.to_string(),
        field: p.field.code().into(),
        students: p.students.to_string(),
        requirements: format_requirements(&p.requirements),
        capacity_deadline: p.capacity_deadline.to_string(),
    }
}

pub(super) fn period_fields(chrome: &Chrome, i: &PeriodInput) -> Vec<Field> {
    let fields = VfuField::ALL
        .iter()
        .map(|f| (f.code().to_string(), l_field(chrome, *f)))
        .collect();
    vec![
        Field::new(
            "f",
            "programme",
            chrome.t("vfu-col-programme-name"),
            "text",
            &i.programme,
        )
        .required(),
        Field::new("f", "course_code", chrome.t("vfu-col-course"), "text", &i.course_code)
            .hint(chrome.t("vfu-hint-course"))
            .required(),
        Field::new("f", "field", chrome.t("vfu-col-field"), "select", &i.field)
            .options(fields)
            .required(),
        Field::new("f", "start", chrome.t("vfu-col-start"), "date", &i.start).required(),
        Field::new("f", "end", chrome.t("vfu-col-end"), "date", &i.end).required(),
        Field::new(
            "f",
            "students",
            chrome.t("vfu-col-students-expected"),
            "number",
            &i.students,
        ),
        Field::new(
            "f",
            "capacity_deadline",
            chrome.t("vfu-col-deadline"),
            "date",
            &i.capacity_deadline,
        )
        .hint(chrome.t("vfu-hint-deadline")),
        Field::new(
            "f",
            "requirements",
            chrome.t("vfu-col-requirements"),
            "text",
            &i.requirements,
        )
        .hint(chrome.t("vfu-hint-requirements")),
    ]
}

pub(super) fn period_form(
    chrome: Chrome,
    u: &Uni,
    i: &PeriodInput,
    id: Option<&str>,
    errors: &[FieldError],
) -> Response {
    let cr = crumbs(&[("/vfu", chrome.t("vfu-title")), (&u.base(), u.name.clone())]);
    let fields = period_fields(&chrome, i);
    let page = match id {
        None => {
            let title = chrome.t1("vfu-period-new-title", "name", &u.code);
            FormPage::new(chrome, title, cr, format!("{}/perioder/ny", u.base()), fields)
        }
        Some(id) => {
            let title = chrome.t1(
                "vfu-period-edit-title",
                "name",
                &format!("{} {}", i.course_code, i.start),
            );
            let mut p = FormPage::new(chrome, title, cr, format!("{}/perioder/{id}/andra", u.base()), fields);
            p.delete_action = format!("{}/perioder/{id}/ta-bort", u.base());
            p
        }
    };
    page.errors(errors).respond()
}

pub(super) async fn period_new_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(code): Path<String>,
) -> PageResult {
    let u = uni(&state, &chrome, me, &code, Ask::May(Action::Write)).await?;
    Ok(period_form(chrome, &u, &PeriodInput::default(), None, &[]))
}

pub(super) async fn period_create(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(code): Path<String>,
    Form(mut i): Form<PeriodInput>,
) -> PageResult {
    let u = uni(&state, &chrome, me, &code, Ask::Guard(&guard)).await?;
    i.id = String::new();
    i.university = u.code.clone();
    let ctx = state.store.vfu_context_for(&i.refs()).await.or_unavailable(&chrome)?;
    let errors = match i.parse(&ctx) {
        Err(e) => e,
        Ok(p) => match saved(&chrome, state.store.create_vfu_period(&p, &u.actor()).await)? {
            Saved::Ok(id) => return Ok(see_other(&format!("{}/perioder/{id}", u.base()))),
            Saved::Invalid(e) => e,
        },
    };
    Ok(period_form(chrome, &u, &i, None, &errors))
}

pub(super) async fn own_period(state: &AppState, chrome: &Chrome, u: &Uni, id: &PeriodId) -> PageResult<VfuPeriod> {
    state
        .store
        .vfu_period(id)
        .await
        .or_unavailable(chrome)?
        .filter(|p| p.university == u.code)
        .ok_or_else(|| nf(chrome).into())
}

pub(super) async fn period_edit_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((code, id)): Path<(String, PeriodId)>,
) -> PageResult {
    let u = uni(&state, &chrome, me, &code, Ask::May(Action::Write)).await?;
    let p = own_period(&state, &chrome, &u, &id).await?;
    Ok(period_form(chrome, &u, &period_input(&p), Some(p.id.as_str()), &[]))
}

pub(super) async fn period_update(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id)): Path<(String, PeriodId)>,
    Form(mut i): Form<PeriodInput>,
) -> PageResult {
    let u = uni(&state, &chrome, me, &code, Ask::Guard(&guard)).await?;
    let old = own_period(&state, &chrome, &u, &id).await?;
    i.id = old.id.to_string();
    i.university = u.code.clone();
    if i.term.trim().is_empty()
        || Day::parse(&i.start).is_ok_and(|d| Term::parse(&i.term).is_ok_and(|t| t != Term::of(d)))
    {
        // The form has no term field: the term follows the start.
        i.term = String::new();
    }
    let ctx = state.store.vfu_context_for(&i.refs()).await.or_unavailable(&chrome)?;
    let errors = match i.parse(&ctx) {
        Err(e) => e,
        Ok(p) => match saved(&chrome, state.store.update_vfu_period(&p, &u.actor()).await)? {
            Saved::Ok(_) => return Ok(see_other(&format!("{}/perioder/{id}", u.base()))),
            Saved::Invalid(e) => e,
        },
    };
    Ok(period_form(chrome, &u, &i, Some(old.id.as_str()), &errors))
}

pub(super) async fn period_delete(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id)): Path<(String, PeriodId)>,
) -> PageResult {
    let u = uni(&state, &chrome, me, &code, Ask::Guard(&guard)).await?;
    let p = own_period(&state, &chrome, &u, &id).await?;
    match state.store.delete_vfu_period(&p.id, &u.actor()).await {
        Ok(_) => Ok(see_other(&u.base())),
        Err(e) => Err(refused(chrome, e, &format!("{}/perioder/{}", u.base(), p.id)).into()),
    }
}
