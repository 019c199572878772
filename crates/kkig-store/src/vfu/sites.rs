//! Placement sites and their hosting answers per term.

use super::*;

const SITE_SELECT: &str = "SELECT id, municipality_code, name, kind, address, lat, lon, fields FROM placement_sites";

pub(crate) fn site_from(row: &AnyRow) -> Result<PlacementSite, StoreError> {
    let kind: String = row.try_get("kind")?;
    Ok(PlacementSite {
        id: id_at(row, "id")?,
        municipality: kommunkod(row, "municipality_code")?,
        name: row.try_get("name")?,
        kind: SiteKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        address: row.try_get("address")?,
        position: Position::new(row.try_get("lat")?, row.try_get("lon")?).map_err(|e| corrupt("position", e))?,
        fields: from_json(row, "fields")?,
    })
}

pub(super) async fn get_site(conn: &mut AnyConnection, id: &SiteId) -> Result<Option<PlacementSite>, StoreError> {
    one(conn, &format!("{SITE_SELECT} WHERE id = $1"), id.as_str(), site_from).await
}

pub(crate) async fn write_site(tx: &mut Tx, s: &PlacementSite, demo: bool) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO placement_sites (id, municipality_code, name, kind, address, lat, lon, fields, demo, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (id) DO UPDATE SET municipality_code = excluded.municipality_code, name = excluded.name, kind = excluded.kind,
           address = excluded.address, lat = excluded.lat, lon = excluded.lon, fields = excluded.fields, demo = excluded.demo,
           updated_at = excluded.updated_at",
    )
    .bind(s.id.as_str())
    .bind(s.municipality.to_string())
    .bind(s.name.trim())
    .bind(s.kind.as_str())
    .bind(s.address.trim())
    .bind(s.position.lat)
    .bind(s.position.lon)
    .bind(to_json(&s.fields))
    .bind(i64::from(demo))
    .bind(now_unix())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Placement sites and their hosting answers (list: `Store::placement_sites`).
#[async_trait]
pub trait VfuSiteStore: Send + Sync {
    async fn placement_site(&self, id: &SiteId) -> Result<Option<PlacementSite>, StoreError>;
    /// Create a site (audited); an empty id is generated. Conflict when the id is taken.
    async fn create_placement_site(&self, site: &PlacementSite, actor: &Actor) -> Result<SiteId, StoreError>;
    /// False when there is no such site.
    async fn update_placement_site(&self, site: &PlacementSite, actor: &Actor) -> Result<bool, StoreError>;
    /// Conflict while placements refer to it; its hosting answers go with it, its supervisors
    /// lose the link.
    async fn delete_placement_site(&self, id: &SiteId, actor: &Actor) -> Result<bool, StoreError>;
    /// Hosting answers, of one municipality's sites and/or one term, by site and term.
    async fn hosting_interests(
        &self,
        municipality: Option<Kommunkod>,
        term: Option<Term>,
    ) -> Result<Vec<HostingInterest>, StoreError>;
    /// Set a site's answer for a term (insert or replace; audited).
    async fn set_hosting_interest(&self, h: &HostingInterest, actor: &Actor) -> Result<(), StoreError>;
    /// Remove a site's answer for a term. False when there was none.
    async fn delete_hosting_interest(&self, site_id: &SiteId, term: Term, actor: &Actor) -> Result<bool, StoreError>;
}

