//! A municipality's supervisors, their training, and invitations to an account.

use super::*;

pub struct SupervisorRow {
    pub id: String,
    pub name: String,
    pub site: String,
    pub fields: String,
    pub training: String,
    pub trained: bool,
    pub invite: String,
    /// The status the mark form offers first: the one after the current.
    pub next_invite: String,
    pub students: u32,
}

#[derive(Template)]
#[template(path = "vfu/supervisors.html")]
pub struct SupervisorsPage {
    pub chrome: Chrome,
    /// The user may change what the page shows (else it is read only).
    pub writable: bool,
    pub code: String,
    pub name: String,
    pub rows: Vec<SupervisorRow>,
    pub trained: usize,
    pub invite_options: Vec<Link>,
    pub universities: Vec<String>,
}

pub(super) async fn supervisors_page(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::May(Action::Read)).await?;
    let sups = state.store.supervisors(Some(m.code)).await.or_unavailable(&chrome)?;
    let sites: BTreeMap<SiteId, String> = state
        .store
        .placement_sites(Some(m.code))
        .await
        .or_unavailable(&chrome)?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let unis = state.store.universities().await.or_unavailable(&chrome)?;
    let rows: Vec<SupervisorRow> = sups
        .iter()
        .map(|s| SupervisorRow {
            id: s.id.to_string(),
            name: s.name.clone(),
            site: s
                .site_id
                .as_ref()
                .and_then(|i| sites.get(i).cloned())
                .unwrap_or_else(|| "–".into()),
            fields: l_fields(&chrome, &s.fields),
            training: match s.training.date {
                Some(d) => format!("{} ({d})", l_training(&chrome, s.training.level)),
                None => l_training(&chrome, s.training.level),
            },
            trained: s.is_trained(),
            invite: match s.invite_date {
                Some(d) => format!("{} ({d})", l_invite(&chrome, s.invite)),
                None => l_invite(&chrome, s.invite),
            },
            next_invite: match s.invite {
                InviteStatus::NotInvited => InviteStatus::Invited,
                InviteStatus::Invited => InviteStatus::Enrolled,
                _ => InviteStatus::Completed,
            }
            .as_str()
            .into(),
            students: s.students_per_period,
        })
        .collect();
    let trained = rows.iter().filter(|r| r.trained).count();
    let invite_options = [InviteStatus::Invited, InviteStatus::Enrolled, InviteStatus::Completed]
        .iter()
        .map(|i| Link {
            href: i.as_str().into(),
            label: l_invite(&chrome, *i),
        })
        .collect();
    let universities = unis.into_iter().map(|u| u.code).collect();
    Ok(render(
        StatusCode::OK,
        &SupervisorsPage {
            chrome,
            writable: m.writable(),
            code: m.code.to_string(),
            name: m.name,
            rows,
            trained,
            invite_options,
            universities,
        },
    ))
}

