//! Imports of sites, periods, supervisors and students: validated whole, written in one
//! transaction.

use super::*;

fn items_error(errors: Vec<(usize, FieldError)>) -> StoreError {
    StoreError::Items(errors)
}

/// Imports: validated whole, written in one transaction; any invalid item → nothing written
/// and `StoreError::Items` naming each item (0-based) and field.
#[async_trait]
pub trait VfuImportStore: Send + Sync {
    /// Upsert by id.
    async fn import_placement_sites(&self, sites: &[PlacementSite], actor: &Actor) -> Result<ImportReport, StoreError>;
    /// Upsert by e-mail within the row's municipality.
    async fn import_supervisors(&self, items: &[Supervisor], actor: &Actor) -> Result<ImportReport, StoreError>;
    /// Upsert by id (an empty id makes a new period).
    async fn import_vfu_periods(&self, items: &[VfuPeriod], actor: &Actor) -> Result<ImportReport, StoreError>;
    /// Upsert by (period, e-mail).
    async fn import_vfu_students(&self, items: &[VfuStudent], actor: &Actor) -> Result<ImportReport, StoreError>;
}

#[async_trait]
impl VfuImportStore for SqlStore {
    async fn import_placement_sites(&self, sites: &[PlacementSite], actor: &Actor) -> Result<ImportReport, StoreError> {
        let mut tx = self.begin_write().await?;
        let ctx = load_context(&mut tx, Some(&VfuRefs::sites(sites.iter().map(|s| &s.id)))).await?;
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
                s.id = SiteId::new(new_id("site"));
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
        let ctx = load_context(&mut tx, Some(&VfuRefs::periods(items.iter().map(|p| &p.id)))).await?;
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
                p.id = PeriodId::new(new_id("per"));
            }
            let old = get_period(&mut tx, &p.id).await?;
            match &old {
                Some(old) if *old == p => {
                    report.unchanged += 1;
                    continue;
                }
                Some(old) => {
                    let n: i64 = sqlx::query("SELECT COUNT(*) FROM vfu_students WHERE period_id = $1")
                        .bind(p.id.as_str())
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
        Ok(report)
    }

    async fn import_supervisors(&self, items: &[Supervisor], actor: &Actor) -> Result<ImportReport, StoreError> {
        let mut tx = self.begin_write().await?;
        let ctx = load_context(&mut tx, Some(&VfuRefs::of_supervisors(items))).await?;
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
        let ctx = load_context(&mut tx, Some(&VfuRefs::of_students(items))).await?;
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
        let existing: BTreeMap<(PeriodId, String), VfuStudent> = sqlx::query(STUDENT_SELECT)
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
}
