//! The SQL implementation of [`Store`] over sqlx's `Any` driver (SQLite and PostgreSQL).

use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use kkig_core::demo::DemoWorld;
use kkig_core::text::swedish_cmp;
use kkig_core::vfu::{PlacementSite, SiteKind};
use kkig_core::{
    Campus, Kommunkod, LearningCentre, LearningCentreServices, Municipality, MunicipalityRole, Occupation,
    OccupationArea, Position, ReferenceData, Ssyk, University,
};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor, Row};

use crate::accounts_sql::{audit_in, insert_person, normalize_email, set_password_in};
use crate::error::StoreError;
use crate::prelude::*;
use crate::url::{normalize_database_url, Backend};
use crate::{
    Actor, AuditEntry, DemoOutcome, DemoStatus, LearningCentreEntry, NewUser, RetentionCandidate, SessionRow,
    SignInAttempt, SignInFailure, SignInStart, TokenRecord, UserRecord,
};

pub(crate) static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
pub(crate) static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// The SQL store. Cheap to clone (the pool is shared).
#[derive(Clone, Debug)]
pub struct SqlStore {
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
}

/// A URL fit for messages and logs: the password, if any, replaced by `***`.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..scheme_end + 3], &userinfo[..colon], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

pub(crate) fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl SqlStore {
    /// Open the database at `url` (see [`normalize_database_url`]), creating a SQLite file when
    /// needed, and apply the backend's migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(url, true).await
    }

    /// Open without migrating (for `kkig migrate` to report separately, and for tests).
    pub async fn connect_with(url: &str, migrate: bool) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let (backend, full) = normalize_database_url(url)?;
        let shown = redact(url);
        let is_sqlite = backend == Backend::Sqlite;
        let pool = AnyPoolOptions::new()
            .max_connections(if is_sqlite { 8 } else { 16 })
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if is_sqlite {
                        // Two processes on one file must wait for each other, never fail or
                        // corrupt: WAL lets readers and one writer work side by side, and the
                        // busy timeout makes a second writer wait its turn.
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                    }
                    Ok(())
                })
            })
            .connect(&full)
            .await
            .map_err(|source| StoreError::Connect {
                url: shown.clone(),
                source,
            })?;
        if is_sqlite && !full.contains(":memory:") {
            pool.execute("PRAGMA journal_mode = WAL")
                .await
                .map_err(|source| StoreError::Connect {
                    url: shown.clone(),
                    source,
                })?;
        }
        let store = Self { pool, backend };
        if migrate {
            store.migrate().await.map_err(|e| match e {
                StoreError::Migrate { source, .. } => StoreError::Migrate {
                    url: shown.clone(),
                    source,
                },
                other => other,
            })?;
        }
        Ok(store)
    }

    /// Apply the migrations of this backend that are not yet applied.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await.map_err(|source| StoreError::Migrate {
            url: String::new(),
            source,
        })
    }

    /// The pool, for the store's own tests (e.g. integrity checks).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begin a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a transaction that reads first and writes later could otherwise
    /// fail with "database is locked" when another process wrote in between, because SQLite
    /// cannot wait for a lock while holding an outdated read snapshot.
    ///
    /// Its first statement bumps the data version ([`Store::data_version`]), so every web node
    /// knows that pages computed from the data must be computed again. Other connections see
    /// the new version when the transaction commits, together with the data (a rolled-back
    /// transaction bumps nothing). On PostgreSQL the bump's row lock orders write transactions
    /// one after another, as `BEGIN IMMEDIATE` does on SQLite; kkig's writes are short.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        let mut tx = self.begin_write_unversioned().await?;
        sqlx::query(
            "INSERT INTO kkig_meta (key, value) VALUES ('data_version', '1')
             ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(kkig_meta.value AS BIGINT) + 1 AS TEXT)",
        )
        .execute(&mut *tx)
        .await?;
        Ok(tx)
    }

    /// A write transaction that changes nothing any page computes from (sign-in bookkeeping):
    /// it leaves the data version alone.
    pub(crate) async fn begin_write_unversioned(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    pub(crate) async fn data_version_impl(&self) -> Result<i64, StoreError> {
        let v = self.meta("data_version").await?;
        Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT value FROM kkig_meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.get::<String, _>(0)))
    }
}

