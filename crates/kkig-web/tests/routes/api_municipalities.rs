//! `GET /api/v1/municipalities` and `/api/v1/municipalities/{code}`: exact facts and filters.

use crate::common::apps;

#[tokio::test]
async fn list_serves_all_municipalities_with_exact_facts() {
    let reference = kkig_formats::reference::embedded().unwrap();
    for app in apps(false).await {
        let label = app.db.label;
        let res = app.get("/api/v1/municipalities").await;
        assert_eq!(res.status, 200, "{label}");
        assert_eq!(res.headers["content-type"], "application/json", "{label}");
        let body = res.json();
        let items = body.as_array().unwrap();
        assert_eq!(items.len(), 23, "{label}");

        // The 17 participants, each with exactly the facts of data/municipalities.csv.
        let participants: Vec<_> = items.iter().filter(|m| m["role"] == "participant").collect();
        assert_eq!(participants.len(), 17, "{label}");
        for m in reference.municipalities.iter().filter(|m| m.role.in_region()) {
            let got = items
                .iter()
                .find(|i| i["code"] == m.code.to_string())
                .unwrap_or_else(|| panic!("{label}: {} missing", m.code));
            assert_eq!(got["name"], m.name.as_str(), "{label}");
            assert_eq!(got["lat"].as_f64(), Some(m.position.lat), "{label} {}", m.name);
            assert_eq!(got["lon"].as_f64(), Some(m.position.lon), "{label} {}", m.name);
            assert_eq!(got["population"].as_i64(), Some(m.population), "{label} {}", m.name);
            assert_eq!(
                got["population_year"].as_i64(),
                Some(m.population_year.into()),
                "{label}"
            );
            assert_eq!(got["role"], m.role.as_str(), "{label}");
            assert_eq!(got["county_code"], &m.code.to_string()[..2], "{label}");
            assert!(got["code"].is_string() && got["population"].is_i64(), "{label}: types");
        }
        insta::assert_json_snapshot!("municipalities", body);
        app.finish().await;
    }
}

#[tokio::test]
async fn list_filters_by_role_and_rejects_unknown_roles() {
    for app in apps(false).await {
        let label = app.db.label;
        let p = app.get("/api/v1/municipalities?role=participant").await.json();
        assert_eq!(p.as_array().unwrap().len(), 17, "{label}");
        let c = app.get("/api/v1/municipalities?role=campus").await.json();
        let names: Vec<_> = c
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            names,
            ["Luleå", "Piteå", "Sundsvall", "Umeå", "Örnsköldsvik", "Östersund"],
            "{label}"
        );

        // the rest of Sweden, and all 290
        let other = app.get("/api/v1/municipalities?role=other").await.json();
        assert_eq!(other.as_array().unwrap().len(), 267, "{label}");
        assert!(
            other.as_array().unwrap().iter().all(|m| m["role"] == "other"),
            "{label}"
        );
        let all = app.get("/api/v1/municipalities?role=all").await.json();
        assert_eq!(all.as_array().unwrap().len(), 290, "{label}");
        assert_eq!(all[0]["role"], "participant", "{label}: the region first");

        let bad = app.get("/api/v1/municipalities?role=member").await;
        assert_eq!(bad.status, 400, "{label}");
        insta::assert_json_snapshot!("municipalities_bad_role", bad.json());
        app.finish().await;
    }
}

#[tokio::test]
async fn one_municipality_by_code() {
    for app in apps(false).await {
        let res = app.get("/api/v1/municipalities/2422").await;
        assert_eq!(res.status, 200, "{}", app.db.label);
        insta::assert_json_snapshot!("municipality_2422", res.json());

        // Any of Sweden's municipalities, e.g. Boden outside the region.
        let boden = app.get("/api/v1/municipalities/2582").await.json();
        assert_eq!(
            (boden["name"].as_str(), boden["role"].as_str()),
            (Some("Boden"), Some("other")),
            "{}",
            app.db.label
        );

        // Campus towns are served too.
        let umea = app.get("/api/v1/municipalities/2480").await.json();
        assert_eq!(
            (umea["name"].as_str(), umea["role"].as_str()),
            (Some("Umeå"), Some("campus"))
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn unknown_or_malformed_codes_are_404_json() {
    for app in apps(false).await {
        let label = app.db.label;
        for (uri, snapshot) in [
            ("/api/v1/municipalities/2499", "municipality_unknown"),
            ("/api/v1/municipalities/9999", "municipality_bad_county"),
            ("/api/v1/municipalities/abc", "municipality_malformed"),
            ("/api/v1/municipalities/24220", "municipality_too_long"),
        ] {
            let res = app.get(uri).await;
            assert_eq!(res.status, 404, "{label} {uri}");
            assert_eq!(res.headers["content-type"], "application/json", "{label} {uri}");
            insta::assert_json_snapshot!(snapshot, res.json());
        }
        app.finish().await;
    }
}
