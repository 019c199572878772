//! A period's students with their requirement status and placements, and a university's
//! student forms.

use super::*;

pub struct StudentRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub home: String,
    pub requirements: Vec<(String, bool)>,
    pub placed: bool,
}

#[derive(Template)]
#[template(path = "vfu/period.html")]
pub struct PeriodPage {
    pub chrome: Chrome,
    pub code: String,
    pub uni_name: String,
    pub id: String,
    pub title: String,
    pub facts: Vec<(String, String)>,
    pub milestones: Vec<(String, String)>,
    pub students: Vec<StudentRow>,
    pub met: usize,
    pub placements: Vec<PlacementRow>,
    pub writable: bool,
    pub back: String,
}

pub(super) fn requirement_texts(chrome: &Chrome, p: &VfuPeriod, s: &VfuStudent) -> Vec<(String, bool)> {
    p.requirements
        .iter()
        .map(|r| {
            let issued = s.requirements.iter().find(|e| e.code == r.code).and_then(|e| e.issued);
            let label = if r.code == "registerutdrag" {
                chrome.t("vfu-req-registerutdrag")
            } else {
                r.label.clone()
            };
            match (check_requirement(r, &s.requirements, p.start), issued) {
                (RequirementCheck::Met, Some(d)) => {
                    (chrome.t2("vfu-req-met", "req", &label, "date", &d.to_string()), true)
                }
                (RequirementCheck::Met, None) => (chrome.t2("vfu-req-met", "req", &label, "date", "–"), true),
                (RequirementCheck::TooOld, Some(d)) => (
                    chrome.t2("vfu-req-too-old", "req", &label, "date", &d.to_string()),
                    false,
                ),
                _ => (chrome.t1("vfu-req-missing", "req", &label), false),
            }
        })
        .collect()
}

pub(super) fn milestones(chrome: &Chrome, p: &VfuPeriod) -> Vec<(String, String)> {
    Timeline::for_period(p, &TimelineRules::default())
        .milestones()
        .iter()
        .map(|(code, _, day)| (chrome.t(&format!("vfu-milestone-{code}")), day.to_string()))
        .collect()
}

