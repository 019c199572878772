//! The forecast's pages, exports and API through the whole router, on SQLite and PostgreSQL:
//! public reads in both languages, the demo label, CSV/XLSX of every table, the API's JSON
//! (snapshots), and who may change inputs and clusters (role table), with field errors and audit.

use std::collections::BTreeMap;

use kkig_core::access::Role;
use kkig_store::{Actor, ForecastStore};

use crate::common::{apps, form, map_section, users_with_tokens, TestApp, TestResponse};
use kkig_store::prelude::*;

const ROLES: [(&str, Role, Option<&str>); 6] = [
    ("admin", Role::Admin, None),
    ("regional", Role::Regional, None),
    ("muni_a", Role::Municipality, Some("2422")),
    ("muni_b", Role::Municipality, Some("2521")),
    ("university", Role::University, Some("LTU")),
    ("student", Role::Student, None),
];

async fn users(app: &TestApp) {
    users_with_tokens(app, "fc.test", &ROLES, secret).await;
}

fn secret(key: &str) -> String {
    format!("kkig_{key}_fc_secret")
}

async fn send(
    app: &TestApp,
    role: Option<&str>,
    method: &str,
    uri: &str,
    content_type: &str,
    body: &str,
) -> TestResponse {
    let auth = role.map(|r| format!("Bearer {}", secret(r)));
    // Requests from kkig's own pages (the CSRF guard lets them through; a bearer token too).
    let mut headers = vec![("content-type", content_type), ("sec-fetch-site", "same-origin")];
    if let Some(a) = &auth {
        headers.push(("authorization", a.as_str()));
    }
    app.send(method, uri, &headers, body).await
}

