//! SQL of the competence-supply forecast: a municipality's inputs per occupation, population by
//! age and year (observed and projected), Kolada key figures, clusters of municipalities, and
//! the VFU students placed per municipality and year (for local graduates).
//!
//! Every write is one transaction with its audit row. Inputs are validated with the core rules
//! (`ForecastInput::validate`) and refused as `StoreError::Fields`.

use std::collections::BTreeMap;

use async_trait::async_trait;
use kkig_core::forecast::computed::ForecastData;
use kkig_core::forecast::product::{ForecastDemo, ForecastInput, PopulationCell};
use kkig_core::forecast::AgeGroup;
use kkig_core::text::swedish_cmp;
use kkig_core::vfu::{FieldError, VfuField};
use kkig_core::{Kommunkod, Ssyk};
use kkig_formats::kolada::{Gender, KoladaRow};
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::accounts::sql::new_id;
use crate::db::audit::{audit_in, AuditAction, AuditEntity};
use crate::db::{corrupt, now_unix, NullableF64, SqlStore};
use crate::{Actor, StoreError};

type Tx = Transaction<'static, Any>;

/// A named group of municipalities the forecast views are summed over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ForecastCluster {
    pub id: String,
    pub name: String,
    #[schema(value_type = Vec<String>)]
    pub members: Vec<Kommunkod>,
    pub demo: bool,
}

/// A stored Kolada value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KoladaValue {
    pub kpi: String,
    pub municipality: Kommunkod,
    pub period: i32,
    /// `T`, `K` or `M`.
    pub gender: String,
    pub value: Option<f64>,
}

/// The forecast's part of the store. `Store` requires it; bring it into scope
/// (`use kkig_store::ForecastStore`) to call it on a `dyn Store`.
#[async_trait]
pub trait ForecastStore: Send + Sync {
    /// Inputs of one municipality or all, by municipality and SSYK.
    /// Everything the forecast of `municipality` (or of every one) reads: its inputs, the
    /// population cells and the VFU students per year, for [`ForecastData::compute`].
    async fn forecast_data(&self, municipality: Option<Kommunkod>) -> Result<ForecastData, StoreError> {
        let inputs = self.forecast_inputs(municipality).await?;
        let mut cells: std::collections::HashMap<Kommunkod, Vec<PopulationCell>> = std::collections::HashMap::new();
        for (m, c) in self.population_cells(municipality).await? {
            cells.entry(m).or_default().push(c);
        }
        let students = self.vfu_students_per_year(municipality).await?;
        Ok(ForecastData {
            inputs,
            cells,
            students,
        })
    }

    async fn forecast_inputs(&self, municipality: Option<Kommunkod>) -> Result<Vec<ForecastInput>, StoreError>;
    async fn forecast_input(&self, municipality: Kommunkod, ssyk: Ssyk) -> Result<Option<ForecastInput>, StoreError>;
    /// Insert or replace a municipality's input for an occupation (validated; audited).
    async fn save_forecast_input(&self, input: &ForecastInput, actor: &Actor) -> Result<(), StoreError>;
    /// Save several inputs (a staff file) in one transaction: every one validated first, any
    /// invalid → nothing written and `StoreError::Items`. Returns the number saved.
    async fn import_forecast_inputs(&self, inputs: &[ForecastInput], actor: &Actor) -> Result<usize, StoreError>;
    /// Population cells (both sexes) of one municipality or all.
    async fn population_cells(
        &self,
        municipality: Option<Kommunkod>,
    ) -> Result<Vec<(Kommunkod, PopulationCell)>, StoreError>;
    /// Replace the population of every (municipality, year, observed/projection) in `cells`
    /// by `cells`, in one transaction (audited with the source). Returns the number of cells.
    async fn import_population(
        &self,
        cells: &[(Kommunkod, PopulationCell)],
        source: &str,
        actor: &Actor,
    ) -> Result<usize, StoreError>;
    /// Insert or replace Kolada values, in one transaction (audited). Returns the number.
    async fn import_kolada(&self, rows: &[KoladaRow], source: &str, actor: &Actor) -> Result<usize, StoreError>;
    /// Kolada values of a municipality, by KPI, period and gender.
    async fn kolada_values(&self, municipality: Kommunkod) -> Result<Vec<KoladaValue>, StoreError>;
    /// VFU students placed in a municipality (by the site), per field and calendar year of the
    /// period's start, withdrawn placements left out: `(municipality, field, year, students)`.
    async fn vfu_students_per_year(
        &self,
        municipality: Option<Kommunkod>,
    ) -> Result<Vec<(Kommunkod, VfuField, i32, u32)>, StoreError>;
    /// Clusters by name.
    async fn forecast_clusters(&self) -> Result<Vec<ForecastCluster>, StoreError>;
    async fn forecast_cluster(&self, id: &str) -> Result<Option<ForecastCluster>, StoreError>;
    /// Create a cluster (validated: a name of 1…80 characters, 1 or more known municipalities;
    /// audited). Conflict when the name is taken.
    async fn create_forecast_cluster(
        &self,
        name: &str,
        members: &[Kommunkod],
        actor: &Actor,
    ) -> Result<ForecastCluster, StoreError>;
    /// False when there is no such cluster.
    async fn delete_forecast_cluster(&self, id: &str, actor: &Actor) -> Result<bool, StoreError>;
}

