//! The store's refusals through the API (`From<StoreError> for ApiError`): invalid input is 422
//! naming every invalid field, a refusal is 409 naming what blocks it; both are the caller's
//! errors, never 503. On the demo world, on SQLite and PostgreSQL.

use kkig_core::access::Role;
use serde_json::json;

use crate::common::{apps, users_with_tokens, TestApp, TestResponse};

fn token(key: &str) -> String {
    format!("kkig_errors_{key}_secret")
}

async fn call(app: &TestApp, key: &str, method: &str, uri: &str, body: &str) -> TestResponse {
    let auth = format!("Bearer {}", token(key));
    let headers = [("content-type", "application/json"), ("authorization", auth.as_str())];
    app.send(method, uri, &headers, body).await
}

#[tokio::test]
async fn store_refusals_are_409_and_422_with_message_and_fields() {
    for app in apps(true).await {
        let label = app.db.label;
        let specs: [(&str, Role, Option<&str>); 2] =
            [("admin", Role::Admin, None), ("umu", Role::University, Some("UmU"))];
        users_with_tokens(&app, "errors.test", &specs, token).await;

        // 422: a rule the store's validation refuses, named in `fields` and in the message.
        let rules = "/api/v1/vfu/universities/UmU/allocation-rules";
        let bad = call(&app, "umu", "PUT", rules, &json!({"road_factor": 0}).to_string()).await;
        assert_eq!(bad.status.as_u16(), 422, "{label}: {}", bad.body);
        let message = "must be a number above 0 and at most 100, got 0";
        assert_eq!(
            bad.json(),
            json!({"error": format!("invalid input: road_factor: {message}"),
                   "fields": [{"field": "road_factor", "message": message}]}),
            "{label}"
        );
        let kept = call(&app, "umu", "GET", rules, "").await;
        assert_eq!(kept.json()["road_factor"], 1.3, "{label}: nothing saved");

        // 409: a placement site that placements refer to cannot be deleted; the answer names the
        // field and the site stays.
        let placements = call(&app, "admin", "GET", "/api/v1/vfu/placements", "").await.json();
        let site = placements[0]["site_id"].as_str().unwrap().to_string();
        let refused = call(&app, "admin", "DELETE", &format!("/api/v1/vfu/sites/{site}"), "").await;
        assert_eq!(refused.status.as_u16(), 409, "{label}: {}", refused.body);
        let body = refused.json();
        let fields = body["fields"].as_array().unwrap();
        assert_eq!(fields.len(), 1, "{label}: {body}");
        assert_eq!(fields[0]["field"], "id", "{label}: {body}");
        let why = fields[0]["message"].as_str().unwrap();
        assert!(why.contains(&site), "{label}: {body}");
        assert_eq!(body["error"], format!("refused: id: {why}"), "{label}");
        let still = call(&app, "admin", "GET", &format!("/api/v1/vfu/sites/{site}"), "").await;
        assert_eq!(still.status.as_u16(), 200, "{label}");
        app.finish().await;
    }
}
