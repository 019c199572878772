//! The region's reference data in the database: municipalities, universities and campuses,
//! learning centres and their services, occupations, and the placement sites the overview counts.

use async_trait::async_trait;
use kkig_core::text::swedish_cmp;
use kkig_core::vfu::{PlacementSite, SiteKind};
use kkig_core::{
    Campus, Kommunkod, LearningCentre, LearningCentreServices, Municipality, MunicipalityRole, Occupation,
    OccupationArea, ReferenceData, Ssyk, University,
};
use serde_json::json;
use sqlx::Row;

use crate::db::audit::audit_in;
use crate::db::error::StoreError;

use crate::db::*;
use crate::*;

/// A learning centre with what it offers, when that is known.
#[derive(Debug, Clone, PartialEq)]
pub struct LearningCentreEntry {
    pub centre: LearningCentre,
    pub services: Option<LearningCentreServices>,
    /// True when the services are generated demo data.
    pub services_are_demo: bool,
}

/// The region's reference data: municipalities, universities, learning centres, occupations,
/// and the placement sites the region overview counts.
#[async_trait]
pub trait RegionStore: Send + Sync {
    /// Insert or update all reference facts in one transaction. Running it twice changes nothing.
    async fn seed_reference(&self, reference: &ReferenceData) -> Result<(), StoreError>;

    /// All municipalities, participants first, each group by name.
    async fn municipalities(&self) -> Result<Vec<Municipality>, StoreError>;

    async fn municipality(&self, code: Kommunkod) -> Result<Option<Municipality>, StoreError>;

    async fn universities(&self) -> Result<Vec<University>, StoreError>;

    async fn learning_centres(&self) -> Result<Vec<LearningCentreEntry>, StoreError>;

    async fn occupations(&self) -> Result<Vec<Occupation>, StoreError>;

    /// Placement sites, of one municipality or all, by municipality and name.
    async fn placement_sites(&self, municipality: Option<Kommunkod>) -> Result<Vec<PlacementSite>, StoreError>;

    /// Number of placement sites per municipality and kind (for overviews, without loading sites).
    async fn placement_site_counts(&self) -> Result<Vec<(Kommunkod, SiteKind, i64)>, StoreError>;

    /// Replace a learning centre's services (audited). False if no such centre.
    async fn update_learning_centre_services(
        &self,
        services: &LearningCentreServices,
        actor: &Actor,
    ) -> Result<bool, StoreError>;
}