fn input_from(row: &AnyRow) -> Result<ForecastInput, StoreError> {
    let code: String = row.try_get("municipality_code")?;
    let ssyk: String = row.try_get("ssyk")?;
    let staff: String = row.try_get("staff_by_age")?;
    let staff: BTreeMap<String, f64> = serde_json::from_str(&staff).map_err(|e| corrupt("staff_by_age", e))?;
    let staff_by_age = staff
        .into_iter()
        .map(|(k, v)| k.parse::<u32>().map(|a| (a, v)).map_err(|e| corrupt("staff_by_age", e)))
        .collect::<Result<_, _>>()?;
    let int = |col: &str| -> Result<i64, StoreError> { Ok(row.try_get::<i64, _>(col)?) };
    Ok(ForecastInput {
        municipality: Kommunkod::parse(&code).map_err(|e| corrupt("municipality_code", e))?,
        ssyk: Ssyk::parse(&ssyk).map_err(|e| corrupt("ssyk", e))?,
        base_year: int("base_year")? as i32,
        staff_by_age,
        vacancies: row.try_get("vacancies")?,
        completion_share: row.try_get("completion_share")?,
        retirement_age: int("retirement_age")? as u32,
        exit_rate: row.try_get("exit_rate")?,
        entry_age: int("entry_age")? as u32,
        retention: row.try_get("retention")?,
    })
}

fn input_json(i: &ForecastInput) -> Value {
    serde_json::to_value(i).unwrap_or(Value::Null)
}

async fn write_input(tx: &mut Tx, i: &ForecastInput, demo: bool) -> Result<(), StoreError> {
    let staff: BTreeMap<String, f64> = i.staff_by_age.iter().map(|(a, n)| (a.to_string(), *n)).collect();
    sqlx::query(
        "INSERT INTO forecast_inputs (municipality_code, ssyk, base_year, staff_by_age, vacancies, completion_share,
                                      retirement_age, exit_rate, entry_age, retention, updated_at, demo)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (municipality_code, ssyk) DO UPDATE SET base_year = excluded.base_year,
           staff_by_age = excluded.staff_by_age, vacancies = excluded.vacancies,
           completion_share = excluded.completion_share, retirement_age = excluded.retirement_age,
           exit_rate = excluded.exit_rate, entry_age = excluded.entry_age, retention = excluded.retention,
           updated_at = excluded.updated_at, demo = excluded.demo",
    )
    .bind(i.municipality.to_string())
    .bind(i.ssyk.to_string())
    .bind(i64::from(i.base_year))
    .bind(serde_json::to_string(&staff).unwrap_or_else(|_| "{}".into()))
    .bind(i.vacancies)
    .bind(i.completion_share)
    .bind(i64::from(i.retirement_age))
    .bind(i.exit_rate)
    .bind(i64::from(i.entry_age))
    .bind(i.retention)
    .bind(now_unix())
    .bind(i64::from(demo))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Insert or replace one validated input, audited with before and after.
