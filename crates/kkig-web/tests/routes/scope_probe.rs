//! The scope probe (issue 12): every write route of the router, page and API, tried as every
//! role against the records of another municipality (B: Pajala, 2521) and university (B: UmU).
//! Whoever the rule book refuses changes nothing in the database and reads no personal data of
//! B in the answer. Pages are also tried through the attacker's own path (`/vfu/kommun/2422/…`
//! with B's record id).
//!
//! The routes come from `kkig_web::route_table()`: a new write route is probed without being
//! named, and the probe fails until it knows a request for it that works for its owner — the
//! positive control (SQLite, on a copy of the database per route): the same request by B's
//! owner succeeds, asks the route's declared check and changes the database. On SQLite and
//! PostgreSQL.

use std::collections::{BTreeMap, BTreeSet};

use kkig_core::access::{Action, Principal, Role, Target, TargetKind};
use kkig_core::ids::{PersonId, StudentId, SupervisorId};
use kkig_core::Kommunkod;
use kkig_store::{Actor, ForecastStore, UserRecord};
use kkig_web::guard::Check;
use kkig_web::{route_table, GuardReport, Op, RouteInfo, Surface};
use serde_json::{json, Value};

use crate::common::{apps, form, users_with_tokens, TestApp, TestResponse};
use kkig_store::prelude::*;

const A: &str = "2422";
const B: &str = "2521";

/// The principals, by key: (role, scope).
const PRINCIPALS: [(&str, Role, Option<&str>); 11] = [
    ("admin", Role::Admin, None),
    ("regional", Role::Regional, None),
    ("muni_a", Role::Municipality, Some(A)),
    ("muni_b", Role::Municipality, Some(B)),
    ("uni_a", Role::University, Some("LTU")),
    ("uni_b", Role::University, Some("UmU")),
    ("provider", Role::Provider, Some("yh-norr")),
    ("sup_a", Role::Supervisor, None),
    ("sup_b", Role::Supervisor, None),
    ("stu_a", Role::Student, None),
    ("stu_b", Role::Student, None),
];

fn secret(key: &str) -> String {
    format!("kkig_{key}_probe_secret")
}

