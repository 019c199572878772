//! Account takeover through the registry, refused (issue 12, item 1): a municipality or a
//! university naming someone else's e-mail in a supervisor, contact or student gets one answer on
//! `email` that says nothing about that person, the person stays out of the writer's read scope
//! and their login stays as it was. Through the API with bearer tokens and through the Swedish
//! form page. On SQLite and PostgreSQL.

use std::collections::BTreeMap;

use kkig_core::access::Role;
use kkig_core::ids::PersonId;
use kkig_store::UserRecord;
use serde_json::{json, Value};

use crate::common::{apps, form, post_form_as, users_with_tokens, TestApp, TestResponse};
use kkig_store::prelude::*;

fn token(key: &str) -> String {
    format!("kkig_{key}_takeover_secret")
}

async fn users(app: &TestApp) -> BTreeMap<&'static str, UserRecord> {
    let specs: [(&str, Role, Option<&str>); 6] = [
        ("admin", Role::Admin, None),
        ("regional", Role::Regional, None),
        ("muni_a", Role::Municipality, Some("2422")),
        ("muni_b", Role::Municipality, Some("2521")),
        ("uni_x", Role::University, Some("LTU")),
        ("uni_y", Role::University, Some("UmU")),
    ];
    users_with_tokens(app, "takeover.test", &specs, token).await
}

async fn call(app: &TestApp, key: &str, method: &str, uri: &str, body: Value) -> TestResponse {
    let auth = format!("Bearer {}", token(key));
    let body = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    app.send(
        method,
        uri,
        &[("content-type", "application/json"), ("authorization", auth.as_str())],
        &body,
    )
    .await
}

fn supervisor_body(email: &str, municipality: &str) -> Value {
    json!({"email": email, "name": "Ny Handledare", "phone": "070-999 99 99", "municipality": municipality, "fields": "teacher_f3",
           "employment_percent": 100, "training": "none", "students_per_period": 1, "consent_contact": true})
}

fn student_body(period: &str, email: &str, name: &str, home: &str) -> Value {
    json!({"period_id": period, "email": email, "name": name, "home_municipality": home, "subjects": ["svenska"]})
}

fn period_body(id: &str, university: &str) -> Value {
    json!({"id": id, "university": university, "programme": "Grundlärarprogrammet F–3", "course_code": "6PE123", "start": "2026-09-07",
           "end": "2026-10-09", "field": "teacher_f3", "students": 10})
}

/// A 422 on `email` alone whose body names nothing of `victim`.
fn refused_on_email(res: &TestResponse, victim: &UserRecord, label: &str) {
    assert_eq!(res.status, 422, "{label}: {}", res.body);
    let body = res.json();
    assert_eq!(body["fields"][0]["field"], "email", "{label}: {}", res.body);
    assert_eq!(
        body["fields"].as_array().map(Vec::len),
        Some(1),
        "{label}: {}",
        res.body
    );
    assert_eq!(
        body["fields"][0]["message"], "this e-mail address cannot be used here",
        "{label}"
    );
    for secret in [
        victim.name.as_str(),
        victim.email.as_str(),
        victim.person_id.as_str(),
        victim.id.as_str(),
        victim.role.as_str(),
    ] {
        assert!(
            !res.body.contains(secret),
            "{label}: the answer names {secret:?}: {}",
            res.body
        );
    }
}

#[tokio::test]
async fn a_coordinator_cannot_take_over_the_admin_through_a_supervisor() {
    for app in apps(false).await {
        let label = app.db.label;
        let u = users(&app).await;
        let s = &app.db.store;
        let admin = &u["admin"];
        let admin_before = s.user_by_email(&admin.email).await.unwrap().unwrap();

        // The bug report: a municipality coordinator registers a supervisor with the admin's
        // e-mail (in any case and spacing), then would read the admin's person and change their
        // login e-mail through the supervisor.
        for email in [
            admin.email.clone(),
            format!(" {} ", admin.email.to_uppercase()),
            u["regional"].email.clone(),
            u["muni_b"].email.clone(),
        ] {
            let res = call(
                &app,
                "muni_a",
                "POST",
                "/api/v1/vfu/supervisors",
                supervisor_body(&email, "2422"),
            )
            .await;
            let victim = u.values().find(|x| x.email == email.trim().to_lowercase()).unwrap();
            refused_on_email(&res, victim, &format!("{label} {email}"));
            // A contact person likewise.
            let res = call(
                &app,
                "muni_a",
                "POST",
                "/api/v1/vfu/municipalities/2422/contacts",
                json!({"role": "municipal_coordinator", "name": "Ny Kontakt", "email": email, "phone": "0952-1"}),
            )
            .await;
            refused_on_email(&res, victim, &format!("{label} contact {email}"));
        }
        let res = call(
            &app,
            "muni_a",
            "GET",
            &format!("/api/v1/persons/{}", admin.person_id),
            Value::Null,
        )
        .await;
        assert_eq!(
            res.status, 404,
            "{label}: the admin stays out of Sorsele's read scope: {}",
            res.body
        );
        assert!(
            !res.body.contains(&admin.name) && !res.body.contains(&admin.email),
            "{label}"
        );

        // Nor through an update of the coordinator's own supervisor.
        let own = call(
            &app,
            "muni_a",
            "POST",
            "/api/v1/vfu/supervisors",
            supervisor_body("bo@sorsele.test", "2422"),
        )
        .await;
        assert_eq!(own.status, 201, "{label}: {}", own.body);
        let id = own.json()["id"].as_str().unwrap().to_string();
        let res = call(
            &app,
            "muni_a",
            "PUT",
            &format!("/api/v1/vfu/supervisors/{id}"),
            supervisor_body(&admin.email, "2422"),
        )
        .await;
        refused_on_email(&res, admin, &format!("{label} update"));

        let admin_after = s.user_by_email(&admin.email).await.unwrap().unwrap();
        assert_eq!(
            admin_after, admin_before,
            "{label}: the admin's login e-mail, name and account unchanged"
        );
        assert_eq!(
            s.person_municipality(&admin.person_id).await.unwrap(),
            Some(None),
            "{label}"
        );
        assert_eq!(s.supervisors(None).await.unwrap().len(), 1, "{label}: only Bo");
        app.finish().await;
    }
}