async fn save_input_in(tx: &mut Tx, input: &ForecastInput, actor: &Actor) -> Result<(), StoreError> {
    // The forecast covers the region (participants and campus towns), not all of Sweden.
    let known: i64 = sqlx::query("SELECT COUNT(*) FROM municipalities WHERE code = $1 AND role <> 'other'")
        .bind(input.municipality.to_string())
        .fetch_one(&mut **tx)
        .await?
        .get(0);
    if known == 0 {
        return Err(StoreError::Fields(vec![FieldError::new(
            "municipality",
            format!(
                "municipality {} is not in the region the forecast covers",
                input.municipality
            ),
        )]));
    }
    let before = sqlx::query("SELECT * FROM forecast_inputs WHERE municipality_code = $1 AND ssyk = $2")
        .bind(input.municipality.to_string())
        .bind(input.ssyk.to_string())
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(input_from)
        .transpose()?;
    write_input(tx, input, false).await?;
    let id = format!("{}/{}", input.municipality, input.ssyk);
    let action = if before.is_some() {
        AuditAction::Update
    } else {
        AuditAction::Create
    };
    audit_in(
        tx,
        actor,
        action,
        AuditEntity::ForecastInput,
        &id,
        None,
        before.as_ref().map(input_json).as_ref(),
        Some(&input_json(input)),
    )
    .await?;
    Ok(())
}

fn parse_age(s: &str) -> Result<AgeGroup, StoreError> {
    kkig_formats::population::parse_age(s).ok_or_else(|| corrupt("age", s))
}

/// Insert population cells, many to a statement.
async fn insert_cells(tx: &mut Tx, cells: &[(Kommunkod, PopulationCell)], demo: bool) -> Result<(), StoreError> {
    for chunk in cells.chunks(200) {
        let mut sql = String::from(
            "INSERT INTO forecast_population (municipality_code, year, age, projection, value, demo) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 6;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6
            ));
        }
        let mut q = sqlx::query(&sql);
        for (m, c) in chunk {
            q = q
                .bind(m.to_string())
                .bind(i64::from(c.year))
                .bind(c.age.to_string())
                .bind(i64::from(c.projection))
                .bind(NullableF64(c.value))
                .bind(i64::from(demo));
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

async fn cluster_members(conn: &mut sqlx::AnyConnection, id: &str) -> Result<Vec<Kommunkod>, StoreError> {
    let rows = sqlx::query(
        "SELECT municipality_code FROM forecast_cluster_members WHERE cluster_id = $1 ORDER BY municipality_code",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let s: String = r.try_get(0)?;
            Kommunkod::parse(&s).map_err(|e| corrupt("municipality_code", e))
        })
        .collect()
}