/// B's records (and A's, so that A's principals have records of their own).
struct Fixture {
    users: BTreeMap<&'static str, UserRecord>,
    sup_b: String,
    sup_b_spare: String,
    con_b: String,
    stu_b: String,
    stu_b_spare: String,
    stu_b_alloc: String,
    stu_b_placed: String,
    pl_b: String,
    lc_b: String,
    cluster: String,
    /// Personal data of B's persons, with the principal it belongs to (shown to them, say in
    /// the page header), if any.
    personal: Vec<(String, Option<&'static str>)>,
}

/// The term and dates of B's periods: far enough ahead that students' wishes are open.
const TERM: &str = "HT2030";

fn site_body(id: &str, municipality: &str, name: &str) -> Value {
    json!({"id": id, "municipality": municipality, "name": name, "kind": "school", "address": "Skolgatan 1",
           "fields": ["teacher_f3:svenska,matematik", "teacher_4_6"]})
}

fn supervisor_body(email: &str, name: &str, municipality: &str, site: &str) -> Value {
    json!({"email": email, "name": name, "phone": "070-555 12 34", "municipality": municipality, "site_id": site,
           "fields": "teacher_f3", "employment_percent": 100, "training": "completed", "training_date": "2025-05-01",
           "training_university": "UmU", "students_per_period": 2, "consent_contact": false})
}

fn period_body(id: &str, university: &str) -> Value {
    json!({"id": id, "university": university, "programme": "Grundlärarprogrammet F–3", "course_code": "6PE123",
           "start": "2030-09-09", "end": "2030-10-11", "field": "teacher_f3", "students": 10})
}

fn student_body(period: &str, email: &str, name: &str, home: &str, wish: &str) -> Value {
    json!({"period_id": period, "email": email, "name": name, "home_municipality": home, "wishes": [wish],
           "subjects": ["svenska"], "registerutdrag": "2030-06-01"})
}

async fn send(app: &TestApp, who: Option<&str>, method: &str, uri: &str, body: &str, json: bool) -> TestResponse {
    let auth = who.map(|k| format!("Bearer {}", secret(k)));
    let ct = if json {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    };
    let mut headers = vec![("content-type", ct)];
    if let Some(a) = &auth {
        headers.push(("authorization", a.as_str()));
    }
    app.send(method, uri, &headers, body).await
}

async fn ok(app: &TestApp, who: &str, method: &str, uri: &str, body: Value) -> Value {
    let res = send(app, Some(who), method, uri, &body.to_string(), true).await;
    assert!(
        res.status.is_success(),
        "{} fixture: {method} {uri} as {who}: {} {}",
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

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_string()
}

async fn fixture(app: &TestApp) -> Fixture {
    let users = users_with_tokens(app, "probe.test", &PRINCIPALS, secret).await;
    let s = &app.db.store;
    let name = |k: &str| format!("Namn {k}");
    let email = |k: &str| format!("{k}@probe.test");
    for (m, site) in [(A, "site-a"), (B, "site-b"), (B, "site-b-spare")] {
        ok(
            app,
            "admin",
            "POST",
            "/api/v1/vfu/sites",
            site_body(site, m, &format!("Skolan {site}")),
        )
        .await;
    }
    let hosting = json!({"interest": "yes", "capacity": 3});
    ok(
        app,
        "admin",
        "PUT",
        &format!("/api/v1/vfu/sites/site-b/interest/{TERM}"),
        hosting.clone(),
    )
    .await;
    ok(
        app,
        "admin",
        "PUT",
        &format!("/api/v1/vfu/sites/site-a/interest/{TERM}"),
        hosting,
    )
    .await;
    // The supervisor and student accounts are the persons of the registry's records.
    let sup_a = id(&ok(
        app,
        "admin",
        "POST",
        "/api/v1/vfu/supervisors",
        supervisor_body(&email("sup_a"), &name("sup_a"), A, "site-a"),
    )
    .await);
    let sup_b = id(&ok(
        app,
        "admin",
        "POST",
        "/api/v1/vfu/supervisors",
        supervisor_body(&email("sup_b"), &name("sup_b"), B, "site-b"),
    )
    .await);
    let sup_b_spare = id(&ok(
        app,
        "admin",
        "POST",
        "/api/v1/vfu/supervisors",
        supervisor_body("berit@pajala.test", "Berit Bsson", B, "site-b"),
    )
    .await);
    let contact = json!({"role": "municipal_coordinator", "name": "Kim Kontakt", "email": "kim@pajala.test", "phone": "070-777 88 99", "title": "VFU-samordnare"});
    let con_b = id(&ok(
        app,
        "admin",
        "POST",
        &format!("/api/v1/vfu/municipalities/{B}/contacts"),
        contact,
    )
    .await);
    for (p, uni) in [
        ("per-a", "LTU"),
        ("per-b", "UmU"),
        ("per-b-empty", "UmU"),
        ("per-b-alloc", "UmU"),
    ] {
        ok(app, "admin", "POST", "/api/v1/vfu/periods", period_body(p, uni)).await;
    }
    let stu_a = id(&ok(
        app,
        "admin",
        "POST",
        "/api/v1/vfu/students",
        student_body("per-a", &email("stu_a"), &name("stu_a"), A, "site-a"),
    )
    .await);
    let stu_b = id(&ok(
        app,
        "admin",
        "POST",
        "/api/v1/vfu/students",
        student_body("per-b", &email("stu_b"), &name("stu_b"), B, "site-b"),
    )
    .await);
    let stu_b_spare = id(&ok(
        app,
        "admin",
        "POST",
        "/api/v1/vfu/students",
        student_body("per-b", "bo@student.test", "Bo Bstudent", B, "site-b"),
    )
    .await);
    let stu_b_alloc = id(&ok(
        app,
        "admin",
        "POST",
        "/api/v1/vfu/students",
        student_body("per-b-alloc", "britt@student.test", "Britt Bstudent", B, "site-b"),
    )
    .await);
    ok(
        app,
        "admin",
        "POST",
        "/api/v1/vfu/placements",
        json!({"student_id": stu_a, "site_id": "site-a", "supervisor_id": sup_a}),
    )
    .await;
    // Placed: a student of B without an account (B's student account keeps its wishes open).
    let stu_b_placed = id(&ok(
        app,
        "admin",
        "POST",
        "/api/v1/vfu/students",
        student_body("per-b", "bertil@student.test", "Bertil Bstudent", B, "site-b"),
    )
    .await);
    let pl_b = id(&ok(
        app,
        "admin",
        "POST",
        "/api/v1/vfu/placements",
        json!({"student_id": stu_b_placed, "site_id": "site-b", "supervisor_id": sup_b}),
    )
    .await);
    ok(
        app,
        "admin",
        "PUT",
        &format!("/api/v1/vfu/periods/per-b-alloc/allocation/locks/{stu_b_alloc}"),
        json!({"site": "site-b", "reason": "Nära hemmet"}),
    )
    .await;
    // An adapted RACI matrix of B, so that resetting it changes something.
    let raci = ok(
        app,
        "admin",
        "GET",
        &format!("/api/v1/vfu/municipalities/{B}/raci"),
        Value::Null,
    )
    .await;
    ok(
        app,
        "admin",
        "PUT",
        &format!("/api/v1/vfu/municipalities/{B}/raci/teacher"),
        json!({"rows": swapped_raci(&raci)}),
    )
    .await;
    let lc_b = s
        .learning_centres()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.centre.municipality.to_string() == B)
        .unwrap()
        .centre
        .id;
    let cluster = s
        .create_forecast_cluster(
            "Probe",
            &[Kommunkod::parse(B).unwrap(), Kommunkod::parse(A).unwrap()],
            &Actor::cli(),
        )
        .await
        .unwrap()
        .id;
    let personal = vec![
        (name("sup_b"), Some("sup_b")),
        (email("sup_b"), Some("sup_b")),
        (name("stu_b"), Some("stu_b")),
        (email("stu_b"), Some("stu_b")),
        ("Berit Bsson".into(), None),
        ("berit@pajala.test".into(), None),
        ("070-555 12 34".into(), None),
        ("Bo Bstudent".into(), None),
        ("bo@student.test".into(), None),
        ("Britt Bstudent".into(), None),
        ("Bertil Bstudent".into(), None),
        ("bertil@student.test".into(), None),
        ("britt@student.test".into(), None),
    ];
    Fixture {
        users,
        sup_b,
        sup_b_spare,
        con_b,
        stu_b,
        stu_b_spare,
        stu_b_alloc,
        stu_b_placed,
        pl_b,
        lc_b,
        cluster,
        personal,
    }
}

/// The teacher matrix of a municipality (as GET returns it) with the capacity task moved from
/// the unit to the manager.
fn swapped_raci(all: &Value) -> Value {
    let teacher = all
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["programme"] == "teacher")
        .unwrap();
    let mut rows = teacher["rows"].clone();
    let row = rows
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["task"] == "confirm_capacity")
        .unwrap();
    let (u, m) = (
        row["cells"]["unit_responsible"].clone(),
        row["cells"]["manager"].clone(),
    );
    row["cells"]["unit_responsible"] = m;
    row["cells"]["manager"] = u;
    rows
}

