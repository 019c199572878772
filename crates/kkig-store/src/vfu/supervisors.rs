//! Supervisors: their record, their person (taken by e-mail as `kkig_core::vfu::identity`
//! allows), training and invitation.

use super::*;

pub(super) const SUPERVISOR_SELECT: &str = "SELECT s.id, s.person_id, p.name, p.email, p.phone, s.municipality_code, s.site_id, s.fields,
    s.employment_percent, s.training, s.training_date, s.training_university, s.students_per_period, s.unavailable_terms,
    s.consent_contact, s.invite, s.invite_date
    FROM vfu_supervisors s JOIN persons p ON p.id = s.person_id";

pub(super) fn supervisor_from(row: &AnyRow) -> Result<Supervisor, StoreError> {
    let training: String = row.try_get("training")?;
    let invite: String = row.try_get("invite")?;
    let terms: String = row.try_get("unavailable_terms")?;
    Ok(Supervisor {
        id: id_at(row, "id")?,
        person_id: id_at(row, "person_id")?,
        name: row.try_get("name")?,
        email: row.try_get::<Option<String>, _>("email")?.unwrap_or_default(),
        phone: row.try_get::<Option<String>, _>("phone")?.unwrap_or_default(),
        municipality: kommunkod(row, "municipality_code")?,
        site_id: opt_id_at(row, "site_id")?,
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

pub(super) async fn get_supervisor(
    conn: &mut AnyConnection,
    id: &SupervisorId,
) -> Result<Option<Supervisor>, StoreError> {
    one(
        conn,
        &format!("{SUPERVISOR_SELECT} WHERE s.id = $1"),
        id.as_str(),
        supervisor_from,
    )
    .await
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
    .bind(s.id.as_str())
    .bind(s.person_id.as_str())
    .bind(s.municipality.to_string())
    .bind(s.site_id.as_ref().map(SiteId::as_str))
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

/// Create or (when `existing` is given) update a supervisor inside a transaction; returns it
/// with ids and whether anything changed.
pub(super) async fn save_supervisor_in(
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
                    .bind(old.person_id.as_str())
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
                    .bind(p.id.as_str())
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
            saved.id = if s.id.is_empty() {
                SupervisorId::new(new_id("sup"))
            } else {
                s.id.clone()
            };
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

/// Supervisors.
#[async_trait]
pub trait VfuSupervisorStore: Send + Sync {
    /// Supervisors of one municipality or all, by municipality and name.
    async fn supervisors(&self, municipality: Option<Kommunkod>) -> Result<Vec<Supervisor>, StoreError>;
    async fn supervisor(&self, id: &SupervisorId) -> Result<Option<Supervisor>, StoreError>;
    /// Create a supervisor and their person (or take the person with that e-mail, as
    /// `kkig_core::vfu::identity` allows; else `EmailUnusable`); returns it with its ids.
    /// `SupervisorExists` when the person already has a supervisor record.
    async fn create_supervisor(&self, s: &Supervisor, actor: &Actor) -> Result<Supervisor, StoreError>;
    async fn update_supervisor(&self, s: &Supervisor, actor: &Actor) -> Result<bool, StoreError>;
    async fn delete_supervisor(&self, id: &SupervisorId, actor: &Actor) -> Result<bool, StoreError>;
    /// Mark a supervisor invited / enrolled / completed (completed also records the training
    /// as completed on that day).
    async fn set_supervisor_invite(
        &self,
        id: &SupervisorId,
        invite: InviteStatus,
        on: Day,
        university: Option<&str>,
        actor: &Actor,
    ) -> Result<bool, StoreError>;
}

#[async_trait]
impl VfuSupervisorStore for SqlStore {
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

    async fn supervisor(&self, id: &SupervisorId) -> Result<Option<Supervisor>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        get_supervisor(&mut conn, id).await
    }

    async fn create_supervisor(&self, s: &Supervisor, actor: &Actor) -> Result<Supervisor, StoreError> {
        let mut tx = self.begin_write().await?;
        let ctx = load_context(&mut tx, Some(&VfuRefs::of_supervisors([s]))).await?;
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
        let ctx = load_context(&mut tx, Some(&VfuRefs::of_supervisors([s]))).await?;
        check(validate_supervisor(s, &ctx))?;
        save_supervisor_in(&mut tx, s, Some(&old), false, actor).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn delete_supervisor(&self, id: &SupervisorId, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(old) = get_supervisor(&mut tx, id).await? else {
            return Ok(false);
        };
        sqlx::query("UPDATE vfu_placements SET supervisor_id = NULL WHERE supervisor_id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM vfu_supervisors WHERE id = $1")
            .bind(id.as_str())
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
        id: &SupervisorId,
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
        let ctx = load_context(&mut tx, Some(&VfuRefs::of_supervisors([&s]))).await?;
        check(validate_supervisor(&s, &ctx))?;
        save_supervisor_in(&mut tx, &s, Some(&old), false, actor).await?;
        tx.commit().await?;
        Ok(true)
    }
}
