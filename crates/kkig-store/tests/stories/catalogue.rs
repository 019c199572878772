//! The education catalogue: offerings upserted by id, the travel-time matrix replaced, the
//! catalogue version.

use crate::code;
use kkig_core::demo::{DemoWorld, DEFAULT_SEED};
use kkig_store::testing::TestDb;
use kkig_store::OfferingRemoval;

use kkig_store::prelude::*;

#[tokio::test]
async fn catalogue_upserts_by_id_and_travel_matrix_replaces() {
    use kkig_store::{Actor, ImportReport};
    for db in TestDb::all().await {
        let s = &db.store;
        let label = db.label;
        let reference = kkig_formats::reference::embedded().unwrap();
        s.seed_reference(&reference).await.unwrap();
        let world = DemoWorld::generate(DEFAULT_SEED, &reference);
        let some: Vec<_> = world.offerings.iter().take(20).cloned().collect();
        let v0 = s.catalogue_version().await.unwrap();
        let cli = Actor::cli();
        assert_eq!(
            s.upsert_offerings(&some, &cli).await.unwrap(),
            ImportReport {
                created: 20,
                updated: 0,
                unchanged: 0,
                removed: 0
            },
            "{label}"
        );
        let v1 = s.catalogue_version().await.unwrap();
        assert!(v1 > v0, "{label}");
        // Importing twice changes nothing, not even the version.
        assert_eq!(
            s.upsert_offerings(&some, &cli).await.unwrap(),
            ImportReport {
                created: 0,
                updated: 0,
                unchanged: 20,
                removed: 0
            },
            "{label}"
        );
        assert_eq!(s.catalogue_version().await.unwrap(), v1, "{label}");
        let mut changed = some.clone();
        changed[3].title = "Ändrad titel".into();
        assert_eq!(
            s.upsert_offerings(&changed, &cli).await.unwrap(),
            ImportReport {
                created: 0,
                updated: 1,
                unchanged: 19,
                removed: 0
            },
            "{label}"
        );
        let stored = s.offerings().await.unwrap();
        assert_eq!(stored.len(), 20, "{label}");
        assert!(
            stored
                .iter()
                .any(|o| o.title == "Ändrad titel" && o.id == changed[3].id),
            "{label}"
        );
        // Offerings round-trip exactly.
        let mut sorted = changed.clone();
        sorted.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(stored, sorted, "{label}");

        // What the publisher deleted or cancelled goes, in the same transaction as the upserts:
        // an event by its id, an education or a provider with every offering of it.
        let goes = |o: &kkig_core::catalogue::Offering| {
            o.id == stored[0].id || o.education_id == stored[5].education_id || o.provider_id == stored[9].provider_id
        };
        let expected = stored.iter().filter(|o| goes(o)).count();
        assert!((3..20).contains(&expected), "{label}: {expected}");
        let removals = [
            OfferingRemoval::Event(stored[0].id.clone()),
            OfferingRemoval::Education(stored[5].education_id.clone()),
            OfferingRemoval::Provider(stored[9].provider_id.clone()),
            OfferingRemoval::Event("e.not.there".into()),
        ];
        let v_before = s.catalogue_version().await.unwrap();
        let report = s.import_offerings(&[], &removals, &cli).await.unwrap();
        assert_eq!(report.removed, expected, "{label}: {report:?}");
        assert!(s.catalogue_version().await.unwrap() > v_before, "{label}");
        let left = s.offerings().await.unwrap();
        assert_eq!(left.len(), 20 - report.removed, "{label}");
        assert!(!left.iter().any(|o| o.id == stored[0].id), "{label}");
        assert!(
            !left.iter().any(|o| o.education_id == stored[5].education_id),
            "{label}"
        );
        assert!(!left.iter().any(|o| o.provider_id == stored[9].provider_id), "{label}");
        // nothing left to remove: nothing changes, not even the version
        let v_after = s.catalogue_version().await.unwrap();
        assert_eq!(
            s.import_offerings(&[], &removals, &cli).await.unwrap().removed,
            0,
            "{label}"
        );
        assert_eq!(s.catalogue_version().await.unwrap(), v_after, "{label}");
        // put them back for what follows
        assert_eq!(
            s.upsert_offerings(&changed, &cli).await.unwrap().created,
            report.removed,
            "{label}"
        );

        let k = |c: &str| code(c);
        let n = s
            .replace_travel_matrix(&[(k("2422"), k("2480"), 240), (k("2422"), k("2481"), 95)], &cli)
            .await
            .unwrap();
        assert_eq!(n, 2, "{label}");
        assert_eq!(
            s.replace_travel_matrix(&[(k("2422"), k("2480"), 250)], &cli)
                .await
                .unwrap(),
            1,
            "{label}"
        );
        assert_eq!(
            s.travel_matrix().await.unwrap(),
            vec![(k("2422"), k("2480"), 250)],
            "{label}"
        );
        assert!(s.catalogue_version().await.unwrap() > v1, "{label}");
        // Real offerings now exist: the demo is refused.
        assert!(s.load_demo(&world).await.is_err(), "{label}");

        // A large import goes in chunks of statements; the report and the data are the same
        // as one by one, across the chunk boundaries.
        let many: Vec<_> = (0..1234)
            .map(|i| {
                let mut o = world.offerings[i % world.offerings.len()].clone();
                o.id = format!("bulk-{i:05}");
                o
            })
            .collect();
        assert_eq!(
            s.upsert_offerings(&many, &cli).await.unwrap(),
            ImportReport {
                created: 1234,
                updated: 0,
                unchanged: 0,
                removed: 0
            },
            "{label}"
        );
        let mut again = many.clone();
        for i in [0, 499, 500, 1000, 1233] {
            again[i].title = format!("Ändrad {i}");
        }
        assert_eq!(
            s.upsert_offerings(&again, &cli).await.unwrap(),
            ImportReport {
                created: 0,
                updated: 5,
                unchanged: 1229,
                removed: 0
            },
            "{label}"
        );
        let stored = s.offerings().await.unwrap();
        assert_eq!(stored.len(), 20 + 1234, "{label}");
        assert!(
            stored.iter().any(|o| o.id == "bulk-00500" && o.title == "Ändrad 500"),
            "{label}"
        );
        // The same id twice in one import is refused and writes nothing.
        let twice = vec![many[0].clone(), many[0].clone()];
        assert!(s.upsert_offerings(&twice, &cli).await.is_err(), "{label}");
        db.finish().await;
    }
}
