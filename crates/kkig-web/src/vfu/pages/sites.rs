//! A municipality's placement sites and their hosting interest per term.

use super::*;

pub struct SiteRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub fields: String,
    pub address: String,
    pub hosting: String,
    pub supervisors: usize,
}

#[derive(Template)]
#[template(path = "vfu/sites.html")]
pub struct SitesPage {
    pub chrome: Chrome,
    /// The user may change what the page shows (else it is read only).
    pub writable: bool,
    pub code: String,
    pub name: String,
    pub rows: Vec<SiteRow>,
    pub term: String,
}

/// The next term that starts after today.
pub(super) fn coming_term() -> Term {
    let t = Term::of(today());
    match t.season {
        Season::Spring => Term::autumn(t.year),
        Season::Autumn => Term::spring(t.year + 1),
    }
}

pub(super) fn next_terms(n: usize) -> Vec<Term> {
    let mut t = Term::of(today());
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(t);
        t = match t.season {
            Season::Spring => Term::autumn(t.year),
            Season::Autumn => Term::spring(t.year + 1),
        };
    }
    out
}

pub(super) async fn sites_page(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::May(Action::Read)).await?;
    let sites = state
        .store
        .placement_sites(Some(m.code))
        .await
        .or_unavailable(&chrome)?;
    let term = coming_term();
    let hosting = state
        .store
        .hosting_interests(Some(m.code), Some(term))
        .await
        .or_unavailable(&chrome)?;
    let supervisors = state.store.supervisors(Some(m.code)).await.or_unavailable(&chrome)?;
    let rows = sites
        .into_iter()
        .map(|s| SiteRow {
            hosting: hosting
                .iter()
                .find(|h| h.site_id == s.id)
                .map(|h| {
                    if h.interest == Interest::No {
                        l_interest(&chrome, h.interest)
                    } else {
                        format!("{} ({})", l_interest(&chrome, h.interest), h.capacity)
                    }
                })
                .unwrap_or_else(|| chrome.t("vfu-no-answer")),
            supervisors: supervisors.iter().filter(|x| x.site_id.as_ref() == Some(&s.id)).count(),
            kind: l_kind(&chrome, s.kind),
            fields: l_fields(&chrome, &s.fields),
            address: s.address,
            name: s.name,
            id: String::from(s.id),
        })
        .collect();
    let term = l_term(&chrome, term);
    Ok(render(
        StatusCode::OK,
        &SitesPage {
            chrome,
            writable: m.writable(),
            code: m.code.to_string(),
            name: m.name,
            rows,
            term,
        },
    ))
}

pub(super) fn site_input(s: &PlacementSite) -> SiteInput {
    SiteInput {
        id: s.id.to_string(),
        municipality: s.municipality.to_string(),
        name: s.name.clone(),
        kind: s.kind.as_str().into(),
        address: s.address.clone(),
        lat: format!("{:.5}", s.position.lat),
        lon: format!("{:.5}", s.position.lon),
        fields: fields_text(&s.fields),
    }
}

/// What the site form's field checkboxes hold: per field whether it is ticked and the text of
/// its subjects (teachers), ward or care type (nurses) or area (social work), as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct FieldState(BTreeMap<VfuField, (bool, String)>);

impl FieldState {
    pub(super) fn of(list: &[FieldSpec]) -> Self {
        Self(list.iter().map(|f| (f.field, (true, f.subjects.join(", ")))).collect())
    }

    /// The ticked fields in the file form the core validates (`teacher_f3:svenska, matematik|nurse`).
    fn text(&self) -> String {
        VfuField::ALL
            .iter()
            .filter_map(|f| self.0.get(f).filter(|(on, _)| *on).map(|(_, subjects)| (f, subjects)))
            .map(|(f, subjects)| {
                // `|` separates fields in the file form; inside one field's subjects it is a comma.
                let subjects = subjects.replace('|', ",");
                if subjects.trim().is_empty() {
                    f.code().to_string()
                } else {
                    format!("{}:{}", f.code(), subjects.trim())
                }
            })
            .collect::<Vec<_>>()
            .join("|")
    }
}

