//! The administrators' sync page: every source with its last run and last success, the runs in
//! progress (refreshed by htmx while one runs, flagged when silent), and the schedule; only
//! administrators see it.

use std::sync::Arc;

use kkig_core::access::Role;
use kkig_store::prelude::*;
use kkig_store::{SyncProgress, SyncRun};
use kkig_web::{app, AppState, SyncSchedule, WebConfig};

use crate::common::{apps, get_as, users_with_tokens, TestApp};

fn secret(key: &str) -> String {
    format!("kkig_{key}_sync_page")
}

/// The `<main>` element of a page.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a main element");
    let end = html[start..].find("</main>").expect("main ends") + start + "</main>".len();
    &html[start..end]
}

async fn record(app: &TestApp) {
    let s = &app.db.store;
    // 2026-11-30 05:01 and 05:02 UTC: the offerings succeeded, then Kolada failed.
    s.record_sync(&SyncRun {
        source: "offerings".into(),
        started_at: 1_796_014_800,
        finished_at: 1_796_014_860,
        ok: true,
        summary: "https://api.skolverket.se/susa-navet/emil3 (changes since 2026-11-30T05:00:00): 3 created, 12 updated, 40 unchanged, 2 removed, 0 rejected".into(),
        last_ok_at: None,
    })
    .await
    .unwrap();
    s.record_sync(&SyncRun {
        source: "kolada".into(),
        started_at: 1_796_014_900,
        finished_at: 1_796_014_920,
        ok: false,
        summary: "page 2; nothing was imported: https://api.kolada.se/v3/data?page=2 failed 3 times; the last time: HTTP 503 Service Unavailable".into(),
        last_ok_at: None,
    })
    .await
    .unwrap();
    // A population sync that started and has said nothing since (long ago: silent).
    s.sync_progress(&SyncProgress {
        source: "population".into(),
        started_at: 1_796_015_000,
        updated_at: 1_796_015_010,
        progress: String::new(),
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn the_sync_page_shows_each_source_and_the_runs_in_progress() {
    for app in apps(false).await {
        let label = app.db.label;
        let users = [("admin", Role::Admin, None), ("regional", Role::Regional, None)];
        users_with_tokens(&app, "sync.test", &users, secret).await;
        let admin = secret("admin");

        // Nothing synced yet: every source, never; no schedule; nothing refreshes.
        let res = get_as(&app, Some(&admin), "/admin/synk").await;
        assert_eq!(res.status, 200, "{label}: {}", res.body);
        let main = main_of(&res.body);
        assert_eq!(
            main.matches("<td class=\"sync-never\">Aldrig</td>").count(),
            3,
            "{label}: {main}"
        );
        assert!(main.contains("Ingen schemalagd synk"), "{label}");
        assert!(!main.contains("hx-trigger"), "{label}: nothing to refresh");
        assert!(
            res.body
                .contains(r#"<a href="/admin/synk" aria-current="page">Synk</a>"#),
            "{label}: in the admin's menu"
        );

        record(&app).await;
        for lang in ["sv", "en"] {
            let res = get_as(&app, Some(&admin), &format!("/admin/synk?lang={lang}")).await;
            assert_eq!(res.status, 200, "{label}");
            let main = main_of(&res.body);
            assert!(
                main.contains(r#"hx-get="/admin/synk" hx-trigger="every 5s""#),
                "{label}: refreshes while running"
            );
            if label == "sqlite" {
                insta::assert_snapshot!(format!("sync_page_{lang}"), main);
            }
        }

        // Others are refused; a visitor is sent to sign in.
        assert_eq!(
            get_as(&app, Some(&secret("regional")), "/admin/synk").await.status,
            403,
            "{label}"
        );
        let anon = get_as(&app, None, "/admin/synk").await;
        assert_eq!(anon.status, 303, "{label}");
        app.finish().await;
    }
}

#[tokio::test]
async fn the_sync_page_names_the_schedule_of_kkig_serve() {
    let test = apps(false).await.remove(0);
    let users = [("admin", Role::Admin, None)];
    users_with_tokens(&test, "sync.test", &users, secret).await;
    let config = WebConfig {
        sync_schedule: Some(SyncSchedule {
            every_hours: 24,
            sources: vec!["offerings".into(), "population".into()],
        }),
        ..Default::default()
    };
    let scheduled = app(AppState::new(Arc::new(test.db.store.clone()), config).unwrap());
    let auth = format!("Bearer {}", secret("admin"));
    for (lang, says) in [
        (
            "sv",
            "Schemalagd synk var 24:e timme: Utbildningar (Susa-navet), Befolkning (SCB).",
        ),
        (
            "en",
            "Scheduled sync every 24 hours: Education offerings (Susa-navet), Population (SCB).",
        ),
    ] {
        let res = test
            .send_to(
                &scheduled,
                "GET",
                &format!("/admin/synk?lang={lang}"),
                &[("authorization", auth.as_str())],
                "",
            )
            .await;
        assert_eq!(res.status, 200);
        assert!(res.body.contains(says), "{lang}: {}", main_of(&res.body));
    }
    test.finish().await;
}
