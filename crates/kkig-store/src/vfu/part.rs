//! The VFU registry's part of the demo world and of a person's data ([`crate::db::parts`]).

use super::*;

/// Write the VFU part of the demo world inside the demo transaction (marked demo; persons
/// inserted directly, the demo load is audited once as a whole).
pub(crate) async fn load_demo_vfu(tx: &mut Tx, demo: &kkig_core::vfu::demo::VfuDemo) -> Result<(), StoreError> {
    let now = now_unix();
    for h in &demo.hosting {
        sqlx::query(
            "INSERT INTO vfu_hosting (site_id, term, interest, capacity, reason, demo) VALUES ($1, $2, $3, $4, $5, 1)",
        )
        .bind(h.site_id.as_str())
        .bind(h.term.to_string())
        .bind(h.interest.as_str())
        .bind(i64::from(h.capacity))
        .bind(&h.reason)
        .execute(&mut **tx)
        .await?;
    }
    for p in &demo.periods {
        write_period(tx, p, true).await?;
    }
    let ends: BTreeMap<&PeriodId, String> = demo.periods.iter().map(|p| (&p.id, p.end.to_string())).collect();
    let person = |id: &PersonId,
                  name: &str,
                  email: &str,
                  phone: &str,
                  kind: &str,
                  m: Kommunkod,
                  end: Option<String>| {
        sqlx::query(
            "INSERT INTO persons (id, name, email, phone, kind, municipality_code, last_period_end, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(id.to_string())
        .bind(name.to_string())
        .bind(normalize_email(email))
        .bind(Some(phone.to_string()).filter(|p| !p.is_empty()))
        .bind(kind.to_string())
        .bind(m.to_string())
        .bind(end)
        .bind(now)
    };
    for s in &demo.supervisors {
        person(
            &s.person_id,
            &s.name,
            &s.email,
            &s.phone,
            "supervisor",
            s.municipality,
            None,
        )
        .execute(&mut **tx)
        .await?;
        write_supervisor(tx, s, true).await?;
    }
    for s in &demo.students {
        person(
            &s.person_id,
            &s.name,
            &s.email,
            "",
            "student",
            s.home_municipality,
            ends.get(&s.period_id).cloned(),
        )
        .execute(&mut **tx)
        .await?;
        write_student(tx, s, true).await?;
    }
    for p in &demo.placements {
        write_placement(tx, p, true).await?;
    }
    for c in &demo.contacts {
        person(&c.person_id, &c.name, &c.email, &c.phone, "staff", c.municipality, None)
            .execute(&mut **tx)
            .await?;
        sqlx::query("INSERT INTO vfu_contacts (id, person_id, municipality_code, role, programme, title, demo, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7)")
            .bind(&c.id)
            .bind(c.person_id.as_str())
            .bind(c.municipality.to_string())
            .bind(c.role.as_str())
            .bind(c.programme.map(|p| p.as_str()))
            .bind(&c.title)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Delete every VFU record of a person (inside the erasure transaction).
pub(crate) async fn erase_person_vfu(tx: &mut Tx, person_id: &PersonId) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM vfu_placements WHERE student_id IN (SELECT id FROM vfu_students WHERE person_id = $1)",
        "DELETE FROM vfu_students WHERE person_id = $1",
        "UPDATE vfu_placements SET supervisor_id = NULL WHERE supervisor_id IN (SELECT id FROM vfu_supervisors WHERE person_id = $1)",
        "DELETE FROM vfu_supervisors WHERE person_id = $1",
        "DELETE FROM vfu_contacts WHERE person_id = $1",
    ] {
        sqlx::query(sql).bind(person_id.as_str()).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Everything the VFU registry holds on a person, for a data export.
pub(crate) async fn export_person_vfu(store: &SqlStore, person_id: &PersonId) -> Result<Value, StoreError> {
    let mut conn = store.pool.acquire().await?;
    let sup = sqlx::query(&format!("{SUPERVISOR_SELECT} WHERE s.person_id = $1"))
        .bind(person_id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    let supervisor = sup.as_ref().map(supervisor_from).transpose()?;
    let students: Vec<VfuStudent> = sqlx::query(&format!("{STUDENT_SELECT} WHERE s.person_id = $1"))
        .bind(person_id.as_str())
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(student_from)
        .collect::<Result<_, _>>()?;
    let mut placements = Vec::new();
    let mut allocation_locks = Vec::new();
    for s in &students {
        let rows = sqlx::query(&format!("{PLACEMENT_SELECT} WHERE pl.student_id = $1"))
            .bind(s.id.as_str())
            .fetch_all(&mut *conn)
            .await?;
        for r in &rows {
            placements.push(placement_from(r)?);
        }
        allocation_locks.extend(crate::allocation::locks_of_student(&mut conn, &s.id).await?);
    }
    let supervised: Vec<String> = match &supervisor {
        Some(s) => sqlx::query("SELECT id FROM vfu_placements WHERE supervisor_id = $1 ORDER BY id")
            .bind(s.id.as_str())
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect(),
        None => Vec::new(),
    };
    let contacts: Vec<VfuContact> = sqlx::query(&format!("{CONTACT_SELECT} WHERE c.person_id = $1"))
        .bind(person_id.as_str())
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(contact_from)
        .collect::<Result<_, _>>()?;
    Ok(json!({
        "supervisor": supervisor,
        "supervised_placements": supervised,
        "students": students,
        "placements": placements,
        "allocation_locks": allocation_locks,
        "contacts": contacts,
    }))
}

/// The VFU registry's part of the demo world and of a person's data ([`crate::db::parts`]).
pub(crate) struct Part;

#[async_trait]
impl crate::db::parts::Part for Part {
    fn name(&self) -> &'static str {
        "vfu"
    }

    fn real_rows_sql(&self) -> Option<&'static str> {
        Some("SELECT (SELECT COUNT(*) FROM placement_sites WHERE demo = 0) + (SELECT COUNT(*) FROM vfu_supervisors WHERE demo = 0)
                  + (SELECT COUNT(*) FROM vfu_periods WHERE demo = 0)")
    }

    async fn load_demo(
        &self,
        tx: &mut Tx,
        _: crate::Backend,
        world: &kkig_core::demo::DemoWorld,
    ) -> Result<(), StoreError> {
        for s in &world.placement_sites {
            write_site(tx, s, true).await?;
        }
        load_demo_vfu(tx, &world.vfu).await
    }

    async fn export_person(&self, store: &SqlStore, person_id: &PersonId) -> Result<Option<Value>, StoreError> {
        Ok(Some(export_person_vfu(store, person_id).await?))
    }

    async fn erase_person(&self, tx: &mut Tx, person_id: &PersonId) -> Result<(), StoreError> {
        erase_person_vfu(tx, person_id).await
    }
}
