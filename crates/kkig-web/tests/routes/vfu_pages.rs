//! The VFU pages through the whole router: status per role, the municipality coordinator's,
//! university coordinator's, student's and supervisor's flows with validation and audit, and the
//! public "vem gör vad" page with its print version. Users sign in with API tokens (accepted on
//! pages too), so that each request names its role. On SQLite and PostgreSQL.

use std::collections::BTreeMap;

use kkig_core::access::Role;
use kkig_core::ids::PeriodId;
use kkig_store::{StudentFilter, UserRecord};

use crate::common::{apps, enc, form, get_as, location, post_form_as, users_with_tokens, TestApp, TestResponse};
use kkig_store::prelude::*;

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
}

async fn world(app: &TestApp) -> World {
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
    World {
        users: users_with_tokens(app, "vfu.test", &specs, secret).await,
    }
}

async fn get(app: &TestApp, role: Option<&str>, uri: &str) -> TestResponse {
    get_as(app, role.map(secret).as_deref(), uri).await
}

async fn post(app: &TestApp, role: &str, uri: &str, body: &str) -> TestResponse {
    post_form_as(app, &secret(role), uri, body).await
}

fn secret(key: &str) -> String {
    format!("kkig_{key}_vfu_secret")
}

#[tokio::test]
async fn vfu_pages_by_role() {
    for app in apps(true).await {
        let label = app.db.label;
        let _w = world(&app).await;
        let period = app.db.store.vfu_periods(Some("LTU")).await.unwrap().remove(0).id;
        let period_page = format!("/vfu/larosate/LTU/perioder/{period}");
        // The forms that change a municipality's VFU records are its own coordinators' (and
        // admin's): regional coordinators read them (issue 12).
        //                                         anon admin reg  muni_a muni_b uni prov sup  stud
        let rows: Vec<(String, [u16; 9])> = vec![
            ("/vfu".into(), [200; 9]),
            ("/vfu/kommun/2422/vem-gor-vad".into(), [200; 9]),
            (
                "/vfu/kommun/2422/vem-gor-vad?program=nursing&utskrift=1".into(),
                [200; 9],
            ),
            ("/vfu/kommun/2422/vem-gor-vad?program=dans".into(), [404; 9]),
            ("/vfu/kommun/9999/vem-gor-vad".into(), [404; 9]),
            ("/vfu/min".into(), [303, 200, 200, 200, 200, 200, 200, 200, 200]),
            ("/vfu/kommun/2422".into(), [303, 200, 200, 200, 403, 403, 403, 403, 403]),
            (
                "/vfu/kommun/2422/platser".into(),
                [303, 200, 200, 200, 403, 403, 403, 403, 403],
            ),
            (
                "/vfu/kommun/2422/platser/ny".into(),
                [303, 200, 403, 200, 403, 403, 403, 403, 403],
            ),
            (
                "/vfu/kommun/2422/handledare".into(),
                [303, 200, 200, 200, 403, 403, 403, 403, 403],
            ),
            (
                "/vfu/kommun/2422/handledare/ny".into(),
                [303, 200, 403, 200, 403, 403, 403, 403, 403],
            ),
            (
                "/vfu/kommun/2422/utbildningsbehov".into(),
                [303, 200, 200, 200, 403, 403, 403, 403, 403],
            ),
            (
                "/vfu/kommun/2422/placeringar".into(),
                [303, 200, 200, 200, 403, 403, 403, 403, 403],
            ),
            (
                "/vfu/kommun/2422/vem-gor-vad/andra?program=nursing".into(),
                [303, 200, 403, 200, 403, 403, 403, 403, 403],
            ),
            (
                "/vfu/kommun/2521/platser".into(),
                [303, 200, 200, 403, 200, 403, 403, 403, 403],
            ),
            ("/vfu/kommun/0000".into(), [303, 404, 404, 404, 404, 404, 404, 404, 404]),
            (
                "/vfu/larosate/LTU".into(),
                [303, 200, 200, 403, 403, 200, 403, 403, 403],
            ),
            (
                "/vfu/larosate/LTU/perioder/ny".into(),
                [303, 200, 403, 403, 403, 200, 403, 403, 403],
            ),
            (period_page.clone(), [303, 200, 200, 403, 403, 200, 403, 403, 403]),
            (
                format!("{period_page}/andra"),
                [303, 200, 403, 403, 403, 200, 403, 403, 403],
            ),
            (
                "/vfu/larosate/UmU".into(),
                [303, 200, 200, 403, 403, 403, 403, 403, 403],
            ),
            (
                "/vfu/larosate/XYZ".into(),
                [303, 404, 404, 404, 404, 404, 404, 404, 404],
            ),
            // Another university's period under LTU's path is not found.
            (
                "/vfu/larosate/LTU/perioder/no-such-period".into(),
                [303, 404, 404, 403, 403, 404, 403, 403, 403],
            ),
        ];
        for (uri, expected) in rows {
            for (i, role) in std::iter::once(None).chain(ROLES.iter().map(|r| Some(*r))).enumerate() {
                let res = get(&app, role, &uri).await;
                assert_eq!(
                    res.status.as_u16(),
                    expected[i],
                    "{label} GET {uri} as {role:?}: {}",
                    &res.body[..res.body.len().min(400)]
                );
                if res.status == 303 {
                    assert!(
                        location(&res).starts_with("/logga-in?next=/vfu"),
                        "{label}: {}",
                        location(&res)
                    );
                }
                if res.status == 200 {
                    assert!(
                        res.body.contains("class=\"demo-notice\""),
                        "{label} {uri}: the demo data is labelled"
                    );
                }
            }
        }
        app.finish().await;
    }
}

