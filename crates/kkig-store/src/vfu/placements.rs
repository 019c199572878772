//! Placements: a student at a site (with a supervisor), their lifecycle, the lines of lists and
//! exports, and the waiting list for a freed seat.

use super::*;

/// Which placements to list; every filter that is set must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlacementFilter {
    pub period_id: Option<PeriodId>,
    pub university: Option<String>,
    pub site_municipality: Option<Kommunkod>,
    pub site_id: Option<SiteId>,
    pub student_id: Option<StudentId>,
    pub supervisor_id: Option<SupervisorId>,
}

pub(super) const PLACEMENT_SELECT: &str =
    "SELECT pl.id, pl.student_id, pl.site_id, pl.supervisor_id, pl.status, pl.history, pl.waiting_for_better, pl.note
    FROM vfu_placements pl JOIN vfu_students s ON s.id = pl.student_id JOIN vfu_periods v ON v.id = s.period_id
    JOIN placement_sites ps ON ps.id = pl.site_id";

pub(crate) fn placement_from(row: &AnyRow) -> Result<Placement, StoreError> {
    let status: String = row.try_get("status")?;
    Ok(Placement {
        id: id_at(row, "id")?,
        student_id: id_at(row, "student_id")?,
        site_id: id_at(row, "site_id")?,
        supervisor_id: opt_id_at(row, "supervisor_id")?,
        status: PlacementStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        history: from_json(row, "history")?,
        waiting_for_better: row.try_get::<i64, _>("waiting_for_better")? != 0,
        note: row.try_get("note")?,
    })
}

async fn get_placement(conn: &mut AnyConnection, id: &PlacementId) -> Result<Option<Placement>, StoreError> {
    one(
        conn,
        &format!("{PLACEMENT_SELECT} WHERE pl.id = $1"),
        id.as_str(),
        placement_from,
    )
    .await
}

async fn student_person(conn: &mut AnyConnection, student_id: &StudentId) -> Result<Option<PersonId>, StoreError> {
    Ok(sqlx::query("SELECT person_id FROM vfu_students WHERE id = $1")
        .bind(student_id.as_str())
        .fetch_optional(conn)
        .await?
        .map(|r| PersonId::new(r.get::<String, _>(0))))
}

