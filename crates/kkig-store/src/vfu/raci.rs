//! Roles and responsibilities: a municipality's RACI model per programme type, and its contact
//! persons.

use super::*;

/// A roles-and-responsibilities model as a municipality sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RaciView {
    pub model: RaciModel,
    /// True when the municipality has adapted the default model.
    pub adapted: bool,
}

pub(super) const CONTACT_SELECT: &str =
    "SELECT c.id, c.person_id, c.municipality_code, c.role, c.programme, c.title, p.name, p.email, p.phone
    FROM vfu_contacts c JOIN persons p ON p.id = c.person_id";

pub(super) fn contact_from(row: &AnyRow) -> Result<VfuContact, StoreError> {
    let role: String = row.try_get("role")?;
    let programme: Option<String> = row.try_get("programme")?;
    Ok(VfuContact {
        id: id_at(row, "id")?,
        person_id: id_at(row, "person_id")?,
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

async fn get_contact(conn: &mut AnyConnection, id: &str) -> Result<Option<VfuContact>, StoreError> {
    one(conn, &format!("{CONTACT_SELECT} WHERE c.id = $1"), id, contact_from).await
}

/// Roles and responsibilities: RACI models and contact persons.
#[async_trait]
pub trait VfuRaciStore: Send + Sync {
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

#[async_trait]
impl VfuRaciStore for SqlStore {
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
        let ctx = load_context(&mut tx, Some(&VfuRefs::default())).await?;
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
            .bind(saved.person_id.as_str())
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
                .bind(old.person_id.as_str())
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
