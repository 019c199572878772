//! SQL of the VFU registry: placement sites, hosting interest, supervisors, periods, students,
//! placements, roles and responsibilities, contacts; imports in one transaction; the views.
//!
//! Personal data (name, e-mail, phone, home municipality) stays in `persons`; every change to a
//! supervisor, student or placement is audited with the person's id, so that erasure redacts it.
//! Students' `persons.last_period_end` is kept equal to the end of their last VFU period.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use kkig_core::text::swedish_cmp;
use kkig_core::vfu::identity::RecordScope;
use kkig_core::vfu::input::{
    validate_hosting, validate_period, validate_site, validate_student, validate_supervisor, PeriodRef,
};
use kkig_core::vfu::raci::{validate_contact, RaciCell, RaciModel, RaciRole, RaciTask, VfuContact};
use kkig_core::vfu::views::{compensation_basis, training_need, CompensationRow, TrainingNeed};
use kkig_core::vfu::*;
use kkig_core::{Kommunkod, MunicipalityRole, Position};
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Row, Transaction};

use crate::accounts::identity::{check_update, login_data_errors, period_university, takeable_by_email, Except};
use crate::accounts::sql::{insert_person, new_id, normalize_email};
use crate::catalogue::ImportReport;
use crate::db::audit::{audit_in, AuditAction, AuditEntity};
use crate::db::{corrupt, now_unix, NullableF64, SqlStore};
use crate::{Actor, StoreError};

type Tx = Transaction<'static, Any>;

/// Which students to list; every filter that is set must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StudentFilter {
    pub period_id: Option<String>,
    pub university: Option<String>,
    pub home_municipality: Option<Kommunkod>,
    pub person_id: Option<String>,
}

/// Which placements to list; every filter that is set must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlacementFilter {
    pub period_id: Option<String>,
    pub university: Option<String>,
    pub site_municipality: Option<Kommunkod>,
    pub site_id: Option<String>,
    pub student_id: Option<String>,
    pub supervisor_id: Option<String>,
}

/// A roles-and-responsibilities model as a municipality sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RaciView {
    pub model: RaciModel,
    /// True when the municipality has adapted the default model.
    pub adapted: bool,
}

/// The VFU registry's part of the store. `Store` requires it, so every store has it; bring it
/// into scope (`use kkig_store::VfuStore`) to call its methods on a `dyn Store`.
#[async_trait]
pub trait VfuStore: Send + Sync {
    /// The records inputs may refer to (municipalities, universities, sites, periods), for
    /// validating forms and files with `kkig_core::vfu::input`.
    async fn vfu_context(&self) -> Result<VfuContext, StoreError>;

    // Placement sites (list: `Store::placement_sites`).
    async fn placement_site(&self, id: &str) -> Result<Option<PlacementSite>, StoreError>;
    /// Create a site (audited); an empty id is generated. Conflict when the id is taken.
    async fn create_placement_site(&self, site: &PlacementSite, actor: &Actor) -> Result<String, StoreError>;
    /// False when there is no such site.
    async fn update_placement_site(&self, site: &PlacementSite, actor: &Actor) -> Result<bool, StoreError>;
    /// Conflict while placements refer to it; its hosting answers go with it, its supervisors
    /// lose the link.
    async fn delete_placement_site(&self, id: &str, actor: &Actor) -> Result<bool, StoreError>;
    /// Hosting answers, of one municipality's sites and/or one term, by site and term.
    async fn hosting_interests(
        &self,
        municipality: Option<Kommunkod>,
        term: Option<Term>,
    ) -> Result<Vec<HostingInterest>, StoreError>;
    /// Set a site's answer for a term (insert or replace; audited).
    async fn set_hosting_interest(&self, h: &HostingInterest, actor: &Actor) -> Result<(), StoreError>;
    /// Remove a site's answer for a term. False when there was none.
    async fn delete_hosting_interest(&self, site_id: &str, term: Term, actor: &Actor) -> Result<bool, StoreError>;

    // Supervisors.
    /// Supervisors of one municipality or all, by municipality and name.
    async fn supervisors(&self, municipality: Option<Kommunkod>) -> Result<Vec<Supervisor>, StoreError>;
    async fn supervisor(&self, id: &str) -> Result<Option<Supervisor>, StoreError>;
    /// Create a supervisor and their person (or take the person with that e-mail, as
    /// `kkig_core::vfu::identity` allows; else `EmailUnusable`); returns it with its ids.
    /// `SupervisorExists` when the person already has a supervisor record.
    async fn create_supervisor(&self, s: &Supervisor, actor: &Actor) -> Result<Supervisor, StoreError>;
    async fn update_supervisor(&self, s: &Supervisor, actor: &Actor) -> Result<bool, StoreError>;
    async fn delete_supervisor(&self, id: &str, actor: &Actor) -> Result<bool, StoreError>;
    /// Mark a supervisor invited / enrolled / completed (completed also records the training
    /// as completed on that day).
    async fn set_supervisor_invite(
        &self,
        id: &str,
        invite: InviteStatus,
        on: Day,
        university: Option<&str>,
        actor: &Actor,
    ) -> Result<bool, StoreError>;

    // Periods.
    /// Periods of one university or all, by start.
    async fn vfu_periods(&self, university: Option<&str>) -> Result<Vec<VfuPeriod>, StoreError>;
    async fn vfu_period(&self, id: &str) -> Result<Option<VfuPeriod>, StoreError>;
    async fn create_vfu_period(&self, p: &VfuPeriod, actor: &Actor) -> Result<String, StoreError>;
    /// Updates the retention date of the period's students too.
    async fn update_vfu_period(&self, p: &VfuPeriod, actor: &Actor) -> Result<bool, StoreError>;
    /// Conflict while students are on it.
    async fn delete_vfu_period(&self, id: &str, actor: &Actor) -> Result<bool, StoreError>;

    // Students.
    async fn vfu_students(&self, filter: &StudentFilter) -> Result<Vec<VfuStudent>, StoreError>;
    async fn vfu_student(&self, id: &str) -> Result<Option<VfuStudent>, StoreError>;
    /// Put a student on a period (the person is created, or taken by e-mail as
    /// `kkig_core::vfu::identity` allows). `StudentOnPeriod` when the e-mail is already on it.
    async fn create_vfu_student(&self, s: &VfuStudent, actor: &Actor) -> Result<VfuStudent, StoreError>;
    async fn update_vfu_student(&self, s: &VfuStudent, actor: &Actor) -> Result<bool, StoreError>;
    /// Removes the student's placements too; the person goes when nothing else refers to them.
    async fn delete_vfu_student(&self, id: &str, actor: &Actor) -> Result<bool, StoreError>;

    // Placements.
    async fn placements(&self, filter: &PlacementFilter) -> Result<Vec<Placement>, StoreError>;
    async fn placement(&self, id: &str) -> Result<Option<Placement>, StoreError>;
    /// Placements with the names of site, student, period and supervisor, for lists/exports.
    async fn placement_lines(&self, filter: &PlacementFilter) -> Result<Vec<PlacementLine>, StoreError>;
    /// Create a placement in its first status (requested or offered). Returns its id.
    async fn create_placement(&self, p: &Placement, actor: &Actor) -> Result<String, StoreError>;
    /// Change site, supervisor, waiting flag and note (the status changes only by
    /// `transition_placement`). False when there is no such placement.
    async fn update_placement(&self, p: &Placement, actor: &Actor) -> Result<bool, StoreError>;
    /// Move a placement along its lifecycle on `on` (the core state machine decides).
    async fn transition_placement(
        &self,
        id: &str,
        to: PlacementStatus,
        on: Day,
        actor: &Actor,
    ) -> Result<Placement, StoreError>;
    async fn delete_placement(&self, id: &str, actor: &Actor) -> Result<bool, StoreError>;
    /// The waiting list (återbudskö) for a freed seat at a site in a period, best first (see
    /// `kkig_core::vfu::lifecycle::waiting_list_for`).
    async fn waiting_list(
        &self,
        site_id: &str,
        period_id: &str,
    ) -> Result<Vec<kkig_core::vfu::lifecycle::WaitingCandidate>, StoreError>;

    // Imports: validated whole, written in one transaction; any invalid item → nothing written
    // and `StoreError::Items` naming each item (0-based) and field.
    /// Upsert by id.
    async fn import_placement_sites(&self, sites: &[PlacementSite], actor: &Actor) -> Result<ImportReport, StoreError>;
    /// Upsert by e-mail within the row's municipality.
    async fn import_supervisors(&self, items: &[Supervisor], actor: &Actor) -> Result<ImportReport, StoreError>;
    /// Upsert by id (an empty id makes a new period).
    async fn import_vfu_periods(&self, items: &[VfuPeriod], actor: &Actor) -> Result<ImportReport, StoreError>;
    /// Upsert by (period, e-mail).
    async fn import_vfu_students(&self, items: &[VfuStudent], actor: &Actor) -> Result<ImportReport, StoreError>;

    // Views.
    /// The municipality's training need (see `kkig_core::vfu::views::training_need`), with its
    /// share of places not yet listed = its population / the participants' population.
    async fn training_need(&self, municipality: Kommunkod) -> Result<TrainingNeed, StoreError>;
    /// The compensation basis, of one municipality or all.
    async fn compensation_basis(&self, municipality: Option<Kommunkod>) -> Result<Vec<CompensationRow>, StoreError>;

    // Roles and responsibilities.
    /// The municipality's model of a programme type: its adaptation, or the default.
    async fn raci_model(&self, municipality: Kommunkod, programme: ProgrammeType) -> Result<RaciView, StoreError>;
    /// Save a municipality's adaptation (validated: one A per task; audited).
    async fn save_raci_model(
        &self,
        municipality: Kommunkod,
        model: &RaciModel,
        actor: &Actor,
    ) -> Result<(), StoreError>;
    /// Go back to the default model. False when there was no adaptation.
    async fn reset_raci_model(
        &self,
        municipality: Kommunkod,
        programme: ProgrammeType,
        actor: &Actor,
    ) -> Result<bool, StoreError>;
    /// Contact persons of one municipality or all, by municipality, role and name.
    async fn vfu_contacts(&self, municipality: Option<Kommunkod>) -> Result<Vec<VfuContact>, StoreError>;
    async fn create_vfu_contact(&self, c: &VfuContact, actor: &Actor) -> Result<VfuContact, StoreError>;
    async fn update_vfu_contact(&self, c: &VfuContact, actor: &Actor) -> Result<bool, StoreError>;
    async fn delete_vfu_contact(&self, id: &str, actor: &Actor) -> Result<bool, StoreError>;
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn from_json<T: serde::de::DeserializeOwned>(row: &AnyRow, col: &str) -> Result<T, StoreError> {
    let s: String = row.try_get(col)?;
    serde_json::from_str(&s).map_err(|e| corrupt(col, e))
}

fn kommunkod(row: &AnyRow, col: &str) -> Result<Kommunkod, StoreError> {
    let s: Option<String> = row.try_get(col)?;
    let s = s.ok_or_else(|| corrupt(col, "missing"))?;
    Kommunkod::parse(&s).map_err(|e| corrupt(col, e))
}

fn day(row: &AnyRow, col: &str) -> Result<Day, StoreError> {
    let s: String = row.try_get(col)?;
    Day::parse(&s).map_err(|e| corrupt(col, e))
}

fn opt_day(row: &AnyRow, col: &str) -> Result<Option<Day>, StoreError> {
    let s: Option<String> = row.try_get(col)?;
    s.map(|s| Day::parse(&s).map_err(|e| corrupt(col, e))).transpose()
}

fn field(row: &AnyRow, col: &str) -> Result<VfuField, StoreError> {
    let s: String = row.try_get(col)?;
    VfuField::parse(&s).ok_or_else(|| corrupt(col, &s))
}

fn fields_error(errors: Vec<FieldError>) -> StoreError {
    StoreError::Fields(errors)
}

fn check(errors: Vec<FieldError>) -> Result<(), StoreError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(fields_error(errors))
    }
}

