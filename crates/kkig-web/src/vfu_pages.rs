//! The VFU registry's pages, scoped by role: the municipality coordinator (sites and their
//! hosting interest, supervisors and their training, training need, placements, contact
//! persons), the university coordinator (periods, students with requirement status, placements
//! and their lifecycle), the student and the supervisor (`/vfu/min`), and the public
//! roles-and-responsibilities page of each municipality ("vem gör vad") with a printable version.
//!
//! Every form is a plain POST that redirects on success (POST-redirect-GET) and answers 422 with
//! the form again on invalid input: an error summary at the top linking to each field, and each
//! message next to its field (`aria-describedby`). Validation is `kkig_core::vfu::input`'s; the
//! store audits every change. Access is `Principal::may`; a record outside the reader's scope
//! (or of another municipality or university than the page's) is answered 404.

use std::collections::BTreeMap;

use crate::http::guard::{Check, Guard, Op, Routes, Surface};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use kkig_core::access::{Action, Principal, Target, TargetKind};
use kkig_core::vfu::input::{format_requirements, HostingInput, PeriodInput, SiteInput, StudentInput, SupervisorInput};
use kkig_core::vfu::lifecycle::{next_statuses, wishes_open, Timeline, TimelineRules};
use kkig_core::vfu::raci::{validate_contact, RaciCell, RaciModel, RaciRole, RaciTask, VfuContact};
use kkig_core::vfu::wishes::WishesInput;
use kkig_core::vfu::*;
use kkig_core::{Kommunkod, MunicipalityRole, TravelModel};
use kkig_store::{Actor, PlacementFilter, StoreError, StudentFilter, UserRecord};
use serde::Deserialize;

use crate::accounts::account::signed_in;
use crate::http::auth::MaybeUser;
use crate::ui::field_errors::error_text;
use crate::ui::page::{forbidden, render, unavailable, Chrome, MessagePage};
use crate::ui::public_cache::public_page;
use crate::AppState;

/// The VFU pages, merged into the application's router.
pub fn routes() -> Routes {
    let k = "/vfu/kommun/{kod}";
    let l = "/vfu/larosate/{uni}";
    Routes::new(Surface::Page)
        .get("/vfu", index)
        .get("/vfu/min", mine)
        .post("/vfu/min/{id}/onskemal", Op::VfuStudentWishes, wishes_save)
        .get(k, muni_overview)
        .get(&format!("{k}/vem-gor-vad"), raci_page)
        .get(&format!("{k}/vem-gor-vad/andra"), raci_edit_form)
        .post(&format!("{k}/vem-gor-vad/andra"), Op::VfuRaciSet, raci_save)
        .post(&format!("{k}/vem-gor-vad/standard"), Op::VfuRaciReset, raci_reset)
        .post(&format!("{k}/kontakter"), Op::VfuContactCreate, contact_create)
        .get(&format!("{k}/kontakter/{{id}}"), contact_edit_form)
        .post(&format!("{k}/kontakter/{{id}}"), Op::VfuContactUpdate, contact_update)
        .post(
            &format!("{k}/kontakter/{{id}}/ta-bort"),
            Op::VfuContactDelete,
            contact_delete,
        )
        .get(&format!("{k}/platser"), sites_page)
        .get(&format!("{k}/platser/ny"), site_new_form)
        .post(&format!("{k}/platser/ny"), Op::VfuSiteCreate, site_create)
        .get(&format!("{k}/platser/{{id}}"), site_edit_form)
        .post(&format!("{k}/platser/{{id}}"), Op::VfuSiteUpdate, site_update)
        .post(&format!("{k}/platser/{{id}}/ta-bort"), Op::VfuSiteDelete, site_delete)
        .post(&format!("{k}/platser/{{id}}/intresse"), Op::VfuHostingSet, hosting_set)
        .post(
            &format!("{k}/platser/{{id}}/intresse/{{term}}/ta-bort"),
            Op::VfuHostingDelete,
            hosting_delete,
        )
        .get(&format!("{k}/handledare"), supervisors_page)
        .get(&format!("{k}/handledare/ny"), supervisor_new_form)
        .post(
            &format!("{k}/handledare/ny"),
            Op::VfuSupervisorCreate,
            supervisor_create,
        )
        .get(&format!("{k}/handledare/{{id}}"), supervisor_edit_form)
        .post(
            &format!("{k}/handledare/{{id}}"),
            Op::VfuSupervisorUpdate,
            supervisor_update,
        )
        .post(
            &format!("{k}/handledare/{{id}}/ta-bort"),
            Op::VfuSupervisorDelete,
            supervisor_delete,
        )
        .post(
            &format!("{k}/handledare/{{id}}/inbjudan"),
            Op::VfuSupervisorInvite,
            supervisor_invite,
        )
        .get(&format!("{k}/utbildningsbehov"), need_page)
        .get(&format!("{k}/placeringar"), muni_placements)
        .get(&format!("{k}/ersattning"), compensation_page)
        .get(&format!("{k}/ersattning.csv"), compensation_csv)
        .get(&format!("{k}/ersattning.xlsx"), compensation_xlsx)
        .get(&format!("{k}/placeringar/{{id}}"), placement_edit_form)
        .post(
            &format!("{k}/placeringar/{{id}}"),
            Op::VfuPlacementUpdate,
            placement_update,
        )
        .get(l, uni_overview)
        .get(&format!("{l}/perioder/ny"), period_new_form)
        .post(&format!("{l}/perioder/ny"), Op::VfuPeriodCreate, period_create)
        .get(&format!("{l}/perioder/{{id}}"), period_page)
        .get(&format!("{l}/perioder/{{id}}/andra"), period_edit_form)
        .post(
            &format!("{l}/perioder/{{id}}/andra"),
            Op::VfuPeriodUpdate,
            period_update,
        )
        .post(
            &format!("{l}/perioder/{{id}}/ta-bort"),
            Op::VfuPeriodDelete,
            period_delete,
        )
        .get(&format!("{l}/perioder/{{id}}/studenter/ny"), student_new_form)
        .post(
            &format!("{l}/perioder/{{id}}/studenter/ny"),
            Op::VfuStudentCreate,
            student_create,
        )
        .get(&format!("{l}/studenter/{{id}}"), student_edit_form)
        .post(&format!("{l}/studenter/{{id}}"), Op::VfuStudentUpdate, student_update)
        .post(
            &format!("{l}/studenter/{{id}}/ta-bort"),
            Op::VfuStudentDelete,
            student_delete,
        )
        .get(&format!("{l}/studenter/{{id}}/placera"), placement_new_form)
        .post(
            &format!("{l}/studenter/{{id}}/placera"),
            Op::VfuPlacementCreate,
            placement_create,
        )
        .post(
            "/vfu/placering/{id}/status",
            Op::VfuPlacementTransition,
            placement_status,
        )
        .post("/vfu/placering/{id}/ta-bort", Op::VfuPlacementDelete, placement_delete)
}

use crate::ui::page::{nf, store, today, tri};

fn see_other(to: &str) -> Response {
    crate::http::redirect::see_other(to)
}

/// A refusal by the store (conflict, invalid transition) as a page naming what to do.
fn refused(chrome: Chrome, error: StoreError, back: &str) -> Response {
    let message = match &error {
        StoreError::Fields(errors) => errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(" "),
        StoreError::Conflict(m) | StoreError::Invalid(m) => m.clone(),
        _ => return unavailable(chrome, &error),
    };
    let title = chrome.t("vfu-refused-title");
    let message = format!("{message} {}", chrome.t1("vfu-refused-back", "path", back));
    render(StatusCode::CONFLICT, &MessagePage { chrome, title, message })
}

// ---------------------------------------------------------------------------------------------
// Labels in the page's language

fn l_field(c: &Chrome, f: VfuField) -> String {
    c.t(&format!("vfu-field-{}", f.code()))
}
fn l_kind(c: &Chrome, k: SiteKind) -> String {
    c.t(&format!("vfu-kind-{}", k.as_str()))
}
fn l_training(c: &Chrome, t: TrainingLevel) -> String {
    c.t(&format!("vfu-training-{}", t.as_str()))
}
fn l_invite(c: &Chrome, i: InviteStatus) -> String {
    c.t(&format!("vfu-invite-{}", i.as_str()))
}
fn l_status(c: &Chrome, s: PlacementStatus) -> String {
    c.t(&format!("vfu-status-{}", s.as_str()))
}
fn l_interest(c: &Chrome, i: Interest) -> String {
    c.t(&format!("vfu-interest-{}", i.as_str()))
}
fn l_programme(c: &Chrome, p: ProgrammeType) -> String {
    c.t(&format!("vfu-programme-{}", p.as_str()))
}
fn l_term(c: &Chrome, t: Term) -> String {
    let season = if t.season == Season::Spring {
        c.t("vfu-term-spring")
    } else {
        c.t("vfu-term-autumn")
    };
    format!("{season} {}", t.year)
}
/// Fields as coordinators write them in the form (`F-3:svenska,matematik|4-6`); parses back
/// with `FieldSpec::parse_list`.
fn fields_text(list: &[FieldSpec]) -> String {
    use kkig_core::vfu::TeacherLevel::*;
    list.iter()
        .map(|f| {
            let word = match f.field {
                VfuField::Teacher(Forskola) => "förskola",
                VfuField::Teacher(F3) => "F-3",
                VfuField::Teacher(Ar46) => "4-6",
                VfuField::Teacher(Ar79) => "7-9",
                VfuField::Teacher(Gymnasium) => "gymnasium",
                VfuField::Nurse => "sjuksköterska",
                VfuField::SocialWork => "socionom",
            };
            if f.subjects.is_empty() {
                word.to_string()
            } else {
                format!("{word}:{}", f.subjects.join(","))
            }
        })
        .collect::<Vec<_>>()
        .join("|")
}