/// The field checkboxes of a site or supervisor form as posted: `field_CODE` (a checkbox) with
/// `subjects_CODE` per field, joined into the file form the core validates. A post without any
/// checkbox field may give `fields` in the file form instead.
pub(super) fn field_choice_input(pairs: &[(String, String)]) -> (String, FieldState) {
    let get = |k: &str| {
        pairs
            .iter()
            .rev()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut state = FieldState::default();
    let mut any = false;
    for f in VfuField::ALL {
        let on = pairs
            .iter()
            .any(|(n, v)| *n == format!("field_{}", f.code()) && !v.is_empty());
        let subjects = get(&format!("subjects_{}", f.code()));
        any |= pairs
            .iter()
            .any(|(n, _)| *n == format!("field_{}", f.code()) || *n == format!("subjects_{}", f.code()));
        if on || !subjects.is_empty() {
            state.0.insert(f, (on, subjects));
        }
    }
    if any {
        return (state.text(), state);
    }
    let text = get("fields");
    if let Ok(list) = FieldSpec::parse_list(&text) {
        state = FieldState::of(&list);
    }
    (text, state)
}

/// The last value posted for `key`, or empty.
pub(super) fn posted(pairs: &[(String, String)], key: &str) -> String {
    pairs
        .iter()
        .rev()
        .find(|(n, _)| n == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// The site form as posted (see [`field_choice_input`] for its fields).
pub(super) fn site_form_input(pairs: &[(String, String)]) -> (SiteInput, FieldState) {
    let get = |k: &str| posted(pairs, k);
    let (fields, state) = field_choice_input(pairs);
    let input = SiteInput {
        id: String::new(),
        municipality: String::new(),
        name: get("name"),
        kind: get("kind"),
        address: get("address"),
        lat: get("lat"),
        lon: get("lon"),
        fields,
    };
    (input, state)
}

/// The supervisor form as posted (see [`field_choice_input`] for its fields).
pub(super) fn supervisor_form_input(pairs: &[(String, String)]) -> (SupervisorInput, FieldState) {
    let get = |k: &str| posted(pairs, k);
    let (fields, state) = field_choice_input(pairs);
    let input = SupervisorInput {
        email: get("email"),
        name: get("name"),
        phone: get("phone"),
        municipality: String::new(),
        site_id: get("site_id"),
        fields,
        employment_percent: get("employment_percent"),
        training: get("training"),
        training_date: get("training_date"),
        training_university: get("training_university"),
        students_per_period: get("students_per_period"),
        unavailable_terms: get("unavailable_terms"),
        consent_contact: get("consent_contact"),
        invite: get("invite"),
        invite_date: get("invite_date"),
    };
    (input, state)
}

/// The site's fields as checkboxes in groups (teacher levels, nurse, social work), each with a
/// text input for its subjects, ward or care type, or area.
pub struct FieldChoice {
    pub groups: Vec<FieldChoiceGroup>,
}

pub struct FieldChoiceGroup {
    pub legend: String,
    pub items: Vec<FieldChoiceItem>,
}

pub struct FieldChoiceItem {
    pub code: String,
    pub label: String,
    pub checked: bool,
    pub subjects_label: String,
    pub subjects_hint: String,
    pub subjects: String,
}

pub(super) fn field_choice(chrome: &Chrome, state: &FieldState) -> FieldChoice {
    let groups = ProgrammeType::ALL
        .iter()
        .map(|p| FieldChoiceGroup {
            legend: chrome.t(&format!("vfu-fields-group-{}", p.as_str())),
            items: VfuField::ALL
                .iter()
                .filter(|f| f.programme() == *p)
                .map(|f| {
                    let (checked, subjects) = state.0.get(f).cloned().unwrap_or_default();
                    FieldChoiceItem {
                        code: f.code().into(),
                        label: l_field(chrome, *f),
                        checked,
                        subjects_label: chrome.t1(
                            &format!("vfu-fields-subjects-{}", p.as_str()),
                            "field",
                            &l_field(chrome, *f),
                        ),
                        subjects_hint: chrome.t(&format!("vfu-fields-subjects-hint-{}", p.as_str())),
                        subjects,
                    }
                })
                .collect(),
        })
        .collect();
    FieldChoice { groups }
}

pub(super) fn site_fields(chrome: &Chrome, i: &SiteInput) -> Vec<Field> {
    let kinds = SiteKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), l_kind(chrome, *k)))
        .collect();
    vec![
        Field::new("f", "name", chrome.t("vfu-col-name"), "text", &i.name).required(),
        Field::new("f", "kind", chrome.t("vfu-col-kind"), "select", &i.kind)
            .options(kinds)
            .required(),
        Field::new("f", "fields", chrome.t("vfu-col-fields"), "choice", "")
            .hint(chrome.t("vfu-hint-field-choice"))
            .required(),
        Field::new("f", "address", chrome.t("vfu-col-address"), "text", &i.address),
        Field::new("f", "lat", chrome.t("vfu-col-lat"), "text", &i.lat).hint(chrome.t("vfu-hint-position")),
        Field::new("f", "lon", chrome.t("vfu-col-lon"), "text", &i.lon),
    ]
}

