//! SQL of the VFU registry: placement sites, hosting interest, supervisors, periods, students,
//! placements, roles and responsibilities, contacts; imports in one transaction; the views.
//!
//! Personal data (name, e-mail, phone, home municipality) stays in `persons`; every change to a
//! supervisor, student or placement is audited with the person's id, so that erasure redacts it.
//! Students' `persons.last_period_end` is kept equal to the end of their last VFU period.
//!
//! One file per section of the registry, each with its trait and that trait's implementation
//! for [`SqlStore`]: `context` (what validation knows), `sites` (with hosting answers),
//! `supervisors`, `periods`, `students`, `placements` (with the waiting list), `imports`,
//! `views`, `raci` (with contacts); `persons` holds the persons behind the records and `part`
//! the registry's part of the demo world and of a person's data. [`VfuStore`] composes the
//! traits, as `Store` composes the capabilities'.

mod context;
mod imports;
mod part;
mod periods;
mod persons;
mod placements;
mod raci;
mod sites;
mod students;
mod supervisors;
mod views;

pub use context::VfuContextStore;
pub use imports::VfuImportStore;
pub use periods::VfuPeriodStore;
pub use placements::{PlacementFilter, VfuPlacementStore};
pub use raci::{RaciView, VfuRaciStore};
pub use sites::VfuSiteStore;
pub use students::{StudentFilter, VfuStudentStore};
pub use supervisors::VfuSupervisorStore;
pub use views::VfuViewStore;

pub(crate) use part::Part;
pub(crate) use placements::{placement_from, write_placement};
pub(crate) use sites::site_from;

// Each section sees the others' helpers (and the imports and helpers below) through `use super::*`.
use context::*;
use periods::*;
use persons::*;
use placements::*;
use raci::*;
use sites::*;
use students::*;
use supervisors::*;

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use kkig_core::ids::{PeriodId, PersonId, PlacementId, SiteId, StudentId, SupervisorId};
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
use crate::db::{corrupt, id_at, now_unix, opt_id_at, NullableF64, SqlStore};
use crate::{Actor, StoreError};

type Tx = Transaction<'static, Any>;

/// The VFU registry's part of the store: one trait per section of the registry, composed.
/// `Store` requires it, so every store has it; a `dyn Store` calls its methods without imports,
/// code that holds a `SqlStore` brings the traits into scope with `use kkig_store::prelude::*`.
pub trait VfuStore:
    VfuContextStore
    + VfuSiteStore
    + VfuSupervisorStore
    + VfuPeriodStore
    + VfuStudentStore
    + VfuPlacementStore
    + VfuImportStore
    + VfuViewStore
    + VfuRaciStore
{
}

impl<T> VfuStore for T where
    T: VfuContextStore
        + VfuSiteStore
        + VfuSupervisorStore
        + VfuPeriodStore
        + VfuStudentStore
        + VfuPlacementStore
        + VfuImportStore
        + VfuViewStore
        + VfuRaciStore
{
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