#[async_trait]
impl VfuSiteStore for SqlStore {
    async fn placement_site(&self, id: &SiteId) -> Result<Option<PlacementSite>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        get_site(&mut conn, id).await
    }

    async fn create_placement_site(&self, site: &PlacementSite, actor: &Actor) -> Result<SiteId, StoreError> {
        let mut tx = self.begin_write().await?;
        let ctx = load_context(&mut tx, Some(&VfuRefs::sites([&site.id]))).await?;
        check(validate_site(site, &ctx))?;
        let mut s = site.clone();
        if s.id.is_empty() {
            s.id = SiteId::new(new_id("site"));
        } else if ctx.sites.contains_key(&s.id) {
            return Err(problem("id", FieldProblem::SiteIdExists { id: s.id.to_string() }));
        }
        write_site(&mut tx, &s, false).await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::PlacementSite,
            s.id.as_str(),
            None,
            None,
            Some(&to_value(&s)),
        )
        .await?;
        tx.commit().await?;
        Ok(s.id)
    }

    async fn update_placement_site(&self, site: &PlacementSite, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(old) = get_site(&mut tx, &site.id).await? else {
            return Ok(false);
        };
        let ctx = load_context(&mut tx, Some(&VfuRefs::sites([&site.id]))).await?;
        check(validate_site(site, &ctx))?;
        if old != *site {
            write_site(&mut tx, site, false).await?;
            audit_in(
                &mut tx,
                actor,
                AuditAction::Update,
                AuditEntity::PlacementSite,
                site.id.as_str(),
                None,
                Some(&to_value(&old)),
                Some(&to_value(site)),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn delete_placement_site(&self, id: &SiteId, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(old) = get_site(&mut tx, id).await? else {
            return Ok(false);
        };
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM vfu_placements WHERE site_id = $1")
            .bind(id.as_str())
            .fetch_one(&mut *tx)
            .await?
            .get(0);
        if n > 0 {
            return Err(problem(
                "id",
                FieldProblem::SiteHasPlacements {
                    id: id.to_string(),
                    count: n,
                },
            ));
        }
        sqlx::query("DELETE FROM vfu_hosting WHERE site_id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE vfu_supervisors SET site_id = NULL WHERE site_id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM placement_sites WHERE id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Delete,
            AuditEntity::PlacementSite,
            id.as_str(),
            None,
            Some(&to_value(&old)),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn hosting_interests(
        &self,
        municipality: Option<Kommunkod>,
        term: Option<Term>,
    ) -> Result<Vec<HostingInterest>, StoreError> {
        let mut f = Filters::default();
        f.eq("ps.municipality_code", municipality.map(|m| m.to_string()));
        f.eq("h.term", term.map(|t| t.to_string()));
        let mut conn = self.pool.acquire().await?;
        let rows = f
            .fetch(&mut conn, "SELECT h.site_id, h.term, h.interest, h.capacity, h.reason FROM vfu_hosting h JOIN placement_sites ps ON ps.id = h.site_id")
            .await?;
        let mut out = rows
            .iter()
            .map(|r| {
                let term: String = r.try_get("term")?;
                let interest: String = r.try_get("interest")?;
                Ok(HostingInterest {
                    site_id: id_at(r, "site_id")?,
                    term: Term::parse(&term).map_err(|e| corrupt("term", e))?,
                    interest: Interest::parse(&interest).ok_or_else(|| corrupt("interest", &interest))?,
                    capacity: r.try_get::<i64, _>("capacity")? as u32,
                    reason: r.try_get("reason")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.sort_by(|a, b| a.site_id.cmp(&b.site_id).then(a.term.cmp(&b.term)));
        Ok(out)
    }

    async fn set_hosting_interest(&self, h: &HostingInterest, actor: &Actor) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let ctx = load_context(&mut tx, Some(&VfuRefs::sites([&h.site_id]))).await?;
        check(validate_hosting(h, &ctx))?;
        sqlx::query(
            "INSERT INTO vfu_hosting (site_id, term, interest, capacity, reason, demo) VALUES ($1, $2, $3, $4, $5, 0)
             ON CONFLICT (site_id, term) DO UPDATE SET interest = excluded.interest, capacity = excluded.capacity, reason = excluded.reason, demo = 0",
        )
        .bind(h.site_id.as_str())
        .bind(h.term.to_string())
        .bind(h.interest.as_str())
        .bind(i64::from(h.capacity))
        .bind(h.reason.trim())
        .execute(&mut *tx)
        .await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::HostingInterest,
            &format!("{}/{}", h.site_id, h.term),
            None,
            None,
            Some(&to_value(h)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_hosting_interest(&self, site_id: &SiteId, term: Term, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT interest, capacity, reason FROM vfu_hosting WHERE site_id = $1 AND term = $2")
            .bind(site_id.as_str())
            .bind(term.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else { return Ok(false) };
        let interest: String = row.try_get("interest")?;
        let before = HostingInterest {
            site_id: site_id.clone(),
            term,
            interest: Interest::parse(&interest).ok_or_else(|| corrupt("interest", &interest))?,
            capacity: row.try_get::<i64, _>("capacity")? as u32,
            reason: row.try_get("reason")?,
        };
        sqlx::query("DELETE FROM vfu_hosting WHERE site_id = $1 AND term = $2")
            .bind(site_id.as_str())
            .bind(term.to_string())
            .execute(&mut *tx)
            .await?;
        audit_in(
            &mut tx,
            actor,
            AuditAction::Delete,
            AuditEntity::HostingInterest,
            &format!("{site_id}/{term}"),
            None,
            Some(&to_value(&before)),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
