//! Placements: lists with lifecycle buttons (shared by municipality and university pages), a
//! placement's status and edit form, and a new placement of a student.

use super::*;

pub struct Step {
    pub to: String,
    pub label: String,
}

pub struct PlacementRow {
    pub id: String,
    pub student: String,
    pub home: String,
    pub site: String,
    pub period: String,
    pub dates: String,
    pub supervisor: String,
    pub status: String,
    pub steps: Vec<Step>,
    pub edit_href: String,
    pub deletable: bool,
}

pub(super) fn placement_rows(
    chrome: &Chrome,
    lines: Vec<PlacementLine>,
    names: &BTreeMap<Kommunkod, String>,
    edit_base: Option<&str>,
) -> Vec<PlacementRow> {
    lines
        .into_iter()
        .map(|l| PlacementRow {
            steps: next_statuses(l.status)
                .into_iter()
                .map(|s| Step {
                    to: s.as_str().into(),
                    label: chrome.t(&format!("vfu-to-{}", s.as_str())),
                })
                .collect(),
            status: l_status(chrome, l.status),
            edit_href: edit_base.map(|b| format!("{b}/{}", l.placement_id)).unwrap_or_default(),
            deletable: l.status == PlacementStatus::Requested || l.status == PlacementStatus::Withdrawn,
            id: String::from(l.placement_id),
            student: l.student_name,
            home: names
                .get(&l.home_municipality)
                .cloned()
                .unwrap_or_else(|| l.home_municipality.to_string()),
            site: format!(
                "{}, {}",
                l.site_name,
                names
                    .get(&l.site_municipality)
                    .cloned()
                    .unwrap_or_else(|| l.site_municipality.to_string())
            ),
            period: format!("{} {} ({})", l.university, l.course_code, l_field(chrome, l.field)),
            dates: format!("{} – {}", l.start, l.end),
            supervisor: l.supervisor_name.unwrap_or_else(|| "–".into()),
        })
        .collect()
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

#[derive(Template)]
#[template(path = "vfu/placements.html")]
pub struct MuniPlacementsPage {
    pub chrome: Chrome,
    pub code: String,
    pub name: String,
    pub rows: Vec<PlacementRow>,
    pub back: String,
}

pub(super) async fn muni_placements(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::May(Action::Read)).await?;
    let lines = state
        .store
        .placement_lines(&PlacementFilter {
            site_municipality: Some(m.code),
            ..Default::default()
        })
        .await
        .or_unavailable(&chrome)?;
    let names = municipality_names(&state).await.or_unavailable(&chrome)?;
    let edit = format!("{}/placeringar", m.base());
    let rows = placement_rows(&chrome, lines, &names, Some(&edit));
    Ok(render(
        StatusCode::OK,
        &MuniPlacementsPage {
            chrome,
            code: m.code.to_string(),
            name: m.name,
            rows,
            back: edit,
        },
    ))
}

/// A placement with the student and period it belongs to, and the site's municipality.
pub(super) struct PlacementCtx {
    placement: Placement,
    student: VfuStudent,
    period: VfuPeriod,
    site: PlacementSite,
}

pub(super) async fn placement_ctx(state: &AppState, id: &PlacementId) -> Result<Option<PlacementCtx>, StoreError> {
    let Some(placement) = state.store.placement(id).await? else {
        return Ok(None);
    };
    let Some(student) = state.store.vfu_student(&placement.student_id).await? else {
        return Ok(None);
    };
    let Some(period) = state.store.vfu_period(&student.period_id).await? else {
        return Ok(None);
    };
    let Some(site) = state.store.placement_site(&placement.site_id).await? else {
        return Ok(None);
    };
    Ok(Some(PlacementCtx {
        placement,
        student,
        period,
        site,
    }))
}