fn conflict(field: &str, message: String) -> StoreError {
    StoreError::Fields(vec![FieldError::new(field, message)])
}

/// A conflict with what is stored, as a problem of one field.
fn problem(field: &str, p: FieldProblem) -> StoreError {
    StoreError::Fields(vec![FieldError::of(field, p)])
}

/// A query with optional `column = value` filters.
#[derive(Default)]
struct Filters {
    clauses: Vec<String>,
    args: Vec<String>,
}

impl Filters {
    fn eq(&mut self, column: &str, value: Option<String>) {
        if let Some(v) = value {
            self.args.push(v);
            self.clauses.push(format!("{column} = ${}", self.args.len()));
        }
    }

    fn sql(&self, base: &str) -> String {
        if self.clauses.is_empty() {
            base.to_string()
        } else {
            format!("{base} WHERE {}", self.clauses.join(" AND "))
        }
    }

    async fn fetch(&self, conn: &mut AnyConnection, base: &str) -> Result<Vec<AnyRow>, StoreError> {
        let sql = self.sql(base);
        let mut q = sqlx::query(&sql);
        for a in &self.args {
            q = q.bind(a);
        }
        Ok(q.fetch_all(conn).await?)
    }
}

// ---------------------------------------------------------------------------------------------
// Reading

const SITE_SELECT: &str = "SELECT id, municipality_code, name, kind, address, lat, lon, fields FROM placement_sites";

pub(crate) fn site_from(row: &AnyRow) -> Result<PlacementSite, StoreError> {
    let kind: String = row.try_get("kind")?;
    Ok(PlacementSite {
        id: row.try_get("id")?,
        municipality: kommunkod(row, "municipality_code")?,
        name: row.try_get("name")?,
        kind: SiteKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        address: row.try_get("address")?,
        position: Position::new(row.try_get("lat")?, row.try_get("lon")?).map_err(|e| corrupt("position", e))?,
        fields: from_json(row, "fields")?,
    })
}

const SUPERVISOR_SELECT: &str = "SELECT s.id, s.person_id, p.name, p.email, p.phone, s.municipality_code, s.site_id, s.fields,
    s.employment_percent, s.training, s.training_date, s.training_university, s.students_per_period, s.unavailable_terms,
    s.consent_contact, s.invite, s.invite_date
    FROM vfu_supervisors s JOIN persons p ON p.id = s.person_id";

fn supervisor_from(row: &AnyRow) -> Result<Supervisor, StoreError> {
    let training: String = row.try_get("training")?;
    let invite: String = row.try_get("invite")?;
    let terms: String = row.try_get("unavailable_terms")?;
    Ok(Supervisor {
        id: row.try_get("id")?,
        person_id: row.try_get("person_id")?,
        name: row.try_get("name")?,
        email: row.try_get::<Option<String>, _>("email")?.unwrap_or_default(),
        phone: row.try_get::<Option<String>, _>("phone")?.unwrap_or_default(),
        municipality: kommunkod(row, "municipality_code")?,
        site_id: row.try_get("site_id")?,
        fields: from_json(row, "fields")?,
        employment_percent: row.try_get("employment_percent")?,
        training: Training {
            level: TrainingLevel::parse(&training).ok_or_else(|| corrupt("training", &training))?,
            date: opt_day(row, "training_date")?,
            university: row.try_get("training_university")?,
        },
        students_per_period: row.try_get::<i64, _>("students_per_period")? as u32,
        unavailable_terms: terms
            .split('|')
            .filter(|t| !t.is_empty())
            .map(|t| Term::parse(t).map_err(|e| corrupt("unavailable_terms", e)))
            .collect::<Result<_, _>>()?,
        consent_contact: row.try_get::<i64, _>("consent_contact")? != 0,
        invite: InviteStatus::parse(&invite).ok_or_else(|| corrupt("invite", &invite))?,
        invite_date: opt_day(row, "invite_date")?,
    })
}

const PERIOD_SELECT: &str =
    "SELECT id, university_code, programme, course_code, term, start_date, end_date, field, students,
    requirements, capacity_deadline FROM vfu_periods";

fn period_from(row: &AnyRow) -> Result<VfuPeriod, StoreError> {
    let term: String = row.try_get("term")?;
    Ok(VfuPeriod {
        id: row.try_get("id")?,
        university: row.try_get("university_code")?,
        programme: row.try_get("programme")?,
        course_code: row.try_get("course_code")?,
        term: Term::parse(&term).map_err(|e| corrupt("term", e))?,
        start: day(row, "start_date")?,
        end: day(row, "end_date")?,
        field: field(row, "field")?,
        students: row.try_get::<i64, _>("students")? as u32,
        requirements: from_json(row, "requirements")?,
        capacity_deadline: day(row, "capacity_deadline")?,
    })
}

const STUDENT_SELECT: &str =
    "SELECT s.id, s.person_id, s.period_id, p.name, p.email, p.municipality_code, s.home_lat, s.home_lon,
    s.field, s.subjects, s.wishes, s.needs, s.requirements
    FROM vfu_students s JOIN persons p ON p.id = s.person_id JOIN vfu_periods v ON v.id = s.period_id";

fn student_from(row: &AnyRow) -> Result<VfuStudent, StoreError> {
    let lat: Option<f64> = row.try_get("home_lat")?;
    let lon: Option<f64> = row.try_get("home_lon")?;
    let subjects: String = row.try_get("subjects")?;
    Ok(VfuStudent {
        id: row.try_get("id")?,
        person_id: row.try_get("person_id")?,
        period_id: row.try_get("period_id")?,
        name: row.try_get("name")?,
        email: row.try_get::<Option<String>, _>("email")?.unwrap_or_default(),
        home_municipality: kommunkod(row, "municipality_code")?,
        home_position: match (lat, lon) {
            (Some(a), Some(b)) => Some(Position::new(a, b).map_err(|e| corrupt("home position", e))?),
            _ => None,
        },
        field: field(row, "field")?,
        subjects: subjects
            .split(',')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        wishes: from_json(row, "wishes")?,
        needs: from_json(row, "needs")?,
        requirements: from_json(row, "requirements")?,
    })
}

const PLACEMENT_SELECT: &str =
    "SELECT pl.id, pl.student_id, pl.site_id, pl.supervisor_id, pl.status, pl.history, pl.waiting_for_better, pl.note
    FROM vfu_placements pl JOIN vfu_students s ON s.id = pl.student_id JOIN vfu_periods v ON v.id = s.period_id
    JOIN placement_sites ps ON ps.id = pl.site_id";

pub(crate) fn placement_from(row: &AnyRow) -> Result<Placement, StoreError> {
    let status: String = row.try_get("status")?;
    Ok(Placement {
        id: row.try_get("id")?,
        student_id: row.try_get("student_id")?,
        site_id: row.try_get("site_id")?,
        supervisor_id: row.try_get("supervisor_id")?,
        status: PlacementStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        history: from_json(row, "history")?,
        waiting_for_better: row.try_get::<i64, _>("waiting_for_better")? != 0,
        note: row.try_get("note")?,
    })
}

const CONTACT_SELECT: &str =
    "SELECT c.id, c.person_id, c.municipality_code, c.role, c.programme, c.title, p.name, p.email, p.phone
    FROM vfu_contacts c JOIN persons p ON p.id = c.person_id";

fn contact_from(row: &AnyRow) -> Result<VfuContact, StoreError> {
    let role: String = row.try_get("role")?;
    let programme: Option<String> = row.try_get("programme")?;
    Ok(VfuContact {
        id: row.try_get("id")?,
        person_id: row.try_get("person_id")?,
        municipality: kommunkod(row, "municipality_code")?,
        role: RaciRole::parse(&role).ok_or_else(|| corrupt("role", &role))?,
        programme: programme
            .map(|p| ProgrammeType::parse(&p).ok_or_else(|| corrupt("programme", &p)))
            .transpose()?,
        name: row.try_get("name")?,
        email: row.try_get::<Option<String>, _>("email")?.unwrap_or_default(),
        phone: row.try_get::<Option<String>, _>("phone")?.unwrap_or_default(),
        title: row.try_get("title")?,
    })
}

/// The records a write refers to. Validating it loads only these sites and periods (and the
/// small reference tables), never the whole registry.
#[derive(Debug, Default)]
struct Refs {
    sites: BTreeSet<String>,
    periods: BTreeSet<String>,
}

impl Refs {
    fn sites<'a>(ids: impl IntoIterator<Item = &'a String>) -> Self {
        Refs {
            sites: ids.into_iter().cloned().collect(),
            ..Default::default()
        }
    }

    fn periods<'a>(ids: impl IntoIterator<Item = &'a String>) -> Self {
        Refs {
            periods: ids.into_iter().cloned().collect(),
            ..Default::default()
        }
    }

    /// The site a supervisor works at, if any.
    fn supervisors<'a>(items: impl IntoIterator<Item = &'a Supervisor>) -> Self {
        Refs::sites(items.into_iter().filter_map(|s| s.site_id.as_ref()))
    }

    /// A student's period and the sites they wish for.
    fn students<'a>(items: impl IntoIterator<Item = &'a VfuStudent>) -> Self {
        let mut refs = Refs::default();
        for s in items {
            refs.periods.insert(s.period_id.clone());
            for w in &s.wishes {
                if let Wish::Site(id) = w {
                    refs.sites.insert(id.clone());
                }
            }
        }
        refs
    }
}

/// Ids per `IN (…)` query: far below SQLite's and PostgreSQL's limits on parameters.
const IDS_PER_QUERY: usize = 500;