#[async_trait]
impl RegionStore for SqlStore {
    async fn seed_reference(&self, r: &ReferenceData) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for m in &r.municipalities {
            sqlx::query(
                "INSERT INTO municipalities (code, name, county_code, county_name, seat, lat, lon, population, population_year, role)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, county_code = excluded.county_code,
                   county_name = excluded.county_name, seat = excluded.seat, lat = excluded.lat, lon = excluded.lon,
                   population = excluded.population, population_year = excluded.population_year, role = excluded.role",
            )
            .bind(m.code.to_string())
            .bind(&m.name)
            .bind(&m.county_code)
            .bind(&m.county_name)
            .bind(&m.seat)
            .bind(m.position.lat)
            .bind(m.position.lon)
            .bind(m.population)
            .bind(i64::from(m.population_year))
            .bind(m.role.as_str())
            .execute(&mut *tx)
            .await?;
        }
        for u in &r.universities {
            sqlx::query("INSERT INTO universities (code, name) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET name = excluded.name")
                .bind(&u.code)
                .bind(&u.name)
                .execute(&mut *tx)
                .await?;
            for (i, c) in u.campuses.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO campuses (university_code, town, municipality_code, position) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (university_code, town) DO UPDATE SET municipality_code = excluded.municipality_code, position = excluded.position",
                )
                .bind(&u.code)
                .bind(&c.town)
                .bind(c.municipality.to_string())
                .bind(i as i64)
                .execute(&mut *tx)
                .await?;
            }
        }
        for lc in &r.learning_centres {
            sqlx::query(
                "INSERT INTO learning_centres (id, municipality_code, name, town, lat, lon, position_source)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (id) DO UPDATE SET municipality_code = excluded.municipality_code, name = excluded.name,
                   town = excluded.town, lat = excluded.lat, lon = excluded.lon, position_source = excluded.position_source",
            )
            .bind(&lc.id)
            .bind(lc.municipality.to_string())
            .bind(&lc.name)
            .bind(&lc.town)
            .bind(lc.position.lat)
            .bind(lc.position.lon)
            .bind(&lc.position_source)
            .execute(&mut *tx)
            .await?;
        }
        for o in &r.occupations {
            sqlx::query(
                "INSERT INTO occupations (ssyk, name, area) VALUES ($1, $2, $3)
                 ON CONFLICT (ssyk) DO UPDATE SET name = excluded.name, area = excluded.area",
            )
            .bind(o.ssyk.to_string())
            .bind(&o.name)
            .bind(o.area.as_str())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn municipalities(&self) -> Result<Vec<Municipality>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {MUNICIPALITY_COLUMNS} FROM municipalities"))
            .fetch_all(&self.pool)
            .await?;
        let mut out = rows.iter().map(municipality_from).collect::<Result<Vec<_>, _>>()?;
        // participants, then the campus towns, then the rest of Sweden; by name within each
        let rank = |r: MunicipalityRole| match r {
            MunicipalityRole::Participant => 0,
            MunicipalityRole::Campus => 1,
            MunicipalityRole::Other => 2,
        };
        out.sort_by(|a, b| {
            rank(a.role)
                .cmp(&rank(b.role))
                .then_with(|| swedish_cmp(&a.name, &b.name))
        });
        Ok(out)
    }

    async fn municipality(&self, code: Kommunkod) -> Result<Option<Municipality>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {MUNICIPALITY_COLUMNS} FROM municipalities WHERE code = $1"
        ))
        .bind(code.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(municipality_from).transpose()
    }

    async fn universities(&self) -> Result<Vec<University>, StoreError> {
        let rows = sqlx::query(
            "SELECT u.code, u.name, c.town, c.municipality_code FROM universities u
             LEFT JOIN campuses c ON c.university_code = u.code ORDER BY u.code, c.position",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<University> = Vec::new();
        for row in &rows {
            let code: String = row.try_get("code")?;
            if out.last().map(|u| u.code != code).unwrap_or(true) {
                out.push(University {
                    code: code.clone(),
                    name: row.try_get("name")?,
                    campuses: Vec::new(),
                });
            }
            if let Some(town) = row.try_get::<Option<String>, _>("town")? {
                let m = kommunkod(row, "municipality_code")?;
                if let Some(u) = out.last_mut() {
                    u.campuses.push(Campus { town, municipality: m });
                }
            }
        }
        // LTU, UmU, MIUN: the order of the reference file is the order people know them in.
        let order = ["LTU", "UmU", "MIUN"];
        out.sort_by_key(|u| order.iter().position(|o| *o == u.code).unwrap_or(order.len()));
        Ok(out)
    }

    async fn learning_centres(&self) -> Result<Vec<LearningCentreEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT l.id, l.municipality_code, l.name, l.town, l.lat, l.lon, l.position_source,
                    s.study_places, s.exam_sittings, s.video_rooms, s.study_guidance, s.demo
             FROM learning_centres l LEFT JOIN learning_centre_services s ON s.learning_centre_id = l.id
             ORDER BY l.id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let centre = LearningCentre {
                id: row.try_get("id")?,
                municipality: kommunkod(row, "municipality_code")?,
                name: row.try_get("name")?,
                town: row.try_get("town")?,
                position: position(row)?,
                position_source: row.try_get("position_source")?,
            };
            let services = match row.try_get::<Option<i64>, _>("study_places")? {
                Some(study_places) => Some(LearningCentreServices {
                    learning_centre_id: centre.id.clone(),
                    study_places,
                    exam_sittings: row.try_get::<i64, _>("exam_sittings")? != 0,
                    video_rooms: row.try_get("video_rooms")?,
                    study_guidance: row.try_get::<i64, _>("study_guidance")? != 0,
                }),
                None => None,
            };
            let services_are_demo = row.try_get::<Option<i64>, _>("demo")?.unwrap_or(0) != 0;
            out.push(LearningCentreEntry {
                centre,
                services,
                services_are_demo,
            });
        }
        Ok(out)
    }

    async fn occupations(&self) -> Result<Vec<Occupation>, StoreError> {
        let rows = sqlx::query("SELECT ssyk, name, area FROM occupations ORDER BY ssyk")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let ssyk: String = row.try_get("ssyk")?;
                let area: String = row.try_get("area")?;
                Ok(Occupation {
                    ssyk: Ssyk::parse(&ssyk).map_err(|e| corrupt("ssyk", e))?,
                    name: row.try_get("name")?,
                    area: OccupationArea::parse(&area).ok_or_else(|| corrupt("area", &area))?,
                })
            })
            .collect()
    }

    async fn placement_sites(&self, municipality: Option<Kommunkod>) -> Result<Vec<PlacementSite>, StoreError> {
        let base = "SELECT id, municipality_code, name, kind, address, lat, lon, fields FROM placement_sites";
        let rows = match municipality {
            Some(code) => {
                sqlx::query(&format!("{base} WHERE municipality_code = $1 ORDER BY id"))
                    .bind(code.to_string())
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                sqlx::query(&format!("{base} ORDER BY municipality_code, id"))
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        let mut out = rows
            .iter()
            .map(crate::vfu::site_from)
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.sort_by(|a, b| {
            a.municipality
                .cmp(&b.municipality)
                .then_with(|| swedish_cmp(&a.name, &b.name))
        });
        Ok(out)
    }

    async fn placement_site_counts(&self) -> Result<Vec<(Kommunkod, SiteKind, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT municipality_code, kind, COUNT(*) AS n FROM placement_sites GROUP BY municipality_code, kind
             ORDER BY municipality_code, kind",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                Ok((
                    kommunkod(row, "municipality_code")?,
                    SiteKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
                    row.try_get("n")?,
                ))
            })
            .collect()
    }

    async fn update_learning_centre_services(
        &self,
        s: &LearningCentreServices,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        if s.study_places < 0 || s.video_rooms < 0 {
            return Err(StoreError::Invalid(
                "study_places and video_rooms must be 0 or more".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        let exists = sqlx::query("SELECT 1 FROM learning_centres WHERE id = $1")
            .bind(&s.learning_centre_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Ok(false);
        }
        let before = sqlx::query("SELECT study_places, exam_sittings, video_rooms, study_guidance, demo FROM learning_centre_services WHERE learning_centre_id = $1")
            .bind(&s.learning_centre_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| {
                json!({
                    "study_places": r.get::<i64, _>(0), "exam_sittings": r.get::<i64, _>(1) != 0,
                    "video_rooms": r.get::<i64, _>(2), "study_guidance": r.get::<i64, _>(3) != 0, "demo": r.get::<i64, _>(4) != 0,
                })
            });
        sqlx::query(
            "INSERT INTO learning_centre_services (learning_centre_id, study_places, exam_sittings, video_rooms, study_guidance, demo)
             VALUES ($1, $2, $3, $4, $5, 0)
             ON CONFLICT (learning_centre_id) DO UPDATE SET study_places = excluded.study_places, exam_sittings = excluded.exam_sittings,
               video_rooms = excluded.video_rooms, study_guidance = excluded.study_guidance, demo = 0",
        )
        .bind(&s.learning_centre_id)
        .bind(s.study_places)
        .bind(i64::from(s.exam_sittings))
        .bind(s.video_rooms)
        .bind(i64::from(s.study_guidance))
        .execute(&mut *tx)
        .await?;
        let after = json!({"study_places": s.study_places, "exam_sittings": s.exam_sittings, "video_rooms": s.video_rooms, "study_guidance": s.study_guidance, "demo": false});
        audit_in(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::LearningCentreServices,
            &s.learning_centre_id,
            None,
            before.as_ref(),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
