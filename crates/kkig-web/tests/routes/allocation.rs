//! The allocation API (`/api/v1/vfu/…/allocation…`) on the demo world: rules (defaults, saved,
//! invalid), a run's preview (every student placed or with a reason), a lock with its reason
//! changes the result and is audited, publishing writes placements and one summary audit row
//! (then 409: nothing to publish), and who may do it. On SQLite and PostgreSQL.

use kkig_core::access::Role;

use serde_json::{json, Value};

use crate::common::{apps, users_with_tokens, TestApp, TestResponse};
use kkig_store::prelude::*;

fn token(role: &str) -> String {
    format!("kkig_alloc_{role}_secret")
}

async fn users(app: &TestApp) {
    let specs: [(&str, Role, Option<&str>); 5] = [
        ("admin", Role::Admin, None),
        ("regional", Role::Regional, None),
        ("muni", Role::Municipality, Some("2482")),
        ("ltu", Role::University, Some("LTU")),
        ("umu", Role::University, Some("UmU")),
    ];
    users_with_tokens(app, "alloc.test", &specs, token).await;
}

async fn call(app: &TestApp, role: Option<&str>, method: &str, uri: &str, body: &str) -> TestResponse {
    let auth = role.map(|r| format!("Bearer {}", token(r)));
    let mut headers = vec![("content-type", "application/json")];
    if let Some(a) = &auth {
        headers.push(("authorization", a.as_str()));
    }
    app.send(method, uri, &headers, body).await
}

async fn ok(app: &TestApp, role: &str, method: &str, uri: &str, body: Value) -> Value {
    let res = call(app, Some(role), method, uri, &body.to_string()).await;
    assert!(
        res.status.is_success(),
        "{} {method} {uri} as {role}: {} {}",
        app.db.label,
        res.status,
        res.body
    );
    if res.body.is_empty() {
        Value::Null
    } else {
        res.json()
    }
}

async fn status(app: &TestApp, role: Option<&str>, method: &str, uri: &str, body: Value) -> u16 {
    call(app, role, method, uri, &body.to_string()).await.status.as_u16()
}

async fn audit(app: &TestApp, entity: &str, action: &str) -> usize {
    app.db
        .store
        .audit_since(0, i64::MAX)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.entity == entity && e.action == action)
        .count()
}