/// `SELECT {columns} FROM {table} WHERE id IN (…)` for every id, in chunks.
async fn rows_with_ids(
    conn: &mut AnyConnection,
    columns: &str,
    table: &str,
    ids: &BTreeSet<String>,
) -> Result<Vec<AnyRow>, StoreError> {
    let ids: Vec<&String> = ids.iter().collect();
    let mut out = Vec::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("SELECT {columns} FROM {table} WHERE id IN ({})", marks.join(", "));
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id.as_str());
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// What validation needs to know: the reference tables, and the sites and periods in `refs`
/// (all of them when `refs` is None).
async fn load_context(conn: &mut AnyConnection, refs: Option<&Refs>) -> Result<VfuContext, StoreError> {
    let mut ctx = VfuContext::default();
    for r in sqlx::query("SELECT code, lat, lon FROM municipalities")
        .fetch_all(&mut *conn)
        .await?
    {
        let pos = Position::new(r.try_get("lat")?, r.try_get("lon")?).map_err(|e| corrupt("position", e))?;
        ctx.municipalities.insert(kommunkod(&r, "code")?, pos);
    }
    for r in sqlx::query("SELECT code FROM universities")
        .fetch_all(&mut *conn)
        .await?
    {
        ctx.universities.insert(r.try_get("code")?);
    }
    const SITE_COLUMNS: &str = "id, municipality_code";
    let sites = match refs {
        None => {
            sqlx::query(&format!("SELECT {SITE_COLUMNS} FROM placement_sites"))
                .fetch_all(&mut *conn)
                .await?
        }
        Some(r) => rows_with_ids(conn, SITE_COLUMNS, "placement_sites", &r.sites).await?,
    };
    for r in sites {
        ctx.sites.insert(r.try_get("id")?, kommunkod(&r, "municipality_code")?);
    }
    const PERIOD_COLUMNS: &str = "id, university_code, field, start_date, end_date";
    let periods = match refs {
        None => {
            sqlx::query(&format!("SELECT {PERIOD_COLUMNS} FROM vfu_periods"))
                .fetch_all(&mut *conn)
                .await?
        }
        Some(r) => rows_with_ids(conn, PERIOD_COLUMNS, "vfu_periods", &r.periods).await?,
    };
    for r in periods {
        ctx.periods.insert(
            r.try_get("id")?,
            PeriodRef {
                university: r.try_get("university_code")?,
                field: field(&r, "field")?,
                start: day(&r, "start_date")?,
                end: day(&r, "end_date")?,
            },
        );
    }
    Ok(ctx)
}

async fn one<T>(
    conn: &mut AnyConnection,
    sql: &str,
    id: &str,
    f: fn(&AnyRow) -> Result<T, StoreError>,
) -> Result<Option<T>, StoreError> {
    sqlx::query(sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(f)
        .transpose()
}

async fn get_site(conn: &mut AnyConnection, id: &str) -> Result<Option<PlacementSite>, StoreError> {
    one(conn, &format!("{SITE_SELECT} WHERE id = $1"), id, site_from).await
}

async fn get_supervisor(conn: &mut AnyConnection, id: &str) -> Result<Option<Supervisor>, StoreError> {
    one(
        conn,
        &format!("{SUPERVISOR_SELECT} WHERE s.id = $1"),
        id,
        supervisor_from,
    )
    .await
}

async fn get_period(conn: &mut AnyConnection, id: &str) -> Result<Option<VfuPeriod>, StoreError> {
    one(conn, &format!("{PERIOD_SELECT} WHERE id = $1"), id, period_from).await
}

async fn get_student(conn: &mut AnyConnection, id: &str) -> Result<Option<VfuStudent>, StoreError> {
    one(conn, &format!("{STUDENT_SELECT} WHERE s.id = $1"), id, student_from).await
}

async fn get_placement(conn: &mut AnyConnection, id: &str) -> Result<Option<Placement>, StoreError> {
    one(
        conn,
        &format!("{PLACEMENT_SELECT} WHERE pl.id = $1"),
        id,
        placement_from,
    )
    .await
}

async fn get_contact(conn: &mut AnyConnection, id: &str) -> Result<Option<VfuContact>, StoreError> {
    one(conn, &format!("{CONTACT_SELECT} WHERE c.id = $1"), id, contact_from).await
}

async fn student_person(conn: &mut AnyConnection, student_id: &str) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query("SELECT person_id FROM vfu_students WHERE id = $1")
        .bind(student_id)
        .fetch_optional(conn)
        .await?
        .map(|r| r.get(0)))
}

// ---------------------------------------------------------------------------------------------
// Persons

/// The person for a new supervisor, student or contact: `found` (the person with its e-mail,
/// which the rule of `crate::accounts::identity::takeable_by_email` let the record take; their name, phone
/// and municipality updated, audited when changed — an account holder's name only by themself
/// or an administrator), or a new person of `kind`.
#[allow(clippy::too_many_arguments)]
async fn take_person(
    tx: &mut Tx,
    found: Option<crate::accounts::identity::Person>,
    kind: &str,
    name: &str,
    email: &str,
    phone: Option<&str>,
    municipality: Kommunkod,
    actor: &Actor,
) -> Result<String, StoreError> {
    match found {
        Some(p) => {
            check(login_data_errors(tx, &p, Some(name), None, actor).await?)?;
            update_person(tx, &p.id, name, phone, municipality, actor).await?;
            Ok(p.id)
        }
        None => {
            let id = insert_person(tx, name, Some(email), kind, Some(municipality), actor).await?;
            if let Some(p) = phone.filter(|p| !p.is_empty()) {
                sqlx::query("UPDATE persons SET phone = $1 WHERE id = $2")
                    .bind(p)
                    .bind(&id)
                    .execute(&mut **tx)
                    .await?;
            }
            Ok(id)
        }
    }
}

