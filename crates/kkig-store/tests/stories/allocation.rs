//! The allocation's store story, on every backend available (SQLite always; PostgreSQL when
//! KKIG_TEST_DATABASE_URL is set): rules per university (defaults, validated, audited), manual
//! locks with reasons (audited, required reason), the registry data of a period, and publishing
//! in one transaction (placements created, moved, withdrawn; firm ones untouched; one summary
//! audit row; nothing to publish writes nothing).

use crate::audit_count;
use kkig_core::allocation::product::{default_rules, run};
use kkig_core::allocation::Rules;
use kkig_core::demo::{DemoWorld, DEFAULT_SEED};
use kkig_core::ids::{PeriodId, PersonId, SiteId, StudentId};
use kkig_core::vfu::{Day, PlacementStatus};
use kkig_store::prelude::*;
use kkig_store::testing::TestDb;
use kkig_store::{Actor, AllocationStore, PlacementFilter, StoreError};

async fn story(db: &TestDb) {
    let s = &db.store;
    let label = db.label;
    let cli = Actor::cli();
    let reference = kkig_formats::reference::embedded().unwrap();
    s.seed_reference(&reference).await.unwrap();
    s.load_demo(&DemoWorld::generate(DEFAULT_SEED, &reference))
        .await
        .unwrap();

    // Rules: defaults until saved; saved rules read back; invalid rules name the rule.
    assert_eq!(s.allocation_rules("UmU").await.unwrap(), default_rules(), "{label}");
    assert_eq!(default_rules().move_penalty, 60, "{label}");
    let rules = Rules {
        move_penalty: 50,
        max_travel_minutes: 120,
        ..Rules::default()
    };
    s.save_allocation_rules("UmU", &rules, &cli).await.unwrap();
    assert_eq!(s.allocation_rules("UmU").await.unwrap(), rules, "{label}");
    assert_eq!(s.allocation_rules("LTU").await.unwrap(), default_rules(), "{label}");
    let bad = Rules {
        road_factor: 0.0,
        ..Rules::default()
    };
    match s.save_allocation_rules("UmU", &bad, &cli).await {
        Err(StoreError::Fields(e)) => assert_eq!(e[0].field, "road_factor", "{label}"),
        other => panic!("{label}: {other:?}"),
    }
    assert!(
        matches!(
            s.save_allocation_rules("XYZ", &rules, &cli).await,
            Err(StoreError::Fields(_))
        ),
        "{label}"
    );
    assert_eq!(audit_count(s, "allocation_rules", "update").await, 1, "{label}");

    // A period's data, and a run on it: every student placed or with a reason.
    let period = s.vfu_periods(Some("UmU")).await.unwrap().remove(0);
    assert!(
        s.allocation_data(&PeriodId::from("no-such-period"))
            .await
            .unwrap()
            .is_none(),
        "{label}"
    );
    let data = s.allocation_data(&period.id).await.unwrap().unwrap();
    assert!(!data.students.is_empty(), "{label}");
    let preview = run(&data.view(), &rules).unwrap();
    assert_eq!(preview.students.len(), data.students.len(), "{label}");
    assert!(
        preview.students.iter().all(|l| l.site.is_some() != l.reason.is_some()),
        "{label}"
    );

    // Locks: reason required; lock audited with the student's person; the next run keeps it.
    let student = &data.students[0];
    let other_site = data
        .sites
        .iter()
        .find(|x| {
            x.fields.iter().any(|f| f.field == period.field)
                && preview
                    .students
                    .iter()
                    .find(|l| l.student == student.id)
                    .unwrap()
                    .site
                    .as_ref()
                    .map(SiteId::as_str)
                    != Some(x.id.as_str())
        })
        .unwrap();
    assert!(
        matches!(s.set_allocation_lock(&period.id, &student.id, &other_site.id, "  ", &cli).await, Err(StoreError::Fields(ref e)) if e[0].field == "reason"),
        "{label}"
    );
    assert!(
        matches!(s.set_allocation_lock(&period.id, &StudentId::from("nobody"), &other_site.id, "x", &cli).await, Err(StoreError::Fields(ref e)) if e[0].field == "student"),
        "{label}"
    );
    assert!(
        matches!(s.set_allocation_lock(&period.id, &student.id, &SiteId::from("no-site"), "x", &cli).await, Err(StoreError::Fields(ref e)) if e[0].field == "site"),
        "{label}"
    );
    let lock = s
        .set_allocation_lock(&period.id, &student.id, &other_site.id, "Behöver kollektivtrafik", &cli)
        .await
        .unwrap();
    assert_eq!(
        (lock.reason.as_str(), lock.locked_by.as_str()),
        ("Behöver kollektivtrafik", "cli"),
        "{label}"
    );
    assert_eq!(
        s.allocation_locks(&period.id).await.unwrap(),
        vec![lock.clone()],
        "{label}"
    );
    let log = s.audit_since(0, i64::MAX).await.unwrap();
    let entry = log
        .iter()
        .find(|e| e.entity == "allocation_lock" && e.action == "lock")
        .unwrap();
    assert_eq!(
        entry.person_id.as_ref().map(PersonId::as_str),
        Some(student.person_id.as_str()),
        "{label}"
    );
    let data = s.allocation_data(&period.id).await.unwrap().unwrap();
    let preview = run(&data.view(), &rules).unwrap();
    let line = preview.students.iter().find(|l| l.student == student.id).unwrap();
    assert_eq!(
        (line.site.as_ref().map(SiteId::as_str), line.locked),
        (Some(other_site.id.as_str()), true),
        "{label}"
    );

    // Publish: one transaction, counts, one summary row; firm placements untouched.
    let firm_before: Vec<_> = data
        .placements
        .iter()
        .filter(|p| {
            matches!(
                p.status,
                PlacementStatus::Confirmed | PlacementStatus::Started | PlacementStatus::Completed
            )
        })
        .cloned()
        .collect();
    let on = Day::ymd(2026, 1, 5);
    let report = s
        .publish_allocation(&period.id, &preview.placements(), on, &cli)
        .await
        .unwrap();
    assert!(report.changed() > 0, "{label}: {report:?}");
    assert!(
        report.created + report.moved + report.unchanged + report.firm + report.withdrawn >= preview.placed,
        "{label}: {report:?}"
    );
    assert_eq!(audit_count(s, "allocation", "publish").await, 1, "{label}");
    assert_eq!(
        audit_count(s, "placement", "allocate").await,
        report.changed(),
        "{label}"
    );
    let after = s
        .placements(&PlacementFilter {
            period_id: Some(period.id.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    for f in &firm_before {
        assert_eq!(
            after.iter().find(|p| p.id == f.id),
            Some(f),
            "{label}: firm placement untouched"
        );
    }
    let mine = after
        .iter()
        .filter(|p| p.student_id == student.id && p.status.is_active())
        .collect::<Vec<_>>();
    if !firm_before.iter().any(|p| p.student_id == student.id) {
        assert_eq!(mine.len(), 1, "{label}");
        assert_eq!(
            (mine[0].site_id.as_str(), mine[0].status),
            (other_site.id.as_str(), PlacementStatus::Offered),
            "{label}"
        );
    }
    // Every placed, non-firm student now holds exactly the published site.
    for (st, site) in preview.placements() {
        let active: Vec<_> = after
            .iter()
            .filter(|p| p.student_id == st && p.status.is_active())
            .collect();
        assert!(
            active.iter().any(|p| p.site_id == site) || firm_before.iter().any(|p| p.student_id == st),
            "{label}: {st}"
        );
    }

    // A re-run with the move penalty changes nothing: nothing to publish, nothing written.
    let data = s.allocation_data(&period.id).await.unwrap().unwrap();
    let again = run(&data.view(), &rules).unwrap();
    assert_eq!(again.summary.moved, 0, "{label}");
    let report = s
        .publish_allocation(&period.id, &again.placements(), on, &cli)
        .await
        .unwrap();
    assert_eq!(report.changed(), 0, "{label}: {report:?}");
    assert_eq!(audit_count(s, "allocation", "publish").await, 1, "{label}");

    // Unpublishing a student (not in the assignments) withdraws their offered placement.
    let offered = after
        .iter()
        .find(|p| p.status == PlacementStatus::Offered)
        .unwrap()
        .clone();
    let rest: Vec<(StudentId, SiteId)> = again
        .placements()
        .into_iter()
        .filter(|(st, _)| *st != offered.student_id)
        .collect();
    let report = s.publish_allocation(&period.id, &rest, on, &cli).await.unwrap();
    assert_eq!(
        (report.withdrawn, report.created, report.moved),
        (1, 0, 0),
        "{label}: {report:?}"
    );
    assert_eq!(
        s.placement(&offered.id).await.unwrap().unwrap().status,
        PlacementStatus::Withdrawn,
        "{label}"
    );

    // Bad assignments write nothing.
    let bad = vec![(StudentId::from("nobody"), other_site.id.clone())];
    assert!(
        matches!(
            s.publish_allocation(&period.id, &bad, on, &cli).await,
            Err(StoreError::Fields(_))
        ),
        "{label}"
    );
    assert_eq!(audit_count(s, "allocation", "publish").await, 2, "{label}");

    // Unlock: reason required, audited; false when there is no lock.
    assert!(
        matches!(
            s.delete_allocation_lock(&period.id, &student.id, "", &cli).await,
            Err(StoreError::Fields(_))
        ),
        "{label}"
    );
    assert!(
        s.delete_allocation_lock(&period.id, &student.id, "Löst med skolan", &cli)
            .await
            .unwrap(),
        "{label}"
    );
    assert!(
        !s.delete_allocation_lock(&period.id, &student.id, "igen", &cli)
            .await
            .unwrap(),
        "{label}"
    );
    assert!(s.allocation_locks(&period.id).await.unwrap().is_empty(), "{label}");
    assert_eq!(audit_count(s, "allocation_lock", "unlock").await, 1, "{label}");

    // The student's data export holds the lock; erasing the student removes it with them.
    s.set_allocation_lock(&period.id, &student.id, &other_site.id, "igen", &cli)
        .await
        .unwrap();
    let export = s.export_person(&student.person_id, &cli).await.unwrap().unwrap();
    assert_eq!(
        export["vfu"]["allocation_locks"][0]["reason"], "igen",
        "{label}: {export}"
    );
    s.erase_person(&student.person_id, "test", &cli).await.unwrap();
    assert!(s.allocation_locks(&period.id).await.unwrap().is_empty(), "{label}");
}

#[tokio::test]
async fn allocation_story_on_every_backend() {
    for db in TestDb::all().await {
        story(&db).await;
        db.finish().await;
    }
}