#[tokio::test]
async fn a_university_cannot_take_over_another_universitys_student() {
    for app in apps(false).await {
        let label = app.db.label;
        let u = users(&app).await;
        let s = &app.db.store;
        assert_eq!(
            call(
                &app,
                "uni_x",
                "POST",
                "/api/v1/vfu/periods",
                period_body("per-ltu", "LTU")
            )
            .await
            .status,
            201,
            "{label}"
        );
        assert_eq!(
            call(
                &app,
                "uni_y",
                "POST",
                "/api/v1/vfu/periods",
                period_body("per-umu", "UmU")
            )
            .await
            .status,
            201,
            "{label}"
        );
        let stina = call(
            &app,
            "uni_y",
            "POST",
            "/api/v1/vfu/students",
            student_body("per-umu", "stina@student.umu.test", "Stina Umesson", "2422"),
        )
        .await;
        assert_eq!(stina.status, 201, "{label}: {}", stina.body);
        let stina = stina.json();
        let person = PersonId::new(stina["person_id"].as_str().unwrap());
        let before = s
            .export_person(&person, &kkig_store::Actor::cli())
            .await
            .unwrap()
            .unwrap()["person"]
            .clone();

        // LTU names UmU's student's e-mail: refused, nothing of her in the answer.
        let res = call(
            &app,
            "uni_x",
            "POST",
            "/api/v1/vfu/students",
            student_body("per-ltu", "Stina@Student.umu.test", "Stina Annan", "2521"),
        )
        .await;
        assert_eq!(res.status, 422, "{label}: {}", res.body);
        assert_eq!(res.json()["fields"][0]["field"], "email", "{label}: {}", res.body);
        for secret in ["Umesson", "2422", person.as_str(), "per-umu", "UmU"] {
            assert!(
                !res.body.contains(secret),
                "{label}: the answer names {secret:?}: {}",
                res.body
            );
        }
        // Nor by changing its own student's e-mail to hers.
        let own = call(
            &app,
            "uni_x",
            "POST",
            "/api/v1/vfu/students",
            student_body("per-ltu", "lars@student.ltu.test", "Lars Lind", "2521"),
        )
        .await;
        assert_eq!(own.status, 201, "{label}: {}", own.body);
        let id = own.json()["id"].as_str().unwrap().to_string();
        let res = call(
            &app,
            "uni_x",
            "PUT",
            &format!("/api/v1/vfu/students/{id}"),
            student_body("per-ltu", "stina@student.umu.test", "Lars Lind", "2521"),
        )
        .await;
        assert_eq!(res.status, 422, "{label}: {}", res.body);
        assert_eq!(res.json()["fields"][0]["field"], "email", "{label}");

        assert_eq!(
            call(&app, "uni_x", "GET", &format!("/api/v1/persons/{person}"), Value::Null)
                .await
                .status,
            404,
            "{label}"
        );
        let after = s
            .export_person(&person, &kkig_store::Actor::cli())
            .await
            .unwrap()
            .unwrap()["person"]
            .clone();
        assert_eq!(
            after, before,
            "{label}: her name, e-mail and home municipality unchanged"
        );
        assert_eq!(u["uni_y"].scope.as_deref(), Some("UmU"), "{label}");
        app.finish().await;
    }
}

#[tokio::test]
async fn the_swedish_supervisor_form_shows_the_refusal_next_to_the_email_field() {
    for app in apps(false).await {
        let label = app.db.label;
        let u = users(&app).await;
        let admin = &u["admin"];
        let body = form(&[
            ("name", "Ny Handledare"),
            ("email", &admin.email),
            ("field_teacher_f3", "1"),
            ("employment_percent", "100"),
            ("students_per_period", "1"),
            ("training", "none"),
            ("invite", "not_invited"),
            ("consent_contact", "1"),
        ]);
        let res = post_form_as(&app, &token("muni_a"), "/vfu/kommun/2422/handledare/ny", &body).await;
        assert_eq!(res.status, 422, "{label}: {}", res.body);
        assert!(
            res.body
                .contains("id=\"f-email-error\">E-post: e-postadressen kan inte användas här.</p>"),
            "{label}: {}",
            res.body
        );
        assert!(!res.body.contains(&admin.name), "{label}");
        let en = post_form_as(&app, &token("muni_a"), "/vfu/kommun/2422/handledare/ny?lang=en", &body).await;
        assert!(
            en.body.contains("this e-mail address cannot be used here."),
            "{label}: {}",
            en.body
        );
        assert_eq!(
            app.db.store.user_by_email(&admin.email).await.unwrap().unwrap().name,
            admin.name,
            "{label}"
        );
        app.finish().await;
    }
}
