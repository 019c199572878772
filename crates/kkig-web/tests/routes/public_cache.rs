//! Public pages computed from many rows are kept per data version (`kkig_web::public_cache`),
//! on SQLite and PostgreSQL: kept while the version stands, recomputed after any write (through
//! this node at once, through another node or the command line when the version is read
//! again), never a signed-in visitor's page for anyone else, per language and query.

use std::sync::Arc;

use kkig_core::access::Role;
use kkig_core::Kommunkod;
use kkig_store::{Actor, ForecastStore};
use kkig_web::{AppState, WebConfig};

use crate::common::{apps, form, users_with_tokens, TestApp, TestResponse};

/// The public pages that read many rows, as a resident would open them (demo data).
const PAGES: [&str; 8] = [
    "/prognos",
    "/prognos/karta",
    "/prognos/kommun/2521/2341",
    "/utbildning",
    "/utbildning?q=sjuksk%C3%B6terska",
    "/utbildning/regionen",
    "/utbildning/bli/larare/2521",
    "/vfu/kommun/2521/vem-gor-vad",
];

async fn get(router: &axum::Router, app: &TestApp, uri: &str) -> TestResponse {
    app.request(router, uri, None).await
}

/// A raw change no store method makes: it leaves the data version alone, as no write may.
async fn rename_without_a_version(app: &TestApp, code: &str, name: &str) {
    let n = app
        .db
        .execute_raw("UPDATE municipalities SET name = $1 WHERE code = $2", &[name, code])
        .await;
    assert_eq!(n, 1);
}

#[tokio::test]
async fn a_public_page_is_kept_until_the_data_version_changes() {
    for app in apps(true).await {
        let label = app.db.label;
        let state = AppState::new(Arc::new(app.db.store.clone()), WebConfig::default()).unwrap();
        let node = kkig_web::app(state.clone());
        let before: Vec<String> = {
            let mut v = Vec::new();
            for uri in PAGES {
                let res = get(&node, &app, uri).await;
                assert_eq!(res.status, 200, "{label} {uri}");
                v.push(res.body);
            }
            v
        };
        // Kept: the same version answers the same page, even when asked to read it again.
        rename_without_a_version(&app, "2521", "Pajala-unversioned").await;
        state.recheck_data_version();
        for (uri, body) in PAGES.iter().zip(&before) {
            let again = get(&node, &app, uri).await;
            assert_eq!(&again.body, body, "{label} {uri}: kept at the same data version");
        }
        // A write by someone else (another node, `kkig import`) bumps the version: once this
        // node reads it, every page is computed again.
        let actor = Actor::cli();
        app.db
            .store
            .create_forecast_cluster("Kluster utifrån", &[Kommunkod::parse("2521").unwrap()], &actor)
            .await
            .unwrap();
        state.recheck_data_version();
        let prognos = get(&node, &app, "/prognos").await;
        assert!(
            prognos.body.contains("Kluster utifrån") && prognos.body.contains("Pajala-unversioned"),
            "{label}: recomputed"
        );
        for uri in [
            "/prognos/karta",
            "/prognos/kommun/2521/2341",
            "/vfu/kommun/2521/vem-gor-vad",
        ] {
            assert!(
                get(&node, &app, uri).await.body.contains("Pajala-unversioned"),
                "{label} {uri}: recomputed"
            );
        }
        app.finish().await;
    }
}

#[tokio::test]
async fn a_write_through_this_node_shows_at_once() {
    for app in apps(true).await {
        let label = app.db.label;
        users_with_tokens(&app, "cache.test", &[("regional", Role::Regional, None)], |k| {
            format!("kkig_{k}_cache_secret")
        })
        .await;
        let before = app.get("/prognos").await;
        assert!(before.status == 200 && !before.body.contains("Torneälven"), "{label}");
        let cluster = form(&[("name", "Torneälven"), ("members", "2521"), ("members", "2584")]);
        let res = app
            .send(
                "POST",
                "/prognos/kluster",
                &[
                    ("content-type", "application/x-www-form-urlencoded"),
                    ("authorization", "Bearer kkig_regional_cache_secret"),
                ],
                &cluster,
            )
            .await;
        assert_eq!(res.status, 303, "{label}: {}", res.body);
        let after = app.get("/prognos").await;
        assert!(
            after.body.contains("Torneälven"),
            "{label}: the regional page shows the new cluster at once"
        );
        // A page of another node on the same database sees it too (its first read).
        assert!(
            app.request(&app.another_node(), "/prognos", None)
                .await
                .body
                .contains("Torneälven"),
            "{label}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn signed_in_visitors_get_their_own_page_and_languages_and_queries_do_not_mix() {
    for app in apps(true).await {
        let label = app.db.label;
        users_with_tokens(&app, "cache.test", &[("regional", Role::Regional, None)], |k| {
            format!("kkig_{k}_cache_secret")
        })
        .await;
        let anonymous = app.get("/prognos").await;
        assert!(!anonymous.body.contains("Namn regional"), "{label}");
        let signed_in = crate::common::get_as(&app, Some("kkig_regional_cache_secret"), "/prognos").await;
        assert!(
            signed_in.body.contains("Namn regional"),
            "{label}: the header names the visitor"
        );
        assert!(
            !app.get("/prognos").await.body.contains("Namn regional"),
            "{label}: nor is their page kept for others"
        );

        let sv = app.get("/prognos/karta").await;
        let en = app.get("/prognos/karta?lang=en").await;
        assert!(
            sv.body.contains("lang=\"sv\"") && en.body.contains("lang=\"en\""),
            "{label}"
        );
        assert_ne!(sv.body, en.body, "{label}");

        let nurse = app.get("/utbildning?q=sjuksk%C3%B6terska").await;
        let teacher = app.get("/utbildning?q=l%C3%A4rare").await;
        assert_ne!(nurse.body, teacher.body, "{label}: one page per query");
        // Only answers that succeeded are kept: an invalid query stays an error with its message.
        let bad = app.get("/utbildning/regionen?days=x").await;
        assert_eq!(bad.status, 400, "{label}");
        assert_eq!(app.get("/utbildning/regionen?days=x").await.status, 400, "{label}");
        // Exports are files with their own headers, answered as before.
        let csv = app.get("/prognos/export/prognos-regionen.csv").await;
        assert!(
            csv.status == 200 && csv.headers["content-type"].to_str().unwrap().starts_with("text/csv"),
            "{label}"
        );
        app.finish().await;
    }
}