fn l_fields(c: &Chrome, list: &[FieldSpec]) -> String {
    list.iter()
        .map(|f| {
            if f.subjects.is_empty() {
                l_field(c, f.field)
            } else {
                format!("{} ({})", l_field(c, f.field), f.subjects.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

// ---------------------------------------------------------------------------------------------
// Forms: fields with their errors, rendered by one template

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One input of a form; `name` is the input name and the core's field name.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    /// `text`, `email`, `number`, `date`, `select`, `checkbox`, `textarea`.
    pub kind: &'static str,
    pub value: String,
    pub hint: String,
    pub error: Option<String>,
    pub required: bool,
    pub options: Vec<Opt>,
    /// Prefix of the element ids, so that two forms on one page do not clash.
    pub prefix: &'static str,
}

impl Field {
    fn new(prefix: &'static str, name: &'static str, label: String, kind: &'static str, value: &str) -> Self {
        Self {
            name,
            label,
            kind,
            value: value.to_string(),
            hint: String::new(),
            error: None,
            required: false,
            options: Vec::new(),
            prefix,
        }
    }
    fn hint(mut self, hint: String) -> Self {
        self.hint = hint;
        self
    }
    fn required(mut self) -> Self {
        self.required = true;
        self
    }
    fn options(mut self, opts: Vec<(String, String)>) -> Self {
        let v = self.value.clone();
        self.options = opts
            .into_iter()
            .map(|(value, label)| Opt {
                selected: value == v,
                value,
                label,
            })
            .collect();
        self
    }
    pub fn id(&self) -> String {
        format!("{}-{}", self.prefix, self.name)
    }
    pub fn describedby(&self) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("{}-hint", self.id()));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.id()));
        }
        ids.join(" ")
    }
    pub fn checked(&self) -> bool {
        matches!(self.value.trim(), "1" | "ja" | "yes" | "true" | "on" | "x")
    }
}

/// A message of the error summary: the id of the field it links to (empty: none) and the text.
pub struct Problem {
    pub target: String,
    pub text: String,
}

/// Put each error next to its field (the first per field), in the page's language with the
/// field's label; returns the summary, in the order of the fields.
fn attach(chrome: &Chrome, fields: &mut [Field], errors: &[FieldError]) -> Vec<Problem> {
    let mut out = Vec::new();
    for f in fields.iter_mut() {
        for e in errors.iter().filter(|e| e.field == f.name) {
            let text = error_text(chrome, &f.label, e);
            if out.iter().any(|p: &Problem| p.target == f.id() && p.text == text) {
                continue;
            }
            out.push(Problem {
                target: f.id(),
                text: text.clone(),
            });
            if f.error.is_none() {
                f.error = Some(text);
            }
        }
    }
    for e in errors.iter().filter(|e| !fields.iter().any(|f| f.name == e.field)) {
        out.push(Problem {
            target: String::new(),
            text: error_text(chrome, &e.field, e),
        });
    }
    out
}

pub struct Crumb {
    pub href: String,
    pub label: String,
}

fn crumbs(list: &[(&str, String)]) -> Vec<Crumb> {
    list.iter()
        .map(|(h, l)| Crumb {
            href: h.to_string(),
            label: l.clone(),
        })
        .collect()
}

/// One term's answer of a site, with the action that deletes it.
pub struct HostingRow {
    pub cells: [String; 4],
    pub delete_action: String,
}

/// A site's hosting answers on its edit page, with the form to set one.
pub struct HostingSection {
    pub rows: Vec<HostingRow>,
    pub action: String,
    pub fields: Vec<Field>,
    pub problems: Vec<Problem>,
}

#[derive(Template)]
#[template(path = "vfu/form.html")]
pub struct FormPage {
    pub chrome: Chrome,
    pub title: String,
    pub crumbs: Vec<Crumb>,
    pub intro: String,
    pub notice: String,
    pub action: String,
    pub submit: String,
    pub fields: Vec<Field>,
    pub problems: Vec<Problem>,
    pub delete_action: String,
    pub hosting: Option<HostingSection>,
    /// The checkboxes of a `choice` field (a site's fields), shown in its place among `fields`.
    pub choice: Option<FieldChoice>,
}

impl FormPage {
    fn new(chrome: Chrome, title: String, crumbs: Vec<Crumb>, action: String, fields: Vec<Field>) -> Self {
        let submit = chrome.t("vfu-save");
        Self {
            chrome,
            title,
            crumbs,
            intro: String::new(),
            notice: String::new(),
            action,
            submit,
            fields,
            problems: Vec::new(),
            delete_action: String::new(),
            hosting: None,
            choice: None,
        }
    }
    fn errors(mut self, errors: &[FieldError]) -> Self {
        self.problems = attach(&self.chrome, &mut self.fields, errors);
        self
    }
    fn status(&self) -> StatusCode {
        if self.problems.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    }
    fn respond(self) -> Response {
        let status = if self.hosting.as_ref().is_some_and(|h| !h.problems.is_empty()) {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            self.status()
        };
        render(status, &self)
    }
}

/// The store's answer to a write: field errors go back to the form, anything else is a page.
enum Saved<T> {
    Ok(T),
    Invalid(Vec<FieldError>),
}

fn saved<T>(chrome: &Chrome, r: Result<T, StoreError>) -> Result<Saved<T>, Response> {
    match r {
        Ok(v) => Ok(Saved::Ok(v)),
        Err(StoreError::Fields(e)) => Ok(Saved::Invalid(e)),
        Err(StoreError::Conflict(m)) | Err(StoreError::Invalid(m)) => Ok(Saved::Invalid(vec![FieldError::new("", m)])),
        Err(e) => Err(unavailable(chrome.clone(), &e)),
    }
}

// ---------------------------------------------------------------------------------------------
// Access

struct Muni {
    user: UserRecord,
    code: Kommunkod,
    name: String,
}

impl Muni {
    /// Whether the user may change the municipality's VFU records (regional coordinators and
    /// universities read them): the pages show their forms and buttons only then.
    fn writable(&self) -> bool {
        self.user.principal().may(
            Action::Write,
            &Target::VfuMunicipal {
                municipality: self.code,
            },
        )
    }
    fn base(&self) -> String {
        format!("/vfu/kommun/{}", self.code)
    }
    fn actor(&self) -> Actor {
        Actor::user(&self.user.id)
    }
}

/// How a page asks the rule book: pages that show records or forms with `Principal::may`,
/// writes through their route's guard (the same question the API route of that write asks).
#[derive(Clone, Copy)]
enum Ask<'a> {
    May(Action),
    Guard(&'a Guard),
}

impl Ask<'_> {
    fn allows(self, p: &Principal, target: &Target<'_>) -> bool {
        match self {
            Ask::May(action) => p.may(action, target),
            Ask::Guard(guard) => guard.allows(p, target),
        }
    }
}

/// The signed-in user who may see (or, for forms and writes, change) the municipality's VFU
/// records; the municipality by code. Reading asks for the municipality's records; a form asks
/// for its VFU records; a write asks its guard: sites, hosting, RACI and contacts
/// (`VfuMunicipal`), a new supervisor (`Supervisor` of the municipality); writes of other
/// records (a supervisor, a placement) are asked with the record by the handler.
async fn muni(state: &AppState, chrome: &Chrome, me: MaybeUser, kod: &str, ask: Ask<'_>) -> Result<Muni, Response> {
    let user = signed_in(chrome, me)?;
    let code = Kommunkod::parse(kod).map_err(|_| nf(chrome))?;
    let m = state
        .store
        .municipality(code)
        .await
        .map_err(|e| unavailable(chrome.clone(), &e))?
        .ok_or_else(|| nf(chrome))?;
    let target = match ask {
        Ask::May(Action::Read) => Some(Target::MunicipalityRecord { municipality: code }),
        Ask::May(Action::Write) => Some(Target::VfuMunicipal { municipality: code }),
        Ask::Guard(g) => match g.op().check() {
            Check::Write(TargetKind::VfuMunicipal) => Some(Target::VfuMunicipal { municipality: code }),
            Check::Write(TargetKind::Supervisor) if g.op() == Op::VfuSupervisorCreate => Some(Target::Supervisor {
                person_id: "",
                municipality: code,
            }),
            _ => None,
        },
    };
    if target.is_some_and(|t| !ask.allows(&user.principal(), &t)) {
        return Err(forbidden(chrome.clone()));
    }
    Ok(Muni {
        user,
        code,
        name: m.name,
    })
}

struct Uni {
    user: UserRecord,
    code: String,
    name: String,
}

impl Uni {
    fn base(&self) -> String {
        format!("/vfu/larosate/{}", self.code)
    }
    fn actor(&self) -> Actor {
        Actor::user(&self.user.id)
    }
}