/// One probe of a write route: the request that B's owner may make, who that owner is, and
/// what the rule book is asked about it.
struct Probe {
    path: String,
    body: String,
    json: bool,
    owner: &'static str,
    /// Whether the owner's request changes the database (a run of the allocation does not).
    changes: bool,
}

fn api(path: String, body: Value, owner: &'static str) -> Probe {
    Probe {
        path,
        body: if body.is_null() {
            String::new()
        } else {
            body.to_string()
        },
        json: true,
        owner,
        changes: true,
    }
}

fn page(path: String, pairs: &[(&str, &str)], owner: &'static str) -> Probe {
    Probe {
        path,
        body: form(pairs),
        json: false,
        owner,
        changes: true,
    }
}

/// The request for a write route against B's records. Panics for a route it does not know,
/// so that a new write route cannot go unprobed.
async fn probe_for(app: &TestApp, fx: &Fixture, r: &RouteInfo) -> Option<Probe> {
    let (sup_b, sup_spare, con_b, stu_b, stu_spare, stu_alloc, pl_b) = (
        &fx.sup_b,
        &fx.sup_b_spare,
        &fx.con_b,
        &fx.stu_b,
        &fx.stu_b_spare,
        &fx.stu_b_alloc,
        &fx.pl_b,
    );
    let token_b = "tok-stu_b";
    let k = format!("/vfu/kommun/{B}");
    let alloc = "/vfu/larosate/UmU/perioder/per-b-alloc/fordelning";
    let site_pairs = [
        ("name", "Nya skolan"),
        ("kind", "school"),
        ("field_teacher_f3", "1"),
        ("address", "Storgatan 2"),
    ];
    let sup_pairs = [
        ("email", "ny.handledare@pajala.test"),
        ("name", "Nils Ny"),
        ("site_id", "site-b"),
        ("field_teacher_f3", "1"),
        ("employment_percent", "100"),
        ("training", "none"),
        ("students_per_period", "1"),
    ];
    let period_pairs = [
        ("programme", "Grundlärare F-3"),
        ("course_code", "GL9"),
        ("field", "teacher_f3"),
        ("start", "2030-09-09"),
        ("end", "2030-10-11"),
        ("students", "5"),
    ];
    let rules = [
        ("max_travel_minutes", "120"),
        ("road_factor", "1,4"),
        ("speed_kmh", "75"),
        ("home_municipality_bonus", "30"),
        ("preference_bonus_1", "60"),
        ("preference_bonus_2", "40"),
        ("preference_bonus_3", "20"),
        ("move_penalty", "90"),
        ("unplaced_penalty", "1000"),
    ];
    let p = match (r.method, r.path.as_str()) {
        // Not anybody's record: a password, a secret link, one's own session or a new token of
        // one's own. Nothing of B's to probe.
        (_, "/logga-in" | "/logga-ut" | "/losenord/{secret}" | "/konto/nycklar") => return None,
        ("POST", "/konto/nycklar/{id}/aterkalla") => page(format!("/konto/nycklar/{token_b}/aterkalla"), &[], "stu_b"),
        ("DELETE", "/api/v1/me/tokens/{id}") => api(format!("/api/v1/me/tokens/{token_b}"), Value::Null, "stu_b"),
        ("POST", "/admin/anvandare/{id}/losenordslank") => page(format!("/admin/anvandare/{}/losenordslank", fx.users["stu_b"].id), &[], "admin"),
        ("POST", "/admin/anvandare/{id}/{what}") => page(format!("/admin/anvandare/{}/inaktivera", fx.users["stu_b"].id), &[], "admin"),
        ("POST", "/larcentrum/{id}/andra") => page(format!("/larcentrum/{}/andra", fx.lc_b), &[("study_places", "7"), ("video_rooms", "2"), ("exam_sittings", "1")], "muni_b"),
        ("PUT", "/api/v1/learning-centres/{id}/services") => api(
            format!("/api/v1/learning-centres/{}/services", fx.lc_b),
            json!({"study_places": 7, "exam_sittings": true, "video_rooms": 2, "study_guidance": false}),
            "muni_b",
        ),
        // VFU: the municipality's records.
        ("POST", "/api/v1/vfu/sites") => api("/api/v1/vfu/sites".into(), site_body("", B, "Nya skolan"), "muni_b"),
        ("PUT", "/api/v1/vfu/sites/{id}") => api("/api/v1/vfu/sites/site-b".into(), site_body("site-b", B, "Skolan, norra"), "muni_b"),
        ("DELETE", "/api/v1/vfu/sites/{id}") => api("/api/v1/vfu/sites/site-b-spare".into(), Value::Null, "muni_b"),
        ("PUT", "/api/v1/vfu/sites/{id}/interest/{term}") => api(format!("/api/v1/vfu/sites/site-b/interest/{TERM}"), json!({"interest": "maybe", "capacity": 1}), "muni_b"),
        ("DELETE", "/api/v1/vfu/sites/{id}/interest/{term}") => api(format!("/api/v1/vfu/sites/site-b/interest/{TERM}"), Value::Null, "muni_b"),
        ("POST", "/api/v1/vfu/supervisors") => api("/api/v1/vfu/supervisors".into(), supervisor_body("ny.handledare@pajala.test", "Nils Ny", B, "site-b"), "muni_b"),
        ("PUT", "/api/v1/vfu/supervisors/{id}") => {
            let mut b = supervisor_body("berit@pajala.test", "Berit Bsson", B, "site-b");
            b["students_per_period"] = json!(1);
            api(format!("/api/v1/vfu/supervisors/{sup_spare}"), b, "muni_b")
        }
        ("DELETE", "/api/v1/vfu/supervisors/{id}") => api(format!("/api/v1/vfu/supervisors/{sup_spare}"), Value::Null, "muni_b"),
        ("POST", "/api/v1/vfu/supervisors/{id}/invite") => api(format!("/api/v1/vfu/supervisors/{sup_spare}/invite"), json!({"status": "invited"}), "muni_b"),
        ("PUT", "/api/v1/vfu/municipalities/{code}/raci/{programme}") => {
            let raci = ok(app, "admin", "GET", &format!("/api/v1/vfu/municipalities/{B}/raci"), Value::Null).await;
            api(format!("/api/v1/vfu/municipalities/{B}/raci/teacher"), json!({"rows": swapped_raci(&raci)}), "muni_b")
        }
        ("DELETE", "/api/v1/vfu/municipalities/{code}/raci/{programme}") => api(format!("/api/v1/vfu/municipalities/{B}/raci/teacher"), Value::Null, "muni_b"),
        ("POST", "/api/v1/vfu/municipalities/{code}/contacts") => api(
            format!("/api/v1/vfu/municipalities/{B}/contacts"),
            json!({"role": "unit_responsible", "name": "Nora Ny", "email": "nora@pajala.test", "title": "Rektor"}),
            "muni_b",
        ),
        ("PUT", "/api/v1/vfu/contacts/{id}") => api(
            format!("/api/v1/vfu/contacts/{con_b}"),
            json!({"role": "municipal_coordinator", "name": "Kim Kontakt", "email": "kim@pajala.test", "phone": "070-777 88 99", "title": "Samordnare"}),
            "muni_b",
        ),
        ("DELETE", "/api/v1/vfu/contacts/{id}") => api(format!("/api/v1/vfu/contacts/{con_b}"), Value::Null, "muni_b"),
        // VFU: the university's records.
        ("POST", "/api/v1/vfu/periods") => api("/api/v1/vfu/periods".into(), period_body("", "UmU"), "uni_b"),
        ("PUT", "/api/v1/vfu/periods/{id}") => {
            let mut b = period_body("per-b-empty", "UmU");
            b["students"] = json!(12);
            api("/api/v1/vfu/periods/per-b-empty".into(), b, "uni_b")
        }
        ("DELETE", "/api/v1/vfu/periods/{id}") => api("/api/v1/vfu/periods/per-b-empty".into(), Value::Null, "uni_b"),
        ("POST", "/api/v1/vfu/students") => api("/api/v1/vfu/students".into(), student_body("per-b", "ny.student@student.test", "Ny Student", B, "site-b"), "uni_b"),
        ("PUT", "/api/v1/vfu/students/{id}") => {
            api(format!("/api/v1/vfu/students/{stu_spare}"), student_body("per-b", "bo@student.test", "Bo Bstudent", B, "2521"), "uni_b")
        }
        ("DELETE", "/api/v1/vfu/students/{id}") => api(format!("/api/v1/vfu/students/{stu_spare}"), Value::Null, "uni_b"),
        ("PUT", "/api/v1/vfu/me/students/{id}/wishes") => api(format!("/api/v1/vfu/me/students/{stu_b}/wishes"), json!({"wishes": ["2521"]}), "stu_b"),
        ("POST", "/api/v1/vfu/placements") => api("/api/v1/vfu/placements".into(), json!({"student_id": stu_spare, "site_id": "site-b"}), "uni_b"),
        ("PUT", "/api/v1/vfu/placements/{id}") => api(format!("/api/v1/vfu/placements/{pl_b}"), json!({"note": "Buss 12"}), "uni_b"),
        ("DELETE", "/api/v1/vfu/placements/{id}") => api(format!("/api/v1/vfu/placements/{pl_b}"), Value::Null, "uni_b"),
        ("POST", "/api/v1/vfu/placements/{id}/transition") => api(format!("/api/v1/vfu/placements/{pl_b}/transition"), json!({"to": "offered"}), "uni_b"),
        // Allocation.
        ("PUT", "/api/v1/vfu/universities/{id}/allocation-rules") => {
            let mut rules = ok(app, "admin", "GET", "/api/v1/vfu/universities/UmU/allocation-rules", Value::Null).await;
            rules["max_travel_minutes"] = json!(150);
            api("/api/v1/vfu/universities/UmU/allocation-rules".into(), rules, "uni_b")
        }
        ("POST", "/api/v1/vfu/periods/{id}/allocation") => {
            Probe { changes: false, ..api("/api/v1/vfu/periods/per-b-alloc/allocation".into(), Value::Null, "uni_b") }
        }
        ("PUT", "/api/v1/vfu/periods/{id}/allocation/locks/{student}") => {
            api(format!("/api/v1/vfu/periods/per-b-alloc/allocation/locks/{stu_alloc}"), json!({"site": "site-b", "reason": "Annat skäl"}), "uni_b")
        }
        ("DELETE", "/api/v1/vfu/periods/{id}/allocation/locks/{student}") => {
            api(format!("/api/v1/vfu/periods/per-b-alloc/allocation/locks/{stu_alloc}?reason=Klart"), Value::Null, "uni_b")
        }
        ("POST", "/api/v1/vfu/periods/{id}/allocation/publish") => api("/api/v1/vfu/periods/per-b-alloc/allocation/publish".into(), Value::Null, "uni_b"),
        // Forecast.
        ("PUT", "/api/v1/forecast/{code}/{ssyk}/input") => api(
            format!("/api/v1/forecast/{B}/2341/input"),
            json!({"base_year": 2026, "staff_by_age": {"45": 2, "30": 1.5}, "vacancies": 1, "completion_share": 0.8}),
            "muni_b",
        ),
        ("POST", "/prognos/kommun/{code}/{ssyk}") => page(
            format!("/prognos/kommun/{B}/2341"),
            &[("base_year", "2026"), ("staff", "45;2\n30;1,5"), ("vacancies", "1"), ("completion_share", "0,8"), ("retirement_age", "66"),
              ("exit_rate", "0,05"), ("entry_age", "30"), ("retention", "0,5")],
            "muni_b",
        ),
        ("POST", "/prognos/kluster") => page("/prognos/kluster".into(), &[("name", "Tornedalen"), ("members", B), ("members", "2584")], "regional"),
        ("POST", "/prognos/kluster/{id}/ta-bort") => page(format!("/prognos/kluster/{}/ta-bort", fx.cluster), &[], "regional"),
        // VFU pages of the municipality.
        ("POST", "/vfu/min/{id}/onskemal") => page(format!("/vfu/min/{stu_b}/onskemal"), &[("wish1", "site-b"), ("wish2", B)], "stu_b"),
        ("POST", "/vfu/kommun/{kod}/vem-gor-vad/andra") => {
            let raci = ok(app, "admin", "GET", &format!("/api/v1/vfu/municipalities/{B}/raci"), Value::Null).await;
            let mut pairs = vec![("program".to_string(), "teacher".to_string())];
            for row in swapped_raci(&raci).as_array().unwrap() {
                for (role, cell) in row["cells"].as_object().unwrap() {
                    pairs.push((format!("c-{}-{role}", row["task"].as_str().unwrap()), cell.as_str().unwrap().to_string()));
                }
            }
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            page(format!("{k}/vem-gor-vad/andra"), &pairs, "muni_b")
        }
        ("POST", "/vfu/kommun/{kod}/vem-gor-vad/standard") => page(format!("{k}/vem-gor-vad/standard"), &[("program", "teacher")], "muni_b"),
        ("POST", "/vfu/kommun/{kod}/kontakter") => page(
            format!("{k}/kontakter"),
            &[("role", "unit_responsible"), ("programme", "teacher"), ("name", "Nora Ny"), ("email", "nora@pajala.test"), ("title", "Rektor")],
            "muni_b",
        ),
        ("POST", "/vfu/kommun/{kod}/kontakter/{id}") => page(
            format!("{k}/kontakter/{con_b}"),
            &[("role", "manager"), ("programme", ""), ("name", "Kim Kontakt"), ("email", "kim@pajala.test"), ("title", "Chef")],
            "muni_b",
        ),
        ("POST", "/vfu/kommun/{kod}/kontakter/{id}/ta-bort") => page(format!("{k}/kontakter/{con_b}/ta-bort"), &[], "muni_b"),
        ("POST", "/vfu/kommun/{kod}/platser/ny") => page(format!("{k}/platser/ny"), &site_pairs, "muni_b"),
        ("POST", "/vfu/kommun/{kod}/platser/{id}") => page(format!("{k}/platser/site-b"), &site_pairs, "muni_b"),
        ("POST", "/vfu/kommun/{kod}/platser/{id}/ta-bort") => page(format!("{k}/platser/site-b-spare/ta-bort"), &[], "muni_b"),
        ("POST", "/vfu/kommun/{kod}/platser/{id}/intresse") => {
            page(format!("{k}/platser/site-b/intresse"), &[("term", TERM), ("interest", "maybe"), ("capacity", "1")], "muni_b")
        }
        ("POST", "/vfu/kommun/{kod}/platser/{id}/intresse/{term}/ta-bort") => page(format!("{k}/platser/site-b/intresse/{TERM}/ta-bort"), &[], "muni_b"),
        ("POST", "/vfu/kommun/{kod}/handledare/ny") => page(format!("{k}/handledare/ny"), &sup_pairs, "muni_b"),
        ("POST", "/vfu/kommun/{kod}/handledare/{id}") => {
            let mut pairs = sup_pairs.to_vec();
            pairs[0] = ("email", "berit@pajala.test");
            pairs[1] = ("name", "Berit Bsson");
            page(format!("{k}/handledare/{sup_spare}"), &pairs, "muni_b")
        }
        ("POST", "/vfu/kommun/{kod}/handledare/{id}/ta-bort") => page(format!("{k}/handledare/{sup_spare}/ta-bort"), &[], "muni_b"),
        ("POST", "/vfu/kommun/{kod}/handledare/{id}/inbjudan") => page(format!("{k}/handledare/{sup_spare}/inbjudan"), &[("status", "invited")], "muni_b"),
        ("POST", "/vfu/kommun/{kod}/placeringar/{id}") => page(format!("{k}/placeringar/{pl_b}"), &[("supervisor_id", sup_b), ("note", "Buss 12")], "muni_b"),
        // VFU pages of the university.
        ("POST", "/vfu/larosate/{uni}/perioder/ny") => page("/vfu/larosate/UmU/perioder/ny".into(), &period_pairs, "uni_b"),
        ("POST", "/vfu/larosate/{uni}/perioder/{id}/andra") => page("/vfu/larosate/UmU/perioder/per-b-empty/andra".into(), &period_pairs, "uni_b"),
        ("POST", "/vfu/larosate/{uni}/perioder/{id}/ta-bort") => page("/vfu/larosate/UmU/perioder/per-b-empty/ta-bort".into(), &[], "uni_b"),
        ("POST", "/vfu/larosate/{uni}/perioder/{id}/studenter/ny") => page(
            "/vfu/larosate/UmU/perioder/per-b/studenter/ny".into(),
            &[("name", "Ny Student"), ("email", "ny.student@student.test"), ("home_municipality", B)],
            "uni_b",
        ),
        ("POST", "/vfu/larosate/{uni}/studenter/{id}") => page(
            format!("/vfu/larosate/UmU/studenter/{stu_spare}"),
            &[("name", "Bo Bstudent"), ("email", "bo@student.test"), ("home_municipality", A)],
            "uni_b",
        ),
        ("POST", "/vfu/larosate/{uni}/studenter/{id}/ta-bort") => page(format!("/vfu/larosate/UmU/studenter/{stu_spare}/ta-bort"), &[], "uni_b"),
        ("POST", "/vfu/larosate/{uni}/studenter/{id}/placera") => {
            page(format!("/vfu/larosate/UmU/studenter/{stu_spare}/placera"), &[("site_id", "site-b"), ("status", "offered")], "uni_b")
        }
        ("POST", "/vfu/placering/{id}/status") => page(format!("/vfu/placering/{pl_b}/status"), &[("to", "offered")], "uni_b"),
        ("POST", "/vfu/placering/{id}/ta-bort") => page(format!("/vfu/placering/{pl_b}/ta-bort"), &[], "uni_b"),
        // Allocation pages.
        ("POST", "/vfu/larosate/{uni}/perioder/{id}/fordelning") => Probe { changes: false, ..page(alloc.into(), &[], "uni_b") },
        ("POST", "/vfu/larosate/{uni}/perioder/{id}/fordelning/regler") => page(format!("{alloc}/regler"), &rules, "uni_b"),
        ("POST", "/vfu/larosate/{uni}/perioder/{id}/fordelning/studenter/{student}/las") => {
            page(format!("{alloc}/studenter/{stu_alloc}/las"), &[("site", "site-b"), ("reason", "Annat skäl")], "uni_b")
        }
        ("POST", "/vfu/larosate/{uni}/perioder/{id}/fordelning/studenter/{student}/las-upp") => {
            page(format!("{alloc}/studenter/{stu_alloc}/las-upp"), &[("reason", "Klart")], "uni_b")
        }
        ("POST", "/vfu/larosate/{uni}/perioder/{id}/fordelning/publicera") => page(format!("{alloc}/publicera"), &[], "uni_b"),
        (m, p) => panic!("the scope probe has no request for {m} {p}: add one to tests/routes/scope_probe.rs (a request B's owner may make)"),
    };
    Some(p)
}

