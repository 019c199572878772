//! `kkig sync …` against local stand-ins for Kolada's, SCB's and Susa-navet's APIs started by
//! the test (no network): every page followed, a failing page retried, a page that keeps
//! failing half-way writes nothing, the PxWeb query asks for the region's municipalities, a
//! second offerings sync reads only the changes and the records they need, a running sync says
//! what it does, and `kkig serve` syncs on a schedule when asked.
mod common;
use common::{command, kkig, out};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use kkig_core::Kommunkod;
use kkig_store::prelude::*;
use kkig_store::SqlStore;

const PAGE1: &str = include_str!("../../kkig-formats/tests/fixtures/kolada-v3-page1.json");
const PAGE2: &str = include_str!("../../kkig-formats/tests/fixtures/kolada-v3-page2.json");

/// How the stand-in answers page 2.
#[derive(Clone, Copy)]
enum Page2 {
    Ok,
    /// 503 on the first request, then the page.
    FailsOnce,
    /// 500 every time.
    AlwaysFails,
}

#[derive(Clone)]
struct Stub {
    base: String,
    page2: Page2,
    page2_requests: Arc<AtomicUsize>,
}

async fn data(State(stub): State<Stub>, Query(q): Query<HashMap<String, String>>) -> Response {
    let json = |body: String| ([("content-type", "application/json")], body).into_response();
    match q.get("page").map(String::as_str) {
        None | Some("1") => {
            // the real page links to Kolada; the stand-in links to itself
            json(PAGE1.replace("https://api.kolada.se", &stub.base))
        }
        Some("2") => {
            let n = stub.page2_requests.fetch_add(1, Ordering::SeqCst);
            match (stub.page2, n) {
                (Page2::Ok, _) | (Page2::FailsOnce, 1..) => json(PAGE2.replace("https://api.kolada.se", &stub.base)),
                (Page2::FailsOnce, 0) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
                (Page2::AlwaysFails, _) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            }
        }
        Some(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Start the stand-in on a free port; returns the first page's URL and the page-2 counter.
fn serve(page2: Page2) -> (String, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let counter = Arc::new(AtomicUsize::new(0));
    let stub = Stub {
        base: base.clone(),
        page2,
        page2_requests: counter.clone(),
    };
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let app = Router::new()
                .route("/v3/data/kpi/{kpis}/municipality/{m}/year/{y}", get(data))
                .with_state(stub);
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    (
        format!("{base}/v3/data/kpi/N00914,N15030/municipality/2422/year/2022,2023"),
        counter,
    )
}

fn kolada_values(db: &str) -> usize {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let s = SqlStore::connect(db).await.unwrap();
        let n = s.kolada_values(Kommunkod::parse("2422").unwrap()).await.unwrap().len();
        s.close().await;
        n
    })
}

#[test]
fn sync_kolada_follows_next_url_and_retries() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kkig.db").display());
    let (url, page2) = serve(Page2::FailsOnce);
    let o = kkig(&db, &["sync", "kolada", &url]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("6 key-figure values imported from 2 page(s)"),
        "{}",
        out(&o)
    );
    assert!(
        out(&o).contains("HTTP 503 Service Unavailable; trying again"),
        "{}",
        out(&o)
    );
    assert_eq!(
        page2.load(Ordering::SeqCst),
        2,
        "page 2 was asked for again after the 503"
    );
    assert_eq!(kolada_values(&db), 6);
    let o = kkig(&db, &["sync", "status"]);
    assert!(
        out(&o).contains("kolada: ok at ") && out(&o).contains("6 key-figure values imported from 2 page(s)"),
        "{}",
        out(&o)
    );

    // Again: the same values, upserted.
    let (url, _) = serve(Page2::Ok);
    assert!(kkig(&db, &["sync", "kolada", &url]).status.success());
    assert_eq!(kolada_values(&db), 6);
}