/// The signed-in user who may see (or change) the university's VFU records. A write of its
/// periods asks its guard; writes of students and placements also ask the guard with the record.
async fn uni(state: &AppState, chrome: &Chrome, me: MaybeUser, code: &str, ask: Ask<'_>) -> Result<Uni, Response> {
    let user = signed_in(chrome, me)?;
    let all = state
        .store
        .universities()
        .await
        .map_err(|e| unavailable(chrome.clone(), &e))?;
    let u = all.into_iter().find(|u| u.code == code).ok_or_else(|| nf(chrome))?;
    let target = Target::UniversityRecord { university: &u.code };
    let allowed = match ask {
        Ask::Guard(g) if g.op().check() == Check::Write(TargetKind::UniversityRecord) => {
            ask.allows(&user.principal(), &target)
        }
        Ask::Guard(_) => user.principal().may(Action::Write, &target),
        Ask::May(_) => ask.allows(&user.principal(), &target),
    };
    if !allowed {
        return Err(forbidden(chrome.clone()));
    }
    Ok(Uni {
        user,
        code: u.code,
        name: u.name,
    })
}

// ---------------------------------------------------------------------------------------------
// /vfu

pub struct Link {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "vfu/index.html")]
pub struct IndexPage {
    pub chrome: Chrome,
    pub mine: Vec<Link>,
    pub municipalities: Vec<Link>,
    pub universities: Vec<Link>,
}

async fn index(State(state): State<AppState>, chrome: Chrome, me: MaybeUser) -> Response {
    let all = store!(chrome, state.store.municipalities().await);
    let participants: Vec<_> = all
        .into_iter()
        .filter(|m| m.role == MunicipalityRole::Participant)
        .collect();
    let unis = store!(chrome, state.store.universities().await);
    let mut mine = Vec::new();
    if let Some((u, _)) = &me.0 {
        use kkig_core::access::Role;
        match u.role {
            Role::Municipality => {
                if let Some(k) = &u.scope {
                    let name = participants
                        .iter()
                        .find(|m| m.code.to_string() == *k)
                        .map(|m| m.name.clone())
                        .unwrap_or_else(|| k.clone());
                    mine.push(Link {
                        href: format!("/vfu/kommun/{k}"),
                        label: chrome.t1("vfu-link-municipality", "name", &name),
                    });
                }
            }
            Role::University => {
                if let Some(k) = &u.scope {
                    mine.push(Link {
                        href: format!("/vfu/larosate/{k}"),
                        label: chrome.t1("vfu-link-university", "name", k),
                    });
                }
            }
            Role::Student | Role::Supervisor => mine.push(Link {
                href: "/vfu/min".into(),
                label: chrome.t("vfu-mine-title"),
            }),
            Role::Admin | Role::Regional => {
                for m in &participants {
                    mine.push(Link {
                        href: format!("/vfu/kommun/{}", m.code),
                        label: chrome.t1("vfu-link-municipality", "name", &m.name),
                    });
                }
            }
            Role::Provider => {}
        }
        if matches!(u.role, Role::Admin | Role::Regional) {
            for un in &unis {
                mine.push(Link {
                    href: format!("/vfu/larosate/{}", un.code),
                    label: chrome.t1("vfu-link-university", "name", &un.name),
                });
            }
        }
    }
    let municipalities = participants
        .iter()
        .map(|m| Link {
            href: format!("/vfu/kommun/{}/vem-gor-vad", m.code),
            label: m.name.clone(),
        })
        .collect();
    let universities = unis
        .iter()
        .map(|u| Link {
            href: String::new(),
            label: format!("{} ({})", u.name, u.code),
        })
        .collect();
    render(
        StatusCode::OK,
        &IndexPage {
            chrome,
            mine,
            municipalities,
            universities,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Roles and responsibilities (public)

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

fn contact_views(chrome: &Chrome, contacts: Vec<VfuContact>) -> Vec<ContactView> {
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

async fn raci_page(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(kod): Path<String>,
    Query(q): Query<RaciQuery>,
) -> Response {
    let key = chrome.clone();
    public_page(&state, &key, raci_response(state.clone(), chrome, kod, q)).await
}

async fn raci_response(state: AppState, chrome: Chrome, kod: String, q: RaciQuery) -> Response {
    let Ok(code) = Kommunkod::parse(&kod) else {
        return nf(&chrome);
    };
    let Some(m) = store!(chrome, state.store.municipality(code).await) else {
        return nf(&chrome);
    };
    let programme = match q.program.as_deref().filter(|p| !p.is_empty()) {
        None => ProgrammeType::Teacher,
        Some(p) => match ProgrammeType::parse(p) {
            Some(p) => p,
            None => return nf(&chrome),
        },
    };
    let view = store!(chrome, state.store.raci_model(code, programme).await);
    let contacts = store!(chrome, state.store.vfu_contacts(Some(code)).await);
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
        return render(
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
        );
    }
    render(
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
    )
}

// ---------------------------------------------------------------------------------------------
// Municipality: adapting the roles-and-responsibilities model

/// The values a cell of the matrix can take in the form.
const CELL_CHOICES: [&str; 8] = ["", "R", "A", "A/R", "C", "I", "R/C", "R/I"];

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

fn raci_programme(q: &RaciQuery) -> Option<ProgrammeType> {
    match q.program.as_deref().filter(|p| !p.is_empty()) {
        None => Some(ProgrammeType::Teacher),
        Some(p) => ProgrammeType::parse(p),
    }
}

fn raci_edit_page(chrome: Chrome, m: &Muni, model: &RaciModel, adapted: bool, errors: &[FieldError]) -> Response {
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

async fn raci_edit_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
    Query(q): Query<RaciQuery>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::May(Action::Write)).await);
    let Some(programme) = raci_programme(&q) else {
        return nf(&chrome);
    };
    let view = store!(chrome, state.store.raci_model(m.code, programme).await);
    raci_edit_page(chrome, &m, &view.model, view.adapted, &[])
}

async fn raci_save(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(kod): Path<String>,
    Form(f): Form<BTreeMap<String, String>>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await);
    let Some(programme) = f.get("program").and_then(|p| ProgrammeType::parse(p)) else {
        return nf(&chrome);
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
        match tri!(saved(
            &chrome,
            state.store.save_raci_model(m.code, &model, &m.actor()).await
        )) {
            Saved::Ok(()) => {
                return see_other(&format!(
                    "/vfu/kommun/{}/vem-gor-vad?program={}",
                    m.code,
                    programme.as_str()
                ))
            }
            Saved::Invalid(e) => return raci_edit_page(chrome, &m, &model, true, &e),
        }
    }
    raci_edit_page(chrome, &m, &model, true, &errors)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProgramForm {
    pub program: String,
}

async fn raci_reset(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(kod): Path<String>,
    Form(f): Form<ProgramForm>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await);
    let Some(programme) = ProgrammeType::parse(&f.program) else {
        return nf(&chrome);
    };
    store!(
        chrome,
        state.store.reset_raci_model(m.code, programme, &m.actor()).await
    );
    see_other(&format!(
        "/vfu/kommun/{}/vem-gor-vad?program={}",
        m.code,
        programme.as_str()
    ))
}

// ---------------------------------------------------------------------------------------------
// Municipality: overview and contact persons

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

fn contact_fields(chrome: &Chrome, f: &ContactForm) -> Vec<Field> {
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

async fn muni_page(state: &AppState, chrome: Chrome, m: &Muni, form: ContactForm, errors: Vec<FieldError>) -> Response {
    let sites = store!(chrome, state.store.placement_sites(Some(m.code)).await);
    let supervisors = store!(chrome, state.store.supervisors(Some(m.code)).await);
    let placements = store!(
        chrome,
        state
            .store
            .placements(&PlacementFilter {
                site_municipality: Some(m.code),
                ..Default::default()
            })
            .await
    );
    let contacts = store!(chrome, state.store.vfu_contacts(Some(m.code)).await);
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
    render(status, &page)
}

async fn muni_overview(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::May(Action::Read)).await);
    muni_page(&state, chrome, &m, ContactForm::default(), Vec::new()).await
}

async fn contact_create(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(kod): Path<String>,
    Form(f): Form<ContactForm>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await);
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
        person_id: String::new(),
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
        match tri!(saved(&chrome, state.store.create_vfu_contact(&c, &m.actor()).await)) {
            Saved::Ok(_) => return see_other(&format!("{}#kontakter", m.base())),
            Saved::Invalid(e) => errors = e,
        }
    }
    muni_page(&state, chrome, &m, f, errors).await
}

/// A contact of this municipality, or the 404 page.
async fn own_contact(state: &AppState, chrome: &Chrome, m: &Muni, id: &str) -> Result<VfuContact, Response> {
    let contacts = state
        .store
        .vfu_contacts(Some(m.code))
        .await
        .map_err(|e| unavailable(chrome.clone(), &e))?;
    contacts.into_iter().find(|c| c.id == id).ok_or_else(|| nf(chrome))
}

fn contact_form_page(chrome: Chrome, m: &Muni, id: &str, f: &ContactForm, errors: &[FieldError]) -> Response {
    let fields = contact_fields(&chrome, f);
    let cr = crumbs(&[("/vfu", chrome.t("vfu-title")), (&m.base(), m.name.clone())]);
    let title = chrome.t1("vfu-contact-edit-title", "name", &f.name);
    let mut page = FormPage::new(chrome, title, cr, format!("{}/kontakter/{id}", m.base()), fields);
    page.intro = page.chrome.t("vfu-contact-public-notice");
    page.delete_action = format!("{}/kontakter/{id}/ta-bort", m.base());
    page.errors(errors).respond()
}

async fn contact_edit_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((kod, id)): Path<(String, String)>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::May(Action::Write)).await);
    let c = tri!(own_contact(&state, &chrome, &m, &id).await);
    let f = ContactForm {
        role: c.role.as_str().into(),
        programme: c.programme.map(|p| p.as_str().to_string()).unwrap_or_default(),
        name: c.name,
        title: c.title,
        email: c.email,
        phone: c.phone,
    };
    contact_form_page(chrome, &m, &id, &f, &[])
}

