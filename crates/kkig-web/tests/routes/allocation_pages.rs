//! The allocation page (`/vfu/larosate/{uni}/perioder/{id}/fordelning`, "Kör fördelning") through
//! the whole router on the demo world: who may open it, the rules form (errors named per field,
//! 422; saved and audited), a lock refused without a reason and then kept by the next run, and
//! publishing, which changes the period's placements. Users sign in with API tokens (accepted on
//! pages too), so that each request names its role. On SQLite and PostgreSQL.

use kkig_core::access::Role;
use kkig_core::allocation::product::run;
use kkig_core::ids::{SiteId, StudentId};
use kkig_store::{Actor, AllocationStore, PlacementFilter};

use crate::common::{apps, form, get_as, location, post_form_as, users_with_tokens, TestApp, TestResponse};
use kkig_store::prelude::*;

async fn get(app: &TestApp, role: Option<&str>, uri: &str) -> TestResponse {
    get_as(app, role.map(secret).as_deref(), uri).await
}

async fn post(app: &TestApp, role: &str, uri: &str, body: &str) -> TestResponse {
    post_form_as(app, &secret(role), uri, body).await
}

fn secret(key: &str) -> String {
    format!("kkig_allocpage_{key}_secret")
}

async fn users(app: &TestApp) {
    let specs: [(&str, Role, Option<&str>); 5] = [
        ("admin", Role::Admin, None),
        ("regional", Role::Regional, None),
        ("muni", Role::Municipality, Some("2480")),
        ("ltu", Role::University, Some("LTU")),
        ("umu", Role::University, Some("UmU")),
    ];
    users_with_tokens(app, "allocpage.test", &specs, secret).await;
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

const RULES_OK: [(&str, &str); 9] = [
    ("max_travel_minutes", "120"),
    ("road_factor", "1,4"),
    ("speed_kmh", "75"),
    ("home_municipality_bonus", "30"),
    ("preference_bonus_1", "60"),
    ("preference_bonus_2", "40"),
    ("preference_bonus_3", "20"),
    ("move_penalty", "90"),
    ("unplaced_penalty", "100000"),
];

#[tokio::test]
async fn allocation_page_access() {
    for app in apps(true).await {
        let label = app.db.label;
        users(&app).await;
        let umu = app.db.store.vfu_periods(Some("UmU")).await.unwrap().remove(0).id;
        let ltu = app.db.store.vfu_periods(Some("LTU")).await.unwrap().remove(0).id;
        let page = format!("/vfu/larosate/UmU/perioder/{umu}/fordelning");
        let student = app.db.store.allocation_data(&umu).await.unwrap().unwrap().students[0]
            .id
            .clone();
        //                                                     anon admin reg  muni ltu  umu
        let rows: Vec<(String, [u16; 6])> = vec![
            (page.clone(), [303, 200, 403, 403, 403, 200]),
            (format!("{page}?lang=en"), [303, 200, 403, 403, 403, 200]),
            (format!("{page}/publicera"), [303, 200, 403, 403, 403, 200]),
            (format!("{page}/studenter/{student}"), [303, 200, 403, 403, 403, 200]),
            (
                format!("{page}/studenter/no-such-student"),
                [303, 404, 403, 403, 403, 404],
            ),
            // LTU's period under UmU's path, and a period that does not exist: not found.
            (
                format!("/vfu/larosate/UmU/perioder/{ltu}/fordelning"),
                [303, 404, 403, 403, 403, 404],
            ),
            (
                "/vfu/larosate/UmU/perioder/no-such/fordelning".into(),
                [303, 404, 403, 403, 403, 404],
            ),
            (
                "/vfu/larosate/XYZ/perioder/no-such/fordelning".into(),
                [303, 404, 404, 404, 404, 404],
            ),
        ];
        for (uri, expected) in rows {
            for (i, role) in [
                None,
                Some("admin"),
                Some("regional"),
                Some("muni"),
                Some("ltu"),
                Some("umu"),
            ]
            .into_iter()
            .enumerate()
            {
                let res = get(&app, role, &uri).await;
                assert_eq!(
                    res.status.as_u16(),
                    expected[i],
                    "{label} GET {uri} as {role:?}: {}",
                    &res.body[..res.body.len().min(400)]
                );
                if res.status == 303 {
                    assert!(
                        location(&res).starts_with("/logga-in?next=/vfu/larosate/"),
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
        // Writing is refused the same way (a form POST from another university).
        for uri in [
            page.clone(),
            format!("{page}/regler"),
            format!("{page}/publicera"),
            format!("{page}/studenter/{student}/las"),
        ] {
            assert_eq!(
                post(&app, "ltu", &uri, "").await.status.as_u16(),
                403,
                "{label} POST {uri}"
            );
        }

        // The period page links to the allocation for its coordinator.
        let period_page = get(&app, Some("umu"), &format!("/vfu/larosate/UmU/perioder/{umu}")).await;
        assert!(
            period_page.body.contains(&format!("href=\"{page}\"")),
            "{label}: the period page links to the allocation"
        );

        // The page: Swedish first, the preview's parts, the rules form, the live-run note.
        let b = get(&app, Some("umu"), &page).await.body;
        for part in [
            "<h1>Fördelning – VFU-period",
            "Kör fördelning</button>",
            "Placerade i hemkommunen",
            "<caption id=\"travel-caption\">Restid till platsen",
            "id=\"f-max_travel_minutes\"",
            "Längsta restid (minuter)",
            "Förslaget räknas fram på nytt varje gång sidan visas",
        ] {
            assert!(b.contains(part), "{label}: {part} missing in {b}");
        }
        let en = get(&app, Some("umu"), &format!("{page}?lang=en")).await.body;
        assert!(
            en.contains("<h1>Allocation – VFU period") && en.contains("Run the allocation</button>"),
            "{label}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn allocation_page_rules_lock_publish() {
    for app in apps(true).await {
        let label = app.db.label;
        users(&app).await;
        let s = &app.db.store;
        let period = s.vfu_periods(Some("UmU")).await.unwrap().remove(0).id;
        let page = format!("/vfu/larosate/UmU/perioder/{period}/fordelning");

        // Rules: a bad value is named next to its field (422), nothing is saved.
        let mut bad: Vec<(&str, &str)> = RULES_OK.to_vec();
        bad[2] = ("speed_kmh", "-5");
        bad[0] = ("max_travel_minutes", "nittio");
        let res = post(&app, "umu", &format!("{page}/regler"), &form(&bad)).await;
        assert_eq!(res.status.as_u16(), 422, "{label}: {}", res.body);
        let b = &res.body;
        assert!(b.contains("href=\"#f-speed_kmh\">Medelhastighet (km/h): ange ett tal större än 0 och högst 10\u{a0}000, till exempel 1,3.</a>"), "{label}: {b}");
        assert!(
            b.contains("href=\"#f-max_travel_minutes\">Längsta restid (minuter): ange ett heltal.</a>"),
            "{label}"
        );
        assert!(b.contains("id=\"f-speed_kmh\" name=\"speed_kmh\" value=\"-5\" aria-required=\"true\" aria-describedby=\"f-speed_kmh-hint f-speed_kmh-error\" aria-invalid=\"true\""), "{label}: {b}");
        let empty = post(&app, "umu", &format!("{page}/regler"), &form(&[("move_penalty", "")])).await;
        assert_eq!(empty.status.as_u16(), 422, "{label}");
        assert!(
            empty
                .body
                .contains("Straff för att flytta en publicerad placering måste fyllas i."),
            "{label}"
        );
        assert_eq!(audit(&app, "allocation_rules", "update").await, 0, "{label}");
        let res = post(&app, "umu", &format!("{page}/regler"), &form(&RULES_OK)).await;
        assert_eq!(
            (res.status.as_u16(), location(&res)),
            (303, format!("{page}?klart=regler#regler")),
            "{label}: {}",
            res.body
        );
        let rules = s.allocation_rules("UmU").await.unwrap();
        assert_eq!(
            (
                rules.max_travel_minutes,
                rules.road_factor,
                rules.move_penalty,
                rules.preference_bonus.clone()
            ),
            (120, 1.4, 90, vec![60, 40, 20]),
            "{label}"
        );
        assert_eq!(audit(&app, "allocation_rules", "update").await, 1, "{label}");
        let shown = get(&app, Some("umu"), &format!("{page}?klart=regler")).await.body;
        assert!(
            shown.contains("Reglerna är sparade.") && shown.contains("name=\"road_factor\" value=\"1,4\""),
            "{label}"
        );

        // "Kör fördelning" shows the page again with the run.
        let res = post(&app, "umu", &page, "").await;
        assert_eq!(
            (res.status.as_u16(), location(&res)),
            (303, format!("{page}?klart=kord#forslag")),
            "{label}"
        );

        // A placed, unlocked student and another site of the run.
        let data = s.allocation_data(&period).await.unwrap().unwrap();
        let preview = run(&data.view(), &rules).unwrap();
        let st = preview
            .students
            .iter()
            .find(|x| x.site.is_some() && !x.locked)
            .unwrap()
            .clone();
        let old_site = st.site.clone().unwrap();
        let new_site = preview
            .assignments
            .iter()
            .map(|a| a.site.clone())
            .find(|x| *x != old_site)
            .unwrap();
        let new_site_name = data.sites.iter().find(|x| x.id == new_site).unwrap().name.clone();
        let student_page = format!("{page}/studenter/{}", st.student);
        let b = get(&app, Some("umu"), &student_page).await.body;
        assert!(
            b.contains(&format!("<option value=\"{old_site}\" selected>")),
            "{label}: the proposed site is chosen first"
        );

        // A lock without a reason is refused, the field named; nothing is stored.
        let res = post(
            &app,
            "umu",
            &format!("{student_page}/las"),
            &form(&[("site", new_site.as_str()), ("reason", "  ")]),
        )
        .await;
        assert_eq!(res.status.as_u16(), 422, "{label}: {}", res.body);
        assert!(
            res.body
                .contains("<a href=\"#lock-reason\">Skäl till låset måste fyllas i.</a>"),
            "{label}: {}",
            res.body
        );
        assert!(res.body.contains("id=\"lock-reason-error\""), "{label}");
        assert!(
            res.body.contains(&format!("<option value=\"{new_site}\" selected>")),
            "{label}: the chosen site is kept"
        );
        assert!(s.allocation_locks(&period).await.unwrap().is_empty(), "{label}");
        let res = post(
            &app,
            "umu",
            &format!("{student_page}/las"),
            &form(&[("site", ""), ("reason", "Nära familjen")]),
        )
        .await;
        assert_eq!(res.status.as_u16(), 422, "{label}");
        assert!(
            res.body.contains("<a href=\"#lock-site\">Plats måste fyllas i.</a>"),
            "{label}"
        );

        // With a reason: stored with who and why, shown, and kept by the next run.
        let res = post(
            &app,
            "umu",
            &format!("{student_page}/las"),
            &form(&[("site", new_site.as_str()), ("reason", "Nära familjen")]),
        )
        .await;
        assert_eq!(
            (res.status.as_u16(), location(&res)),
            (303, format!("{page}?klart=last#s-{}", st.student)),
            "{label}: {}",
            res.body
        );
        let locks = s.allocation_locks(&period).await.unwrap();
        assert_eq!(
            (locks.len(), locks[0].site_id.as_str(), locks[0].reason.as_str()),
            (1, new_site.as_str(), "Nära familjen"),
            "{label}"
        );
        assert_eq!(audit(&app, "allocation_lock", "lock").await, 1, "{label}");
        let b = get(&app, Some("umu"), &page).await.body;
        let row = b
            .split(&format!("<tr id=\"s-{}\"", st.student))
            .nth(1)
            .unwrap()
            .split("</tr>")
            .next()
            .unwrap();
        assert!(
            row.contains(&new_site_name) && row.contains("Låst för hand"),
            "{label}: {row}"
        );
        assert!(
            b.contains("<td>Nära familjen</td><td>Namn umu</td>"),
            "{label}: the locks table shows why and who"
        );

        // Unlocking needs a reason too.
        let res = post(
            &app,
            "umu",
            &format!("{student_page}/las-upp"),
            &form(&[("reason", "")]),
        )
        .await;
        assert_eq!(res.status.as_u16(), 422, "{label}");
        assert!(
            res.body
                .contains("<a href=\"#unlock-reason\">Skäl till att låsa upp måste fyllas i.</a>"),
            "{label}"
        );
        assert_eq!(s.allocation_locks(&period).await.unwrap().len(), 1, "{label}");

        // Publishing: the confirmation names what changes; then the period's placements change.
        let active = |ps: Vec<kkig_core::vfu::Placement>| {
            let mut v: Vec<(StudentId, SiteId)> = ps
                .into_iter()
                .filter(|p| p.status.is_active())
                .map(|p| (p.student_id, p.site_id))
                .collect();
            v.sort();
            v
        };
        let before = active(
            s.placements(&PlacementFilter {
                period_id: Some(period.clone()),
                ..Default::default()
            })
            .await
            .unwrap(),
        );
        let confirm = get(&app, Some("umu"), &format!("{page}/publicera")).await;
        assert_eq!(confirm.status, 200, "{label}");
        assert!(
            confirm.body.contains("<h1>Publicera fördelningen</h1>")
                && confirm.body.contains("Nya placeringar")
                && confirm.body.contains("Publicera nu</button>"),
            "{label}"
        );
        let res = post(&app, "umu", &format!("{page}/publicera"), "").await;
        assert_eq!(res.status.as_u16(), 200, "{label}: {}", res.body);
        assert!(
            res.body.contains("<h1>Fördelningen är publicerad</h1>") && res.body.contains("Vad publiceringen ändrade"),
            "{label}"
        );
        let after = active(
            s.placements(&PlacementFilter {
                period_id: Some(period.clone()),
                ..Default::default()
            })
            .await
            .unwrap(),
        );
        assert_ne!(before, after, "{label}: publishing changes the period's placements");
        assert!(
            after.contains(&(st.student.clone(), new_site.clone())),
            "{label}: the locked student is placed at the lock's site"
        );
        assert_eq!(audit(&app, "allocation", "publish").await, 1, "{label}");
        // The site's municipality sees the offered placement in its list.
        let site_muni = data.sites.iter().find(|x| x.id == new_site).unwrap().municipality;
        let list = get(&app, Some("admin"), &format!("/vfu/kommun/{site_muni}/placeringar")).await;
        assert_eq!(list.status, 200, "{label}");
        let row = list
            .body
            .split("<tr id=\"p-")
            .find(|r| r.contains(&st.name))
            .unwrap_or_else(|| panic!("{label}: {} not in the list", st.name));
        assert!(
            row.split("</tr>").next().unwrap().contains(&new_site_name),
            "{label}: {row}"
        );
        // Nothing left to publish: 409 with a readable page, nothing written.
        let again = post(&app, "umu", &format!("{page}/publicera"), "").await;
        assert_eq!(again.status.as_u16(), 409, "{label}");
        assert!(again.body.contains("Inget att publicera"), "{label}");
        assert_eq!(audit(&app, "allocation", "publish").await, 1, "{label}");
        let b = get(&app, Some("umu"), &page).await.body;
        assert!(b.contains("Det finns inget att publicera"), "{label}");

        // Unlock with a reason.
        let res = post(
            &app,
            "umu",
            &format!("{student_page}/las-upp"),
            &form(&[("reason", "Klart")]),
        )
        .await;
        assert_eq!(res.status.as_u16(), 303, "{label}: {}", res.body);
        assert!(s.allocation_locks(&period).await.unwrap().is_empty(), "{label}");
        assert_eq!(audit(&app, "allocation_lock", "unlock").await, 1, "{label}");
        app.finish().await;
    }
}

/// Why a student is unplaced is said in the page's language, with the field's and the sites'
/// names, not in the engine's English.
#[tokio::test]
async fn unplaced_reasons_in_the_pages_language() {
    for app in apps(true).await {
        let label = app.db.label;
        users(&app).await;
        let s = &app.db.store;
        let period = s.vfu_periods(Some("UmU")).await.unwrap().remove(0).id;
        let page = format!("/vfu/larosate/UmU/perioder/{period}/fordelning");
        // One minute of travel at most: nearly nobody reaches a site.
        let mut rules = s.allocation_rules("UmU").await.unwrap();
        rules.max_travel_minutes = 1;
        s.save_allocation_rules("UmU", &rules, &Actor::system("test"))
            .await
            .unwrap();
        let data = s.allocation_data(&period).await.unwrap().unwrap();
        let preview = run(&data.view(), &rules).unwrap();
        let far = preview
            .students
            .iter()
            .filter(|x| {
                x.reason
                    .as_deref()
                    .is_some_and(|r| r.contains("within the maximum travel of 1 minutes"))
            })
            .count();
        assert!(far > 0, "{label}: students out of reach");
        let sv = get(&app, Some("umu"), &page).await.body;
        assert!(
            sv.contains("ligger inom den längsta restiden, 1 minut."),
            "{label}: {sv}"
        );
        assert!(
            !sv.contains("within the maximum travel"),
            "{label}: no English on the Swedish page"
        );
        let en = get(&app, Some("umu"), &format!("{page}?lang=en")).await.body;
        assert!(en.contains("is within the maximum travel of 1 minute."), "{label}");
        app.finish().await;
    }
}