impl PlacementCtx {
    fn target(&self) -> Target<'_> {
        Target::Placement {
            student_person_id: &self.student.person_id,
            university: &self.period.university,
            site_municipality: self.site.municipality,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    pub to: String,
    pub back: String,
}

/// Only paths of the VFU pages are followed after a change.
pub(super) fn safe_back(back: &str, fallback: String) -> String {
    match crate::http::redirect::safe_next(back) {
        Some(b) if b.starts_with("/vfu/") => b.to_string(),
        _ => fallback,
    }
}

pub(super) async fn placement_status(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<PlacementId>,
    Form(f): Form<StatusForm>,
) -> PageResult {
    let user = signed_in(&chrome, me)?;
    let Some(pc) = placement_ctx(&state, &id).await.or_unavailable(&chrome)? else {
        return Err(nf(&chrome).into());
    };
    let p = user.principal();
    if !guard.allows(&p, &pc.target()) {
        return if p.may(Action::Read, &pc.target()) {
            Err(forbidden(chrome).into())
        } else {
            Err(nf(&chrome).into())
        };
    }
    let back = safe_back(
        &f.back,
        format!("/vfu/larosate/{}/perioder/{}", pc.period.university, pc.period.id),
    );
    let Some(to) = PlacementStatus::parse(&f.to) else {
        return Err(refused(chrome, StoreError::Invalid(format!("unknown status {:?}", f.to)), &back).into());
    };
    match state
        .store
        .transition_placement(&pc.placement.id, to, today(), &Actor::user(&user.id))
        .await
    {
        Ok(_) => Ok(see_other(&format!("{back}#p-{}", pc.placement.id))),
        Err(e) => Err(refused(chrome, e, &back).into()),
    }
}

pub(super) async fn placement_delete(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<PlacementId>,
    Form(f): Form<StatusForm>,
) -> PageResult {
    let user = signed_in(&chrome, me)?;
    let Some(pc) = placement_ctx(&state, &id).await.or_unavailable(&chrome)? else {
        return Err(nf(&chrome).into());
    };
    let p = user.principal();
    // Only the university that offered it removes a placement.
    if !p.may(
        Action::Write,
        &Target::UniversityRecord {
            university: &pc.period.university,
        },
    ) || !guard.allows(&p, &pc.target())
    {
        return if p.may(Action::Read, &pc.target()) {
            Err(forbidden(chrome).into())
        } else {
            Err(nf(&chrome).into())
        };
    }
    let back = safe_back(
        &f.back,
        format!("/vfu/larosate/{}/perioder/{}", pc.period.university, pc.period.id),
    );
    match state
        .store
        .delete_placement(&pc.placement.id, &Actor::user(&user.id))
        .await
    {
        Ok(_) => Ok(see_other(&back)),
        Err(e) => Err(refused(chrome, e, &back).into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PlacementEditForm {
    pub supervisor_id: String,
    pub note: String,
    pub waiting_for_better: String,
}

pub(super) async fn placement_edit_page(
    state: &AppState,
    chrome: Chrome,
    m: &Muni,
    pc: &PlacementCtx,
    f: &PlacementEditForm,
    errors: &[FieldError],
) -> PageResult {
    let sups = state.store.supervisors(Some(m.code)).await.or_unavailable(&chrome)?;
    let mut opts = vec![(String::new(), chrome.t("vfu-none"))];
    opts.extend(
        sups.into_iter()
            .filter(|s| s.has_field(pc.period.field) || Some(&s.id) == pc.placement.supervisor_id.as_ref())
            .map(|s| {
                let trained = if s.is_trained() {
                    format!(", {}", chrome.t("vfu-trained"))
                } else {
                    String::new()
                };
                (s.id.to_string(), format!("{}{trained}", s.name))
            }),
    );
    let fields = vec![
        Field::new(
            "f",
            "supervisor_id",
            chrome.t("vfu-col-supervisor"),
            "select",
            &f.supervisor_id,
        )
        .options(opts)
        .hint(chrome.t1("vfu-hint-supervisor", "field", &l_field(&chrome, pc.period.field))),
        Field::new("f", "note", chrome.t("vfu-col-note"), "textarea", &f.note),
    ];
    let list = format!("{}/placeringar", m.base());
    let cr = crumbs(&[
        ("/vfu", chrome.t("vfu-title")),
        (&m.base(), m.name.clone()),
        (&list, chrome.t("vfu-placements-title")),
    ]);
    let title = chrome.t2(
        "vfu-placement-edit-title",
        "student",
        &pc.student.name,
        "site",
        &pc.site.name,
    );
    let mut page = FormPage::new(chrome, title, cr, format!("{list}/{}", pc.placement.id), fields);
    page.intro = format!(
        "{} {} – {}. {}",
        pc.period.course_code,
        pc.period.start,
        pc.period.end,
        l_status(&page.chrome, pc.placement.status)
    );
    Ok(page.errors(errors).respond())
}

pub(super) async fn muni_placement(
    state: &AppState,
    chrome: &Chrome,
    m: &Muni,
    id: &PlacementId,
    ask: Ask<'_>,
) -> PageResult<PlacementCtx> {
    let pc = placement_ctx(state, id)
        .await
        .or_unavailable(chrome)?
        .ok_or_else(|| nf(chrome))?;
    if pc.site.municipality != m.code || !ask.allows(&m.user.principal(), &pc.target()) {
        return Err(nf(chrome).into());
    }
    Ok(pc)
}

pub(super) async fn placement_edit_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((kod, id)): Path<(String, PlacementId)>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::May(Action::Read)).await?;
    let pc = muni_placement(&state, &chrome, &m, &id, Ask::May(Action::Read)).await?;
    let f = PlacementEditForm {
        supervisor_id: pc
            .placement
            .supervisor_id
            .as_ref()
            .map(SupervisorId::to_string)
            .unwrap_or_default(),
        note: pc.placement.note.clone(),
        waiting_for_better: String::new(),
    };
    placement_edit_page(&state, chrome, &m, &pc, &f, &[]).await
}

pub(super) async fn placement_update(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id)): Path<(String, PlacementId)>,
    Form(f): Form<PlacementEditForm>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await?;
    let pc = muni_placement(&state, &chrome, &m, &id, Ask::Guard(&guard)).await?;
    let mut errors = Vec::new();
    let supervisor_id = Some(f.supervisor_id.trim())
        .filter(|s| !s.is_empty())
        .map(SupervisorId::new);
    if let Some(sid) = &supervisor_id {
        match state.store.supervisor(sid).await.or_unavailable(&chrome)? {
            Some(s) if s.municipality == m.code => {}
            _ => errors.push(FieldError::of(
                "supervisor_id",
                FieldProblem::NoSupervisor { id: sid.to_string() },
            )),
        }
    }
    if f.note.chars().count() > 500 {
        errors.push(FieldError::of("note", FieldProblem::TooLong { max: 500 }));
    }
    if errors.is_empty() {
        let mut p = pc.placement.clone();
        p.supervisor_id = supervisor_id;
        p.note = f.note.trim().to_string();
        match saved(&chrome, state.store.update_placement(&p, &m.actor()).await)? {
            Saved::Ok(_) => return Ok(see_other(&format!("{}/placeringar#p-{}", m.base(), p.id))),
            Saved::Invalid(e) => errors = e,
        }
    }
    placement_edit_page(&state, chrome, &m, &pc, &f, &errors).await
}

