//! Signing in that holds: CSRF with other Authorization schemes, redirects after login,
//! throttling (atomic, keyed per account and address, behind trusted proxies), password links.
//! On SQLite and PostgreSQL.

use std::sync::LazyLock;

use kkig_core::access::Role;
use kkig_core::privacy::hash_token;
use kkig_store::{Actor, NewUser, Store, UserRecord};

use crate::common::{apps, enc, location, TestApp, TestResponse};

const PASSWORD: &str = "ett långt lösenord 2026";
static HASH: LazyLock<String> = LazyLock::new(|| kkig_web::auth::hash_password(PASSWORD).unwrap());

/// An account with a password and the API token `kkig_{key}_signin`.
async fn account(app: &TestApp, key: &str, role: Role, scope: Option<&str>) -> UserRecord {
    let s = &app.db.store;
    let cli = Actor::cli();
    let new = NewUser { email: format!("{key}@signin.test"), name: format!("Namn {key}"), role, scope: scope.map(String::from) };
    let u = s.create_user(&new, &cli).await.unwrap();
    s.set_password_hash(&u.id, &HASH, &cli).await.unwrap();
    s.create_api_token(&u.id, &format!("tok-{key}"), "test", &hash_token(&token(key)), 4_000_000_000, &cli).await.unwrap();
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
    let headers = [("content-type", "application/x-www-form-urlencoded"), ("sec-fetch-site", "same-origin")];
    app.send("POST", "/logga-in", &headers, &body).await
}

async fn cookie_of(app: &TestApp, key: &str) -> String {
    let res = login(app, &format!("{key}@signin.test"), PASSWORD, None).await;
    assert_eq!(res.status, 303, "{}", res.body);
    res.session_cookie().unwrap()
}

async fn study_places(app: &TestApp, id: &str) -> Option<i64> {
    let all = app.db.store.learning_centres().await.unwrap();
    all.into_iter().find(|c| c.centre.id == id).and_then(|c| c.services).map(|s| s.study_places)
}

#[tokio::test]
async fn csrf_holds_for_every_authorization_scheme_but_a_valid_bearer_token() {
    for app in apps(false).await {
        let label = app.db.label;
        account(&app, "regional", Role::Regional, None).await;
        let cookie = cookie_of(&app, "regional").await;
        let page = "/larcentrum/lc-2422/andra";
        let api = "/api/v1/learning-centres/lc-2422/services";
        let json = |n: i64| format!(r#"{{"study_places": {n}, "exam_sittings": false, "video_rooms": 0, "study_guidance": false}}"#);
        let form_ct = ("content-type", "application/x-www-form-urlencoded");
        let json_ct = ("content-type", "application/json");
        let c = ("cookie", cookie.as_str());
        let before = study_places(&app, "lc-2422").await;

        // A proxy's Basic credentials plus the session cookie, no Origin: refused, nothing changed.
        let basic = ("authorization", "Basic dXNlcjpwYXNzd29yZA==");
        let res = app.send("POST", page, &[c, basic, form_ct], "study_places=7&video_rooms=0").await;
        assert_eq!(res.status, 403, "{label}: {}", res.body);
        let res = app.send("PUT", api, &[c, basic, json_ct], &json(7)).await;
        assert_eq!(res.status, 403, "{label}: {}", res.body);
        assert_eq!(study_places(&app, "lc-2422").await, before, "{label}: no change");
        // Any scheme name other than Bearer is no token, whatever its case.
        let res = app.send("PUT", api, &[c, ("authorization", "Digest username=\"x\""), json_ct], &json(7)).await;
        assert_eq!(res.status, 403, "{label}");
        // From kkig's own page the cookie counts, next to the proxy's Basic credentials.
        let same = ("sec-fetch-site", "same-origin");
        let res = app.send("POST", page, &[c, basic, form_ct, same], "study_places=8&video_rooms=0").await;
        assert_eq!(res.status, 200, "{label}: {}", res.body);
        assert_eq!(study_places(&app, "lc-2422").await, Some(8), "{label}");

        // An invalid bearer token next to a valid cookie: anonymous, never the cookie's user.
        let bad = ("authorization", "Bearer kkig_not_a_token");
        let res = app.send("PUT", api, &[c, bad, json_ct, same], &json(9)).await;
        assert_eq!(res.status, 401, "{label}: {}", res.body);
        let res = app.send("PUT", api, &[c, bad, json_ct], &json(9)).await;
        assert_eq!(res.status, 403, "{label}: an invalid token does not pass the CSRF guard");
        let res = app.send("POST", page, &[c, bad, form_ct, same], "study_places=9&video_rooms=0").await;
        assert_eq!(res.status, 303, "{label}: sent to the login page");
        assert!(location(&res).starts_with("/logga-in"), "{label}");
        let res = app.send("GET", "/api/v1/me", &[c, bad], "").await;
        assert_eq!(res.status, 401, "{label}: reads too");
        assert_eq!(study_places(&app, "lc-2422").await, Some(8), "{label}: no change");

        // A valid bearer token needs no Origin, with the scheme name in any case.
        let secret = token("regional");
        for scheme in ["Bearer", "bearer", "BEARER"] {
            let auth = format!("{scheme} {secret}");
            let res = app.send("PUT", api, &[("authorization", auth.as_str()), json_ct], &json(10)).await;
            assert_eq!(res.status, 204, "{label} {scheme}: {}", res.body);
            let me = app.send("GET", "/api/v1/me", &[("authorization", auth.as_str())], "").await;
            assert_eq!(me.json()["email"], "regional@signin.test", "{label} {scheme}");
        }
        assert_eq!(study_places(&app, "lc-2422").await, Some(10), "{label}");
        app.finish().await;
    }
}