/// The record a probe writes, as the rule book sees it; `None` for one's own account.
async fn target_of(app: &TestApp, fx: &Fixture, op: Op) -> Option<OwnedTarget> {
    let s = &app.db.store;
    let b = Kommunkod::parse(B).unwrap();
    let person = |key: &str| fx.users[key].person_id.clone();
    let spare_person = s
        .vfu_student(&StudentId::new(&fx.stu_b_spare))
        .await
        .unwrap()
        .unwrap()
        .person_id;
    Some(match op.check() {
        Check::Open | Check::OwnAccount => return None,
        Check::Write(kind) => match kind {
            TargetKind::Administration => OwnedTarget::Administration,
            TargetKind::MunicipalityRecord => OwnedTarget::MunicipalityRecord(b),
            TargetKind::UniversityRecord => OwnedTarget::UniversityRecord,
            TargetKind::Supervisor => {
                let id = if op == Op::VfuSupervisorCreate {
                    PersonId::default()
                } else {
                    s.supervisor(&SupervisorId::new(&fx.sup_b_spare))
                        .await
                        .unwrap()
                        .unwrap()
                        .person_id
                };
                OwnedTarget::Supervisor(id, b)
            }
            TargetKind::VfuStudent => {
                let id = if op == Op::VfuStudentCreate {
                    PersonId::default()
                } else {
                    spare_person.clone()
                };
                OwnedTarget::VfuStudent(id, b)
            }
            TargetKind::VfuStudentWishes => OwnedTarget::VfuStudentWishes(person("stu_b"), b),
            TargetKind::Placement => {
                let placed = s
                    .vfu_student(&StudentId::new(&fx.stu_b_placed))
                    .await
                    .unwrap()
                    .unwrap()
                    .person_id;
                let id = if op == Op::VfuPlacementCreate {
                    spare_person.clone()
                } else {
                    placed
                };
                OwnedTarget::Placement(id, b)
            }
            TargetKind::VfuMunicipal => OwnedTarget::VfuMunicipal(b),
            TargetKind::ForecastInput => OwnedTarget::ForecastInput(b),
            TargetKind::ForecastCluster => OwnedTarget::ForecastCluster,
            TargetKind::Person => panic!("no write route is about a person as such ({op:?})"),
        },
    })
}

