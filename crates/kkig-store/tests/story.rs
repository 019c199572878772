//! The store test story: one sequence of what kkig does with its database, run against every
//! backend available (SQLite always; PostgreSQL when KKIG_TEST_DATABASE_URL is set).

use kkig_core::demo::{DemoWorld, DEFAULT_SEED};
use kkig_core::{Kommunkod, MunicipalityRole};
use kkig_store::testing::TestDb;
use kkig_store::{DemoOutcome, SessionRow, SignInStart, SqlStore, Store, StoreError};
use sqlx::Row;

fn code(s: &str) -> Kommunkod {
    Kommunkod::parse(s).unwrap()
}

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
    assert_eq!(first.len(), 23, "{label}");

    // Participants first, in Swedish order; then the campus towns.
    let names: Vec<&str> = first.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names[0], "Arjeplog", "{label}");
    assert_eq!(names[16], "Åsele", "{label}: å sorts after v");
    assert!(
        first[..17].iter().all(|m| m.role == MunicipalityRole::Participant),
        "{label}"
    );
    assert!(
        first[17..].iter().all(|m| m.role == MunicipalityRole::Campus),
        "{label}"
    );
    assert_eq!(
        names[17..],
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
    assert_eq!(s.municipality(code("0180")).await.unwrap(), None, "{label}");

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

/// Two processes on one SQLite file: here two independent pools writing at the same time.
/// Every write must land (the busy timeout makes writers wait) and the file must stay intact.
#[tokio::test]
async fn two_writers_on_one_sqlite_file() {
    let db = TestDb::sqlite().await;
    let other = SqlStore::connect(&db.url).await.unwrap();
    let write = |store: SqlStore, prefix: &'static str| async move {
        for i in 0..100 {
            let row = SessionRow {
                data: format!("{{\"i\":{i}}}"),
                expiry_unix: 4_000_000_000,
                user_id: None,
            };
            store.session_save(&format!("{prefix}-{i}"), &row).await.unwrap();
        }
    };
    let a = tokio::spawn(write(db.store.clone(), "a"));
    let b = tokio::spawn(write(other.clone(), "b"));
    a.await.unwrap();
    b.await.unwrap();
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM sessions")
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 200);
    let check: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .get(0);
    assert_eq!(check, "ok");
    let mode: String = sqlx::query("PRAGMA journal_mode")
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .get(0);
    assert_eq!(mode, "wal");
    other.close().await;
    db.finish().await;
}

#[tokio::test]
async fn bad_urls_and_unwritable_files_give_clear_errors() {
    let err = SqlStore::connect("mysql://root@localhost/test").await.unwrap_err();
    assert!(
        err.to_string()
            .starts_with("unsupported database URL \"mysql://root@localhost/test\""),
        "{err}"
    );

    let err = SqlStore::connect("sqlite:///nonexistent-dir/sub/kkig.db")
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with("cannot open database sqlite:///nonexistent-dir/sub/kkig.db:"),
        "{msg}"
    );
    assert!(!msg.contains('\n'), "one line: {msg}");
}