// University: a new placement

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PlacementNewForm {
    pub site_id: String,
    pub status: String,
    pub note: String,
}

pub(super) async fn placement_form(
    state: &AppState,
    chrome: Chrome,
    u: &Uni,
    s: &VfuStudent,
    p: &VfuPeriod,
    f: &PlacementNewForm,
    errors: &[FieldError],
) -> PageResult {
    let sites = state.store.placement_sites(None).await.or_unavailable(&chrome)?;
    let names = municipality_names(state).await.or_unavailable(&chrome)?;
    let mut opts: Vec<(String, String)> = sites
        .into_iter()
        .filter(|x| x.fields.iter().any(|fs| fs.field == s.field))
        .map(|x| {
            let wish = kkig_core::vfu::lifecycle::wish_rank(s, &x.id, x.municipality);
            let home = if x.municipality == s.home_municipality {
                format!(" – {}", chrome.t("vfu-home-municipality"))
            } else {
                String::new()
            };
            let wish = wish
                .map(|r| format!(" – {}", chrome.t1("vfu-wish-rank", "rank", &(r + 1).to_string())))
                .unwrap_or_default();
            (
                x.id.to_string(),
                format!(
                    "{}: {}{home}{wish}",
                    names.get(&x.municipality).cloned().unwrap_or_default(),
                    x.name
                ),
            )
        })
        .collect();
    opts.sort_by(|a, b| kkig_core::text::swedish_cmp(&a.1, &b.1));
    opts.insert(0, (String::new(), chrome.t("vfu-choose")));
    let statuses = [PlacementStatus::Offered, PlacementStatus::Requested]
        .iter()
        .map(|x| (x.as_str().to_string(), l_status(&chrome, *x)))
        .collect();
    let fields = vec![
        Field::new("f", "site_id", chrome.t("vfu-col-site"), "select", &f.site_id)
            .options(opts)
            .required()
            .hint(chrome.t1("vfu-hint-site", "field", &l_field(&chrome, s.field))),
        Field::new("f", "status", chrome.t("vfu-col-status"), "select", &f.status).options(statuses),
        Field::new("f", "note", chrome.t("vfu-col-note"), "textarea", &f.note),
    ];
    let period_href = format!("{}/perioder/{}", u.base(), p.id);
    let cr = crumbs(&[
        ("/vfu", chrome.t("vfu-title")),
        (&u.base(), u.name.clone()),
        (&period_href, format!("{} {}", p.course_code, l_term(&chrome, p.term))),
    ]);
    let title = chrome.t1("vfu-placement-new-title", "name", &s.name);
    let page = FormPage::new(
        chrome,
        title,
        cr,
        format!("{}/studenter/{}/placera", u.base(), s.id),
        fields,
    );
    Ok(page.errors(errors).respond())
}