/// A [`Target`] that owns its ids.
enum OwnedTarget {
    Administration,
    MunicipalityRecord(Kommunkod),
    UniversityRecord,
    Supervisor(PersonId, Kommunkod),
    VfuStudent(PersonId, Kommunkod),
    VfuStudentWishes(PersonId, Kommunkod),
    Placement(PersonId, Kommunkod),
    VfuMunicipal(Kommunkod),
    ForecastInput(Kommunkod),
    ForecastCluster,
}

impl OwnedTarget {
    fn may(&self, p: &Principal) -> bool {
        let t = match self {
            OwnedTarget::Administration => Target::Administration,
            OwnedTarget::MunicipalityRecord(m) => Target::MunicipalityRecord { municipality: *m },
            OwnedTarget::UniversityRecord => Target::UniversityRecord { university: "UmU" },
            OwnedTarget::Supervisor(id, m) => Target::Supervisor {
                person_id: id,
                municipality: *m,
            },
            OwnedTarget::VfuStudent(id, m) => Target::VfuStudent {
                person_id: id,
                university: "UmU",
                home_municipality: *m,
            },
            OwnedTarget::VfuStudentWishes(id, m) => Target::VfuStudentWishes {
                person_id: id,
                university: "UmU",
                home_municipality: *m,
            },
            OwnedTarget::Placement(id, m) => Target::Placement {
                student_person_id: id,
                university: "UmU",
                site_municipality: *m,
            },
            OwnedTarget::VfuMunicipal(m) => Target::VfuMunicipal { municipality: *m },
            OwnedTarget::ForecastInput(m) => Target::ForecastInput { municipality: *m },
            OwnedTarget::ForecastCluster => Target::ForecastCluster,
        };
        p.may(Action::Write, &t)
    }
}

