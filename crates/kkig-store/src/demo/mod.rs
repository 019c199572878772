//! The generated demo world: loaded into an empty database in one transaction, labelled demo.

use std::str::FromStr;

use async_trait::async_trait;
use kkig_core::demo::DemoWorld;
use sqlx::Row;

use crate::db::error::StoreError;

use crate::db::audit::{audit_in, AuditAction, AuditEntity};
use crate::db::parts::PARTS;
use crate::db::*;
use crate::*;

/// Which demo world a database holds, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoStatus {
    pub seed: u64,
    /// When it was loaded, unix seconds.
    pub loaded_at_unix: i64,
}

/// What `load_demo` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoOutcome {
    Loaded {
        placement_sites: usize,
        learning_centres: usize,
    },
    AlreadyLoaded(DemoStatus),
}

/// The generated demo world: whether one is loaded, and loading it.
#[async_trait]
pub trait DemoStore: Send + Sync {
    async fn demo_status(&self) -> Result<Option<DemoStatus>, StoreError>;

    /// Fill an empty database with the demo world, in one transaction. Refuses when the
    /// database holds data that is not demo data; does nothing when this demo is already there.
    async fn load_demo(&self, world: &DemoWorld) -> Result<DemoOutcome, StoreError>;
}

#[async_trait]
impl DemoStore for SqlStore {
    async fn demo_status(&self) -> Result<Option<DemoStatus>, StoreError> {
        let (Some(seed), Some(at)) = (self.meta("demo_seed").await?, self.meta("demo_loaded_at").await?) else {
            return Ok(None);
        };
        Ok(Some(DemoStatus {
            seed: u64::from_str(&seed).map_err(|e| corrupt("demo_seed", e))?,
            loaded_at_unix: i64::from_str(&at).map_err(|e| corrupt("demo_loaded_at", e))?,
        }))
    }

    async fn load_demo(&self, world: &DemoWorld) -> Result<DemoOutcome, StoreError> {
        let mut tx = self.begin_write().await?;
        // Inside the transaction, so two processes loading at once cannot both decide "empty".
        let seed: Option<String> = sqlx::query("SELECT value FROM kkig_meta WHERE key = 'demo_seed'")
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.get(0));
        if let Some(seed) = seed {
            tx.rollback().await?;
            let status = self
                .demo_status()
                .await?
                .ok_or_else(|| corrupt("demo_seed", "without demo_loaded_at"))?;
            if seed == world.seed.to_string() {
                return Ok(DemoOutcome::AlreadyLoaded(status));
            }
            return Err(StoreError::Conflict(format!(
                "this database already holds the demo world of seed {seed}; use a new database file for seed {}",
                world.seed
            )));
        }
        let real_services: i64 = sqlx::query("SELECT COUNT(*) FROM learning_centre_services WHERE demo = 0")
            .fetch_one(&mut *tx)
            .await?
            .get(0);
        let mut real = real_services;
        for part in PARTS {
            real += part.real_rows(&mut tx).await?;
        }
        if real > 0 {
            return Err(StoreError::Conflict(
                "this database already holds real data; demo data is only loaded into an empty database".into(),
            ));
        }
        for s in &world.learning_centre_services {
            sqlx::query(
                "INSERT INTO learning_centre_services (learning_centre_id, study_places, exam_sittings, video_rooms, study_guidance, demo)
                 VALUES ($1, $2, $3, $4, $5, 1)",
            )
            .bind(&s.learning_centre_id)
            .bind(s.study_places)
            .bind(i64::from(s.exam_sittings))
            .bind(s.video_rooms)
            .bind(i64::from(s.study_guidance))
            .execute(&mut *tx)
            .await?;
        }
        for part in PARTS {
            part.load_demo(&mut tx, self.backend(), world).await?;
        }
        let summary = serde_json::json!({
            "seed": world.seed,
            "offerings": world.offerings.len(),
            "placement_sites": world.placement_sites.len(),
            "learning_centre_services": world.learning_centre_services.len(),
            "supervisors": world.vfu.supervisors.len(),
            "vfu_periods": world.vfu.periods.len(),
            "vfu_students": world.vfu.students.len(),
            "placements": world.vfu.placements.len(),
            "forecast_inputs": world.forecast.inputs.len(),
        });
        audit_in(
            &mut tx,
            &Actor::system("demo"),
            AuditAction::Create,
            AuditEntity::DemoWorld,
            &world.seed.to_string(),
            None,
            None,
            Some(&summary),
        )
        .await?;
        for (key, value) in [
            ("demo_seed", world.seed.to_string()),
            ("demo_loaded_at", now_unix().to_string()),
        ] {
            sqlx::query("INSERT INTO kkig_meta (key, value) VALUES ($1, $2)")
                .bind(key)
                .bind(value)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(DemoOutcome::Loaded {
            placement_sites: world.placement_sites.len(),
            learning_centres: world.learning_centre_services.len(),
        })
    }
}
