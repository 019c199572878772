//! Accounts, tokens, password links, audit, erasure and retention of students' data, on every
//! backend available.

use crate::code;
use kkig_core::ids::UserId;
use kkig_store::prelude::*;
use kkig_store::testing::TestDb;
use kkig_store::{SessionRow, SignInStart, StoreError};

mod signin;

/// Accounts, tokens, password links, throttling records, audit and erasure, on every backend.
#[tokio::test]
async fn accounts_audit_and_erasure_story() {
    use kkig_core::access::Role;
    use kkig_store::{Actor, NewUser};
    for db in TestDb::all().await {
        let s = &db.store;
        let label = db.label;
        s.seed_reference(&kkig_formats::reference::embedded().unwrap())
            .await
            .unwrap();
        let cli = Actor::cli();
        let new = NewUser {
            email: " Anna.Berg@Sorsele.se ".into(),
            name: "Anna Berg".into(),
            role: Role::Municipality,
            scope: Some("2422".into()),
        };
        let anna = s.create_user(&new, &cli).await.unwrap();
        assert_eq!(
            (anna.email.as_str(), anna.role, anna.scope.as_deref()),
            ("anna.berg@sorsele.se", Role::Municipality, Some("2422")),
            "{label}"
        );
        assert!(anna.password_hash.is_none(), "{label}: no default password");
        let dup = s
            .create_user(
                &NewUser {
                    email: "anna.berg@sorsele.se".into(),
                    ..new.clone()
                },
                &cli,
            )
            .await
            .unwrap_err();
        assert!(matches!(dup, StoreError::Conflict(_)), "{label}: {dup}");
        assert_eq!(
            s.user_by_email("ANNA.BERG@sorsele.se").await.unwrap().map(|u| u.id),
            Some(anna.id.clone()),
            "{label}"
        );
        assert_eq!(
            s.person_municipality(&anna.person_id).await.unwrap(),
            Some(Some(code("2422"))),
            "{label}"
        );

        // Password link: usable once, before it expires.
        s.create_password_reset(&anna.id, "hash-1", 2_000, &cli).await.unwrap();
        assert_eq!(
            s.password_reset_user("hash-1", 1_000).await.unwrap().map(|u| u.id),
            Some(anna.id.clone()),
            "{label}"
        );
        assert!(
            s.password_reset_user("hash-1", 2_000).await.unwrap().is_none(),
            "{label}: expired"
        );
        assert!(
            s.use_password_reset("hash-1", "$argon2id$fake", 1_500).await.unwrap(),
            "{label}"
        );
        assert!(
            !s.use_password_reset("hash-1", "$argon2id$other", 1_600).await.unwrap(),
            "{label}: used once"
        );
        assert_eq!(
            s.user_by_id(&anna.id).await.unwrap().unwrap().password_hash.as_deref(),
            Some("$argon2id$fake"),
            "{label}"
        );

        // Tokens: live until expiry, revocable by their owner only.
        s.create_api_token(&anna.id, "t1", "script", "tokhash", 5_000, &Actor::user(&anna.id))
            .await
            .unwrap();
        assert_eq!(
            s.user_for_token("tokhash", 4_999).await.unwrap().map(|u| u.id),
            Some(anna.id.clone()),
            "{label}"
        );
        assert!(
            s.user_for_token("tokhash", 5_000).await.unwrap().is_none(),
            "{label}: expired"
        );
        assert!(
            !s.revoke_api_token(&UserId::from("someone-else"), "t1", 100, &cli)
                .await
                .unwrap(),
            "{label}"
        );
        assert!(s.revoke_api_token(&anna.id, "t1", 100, &cli).await.unwrap(), "{label}");
        assert!(
            s.user_for_token("tokhash", 200).await.unwrap().is_none(),
            "{label}: revoked"
        );
        assert_eq!(
            s.api_tokens(&anna.id).await.unwrap()[0].revoked_at,
            Some(100),
            "{label}"
        );

        // Sign-in failures are shared state.
        let started = s
            .begin_sign_in("anna.berg@sorsele.se", "10.0.0.1", 1_000)
            .await
            .unwrap();
        assert!(matches!(started, SignInStart::Check(_)), "{label}");
        assert_eq!(
            s.sign_in_failures("anna.berg@sorsele.se", 0)
                .await
                .unwrap()
                .iter()
                .map(|f| (f.address.as_str(), f.at))
                .collect::<Vec<_>>(),
            vec![("10.0.0.1", 1_000)],
            "{label}"
        );

        // Disabling ends sessions and blocks tokens.
        s.session_save(
            "sess-a",
            &SessionRow {
                data: "{}".into(),
                expiry_unix: 4_000_000_000,
                user_id: Some(anna.id.clone()),
            },
        )
        .await
        .unwrap();
        assert!(s.set_user_disabled(&anna.id, true, &cli).await.unwrap(), "{label}");
        assert!(s.session_load("sess-a").await.unwrap().is_none(), "{label}");
        s.set_user_disabled(&anna.id, false, &cli).await.unwrap();

        // Shared record update is audited with before and after.
        let services = kkig_core::LearningCentreServices {
            learning_centre_id: "lc-2422".into(),
            study_places: 12,
            exam_sittings: true,
            video_rooms: 2,
            study_guidance: false,
        };
        assert!(
            s.update_learning_centre_services(&services, &Actor::user(&anna.id))
                .await
                .unwrap(),
            "{label}"
        );
        assert!(
            !s.update_learning_centre_services(
                &kkig_core::LearningCentreServices {
                    learning_centre_id: "lc-x".into(),
                    ..services.clone()
                },
                &cli
            )
            .await
            .unwrap(),
            "{label}"
        );

        let log = s.audit_since(0, 1000).await.unwrap();
        let actions: Vec<_> = log
            .iter()
            .map(|e| format!("{} {} {}", e.actor.split(':').next().unwrap(), e.action, e.entity))
            .collect();
        assert!(
            actions.contains(&"cli create person".to_string()) && actions.contains(&"cli create user".to_string()),
            "{label}: {actions:?}"
        );
        assert!(
            actions.contains(&"user update learning_centre_services".to_string()),
            "{label}: {actions:?}"
        );
        assert!(
            log.iter()
                .all(|e| e.after.as_deref().is_none_or(|a| !a.contains("argon2"))),
            "{label}: no hashes in the audit log"
        );

        // Export holds everything about the person and is itself audited.
        let export = s.export_person(&anna.person_id, &cli).await.unwrap().unwrap();
        assert_eq!(export["person"]["email"], "anna.berg@sorsele.se", "{label}");
        assert_eq!(export["accounts"][0]["api_tokens"][0]["name"], "script", "{label}");
        assert!(
            !export.to_string().contains("argon2") && !export.to_string().contains("tokhash"),
            "{label}: no secrets"
        );
        assert!(
            s.audit_since(0, 1000)
                .await
                .unwrap()
                .iter()
                .any(|e| e.action == "export"),
            "{label}"
        );

        // Erasure: no table holds the name or the e-mail afterwards.
        assert!(
            s.erase_person(&anna.person_id, "request", &cli).await.unwrap(),
            "{label}"
        );
        assert!(
            !s.erase_person(&anna.person_id, "request", &cli).await.unwrap(),
            "{label}: gone"
        );
        let dump = s.dump_all_text().await.unwrap();
        assert!(
            dump.iter().any(|(t, _)| t == "audit_log"),
            "{label}: the scan sees every table"
        );
        for (table, row) in &dump {
            let lower = row.to_lowercase();
            assert!(
                !lower.contains("anna berg") && !lower.contains("anna.berg@sorsele.se"),
                "{label}: {table} still holds the person: {row}"
            );
        }
        let counts = dump.iter().filter(|(t, _)| t == "erasure_counts").count();
        assert_eq!(counts, 1, "{label}: the anonymous count is kept");

        // Retention candidates are students with an end date.
        let student = s
            .create_person(
                "Sara Student",
                Some("sara@student.se"),
                "student",
                Some(code("2521")),
                &cli,
            )
            .await
            .unwrap();
        s.set_last_period_end(&student, Some("2024-06-14"), &cli).await.unwrap();
        assert!(
            s.set_last_period_end(&student, Some("14/6/2024"), &cli).await.is_err(),
            "{label}"
        );
        let c = s.retention_candidates().await.unwrap();
        assert_eq!((c.len(), c[0].last_period_end.as_str()), (1, "2024-06-14"), "{label}");
        db.finish().await;
    }
}

