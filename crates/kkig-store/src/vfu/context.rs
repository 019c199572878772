//! What validation of VFU input knows of the registry ([`VfuContext`]): the reference tables,
//! and the sites and periods an input or a write names ([`VfuRefs`]), or all of them for what
//! works on whole lists.

use super::*;

/// Ids per `IN (…)` query: far below SQLite's and PostgreSQL's limits on parameters.
const IDS_PER_QUERY: usize = 500;

/// `SELECT {columns} FROM {table} WHERE id IN (…)` for every id, in chunks.
async fn rows_with_ids<Id: AsRef<str>>(
    conn: &mut AnyConnection,
    columns: &str,
    table: &str,
    ids: &BTreeSet<Id>,
) -> Result<Vec<AnyRow>, StoreError> {
    let ids: Vec<&Id> = ids.iter().collect();
    let mut out = Vec::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("SELECT {columns} FROM {table} WHERE id IN ({})", marks.join(", "));
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id.as_ref());
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// What validation needs to know: the reference tables, and the sites and periods in `refs`
/// (all of them when `refs` is None).
pub(super) async fn load_context(conn: &mut AnyConnection, refs: Option<&VfuRefs>) -> Result<VfuContext, StoreError> {
    let mut ctx = VfuContext::default();
    for r in sqlx::query("SELECT code, lat, lon FROM municipalities")
        .fetch_all(&mut *conn)
        .await?
    {
        let pos = Position::new(r.try_get("lat")?, r.try_get("lon")?).map_err(|e| corrupt("position", e))?;
        ctx.municipalities.insert(kommunkod(&r, "code")?, pos);
    }
    for r in sqlx::query("SELECT code FROM universities")
        .fetch_all(&mut *conn)
        .await?
    {
        ctx.universities.insert(r.try_get("code")?);
    }
    const SITE_COLUMNS: &str = "id, municipality_code";
    let sites = match refs {
        None => {
            sqlx::query(&format!("SELECT {SITE_COLUMNS} FROM placement_sites"))
                .fetch_all(&mut *conn)
                .await?
        }
        Some(r) => rows_with_ids(conn, SITE_COLUMNS, "placement_sites", &r.sites).await?,
    };
    for r in sites {
        ctx.sites.insert(id_at(&r, "id")?, kommunkod(&r, "municipality_code")?);
    }
    const PERIOD_COLUMNS: &str = "id, university_code, field, start_date, end_date";
    let periods = match refs {
        None => {
            sqlx::query(&format!("SELECT {PERIOD_COLUMNS} FROM vfu_periods"))
                .fetch_all(&mut *conn)
                .await?
        }
        Some(r) => rows_with_ids(conn, PERIOD_COLUMNS, "vfu_periods", &r.periods).await?,
    };
    for r in periods {
        ctx.periods.insert(
            id_at(&r, "id")?,
            PeriodRef {
                university: r.try_get("university_code")?,
                field: field(&r, "field")?,
                start: day(&r, "start_date")?,
                end: day(&r, "end_date")?,
            },
        );
    }
    Ok(ctx)
}

/// The records VFU input may refer to.
#[async_trait]
pub trait VfuContextStore: Send + Sync {
    /// The records inputs may refer to (municipalities, universities, every site and period),
    /// for validating files and for what works on whole lists (the waiting list, the
    /// compensation basis, the lists of the API). One record's input is validated with
    /// [`VfuContextStore::vfu_context_for`], which reads only what it names.
    async fn vfu_context(&self) -> Result<VfuContext, StoreError>;

    /// The reference tables (municipalities, universities) and only the sites and periods
    /// `refs` names that exist (`VfuContext::restricted_to` of the whole context): for one
    /// record's input (`SiteInput::refs`, `StudentInput::refs`, …) a few rows instead of the
    /// whole registry, with the same validation.
    async fn vfu_context_for(&self, refs: &VfuRefs) -> Result<VfuContext, StoreError>;
}

#[async_trait]
impl VfuContextStore for SqlStore {
    async fn vfu_context(&self) -> Result<VfuContext, StoreError> {
        let mut conn = self.pool.acquire().await?;
        load_context(&mut conn, None).await
    }

    async fn vfu_context_for(&self, refs: &VfuRefs) -> Result<VfuContext, StoreError> {
        let mut conn = self.pool.acquire().await?;
        load_context(&mut conn, Some(refs)).await
    }
}
