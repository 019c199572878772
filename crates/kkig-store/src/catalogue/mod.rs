//! The education catalogue and the measured travel-time matrix: the import report, the chunked
//! upsert of offerings (for imports and the demo), the catalogue version, and
//! [`CatalogueStore`] (`store`).

mod store;

pub use store::CatalogueStore;

use std::collections::HashMap;

use kkig_core::catalogue::Offering;
use sqlx::Row;

use crate::db::now_unix;
use crate::{Backend, StoreError};

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Offerings removed because the publisher deleted or cancelled what they come from.
    pub removed: usize,
}

/// What a publisher removed (a deleted record, a cancelled event), and so which offerings go:
/// an event is one offering; a deleted education info or provider takes every offering of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfferingRemoval {
    /// The offering with this id (the event's).
    Event(String),
    /// Every offering of this education (info id).
    Education(String),
    /// Every offering of this provider.
    Provider(String),
}

/// Delete the offerings `removals` name inside a transaction; returns the ids removed.
pub(crate) async fn remove_offerings_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    removals: &[OfferingRemoval],
) -> Result<Vec<String>, StoreError> {
    let mut removed = Vec::new();
    for r in removals {
        let (column, id) = match r {
            OfferingRemoval::Event(id) => ("id", id),
            OfferingRemoval::Education(id) => ("education_id", id),
            OfferingRemoval::Provider(id) => ("provider_id", id),
        };
        let ids: Vec<String> = sqlx::query(&format!(
            "DELETE FROM offerings WHERE {column} = $1 AND demo = 0 RETURNING id"
        ))
        .bind(id)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|row| row.get(0))
        .collect();
        removed.extend(ids);
    }
    if !removed.is_empty() {
        bump_version(tx).await?;
    }
    Ok(removed)
}

/// Insert or update offerings inside a transaction; returns the report and the changed ids.
/// Offerings per statement in an import: 500 × 14 parameters stays well under SQLite's
/// 32,766 and PostgreSQL's 65,535.
const UPSERT_CHUNK: usize = 500;
/// Parameters per offering in the upsert.
const UPSERT_COLUMNS: usize = 14;

/// The n-th (1-based) bind parameter: `$n` for PostgreSQL, `?` for SQLite. SQLite looks a
/// named parameter (`$n`) up by walking every name before it, and sqlx asks for each one's
/// name, so a statement with thousands of named parameters costs their square.
fn param(backend: Backend, n: usize) -> String {
    match backend {
        Backend::Sqlite => "?".to_string(),
        Backend::Postgres => format!("${n}"),
    }
}

pub(crate) async fn upsert_offerings_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    items: &[Offering],
    demo: bool,
) -> Result<(ImportReport, Vec<String>), StoreError> {
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    if let Some(o) = items.iter().find(|o| !seen.insert(o.id.as_str())) {
        return Err(StoreError::Invalid(format!(
            "offering {} appears twice in one import",
            o.id
        )));
    }
    let mut report = ImportReport::default();
    let mut changed = Vec::new();
    // Few, large statements: sqlx hands every statement to the database's worker thread, so
    // 100,000 offerings one by one cost 200,000 hand-offs; in chunks they cost a few hundred.
    for chunk in items.chunks(UPSERT_CHUNK) {
        let mut sql = String::from("SELECT id, data FROM offerings WHERE id IN (");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&param(backend, i + 1));
        }
        sql.push(')');
        let mut select = sqlx::query(&sql);
        for o in chunk {
            select = select.bind(&o.id);
        }
        let existing: HashMap<String, String> = select
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let mut rows: Vec<(&Offering, String)> = Vec::new();
        for o in chunk {
            let data = serde_json::to_string(o).map_err(|e| StoreError::Invalid(e.to_string()))?;
            match existing.get(&o.id) {
                Some(d) if *d == data => {
                    report.unchanged += 1;
                    continue;
                }
                Some(_) => report.updated += 1,
                None => report.created += 1,
            }
            changed.push(o.id.clone());
            rows.push((o, data));
        }
        if rows.is_empty() {
            continue;
        }
        let mut sql = String::from(
            "INSERT INTO offerings (id, education_id, provider_id, provider_name, title, code, school_type, form, pace_percent, start_date, end_date, data, demo, updated_at) VALUES ",
        );
        for i in 0..rows.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for c in 0..UPSERT_COLUMNS {
                if c > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&param(backend, i * UPSERT_COLUMNS + c + 1));
            }
            sql.push(')');
        }
        sql.push_str(
            " ON CONFLICT (id) DO UPDATE SET education_id = excluded.education_id, provider_id = excluded.provider_id,
               provider_name = excluded.provider_name, title = excluded.title, code = excluded.code, school_type = excluded.school_type,
               form = excluded.form, pace_percent = excluded.pace_percent, start_date = excluded.start_date, end_date = excluded.end_date,
               data = excluded.data, demo = excluded.demo, updated_at = excluded.updated_at",
        );
        let now = now_unix();
        let mut insert = sqlx::query(&sql);
        for (o, data) in &rows {
            insert = insert
                .bind(&o.id)
                .bind(&o.education_id)
                .bind(&o.provider_id)
                .bind(&o.provider_name)
                .bind(&o.title)
                .bind(&o.code)
                .bind(o.school_type.as_str())
                .bind(o.form.as_str())
                .bind(i64::from(o.pace_percent))
                .bind(&o.start)
                .bind(&o.end)
                .bind(data)
                .bind(i64::from(demo))
                .bind(now);
        }
        insert.execute(&mut **tx).await?;
    }
    if !changed.is_empty() {
        bump_version(tx).await?;
    }
    Ok((report, changed))
}

/// Every change to the catalogue or the travel matrix bumps this counter, so that web nodes
/// know to rebuild their search index.
async fn bump_version(tx: &mut sqlx::Transaction<'static, sqlx::Any>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO kkig_meta (key, value) VALUES ('catalogue_version', '1')
         ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(kkig_meta.value AS BIGINT) + 1 AS TEXT)",
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The catalogue's part of the demo world ([`crate::db::parts`]); it keeps no personal data.
pub(crate) struct Part;

#[async_trait::async_trait]
impl crate::db::parts::Part for Part {
    fn name(&self) -> &'static str {
        "catalogue"
    }

    fn real_rows_sql(&self) -> Option<&'static str> {
        Some("SELECT COUNT(*) FROM offerings WHERE demo = 0")
    }

    async fn load_demo(
        &self,
        tx: &mut crate::db::parts::Tx,
        backend: Backend,
        world: &kkig_core::demo::DemoWorld,
    ) -> Result<(), StoreError> {
        upsert_offerings_in(tx, backend, &world.offerings, true)
            .await
            .map(|_| ())
    }
}
