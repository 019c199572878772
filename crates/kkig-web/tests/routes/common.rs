//! What every route test uses: apps on each backend, requests with cookies or tokens, answers read whole.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use kkig_core::access::Role;
use kkig_core::demo::{DemoWorld, DEFAULT_SEED};
use kkig_core::privacy::hash_token;
use kkig_store::prelude::*;
use kkig_store::testing::TestDb;
use kkig_store::{Actor, NewUser, UserRecord};
use kkig_web::{app, AppState, WebConfig};
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub db: TestDb,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent (for binary downloads such as XLSX).
    pub bytes: Vec<u8>,
    /// On the answer of a write route: its op and whether the handler asked its access check.
    pub guard: Option<kkig_web::GuardReport>,
}

impl TestResponse {
    /// The whole answer of the router, body read.
    pub async fn read(res: axum::response::Response) -> TestResponse {
        let status = res.status();
        let headers = res.headers().clone();
        let guard = res.extensions().get::<kkig_web::GuardReport>().copied();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
            guard,
        }
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The session cookie set by this response, as `name=value`.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("kkig_session="))
            .map(|v| v.split(';').next().unwrap_or("").to_string())
    }
}

impl TestApp {
    /// A second web node on the same database (several nodes behind a load balancer).
    pub fn another_node(&self) -> Router {
        app(AppState::new(Arc::new(self.db.store.clone()), WebConfig::default()).unwrap())
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.request(&self.router, uri, None).await
    }

    pub async fn get_with_cookie(&self, uri: &str, cookie: &str) -> TestResponse {
        self.request(&self.router, uri, Some(cookie)).await
    }

    pub async fn request(&self, router: &Router, uri: &str, cookie: Option<&str>) -> TestResponse {
        let headers: Vec<(&str, &str)> = cookie.map(|c| vec![("cookie", c)]).unwrap_or_default();
        self.send_to(router, "GET", uri, &headers, "").await
    }

    /// Any request with the given headers and body.
    pub async fn send(&self, method: &str, uri: &str, headers: &[(&str, &str)], body: &str) -> TestResponse {
        self.send_to(&self.router, method, uri, headers, body).await
    }

    pub async fn send_to(
        &self,
        router: &Router,
        method: &str,
        uri: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> TestResponse {
        let mut req = Request::builder().method(method).uri(uri);
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

    pub async fn finish(self) {
        self.db.finish().await;
    }
}

/// One app per available backend, with reference data seeded and, if `demo`, the demo world.
pub async fn apps(demo: bool) -> Vec<TestApp> {
    // Errors the app logs (e.g. the store error behind a 503) show in a failing test's output.
    let _ = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::ERROR)
        .with_test_writer()
        .try_init();
    let reference = kkig_formats::reference::embedded().unwrap();
    let mut out = Vec::new();
    for db in TestDb::all().await {
        db.store.seed_reference(&reference).await.unwrap();
        if demo {
            db.store
                .load_demo(&DemoWorld::generate(DEFAULT_SEED, &reference))
                .await
                .unwrap();
        }
        let state = AppState::new(Arc::new(db.store.clone()), WebConfig::default()).unwrap();
        out.push(TestApp { router: app(state), db });
    }
    out
}

/// An app on a database of its own (e.g. a copy of another test's database).
pub fn app_on(db: TestDb) -> TestApp {
    let state = AppState::new(Arc::new(db.store.clone()), WebConfig::default()).unwrap();
    TestApp { router: app(state), db }
}

/// The first sheet of an XLSX download: its cells (row, column, value) and whether any cell
/// holds a formula.
pub fn xlsx_cells(bytes: &[u8]) -> (Vec<(u32, u32, calamine::Data)>, bool) {
    use calamine::{Reader, Xlsx};
    let mut wb = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an XLSX workbook");
    let name = wb.sheet_names().first().cloned().expect("a sheet");
    let range = wb.worksheet_range(&name).expect("a readable sheet");
    let cells = range
        .used_cells()
        .map(|(r, c, v)| (r as u32, c as u32, v.clone()))
        .collect();
    let formulas = wb.worksheet_formula(&name).expect("readable formulas");
    (cells, formulas.used_cells().any(|(_, _, f)| !f.is_empty()))
}

/// A value encoded for an `application/x-www-form-urlencoded` body.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A form body as a browser posts it.
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The `location` header of a redirect, or empty.
pub fn location(res: &TestResponse) -> String {
    res.headers
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// A GET with a bearer token (`None`: anonymous).
pub async fn get_as(app: &TestApp, token: Option<&str>, uri: &str) -> TestResponse {
    let auth = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = auth.as_deref().map(|a| vec![("authorization", a)]).unwrap_or_default();
    app.send("GET", uri, &headers, "").await
}

/// A form POST as the browser sends it from kkig's own pages, with a bearer token.
pub async fn post_form_as(app: &TestApp, token: &str, uri: &str, body: &str) -> TestResponse {
    let auth = format!("Bearer {token}");
    app.send(
        "POST",
        uri,
        &[
            ("authorization", auth.as_str()),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        body,
    )
    .await
}

/// One account per `(key, role, scope)` with an API token: e-mail `{key}@{domain}`, name
/// `Namn {key}`, bearer token `secret(key)`. The accounts by key.
pub async fn users_with_tokens(
    app: &TestApp,
    domain: &str,
    specs: &[(&'static str, Role, Option<&str>)],
    secret: impl Fn(&str) -> String,
) -> BTreeMap<&'static str, UserRecord> {
    let s = &app.db.store;
    let cli = Actor::cli();
    let mut out = BTreeMap::new();
    for &(key, role, scope) in specs {
        let u = s
            .create_user(
                &NewUser {
                    email: format!("{key}@{domain}"),
                    name: format!("Namn {key}"),
                    role,
                    scope: scope.map(String::from),
                },
                &cli,
            )
            .await
            .unwrap();
        s.create_api_token(
            &u.id,
            &format!("tok-{key}"),
            "test",
            &hash_token(&secret(key)),
            4_000_000_000,
            &cli,
        )
        .await
        .unwrap();
        out.insert(key, u);
    }
    out
}

/// The map drawn from municipal borders (`ui/map.html`) of a page, for a snapshot: the
/// `<figure>` with each path's data summed up as its number of rings and points.
pub fn map_section(html: &str) -> String {
    let start = html.find(r#"<figure class="map-figure">"#).expect("a map figure");
    let end = start + html[start..].find("</figure>").expect("the figure ends") + "</figure>".len();
    let mut out = String::new();
    let mut rest = &html[start..end];
    while let Some(i) = rest.find(" d=\"") {
        let (head, tail) = rest.split_at(i + 4);
        let close = tail.find('"').expect("the path data ends");
        let d = &tail[..close];
        let rings = d.matches('M').count();
        let points = rings + d.matches('L').count();
        out.push_str(head);
        out.push_str(&format!("[{rings} rings, {points} points]"));
        rest = &tail[close..];
    }
    out.push_str(rest);
    out
}