async fn contact_update(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id)): Path<(String, String)>,
    Form(f): Form<ContactForm>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await);
    let old = tri!(own_contact(&state, &chrome, &m, &id).await);
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
        match tri!(saved(&chrome, state.store.update_vfu_contact(&c, &m.actor()).await)) {
            Saved::Ok(_) => return see_other(&format!("{}#kontakter", m.base())),
            Saved::Invalid(e) => errors = e,
        }
    }
    contact_form_page(chrome, &m, &id, &f, &errors)
}

async fn contact_delete(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id)): Path<(String, String)>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await);
    let contacts = store!(chrome, state.store.vfu_contacts(Some(m.code)).await);
    if !contacts.iter().any(|c| c.id == id) {
        return nf(&chrome);
    }
    store!(chrome, state.store.delete_vfu_contact(&id, &m.actor()).await);
    see_other(&format!("{}#kontakter", m.base()))
}

// ---------------------------------------------------------------------------------------------
// Municipality: placement sites and hosting interest

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
fn coming_term() -> Term {
    let t = Term::of(today());
    match t.season {
        Season::Spring => Term::autumn(t.year),
        Season::Autumn => Term::spring(t.year + 1),
    }
}

fn next_terms(n: usize) -> Vec<Term> {
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

async fn sites_page(State(state): State<AppState>, chrome: Chrome, me: MaybeUser, Path(kod): Path<String>) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::May(Action::Read)).await);
    let sites = store!(chrome, state.store.placement_sites(Some(m.code)).await);
    let term = coming_term();
    let hosting = store!(chrome, state.store.hosting_interests(Some(m.code), Some(term)).await);
    let supervisors = store!(chrome, state.store.supervisors(Some(m.code)).await);
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
            supervisors: supervisors
                .iter()
                .filter(|x| x.site_id.as_deref() == Some(s.id.as_str()))
                .count(),
            kind: l_kind(&chrome, s.kind),
            fields: l_fields(&chrome, &s.fields),
            address: s.address,
            name: s.name,
            id: s.id,
        })
        .collect();
    let term = l_term(&chrome, term);
    render(
        StatusCode::OK,
        &SitesPage {
            chrome,
            writable: m.writable(),
            code: m.code.to_string(),
            name: m.name,
            rows,
            term,
        },
    )
}

fn site_input(s: &PlacementSite) -> SiteInput {
    SiteInput {
        id: s.id.clone(),
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
struct FieldState(BTreeMap<VfuField, (bool, String)>);

impl FieldState {
    fn of(list: &[FieldSpec]) -> Self {
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
fn field_choice_input(pairs: &[(String, String)]) -> (String, FieldState) {
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
fn posted(pairs: &[(String, String)], key: &str) -> String {
    pairs
        .iter()
        .rev()
        .find(|(n, _)| n == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// The site form as posted (see [`field_choice_input`] for its fields).
fn site_form_input(pairs: &[(String, String)]) -> (SiteInput, FieldState) {
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
fn supervisor_form_input(pairs: &[(String, String)]) -> (SupervisorInput, FieldState) {
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

fn field_choice(chrome: &Chrome, state: &FieldState) -> FieldChoice {
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

fn site_fields(chrome: &Chrome, i: &SiteInput) -> Vec<Field> {
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

fn site_form(chrome: Chrome, m: &Muni, i: &SiteInput, state: &FieldState, id: Option<&str>) -> FormPage {
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

async fn site_new_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::May(Action::Write)).await);
    let i = SiteInput {
        kind: SiteKind::School.as_str().into(),
        ..Default::default()
    };
    site_form(chrome, &m, &i, &FieldState::default(), None).respond()
}

async fn site_create(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(kod): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await);
    let (mut i, fs) = site_form_input(&pairs);
    i.municipality = m.code.to_string();
    let ctx = store!(chrome, state.store.vfu_context().await);
    let errors = match i.parse(&ctx) {
        Err(e) => e,
        Ok(site) => match tri!(saved(
            &chrome,
            state.store.create_placement_site(&site, &m.actor()).await
        )) {
            Saved::Ok(id) => return see_other(&format!("{}/platser/{id}?sparad=1", m.base())),
            Saved::Invalid(e) => e,
        },
    };
    site_form(chrome, &m, &i, &fs, None).errors(&errors).respond()
}

/// A site of this municipality, or the 404 page.
async fn own_site(state: &AppState, chrome: &Chrome, m: &Muni, id: &str) -> Result<PlacementSite, Response> {
    match state.store.placement_site(id).await {
        Ok(Some(s)) if s.municipality == m.code => Ok(s),
        Ok(_) => Err(nf(chrome)),
        Err(e) => Err(unavailable(chrome.clone(), &e)),
    }
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    pub sparad: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn site_edit_page(
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
) -> Response {
    let hosting = store!(chrome, state.store.hosting_interests(Some(m.code), None).await);
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
    let mut page = site_form(chrome, m, i, fs, Some(&site.id)).errors(errors);
    if saved {
        page.notice = page.chrome.t("vfu-saved");
    }
    page.hosting = Some(HostingSection {
        rows,
        action: format!("{}/platser/{}/intresse", m.base(), site.id),
        fields: h_fields,
        problems: h_problems,
    });
    page.respond()
}

fn default_hosting() -> HostingInput {
    HostingInput {
        term: coming_term().to_string(),
        interest: "yes".into(),
        capacity: "1".into(),
        ..Default::default()
    }
}

async fn site_edit_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((kod, id)): Path<(String, String)>,
    Query(q): Query<SavedQuery>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::May(Action::Read)).await);
    let site = tri!(own_site(&state, &chrome, &m, &id).await);
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

async fn site_update(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await);
    let site = tri!(own_site(&state, &chrome, &m, &id).await);
    let (mut i, fs) = site_form_input(&pairs);
    i.id = site.id.clone();
    i.municipality = m.code.to_string();
    let ctx = store!(chrome, state.store.vfu_context().await);
    let errors = match i.parse(&ctx) {
        Err(e) => e,
        Ok(new) => match tri!(saved(
            &chrome,
            state.store.update_placement_site(&new, &m.actor()).await
        )) {
            Saved::Ok(_) => return see_other(&format!("{}/platser/{id}?sparad=1", m.base())),
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

async fn site_delete(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id)): Path<(String, String)>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await);
    let site = tri!(own_site(&state, &chrome, &m, &id).await);
    let back = format!("{}/platser/{}", m.base(), site.id);
    match state.store.delete_placement_site(&site.id, &m.actor()).await {
        Ok(_) => see_other(&format!("{}/platser", m.base())),
        Err(e) => refused(chrome, e, &back),
    }
}

async fn hosting_set(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id)): Path<(String, String)>,
    Form(mut h): Form<HostingInput>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await);
    let site = tri!(own_site(&state, &chrome, &m, &id).await);
    h.site_id = site.id.clone();
    let ctx = store!(chrome, state.store.vfu_context().await);
    let errors = match h.parse(&ctx) {
        Err(e) => e,
        Ok(x) => match tri!(saved(&chrome, state.store.set_hosting_interest(&x, &m.actor()).await)) {
            Saved::Ok(()) => return see_other(&format!("{}/platser/{id}?sparad=1#intresse", m.base())),
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
async fn hosting_delete(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id, term)): Path<(String, String, String)>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await);
    let site = tri!(own_site(&state, &chrome, &m, &id).await);
    let Ok(term) = Term::parse(&term) else {
        return nf(&chrome);
    };
    if !store!(
        chrome,
        state.store.delete_hosting_interest(&site.id, term, &m.actor()).await
    ) {
        return nf(&chrome);
    }
    see_other(&format!("{}/platser/{}?sparad=1#intresse", m.base(), site.id))
}

// ---------------------------------------------------------------------------------------------
// Municipality: supervisors

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

async fn supervisors_page(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::May(Action::Read)).await);
    let sups = store!(chrome, state.store.supervisors(Some(m.code)).await);
    let sites: BTreeMap<String, String> = store!(chrome, state.store.placement_sites(Some(m.code)).await)
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let unis = store!(chrome, state.store.universities().await);
    let rows: Vec<SupervisorRow> = sups
        .iter()
        .map(|s| SupervisorRow {
            id: s.id.clone(),
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
    render(
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
    )
}

fn opt_day(d: Option<Day>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn supervisor_input(s: &Supervisor) -> SupervisorInput {
    SupervisorInput {
        email: s.email.clone(),
        name: s.name.clone(),
        phone: s.phone.clone(),
        municipality: s.municipality.to_string(),
        site_id: s.site_id.clone().unwrap_or_default(),
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

async fn supervisor_fields(
    state: &AppState,
    chrome: &Chrome,
    m: &Muni,
    i: &SupervisorInput,
) -> Result<Vec<Field>, Response> {
    let sites = state
        .store
        .placement_sites(Some(m.code))
        .await
        .map_err(|e| unavailable(chrome.clone(), &e))?;
    let unis = state
        .store
        .universities()
        .await
        .map_err(|e| unavailable(chrome.clone(), &e))?;
    let mut site_opts = vec![(String::new(), chrome.t("vfu-none"))];
    site_opts.extend(sites.into_iter().map(|s| (s.id, s.name)));
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
async fn supervisor_form(
    state: &AppState,
    chrome: Chrome,
    m: &Muni,
    i: &SupervisorInput,
    choice: Option<&FieldState>,
    id: Option<&str>,
    errors: &[FieldError],
) -> Response {
    let fields = tri!(supervisor_fields(state, &chrome, m, i).await);
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
    page.errors(errors).respond()
}

async fn supervisor_new_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::May(Action::Write)).await);
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

async fn supervisor_create(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(kod): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await);
    let (mut i, fs) = supervisor_form_input(&pairs);
    i.municipality = m.code.to_string();
    let ctx = store!(chrome, state.store.vfu_context().await);
    let errors = match i.parse(&ctx) {
        Err(e) => e,
        Ok(s) => match tri!(saved(&chrome, state.store.create_supervisor(&s, &m.actor()).await)) {
            Saved::Ok(_) => return see_other(&format!("{}/handledare", m.base())),
            Saved::Invalid(e) => e,
        },
    };
    supervisor_form(&state, chrome, &m, &i, Some(&fs), None, &errors).await
}

/// A supervisor of this municipality that the user may `action`, or 404 (as if missing).
async fn own_supervisor(
    state: &AppState,
    chrome: &Chrome,
    m: &Muni,
    id: &str,
    ask: Ask<'_>,
) -> Result<Supervisor, Response> {
    match state.store.supervisor(id).await {
        Ok(Some(s))
            if s.municipality == m.code
                && ask.allows(
                    &m.user.principal(),
                    &Target::Supervisor {
                        person_id: &s.person_id,
                        municipality: s.municipality,
                    },
                ) =>
        {
            Ok(s)
        }
        Ok(_) => Err(nf(chrome)),
        Err(e) => Err(unavailable(chrome.clone(), &e)),
    }
}

async fn supervisor_edit_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((kod, id)): Path<(String, String)>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::May(Action::Read)).await);
    let s = tri!(own_supervisor(&state, &chrome, &m, &id, Ask::May(Action::Read)).await);
    supervisor_form(&state, chrome, &m, &supervisor_input(&s), None, Some(&s.id), &[]).await
}

async fn supervisor_update(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await);
    let (mut i, fs) = supervisor_form_input(&pairs);
    let old = tri!(own_supervisor(&state, &chrome, &m, &id, Ask::Guard(&guard)).await);
    i.municipality = m.code.to_string();
    let ctx = store!(chrome, state.store.vfu_context().await);
    let errors = match i.parse(&ctx) {
        Err(e) => e,
        Ok(mut s) => {
            s.id = old.id.clone();
            s.person_id = old.person_id.clone();
            match tri!(saved(&chrome, state.store.update_supervisor(&s, &m.actor()).await)) {
                Saved::Ok(_) => return see_other(&format!("{}/handledare", m.base())),
                Saved::Invalid(e) => e,
            }
        }
    };
    supervisor_form(&state, chrome, &m, &i, Some(&fs), Some(&old.id), &errors).await
}

