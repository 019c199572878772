//! Signing in that holds: CSRF with other Authorization schemes, redirects after login,
//! throttling (atomic, keyed per account and address, behind trusted proxies), password links.
//! On SQLite and PostgreSQL.

use std::sync::LazyLock;

use kkig_core::access::Role;
use kkig_core::privacy::hash_token;
use kkig_store::{Actor, NewUser, UserRecord};

use crate::common::{apps, enc, location, TestApp, TestResponse};
use kkig_store::prelude::*;

const PASSWORD: &str = "ett långt lösenord 2026";
static HASH: LazyLock<String> = LazyLock::new(|| kkig_web::auth::hash_password(PASSWORD).unwrap());

/// An account with a password and the API token `kkig_{key}_signin`.
async fn account(app: &TestApp, key: &str, role: Role, scope: Option<&str>) -> UserRecord {
    let s = &app.db.store;
    let cli = Actor::cli();
    let new = NewUser {
        email: format!("{key}@signin.test"),
        name: format!("Namn {key}"),
        role,
        scope: scope.map(String::from),
    };
    let u = s.create_user(&new, &cli).await.unwrap();
    s.set_password_hash(&u.id, &HASH, &cli).await.unwrap();
    s.create_api_token(
        &u.id,
        &format!("tok-{key}"),
        "test",
        &hash_token(&token(key)),
        4_000_000_000,
        &cli,
    )
    .await
    .unwrap();
    u
}

fn token(key: &str) -> String {
    format!("kkig_{key}_signin")
}

/// Post the login form from kkig's own page.
async fn login(app: &TestApp, email: &str, password: &str, next: Option<&str>) -> TestResponse {
    let mut body = format!("email={}&password={}", enc(email), enc(password));
    if let Some(n) = next {
        body.push_str(&format!("&next={}", enc(n)));
    }
    let headers = [
        ("content-type", "application/x-www-form-urlencoded"),
        ("sec-fetch-site", "same-origin"),
    ];
    app.send("POST", "/logga-in", &headers, &body).await
}

async fn cookie_of(app: &TestApp, key: &str) -> String {
    let res = login(app, &format!("{key}@signin.test"), PASSWORD, None).await;
    assert_eq!(res.status, 303, "{}", res.body);
    res.session_cookie().unwrap()
}

async fn study_places(app: &TestApp, id: &str) -> Option<i64> {
    let all = app.db.store.learning_centres().await.unwrap();
    all.into_iter()
        .find(|c| c.centre.id == id)
        .and_then(|c| c.services)
        .map(|s| s.study_places)
}

