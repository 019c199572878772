//! Roles and responsibilities ("vem gör vad"): the public page of each municipality with a
//! printable version, and the municipality's adaptation of the model.

use super::*;

#[derive(Deserialize, Default)]
pub struct RaciQuery {
    pub program: Option<String>,
    pub utskrift: Option<String>,
}

pub struct RaciRowView {
    pub task: String,
    pub cells: Vec<String>,
}

pub struct ContactView {
    pub id: String,
    pub role: String,
    pub programme: String,
    pub name: String,
    pub title: String,
    pub email: String,
    pub phone: String,
}

#[derive(Template)]
#[template(path = "vfu/raci.html")]
pub struct RaciPage {
    pub chrome: Chrome,
    pub name: String,
    pub programme_label: String,
    pub programmes: Vec<Link>,
    pub adapted: bool,
    pub roles: Vec<String>,
    pub rows: Vec<RaciRowView>,
    pub contacts: Vec<ContactView>,
    pub print_href: String,
}

#[derive(Template)]
#[template(path = "vfu/raci_print.html")]
pub struct RaciPrintPage {
    pub chrome: Chrome,
    pub code: String,
    pub name: String,
    pub programme: String,
    pub programme_label: String,
    pub programmes: Vec<Link>,
    pub adapted: bool,
    pub roles: Vec<String>,
    pub rows: Vec<RaciRowView>,
    pub contacts: Vec<ContactView>,
}

pub(super) fn contact_views(chrome: &Chrome, contacts: Vec<VfuContact>) -> Vec<ContactView> {
    contacts
        .into_iter()
        .map(|c| ContactView {
            id: c.id,
            role: chrome.t(&format!("vfu-role-{}", c.role.as_str())),
            programme: c
                .programme
                .map(|p| l_programme(chrome, p))
                .unwrap_or_else(|| chrome.t("vfu-all-programmes")),
            name: c.name,
            title: c.title,
            email: c.email,
            phone: c.phone,
        })
        .collect()
}

pub(super) async fn raci_page(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(kod): Path<String>,
    Query(q): Query<RaciQuery>,
) -> Response {
    let key = chrome.clone();
    public_page(&state, &key, raci_response(state.clone(), chrome, kod, q)).await
}

pub(super) async fn raci_response(state: AppState, chrome: Chrome, kod: String, q: RaciQuery) -> PageResult {
    let Ok(code) = Kommunkod::parse(&kod) else {
        return Err(nf(&chrome).into());
    };
    let Some(m) = state.store.municipality(code).await.or_unavailable(&chrome)? else {
        return Err(nf(&chrome).into());
    };
    let programme = match q.program.as_deref().filter(|p| !p.is_empty()) {
        None => ProgrammeType::Teacher,
        Some(p) => match ProgrammeType::parse(p) {
            Some(p) => p,
            None => return Err(nf(&chrome).into()),
        },
    };
    let view = state.store.raci_model(code, programme).await.or_unavailable(&chrome)?;
    let contacts = state.store.vfu_contacts(Some(code)).await.or_unavailable(&chrome)?;
    let contacts: Vec<VfuContact> = contacts
        .into_iter()
        .filter(|c| c.programme.is_none() || c.programme == Some(programme))
        .collect();
    let roles = RaciRole::ALL
        .iter()
        .map(|r| chrome.t(&format!("vfu-role-{}", r.as_str())))
        .collect();
    let rows = view
        .model
        .rows
        .iter()
        .map(|r| RaciRowView {
            task: chrome.t(&format!("vfu-task-{}", r.task.as_str())),
            cells: RaciRole::ALL.iter().map(|role| r.cell(*role).to_string()).collect(),
        })
        .collect();
    let base = format!("/vfu/kommun/{code}/vem-gor-vad");
    let programmes = ProgrammeType::ALL
        .iter()
        .map(|p| Link {
            href: format!("{base}?program={}", p.as_str()),
            label: l_programme(&chrome, *p),
        })
        .collect();
    let print_href = format!("{base}?program={}&utskrift=1", programme.as_str());
    let contacts = contact_views(&chrome, contacts);
    let programme_label = l_programme(&chrome, programme);
    if q.utskrift.as_deref().is_some_and(|v| !v.is_empty() && v != "0") {
        return Ok(render(
            StatusCode::OK,
            &RaciPrintPage {
                chrome,
                code: code.to_string(),
                name: m.name,
                programme: programme.as_str().into(),
                programme_label,
                programmes,
                adapted: view.adapted,
                roles,
                rows,
                contacts,
            },
        ));
    }
    Ok(render(
        StatusCode::OK,
        &RaciPage {
            chrome,
            name: m.name,
            programme_label,
            programmes,
            adapted: view.adapted,
            roles,
            rows,
            contacts,
            print_href,
        },
    ))
}

// ---------------------------------------------------------------------------------------------
// Municipality: adapting the roles-and-responsibilities model

/// The values a cell of the matrix can take in the form.
pub(super) const CELL_CHOICES: [&str; 8] = ["", "R", "A", "A/R", "C", "I", "R/C", "R/I"];

pub struct RaciEditCell {
    pub name: String,
    pub label: String,
    pub options: Vec<Opt>,
}

pub struct RaciEditRow {
    pub task: String,
    pub anchor: String,
    pub error: Option<String>,
    pub cells: Vec<RaciEditCell>,
}