/// Everything in the database as text, without what every request may touch: sessions,
/// login failures and a token's last use.
async fn dump(app: &TestApp) -> BTreeSet<(String, String)> {
    app.db
        .store
        .dump_all_text()
        .await
        .unwrap()
        .into_iter()
        .filter(|(t, _)| t != "sessions" && t != "login_failures")
        .map(|(t, row)| {
            if t == "api_tokens" {
                let kept = row.rsplit_once('|').map(|(a, _)| a.to_string()).unwrap_or(row);
                (t, kept)
            } else {
                (t, row)
            }
        })
        .collect()
}

/// The path through the attacker's own municipality or university, for page routes that name
/// one of B's records (`/vfu/kommun/2422/platser/site-b`): another way in to the same record.
fn own_path(path: &str, who: &UserRecord) -> Option<String> {
    let scope = who.scope.as_deref()?;
    let (prefix, own) = match who.role {
        Role::Municipality => (format!("/vfu/kommun/{B}/"), format!("/vfu/kommun/{scope}/")),
        Role::University => ("/vfu/larosate/UmU/".to_string(), format!("/vfu/larosate/{scope}/")),
        _ => return None,
    };
    let rest = path.strip_prefix(&prefix)?;
    let mut segments = rest.split('/');
    let names_a_record = matches!(
        segments.next(),
        Some("kontakter" | "platser" | "handledare" | "placeringar" | "perioder" | "studenter")
    ) && segments.next().is_some_and(|id| id != "ny");
    names_a_record.then(|| format!("{own}{rest}"))
}