#[test]
fn sync_kolada_that_fails_half_way_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kkig.db").display());
    let (url, page2) = serve(Page2::AlwaysFails);
    let o = kkig(&db, &["sync", "kolada", &url]);
    assert!(!o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("page 2; nothing was imported") && out(&o).contains("failed 3 times"),
        "{}",
        out(&o)
    );
    assert_eq!(page2.load(Ordering::SeqCst), 3);
    assert!(kkig(&db, &["migrate"]).status.success());
    assert_eq!(kolada_values(&db), 0);
    // the failed run is recorded, with why
    let o = kkig(&db, &["sync", "status"]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("kolada: FAILED at ")
            && out(&o).contains("failed 3 times")
            && out(&o).contains("last success: never"),
        "{}",
        out(&o)
    );

    // Only http(s) URLs are fetched: exit 2.
    let o = kkig(&db, &["sync", "kolada", "file:///etc/passwd"]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("only http and https URLs are fetched"), "{}", out(&o));
}

const TAB5557: &str = include_str!("../../kkig-formats/tests/fixtures/scb-tab5557-befolkning.json");

/// A PxWeb stand-in: keeps the query it was sent and answers with the TAB5557 fixture.
fn serve_pxweb() -> (String, Arc<std::sync::Mutex<Option<serde_json::Value>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen: Arc<std::sync::Mutex<Option<serde_json::Value>>> = Arc::default();
    let keep = seen.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let app = Router::new().route(
                "/OV0104/v1/doris/sv/ssd/BE/BE0101/BE0101A/BefolkningCKM",
                post(move |body: String| async move {
                    *keep.lock().unwrap() = serde_json::from_str(&body).ok();
                    ([("content-type", "application/json")], TAB5557)
                }),
            );
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    (
        format!("{base}/OV0104/v1/doris/sv/ssd/BE/BE0101/BE0101A/BefolkningCKM"),
        seen,
    )
}

#[test]
fn sync_population_posts_the_region_query_and_imports_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kkig.db").display());
    let (url, seen) = serve_pxweb();
    let o = kkig(&db, &["sync", "population", "--url", &url]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("14 observed population cells of 2 municipalities imported"),
        "{}",
        out(&o)
    );
    let q = seen.lock().unwrap().clone().expect("a JSON query was posted");
    assert_eq!(q["response"]["format"], "json-stat2");
    let part = |code: &str| {
        q["query"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == code)
            .unwrap_or_else(|| panic!("{code} in {q}"))
            .clone()
    };
    let regions = part("Region")["selection"]["values"].as_array().unwrap().clone();
    assert_eq!(regions.len(), 23, "the region's municipalities");
    assert!(regions.contains(&serde_json::json!("2422")));
    assert_eq!(
        part("Tid")["selection"],
        serde_json::json!({"filter": "top", "values": ["1"]})
    );
    assert_eq!(part("Alder")["selection"]["values"][100], "100+1");

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let cells = rt.block_on(async {
        let s = SqlStore::connect(&db).await.unwrap();
        let n = s
            .population_cells(Some(Kommunkod::parse("2422").unwrap()))
            .await
            .unwrap()
            .len();
        s.close().await;
        n
    });
    assert_eq!(cells, 7, "Sorsele: 7 ages of 2025");
}

const SUSA_PROVIDERS: &str = include_str!("../../kkig-formats/tests/fixtures/susa-emil3-providers.json");
const SUSA_INFOS: &str = include_str!("../../kkig-formats/tests/fixtures/susa-emil3-infos.json");
const SUSA_EVENTS: &str = include_str!("../../kkig-formats/tests/fixtures/susa-emil3-events.json");
/// The events changed after the full pages: one changed, one cancelled, one deleted.
const SUSA_EVENTS_UPDATED: &str = include_str!("../../kkig-formats/tests/fixtures/susa-emil3-events-updated.json");

/// The title the stand-in's `updatedSince` infos page gives LTU's teacher programme.
const NEW_TITLE: &str = "Grundlärarprogrammet F–3, distans";

