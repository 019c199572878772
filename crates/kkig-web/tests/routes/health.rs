//! `GET /health`: ok only when migrations and reference data are this binary's, no error text.

use kkig_store::Store;

use crate::common::apps;

#[tokio::test]
async fn health_is_200_while_the_database_answers_and_503_when_it_does_not() {
    for app in apps(false).await {
        let label = app.db.label;
        let ok = app.get("/health").await;
        assert_eq!(ok.status, 200, "{label}");
        assert_eq!(ok.json()["status"], "ok", "{label}");
        assert_eq!(ok.json()["backend"], label, "{label}");

        app.db.store.close().await;
        let down = app.get("/health").await;
        assert_eq!(down.status, 503, "{label}");
        assert_eq!(down.json()["status"], "unavailable", "{label}");

        // Pages say so readably instead of failing with a bare 500.
        let page = app.get("/kommun/2422").await;
        assert_eq!(page.status, 503, "{label}");
        assert!(page.body.contains("Något gick fel"), "{label}: {}", page.body);
        app.finish().await;
    }
}

/// A router over `db` as it is (no seeding).
fn router_on(db: &kkig_store::testing::TestDb) -> axum::Router {
    let state = kkig_web::AppState::new(std::sync::Arc::new(db.store.clone()), kkig_web::WebConfig::default()).unwrap();
    kkig_web::app(state)
}

/// A 503 of /health that names the problem in general terms and nothing else: no database
/// name, no error text.
fn assert_unavailable(res: &crate::common::TestResponse, problem: &str, db: &kkig_store::testing::TestDb) {
    let label = db.label;
    assert_eq!(res.status, 503, "{label}: {}", res.body);
    let json = res.json();
    assert_eq!(json["status"], "unavailable", "{label}");
    assert_eq!(json["problem"], problem, "{label}");
    assert_eq!(
        json.as_object().unwrap().len(),
        3,
        "{label}: status, backend and problem only: {json}"
    );
    let database = db.url.rsplit(['/', '\\']).next().unwrap().trim_end_matches(".db");
    let body = res.body.to_lowercase();
    for secret in [
        database,
        "sqlx",
        "relation",
        "no such table",
        "error",
        "postgres://",
        "sqlite://",
    ] {
        assert!(
            !body.contains(&secret.to_lowercase()),
            "{label}: {secret:?} in {}",
            res.body
        );
    }
}

#[tokio::test]
async fn health_is_ok_only_with_exactly_this_binarys_migrations_and_the_reference_data() {
    for app in apps(false).await {
        let label = app.db.label;
        let ok = app.get("/health").await;
        assert_eq!(ok.status, 200, "{label}: {}", ok.body);
        assert_eq!(ok.body, format!(r#"{{"status":"ok","backend":"{label}"}}"#), "{label}");
        app.db.store.close().await;
        assert_unavailable(&app.get("/health").await, "database", &app.db);
        app.finish().await;
    }
    // Migrated, but without the reference data.
    for db in kkig_store::testing::TestDb::all().await {
        let app = crate::common::TestApp {
            router: router_on(&db),
            db,
        };
        assert_unavailable(&app.get("/health").await, "reference data", &app.db);
        app.finish().await;
    }
    // An empty database whose migrations were never run.
    for db in kkig_store::testing::TestDb::all_unmigrated().await {
        let app = crate::common::TestApp {
            router: router_on(&db),
            db,
        };
        assert_unavailable(&app.get("/health").await, "migrations", &app.db);
        app.finish().await;
    }
}