pub(super) async fn placement_new_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((code, id)): Path<(String, StudentId)>,
) -> PageResult {
    let u = uni(&state, &chrome, me, &code, Ask::May(Action::Write)).await?;
    let (s, p) = own_student(&state, &chrome, &u, &id).await?;
    let f = PlacementNewForm {
        status: "offered".into(),
        ..Default::default()
    };
    placement_form(&state, chrome, &u, &s, &p, &f, &[]).await
}

pub(super) async fn placement_create(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id)): Path<(String, StudentId)>,
    Form(f): Form<PlacementNewForm>,
) -> PageResult {
    let u = uni(&state, &chrome, me, &code, Ask::Guard(&guard)).await?;
    let (s, p) = own_student(&state, &chrome, &u, &id).await?;
    let mut errors = Vec::new();
    let site = state
        .store
        .placement_site(&SiteId::from(f.site_id.trim()))
        .await
        .or_unavailable(&chrome)?;
    if f.site_id.trim().is_empty() {
        errors.push(FieldError::of("site_id", FieldProblem::Required));
    } else if site.is_none() {
        errors.push(FieldError::of(
            "site_id",
            FieldProblem::NoSite {
                id: f.site_id.trim().to_string(),
            },
        ));
    }
    let status = PlacementStatus::parse(&f.status)
        .filter(|x| matches!(x, PlacementStatus::Offered | PlacementStatus::Requested));
    if status.is_none() {
        errors.push(FieldError::of(
            "status",
            FieldProblem::NewPlacementStatus {
                value: f.status.clone(),
            },
        ));
    }
    if let (Some(site), Some(status), true) = (site, status, errors.is_empty()) {
        let target = Target::Placement {
            student_person_id: &s.person_id,
            university: &p.university,
            site_municipality: site.municipality,
        };
        if !guard.allows(&u.user.principal(), &target) {
            return Err(forbidden(chrome).into());
        }
        match Placement::start(PlacementId::default(), s.id.clone(), site.id.clone(), status, today()) {
            Err(e) => errors.push(FieldError::of("status", e.into())),
            Ok(mut pl) => {
                pl.note = f.note.trim().to_string();
                match saved(&chrome, state.store.create_placement(&pl, &u.actor()).await)? {
                    Saved::Ok(pid) => return Ok(see_other(&format!("{}/perioder/{}#p-{pid}", u.base(), p.id))),
                    Saved::Invalid(e) => errors = e,
                }
            }
        }
    }
    placement_form(&state, chrome, &u, &s, &p, &f, &errors).await
}