pub(super) fn opt_day(d: Option<Day>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

pub(super) fn supervisor_input(s: &Supervisor) -> SupervisorInput {
    SupervisorInput {
        email: s.email.clone(),
        name: s.name.clone(),
        phone: s.phone.clone(),
        municipality: s.municipality.to_string(),
        site_id: s.site_id.as_ref().map(SiteId::to_string).unwrap_or_default(),
        fields: fields_text(&s.fields),
        employment_percent: format!("{}", s.employment_percent),
        training: s.training.level.as_str().into(),
        training_date: opt_day(s.training.date),
        training_university: s.training.university.clone().unwrap_or_default(),
        students_per_period: s.students_per_period.to_string(),
        unavailable_terms: s
            .unavailable_terms
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        consent_contact: if s.consent_contact { "1".into() } else { String::new() },
        invite: s.invite.as_str().into(),
        invite_date: opt_day(s.invite_date),
    }
}

pub(super) async fn supervisor_fields(
    state: &AppState,
    chrome: &Chrome,
    m: &Muni,
    i: &SupervisorInput,
) -> PageResult<Vec<Field>> {
    let sites = state.store.placement_sites(Some(m.code)).await.or_unavailable(chrome)?;
    let unis = state.store.universities().await.or_unavailable(chrome)?;
    let mut site_opts = vec![(String::new(), chrome.t("vfu-none"))];
    site_opts.extend(sites.into_iter().map(|s| (s.id.to_string(), s.name)));
    let mut uni_opts = vec![(String::new(), chrome.t("vfu-none"))];
    uni_opts.extend(
        unis.into_iter()
            .map(|u| (u.code.clone(), format!("{} ({})", u.name, u.code))),
    );
    let levels = TrainingLevel::ALL
        .iter()
        .map(|l| (l.as_str().to_string(), l_training(chrome, *l)))
        .collect();
    let invites = InviteStatus::ALL
        .iter()
        .map(|l| (l.as_str().to_string(), l_invite(chrome, *l)))
        .collect();
    Ok(vec![
        Field::new("f", "name", chrome.t("vfu-col-name"), "text", &i.name).required(),
        Field::new("f", "email", chrome.t("vfu-col-email"), "email", &i.email).required(),
        Field::new("f", "phone", chrome.t("vfu-col-phone"), "text", &i.phone),
        Field::new("f", "site_id", chrome.t("vfu-col-site"), "select", &i.site_id).options(site_opts),
        Field::new("f", "fields", chrome.t("vfu-col-fields"), "choice", "")
            .hint(chrome.t("vfu-hint-field-choice"))
            .required(),
        Field::new(
            "f",
            "employment_percent",
            chrome.t("vfu-col-employment"),
            "text",
            &i.employment_percent,
        )
        .hint(chrome.t("vfu-hint-employment")),
        Field::new(
            "f",
            "students_per_period",
            chrome.t("vfu-col-students-per-period"),
            "number",
            &i.students_per_period,
        ),
        Field::new("f", "training", chrome.t("vfu-col-training"), "select", &i.training).options(levels),
        Field::new(
            "f",
            "training_date",
            chrome.t("vfu-col-training-date"),
            "date",
            &i.training_date,
        ),
        Field::new(
            "f",
            "training_university",
            chrome.t("vfu-col-training-university"),
            "select",
            &i.training_university,
        )
        .options(uni_opts),
        Field::new("f", "invite", chrome.t("vfu-col-invite"), "select", &i.invite).options(invites),
        Field::new(
            "f",
            "invite_date",
            chrome.t("vfu-col-invite-date"),
            "date",
            &i.invite_date,
        ),
        Field::new(
            "f",
            "unavailable_terms",
            chrome.t("vfu-col-unavailable"),
            "text",
            &i.unavailable_terms,
        )
        .hint(chrome.t("vfu-hint-terms")),
        Field::new(
            "f",
            "consent_contact",
            chrome.t("vfu-col-consent"),
            "checkbox",
            &i.consent_contact,
        ),
    ])
}

/// The supervisor form; `choice` is what was ticked and typed in the field checkboxes (from
/// the saved supervisor when `None`).
pub(super) async fn supervisor_form(
    state: &AppState,
    chrome: Chrome,
    m: &Muni,
    i: &SupervisorInput,
    choice: Option<&FieldState>,
    id: Option<&str>,
    errors: &[FieldError],
) -> PageResult {
    let fields = supervisor_fields(state, &chrome, m, i).await?;
    let choice = choice.cloned().unwrap_or_else(|| {
        FieldSpec::parse_list(&i.fields)
            .map(|l| FieldState::of(&l))
            .unwrap_or_default()
    });
    let choice = Some(field_choice(&chrome, &choice));
    let list = format!("{}/handledare", m.base());
    let cr = crumbs(&[
        ("/vfu", chrome.t("vfu-title")),
        (&m.base(), m.name.clone()),
        (&list, chrome.t("vfu-supervisors-title")),
    ]);
    let mut page = match id {
        None => {
            let title = chrome.t1("vfu-supervisor-new-title", "name", &m.name);
            FormPage::new(chrome, title, cr, format!("{list}/ny"), fields)
        }
        Some(id) => {
            let title = chrome.t1("vfu-supervisor-edit-title", "name", &i.name);
            let mut p = FormPage::new(chrome, title, cr, format!("{list}/{id}"), fields);
            p.delete_action = format!("{list}/{id}/ta-bort");
            p
        }
    };
    page.choice = choice;
    Ok(page.errors(errors).respond())
}

pub(super) async fn supervisor_new_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::May(Action::Write)).await?;
    let i = SupervisorInput {
        employment_percent: "100".into(),
        students_per_period: "1".into(),
        training: "none".into(),
        invite: "not_invited".into(),
        consent_contact: "1".into(),
        ..Default::default()
    };
    supervisor_form(&state, chrome, &m, &i, None, None, &[]).await
}