/// The demo's inputs, population and two clusters, inside `load_demo`'s transaction.
pub(crate) async fn load_demo_forecast(tx: &mut Tx, demo: &ForecastDemo) -> Result<(), StoreError> {
    for i in &demo.inputs {
        write_input(tx, i, true).await?;
    }
    insert_cells(tx, &demo.population, true).await?;
    let participants: Vec<String> = demo.inputs.iter().map(|i| i.municipality.to_string()).collect();
    // Lappland (the province): Arjeplog, Arvidsjaur, Gällivare, Jokkmokk, Kiruna and the
    // Södra Lappland municipalities: Dorotea, Lycksele, Sorsele, Storuman, Vilhelmina, Åsele.
    let lappland = [
        "2506", "2505", "2523", "2510", "2584", "2425", "2481", "2422", "2421", "2462", "2463",
    ];
    let sodra = ["2425", "2481", "2422", "2421", "2462", "2463"];
    for (id, name, members) in [
        ("lappland", "Lappland", &lappland[..]),
        ("sodra-lappland", "Södra Lappland", &sodra[..]),
    ] {
        sqlx::query("INSERT INTO forecast_clusters (id, name, demo) VALUES ($1, $2, 1)")
            .bind(id)
            .bind(name)
            .execute(&mut **tx)
            .await?;
        for m in members.iter().filter(|m| participants.iter().any(|p| p == *m)) {
            sqlx::query("INSERT INTO forecast_cluster_members (cluster_id, municipality_code) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(*m)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

#[async_trait]
impl ForecastStore for SqlStore {
    async fn forecast_inputs(&self, municipality: Option<Kommunkod>) -> Result<Vec<ForecastInput>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM forecast_inputs WHERE (CAST($1 AS TEXT) IS NULL OR municipality_code = $1) ORDER BY municipality_code, ssyk",
        )
        .bind(municipality.map(|m| m.to_string()))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(input_from).collect()
    }

    async fn forecast_input(&self, municipality: Kommunkod, ssyk: Ssyk) -> Result<Option<ForecastInput>, StoreError> {
        let row = sqlx::query("SELECT * FROM forecast_inputs WHERE municipality_code = $1 AND ssyk = $2")
            .bind(municipality.to_string())
            .bind(ssyk.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(input_from).transpose()
    }

    async fn save_forecast_input(&self, input: &ForecastInput, actor: &Actor) -> Result<(), StoreError> {
        input.validate().map_err(StoreError::Fields)?;
        let mut tx = self.begin_write().await?;
        save_input_in(&mut tx, input, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn import_forecast_inputs(&self, inputs: &[ForecastInput], actor: &Actor) -> Result<usize, StoreError> {
        let items: Vec<(usize, FieldError)> = inputs
            .iter()
            .enumerate()
            .flat_map(|(i, x)| x.validate().err().unwrap_or_default().into_iter().map(move |e| (i, e)))
            .collect();
        if !items.is_empty() {
            return Err(StoreError::Items(items));
        }
        let mut tx = self.begin_write().await?;
        for (i, input) in inputs.iter().enumerate() {
            match save_input_in(&mut tx, input, actor).await {
                Err(StoreError::Fields(errors)) => {
                    return Err(StoreError::Items(errors.into_iter().map(|e| (i, e)).collect()))
                }
                other => other?,
            }
        }
        tx.commit().await?;
        Ok(inputs.len())
    }

    async fn population_cells(
        &self,
        municipality: Option<Kommunkod>,
    ) -> Result<Vec<(Kommunkod, PopulationCell)>, StoreError> {
        let rows = sqlx::query(
            "SELECT municipality_code, year, age, projection, value FROM forecast_population
             WHERE (CAST($1 AS TEXT) IS NULL OR municipality_code = $1) ORDER BY municipality_code, projection, year",
        )
        .bind(municipality.map(|m| m.to_string()))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let code: String = r.try_get(0)?;
                let age: String = r.try_get(2)?;
                Ok((
                    Kommunkod::parse(&code).map_err(|e| corrupt("municipality_code", e))?,
                    PopulationCell {
                        age: parse_age(&age)?,
                        year: r.try_get::<i64, _>(1)? as i32,
                        value: r.try_get(4)?,
                        projection: r.try_get::<i64, _>(3)? != 0,
                    },
                ))
            })
            .collect()
    }

    async fn import_population(
        &self,
        cells: &[(Kommunkod, PopulationCell)],
        source: &str,
        actor: &Actor,
    ) -> Result<usize, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut keys: Vec<(Kommunkod, bool, i32)> = cells.iter().map(|(m, c)| (*m, c.projection, c.year)).collect();
        keys.sort();
        keys.dedup();
        for (m, projection, year) in &keys {
            sqlx::query(
                "DELETE FROM forecast_population WHERE municipality_code = $1 AND projection = $2 AND year = $3",
            )
            .bind(m.to_string())
            .bind(i64::from(*projection))
            .bind(i64::from(*year))
            .execute(&mut *tx)
            .await?;
        }
        insert_cells(&mut tx, cells, false).await?;
        let municipalities: std::collections::BTreeSet<String> = keys.iter().map(|k| k.0.to_string()).collect();
        let years: std::collections::BTreeSet<i32> = keys.iter().map(|k| k.2).collect();
        let summary = json!({"source": source, "cells": cells.len(), "municipalities": municipalities, "years": years,
                             "projection": keys.iter().any(|k| k.1)});
        audit_in(
            &mut tx,
            actor,
            AuditAction::Import,
            AuditEntity::Population,
            source,
            None,
            None,
            Some(&summary),
        )
        .await?;
        tx.commit().await?;
        Ok(cells.len())
    }

    async fn import_kolada(&self, rows: &[KoladaRow], source: &str, actor: &Actor) -> Result<usize, StoreError> {
        let mut tx = self.begin_write().await?;
        for r in rows {
            let gender = match r.gender {
                Gender::Total => "T",
                Gender::Female => "K",
                Gender::Male => "M",
            };
            sqlx::query(
                "INSERT INTO kolada_values (kpi, municipality_code, period, gender, value) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (kpi, municipality_code, period, gender) DO UPDATE SET value = excluded.value",
            )
            .bind(&r.kpi)
            .bind(r.kommunkod.to_string())
            .bind(i64::from(r.period))
            .bind(gender)
            .bind(NullableF64(r.value))
            .execute(&mut *tx)
            .await?;
        }
        let kpis: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.kpi.as_str()).collect();
        audit_in(
            &mut tx,
            actor,
            AuditAction::Import,
            AuditEntity::Kolada,
            source,
            None,
            None,
            Some(&json!({"source": source, "values": rows.len(), "kpis": kpis})),
        )
        .await?;
        tx.commit().await?;
        Ok(rows.len())
    }

    async fn kolada_values(&self, municipality: Kommunkod) -> Result<Vec<KoladaValue>, StoreError> {
        let rows = sqlx::query("SELECT kpi, period, gender, value FROM kolada_values WHERE municipality_code = $1 ORDER BY kpi, period, gender")
            .bind(municipality.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(KoladaValue {
                    kpi: r.try_get(0)?,
                    municipality,
                    period: r.try_get::<i64, _>(1)? as i32,
                    gender: r.try_get(2)?,
                    value: r.try_get(3)?,
                })
            })
            .collect()
    }

    async fn vfu_students_per_year(
        &self,
        municipality: Option<Kommunkod>,
    ) -> Result<Vec<(Kommunkod, VfuField, i32, u32)>, StoreError> {
        let rows = sqlx::query(
            "SELECT ps.municipality_code, p.field, substr(p.start_date, 1, 4) AS y, COUNT(DISTINCT s.id) AS n
             FROM vfu_placements pl
             JOIN vfu_students s ON s.id = pl.student_id
             JOIN vfu_periods p ON p.id = s.period_id
             JOIN placement_sites ps ON ps.id = pl.site_id
             WHERE pl.status <> 'withdrawn' AND (CAST($1 AS TEXT) IS NULL OR ps.municipality_code = $1)
             GROUP BY ps.municipality_code, p.field, substr(p.start_date, 1, 4)
             ORDER BY ps.municipality_code, p.field, y",
        )
        .bind(municipality.map(|m| m.to_string()))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let code: String = r.try_get(0)?;
                let field: String = r.try_get(1)?;
                let year: String = r.try_get(2)?;
                Ok((
                    Kommunkod::parse(&code).map_err(|e| corrupt("municipality_code", e))?,
                    VfuField::parse(&field).ok_or_else(|| corrupt("field", &field))?,
                    year.parse().map_err(|e| corrupt("start_date", e))?,
                    r.try_get::<i64, _>(3)? as u32,
                ))
            })
            .collect()
    }

    async fn forecast_clusters(&self) -> Result<Vec<ForecastCluster>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let rows = sqlx::query("SELECT id, name, demo FROM forecast_clusters")
            .fetch_all(&mut *conn)
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            let id: String = r.try_get(0)?;
            let members = cluster_members(&mut conn, &id).await?;
            out.push(ForecastCluster {
                id,
                name: r.try_get(1)?,
                members,
                demo: r.try_get::<i64, _>(2)? != 0,
            });
        }
        out.sort_by(|a, b| swedish_cmp(&a.name, &b.name));
        Ok(out)
    }

    async fn forecast_cluster(&self, id: &str) -> Result<Option<ForecastCluster>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let Some(r) = sqlx::query("SELECT id, name, demo FROM forecast_clusters WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
        else {
            return Ok(None);
        };
        let members = cluster_members(&mut conn, id).await?;
        Ok(Some(ForecastCluster {
            id: r.try_get(0)?,
            name: r.try_get(1)?,
            members,
            demo: r.try_get::<i64, _>(2)? != 0,
        }))
    }

    async fn create_forecast_cluster(
        &self,
        name: &str,
        members: &[Kommunkod],
        actor: &Actor,
    ) -> Result<ForecastCluster, StoreError> {
        let name = name.trim();
        let mut errors = Vec::new();
        if name.is_empty() || name.chars().count() > 80 {
            errors.push(FieldError::new("name", "a name of 1 to 80 characters is required"));
        }
        let mut members: Vec<Kommunkod> = members.to_vec();
        members.sort();
        members.dedup();
        if members.is_empty() {
            errors.push(FieldError::new("members", "choose at least one municipality"));
        }
        let mut tx = self.begin_write().await?;
        for m in &members {
            let known: i64 = sqlx::query("SELECT COUNT(*) FROM municipalities WHERE code = $1 AND role <> 'other'")
                .bind(m.to_string())
                .fetch_one(&mut *tx)
                .await?
                .get(0);
            if known == 0 {
                errors.push(FieldError::new(
                    "members",
                    format!("municipality {m} is not in the region the forecast covers"),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(StoreError::Fields(errors));
        }
        let taken: i64 = sqlx::query("SELECT COUNT(*) FROM forecast_clusters WHERE name = $1")
            .bind(name)
            .fetch_one(&mut *tx)
            .await?
            .get(0);
        if taken > 0 {
            return Err(StoreError::Conflict(format!("a cluster named {name} already exists")));
        }
        let id = new_id("cluster");
        sqlx::query("INSERT INTO forecast_clusters (id, name, demo) VALUES ($1, $2, 0)")
            .bind(&id)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        for m in &members {
            sqlx::query("INSERT INTO forecast_cluster_members (cluster_id, municipality_code) VALUES ($1, $2)")
                .bind(&id)
                .bind(m.to_string())
                .execute(&mut *tx)
                .await?;
        }
        let cluster = ForecastCluster {
            id: id.clone(),
            name: name.to_string(),
            members,
            demo: false,
        };
        audit_in(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::ForecastCluster,
            &id,
            None,
            None,
            Some(&serde_json::to_value(&cluster).unwrap_or(Value::Null)),
        )
        .await?;
        tx.commit().await?;
        Ok(cluster)
    }

    async fn delete_forecast_cluster(&self, id: &str, actor: &Actor) -> Result<bool, StoreError> {
        let Some(before) = self.forecast_cluster(id).await? else {
            return Ok(false);
        };
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM forecast_cluster_members WHERE cluster_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let n = sqlx::query("DELETE FROM forecast_clusters WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Ok(false);
        }
        audit_in(
            &mut tx,
            actor,
            AuditAction::Delete,
            AuditEntity::ForecastCluster,
            id,
            None,
            Some(&serde_json::to_value(&before).unwrap_or(Value::Null)),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// The forecast's part of the demo world ([`crate::db::parts`]); it keeps no personal data.
pub(crate) struct Part;

#[async_trait]
impl crate::db::parts::Part for Part {
    fn name(&self) -> &'static str {
        "forecast"
    }

    fn real_rows_sql(&self) -> Option<&'static str> {
        Some("SELECT COUNT(*) FROM forecast_inputs WHERE demo = 0")
    }

    async fn load_demo(
        &self,
        tx: &mut Tx,
        _: crate::Backend,
        world: &kkig_core::demo::DemoWorld,
    ) -> Result<(), StoreError> {
        load_demo_forecast(tx, &world.forecast).await
    }
}