/// A list page holding `records` of `list`, page 0 of 1.
fn list_page(list: &str, records: Vec<serde_json::Value>) -> String {
    serde_json::json!({
        "links": [],
        list: records,
        "page": {"size": 4, "totalElements": records.len(), "totalPages": 1, "pageNumber": 0}
    })
    .to_string()
}

/// The records of a fixture's list.
fn records(fixture: &str, list: &str) -> Vec<serde_json::Value> {
    let doc: serde_json::Value = serde_json::from_str(fixture).unwrap();
    doc[list].as_array().unwrap().clone()
}

/// An EMIL 3 stand-in. The full lists: providers and infos in one page, events split over two
/// pages; with `events_page_1_fails`, the second events page answers 500 every time. With
/// `updatedSince`: no providers, LTU's teacher programme renamed, and the changed, cancelled
/// and deleted events of the real-shaped page. One record at `{list}/{id}` as the full lists
/// hold it (404 for an id they do not hold).
fn serve_susa(events_page_1_fails: bool) -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
    serve_susa_with(events_page_1_fails, std::time::Duration::ZERO)
}

/// [`serve_susa`], answering the second events page after `delay`.
fn serve_susa_with(
    events_page_1_fails: bool,
    delay: std::time::Duration,
) -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let asked: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
    let (log, log_one) = (asked.clone(), asked.clone());
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let list = move |axum::extract::Path(list): axum::extract::Path<String>,
                             axum::extract::RawQuery(q): axum::extract::RawQuery| async move {
                let q = q.unwrap_or_default();
                log.lock().unwrap().push(format!("{list}?{q}"));
                let page: usize = q
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("page="))
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(0);
                let changes = q.contains("updatedSince=");
                let body = match (list.as_str(), changes) {
                    ("educationProviders", false) => SUSA_PROVIDERS.to_string(),
                    ("educationProviders", true) => list_page(&list, Vec::new()),
                    ("educationInfos", false) => SUSA_INFOS.to_string(),
                    ("educationInfos", true) => {
                        let mut info = records(SUSA_INFOS, &list)
                            .into_iter()
                            .find(|r| r["id"] == "i.uoh.ltu.ggf3.20262")
                            .unwrap();
                        info["content"]["title"]["strings"][0]["value"] = NEW_TITLE.into();
                        list_page(&list, vec![info])
                    }
                    ("educationEvents", true) => SUSA_EVENTS_UPDATED.to_string(),
                    ("educationEvents", false) => {
                        if page == 1 && events_page_1_fails {
                            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
                        }
                        if page == 1 {
                            tokio::time::sleep(delay).await;
                        }
                        let mut doc: serde_json::Value = serde_json::from_str(SUSA_EVENTS).unwrap();
                        let all = doc["educationEvents"].as_array().unwrap().clone();
                        let part: Vec<_> = if page == 0 {
                            all[..4].to_vec()
                        } else {
                            all[4..].to_vec()
                        };
                        doc["educationEvents"] = serde_json::Value::Array(part);
                        doc["page"]["totalPages"] = 2.into();
                        doc["page"]["pageNumber"] = page.into();
                        doc.to_string()
                    }
                    _ => return StatusCode::NOT_FOUND.into_response(),
                };
                ([("content-type", "application/json")], body).into_response()
            };
            let one = move |axum::extract::Path((list, id)): axum::extract::Path<(String, String)>| async move {
                log_one.lock().unwrap().push(format!("{list}/{id}"));
                let fixture = match list.as_str() {
                    "educationProviders" => SUSA_PROVIDERS,
                    "educationInfos" => SUSA_INFOS,
                    "educationEvents" => SUSA_EVENTS,
                    _ => return StatusCode::NOT_FOUND.into_response(),
                };
                match records(fixture, &list).into_iter().find(|r| r["id"] == id.as_str()) {
                    Some(r) => ([("content-type", "application/json")], r.to_string()).into_response(),
                    None => StatusCode::NOT_FOUND.into_response(),
                }
            };
            let app = Router::new()
                .route("/susa-navet/emil3/{list}", get(list))
                .route("/susa-navet/emil3/{list}/{id}", get(one));
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    (format!("{base}/susa-navet/emil3"), asked)
}

