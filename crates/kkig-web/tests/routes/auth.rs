//! Accounts and permissions through the whole router: the route × role matrix, CSRF, session
//! rotation, login throttling, tokens. On SQLite and PostgreSQL.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use kkig_core::access::Role;
use kkig_core::ids::PersonId;
use kkig_core::privacy::hash_token;
use kkig_core::Kommunkod;
use kkig_store::{Actor, NewUser, UserRecord};

use crate::common::{apps, TestApp, TestResponse};
use kkig_store::prelude::*;

const PASSWORD: &str = "ett långt lösenord 2026";
static HASH: LazyLock<String> = LazyLock::new(|| kkig_web::auth::hash_password(PASSWORD).unwrap());

const ROLES: [&str; 8] = [
    "admin",
    "regional",
    "muni_a",
    "muni_b",
    "university",
    "provider",
    "supervisor",
    "student",
];

struct World {
    users: BTreeMap<&'static str, UserRecord>,
    /// The API token of each user (the secret).
    tokens: BTreeMap<&'static str, String>,
    /// A student of municipality A (Sorsele) without an account.
    student_a: PersonId,
}

async fn world(app: &TestApp) -> World {
    let s = &app.db.store;
    let cli = Actor::cli();
    let specs: [(&str, Role, Option<&str>); 8] = [
        ("admin", Role::Admin, None),
        ("regional", Role::Regional, None),
        ("muni_a", Role::Municipality, Some("2422")),
        ("muni_b", Role::Municipality, Some("2521")),
        ("university", Role::University, Some("LTU")),
        ("provider", Role::Provider, Some("yh-norr")),
        ("supervisor", Role::Supervisor, None),
        ("student", Role::Student, None),
    ];
    let mut users = BTreeMap::new();
    let mut tokens = BTreeMap::new();
    for (key, role, scope) in specs {
        let u = s
            .create_user(
                &NewUser {
                    email: format!("{key}@kkig.test"),
                    name: format!("Namn {key}"),
                    role,
                    scope: scope.map(String::from),
                },
                &cli,
            )
            .await
            .unwrap();
        s.set_password_hash(&u.id, &HASH, &cli).await.unwrap();
        let secret = format!("kkig_{key}_secret");
        s.create_api_token(
            &u.id,
            &format!("tok-{key}"),
            "test",
            &hash_token(&secret),
            4_000_000_000,
            &cli,
        )
        .await
        .unwrap();
        tokens.insert(key, secret);
        users.insert(key, u);
    }
    let student_a = s
        .create_person(
            "Stina Student",
            Some("stina@student.test"),
            "student",
            Some(Kommunkod::parse("2422").unwrap()),
            &cli,
        )
        .await
        .unwrap();
    World {
        users,
        tokens,
        student_a,
    }
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

async fn as_role(app: &TestApp, w: &World, role: Option<&str>, method: &str, uri: &str, body: &str) -> TestResponse {
    let auth = role.map(|r| bearer(&w.tokens[r]));
    let mut headers = vec![("content-type", "application/json")];
    if let Some(a) = &auth {
        headers.push(("authorization", a.as_str()));
    }
    app.send(method, uri, &headers, body).await
}

/// Sign in through the login form; returns the session cookie.
async fn sign_in(app: &TestApp, email: &str, password: &str, cookie: Option<&str>) -> TestResponse {
    let body = format!(
        "email={}&password={}&next=%2Fkonto",
        urlencode(email),
        urlencode(password)
    );
    let mut headers = vec![
        ("content-type", "application/x-www-form-urlencoded"),
        ("host", "kkig.test"),
        ("origin", "http://kkig.test"),
    ];
    if let Some(c) = cookie {
        headers.push(("cookie", c));
    }
    app.send("POST", "/logga-in", &headers, &body).await
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn api_route_by_role_matrix() {
    for app in apps(true).await {
        let label = app.db.label;
        let w = world(&app).await;
        let own = |r: &str| w.users[r].person_id.clone();
        let services = r#"{"study_places": 9, "exam_sittings": true, "video_rooms": 1, "study_guidance": true}"#;
        let other_token = "/api/v1/me/tokens/tok-admin".to_string();
        let student_a = format!("/api/v1/persons/{}", w.student_a);

        //           method  uri                          body      anon  admin reg  muni_a muni_b uni  prov sup  stud
        let rows: Vec<(&str, String, &str, [u16; 9])> = vec![
            ("GET", "/api/v1/municipalities".into(), "", [200; 9]),
            ("GET", "/api/v1/municipalities/2422".into(), "", [200; 9]),
            ("GET", "/api/v1/universities".into(), "", [200; 9]),
            ("GET", "/api/v1/learning-centres".into(), "", [200; 9]),
            ("GET", "/api/v1/occupations".into(), "", [200; 9]),
            ("GET", "/api/openapi.json".into(), "", [200; 9]),
            ("GET", "/health".into(), "", [200; 9]),
            (
                "GET",
                "/api/v1/me".into(),
                "",
                [401, 200, 200, 200, 200, 200, 200, 200, 200],
            ),
            (
                "GET",
                "/api/v1/me/tokens".into(),
                "",
                [401, 200, 200, 200, 200, 200, 200, 200, 200],
            ),
            (
                "GET",
                "/api/v1/audit?since=2000-01-01".into(),
                "",
                [401, 200, 403, 403, 403, 403, 403, 403, 403],
            ),
            (
                "GET",
                student_a.clone(),
                "",
                [401, 200, 200, 200, 404, 404, 404, 404, 404],
            ),
            // Anonymous state changes without Origin are refused by the CSRF check first.
            (
                "PUT",
                "/api/v1/learning-centres/lc-2521/services".into(),
                services,
                [403, 204, 204, 403, 204, 403, 403, 403, 403],
            ),
            (
                "PUT",
                "/api/v1/learning-centres/lc-2422/services".into(),
                services,
                [403, 204, 204, 204, 403, 403, 403, 403, 403],
            ),
            (
                "DELETE",
                other_token.clone(),
                "",
                [403, 204, 404, 404, 404, 404, 404, 404, 404],
            ),
        ];
        for (method, uri, body, expected) in rows {
            for (i, role) in std::iter::once(None).chain(ROLES.iter().map(|r| Some(*r))).enumerate() {
                // Re-create the admin token each time it is revoked by its owner.
                if uri == other_token && role == Some("admin") {
                    let res = as_role(&app, &w, role, method, &uri, body).await;
                    assert_eq!(
                        res.status.as_u16(),
                        expected[i],
                        "{label} {method} {uri} as {role:?}: {}",
                        res.body
                    );
                    continue;
                }
                let res = as_role(&app, &w, role, method, &uri, body).await;
                assert_eq!(
                    res.status.as_u16(),
                    expected[i],
                    "{label} {method} {uri} as {role:?}: {}",
                    res.body
                );
                if res.status.as_u16() >= 400 {
                    assert!(
                        res.json()["error"].is_string(),
                        "{label} {uri}: errors are JSON with a message"
                    );
                }
            }
        }

        // Anonymous with an Origin of this site: 401, not signed in.
        let res = app
            .send(
                "PUT",
                "/api/v1/learning-centres/lc-2422/services",
                &[("content-type", "application/json"), ("sec-fetch-site", "same-origin")],
                services,
            )
            .await;
        assert_eq!(res.status, 401, "{label}");

        // Everyone may read their own person record, and it is theirs.
        for role in ROLES {
            let res = as_role(
                &app,
                &w,
                Some(role),
                "GET",
                &format!("/api/v1/persons/{}", own(role)),
                "",
            )
            .await;
            if role == "admin" {
                // The admin's token was revoked above.
                assert_eq!(res.status, 401, "{label}");
                continue;
            }
            assert_eq!(res.status, 200, "{label} {role}");
            assert_eq!(res.json()["person"]["email"], format!("{role}@kkig.test"), "{label}");
        }
        app.finish().await;
    }
}

#[tokio::test]
async fn municipality_a_cannot_read_or_change_municipality_b_records() {
    for app in apps(true).await {
        let label = app.db.label;
        let w = world(&app).await;
        let s = &app.db.store;
        let before = s
            .learning_centres()
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.centre.id == "lc-2521")
            .unwrap();
        let audit_before = s.audit_since(0, 100_000).await.unwrap().len();

        // API: refused, nothing leaked, nothing changed.
        let res = as_role(
            &app,
            &w,
            Some("muni_a"),
            "PUT",
            "/api/v1/learning-centres/lc-2521/services",
            r#"{"study_places": 0, "exam_sittings": false, "video_rooms": 0, "study_guidance": false}"#,
        )
        .await;
        assert_eq!(res.status, 403, "{label}");
        // A student of B: 404, the same answer as for a person that does not exist.
        let pajala_student = s
            .create_person(
                "Per Pajala",
                Some("per@student.test"),
                "student",
                Some(Kommunkod::parse("2521").unwrap()),
                &Actor::cli(),
            )
            .await
            .unwrap();
        let res = as_role(
            &app,
            &w,
            Some("muni_a"),
            "GET",
            &format!("/api/v1/persons/{pajala_student}"),
            "",
        )
        .await;
        let missing = as_role(&app, &w, Some("muni_a"), "GET", "/api/v1/persons/p-does-not-exist", "").await;
        assert_eq!(
            (res.status, missing.status),
            (axum::http::StatusCode::NOT_FOUND, axum::http::StatusCode::NOT_FOUND),
            "{label}"
        );
        assert!(
            !res.body.contains("Per Pajala") && !res.body.contains("per@student.test"),
            "{label}: {}",
            res.body
        );

        // Pages: the edit form of B's centre is refused, and so is a posted change.
        let login = sign_in(&app, "muni_a@kkig.test", PASSWORD, None).await;
        let cookie = login.session_cookie().unwrap();
        let page = app.get_with_cookie("/larcentrum/lc-2521/andra", &cookie).await;
        assert_eq!(page.status, 403, "{label}");
        let post = app
            .send(
                "POST",
                "/larcentrum/lc-2521/andra",
                &[
                    ("cookie", cookie.as_str()),
                    ("content-type", "application/x-www-form-urlencoded"),
                    ("sec-fetch-site", "same-origin"),
                ],
                "study_places=0&video_rooms=0",
            )
            .await;
        assert_eq!(post.status, 403, "{label}");
        let after = s
            .learning_centres()
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.centre.id == "lc-2521")
            .unwrap();
        assert_eq!(before, after, "{label}: nothing changed");
        // Only the creation of the Pajala student was logged, no change to B's records.
        let new_entries: Vec<_> = s
            .audit_since(0, 100_000)
            .await
            .unwrap()
            .into_iter()
            .skip(audit_before)
            .collect();
        assert!(
            new_entries.iter().all(|e| e.entity != "learning_centre_services"),
            "{label}: {new_entries:?}"
        );

        // Their own centre works, and the change is audited with before and after.
        let ok = app
            .send(
                "POST",
                "/larcentrum/lc-2422/andra",
                &[
                    ("cookie", cookie.as_str()),
                    ("content-type", "application/x-www-form-urlencoded"),
                    ("sec-fetch-site", "same-origin"),
                ],
                "study_places=14&video_rooms=2&exam_sittings=1",
            )
            .await;
        assert_eq!(ok.status, 200, "{label}: {}", ok.body);
        assert!(ok.body.contains("Tjänsterna är sparade"), "{label}");
        let entry = s
            .audit_since(0, 100_000)
            .await
            .unwrap()
            .into_iter()
            .rev()
            .find(|e| e.entity == "learning_centre_services")
            .unwrap();
        assert_eq!(entry.actor, format!("user:{}", w.users["muni_a"].id), "{label}");
        assert!(
            entry.before.is_some() && entry.after.as_deref().unwrap().contains("\"study_places\":14"),
            "{label}: {entry:?}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn page_route_by_role_matrix() {
    for app in apps(true).await {
        let label = app.db.label;
        let _w = world(&app).await;
        let mut cookies: BTreeMap<&str, String> = BTreeMap::new();
        for role in ROLES {
            let res = sign_in(&app, &format!("{role}@kkig.test"), PASSWORD, None).await;
            assert_eq!(res.status, 303, "{label} {role}: {}", res.body);
            cookies.insert(role, res.session_cookie().unwrap());
        }
        //                     uri                       anon admin reg muni_a muni_b uni prov sup stud
        let rows: [(&str, [u16; 9]); 10] = [
            ("/", [200; 9]),
            ("/kommun/2422", [200; 9]),
            ("/integritet", [200; 9]),
            ("/logga-in", [200; 9]),
            ("/konto", [303, 200, 200, 200, 200, 200, 200, 200, 200]),
            ("/admin/anvandare", [303, 200, 403, 403, 403, 403, 403, 403, 403]),
            ("/admin/logg", [303, 200, 403, 403, 403, 403, 403, 403, 403]),
            ("/admin/synk", [303, 200, 403, 403, 403, 403, 403, 403, 403]),
            (
                "/larcentrum/lc-2422/andra",
                [303, 200, 200, 200, 403, 403, 403, 403, 403],
            ),
            (
                "/larcentrum/lc-2521/andra",
                [303, 200, 200, 403, 200, 403, 403, 403, 403],
            ),
        ];
        for (uri, expected) in rows {
            for (i, role) in std::iter::once(None).chain(ROLES.iter().map(|r| Some(*r))).enumerate() {
                let res = match role {
                    None => app.get(uri).await,
                    Some(r) => app.get_with_cookie(uri, &cookies[r]).await,
                };
                assert_eq!(res.status.as_u16(), expected[i], "{label} GET {uri} as {role:?}");
                if res.status == 303 {
                    let to = res.headers["location"].to_str().unwrap();
                    assert!(to.starts_with("/logga-in?next="), "{label}: {to}");
                }
            }
        }
        // Signed-in pages name the user; the admin sees the admin links, others do not.
        let admin_home = app.get_with_cookie("/", &cookies["admin"]).await.body;
        assert!(
            admin_home.contains("Inloggad som Namn admin") && admin_home.contains("/admin/anvandare"),
            "{label}"
        );
        let student_home = app.get_with_cookie("/", &cookies["student"]).await.body;
        assert!(
            student_home.contains("Inloggad som Namn student") && !student_home.contains("/admin/anvandare"),
            "{label}"
        );
        // The public cache never serves a signed-in header to anonymous visitors.
        assert!(!app.get("/").await.body.contains("Inloggad som"), "{label}");
        app.finish().await;
    }
}

#[tokio::test]
async fn csrf_session_rotation_and_logout() {
    for app in apps(false).await {
        let label = app.db.label;
        let _w = world(&app).await;
        let form = "email=admin%40kkig.test&password=x";
        let ct = ("content-type", "application/x-www-form-urlencoded");
        // No Origin and no Sec-Fetch-Site: refused before anything happens.
        assert_eq!(app.send("POST", "/logga-in", &[ct], form).await.status, 403, "{label}");
        assert_eq!(
            app.send("POST", "/logga-in", &[ct, ("sec-fetch-site", "cross-site")], form)
                .await
                .status,
            403,
            "{label}"
        );
        assert_eq!(
            app.send(
                "POST",
                "/logga-in",
                &[ct, ("host", "kkig.test"), ("origin", "https://evil.example")],
                form
            )
            .await
            .status,
            403,
            "{label}"
        );
        assert_eq!(
            app.send("POST", "/logga-ut", &[("sec-fetch-site", "same-site")], "")
                .await
                .status,
            403,
            "{label}"
        );
        // The refused attempts did not even count as failed logins.
        assert!(
            app.db
                .store
                .sign_in_failures("admin@kkig.test", 0)
                .await
                .unwrap()
                .is_empty(),
            "{label}"
        );

        // The session id changes at login.
        let before = app.get("/?lang=en").await.session_cookie().unwrap();
        let login = sign_in(&app, "admin@kkig.test", PASSWORD, Some(&before)).await;
        assert_eq!(login.status, 303, "{label}");
        assert_eq!(login.headers["location"], "/konto", "{label}");
        let after = login.session_cookie().expect("a new session cookie at login");
        assert_ne!(before, after, "{label}: session id rotated");
        assert_eq!(
            app.get_with_cookie("/konto", &before).await.status,
            303,
            "{label}: the old id is worthless"
        );
        let account = app.get_with_cookie("/konto", &after).await;
        assert_eq!(account.status, 200, "{label}");
        assert!(
            account.body.contains("<html lang=\"en\">"),
            "{label}: the language survives the rotation"
        );

        // Logout ends the session.
        let out = app
            .send(
                "POST",
                "/logga-ut",
                &[("cookie", after.as_str()), ("sec-fetch-site", "same-origin")],
                "",
            )
            .await;
        assert_eq!(out.status, 303, "{label}");
        assert_eq!(app.get_with_cookie("/konto", &after).await.status, 303, "{label}");

        // A bearer token is not an ambient credential: no Origin needed.
        let w_token = "kkig_admin_secret";
        let res = app
            .send(
                "PUT",
                "/api/v1/learning-centres/lc-2422/services",
                &[
                    ("authorization", &bearer(w_token)),
                    ("content-type", "application/json"),
                ],
                r#"{"study_places": 3, "exam_sittings": false, "video_rooms": 0, "study_guidance": false}"#,
            )
            .await;
        assert_eq!(res.status, 204, "{label}: {}", res.body);
        // Only local paths are followed after login.
        let evil = app
            .send(
                "POST",
                "/logga-in",
                &[ct, ("host", "kkig.test"), ("origin", "http://kkig.test")],
                &format!(
                    "email=admin%40kkig.test&password={}&next=https%3A%2F%2Fevil.example",
                    urlencode(PASSWORD)
                ),
            )
            .await;
        assert_eq!(
            evil.headers["location"], "/admin/anvandare",
            "{label}: the admin's home"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn repeated_wrong_passwords_are_throttled() {
    for app in apps(false).await {
        let label = app.db.label;
        let _w = world(&app).await;
        for i in 0..5 {
            let res = sign_in(&app, "regional@kkig.test", "fel lösenord", None).await;
            assert_eq!(res.status, 401, "{label} attempt {i}");
            assert!(res.body.contains("Fel e-postadress eller lösenord"), "{label}");
        }
        // Now even the right password is refused for a while, with Retry-After.
        let res = sign_in(&app, "regional@kkig.test", PASSWORD, None).await;
        assert_eq!(res.status, 429, "{label}");
        assert!(res.headers.contains_key("retry-after"), "{label}");
        assert!(res.body.contains("För många misslyckade försök"), "{label}");
        // Another account from the same address still works (per-address limit is higher) ...
        assert_eq!(
            sign_in(&app, "student@kkig.test", PASSWORD, None).await.status,
            303,
            "{label}"
        );
        // ... and once the address has failed 20 times in the window, its wrong passwords are
        // answered 429, but a right one still signs in (signin.rs has the whole rule).
        for i in 0..15 {
            assert_eq!(
                sign_in(&app, &format!("nobody{i}@kkig.test"), "x", None).await.status,
                401,
                "{label}"
            );
        }
        assert_eq!(
            sign_in(&app, "student@kkig.test", "fel lösenord", None).await.status,
            429,
            "{label}"
        );
        assert_eq!(
            sign_in(&app, "student@kkig.test", PASSWORD, None).await.status,
            303,
            "{label}"
        );
        // Unknown accounts get the same answer as wrong passwords.
        app.finish().await;
    }
}

#[tokio::test]
async fn tokens_work_expire_and_can_be_revoked() {
    for app in apps(false).await {
        let label = app.db.label;
        let w = world(&app).await;
        let s = &app.db.store;
        let me = as_role(&app, &w, Some("regional"), "GET", "/api/v1/me", "").await;
        assert_eq!(me.json()["role"], "regional", "{label}");
        // Expired.
        let u = &w.users["regional"];
        s.create_api_token(&u.id, "tok-old", "old", &hash_token("kkig_old"), 1_000, &Actor::cli())
            .await
            .unwrap();
        let res = app
            .send("GET", "/api/v1/me", &[("authorization", "Bearer kkig_old")], "")
            .await;
        assert_eq!(res.status, 401, "{label}");
        // Unknown.
        assert_eq!(
            app.send("GET", "/api/v1/me", &[("authorization", "Bearer kkig_nope")], "")
                .await
                .status,
            401,
            "{label}"
        );
        // Revoked through the API by its owner.
        let del = as_role(
            &app,
            &w,
            Some("regional"),
            "DELETE",
            "/api/v1/me/tokens/tok-regional",
            "",
        )
        .await;
        assert_eq!(del.status, 204, "{label}");
        assert_eq!(
            as_role(&app, &w, Some("regional"), "GET", "/api/v1/me", "")
                .await
                .status,
            401,
            "{label}"
        );

        // Created on the account page: shown once, stored only as a hash, and usable.
        let cookie = sign_in(&app, "regional@kkig.test", PASSWORD, None)
            .await
            .session_cookie()
            .unwrap();
        let created = app
            .send(
                "POST",
                "/konto/nycklar",
                &[
                    ("cookie", cookie.as_str()),
                    ("content-type", "application/x-www-form-urlencoded"),
                    ("sec-fetch-site", "same-origin"),
                ],
                "name=Rapport&days=30",
            )
            .await;
        assert_eq!(created.status, 201, "{label}: {}", created.body);
        let start = created.body.find("kkig_").unwrap();
        let secret: String = created.body[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        assert_eq!(secret.len(), 5 + 64, "{label}: {secret}");
        assert!(
            s.dump_all_text()
                .await
                .unwrap()
                .iter()
                .all(|(_, row)| !row.contains(&secret)),
            "{label}: the secret is not stored"
        );
        let res = app
            .send("GET", "/api/v1/me", &[("authorization", &bearer(&secret))], "")
            .await;
        assert_eq!(res.status, 200, "{label}");
        // Bad form input is named.
        let bad = app
            .send(
                "POST",
                "/konto/nycklar",
                &[
                    ("cookie", cookie.as_str()),
                    ("content-type", "application/x-www-form-urlencoded"),
                    ("sec-fetch-site", "same-origin"),
                ],
                "name=&days=999",
            )
            .await;
        assert_eq!(bad.status, 422, "{label}");
        assert!(
            bad.body.contains("1–80 tecken") && bad.body.contains("1 till 365"),
            "{label}"
        );
        // Disabling the account stops its tokens.
        s.set_user_disabled(&u.id, true, &Actor::cli()).await.unwrap();
        assert_eq!(
            app.send("GET", "/api/v1/me", &[("authorization", &bearer(&secret))], "")
                .await
                .status,
            401,
            "{label}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn password_link_sets_a_password_once() {
    for app in apps(false).await {
        let label = app.db.label;
        let s = &app.db.store;
        let u = s
            .create_user(
                &NewUser {
                    email: "ny@kkig.test".into(),
                    name: "Ny Person".into(),
                    role: Role::Regional,
                    scope: None,
                },
                &Actor::cli(),
            )
            .await
            .unwrap();
        let secret = "0123456789abcdef".repeat(4);
        s.create_password_reset(&u.id, &hash_token(&secret), 4_000_000_000, &Actor::cli())
            .await
            .unwrap();
        let path = format!("/losenord/{secret}");
        let form = app.get(&path).await;
        assert_eq!(form.status, 200, "{label}");
        assert!(form.body.contains("ny@kkig.test"), "{label}");
        let post = |body: &'static str| {
            let path = path.clone();
            let app = &app;
            async move {
                app.send(
                    "POST",
                    &path,
                    &[
                        ("content-type", "application/x-www-form-urlencoded"),
                        ("sec-fetch-site", "same-origin"),
                    ],
                    body,
                )
                .await
            }
        };
        let short = post("password=kort&repeat=kort").await;
        assert_eq!(short.status, 422, "{label}");
        assert!(short.body.contains("minst 12 tecken"), "{label}");
        let mismatch = post("password=ett+tillr%C3%A4ckligt+l%C3%A5ngt&repeat=annat+l%C3%A5ngt+l%C3%B6sen").await;
        assert!(mismatch.body.contains("inte lika"), "{label}");
        let ok = post("password=ett+tillr%C3%A4ckligt+l%C3%A5ngt&repeat=ett+tillr%C3%A4ckligt+l%C3%A5ngt").await;
        assert_eq!(ok.status, 303, "{label}: {}", ok.body);
        assert_eq!(
            post("password=ett+tillr%C3%A4ckligt+l%C3%A5ngt&repeat=ett+tillr%C3%A4ckligt+l%C3%A5ngt")
                .await
                .status,
            404,
            "{label}: once"
        );
        assert_eq!(
            sign_in(&app, "ny@kkig.test", "ett tillräckligt långt", None)
                .await
                .status,
            303,
            "{label}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn state_changing_page_routes_by_role() {
    for app in apps(false).await {
        let label = app.db.label;
        let w = world(&app).await;
        let s = &app.db.store;
        let mut cookies: BTreeMap<&str, String> = BTreeMap::new();
        for role in ROLES {
            cookies.insert(
                role,
                sign_in(&app, &format!("{role}@kkig.test"), PASSWORD, None)
                    .await
                    .session_cookie()
                    .unwrap(),
            );
        }
        let target = w.users["student"].id.clone();
        let post = |cookie: Option<String>, uri: String| {
            let app = &app;
            async move {
                let mut headers = vec![
                    ("sec-fetch-site", "same-origin"),
                    ("content-type", "application/x-www-form-urlencoded"),
                ];
                if let Some(c) = &cookie {
                    headers.push(("cookie", c.as_str()));
                }
                app.send("POST", &uri, &headers, "").await
            }
        };
        let disable = format!("/admin/anvandare/{target}/inaktivera");
        let link = format!("/admin/anvandare/{target}/losenordslank");
        let revoke_other = "/konto/nycklar/tok-supervisor/aterkalla".to_string();
        //                                         anon admin reg muni_a muni_b uni prov sup stud
        let rows: [(&String, [u16; 9]); 2] = [
            (&link, [303, 200, 403, 403, 403, 403, 403, 403, 403]),
            (&revoke_other, [303, 404, 404, 404, 404, 404, 404, 200, 404]),
        ];
        for (uri, expected) in rows {
            for (i, role) in std::iter::once(None).chain(ROLES.iter().map(|r| Some(*r))).enumerate() {
                let res = post(role.map(|r| cookies[r].clone()), uri.clone()).await;
                assert_eq!(res.status.as_u16(), expected[i], "{label} POST {uri} as {role:?}");
            }
        }
        // Refused attempts to disable the student changed nothing; the admin's does.
        for role in ROLES.iter().filter(|r| **r != "admin" && **r != "student") {
            assert_eq!(
                post(Some(cookies[role].clone()), disable.clone()).await.status,
                403,
                "{label} {role}"
            );
        }
        assert!(!s.user_by_id(&target).await.unwrap().unwrap().disabled, "{label}");
        assert_eq!(
            post(Some(cookies["admin"].clone()), disable.clone()).await.status,
            303,
            "{label}"
        );
        assert!(s.user_by_id(&target).await.unwrap().unwrap().disabled, "{label}");
        // The disabled student's session is over.
        assert_eq!(
            app.get_with_cookie("/konto", &cookies["student"]).await.status,
            303,
            "{label}"
        );
        app.finish().await;
    }
}