/// An optional `f64` to bind. sqlx 0.8's Any driver passes a NULL `f64` on to PostgreSQL typed
/// as `float4` (its `AnyArguments::convert_to` swaps Real and Double for NULLs); the statement
/// is prepared with that type and cached on the connection, and the next call on it that binds
/// a number fails with "incorrect binary data format in bind parameter N" — an error that came
/// and went with which pooled connection first saw a NULL. A NULL `f32` reaches PostgreSQL as
/// `float8`, so `None` is bound as that; a number is bound as the `f64` it is. SQLite is not
/// affected (a NULL is a NULL).
pub(crate) struct NullableF64(pub Option<f64>);

impl sqlx::Type<sqlx::Any> for NullableF64 {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <f64 as sqlx::Type<sqlx::Any>>::type_info()
    }
}

impl<'q> sqlx::Encode<'q, sqlx::Any> for NullableF64 {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        match self.0 {
            Some(v) => <f64 as sqlx::Encode<'q, sqlx::Any>>::encode_by_ref(&v, buf),
            None => <Option<f32> as sqlx::Encode<'q, sqlx::Any>>::encode_by_ref(&None, buf),
        }
    }
}

pub(crate) fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

fn position(row: &AnyRow) -> Result<Position, StoreError> {
    Position::new(row.try_get("lat")?, row.try_get("lon")?).map_err(|e| corrupt("position", e))
}

fn kommunkod(row: &AnyRow, column: &str) -> Result<Kommunkod, StoreError> {
    let s: String = row.try_get(column)?;
    Kommunkod::parse(&s).map_err(|e| corrupt(column, e))
}

fn municipality_from(row: &AnyRow) -> Result<Municipality, StoreError> {
    let role: String = row.try_get("role")?;
    Ok(Municipality {
        code: kommunkod(row, "code")?,
        name: row.try_get("name")?,
        county_code: row.try_get("county_code")?,
        county_name: row.try_get("county_name")?,
        seat: row.try_get("seat")?,
        position: position(row)?,
        population: row.try_get("population")?,
        population_year: row.try_get::<i64, _>("population_year")? as i32,
        role: MunicipalityRole::parse(&role).ok_or_else(|| corrupt("role", &role))?,
    })
}

const MUNICIPALITY_COLUMNS: &str =
    "code, name, county_code, county_name, seat, lat, lon, population, population_year, role";

#[async_trait]
impl DbStore for SqlStore {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn health(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").fetch_one(&self.pool).await?;
        Ok(())
    }

    async fn readiness(&self) -> Result<crate::Readiness, StoreError> {
        self.readiness_impl().await
    }

    async fn data_version(&self) -> Result<i64, StoreError> {
        self.data_version_impl().await
    }

    async fn dump_all_text(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.dump_all_text_impl().await
    }