/// The offerings stored, by id, with their titles.
fn stored(db: &str) -> Vec<(String, String)> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let s = SqlStore::connect(db).await.unwrap();
        let mut o: Vec<_> = s
            .offerings()
            .await
            .unwrap()
            .into_iter()
            .map(|o| (o.id, o.title))
            .collect();
        s.close().await;
        o.sort();
        o
    })
}

fn offerings(db: &str) -> usize {
    stored(db).len()
}

/// When offerings last synced successfully (unix seconds).
fn last_ok(db: &str) -> i64 {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let s = SqlStore::connect(db).await.unwrap();
        let runs = s.sync_runs().await.unwrap();
        s.close().await;
        runs.iter()
            .find(|r| r.source == "offerings")
            .unwrap()
            .last_ok_at
            .unwrap()
    })
}

#[test]
fn sync_offerings_reads_every_page_of_every_list() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kkig.db").display());
    let (url, asked) = serve_susa(false);
    let o = kkig(&db, &["sync", "offerings", "--url", &url, "--size", "4"]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains(": 7 created, 0 updated, 0 unchanged, 0 removed, 0 rejected"),
        "{}",
        out(&o)
    );
    let asked = asked.lock().unwrap().clone();
    assert_eq!(
        asked,
        [
            "educationProviders?schoolType=HS&schoolType=YH&page=0&size=4",
            "educationInfos?schoolType=HS&schoolType=YH&page=0&size=4",
            "educationEvents?schoolType=HS&schoolType=YH&page=0&size=4",
            "educationEvents?schoolType=HS&schoolType=YH&page=1&size=4",
        ]
    );
    assert_eq!(offerings(&db), 7);
}

#[test]
fn sync_offerings_with_a_page_failing_half_way_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kkig.db").display());
    let (url, _) = serve_susa(true);
    let o = kkig(&db, &["sync", "offerings", "--url", &url]);
    assert!(!o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("educationEvents page 1; nothing was imported"),
        "{}",
        out(&o)
    );
    assert!(kkig(&db, &["migrate"]).status.success());
    assert_eq!(offerings(&db), 0);
}

