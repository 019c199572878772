//! SQL of the VFU allocation in the product (docs/allocation.md, "In the product"): the
//! universities' allocation rules, the coordinators' manual locks, the registry data of a period
//! as the core's [`PeriodData`] needs it, and publishing an allocation.
//!
//! Publishing is one transaction. For every student of the period:
//!
//! - a placement that is `confirmed`, `started` or `completed` is never touched (the allocation
//!   treats it as locked; whatever the run says for that student is ignored);
//! - a `requested`/`offered` placement at the site the run gives is left untouched;
//! - a `requested`/`offered` placement at another site is moved there: new site, no supervisor
//!   (the old one belonged to the old site), status `offered` with a history step on the day;
//! - a student the run places without an active placement gets a new `offered` placement;
//! - a student the run leaves unplaced who holds a `requested`/`offered` placement has it
//!   **withdrawn**: the seat goes back to the site, so no site is promised more students than it
//!   has places. The preview names every such student with the reason before publishing, and the
//!   coordinator can lock them instead; `move_penalty` already prefers keeping published places.
//!
//! Each changed placement gets its own audit row (with the student's person id, so erasure
//! redacts it), and the run one summary row (`publish`, entity `allocation`, the period id) with
//! the counts.

use std::collections::HashMap;

use async_trait::async_trait;
use kkig_core::allocation::product::ManualLock;
use kkig_core::allocation::Rules;
use kkig_core::geo::Position;
use kkig_core::ids::{PeriodId, PersonId, PlacementId, SiteId, StudentId};
use kkig_core::vfu::{
    Day, FieldError, HostingInterest, Placement, PlacementSite, PlacementStatus, StatusChange, Supervisor, VfuPeriod,
    VfuStudent,
};
use kkig_core::Kommunkod;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;

use crate::accounts::sql::new_id;
use crate::db::audit::{audit_in, AuditAction, AuditEntity};
use crate::db::{corrupt, id_at, now_unix, SqlStore};
use crate::prelude::*;
use crate::vfu::{placement_from, write_placement, PlacementFilter, StudentFilter};
use crate::{Actor, StoreError};

/// A manual lock as stored: who locked it, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AllocationLock {
    #[schema(value_type = String)]
    pub period_id: PeriodId,
    #[schema(value_type = String)]
    pub student_id: StudentId,
    #[schema(value_type = String)]
    pub site_id: SiteId,
    pub reason: String,
    /// The actor label (`user:ID`, `cli`).
    pub locked_by: String,
    /// Unix seconds.
    pub locked_at: i64,
}

/// Everything the allocation of a period is built from (owned; see
/// [`kkig_core::allocation::product::PeriodData`]).
#[derive(Debug, Clone)]
pub struct AllocationData {
    pub period: VfuPeriod,
    pub students: Vec<VfuStudent>,
    pub sites: Vec<PlacementSite>,
    pub supervisors: Vec<Supervisor>,
    pub interests: Vec<HostingInterest>,
    pub placements: Vec<Placement>,
    pub locks: Vec<ManualLock>,
    pub seats: HashMap<Kommunkod, Position>,
}

impl AllocationData {
    pub fn view(&self) -> kkig_core::allocation::product::PeriodData<'_> {
        kkig_core::allocation::product::PeriodData {
            period: &self.period,
            students: &self.students,
            sites: &self.sites,
            supervisors: &self.supervisors,
            interests: &self.interests,
            placements: &self.placements,
            locks: &self.locks,
            seats: &self.seats,
        }
    }
}

/// What publishing changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PublishReport {
    /// New `offered` placements.
    pub created: usize,
    /// Placements moved to another site.
    pub moved: usize,
    /// Placements withdrawn because the student is now unplaced.
    pub withdrawn: usize,
    /// Placements already at the site the run gives.
    pub unchanged: usize,
    /// Confirmed, started or completed placements, left alone.
    pub firm: usize,
}

impl PublishReport {
    /// Whether anything was written.
    pub fn changed(&self) -> usize {
        self.created + self.moved + self.withdrawn
    }
}

