//! Reference data, demo and sessions as the store keeps them: one sequence of what kkig does with
//! its database, on every backend available (SQLite always; PostgreSQL when KKIG_TEST_DATABASE_URL is set).

use crate::code;
use kkig_core::demo::{DemoWorld, DEFAULT_SEED};
use kkig_core::MunicipalityRole;
use kkig_store::prelude::*;
use kkig_store::testing::TestDb;
use kkig_store::{DemoOutcome, SessionRow, SqlStore, StoreError};
use sqlx::Row;

async fn story(db: &TestDb) {
    let s = &db.store;
    let label = db.label;
    let reference = kkig_formats::reference::embedded().unwrap();

    // Migrations are applied at connect; applying them again changes nothing.
    s.migrate().await.unwrap();
    s.health().await.unwrap();

    // Reference data: seeding twice is the same as once.
    assert!(s.municipalities().await.unwrap().is_empty(), "{label}");
    s.seed_reference(&reference).await.unwrap();
    let first = s.municipalities().await.unwrap();
    s.seed_reference(&reference).await.unwrap();
    assert_eq!(
        s.municipalities().await.unwrap(),
        first,
        "{label}: seeding is idempotent"
    );
    assert_eq!(first.len(), 290, "{label}: all of Sweden");

    // Participants first, in Swedish order; then the campus towns; then the rest of Sweden.
    let names: Vec<&str> = first.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names[0], "Arjeplog", "{label}");
    assert_eq!(names[16], "Åsele", "{label}: å sorts after v");
    assert!(
        first[..17].iter().all(|m| m.role == MunicipalityRole::Participant),
        "{label}"
    );
    assert!(
        first[17..23].iter().all(|m| m.role == MunicipalityRole::Campus),
        "{label}"
    );
    assert!(first[23..].iter().all(|m| m.role == MunicipalityRole::Other), "{label}");
    assert_eq!(first[23].name, "Ale", "{label}");
    let boden = s.municipality(code("2582")).await.unwrap().unwrap();
    assert_eq!(
        (boden.name.as_str(), boden.role),
        ("Boden", MunicipalityRole::Other),
        "{label}"
    );
    assert_eq!(
        names[17..23],
        ["Luleå", "Piteå", "Sundsvall", "Umeå", "Örnsköldsvik", "Östersund"],
        "{label}"
    );

    // Values survive the round trip exactly (f64 positions, i64 populations).
    let expected = reference
        .municipalities
        .iter()
        .find(|m| m.code == code("2422"))
        .unwrap();
    assert_eq!(
        s.municipality(code("2422")).await.unwrap().as_ref(),
        Some(expected),
        "{label}"
    );
    let stockholm = s.municipality(code("0180")).await.unwrap().unwrap();
    assert_eq!(
        (stockholm.name.as_str(), stockholm.role),
        ("Stockholm", MunicipalityRole::Other),
        "{label}"
    );

    let unis = s.universities().await.unwrap();
    assert_eq!(unis, reference.universities, "{label}");
    let centres = s.learning_centres().await.unwrap();
    assert_eq!(centres.len(), 17, "{label}");
    assert!(
        centres.iter().all(|c| c.services.is_none()),
        "{label}: no services before demo"
    );
    assert_eq!(s.occupations().await.unwrap().len(), 15, "{label}");

    // Demo: loads once, then reports it is there; another seed is refused.
    assert_eq!(s.demo_status().await.unwrap(), None, "{label}");
    let world = DemoWorld::generate(DEFAULT_SEED, &reference);
    match s.load_demo(&world).await.unwrap() {
        DemoOutcome::Loaded {
            placement_sites,
            learning_centres,
        } => {
            assert_eq!(
                (placement_sites, learning_centres),
                (world.placement_sites.len(), 17),
                "{label}"
            );
        }
        other => panic!("{label}: {other:?}"),
    }
    let status = s.demo_status().await.unwrap().expect("demo status");
    let log = s.audit_since(0, 100).await.unwrap();
    assert!(
        log.iter().any(|e| e.entity == "demo_world" && e.actor == "system:demo"),
        "{label}: the demo load is audited"
    );
    assert_eq!(status.seed, DEFAULT_SEED, "{label}");
    assert!(
        matches!(s.load_demo(&world).await.unwrap(), DemoOutcome::AlreadyLoaded(st) if st == status),
        "{label}"
    );
    let other = DemoWorld::generate(DEFAULT_SEED + 1, &reference);
    let err = s.load_demo(&other).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{label}: {err}");
    assert!(err.to_string().contains("seed 2025"), "{label}: {err}");

    let sites = s.placement_sites(None).await.unwrap();
    assert_eq!(sites.len(), world.placement_sites.len(), "{label}");
    assert_eq!(
        s.offerings().await.unwrap().len(),
        world.offerings.len(),
        "{label}: demo offerings loaded"
    );
    let sorsele_sites = s.placement_sites(Some(code("2422"))).await.unwrap();
    let mut generated: Vec<_> = world
        .placement_sites
        .iter()
        .filter(|p| p.municipality == code("2422"))
        .cloned()
        .collect();
    generated.sort_by(|a, b| kkig_core::text::swedish_cmp(&a.name, &b.name));
    assert_eq!(sorsele_sites, generated, "{label}: sites round-trip exactly");
    let centres = s.learning_centres().await.unwrap();
    assert!(
        centres.iter().all(|c| c.services.is_some() && c.services_are_demo),
        "{label}"
    );
    let counts = s.placement_site_counts().await.unwrap();
    assert_eq!(counts.iter().map(|c| c.2).sum::<i64>() as usize, sites.len(), "{label}");
    let sorsele_kinds: Vec<_> = counts
        .iter()
        .filter(|c| c.0 == code("2422"))
        .map(|c| (c.1, c.2))
        .collect();
    assert_eq!(sorsele_kinds.len(), 7, "{label}: every kind in Sorsele");
    assert!(sorsele_kinds.iter().all(|(_, n)| *n >= 1), "{label}");

    // Sessions: create, load, update, expire, delete.
    let far = 4_000_000_000;
    let row = SessionRow {
        data: r#"{"lang":"en"}"#.into(),
        expiry_unix: far,
        user_id: None,
    };
    assert!(s.session_create("abc", &row).await.unwrap(), "{label}");
    assert!(!s.session_create("abc", &row).await.unwrap(), "{label}: ids are unique");
    assert_eq!(s.session_load("abc").await.unwrap(), Some(row.clone()), "{label}");
    let updated = SessionRow {
        data: r#"{"lang":"sv"}"#.into(),
        expiry_unix: far,
        user_id: None,
    };
    s.session_save("abc", &updated).await.unwrap();
    assert_eq!(s.session_load("abc").await.unwrap(), Some(updated), "{label}");
    s.session_save(
        "old",
        &SessionRow {
            data: "{}".into(),
            expiry_unix: 1,
            user_id: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        s.session_load("old").await.unwrap(),
        None,
        "{label}: expired sessions are not loaded"
    );
    assert_eq!(s.session_delete_expired(1000).await.unwrap(), 1, "{label}");
    s.session_delete("abc").await.unwrap();
    assert_eq!(s.session_load("abc").await.unwrap(), None, "{label}");

    // A second store on the same database sees the same data (several web nodes, one database).
    let second = SqlStore::connect(&db.url).await.unwrap();
    assert_eq!(second.municipalities().await.unwrap(), first, "{label}");
    second.close().await;
}

