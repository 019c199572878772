//! The VFU API (`/api/v1/vfu/…`) through the whole router: CRUD of every entity with JSON
//! snapshots, validation errors naming fields, the placement lifecycle, the route × role
//! matrix (municipality A vs B, university X vs Y) with audit checks, the downloads and `me`.
//! On SQLite and PostgreSQL.

use std::collections::BTreeMap;

use kkig_core::access::Role;
use kkig_store::UserRecord;
use serde_json::{json, Value};

use crate::common::{apps, users_with_tokens, TestApp, TestResponse};
use kkig_store::prelude::*;

/// Column order of the matrix: anonymous, then these.
const ROLES: [&str; 9] = [
    "admin",
    "regional",
    "muni_a",
    "muni_b",
    "uni_x",
    "uni_y",
    "provider",
    "supervisor",
    "student",
];

struct World {
    users: BTreeMap<&'static str, UserRecord>,
    sup_a: String,
    sup_b: String,
    stu_a: String,
    stu_b: String,
    pl_a: String,
    pl_b: String,
}

async fn users(app: &TestApp) -> BTreeMap<&'static str, UserRecord> {
    let specs: [(&str, Role, Option<&str>); 9] = [
        ("admin", Role::Admin, None),
        ("regional", Role::Regional, None),
        ("muni_a", Role::Municipality, Some("2422")),
        ("muni_b", Role::Municipality, Some("2521")),
        ("uni_x", Role::University, Some("LTU")),
        ("uni_y", Role::University, Some("UmU")),
        ("provider", Role::Provider, Some("yh-norr")),
        ("supervisor", Role::Supervisor, None),
        ("student", Role::Student, None),
    ];
    users_with_tokens(app, "kkig.test", &specs, token).await
}