/// Accounts, tokens, password links, throttling records, audit and erasure, on every backend.
#[tokio::test]
async fn accounts_audit_and_erasure_story() {
    use kkig_core::access::Role;
    use kkig_store::{Actor, NewUser};
    for db in TestDb::all().await {
        let s = &db.store;
        let label = db.label;
        s.seed_reference(&kkig_formats::reference::embedded().unwrap())
            .await
            .unwrap();
        let cli = Actor::cli();
        let new = NewUser {
            email: " Anna.Berg@Sorsele.se ".into(),
            name: "Anna Berg".into(),
            role: Role::Municipality,
            scope: Some("2422".into()),
        };
        let anna = s.create_user(&new, &cli).await.unwrap();
        assert_eq!(
            (anna.email.as_str(), anna.role, anna.scope.as_deref()),
            ("anna.berg@sorsele.se", Role::Municipality, Some("2422")),
            "{label}"
        );
        assert!(anna.password_hash.is_none(), "{label}: no default password");
        let dup = s
            .create_user(
                &NewUser {
                    email: "anna.berg@sorsele.se".into(),
                    ..new.clone()
                },
                &cli,
            )
            .await
            .unwrap_err();
        assert!(matches!(dup, StoreError::Conflict(_)), "{label}: {dup}");
        assert_eq!(
            s.user_by_email("ANNA.BERG@sorsele.se").await.unwrap().map(|u| u.id),
            Some(anna.id.clone()),
            "{label}"
        );
        assert_eq!(
            s.person_municipality(&anna.person_id).await.unwrap(),
            Some(Some(code("2422"))),
            "{label}"
        );

        // Password link: usable once, before it expires.
        s.create_password_reset(&anna.id, "hash-1", 2_000, &cli).await.unwrap();
        assert_eq!(
            s.password_reset_user("hash-1", 1_000).await.unwrap().map(|u| u.id),
            Some(anna.id.clone()),
            "{label}"
        );
        assert!(
            s.password_reset_user("hash-1", 2_000).await.unwrap().is_none(),
            "{label}: expired"
        );
        assert!(
            s.use_password_reset("hash-1", "$argon2id$fake", 1_500).await.unwrap(),
            "{label}"
        );
        assert!(
            !s.use_password_reset("hash-1", "$argon2id$other", 1_600).await.unwrap(),
            "{label}: used once"
        );
        assert_eq!(
            s.user_by_id(&anna.id).await.unwrap().unwrap().password_hash.as_deref(),
            Some("$argon2id$fake"),
            "{label}"
        );

        // Tokens: live until expiry, revocable by their owner only.
        s.create_api_token(&anna.id, "t1", "script", "tokhash", 5_000, &Actor::user(&anna.id))
            .await
            .unwrap();
        assert_eq!(
            s.user_for_token("tokhash", 4_999).await.unwrap().map(|u| u.id),
            Some(anna.id.clone()),
            "{label}"
        );
        assert!(
            s.user_for_token("tokhash", 5_000).await.unwrap().is_none(),
            "{label}: expired"
        );
        assert!(
            !s.revoke_api_token("someone-else", "t1", 100, &cli).await.unwrap(),
            "{label}"
        );
        assert!(s.revoke_api_token(&anna.id, "t1", 100, &cli).await.unwrap(), "{label}");
        assert!(
            s.user_for_token("tokhash", 200).await.unwrap().is_none(),
            "{label}: revoked"
        );
        assert_eq!(
            s.api_tokens(&anna.id).await.unwrap()[0].revoked_at,
            Some(100),
            "{label}"
        );

        // Sign-in failures are shared state.
        let started = s
            .begin_sign_in("anna.berg@sorsele.se", "10.0.0.1", 1_000)
            .await
            .unwrap();
        assert!(matches!(started, SignInStart::Check(_)), "{label}");
        assert_eq!(
            s.sign_in_failures("anna.berg@sorsele.se", 0)
                .await
                .unwrap()
                .iter()
                .map(|f| (f.address.as_str(), f.at))
                .collect::<Vec<_>>(),
            vec![("10.0.0.1", 1_000)],
            "{label}"
        );

        // Disabling ends sessions and blocks tokens.
        s.session_save(
            "sess-a",
            &SessionRow {
                data: "{}".into(),
                expiry_unix: 4_000_000_000,
                user_id: Some(anna.id.clone()),
            },
        )
        .await
        .unwrap();
        assert!(s.set_user_disabled(&anna.id, true, &cli).await.unwrap(), "{label}");
        assert!(s.session_load("sess-a").await.unwrap().is_none(), "{label}");
        s.set_user_disabled(&anna.id, false, &cli).await.unwrap();

        // Shared record update is audited with before and after.
        let services = kkig_core::LearningCentreServices {
            learning_centre_id: "lc-2422".into(),
            study_places: 12,
            exam_sittings: true,
            video_rooms: 2,
            study_guidance: false,
        };
        assert!(
            s.update_learning_centre_services(&services, &Actor::user(&anna.id))
                .await
                .unwrap(),
            "{label}"
        );
        assert!(
            !s.update_learning_centre_services(
                &kkig_core::LearningCentreServices {
                    learning_centre_id: "lc-x".into(),
                    ..services.clone()
                },
                &cli
            )
            .await
            .unwrap(),
            "{label}"
        );

        let log = s.audit_since(0, 1000).await.unwrap();
        let actions: Vec<_> = log
            .iter()
            .map(|e| format!("{} {} {}", e.actor.split(':').next().unwrap(), e.action, e.entity))
            .collect();
        assert!(
            actions.contains(&"cli create person".to_string()) && actions.contains(&"cli create user".to_string()),
            "{label}: {actions:?}"
        );
        assert!(
            actions.contains(&"user update learning_centre_services".to_string()),
            "{label}: {actions:?}"
        );
        assert!(
            log.iter()
                .all(|e| e.after.as_deref().is_none_or(|a| !a.contains("argon2"))),
            "{label}: no hashes in the audit log"
        );

        // Export holds everything about the person and is itself audited.
        let export = s.export_person(&anna.person_id, &cli).await.unwrap().unwrap();
        assert_eq!(export["person"]["email"], "anna.berg@sorsele.se", "{label}");
        assert_eq!(export["accounts"][0]["api_tokens"][0]["name"], "script", "{label}");
        assert!(
            !export.to_string().contains("argon2") && !export.to_string().contains("tokhash"),
            "{label}: no secrets"
        );
        assert!(
            s.audit_since(0, 1000)
                .await
                .unwrap()
                .iter()
                .any(|e| e.action == "export"),
            "{label}"
        );

        // Erasure: no table holds the name or the e-mail afterwards.
        assert!(
            s.erase_person(&anna.person_id, "request", &cli).await.unwrap(),
            "{label}"
        );
        assert!(
            !s.erase_person(&anna.person_id, "request", &cli).await.unwrap(),
            "{label}: gone"
        );
        let dump = s.dump_all_text().await.unwrap();
        assert!(
            dump.iter().any(|(t, _)| t == "audit_log"),
            "{label}: the scan sees every table"
        );
        for (table, row) in &dump {
            let lower = row.to_lowercase();
            assert!(
                !lower.contains("anna berg") && !lower.contains("anna.berg@sorsele.se"),
                "{label}: {table} still holds the person: {row}"
            );
        }
        let counts = dump.iter().filter(|(t, _)| t == "erasure_counts").count();
        assert_eq!(counts, 1, "{label}: the anonymous count is kept");

        // Retention candidates are students with an end date.
        let student = s
            .create_person(
                "Sara Student",
                Some("sara@student.se"),
                "student",
                Some(code("2521")),
                &cli,
            )
            .await
            .unwrap();
        s.set_last_period_end(&student, Some("2024-06-14"), &cli).await.unwrap();
        assert!(
            s.set_last_period_end(&student, Some("14/6/2024"), &cli).await.is_err(),
            "{label}"
        );
        let c = s.retention_candidates().await.unwrap();
        assert_eq!((c.len(), c[0].last_period_end.as_str()), (1, "2024-06-14"), "{label}");
        db.finish().await;
    }
}

