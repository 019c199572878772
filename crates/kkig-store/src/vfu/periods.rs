//! VFU periods: a university's announced placement periods.

use super::*;

const PERIOD_SELECT: &str =
    "SELECT id, university_code, programme, course_code, term, start_date, end_date, field, students,
    requirements, capacity_deadline FROM vfu_periods";

fn period_from(row: &AnyRow) -> Result<VfuPeriod, StoreError> {
    let term: String = row.try_get("term")?;
    Ok(VfuPeriod {
        id: id_at(row, "id")?,
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

pub(super) async fn get_period(conn: &mut AnyConnection, id: &PeriodId) -> Result<Option<VfuPeriod>, StoreError> {
    one(
        conn,
        &format!("{PERIOD_SELECT} WHERE id = $1"),
        id.as_str(),
        period_from,
    )
    .await
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
    .bind(p.id.as_str())
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

/// VFU periods.
#[async_trait]
pub trait VfuPeriodStore: Send + Sync {
    /// Periods of one university or all, by start.
    async fn vfu_periods(&self, university: Option<&str>) -> Result<Vec<VfuPeriod>, StoreError>;
    async fn vfu_period(&self, id: &PeriodId) -> Result<Option<VfuPeriod>, StoreError>;
    async fn create_vfu_period(&self, p: &VfuPeriod, actor: &Actor) -> Result<PeriodId, StoreError>;
    /// Updates the retention date of the period's students too.
    async fn update_vfu_period(&self, p: &VfuPeriod, actor: &Actor) -> Result<bool, StoreError>;
    /// Conflict while students are on it.
    async fn delete_vfu_period(&self, id: &PeriodId, actor: &Actor) -> Result<bool, StoreError>;
}

#[async_trait]
impl VfuPeriodStore for SqlStore {
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

    async fn vfu_period(&self, id: &PeriodId) -> Result<Option<VfuPeriod>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        get_period(&mut conn, id).await
    }

    async fn create_vfu_period(&self, p: &VfuPeriod, actor: &Actor) -> Result<PeriodId, StoreError> {
        let mut tx = self.begin_write().await?;
        let ctx = load_context(&mut tx, Some(&VfuRefs::periods([&p.id]))).await?;
        check(validate_period(p, &ctx))?;
        let mut p = p.clone();
        if p.id.is_empty() {
            p.id = PeriodId::new(new_id("per"));
        } else if ctx.periods.contains_key(&p.id) {
            return Err(problem("id", FieldProblem::PeriodIdExists { id: p.id.to_string() }));
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
        let ctx = load_context(&mut tx, Some(&VfuRefs::periods([&p.id]))).await?;
        check(validate_period(p, &ctx))?;
        if old.field != p.field {
            let n: i64 = sqlx::query("SELECT COUNT(*) FROM vfu_students WHERE period_id = $1")
                .bind(p.id.as_str())
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
                let persons: Vec<PersonId> = sqlx::query("SELECT person_id FROM vfu_students WHERE period_id = $1")
                    .bind(p.id.as_str())
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(|r| PersonId::new(r.get::<String, _>(0)))
                    .collect();
                for person in persons {
                    refresh_last_period_end(&mut tx, &person).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn delete_vfu_period(&self, id: &PeriodId, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(old) = get_period(&mut tx, id).await? else {
            return Ok(false);
        };
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM vfu_students WHERE period_id = $1")
            .bind(id.as_str())
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
            .bind(id.as_str())
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
}
