//! `/vfu/min`: the student's placement and wishes, the supervisor's students.

use super::*;

pub struct MyPlacement {
    pub period: String,
    pub dates: String,
    pub status: String,
    pub site: String,
    pub address: String,
    pub municipality: String,
    pub supervisor: String,
    pub supervisor_email: String,
    pub travel: String,
    pub history: Vec<(String, String)>,
    pub milestones: Vec<(String, String)>,
    pub requirements: Vec<(String, bool)>,
}

pub struct MyStudentRow {
    pub name: String,
    pub email: String,
    pub site: String,
    pub period: String,
    pub dates: String,
    pub status: String,
}

/// One wish select of the wishes form: sites of the student's field grouped by municipality,
/// then whole municipalities.
pub struct WishSelect {
    pub id: String,
    pub name: String,
    pub label: String,
    pub error: Option<String>,
    pub groups: Vec<(String, Vec<Opt>)>,
}

/// A student's wishes and needs for one period: the form while wishes are open, else what was
/// stated and why it can no longer be changed.
pub struct WishesView {
    pub anchor: String,
    pub prefix: String,
    pub period: String,
    pub open: bool,
    /// While open: until when; closed: why.
    pub status: String,
    pub saved: bool,
    pub action: String,
    pub selects: Vec<WishSelect>,
    pub no_licence: bool,
    pub public_transport: bool,
    pub priority: Vec<Opt>,
    pub note: String,
    pub errors: BTreeMap<String, String>,
    pub problems: Vec<Problem>,
    /// The current wishes and needs in words (shown when closed).
    pub current: Vec<String>,
    pub needs: Vec<String>,
}

impl WishesView {
    pub fn error(&self, name: &str) -> Option<&String> {
        self.errors.get(name)
    }
}

/// A period the student is not placed on yet: its label, the milestones (text, date) and the
/// requirements (text, met).
pub type Unplaced = (String, Vec<(String, String)>, Vec<(String, bool)>);

#[derive(Template)]
#[template(path = "vfu/mine.html")]
pub struct MinePage {
    pub chrome: Chrome,
    pub is_student: bool,
    pub placements: Vec<MyPlacement>,
    pub unplaced: Vec<Unplaced>,
    pub wishes: Vec<WishesView>,
    pub is_supervisor: bool,
    pub students: Vec<MyStudentRow>,
}

#[derive(Deserialize, Default)]
pub struct MineQuery {
    /// The student record whose wishes were just saved.
    pub sparad: Option<String>,
}

pub(super) async fn mine(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Query(q): Query<MineQuery>,
) -> PageResult {
    let user = signed_in(&chrome, me)?;
    mine_page(&state, chrome, &user, None, q.sparad.as_deref()).await
}

/// A wishes form being corrected: the student record, what was sent and what is wrong.
pub(super) type WishesEdit = (String, WishesInput, Vec<FieldError>);

/// The wish options of a student: the sites that take their field, by municipality, and the
/// participating municipalities as a whole; a current wish outside these is kept as an option.
pub(super) async fn wish_groups(
    state: &AppState,
    chrome: &Chrome,
    s: &VfuStudent,
    names: &BTreeMap<Kommunkod, String>,
) -> Result<Vec<(String, Vec<(String, String)>)>, StoreError> {
    let sites = state.store.placement_sites(None).await?;
    let mut by_muni: BTreeMap<Kommunkod, Vec<(String, String)>> = BTreeMap::new();
    for x in sites
        .into_iter()
        .filter(|x| x.fields.iter().any(|f| f.field == s.field))
    {
        by_muni
            .entry(x.municipality)
            .or_default()
            .push((String::from(x.id), x.name));
    }
    let name_of = |k: &Kommunkod| names.get(k).cloned().unwrap_or_else(|| k.to_string());
    let mut groups: Vec<(String, Vec<(String, String)>)> = by_muni
        .into_iter()
        .map(|(k, mut list)| {
            list.sort_by(|a, b| kkig_core::text::swedish_cmp(&a.1, &b.1));
            (chrome.t1("vfu-wish-group-sites", "name", &name_of(&k)), list)
        })
        .collect();
    groups.sort_by(|a, b| kkig_core::text::swedish_cmp(&a.0, &b.0));
    let mut munis: Vec<(String, String)> = state
        .store
        .municipalities()
        .await?
        .into_iter()
        .filter(|m| m.role == MunicipalityRole::Participant || s.wishes.contains(&Wish::Municipality(m.code)))
        .map(|m| {
            (
                m.code.to_string(),
                chrome.t1("vfu-wish-whole-municipality", "name", &m.name),
            )
        })
        .collect();
    munis.sort_by(|a, b| kkig_core::text::swedish_cmp(&a.1, &b.1));
    groups.push((chrome.t("vfu-wish-group-municipalities"), munis));
    Ok(groups)
}