fn refused_status(res: &TestResponse) -> bool {
    let to_login = res
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|l| l.starts_with("/logga-in"));
    res.status.is_client_error() || (res.status.is_redirection() && to_login)
}

#[tokio::test]
async fn no_write_route_crosses_a_scope() {
    let table = route_table();
    let writes: Vec<&RouteInfo> = table.iter().filter(|r| r.op.is_some()).collect();
    for app in apps(false).await {
        let label = app.db.label;
        let fx = fixture(&app).await;
        let before = dump(&app).await;
        let mut probed = 0;
        for r in &writes {
            let op = r.op.unwrap();
            let Some(probe) = probe_for(&app, &fx, r).await else {
                continue;
            };
            let target = target_of(&app, &fx, op).await;
            let mut tried = Vec::new();
            for (key, _, _) in PRINCIPALS.iter().copied().filter(|(k, _, _)| *k != "admin") {
                let user = &fx.users[key];
                let allowed = match &target {
                    Some(t) => t.may(&user.principal()),
                    None => key == probe.owner,
                };
                if allowed {
                    continue;
                }
                let mut paths = vec![probe.path.clone()];
                paths.extend(own_path(&probe.path, user));
                for path in paths {
                    let res = send(&app, Some(key), r.method, &path, &probe.body, probe.json).await;
                    let what = format!("{label}: {} {path} ({op:?}) as {key}", r.method);
                    assert!(
                        refused_status(&res),
                        "{what} is refused, not {}: {}",
                        res.status,
                        &res.body[..res.body.len().min(300)]
                    );
                    for (data, of) in &fx.personal {
                        if *of != Some(key) {
                            assert!(
                                !res.body.contains(data.as_str()),
                                "{what}: the answer holds {data:?} of B: {}",
                                res.body
                            );
                        }
                    }
                    tried.push(key);
                    probed += 1;
                }
            }
            // Anonymous callers too.
            let res = send(&app, None, r.method, &probe.path, &probe.body, probe.json).await;
            assert!(
                refused_status(&res),
                "{label}: {} {} anonymous: {}",
                r.method,
                probe.path,
                res.status
            );
            // One look at the whole database per route (PostgreSQL's catalogue makes a dump
            // slow); a change names the route and everyone who tried it.
            assert!(
                dump(&app).await == before,
                "{label}: {} {} ({op:?}) changed the database, tried by anonymous and {tried:?}",
                r.method,
                probe.path
            );
        }
        assert!(probed > 300, "{label}: {probed} refused requests probed");
        if label == "sqlite" {
            owners_succeed(&app, &fx, &writes).await;
        }
        app.finish().await;
    }
}