pub(crate) async fn write_placement(tx: &mut Tx, p: &Placement, demo: bool) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO vfu_placements (id, student_id, site_id, supervisor_id, status, history, waiting_for_better, note, demo, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (id) DO UPDATE SET site_id = excluded.site_id, supervisor_id = excluded.supervisor_id, status = excluded.status,
           history = excluded.history, waiting_for_better = excluded.waiting_for_better, note = excluded.note, demo = excluded.demo,
           updated_at = excluded.updated_at",
    )
    .bind(p.id.as_str())
    .bind(p.student_id.as_str())
    .bind(p.site_id.as_str())
    .bind(p.supervisor_id.as_ref().map(SupervisorId::as_str))
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
                id: p.student_id.to_string(),
            },
        ));
    }
    match (&site, &student) {
        (None, _) => errors.push(FieldError::of(
            "site_id",
            FieldProblem::NoSite {
                id: p.site_id.to_string(),
            },
        )),
        (Some(site), Some(st)) if !site.fields.iter().any(|f| f.field == st.field) => errors.push(FieldError::of(
            "site_id",
            FieldProblem::SiteLacksField {
                site: site.id.to_string(),
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
                FieldProblem::NoSupervisor { id: sup.to_string() },
            )),
            Some(s) if site.as_ref().is_some_and(|site| site.municipality != s.municipality) => {
                errors.push(FieldError::of(
                    "supervisor_id",
                    FieldProblem::SupervisorElsewhere { id: sup.to_string() },
                ))
            }
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

fn placement_filters(filter: &PlacementFilter) -> Filters {
    let mut f = Filters::default();
    f.eq("s.period_id", filter.period_id.clone().map(String::from));
    f.eq("v.university_code", filter.university.clone());
    f.eq("ps.municipality_code", filter.site_municipality.map(|m| m.to_string()));
    f.eq("pl.site_id", filter.site_id.clone().map(String::from));
    f.eq("pl.student_id", filter.student_id.clone().map(String::from));
    f.eq("pl.supervisor_id", filter.supervisor_id.clone().map(String::from));
    f
}

/// Placements and the waiting list.
#[async_trait]
pub trait VfuPlacementStore: Send + Sync {
    async fn placements(&self, filter: &PlacementFilter) -> Result<Vec<Placement>, StoreError>;
    async fn placement(&self, id: &PlacementId) -> Result<Option<Placement>, StoreError>;
    /// Placements with the names of site, student, period and supervisor, for lists/exports.
    async fn placement_lines(&self, filter: &PlacementFilter) -> Result<Vec<PlacementLine>, StoreError>;
    /// Create a placement in its first status (requested or offered). Returns its id.
    async fn create_placement(&self, p: &Placement, actor: &Actor) -> Result<PlacementId, StoreError>;
    /// Change site, supervisor, waiting flag and note (the status changes only by
    /// `transition_placement`). False when there is no such placement.
    async fn update_placement(&self, p: &Placement, actor: &Actor) -> Result<bool, StoreError>;
    /// Move a placement along its lifecycle on `on` (the core state machine decides).
    async fn transition_placement(
        &self,
        id: &PlacementId,
        to: PlacementStatus,
        on: Day,
        actor: &Actor,
    ) -> Result<Placement, StoreError>;
    async fn delete_placement(&self, id: &PlacementId, actor: &Actor) -> Result<bool, StoreError>;
    /// The waiting list (återbudskö) for a freed seat at a site in a period, best first (see
    /// `kkig_core::vfu::lifecycle::waiting_list_for`).
    async fn waiting_list(
        &self,
        site_id: &SiteId,
        period_id: &PeriodId,
    ) -> Result<Vec<kkig_core::vfu::lifecycle::WaitingCandidate>, StoreError>;
}

#[async_trait]
impl VfuPlacementStore for SqlStore {
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

    async fn placement(&self, id: &PlacementId) -> Result<Option<Placement>, StoreError> {
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
                    placement_id: id_at(r, "id")?,
                    status: PlacementStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
                    waiting_for_better: r.try_get::<i64, _>("waiting_for_better")? != 0,
                    site_id: id_at(r, "site_id")?,
                    site_name: r.try_get("site_name")?,
                    site_municipality: kommunkod(r, "site_municipality")?,
                    student_name: r.try_get("student_name")?,
                    student_email: r.try_get::<Option<String>, _>("student_email")?.unwrap_or_default(),
                    home_municipality: kommunkod(r, "home_municipality")?,
                    period_id: id_at(r, "period_id")?,
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

    async fn create_placement(&self, p: &Placement, actor: &Actor) -> Result<PlacementId, StoreError> {
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
            p.id = PlacementId::new(new_id("pl"));
        }
        let person = student_person(&mut tx, &p.student_id).await?;
        write_placement(&mut tx, &p, false).await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::Placement,
            &p.id,
            person.as_ref(),
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
                person.as_ref(),
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
        id: &PlacementId,
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
            person.as_ref(),
            Some(&json!({"status": old.status})),
            Some(&json!({"status": to, "on": on})),
        )
        .await?;
        tx.commit().await?;
        Ok(new)
    }

    async fn delete_placement(&self, id: &PlacementId, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(old) = get_placement(&mut tx, id).await? else {
            return Ok(false);
        };
        let person = student_person(&mut tx, &old.student_id).await?;
        sqlx::query("DELETE FROM vfu_placements WHERE id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Delete,
            AuditEntity::Placement,
            id,
            person.as_ref(),
            Some(&to_value(&old)),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn waiting_list(
        &self,
        site_id: &SiteId,
        period_id: &PeriodId,
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
                period_id: Some(period_id.clone()),
                ..Default::default()
            })
            .await?;
        let placements = self
            .placements(&PlacementFilter {
                period_id: Some(period_id.clone()),
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
}