async fn supervisor_delete(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id)): Path<(String, String)>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await);
    let s = tri!(own_supervisor(&state, &chrome, &m, &id, Ask::May(Action::Read)).await);
    match state.store.delete_supervisor(&s.id, &m.actor()).await {
        Ok(_) => see_other(&format!("{}/handledare", m.base())),
        Err(e) => refused(chrome, e, &format!("{}/handledare/{}", m.base(), s.id)),
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

async fn supervisor_invite(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id)): Path<(String, String)>,
    Form(f): Form<InviteForm>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await);
    let s = tri!(own_supervisor(&state, &chrome, &m, &id, Ask::May(Action::Read)).await);
    let back = if f.back == "behov" {
        format!("{}/utbildningsbehov", m.base())
    } else {
        format!("{}/handledare", m.base())
    };
    let Some(status) = InviteStatus::parse(&f.status).filter(|s| *s != InviteStatus::NotInvited) else {
        return refused(
            chrome,
            StoreError::Invalid(format!(
                "unknown invite status {:?}; expected invited, enrolled or completed",
                f.status
            )),
            &back,
        );
    };
    let university = Some(f.university.trim())
        .filter(|u| !u.is_empty())
        .or(s.training.university.as_deref());
    match state
        .store
        .set_supervisor_invite(&s.id, status, today(), university, &m.actor())
        .await
    {
        Ok(_) => see_other(&format!("{back}#s-{}", s.id)),
        Err(e) => refused(chrome, e, &back),
    }
}

// ---------------------------------------------------------------------------------------------
// Municipality: training need

pub struct NeedRow {
    pub field: String,
    pub term: String,
    pub own: u32,
    pub open: u32,
    pub demand: u32,
    pub capacity: u32,
    pub trained: u32,
    pub in_training: u32,
    pub gap: u32,
}

pub struct CandidateRow {
    pub id: String,
    pub name: String,
    pub training: String,
    pub invite: String,
    pub fields: String,
    pub students: u32,
    pub invitable: bool,
}

#[derive(Template)]
#[template(path = "vfu/need.html")]
pub struct NeedPage {
    pub chrome: Chrome,
    /// The user may change what the page shows (else it is read only).
    pub writable: bool,
    pub code: String,
    pub name: String,
    pub share: String,
    pub rows: Vec<NeedRow>,
    pub candidates: Vec<CandidateRow>,
}