#[tokio::test]
async fn csrf_holds_for_every_authorization_scheme_but_a_valid_bearer_token() {
    for app in apps(false).await {
        let label = app.db.label;
        account(&app, "regional", Role::Regional, None).await;
        let cookie = cookie_of(&app, "regional").await;
        let page = "/larcentrum/lc-2422/andra";
        let api = "/api/v1/learning-centres/lc-2422/services";
        let json = |n: i64| {
            format!(r#"{{"study_places": {n}, "exam_sittings": false, "video_rooms": 0, "study_guidance": false}}"#)
        };
        let form_ct = ("content-type", "application/x-www-form-urlencoded");
        let json_ct = ("content-type", "application/json");
        let c = ("cookie", cookie.as_str());
        let before = study_places(&app, "lc-2422").await;

        // A proxy's Basic credentials plus the session cookie, no Origin: refused, nothing changed.
        let basic = ("authorization", "Basic dXNlcjpwYXNzd29yZA==");
        let res = app
            .send("POST", page, &[c, basic, form_ct], "study_places=7&video_rooms=0")
            .await;
        assert_eq!(res.status, 403, "{label}: {}", res.body);
        let res = app.send("PUT", api, &[c, basic, json_ct], &json(7)).await;
        assert_eq!(res.status, 403, "{label}: {}", res.body);
        assert_eq!(study_places(&app, "lc-2422").await, before, "{label}: no change");
        // Any scheme name other than Bearer is no token, whatever its case.
        let res = app
            .send(
                "PUT",
                api,
                &[c, ("authorization", "Digest username=\"x\""), json_ct],
                &json(7),
            )
            .await;
        assert_eq!(res.status, 403, "{label}");
        // From kkig's own page the cookie counts, next to the proxy's Basic credentials.
        let same = ("sec-fetch-site", "same-origin");
        let res = app
            .send("POST", page, &[c, basic, form_ct, same], "study_places=8&video_rooms=0")
            .await;
        assert_eq!(res.status, 200, "{label}: {}", res.body);
        assert_eq!(study_places(&app, "lc-2422").await, Some(8), "{label}");

        // An invalid bearer token next to a valid cookie: 401, never the cookie's user, with
        // or without an Origin of this site.
        let bad = ("authorization", "Bearer kkig_not_a_token");
        for headers in [&[c, bad, json_ct][..], &[c, bad, json_ct, same]] {
            let res = app.send("PUT", api, headers, &json(9)).await;
            assert_eq!(res.status, 401, "{label}: {}", res.body);
            assert!(res.json()["error"].as_str().unwrap().contains("expired"), "{label}");
        }
        for headers in [&[c, bad, form_ct][..], &[c, bad, form_ct, same]] {
            let res = app.send("POST", page, headers, "study_places=9&video_rooms=0").await;
            assert_eq!(res.status, 401, "{label}: {}", res.body);
        }
        // Reads too: anonymous (the API says 401, the page sends to the login page).
        let res = app.send("GET", "/api/v1/me", &[c, bad], "").await;
        assert_eq!(res.status, 401, "{label}");
        let res = app.send("GET", page, &[c, bad], "").await;
        assert_eq!(res.status, 303, "{label}");
        assert!(location(&res).starts_with("/logga-in"), "{label}");
        assert_eq!(study_places(&app, "lc-2422").await, Some(8), "{label}: no change");

        // A valid bearer token needs no Origin, with the scheme name in any case.
        let secret = token("regional");
        for scheme in ["Bearer", "bearer", "BEARER"] {
            let auth = format!("{scheme} {secret}");
            let res = app
                .send("PUT", api, &[("authorization", auth.as_str()), json_ct], &json(10))
                .await;
            assert_eq!(res.status, 204, "{label} {scheme}: {}", res.body);
            let me = app
                .send("GET", "/api/v1/me", &[("authorization", auth.as_str())], "")
                .await;
            assert_eq!(me.json()["email"], "regional@signin.test", "{label} {scheme}");
        }
        assert_eq!(study_places(&app, "lc-2422").await, Some(10), "{label}");
        app.finish().await;
    }
}

#[tokio::test]
async fn after_login_a_same_site_path_or_the_roles_home_and_never_a_500() {
    for app in apps(true).await {
        let label = app.db.label;
        let homes = [
            ("admin", Role::Admin, None, "/admin/anvandare"),
            ("regional", Role::Regional, None, "/vfu"),
            ("muni", Role::Municipality, Some("2422"), "/vfu/kommun/2422"),
            ("uni", Role::University, Some("LTU"), "/vfu/larosate/LTU"),
            ("provider", Role::Provider, Some("yh-norr"), "/konto"),
            ("supervisor", Role::Supervisor, None, "/vfu/min"),
            ("student", Role::Student, None, "/vfu/min"),
        ];
        for (key, role, scope, home) in homes {
            account(&app, key, role, scope).await;
            let res = login(&app, &format!("{key}@signin.test"), PASSWORD, None).await;
            assert_eq!(
                (res.status.as_u16(), location(&res)),
                (303, home.to_string()),
                "{label} {key}"
            );
        }
        let admin = "admin@signin.test";
        let unsafe_next = [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\nSet-Cookie: a=b",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example",
            "/%09/evil.example",
            "/%0d%0a/evil.example",
            "/\u{202E}elpmaxe.live",
            "/\u{200B}/evil.example",
            "/\u{85}/evil.example",
            "",
        ];
        for next in unsafe_next {
            let res = login(&app, admin, PASSWORD, Some(next)).await;
            assert_eq!(
                (res.status.as_u16(), location(&res)),
                (303, "/admin/anvandare".to_string()),
                "{label} {next:?}"
            );
            // A wrong password shows the form again, without the unsafe path in it.
            let res = login(&app, admin, "fel", Some(next)).await;
            assert_eq!(res.status, 401, "{label} {next:?}");
            let form = app.get(&format!("/logga-in?next={}", enc(next))).await;
            assert_eq!(form.status, 200, "{label} {next:?}");
            assert!(form.body.contains("name=\"next\" value=\"\""), "{label} {next:?}");
        }
        for next in [
            "/vfu/min?lang=en",
            "/utbildning?q=sjuksk%C3%B6terska&ort=2422",
            "/kommun/2422#karta",
            "/konto",
        ] {
            let res = login(&app, admin, PASSWORD, Some(next)).await;
            assert_eq!(
                (res.status.as_u16(), location(&res)),
                (303, next.to_string()),
                "{label}"
            );
        }

        // After a change, the VFU pages follow a `back` path only when it is safe, never a 500.
        let s = &app.db.store;
        let placements = kkig_store::VfuPlacementStore::placements(s, &Default::default())
            .await
            .unwrap();
        let p = placements.first().expect("the demo has placements");
        let student = kkig_store::VfuStudentStore::vfu_student(s, &p.student_id)
            .await
            .unwrap()
            .unwrap();
        let period = kkig_store::VfuPeriodStore::vfu_period(s, &student.period_id)
            .await
            .unwrap()
            .unwrap();
        let period = format!("/vfu/larosate/{}/perioder/{}", period.university, period.id);
        let body = format!("back={}", enc("/vfu/x\n/evil.example"));
        let res = crate::common::post_form_as(
            &app,
            &token("admin"),
            &format!("/vfu/placering/{}/ta-bort", p.id),
            &body,
        )
        .await;
        assert_eq!(
            (res.status.as_u16(), location(&res)),
            (303, period),
            "{label}: {}",
            res.body
        );
        app.finish().await;
    }
}

/// A request through `router` from the peer `peer` (as `into_make_service_with_connect_info`
/// gives it to the handlers).
async fn send_from(
    router: &axum::Router,
    peer: &str,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> TestResponse {
    use axum::body::Body;
    use tower::ServiceExt;
    let peer: std::net::SocketAddr = peer.parse().unwrap();
    let mut req = axum::http::Request::builder()
        .method(method)
        .uri(uri)
        .extension(axum::extract::ConnectInfo(peer));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    TestResponse::read(res).await
}

/// Post the login form from `peer`, with extra headers.
async fn login_from(
    router: &axum::Router,
    peer: &str,
    extra: &[(&str, &str)],
    email: &str,
    password: &str,
) -> TestResponse {
    let body = format!("email={}&password={}", enc(email), enc(password));
    let mut headers = vec![
        ("content-type", "application/x-www-form-urlencoded"),
        ("sec-fetch-site", "same-origin"),
    ];
    headers.extend_from_slice(extra);
    send_from(router, peer, "POST", "/logga-in", &headers, &body).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_wrong_passwords_get_at_most_the_limit_of_password_checks() {
    for app in apps(false).await {
        let label = app.db.label;
        account(&app, "target", Role::Regional, None).await;
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..12 {
            let router = app.router.clone();
            tasks.spawn(async move {
                (
                    i,
                    login_from(&router, "198.51.100.7:4000", &[], "target@signin.test", "fel lösenord").await,
                )
            });
        }
        let mut statuses = Vec::new();
        while let Some(done) = tasks.join_next().await {
            let (_, res) = done.unwrap();
            statuses.push(res.status.as_u16());
        }
        statuses.sort_unstable();
        let checked = statuses.iter().filter(|s| **s == 401).count();
        let refused = statuses.iter().filter(|s| **s == 429).count();
        assert_eq!((checked, refused), (5, 7), "{label}: {statuses:?}");
        app.finish().await;
    }
}

#[tokio::test]
async fn one_address_cannot_lock_an_account_out_for_everyone() {
    for app in apps(false).await {
        let label = app.db.label;
        account(&app, "target", Role::Regional, None).await;
        let r = &app.router;
        let target = "target@signin.test";
        // Five wrong passwords from A: the account is refused from A, even the right password.
        for i in 0..5 {
            assert_eq!(
                login_from(r, "198.51.100.7:1000", &[], target, "fel").await.status,
                401,
                "{label} {i}"
            );
        }
        let res = login_from(r, "198.51.100.7:1001", &[], target, PASSWORD).await;
        assert_eq!(res.status, 429, "{label}");
        let retry: i64 = res.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=900).contains(&retry), "{label}: {retry}");
        assert!(res.body.contains("För många misslyckade försök"), "{label}");
        // ... but not from B.
        assert_eq!(
            login_from(r, "198.51.100.8:1000", &[], target, PASSWORD).await.status,
            303,
            "{label}"
        );
        let failures = app.db.store.sign_in_failures(target, 0).await.unwrap();
        assert!(
            failures.len() == 5 && failures.iter().all(|f| f.address == "198.51.100.7"),
            "{label}: {failures:?}"
        );

        // An address over its own limit (20 failures over any accounts): its wrong passwords
        // are answered 429, a right one still signs in.
        let c = "203.0.113.50:2000";
        for i in 0..20 {
            let res = login_from(r, c, &[], &format!("nobody{i}@signin.test"), "x").await;
            assert_eq!(res.status, 401, "{label} {i}");
        }
        let res = login_from(r, c, &[], target, "fel").await;
        assert_eq!(res.status, 429, "{label}");
        assert!(res.headers.contains_key("retry-after"), "{label}");
        assert_eq!(login_from(r, c, &[], target, PASSWORD).await.status, 303, "{label}");

        // Guessing spread over many addresses: 50 failures of the account refuse it everywhere.
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        for i in 0..50 {
            app.db
                .store
                .begin_sign_in(target, &format!("192.0.2.{}", i / 5), now)
                .await
                .unwrap();
        }
        let res = login_from(r, "198.51.100.99:3000", &[], target, PASSWORD).await;
        assert_eq!(res.status, 429, "{label}");
        app.finish().await;
    }
}

#[tokio::test]
async fn forwarded_addresses_count_only_from_trusted_proxies() {
    for app in apps(false).await {
        let label = app.db.label;
        account(&app, "target", Role::Regional, None).await;
        let target = "target@signin.test";
        let config = kkig_web::WebConfig {
            trusted_proxies: vec!["10.0.0.0/8".parse().unwrap(), "2001:db8:ffff::1".parse().unwrap()],
            ..Default::default()
        };
        let node = kkig_web::app(kkig_web::AppState::new(std::sync::Arc::new(app.db.store.clone()), config).unwrap());
        let s = &app.db.store;
        // The address of the failure recorded since the last call (rows of one second come in
        // no particular order, so the new one is found by counting).
        let seen = std::cell::RefCell::new(Vec::<String>::new());
        let last_address = || async {
            let now: Vec<String> = s
                .sign_in_failures(target, 0)
                .await
                .unwrap()
                .into_iter()
                .map(|f| f.address)
                .collect();
            let mut old = seen.replace(now.clone());
            let mut new = Vec::new();
            for a in now {
                match old.iter().position(|o| *o == a) {
                    Some(i) => {
                        old.remove(i);
                    }
                    None => new.push(a),
                }
            }
            assert_eq!(new.len(), 1, "{new:?}");
            new.remove(0)
        };

        // Through the trusted proxy: the rightmost forwarded address that is not a proxy.
        let xff = ("x-forwarded-for", "203.0.113.66, 198.51.100.20, 10.0.0.9");
        assert_eq!(
            login_from(&node, "10.1.2.3:5000", &[xff], target, "fel").await.status,
            401,
            "{label}"
        );
        assert_eq!(last_address().await, "198.51.100.20", "{label}");
        // Forwarded (RFC 7239) before X-Forwarded-For; IPv6 in brackets with a port; the
        // IPv4-mapped address of the proxy counts as the proxy.
        let fwd = (
            "forwarded",
            "for=192.0.2.1;proto=https, For=\"[2001:db8:cafe::17]:4711\", for=10.0.0.9",
        );
        assert_eq!(
            login_from(&node, "[::ffff:10.1.2.3]:5000", &[fwd, xff], target, "fel")
                .await
                .status,
            401,
            "{label}"
        );
        assert_eq!(last_address().await, "2001:db8:cafe::17", "{label}");
        // From any other peer, forwarded headers are ignored: the connection's address counts.
        assert_eq!(
            login_from(&node, "192.0.2.50:5000", &[fwd, xff], target, "fel")
                .await
                .status,
            401,
            "{label}"
        );
        assert_eq!(last_address().await, "192.0.2.50", "{label}");
        // The default router trusts no proxy at all.
        assert_eq!(
            login_from(&app.router, "10.1.2.3:5000", &[xff], target, "fel")
                .await
                .status,
            401,
            "{label}"
        );
        assert_eq!(last_address().await, "10.1.2.3", "{label}");

        // So behind the proxy, one client's failures do not lock the account for another.
        for i in 0..5 {
            let res = login_from(
                &node,
                "10.1.2.3:5000",
                &[("x-forwarded-for", "203.0.113.7")],
                target,
                "fel",
            )
            .await;
            assert_eq!(res.status, 401, "{label} {i}");
        }
        let a = login_from(
            &node,
            "10.1.2.3:5000",
            &[("x-forwarded-for", "203.0.113.7")],
            target,
            PASSWORD,
        )
        .await;
        assert_eq!(a.status, 429, "{label}");
        let b = login_from(
            &node,
            "10.1.2.3:5001",
            &[("x-forwarded-for", "203.0.113.8")],
            target,
            PASSWORD,
        )
        .await;
        assert_eq!(b.status, 303, "{label}");
        app.finish().await;
    }
}

#[tokio::test]
async fn choosing_a_password_with_the_newer_link_voids_the_older() {
    for app in apps(false).await {
        let label = app.db.label;
        let s = &app.db.store;
        let new = NewUser {
            email: "ny@signin.test".into(),
            name: "Ny Person".into(),
            role: Role::Regional,
            scope: None,
        };
        let u = s.create_user(&new, &Actor::cli()).await.unwrap();
        let (older, newer) = ("a".repeat(64), "b".repeat(64));
        for secret in [&older, &newer] {
            s.create_password_reset(&u.id, &hash_token(secret), 4_000_000_000, &Actor::cli())
                .await
                .unwrap();
        }
        assert_eq!(
            app.get(&format!("/losenord/{older}")).await.status,
            200,
            "{label}: both links work at first"
        );
        let headers = [
            ("content-type", "application/x-www-form-urlencoded"),
            ("sec-fetch-site", "same-origin"),
        ];
        let body = crate::common::form(&[("password", PASSWORD), ("repeat", PASSWORD)]);
        let res = app.send("POST", &format!("/losenord/{newer}"), &headers, &body).await;
        assert_eq!(res.status, 303, "{label}: {}", res.body);
        for res in [
            app.get(&format!("/losenord/{older}")).await,
            app.send("POST", &format!("/losenord/{older}"), &headers, &body).await,
        ] {
            assert_eq!(res.status, 404, "{label}");
            assert!(
                res.body.contains("Länken är ogiltig, redan använd eller för gammal."),
                "{label}: {}",
                res.body
            );
        }
        assert_eq!(
            login(&app, "ny@signin.test", PASSWORD, None).await.status,
            303,
            "{label}"
        );
        app.finish().await;
    }
}