#[tokio::test]
async fn retention_erases_students_months_after_their_last_period() {
    use kkig_store::{retention, Actor};
    use time::macros::date;
    for db in TestDb::all().await {
        let s = &db.store;
        let label = db.label;
        s.seed_reference(&kkig_formats::reference::embedded().unwrap())
            .await
            .unwrap();
        let cli = Actor::cli();
        let old = s
            .create_person(
                "Olle Gammal",
                Some("olle@student.se"),
                "student",
                Some(code("2422")),
                &cli,
            )
            .await
            .unwrap();
        let recent = s
            .create_person("Rut Ny", Some("rut@student.se"), "student", Some(code("2422")), &cli)
            .await
            .unwrap();
        let never = s.create_person("Nils Utan", None, "student", None, &cli).await.unwrap();
        s.set_last_period_end(&old, Some("2024-06-14"), &cli).await.unwrap();
        s.set_last_period_end(&recent, Some("2025-01-20"), &cli).await.unwrap();

        let today = date!(2026 - 11 - 28);
        let due = retention::due(s, 24, today).await.unwrap();
        assert_eq!(
            due.iter().map(|c| c.person_id.as_str()).collect::<Vec<_>>(),
            [old.as_str()],
            "{label}"
        );
        // A dry run changes nothing.
        assert!(s.person_municipality(&old).await.unwrap().is_some(), "{label}");
        let erased = retention::apply(s, 24, today).await.unwrap();
        assert_eq!(erased.len(), 1, "{label}");
        assert!(s.person_municipality(&old).await.unwrap().is_none(), "{label}");
        assert!(s.person_municipality(&recent).await.unwrap().is_some(), "{label}");
        assert!(s.person_municipality(&never).await.unwrap().is_some(), "{label}");
        let log = s.audit_since(0, 1000).await.unwrap();
        assert!(
            log.iter().any(|e| e.action == "erase" && e.actor == "system:retention"),
            "{label}"
        );
        db.finish().await;
    }
}