async fn need_page(State(state): State<AppState>, chrome: Chrome, me: MaybeUser, Path(kod): Path<String>) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::May(Action::Read)).await);
    let need = store!(chrome, state.store.training_need(m.code).await);
    let rows = need
        .rows
        .iter()
        .map(|r| NeedRow {
            field: l_field(&chrome, r.field),
            term: l_term(&chrome, r.term),
            own: r.students_from_municipality,
            open: r.not_yet_listed,
            demand: r.expected_demand,
            capacity: r.trained_capacity,
            trained: r.trained_supervisors,
            in_training: r.in_training_capacity,
            gap: r.gap,
        })
        .collect();
    let candidates = need
        .candidates
        .iter()
        .map(|c| CandidateRow {
            id: c.supervisor_id.clone(),
            name: c.name.clone(),
            training: l_training(&chrome, c.training),
            invite: l_invite(&chrome, c.invite),
            fields: c
                .fields_with_gap
                .iter()
                .map(|f| l_field(&chrome, *f))
                .collect::<Vec<_>>()
                .join(", "),
            students: c.students_per_period,
            invitable: c.invite == InviteStatus::NotInvited,
        })
        .collect();
    let share = crate::ui::i18n::format_decimal(chrome.lang, need.share * 100.0, 1);
    render(
        StatusCode::OK,
        &NeedPage {
            chrome,
            writable: m.writable(),
            code: m.code.to_string(),
            name: m.name,
            share,
            rows,
            candidates,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Placements (lists with lifecycle buttons, shared by municipality and university pages)

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

fn placement_rows(
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
            id: l.placement_id,
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

async fn municipality_names(state: &AppState) -> Result<BTreeMap<Kommunkod, String>, StoreError> {
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

async fn muni_placements(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::May(Action::Read)).await);
    let lines = store!(
        chrome,
        state
            .store
            .placement_lines(&PlacementFilter {
                site_municipality: Some(m.code),
                ..Default::default()
            })
            .await
    );
    let names = store!(chrome, municipality_names(&state).await);
    let edit = format!("{}/placeringar", m.base());
    let rows = placement_rows(&chrome, lines, &names, Some(&edit));
    render(
        StatusCode::OK,
        &MuniPlacementsPage {
            chrome,
            code: m.code.to_string(),
            name: m.name,
            rows,
            back: edit,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Municipality: the compensation basis

/// A term (`HT2026`) or a year (`2026`) to show; `None` for every term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TermFilter {
    Term(Term),
    Year(i32),
}

impl TermFilter {
    fn parse(s: &str) -> Option<TermFilter> {
        let t = s.trim();
        if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
            return t.parse().ok().map(TermFilter::Year);
        }
        Term::parse(t).ok().map(TermFilter::Term)
    }
    fn value(self) -> String {
        match self {
            Self::Term(t) => t.to_string(),
            Self::Year(y) => y.to_string(),
        }
    }
    fn keeps(self, t: Term) -> bool {
        match self {
            Self::Term(x) => x == t,
            Self::Year(y) => t.year == y,
        }
    }
}

#[derive(Deserialize, Default)]
pub struct CompensationQuery {
    pub termin: Option<String>,
}

pub struct CompensationRowView {
    pub university: String,
    pub term: String,
    pub placements: u32,
    pub weeks: String,
    pub placement_weeks: u32,
}

#[derive(Template)]
#[template(path = "vfu/compensation.html")]
pub struct CompensationPage {
    pub chrome: Chrome,
    pub code: String,
    pub name: String,
    pub filter: Vec<Opt>,
    pub filter_label: String,
    pub rows: Vec<CompensationRowView>,
    pub total_placements: u32,
    pub total_weeks: u32,
    pub csv_href: String,
    pub xlsx_href: String,
}

/// The municipality's compensation basis with the reader's scope of the API: the municipality,
/// regional coordinators and the universities read it.
async fn compensation_rows(
    state: &AppState,
    chrome: &Chrome,
    me: MaybeUser,
    kod: &str,
    q: &CompensationQuery,
) -> Result<
    (
        Kommunkod,
        String,
        Vec<kkig_core::vfu::views::CompensationRow>,
        Vec<Term>,
        Option<TermFilter>,
    ),
    Response,
> {
    let user = signed_in(chrome, me)?;
    let code = Kommunkod::parse(kod).map_err(|_| nf(chrome))?;
    let m = state
        .store
        .municipality(code)
        .await
        .map_err(|e| unavailable(chrome.clone(), &e))?
        .ok_or_else(|| nf(chrome))?;
    if !user
        .principal()
        .may(Action::Read, &Target::VfuMunicipal { municipality: code })
    {
        return Err(forbidden(chrome.clone()));
    }
    let all = state
        .store
        .compensation_basis(Some(code))
        .await
        .map_err(|e| unavailable(chrome.clone(), &e))?;
    let mut terms: Vec<Term> = all.iter().map(|r| r.term).collect();
    terms.sort();
    terms.dedup();
    let filter = q.termin.as_deref().and_then(TermFilter::parse);
    let rows = all
        .into_iter()
        .filter(|r| filter.is_none_or(|f| f.keeps(r.term)))
        .collect();
    Ok((code, m.name, rows, terms, filter))
}

fn compensation_query(filter: Option<TermFilter>) -> String {
    filter.map(|f| format!("?termin={}", f.value())).unwrap_or_default()
}

async fn compensation_page(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
    Query(q): Query<CompensationQuery>,
) -> Response {
    let (code, name, rows, terms, filter) = tri!(compensation_rows(&state, &chrome, me, &kod, &q).await);
    let unis: BTreeMap<String, String> = store!(chrome, state.store.universities().await)
        .into_iter()
        .map(|u| (u.code, u.name))
        .collect();
    let mut years: Vec<i32> = terms.iter().map(|t| t.year).collect();
    years.dedup();
    let mut choices = vec![(String::new(), chrome.t("vfu-comp-all-terms"))];
    for y in years.iter().rev() {
        choices.push((y.to_string(), chrome.t1("vfu-comp-year", "year", &y.to_string())));
        for t in terms.iter().rev().filter(|t| t.year == *y) {
            choices.push((t.to_string(), l_term(&chrome, *t)));
        }
    }
    // A filter for a term without placements is still offered, so that the choice is kept.
    if let Some(f) = filter {
        if !choices.iter().any(|(v, _)| *v == f.value()) {
            let label = match f {
                TermFilter::Term(t) => l_term(&chrome, t),
                TermFilter::Year(y) => chrome.t1("vfu-comp-year", "year", &y.to_string()),
            };
            choices.push((f.value(), label));
        }
    }
    let selected = filter.map(|f| f.value()).unwrap_or_default();
    let filter_label = choices
        .iter()
        .find(|(v, _)| *v == selected)
        .map(|(_, l)| l.clone())
        .unwrap_or_default();
    let filter_opts = choices
        .into_iter()
        .map(|(value, label)| Opt {
            selected: value == selected,
            value,
            label,
        })
        .collect();
    let views: Vec<CompensationRowView> = rows
        .iter()
        .map(|r| CompensationRowView {
            university: unis
                .get(&r.university)
                .map(|n| format!("{n} ({})", r.university))
                .unwrap_or_else(|| r.university.clone()),
            term: l_term(&chrome, r.term),
            placements: r.placements,
            weeks: if r.placements == 0 {
                "–".into()
            } else {
                crate::ui::i18n::format_decimal(chrome.lang, f64::from(r.student_weeks) / f64::from(r.placements), 1)
            },
            placement_weeks: r.student_weeks,
        })
        .collect();
    let base = format!("/vfu/kommun/{code}/ersattning");
    let query = compensation_query(filter);
    let page = CompensationPage {
        code: code.to_string(),
        name,
        filter: filter_opts,
        filter_label,
        total_placements: rows.iter().map(|r| r.placements).sum(),
        total_weeks: rows.iter().map(|r| r.student_weeks).sum(),
        rows: views,
        csv_href: format!("{base}.csv{query}"),
        xlsx_href: format!("{base}.xlsx{query}"),
        chrome,
    };
    render(StatusCode::OK, &page)
}

async fn compensation_download(
    state: AppState,
    chrome: Chrome,
    me: MaybeUser,
    kod: String,
    q: CompensationQuery,
    xlsx: bool,
) -> Response {
    let (code, _, rows, _, filter) = tri!(compensation_rows(&state, &chrome, me, &kod, &q).await);
    let suffix = filter.map(|f| format!("-{}", f.value())).unwrap_or_default();
    let table = kkig_formats::vfu::compensation_table(&rows);
    match crate::vfu::api::download_sheet(
        table,
        xlsx,
        &format!("ersattningsunderlag-{code}{suffix}"),
        "Ersättningsunderlag",
    ) {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn compensation_csv(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
    Query(q): Query<CompensationQuery>,
) -> Response {
    compensation_download(state, chrome, me, kod, q, false).await
}

async fn compensation_xlsx(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
    Query(q): Query<CompensationQuery>,
) -> Response {
    compensation_download(state, chrome, me, kod, q, true).await
}

/// A placement with the student and period it belongs to, and the site's municipality.
struct PlacementCtx {
    placement: Placement,
    student: VfuStudent,
    period: VfuPeriod,
    site: PlacementSite,
}

async fn placement_ctx(state: &AppState, id: &str) -> Result<Option<PlacementCtx>, StoreError> {
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
fn safe_back(back: &str, fallback: String) -> String {
    match crate::http::redirect::safe_next(back) {
        Some(b) if b.starts_with("/vfu/") => b.to_string(),
        _ => fallback,
    }
}

async fn placement_status(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
    Form(f): Form<StatusForm>,
) -> Response {
    let user = tri!(signed_in(&chrome, me));
    let Some(pc) = store!(chrome, placement_ctx(&state, &id).await) else {
        return nf(&chrome);
    };
    let p = user.principal();
    if !guard.allows(&p, &pc.target()) {
        return if p.may(Action::Read, &pc.target()) {
            forbidden(chrome)
        } else {
            nf(&chrome)
        };
    }
    let back = safe_back(
        &f.back,
        format!("/vfu/larosate/{}/perioder/{}", pc.period.university, pc.period.id),
    );
    let Some(to) = PlacementStatus::parse(&f.to) else {
        return refused(chrome, StoreError::Invalid(format!("unknown status {:?}", f.to)), &back);
    };
    match state
        .store
        .transition_placement(&pc.placement.id, to, today(), &Actor::user(&user.id))
        .await
    {
        Ok(_) => see_other(&format!("{back}#p-{}", pc.placement.id)),
        Err(e) => refused(chrome, e, &back),
    }
}

async fn placement_delete(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
    Form(f): Form<StatusForm>,
) -> Response {
    let user = tri!(signed_in(&chrome, me));
    let Some(pc) = store!(chrome, placement_ctx(&state, &id).await) else {
        return nf(&chrome);
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
            forbidden(chrome)
        } else {
            nf(&chrome)
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
        Ok(_) => see_other(&back),
        Err(e) => refused(chrome, e, &back),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PlacementEditForm {
    pub supervisor_id: String,
    pub note: String,
    pub waiting_for_better: String,
}

async fn placement_edit_page(
    state: &AppState,
    chrome: Chrome,
    m: &Muni,
    pc: &PlacementCtx,
    f: &PlacementEditForm,
    errors: &[FieldError],
) -> Response {
    let sups = store!(chrome, state.store.supervisors(Some(m.code)).await);
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
                (s.id, format!("{}{trained}", s.name))
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
    page.errors(errors).respond()
}

async fn muni_placement(
    state: &AppState,
    chrome: &Chrome,
    m: &Muni,
    id: &str,
    ask: Ask<'_>,
) -> Result<PlacementCtx, Response> {
    let pc = placement_ctx(state, id)
        .await
        .map_err(|e| unavailable(chrome.clone(), &e))?
        .ok_or_else(|| nf(chrome))?;
    if pc.site.municipality != m.code || !ask.allows(&m.user.principal(), &pc.target()) {
        return Err(nf(chrome));
    }
    Ok(pc)
}

async fn placement_edit_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((kod, id)): Path<(String, String)>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::May(Action::Read)).await);
    let pc = tri!(muni_placement(&state, &chrome, &m, &id, Ask::May(Action::Read)).await);
    let f = PlacementEditForm {
        supervisor_id: pc.placement.supervisor_id.clone().unwrap_or_default(),
        note: pc.placement.note.clone(),
        waiting_for_better: String::new(),
    };
    placement_edit_page(&state, chrome, &m, &pc, &f, &[]).await
}

async fn placement_update(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((kod, id)): Path<(String, String)>,
    Form(f): Form<PlacementEditForm>,
) -> Response {
    let m = tri!(muni(&state, &chrome, me, &kod, Ask::Guard(&guard)).await);
    let pc = tri!(muni_placement(&state, &chrome, &m, &id, Ask::Guard(&guard)).await);
    let mut errors = Vec::new();
    let supervisor_id = Some(f.supervisor_id.trim().to_string()).filter(|s| !s.is_empty());
    if let Some(sid) = &supervisor_id {
        match store!(chrome, state.store.supervisor(sid).await) {
            Some(s) if s.municipality == m.code => {}
            _ => errors.push(FieldError::of(
                "supervisor_id",
                FieldProblem::NoSupervisor { id: sid.clone() },
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
        match tri!(saved(&chrome, state.store.update_placement(&p, &m.actor()).await)) {
            Saved::Ok(_) => return see_other(&format!("{}/placeringar#p-{}", m.base(), p.id)),
            Saved::Invalid(e) => errors = e,
        }
    }
    placement_edit_page(&state, chrome, &m, &pc, &f, &errors).await
}

// ---------------------------------------------------------------------------------------------
// University: periods

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

async fn uni_overview(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(code): Path<String>,
) -> Response {
    let u = tri!(uni(&state, &chrome, me, &code, Ask::May(Action::Read)).await);
    let periods = store!(chrome, state.store.vfu_periods(Some(&u.code)).await);
    let students = store!(
        chrome,
        state
            .store
            .vfu_students(&StudentFilter {
                university: Some(u.code.clone()),
                ..Default::default()
            })
            .await
    );
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
            id: p.id,
        })
        .collect();
    let writable = u
        .user
        .principal()
        .may(Action::Write, &Target::UniversityRecord { university: &u.code });
    render(
        StatusCode::OK,
        &UniPage {
            chrome,
            code: u.code,
            name: u.name,
            rows,
            writable,
        },
    )
}

fn period_input(p: &VfuPeriod) -> PeriodInput {
    PeriodInput {
        id: p.id.clone(),
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

fn period_fields(chrome: &Chrome, i: &PeriodInput) -> Vec<Field> {
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

fn period_form(chrome: Chrome, u: &Uni, i: &PeriodInput, id: Option<&str>, errors: &[FieldError]) -> Response {
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

async fn period_new_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(code): Path<String>,
) -> Response {
    let u = tri!(uni(&state, &chrome, me, &code, Ask::May(Action::Write)).await);
    period_form(chrome, &u, &PeriodInput::default(), None, &[])
}

async fn period_create(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(code): Path<String>,
    Form(mut i): Form<PeriodInput>,
) -> Response {
    let u = tri!(uni(&state, &chrome, me, &code, Ask::Guard(&guard)).await);
    i.id = String::new();
    i.university = u.code.clone();
    let ctx = store!(chrome, state.store.vfu_context().await);
    let errors = match i.parse(&ctx) {
        Err(e) => e,
        Ok(p) => match tri!(saved(&chrome, state.store.create_vfu_period(&p, &u.actor()).await)) {
            Saved::Ok(id) => return see_other(&format!("{}/perioder/{id}", u.base())),
            Saved::Invalid(e) => e,
        },
    };
    period_form(chrome, &u, &i, None, &errors)
}

async fn own_period(state: &AppState, chrome: &Chrome, u: &Uni, id: &str) -> Result<VfuPeriod, Response> {
    match state.store.vfu_period(id).await {
        Ok(Some(p)) if p.university == u.code => Ok(p),
        Ok(_) => Err(nf(chrome)),
        Err(e) => Err(unavailable(chrome.clone(), &e)),
    }
}

async fn period_edit_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((code, id)): Path<(String, String)>,
) -> Response {
    let u = tri!(uni(&state, &chrome, me, &code, Ask::May(Action::Write)).await);
    let p = tri!(own_period(&state, &chrome, &u, &id).await);
    period_form(chrome, &u, &period_input(&p), Some(&p.id), &[])
}

async fn period_update(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id)): Path<(String, String)>,
    Form(mut i): Form<PeriodInput>,
) -> Response {
    let u = tri!(uni(&state, &chrome, me, &code, Ask::Guard(&guard)).await);
    let old = tri!(own_period(&state, &chrome, &u, &id).await);
    i.id = old.id.clone();
    i.university = u.code.clone();
    if i.term.trim().is_empty()
        || Day::parse(&i.start).is_ok_and(|d| Term::parse(&i.term).is_ok_and(|t| t != Term::of(d)))
    {
        // The form has no term field: the term follows the start.
        i.term = String::new();
    }
    let ctx = store!(chrome, state.store.vfu_context().await);
    let errors = match i.parse(&ctx) {
        Err(e) => e,
        Ok(p) => match tri!(saved(&chrome, state.store.update_vfu_period(&p, &u.actor()).await)) {
            Saved::Ok(_) => return see_other(&format!("{}/perioder/{id}", u.base())),
            Saved::Invalid(e) => e,
        },
    };
    period_form(chrome, &u, &i, Some(&old.id), &errors)
}

async fn period_delete(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id)): Path<(String, String)>,
) -> Response {
    let u = tri!(uni(&state, &chrome, me, &code, Ask::Guard(&guard)).await);
    let p = tri!(own_period(&state, &chrome, &u, &id).await);
    match state.store.delete_vfu_period(&p.id, &u.actor()).await {
        Ok(_) => see_other(&u.base()),
        Err(e) => refused(chrome, e, &format!("{}/perioder/{}", u.base(), p.id)),
    }
}

// ---------------------------------------------------------------------------------------------
// University: a period's students (requirement status) and placements

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

fn requirement_texts(chrome: &Chrome, p: &VfuPeriod, s: &VfuStudent) -> Vec<(String, bool)> {
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

fn milestones(chrome: &Chrome, p: &VfuPeriod) -> Vec<(String, String)> {
    Timeline::for_period(p, &TimelineRules::default())
        .milestones()
        .iter()
        .map(|(code, _, day)| (chrome.t(&format!("vfu-milestone-{code}")), day.to_string()))
        .collect()
}

async fn period_page(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((code, id)): Path<(String, String)>,
) -> Response {
    let u = tri!(uni(&state, &chrome, me, &code, Ask::May(Action::Read)).await);
    let p = tri!(own_period(&state, &chrome, &u, &id).await);
    let students = store!(
        chrome,
        state
            .store
            .vfu_students(&StudentFilter {
                period_id: Some(p.id.clone()),
                ..Default::default()
            })
            .await
    );
    let lines = store!(
        chrome,
        state
            .store
            .placement_lines(&PlacementFilter {
                period_id: Some(p.id.clone()),
                ..Default::default()
            })
            .await
    );
    let names = store!(chrome, municipality_names(&state).await);
    let placements_by_student = store!(
        chrome,
        state
            .store
            .placements(&PlacementFilter {
                period_id: Some(p.id.clone()),
                ..Default::default()
            })
            .await
    );
    let rows: Vec<StudentRow> = students
        .iter()
        .map(|s| StudentRow {
            id: s.id.clone(),
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
    render(
        StatusCode::OK,
        &PeriodPage {
            chrome,
            code: u.code,
            uni_name: u.name,
            id: p.id,
            title,
            facts,
            milestones: ms,
            students: rows,
            met,
            placements,
            writable,
            back,
        },
    )
}

// University: students

fn student_input(s: &VfuStudent) -> StudentInput {
    StudentInput {
        period_id: s.period_id.clone(),
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

async fn student_fields(state: &AppState, chrome: &Chrome, i: &StudentInput) -> Result<Vec<Field>, Response> {
    let ms = state
        .store
        .municipalities()
        .await
        .map_err(|e| unavailable(chrome.clone(), &e))?;
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

async fn student_form(
    state: &AppState,
    chrome: Chrome,
    u: &Uni,
    p: &VfuPeriod,
    i: &StudentInput,
    id: Option<&str>,
    errors: &[FieldError],
) -> Response {
    let fields = tri!(student_fields(state, &chrome, i).await);
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
    page.errors(errors).respond()
}

async fn student_new_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((code, id)): Path<(String, String)>,
) -> Response {
    let u = tri!(uni(&state, &chrome, me, &code, Ask::May(Action::Write)).await);
    let p = tri!(own_period(&state, &chrome, &u, &id).await);
    student_form(&state, chrome, &u, &p, &StudentInput::default(), None, &[]).await
}

async fn student_create(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id)): Path<(String, String)>,
    Form(mut i): Form<StudentInput>,
) -> Response {
    let u = tri!(uni(&state, &chrome, me, &code, Ask::Guard(&guard)).await);
    let p = tri!(own_period(&state, &chrome, &u, &id).await);
    i.period_id = p.id.clone();
    i.field = String::new();
    let ctx = store!(chrome, state.store.vfu_context().await);
    let errors = match i.parse(&ctx) {
        Err(e) => e,
        Ok(s) if !guard.allows(&u.user.principal(), &student_target(&s, &p)) => return forbidden(chrome),
        Ok(s) => match tri!(saved(&chrome, state.store.create_vfu_student(&s, &u.actor()).await)) {
            Saved::Ok(_) => return see_other(&format!("{}/perioder/{}", u.base(), p.id)),
            Saved::Invalid(e) => e,
        },
    };
    student_form(&state, chrome, &u, &p, &i, None, &errors).await
}

/// A student on one of the university's periods, with the period.
/// A student's record, as a target of the rule book.
fn student_target<'a>(s: &'a VfuStudent, p: &'a VfuPeriod) -> Target<'a> {
    Target::VfuStudent {
        person_id: &s.person_id,
        university: &p.university,
        home_municipality: s.home_municipality,
    }
}

async fn own_student(
    state: &AppState,
    chrome: &Chrome,
    u: &Uni,
    id: &str,
) -> Result<(VfuStudent, VfuPeriod), Response> {
    let s = match state.store.vfu_student(id).await {
        Ok(Some(s)) => s,
        Ok(None) => return Err(nf(chrome)),
        Err(e) => return Err(unavailable(chrome.clone(), &e)),
    };
    let p = own_period(state, chrome, u, &s.period_id).await?;
    Ok((s, p))
}

async fn student_edit_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((code, id)): Path<(String, String)>,
) -> Response {
    let u = tri!(uni(&state, &chrome, me, &code, Ask::May(Action::Write)).await);
    let (s, p) = tri!(own_student(&state, &chrome, &u, &id).await);
    student_form(&state, chrome, &u, &p, &student_input(&s), Some(&s.id), &[]).await
}

async fn student_update(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id)): Path<(String, String)>,
    Form(mut i): Form<StudentInput>,
) -> Response {
    let u = tri!(uni(&state, &chrome, me, &code, Ask::Guard(&guard)).await);
    let (old, p) = tri!(own_student(&state, &chrome, &u, &id).await);
    if !guard.allows(&u.user.principal(), &student_target(&old, &p)) {
        return forbidden(chrome);
    }
    i.period_id = p.id.clone();
    i.field = old.field.code().into();
    let ctx = store!(chrome, state.store.vfu_context().await);
    let errors = match i.parse(&ctx) {
        Err(e) => e,
        Ok(mut s) => {
            s.id = old.id.clone();
            s.person_id = old.person_id.clone();
            if !guard.allows(&u.user.principal(), &student_target(&s, &p)) {
                return forbidden(chrome);
            }
            // Requirements other than the police record extract are kept as they were.
            s.requirements
                .extend(old.requirements.iter().filter(|r| r.code != "registerutdrag").cloned());
            match tri!(saved(&chrome, state.store.update_vfu_student(&s, &u.actor()).await)) {
                Saved::Ok(_) => return see_other(&format!("{}/perioder/{}", u.base(), p.id)),
                Saved::Invalid(e) => e,
            }
        }
    };
    student_form(&state, chrome, &u, &p, &i, Some(&old.id), &errors).await
}

async fn student_delete(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id)): Path<(String, String)>,
) -> Response {
    let u = tri!(uni(&state, &chrome, me, &code, Ask::Guard(&guard)).await);
    let (s, p) = tri!(own_student(&state, &chrome, &u, &id).await);
    if !guard.allows(&u.user.principal(), &student_target(&s, &p)) {
        return forbidden(chrome);
    }
    match state.store.delete_vfu_student(&s.id, &u.actor()).await {
        Ok(_) => see_other(&format!("{}/perioder/{}", u.base(), p.id)),
        Err(e) => refused(chrome, e, &format!("{}/studenter/{}", u.base(), s.id)),
    }
}

// University: a new placement

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PlacementNewForm {
    pub site_id: String,
    pub status: String,
    pub note: String,
}

async fn placement_form(
    state: &AppState,
    chrome: Chrome,
    u: &Uni,
    s: &VfuStudent,
    p: &VfuPeriod,
    f: &PlacementNewForm,
    errors: &[FieldError],
) -> Response {
    let sites = store!(chrome, state.store.placement_sites(None).await);
    let names = store!(chrome, municipality_names(state).await);
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
                x.id,
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
    page.errors(errors).respond()
}

async fn placement_new_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((code, id)): Path<(String, String)>,
) -> Response {
    let u = tri!(uni(&state, &chrome, me, &code, Ask::May(Action::Write)).await);
    let (s, p) = tri!(own_student(&state, &chrome, &u, &id).await);
    let f = PlacementNewForm {
        status: "offered".into(),
        ..Default::default()
    };
    placement_form(&state, chrome, &u, &s, &p, &f, &[]).await
}

async fn placement_create(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id)): Path<(String, String)>,
    Form(f): Form<PlacementNewForm>,
) -> Response {
    let u = tri!(uni(&state, &chrome, me, &code, Ask::Guard(&guard)).await);
    let (s, p) = tri!(own_student(&state, &chrome, &u, &id).await);
    let mut errors = Vec::new();
    let site = store!(chrome, state.store.placement_site(f.site_id.trim()).await);
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
            return forbidden(chrome);
        }
        match Placement::start("", &s.id, &site.id, status, today()) {
            Err(e) => errors.push(FieldError::of("status", e.into())),
            Ok(mut pl) => {
                pl.note = f.note.trim().to_string();
                match tri!(saved(&chrome, state.store.create_placement(&pl, &u.actor()).await)) {
                    Saved::Ok(pid) => return see_other(&format!("{}/perioder/{}#p-{pid}", u.base(), p.id)),
                    Saved::Invalid(e) => errors = e,
                }
            }
        }
    }
    placement_form(&state, chrome, &u, &s, &p, &f, &errors).await
}