/// An error of the wishes form in the page's language, named by the field's label: the
/// wishes are chosen from lists, so their problems are said in those terms.
pub(super) fn wish_error_text(chrome: &Chrome, label: &str, e: &FieldError) -> String {
    let key = match &e.problem {
        FieldProblem::Twice { .. } => "vfu-wish-error-twice",
        FieldProblem::WishNoSite { .. } | FieldProblem::UnknownKommunkod { .. } => "vfu-wish-error-unknown",
        FieldProblem::TooLong { .. } => "vfu-wish-error-too-long",
        FieldProblem::TooManyWishes { .. } => "vfu-wish-error-too-many",
        FieldProblem::Other => "vfu-wish-error-invalid",
        _ => return error_text(chrome, label, e),
    };
    chrome.t1(key, "field", label)
}

#[allow(
    clippy::too_many_arguments,
    reason = "one student's wishes form needs the period, the names and the form state"
)]
pub(super) async fn wishes_view(
    state: &AppState,
    chrome: &Chrome,
    s: &VfuStudent,
    period: &VfuPeriod,
    period_label: &str,
    names: &BTreeMap<Kommunkod, String>,
    edit: Option<&WishesEdit>,
    saved: bool,
) -> Result<WishesView, StoreError> {
    let own = state
        .store
        .placements(&PlacementFilter {
            student_id: Some(s.id.clone()),
            ..Default::default()
        })
        .await?;
    let rules = TimelineRules::default();
    let open = wishes_open(period, &own, today(), &rules);
    let close = Timeline::for_period(period, &rules).wishes_close();
    let status = if open {
        chrome.t1("vfu-wishes-open-until", "date", &close.plus_days(-1).to_string())
    } else if today() >= close {
        chrome.t1("vfu-wishes-closed-date", "date", &close.to_string())
    } else {
        chrome.t("vfu-wishes-closed-placed")
    };
    let input = edit.map(|e| e.1.clone()).unwrap_or_else(|| WishesInput::of(s));
    let errors_in = edit.map(|e| e.2.as_slice()).unwrap_or(&[]);
    let prefix = format!("w-{}", s.id);
    let labels: [(&str, String); 7] = [
        ("wish1", chrome.t1("vfu-wish-n", "n", "1")),
        ("wish2", chrome.t1("vfu-wish-n", "n", "2")),
        ("wish3", chrome.t1("vfu-wish-n", "n", "3")),
        ("no_driving_licence", chrome.t("vfu-col-no-licence")),
        ("needs_public_transport", chrome.t("vfu-col-public-transport")),
        ("priority", chrome.t("vfu-col-priority")),
        ("note", chrome.t("vfu-col-note")),
    ];
    let mut errors = BTreeMap::new();
    let mut problems = Vec::new();
    for (name, label) in &labels {
        for e in errors_in.iter().filter(|e| e.field == *name) {
            let text = wish_error_text(chrome, label, e);
            problems.push(Problem {
                target: format!("{prefix}-{name}"),
                text: text.clone(),
            });
            errors.entry(name.to_string()).or_insert(text);
        }
    }
    for e in errors_in.iter().filter(|e| !labels.iter().any(|(n, _)| *n == e.field)) {
        let label = if e.field == "wishes" {
            chrome.t("vfu-col-wishes")
        } else {
            e.field.clone()
        };
        problems.push(Problem {
            target: String::new(),
            text: wish_error_text(chrome, &label, e),
        });
    }
    let groups = wish_groups(state, chrome, s, names).await?;
    let selects = [
        ("wish1", &input.wish1),
        ("wish2", &input.wish2),
        ("wish3", &input.wish3),
    ]
    .iter()
    .zip(&labels)
    .map(|((name, value), (_, label))| {
        let value = value.trim();
        let mut gs: Vec<(String, Vec<Opt>)> = groups
            .iter()
            .map(|(g, list)| {
                (
                    g.clone(),
                    list.iter()
                        .map(|(v, l)| Opt {
                            selected: v == value,
                            value: v.clone(),
                            label: l.clone(),
                        })
                        .collect(),
                )
            })
            .collect();
        if !value.is_empty() && !gs.iter().any(|(_, o)| o.iter().any(|o| o.selected)) {
            gs.push((
                chrome.t("vfu-wish-group-other"),
                vec![Opt {
                    value: value.to_string(),
                    label: value.to_string(),
                    selected: true,
                }],
            ));
        }
        WishSelect {
            id: format!("{prefix}-{name}"),
            name: name.to_string(),
            label: label.clone(),
            error: errors.get(*name).cloned(),
            groups: gs,
        }
    })
    .collect();
    let mut priority = vec![Opt {
        value: String::new(),
        label: chrome.t("vfu-none"),
        selected: input.priority.trim().is_empty(),
    }];
    priority.extend(PriorityReason::ALL.iter().map(|p| Opt {
        value: p.as_str().into(),
        label: chrome.t(&format!("vfu-priority-{}", p.as_str())),
        selected: PriorityReason::parse(&input.priority) == Some(*p),
    }));
    let flag = |v: &str| kkig_core::vfu::input::parse_flag(v).unwrap_or(false);
    let place_label = |w: &Wish| match w {
        Wish::Site(id) => groups
            .iter()
            .flat_map(|(_, l)| l.iter())
            .find(|(v, _)| v == id)
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| id.to_string()),
        Wish::Municipality(k) => chrome.t1(
            "vfu-wish-whole-municipality",
            "name",
            names.get(k).map(String::as_str).unwrap_or(""),
        ),
    };
    let current = s.wishes.iter().map(place_label).collect();
    let mut needs = Vec::new();
    if s.needs.no_driving_licence {
        needs.push(chrome.t("vfu-col-no-licence"));
    }
    if s.needs.needs_public_transport {
        needs.push(chrome.t("vfu-col-public-transport"));
    }
    if let Some(p) = s.needs.priority {
        needs.push(format!(
            "{}: {}",
            chrome.t("vfu-col-priority"),
            chrome.t(&format!("vfu-priority-{}", p.as_str()))
        ));
    }
    if !s.needs.note.is_empty() {
        needs.push(format!("{}: {}", chrome.t("vfu-col-note"), s.needs.note));
    }
    Ok(WishesView {
        anchor: format!("onskemal-{}", s.id),
        prefix,
        period: period_label.to_string(),
        open,
        status,
        saved,
        action: format!("/vfu/min/{}/onskemal", s.id),
        selects,
        no_licence: flag(&input.no_driving_licence),
        public_transport: flag(&input.needs_public_transport),
        priority,
        note: input.note.clone(),
        errors,
        problems,
        current,
        needs,
    })
}