#[tokio::test]
async fn allocation_run_lock_publish() {
    for app in apps(true).await {
        let label = app.db.label;
        users(&app).await;
        let periods = app.get("/api/v1/vfu/periods?university=UmU").await.json();
        let period = periods[0]["id"].as_str().unwrap().to_string();
        let run_uri = format!("/api/v1/vfu/periods/{period}/allocation");

        // Rules: defaults, saved with a move penalty, invalid → 422 naming the rule.
        let rules = ok(
            &app,
            "umu",
            "GET",
            "/api/v1/vfu/universities/UmU/allocation-rules",
            Value::Null,
        )
        .await;
        assert_eq!(
            (rules["max_travel_minutes"].as_i64(), rules["move_penalty"].as_i64()),
            (Some(90), Some(60)),
            "{label}"
        );
        let saved = ok(
            &app,
            "umu",
            "PUT",
            "/api/v1/vfu/universities/UmU/allocation-rules",
            json!({"move_penalty": 60, "max_travel_minutes": 120}),
        )
        .await;
        assert_eq!(
            (
                saved["move_penalty"].as_i64(),
                saved["max_travel_minutes"].as_i64(),
                saved["road_factor"].as_f64()
            ),
            (Some(60), Some(120), Some(1.3)),
            "{label}"
        );
        let bad = call(
            &app,
            Some("umu"),
            "PUT",
            "/api/v1/vfu/universities/UmU/allocation-rules",
            &json!({"speed_kmh": -5}).to_string(),
        )
        .await;
        assert_eq!(bad.status.as_u16(), 422, "{label}: {}", bad.body);
        assert_eq!(bad.json()["fields"][0]["field"], "speed_kmh", "{label}");
        assert_eq!(audit(&app, "allocation_rules", "update").await, 1, "{label}");
        assert_eq!(
            status(
                &app,
                Some("regional"),
                "GET",
                "/api/v1/vfu/universities/UmU/allocation-rules",
                Value::Null
            )
            .await,
            200,
            "{label}"
        );
        assert_eq!(
            status(
                &app,
                Some("regional"),
                "PUT",
                "/api/v1/vfu/universities/UmU/allocation-rules",
                json!({})
            )
            .await,
            403,
            "{label}"
        );
        assert_eq!(
            status(
                &app,
                Some("ltu"),
                "PUT",
                "/api/v1/vfu/universities/UmU/allocation-rules",
                json!({})
            )
            .await,
            403,
            "{label}"
        );
        assert_eq!(
            status(
                &app,
                Some("umu"),
                "GET",
                "/api/v1/vfu/universities/XYZ/allocation-rules",
                Value::Null
            )
            .await,
            404,
            "{label}"
        );

        // Who may run: the period's university and admin; others 403, no period 404; anonymous
        // 401 (a POST without a token or same-origin header is refused earlier by the CSRF guard).
        assert_eq!(
            status(
                &app,
                None,
                "GET",
                "/api/v1/vfu/universities/UmU/allocation-rules",
                Value::Null
            )
            .await,
            401,
            "{label}"
        );
        for role in ["ltu", "muni", "regional"] {
            assert_eq!(
                status(&app, Some(role), "POST", &run_uri, Value::Null).await,
                403,
                "{label}: {role}"
            );
        }
        assert_eq!(
            status(
                &app,
                Some("umu"),
                "POST",
                "/api/v1/vfu/periods/no-such/allocation",
                Value::Null
            )
            .await,
            404,
            "{label}"
        );
        assert_eq!(
            status(&app, Some("admin"), "POST", &run_uri, Value::Null).await,
            200,
            "{label}"
        );

        // The preview: every student placed or with a reason; the summary adds up.
        let preview = ok(&app, "umu", "POST", &run_uri, Value::Null).await;
        let students = preview["students"].as_array().unwrap();
        assert!(!students.is_empty(), "{label}");
        for s in students {
            assert!(s["site"].is_string() != s["reason"].is_string(), "{label}: {s}");
            assert!(s["name"].as_str().is_some_and(|n| !n.is_empty()), "{label}: {s}");
        }
        let placed = preview["placed"].as_u64().unwrap() as usize;
        assert_eq!(placed, preview["assignments"].as_array().unwrap().len(), "{label}");
        assert_eq!(
            placed + preview["unplaced"].as_array().unwrap().len(),
            students.len(),
            "{label}"
        );
        assert_eq!(
            preview["summary"]["students"].as_u64().unwrap() as usize,
            students.len(),
            "{label}"
        );
        assert_eq!(preview["rules"]["move_penalty"], 60, "{label}");
        let travel: u64 = preview["summary"]["travel"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["students"].as_u64().unwrap())
            .sum();
        assert_eq!(travel as usize, placed, "{label}");

        // A lock with a reason moves an unlocked placed student elsewhere; missing reason 422.
        let student = students
            .iter()
            .find(|s| s["site"].is_string() && s["locked"] == false)
            .unwrap();
        let sid = student["student"].as_str().unwrap().to_string();
        let old_site = student["site"].as_str().unwrap().to_string();
        let new_site = preview["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["site"].as_str().unwrap())
            .find(|x| *x != old_site)
            .unwrap()
            .to_string();
        let lock_uri = format!("/api/v1/vfu/periods/{period}/allocation/locks/{sid}");
        let res = call(
            &app,
            Some("umu"),
            "PUT",
            &lock_uri,
            &json!({"site": new_site}).to_string(),
        )
        .await;
        assert_eq!(res.status.as_u16(), 422, "{label}: {}", res.body);
        assert_eq!(res.json()["fields"][0]["field"], "reason", "{label}");
        assert_eq!(
            status(&app, Some("umu"), "PUT", &lock_uri, json!({"reason": "x"})).await,
            422,
            "{label}: missing site"
        );
        assert_eq!(
            status(
                &app,
                Some("ltu"),
                "PUT",
                &lock_uri,
                json!({"site": new_site, "reason": "x"})
            )
            .await,
            403,
            "{label}"
        );
        let lock = ok(
            &app,
            "umu",
            "PUT",
            &lock_uri,
            json!({"site": new_site, "reason": "Nära familjen"}),
        )
        .await;
        assert_eq!(lock["reason"], "Nära familjen", "{label}");
        assert_eq!(audit(&app, "allocation_lock", "lock").await, 1, "{label}");
        let locked = ok(&app, "umu", "POST", &run_uri, Value::Null).await;
        let line = locked["students"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["student"] == sid.as_str())
            .unwrap()
            .clone();
        assert_eq!(
            (line["site"].as_str(), line["locked"].as_bool()),
            (Some(new_site.as_str()), Some(true)),
            "{label}"
        );
        assert_eq!(locked["locks"].as_array().unwrap().len(), 1, "{label}");

        // Publish: placements written as offered, one summary row; again → 409.
        assert_eq!(
            status(&app, Some("ltu"), "POST", &format!("{run_uri}/publish"), Value::Null).await,
            403,
            "{label}"
        );
        let published = ok(&app, "umu", "POST", &format!("{run_uri}/publish"), Value::Null).await;
        let r = &published["report"];
        assert!(
            r["created"].as_u64().unwrap() + r["moved"].as_u64().unwrap() + r["withdrawn"].as_u64().unwrap() > 0,
            "{label}: {r}"
        );
        assert_eq!(audit(&app, "allocation", "publish").await, 1, "{label}");
        let placements = ok(
            &app,
            "umu",
            "GET",
            &format!("/api/v1/vfu/placements?student={sid}"),
            Value::Null,
        )
        .await;
        let active: Vec<&Value> = placements
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["status"] != "withdrawn" && p["status"] != "completed")
            .collect();
        assert!(
            active.iter().any(|p| p["site_id"] == new_site.as_str()),
            "{label}: {placements}"
        );
        let again = call(&app, Some("umu"), "POST", &format!("{run_uri}/publish"), "").await;
        assert_eq!(again.status.as_u16(), 409, "{label}: {}", again.body);
        assert_eq!(audit(&app, "allocation", "publish").await, 1, "{label}");

        // Unlock: reason required; then 204; then 404.
        assert_eq!(
            status(&app, Some("umu"), "DELETE", &lock_uri, Value::Null).await,
            422,
            "{label}"
        );
        assert_eq!(
            status(
                &app,
                Some("umu"),
                "DELETE",
                &format!("{lock_uri}?reason=Klart"),
                Value::Null
            )
            .await,
            204,
            "{label}"
        );
        assert_eq!(
            status(
                &app,
                Some("umu"),
                "DELETE",
                &format!("{lock_uri}?reason=Klart"),
                Value::Null
            )
            .await,
            404,
            "{label}"
        );
        assert_eq!(audit(&app, "allocation_lock", "unlock").await, 1, "{label}");
        app.finish().await;
    }
}