/// The positive control: on a copy of the database per route, B's owner makes the probe's
/// request; it succeeds, asks the declared check and (except for a run) changes the database.
/// Without it a probe could pass by sending requests that fail for everyone.
async fn owners_succeed(app: &TestApp, fx: &Fixture, writes: &[&RouteInfo]) {
    let mut surfaces = BTreeMap::new();
    for r in writes {
        let op = r.op.unwrap();
        let Some(probe) = probe_for(app, fx, r).await else {
            continue;
        };
        let copy = crate::common::app_on(app.db.sqlite_copy().await.unwrap());
        let before = dump(&copy).await;
        let res = send(&copy, Some(probe.owner), r.method, &probe.path, &probe.body, probe.json).await;
        let what = format!("{} {} ({op:?}) as its owner {}", r.method, probe.path, probe.owner);
        assert!(
            (res.status.is_success() || res.status.is_redirection()) && !refused_status(&res),
            "{what} succeeds: {} {}",
            res.status,
            &res.body[..res.body.len().min(600)]
        );
        assert_eq!(
            res.guard,
            Some(GuardReport { op, checked: true }),
            "{what} asks its declared check"
        );
        if probe.changes {
            assert!(dump(&copy).await != before, "{what} changes the database");
        }
        *surfaces.entry(r.surface == Surface::Page).or_insert(0) += 1;
        copy.finish().await;
    }
    assert!(
        surfaces.get(&true).copied().unwrap_or(0) > 30 && surfaces.get(&false).copied().unwrap_or(0) > 25,
        "{surfaces:?}"
    );
}
