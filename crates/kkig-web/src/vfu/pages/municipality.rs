//! A municipality's VFU overview page and its contact persons.

use super::*;

#[derive(Template)]
#[template(path = "vfu/kommun.html")]
pub struct MuniPage {
    pub chrome: Chrome,
    /// The user may change what the page shows (else it is read only).
    pub writable: bool,
    pub code: String,
    pub name: String,
    pub sites: usize,
    pub supervisors: usize,
    pub trained: usize,
    pub placements: usize,
    pub contacts: Vec<ContactView>,
    pub fields: Vec<Field>,
    pub problems: Vec<Problem>,
}

pub(super) fn contact_fields(chrome: &Chrome, f: &ContactForm) -> Vec<Field> {
    let roles = RaciRole::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), chrome.t(&format!("vfu-role-{}", r.as_str()))))
        .collect();
    let mut programmes = vec![(String::new(), chrome.t("vfu-all-programmes"))];
    programmes.extend(
        ProgrammeType::ALL
            .iter()
            .map(|p| (p.as_str().to_string(), l_programme(chrome, *p))),
    );
    vec![
        Field::new("c", "role", chrome.t("vfu-col-role"), "select", &f.role)
            .options(roles)
            .required(),
        Field::new("c", "programme", chrome.t("vfu-col-programme"), "select", &f.programme).options(programmes),
        Field::new("c", "name", chrome.t("vfu-col-name"), "text", &f.name).required(),
        Field::new("c", "title", chrome.t("vfu-col-title"), "text", &f.title).hint(chrome.t("vfu-hint-title")),
        Field::new("c", "email", chrome.t("vfu-col-email"), "email", &f.email).required(),
        Field::new("c", "phone", chrome.t("vfu-col-phone"), "text", &f.phone),
    ]
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ContactForm {
    pub role: String,
    pub programme: String,
    pub name: String,
    pub title: String,
    pub email: String,
    pub phone: String,
}

pub(super) async fn muni_page(
    state: &AppState,
    chrome: Chrome,
    m: &Muni,
    form: ContactForm,
    errors: Vec<FieldError>,
) -> PageResult {
    let sites = state
        .store
        .placement_sites(Some(m.code))
        .await
        .or_unavailable(&chrome)?;
    let supervisors = state.store.supervisors(Some(m.code)).await.or_unavailable(&chrome)?;
    let placements = state
        .store
        .placements(&PlacementFilter {
            site_municipality: Some(m.code),
            ..Default::default()
        })
        .await
        .or_unavailable(&chrome)?;
    let contacts = state.store.vfu_contacts(Some(m.code)).await.or_unavailable(&chrome)?;
    let mut fields = contact_fields(&chrome, &form);
    let problems = attach(&chrome, &mut fields, &errors);
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = MuniPage {
        writable: m.writable(),
        code: m.code.to_string(),
        name: m.name.clone(),
        sites: sites.len(),
        trained: supervisors.iter().filter(|s| s.is_trained()).count(),
        supervisors: supervisors.len(),
        placements: placements.iter().filter(|p| p.status.is_active()).count(),
        contacts: contact_views(&chrome, contacts),
        fields,
        problems,
        chrome,
    };
    Ok(render(status, &page))
}

pub(super) async fn muni_overview(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::May(Action::Read)).await?;
    muni_page(&state, chrome, &m, ContactForm::default(), Vec::new()).await
}

pub(super) async fn contact_create(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(kod): Path<String>,
    Form(f): Form<ContactForm>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await?;
    let mut errors = Vec::new();
    let role = RaciRole::parse(&f.role);
    if role.is_none() {
        errors.push(FieldError::of(
            "role",
            FieldProblem::Unknown {
                noun: "role".into(),
                value: f.role.clone(),
                expected: format!("one of {}", RaciRole::ALL.map(|r| r.as_str()).join(", ")),
            },
        ));
    }
    let programme = if f.programme.trim().is_empty() {
        None
    } else {
        ProgrammeType::parse(&f.programme)
    };
    if !f.programme.trim().is_empty() && programme.is_none() {
        errors.push(FieldError::of(
            "programme",
            FieldProblem::Unknown {
                noun: "programme".into(),
                value: f.programme.clone(),
                expected: "teacher, nursing or social_work".into(),
            },
        ));
    }
    let c = VfuContact {
        id: String::new(),
        person_id: PersonId::default(),
        municipality: m.code,
        role: role.unwrap_or(RaciRole::MunicipalCoordinator),
        programme,
        name: f.name.trim().to_string(),
        email: f.email.trim().to_string(),
        phone: f.phone.trim().to_string(),
        title: f.title.trim().to_string(),
    };
    errors.extend(validate_contact(&c));
    if errors.is_empty() {
        match saved(&chrome, state.store.create_vfu_contact(&c, &m.actor()).await)? {
            Saved::Ok(_) => return Ok(see_other(&format!("{}#kontakter", m.base()))),
            Saved::Invalid(e) => errors = e,
        }
    }
    muni_page(&state, chrome, &m, f, errors).await
}