pub(super) fn site_form(chrome: Chrome, m: &Muni, i: &SiteInput, state: &FieldState, id: Option<&str>) -> FormPage {
    let sites_href = format!("{}/platser", m.base());
    let cr = crumbs(&[
        ("/vfu", chrome.t("vfu-title")),
        (&m.base(), m.name.clone()),
        (&sites_href, chrome.t("vfu-sites-title")),
    ]);
    let fields = site_fields(&chrome, i);
    let choice = Some(field_choice(&chrome, state));
    let mut page = match id {
        None => {
            let title = chrome.t1("vfu-site-new-title", "name", &m.name);
            FormPage::new(chrome, title, cr, format!("{sites_href}/ny"), fields)
        }
        Some(id) => {
            let title = chrome.t1("vfu-site-edit-title", "name", &i.name);
            let mut p = FormPage::new(chrome, title, cr, format!("{sites_href}/{id}"), fields);
            p.delete_action = format!("{sites_href}/{id}/ta-bort");
            p
        }
    };
    page.choice = choice;
    page
}

pub(super) async fn site_new_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::May(Action::Write)).await?;
    let i = SiteInput {
        kind: SiteKind::School.as_str().into(),
        ..Default::default()
    };
    Ok(site_form(chrome, &m, &i, &FieldState::default(), None).respond())
}

pub(super) async fn site_create(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(kod): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await?;
    let (mut i, fs) = site_form_input(&pairs);
    i.municipality = m.code.to_string();
    let ctx = state.store.vfu_context_for(&i.refs()).await.or_unavailable(&chrome)?;
    let errors = match i.parse(&ctx) {
        Err(e) => e,
        Ok(site) => match saved(&chrome, state.store.create_placement_site(&site, &m.actor()).await)? {
            Saved::Ok(id) => return Ok(see_other(&format!("{}/platser/{id}?sparad=1", m.base()))),
            Saved::Invalid(e) => e,
        },
    };
    Ok(site_form(chrome, &m, &i, &fs, None).errors(&errors).respond())
}

/// A site of this municipality, or the 404 page.
pub(super) async fn own_site(state: &AppState, chrome: &Chrome, m: &Muni, id: &SiteId) -> PageResult<PlacementSite> {
    state
        .store
        .placement_site(id)
        .await
        .or_unavailable(chrome)?
        .filter(|s| s.municipality == m.code)
        .ok_or_else(|| nf(chrome).into())
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    pub sparad: Option<String>,
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn site_edit_page(
    state: &AppState,
    chrome: Chrome,
    m: &Muni,
    site: &PlacementSite,
    i: &SiteInput,
    fs: &FieldState,
    errors: &[FieldError],
    h: &HostingInput,
    h_errors: &[FieldError],
    saved: bool,
) -> PageResult {
    let hosting = state
        .store
        .hosting_interests(Some(m.code), None)
        .await
        .or_unavailable(&chrome)?;
    let rows = hosting
        .iter()
        .filter(|x| x.site_id == site.id)
        .map(|x| HostingRow {
            cells: [
                l_term(&chrome, x.term),
                l_interest(&chrome, x.interest),
                x.capacity.to_string(),
                x.reason.clone(),
            ],
            delete_action: format!("{}/platser/{}/intresse/{}/ta-bort", m.base(), site.id, x.term),
        })
        .collect();
    let terms = next_terms(4)
        .into_iter()
        .map(|t| (t.to_string(), l_term(&chrome, t)))
        .collect();
    let interests = Interest::ALL
        .iter()
        .map(|x| (x.as_str().to_string(), l_interest(&chrome, *x)))
        .collect();
    let mut h_fields = vec![
        Field::new("h", "term", chrome.t("vfu-col-term"), "select", &h.term)
            .options(terms)
            .required(),
        Field::new("h", "interest", chrome.t("vfu-col-interest"), "select", &h.interest)
            .options(interests)
            .required(),
        Field::new("h", "capacity", chrome.t("vfu-col-capacity"), "number", &h.capacity),
        Field::new("h", "reason", chrome.t("vfu-col-reason"), "text", &h.reason).hint(chrome.t("vfu-hint-reason")),
    ];
    let h_problems = attach(&chrome, &mut h_fields, h_errors);
    let mut page = site_form(chrome, m, i, fs, Some(site.id.as_str())).errors(errors);
    if saved {
        page.notice = page.chrome.t("vfu-saved");
    }
    page.hosting = Some(HostingSection {
        rows,
        action: format!("{}/platser/{}/intresse", m.base(), site.id),
        fields: h_fields,
        problems: h_problems,
    });
    Ok(page.respond())
}

pub(super) fn default_hosting() -> HostingInput {
    HostingInput {
        term: coming_term().to_string(),
        interest: "yes".into(),
        capacity: "1".into(),
        ..Default::default()
    }
}

pub(super) async fn site_edit_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((kod, id)): Path<(String, SiteId)>,
    Query(q): Query<SavedQuery>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::May(Action::Read)).await?;
    let site = own_site(&state, &chrome, &m, &id).await?;
    site_edit_page(
        &state,
        chrome,
        &m,
        &site,
        &site_input(&site),
        &FieldState::of(&site.fields),
        &[],
        &default_hosting(),
        &[],
        q.sparad.is_some(),
    )
    .await
}

