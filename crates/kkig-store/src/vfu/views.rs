//! The views computed from the registry: a municipality's training need and the compensation
//! basis.

use super::*;

/// Views over the registry.
#[async_trait]
pub trait VfuViewStore: Send + Sync {
    /// The municipality's training need (see `kkig_core::vfu::views::training_need`), with its
    /// share of places not yet listed = its population / the participants' population.
    async fn training_need(&self, municipality: Kommunkod) -> Result<TrainingNeed, StoreError>;
    /// The compensation basis, of one municipality or all.
    async fn compensation_basis(&self, municipality: Option<Kommunkod>) -> Result<Vec<CompensationRow>, StoreError>;
}

#[async_trait]
impl VfuViewStore for SqlStore {
    async fn training_need(&self, municipality: Kommunkod) -> Result<TrainingNeed, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let rows = sqlx::query("SELECT code, population, role FROM municipalities")
            .fetch_all(&mut *conn)
            .await?;
        let mut own = 0i64;
        let mut total = 0i64;
        for r in &rows {
            let role: String = r.try_get("role")?;
            if MunicipalityRole::parse(&role) == Some(MunicipalityRole::Participant) {
                let pop: i64 = r.try_get("population")?;
                total += pop;
                if kommunkod(r, "code")? == municipality {
                    own = pop;
                }
            }
        }
        drop(conn);
        let share = if total > 0 { own as f64 / total as f64 } else { 0.0 };
        let periods = self.vfu_periods(None).await?;
        let students = self.vfu_students(&StudentFilter::default()).await?;
        let supervisors = self.supervisors(Some(municipality)).await?;
        Ok(training_need(municipality, share, &periods, &students, &supervisors))
    }

    async fn compensation_basis(&self, municipality: Option<Kommunkod>) -> Result<Vec<CompensationRow>, StoreError> {
        let periods = self.vfu_periods(None).await?;
        let students = self.vfu_students(&StudentFilter::default()).await?;
        let filter = PlacementFilter {
            site_municipality: municipality,
            ..Default::default()
        };
        let placements = self.placements(&filter).await?;
        let ctx = self.vfu_context().await?;
        Ok(compensation_basis(&periods, &students, &placements, |id| {
            ctx.sites.get(id).copied()
        }))
    }
}
