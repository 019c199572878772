//! The OpenAPI document: version 3.1, every route described (insta snapshot).

use crate::common::apps;

#[tokio::test]
async fn openapi_document_is_3_1_and_describes_every_route() {
    let apps = apps(false).await;
    let app = &apps[0];
    let res = app.get("/api/openapi.json").await;
    assert_eq!(res.status, 200);
    let doc = res.json();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    for path in [
        "/api/v1/municipalities",
        "/api/v1/municipalities/{code}",
        "/api/v1/universities",
        "/api/v1/learning-centres",
        "/api/v1/occupations",
        "/health",
    ] {
        assert!(
            doc["paths"][path]["get"].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    for (path, method) in [
        ("/api/v1/vfu/sites", "post"),
        ("/api/v1/vfu/sites/{id}", "delete"),
        ("/api/v1/vfu/placements/{id}/transition", "post"),
        ("/api/v1/vfu/municipalities/{code}/raci/{programme}", "put"),
        ("/api/v1/vfu/periods.ics", "get"),
        ("/api/v1/vfu/me", "get"),
        ("/api/v1/vfu/me/students/{id}/wishes", "put"),
        ("/api/v1/vfu/sites/{id}/interest/{term}", "delete"),
        ("/api/v1/vfu/periods/{id}/allocation", "post"),
        ("/api/v1/vfu/periods/{id}/allocation/publish", "post"),
        ("/api/v1/vfu/periods/{id}/allocation/locks/{student}", "delete"),
        ("/api/v1/vfu/universities/{id}/allocation-rules", "put"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} missing from the OpenAPI document"
        );
    }
    // Every VFU route of the router is documented, and nothing else under /api/v1/vfu/.
    let documented = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|p| p.starts_with("/api/v1/vfu/"))
        .count();
    // (31 of the registry, 4 of the allocation.)
    assert_eq!(documented, 35, "VFU paths in the OpenAPI document");
    // The municipality schema has exactly the keys the API promises.
    let props = doc["components"]["schemas"]["MunicipalityRecord"]["properties"]
        .as_object()
        .unwrap();
    for key in [
        "code",
        "name",
        "county_code",
        "seat",
        "lat",
        "lon",
        "population",
        "population_year",
        "role",
    ] {
        assert!(props.contains_key(key), "MunicipalityRecord lacks {key}");
    }
    insta::assert_snapshot!("openapi", res.body);
    for app in apps {
        app.finish().await;
    }
}