    async fn close(&self) {
        self.pool.close().await;
    }
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
        out.sort_by(|a, b| {
            (a.role != MunicipalityRole::Participant)
                .cmp(&(b.role != MunicipalityRole::Participant))
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
            .map(crate::vfu_sql::site_from)
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
        services: &LearningCentreServices,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        self.update_learning_centre_services_impl(services, actor).await
    }
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
        let real_sites: i64 = sqlx::query("SELECT COUNT(*) FROM placement_sites WHERE demo = 0")
            .fetch_one(&mut *tx)
            .await?
            .get(0);
        let real_services: i64 = sqlx::query("SELECT COUNT(*) FROM learning_centre_services WHERE demo = 0")
            .fetch_one(&mut *tx)
            .await?
            .get(0);
        let real_offerings: i64 = sqlx::query("SELECT COUNT(*) FROM offerings WHERE demo = 0")
            .fetch_one(&mut *tx)
            .await?
            .get(0);
        let real_vfu: i64 = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM vfu_supervisors WHERE demo = 0) + (SELECT COUNT(*) FROM vfu_periods WHERE demo = 0)",
        )
        .fetch_one(&mut *tx)
        .await?
        .get(0);
        let real_forecast: i64 = sqlx::query("SELECT COUNT(*) FROM forecast_inputs WHERE demo = 0")
            .fetch_one(&mut *tx)
            .await?
            .get(0);
        if real_sites + real_services + real_offerings + real_vfu + real_forecast > 0 {
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
        for s in &world.placement_sites {
            crate::vfu_sql::write_site(&mut tx, s, true).await?;
        }
        crate::vfu_sql::load_demo_vfu(&mut tx, &world.vfu).await?;
        crate::catalogue_sql::upsert_offerings_in(&mut tx, self.backend(), &world.offerings, true).await?;
        crate::forecast_sql::load_demo_forecast(&mut tx, &world.forecast).await?;
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
            "create",
            "demo_world",
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

#[async_trait]
impl SessionStore for SqlStore {
    async fn session_load(&self, id: &str) -> Result<Option<SessionRow>, StoreError> {
        let row = sqlx::query("SELECT data, expiry_unix, user_id FROM sessions WHERE id = $1 AND expiry_unix > $2")
            .bind(id)
            .bind(now_unix())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(SessionRow {
                data: r.try_get("data")?,
                expiry_unix: r.try_get("expiry_unix")?,
                user_id: r.try_get("user_id")?,
            })
        })
        .transpose()
    }

    async fn session_create(&self, id: &str, row: &SessionRow) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO sessions (id, data, expiry_unix, user_id) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(&row.data)
        .bind(row.expiry_unix)
        .bind(&row.user_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn session_save(&self, id: &str, row: &SessionRow) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (id, data, expiry_unix, user_id) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expiry_unix = excluded.expiry_unix, user_id = excluded.user_id",
        )
        .bind(id)
        .bind(&row.data)
        .bind(row.expiry_unix)
        .bind(&row.user_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn session_delete(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn session_delete_expired(&self, now: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE expiry_unix <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    async fn delete_user_sessions(&self, user_id: &str) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

#[async_trait]
impl AccountStore for SqlStore {
    async fn create_user(&self, new: &NewUser, actor: &Actor) -> Result<UserRecord, StoreError> {
        self.create_user_impl(new, actor).await
    }

    async fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        self.users_where("", None).await
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, StoreError> {
        Ok(self
            .users_where("WHERE p.email = $1", Some(&normalize_email(email)))
            .await?
            .pop())
    }

    async fn user_by_id(&self, id: &str) -> Result<Option<UserRecord>, StoreError> {
        Ok(self.users_where("WHERE u.id = $1", Some(id)).await?.pop())
    }

    async fn set_user_disabled(&self, user_id: &str, disabled: bool, actor: &Actor) -> Result<bool, StoreError> {
        self.set_user_disabled_impl(user_id, disabled, actor).await
    }

    async fn set_password_hash(&self, user_id: &str, hash: &str, actor: &Actor) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        set_password_in(&mut tx, user_id, hash, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_password_reset(
        &self,
        user_id: &str,
        token_hash: &str,
        expires_at: i64,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        self.create_password_reset_impl(user_id, token_hash, expires_at, actor)
            .await
    }

    async fn password_reset_user(&self, token_hash: &str, now: i64) -> Result<Option<UserRecord>, StoreError> {
        self.password_reset_user_impl(token_hash, now).await
    }

    async fn use_password_reset(&self, token_hash: &str, password_hash: &str, now: i64) -> Result<bool, StoreError> {
        self.use_password_reset_impl(token_hash, password_hash, now).await
    }

    async fn begin_sign_in(&self, account: &str, address: &str, now: i64) -> Result<SignInStart, StoreError> {
        self.begin_sign_in_impl(account, address, now).await
    }

    async fn sign_in_succeeded(&self, attempt: &SignInAttempt) -> Result<(), StoreError> {
        self.sign_in_succeeded_impl(attempt).await
    }

    async fn sign_in_failures(&self, account: &str, since: i64) -> Result<Vec<SignInFailure>, StoreError> {
        self.sign_in_failures_impl(account, since).await
    }

    async fn purge_sign_in_failures(&self, before: i64) -> Result<u64, StoreError> {
        self.purge_sign_in_failures_impl(before).await
    }

    async fn create_api_token(
        &self,
        user_id: &str,
        token_id: &str,
        name: &str,
        token_hash: &str,
        expires_at: i64,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        self.create_api_token_impl(user_id, token_id, name, token_hash, expires_at, actor)
            .await
    }

    async fn api_tokens(&self, user_id: &str) -> Result<Vec<TokenRecord>, StoreError> {
        self.api_tokens_impl(user_id).await
    }

    async fn user_for_token(&self, token_hash: &str, now: i64) -> Result<Option<UserRecord>, StoreError> {
        self.user_for_token_impl(token_hash, now).await
    }

    async fn revoke_api_token(
        &self,
        user_id: &str,
        token_id: &str,
        now: i64,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        self.revoke_api_token_impl(user_id, token_id, now, actor).await
    }
}

#[async_trait]
impl PrivacyStore for SqlStore {
    async fn audit_since(&self, since: i64, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        self.audit_since_impl(since, limit).await
    }

    async fn audit(
        &self,
        actor: &Actor,
        action: &str,
        entity: &str,
        entity_id: &str,
        person_id: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        audit_in(&mut tx, actor, action, entity, entity_id, person_id, None, None).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn person_municipality(&self, person_id: &str) -> Result<Option<Option<Kommunkod>>, StoreError> {
        let row = sqlx::query("SELECT municipality_code FROM persons WHERE id = $1")
            .bind(person_id)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            None => Ok(None),
            Some(r) => {
                let code: Option<String> = r.try_get(0)?;
                Ok(Some(
                    code.map(|c| Kommunkod::parse(&c).map_err(|e| corrupt("municipality_code", e)))
                        .transpose()?,
                ))
            }
        }
    }

    async fn export_person(&self, person_id: &str, actor: &Actor) -> Result<Option<serde_json::Value>, StoreError> {
        self.export_person_impl(person_id, actor).await
    }

    async fn erase_person(&self, person_id: &str, reason: &str, actor: &Actor) -> Result<bool, StoreError> {
        self.erase_person_impl(person_id, reason, actor).await
    }

    async fn retention_candidates(&self) -> Result<Vec<RetentionCandidate>, StoreError> {
        let rows = sqlx::query("SELECT id, last_period_end FROM persons WHERE kind = 'student' AND last_period_end IS NOT NULL ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(RetentionCandidate {
                    person_id: r.try_get("id")?,
                    last_period_end: r.try_get("last_period_end")?,
                })
            })
            .collect()
    }

    async fn set_last_period_end(&self, person_id: &str, date: Option<&str>, actor: &Actor) -> Result<(), StoreError> {
        self.set_last_period_end_impl(person_id, date, actor).await
    }

    async fn create_person(
        &self,
        name: &str,
        email: Option<&str>,
        kind: &str,
        municipality: Option<Kommunkod>,
        actor: &Actor,
    ) -> Result<String, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = insert_person(&mut tx, name, email, kind, municipality, actor).await?;
        tx.commit().await?;
        Ok(id)
    }
}

#[async_trait]
impl CatalogueStore for SqlStore {
    async fn upsert_offerings(
        &self,
        items: &[kkig_core::catalogue::Offering],
        actor: &Actor,
    ) -> Result<crate::ImportReport, StoreError> {
        self.upsert_offerings_impl(items, false, actor).await
    }

    async fn offerings(&self) -> Result<Vec<kkig_core::catalogue::Offering>, StoreError> {
        self.offerings_impl().await
    }

    async fn catalogue_version(&self) -> Result<i64, StoreError> {
        self.catalogue_version_impl().await
    }

    async fn replace_travel_matrix(
        &self,
        rows: &[(Kommunkod, Kommunkod, i64)],
        actor: &Actor,
    ) -> Result<usize, StoreError> {
        self.replace_travel_matrix_impl(rows, actor).await
    }

    async fn travel_matrix(&self) -> Result<Vec<(Kommunkod, Kommunkod, i64)>, StoreError> {
        self.travel_matrix_impl().await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted() {
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(super::redact("sqlite://kkig.db"), "sqlite://kkig.db");
    }
}