#[tokio::test]
async fn store_story_on_every_backend() {
    for db in TestDb::all().await {
        story(&db).await;
        // After close, the store reports errors rather than hanging or panicking.
        db.store.close().await;
        assert!(db.store.health().await.is_err(), "{}", db.label);
        db.finish().await;
    }
}

/// A database made before kkig knew all of Sweden (role limited to participant and campus)
/// is migrated with the rows that refer to its municipalities kept, and then holds all 290.
#[tokio::test]
async fn a_database_from_before_all_of_sweden_upgrades_in_place() {
    use sqlx::migrate::Migrator;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    let options: sqlx::sqlite::SqliteConnectOptions = format!("{url}?mode=rwc").parse().unwrap();
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let mut old = Migrator::new(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations/sqlite"
    )))
    .await
    .unwrap();
    let before: Vec<_> = old
        .migrations
        .iter()
        .filter(|m| m.version < 20261207000008)
        .cloned()
        .collect();
    assert_eq!(before.len(), 7);
    old.migrations = std::borrow::Cow::Owned(before);
    old.run(&pool).await.unwrap();
    for sql in [
        "INSERT INTO municipalities VALUES ('2422', 'Sorsele', '24', 'Västerbottens län', 'Sorsele', 65.5333, 17.5333, 2387, 2023, 'participant')",
        "INSERT INTO placement_sites (id, municipality_code, name, kind, lat, lon, demo) VALUES ('real-1', '2422', 'Sorsele skola', 'school', 65.5, 17.5, 0)",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    let refused = sqlx::query("INSERT INTO municipalities VALUES ('2582', 'Boden', '25', 'Norrbottens län', 'Boden', 65.8, 21.7, 27000, 2024, 'other')")
        .execute(&pool)
        .await;
    assert!(refused.is_err(), "the old schema knows only participant and campus");
    pool.close().await;

    let s = SqlStore::connect(&url).await.unwrap();
    s.seed_reference(&kkig_formats::reference::embedded().unwrap())
        .await
        .unwrap();
    assert_eq!(s.municipalities().await.unwrap().len(), 290);
    assert_eq!(
        s.placement_sites(Some(code("2422"))).await.unwrap().len(),
        1,
        "the site is kept"
    );
    // foreign keys still hold after the rebuild
    let orphan = sqlx::query("INSERT INTO placement_sites (id, municipality_code, name, kind, lat, lon, demo) VALUES ('x', '9999', 'x', 'school', 65.5, 17.5, 0)")
        .execute(s.pool())
        .await;
    assert!(orphan.is_err(), "a site in an unknown municipality is refused");
    s.close().await;
}

#[tokio::test]
async fn demo_is_refused_when_real_data_exists() {
    for db in TestDb::all().await {
        let s = &db.store;
        let reference = kkig_formats::reference::embedded().unwrap();
        s.seed_reference(&reference).await.unwrap();
        sqlx::query("INSERT INTO placement_sites (id, municipality_code, name, kind, lat, lon, demo) VALUES ('real-1', '2422', 'Sorsele skola', 'school', 65.5, 17.5, 0)")
            .execute(s.pool())
            .await
            .unwrap();
        let err = s.load_demo(&DemoWorld::generate(1, &reference)).await.unwrap_err();
        assert!(
            err.to_string().contains("already holds real data"),
            "{}: {err}",
            db.label
        );
        // Nothing was written.
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM placement_sites")
            .fetch_one(s.pool())
            .await
            .unwrap()
            .get(0);
        assert_eq!(n, 1, "{}", db.label);
        assert_eq!(s.demo_status().await.unwrap(), None, "{}", db.label);
        db.finish().await;
    }
}