pub(super) async fn site_update(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id)): Path<(String, SiteId)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await?;
    let site = own_site(&state, &chrome, &m, &id).await?;
    let (mut i, fs) = site_form_input(&pairs);
    i.id = site.id.to_string();
    i.municipality = m.code.to_string();
    let ctx = state.store.vfu_context_for(&i.refs()).await.or_unavailable(&chrome)?;
    let errors = match i.parse(&ctx) {
        Err(e) => e,
        Ok(new) => match saved(&chrome, state.store.update_placement_site(&new, &m.actor()).await)? {
            Saved::Ok(_) => return Ok(see_other(&format!("{}/platser/{id}?sparad=1", m.base()))),
            Saved::Invalid(e) => e,
        },
    };
    site_edit_page(
        &state,
        chrome,
        &m,
        &site,
        &i,
        &fs,
        &errors,
        &default_hosting(),
        &[],
        false,
    )
    .await
}

pub(super) async fn site_delete(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id)): Path<(String, SiteId)>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await?;
    let site = own_site(&state, &chrome, &m, &id).await?;
    let back = format!("{}/platser/{}", m.base(), site.id);
    match state.store.delete_placement_site(&site.id, &m.actor()).await {
        Ok(_) => Ok(see_other(&format!("{}/platser", m.base()))),
        Err(e) => Err(refused(chrome, e, &back).into()),
    }
}

pub(super) async fn hosting_set(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id)): Path<(String, SiteId)>,
    Form(mut h): Form<HostingInput>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await?;
    let site = own_site(&state, &chrome, &m, &id).await?;
    h.site_id = site.id.to_string();
    let ctx = state.store.vfu_context_for(&h.refs()).await.or_unavailable(&chrome)?;
    let errors = match h.parse(&ctx) {
        Err(e) => e,
        Ok(x) => match saved(&chrome, state.store.set_hosting_interest(&x, &m.actor()).await)? {
            Saved::Ok(()) => return Ok(see_other(&format!("{}/platser/{id}?sparad=1#intresse", m.base()))),
            Saved::Invalid(e) => e,
        },
    };
    site_edit_page(
        &state,
        chrome,
        &m,
        &site,
        &site_input(&site),
        &FieldState::of(&site.fields),
        &[],
        &h,
        &errors,
        false,
    )
    .await
}

/// Delete a site's answer for one term (the coordinator's mistake, or a term that will not come).
pub(super) async fn hosting_delete(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id, term)): Path<(String, SiteId, String)>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await?;
    let site = own_site(&state, &chrome, &m, &id).await?;
    let Ok(term) = Term::parse(&term) else {
        return Err(nf(&chrome).into());
    };
    if !state
        .store
        .delete_hosting_interest(&site.id, term, &m.actor())
        .await
        .or_unavailable(&chrome)?
    {
        return Err(nf(&chrome).into());
    }
    Ok(see_other(&format!(
        "{}/platser/{}?sparad=1#intresse",
        m.base(),
        site.id
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_form_checkboxes_give_the_file_form() {
        let pairs: Vec<(String, String)> = [
            ("name", "Skolan"),
            ("field_teacher_f3", "1"),
            ("subjects_teacher_f3", " svenska, matematik "),
            ("subjects_teacher_4_6", "engelska"),
            ("field_nurse", "1"),
            ("subjects_nurse", "medicin|akut"),
            ("fields", "socionom"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let (input, state) = site_form_input(&pairs);
        assert_eq!(input.name, "Skolan");
        assert_eq!(
            input.fields, "teacher_f3:svenska, matematik|nurse:medicin,akut",
            "ticked fields only; the text form is ignored"
        );
        assert_eq!(
            state.0[&VfuField::Teacher(kkig_core::vfu::TeacherLevel::Ar46)],
            (false, "engelska".to_string()),
            "typed text kept unticked"
        );
        let list = FieldSpec::parse_list(&input.fields).unwrap();
        assert_eq!(
            FieldState::of(&list).text(),
            "teacher_f3:svenska, matematik|nurse:medicin, akut"
        );
        // Without any checkbox field, the file form still works (scripts, old bookmarks).
        let (input, state) = site_form_input(&[("fields".to_string(), "F-3|4-6".to_string())]);
        assert_eq!((input.fields.as_str(), state.0.len()), ("F-3|4-6", 2));
    }
}
