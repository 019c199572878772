//! Signing in, as the store keeps it: throttling that counts parallel attempts, limits per
//! account and address, and password links that a new password or a disabled account voids.
//! On every backend available (SQLite always; PostgreSQL when KKIG_TEST_DATABASE_URL is set).

use std::sync::Arc;

use kkig_core::privacy::THROTTLE_WINDOW_SECS;
use kkig_store::prelude::*;
use kkig_store::testing::TestDb;
use kkig_store::{SignInStart, Store};

const NOW: i64 = 1_900_000_000;

async fn start(s: &dyn Store, account: &str, address: &str, at: i64) -> SignInStart {
    s.begin_sign_in(account, address, at).await.unwrap()
}

fn checked(start: &SignInStart) -> bool {
    matches!(start, SignInStart::Check(_))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_attempts_are_checked_and_counted_one_after_the_other() {
    for db in TestDb::all().await {
        let label = db.label;
        let store: Arc<dyn Store> = Arc::new(db.store.clone());
        // Open the pool's connections first, so that the twelve really run side by side.
        let mut warm = tokio::task::JoinSet::new();
        for i in 0..12 {
            let store = store.clone();
            warm.spawn(async move { start(store.as_ref(), &format!("warm{i}@kkig.test"), "203.0.113.1", NOW).await });
        }
        while warm.join_next().await.is_some() {}
        let go = Arc::new(tokio::sync::Barrier::new(12));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..12 {
            let (store, go) = (store.clone(), go.clone());
            tasks.spawn(async move {
                go.wait().await;
                start(store.as_ref(), "eva@kkig.test", "203.0.113.9", NOW).await
            });
        }
        let mut starts = Vec::new();
        while let Some(done) = tasks.join_next().await {
            starts.push(done.unwrap());
        }
        let passed = starts.iter().filter(|s| checked(s)).count();
        assert_eq!(passed, 5, "{label}: {starts:?}");
        for s in starts.iter().filter(|s| !checked(s)) {
            assert_eq!(
                s,
                &SignInStart::Refused {
                    retry_after: THROTTLE_WINDOW_SECS
                },
                "{label}"
            );
        }
        // Exactly the attempts that went on to a password check count as failures.
        assert_eq!(
            store.sign_in_failures("eva@kkig.test", 0).await.unwrap().len(),
            5,
            "{label}"
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn limits_per_account_and_address_per_account_and_per_address() {
    for db in TestDb::all().await {
        let label = db.label;
        let s = &db.store;
        // Five failures of one account from one address: refused from there, not elsewhere.
        for i in 0..5 {
            assert!(
                checked(&start(s, "eva@kkig.test", "203.0.113.9", NOW + i).await),
                "{label} {i}"
            );
        }
        let refused = start(s, "eva@kkig.test", "203.0.113.9", NOW + 10).await;
        assert_eq!(
            refused,
            SignInStart::Refused {
                retry_after: THROTTLE_WINDOW_SECS - 10
            },
            "{label}"
        );
        assert!(
            checked(&start(s, "eva@kkig.test", "198.51.100.1", NOW + 10).await),
            "{label}"
        );
        // Other accounts from the same address are not concerned.
        assert!(
            checked(&start(s, "olle@kkig.test", "203.0.113.9", NOW + 10).await),
            "{label}"
        );
        // After the window, the address may try the account again.
        assert!(
            checked(&start(s, "eva@kkig.test", "203.0.113.9", NOW + THROTTLE_WINDOW_SECS).await),
            "{label}"
        );

        // 50 failures of one account over many addresses: refused everywhere.
        for i in 0..50 {
            let address = format!("192.0.2.{}", i / 5);
            assert!(
                checked(&start(s, "kalle@kkig.test", &address, NOW).await),
                "{label} {i}"
            );
        }
        let fresh = start(s, "kalle@kkig.test", "192.0.2.200", NOW + 1).await;
        assert_eq!(
            fresh,
            SignInStart::Refused {
                retry_after: THROTTLE_WINDOW_SECS - 1
            },
            "{label}"
        );

        // 20 failures from one address over many accounts: the password is still checked, and
        // a wrong one is to be answered "too many attempts".
        for i in 0..20 {
            let SignInStart::Check(a) = start(s, &format!("u{i}@kkig.test"), "233.252.0.1", NOW).await else {
                panic!("{label} {i}");
            };
            assert_eq!(a.address_limited, None, "{label} {i}");
        }
        let SignInStart::Check(a) = start(s, "lisa@kkig.test", "233.252.0.1", NOW + 5).await else {
            panic!("{label}: an address over its limit still gets its passwords checked");
        };
        assert_eq!(a.address_limited, Some(THROTTLE_WINDOW_SECS - 5), "{label}");

        // A success takes the attempt back and clears this address's failures for the account,
        // but not those from elsewhere.
        let SignInStart::Check(ok) = start(s, "eva@kkig.test", "198.51.100.1", NOW + 20).await else {
            panic!("{label}")
        };
        let before = s.sign_in_failures("eva@kkig.test", 0).await.unwrap();
        assert_eq!(
            before.iter().filter(|f| f.address == "198.51.100.1").count(),
            2,
            "{label}"
        );
        s.sign_in_succeeded(&ok).await.unwrap();
        let after = s.sign_in_failures("eva@kkig.test", 0).await.unwrap();
        assert_eq!(after.len(), before.len() - 2, "{label}");
        assert!(after.iter().all(|f| f.address == "203.0.113.9"), "{label}: {after:?}");

        // Old state is purged.
        let removed = s.purge_sign_in_failures(NOW + 1).await.unwrap();
        assert!(removed >= 70, "{label}: {removed}");
        assert_eq!(
            s.sign_in_failures("kalle@kkig.test", 0).await.unwrap(),
            vec![],
            "{label}"
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn a_new_password_or_a_disabled_account_voids_every_other_link() {
    use kkig_core::access::Role;
    use kkig_store::{Actor, NewUser};
    for db in TestDb::all().await {
        let label = db.label;
        let s = &db.store;
        let cli = Actor::cli();
        let user = |email: &str| NewUser {
            email: email.into(),
            name: "Namn".into(),
            role: Role::Regional,
            scope: None,
        };
        let u = s.create_user(&user("ada@kkig.test"), &cli).await.unwrap();
        let other = s.create_user(&user("bo@kkig.test"), &cli).await.unwrap();
        let far = NOW + 86_400;
        let live = |hash: &'static str| async move { s.password_reset_user(hash, NOW).await.unwrap().is_some() };
        s.create_password_reset(&other.id, "other-link", far, &cli)
            .await
            .unwrap();

        // Three links; choosing a password with one voids the other two.
        for h in ["link-1", "link-2", "link-3"] {
            s.create_password_reset(&u.id, h, far, &cli).await.unwrap();
        }
        assert!(live("link-1").await && live("link-3").await, "{label}");
        assert!(
            s.use_password_reset("link-2", "$argon2id$two", NOW).await.unwrap(),
            "{label}"
        );
        assert!(!live("link-1").await && !live("link-3").await, "{label}: voided");
        assert!(
            !s.use_password_reset("link-1", "$argon2id$one", NOW).await.unwrap(),
            "{label}"
        );
        assert_eq!(
            s.user_by_id(&u.id).await.unwrap().unwrap().password_hash.as_deref(),
            Some("$argon2id$two"),
            "{label}"
        );

        // So does a password set otherwise (the command line).
        s.create_password_reset(&u.id, "link-4", far, &cli).await.unwrap();
        s.set_password_hash(&u.id, "$argon2id$cli", &cli).await.unwrap();
        assert!(!live("link-4").await, "{label}");

        // Disabling voids them, and enabling again does not bring them back.
        s.create_password_reset(&u.id, "link-5", far, &cli).await.unwrap();
        assert!(s.set_user_disabled(&u.id, true, &cli).await.unwrap(), "{label}");
        assert!(s.set_user_disabled(&u.id, false, &cli).await.unwrap(), "{label}");
        assert!(!live("link-5").await, "{label}");
        assert!(
            !s.use_password_reset("link-5", "$argon2id$five", NOW).await.unwrap(),
            "{label}"
        );
        // A link made after that works.
        s.create_password_reset(&u.id, "link-6", far, &cli).await.unwrap();
        assert!(live("link-6").await, "{label}");

        // Another account's link is not touched; the audit log says what was voided.
        assert!(live("other-link").await, "{label}");
        let log = s.audit_since(0, 1000).await.unwrap();
        let voided: Vec<_> = log
            .iter()
            .filter_map(|e| e.after.as_deref())
            .filter(|a| a.contains("password_links_voided"))
            .collect();
        assert_eq!(
            voided,
            vec![
                r#"{"password":"changed","password_links_voided":2}"#,
                r#"{"password":"changed","password_links_voided":1}"#,
                r#"{"disabled":true,"password_links_voided":1}"#,
            ],
            "{label}"
        );
        db.finish().await;
    }
}