pub(super) async fn period_page(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((code, id)): Path<(String, PeriodId)>,
) -> PageResult {
    let u = uni(&state, &chrome, me, &code, Ask::May(Action::Read)).await?;
    let p = own_period(&state, &chrome, &u, &id).await?;
    let students = state
        .store
        .vfu_students(&StudentFilter {
            period_id: Some(p.id.clone()),
            ..Default::default()
        })
        .await
        .or_unavailable(&chrome)?;
    let lines = state
        .store
        .placement_lines(&PlacementFilter {
            period_id: Some(p.id.clone()),
            ..Default::default()
        })
        .await
        .or_unavailable(&chrome)?;
    let names = municipality_names(&state).await.or_unavailable(&chrome)?;
    let placements_by_student = state
        .store
        .placements(&PlacementFilter {
            period_id: Some(p.id.clone()),
            ..Default::default()
        })
        .await
        .or_unavailable(&chrome)?;
    let rows: Vec<StudentRow> = students
        .iter()
        .map(|s| StudentRow {
            id: s.id.to_string(),
            name: s.name.clone(),
            email: s.email.clone(),
            home: names
                .get(&s.home_municipality)
                .cloned()
                .unwrap_or_else(|| s.home_municipality.to_string()),
            requirements: requirement_texts(&chrome, &p, s),
            placed: placements_by_student
                .iter()
                .any(|pl| pl.student_id == s.id && pl.status.is_active()),
        })
        .collect();
    let met = rows.iter().filter(|r| r.requirements.iter().all(|(_, ok)| *ok)).count();
    let writable = u
        .user
        .principal()
        .may(Action::Write, &Target::UniversityRecord { university: &u.code });
    let facts = vec![
        (chrome.t("vfu-col-programme-name"), p.programme.clone()),
        (chrome.t("vfu-col-field"), l_field(&chrome, p.field)),
        (chrome.t("vfu-col-term"), l_term(&chrome, p.term)),
        (chrome.t("vfu-col-dates"), format!("{} – {}", p.start, p.end)),
        (chrome.t("vfu-col-students-expected"), p.students.to_string()),
        (
            chrome.t("vfu-col-requirements"),
            if p.requirements.is_empty() {
                chrome.t("vfu-none")
            } else {
                p.requirements
                    .iter()
                    .map(|r| r.label.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
    ];
    let back = format!("{}/perioder/{}", u.base(), p.id);
    let placements = placement_rows(&chrome, lines, &names, None);
    let title = chrome.t2(
        "vfu-period-title",
        "course",
        &p.course_code,
        "term",
        &l_term(&chrome, p.term),
    );
    let ms = milestones(&chrome, &p);
    Ok(render(
        StatusCode::OK,
        &PeriodPage {
            chrome,
            code: u.code,
            uni_name: u.name,
            id: String::from(p.id),
            title,
            facts,
            milestones: ms,
            students: rows,
            met,
            placements,
            writable,
            back,
        },
    ))
}

// University: students

pub(super) fn student_input(s: &VfuStudent) -> StudentInput {
    StudentInput {
        period_id: s.period_id.to_string(),
        email: s.email.clone(),
        name: s.name.clone(),
        home_municipality: s.home_municipality.to_string(),
        home_lat: s.home_position.map(|p| format!("{:.5}", p.lat)).unwrap_or_default(),
        home_lon: s.home_position.map(|p| format!("{:.5}", p.lon)).unwrap_or_default(),
        field: s.field.code().into(),
        subjects: s.subjects.join(", "),
        wishes: s.wishes.iter().map(|w| w.as_text()).collect::<Vec<_>>().join("|"),
        no_driving_licence: if s.needs.no_driving_licence {
            "1".into()
        } else {
            String::new()
        },
        needs_public_transport: if s.needs.needs_public_transport {
            "1".into()
        } else {
            String::new()
        },
        priority: s.needs.priority.map(|p| p.as_str().to_string()).unwrap_or_default(),
        note: s.needs.note.clone(),
        registerutdrag: s
            .requirements
            .iter()
            .find(|r| r.code == "registerutdrag")
            .and_then(|r| r.issued)
            .map(|d| d.to_string())
            .unwrap_or_default(),
    }
}

pub(super) async fn student_fields(state: &AppState, chrome: &Chrome, i: &StudentInput) -> PageResult<Vec<Field>> {
    let ms = state.store.municipalities().await.or_unavailable(chrome)?;
    let mut opts = vec![(String::new(), chrome.t("vfu-choose"))];
    opts.extend(
        ms.into_iter()
            .map(|m| (m.code.to_string(), format!("{} ({})", m.name, m.code))),
    );
    let mut prio = vec![(String::new(), chrome.t("vfu-none"))];
    prio.extend(PriorityReason::ALL.iter().map(|p| {
        (
            p.as_str().to_string(),
            chrome.t(&format!("vfu-priority-{}", p.as_str())),
        )
    }));
    Ok(vec![
        Field::new("f", "name", chrome.t("vfu-col-name"), "text", &i.name).required(),
        Field::new("f", "email", chrome.t("vfu-col-email"), "email", &i.email).required(),
        Field::new(
            "f",
            "home_municipality",
            chrome.t("vfu-col-home"),
            "select",
            &i.home_municipality,
        )
        .options(opts)
        .required(),
        Field::new("f", "home_lat", chrome.t("vfu-col-home-lat"), "text", &i.home_lat)
            .hint(chrome.t("vfu-hint-home-position")),
        Field::new("f", "home_lon", chrome.t("vfu-col-home-lon"), "text", &i.home_lon),
        Field::new("f", "subjects", chrome.t("vfu-col-subjects"), "text", &i.subjects),
        Field::new("f", "wishes", chrome.t("vfu-col-wishes"), "text", &i.wishes).hint(chrome.t("vfu-hint-wishes")),
        Field::new(
            "f",
            "registerutdrag",
            chrome.t("vfu-col-registerutdrag"),
            "date",
            &i.registerutdrag,
        )
        .hint(chrome.t("vfu-hint-registerutdrag")),
        Field::new(
            "f",
            "no_driving_licence",
            chrome.t("vfu-col-no-licence"),
            "checkbox",
            &i.no_driving_licence,
        ),
        Field::new(
            "f",
            "needs_public_transport",
            chrome.t("vfu-col-public-transport"),
            "checkbox",
            &i.needs_public_transport,
        ),
        Field::new("f", "priority", chrome.t("vfu-col-priority"), "select", &i.priority).options(prio),
        Field::new("f", "note", chrome.t("vfu-col-note"), "textarea", &i.note).hint(chrome.t("vfu-hint-note")),
    ])
}

pub(super) async fn student_form(
    state: &AppState,
    chrome: Chrome,
    u: &Uni,
    p: &VfuPeriod,
    i: &StudentInput,
    id: Option<&str>,
    errors: &[FieldError],
) -> PageResult {
    let fields = student_fields(state, &chrome, i).await?;
    let period_href = format!("{}/perioder/{}", u.base(), p.id);
    let cr = crumbs(&[
        ("/vfu", chrome.t("vfu-title")),
        (&u.base(), u.name.clone()),
        (&period_href, format!("{} {}", p.course_code, l_term(&chrome, p.term))),
    ]);
    let page = match id {
        None => {
            let title = chrome.t1("vfu-student-new-title", "name", &p.course_code);
            FormPage::new(chrome, title, cr, format!("{period_href}/studenter/ny"), fields)
        }
        Some(id) => {
            let title = chrome.t1("vfu-student-edit-title", "name", &i.name);
            let mut pg = FormPage::new(chrome, title, cr, format!("{}/studenter/{id}", u.base()), fields);
            pg.delete_action = format!("{}/studenter/{id}/ta-bort", u.base());
            pg
        }
    };
    Ok(page.errors(errors).respond())
}

pub(super) async fn student_new_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((code, id)): Path<(String, PeriodId)>,
) -> PageResult {
    let u = uni(&state, &chrome, me, &code, Ask::May(Action::Write)).await?;
    let p = own_period(&state, &chrome, &u, &id).await?;
    student_form(&state, chrome, &u, &p, &StudentInput::default(), None, &[]).await
}

pub(super) async fn student_create(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id)): Path<(String, PeriodId)>,
    Form(mut i): Form<StudentInput>,
) -> PageResult {
    let u = uni(&state, &chrome, me, &code, Ask::Guard(&guard)).await?;
    let p = own_period(&state, &chrome, &u, &id).await?;
    i.period_id = p.id.to_string();
    i.field = String::new();
    let ctx = state.store.vfu_context_for(&i.refs()).await.or_unavailable(&chrome)?;
    let errors = match i.parse(&ctx) {
        Err(e) => e,
        Ok(s) if !guard.allows(&u.user.principal(), &student_target(&s, &p)) => return Err(forbidden(chrome).into()),
        Ok(s) => match saved(&chrome, state.store.create_vfu_student(&s, &u.actor()).await)? {
            Saved::Ok(_) => return Ok(see_other(&format!("{}/perioder/{}", u.base(), p.id))),
            Saved::Invalid(e) => e,
        },
    };
    student_form(&state, chrome, &u, &p, &i, None, &errors).await
}