// ---------------------------------------------------------------------------------------------
// /vfu/min: the student's placement, the supervisor's students

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

async fn mine(State(state): State<AppState>, chrome: Chrome, me: MaybeUser, Query(q): Query<MineQuery>) -> Response {
    let user = tri!(signed_in(&chrome, me));
    mine_page(&state, chrome, &user, None, q.sparad.as_deref()).await
}

/// A wishes form being corrected: the student record, what was sent and what is wrong.
type WishesEdit = (String, WishesInput, Vec<FieldError>);

/// The wish options of a student: the sites that take their field, by municipality, and the
/// participating municipalities as a whole; a current wish outside these is kept as an option.
async fn wish_groups(
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
        by_muni.entry(x.municipality).or_default().push((x.id, x.name));
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
fn wish_error_text(chrome: &Chrome, label: &str, e: &FieldError) -> String {
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
async fn wishes_view(
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
            .unwrap_or_else(|| id.clone()),
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

async fn mine_page(
    state: &AppState,
    chrome: Chrome,
    user: &UserRecord,
    edit: Option<WishesEdit>,
    saved: Option<&str>,
) -> Response {
    let names = store!(chrome, municipality_names(state).await);
    let ctx = store!(chrome, state.store.vfu_context().await);
    let model = TravelModel::default();

    // As a student: every period the person is on.
    let records = store!(
        chrome,
        state
            .store
            .vfu_students(&StudentFilter {
                person_id: Some(user.person_id.clone()),
                ..Default::default()
            })
            .await
    );
    let mut placements = Vec::new();
    let mut unplaced = Vec::new();
    let mut wishes = Vec::new();
    for s in &records {
        let Some(period) = store!(chrome, state.store.vfu_period(&s.period_id).await) else {
            continue;
        };
        let ms = milestones(&chrome, &period);
        let reqs = requirement_texts(&chrome, &period, s);
        let own = store!(
            chrome,
            state
                .store
                .placements(&PlacementFilter {
                    student_id: Some(s.id.clone()),
                    ..Default::default()
                })
                .await
        );
        let lines = store!(
            chrome,
            state
                .store
                .placement_lines(&PlacementFilter {
                    student_id: Some(s.id.clone()),
                    ..Default::default()
                })
                .await
        );
        let period_label = format!(
            "{} {} – {} ({})",
            period.university,
            period.course_code,
            period.programme,
            l_term(&chrome, period.term)
        );
        let this_edit = edit.as_ref().filter(|e| e.0 == s.id);
        wishes.push(store!(
            chrome,
            wishes_view(
                state,
                &chrome,
                s,
                &period,
                &period_label,
                &names,
                this_edit,
                saved == Some(s.id.as_str())
            )
            .await
        ));
        if lines.is_empty() {
            unplaced.push((period_label, ms, reqs));
            continue;
        }
        for l in lines {
            let site = store!(chrome, state.store.placement_site(&l.site_id).await);
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
    let sups = store!(chrome, state.store.supervisors(None).await);
    let mine: Vec<&Supervisor> = sups.iter().filter(|s| s.person_id == user.person_id).collect();
    let mut students = Vec::new();
    for s in &mine {
        let lines = store!(
            chrome,
            state
                .store
                .placement_lines(&PlacementFilter {
                    supervisor_id: Some(s.id.clone()),
                    ..Default::default()
                })
                .await
        );
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
    render(
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
    )
}

/// A student changes the wishes and needs of one of their own VFU periods while wishes are open
/// (before the allocation day, and before any placement is made). Only those fields change; the
/// change is audited with the student as actor.
async fn wishes_save(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
    Form(f): Form<WishesInput>,
) -> Response {
    let user = tri!(signed_in(&chrome, me));
    let Some(s) = store!(chrome, state.store.vfu_student(&id).await) else {
        return nf(&chrome);
    };
    // This page is the student's own: anyone else's record is not found here.
    if s.person_id != user.person_id {
        return nf(&chrome);
    }
    let Some(period) = store!(chrome, state.store.vfu_period(&s.period_id).await) else {
        return nf(&chrome);
    };
    let target = Target::VfuStudentWishes {
        person_id: &s.person_id,
        university: &period.university,
        home_municipality: s.home_municipality,
    };
    if !guard.allows(&user.principal(), &target) {
        return forbidden(chrome);
    }
    let own = store!(
        chrome,
        state
            .store
            .placements(&PlacementFilter {
                student_id: Some(s.id.clone()),
                ..Default::default()
            })
            .await
    );
    if !wishes_open(&period, &own, today(), &TimelineRules::default()) {
        let message = chrome.t("vfu-wishes-closed");
        return refused(chrome, StoreError::Conflict(message), "/vfu/min");
    }
    let ctx = store!(chrome, state.store.vfu_context().await);
    let errors = match f.apply(&s, &ctx) {
        Err(e) => e,
        Ok(new) => match tri!(saved(
            &chrome,
            state.store.update_vfu_student(&new, &Actor::user(&user.id)).await
        )) {
            Saved::Ok(_) => return see_other(&format!("/vfu/min?sparad={}#onskemal-{}", s.id, s.id)),
            Saved::Invalid(e) => e,
        },
    };
    mine_page(&state, chrome, &user, Some((id, f, errors)), None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_as_written_in_the_form_parse_back() {
        let mut list: Vec<FieldSpec> = VfuField::ALL.iter().map(|f| FieldSpec::new(*f)).collect();
        list[1].subjects = vec!["svenska".into(), "matematik".into()];
        list[5].subjects = vec!["äldrevård".into()];
        let text = fields_text(&list);
        assert_eq!(FieldSpec::parse_list(&text).unwrap(), list, "{text}");
        assert!(text.starts_with("förskola|F-3:svenska,matematik|4-6"), "{text}");
    }

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