fn token(role: &str) -> String {
    format!("kkig_{role}_secret")
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

fn site_body(id: &str, municipality: &str, name: &str) -> Value {
    json!({"id": id, "municipality": municipality, "name": name, "kind": "school", "address": "Skolgatan 1", "lat": 65.53, "lon": 17.53,
           "fields": ["teacher_f3:svenska,matematik", "teacher_4_6"]})
}

fn supervisor_body(email: &str, municipality: &str, site: &str) -> Value {
    json!({"email": email, "name": format!("Handledare {municipality}"), "phone": "070-123 45 67", "municipality": municipality, "site_id": site,
           "fields": "teacher_f3", "employment_percent": 87.5, "training": "introduction", "students_per_period": 2, "consent_contact": true})
}

fn period_body(id: &str, university: &str) -> Value {
    json!({"id": id, "university": university, "programme": "Grundlärarprogrammet F–3", "course_code": "6PE123", "start": "2026-09-07",
           "end": "2026-10-09", "field": "teacher_f3", "students": 10})
}

fn student_body(period: &str, email: &str, home: &str, wish: &str) -> Value {
    json!({"period_id": period, "email": email, "name": format!("Student {home}"), "home_municipality": home, "wishes": [wish],
           "subjects": ["svenska", "matematik"], "no_driving_licence": true, "registerutdrag": "2026-05-01"})
}

/// Sites, supervisors, periods, students and placements in municipalities A (Sorsele 2422) and
/// B (Pajala 2521), of universities X (LTU) and Y (UmU). The supervisor and student users are
/// the supervisor of A and the student of X.
async fn world(app: &TestApp) -> World {
    let users = users(app).await;
    ok(
        app,
        "admin",
        "POST",
        "/api/v1/vfu/sites",
        site_body("site-a", "2422", "Sorsele skola"),
    )
    .await;
    ok(
        app,
        "admin",
        "POST",
        "/api/v1/vfu/sites",
        site_body("site-b", "2521", "Pajala skola"),
    )
    .await;
    let sup_a = ok(
        app,
        "admin",
        "POST",
        "/api/v1/vfu/supervisors",
        supervisor_body("supervisor@kkig.test", "2422", "site-a"),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let sup_b = ok(
        app,
        "admin",
        "POST",
        "/api/v1/vfu/supervisors",
        supervisor_body("sup-b@kommun.test", "2521", "site-b"),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    ok(
        app,
        "admin",
        "POST",
        "/api/v1/vfu/periods",
        period_body("per-ltu", "LTU"),
    )
    .await;
    ok(
        app,
        "admin",
        "POST",
        "/api/v1/vfu/periods",
        period_body("per-umu", "UmU"),
    )
    .await;
    let mut body = student_body("per-ltu", "student@kkig.test", "2422", "site-a");
    body["home_lat"] = json!(65.0);
    body["home_lon"] = json!("17,0");
    let stu_a = ok(app, "admin", "POST", "/api/v1/vfu/students", body).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let stu_b = ok(
        app,
        "admin",
        "POST",
        "/api/v1/vfu/students",
        student_body("per-umu", "bodil@student.test", "2521", "site-b"),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let pl_a = ok(
        app,
        "admin",
        "POST",
        "/api/v1/vfu/placements",
        json!({"student_id": stu_a, "site_id": "site-a", "supervisor_id": sup_a, "on": "2026-06-01"}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let pl_b = ok(
        app,
        "admin",
        "POST",
        "/api/v1/vfu/placements",
        json!({"student_id": stu_b, "site_id": "site-b", "on": "2026-06-01"}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    World {
        users,
        sup_a,
        sup_b,
        stu_a,
        stu_b,
        pl_a,
        pl_b,
    }
}

/// Generated ids (`sup-<32 hex>`, …) replaced by `[id]` so that snapshots are stable.
fn stable(v: Value) -> Value {
    match v {
        Value::String(s) => {
            let generated = s.split_once('-').is_some_and(|(p, hex)| {
                !p.is_empty()
                    && p.chars().all(|c| c.is_ascii_lowercase())
                    && hex.len() == 32
                    && hex.chars().all(|c| c.is_ascii_hexdigit())
            });
            Value::String(if generated { "[id]".into() } else { s })
        }
        Value::Array(a) => Value::Array(a.into_iter().map(stable).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, stable(v))).collect()),
        other => other,
    }
}

fn field_names(res: &TestResponse) -> Vec<String> {
    res.json()["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("no fields: {}", res.body))
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn crud_of_every_entity() {
    for app in apps(false).await {
        let label = app.db.label;
        let w = world(&app).await;

        // Sites.
        let site = call(&app, Some("muni_a"), "GET", "/api/v1/vfu/sites/site-a", "").await;
        assert_eq!(site.status, 200, "{label}");
        if label == "sqlite" {
            insta::assert_json_snapshot!("site", site.json());
        }
        let mut changed = site_body("ignored", "2422", "Sorsele skola, norra");
        changed["fields"] = json!("teacher_f3");
        let put = ok(&app, "muni_a", "PUT", "/api/v1/vfu/sites/site-a", changed).await;
        assert_eq!(
            (put["id"].as_str(), put["name"].as_str(), put["fields"].clone()),
            (Some("site-a"), Some("Sorsele skola, norra"), json!(["teacher_f3"])),
            "{label}"
        );
        let list = ok(&app, "muni_a", "GET", "/api/v1/vfu/sites", Value::Null).await;
        assert_eq!(
            list.as_array().unwrap().len(),
            1,
            "{label}: muni A sees its own site only"
        );
        let created = call(
            &app,
            Some("muni_a"),
            "POST",
            "/api/v1/vfu/sites",
            &json!({"municipality": "2422", "name": "Ny förskola", "kind": "förskola", "fields": ["teacher_forskola"]})
                .to_string(),
        )
        .await;
        assert_eq!(created.status, 201, "{label}: {}", created.body);
        let new_id = created.json()["id"].as_str().unwrap().to_string();
        assert_eq!(
            created.json()["lat"],
            json!(65.5333),
            "{label}: no position given → the municipality seat: {}",
            created.body
        );
        assert_eq!(
            call(
                &app,
                Some("muni_a"),
                "DELETE",
                &format!("/api/v1/vfu/sites/{new_id}"),
                ""
            )
            .await
            .status,
            204,
            "{label}"
        );
        assert_eq!(
            call(&app, Some("muni_a"), "GET", &format!("/api/v1/vfu/sites/{new_id}"), "")
                .await
                .status,
            404,
            "{label}"
        );
        // A site with placements cannot go.
        let blocked = call(&app, Some("muni_a"), "DELETE", "/api/v1/vfu/sites/site-a", "").await;
        assert_eq!(blocked.status, 409, "{label}: {}", blocked.body);
        assert_eq!(field_names(&blocked), ["id"], "{label}");

        // Hosting interest.
        let h = ok(
            &app,
            "muni_a",
            "PUT",
            "/api/v1/vfu/sites/site-a/interest/ht2026",
            json!({"interest": "ja", "capacity": 3}),
        )
        .await;
        assert_eq!(
            h,
            json!({"site_id": "site-a", "term": "HT2026", "interest": "yes", "capacity": 3, "reason": ""}),
            "{label}"
        );
        let no = call(
            &app,
            Some("muni_a"),
            "PUT",
            "/api/v1/vfu/sites/site-a/interest/VT2027",
            r#"{"interest": "no", "capacity": 2}"#,
        )
        .await;
        assert_eq!(no.status, 422, "{label}");
        assert_eq!(field_names(&no), ["reason"], "{label}: {}", no.body);
        ok(
            &app,
            "muni_a",
            "PUT",
            "/api/v1/vfu/sites/site-a/interest/VT2027",
            json!({"interest": "no", "reason": "Ombyggnad"}),
        )
        .await;
        let all = ok(&app, "muni_a", "GET", "/api/v1/vfu/sites/site-a/interest", Value::Null).await;
        assert_eq!(
            all.as_array()
                .unwrap()
                .iter()
                .map(|h| h["term"].as_str().unwrap())
                .collect::<Vec<_>>(),
            ["HT2026", "VT2027"],
            "{label}"
        );
        // An answer is deleted; another municipality may not, an unknown term is not found.
        assert_eq!(
            call(
                &app,
                Some("muni_b"),
                "DELETE",
                "/api/v1/vfu/sites/site-a/interest/VT2027",
                ""
            )
            .await
            .status,
            404,
            "{label}: outside B's scope"
        );
        assert_eq!(
            call(
                &app,
                Some("uni_x"),
                "DELETE",
                "/api/v1/vfu/sites/site-a/interest/VT2027",
                ""
            )
            .await
            .status,
            403,
            "{label}: universities read only"
        );
        assert_eq!(
            call(
                &app,
                Some("muni_a"),
                "DELETE",
                "/api/v1/vfu/sites/site-a/interest/VT2027",
                ""
            )
            .await
            .status,
            204,
            "{label}"
        );
        assert_eq!(
            call(
                &app,
                Some("muni_a"),
                "DELETE",
                "/api/v1/vfu/sites/site-a/interest/VT2027",
                ""
            )
            .await
            .status,
            404,
            "{label}: already gone"
        );
        assert_eq!(
            call(
                &app,
                Some("muni_a"),
                "DELETE",
                "/api/v1/vfu/sites/site-a/interest/sommar",
                ""
            )
            .await
            .status,
            404,
            "{label}"
        );
        let all = ok(&app, "muni_a", "GET", "/api/v1/vfu/sites/site-a/interest", Value::Null).await;
        assert_eq!(
            all.as_array()
                .unwrap()
                .iter()
                .map(|h| h["term"].as_str().unwrap())
                .collect::<Vec<_>>(),
            ["HT2026"],
            "{label}"
        );
        let deleted = app
            .db
            .store
            .audit_since(0, i64::MAX)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.entity == "hosting_interest" && e.action == "delete")
            .collect::<Vec<_>>();
        assert_eq!(
            (deleted.len(), deleted[0].actor.clone()),
            (1, format!("user:{}", w.users["muni_a"].id)),
            "{label}: audited with the user"
        );

        // Supervisors.
        let sup = ok(
            &app,
            "muni_a",
            "GET",
            &format!("/api/v1/vfu/supervisors/{}", w.sup_a),
            Value::Null,
        )
        .await;
        if label == "sqlite" {
            insta::assert_json_snapshot!("supervisor", stable(sup.clone()));
        }
        let mut body = supervisor_body("supervisor@kkig.test", "2422", "site-a");
        body["students_per_period"] = json!(3);
        body["unavailable_terms"] = json!(["VT2027"]);
        let put = ok(
            &app,
            "muni_a",
            "PUT",
            &format!("/api/v1/vfu/supervisors/{}", w.sup_a),
            body,
        )
        .await;
        assert_eq!(
            (put["students_per_period"].clone(), put["unavailable_terms"].clone()),
            (json!(3), json!(["VT2027"])),
            "{label}"
        );
        let invited = ok(
            &app,
            "muni_a",
            "POST",
            &format!("/api/v1/vfu/supervisors/{}/invite", w.sup_a),
            json!({"status": "invited", "on": "2026-02-01"}),
        )
        .await;
        assert_eq!(
            (invited["invite"].as_str(), invited["invite_date"].as_str()),
            (Some("invited"), Some("2026-02-01")),
            "{label}"
        );
        let done = ok(
            &app,
            "muni_a",
            "POST",
            &format!("/api/v1/vfu/supervisors/{}/invite", w.sup_a),
            json!({"status": "completed", "on": "2026-05-20", "university": "LTU"}),
        )
        .await;
        assert_eq!(
            (
                done["invite"].as_str(),
                done["training"].as_str(),
                done["training_university"].as_str()
            ),
            (Some("completed"), Some("completed"), Some("LTU")),
            "{label}"
        );
        let bad = call(
            &app,
            Some("muni_a"),
            "POST",
            &format!("/api/v1/vfu/supervisors/{}/invite", w.sup_a),
            r#"{"status": "maybe", "on": "igår"}"#,
        )
        .await;
        assert_eq!(bad.status, 422, "{label}");
        assert_eq!(field_names(&bad), ["status", "on"], "{label}");
        let list = ok(&app, "muni_b", "GET", "/api/v1/vfu/supervisors", Value::Null).await;
        assert_eq!(
            list.as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].as_str().unwrap())
                .collect::<Vec<_>>(),
            [w.sup_b.as_str()],
            "{label}"
        );
        let extra = ok(
            &app,
            "muni_b",
            "POST",
            "/api/v1/vfu/supervisors",
            supervisor_body("extra@kommun.test", "", "site-b"),
        )
        .await;
        assert_eq!(extra["municipality"], "2521", "{label}: the municipality of the site");
        assert_eq!(
            call(
                &app,
                Some("muni_b"),
                "DELETE",
                &format!("/api/v1/vfu/supervisors/{}", extra["id"].as_str().unwrap()),
                ""
            )
            .await
            .status,
            204,
            "{label}"
        );

        // Periods (public reads).
        let period = call(&app, None, "GET", "/api/v1/vfu/periods/per-ltu", "").await;
        assert_eq!(period.status, 200, "{label}");
        if label == "sqlite" {
            insta::assert_json_snapshot!("period", period.json());
        }
        let mut body = period_body("x", "LTU");
        body["students"] = json!(12);
        body["requirements"] = json!(["registerutdrag", "hepatit_b:365"]);
        let put = ok(&app, "uni_x", "PUT", "/api/v1/vfu/periods/per-ltu", body).await;
        assert_eq!(
            (put["students"].clone(), put["requirements"].clone()),
            (json!(12), json!(["registerutdrag:365", "hepatit_b:365"])),
            "{label}"
        );
        let list = call(&app, None, "GET", "/api/v1/vfu/periods?university=umu", "")
            .await
            .json();
        assert_eq!(
            list.as_array()
                .unwrap()
                .iter()
                .map(|p| p["id"].as_str().unwrap())
                .collect::<Vec<_>>(),
            ["per-umu"],
            "{label}"
        );
        assert_eq!(
            call(&app, None, "GET", "/api/v1/vfu/periods?university=KTH", "")
                .await
                .status,
            400,
            "{label}"
        );
        let extra = call(
            &app,
            Some("uni_y"),
            "POST",
            "/api/v1/vfu/periods",
            &period_body("", "UmU").to_string(),
        )
        .await;
        assert_eq!(extra.status, 201, "{label}: {}", extra.body);
        let extra_id = extra.json()["id"].as_str().unwrap().to_string();
        assert_eq!(
            call(
                &app,
                Some("uni_y"),
                "DELETE",
                &format!("/api/v1/vfu/periods/{extra_id}"),
                ""
            )
            .await
            .status,
            204,
            "{label}"
        );
        let blocked = call(&app, Some("uni_y"), "DELETE", "/api/v1/vfu/periods/per-umu", "").await;
        assert_eq!(blocked.status, 409, "{label}: students are on it: {}", blocked.body);

        // Students.
        let student = ok(
            &app,
            "uni_x",
            "GET",
            &format!("/api/v1/vfu/students/{}", w.stu_a),
            Value::Null,
        )
        .await;
        if label == "sqlite" {
            insta::assert_json_snapshot!("student", stable(student.clone()));
        }
        let mut body = student_body("per-ltu", "student@kkig.test", "2422", "site-a");
        body["home_lat"] = json!(65.0);
        body["home_lon"] = json!(17.0);
        body["wishes"] = json!(["site-a", "2521"]);
        body["needs_public_transport"] = json!("ja");
        let put = ok(&app, "uni_x", "PUT", &format!("/api/v1/vfu/students/{}", w.stu_a), body).await;
        assert_eq!(
            (put["wishes"].clone(), put["needs_public_transport"].clone()),
            (json!(["site-a", "2521"]), json!(true)),
            "{label}"
        );
        let on_period = ok(
            &app,
            "uni_x",
            "GET",
            "/api/v1/vfu/periods/per-ltu/students",
            Value::Null,
        )
        .await;
        assert_eq!(on_period.as_array().unwrap().len(), 1, "{label}");
        let listed = ok(
            &app,
            "regional",
            "GET",
            "/api/v1/vfu/students?home_municipality=2521",
            Value::Null,
        )
        .await;
        assert_eq!(
            listed
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].as_str().unwrap())
                .collect::<Vec<_>>(),
            [w.stu_b.as_str()],
            "{label}"
        );
        let extra = ok(
            &app,
            "uni_y",
            "POST",
            "/api/v1/vfu/students",
            student_body("per-umu", "extra@student.test", "2521", "2521"),
        )
        .await;
        assert_eq!(
            call(
                &app,
                Some("uni_y"),
                "DELETE",
                &format!("/api/v1/vfu/students/{}", extra["id"].as_str().unwrap()),
                ""
            )
            .await
            .status,
            204,
            "{label}"
        );

        // Placements.
        let placement = ok(
            &app,
            "uni_x",
            "GET",
            &format!("/api/v1/vfu/placements/{}", w.pl_a),
            Value::Null,
        )
        .await;
        if label == "sqlite" {
            insta::assert_json_snapshot!("placement", stable(placement.clone()));
        }
        let put = ok(
            &app,
            "muni_a",
            "PUT",
            &format!("/api/v1/vfu/placements/{}", w.pl_a),
            json!({"note": "Buss 7.10", "waiting_for_better": true}),
        )
        .await;
        assert_eq!(
            (
                put["note"].as_str(),
                put["waiting_for_better"].as_bool(),
                put["supervisor_id"].as_str()
            ),
            (Some("Buss 7.10"), Some(true), Some(w.sup_a.as_str())),
            "{label}"
        );
        let listed = ok(&app, "uni_y", "GET", "/api/v1/vfu/placements", Value::Null).await;
        assert_eq!(
            listed
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["id"].as_str().unwrap())
                .collect::<Vec<_>>(),
            [w.pl_b.as_str()],
            "{label}"
        );
        let by_status = ok(
            &app,
            "admin",
            "GET",
            "/api/v1/vfu/placements?status=requested&municipality=2422",
            Value::Null,
        )
        .await;
        assert_eq!(by_status.as_array().unwrap().len(), 1, "{label}");
        let waiting = ok(
            &app,
            "admin",
            "GET",
            "/api/v1/vfu/sites/site-b/waiting-list",
            Value::Null,
        )
        .await;
        assert_eq!(
            waiting
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["student_id"].as_str().unwrap())
                .collect::<Vec<_>>(),
            Vec::<&str>::new(),
            "{label}: site-b is not among A's wishes by id"
        );
        let extra = ok(
            &app,
            "uni_y",
            "POST",
            "/api/v1/vfu/placements",
            json!({"student_id": w.stu_b, "site_id": "site-b", "status": "offered"}),
        )
        .await;
        assert_eq!(extra["status"], "offered", "{label}");
        assert_eq!(
            call(
                &app,
                Some("uni_y"),
                "DELETE",
                &format!("/api/v1/vfu/placements/{}", extra["id"].as_str().unwrap()),
                ""
            )
            .await
            .status,
            204,
            "{label}"
        );

        // Views.
        let need = ok(
            &app,
            "muni_a",
            "GET",
            "/api/v1/vfu/municipalities/2422/training-need",
            Value::Null,
        )
        .await;
        assert_eq!(need["municipality"], "2422", "{label}");
        assert_eq!(need["rows"][0]["field"], "teacher_f3", "{label}: {need}");
        assert_eq!(need["rows"][0]["students_from_municipality"], 1, "{label}: {need}");
        let comp = ok(
            &app,
            "muni_a",
            "GET",
            "/api/v1/vfu/municipalities/2422/compensation",
            Value::Null,
        )
        .await;
        assert_eq!(comp, json!([]), "{label}: nothing confirmed yet");
        for to in ["offered", "confirmed"] {
            ok(
                &app,
                "muni_a",
                "POST",
                &format!("/api/v1/vfu/placements/{}/transition", w.pl_a),
                json!({"to": to, "on": "2026-06-10"}),
            )
            .await;
        }
        let comp = ok(
            &app,
            "uni_x",
            "GET",
            "/api/v1/vfu/municipalities/2422/compensation",
            Value::Null,
        )
        .await;
        assert_eq!(
            comp,
            json!([{"municipality": "2422", "university": "LTU", "term": "HT2026", "placements": 1, "student_weeks": 5}]),
            "{label}"
        );

        // Contacts: public with their work e-mail and phone (named so that people can reach them).
        let c = ok(&app, "muni_a", "POST", "/api/v1/vfu/municipalities/2422/contacts",
            json!({"role": "municipal_coordinator", "name": "Karin Samordnare", "email": "karin@sorsele.test", "phone": "0952-140 00", "title": "VFU-samordnare"})).await;
        let contact_id = c["id"].as_str().unwrap().to_string();
        let public = call(&app, None, "GET", "/api/v1/vfu/municipalities/2422/contacts", "").await;
        assert_eq!(public.status, 200, "{label}");
        if label == "sqlite" {
            insta::assert_json_snapshot!("contacts_public", stable(public.json()));
        }
        assert_eq!(
            (public.json()[0]["email"].as_str(), public.json()[0]["phone"].as_str()),
            (Some("karin@sorsele.test"), Some("0952-140 00")),
            "{label}"
        );
        for role in ["muni_a", "muni_b", "student"] {
            assert_eq!(
                ok(
                    &app,
                    role,
                    "GET",
                    "/api/v1/vfu/municipalities/2422/contacts",
                    Value::Null
                )
                .await,
                public.json(),
                "{label}: {role} sees what the public sees"
            );
        }
        let put = ok(&app, "muni_a", "PUT", &format!("/api/v1/vfu/contacts/{contact_id}"),
            json!({"role": "manager", "programme": "teacher", "name": "Karin Rektor", "email": "karin@sorsele.test", "title": "Rektor"})).await;
        assert_eq!(
            (put["role"].as_str(), put["programme"].as_str(), put["name"].as_str()),
            (Some("manager"), Some("teacher"), Some("Karin Rektor")),
            "{label}"
        );
        let bad = call(
            &app,
            Some("muni_a"),
            "POST",
            "/api/v1/vfu/municipalities/2422/contacts",
            r#"{"role": "boss", "programme": "x", "name": "", "email": "nej"}"#,
        )
        .await;
        assert_eq!(bad.status, 422, "{label}");
        assert_eq!(field_names(&bad), ["role", "programme", "name", "email"], "{label}");
        assert_eq!(
            call(
                &app,
                Some("muni_a"),
                "DELETE",
                &format!("/api/v1/vfu/contacts/{contact_id}"),
                ""
            )
            .await
            .status,
            204,
            "{label}"
        );
        assert_eq!(
            call(
                &app,
                Some("muni_a"),
                "DELETE",
                &format!("/api/v1/vfu/contacts/{contact_id}"),
                ""
            )
            .await
            .status,
            404,
            "{label}"
        );

        // Every write above was audited with the user as actor.
        let audit = app.db.store.audit_since(0, 100_000).await.unwrap();
        for (entity, user) in [
            ("placement_site", "muni_a"),
            ("hosting_interest", "muni_a"),
            ("supervisor", "muni_a"),
            ("vfu_period", "uni_x"),
            ("vfu_student", "uni_x"),
            ("placement", "muni_a"),
            ("vfu_contact", "muni_a"),
        ] {
            let actor = format!("user:{}", w.users[user].id);
            assert!(
                audit.iter().any(|e| e.entity == entity && e.actor == actor),
                "{label}: no {entity} entry by {user}"
            );
        }
        app.finish().await;
    }
}

#[tokio::test]
async fn raci_matrix_public_adapted_and_reset() {
    for app in apps(false).await {
        let label = app.db.label;
        let _users = users(&app).await;
        let public = call(&app, None, "GET", "/api/v1/vfu/municipalities/2422/raci", "").await;
        assert_eq!(public.status, 200, "{label}");
        let matrices = public.json();
        assert_eq!(
            matrices
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["programme"].as_str().unwrap())
                .collect::<Vec<_>>(),
            ["teacher", "nursing", "social_work"],
            "{label}"
        );
        if label == "sqlite" {
            insta::assert_json_snapshot!("raci_teacher_default", matrices[0]);
        }
        // Move "confirm capacity" from the unit to the manager.
        let mut rows = matrices[0]["rows"].clone();
        let row = rows
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|r| r["task"] == "confirm_capacity")
            .unwrap();
        row["cells"]["unit_responsible"] = json!("C");
        row["cells"]["manager"] = json!("R");
        let saved = ok(
            &app,
            "muni_a",
            "PUT",
            "/api/v1/vfu/municipalities/2422/raci/teacher",
            json!({"rows": rows}),
        )
        .await;
        assert_eq!(saved["adapted"], true, "{label}");
        let again = call(&app, None, "GET", "/api/v1/vfu/municipalities/2422/raci", "")
            .await
            .json();
        let row = again[0]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["task"] == "confirm_capacity")
            .unwrap()
            .clone();
        assert_eq!(
            (row["cells"]["manager"].as_str(), again[0]["adapted"].as_bool()),
            (Some("R"), Some(true)),
            "{label}"
        );
        assert_eq!(
            call(&app, None, "GET", "/api/v1/vfu/municipalities/2521/raci", "")
                .await
                .json()[0]["adapted"],
            false,
            "{label}: B keeps the default"
        );

        // Two accountable, an unknown role and a bad cell: each named.
        let mut bad = rows.clone();
        let arr = bad.as_array_mut().unwrap();
        arr[0]["cells"]["manager"] = json!("A");
        arr[1]["cells"]["rektor"] = json!("R");
        arr[2]["cells"]["student"] = json!("X");
        let res = call(
            &app,
            Some("muni_a"),
            "PUT",
            "/api/v1/vfu/municipalities/2422/raci/teacher",
            &json!({"rows": bad}).to_string(),
        )
        .await;
        assert_eq!(res.status, 422, "{label}: {}", res.body);
        if label == "sqlite" {
            insta::assert_json_snapshot!("raci_invalid", res.json());
        }
        // B may not adapt A's matrix; unknown programme and municipality are 404.
        assert_eq!(
            call(
                &app,
                Some("muni_b"),
                "PUT",
                "/api/v1/vfu/municipalities/2422/raci/teacher",
                &json!({"rows": rows}).to_string()
            )
            .await
            .status,
            403,
            "{label}"
        );
        assert_eq!(
            call(
                &app,
                Some("muni_a"),
                "PUT",
                "/api/v1/vfu/municipalities/2422/raci/pilot",
                &json!({"rows": rows}).to_string()
            )
            .await
            .status,
            404,
            "{label}"
        );
        assert_eq!(
            call(&app, None, "GET", "/api/v1/vfu/municipalities/9999/raci", "")
                .await
                .status,
            404,
            "{label}"
        );
        // Back to the default, once.
        assert_eq!(
            call(
                &app,
                Some("muni_a"),
                "DELETE",
                "/api/v1/vfu/municipalities/2422/raci/teacher",
                ""
            )
            .await
            .status,
            204,
            "{label}"
        );
        assert_eq!(
            call(
                &app,
                Some("muni_a"),
                "DELETE",
                "/api/v1/vfu/municipalities/2422/raci/teacher",
                ""
            )
            .await
            .status,
            404,
            "{label}"
        );
        assert_eq!(
            call(&app, None, "GET", "/api/v1/vfu/municipalities/2422/raci", "")
                .await
                .json()[0],
            matrices[0],
            "{label}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn validation_errors_name_every_field() {
    for app in apps(false).await {
        let label = app.db.label;
        let _users = users(&app).await;
        let site = call(&app, Some("admin"), "POST", "/api/v1/vfu/sites", r#"{"municipality": "2422", "name": " ", "kind": "fabrik", "lat": "north", "lon": 17, "fields": ["nurse", "teleport"]}"#).await;
        assert_eq!(site.status, 422, "{label}");
        if label == "sqlite" {
            insta::assert_json_snapshot!("site_invalid", site.json());
        }
        // `fields` twice: an unknown field, and so no field at all.
        assert_eq!(
            field_names(&site),
            ["name", "kind", "lat", "fields", "fields"],
            "{label}"
        );

        let period = call(&app, Some("admin"), "POST", "/api/v1/vfu/periods",
            r#"{"university": "KTH", "programme": "P", "course_code": "6PE1", "start": "2026-09-07", "end": "2026-08-01", "field": "teacher_f3", "students": -3}"#).await;
        assert_eq!(period.status, 422, "{label}");
        assert_eq!(
            field_names(&period),
            ["students"],
            "{label}: parse errors first: {}",
            period.body
        );
        let period = call(&app, Some("admin"), "POST", "/api/v1/vfu/periods",
            r#"{"university": "KTH", "programme": "P", "course_code": "6PE1", "start": "2026-09-07", "end": "2026-08-01", "field": "teacher_f3", "term": "VT2026"}"#).await;
        assert_eq!(
            field_names(&period),
            ["university", "end", "term"],
            "{label}: {}",
            period.body
        );
        assert!(
            period.json()["error"]
                .as_str()
                .unwrap()
                .contains("end 2026-08-01 is before start 2026-09-07"),
            "{label}: {}",
            period.body
        );

        let sup = call(
            &app,
            Some("admin"),
            "POST",
            "/api/v1/vfu/supervisors",
            r#"{"email": "nej", "municipality": "2422", "fields": "", "employment_percent": 140, "invite": "invited"}"#,
        )
        .await;
        assert_eq!(sup.status, 422, "{label}");
        assert_eq!(field_names(&sup), ["email", "name"], "{label}: {}", sup.body);

        let student = call(
            &app,
            Some("admin"),
            "POST",
            "/api/v1/vfu/students",
            r#"{"period_id": "nope", "email": "x@y.test", "name": "N", "home_municipality": "0000"}"#,
        )
        .await;
        assert_eq!(student.status, 422, "{label}");
        assert_eq!(
            field_names(&student),
            ["period_id", "home_municipality"],
            "{label}: {}",
            student.body
        );

        let placement = call(
            &app,
            Some("admin"),
            "POST",
            "/api/v1/vfu/placements",
            r#"{"student_id": "nope", "site_id": "nope", "status": "started", "on": "2026-13-01"}"#,
        )
        .await;
        assert_eq!(placement.status, 422, "{label}");
        assert_eq!(
            field_names(&placement),
            ["student_id", "site_id", "status", "on"],
            "{label}"
        );

        // Not JSON: 400 with a message. JSON of the wrong shape: 422 with a message, naming the
        // field when there is one.
        for (body, status, field) in [
            ("{", 400, None),
            (r#"{"name": {"a": 1}}"#, 422, Some("name")),
            ("[]", 422, None),
        ] {
            let res = call(&app, Some("admin"), "POST", "/api/v1/vfu/sites", body).await;
            assert_eq!(res.status, status, "{label} {body}: {}", res.body);
            assert!(res.json()["error"].is_string(), "{label}");
            assert_eq!(
                res.json()["fields"][0]["field"].as_str(),
                field,
                "{label} {body}: {}",
                res.body
            );
        }
        // Bad query values are 400 too.
        assert_eq!(
            call(&app, Some("admin"), "GET", "/api/v1/vfu/sites?municipality=abc", "")
                .await
                .status,
            400,
            "{label}"
        );
        assert_eq!(
            call(&app, Some("admin"), "GET", "/api/v1/vfu/placements?status=lost", "")
                .await
                .status,
            400,
            "{label}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn placement_lifecycle_allowed_and_refused_steps() {
    for app in apps(false).await {
        let label = app.db.label;
        let w = world(&app).await;
        let uri = format!("/api/v1/vfu/placements/{}/transition", w.pl_a);
        let step = |to: &str, on: &str| json!({"to": to, "on": on}).to_string();
        // Skipping a step: 409, naming what is allowed.
        let skip = call(&app, Some("uni_x"), "POST", &uri, &step("started", "2026-06-02")).await;
        assert_eq!(skip.status, 409, "{label}");
        if label == "sqlite" {
            insta::assert_json_snapshot!("transition_refused", skip.json());
        }
        for (to, on) in [("offered", "2026-06-02"), ("confirmed", "2026-06-20")] {
            let res = call(&app, Some("uni_x"), "POST", &uri, &step(to, on)).await;
            assert_eq!(res.status, 200, "{label} {to}: {}", res.body);
            assert_eq!(res.json()["status"], to, "{label}");
        }
        // A day before the last step: 422 on `on`; an unknown status: 422 on `to`.
        let early = call(&app, Some("muni_a"), "POST", &uri, &step("started", "2026-06-01")).await;
        assert_eq!(
            (early.status.as_u16(), field_names(&early)),
            (422, vec!["on".to_string()]),
            "{label}: {}",
            early.body
        );
        let unknown = call(&app, Some("muni_a"), "POST", &uri, &step("paused", "2026-09-07")).await;
        assert_eq!(
            (unknown.status.as_u16(), field_names(&unknown)),
            (422, vec!["to".to_string()]),
            "{label}"
        );
        for (to, on) in [("started", "2026-09-07"), ("completed", "2026-10-09")] {
            assert_eq!(
                call(&app, Some("muni_a"), "POST", &uri, &step(to, on)).await.status,
                200,
                "{label} {to}"
            );
        }
        let done = ok(
            &app,
            "student",
            "GET",
            &format!("/api/v1/vfu/placements/{}", w.pl_a),
            Value::Null,
        )
        .await;
        if label == "sqlite" {
            insta::assert_json_snapshot!("placement_completed", stable(done));
        }
        // Completed is final.
        let after = call(&app, Some("admin"), "POST", &uri, &step("withdrawn", "2026-10-10")).await;
        assert_eq!(after.status, 409, "{label}");
        assert!(
            after.json()["error"]
                .as_str()
                .unwrap()
                .contains("nothing (it is final)"),
            "{label}: {}",
            after.body
        );
        // Withdrawn from requested; the student may read but not move their placement.
        let b_uri = format!("/api/v1/vfu/placements/{}/transition", w.pl_b);
        assert_eq!(
            call(&app, Some("uni_x"), "POST", &b_uri, &step("withdrawn", "2026-06-03"))
                .await
                .status,
            404,
            "{label}: X cannot see Y's placement"
        );
        assert_eq!(
            call(&app, Some("uni_y"), "POST", &b_uri, &step("withdrawn", "2026-06-03"))
                .await
                .json()["status"],
            "withdrawn",
            "{label}"
        );
        assert_eq!(
            call(&app, Some("student"), "POST", &uri, &step("withdrawn", "2026-10-10"))
                .await
                .status,
            403,
            "{label}"
        );
        // Each step was audited once, with the user.
        let audit = app.db.store.audit_since(0, 100_000).await.unwrap();
        let steps: Vec<_> = audit
            .iter()
            .filter(|e| e.entity == "placement" && e.entity_id == w.pl_a && e.action == "update")
            .collect();
        assert_eq!(steps.len(), 4, "{label}: {steps:?}");
        assert_eq!(steps[3].actor, format!("user:{}", w.users["muni_a"].id), "{label}");
        app.finish().await;
    }
}

#[tokio::test]
async fn vfu_route_by_role_matrix() {
    for app in apps(false).await {
        let label = app.db.label;
        let w = world(&app).await;
        let site_a = site_body("site-a", "2422", "Sorsele skola").to_string();
        let sup_a = supervisor_body("supervisor@kkig.test", "2422", "site-a").to_string();
        let per_ltu = period_body("per-ltu", "LTU").to_string();
        let stu_a = student_body("per-ltu", "student@kkig.test", "2422", "site-a").to_string();
        let raci = call(&app, None, "GET", "/api/v1/vfu/municipalities/2422/raci", "")
            .await
            .json()[0]
            .clone();
        let raci = json!({"rows": raci["rows"]}).to_string();
        let new_site = r#"{"municipality": "2422", "name": "Ny skola", "kind": "school", "fields": "teacher_f3"}"#;
        let interest = r#"{"interest": "yes", "capacity": 2}"#;
        let invite = r#"{"status": "invited", "on": "2026-01-15"}"#;
        let note = r#"{"note": "Ring enheten"}"#;
        let (sup_a_uri, sup_b_uri) = (
            format!("/api/v1/vfu/supervisors/{}", w.sup_a),
            format!("/api/v1/vfu/supervisors/{}", w.sup_b),
        );
        let (stu_a_uri, stu_b_uri) = (
            format!("/api/v1/vfu/students/{}", w.stu_a),
            format!("/api/v1/vfu/students/{}", w.stu_b),
        );
        let (pl_a_uri, pl_b_uri) = (
            format!("/api/v1/vfu/placements/{}", w.pl_a),
            format!("/api/v1/vfu/placements/{}", w.pl_b),
        );

        //                    method uri body              anon admin reg muni_a muni_b uni_x uni_y prov sup stud
        let rows: Vec<(&str, String, &str, [u16; 10])> = vec![
            (
                "GET",
                "/api/v1/vfu/me".into(),
                "",
                [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
            ),
            (
                "GET",
                "/api/v1/vfu/sites".into(),
                "",
                [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
            ),
            (
                "GET",
                "/api/v1/vfu/sites?municipality=2521".into(),
                "",
                [401, 200, 200, 403, 200, 200, 200, 403, 403, 403],
            ),
            (
                "GET",
                "/api/v1/vfu/sites/site-b".into(),
                "",
                [401, 200, 200, 404, 200, 200, 200, 404, 404, 404],
            ),
            (
                "GET",
                "/api/v1/vfu/sites/site-a/interest".into(),
                "",
                [401, 200, 200, 200, 404, 200, 200, 404, 404, 404],
            ),
            (
                "GET",
                "/api/v1/vfu/sites/site-a/waiting-list".into(),
                "",
                [401, 200, 200, 200, 404, 200, 200, 404, 404, 404],
            ),
            (
                "GET",
                "/api/v1/vfu/sites/site-a/placements.csv".into(),
                "",
                [401, 200, 200, 200, 404, 200, 200, 404, 404, 404],
            ),
            (
                "GET",
                sup_a_uri.clone(),
                "",
                [401, 200, 200, 200, 404, 200, 200, 404, 200, 404],
            ),
            (
                "GET",
                sup_b_uri.clone(),
                "",
                [401, 200, 200, 404, 200, 200, 200, 404, 404, 404],
            ),
            (
                "GET",
                "/api/v1/vfu/supervisors?municipality=2422".into(),
                "",
                [401, 200, 200, 200, 403, 200, 200, 403, 403, 403],
            ),
            ("GET", "/api/v1/vfu/periods".into(), "", [200; 10]),
            ("GET", "/api/v1/vfu/periods/per-umu".into(), "", [200; 10]),
            ("GET", "/api/v1/vfu/periods.ics".into(), "", [200; 10]),
            (
                "GET",
                "/api/v1/vfu/periods/per-ltu/students".into(),
                "",
                [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
            ),
            (
                "GET",
                stu_a_uri.clone(),
                "",
                [401, 200, 200, 200, 404, 200, 404, 404, 404, 200],
            ),
            (
                "GET",
                stu_b_uri.clone(),
                "",
                [401, 200, 200, 404, 200, 404, 200, 404, 404, 404],
            ),
            (
                "GET",
                pl_a_uri.clone(),
                "",
                [401, 200, 200, 200, 404, 200, 404, 404, 404, 200],
            ),
            (
                "GET",
                pl_b_uri.clone(),
                "",
                [401, 200, 200, 404, 200, 404, 200, 404, 404, 404],
            ),
            (
                "GET",
                "/api/v1/vfu/municipalities/2422/training-need".into(),
                "",
                [401, 200, 200, 200, 403, 200, 200, 403, 403, 403],
            ),
            (
                "GET",
                "/api/v1/vfu/municipalities/2422/compensation".into(),
                "",
                [401, 200, 200, 200, 403, 200, 200, 403, 403, 403],
            ),
            (
                "GET",
                "/api/v1/vfu/municipalities/2422/placements".into(),
                "",
                [401, 200, 200, 200, 403, 200, 200, 403, 403, 403],
            ),
            (
                "GET",
                "/api/v1/vfu/sites/site-a/placements".into(),
                "",
                [401, 200, 200, 200, 404, 200, 200, 404, 404, 404],
            ),
            (
                "GET",
                "/api/v1/vfu/municipalities/9999/placements".into(),
                "",
                [401, 404, 404, 404, 404, 404, 404, 404, 404, 404],
            ),
            (
                "GET",
                "/api/v1/vfu/municipalities/2422/placements.csv".into(),
                "",
                [401, 200, 200, 200, 403, 200, 200, 403, 403, 403],
            ),
            (
                "GET",
                "/api/v1/vfu/municipalities/2422/placements.xlsx".into(),
                "",
                [401, 200, 200, 200, 403, 200, 200, 403, 403, 403],
            ),
            ("GET", "/api/v1/vfu/municipalities/2422/raci".into(), "", [200; 10]),
            ("GET", "/api/v1/vfu/municipalities/2422/contacts".into(), "", [200; 10]),
            // Writes. Anonymous state changes without Origin are refused by the CSRF check.
            (
                "PUT",
                "/api/v1/vfu/sites/site-a".into(),
                &site_a,
                [403, 200, 403, 200, 404, 403, 403, 404, 404, 404],
            ),
            (
                "POST",
                "/api/v1/vfu/sites".into(),
                new_site,
                [403, 201, 403, 201, 403, 403, 403, 403, 403, 403],
            ),
            (
                "PUT",
                "/api/v1/vfu/sites/site-a/interest/HT2026".into(),
                interest,
                [403, 200, 403, 200, 404, 403, 403, 404, 404, 404],
            ),
            (
                "PUT",
                sup_a_uri.clone(),
                &sup_a,
                [403, 200, 403, 200, 404, 403, 403, 404, 200, 404],
            ),
            (
                "POST",
                format!("{sup_a_uri}/invite"),
                invite,
                [403, 200, 403, 200, 404, 403, 403, 404, 403, 404],
            ),
            (
                "PUT",
                "/api/v1/vfu/periods/per-ltu".into(),
                &per_ltu,
                [403, 200, 403, 403, 403, 200, 403, 403, 403, 403],
            ),
            // The student reads the whole record but changes only wishes and needs (`/me/…/wishes`).
            (
                "PUT",
                stu_a_uri.clone(),
                &stu_a,
                [403, 200, 403, 403, 404, 200, 404, 404, 404, 403],
            ),
            (
                "PUT",
                pl_a_uri.clone(),
                note,
                [403, 200, 403, 200, 404, 200, 404, 404, 404, 403],
            ),
            (
                "PUT",
                "/api/v1/vfu/municipalities/2422/raci/teacher".into(),
                &raci,
                [403, 200, 403, 200, 403, 403, 403, 403, 403, 403],
            ),
        ];
        let store = &app.db.store;
        for (method, uri, body, expected) in &rows {
            for (i, role) in std::iter::once(None).chain(ROLES.iter().map(|r| Some(*r))).enumerate() {
                let before = store.audit_since(0, 100_000).await.unwrap().len();
                let res = call(&app, role, method, uri, body).await;
                assert_eq!(
                    res.status.as_u16(),
                    expected[i],
                    "{label} {method} {uri} as {role:?}: {}",
                    res.body
                );
                let after = store.audit_since(0, 100_000).await.unwrap();
                if res.status.as_u16() >= 400 {
                    assert!(
                        res.json()["error"].is_string(),
                        "{label} {uri}: errors are JSON with a message"
                    );
                    assert_eq!(
                        after.len(),
                        before,
                        "{label} {method} {uri} as {role:?}: a refused request writes nothing"
                    );
                    // Nothing of the other side leaks in a refusal.
                    for secret in [
                        "Pajala skola",
                        "Student 2521",
                        "bodil@student.test",
                        "sup-b@kommun.test",
                        "Sorsele skola",
                    ] {
                        assert!(!res.body.contains(secret), "{label} {uri} as {role:?}: {}", res.body);
                    }
                } else if *method != "GET" {
                    // What was written is logged with the user as actor.
                    let actor = format!("user:{}", w.users[role.unwrap()].id);
                    assert!(
                        after[before..].iter().all(|e| e.actor == actor),
                        "{label} {method} {uri}: {:?}",
                        &after[before..]
                    );
                }
            }
        }
        // Anonymous with an Origin of this site: 401, not signed in.
        let res = app
            .send(
                "PUT",
                "/api/v1/vfu/sites/site-a",
                &[("content-type", "application/json"), ("sec-fetch-site", "same-origin")],
                &site_a,
            )
            .await;
        assert_eq!(res.status, 401, "{label}");

        // Deletes: refused for everyone out of scope (nothing changes), then done by the owner.
        let deletes: [(&str, &str, &[&str], &str); 4] = [
            (
                "sites/site-b",
                "site",
                &["regional", "muni_a", "uni_y", "provider", "supervisor", "student"],
                "muni_b",
            ),
            (
                &sup_b_uri["/api/v1/vfu/".len()..],
                "supervisor",
                &["regional", "muni_a", "uni_x", "provider", "supervisor", "student"],
                "muni_b",
            ),
            (
                &pl_b_uri["/api/v1/vfu/".len()..],
                "placement",
                &["regional", "muni_a", "uni_x", "provider", "supervisor", "student"],
                "uni_y",
            ),
            (
                &stu_b_uri["/api/v1/vfu/".len()..],
                "student",
                &[
                    "regional",
                    "muni_a",
                    "muni_b",
                    "uni_x",
                    "provider",
                    "supervisor",
                    "student",
                ],
                "uni_y",
            ),
        ];
        for (path, what, refused, owner) in deletes {
            let uri = format!("/api/v1/vfu/{path}");
            let before = store.audit_since(0, 100_000).await.unwrap().len();
            for role in refused {
                let res = call(&app, Some(role), "DELETE", &uri, "").await;
                assert!(
                    matches!(res.status.as_u16(), 403 | 404),
                    "{label} DELETE {what} as {role}: {}",
                    res.status
                );
            }
            assert_eq!(
                store.audit_since(0, 100_000).await.unwrap().len(),
                before,
                "{label} {what}"
            );
            if what == "site" {
                continue; // it has a placement until that goes below
            }
            assert_eq!(
                call(&app, Some(owner), "DELETE", &uri, "").await.status,
                204,
                "{label} {what} by {owner}"
            );
            assert_eq!(
                call(&app, Some(owner), "GET", &uri, "").await.status,
                404,
                "{label} {what}"
            );
        }
        assert_eq!(
            call(&app, Some("muni_b"), "DELETE", "/api/v1/vfu/sites/site-b", "")
                .await
                .status,
            204,
            "{label}"
        );
        app.finish().await;
    }
}

/// A name typed like a spreadsheet formula reaches the municipality's CSV with a leading
/// apostrophe (not run by Excel) and its XLSX as a plain string cell.
#[tokio::test]
async fn placement_downloads_do_not_carry_formulas() {
    const FORMULA: &str = "=HYPERLINK(\"http://x\",\"y\")";
    for app in apps(false).await {
        let label = app.db.label;
        world(&app).await;
        let mut body = student_body("per-ltu", "formula@student.test", "2422", "site-a");
        body["name"] = json!(FORMULA);
        let stu = ok(&app, "uni_x", "POST", "/api/v1/vfu/students", body).await["id"]
            .as_str()
            .unwrap()
            .to_string();
        ok(
            &app,
            "uni_x",
            "POST",
            "/api/v1/vfu/placements",
            json!({"student_id": stu, "site_id": "site-a", "on": "2026-06-01"}),
        )
        .await;

        let csv = call(
            &app,
            Some("muni_a"),
            "GET",
            "/api/v1/vfu/municipalities/2422/placements.csv",
            "",
        )
        .await;
        assert_eq!(csv.status, 200, "{label}");
        // The CSV field is quoted (it holds quotes), its text starts with the apostrophe.
        assert!(
            csv.body.contains(";\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\";"),
            "{label}: {}",
            csv.body
        );
        assert!(
            !csv.body.contains(";\"=HYPERLINK") && !csv.body.contains(";=HYPERLINK"),
            "{label}: {}",
            csv.body
        );

        let xlsx = call(
            &app,
            Some("muni_a"),
            "GET",
            "/api/v1/vfu/municipalities/2422/placements.xlsx",
            "",
        )
        .await;
        assert_eq!(xlsx.status, 200, "{label}");
        let (cells, has_formula) = crate::common::xlsx_cells(&xlsx.bytes);
        assert!(!has_formula, "{label}: no cell is a formula");
        assert!(
            cells
                .iter()
                .any(|(_, _, v)| *v == calamine::Data::String(FORMULA.into())),
            "{label}: the name as a string cell: {cells:?}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn downloads_and_calendar() {
    for app in apps(false).await {
        let label = app.db.label;
        let w = world(&app).await;
        let csv = call(
            &app,
            Some("muni_a"),
            "GET",
            "/api/v1/vfu/municipalities/2422/placements.csv",
            "",
        )
        .await;
        assert_eq!(csv.status, 200, "{label}");
        assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8", "{label}");
        assert!(
            csv.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains("placeringar-2422.csv"),
            "{label}"
        );
        let text = csv.body.strip_prefix('\u{feff}').expect("a BOM for Excel");
        let rows: Vec<Vec<&str>> = text
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(|l| l.split(';').collect())
            .collect();
        assert_eq!(rows.len(), 2, "{label}: header and A's one placement: {text}");
        let col = |name: &str| {
            rows[0]
                .iter()
                .position(|h| *h == name)
                .unwrap_or_else(|| panic!("no column {name}: {:?}", rows[0]))
        };
        assert_eq!(rows[1][col("placering")], w.pl_a, "{label}");
        assert_eq!(rows[1][col("enhet")], "Sorsele skola", "{label}");
        assert_eq!(rows[1][col("student")], "Student 2422", "{label}");
        assert_eq!(rows[1][col("status")], "requested", "{label}");
        assert_eq!(rows[1][col("veckor")], "5", "{label}");
        let json_lines = ok(
            &app,
            "uni_x",
            "GET",
            "/api/v1/vfu/municipalities/2422/placements",
            Value::Null,
        )
        .await;
        assert_eq!(
            (
                json_lines[0]["placement_id"].as_str(),
                json_lines[0]["student_name"].as_str(),
                json_lines[0]["supervisor_name"].as_str()
            ),
            (Some(w.pl_a.as_str()), Some("Student 2422"), Some("Handledare 2422")),
            "{label}"
        );
        assert_eq!(
            ok(&app, "uni_y", "GET", "/api/v1/vfu/sites/site-a/placements", Value::Null).await,
            json!([]),
            "{label}"
        );
        // University Y sees none of X's students in A's list.
        let y = call(
            &app,
            Some("uni_y"),
            "GET",
            "/api/v1/vfu/municipalities/2422/placements.csv",
            "",
        )
        .await;
        assert_eq!(
            y.body
                .trim_start_matches('\u{feff}')
                .split("\r\n")
                .filter(|l| !l.is_empty())
                .count(),
            1,
            "{label}: {}",
            y.body
        );

        let xlsx = call(
            &app,
            Some("muni_a"),
            "GET",
            "/api/v1/vfu/sites/site-a/placements.xlsx",
            "",
        )
        .await;
        assert_eq!(xlsx.status, 200, "{label}");
        assert_eq!(
            xlsx.headers["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "{label}"
        );
        assert!(xlsx.body.starts_with("PK"), "{label}: a zip");
        let site_csv = call(
            &app,
            Some("muni_a"),
            "GET",
            "/api/v1/vfu/sites/site-a/placements.csv",
            "",
        )
        .await;
        assert!(
            site_csv.body.contains("enhet;student;e-post") && site_csv.body.contains("Handledare 2422"),
            "{label}: {}",
            site_csv.body
        );

        let ics = call(&app, None, "GET", "/api/v1/vfu/periods.ics", "").await;
        assert_eq!(ics.status, 200, "{label}");
        assert_eq!(ics.headers["content-type"], "text/calendar; charset=utf-8", "{label}");
        assert!(
            ics.body.starts_with("BEGIN:VCALENDAR")
                && ics.body.contains("UID:per-ltu@kkig")
                && ics.body.contains("UID:per-umu-allocation@kkig"),
            "{label}"
        );
        assert!(
            ics.body.contains("DTSTART;VALUE=DATE:20260907"),
            "{label}: {}",
            ics.body
        );
        let only_ltu = call(&app, None, "GET", "/api/v1/vfu/periods.ics?university=LTU", "").await;
        assert!(
            only_ltu.body.contains("per-ltu@kkig") && !only_ltu.body.contains("per-umu"),
            "{label}"
        );
        // Nothing public carries a student's e-mail.
        for uri in [
            "/api/v1/vfu/periods",
            "/api/v1/vfu/periods.ics",
            "/api/v1/vfu/municipalities/2422/raci",
            "/api/v1/vfu/municipalities/2422/contacts",
        ] {
            let res = call(&app, None, "GET", uri, "").await;
            assert!(
                !res.body.contains("student.test") && !res.body.contains("student@kkig.test"),
                "{label} {uri}"
            );
        }
        app.finish().await;
    }
}

#[tokio::test]
async fn me_for_a_student_and_a_supervisor() {
    for app in apps(false).await {
        let label = app.db.label;
        let w = world(&app).await;
        let student = ok(&app, "student", "GET", "/api/v1/vfu/me", Value::Null).await;
        if label == "sqlite" {
            insta::assert_json_snapshot!("me_student", stable(student.clone()));
        }
        let placement = &student["studies"][0]["placements"][0];
        assert_eq!(placement["placement"]["id"], w.pl_a.as_str(), "{label}");
        assert_eq!(placement["supervisor_email"], "supervisor@kkig.test", "{label}");
        // 65.0 N 17.0 E to 65.53 N 17.53 E: 63.9 km × 1.3 / 70 km/h = 71 minutes.
        assert_eq!(placement["travel_minutes"], 71, "{label}");
        assert!(
            student["supervisor"].is_null() && student["supervising"] == json!([]),
            "{label}"
        );

        let sup = ok(&app, "supervisor", "GET", "/api/v1/vfu/me", Value::Null).await;
        assert_eq!(sup["supervisor"]["id"], w.sup_a.as_str(), "{label}");
        assert_eq!(
            sup["supervising"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["student_name"].as_str().unwrap())
                .collect::<Vec<_>>(),
            ["Student 2422"],
            "{label}"
        );
        assert_eq!(sup["studies"], json!([]), "{label}");
        let other = ok(&app, "provider", "GET", "/api/v1/vfu/me", Value::Null).await;
        assert_eq!(
            other,
            json!({"studies": [], "supervisor": null, "supervising": []}),
            "{label}"
        );
        // They correct their own records, but do not move them out of their owners' scope.
        let moved = call(
            &app,
            Some("supervisor"),
            "PUT",
            &format!("/api/v1/vfu/supervisors/{}", w.sup_a),
            &supervisor_body("supervisor@kkig.test", "2521", "").to_string(),
        )
        .await;
        assert_eq!(moved.status, 403, "{label}: {}", moved.body);
        let phone = ok(
            &app,
            "supervisor",
            "PUT",
            &format!("/api/v1/vfu/supervisors/{}", w.sup_a),
            {
                let mut b = supervisor_body("supervisor@kkig.test", "2422", "site-a");
                b["phone"] = json!("070-999 99 99");
                b
            },
        )
        .await;
        assert_eq!(phone["phone"], "070-999 99 99", "{label}");
        let moved = call(
            &app,
            Some("student"),
            "PUT",
            &format!("/api/v1/vfu/students/{}", w.stu_a),
            &student_body("per-umu", "student@kkig.test", "2422", "site-a").to_string(),
        )
        .await;
        assert_eq!(moved.status, 403, "{label}: {}", moved.body);
        // The supervisor reads their own record, not their student's directly.
        assert_eq!(
            call(
                &app,
                Some("supervisor"),
                "GET",
                &format!("/api/v1/vfu/students/{}", w.stu_a),
                ""
            )
            .await
            .status,
            404,
            "{label}"
        );
        app.finish().await;
    }
}

/// A day `days` from today, `YYYY-MM-DD`.
fn day_from_today(days: i64) -> String {
    (time::OffsetDateTime::now_utc().date() + time::Duration::days(days)).to_string()
}

#[tokio::test]
async fn a_student_changes_only_their_own_wishes_and_needs() {
    for app in apps(false).await {
        let label = app.db.label;
        let w = world(&app).await;
        // A period far enough ahead that wishes are open (they close 10 weeks before the start).
        let mut period = period_body("per-open", "LTU");
        period["start"] = json!(day_from_today(120));
        period["end"] = json!(day_from_today(150));
        ok(&app, "admin", "POST", "/api/v1/vfu/periods", period).await;
        let mine = ok(
            &app,
            "uni_x",
            "POST",
            "/api/v1/vfu/students",
            student_body("per-open", "student@kkig.test", "2422", "site-a"),
        )
        .await;
        let id = mine["id"].as_str().unwrap().to_string();
        let uri = format!("/api/v1/vfu/me/students/{id}/wishes");

        let put = ok(&app, "student", "PUT", &uri, json!({"wishes": ["2521", "site-a"], "needs_public_transport": true, "no_driving_licence": false, "priority": "sole_caregiver", "note": "Hämtar på förskolan"})).await;
        assert_eq!(put["wishes"], json!(["2521", "site-a"]), "{label}");
        assert_eq!(
            (
                put["needs_public_transport"].clone(),
                put["no_driving_licence"].clone(),
                put["priority"].clone()
            ),
            (json!(true), json!(false), json!("sole_caregiver")),
            "{label}"
        );
        // Nothing else of the record moved.
        for key in [
            "name",
            "email",
            "home_municipality",
            "subjects",
            "registerutdrag",
            "period_id",
        ] {
            assert_eq!(put[key], mine[key], "{label}: {key}");
        }
        let audit = app.db.store.audit_since(0, 100_000).await.unwrap();
        let actor = format!("user:{}", w.users["student"].id);
        assert!(
            audit
                .iter()
                .any(|e| e.entity == "vfu_student" && e.entity_id == id && e.actor == actor),
            "{label}: audited with the student as actor"
        );

        // Every wish is checked; a repeated one is named by its place in the list.
        let bad = call(
            &app,
            Some("student"),
            "PUT",
            &uri,
            &json!({"wishes": ["site-a", "site-a"], "priority": "vip"}).to_string(),
        )
        .await;
        assert_eq!(bad.status, 422, "{label}: {}", bad.body);
        assert_eq!(field_names(&bad), ["wishes.1", "priority"], "{label}");
        let many = call(
            &app,
            Some("student"),
            "PUT",
            &uri,
            &json!({"wishes": "site-a|site-b|2422|2521"}).to_string(),
        )
        .await;
        assert_eq!(many.status, 422, "{label}");
        assert_eq!(field_names(&many), ["wishes"], "{label}");
        assert_eq!(
            call(&app, Some("student"), "PUT", &uri, "{not json").await.status,
            400,
            "{label}"
        );

        // The student does not replace the whole record, and not someone else's wishes.
        let whole = call(
            &app,
            Some("student"),
            "PUT",
            &format!("/api/v1/vfu/students/{id}"),
            &student_body("per-open", "student@kkig.test", "2422", "site-b").to_string(),
        )
        .await;
        assert_eq!(whole.status, 403, "{label}: {}", whole.body);
        let other = call(
            &app,
            Some("student"),
            "PUT",
            &format!("/api/v1/vfu/me/students/{}/wishes", w.stu_b),
            &json!({"wishes": ["site-b"]}).to_string(),
        )
        .await;
        assert_eq!(other.status, 404, "{label}: {}", other.body);
        let anonymous = app
            .send(
                "PUT",
                &uri,
                &[("content-type", "application/json"), ("sec-fetch-site", "same-origin")],
                &json!({"wishes": []}).to_string(),
            )
            .await;
        assert_eq!(anonymous.status, 401, "{label}: {}", anonymous.body);
        // The home municipality reads the student but does not change the wishes; the university does.
        assert_eq!(
            call(&app, Some("muni_a"), "PUT", &uri, &json!({"wishes": []}).to_string())
                .await
                .status,
            403,
            "{label}"
        );
        assert_eq!(
            call(&app, Some("uni_y"), "PUT", &uri, &json!({"wishes": []}).to_string())
                .await
                .status,
            404,
            "{label}"
        );
        assert_eq!(
            ok(&app, "uni_x", "PUT", &uri, json!({"wishes": ["site-a"]})).await["wishes"],
            json!(["site-a"]),
            "{label}"
        );

        // Closed once a placement is made (and for the old period, whose allocation day has passed).
        let closed = call(
            &app,
            Some("student"),
            "PUT",
            &format!("/api/v1/vfu/me/students/{}/wishes", w.stu_a),
            &json!({"wishes": ["site-a"]}).to_string(),
        )
        .await;
        assert_eq!(closed.status, 409, "{label}: {}", closed.body);
        ok(
            &app,
            "uni_x",
            "POST",
            "/api/v1/vfu/placements",
            json!({"student_id": id, "site_id": "site-a", "on": day_from_today(0)}),
        )
        .await;
        let placed = call(
            &app,
            Some("student"),
            "PUT",
            &uri,
            &json!({"wishes": ["2422"]}).to_string(),
        )
        .await;
        assert_eq!(placed.status, 409, "{label}: {}", placed.body);
        assert!(
            placed.body.contains("can no longer be changed"),
            "{label}: {}",
            placed.body
        );
        app.finish().await;
    }
}