async fn update_person(
    tx: &mut Tx,
    id: &str,
    name: &str,
    phone: Option<&str>,
    municipality: Kommunkod,
    actor: &Actor,
) -> Result<(), StoreError> {
    let r = sqlx::query("SELECT name, phone, municipality_code FROM persons WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    let before = json!({"name": r.get::<String, _>(0), "phone": r.get::<Option<String>, _>(1), "municipality": r.get::<Option<String>, _>(2)});
    let phone = match phone {
        Some(p) => Some(p.to_string()).filter(|p| !p.is_empty()),
        None => r.get::<Option<String>, _>(1),
    };
    let after = json!({"name": name.trim(), "phone": phone, "municipality": municipality.to_string()});
    if before == after {
        return Ok(());
    }
    sqlx::query("UPDATE persons SET name = $1, phone = $2, municipality_code = $3, updated_at = $4 WHERE id = $5")
        .bind(name.trim())
        .bind(&phone)
        .bind(municipality.to_string())
        .bind(now_unix())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    audit_in(
        tx,
        actor,
        AuditAction::Update,
        AuditEntity::Person,
        id,
        Some(id),
        Some(&before),
        Some(&after),
    )
    .await
}

/// Keep a student's retention date equal to the end of their last VFU period.
async fn refresh_last_period_end(tx: &mut Tx, person_id: &str) -> Result<(), StoreError> {
    let end: Option<String> = sqlx::query(
        "SELECT MAX(v.end_date) FROM vfu_students s JOIN vfu_periods v ON v.id = s.period_id WHERE s.person_id = $1",
    )
    .bind(person_id)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    sqlx::query("UPDATE persons SET last_period_end = $1 WHERE id = $2 AND kind = 'student'")
        .bind(&end)
        .bind(person_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Remove a person nothing refers to any more (no account, no VFU record).
async fn drop_orphan_person(tx: &mut Tx, person_id: &str, actor: &Actor) -> Result<(), StoreError> {
    let refs: i64 = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM users WHERE person_id = $1) + (SELECT COUNT(*) FROM vfu_students WHERE person_id = $1)
              + (SELECT COUNT(*) FROM vfu_supervisors WHERE person_id = $1) + (SELECT COUNT(*) FROM vfu_contacts WHERE person_id = $1)",
    )
    .bind(person_id)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    if refs == 0 {
        sqlx::query("DELETE FROM persons WHERE id = $1")
            .bind(person_id)
            .execute(&mut **tx)
            .await?;
        audit_in(
            tx,
            actor,
            AuditAction::Delete,
            AuditEntity::Person,
            person_id,
            Some(person_id),
            None,
            None,
        )
        .await?;
    }
    Ok(())
}

/// Delete every VFU record of a person (inside the erasure transaction).
pub(crate) async fn erase_person_vfu(tx: &mut Tx, person_id: &str) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM vfu_placements WHERE student_id IN (SELECT id FROM vfu_students WHERE person_id = $1)",
        "DELETE FROM vfu_students WHERE person_id = $1",
        "UPDATE vfu_placements SET supervisor_id = NULL WHERE supervisor_id IN (SELECT id FROM vfu_supervisors WHERE person_id = $1)",
        "DELETE FROM vfu_supervisors WHERE person_id = $1",
        "DELETE FROM vfu_contacts WHERE person_id = $1",
    ] {
        sqlx::query(sql).bind(person_id).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Everything the VFU registry holds on a person, for a data export.
pub(crate) async fn export_person_vfu(store: &SqlStore, person_id: &str) -> Result<Value, StoreError> {
    let mut conn = store.pool.acquire().await?;
    let sup = sqlx::query(&format!("{SUPERVISOR_SELECT} WHERE s.person_id = $1"))
        .bind(person_id)
        .fetch_optional(&mut *conn)
        .await?;
    let supervisor = sup.as_ref().map(supervisor_from).transpose()?;
    let students: Vec<VfuStudent> = sqlx::query(&format!("{STUDENT_SELECT} WHERE s.person_id = $1"))
        .bind(person_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(student_from)
        .collect::<Result<_, _>>()?;
    let mut placements = Vec::new();
    let mut allocation_locks = Vec::new();
    for s in &students {
        let rows = sqlx::query(&format!("{PLACEMENT_SELECT} WHERE pl.student_id = $1"))
            .bind(&s.id)
            .fetch_all(&mut *conn)
            .await?;
        for r in &rows {
            placements.push(placement_from(r)?);
        }
        allocation_locks.extend(crate::allocation::locks_of_student(&mut conn, &s.id).await?);
    }
    let supervised: Vec<String> = match &supervisor {
        Some(s) => sqlx::query("SELECT id FROM vfu_placements WHERE supervisor_id = $1 ORDER BY id")
            .bind(&s.id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect(),
        None => Vec::new(),
    };
    let contacts: Vec<VfuContact> = sqlx::query(&format!("{CONTACT_SELECT} WHERE c.person_id = $1"))
        .bind(person_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(contact_from)
        .collect::<Result<_, _>>()?;
    Ok(json!({
        "supervisor": supervisor,
        "supervised_placements": supervised,
        "students": students,
        "placements": placements,
        "allocation_locks": allocation_locks,
        "contacts": contacts,
    }))
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Write the VFU part of the demo world inside the demo transaction (marked demo; persons
/// inserted directly, the demo load is audited once as a whole).
pub(crate) async fn load_demo_vfu(tx: &mut Tx, demo: &kkig_core::vfu::demo::VfuDemo) -> Result<(), StoreError> {
    let now = now_unix();
    for h in &demo.hosting {
        sqlx::query(
            "INSERT INTO vfu_hosting (site_id, term, interest, capacity, reason, demo) VALUES ($1, $2, $3, $4, $5, 1)",
        )
        .bind(&h.site_id)
        .bind(h.term.to_string())
        .bind(h.interest.as_str())
        .bind(i64::from(h.capacity))
        .bind(&h.reason)
        .execute(&mut **tx)
        .await?;
    }
    for p in &demo.periods {
        write_period(tx, p, true).await?;
    }
    let ends: BTreeMap<&str, String> = demo
        .periods
        .iter()
        .map(|p| (p.id.as_str(), p.end.to_string()))
        .collect();
    let person = |id: &str, name: &str, email: &str, phone: &str, kind: &str, m: Kommunkod, end: Option<String>| {
        sqlx::query(
            "INSERT INTO persons (id, name, email, phone, kind, municipality_code, last_period_end, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(id.to_string())
        .bind(name.to_string())
        .bind(normalize_email(email))
        .bind(Some(phone.to_string()).filter(|p| !p.is_empty()))
        .bind(kind.to_string())
        .bind(m.to_string())
        .bind(end)
        .bind(now)
    };
    for s in &demo.supervisors {
        person(
            &s.person_id,
            &s.name,
            &s.email,
            &s.phone,
            "supervisor",
            s.municipality,
            None,
        )
        .execute(&mut **tx)
        .await?;
        write_supervisor(tx, s, true).await?;
    }
    for s in &demo.students {
        person(
            &s.person_id,
            &s.name,
            &s.email,
            "",
            "student",
            s.home_municipality,
            ends.get(s.period_id.as_str()).cloned(),
        )
        .execute(&mut **tx)
        .await?;
        write_student(tx, s, true).await?;
    }
    for p in &demo.placements {
        write_placement(tx, p, true).await?;
    }
    for c in &demo.contacts {
        person(&c.person_id, &c.name, &c.email, &c.phone, "staff", c.municipality, None)
            .execute(&mut **tx)
            .await?;
        sqlx::query("INSERT INTO vfu_contacts (id, person_id, municipality_code, role, programme, title, demo, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7)")
            .bind(&c.id)
            .bind(&c.person_id)
            .bind(c.municipality.to_string())
            .bind(c.role.as_str())
            .bind(c.programme.map(|p| p.as_str()))
            .bind(&c.title)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub(crate) async fn write_site(tx: &mut Tx, s: &PlacementSite, demo: bool) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO placement_sites (id, municipality_code, name, kind, address, lat, lon, fields, demo, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (id) DO UPDATE SET municipality_code = excluded.municipality_code, name = excluded.name, kind = excluded.kind,
           address = excluded.address, lat = excluded.lat, lon = excluded.lon, fields = excluded.fields, demo = excluded.demo,
           updated_at = excluded.updated_at",
    )
    .bind(&s.id)
    .bind(s.municipality.to_string())
    .bind(s.name.trim())
    .bind(s.kind.as_str())
    .bind(s.address.trim())
    .bind(s.position.lat)
    .bind(s.position.lon)
    .bind(to_json(&s.fields))
    .bind(i64::from(demo))
    .bind(now_unix())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn terms_text(terms: &[Term]) -> String {
    terms.iter().map(Term::to_string).collect::<Vec<_>>().join("|")
}

pub(crate) async fn write_supervisor(tx: &mut Tx, s: &Supervisor, demo: bool) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO vfu_supervisors (id, person_id, municipality_code, site_id, fields, employment_percent, training, training_date,
           training_university, students_per_period, unavailable_terms, consent_contact, invite, invite_date, demo, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (id) DO UPDATE SET municipality_code = excluded.municipality_code, site_id = excluded.site_id, fields = excluded.fields,
           employment_percent = excluded.employment_percent, training = excluded.training, training_date = excluded.training_date,
           training_university = excluded.training_university, students_per_period = excluded.students_per_period,
           unavailable_terms = excluded.unavailable_terms, consent_contact = excluded.consent_contact, invite = excluded.invite,
           invite_date = excluded.invite_date, demo = excluded.demo, updated_at = excluded.updated_at",
    )
    .bind(&s.id)
    .bind(&s.person_id)
    .bind(s.municipality.to_string())
    .bind(&s.site_id)
    .bind(to_json(&s.fields))
    .bind(s.employment_percent)
    .bind(s.training.level.as_str())
    .bind(s.training.date.map(|d| d.to_string()))
    .bind(&s.training.university)
    .bind(i64::from(s.students_per_period))
    .bind(terms_text(&s.unavailable_terms))
    .bind(i64::from(s.consent_contact))
    .bind(s.invite.as_str())
    .bind(s.invite_date.map(|d| d.to_string()))
    .bind(i64::from(demo))
    .bind(now_unix())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) async fn write_period(tx: &mut Tx, p: &VfuPeriod, demo: bool) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO vfu_periods (id, university_code, programme, course_code, term, start_date, end_date, field, students, requirements,
           capacity_deadline, demo, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (id) DO UPDATE SET university_code = excluded.university_code, programme = excluded.programme,
           course_code = excluded.course_code, term = excluded.term, start_date = excluded.start_date, end_date = excluded.end_date,
           field = excluded.field, students = excluded.students, requirements = excluded.requirements,
           capacity_deadline = excluded.capacity_deadline, demo = excluded.demo, updated_at = excluded.updated_at",
    )
    .bind(&p.id)
    .bind(&p.university)
    .bind(p.programme.trim())
    .bind(&p.course_code)
    .bind(p.term.to_string())
    .bind(p.start.to_string())
    .bind(p.end.to_string())
    .bind(p.field.code())
    .bind(i64::from(p.students))
    .bind(to_json(&p.requirements))
    .bind(p.capacity_deadline.to_string())
    .bind(i64::from(demo))
    .bind(now_unix())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) async fn write_student(tx: &mut Tx, s: &VfuStudent, demo: bool) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO vfu_students (id, period_id, person_id, home_lat, home_lon, field, subjects, wishes, needs, requirements, demo, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (id) DO UPDATE SET period_id = excluded.period_id, home_lat = excluded.home_lat, home_lon = excluded.home_lon,
           field = excluded.field, subjects = excluded.subjects, wishes = excluded.wishes, needs = excluded.needs,
           requirements = excluded.requirements, demo = excluded.demo, updated_at = excluded.updated_at",
    )
    .bind(&s.id)
    .bind(&s.period_id)
    .bind(&s.person_id)
    .bind(NullableF64(s.home_position.map(|p| p.lat)))
    .bind(NullableF64(s.home_position.map(|p| p.lon)))
    .bind(s.field.code())
    .bind(s.subjects.join(","))
    .bind(to_json(&s.wishes))
    .bind(to_json(&s.needs))
    .bind(to_json(&s.requirements))
    .bind(i64::from(demo))
    .bind(now_unix())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) async fn write_placement(tx: &mut Tx, p: &Placement, demo: bool) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO vfu_placements (id, student_id, site_id, supervisor_id, status, history, waiting_for_better, note, demo, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (id) DO UPDATE SET site_id = excluded.site_id, supervisor_id = excluded.supervisor_id, status = excluded.status,
           history = excluded.history, waiting_for_better = excluded.waiting_for_better, note = excluded.note, demo = excluded.demo,
           updated_at = excluded.updated_at",
    )
    .bind(&p.id)
    .bind(&p.student_id)
    .bind(&p.site_id)
    .bind(&p.supervisor_id)
    .bind(p.status.as_str())
    .bind(to_json(&p.history))
    .bind(i64::from(p.waiting_for_better))
    .bind(&p.note)
    .bind(i64::from(demo))
    .bind(now_unix())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A supervisor as audited: no name/e-mail (those are audited with the person).
fn supervisor_audit(s: &Supervisor) -> Value {
    let mut v = to_value(s);
    if let Some(o) = v.as_object_mut() {
        for k in ["name", "email", "phone"] {
            o.remove(k);
        }
    }
    v
}

fn student_audit(s: &VfuStudent) -> Value {
    let mut v = to_value(s);
    if let Some(o) = v.as_object_mut() {
        for k in ["name", "email"] {
            o.remove(k);
        }
    }
    v
}

/// Create or (when `existing` is given) update a supervisor inside a transaction; returns it
/// with ids and whether anything changed.
async fn save_supervisor_in(
    tx: &mut Tx,
    s: &Supervisor,
    existing: Option<&Supervisor>,
    demo: bool,
    actor: &Actor,
) -> Result<(Supervisor, bool), StoreError> {
    let phone = Some(s.phone.as_str());
    let mut saved = s.clone();
    match existing {
        Some(old) => {
            saved.id = old.id.clone();
            saved.person_id = old.person_id.clone();
            let record = RecordScope::Supervisor {
                municipality: s.municipality,
            };
            let me = check_update(tx, &old.person_id, &s.email, record, Except::Supervisor(&old.id)).await?;
            check(login_data_errors(tx, &me, Some(&s.name), Some(&s.email), actor).await?)?;
            if normalize_email(&s.email) != old.email {
                let before = json!({"email": old.email});
                sqlx::query("UPDATE persons SET email = $1, updated_at = $2 WHERE id = $3")
                    .bind(normalize_email(&s.email))
                    .bind(now_unix())
                    .bind(&old.person_id)
                    .execute(&mut **tx)
                    .await?;
                audit_in(
                    tx,
                    actor,
                    AuditAction::Update,
                    AuditEntity::Person,
                    &old.person_id,
                    Some(&old.person_id),
                    Some(&before),
                    Some(&json!({"email": normalize_email(&s.email)})),
                )
                .await?;
            }
            update_person(tx, &old.person_id, &s.name, phone, s.municipality, actor).await?;
            saved.email = normalize_email(&s.email);
            saved.name = s.name.trim().to_string();
            let (before, after) = (supervisor_audit(old), supervisor_audit(&saved));
            if before == after && old.name == saved.name && old.phone == saved.phone && old.email == saved.email {
                return Ok((saved, false));
            }
            if before != after {
                write_supervisor(tx, &saved, demo).await?;
                audit_in(
                    tx,
                    actor,
                    AuditAction::Update,
                    AuditEntity::Supervisor,
                    &saved.id,
                    Some(&saved.person_id),
                    Some(&before),
                    Some(&after),
                )
                .await?;
            }
            Ok((saved, true))
        }
        None => {
            let found = takeable_by_email(
                tx,
                &s.email,
                RecordScope::Supervisor {
                    municipality: s.municipality,
                },
            )
            .await?;
            if let Some(p) = &found {
                let taken = sqlx::query("SELECT id FROM vfu_supervisors WHERE person_id = $1")
                    .bind(&p.id)
                    .fetch_optional(&mut **tx)
                    .await?;
                if taken.is_some() {
                    return Err(problem(
                        "email",
                        FieldProblem::SupervisorExists {
                            email: normalize_email(&s.email),
                        },
                    ));
                }
            }
            let person = take_person(tx, found, "supervisor", &s.name, &s.email, phone, s.municipality, actor).await?;
            saved.id = if s.id.is_empty() { new_id("sup") } else { s.id.clone() };
            saved.person_id = person;
            saved.email = normalize_email(&s.email);
            saved.name = s.name.trim().to_string();
            write_supervisor(tx, &saved, demo).await?;
            audit_in(
                tx,
                actor,
                AuditAction::Create,
                AuditEntity::Supervisor,
                &saved.id,
                Some(&saved.person_id),
                None,
                Some(&supervisor_audit(&saved)),
            )
            .await?;
            Ok((saved, true))
        }
    }
}

async fn save_student_in(
    tx: &mut Tx,
    s: &VfuStudent,
    existing: Option<&VfuStudent>,
    demo: bool,
    actor: &Actor,
) -> Result<(VfuStudent, bool), StoreError> {
    let mut saved = s.clone();
    saved.email = normalize_email(&s.email);
    saved.name = s.name.trim().to_string();
    let changed = match existing {
        Some(old) => {
            saved.id = old.id.clone();
            saved.person_id = old.person_id.clone();
            let university = period_university(tx, &saved.period_id).await?;
            let record = RecordScope::Student {
                university: &university,
            };
            let me = check_update(tx, &old.person_id, &saved.email, record, Except::Student(&old.id)).await?;
            check(login_data_errors(tx, &me, Some(&saved.name), Some(&saved.email), actor).await?)?;
            if saved.email != old.email {
                sqlx::query("UPDATE persons SET email = $1, updated_at = $2 WHERE id = $3")
                    .bind(&saved.email)
                    .bind(now_unix())
                    .bind(&old.person_id)
                    .execute(&mut **tx)
                    .await?;
                audit_in(
                    tx,
                    actor,
                    AuditAction::Update,
                    AuditEntity::Person,
                    &old.person_id,
                    Some(&old.person_id),
                    Some(&json!({"email": old.email})),
                    Some(&json!({"email": saved.email})),
                )
                .await?;
            }
            if saved.period_id != old.period_id {
                let taken = sqlx::query("SELECT 1 FROM vfu_students WHERE period_id = $1 AND person_id = $2")
                    .bind(&saved.period_id)
                    .bind(&saved.person_id)
                    .fetch_optional(&mut **tx)
                    .await?;
                if taken.is_some() {
                    return Err(problem(
                        "email",
                        FieldProblem::AlreadyOnPeriod {
                            email: saved.email.clone(),
                            period: saved.period_id.clone(),
                        },
                    ));
                }
            }
            update_person(tx, &old.person_id, &saved.name, None, saved.home_municipality, actor).await?;
            let (before, after) = (student_audit(old), student_audit(&saved));
            if before != after {
                write_student(tx, &saved, demo).await?;
                audit_in(
                    tx,
                    actor,
                    AuditAction::Update,
                    AuditEntity::VfuStudent,
                    &saved.id,
                    Some(&saved.person_id),
                    Some(&before),
                    Some(&after),
                )
                .await?;
            }
            before != after
                || old.name != saved.name
                || old.email != saved.email
                || old.home_municipality != saved.home_municipality
        }
        None => {
            let university = period_university(tx, &saved.period_id).await?;
            let found = takeable_by_email(
                tx,
                &saved.email,
                RecordScope::Student {
                    university: &university,
                },
            )
            .await?;
            if let Some(p) = &found {
                let taken = sqlx::query("SELECT 1 FROM vfu_students WHERE period_id = $1 AND person_id = $2")
                    .bind(&saved.period_id)
                    .bind(&p.id)
                    .fetch_optional(&mut **tx)
                    .await?;
                if taken.is_some() {
                    return Err(problem(
                        "email",
                        FieldProblem::StudentOnPeriod {
                            email: saved.email.clone(),
                            period: saved.period_id.clone(),
                        },
                    ));
                }
            }
            let person = take_person(
                tx,
                found,
                "student",
                &saved.name,
                &saved.email,
                None,
                saved.home_municipality,
                actor,
            )
            .await?;
            saved.id = if s.id.is_empty() { new_id("stu") } else { s.id.clone() };
            saved.person_id = person;
            write_student(tx, &saved, demo).await?;
            audit_in(
                tx,
                actor,
                AuditAction::Create,
                AuditEntity::VfuStudent,
                &saved.id,
                Some(&saved.person_id),
                None,
                Some(&student_audit(&saved)),
            )
            .await?;
            true
        }
    };
    refresh_last_period_end(tx, &saved.person_id).await?;
    if let Some(old) = existing {
        if old.person_id != saved.person_id {
            refresh_last_period_end(tx, &old.person_id).await?;
        }
    }
    Ok((saved, changed))
}

/// The rules of a placement against the database: student, site and supervisor exist, the
/// site takes the student's field, the supervisor works in the site's municipality.
async fn validate_placement(conn: &mut AnyConnection, p: &Placement) -> Result<(), StoreError> {
    let mut errors = Vec::new();
    let student = get_student(&mut *conn, &p.student_id).await?;
    let site = get_site(&mut *conn, &p.site_id).await?;
    if student.is_none() {
        errors.push(FieldError::of(
            "student_id",
            FieldProblem::NoStudent {
                id: p.student_id.clone(),
            },
        ));
    }
    match (&site, &student) {
        (None, _) => errors.push(FieldError::of(
            "site_id",
            FieldProblem::NoSite { id: p.site_id.clone() },
        )),
        (Some(site), Some(st)) if !site.fields.iter().any(|f| f.field == st.field) => errors.push(FieldError::of(
            "site_id",
            FieldProblem::SiteLacksField {
                site: site.id.clone(),
                given: st.field.to_string(),
                takes: FieldSpec::format_list(&site.fields),
            },
        )),
        _ => {}
    }
    if let Some(sup) = &p.supervisor_id {
        match get_supervisor(&mut *conn, sup).await? {
            None => errors.push(FieldError::of(
                "supervisor_id",
                FieldProblem::NoSupervisor { id: sup.clone() },
            )),
            Some(s) if site.as_ref().is_some_and(|site| site.municipality != s.municipality) => errors.push(
                FieldError::of("supervisor_id", FieldProblem::SupervisorElsewhere { id: sup.clone() }),
            ),
            _ => {}
        }
    }
    if p.note.chars().count() > 500 {
        errors.push(FieldError::of("note", FieldProblem::TooLong { max: 500 }));
    }
    if p.waiting_for_better && !p.status.is_active() {
        errors.push(FieldError::of("waiting_for_better", FieldProblem::WaitingNotActive));
    }
    check(errors)
}

fn items_error(errors: Vec<(usize, FieldError)>) -> StoreError {
    StoreError::Items(errors)
}

// ---------------------------------------------------------------------------------------------

#[async_trait]
impl VfuStore for SqlStore {
    async fn vfu_context(&self) -> Result<VfuContext, StoreError> {
        let mut conn = self.pool.acquire().await?;
        load_context(&mut conn, None).await
    }

    async fn placement_site(&self, id: &str) -> Result<Option<PlacementSite>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        get_site(&mut conn, id).await
    }

    async fn create_placement_site(&self, site: &PlacementSite, actor: &Actor) -> Result<String, StoreError> {
        let mut tx = self.begin_write().await?;
        let ctx = load_context(&mut tx, Some(&Refs::sites([&site.id]))).await?;
        check(validate_site(site, &ctx))?;
        let mut s = site.clone();
        if s.id.is_empty() {
            s.id = new_id("site");
        } else if ctx.sites.contains_key(&s.id) {
            return Err(problem("id", FieldProblem::SiteIdExists { id: s.id.clone() }));
        }
        write_site(&mut tx, &s, false).await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::PlacementSite,
            &s.id,
            None,
            None,
            Some(&to_value(&s)),
        )
        .await?;
        tx.commit().await?;
        Ok(s.id)
    }

    async fn update_placement_site(&self, site: &PlacementSite, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(old) = get_site(&mut tx, &site.id).await? else {
            return Ok(false);
        };
        let ctx = load_context(&mut tx, Some(&Refs::sites([&site.id]))).await?;
        check(validate_site(site, &ctx))?;
        if old != *site {
            write_site(&mut tx, site, false).await?;
            audit_in(
                &mut tx,
                actor,
                AuditAction::Update,
                AuditEntity::PlacementSite,
                &site.id,
                None,
                Some(&to_value(&old)),
                Some(&to_value(site)),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn delete_placement_site(&self, id: &str, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(old) = get_site(&mut tx, id).await? else {
            return Ok(false);
        };
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM vfu_placements WHERE site_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .get(0);
        if n > 0 {
            return Err(problem(
                "id",
                FieldProblem::SiteHasPlacements {
                    id: id.to_string(),
                    count: n,
                },
            ));
        }
        sqlx::query("DELETE FROM vfu_hosting WHERE site_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE vfu_supervisors SET site_id = NULL WHERE site_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM placement_sites WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Delete,
            AuditEntity::PlacementSite,
            id,
            None,
            Some(&to_value(&old)),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn hosting_interests(
        &self,
        municipality: Option<Kommunkod>,
        term: Option<Term>,
    ) -> Result<Vec<HostingInterest>, StoreError> {
        let mut f = Filters::default();
        f.eq("ps.municipality_code", municipality.map(|m| m.to_string()));
        f.eq("h.term", term.map(|t| t.to_string()));
        let mut conn = self.pool.acquire().await?;
        let rows = f
            .fetch(&mut conn, "SELECT h.site_id, h.term, h.interest, h.capacity, h.reason FROM vfu_hosting h JOIN placement_sites ps ON ps.id = h.site_id")
            .await?;
        let mut out = rows
            .iter()
            .map(|r| {
                let term: String = r.try_get("term")?;
                let interest: String = r.try_get("interest")?;
                Ok(HostingInterest {
                    site_id: r.try_get("site_id")?,
                    term: Term::parse(&term).map_err(|e| corrupt("term", e))?,
                    interest: Interest::parse(&interest).ok_or_else(|| corrupt("interest", &interest))?,
                    capacity: r.try_get::<i64, _>("capacity")? as u32,
                    reason: r.try_get("reason")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.sort_by(|a, b| a.site_id.cmp(&b.site_id).then(a.term.cmp(&b.term)));
        Ok(out)
    }

    async fn set_hosting_interest(&self, h: &HostingInterest, actor: &Actor) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let ctx = load_context(&mut tx, Some(&Refs::sites([&h.site_id]))).await?;
        check(validate_hosting(h, &ctx))?;
        sqlx::query(
            "INSERT INTO vfu_hosting (site_id, term, interest, capacity, reason, demo) VALUES ($1, $2, $3, $4, $5, 0)
             ON CONFLICT (site_id, term) DO UPDATE SET interest = excluded.interest, capacity = excluded.capacity, reason = excluded.reason, demo = 0",
        )
        .bind(&h.site_id)
        .bind(h.term.to_string())
        .bind(h.interest.as_str())
        .bind(i64::from(h.capacity))
        .bind(h.reason.trim())
        .execute(&mut *tx)
        .await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::HostingInterest,
            &format!("{}/{}", h.site_id, h.term),
            None,
            None,
            Some(&to_value(h)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_hosting_interest(&self, site_id: &str, term: Term, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT interest, capacity, reason FROM vfu_hosting WHERE site_id = $1 AND term = $2")
            .bind(site_id)
            .bind(term.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else { return Ok(false) };
        let interest: String = row.try_get("interest")?;
        let before = HostingInterest {
            site_id: site_id.to_string(),
            term,
            interest: Interest::parse(&interest).ok_or_else(|| corrupt("interest", &interest))?,
            capacity: row.try_get::<i64, _>("capacity")? as u32,
            reason: row.try_get("reason")?,
        };
        sqlx::query("DELETE FROM vfu_hosting WHERE site_id = $1 AND term = $2")
            .bind(site_id)
            .bind(term.to_string())
            .execute(&mut *tx)
            .await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Delete,
            AuditEntity::HostingInterest,
            &format!("{site_id}/{term}"),
            None,
            Some(&to_value(&before)),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn waiting_list(
        &self,
        site_id: &str,
        period_id: &str,
    ) -> Result<Vec<kkig_core::vfu::lifecycle::WaitingCandidate>, StoreError> {
        let ctx = self.vfu_context().await?;
        let Some(&municipality) = ctx.sites.get(site_id) else {
            return Err(problem(
                "site_id",
                FieldProblem::NoSite {
                    id: site_id.to_string(),
                },
            ));
        };
        let students = self
            .vfu_students(&StudentFilter {
                period_id: Some(period_id.to_string()),
                ..Default::default()
            })
            .await?;
        let placements = self
            .placements(&PlacementFilter {
                period_id: Some(period_id.to_string()),
                ..Default::default()
            })
            .await?;
        Ok(kkig_core::vfu::lifecycle::waiting_list_for(
            site_id,
            municipality,
            &students,
            &placements,
            |id| ctx.sites.get(id).copied(),
        ))
    }

    async fn supervisors(&self, municipality: Option<Kommunkod>) -> Result<Vec<Supervisor>, StoreError> {
        let mut f = Filters::default();
        f.eq("s.municipality_code", municipality.map(|m| m.to_string()));
        let mut conn = self.pool.acquire().await?;
        let mut out = f
            .fetch(&mut conn, SUPERVISOR_SELECT)
            .await?
            .iter()
            .map(supervisor_from)
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by(|a, b| {
            a.municipality
                .cmp(&b.municipality)
                .then_with(|| swedish_cmp(&a.name, &b.name))
                .then(a.id.cmp(&b.id))
        });
        Ok(out)
    }

    async fn supervisor(&self, id: &str) -> Result<Option<Supervisor>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        get_supervisor(&mut conn, id).await
    }

    async fn create_supervisor(&self, s: &Supervisor, actor: &Actor) -> Result<Supervisor, StoreError> {
        let mut tx = self.begin_write().await?;
        let ctx = load_context(&mut tx, Some(&Refs::supervisors([s]))).await?;
        check(validate_supervisor(s, &ctx))?;
        let (saved, _) = save_supervisor_in(&mut tx, s, None, false, actor).await?;
        tx.commit().await?;
        Ok(saved)
    }

    async fn update_supervisor(&self, s: &Supervisor, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(old) = get_supervisor(&mut tx, &s.id).await? else {
            return Ok(false);
        };
        let ctx = load_context(&mut tx, Some(&Refs::supervisors([s]))).await?;
        check(validate_supervisor(s, &ctx))?;
        save_supervisor_in(&mut tx, s, Some(&old), false, actor).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn delete_supervisor(&self, id: &str, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(old) = get_supervisor(&mut tx, id).await? else {
            return Ok(false);
        };
        sqlx::query("UPDATE vfu_placements SET supervisor_id = NULL WHERE supervisor_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM vfu_supervisors WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Delete,
            AuditEntity::Supervisor,
            id,
            Some(&old.person_id),
            Some(&supervisor_audit(&old)),
            None,
        )
        .await?;
        drop_orphan_person(&mut tx, &old.person_id, actor).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn set_supervisor_invite(
        &self,
        id: &str,
        invite: InviteStatus,
        on: Day,
        university: Option<&str>,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(old) = get_supervisor(&mut tx, id).await? else {
            return Ok(false);
        };
        let mut s = old.clone();
        s.invite = invite;
        s.invite_date = Some(on);
        match invite {
            InviteStatus::Enrolled if s.training.level < TrainingLevel::CourseStarted => {
                s.training.level = TrainingLevel::CourseStarted;
                s.training.date = Some(on);
            }
            InviteStatus::Completed => {
                s.training.level = TrainingLevel::Completed;
                s.training.date = Some(on);
            }
            _ => {}
        }
        if let Some(u) = university {
            s.training.university = Some(u.to_string());
        }
        let ctx = load_context(&mut tx, Some(&Refs::supervisors([&s]))).await?;
        check(validate_supervisor(&s, &ctx))?;
        save_supervisor_in(&mut tx, &s, Some(&old), false, actor).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn vfu_periods(&self, university: Option<&str>) -> Result<Vec<VfuPeriod>, StoreError> {
        let mut f = Filters::default();
        f.eq("university_code", university.map(String::from));
        let mut conn = self.pool.acquire().await?;
        let mut out = f
            .fetch(&mut conn, PERIOD_SELECT)
            .await?
            .iter()
            .map(period_from)
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by(|a, b| {
            a.start
                .cmp(&b.start)
                .then(a.university.cmp(&b.university))
                .then(a.id.cmp(&b.id))
        });
        Ok(out)
    }

    async fn vfu_period(&self, id: &str) -> Result<Option<VfuPeriod>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        get_period(&mut conn, id).await
    }

    async fn create_vfu_period(&self, p: &VfuPeriod, actor: &Actor) -> Result<String, StoreError> {
        let mut tx = self.begin_write().await?;
        let ctx = load_context(&mut tx, Some(&Refs::periods([&p.id]))).await?;
        check(validate_period(p, &ctx))?;
        let mut p = p.clone();
        if p.id.is_empty() {
            p.id = new_id("per");
        } else if ctx.periods.contains_key(&p.id) {
            return Err(problem("id", FieldProblem::PeriodIdExists { id: p.id.clone() }));
        }
        write_period(&mut tx, &p, false).await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::VfuPeriod,
            &p.id,
            None,
            None,
            Some(&to_value(&p)),
        )
        .await?;
        tx.commit().await?;
        Ok(p.id)
    }

    async fn update_vfu_period(&self, p: &VfuPeriod, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(old) = get_period(&mut tx, &p.id).await? else {
            return Ok(false);
        };
        let ctx = load_context(&mut tx, Some(&Refs::periods([&p.id]))).await?;
        check(validate_period(p, &ctx))?;
        if old.field != p.field {
            let n: i64 = sqlx::query("SELECT COUNT(*) FROM vfu_students WHERE period_id = $1")
                .bind(&p.id)
                .fetch_one(&mut *tx)
                .await?
                .get(0);
            if n > 0 {
                return Err(problem("field", FieldProblem::FieldLocked { count: n }));
            }
        }
        if old != *p {
            write_period(&mut tx, p, false).await?;
            audit_in(
                &mut tx,
                actor,
                AuditAction::Update,
                AuditEntity::VfuPeriod,
                &p.id,
                None,
                Some(&to_value(&old)),
                Some(&to_value(p)),
            )
            .await?;
            if old.end != p.end {
                let persons: Vec<String> = sqlx::query("SELECT person_id FROM vfu_students WHERE period_id = $1")
                    .bind(&p.id)
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(|r| r.get(0))
                    .collect();
                for person in persons {
                    refresh_last_period_end(&mut tx, &person).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn delete_vfu_period(&self, id: &str, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(old) = get_period(&mut tx, id).await? else {
            return Ok(false);
        };
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM vfu_students WHERE period_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .get(0);
        if n > 0 {
            return Err(problem(
                "id",
                FieldProblem::PeriodHasStudents {
                    id: id.to_string(),
                    count: n,
                },
            ));
        }
        sqlx::query("DELETE FROM vfu_periods WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Delete,
            AuditEntity::VfuPeriod,
            id,
            None,
            Some(&to_value(&old)),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn vfu_students(&self, filter: &StudentFilter) -> Result<Vec<VfuStudent>, StoreError> {
        let mut f = Filters::default();
        f.eq("s.period_id", filter.period_id.clone());
        f.eq("v.university_code", filter.university.clone());
        f.eq("p.municipality_code", filter.home_municipality.map(|m| m.to_string()));
        f.eq("s.person_id", filter.person_id.clone());
        let mut conn = self.pool.acquire().await?;
        let mut out = f
            .fetch(&mut conn, STUDENT_SELECT)
            .await?
            .iter()
            .map(student_from)
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by(|a, b| {
            a.period_id
                .cmp(&b.period_id)
                .then_with(|| swedish_cmp(&a.name, &b.name))
                .then(a.id.cmp(&b.id))
        });
        Ok(out)
    }

    async fn vfu_student(&self, id: &str) -> Result<Option<VfuStudent>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        get_student(&mut conn, id).await
    }

    async fn create_vfu_student(&self, s: &VfuStudent, actor: &Actor) -> Result<VfuStudent, StoreError> {
        let mut tx = self.begin_write().await?;
        let ctx = load_context(&mut tx, Some(&Refs::students([s]))).await?;
        check(validate_student(s, &ctx))?;
        let (saved, _) = save_student_in(&mut tx, s, None, false, actor).await?;
        tx.commit().await?;
        Ok(saved)
    }

    async fn update_vfu_student(&self, s: &VfuStudent, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(old) = get_student(&mut tx, &s.id).await? else {
            return Ok(false);
        };
        let ctx = load_context(&mut tx, Some(&Refs::students([s]))).await?;
        check(validate_student(s, &ctx))?;
        save_student_in(&mut tx, s, Some(&old), false, actor).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn delete_vfu_student(&self, id: &str, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(old) = get_student(&mut tx, id).await? else {
            return Ok(false);
        };
        let placements: Vec<String> = sqlx::query("SELECT id FROM vfu_placements WHERE student_id = $1")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        for pl in &placements {
            sqlx::query("DELETE FROM vfu_placements WHERE id = $1")
                .bind(pl)
                .execute(&mut *tx)
                .await?;
            audit_in(
                &mut tx,
                actor,
                AuditAction::Delete,
                AuditEntity::Placement,
                pl,
                Some(&old.person_id),
                None,
                None,
            )
            .await?;
        }
        sqlx::query("DELETE FROM vfu_students WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Delete,
            AuditEntity::VfuStudent,
            id,
            Some(&old.person_id),
            Some(&student_audit(&old)),
            None,
        )
        .await?;
        refresh_last_period_end(&mut tx, &old.person_id).await?;
        drop_orphan_person(&mut tx, &old.person_id, actor).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn placements(&self, filter: &PlacementFilter) -> Result<Vec<Placement>, StoreError> {
        let f = placement_filters(filter);
        let mut conn = self.pool.acquire().await?;
        let mut out = f
            .fetch(&mut conn, PLACEMENT_SELECT)
            .await?
            .iter()
            .map(placement_from)
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    async fn placement(&self, id: &str) -> Result<Option<Placement>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        get_placement(&mut conn, id).await
    }

    async fn placement_lines(&self, filter: &PlacementFilter) -> Result<Vec<PlacementLine>, StoreError> {
        let f = placement_filters(filter);
        let base = "SELECT pl.id, pl.status, pl.waiting_for_better, pl.site_id, ps.name AS site_name, ps.municipality_code AS site_municipality,
              sp.name AS student_name, sp.email AS student_email, sp.municipality_code AS home_municipality, v.id AS period_id,
              v.university_code, v.programme, v.course_code, v.field, v.start_date, v.end_date, up.name AS supervisor_name, up.email AS supervisor_email
            FROM vfu_placements pl JOIN vfu_students s ON s.id = pl.student_id JOIN persons sp ON sp.id = s.person_id
            JOIN vfu_periods v ON v.id = s.period_id JOIN placement_sites ps ON ps.id = pl.site_id
            LEFT JOIN vfu_supervisors sup ON sup.id = pl.supervisor_id LEFT JOIN persons up ON up.id = sup.person_id";
        let mut conn = self.pool.acquire().await?;
        let rows = f.fetch(&mut conn, base).await?;
        let mut out = rows
            .iter()
            .map(|r| {
                let status: String = r.try_get("status")?;
                Ok(PlacementLine {
                    placement_id: r.try_get("id")?,
                    status: PlacementStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
                    waiting_for_better: r.try_get::<i64, _>("waiting_for_better")? != 0,
                    site_id: r.try_get("site_id")?,
                    site_name: r.try_get("site_name")?,
                    site_municipality: kommunkod(r, "site_municipality")?,
                    student_name: r.try_get("student_name")?,
                    student_email: r.try_get::<Option<String>, _>("student_email")?.unwrap_or_default(),
                    home_municipality: kommunkod(r, "home_municipality")?,
                    period_id: r.try_get("period_id")?,
                    university: r.try_get("university_code")?,
                    programme: r.try_get("programme")?,
                    course_code: r.try_get("course_code")?,
                    field: field(r, "field")?,
                    start: day(r, "start_date")?,
                    end: day(r, "end_date")?,
                    supervisor_name: r.try_get("supervisor_name")?,
                    supervisor_email: r.try_get("supervisor_email")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.sort_by(|a, b| {
            a.site_municipality
                .cmp(&b.site_municipality)
                .then_with(|| swedish_cmp(&a.site_name, &b.site_name))
                .then(a.start.cmp(&b.start))
                .then_with(|| swedish_cmp(&a.student_name, &b.student_name))
                .then(a.placement_id.cmp(&b.placement_id))
        });
        Ok(out)
    }

    async fn create_placement(&self, p: &Placement, actor: &Actor) -> Result<String, StoreError> {
        let mut tx = self.begin_write().await?;
        if !matches!(p.status, PlacementStatus::Requested | PlacementStatus::Offered)
            || p.history.len() != 1
            || p.history[0].status != p.status
        {
            return Err(conflict(
                "status",
                "a new placement starts as requested or offered, with that one step in its history (Placement::start)"
                    .into(),
            ));
        }
        validate_placement(&mut tx, p).await?;
        let mut p = p.clone();
        if p.id.is_empty() {
            p.id = new_id("pl");
        }
        let person = student_person(&mut tx, &p.student_id).await?;
        write_placement(&mut tx, &p, false).await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::Placement,
            &p.id,
            person.as_deref(),
            None,
            Some(&to_value(&p)),
        )
        .await?;
        tx.commit().await?;
        Ok(p.id)
    }

    async fn update_placement(&self, p: &Placement, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(old) = get_placement(&mut tx, &p.id).await? else {
            return Ok(false);
        };
        let mut new = old.clone();
        new.site_id = p.site_id.clone();
        new.supervisor_id = p.supervisor_id.clone();
        new.waiting_for_better = p.waiting_for_better;
        new.note = p.note.trim().to_string();
        if p.status != old.status || p.student_id != old.student_id {
            return Err(conflict(
                "status",
                "status and student change only through transition_placement / a new placement".into(),
            ));
        }
        validate_placement(&mut tx, &new).await?;
        if new != old {
            let person = student_person(&mut tx, &new.student_id).await?;
            write_placement(&mut tx, &new, false).await?;
            audit_in(
                &mut tx,
                actor,
                AuditAction::Update,
                AuditEntity::Placement,
                &new.id,
                person.as_deref(),
                Some(&to_value(&old)),
                Some(&to_value(&new)),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn transition_placement(
        &self,
        id: &str,
        to: PlacementStatus,
        on: Day,
        actor: &Actor,
    ) -> Result<Placement, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(old) = get_placement(&mut tx, id).await? else {
            return Err(StoreError::Invalid(format!("no placement {id}")));
        };
        let mut new = old.clone();
        new.transition(to, on).map_err(|e| problem("status", e.into()))?;
        let person = student_person(&mut tx, &new.student_id).await?;
        write_placement(&mut tx, &new, false).await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::Placement,
            id,
            person.as_deref(),
            Some(&json!({"status": old.status})),
            Some(&json!({"status": to, "on": on})),
        )
        .await?;
        tx.commit().await?;
        Ok(new)
    }

    async fn delete_placement(&self, id: &str, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(old) = get_placement(&mut tx, id).await? else {
            return Ok(false);
        };
        let person = student_person(&mut tx, &old.student_id).await?;
        sqlx::query("DELETE FROM vfu_placements WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Delete,
            AuditEntity::Placement,
            id,
            person.as_deref(),
            Some(&to_value(&old)),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn import_placement_sites(&self, sites: &[PlacementSite], actor: &Actor) -> Result<ImportReport, StoreError> {
        let mut tx = self.begin_write().await?;
        let ctx = load_context(&mut tx, Some(&Refs::sites(sites.iter().map(|s| &s.id)))).await?;
        let mut errors: Vec<(usize, FieldError)> = Vec::new();
        for (i, s) in sites.iter().enumerate() {
            errors.extend(validate_site(s, &ctx).into_iter().map(|e| (i, e)));
        }
        for (i, first) in
            kkig_core::vfu::input::duplicates(sites.iter().filter(|s| !s.id.is_empty()).map(|s| s.id.clone()))
        {
            let _ = first;
            errors.push((i, FieldError::new("id", format!("id {} appears twice", sites[i].id))));
        }
        if !errors.is_empty() {
            return Err(items_error(errors));
        }
        let mut report = ImportReport::default();
        let mut changed = Vec::new();
        for s in sites {
            let mut s = s.clone();
            if s.id.is_empty() {
                s.id = new_id("site");
            }
            match get_site(&mut tx, &s.id).await? {
                Some(old) if old == s => {
                    report.unchanged += 1;
                    continue;
                }
                Some(_) => report.updated += 1,
                None => report.created += 1,
            }
            write_site(&mut tx, &s, false).await?;
            changed.push(s.id);
        }
        if !changed.is_empty() {
            let summary = json!({"created": report.created, "updated": report.updated, "unchanged": report.unchanged, "ids": changed});
            audit_in(
                &mut tx,
                actor,
                AuditAction::Import,
                AuditEntity::PlacementSites,
                &format!("{} sites", sites.len()),
                None,
                None,
                Some(&summary),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(report)
    }

    async fn import_vfu_periods(&self, items: &[VfuPeriod], actor: &Actor) -> Result<ImportReport, StoreError> {
        let mut tx = self.begin_write().await?;
        let ctx = load_context(&mut tx, Some(&Refs::periods(items.iter().map(|p| &p.id)))).await?;
        let mut errors: Vec<(usize, FieldError)> = Vec::new();
        for (i, p) in items.iter().enumerate() {
            errors.extend(validate_period(p, &ctx).into_iter().map(|e| (i, e)));
        }
        for (i, _) in kkig_core::vfu::input::duplicates(items.iter().filter(|p| !p.id.is_empty()).map(|p| p.id.clone()))
        {
            errors.push((i, FieldError::new("id", format!("id {} appears twice", items[i].id))));
        }
        if !errors.is_empty() {
            return Err(items_error(errors));
        }
        let mut report = ImportReport::default();
        for (i, p) in items.iter().enumerate() {
            let mut p = p.clone();
            if p.id.is_empty() {
                p.id = new_id("per");
            }
            let old = get_period(&mut tx, &p.id).await?;
            match &old {
                Some(old) if *old == p => {
                    report.unchanged += 1;
                    continue;
                }
                Some(old) => {
                    let n: i64 = sqlx::query("SELECT COUNT(*) FROM vfu_students WHERE period_id = $1")
                        .bind(&p.id)
                        .fetch_one(&mut *tx)
                        .await?
                        .get(0);
                    if old.field != p.field && n > 0 {
                        return Err(items_error(vec![(
                            i,
                            FieldError::new(
                                "field",
                                format!("the field cannot change while {n} student(s) are on the period"),
                            ),
                        )]));
                    }
                    report.updated += 1;
                }
                None => report.created += 1,
            }
            write_period(&mut tx, &p, false).await?;
            audit_in(
                &mut tx,
                actor,
                if old.is_some() {
                    AuditAction::Update
                } else {
                    AuditAction::Create
                },
                AuditEntity::VfuPeriod,
                &p.id,
                None,
                old.as_ref().map(to_value).as_ref(),
                Some(&to_value(&p)),
            )
            .await?;
            if old.as_ref().is_some_and(|o| o.end != p.end) {
                let persons: Vec<String> = sqlx::query("SELECT person_id FROM vfu_students WHERE period_id = $1")
                    .bind(&p.id)
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(|r| r.get(0))
                    .collect();
                for person in persons {
                    refresh_last_period_end(&mut tx, &person).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(report)
    }

    async fn import_supervisors(&self, items: &[Supervisor], actor: &Actor) -> Result<ImportReport, StoreError> {
        let mut tx = self.begin_write().await?;
        let ctx = load_context(&mut tx, Some(&Refs::supervisors(items))).await?;
        let mut errors: Vec<(usize, FieldError)> = Vec::new();
        for (i, s) in items.iter().enumerate() {
            errors.extend(validate_supervisor(s, &ctx).into_iter().map(|e| (i, e)));
        }
        for (i, first) in kkig_core::vfu::input::duplicates(items.iter().map(|s| normalize_email(&s.email))) {
            errors.push((
                i,
                FieldError::new(
                    "email",
                    format!(
                        "e-mail {} appears twice (first in item {})",
                        normalize_email(&items[i].email),
                        first + 1
                    ),
                ),
            ));
        }
        if !errors.is_empty() {
            return Err(items_error(errors));
        }
        // An existing supervisor is matched by e-mail within the row's own municipality only.
        let existing: BTreeMap<(Kommunkod, String), Supervisor> = sqlx::query(SUPERVISOR_SELECT)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(supervisor_from)
            .map(|r| r.map(|s| ((s.municipality, s.email.clone()), s)))
            .collect::<Result<_, _>>()?;
        let mut report = ImportReport::default();
        for (i, s) in items.iter().enumerate() {
            let old = existing.get(&(s.municipality, normalize_email(&s.email)));
            let result = save_supervisor_in(&mut tx, s, old, false, actor).await;
            match result {
                Ok((_, false)) => report.unchanged += 1,
                Ok((_, true)) if old.is_some() => report.updated += 1,
                Ok(_) => report.created += 1,
                Err(StoreError::Fields(e)) => return Err(items_error(e.into_iter().map(|e| (i, e)).collect())),
                Err(e) => return Err(e),
            }
        }
        tx.commit().await?;
        Ok(report)
    }

    async fn import_vfu_students(&self, items: &[VfuStudent], actor: &Actor) -> Result<ImportReport, StoreError> {
        let mut tx = self.begin_write().await?;
        let ctx = load_context(&mut tx, Some(&Refs::students(items))).await?;
        let mut errors: Vec<(usize, FieldError)> = Vec::new();
        for (i, s) in items.iter().enumerate() {
            errors.extend(validate_student(s, &ctx).into_iter().map(|e| (i, e)));
        }
        for (i, first) in
            kkig_core::vfu::input::duplicates(items.iter().map(|s| (s.period_id.clone(), normalize_email(&s.email))))
        {
            errors.push((
                i,
                FieldError::new(
                    "email",
                    format!(
                        "e-mail {} appears twice on period {} (first in item {})",
                        normalize_email(&items[i].email),
                        items[i].period_id,
                        first + 1
                    ),
                ),
            ));
        }
        if !errors.is_empty() {
            return Err(items_error(errors));
        }
        let existing: BTreeMap<(String, String), VfuStudent> = sqlx::query(STUDENT_SELECT)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(student_from)
            .map(|r| r.map(|s| ((s.period_id.clone(), s.email.clone()), s)))
            .collect::<Result<_, _>>()?;
        let mut report = ImportReport::default();
        for (i, s) in items.iter().enumerate() {
            let old = existing.get(&(s.period_id.clone(), normalize_email(&s.email)));
            match save_student_in(&mut tx, s, old, false, actor).await {
                Ok((_, false)) => report.unchanged += 1,
                Ok((_, true)) if old.is_some() => report.updated += 1,
                Ok(_) => report.created += 1,
                Err(StoreError::Fields(e)) => return Err(items_error(e.into_iter().map(|e| (i, e)).collect())),
                Err(e) => return Err(e),
            }
        }
        tx.commit().await?;
        Ok(report)
    }

    async fn training_need(&self, municipality: Kommunkod) -> Result<TrainingNeed, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let rows = sqlx::query("SELECT code, population, role FROM municipalities")
            .fetch_all(&mut *conn)
            .await?;
        let mut own = 0i64;
        let mut total = 0i64;
        for r in &rows {
            let role: String = r.try_get("role")?;
            if MunicipalityRole::parse(&role) == Some(MunicipalityRole::Participant) {
                let pop: i64 = r.try_get("population")?;
                total += pop;
                if kommunkod(r, "code")? == municipality {
                    own = pop;
                }
            }
        }
        drop(conn);
        let share = if total > 0 { own as f64 / total as f64 } else { 0.0 };
        let periods = self.vfu_periods(None).await?;
        let students = self.vfu_students(&StudentFilter::default()).await?;
        let supervisors = self.supervisors(Some(municipality)).await?;
        Ok(training_need(municipality, share, &periods, &students, &supervisors))
    }

    async fn compensation_basis(&self, municipality: Option<Kommunkod>) -> Result<Vec<CompensationRow>, StoreError> {
        let periods = self.vfu_periods(None).await?;
        let students = self.vfu_students(&StudentFilter::default()).await?;
        let filter = PlacementFilter {
            site_municipality: municipality,
            ..Default::default()
        };
        let placements = self.placements(&filter).await?;
        let ctx = self.vfu_context().await?;
        Ok(compensation_basis(&periods, &students, &placements, |id| {
            ctx.sites.get(id).copied()
        }))
    }

    async fn raci_model(&self, municipality: Kommunkod, programme: ProgrammeType) -> Result<RaciView, StoreError> {
        let rows = sqlx::query("SELECT task, role, cell FROM vfu_raci WHERE municipality_code = $1 AND programme = $2")
            .bind(municipality.to_string())
            .bind(programme.as_str())
            .fetch_all(&self.pool)
            .await?;
        let mut model = RaciModel::default_for(programme);
        if rows.is_empty() {
            return Ok(RaciView { model, adapted: false });
        }
        for row in model.rows.iter_mut() {
            row.cells = Default::default();
        }
        for r in &rows {
            let (task, role, cell): (String, String, String) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            let task = RaciTask::parse(&task).ok_or_else(|| corrupt("task", &task))?;
            let role = RaciRole::parse(&role).ok_or_else(|| corrupt("role", &role))?;
            model.set(task, role, RaciCell::parse(&cell).map_err(|e| corrupt("cell", e))?);
        }
        Ok(RaciView { model, adapted: true })
    }

    async fn save_raci_model(
        &self,
        municipality: Kommunkod,
        model: &RaciModel,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        check(model.validate())?;
        let mut tx = self.begin_write().await?;
        let known = sqlx::query("SELECT 1 FROM municipalities WHERE code = $1")
            .bind(municipality.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(problem(
                "municipality",
                FieldProblem::UnknownKommunkod {
                    code: municipality.to_string(),
                },
            ));
        }
        sqlx::query("DELETE FROM vfu_raci WHERE municipality_code = $1 AND programme = $2")
            .bind(municipality.to_string())
            .bind(model.programme.as_str())
            .execute(&mut *tx)
            .await?;
        for row in &model.rows {
            for role in RaciRole::ALL {
                let cell = row.cell(role);
                if cell.is_empty() {
                    continue;
                }
                sqlx::query(
                    "INSERT INTO vfu_raci (municipality_code, programme, task, role, cell) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(municipality.to_string())
                .bind(model.programme.as_str())
                .bind(row.task.as_str())
                .bind(role.as_str())
                .bind(cell.to_string())
                .execute(&mut *tx)
                .await?;
            }
        }
        let changes: Vec<Value> = model
            .changes_from_default()
            .iter()
            .map(|(t, r, c)| json!({"task": t.as_str(), "role": r.as_str(), "cell": c.to_string()}))
            .collect();
        audit_in(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::RaciModel,
            &format!("{municipality}/{}", model.programme.as_str()),
            None,
            None,
            Some(&json!({"changes_from_default": changes})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn reset_raci_model(
        &self,
        municipality: Kommunkod,
        programme: ProgrammeType,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM vfu_raci WHERE municipality_code = $1 AND programme = $2")
            .bind(municipality.to_string())
            .bind(programme.as_str())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        audit_in(
            &mut tx,
            actor,
            AuditAction::Delete,
            AuditEntity::RaciModel,
            &format!("{municipality}/{}", programme.as_str()),
            None,
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn vfu_contacts(&self, municipality: Option<Kommunkod>) -> Result<Vec<VfuContact>, StoreError> {
        let mut f = Filters::default();
        f.eq("c.municipality_code", municipality.map(|m| m.to_string()));
        let mut conn = self.pool.acquire().await?;
        let mut out = f
            .fetch(&mut conn, CONTACT_SELECT)
            .await?
            .iter()
            .map(contact_from)
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by(|a, b| {
            a.municipality
                .cmp(&b.municipality)
                .then(a.role.cmp(&b.role))
                .then_with(|| swedish_cmp(&a.name, &b.name))
        });
        Ok(out)
    }

    async fn create_vfu_contact(&self, c: &VfuContact, actor: &Actor) -> Result<VfuContact, StoreError> {
        check(validate_contact(c))?;
        let mut tx = self.begin_write().await?;
        let ctx = load_context(&mut tx, Some(&Refs::default())).await?;
        if !ctx.knows_municipality(c.municipality) {
            return Err(problem(
                "municipality",
                FieldProblem::UnknownKommunkod {
                    code: c.municipality.to_string(),
                },
            ));
        }
        let found = takeable_by_email(
            &mut tx,
            &c.email,
            RecordScope::Contact {
                municipality: c.municipality,
            },
        )
        .await?;
        let person = take_person(
            &mut tx,
            found,
            "staff",
            &c.name,
            &c.email,
            Some(&c.phone),
            c.municipality,
            actor,
        )
        .await?;
        let mut saved = c.clone();
        saved.id = if c.id.is_empty() { new_id("con") } else { c.id.clone() };
        saved.person_id = person;
        saved.email = normalize_email(&c.email);
        sqlx::query("INSERT INTO vfu_contacts (id, person_id, municipality_code, role, programme, title, demo, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7)")
            .bind(&saved.id)
            .bind(&saved.person_id)
            .bind(saved.municipality.to_string())
            .bind(saved.role.as_str())
            .bind(saved.programme.map(|p| p.as_str()))
            .bind(saved.title.trim())
            .bind(now_unix())
            .execute(&mut *tx)
            .await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::VfuContact,
            &saved.id,
            Some(&saved.person_id),
            None,
            Some(&json!({"role": saved.role, "programme": saved.programme, "title": saved.title})),
        )
        .await?;
        tx.commit().await?;
        Ok(saved)
    }

    async fn update_vfu_contact(&self, c: &VfuContact, actor: &Actor) -> Result<bool, StoreError> {
        check(validate_contact(c))?;
        let mut tx = self.begin_write().await?;
        let Some(old) = get_contact(&mut tx, &c.id).await? else {
            return Ok(false);
        };
        let record = RecordScope::Contact {
            municipality: c.municipality,
        };
        let me = check_update(&mut tx, &old.person_id, &c.email, record, Except::Contact(&old.id)).await?;
        check(login_data_errors(&mut tx, &me, Some(&c.name), Some(&c.email), actor).await?)?;
        if normalize_email(&c.email) != old.email {
            let email = normalize_email(&c.email);
            sqlx::query("UPDATE persons SET email = $1, updated_at = $2 WHERE id = $3")
                .bind(&email)
                .bind(now_unix())
                .bind(&old.person_id)
                .execute(&mut *tx)
                .await?;
            let (before, after) = (json!({"email": old.email}), json!({"email": email}));
            audit_in(
                &mut tx,
                actor,
                AuditAction::Update,
                AuditEntity::Person,
                &old.person_id,
                Some(&old.person_id),
                Some(&before),
                Some(&after),
            )
            .await?;
        }
        update_person(&mut tx, &old.person_id, &c.name, Some(&c.phone), c.municipality, actor).await?;
        sqlx::query("UPDATE vfu_contacts SET municipality_code = $1, role = $2, programme = $3, title = $4, updated_at = $5 WHERE id = $6")
            .bind(c.municipality.to_string())
            .bind(c.role.as_str())
            .bind(c.programme.map(|p| p.as_str()))
            .bind(c.title.trim())
            .bind(now_unix())
            .bind(&c.id)
            .execute(&mut *tx)
            .await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::VfuContact,
            &c.id,
            Some(&old.person_id),
            Some(&json!({"role": old.role, "programme": old.programme, "title": old.title})),
            Some(&json!({"role": c.role, "programme": c.programme, "title": c.title})),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn delete_vfu_contact(&self, id: &str, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(old) = get_contact(&mut tx, id).await? else {
            return Ok(false);
        };
        sqlx::query("DELETE FROM vfu_contacts WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Delete,
            AuditEntity::VfuContact,
            id,
            Some(&old.person_id),
            None,
            None,
        )
        .await?;
        drop_orphan_person(&mut tx, &old.person_id, actor).await?;
        tx.commit().await?;
        Ok(true)
    }
}

fn placement_filters(filter: &PlacementFilter) -> Filters {
    let mut f = Filters::default();
    f.eq("s.period_id", filter.period_id.clone());
    f.eq("v.university_code", filter.university.clone());
    f.eq("ps.municipality_code", filter.site_municipality.map(|m| m.to_string()));
    f.eq("pl.site_id", filter.site_id.clone());
    f.eq("pl.student_id", filter.student_id.clone());
    f.eq("pl.supervisor_id", filter.supervisor_id.clone());
    f
}

/// The VFU registry's part of the demo world and of a person's data ([`crate::db::parts`]).
pub(crate) struct Part;

#[async_trait]
impl crate::db::parts::Part for Part {
    fn name(&self) -> &'static str {
        "vfu"
    }

    fn real_rows_sql(&self) -> Option<&'static str> {
        Some("SELECT (SELECT COUNT(*) FROM placement_sites WHERE demo = 0) + (SELECT COUNT(*) FROM vfu_supervisors WHERE demo = 0)
                  + (SELECT COUNT(*) FROM vfu_periods WHERE demo = 0)")
    }

    async fn load_demo(
        &self,
        tx: &mut Tx,
        _: crate::Backend,
        world: &kkig_core::demo::DemoWorld,
    ) -> Result<(), StoreError> {
        for s in &world.placement_sites {
            write_site(tx, s, true).await?;
        }
        load_demo_vfu(tx, &world.vfu).await
    }

    async fn export_person(&self, store: &SqlStore, person_id: &str) -> Result<Option<Value>, StoreError> {
        Ok(Some(export_person_vfu(store, person_id).await?))
    }

    async fn erase_person(&self, tx: &mut Tx, person_id: &str) -> Result<(), StoreError> {
        erase_person_vfu(tx, person_id).await
    }
}
