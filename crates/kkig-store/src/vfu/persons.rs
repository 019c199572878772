//! The persons behind supervisors, students and contacts: taken or created, updated and audited,
//! a student's retention date, and persons nothing refers to any more.

use super::*;

/// The person for a new supervisor, student or contact: `found` (the person with its e-mail,
/// which the rule of `crate::accounts::identity::takeable_by_email` let the record take; their name, phone
/// and municipality updated, audited when changed — an account holder's name only by themself
/// or an administrator), or a new person of `kind`.
#[allow(clippy::too_many_arguments)]
pub(super) async fn take_person(
    tx: &mut Tx,
    found: Option<crate::accounts::identity::Person>,
    kind: &str,
    name: &str,
    email: &str,
    phone: Option<&str>,
    municipality: Kommunkod,
    actor: &Actor,
) -> Result<PersonId, StoreError> {
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
                    .bind(id.as_str())
                    .execute(&mut **tx)
                    .await?;
            }
            Ok(id)
        }
    }
}

pub(super) async fn update_person(
    tx: &mut Tx,
    id: &PersonId,
    name: &str,
    phone: Option<&str>,
    municipality: Kommunkod,
    actor: &Actor,
) -> Result<(), StoreError> {
    let r = sqlx::query("SELECT name, phone, municipality_code FROM persons WHERE id = $1")
        .bind(id.as_str())
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
        .bind(id.as_str())
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
pub(super) async fn refresh_last_period_end(tx: &mut Tx, person_id: &PersonId) -> Result<(), StoreError> {
    let end: Option<String> = sqlx::query(
        "SELECT MAX(v.end_date) FROM vfu_students s JOIN vfu_periods v ON v.id = s.period_id WHERE s.person_id = $1",
    )
    .bind(person_id.as_str())
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    sqlx::query("UPDATE persons SET last_period_end = $1 WHERE id = $2 AND kind = 'student'")
        .bind(&end)
        .bind(person_id.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Remove a person nothing refers to any more (no account, no VFU record).
pub(super) async fn drop_orphan_person(tx: &mut Tx, person_id: &PersonId, actor: &Actor) -> Result<(), StoreError> {
    let refs: i64 = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM users WHERE person_id = $1) + (SELECT COUNT(*) FROM vfu_students WHERE person_id = $1)
              + (SELECT COUNT(*) FROM vfu_supervisors WHERE person_id = $1) + (SELECT COUNT(*) FROM vfu_contacts WHERE person_id = $1)",
    )
    .bind(person_id.as_str())
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    if refs == 0 {
        sqlx::query("DELETE FROM persons WHERE id = $1")
            .bind(person_id.as_str())
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