/// The allocation's part of the store. `Store` requires it; bring it into scope
/// (`use kkig_store::AllocationStore`) to call it on a `dyn Store`.
#[async_trait]
pub trait AllocationStore: Send + Sync {
    /// The university's rules, or `product::default_rules()` when it has saved none.
    async fn allocation_rules(&self, university: &str) -> Result<Rules, StoreError>;
    /// Save the university's rules (validated like an instance's rules: `StoreError::Fields`
    /// naming the rule; audited).
    async fn save_allocation_rules(&self, university: &str, rules: &Rules, actor: &Actor) -> Result<(), StoreError>;
    /// The manual locks of a period, by student id.
    async fn allocation_locks(&self, period_id: &PeriodId) -> Result<Vec<AllocationLock>, StoreError>;
    /// Lock a student of the period to a site (replacing a lock), with a reason (required);
    /// audited with the student's person id. `Fields` when the student is not on the period,
    /// the site does not exist or the reason is empty.
    async fn set_allocation_lock(
        &self,
        period_id: &PeriodId,
        student_id: &StudentId,
        site_id: &SiteId,
        reason: &str,
        actor: &Actor,
    ) -> Result<AllocationLock, StoreError>;
    /// Remove a lock, with a reason (required; audited). False when there was none.
    async fn delete_allocation_lock(
        &self,
        period_id: &PeriodId,
        student_id: &StudentId,
        reason: &str,
        actor: &Actor,
    ) -> Result<bool, StoreError>;
    /// The registry data of a period for the allocation; `None` when there is no such period.
    async fn allocation_data(&self, period_id: &PeriodId) -> Result<Option<AllocationData>, StoreError>;
    /// Publish `(student id, site id)` of a run for the period in one transaction (see the
    /// module documentation); `on` is the day of the status changes.
    async fn publish_allocation(
        &self,
        period_id: &PeriodId,
        assignments: &[(StudentId, SiteId)],
        on: Day,
        actor: &Actor,
    ) -> Result<PublishReport, StoreError>;
}

fn rules_errors(rules: &Rules) -> Result<(), StoreError> {
    let inst = kkig_core::allocation::Instance {
        rules: rules.clone(),
        sites: vec![],
        students: vec![],
    };
    match inst.validate() {
        Ok(_) => Ok(()),
        Err(kkig_core::allocation::InputError::Invalid { path, message }) => {
            let field = path.strip_prefix("rules.").unwrap_or(&path).to_string();
            Err(StoreError::Fields(vec![FieldError::new(&field, message)]))
        }
        Err(e) => Err(StoreError::Invalid(e.to_string())),
    }
}

fn lock_from(row: &sqlx::any::AnyRow) -> Result<AllocationLock, StoreError> {
    Ok(AllocationLock {
        period_id: id_at(row, "period_id")?,
        student_id: id_at(row, "student_id")?,
        site_id: id_at(row, "site_id")?,
        reason: row.try_get("reason")?,
        locked_by: row.try_get("locked_by")?,
        locked_at: row.try_get("locked_at")?,
    })
}

/// A student's locks (for the person's data export).
pub(crate) async fn locks_of_student(
    conn: &mut sqlx::AnyConnection,
    student_id: &StudentId,
) -> Result<Vec<AllocationLock>, StoreError> {
    let rows = sqlx::query("SELECT * FROM allocation_locks WHERE student_id = $1 ORDER BY period_id")
        .bind(student_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(lock_from).collect()
}

/// The student's person id when the student is on the period.
async fn student_on_period(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    period_id: &PeriodId,
    student_id: &StudentId,
) -> Result<Option<PersonId>, StoreError> {
    let row = sqlx::query("SELECT person_id FROM vfu_students WHERE id = $1 AND period_id = $2")
        .bind(student_id.as_str())
        .bind(period_id.as_str())
        .fetch_optional(&mut **tx)
        .await?;
    Ok(match row {
        Some(r) => Some(id_at(&r, "person_id")?),
        None => None,
    })
}

fn reason_checked(reason: &str) -> Result<String, StoreError> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(StoreError::Fields(vec![FieldError::new(
            "reason",
            "a reason is required",
        )]));
    }
    if r.chars().count() > 500 {
        return Err(StoreError::Fields(vec![FieldError::new(
            "reason",
            "at most 500 characters",
        )]));
    }
    Ok(r.to_string())
}