/// A student on one of the university's periods, with the period.
/// A student's record, as a target of the rule book.
pub(super) fn student_target<'a>(s: &'a VfuStudent, p: &'a VfuPeriod) -> Target<'a> {
    Target::VfuStudent {
        person_id: &s.person_id,
        university: &p.university,
        home_municipality: s.home_municipality,
    }
}

pub(super) async fn own_student(
    state: &AppState,
    chrome: &Chrome,
    u: &Uni,
    id: &StudentId,
) -> PageResult<(VfuStudent, VfuPeriod)> {
    let s = state
        .store
        .vfu_student(id)
        .await
        .or_unavailable(chrome)?
        .ok_or_else(|| nf(chrome))?;
    let p = own_period(state, chrome, u, &s.period_id).await?;
    Ok((s, p))
}

pub(super) async fn student_edit_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((code, id)): Path<(String, StudentId)>,
) -> PageResult {
    let u = uni(&state, &chrome, me, &code, Ask::May(Action::Write)).await?;
    let (s, p) = own_student(&state, &chrome, &u, &id).await?;
    student_form(&state, chrome, &u, &p, &student_input(&s), Some(s.id.as_str()), &[]).await
}

pub(super) async fn student_update(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id)): Path<(String, StudentId)>,
    Form(mut i): Form<StudentInput>,
) -> PageResult {
    let u = uni(&state, &chrome, me, &code, Ask::Guard(&guard)).await?;
    let (old, p) = own_student(&state, &chrome, &u, &id).await?;
    if !guard.allows(&u.user.principal(), &student_target(&old, &p)) {
        return Err(forbidden(chrome).into());
    }
    i.period_id = p.id.to_string();
    i.field = old.field.code().into();
    let ctx = state.store.vfu_context_for(&i.refs()).await.or_unavailable(&chrome)?;
    let errors = match i.parse(&ctx) {
        Err(e) => e,
        Ok(mut s) => {
            s.id = old.id.clone();
            s.person_id = old.person_id.clone();
            if !guard.allows(&u.user.principal(), &student_target(&s, &p)) {
                return Err(forbidden(chrome).into());
            }
            // Requirements other than the police record extract are kept as they were.
            s.requirements
                .extend(old.requirements.iter().filter(|r| r.code != "registerutdrag").cloned());
            match saved(&chrome, state.store.update_vfu_student(&s, &u.actor()).await)? {
                Saved::Ok(_) => return Ok(see_other(&format!("{}/perioder/{}", u.base(), p.id))),
                Saved::Invalid(e) => e,
            }
        }
    };
    student_form(&state, chrome, &u, &p, &i, Some(old.id.as_str()), &errors).await
}

pub(super) async fn student_delete(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id)): Path<(String, StudentId)>,
) -> PageResult {
    let u = uni(&state, &chrome, me, &code, Ask::Guard(&guard)).await?;
    let (s, p) = own_student(&state, &chrome, &u, &id).await?;
    if !guard.allows(&u.user.principal(), &student_target(&s, &p)) {
        return Err(forbidden(chrome).into());
    }
    match state.store.delete_vfu_student(&s.id, &u.actor()).await {
        Ok(_) => Ok(see_other(&format!("{}/perioder/{}", u.base(), p.id))),
        Err(e) => Err(refused(chrome, e, &format!("{}/studenter/{}", u.base(), s.id)).into()),
    }
}