#[test]
fn sync_offerings_after_a_success_reads_the_changes_and_what_they_need() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kkig.db").display());
    let (url, asked) = serve_susa(false);
    let o = kkig(&db, &["sync", "offerings", "--url", &url, "--size", "4"]);
    assert!(o.status.success(), "{}", out(&o));
    asked.lock().unwrap().clear();
    // A day's overlap before the last success.
    let since = time::OffsetDateTime::from_unix_timestamp(last_ok(&db) - 86_400).unwrap();
    let since = format!(
        "{:04}-{:02}-{:02}T{:02}%3A{:02}%3A{:02}",
        since.year(),
        u8::from(since.month()),
        since.day(),
        since.hour(),
        since.minute(),
        since.second()
    );

    let o = kkig(&db, &["sync", "offerings", "--url", &url, "--size", "4"]);
    assert!(o.status.success(), "{}", out(&o));
    // Lycksele's start changed and LTU's programme renamed (Luleå updated; Kiruna, fetched as
    // it was, is deleted on the later page); Östersund cancelled.
    assert!(
        out(&o).contains(" (changes since ")
            && out(&o).contains(": 0 created, 2 updated, 0 unchanged, 2 removed, 0 rejected"),
        "{}",
        out(&o)
    );
    let list = |l: &str| format!("{l}?schoolType=HS&schoolType=YH&updatedSince={since}&page=0&size=4");
    assert_eq!(
        asked.lock().unwrap().clone(),
        [
            list("educationProviders"),
            list("educationInfos"),
            list("educationEvents"),
            // The stored events of the renamed programme, which the pages do not hold.
            "educationEvents/e.uoh.ltu.ggf3.kiruna.20262".into(),
            "educationEvents/e.uoh.ltu.ggf3.lulea.20262".into(),
            // The info and providers of changed events that the pages do not hold.
            "educationInfos/i.uoh.umu.vasjp.20262".into(),
            "educationProviders/p.uoh.ltu".into(),
            "educationProviders/p.uoh.umu".into(),
        ]
    );
    let now = stored(&db);
    let ids: Vec<&str> = now.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "e.uoh.ltu.ggf3.lulea.20262",
            "e.uoh.umu.7vf001.20262",
            "e.uoh.umu.sasop.distans.20262",
            "e.uoh.umu.vasjp.lycksele.20262",
            "e.uoh.umu.vasjp.umea.20262",
        ]
    );
    assert_eq!(now[0].1, NEW_TITLE);

    // --full reads the full lists again; --since a time of the caller's.
    asked.lock().unwrap().clear();
    let o = kkig(&db, &["sync", "offerings", "--url", &url, "--size", "4", "--full"]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(asked.lock().unwrap().iter().all(|a| !a.contains("updatedSince")));
    asked.lock().unwrap().clear();
    let o = kkig(&db, &["sync", "offerings", "--url", &url, "--since", "2026-04-20"]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(asked.lock().unwrap()[0].contains("updatedSince=2026-04-20&"));
    let o = kkig(&db, &["sync", "offerings", "--url", &url, "--since", "20.4.2026"]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(
        out(&o).contains("--since \"20.4.2026\": expected a date"),
        "{}",
        out(&o)
    );
}

#[test]
fn serve_syncs_on_a_schedule_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kkig.db").display());
    let (url, asked) = serve_susa(false);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = command(&db, &["serve", "--addr", &addr])
        .args(["--sync-every", "24", "--sync", "offerings", "--sync-susa-url", &url])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Never synced: due at once.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut synced = false;
    while std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(300));
        let status = kkig(&db, &["sync", "status"]);
        if out(&status).contains("offerings: ok at") {
            synced = true;
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(synced, "no sync recorded; asked: {:?}", asked.lock().unwrap());
    assert_eq!(offerings(&db), 7);
    // The schedule asks with the defaults of `kkig sync offerings`.
    assert_eq!(
        asked.lock().unwrap()[0],
        "educationProviders?schoolType=HS&schoolType=YH&page=0&size=500"
    );
}

#[test]
fn a_schedule_that_cannot_run_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kkig.db").display());
    for (args, says) in [
        (&["--sync", "offerings"][..], "give --sync-every HOURS too"),
        (
            &["--sync-every", "6", "--sync", "kolada"][..],
            "--sync kolada needs --sync-kolada-url URL",
        ),
    ] {
        let mut all = vec!["serve", "--addr", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let o = kkig(&db, &all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", out(&o));
        assert!(out(&o).contains(says), "{args:?}: {}", out(&o));
    }
    let o = kkig(&db, &["serve", "--sync-every", "0"]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
}

#[test]
fn a_running_sync_says_what_it_does() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kkig.db").display());
    assert!(kkig(&db, &["migrate"]).status.success());
    let (url, _) = serve_susa_with(false, std::time::Duration::from_secs(5));
    let mut child = command(&db, &["sync", "offerings", "--url", &url, "--size", "4"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let mut seen = String::new();
    while std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
        seen = out(&kkig(&db, &["sync", "status"]));
        if seen.contains("offerings: running since") && seen.contains("educationEvents page 1 of 2: 4 records") {
            break;
        }
    }
    assert!(child.wait().unwrap().success());
    assert!(seen.contains("offerings: running since"), "{seen}");
    assert!(seen.contains("educationEvents page 1 of 2: 4 records"), "{seen}");
    let after = out(&kkig(&db, &["sync", "status"]));
    assert!(
        after.contains("offerings: ok at") && !after.contains("running"),
        "{after}"
    );
}