#[async_trait]
impl AllocationStore for SqlStore {
    async fn allocation_rules(&self, university: &str) -> Result<Rules, StoreError> {
        let row = sqlx::query("SELECT rules FROM allocation_rules WHERE university = $1")
            .bind(university)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            None => Ok(kkig_core::allocation::product::default_rules()),
            Some(r) => {
                let text: String = r.try_get("rules")?;
                serde_json::from_str(&text).map_err(|e| corrupt("allocation_rules.rules", e))
            }
        }
    }

    async fn save_allocation_rules(&self, university: &str, rules: &Rules, actor: &Actor) -> Result<(), StoreError> {
        rules_errors(rules)?;
        let mut tx = self.begin_write().await?;
        let known = sqlx::query("SELECT code FROM universities WHERE code = $1")
            .bind(university)
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(StoreError::Fields(vec![FieldError::new(
                "university",
                format!("unknown university {university:?}"),
            )]));
        }
        let before = sqlx::query("SELECT rules FROM allocation_rules WHERE university = $1")
            .bind(university)
            .fetch_optional(&mut *tx)
            .await?;
        let before: Option<serde_json::Value> = match before {
            Some(r) => serde_json::from_str(&r.try_get::<String, _>("rules")?).ok(),
            None => None,
        };
        let after = serde_json::to_value(rules).map_err(|e| corrupt("rules", e))?;
        sqlx::query(
            "INSERT INTO allocation_rules (university, rules, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (university) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at",
        )
        .bind(university)
        .bind(after.to_string())
        .bind(now_unix())
        .execute(&mut *tx)
        .await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::AllocationRules,
            university,
            None,
            before.as_ref(),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn allocation_locks(&self, period_id: &PeriodId) -> Result<Vec<AllocationLock>, StoreError> {
        let rows = sqlx::query("SELECT * FROM allocation_locks WHERE period_id = $1 ORDER BY student_id")
            .bind(period_id.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(lock_from).collect()
    }

    async fn set_allocation_lock(
        &self,
        period_id: &PeriodId,
        student_id: &StudentId,
        site_id: &SiteId,
        reason: &str,
        actor: &Actor,
    ) -> Result<AllocationLock, StoreError> {
        let reason = reason_checked(reason)?;
        let mut tx = self.begin_write().await?;
        let Some(person) = student_on_period(&mut tx, period_id, student_id).await? else {
            return Err(StoreError::Fields(vec![FieldError::new(
                "student",
                format!("{student_id:?} is not a student on period {period_id:?}"),
            )]));
        };
        let site = sqlx::query("SELECT id FROM placement_sites WHERE id = $1")
            .bind(site_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if site.is_none() {
            return Err(StoreError::Fields(vec![FieldError::new(
                "site",
                format!("no placement site {site_id:?}"),
            )]));
        }
        let old = sqlx::query("SELECT * FROM allocation_locks WHERE period_id = $1 AND student_id = $2")
            .bind(period_id.as_str())
            .bind(student_id.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| lock_from(&r))
            .transpose()?;
        let lock = AllocationLock {
            period_id: period_id.clone(),
            student_id: student_id.clone(),
            site_id: site_id.clone(),
            reason,
            locked_by: actor.label.clone(),
            locked_at: now_unix(),
        };
        sqlx::query(
            "INSERT INTO allocation_locks (period_id, student_id, site_id, reason, locked_by, locked_at) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (period_id, student_id) DO UPDATE SET site_id = excluded.site_id, reason = excluded.reason,
               locked_by = excluded.locked_by, locked_at = excluded.locked_at",
        )
        .bind(lock.period_id.as_str())
        .bind(lock.student_id.as_str())
        .bind(lock.site_id.as_str())
        .bind(&lock.reason)
        .bind(&lock.locked_by)
        .bind(lock.locked_at)
        .execute(&mut *tx)
        .await?;
        let before = old.map(|o| json!({"site_id": o.site_id, "reason": o.reason}));
        let after =
            json!({"period_id": period_id, "student_id": student_id, "site_id": site_id, "reason": lock.reason});
        audit_in(
            &mut tx,
            actor,
            AuditAction::Lock,
            AuditEntity::AllocationLock,
            &format!("{period_id}/{student_id}"),
            Some(&person),
            before.as_ref(),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(lock)
    }

    async fn delete_allocation_lock(
        &self,
        period_id: &PeriodId,
        student_id: &StudentId,
        reason: &str,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        let reason = reason_checked(reason)?;
        let mut tx = self.begin_write().await?;
        let old = sqlx::query("SELECT * FROM allocation_locks WHERE period_id = $1 AND student_id = $2")
            .bind(period_id.as_str())
            .bind(student_id.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| lock_from(&r))
            .transpose()?;
        let Some(old) = old else { return Ok(false) };
        let person = student_on_period(&mut tx, period_id, student_id).await?;
        sqlx::query("DELETE FROM allocation_locks WHERE period_id = $1 AND student_id = $2")
            .bind(period_id.as_str())
            .bind(student_id.as_str())
            .execute(&mut *tx)
            .await?;
        let before = json!({"site_id": old.site_id, "reason": old.reason});
        let after = json!({"unlocked": true, "reason": reason});
        audit_in(
            &mut tx,
            actor,
            AuditAction::Unlock,
            AuditEntity::AllocationLock,
            &format!("{period_id}/{student_id}"),
            person.as_ref(),
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn allocation_data(&self, period_id: &PeriodId) -> Result<Option<AllocationData>, StoreError> {
        let Some(period) = self.vfu_period(period_id).await? else {
            return Ok(None);
        };
        let students = self
            .vfu_students(&StudentFilter {
                period_id: Some(period_id.clone()),
                ..Default::default()
            })
            .await?;
        let sites = self.placement_sites(None).await?;
        let supervisors = self.supervisors(None).await?;
        let interests = self.hosting_interests(None, Some(period.term)).await?;
        let placements = self
            .placements(&PlacementFilter {
                period_id: Some(period_id.clone()),
                ..Default::default()
            })
            .await?;
        let locks = self
            .allocation_locks(period_id)
            .await?
            .into_iter()
            .map(|l| ManualLock {
                student_id: l.student_id,
                site_id: l.site_id,
            })
            .collect();
        let seats = self
            .municipalities()
            .await?
            .into_iter()
            .map(|m| (m.code, m.position))
            .collect();
        Ok(Some(AllocationData {
            period,
            students,
            sites,
            supervisors,
            interests,
            placements,
            locks,
            seats,
        }))
    }

    async fn publish_allocation(
        &self,
        period_id: &PeriodId,
        assignments: &[(StudentId, SiteId)],
        on: Day,
        actor: &Actor,
    ) -> Result<PublishReport, StoreError> {
        let mut tx = self.begin_write().await?;
        if sqlx::query("SELECT id FROM vfu_periods WHERE id = $1")
            .bind(period_id.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .is_none()
        {
            return Err(StoreError::Fields(vec![FieldError::new(
                "period",
                format!("no VFU period {period_id:?}"),
            )]));
        }
        let students: Vec<(StudentId, PersonId)> =
            sqlx::query("SELECT id, person_id FROM vfu_students WHERE period_id = $1 ORDER BY id")
                .bind(period_id.as_str())
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| Ok((id_at(r, "id")?, id_at(r, "person_id")?)))
                .collect::<Result<_, StoreError>>()?;
        let on_period: HashMap<&StudentId, &PersonId> = students.iter().map(|(s, p)| (s, p)).collect();
        let mut target: HashMap<&StudentId, &SiteId> = HashMap::new();
        for (k, (student, site)) in assignments.iter().enumerate() {
            if !on_period.contains_key(student) {
                return Err(StoreError::Fields(vec![FieldError::new(
                    &format!("assignments[{k}].student"),
                    format!("{student:?} is not a student on period {period_id:?}"),
                )]));
            }
            if sqlx::query("SELECT id FROM placement_sites WHERE id = $1")
                .bind(site.as_str())
                .fetch_optional(&mut *tx)
                .await?
                .is_none()
            {
                return Err(StoreError::Fields(vec![FieldError::new(
                    &format!("assignments[{k}].site"),
                    format!("no placement site {site:?}"),
                )]));
            }
            if target.insert(student, site).is_some() {
                return Err(StoreError::Fields(vec![FieldError::new(
                    &format!("assignments[{k}].student"),
                    format!("{student:?} is assigned twice"),
                )]));
            }
        }
        let rows = sqlx::query(
            "SELECT p.* FROM vfu_placements p JOIN vfu_students s ON s.id = p.student_id WHERE s.period_id = $1 ORDER BY p.updated_at, p.id",
        )
        .bind(period_id.as_str())
        .fetch_all(&mut *tx)
        .await?;
        let placements: Vec<Placement> = rows.iter().map(placement_from).collect::<Result<_, _>>()?;
        let now = now_unix();
        let mut report = PublishReport::default();
        let mut changed_ids: Vec<PlacementId> = Vec::new();
        let step_day = |p: &Placement| p.history.last().map_or(on, |l| if l.on.0 > on.0 { l.on } else { on });
        for (student, person) in &students {
            let mine: Vec<&Placement> = placements.iter().filter(|p| p.student_id == *student).collect();
            if mine.iter().any(|p| {
                matches!(
                    p.status,
                    PlacementStatus::Confirmed | PlacementStatus::Started | PlacementStatus::Completed
                )
            }) {
                report.firm += 1;
                continue;
            }
            let active = mine
                .iter()
                .rev()
                .find(|p| matches!(p.status, PlacementStatus::Requested | PlacementStatus::Offered))
                .copied();
            match (active, target.get(student)) {
                (Some(p), Some(site)) if p.site_id == **site => report.unchanged += 1,
                (Some(p), Some(site)) => {
                    let mut new = p.clone();
                    new.site_id = (*site).clone();
                    new.supervisor_id = None;
                    new.status = PlacementStatus::Offered;
                    new.history.push(StatusChange {
                        status: PlacementStatus::Offered,
                        on: step_day(p),
                    });
                    sqlx::query("UPDATE vfu_placements SET site_id = $1, supervisor_id = NULL, status = $2, history = $3, updated_at = $4 WHERE id = $5")
                        .bind(new.site_id.as_str())
                        .bind(new.status.as_str())
                        .bind(serde_json::to_string(&new.history).map_err(|e| corrupt("history", e))?)
                        .bind(now)
                        .bind(new.id.as_str())
                        .execute(&mut *tx)
                        .await?;
                    let (b, a) = (serde_json::to_value(p).ok(), serde_json::to_value(&new).ok());
                    audit_in(
                        &mut tx,
                        actor,
                        AuditAction::Allocate,
                        AuditEntity::Placement,
                        &new.id,
                        Some(person),
                        b.as_ref(),
                        a.as_ref(),
                    )
                    .await?;
                    report.moved += 1;
                    changed_ids.push(new.id);
                }
                (Some(p), None) => {
                    let mut new = p.clone();
                    new.status = PlacementStatus::Withdrawn;
                    new.waiting_for_better = false;
                    new.history.push(StatusChange {
                        status: PlacementStatus::Withdrawn,
                        on: step_day(p),
                    });
                    sqlx::query("UPDATE vfu_placements SET status = $1, history = $2, waiting_for_better = 0, updated_at = $3 WHERE id = $4")
                        .bind(new.status.as_str())
                        .bind(serde_json::to_string(&new.history).map_err(|e| corrupt("history", e))?)
                        .bind(now)
                        .bind(new.id.as_str())
                        .execute(&mut *tx)
                        .await?;
                    let (b, a) = (serde_json::to_value(p).ok(), serde_json::to_value(&new).ok());
                    audit_in(
                        &mut tx,
                        actor,
                        AuditAction::Allocate,
                        AuditEntity::Placement,
                        &new.id,
                        Some(person),
                        b.as_ref(),
                        a.as_ref(),
                    )
                    .await?;
                    report.withdrawn += 1;
                    changed_ids.push(new.id);
                }
                (None, Some(site)) => {
                    let p = Placement {
                        id: PlacementId::new(new_id("pl")),
                        student_id: student.clone(),
                        site_id: (*site).clone(),
                        supervisor_id: None,
                        status: PlacementStatus::Offered,
                        history: vec![StatusChange {
                            status: PlacementStatus::Offered,
                            on,
                        }],
                        waiting_for_better: false,
                        note: String::new(),
                    };
                    write_placement(&mut tx, &p, false).await?;
                    let a = serde_json::to_value(&p).ok();
                    audit_in(
                        &mut tx,
                        actor,
                        AuditAction::Allocate,
                        AuditEntity::Placement,
                        &p.id,
                        Some(person),
                        None,
                        a.as_ref(),
                    )
                    .await?;
                    report.created += 1;
                    changed_ids.push(p.id);
                }
                (None, None) => {}
            }
        }
        if report.changed() == 0 {
            // Nothing to publish: no audit row, nothing written.
            tx.rollback().await?;
            return Ok(report);
        }
        let summary = json!({
            "period_id": period_id,
            "on": on,
            "created": report.created,
            "moved": report.moved,
            "withdrawn": report.withdrawn,
            "unchanged": report.unchanged,
            "firm": report.firm,
            "placements": changed_ids,
        });
        audit_in(
            &mut tx,
            actor,
            AuditAction::Publish,
            AuditEntity::Allocation,
            period_id,
            None,
            None,
            Some(&summary),
        )
        .await?;
        tx.commit().await?;
        Ok(report)
    }
}