#[tokio::test]
async fn pages_are_public_in_both_languages_and_labelled_demo() {
    for app in apps(true).await {
        let label = app.db.label;
        for path in [
            "/prognos",
            "/prognos/karta",
            "/prognos/kommun/2422/2343",
            "/prognos/kluster/lappland",
            "/prognos/kluster/sodra-lappland",
        ] {
            for (lang, word) in [("sv", "demouppgifter"), ("en", "demo data")] {
                let res = app.get(&format!("{path}?lang={lang}")).await;
                assert_eq!(res.status, 200, "{label} {path} {lang}: {}", res.body);
                assert!(res.body.contains(word), "{label} {path} {lang}: not labelled demo");
            }
        }
        let region = app.get("/prognos").await.body;
        assert!(
            region.contains("href=\"/prognos/kommun/2422/2343\""),
            "{label}: links to each municipality and occupation"
        );
        assert!(
            region.contains("Södra Lappland") && region.contains("Förskollärare (2343)"),
            "{label}"
        );
        let page = app.get("/prognos/kommun/2422/2343").await.body;
        assert!(
            page.contains("role=\"img\"")
                && page.contains("<title id=\"chart-title\">")
                && page.contains("<desc id=\"chart-desc\">Diagram 2027–2036"),
            "{label}: the chart has a text alternative"
        );
        assert!(
            page.contains("<caption id=\"flows-caption\">"),
            "{label}: the table alternative"
        );
        assert!(
            page.contains("+2 lokala VFU-studenter per år")
                && page.contains("Pensionsålder 67")
                && page.contains("Avgångar −1 procentenhet"),
            "{label}: scenarios"
        );
        assert!(!page.contains("id=\"inmatning\""), "{label}: no form for the public");
        // Kolada key figures, once imported, are shown with the forecast.
        let kolada = kkig_formats::kolada::parse_kolada("k.json", br#"{"values": [{"kpi": "N00914", "municipality": "2422", "period": 2023, "values": [{"gender": "T", "value": 12.34}]}]}"#).unwrap();
        app.db
            .store
            .import_kolada(&kolada.rows, "k.json", &Actor::cli())
            .await
            .unwrap();
        // Imported from the command line: a node that has not read the data version since
        // (here a new one) shows it at once, one that has within kkig_web::CACHE_TTL.
        let page = app
            .request(&app.another_node(), "/prognos/kommun/2422/2343", None)
            .await
            .body;
        assert!(
            page.contains("<th scope=\"row\">N00914</th><td>2023</td><td class=\"num\">12,3</td>"),
            "{label}: Kolada"
        );
        let five = app.get("/prognos/kommun/2422/2343?extra=5").await.body;
        assert!(five.contains("+5 lokala VFU-studenter per år"), "{label}");
        let typo = app.get("/prognos/kommun/2422/2343?extra=m%C3%A5nga").await;
        assert_eq!(typo.status, 200, "{label}");
        assert!(
            typo.body
                .contains("id=\"extra-error\">Fler lokala VFU-studenter per år: skriv ett tal mellan 0 och 100")
                && typo.body.contains("value=\"många\""),
            "{label}: {}",
            typo.body
        );
        assert!(typo.body.contains("+2 lokala VFU-studenter per år"), "{label}");
        for missing in [
            "/prognos/kommun/9999/2343",
            "/prognos/kommun/2422/9999",
            "/prognos/kommun/2422/x",
            "/prognos/kluster/none",
        ] {
            assert_eq!(app.get(missing).await.status, 404, "{label} {missing}");
        }
        app.finish().await;
    }
}

/// The map of need per 1,000 inhabitants is drawn from the municipal borders: the 17
/// participants shaded by their class (the table's figure), the campus towns' municipalities
/// grey with the other neighbours, every town labelled with its figure without collisions, the
/// legend's four classes and the link to the table.
#[tokio::test]
async fn forecast_map_is_drawn_from_the_borders() {
    for app in apps(true).await {
        let label = app.db.label;
        let html = app.get("/prognos/karta").await.body;
        let map = map_section(&html);
        let areas =
            &map[map.find(r#"<g class="map-areas">"#).unwrap()..map.find(r#"<g class="map-leaders">"#).unwrap()];
        assert_eq!(areas.matches("<path ").count(), 17, "{label}");
        let labels = &map[map.find(r#"<g class="map-labels""#).unwrap()..map.find("</svg>").unwrap()];
        assert_eq!(labels.matches("<text ").count(), 17 + 6, "{label}: every town labelled");
        // Each participant's label and shading carry the figure of the table.
        let table = &html[html.find(r#"<table id="forecast-map-table">"#).unwrap()..];
        let row = &table[table.find(">Pajala</a>").unwrap()..];
        let per = row
            .split("<td class=\"num\">")
            .nth(3)
            .unwrap()
            .split('<')
            .next()
            .unwrap();
        assert!(labels.contains(&format!(">Pajala {per}</text>")), "{label}: {per}");
        assert!(areas.contains(&format!("<title>Pajala: {per}</title>")), "{label}");
        assert_eq!(
            map.matches("<li>").count(),
            4 + 3,
            "{label}: four classes, grey, seat, campus"
        );
        assert!(
            !map.contains("Namn som inte får plats"),
            "{label}: no label left to the list"
        );
        assert!(map.contains(r##"<a href="#forecast-map-table">"##), "{label}");
        insta::assert_snapshot!("forecast_map", map);
        app.finish().await;
    }
}

#[tokio::test]
async fn every_table_exports_as_csv_and_xlsx() {
    for app in apps(true).await {
        let label = app.db.label;
        for (path, header) in [
            (
                "/prognos/export/prognos-regionen",
                "kommunkod;kommun;2343 Förskollärare externt behov",
            ),
            ("/prognos/karta/export/prognos-karta", "kommunkod;kommun;folkmängd"),
            (
                "/prognos/kommun/2422/2343/export/prognos-2422-2343",
                "år;efterfrågan;pensioneringar",
            ),
            ("/prognos/kluster/lappland/export/kluster", "kommunkod;kommun;"),
            (
                "/prognos/kluster/lappland/export/kluster-per-ar",
                "år;2343 Förskollärare externt behov",
            ),
        ] {
            let csv = app.get(&format!("{path}.csv")).await;
            assert_eq!(csv.status, 200, "{label} {path}");
            assert!(
                csv.body.starts_with(&format!("\u{feff}{header}")),
                "{label} {path}: {}",
                &csv.body[..80.min(csv.body.len())]
            );
            let xlsx = app.get(&format!("{path}.xlsx")).await;
            assert_eq!(xlsx.status, 200, "{label} {path}");
            assert_eq!(
                xlsx.headers["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "{label}"
            );
        }
        let region = app.get("/prognos/export/prognos-regionen.csv").await.body;
        assert_eq!(region.lines().count(), 18, "{label}: header and 17 municipalities");
        assert_eq!(app.get("/prognos/export/prognos.pdf").await.status, 404, "{label}");
        app.finish().await;
    }
}

#[tokio::test]
async fn api_reads_in_the_engines_shape() {
    for app in apps(true).await {
        let label = app.db.label;
        let res = app.get("/api/v1/forecast/2422/2343").await;
        assert_eq!(res.status, 200, "{label}");
        let f = res.json();
        assert_eq!(f["years"].as_array().unwrap().len(), 10, "{label}");
        let first = &res.body[res.body.find('{').unwrap() + 1..res.body.find('}').unwrap()];
        let at: Vec<usize> = kkig_core::forecast::CSV_COLUMNS
            .iter()
            .map(|k| first.find(&format!("\"{k}\":")).unwrap())
            .collect();
        assert!(
            at.windows(2).all(|w| w[0] < w[1]),
            "{label}: the engine's fields in order: {first}"
        );
        insta::assert_json_snapshot!("forecast_2422_2343", f);
        let input = app.get("/api/v1/forecast/2422/2343/input").await.json();
        insta::assert_json_snapshot!("forecast_input_2422_2343", input);
        let region = app.get("/api/v1/forecast/region").await.json();
        assert_eq!(region["rows"].as_array().unwrap().len(), 17 * 5, "{label}");
        assert_eq!(region["occupations"].as_array().unwrap().len(), 5, "{label}");
        assert_eq!(region["occupations"][0]["ssyk"], "2343", "{label}");
        let sum: f64 = region["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["ssyk"] == "2343")
            .map(|r| r["totals"]["external_need"].as_f64().unwrap())
            .sum();
        let total = region["occupations"][0]["forecast"]["totals"]["external_need"]
            .as_f64()
            .unwrap();
        assert!((sum - total).abs() < 1e-9, "{label}: the region is the sum");
        insta::assert_json_snapshot!("forecast_clusters", app.get("/api/v1/forecast/clusters").await.json());
        let c = app.get("/api/v1/forecast/clusters/sodra-lappland").await.json();
        assert_eq!(c["cluster"]["name"], "Södra Lappland", "{label}");
        assert_eq!(
            c["rows"].as_array().unwrap().len(),
            6 * 5,
            "{label}: six members, five occupations"
        );
        let sum: f64 = c["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["ssyk"] == "2661")
            .map(|r| r["totals"]["need"].as_f64().unwrap())
            .sum();
        let total = c["occupations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["ssyk"] == "2661")
            .unwrap()["forecast"]["totals"]["need"]
            .as_f64()
            .unwrap();
        assert!(
            (sum - total).abs() < 1e-9,
            "{label}: the cluster is the sum of its members"
        );
        assert_eq!(app.get("/api/v1/forecast/clusters/none").await.status, 404, "{label}");
        for missing in [
            "/api/v1/forecast/9999/2343",
            "/api/v1/forecast/2422/1111",
            "/api/v1/forecast/2422/2342",
        ] {
            let res = app.get(missing).await;
            assert_eq!(res.status, 404, "{label} {missing}");
            assert!(res.json()["error"].is_string(), "{label}");
        }
        app.finish().await;
    }
}

#[tokio::test]
async fn who_may_change_inputs_and_clusters() {
    for app in apps(true).await {
        let label = app.db.label;
        users(&app).await;
        let json = "application/json";
        let body = r#"{"staff_by_age": {"30": 4, "60": 2.5}, "vacancies": 1, "completion_share": 0.7}"#;
        // The municipality's own staff and admin write; the collaboration and others read only.
        let expected: BTreeMap<Option<&str>, u16> = [
            (None, 401),
            (Some("admin"), 200),
            (Some("regional"), 403),
            (Some("muni_a"), 200),
            (Some("muni_b"), 403),
            (Some("university"), 403),
            (Some("student"), 403),
        ]
        .into_iter()
        .collect();
        for (role, status) in &expected {
            let res = send(&app, *role, "PUT", "/api/v1/forecast/2422/2343/input", json, body).await;
            assert_eq!(res.status.as_u16(), *status, "{label} {role:?}: {}", res.body);
        }
        let stored = app
            .db
            .store
            .forecast_input(
                kkig_core::Kommunkod::parse("2422").unwrap(),
                kkig_core::Ssyk::parse("2343").unwrap(),
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (stored.staff(), stored.vacancies, stored.completion_share),
            (6.5, 1.0, 0.7),
            "{label}"
        );
        let audits = app
            .db
            .store
            .audit_since(0, i64::MAX)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.entity == "forecast_input" && e.action == "update")
            .count();
        assert_eq!(audits, 2, "{label}: admin and muni_a, audited");

        // Invalid input names every field.
        let bad = r#"{"staff_by_age": {"x": 1, "90": 1}, "vacancies": -1, "completion_share": 2}"#;
        let res = send(
            &app,
            Some("muni_a"),
            "PUT",
            "/api/v1/forecast/2422/2343/input",
            json,
            bad,
        )
        .await;
        assert_eq!(res.status, 422, "{label}");
        insta::assert_json_snapshot!("forecast_input_invalid", res.json());
        let res = send(
            &app,
            Some("muni_a"),
            "PUT",
            "/api/v1/forecast/2422/2343/input",
            json,
            r#"{"staff": {}}"#,
        )
        .await;
        assert_eq!(res.status, 422, "{label}: unknown field");
        assert_eq!(res.json()["fields"][0]["field"], "staff", "{label}: unknown field");

        // The page form: saved and redirected back; a field error names the field; others 403.
        let uri = "/prognos/kommun/2422/2341";
        let ok = form(&[
            ("base_year", "2026"),
            ("staff", "45;2\n30;1,5"),
            ("vacancies", "1"),
            ("completion_share", "0,8"),
            ("retirement_age", "66"),
            ("exit_rate", "0,05"),
            ("entry_age", "30"),
            ("retention", "0,5"),
        ]);
        let res = send(
            &app,
            Some("muni_a"),
            "POST",
            uri,
            "application/x-www-form-urlencoded",
            &ok,
        )
        .await;
        assert_eq!(res.status, 303, "{label}: {}", res.body);
        let page = send(&app, Some("muni_a"), "GET", &format!("{uri}?saved=1"), "text/html", "")
            .await
            .body;
        assert!(
            page.contains("Underlaget är sparat") && page.contains("30;1,5\n45;2"),
            "{label}"
        );
        // Two columns pasted from Excel (tab between age and count, decimal comma).
        let pasted = ok.replace("45%3B2%0A30%3B1%2C5", "45%092%0D%0A30%091%2C5");
        assert_ne!(pasted, ok);
        assert_eq!(
            send(
                &app,
                Some("muni_a"),
                "POST",
                uri,
                "application/x-www-form-urlencoded",
                &pasted
            )
            .await
            .status,
            303,
            "{label}"
        );
        let bad = ok
            .replace("completion_share=0%2C8", "completion_share=1%2C5")
            .replace("45%3B2", "12%3B2");
        let res = send(
            &app,
            Some("muni_a"),
            "POST",
            uri,
            "application/x-www-form-urlencoded",
            &bad,
        )
        .await;
        assert_eq!(res.status, 422, "{label}");
        assert!(
            res.body
                .contains("id=\"completion_share-error\">Andel som tar examen: skriv ett tal mellan 0 och 1"),
            "{label}: {}",
            res.body
        );
        assert!(res.body.contains("Personal per ålder, rad 1"), "{label}");
        assert!(res.body.contains("aria-invalid=\"true\""), "{label}");
        for (role, status) in [(Some("muni_b"), 403), (Some("regional"), 403)] {
            assert_eq!(
                send(&app, role, "POST", uri, "application/x-www-form-urlencoded", &ok)
                    .await
                    .status,
                status,
                "{label} {role:?}"
            );
        }
        let anon = app
            .send(
                "POST",
                uri,
                &[
                    ("content-type", "application/x-www-form-urlencoded"),
                    ("sec-fetch-site", "same-origin"),
                ],
                &ok,
            )
            .await;
        assert_eq!(anon.status, 303, "{label}: to the login page");
        assert!(
            anon.headers["location"].to_str().unwrap().starts_with("/logga-in"),
            "{label}"
        );
        let cross = app
            .send(
                "POST",
                uri,
                &[
                    ("content-type", "application/x-www-form-urlencoded"),
                    ("sec-fetch-site", "cross-site"),
                ],
                &ok,
            )
            .await;
        assert_eq!(cross.status, 403, "{label}: CSRF guard");

        // Clusters: the collaboration creates and deletes them.
        let c = form(&[("name", "Tornedalen"), ("members", "2521"), ("members", "2584")]);
        for role in ["muni_a", "university"] {
            assert_eq!(
                send(
                    &app,
                    Some(role),
                    "POST",
                    "/prognos/kluster",
                    "application/x-www-form-urlencoded",
                    &c
                )
                .await
                .status,
                403,
                "{label} {role}"
            );
        }
        let res = send(
            &app,
            Some("regional"),
            "POST",
            "/prognos/kluster",
            "application/x-www-form-urlencoded",
            &c,
        )
        .await;
        assert_eq!(res.status, 303, "{label}: {}", res.body);
        let at = res.headers["location"]
            .to_str()
            .unwrap()
            .split('?')
            .next()
            .unwrap()
            .to_string();
        let page = app.get(&at).await;
        assert!(
            page.status == 200
                && page.body.contains("Kluster: Tornedalen")
                && page.body.contains("Pajala")
                && page.body.contains("Kiruna"),
            "{label}"
        );
        let res = send(
            &app,
            Some("regional"),
            "POST",
            "/prognos/kluster",
            "application/x-www-form-urlencoded",
            "name=",
        )
        .await;
        assert_eq!(res.status, 422, "{label}");
        assert!(
            res.body.contains("id=\"cluster-name-error\"") && res.body.contains("id=\"cluster-members-error\""),
            "{label}"
        );
        let res = send(
            &app,
            Some("regional"),
            "POST",
            "/prognos/kluster",
            "application/x-www-form-urlencoded",
            &c,
        )
        .await;
        assert!(res.status == 422 && res.body.contains("finns redan"), "{label}");
        assert_eq!(
            send(
                &app,
                Some("regional"),
                "POST",
                &format!("{at}/ta-bort"),
                "application/x-www-form-urlencoded",
                ""
            )
            .await
            .status,
            303,
            "{label}"
        );
        assert_eq!(app.get(&at).await.status, 404, "{label}");
        app.finish().await;
    }
}