pub(super) async fn supervisor_create(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(kod): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await?;
    let (mut i, fs) = supervisor_form_input(&pairs);
    i.municipality = m.code.to_string();
    let ctx = state.store.vfu_context_for(&i.refs()).await.or_unavailable(&chrome)?;
    let errors = match i.parse(&ctx) {
        Err(e) => e,
        Ok(s) => match saved(&chrome, state.store.create_supervisor(&s, &m.actor()).await)? {
            Saved::Ok(_) => return Ok(see_other(&format!("{}/handledare", m.base()))),
            Saved::Invalid(e) => e,
        },
    };
    supervisor_form(&state, chrome, &m, &i, Some(&fs), None, &errors).await
}

/// A supervisor of this municipality that the user may `action`, or 404 (as if missing).
pub(super) async fn own_supervisor(
    state: &AppState,
    chrome: &Chrome,
    m: &Muni,
    id: &SupervisorId,
    ask: Ask<'_>,
) -> PageResult<Supervisor> {
    state
        .store
        .supervisor(id)
        .await
        .or_unavailable(chrome)?
        .filter(|s| {
            s.municipality == m.code
                && ask.allows(
                    &m.user.principal(),
                    &Target::Supervisor {
                        person_id: &s.person_id,
                        municipality: s.municipality,
                    },
                )
        })
        .ok_or_else(|| nf(chrome).into())
}

pub(super) async fn supervisor_edit_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((kod, id)): Path<(String, SupervisorId)>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::May(Action::Read)).await?;
    let s = own_supervisor(&state, &chrome, &m, &id, Ask::May(Action::Read)).await?;
    supervisor_form(
        &state,
        chrome,
        &m,
        &supervisor_input(&s),
        None,
        Some(s.id.as_str()),
        &[],
    )
    .await
}

pub(super) async fn supervisor_update(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id)): Path<(String, SupervisorId)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await?;
    let (mut i, fs) = supervisor_form_input(&pairs);
    let old = own_supervisor(&state, &chrome, &m, &id, Ask::Guard(&guard)).await?;
    i.municipality = m.code.to_string();
    let ctx = state.store.vfu_context_for(&i.refs()).await.or_unavailable(&chrome)?;
    let errors = match i.parse(&ctx) {
        Err(e) => e,
        Ok(mut s) => {
            s.id = old.id.clone();
            s.person_id = old.person_id.clone();
            match saved(&chrome, state.store.update_supervisor(&s, &m.actor()).await)? {
                Saved::Ok(_) => return Ok(see_other(&format!("{}/handledare", m.base()))),
                Saved::Invalid(e) => e,
            }
        }
    };
    supervisor_form(&state, chrome, &m, &i, Some(&fs), Some(old.id.as_str()), &errors).await
}

pub(super) async fn supervisor_delete(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id)): Path<(String, SupervisorId)>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await?;
    let s = own_supervisor(&state, &chrome, &m, &id, Ask::May(Action::Read)).await?;
    match state.store.delete_supervisor(&s.id, &m.actor()).await {
        Ok(_) => Ok(see_other(&format!("{}/handledare", m.base()))),
        Err(e) => Err(refused(chrome, e, &format!("{}/handledare/{}", m.base(), s.id)).into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    pub status: String,
    pub university: String,
    /// Where to go afterwards: `behov` for the training-need page, else the list.
    pub back: String,
}

pub(super) async fn supervisor_invite(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id)): Path<(String, SupervisorId)>,
    Form(f): Form<InviteForm>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await?;
    let s = own_supervisor(&state, &chrome, &m, &id, Ask::May(Action::Read)).await?;
    let back = if f.back == "behov" {
        format!("{}/utbildningsbehov", m.base())
    } else {
        format!("{}/handledare", m.base())
    };
    let Some(status) = InviteStatus::parse(&f.status).filter(|s| *s != InviteStatus::NotInvited) else {
        return Err(refused(
            chrome,
            StoreError::Invalid(format!(
                "unknown invite status {:?}; expected invited, enrolled or completed",
                f.status
            )),
            &back,
        )
        .into());
    };
    let university = Some(f.university.trim())
        .filter(|u| !u.is_empty())
        .or(s.training.university.as_deref());
    match state
        .store
        .set_supervisor_invite(&s.id, status, today(), university, &m.actor())
        .await
    {
        Ok(_) => Ok(see_other(&format!("{back}#s-{}", s.id))),
        Err(e) => Err(refused(chrome, e, &back).into()),
    }
}