/// A contact of this municipality, or the 404 page.
pub(super) async fn own_contact(state: &AppState, chrome: &Chrome, m: &Muni, id: &str) -> PageResult<VfuContact> {
    let contacts = state.store.vfu_contacts(Some(m.code)).await.or_unavailable(chrome)?;
    contacts
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| nf(chrome).into())
}

pub(super) fn contact_form_page(
    chrome: Chrome,
    m: &Muni,
    id: &str,
    f: &ContactForm,
    errors: &[FieldError],
) -> Response {
    let fields = contact_fields(&chrome, f);
    let cr = crumbs(&[("/vfu", chrome.t("vfu-title")), (&m.base(), m.name.clone())]);
    let title = chrome.t1("vfu-contact-edit-title", "name", &f.name);
    let mut page = FormPage::new(chrome, title, cr, format!("{}/kontakter/{id}", m.base()), fields);
    page.intro = page.chrome.t("vfu-contact-public-notice");
    page.delete_action = format!("{}/kontakter/{id}/ta-bort", m.base());
    page.errors(errors).respond()
}

pub(super) async fn contact_edit_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((kod, id)): Path<(String, String)>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::May(Action::Write)).await?;
    let c = own_contact(&state, &chrome, &m, &id).await?;
    let f = ContactForm {
        role: c.role.as_str().into(),
        programme: c.programme.map(|p| p.as_str().to_string()).unwrap_or_default(),
        name: c.name,
        title: c.title,
        email: c.email,
        phone: c.phone,
    };
    Ok(contact_form_page(chrome, &m, &id, &f, &[]))
}

pub(super) async fn contact_update(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id)): Path<(String, String)>,
    Form(f): Form<ContactForm>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await?;
    let old = own_contact(&state, &chrome, &m, &id).await?;
    let mut errors = Vec::new();
    let role = RaciRole::parse(&f.role);
    if role.is_none() {
        errors.push(FieldError::of(
            "role",
            FieldProblem::Unknown {
                noun: "role".into(),
                value: f.role.clone(),
                expected: format!("one of {}", RaciRole::ALL.map(|r| r.as_str()).join(", ")),
            },
        ));
    }
    let programme = if f.programme.trim().is_empty() {
        None
    } else {
        ProgrammeType::parse(&f.programme)
    };
    if !f.programme.trim().is_empty() && programme.is_none() {
        errors.push(FieldError::of(
            "programme",
            FieldProblem::Unknown {
                noun: "programme".into(),
                value: f.programme.clone(),
                expected: "teacher, nursing or social_work".into(),
            },
        ));
    }
    let c = VfuContact {
        role: role.unwrap_or(old.role),
        programme,
        name: f.name.trim().to_string(),
        email: f.email.trim().to_string(),
        phone: f.phone.trim().to_string(),
        title: f.title.trim().to_string(),
        ..old
    };
    errors.extend(validate_contact(&c));
    if errors.is_empty() {
        match saved(&chrome, state.store.update_vfu_contact(&c, &m.actor()).await)? {
            Saved::Ok(_) => return Ok(see_other(&format!("{}#kontakter", m.base()))),
            Saved::Invalid(e) => errors = e,
        }
    }
    Ok(contact_form_page(chrome, &m, &id, &f, &errors))
}

pub(super) async fn contact_delete(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id)): Path<(String, String)>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await?;
    let contacts = state.store.vfu_contacts(Some(m.code)).await.or_unavailable(&chrome)?;
    if !contacts.iter().any(|c| c.id == id) {
        return Err(nf(&chrome).into());
    }
    state
        .store
        .delete_vfu_contact(&id, &m.actor())
        .await
        .or_unavailable(&chrome)?;
    Ok(see_other(&format!("{}#kontakter", m.base())))
}