#[derive(Template)]
#[template(path = "vfu/raci_edit.html")]
pub struct RaciEditPage {
    pub chrome: Chrome,
    pub code: String,
    pub name: String,
    pub programme: String,
    pub programme_label: String,
    pub programmes: Vec<Link>,
    pub adapted: bool,
    pub roles: Vec<String>,
    pub rows: Vec<RaciEditRow>,
    pub problems: Vec<Problem>,
}

pub(super) fn raci_programme(q: &RaciQuery) -> Option<ProgrammeType> {
    match q.program.as_deref().filter(|p| !p.is_empty()) {
        None => Some(ProgrammeType::Teacher),
        Some(p) => ProgrammeType::parse(p),
    }
}

pub(super) fn raci_edit_page(
    chrome: Chrome,
    m: &Muni,
    model: &RaciModel,
    adapted: bool,
    errors: &[FieldError],
) -> Response {
    let roles: Vec<String> = RaciRole::ALL
        .iter()
        .map(|r| chrome.t(&format!("vfu-role-{}", r.as_str())))
        .collect();
    let mut problems = Vec::new();
    let rows = model
        .rows
        .iter()
        .map(|row| {
            let task = chrome.t(&format!("vfu-task-{}", row.task.as_str()));
            let anchor = format!("c-{}-{}", row.task.as_str(), RaciRole::ALL[0].as_str());
            let error = errors
                .iter()
                .find(|e| e.field == format!("task.{}", row.task.as_str()))
                .map(|e| {
                    let text = error_text(&chrome, &task, e);
                    problems.push(Problem {
                        target: anchor.clone(),
                        text: text.clone(),
                    });
                    text
                });
            let cells = RaciRole::ALL
                .iter()
                .zip(&roles)
                .map(|(role, role_label)| {
                    let value = row.cell(*role).to_string();
                    let mut options: Vec<Opt> = CELL_CHOICES
                        .iter()
                        .map(|c| Opt {
                            value: c.to_string(),
                            label: if c.is_empty() { "–".into() } else { c.to_string() },
                            selected: *c == value,
                        })
                        .collect();
                    if !CELL_CHOICES.contains(&value.as_str()) {
                        options.push(Opt {
                            value: value.clone(),
                            label: value.clone(),
                            selected: true,
                        });
                    }
                    RaciEditCell {
                        name: format!("c-{}-{}", row.task.as_str(), role.as_str()),
                        label: format!("{task}: {role_label}"),
                        options,
                    }
                })
                .collect();
            RaciEditRow {
                task,
                anchor,
                error,
                cells,
            }
        })
        .collect();
    let base = format!("/vfu/kommun/{}/vem-gor-vad/andra", m.code);
    let programmes = ProgrammeType::ALL
        .iter()
        .map(|p| Link {
            href: format!("{base}?program={}", p.as_str()),
            label: l_programme(&chrome, *p),
        })
        .collect();
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let programme_label = l_programme(&chrome, model.programme);
    render(
        status,
        &RaciEditPage {
            chrome,
            code: m.code.to_string(),
            name: m.name.clone(),
            programme: model.programme.as_str().into(),
            programme_label,
            programmes,
            adapted,
            roles,
            rows,
            problems,
        },
    )
}

pub(super) async fn raci_edit_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
    Query(q): Query<RaciQuery>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::May(Action::Write)).await?;
    let Some(programme) = raci_programme(&q) else {
        return Err(nf(&chrome).into());
    };
    let view = state
        .store
        .raci_model(m.code, programme)
        .await
        .or_unavailable(&chrome)?;
    Ok(raci_edit_page(chrome, &m, &view.model, view.adapted, &[]))
}

pub(super) async fn raci_save(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(kod): Path<String>,
    Form(f): Form<BTreeMap<String, String>>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await?;
    let Some(programme) = f.get("program").and_then(|p| ProgrammeType::parse(p)) else {
        return Err(nf(&chrome).into());
    };
    let mut model = RaciModel::default_for(programme);
    for task in RaciTask::ALL {
        for role in RaciRole::ALL {
            let value = f
                .get(&format!("c-{}-{}", task.as_str(), role.as_str()))
                .map(String::as_str)
                .unwrap_or("");
            model.set(task, role, RaciCell::parse(value).unwrap_or_default());
        }
    }
    let errors = model.validate();
    if errors.is_empty() {
        match saved(&chrome, state.store.save_raci_model(m.code, &model, &m.actor()).await)? {
            Saved::Ok(()) => {
                return Ok(see_other(&format!(
                    "/vfu/kommun/{}/vem-gor-vad?program={}",
                    m.code,
                    programme.as_str()
                )))
            }
            Saved::Invalid(e) => return Ok(raci_edit_page(chrome, &m, &model, true, &e)),
        }
    }
    Ok(raci_edit_page(chrome, &m, &model, true, &errors))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProgramForm {
    pub program: String,
}

pub(super) async fn raci_reset(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(kod): Path<String>,
    Form(f): Form<ProgramForm>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await?;
    let Some(programme) = ProgrammeType::parse(&f.program) else {
        return Err(nf(&chrome).into());
    };
    state
        .store
        .reset_raci_model(m.code, programme, &m.actor())
        .await
        .or_unavailable(&chrome)?;
    Ok(see_other(&format!(
        "/vfu/kommun/{}/vem-gor-vad?program={}",
        m.code,
        programme.as_str()
    )))
}