#[tokio::test]
async fn retention_erases_students_months_after_their_last_period() {
    use kkig_store::{retention, Actor};
    use time::macros::date;
    for db in TestDb::all().await {
        let s = &db.store;
        let label = db.label;
        s.seed_reference(&kkig_formats::reference::embedded().unwrap())
            .await
            .unwrap();
        let cli = Actor::cli();
        let old = s
            .create_person(
                "Olle Gammal",
                Some("olle@student.se"),
                "student",
                Some(code("2422")),
                &cli,
            )
            .await
            .unwrap();
        let recent = s
            .create_person("Rut Ny", Some("rut@student.se"), "student", Some(code("2422")), &cli)
            .await
            .unwrap();
        let never = s.create_person("Nils Utan", None, "student", None, &cli).await.unwrap();
        s.set_last_period_end(&old, Some("2024-06-14"), &cli).await.unwrap();
        s.set_last_period_end(&recent, Some("2025-01-20"), &cli).await.unwrap();

        let today = date!(2026 - 11 - 28);
        let due = retention::due(s, 24, today).await.unwrap();
        assert_eq!(
            due.iter().map(|c| c.person_id.as_str()).collect::<Vec<_>>(),
            [old.as_str()],
            "{label}"
        );
        // A dry run changes nothing.
        assert!(s.person_municipality(&old).await.unwrap().is_some(), "{label}");
        let erased = retention::apply(s, 24, today).await.unwrap();
        assert_eq!(erased.len(), 1, "{label}");
        assert!(s.person_municipality(&old).await.unwrap().is_none(), "{label}");
        assert!(s.person_municipality(&recent).await.unwrap().is_some(), "{label}");
        assert!(s.person_municipality(&never).await.unwrap().is_some(), "{label}");
        let log = s.audit_since(0, 1000).await.unwrap();
        assert!(
            log.iter().any(|e| e.action == "erase" && e.actor == "system:retention"),
            "{label}"
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn catalogue_upserts_by_id_and_travel_matrix_replaces() {
    use kkig_store::{Actor, ImportReport};
    for db in TestDb::all().await {
        let s = &db.store;
        let label = db.label;
        let reference = kkig_formats::reference::embedded().unwrap();
        s.seed_reference(&reference).await.unwrap();
        let world = DemoWorld::generate(DEFAULT_SEED, &reference);
        let some: Vec<_> = world.offerings.iter().take(20).cloned().collect();
        let v0 = s.catalogue_version().await.unwrap();
        let cli = Actor::cli();
        assert_eq!(
            s.upsert_offerings(&some, &cli).await.unwrap(),
            ImportReport {
                created: 20,
                updated: 0,
                unchanged: 0
            },
            "{label}"
        );
        let v1 = s.catalogue_version().await.unwrap();
        assert!(v1 > v0, "{label}");
        // Importing twice changes nothing, not even the version.
        assert_eq!(
            s.upsert_offerings(&some, &cli).await.unwrap(),
            ImportReport {
                created: 0,
                updated: 0,
                unchanged: 20
            },
            "{label}"
        );
        assert_eq!(s.catalogue_version().await.unwrap(), v1, "{label}");
        let mut changed = some.clone();
        changed[3].title = "Ändrad titel".into();
        assert_eq!(
            s.upsert_offerings(&changed, &cli).await.unwrap(),
            ImportReport {
                created: 0,
                updated: 1,
                unchanged: 19
            },
            "{label}"
        );
        let stored = s.offerings().await.unwrap();
        assert_eq!(stored.len(), 20, "{label}");
        assert!(
            stored
                .iter()
                .any(|o| o.title == "Ändrad titel" && o.id == changed[3].id),
            "{label}"
        );
        // Offerings round-trip exactly.
        let mut sorted = changed.clone();
        sorted.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(stored, sorted, "{label}");

        let k = |c: &str| code(c);
        let n = s
            .replace_travel_matrix(&[(k("2422"), k("2480"), 240), (k("2422"), k("2481"), 95)], &cli)
            .await
            .unwrap();
        assert_eq!(n, 2, "{label}");
        assert_eq!(
            s.replace_travel_matrix(&[(k("2422"), k("2480"), 250)], &cli)
                .await
                .unwrap(),
            1,
            "{label}"
        );
        assert_eq!(
            s.travel_matrix().await.unwrap(),
            vec![(k("2422"), k("2480"), 250)],
            "{label}"
        );
        assert!(s.catalogue_version().await.unwrap() > v1, "{label}");
        // Real offerings now exist: the demo is refused.
        assert!(s.load_demo(&world).await.is_err(), "{label}");

        // A large import goes in chunks of statements; the report and the data are the same
        // as one by one, across the chunk boundaries.
        let many: Vec<_> = (0..1234)
            .map(|i| {
                let mut o = world.offerings[i % world.offerings.len()].clone();
                o.id = format!("bulk-{i:05}");
                o
            })
            .collect();
        assert_eq!(
            s.upsert_offerings(&many, &cli).await.unwrap(),
            ImportReport {
                created: 1234,
                updated: 0,
                unchanged: 0
            },
            "{label}"
        );
        let mut again = many.clone();
        for i in [0, 499, 500, 1000, 1233] {
            again[i].title = format!("Ändrad {i}");
        }
        assert_eq!(
            s.upsert_offerings(&again, &cli).await.unwrap(),
            ImportReport {
                created: 0,
                updated: 5,
                unchanged: 1229
            },
            "{label}"
        );
        let stored = s.offerings().await.unwrap();
        assert_eq!(stored.len(), 20 + 1234, "{label}");
        assert!(
            stored.iter().any(|o| o.id == "bulk-00500" && o.title == "Ändrad 500"),
            "{label}"
        );
        // The same id twice in one import is refused and writes nothing.
        let twice = vec![many[0].clone(), many[0].clone()];
        assert!(s.upsert_offerings(&twice, &cli).await.is_err(), "{label}");
        db.finish().await;
    }
}

#[tokio::test]
async fn readiness_wants_exactly_this_binarys_migrations_and_the_reference_data() {
    use kkig_store::Readiness;
    let reference = kkig_formats::reference::embedded().unwrap();
    for db in TestDb::all_unmigrated().await {
        let (s, label) = (&db.store, db.label);
        let Readiness::Migrations { missing, unknown } = s.readiness().await.unwrap() else {
            panic!("{label}: an unmigrated database is not ready");
        };
        assert!(
            missing.len() >= 7 && unknown.is_empty(),
            "{label}: {missing:?} {unknown:?}"
        );
        s.migrate().await.unwrap();
        assert_eq!(
            s.readiness().await.unwrap(),
            Readiness::ReferenceData {
                empty: vec!["municipalities", "universities", "occupations"]
            },
            "{label}"
        );
        s.seed_reference(&reference).await.unwrap();
        assert_eq!(s.readiness().await.unwrap(), Readiness::Ready, "{label}");
        // A newer kkig migrated the database further: this one is not fit to serve it.
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             SELECT 29991231000001, 'from the future', success, checksum, execution_time
             FROM _sqlx_migrations WHERE version = 20261128000001",
        )
        .execute(s.pool())
        .await
        .unwrap();
        assert_eq!(
            s.readiness().await.unwrap(),
            Readiness::Migrations {
                missing: vec![],
                unknown: vec![29991231000001]
            },
            "{label}"
        );
        // A migration whose contents differ from this binary's counts as missing.
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 29991231000001")
            .execute(s.pool())
            .await
            .unwrap();
        sqlx::query(
            "UPDATE _sqlx_migrations SET checksum = (SELECT checksum FROM _sqlx_migrations WHERE version = 20261128000002)
             WHERE version = 20261128000001",
        )
        .execute(s.pool())
        .await
        .unwrap();
        assert_eq!(
            s.readiness().await.unwrap(),
            Readiness::Migrations {
                missing: vec![20261128000001],
                unknown: vec![]
            },
            "{label}"
        );
        // A database that does not answer is an error, not a readiness.
        s.close().await;
        assert!(s.readiness().await.is_err(), "{label}");
        db.finish().await;
    }
}

#[tokio::test]
async fn every_committed_write_bumps_the_data_version_and_nothing_else_does() {
    use kkig_store::{Actor, ForecastStore};
    for db in TestDb::all().await {
        let s = &db.store;
        let label = db.label;
        let reference = kkig_formats::reference::embedded().unwrap();
        s.seed_reference(&reference).await.unwrap();
        let v0 = s.data_version().await.unwrap();
        assert!(v0 > 0, "{label}: seeding wrote");
        let cli = Actor::cli();
        s.create_forecast_cluster("Tornedalen", &[code("2521"), code("2584")], &cli)
            .await
            .unwrap();
        let v1 = s.data_version().await.unwrap();
        assert!(v1 > v0, "{label}");
        // A refused write is rolled back, its bump with it.
        assert!(
            s.create_forecast_cluster("Tornedalen", &[code("2521")], &cli)
                .await
                .is_err(),
            "{label}"
        );
        assert_eq!(s.data_version().await.unwrap(), v1, "{label}");
        // Sessions and sign-in bookkeeping change nothing any page computes from.
        let row = SessionRow {
            data: "{}".into(),
            expiry_unix: 4_000_000_000,
            user_id: None,
        };
        assert!(s.session_create("s-1", &row).await.unwrap(), "{label}");
        s.session_save("s-1", &row).await.unwrap();
        s.session_delete("s-1").await.unwrap();
        let start = s
            .begin_sign_in("nobody@kkig.test", "203.0.113.9", 1_900_000_000)
            .await
            .unwrap();
        assert!(matches!(start, SignInStart::Check(_)), "{label}");
        assert_eq!(s.data_version().await.unwrap(), v1, "{label}");
        // Another connection (another web node, `kkig import`) sees the committed version.
        let other = SqlStore::connect(&db.url).await.unwrap();
        assert_eq!(other.data_version().await.unwrap(), v1, "{label}");
        other
            .create_forecast_cluster("Malmfälten", &[code("2584")], &cli)
            .await
            .unwrap();
        assert!(s.data_version().await.unwrap() > v1, "{label}");
        other.close().await;
        db.finish().await;
    }
}