pub(super) async fn mine_page(
    state: &AppState,
    chrome: Chrome,
    user: &UserRecord,
    edit: Option<WishesEdit>,
    saved: Option<&str>,
) -> PageResult {
    let names = municipality_names(state).await.or_unavailable(&chrome)?;
    let ctx = state
        .store
        .vfu_context_for(&VfuRefs::default())
        .await
        .or_unavailable(&chrome)?;
    let model = TravelModel::default();

    // As a student: every period the person is on.
    let records = state
        .store
        .vfu_students(&StudentFilter {
            person_id: Some(user.person_id.clone()),
            ..Default::default()
        })
        .await
        .or_unavailable(&chrome)?;
    let mut placements = Vec::new();
    let mut unplaced = Vec::new();
    let mut wishes = Vec::new();
    for s in &records {
        let Some(period) = state.store.vfu_period(&s.period_id).await.or_unavailable(&chrome)? else {
            continue;
        };
        let ms = milestones(&chrome, &period);
        let reqs = requirement_texts(&chrome, &period, s);
        let own = state
            .store
            .placements(&PlacementFilter {
                student_id: Some(s.id.clone()),
                ..Default::default()
            })
            .await
            .or_unavailable(&chrome)?;
        let lines = state
            .store
            .placement_lines(&PlacementFilter {
                student_id: Some(s.id.clone()),
                ..Default::default()
            })
            .await
            .or_unavailable(&chrome)?;
        let period_label = format!(
            "{} {} – {} ({})",
            period.university,
            period.course_code,
            period.programme,
            l_term(&chrome, period.term)
        );
        let this_edit = edit.as_ref().filter(|e| e.0 == s.id);
        wishes.push(
            wishes_view(
                state,
                &chrome,
                s,
                &period,
                &period_label,
                &names,
                this_edit,
                saved == Some(s.id.as_str()),
            )
            .await
            .or_unavailable(&chrome)?,
        );
        if lines.is_empty() {
            unplaced.push((period_label, ms, reqs));
            continue;
        }
        for l in lines {
            let site = state.store.placement_site(&l.site_id).await.or_unavailable(&chrome)?;
            let home = s
                .home_position
                .or_else(|| ctx.municipalities.get(&s.home_municipality).copied());
            let travel = match (home, site.as_ref().map(|x| x.position)) {
                (Some(a), Some(b)) => chrome.t1("vfu-travel-minutes", "minutes", &model.minutes(a, b).to_string()),
                _ => "–".into(),
            };
            let history = own
                .iter()
                .find(|p| p.id == l.placement_id)
                .map(|p| {
                    p.history
                        .iter()
                        .map(|h| (l_status(&chrome, h.status), h.on.to_string()))
                        .collect()
                })
                .unwrap_or_default();
            placements.push(MyPlacement {
                period: period_label.clone(),
                dates: format!("{} – {}", l.start, l.end),
                status: l_status(&chrome, l.status),
                site: l.site_name,
                address: site.map(|x| x.address).unwrap_or_default(),
                municipality: names.get(&l.site_municipality).cloned().unwrap_or_default(),
                supervisor: l.supervisor_name.unwrap_or_else(|| chrome.t("vfu-supervisor-not-yet")),
                supervisor_email: l.supervisor_email.unwrap_or_default(),
                travel,
                history,
                milestones: ms.clone(),
                requirements: reqs.clone(),
            });
        }
    }

    // As a supervisor: the students placed with them.
    let sups = state.store.supervisors(None).await.or_unavailable(&chrome)?;
    let mine: Vec<&Supervisor> = sups.iter().filter(|s| s.person_id == user.person_id).collect();
    let mut students = Vec::new();
    for s in &mine {
        let lines = state
            .store
            .placement_lines(&PlacementFilter {
                supervisor_id: Some(s.id.clone()),
                ..Default::default()
            })
            .await
            .or_unavailable(&chrome)?;
        for l in lines {
            students.push(MyStudentRow {
                name: l.student_name,
                email: l.student_email,
                site: l.site_name,
                period: format!("{} {} ({})", l.university, l.course_code, l_field(&chrome, l.field)),
                dates: format!("{} – {}", l.start, l.end),
                status: l_status(&chrome, l.status),
            });
        }
    }
    let is_student = !records.is_empty() || user.role == kkig_core::access::Role::Student;
    let is_supervisor = !mine.is_empty() || user.role == kkig_core::access::Role::Supervisor;
    let status = if edit.as_ref().is_some_and(|e| !e.2.is_empty()) {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        status,
        &MinePage {
            chrome,
            is_student,
            placements,
            unplaced,
            wishes,
            is_supervisor,
            students,
        },
    ))
}