#[tokio::test]
async fn public_raci_page_and_print_version() {
    for app in apps(true).await {
        let label = app.db.label;
        let res = app.get("/vfu/kommun/2422/vem-gor-vad").await;
        assert_eq!(res.status, 200, "{label}");
        let b = &res.body;
        assert!(b.contains("<h1>Vem gör vad i VFU – Sorsele</h1>"), "{label}: {b}");
        assert!(
            b.contains("<th scope=\"col\">Kommunal VFU-samordnare</th>")
                && b.contains("<th scope=\"row\">Utse handledare</th>"),
            "{label}"
        );
        assert!(
            b.contains("Ansvar per uppgift och roll, Lärarutbildning, Sorsele</caption>"),
            "{label}"
        );
        assert!(
            b.contains("<dt>A</dt>") && b.contains("Utskriftsversion"),
            "{label}: legend and print link"
        );
        assert!(b.contains("Kontaktpersoner"), "{label}");
        let public = app.get("/kommun/2422").await;
        assert!(
            public
                .body
                .contains("<a href=\"/vfu/kommun/2422/vem-gor-vad\">Vem gör vad i VFU – Sorsele</a>"),
            "{label}: the municipality's page links to it"
        );
        let en = app
            .get("/vfu/kommun/2422/vem-gor-vad?program=social_work&lang=en")
            .await;
        assert!(
            en.body.contains("Who does what in VFU – Sorsele") && en.body.contains("Social work"),
            "{label}"
        );
        let print = app.get("/vfu/kommun/2422/vem-gor-vad?program=teacher&utskrift=1").await;
        assert_eq!(print.status, 200, "{label}");
        assert!(
            print.body.contains("class=\"print-page\"") && !print.body.contains("site-header"),
            "{label}: the print version has no site chrome"
        );
        assert!(
            print.body.contains("<main id=\"main\">") && print.body.contains("Demodata"),
            "{label}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn a_municipality_adapts_its_raci_model() {
    for app in apps(true).await {
        let label = app.db.label;
        let _w = world(&app).await;
        let edit = get(
            &app,
            Some("muni_a"),
            "/vfu/kommun/2422/vem-gor-vad/andra?program=teacher",
        )
        .await;
        assert_eq!(edit.status, 200, "{label}");
        assert!(edit.body.contains("<label for=\"c-allocate-university_coordinator\" class=\"visually-hidden\">Fördela studenter till platser: Lärosätets VFU-samordnare</label>"), "{label}");
        // Every cell as shown, with one change.
        let mut pairs: Vec<(String, String)> = vec![("program".into(), "teacher".into())];
        let model = kkig_core::vfu::raci::RaciModel::default_for(kkig_core::vfu::ProgrammeType::Teacher);
        for row in &model.rows {
            for role in kkig_core::vfu::raci::RaciRole::ALL {
                pairs.push((
                    format!("c-{}-{}", row.task.as_str(), role.as_str()),
                    row.cell(role).to_string(),
                ));
            }
        }
        let with = |task_role: &str, value: &str| {
            let p: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| (k.clone(), if k == task_role { value.to_string() } else { v.clone() }))
                .collect();
            p.iter()
                .map(|(k, v)| format!("{k}={}", enc(v)))
                .collect::<Vec<_>>()
                .join("&")
        };
        let bad = post(
            &app,
            "muni_a",
            "/vfu/kommun/2422/vem-gor-vad/andra",
            &with("c-allocate-municipal_coordinator", "A"),
        )
        .await;
        assert_eq!(bad.status, 422, "{label}");
        assert!(
            bad.body
                .contains("Fördela studenter till platser: exakt en roll ska ansvara (A)."),
            "{label}: {}",
            bad.body
        );
        assert_eq!(
            post(
                &app,
                "muni_b",
                "/vfu/kommun/2422/vem-gor-vad/andra",
                &with("c-allocate-municipal_coordinator", "R")
            )
            .await
            .status,
            403,
            "{label}"
        );
        let ok = post(
            &app,
            "muni_a",
            "/vfu/kommun/2422/vem-gor-vad/andra",
            &with("c-allocate-municipal_coordinator", "R"),
        )
        .await;
        assert_eq!(
            (ok.status.as_u16(), location(&ok)),
            (303, "/vfu/kommun/2422/vem-gor-vad?program=teacher".to_string()),
            "{label}"
        );
        let public = app.get("/vfu/kommun/2422/vem-gor-vad?program=teacher").await;
        assert!(
            public.body.contains("Sorsele har anpassat standardmodellen."),
            "{label}"
        );
        let other = app.get("/vfu/kommun/2521/vem-gor-vad?program=teacher").await;
        assert!(other.body.contains("Pajala följer standardmodellen."), "{label}");
        let reset = post(
            &app,
            "muni_a",
            "/vfu/kommun/2422/vem-gor-vad/standard",
            "program=teacher",
        )
        .await;
        assert_eq!(reset.status, 303, "{label}");
        assert!(
            app.get("/vfu/kommun/2422/vem-gor-vad")
                .await
                .body
                .contains("Sorsele följer standardmodellen."),
            "{label}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn coordinators_student_and_supervisor_flow() {
    for app in apps(true).await {
        let label = app.db.label;
        let w = world(&app).await;
        let s = &app.db.store;

        // The municipality coordinator adds a site; an invalid form names the field.
        let bad = post(
            &app,
            "muni_a",
            "/vfu/kommun/2422/platser/ny",
            &form(&[("name", ""), ("kind", "school"), ("fields", "F-3")]),
        )
        .await;
        assert_eq!(bad.status, 422, "{label}: {}", bad.body);
        assert!(bad.body.contains("Namn måste fyllas i."), "{label}: {}", bad.body);
        assert!(
            bad.body.contains("aria-describedby=\"f-name-error\"") && bad.body.contains("href=\"#f-name\""),
            "{label}: message next to the field and linked from the summary"
        );
        let bad = post(
            &app,
            "muni_a",
            "/vfu/kommun/2422/platser/ny",
            &form(&[("name", "Testskolan"), ("kind", "school"), ("fields", "sjuksköterska")]),
        )
        .await;
        assert_eq!(bad.status, 422, "{label}");
        assert!(
            bad.body.contains(
                "Områden: Grundskola kan inte ta emot Sjuksköterska, som hör till sjuksköterskeutbildningen."
            ),
            "{label}: {}",
            bad.body
        );
        let ok = post(
            &app,
            "muni_a",
            "/vfu/kommun/2422/platser/ny",
            &form(&[
                ("name", "Testskolan"),
                ("kind", "school"),
                ("fields", "F-3|4-6"),
                ("address", "Skolgatan 1, Sorsele"),
            ]),
        )
        .await;
        assert_eq!(ok.status, 303, "{label}: {}", ok.body);
        let site = s
            .placement_sites(Some("2422".parse().unwrap()))
            .await
            .unwrap()
            .into_iter()
            .find(|x| x.name == "Testskolan")
            .unwrap();
        assert!(
            location(&ok).starts_with(&format!("/vfu/kommun/2422/platser/{}", site.id)),
            "{label}"
        );
        // Another municipality neither reads nor changes it.
        assert_eq!(
            get(&app, Some("muni_b"), &format!("/vfu/kommun/2521/platser/{}", site.id))
                .await
                .status,
            404,
            "{label}"
        );
        assert_eq!(
            post(
                &app,
                "muni_b",
                &format!("/vfu/kommun/2422/platser/{}/ta-bort", site.id),
                ""
            )
            .await
            .status,
            403,
            "{label}"
        );
        // Hosting interest for a term; "no" needs a reason.
        let term = kkig_core::vfu::Term::of(kkig_core::vfu::Day(time::OffsetDateTime::now_utc().date())).to_string();
        let h = post(
            &app,
            "muni_a",
            &format!("/vfu/kommun/2422/platser/{}/intresse", site.id),
            &form(&[("term", &term), ("interest", "no"), ("capacity", "0")]),
        )
        .await;
        assert_eq!(h.status, 422, "{label}");
        assert!(
            h.body
                .contains("Skäl måste fyllas i när platsen inte tar emot studenter den terminen."),
            "{label}: {}",
            h.body
        );
        // Core's problems in Swedish, each after the field's label.
        let h = post(
            &app,
            "muni_a",
            &format!("/vfu/kommun/2422/platser/{}/intresse", site.id),
            &form(&[("term", &term), ("interest", "yes"), ("capacity", "-1")]),
        )
        .await;
        assert_eq!(h.status, 422, "{label}");
        assert!(
            h.body.contains("Antal studenter: -1 är mindre än noll."),
            "{label}: {}",
            h.body
        );
        let h = post(
            &app,
            "muni_a",
            &format!("/vfu/kommun/2422/platser/{}/intresse", site.id),
            &form(&[("term", "VT"), ("interest", "yes"), ("capacity", "2,5")]),
        )
        .await;
        assert_eq!(h.status, 422, "{label}");
        assert!(
            h.body
                .contains("Termin: ”VT” är ingen termin. Skriv till exempel VT2026 eller HT2026."),
            "{label}: {}",
            h.body
        );
        assert!(
            h.body.contains("Antal studenter: ”2,5” är inget heltal."),
            "{label}: {}",
            h.body
        );
        assert!(
            !h.body.contains("is not"),
            "{label}: no English on a Swedish page: {}",
            h.body
        );
        // The same problems on the English page, from the English catalogue.
        let h = post(
            &app,
            "muni_a",
            &format!("/vfu/kommun/2422/platser/{}/intresse?lang=en", site.id),
            &form(&[("term", "VT"), ("interest", "yes"), ("capacity", "-1")]),
        )
        .await;
        assert_eq!(h.status, 422, "{label}");
        assert!(h.body.contains("Students: -1 is below zero."), "{label}: {}", h.body);
        assert!(
            h.body
                .contains("Term: “VT” is not a term. Write e.g. VT2026 (spring) or HT2026 (autumn)."),
            "{label}: {}",
            h.body
        );
        let h = post(
            &app,
            "muni_a",
            &format!("/vfu/kommun/2422/platser/{}/intresse?lang=sv", site.id),
            &form(&[("term", &term), ("interest", "yes"), ("capacity", "2")]),
        )
        .await;
        assert_eq!(h.status, 303, "{label}: {}", h.body);
        let page = get(&app, Some("muni_a"), &format!("/vfu/kommun/2422/platser/{}", site.id)).await;
        assert!(
            page.body.contains("Ja</td><td class=\"num\">2</td>"),
            "{label}: {}",
            page.body
        );

        // A supervisor: the account's e-mail links the record to the account's person, under the
        // account's name (the registry never renames an account holder: docs/accounts-and-privacy.md).
        let sup_form = [
            ("name", "Namn supervisor"),
            ("email", "supervisor@vfu.test"),
            ("site_id", site.id.as_str()),
            ("fields", "F-3"),
            ("employment_percent", "150"),
            ("students_per_period", "1"),
            ("training", "none"),
            ("invite", "not_invited"),
            ("consent_contact", "1"),
        ];
        let bad = post(&app, "muni_a", "/vfu/kommun/2422/handledare/ny", &form(&sup_form)).await;
        assert_eq!(bad.status, 422, "{label}");
        assert!(
            bad.body
                .contains("Tjänstgöringsgrad (%): 150 ligger utanför 0–100 (mer än 0, högst 100)."),
            "{label}: {}",
            bad.body
        );
        let mut odd = sup_form;
        odd[3] = ("fields", "teleport");
        let bad = post(&app, "muni_a", "/vfu/kommun/2422/handledare/ny", &form(&odd)).await;
        assert!(
            bad.body
                .contains("Områden: ”teleport” är inget område som kkig känner till."),
            "{label}: {}",
            bad.body
        );
        // The form's checkboxes: what was ticked and typed is kept on an error.
        let mut boxes = sup_form;
        boxes[3] = ("field_teacher_f3", "1");
        let mut boxes = boxes.to_vec();
        boxes.push(("subjects_teacher_f3", "svenska, matematik"));
        let bad = post(&app, "muni_a", "/vfu/kommun/2422/handledare/ny", &form(&boxes)).await;
        assert_eq!(bad.status, 422, "{label}");
        assert!(
            bad.body.contains("name=\"field_teacher_f3\" value=\"1\" checked>"),
            "{label}: {}",
            bad.body
        );
        assert!(
            bad.body
                .contains("name=\"subjects_teacher_f3\" value=\"svenska, matematik\""),
            "{label}"
        );
        assert!(
            !bad.body.contains("name=\"field_teacher_4_6\" value=\"1\" checked>"),
            "{label}"
        );
        boxes[4] = ("employment_percent", "80");
        let ok = post(&app, "muni_a", "/vfu/kommun/2422/handledare/ny", &form(&boxes)).await;
        assert_eq!(ok.status, 303, "{label}: {}", ok.body);
        let sup = s
            .supervisors(Some("2422".parse().unwrap()))
            .await
            .unwrap()
            .into_iter()
            .find(|x| x.email == "supervisor@vfu.test")
            .unwrap();
        assert_eq!(
            sup.fields
                .iter()
                .map(|f| (f.field.code(), f.subjects.join(",")))
                .collect::<Vec<_>>(),
            [("teacher_f3", "svenska,matematik".to_string())],
            "{label}"
        );
        let edit = get(&app, Some("muni_a"), &format!("/vfu/kommun/2422/handledare/{}", sup.id)).await;
        assert!(
            edit.body.contains("name=\"field_teacher_f3\" value=\"1\" checked>"),
            "{label}: the saved fields are ticked"
        );
        assert_eq!(sup.person_id, w.users["supervisor"].person_id, "{label}");
        let inv = post(
            &app,
            "muni_a",
            &format!("/vfu/kommun/2422/handledare/{}/inbjudan", sup.id),
            "status=invited&university=",
        )
        .await;
        assert_eq!(inv.status, 303, "{label}: {}", inv.body);
        assert_eq!(
            s.supervisor(&sup.id).await.unwrap().unwrap().invite,
            kkig_core::vfu::InviteStatus::Invited,
            "{label}"
        );
        let list = get(&app, Some("muni_a"), "/vfu/kommun/2422/handledare").await;
        assert!(
            list.body.contains("Namn supervisor") && list.body.contains("Inbjuden ("),
            "{label}"
        );
        let need = get(&app, Some("muni_a"), "/vfu/kommun/2422/utbildningsbehov").await;
        assert!(
            need.body
                .contains("<caption id=\"need-caption\">Efterfrågan mot utbildad handledarkapacitet i Sorsele"),
            "{label}"
        );

        // The university coordinator: a period, a student on it, a placement through its lifecycle.
        let bad = post(
            &app,
            "university",
            "/vfu/larosate/LTU/perioder/ny",
            &form(&[
                ("programme", "Grundlärare F-3"),
                ("course_code", "GL1"),
                ("field", "teacher_f3"),
                ("start", "2027-02-01"),
                ("end", "2027-01-01"),
            ]),
        )
        .await;
        assert_eq!(bad.status, 422, "{label}");
        assert!(
            bad.body
                .contains("Slutdatum: 2027-01-01 är före startdatumet 2027-02-01."),
            "{label}: {}",
            bad.body
        );
        let bad = post(
            &app,
            "university",
            "/vfu/larosate/LTU/perioder/ny",
            &form(&[
                ("programme", "Grundlärare F-3"),
                ("course_code", "GL-1"),
                ("field", "teacher_f3"),
                ("start", "2027-02-30"),
                ("end", "2027-03-05"),
                ("students", "x"),
            ]),
        )
        .await;
        assert_eq!(bad.status, 422, "{label}");
        assert!(
            bad.body.contains("Startdatum: ”2027-02-30” finns inte i kalendern."),
            "{label}: {}",
            bad.body
        );
        assert!(
            bad.body
                .contains("Förväntat antal studenter: ”x” är inget tal. Skriv till exempel 87,5 eller 100."),
            "{label}: {}",
            bad.body
        );
        let ok = post(
            &app,
            "university",
            "/vfu/larosate/LTU/perioder/ny",
            &form(&[
                ("programme", "Grundlärare F-3"),
                ("course_code", "GL1"),
                ("field", "teacher_f3"),
                ("start", "2027-02-01"),
                ("end", "2027-03-05"),
                ("students", "10"),
            ]),
        )
        .await;
        assert_eq!(ok.status, 303, "{label}: {}", ok.body);
        let period_path = location(&ok);
        let period_id = period_path.rsplit('/').next().unwrap().to_string();
        assert_eq!(
            post(&app, "regional", &format!("{period_path}/andra"), "programme=x")
                .await
                .status,
            403,
            "{label}: regional reads only"
        );
        let bad = post(
            &app,
            "university",
            &format!("{period_path}/studenter/ny"),
            &form(&[
                ("name", "Stina Student"),
                ("email", "student.vfu.test"),
                ("home_municipality", "9999"),
            ]),
        )
        .await;
        assert_eq!(bad.status, 422, "{label}");
        assert!(
            bad.body
                .contains("Hemkommun: ”9999” är ingen kommunkod; det finns inget län med kod 99."),
            "{label}: {}",
            bad.body
        );
        assert!(
            bad.body.contains("E-post: ”student.vfu.test” är ingen e-postadress."),
            "{label}: {}",
            bad.body
        );
        let bad = post(
            &app,
            "university",
            &format!("{period_path}/studenter/ny"),
            &form(&[
                ("name", "Stina Student"),
                ("email", "student@vfu.test"),
                ("home_municipality", "24220"),
            ]),
        )
        .await;
        assert!(
            bad.body
                .contains("Hemkommun: ”24220” är ingen kommunkod. En kommunkod har fyra siffror, till exempel 2422."),
            "{label}: {}",
            bad.body
        );
        let st = post(
            &app,
            "university",
            &format!("{period_path}/studenter/ny"),
            &form(&[
                ("name", "Namn student"),
                ("email", "student@vfu.test"),
                ("home_municipality", "2422"),
                ("registerutdrag", "2025-06-01"),
            ]),
        )
        .await;
        assert_eq!(st.status, 303, "{label}: {}", st.body);
        let student = s
            .vfu_students(&StudentFilter {
                period_id: Some(PeriodId::new(period_id.as_str())),
                ..Default::default()
            })
            .await
            .unwrap()
            .remove(0);
        assert_eq!(student.person_id, w.users["student"].person_id, "{label}");
        let pp = get(&app, Some("university"), &period_path).await;
        assert!(
            pp.body.contains("Registerutdrag: för gammalt (2025-06-01)"),
            "{label}: more than a year before the start: {}",
            pp.body
        );
        // A site that does not take the student's field: the store's check, in Swedish.
        let ok = post(
            &app,
            "muni_a",
            "/vfu/kommun/2422/platser/ny",
            &form(&[("name", "Testboendet"), ("kind", "care_home"), ("fields", "nurse")]),
        )
        .await;
        assert_eq!(ok.status, 303, "{label}: {}", ok.body);
        let care = s
            .placement_sites(Some("2422".parse().unwrap()))
            .await
            .unwrap()
            .into_iter()
            .find(|x| x.name == "Testboendet")
            .unwrap();
        let bad = post(
            &app,
            "university",
            &format!("/vfu/larosate/LTU/studenter/{}/placera", student.id),
            &form(&[("site_id", care.id.as_str()), ("status", "offered")]),
        )
        .await;
        assert_eq!(bad.status, 422, "{label}: {}", bad.body);
        assert!(
            bad.body.contains("Plats: platsen tar inte emot Lärare F–3."),
            "{label}: {}",
            bad.body
        );
        let pl = post(
            &app,
            "university",
            &format!("/vfu/larosate/LTU/studenter/{}/placera", student.id),
            &form(&[("site_id", site.id.as_str()), ("status", "offered")]),
        )
        .await;
        assert_eq!(pl.status, 303, "{label}: {}", pl.body);
        let placement = s
            .placements(&kkig_store::PlacementFilter {
                student_id: Some(student.id.clone()),
                ..Default::default()
            })
            .await
            .unwrap()
            .remove(0);
        // The municipality confirms and appoints the supervisor; the university starts it.
        let c = post(
            &app,
            "muni_a",
            &format!("/vfu/placering/{}/status", placement.id),
            "to=confirmed&back=%2Fvfu%2Fkommun%2F2422%2Fplaceringar",
        )
        .await;
        assert_eq!(
            (c.status.as_u16(), location(&c)),
            (303, format!("/vfu/kommun/2422/placeringar#p-{}", placement.id)),
            "{label}"
        );
        assert_eq!(
            post(
                &app,
                "muni_b",
                &format!("/vfu/placering/{}/status", placement.id),
                "to=started"
            )
            .await
            .status,
            404,
            "{label}"
        );
        let e = post(
            &app,
            "muni_a",
            &format!("/vfu/kommun/2422/placeringar/{}", placement.id),
            &form(&[("supervisor_id", sup.id.as_str()), ("note", "")]),
        )
        .await;
        assert_eq!(e.status, 303, "{label}: {}", e.body);
        let bad = post(
            &app,
            "university",
            &format!("/vfu/placering/{}/status", placement.id),
            "to=completed",
        )
        .await;
        assert_eq!(bad.status, 409, "{label}: confirmed cannot jump to completed");
        let ok = post(
            &app,
            "university",
            &format!("/vfu/placering/{}/status", placement.id),
            &format!("to=started&back={}", enc(&period_path)),
        )
        .await;
        assert_eq!(ok.status, 303, "{label}");
        assert_eq!(
            s.placement(&placement.id).await.unwrap().unwrap().status,
            kkig_core::vfu::PlacementStatus::Started,
            "{label}"
        );

        // The student sees the placement, supervisor and travel; the supervisor sees the student.
        let mine = get(&app, Some("student"), "/vfu/min").await;
        assert_eq!(mine.status, 200, "{label}");
        assert!(
            mine.body.contains("Testskolan, Sorsele")
                && mine.body.contains("Namn supervisor")
                && mine.body.contains("min enkel resa"),
            "{label}: {}",
            mine.body
        );
        assert!(mine.body.contains("Påbörjad"), "{label}");
        let mine = get(&app, Some("supervisor"), "/vfu/min").await;
        assert!(
            mine.body.contains("Mina studenter") && mine.body.contains("Namn student"),
            "{label}: {}",
            mine.body
        );
        let other = get(&app, Some("muni_b"), "/vfu/min").await;
        assert!(other.body.contains("Ditt konto har ingen VFU"), "{label}");

        // A contact person: added, corrected, shown on the public page, removed.
        let c = post(
            &app,
            "muni_a",
            "/vfu/kommun/2422/kontakter",
            &form(&[
                ("role", "unit_responsible"),
                ("programme", "teacher"),
                ("name", "Kim Kontakt"),
                ("email", "kim@"),
                ("title", ""),
            ]),
        )
        .await;
        assert_eq!(c.status, 422, "{label}");
        assert!(
            c.body
                .contains("<p class=\"field-error\" id=\"c-email-error\">E-post: ”kim@” är ingen e-postadress.</p>"),
            "{label}: {}",
            c.body
        );
        let c = post(
            &app,
            "muni_a",
            "/vfu/kommun/2422/kontakter",
            &form(&[
                ("role", "unit_responsible"),
                ("programme", "teacher"),
                ("name", "Kim Kontakt"),
                ("email", "kim@skola.test"),
                ("title", "Rektor"),
            ]),
        )
        .await;
        assert_eq!(c.status, 303, "{label}: {}", c.body);
        let contact = s
            .vfu_contacts(Some("2422".parse().unwrap()))
            .await
            .unwrap()
            .into_iter()
            .find(|x| x.name == "Kim Kontakt")
            .unwrap();
        assert_eq!(
            get(
                &app,
                Some("muni_b"),
                &format!("/vfu/kommun/2521/kontakter/{}", contact.id)
            )
            .await
            .status,
            404,
            "{label}"
        );
        let u = post(
            &app,
            "muni_a",
            &format!("/vfu/kommun/2422/kontakter/{}", contact.id),
            &form(&[
                ("role", "manager"),
                ("programme", ""),
                ("name", "Kim Kontakt"),
                ("email", "kim@skola.test"),
                ("title", "Rektor, Testskolan"),
            ]),
        )
        .await;
        assert_eq!(u.status, 303, "{label}: {}", u.body);
        let public = app.get("/vfu/kommun/2422/vem-gor-vad?program=nursing").await;
        assert!(
            public
                .body
                .contains("<th scope=\"row\">Rektor/enhetschef</th><td>Kim Kontakt</td><td>Rektor, Testskolan</td>"),
            "{label}: {}",
            public.body
        );
        assert_eq!(
            post(
                &app,
                "muni_a",
                &format!("/vfu/kommun/2422/kontakter/{}/ta-bort", contact.id),
                ""
            )
            .await
            .status,
            303,
            "{label}"
        );
        assert!(
            !app.get("/vfu/kommun/2422/vem-gor-vad")
                .await
                .body
                .contains("Kim Kontakt"),
            "{label}"
        );

        // Every change is in the audit log with the user as actor.
        let audit = s.audit_since(0, 1_000_000).await.unwrap();
        for entity in ["placement_site", "supervisor", "vfu_period", "placement", "vfu_contact"] {
            assert!(
                audit.iter().any(|e| e.entity == entity && e.actor.starts_with("user:")),
                "{label}: {entity} audited: {:?}",
                audit.iter().rev().take(10).collect::<Vec<_>>()
            );
        }

        // Deleting: a site with placements is refused with a readable page, an empty one goes.
        let refused = post(
            &app,
            "muni_a",
            &format!("/vfu/kommun/2422/platser/{}/ta-bort", site.id),
            "",
        )
        .await;
        assert_eq!(refused.status, 409, "{label}");
        let del = post(
            &app,
            "university",
            &format!("/vfu/larosate/LTU/studenter/{}/ta-bort", student.id),
            "",
        )
        .await;
        assert_eq!(del.status, 303, "{label}");
        assert_eq!(
            post(
                &app,
                "muni_a",
                &format!("/vfu/kommun/2422/platser/{}/ta-bort", site.id),
                ""
            )
            .await
            .status,
            303,
            "{label}"
        );
        assert!(s.placement_site(&site.id).await.unwrap().is_none(), "{label}");
        assert_eq!(
            post(&app, "university", &format!("{period_path}/ta-bort"), "")
                .await
                .status,
            303,
            "{label}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn a_student_states_wishes_and_needs_on_my_vfu() {
    for app in apps(false).await {
        let label = app.db.label;
        let w = world(&app).await;
        let s = &app.db.store;
        let day = |d: i64| (time::OffsetDateTime::now_utc().date() + time::Duration::days(d)).to_string();
        let ok = post(
            &app,
            "muni_a",
            "/vfu/kommun/2422/platser/ny",
            &form(&[
                ("name", "Önskeskolan"),
                ("kind", "school"),
                ("fields", "F-3"),
                ("field_teacher_f3", "1"),
            ]),
        )
        .await;
        assert_eq!(ok.status, 303, "{label}: {}", ok.body);
        let site = s
            .placement_sites(Some("2422".parse().unwrap()))
            .await
            .unwrap()
            .remove(0);
        let ok = post(
            &app,
            "university",
            "/vfu/larosate/LTU/perioder/ny",
            &form(&[
                ("programme", "Grundlärare F-3"),
                ("course_code", "GL2"),
                ("field", "teacher_f3"),
                ("start", &day(120)),
                ("end", &day(150)),
                ("students", "5"),
            ]),
        )
        .await;
        assert_eq!(ok.status, 303, "{label}: {}", ok.body);
        let period_path = location(&ok);
        let st = post(
            &app,
            "university",
            &format!("{period_path}/studenter/ny"),
            &form(&[
                ("name", "Namn student"),
                ("email", "student@vfu.test"),
                ("home_municipality", "2422"),
                ("registerutdrag", &day(-10)),
            ]),
        )
        .await;
        assert_eq!(st.status, 303, "{label}: {}", st.body);
        let student = s
            .vfu_students(&StudentFilter {
                person_id: Some(w.users["student"].person_id.clone()),
                ..Default::default()
            })
            .await
            .unwrap()
            .remove(0);
        let action = format!("/vfu/min/{}/onskemal", student.id);

        let mine = get(&app, Some("student"), "/vfu/min").await;
        assert_eq!(mine.status, 200, "{label}");
        assert!(
            mine.body.contains("Mina önskemål och behov") && mine.body.contains(&format!("action=\"{action}\"")),
            "{label}: {}",
            mine.body
        );
        assert!(
            mine.body.contains(&format!(
                "<optgroup label=\"Platser i Sorsele\"><option value=\"{}\">Önskeskolan</option>",
                site.id
            )),
            "{label}: sites of the field by municipality"
        );
        assert!(
            mine.body.contains("<option value=\"2422\">Hela Sorsele</option>"),
            "{label}: whole municipalities"
        );

        // The same site twice: 422, the message names the second wish, what was chosen is kept.
        let bad = post(
            &app,
            "student",
            &action,
            &form(&[
                ("wish1", site.id.as_str()),
                ("wish2", site.id.as_str()),
                ("needs_public_transport", "1"),
            ]),
        )
        .await;
        assert_eq!(bad.status, 422, "{label}: {}", bad.body);
        let prefix = format!("w-{}", student.id);
        assert!(
            bad.body
                .contains("Önskemål 2: samma plats eller kommun är redan vald som ett tidigare önskemål."),
            "{label}: {}",
            bad.body
        );
        assert!(
            bad.body.contains(&format!("href=\"#{prefix}-wish2\""))
                && bad
                    .body
                    .contains(&format!("{prefix}-wish2-error\" aria-invalid=\"true\"")),
            "{label}: {}",
            bad.body
        );
        assert!(
            bad.body.contains(&format!(
                "id=\"{prefix}-needs_public_transport\" name=\"needs_public_transport\" value=\"1\" checked"
            )),
            "{label}: the ticked need is kept"
        );
        assert!(
            s.vfu_student(&student.id).await.unwrap().unwrap().wishes.is_empty(),
            "{label}: nothing saved"
        );

        let good = post(
            &app,
            "student",
            &action,
            &form(&[
                ("wish1", site.id.as_str()),
                ("wish2", "2521"),
                ("wish3", ""),
                ("needs_public_transport", "1"),
                ("priority", "medical"),
                ("note", "Kan inte resa före 8"),
            ]),
        )
        .await;
        assert_eq!(good.status, 303, "{label}: {}", good.body);
        assert_eq!(
            location(&good),
            format!("/vfu/min?sparad={}#onskemal-{}", student.id, student.id),
            "{label}"
        );
        let saved = s.vfu_student(&student.id).await.unwrap().unwrap();
        assert_eq!(
            saved.wishes.iter().map(|x| x.as_text()).collect::<Vec<_>>(),
            [site.id.as_str(), "2521"],
            "{label}"
        );
        assert!(
            saved.needs.needs_public_transport && !saved.needs.no_driving_licence,
            "{label}"
        );
        assert_eq!(
            (saved.name.as_str(), saved.requirements.clone()),
            (student.name.as_str(), student.requirements.clone()),
            "{label}: nothing else changed"
        );
        let audit = s.audit_since(0, 100_000).await.unwrap();
        let actor = format!("user:{}", w.users["student"].id);
        assert!(
            audit
                .iter()
                .any(|e| e.entity == "vfu_student" && e.entity_id == student.id && e.actor == actor),
            "{label}: audited with the student as actor"
        );
        let shown = get(&app, Some("student"), &format!("/vfu/min?sparad={}", student.id)).await;
        assert!(
            shown.body.contains("Ändringarna är sparade.")
                && shown
                    .body
                    .contains(&format!("<option value=\"{}\" selected>Önskeskolan</option>", site.id)),
            "{label}"
        );

        // Only the student's own record, and only until a placement is made.
        assert_eq!(
            post(&app, "supervisor", &action, "wish1=2422").await.status,
            404,
            "{label}"
        );
        assert_eq!(
            post(&app, "university", &action, "wish1=2422").await.status,
            404,
            "{label}: the coordinators use their own forms"
        );
        let pl = post(
            &app,
            "university",
            &format!("/vfu/larosate/LTU/studenter/{}/placera", student.id),
            &form(&[("site_id", site.id.as_str()), ("status", "offered")]),
        )
        .await;
        assert_eq!(pl.status, 303, "{label}: {}", pl.body);
        let closed = post(&app, "student", &action, "wish1=2422").await;
        assert_eq!(closed.status, 409, "{label}: {}", closed.body);
        let mine = get(&app, Some("student"), "/vfu/min").await;
        assert!(
            !mine.body.contains(&format!("action=\"{action}\""))
                && mine.body.contains("eftersom du har fått en placering"),
            "{label}: {}",
            mine.body
        );
        assert!(
            mine.body.contains("1. Önskeskolan; 2. Hela Pajala"),
            "{label}: {}",
            mine.body
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn the_compensation_basis_page_and_its_downloads() {
    for app in apps(false).await {
        let label = app.db.label;
        world(&app).await;
        let s = &app.db.store;
        let day = |d: i64| (time::OffsetDateTime::now_utc().date() + time::Duration::days(d)).to_string();
        let ok = post(
            &app,
            "muni_a",
            "/vfu/kommun/2422/platser/ny",
            &form(&[
                ("name", "Ersättningsskolan"),
                ("kind", "school"),
                ("fields", "F-3"),
                ("field_teacher_f3", "1"),
            ]),
        )
        .await;
        assert_eq!(ok.status, 303, "{label}: {}", ok.body);
        let site = s
            .placement_sites(Some("2422".parse().unwrap()))
            .await
            .unwrap()
            .remove(0);
        // 31 days: five whole weeks.
        let (start, end) = (day(120), day(150));
        let term = kkig_core::vfu::Term::of(kkig_core::vfu::Day::parse(&start).unwrap());
        let ok = post(
            &app,
            "university",
            "/vfu/larosate/LTU/perioder/ny",
            &form(&[
                ("programme", "Grundlärare F-3"),
                ("course_code", "GL3"),
                ("field", "teacher_f3"),
                ("start", &start),
                ("end", &end),
                ("students", "5"),
            ]),
        )
        .await;
        let period_path = location(&ok);
        post(
            &app,
            "university",
            &format!("{period_path}/studenter/ny"),
            &form(&[
                ("name", "Sara Student"),
                ("email", "sara@vfu.test"),
                ("home_municipality", "2422"),
            ]),
        )
        .await;
        let student = s.vfu_students(&StudentFilter::default()).await.unwrap().remove(0);
        post(
            &app,
            "university",
            &format!("/vfu/larosate/LTU/studenter/{}/placera", student.id),
            &form(&[("site_id", site.id.as_str()), ("status", "offered")]),
        )
        .await;
        let placement = s
            .placements(&kkig_store::PlacementFilter::default())
            .await
            .unwrap()
            .remove(0);
        let empty = get(&app, Some("muni_a"), "/vfu/kommun/2422/ersattning").await;
        assert_eq!(empty.status, 200, "{label}");
        assert!(
            empty.body.contains("Det finns inga bekräftade placeringar"),
            "{label}: an offered placement does not count"
        );
        let confirmed = post(
            &app,
            "muni_a",
            &format!("/vfu/placering/{}/status", placement.id),
            "to=confirmed&back=/vfu/kommun/2422/placeringar",
        )
        .await;
        assert_eq!(confirmed.status, 303, "{label}: {}", confirmed.body);

        let page = get(&app, Some("muni_a"), "/vfu/kommun/2422/ersattning").await;
        assert_eq!(page.status, 200, "{label}");
        let row = format!("<tr><th scope=\"row\">Luleå tekniska universitet (LTU)</th><td>{}</td><td class=\"num\">1</td><td class=\"num\">5,0</td><td class=\"num\">5</td></tr>", term.label_sv());
        assert!(page.body.contains(&row), "{label}: {}", page.body);
        assert!(
            page.body
                .contains("<tfoot><tr><th scope=\"row\" colspan=\"2\">Summa</th><td class=\"num\">1</td>"),
            "{label}"
        );
        assert!(
            page.body.contains("href=\"/vfu/kommun/2422/ersattning.csv\"")
                && page.body.contains("href=\"/vfu/kommun/2422/ersattning.xlsx\""),
            "{label}"
        );
        let overview = get(&app, Some("muni_a"), "/vfu/kommun/2422").await;
        assert!(
            overview.body.contains("href=\"/vfu/kommun/2422/ersattning\""),
            "{label}: linked from the municipality's overview"
        );
        assert!(
            overview
                .body
                .contains("Namn, titel, e-post och telefon visas på kommunens offentliga sida Vem gör vad."),
            "{label}: the contact form says what is public"
        );

        // Filtered by term or year; the downloads keep the filter.
        let by_term = get(
            &app,
            Some("muni_a"),
            &format!("/vfu/kommun/2422/ersattning?termin={term}"),
        )
        .await;
        assert!(
            by_term.body.contains(&row)
                && by_term
                    .body
                    .contains(&format!("href=\"/vfu/kommun/2422/ersattning.csv?termin={term}\"")),
            "{label}"
        );
        assert!(
            by_term.body.contains(&format!("<option value=\"{term}\" selected>")),
            "{label}"
        );
        let by_year = get(
            &app,
            Some("muni_a"),
            &format!("/vfu/kommun/2422/ersattning?termin={}", term.year),
        )
        .await;
        assert!(by_year.body.contains(&row), "{label}");
        let other_year = get(&app, Some("muni_a"), "/vfu/kommun/2422/ersattning?termin=2001").await;
        assert!(
            other_year.body.contains("Det finns inga bekräftade placeringar")
                && other_year.body.contains("<option value=\"2001\" selected>"),
            "{label}"
        );
        assert_eq!(
            get(&app, Some("muni_a"), "/vfu/kommun/2422/ersattning?termin=%3Cx%3E")
                .await
                .status,
            200,
            "{label}: a bad filter shows every term"
        );

        let csv = get(
            &app,
            Some("muni_a"),
            &format!("/vfu/kommun/2422/ersattning.csv?termin={term}"),
        )
        .await;
        assert_eq!(csv.status, 200, "{label}");
        assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8", "{label}");
        assert!(
            csv.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains(&format!("ersattningsunderlag-2422-{term}.csv")),
            "{label}"
        );
        assert_eq!(
            csv.body.trim_start_matches('\u{feff}'),
            format!("kommunkod;lärosäte;termin;placeringar;studentveckor\r\n2422;LTU;{term};1;5\r\n"),
            "{label}"
        );
        let xlsx = get(&app, Some("muni_a"), "/vfu/kommun/2422/ersattning.xlsx").await;
        assert_eq!(xlsx.status, 200, "{label}");
        assert!(xlsx.body.starts_with("PK"), "{label}: a zip");

        // The scope of the API: the municipality, regional coordinators and the universities.
        for (role, status) in [
            ("regional", 200),
            ("university", 200),
            ("admin", 200),
            ("muni_b", 403),
            ("supervisor", 403),
            ("student", 403),
            ("provider", 403),
        ] {
            assert_eq!(
                get(&app, Some(role), "/vfu/kommun/2422/ersattning").await.status,
                status,
                "{label}: {role}"
            );
            assert_eq!(
                get(&app, Some(role), "/vfu/kommun/2422/ersattning.csv").await.status,
                status,
                "{label}: {role} CSV"
            );
        }
        assert_ne!(
            get(&app, None, "/vfu/kommun/2422/ersattning.csv").await.status,
            200,
            "{label}: anonymous"
        );
        assert_eq!(
            get(&app, Some("muni_a"), "/vfu/kommun/9999/ersattning").await.status,
            404,
            "{label}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn a_hosting_answer_is_deleted_from_the_site_page() {
    for app in apps(false).await {
        let label = app.db.label;
        let w = world(&app).await;
        let s = &app.db.store;
        let ok = post(
            &app,
            "muni_a",
            "/vfu/kommun/2422/platser/ny",
            &form(&[
                ("name", "Intresseskolan"),
                ("kind", "school"),
                ("fields", "F-3"),
                ("field_teacher_f3", "1"),
            ]),
        )
        .await;
        assert_eq!(ok.status, 303, "{label}: {}", ok.body);
        let site = s
            .placement_sites(Some("2422".parse().unwrap()))
            .await
            .unwrap()
            .remove(0);
        let site_path = format!("/vfu/kommun/2422/platser/{}", site.id);
        for term in ["HT2030", "VT2031"] {
            let h = post(
                &app,
                "muni_a",
                &format!("{site_path}/intresse"),
                &form(&[("term", term), ("interest", "maybe"), ("capacity", "1")]),
            )
            .await;
            assert_eq!(h.status, 303, "{label}: {}", h.body);
        }
        let page = get(&app, Some("muni_a"), &site_path).await;
        let action = format!("{site_path}/intresse/HT2030/ta-bort");
        assert!(page.body.contains(&format!("<form method=\"post\" action=\"{action}\" class=\"inline-form\"><button type=\"submit\" class=\"small secondary\">Ta bort<span class=\"visually-hidden\"> – HT 2030</span></button></form>")), "{label}: {}", page.body);
        // Another municipality is refused; an unknown term or answer is not found.
        assert_eq!(post(&app, "muni_b", &action, "").await.status, 403, "{label}");
        assert_eq!(post(&app, "university", &action, "").await.status, 403, "{label}");
        assert_eq!(
            post(&app, "muni_a", &format!("{site_path}/intresse/sommar/ta-bort"), "")
                .await
                .status,
            404,
            "{label}"
        );
        assert_eq!(
            post(&app, "muni_a", &format!("{site_path}/intresse/HT2040/ta-bort"), "")
                .await
                .status,
            404,
            "{label}"
        );
        let del = post(&app, "muni_a", &action, "").await;
        assert_eq!(del.status, 303, "{label}: {}", del.body);
        assert_eq!(location(&del), format!("{site_path}?sparad=1#intresse"), "{label}");
        let left: Vec<String> = s
            .hosting_interests(Some("2422".parse().unwrap()), None)
            .await
            .unwrap()
            .into_iter()
            .map(|h| h.term.to_string())
            .collect();
        assert_eq!(left, ["VT2031"], "{label}");
        let audit = s.audit_since(0, i64::MAX).await.unwrap();
        assert!(
            audit.iter().any(|e| e.entity == "hosting_interest"
                && e.action == "delete"
                && e.actor == format!("user:{}", w.users["muni_a"].id)),
            "{label}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn a_site_is_saved_with_its_fields_ticked() {
    for app in apps(false).await {
        let label = app.db.label;
        world(&app).await;
        let s = &app.db.store;
        let form_page = get(&app, Some("muni_a"), "/vfu/kommun/2422/platser/ny").await;
        assert!(
            form_page
                .body
                .contains("<fieldset id=\"f-fields\" class=\"field field-choice\""),
            "{label}: {}",
            form_page.body
        );
        for (code, label_sv) in [
            ("teacher_forskola", "Förskollärare"),
            ("teacher_f3", "Lärare F–3"),
            ("teacher_gymnasium", "Ämneslärare gymnasiet"),
            ("nurse", "Sjuksköterska"),
            ("social_work", "Socionom"),
        ] {
            assert!(
                form_page.body.contains(&format!(
                    "<input type=\"checkbox\" id=\"f-field_{code}\" name=\"field_{code}\" value=\"1\">"
                )),
                "{label}: {code}"
            );
            assert!(
                form_page.body.contains(&format!(
                    "<label for=\"f-field_{code}\" class=\"inline\">{label_sv}</label>"
                )),
                "{label}: {code}"
            );
        }
        assert!(form_page.body.contains("<legend>Lärare</legend>") && form_page.body.contains("<label for=\"f-subjects_nurse\" class=\"subjects-label\">Avdelning eller vårdform – Sjuksköterska</label>"), "{label}");

        // A school cannot take nurses: 422 at the fieldset, what was ticked and typed is kept.
        let bad = post(
            &app,
            "muni_a",
            "/vfu/kommun/2422/platser/ny",
            &form(&[
                ("name", "Kryssskolan"),
                ("kind", "school"),
                ("field_teacher_f3", "1"),
                ("subjects_teacher_f3", "svenska, matematik"),
                ("field_nurse", "1"),
                ("subjects_nurse", "medicin"),
            ]),
        )
        .await;
        assert_eq!(bad.status, 422, "{label}: {}", bad.body);
        assert!(
            bad.body.contains("href=\"#f-fields\"") && bad.body.contains("id=\"f-fields-error\""),
            "{label}: {}",
            bad.body
        );
        assert!(
            bad.body
                .contains("id=\"f-field_nurse\" name=\"field_nurse\" value=\"1\" checked")
                && bad
                    .body
                    .contains("name=\"subjects_teacher_f3\" value=\"svenska, matematik\""),
            "{label}: {}",
            bad.body
        );
        let none = post(
            &app,
            "muni_a",
            "/vfu/kommun/2422/platser/ny",
            &form(&[
                ("name", "Kryssskolan"),
                ("kind", "school"),
                ("subjects_teacher_f3", "svenska"),
            ]),
        )
        .await;
        assert_eq!(none.status, 422, "{label}: nothing ticked");
        assert!(none.body.contains("id=\"f-fields-error\""), "{label}");

        let ok = post(
            &app,
            "muni_a",
            "/vfu/kommun/2422/platser/ny",
            &form(&[
                ("name", "Kryssskolan"),
                ("kind", "school"),
                ("field_teacher_f3", "1"),
                ("subjects_teacher_f3", "Svenska, matematik"),
                ("field_teacher_4_6", "1"),
                ("subjects_nurse", "medicin"),
            ]),
        )
        .await;
        assert_eq!(ok.status, 303, "{label}: {}", ok.body);
        let site = s
            .placement_sites(Some("2422".parse().unwrap()))
            .await
            .unwrap()
            .remove(0);
        assert_eq!(
            kkig_core::vfu::FieldSpec::format_list(&site.fields),
            "teacher_f3:svenska,matematik|teacher_4_6",
            "{label}"
        );
        let edit = get(&app, Some("muni_a"), &location(&ok)).await;
        assert!(
            edit.body
                .contains("id=\"f-field_teacher_f3\" name=\"field_teacher_f3\" value=\"1\" checked")
                && edit
                    .body
                    .contains("name=\"subjects_teacher_f3\" value=\"svenska, matematik\""),
            "{label}: {}",
            edit.body
        );
        // Unticking a field removes it; the API keeps its format.
        let up = post(
            &app,
            "muni_a",
            &format!("/vfu/kommun/2422/platser/{}", site.id),
            &form(&[("name", "Kryssskolan"), ("kind", "school"), ("field_teacher_4_6", "1")]),
        )
        .await;
        assert_eq!(up.status, 303, "{label}: {}", up.body);
        let api = get(&app, Some("muni_a"), &format!("/api/v1/vfu/sites/{}", site.id)).await;
        assert_eq!(api.json()["fields"], serde_json::json!(["teacher_4_6"]), "{label}");
        app.finish().await;
    }
}

/// Regional coordinators read a municipality's VFU pages but change nothing there (issue 12):
/// the pages show them no forms or buttons that would be refused; the municipality sees them.
#[tokio::test]
async fn municipal_pages_show_write_controls_only_to_those_who_may_write() {
    for app in apps(true).await {
        let label = app.db.label;
        let _w = world(&app).await;
        let controls = [
            ("/vfu/kommun/2422", "action=\"/vfu/kommun/2422/kontakter\""),
            ("/vfu/kommun/2422", "href=\"/vfu/kommun/2422/vem-gor-vad/andra\""),
            ("/vfu/kommun/2422/platser", "href=\"/vfu/kommun/2422/platser/ny\""),
            ("/vfu/kommun/2422/handledare", "href=\"/vfu/kommun/2422/handledare/ny\""),
            ("/vfu/kommun/2422/handledare", "/inbjudan\""),
        ];
        for (uri, control) in controls {
            let mine = get(&app, Some("muni_a"), uri).await;
            assert!(
                mine.body.contains(control),
                "{label} {uri}: the municipality sees {control}"
            );
            let regional = get(&app, Some("regional"), uri).await;
            assert_eq!(regional.status, 200, "{label} {uri}: regional reads");
            assert!(
                !regional.body.contains(control),
                "{label} {uri}: regional is not offered {control}"
            );
        }
        app.finish().await;
    }
}
