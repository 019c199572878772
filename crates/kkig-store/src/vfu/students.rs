//! Students on VFU periods: their record, their person (taken by e-mail as
//! `kkig_core::vfu::identity` allows), and their retention date.

use super::*;

/// Which students to list; every filter that is set must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StudentFilter {
    pub period_id: Option<PeriodId>,
    pub university: Option<String>,
    pub home_municipality: Option<Kommunkod>,
    pub person_id: Option<PersonId>,
}

pub(super) const STUDENT_SELECT: &str =
    "SELECT s.id, s.person_id, s.period_id, p.name, p.email, p.municipality_code, s.home_lat, s.home_lon,
    s.field, s.subjects, s.wishes, s.needs, s.requirements
    FROM vfu_students s JOIN persons p ON p.id = s.person_id JOIN vfu_periods v ON v.id = s.period_id";

pub(super) fn student_from(row: &AnyRow) -> Result<VfuStudent, StoreError> {
    let lat: Option<f64> = row.try_get("home_lat")?;
    let lon: Option<f64> = row.try_get("home_lon")?;
    let subjects: String = row.try_get("subjects")?;
    Ok(VfuStudent {
        id: id_at(row, "id")?,
        person_id: id_at(row, "person_id")?,
        period_id: id_at(row, "period_id")?,
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

pub(super) async fn get_student(conn: &mut AnyConnection, id: &StudentId) -> Result<Option<VfuStudent>, StoreError> {
    one(
        conn,
        &format!("{STUDENT_SELECT} WHERE s.id = $1"),
        id.as_str(),
        student_from,
    )
    .await
}

pub(crate) async fn write_student(tx: &mut Tx, s: &VfuStudent, demo: bool) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO vfu_students (id, period_id, person_id, home_lat, home_lon, field, subjects, wishes, needs, requirements, demo, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (id) DO UPDATE SET period_id = excluded.period_id, home_lat = excluded.home_lat, home_lon = excluded.home_lon,
           field = excluded.field, subjects = excluded.subjects, wishes = excluded.wishes, needs = excluded.needs,
           requirements = excluded.requirements, demo = excluded.demo, updated_at = excluded.updated_at",
    )
    .bind(s.id.as_str())
    .bind(s.period_id.as_str())
    .bind(s.person_id.as_str())
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

fn student_audit(s: &VfuStudent) -> Value {
    let mut v = to_value(s);
    if let Some(o) = v.as_object_mut() {
        for k in ["name", "email"] {
            o.remove(k);
        }
    }
    v
}

pub(super) async fn save_student_in(
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
                    Some(&json!({"email": old.email})),
                    Some(&json!({"email": saved.email})),
                )
                .await?;
            }
            if saved.period_id != old.period_id {
                let taken = sqlx::query("SELECT 1 FROM vfu_students WHERE period_id = $1 AND person_id = $2")
                    .bind(saved.period_id.as_str())
                    .bind(saved.person_id.as_str())
                    .fetch_optional(&mut **tx)
                    .await?;
                if taken.is_some() {
                    return Err(problem(
                        "email",
                        FieldProblem::AlreadyOnPeriod {
                            email: saved.email.clone(),
                            period: saved.period_id.to_string(),
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
                    .bind(saved.period_id.as_str())
                    .bind(p.id.as_str())
                    .fetch_optional(&mut **tx)
                    .await?;
                if taken.is_some() {
                    return Err(problem(
                        "email",
                        FieldProblem::StudentOnPeriod {
                            email: saved.email.clone(),
                            period: saved.period_id.to_string(),
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
            saved.id = if s.id.is_empty() {
                StudentId::new(new_id("stu"))
            } else {
                s.id.clone()
            };
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

/// Students on VFU periods.
#[async_trait]
pub trait VfuStudentStore: Send + Sync {
    async fn vfu_students(&self, filter: &StudentFilter) -> Result<Vec<VfuStudent>, StoreError>;
    async fn vfu_student(&self, id: &StudentId) -> Result<Option<VfuStudent>, StoreError>;
    /// Put a student on a period (the person is created, or taken by e-mail as
    /// `kkig_core::vfu::identity` allows). `StudentOnPeriod` when the e-mail is already on it.
    async fn create_vfu_student(&self, s: &VfuStudent, actor: &Actor) -> Result<VfuStudent, StoreError>;
    async fn update_vfu_student(&self, s: &VfuStudent, actor: &Actor) -> Result<bool, StoreError>;
    /// Removes the student's placements too; the person goes when nothing else refers to them.
    async fn delete_vfu_student(&self, id: &StudentId, actor: &Actor) -> Result<bool, StoreError>;
}

#[async_trait]
impl VfuStudentStore for SqlStore {
    async fn vfu_students(&self, filter: &StudentFilter) -> Result<Vec<VfuStudent>, StoreError> {
        let mut f = Filters::default();
        f.eq("s.period_id", filter.period_id.clone().map(String::from));
        f.eq("v.university_code", filter.university.clone());
        f.eq("p.municipality_code", filter.home_municipality.map(|m| m.to_string()));
        f.eq("s.person_id", filter.person_id.clone().map(String::from));
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

    async fn vfu_student(&self, id: &StudentId) -> Result<Option<VfuStudent>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        get_student(&mut conn, id).await
    }

    async fn create_vfu_student(&self, s: &VfuStudent, actor: &Actor) -> Result<VfuStudent, StoreError> {
        let mut tx = self.begin_write().await?;
        let ctx = load_context(&mut tx, Some(&VfuRefs::of_students([s]))).await?;
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
        let ctx = load_context(&mut tx, Some(&VfuRefs::of_students([s]))).await?;
        check(validate_student(s, &ctx))?;
        save_student_in(&mut tx, s, Some(&old), false, actor).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn delete_vfu_student(&self, id: &StudentId, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(old) = get_student(&mut tx, id).await? else {
            return Ok(false);
        };
        let placements: Vec<PlacementId> = sqlx::query("SELECT id FROM vfu_placements WHERE student_id = $1")
            .bind(id.as_str())
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| PlacementId::new(r.get::<String, _>(0)))
            .collect();
        for pl in &placements {
            sqlx::query("DELETE FROM vfu_placements WHERE id = $1")
                .bind(pl.as_str())
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
            .bind(id.as_str())
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
}
