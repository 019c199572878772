//! Who a person is, in the store: the facts [`kkig_core::vfu::identity`] decides on, read inside
//! the writing transaction, and the checks every registry write makes before it names a person
//! (`docs/accounts-and-privacy.md`, "Who a person is: e-mail and scope").
//!
//! A refusal because of another person is always the same answer on `email`
//! ([`FieldProblem::EmailUnusable`]), whatever the reason, so that it reveals nothing about them.

use kkig_core::access::Role;
use kkig_core::ids::{PeriodId, PersonId, StudentId, SupervisorId};
use kkig_core::vfu::identity::{may_change_login_data, may_take, Account, PersonKind, PersonTies, RecordScope};
use kkig_core::vfu::{FieldError, FieldProblem};
use kkig_core::Kommunkod;
use sqlx::{AnyConnection, Row};

use crate::accounts::sql::normalize_email;
use crate::db::corrupt;
use crate::{Actor, StoreError};

/// The record being written, which is left out of the person's ties: an update asks whether
/// the person's *other* records and accounts allow the record where it is going.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Except<'a> {
    Nothing,
    Supervisor(&'a SupervisorId),
    Student(&'a StudentId),
    Contact(&'a str),
}

/// A stored person with everything that refers to them.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub id: PersonId,
    pub name: String,
    pub email: Option<String>,
    pub municipality: Option<String>,
    pub ties: PersonTies,
}

/// The id of the person with this e-mail, if any.
pub(crate) async fn person_by_email(conn: &mut AnyConnection, email: &str) -> Result<Option<PersonId>, StoreError> {
    Ok(sqlx::query("SELECT id FROM persons WHERE email = $1")
        .bind(normalize_email(email))
        .fetch_optional(conn)
        .await?
        .map(|r| PersonId::new(r.get::<String, _>(0))))
}

fn kommunkod(s: &str, col: &str) -> Result<Kommunkod, StoreError> {
    Kommunkod::parse(s).map_err(|e| corrupt(col, e))
}

/// A person and their ties, leaving out `except`.
pub(crate) async fn person(conn: &mut AnyConnection, id: &PersonId, except: Except<'_>) -> Result<Person, StoreError> {
    let row = sqlx::query("SELECT name, email, kind, municipality_code FROM persons WHERE id = $1")
        .bind(id.as_str())
        .fetch_one(&mut *conn)
        .await?;
    let kind: String = row.try_get("kind")?;
    let mut ties = PersonTies::new(PersonKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?);
    for r in sqlx::query("SELECT role, scope FROM users WHERE person_id = $1")
        .bind(id.as_str())
        .fetch_all(&mut *conn)
        .await?
    {
        let role: String = r.try_get(0)?;
        ties.accounts.push(Account {
            role: Role::parse(&role).ok_or_else(|| corrupt("role", &role))?,
            scope: r.try_get(1)?,
        });
    }
    let students = sqlx::query("SELECT s.id, v.university_code FROM vfu_students s JOIN vfu_periods v ON v.id = s.period_id WHERE s.person_id = $1")
        .bind(id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    for r in students {
        if !matches!(except, Except::Student(x) if *x == r.get::<String, _>(0)) {
            ties.student_universities.push(r.try_get(1)?);
        }
    }
    for r in sqlx::query("SELECT id, municipality_code FROM vfu_supervisors WHERE person_id = $1")
        .bind(id.as_str())
        .fetch_all(&mut *conn)
        .await?
    {
        if !matches!(except, Except::Supervisor(x) if *x == r.get::<String, _>(0)) {
            ties.supervisor_municipalities
                .push(kommunkod(&r.try_get::<String, _>(1)?, "municipality_code")?);
        }
    }
    for r in sqlx::query("SELECT id, municipality_code FROM vfu_contacts WHERE person_id = $1")
        .bind(id.as_str())
        .fetch_all(&mut *conn)
        .await?
    {
        if !matches!(except, Except::Contact(x) if x == r.get::<String, _>(0)) {
            ties.contact_municipalities
                .push(kommunkod(&r.try_get::<String, _>(1)?, "municipality_code")?);
        }
    }
    Ok(Person {
        id: id.clone(),
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        municipality: row.try_get("municipality_code")?,
        ties,
    })
}

fn unusable() -> StoreError {
    StoreError::Fields(vec![FieldError::of("email", FieldProblem::EmailUnusable)])
}

/// The person a new record kept in `record`'s scope takes by its e-mail: `None` when nobody has
/// the e-mail; refused with [`FieldProblem::EmailUnusable`] when the rule does not allow it.
pub(crate) async fn takeable_by_email(
    conn: &mut AnyConnection,
    email: &str,
    record: RecordScope<'_>,
) -> Result<Option<Person>, StoreError> {
    let Some(id) = person_by_email(&mut *conn, email).await? else {
        return Ok(None);
    };
    let p = person(conn, &id, Except::Nothing).await?;
    if !may_take(&p.ties, record) {
        return Err(unusable());
    }
    Ok(Some(p))
}

/// An update of a record of `person_id`: a new e-mail must not be another person's, and the
/// person's other records and accounts must allow the record where it now is (a record does not
/// carry a coordinator or another scope's person into its scope). Refused with
/// [`FieldProblem::EmailUnusable`]; returns the person.
pub(crate) async fn check_update(
    conn: &mut AnyConnection,
    person_id: &PersonId,
    new_email: &str,
    record: RecordScope<'_>,
    except: Except<'_>,
) -> Result<Person, StoreError> {
    if let Some(other) = person_by_email(&mut *conn, new_email).await? {
        if other != *person_id {
            return Err(unusable());
        }
    }
    let p = person(conn, person_id, except).await?;
    if !may_take(&p.ties, record) {
        return Err(unusable());
    }
    Ok(p)
}

/// Field errors for a registry write that would change the login data of an account holder:
/// the e-mail (`email`) or the name (`name`), unless `actor` is the person's own user or an
/// administrator. `None` leaves that value as it is.
pub(crate) async fn login_data_errors(
    conn: &mut AnyConnection,
    p: &Person,
    name: Option<&str>,
    email: Option<&str>,
    actor: &Actor,
) -> Result<Vec<FieldError>, StoreError> {
    let email_changes = email.is_some_and(|e| Some(normalize_email(e)) != p.email);
    let name_changes = name.is_some_and(|n| n.trim() != p.name);
    if !(email_changes || name_changes) || !p.ties.holds_account() {
        return Ok(Vec::new());
    }
    let writer = match &actor.user_id {
        Some(id) => {
            sqlx::query("SELECT role, person_id FROM users WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(&mut *conn)
                .await?
        }
        None => None,
    };
    let writer = match &writer {
        Some(r) => {
            let role: String = r.try_get(0)?;
            Some((
                Role::parse(&role).ok_or_else(|| corrupt("role", &role))?,
                PersonId::new(r.try_get::<String, _>(1)?),
            ))
        }
        None => None,
    };
    if may_change_login_data(&p.id, &p.ties, writer.as_ref().map(|(r, id)| (*r, id))) {
        return Ok(Vec::new());
    }
    let mut errors = Vec::new();
    if email_changes {
        errors.push(FieldError::of("email", FieldProblem::EmailOfAccountHolder));
    }
    if name_changes {
        errors.push(FieldError::of("name", FieldProblem::NameOfAccountHolder));
    }
    Ok(errors)
}

/// The university of a period (the scope of a student record on it).
pub(crate) async fn period_university(conn: &mut AnyConnection, period_id: &PeriodId) -> Result<String, StoreError> {
    let row = sqlx::query("SELECT university_code FROM vfu_periods WHERE id = $1")
        .bind(period_id.as_str())
        .fetch_optional(conn)
        .await?;
    match row {
        Some(r) => Ok(r.try_get(0)?),
        None => Err(StoreError::Fields(vec![FieldError::of(
            "period_id",
            FieldProblem::NoPeriod {
                id: period_id.to_string(),
            },
        )])),
    }
}