/// A student changes the wishes and needs of one of their own VFU periods while wishes are open
/// (before the allocation day, and before any placement is made). Only those fields change; the
/// change is audited with the student as actor.
pub(super) async fn wishes_save(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<StudentId>,
    Form(f): Form<WishesInput>,
) -> PageResult {
    let user = signed_in(&chrome, me)?;
    let Some(s) = state.store.vfu_student(&id).await.or_unavailable(&chrome)? else {
        return Err(nf(&chrome).into());
    };
    // This page is the student's own: anyone else's record is not found here.
    if s.person_id != user.person_id {
        return Err(nf(&chrome).into());
    }
    let Some(period) = state.store.vfu_period(&s.period_id).await.or_unavailable(&chrome)? else {
        return Err(nf(&chrome).into());
    };
    let target = Target::VfuStudentWishes {
        person_id: &s.person_id,
        university: &period.university,
        home_municipality: s.home_municipality,
    };
    if !guard.allows(&user.principal(), &target) {
        return Err(forbidden(chrome).into());
    }
    let own = state
        .store
        .placements(&PlacementFilter {
            student_id: Some(s.id.clone()),
            ..Default::default()
        })
        .await
        .or_unavailable(&chrome)?;
    if !wishes_open(&period, &own, today(), &TimelineRules::default()) {
        let message = chrome.t("vfu-wishes-closed");
        return Err(refused(chrome, StoreError::Conflict(message), "/vfu/min").into());
    }
    let ctx = state.store.vfu_context_for(&f.refs(&s)).await.or_unavailable(&chrome)?;
    let errors = match f.apply(&s, &ctx) {
        Err(e) => e,
        Ok(new) => match saved(
            &chrome,
            state.store.update_vfu_student(&new, &Actor::user(&user.id)).await,
        )? {
            Saved::Ok(_) => return Ok(see_other(&format!("/vfu/min?sparad={}#onskemal-{}", s.id, s.id))),
            Saved::Invalid(e) => e,
        },
    };
    mine_page(&state, chrome, &user, Some((String::from(id), f, errors)), None).await
}
