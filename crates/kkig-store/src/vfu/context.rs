//! What validation of VFU input knows of the registry ([`VfuContext`]): the reference tables,
//! and the sites and periods a write names ([`Refs`]) or all of them.

use super::*;

/// The records a write refers to. Validating it loads only these sites and periods (and the
/// small reference tables), never the whole registry.
#[derive(Debug, Default)]
pub(super) struct Refs {
    sites: BTreeSet<String>,
    periods: BTreeSet<String>,
}

impl Refs {
    pub(super) fn sites<'a>(ids: impl IntoIterator<Item = &'a String>) -> Self {
        Refs {
            sites: ids.into_iter().cloned().collect(),
            ..Default::default()
        }
    }

    pub(super) fn periods<'a>(ids: impl IntoIterator<Item = &'a String>) -> Self {
        Refs {
            periods: ids.into_iter().cloned().collect(),
            ..Default::default()
        }
    }

    /// The site a supervisor works at, if any.
    pub(super) fn supervisors<'a>(items: impl IntoIterator<Item = &'a Supervisor>) -> Self {
        Refs::sites(items.into_iter().filter_map(|s| s.site_id.as_ref()))
    }

    /// A student's period and the sites they wish for.
    pub(super) fn students<'a>(items: impl IntoIterator<Item = &'a VfuStudent>) -> Self {
        let mut refs = Refs::default();
        for s in items {
            refs.periods.insert(s.period_id.clone());
            for w in &s.wishes {
                if let Wish::Site(id) = w {
                    refs.sites.insert(id.clone());
                }
            }
        }
        refs
    }
}

/// Ids per `IN (…)` query: far below SQLite's and PostgreSQL's limits on parameters.
const IDS_PER_QUERY: usize = 500;

/// `SELECT {columns} FROM {table} WHERE id IN (…)` for every id, in chunks.
async fn rows_with_ids(
    conn: &mut AnyConnection,
    columns: &str,
    table: &str,
    ids: &BTreeSet<String>,
) -> Result<Vec<AnyRow>, StoreError> {
    let ids: Vec<&String> = ids.iter().collect();
    let mut out = Vec::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("SELECT {columns} FROM {table} WHERE id IN ({})", marks.join(", "));
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id.as_str());
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// What validation needs to know: the reference tables, and the sites and periods in `refs`
/// (all of them when `refs` is None).
pub(super) async fn load_context(conn: &mut AnyConnection, refs: Option<&Refs>) -> Result<VfuContext, StoreError> {
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
        ctx.sites.insert(r.try_get("id")?, kommunkod(&r, "municipality_code")?);
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
            r.try_get("id")?,
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
    /// The records inputs may refer to (municipalities, universities, sites, periods), for
    /// validating forms and files with `kkig_core::vfu::input`.
    async fn vfu_context(&self) -> Result<VfuContext, StoreError>;
}

#[async_trait]
impl VfuContextStore for SqlStore {
    async fn vfu_context(&self) -> Result<VfuContext, StoreError> {
        let mut conn = self.pool.acquire().await?;
        load_context(&mut conn, None).await
    }
}
