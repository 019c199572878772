//! The VFU registry's store story, on every backend available (SQLite always; PostgreSQL when
//! KKIG_TEST_DATABASE_URL is set): CRUD of each entity with audit rows, scoped queries, imports
//! in one transaction, the views, retention dates, export and erasure.

use crate::{audit_count, code};
use kkig_core::ids::*;
use kkig_core::vfu::lifecycle::Timeline;
use kkig_core::vfu::raci::{RaciCell, RaciModel, RaciRole, RaciTask, VfuContact};
use kkig_core::vfu::*;
use kkig_core::Position;
use kkig_store::prelude::*;
use kkig_store::testing::TestDb;
use kkig_store::{Actor, PlacementFilter, SqlStore, StoreError, StudentFilter};
use sqlx::Row;

fn site(id: &str, m: &str, name: &str, kind: SiteKind, fields: &str) -> PlacementSite {
    PlacementSite {
        id: id.into(),
        municipality: code(m),
        name: name.into(),
        kind,
        address: "Storgatan 1".into(),
        position: Position::new(65.5, 17.5).unwrap(),
        fields: FieldSpec::parse_list(fields).unwrap(),
    }
}

fn supervisor(email: &str, m: &str, site: Option<&str>, field: &str, level: TrainingLevel) -> Supervisor {
    Supervisor {
        id: SupervisorId::default(),
        person_id: PersonId::default(),
        name: format!("Handledare {email}"),
        email: email.into(),
        phone: "070-123 45 67".into(),
        municipality: code(m),
        site_id: site.map(SiteId::from),
        fields: FieldSpec::parse_list(field).unwrap(),
        employment_percent: 87.5,
        training: Training {
            level,
            date: (level >= TrainingLevel::CourseStarted).then(|| Day::ymd(2024, 6, 1)),
            university: (level == TrainingLevel::Completed).then(|| "UmU".into()),
        },
        students_per_period: 1,
        unavailable_terms: vec![],
        consent_contact: true,
        invite: InviteStatus::NotInvited,
        invite_date: None,
    }
}

fn period(id: &str, uni: &str, field: VfuField, start: Day, end: Day, students: u32) -> VfuPeriod {
    VfuPeriod {
        id: id.into(),
        university: uni.into(),
        programme: "Programmet".into(),
        course_code: "6PE123".into(),
        term: Term::of(start),
        start,
        end,
        field,
        students,
        requirements: Requirement::defaults_for(field),
        capacity_deadline: Timeline::default_capacity_deadline(start),
    }
}

fn student(period: &str, email: &str, name: &str, home: &str, field: VfuField) -> VfuStudent {
    VfuStudent {
        id: StudentId::default(),
        person_id: PersonId::default(),
        period_id: period.into(),
        name: name.into(),
        email: email.into(),
        home_municipality: code(home),
        home_position: Some(Position::new(65.6, 17.6).unwrap()),
        field,
        subjects: vec!["matematik".into()],
        wishes: vec![Wish::Municipality(code(home))],
        needs: Needs {
            no_driving_licence: true,
            note: "behöver buss".into(),
            ..Default::default()
        },
        requirements: vec![],
    }
}

async fn count(s: &SqlStore, table: &str) -> i64 {
    sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(s.pool())
        .await
        .unwrap()
        .get(0)
}

async fn last_period_end(s: &SqlStore, person: &str) -> Option<String> {
    sqlx::query("SELECT last_period_end FROM persons WHERE id = $1")
        .bind(person)
        .fetch_one(s.pool())
        .await
        .unwrap()
        .get(0)
}

fn field_names(e: &StoreError) -> Vec<String> {
    match e {
        StoreError::Fields(v) => v.iter().map(|f| f.field.clone()).collect(),
        other => panic!("expected field errors, got {other}"),
    }
}

async fn story(db: &TestDb) {
    let s = &db.store;
    let label = db.label;
    let cli = Actor::cli();
    s.seed_reference(&kkig_formats::reference::embedded().unwrap())
        .await
        .unwrap();
    let f3 = VfuField::Teacher(TeacherLevel::F3);

    // --- Sites: create, read, update, scope, delete; all audited.
    let school = site(
        "s-sorsele-1",
        "2422",
        "Björkskolan",
        SiteKind::School,
        "teacher_f3:svenska|teacher_4_6",
    );
    assert_eq!(
        s.create_placement_site(&school, &cli).await.unwrap(),
        "s-sorsele-1",
        "{label}"
    );
    let care = site(
        "",
        "2422",
        "Tallgårdens särskilda boende",
        SiteKind::CareHome,
        "nurse:äldrevård",
    );
    let care_id = s.create_placement_site(&care, &cli).await.unwrap();
    assert!(care_id.as_str().starts_with("site-"), "{label}: {care_id}");
    let other = site("s-pajala-1", "2521", "Älvskolan", SiteKind::School, "teacher_f3");
    s.create_placement_site(&other, &cli).await.unwrap();
    let dup = s.create_placement_site(&school, &cli).await.unwrap_err();
    assert_eq!(field_names(&dup), ["id"], "{label}");
    let bad = PlacementSite {
        fields: vec![FieldSpec::new(VfuField::Nurse)],
        ..site("s-x", "2422", "", SiteKind::School, "teacher_f3")
    };
    let e = s.create_placement_site(&bad, &cli).await.unwrap_err();
    assert_eq!(field_names(&e), ["name", "fields"], "{label}: {e}");
    assert_eq!(
        s.placement_site(&SiteId::from("s-sorsele-1")).await.unwrap().as_ref(),
        Some(&school),
        "{label}: round trip"
    );
    let mut renamed = school.clone();
    renamed.name = "Björkskolan F–6".into();
    assert!(s.update_placement_site(&renamed, &cli).await.unwrap(), "{label}");
    assert!(
        !s.update_placement_site(&site("nope", "2422", "x", SiteKind::School, "teacher_f3"), &cli)
            .await
            .unwrap(),
        "{label}"
    );
    let sorsele: Vec<String> = s
        .placement_sites(Some(code("2422")))
        .await
        .unwrap()
        .into_iter()
        .map(|x| x.name)
        .collect();
    assert_eq!(
        sorsele,
        ["Björkskolan F–6", "Tallgårdens särskilda boende"],
        "{label}: scoped and in Swedish order"
    );
    assert_eq!(audit_count(s, "placement_site", "create").await, 3, "{label}");
    assert_eq!(audit_count(s, "placement_site", "update").await, 1, "{label}");

    // Hosting interest per term.
    let yes = HostingInterest {
        site_id: "s-sorsele-1".into(),
        term: Term::spring(2026),
        interest: Interest::Yes,
        capacity: 2,
        reason: String::new(),
    };
    s.set_hosting_interest(&yes, &cli).await.unwrap();
    let no = HostingInterest {
        site_id: care_id.clone(),
        term: Term::spring(2026),
        interest: Interest::No,
        capacity: 0,
        reason: String::new(),
    };
    assert_eq!(
        field_names(&s.set_hosting_interest(&no, &cli).await.unwrap_err()),
        ["reason"],
        "{label}"
    );
    s.set_hosting_interest(
        &HostingInterest {
            reason: "Ombyggnad".into(),
            ..no.clone()
        },
        &cli,
    )
    .await
    .unwrap();
    s.set_hosting_interest(
        &HostingInterest {
            capacity: 3,
            ..yes.clone()
        },
        &cli,
    )
    .await
    .unwrap();
    let h = s
        .hosting_interests(Some(code("2422")), Some(Term::spring(2026)))
        .await
        .unwrap();
    assert_eq!(h.len(), 2, "{label}");
    assert_eq!(
        h.iter().find(|x| x.site_id == "s-sorsele-1").unwrap().capacity,
        3,
        "{label}: replaced"
    );
    assert!(
        s.hosting_interests(Some(code("2521")), None).await.unwrap().is_empty(),
        "{label}"
    );
    // An answer is deleted (not only replaced), audited with what it was.
    let autumn = HostingInterest {
        term: Term::autumn(2026),
        interest: Interest::Maybe,
        capacity: 1,
        ..yes.clone()
    };
    s.set_hosting_interest(&autumn, &cli).await.unwrap();
    assert_eq!(
        s.hosting_interests(Some(code("2422")), Some(Term::autumn(2026)))
            .await
            .unwrap()
            .len(),
        1,
        "{label}"
    );
    assert!(
        s.delete_hosting_interest(&SiteId::from("s-sorsele-1"), Term::autumn(2026), &cli)
            .await
            .unwrap(),
        "{label}"
    );
    assert!(
        s.hosting_interests(Some(code("2422")), Some(Term::autumn(2026)))
            .await
            .unwrap()
            .is_empty(),
        "{label}: gone"
    );
    assert!(
        !s.delete_hosting_interest(&SiteId::from("s-sorsele-1"), Term::autumn(2026), &cli)
            .await
            .unwrap(),
        "{label}: nothing to delete twice"
    );
    assert_eq!(
        s.hosting_interests(Some(code("2422")), Some(Term::spring(2026)))
            .await
            .unwrap()
            .len(),
        2,
        "{label}: other terms kept"
    );
    assert_eq!(audit_count(s, "hosting_interest", "delete").await, 1, "{label}");
    let audit = s.audit_since(0, i64::MAX).await.unwrap();
    let deleted = audit
        .iter()
        .find(|e| e.entity == "hosting_interest" && e.action == "delete")
        .unwrap();
    assert_eq!(deleted.entity_id, "s-sorsele-1/HT2026", "{label}");
    assert!(
        deleted.before.as_deref().is_some_and(|b| b.contains("\"maybe\"")) && deleted.after.is_none(),
        "{label}: {:?}",
        deleted.before
    );

    // --- Periods.
    let vt = Day::ymd(2026, 1, 19);
    let p1 = period("umu-vt26-f3", "UmU", f3, vt, Day::ymd(2026, 2, 20), 10);
    s.create_vfu_period(&p1, &cli).await.unwrap();
    let bad = VfuPeriod {
        end: Day::ymd(2026, 1, 1),
        ..period("x", "KTH", f3, vt, vt, 1)
    };
    assert_eq!(
        field_names(&s.create_vfu_period(&bad, &cli).await.unwrap_err()),
        ["university", "end"],
        "{label}"
    );
    let ht = Day::ymd(2026, 9, 7);
    let p2 = period("ltu-ht26-nurse", "LTU", VfuField::Nurse, ht, Day::ymd(2026, 10, 9), 4);
    s.create_vfu_period(&p2, &cli).await.unwrap();
    assert_eq!(
        s.vfu_periods(Some("UmU")).await.unwrap(),
        vec![p1.clone()],
        "{label}: scoped, round trip"
    );
    assert_eq!(s.vfu_periods(None).await.unwrap().len(), 2, "{label}");

    // --- Supervisors: the person is created; e-mail unique among supervisors.
    let anna = s
        .create_supervisor(
            &supervisor(
                "Anna@Sorsele.se",
                "2422",
                Some("s-sorsele-1"),
                "teacher_f3",
                TrainingLevel::Completed,
            ),
            &cli,
        )
        .await
        .unwrap();
    assert!(
        anna.id.as_str().starts_with("sup-") && anna.person_id.as_str().starts_with("p-"),
        "{label}"
    );
    assert_eq!(anna.email, "anna@sorsele.se", "{label}");
    let e = s
        .create_supervisor(
            &supervisor("anna@sorsele.se", "2422", None, "nurse", TrainingLevel::None),
            &cli,
        )
        .await
        .unwrap_err();
    assert_eq!(field_names(&e), ["email"], "{label}: duplicate e-mail");
    let e = s
        .create_supervisor(
            &supervisor(
                "x@sorsele.se",
                "2422",
                Some("s-pajala-1"),
                "teacher_f3",
                TrainingLevel::None,
            ),
            &cli,
        )
        .await
        .unwrap_err();
    assert_eq!(field_names(&e), ["site_id"], "{label}: site in another municipality");
    let bo = s
        .create_supervisor(
            &supervisor(
                "bo@sorsele.se",
                "2422",
                Some(care_id.as_str()),
                "nurse",
                TrainingLevel::Introduction,
            ),
            &cli,
        )
        .await
        .unwrap();
    s.create_supervisor(
        &supervisor("cia@pajala.se", "2521", None, "teacher_f3", TrainingLevel::None),
        &cli,
    )
    .await
    .unwrap();
    assert_eq!(
        s.supervisors(Some(code("2422"))).await.unwrap().len(),
        2,
        "{label}: scoped"
    );
    assert_eq!(
        s.supervisor(&anna.id).await.unwrap().as_ref(),
        Some(&anna),
        "{label}: round trip"
    );
    let mut changed = anna.clone();
    changed.students_per_period = 2;
    changed.name = "Anna Berg".into();
    assert!(s.update_supervisor(&changed, &cli).await.unwrap(), "{label}");
    assert_eq!(
        s.supervisor(&anna.id).await.unwrap().unwrap().name,
        "Anna Berg",
        "{label}"
    );
    assert!(
        s.set_supervisor_invite(
            &bo.id,
            InviteStatus::Completed,
            Day::ymd(2025, 5, 30),
            Some("LTU"),
            &cli
        )
        .await
        .unwrap(),
        "{label}"
    );
    let bo2 = s.supervisor(&bo.id).await.unwrap().unwrap();
    assert!(
        bo2.is_trained() && bo2.invite == InviteStatus::Completed,
        "{label}: {bo2:?}"
    );
    let log = s.audit_since(0, i64::MAX).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.entity == "supervisor" && e.action == "create" && e.person_id.as_ref() == Some(&anna.person_id)),
        "{label}"
    );
    assert!(
        log.iter()
            .filter(|e| e.entity == "supervisor" && e.action == "update")
            .count()
            >= 2,
        "{label}"
    );

    // --- Students: the retention date follows their last period.
    let mut new_stina = student("umu-vt26-f3", "stina@student.umu.se", "Stina Ek", "2422", f3);
    new_stina.needs.note = "Stinas anteckning".into();
    let stina = s.create_vfu_student(&new_stina, &cli).await.unwrap();
    assert_eq!(
        last_period_end(s, stina.person_id.as_str()).await.as_deref(),
        Some("2026-02-20"),
        "{label}"
    );
    let e = s
        .create_vfu_student(
            &student("umu-vt26-f3", "STINA@student.umu.se", "Stina", "2422", f3),
            &cli,
        )
        .await
        .unwrap_err();
    assert_eq!(field_names(&e), ["email"], "{label}: duplicate on the period");
    let e = s
        .create_vfu_student(&student("umu-vt26-f3", "olle@x.se", "Olle", "2499", f3), &cli)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Fields(_)),
        "{label}: 2499 is no municipality: {e}"
    );
    let e = s
        .create_vfu_student(&student("umu-vt26-f3", "anna@sorsele.se", "Anna", "2422", f3), &cli)
        .await
        .unwrap_err();
    assert_eq!(
        field_names(&e),
        ["email"],
        "{label}: a supervisor's e-mail is not a student's"
    );
    // Another university's period does not take the person (docs/accounts-and-privacy.md, "Who
    // a person is"); the same university's later period does: one person, the later end counts.
    let e = s
        .create_vfu_student(
            &student(
                "ltu-ht26-nurse",
                "stina@student.umu.se",
                "Stina Ek",
                "2422",
                VfuField::Nurse,
            ),
            &cli,
        )
        .await
        .unwrap_err();
    assert_eq!(field_names(&e), ["email"], "{label}: not LTU's");
    let p3 = period("umu-ht26-nurse", "UmU", VfuField::Nurse, ht, Day::ymd(2026, 10, 9), 4);
    s.create_vfu_period(&p3, &cli).await.unwrap();
    let stina_nurse = s
        .create_vfu_student(
            &student(
                "umu-ht26-nurse",
                "stina@student.umu.se",
                "Stina Ek",
                "2422",
                VfuField::Nurse,
            ),
            &cli,
        )
        .await
        .unwrap();
    assert_eq!(stina_nurse.person_id, stina.person_id, "{label}");
    assert_eq!(
        last_period_end(s, stina.person_id.as_str()).await.as_deref(),
        Some("2026-10-09"),
        "{label}"
    );
    let mut later = p3.clone();
    later.end = Day::ymd(2026, 10, 16);
    s.update_vfu_period(&later, &cli).await.unwrap();
    assert_eq!(
        last_period_end(s, stina.person_id.as_str()).await.as_deref(),
        Some("2026-10-16"),
        "{label}: a period's new end moves it"
    );
    let olle = s
        .create_vfu_student(
            &student("umu-vt26-f3", "olle@student.umu.se", "Olle Ström", "2521", f3),
            &cli,
        )
        .await
        .unwrap();
    assert_eq!(
        s.vfu_student(&stina.id).await.unwrap().as_ref(),
        Some(&stina),
        "{label}: round trip"
    );
    let from_sorsele = s
        .vfu_students(&StudentFilter {
            home_municipality: Some(code("2422")),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(from_sorsele.len(), 2, "{label}");
    let umu = s
        .vfu_students(&StudentFilter {
            university: Some("UmU".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        umu.iter()
            .map(|x| (x.period_id.as_str(), x.name.as_str()))
            .collect::<Vec<_>>(),
        [
            ("umu-ht26-nurse", "Stina Ek"),
            ("umu-vt26-f3", "Olle Ström"),
            ("umu-vt26-f3", "Stina Ek")
        ],
        "{label}"
    );
    let e = s
        .delete_vfu_period(&PeriodId::from("umu-vt26-f3"), &cli)
        .await
        .unwrap_err();
    assert_eq!(field_names(&e), ["id"], "{label}: a period with students stays");

    // --- Placements: lifecycle through the store.
    let p = Placement::start(
        PlacementId::default(),
        stina.id.clone(),
        SiteId::from("s-sorsele-1"),
        PlacementStatus::Offered,
        Day::ymd(2025, 11, 24),
    )
    .unwrap();
    let pl = s
        .create_placement(
            &Placement {
                supervisor_id: Some(anna.id.clone()),
                ..p
            },
            &cli,
        )
        .await
        .unwrap();
    let wrong = Placement::start(
        PlacementId::default(),
        stina.id.clone(),
        care_id.clone(),
        PlacementStatus::Requested,
        Day::ymd(2025, 11, 24),
    )
    .unwrap();
    assert_eq!(
        field_names(&s.create_placement(&wrong, &cli).await.unwrap_err()),
        ["site_id"],
        "{label}: a care home takes no teacher students"
    );
    let e = s
        .transition_placement(&pl, PlacementStatus::Completed, Day::ymd(2025, 11, 25), &cli)
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("cannot go from offered to completed"),
        "{label}: {e}"
    );
    let done = s
        .transition_placement(&pl, PlacementStatus::Confirmed, Day::ymd(2025, 11, 30), &cli)
        .await
        .unwrap();
    assert_eq!(
        done.date_of(PlacementStatus::Confirmed),
        Some(Day::ymd(2025, 11, 30)),
        "{label}"
    );
    let mut waiting = done.clone();
    waiting.waiting_for_better = true;
    assert!(s.update_placement(&waiting, &cli).await.unwrap(), "{label}");
    assert!(s.placement(&pl).await.unwrap().unwrap().waiting_for_better, "{label}");
    let list = s
        .waiting_list(&SiteId::from("s-pajala-1"), &PeriodId::from("umu-vt26-f3"))
        .await
        .unwrap();
    assert!(
        list.is_empty(),
        "{label}: Stina wishes for Sorsele, not Pajala: {list:?}"
    );
    let pl_olle = s
        .create_placement(
            &Placement::start(
                PlacementId::default(),
                olle.id.clone(),
                SiteId::from("s-pajala-1"),
                PlacementStatus::Requested,
                Day::ymd(2025, 11, 24),
            )
            .unwrap(),
            &cli,
        )
        .await
        .unwrap();
    let in_sorsele = s
        .placements(&PlacementFilter {
            site_municipality: Some(code("2422")),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        in_sorsele.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        [pl.as_str()],
        "{label}: scoped by site municipality"
    );
    assert_eq!(
        s.placements(&PlacementFilter {
            university: Some("UmU".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .len(),
        2,
        "{label}"
    );
    let lines = s
        .placement_lines(&PlacementFilter {
            site_id: Some("s-sorsele-1".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(lines.len(), 1, "{label}");
    assert_eq!(
        (lines[0].student_name.as_str(), lines[0].supervisor_name.as_deref()),
        ("Stina Ek", Some("Anna Berg")),
        "{label}"
    );
    assert!(audit_count(s, "placement", "update").await >= 2, "{label}");

    // --- Views.
    let comp = s.compensation_basis(Some(code("2422"))).await.unwrap();
    assert_eq!(comp.len(), 1, "{label}: {comp:?}");
    assert_eq!(
        (comp[0].university.as_str(), comp[0].placements, comp[0].student_weeks),
        ("UmU", 1, 5),
        "{label}"
    );
    let need = s.training_need(code("2422")).await.unwrap();
    let row = need.rows.iter().find(|r| r.field == f3).unwrap();
    assert_eq!(
        (row.students_from_municipality, row.trained_capacity),
        (1, 2),
        "{label}: {row:?}"
    );

    // --- Roles and responsibilities.
    let view = s.raci_model(code("2422"), ProgrammeType::Teacher).await.unwrap();
    assert!(
        !view.adapted && view.model == RaciModel::default_for(ProgrammeType::Teacher),
        "{label}"
    );
    let mut adapted = view.model.clone();
    adapted.set(
        RaciTask::ConfirmCapacity,
        RaciRole::MunicipalCoordinator,
        RaciCell::parse("R").unwrap(),
    );
    let e = s.save_raci_model(code("2422"), &adapted, &cli).await.unwrap_err();
    assert_eq!(field_names(&e), ["task.confirm_capacity"], "{label}");
    adapted.set(
        RaciTask::ConfirmCapacity,
        RaciRole::Manager,
        RaciCell::parse("A").unwrap(),
    );
    s.save_raci_model(code("2422"), &adapted, &cli).await.unwrap();
    let view = s.raci_model(code("2422"), ProgrammeType::Teacher).await.unwrap();
    assert!(view.adapted && view.model == adapted, "{label}");
    assert!(
        !s.raci_model(code("2521"), ProgrammeType::Teacher)
            .await
            .unwrap()
            .adapted,
        "{label}: per municipality"
    );
    assert!(
        s.reset_raci_model(code("2422"), ProgrammeType::Teacher, &cli)
            .await
            .unwrap(),
        "{label}"
    );
    assert!(
        !s.raci_model(code("2422"), ProgrammeType::Teacher)
            .await
            .unwrap()
            .adapted,
        "{label}"
    );
    let contact = VfuContact {
        id: String::new(),
        person_id: PersonId::default(),
        municipality: code("2422"),
        role: RaciRole::MunicipalCoordinator,
        programme: None,
        name: "Karin Samordnare".into(),
        email: "karin@sorsele.se".into(),
        phone: "0952-140 00".into(),
        title: "VFU-samordnare".into(),
    };
    let karin = s.create_vfu_contact(&contact, &cli).await.unwrap();
    assert_eq!(
        s.vfu_contacts(Some(code("2422"))).await.unwrap(),
        vec![karin.clone()],
        "{label}"
    );
    assert!(s.vfu_contacts(Some(code("2521"))).await.unwrap().is_empty(), "{label}");

    // --- Export and erasure cover the VFU tables.
    let export = s.export_person(&stina.person_id, &cli).await.unwrap().unwrap();
    assert_eq!(
        export["vfu"]["students"].as_array().unwrap().len(),
        2,
        "{label}: {export}"
    );
    assert_eq!(export["vfu"]["placements"].as_array().unwrap().len(), 1, "{label}");
    let export = s.export_person(&anna.person_id, &cli).await.unwrap().unwrap();
    assert_eq!(export["vfu"]["supervisor"]["id"], anna.id.as_str(), "{label}");
    assert_eq!(export["vfu"]["supervised_placements"][0], pl.as_str(), "{label}");
    assert!(
        s.erase_person(&stina.person_id, "request", &cli).await.unwrap(),
        "{label}"
    );
    assert!(
        s.erase_person(&anna.person_id, "request", &cli).await.unwrap(),
        "{label}"
    );
    assert!(
        s.supervisor(&anna.id).await.unwrap().is_none() && s.vfu_student(&stina.id).await.unwrap().is_none(),
        "{label}"
    );
    assert!(
        s.placement(&pl).await.unwrap().is_none(),
        "{label}: the student's placement goes with them"
    );
    let dump = s.dump_all_text().await.unwrap();
    for (table, row) in &dump {
        let lower = row.to_lowercase();
        for needle in [
            "stina ek",
            "stina@student.umu.se",
            "anna berg",
            "anna@sorsele.se",
            "stinas anteckning",
        ] {
            assert!(!lower.contains(needle), "{label}: {table} still holds {needle}: {row}");
        }
    }

    // Deleting a student removes their placements and, with nothing else left, the person.
    assert!(s.delete_vfu_student(&olle.id, &cli).await.unwrap(), "{label}");
    assert!(s.placement(&pl_olle).await.unwrap().is_none(), "{label}");
    assert_eq!(
        s.person_municipality(&olle.person_id).await.unwrap(),
        None,
        "{label}: the person is gone"
    );
    assert!(s.delete_supervisor(&bo.id, &cli).await.unwrap(), "{label}");
    assert!(s.delete_vfu_contact(&karin.id, &cli).await.unwrap(), "{label}");
    assert!(s.delete_placement_site(&care_id, &cli).await.unwrap(), "{label}");
    assert_eq!(
        count(s, "vfu_hosting").await,
        1,
        "{label}: the site's answers went with it"
    );
    assert!(
        s.delete_hosting_interest(&SiteId::from("s-sorsele-1"), Term::spring(2026), &cli)
            .await
            .unwrap(),
        "{label}"
    );
    assert!(
        !s.delete_hosting_interest(&SiteId::from("s-sorsele-1"), Term::spring(2026), &cli)
            .await
            .unwrap(),
        "{label}"
    );

    // All of Sweden: a student who lives in Boden and a placement site in Vännäs, both outside
    // the region, are accepted.
    let mut from_boden = student("umu-vt26-f3", "olle@boden.se", "Olle", "2582", f3);
    from_boden.wishes = vec![Wish::Municipality(code("2422"))];
    let olle = s.create_vfu_student(&from_boden, &cli).await.unwrap();
    assert_eq!(olle.home_municipality, code("2582"), "{label}");
    let mut vannas = site("", "2460", "Vännäs förskola", SiteKind::Preschool, "teacher_f3");
    vannas.position = Position::new(63.91, 19.75).unwrap();
    let vannas = s.create_placement_site(&vannas, &cli).await.unwrap();
    let vannas = s.placement_site(&vannas).await.unwrap().unwrap();
    assert_eq!(vannas.municipality, code("2460"), "{label}");
}

#[tokio::test]
async fn vfu_registry_story_on_every_backend() {
    for db in TestDb::all().await {
        story(&db).await;
        db.finish().await;
    }
}

/// An import of N rows is one transaction: one bad row and nothing is written.
#[tokio::test]
async fn imports_are_all_or_nothing_and_idempotent() {
    for db in TestDb::all().await {
        let s = &db.store;
        let label = db.label;
        let cli = Actor::cli();
        s.seed_reference(&kkig_formats::reference::embedded().unwrap())
            .await
            .unwrap();
        let sites: Vec<PlacementSite> = (0..50)
            .map(|i| {
                site(
                    &format!("imp-{i:03}"),
                    if i % 2 == 0 { "2422" } else { "2521" },
                    &format!("Skola {i}"),
                    SiteKind::School,
                    "teacher_f3",
                )
            })
            .collect();
        let r = s.import_placement_sites(&sites, &cli).await.unwrap();
        assert_eq!((r.created, r.updated, r.unchanged), (50, 0, 0), "{label}");
        let r = s.import_placement_sites(&sites, &cli).await.unwrap();
        assert_eq!((r.created, r.updated, r.unchanged), (0, 0, 50), "{label}: idempotent");

        let mut sups: Vec<Supervisor> = (0..200)
            .map(|i| {
                supervisor(
                    &format!("h{i}@kommun.se"),
                    "2422",
                    Some("imp-000"),
                    "teacher_f3",
                    TrainingLevel::None,
                )
            })
            .collect();
        sups[150].employment_percent = 150.0;
        let e = s.import_supervisors(&sups, &cli).await.unwrap_err();
        match &e {
            StoreError::Items(items) => {
                assert_eq!(items.len(), 1, "{label}: {e}");
                assert_eq!(
                    (items[0].0, items[0].1.field.as_str()),
                    (150, "employment_percent"),
                    "{label}"
                );
            }
            other => panic!("{label}: {other}"),
        }
        assert_eq!(count(s, "vfu_supervisors").await, 0, "{label}: nothing written");
        assert_eq!(count(s, "persons").await, 0, "{label}: no person either");
        sups[150].employment_percent = 50.0;
        sups[199].email = "H0@kommun.se".into();
        let e = s.import_supervisors(&sups, &cli).await.unwrap_err();
        assert!(
            e.to_string()
                .contains("item 200: email: e-mail h0@kommun.se appears twice"),
            "{label}: {e}"
        );
        sups[199].email = "h199@kommun.se".into();
        let r = s.import_supervisors(&sups, &cli).await.unwrap();
        assert_eq!((r.created, r.updated, r.unchanged), (200, 0, 0), "{label}");
        sups[3].students_per_period = 3;
        let r = s.import_supervisors(&sups, &cli).await.unwrap();
        assert_eq!(
            (r.created, r.updated, r.unchanged),
            (0, 1, 199),
            "{label}: upsert by e-mail"
        );

        let p = period(
            "p1",
            "MIUN",
            VfuField::SocialWork,
            Day::ymd(2026, 3, 2),
            Day::ymd(2026, 5, 8),
            30,
        );
        s.create_vfu_period(&p, &cli).await.unwrap();
        let mut studs: Vec<VfuStudent> = (0..30)
            .map(|i| {
                student(
                    "p1",
                    &format!("s{i}@student.miun.se"),
                    &format!("Student {i}"),
                    "2422",
                    VfuField::SocialWork,
                )
            })
            .collect();
        studs[7].period_id = "p9".into();
        let e = s.import_vfu_students(&studs, &cli).await.unwrap_err();
        assert!(
            e.to_string().starts_with("item 8: period_id: no VFU period \"p9\""),
            "{label}: {e}"
        );
        assert_eq!(count(s, "vfu_students").await, 0, "{label}");
        studs[7].period_id = "p1".into();
        let r = s.import_vfu_students(&studs, &cli).await.unwrap();
        assert_eq!(r.created, 30, "{label}");
        let r = s.import_vfu_students(&studs, &cli).await.unwrap();
        assert_eq!(r.unchanged, 30, "{label}");
        let c = s.retention_candidates().await.unwrap();
        assert_eq!(c.len(), 30, "{label}");
        assert!(c.iter().all(|c| c.last_period_end == "2026-05-08"), "{label}");
        db.finish().await;
    }
}

/// The demo world brings the whole registry, labelled demo, consistent with what the store
/// reads back.
#[tokio::test]
async fn demo_registry_loads_on_every_backend() {
    use kkig_core::demo::{DemoWorld, DEFAULT_SEED};
    for db in TestDb::all().await {
        let s = &db.store;
        let label = db.label;
        let reference = kkig_formats::reference::embedded().unwrap();
        s.seed_reference(&reference).await.unwrap();
        let world = DemoWorld::generate(DEFAULT_SEED, &reference);
        let started = std::time::Instant::now();
        s.load_demo(&world).await.unwrap();
        eprintln!("{label}: demo loaded in {:?}", started.elapsed());
        assert_eq!(s.supervisors(None).await.unwrap().len(), 900, "{label}");
        assert_eq!(s.vfu_periods(None).await.unwrap(), world.vfu.periods, "{label}");
        let students = s.vfu_students(&StudentFilter::default()).await.unwrap();
        assert_eq!(students.len(), 600, "{label}");
        let first = world.vfu.students.iter().find(|x| x.id == students[0].id).unwrap();
        assert_eq!(&students[0], first, "{label}: round trip");
        let sup = s.supervisor(&world.vfu.supervisors[17].id).await.unwrap().unwrap();
        assert_eq!(sup, world.vfu.supervisors[17], "{label}: round trip");
        assert_eq!(
            s.placements(&PlacementFilter::default()).await.unwrap().len(),
            world.vfu.placements.len(),
            "{label}"
        );
        assert_eq!(
            s.retention_candidates().await.unwrap().len(),
            600,
            "{label}: students have their retention date"
        );
        let skelleftea = code("2482");
        let lines = s
            .placement_lines(&PlacementFilter {
                site_municipality: Some(skelleftea),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            !lines.is_empty() && lines.iter().all(|l| l.site_municipality == skelleftea),
            "{label}"
        );
        let need = s.training_need(skelleftea).await.unwrap();
        assert!(need.share > 0.1 && !need.rows.is_empty(), "{label}: {need:?}");
        assert!(!s.compensation_basis(None).await.unwrap().is_empty(), "{label}");
        assert_eq!(s.vfu_contacts(None).await.unwrap().len(), 17, "{label}");
        // The waiting list: a student placed away from home, waiting, is a candidate for a
        // seat at a site they wish for.
        let mut found = 0;
        for p in world.vfu.placements.iter().filter(|p| p.waiting_for_better) {
            let st = world.vfu.students.iter().find(|x| x.id == p.student_id).unwrap();
            let better = st.wishes.iter().find_map(|w| match w {
                Wish::Site(id) if *id != p.site_id => Some(id.clone()),
                Wish::Municipality(m) => world
                    .placement_sites
                    .iter()
                    .find(|x| x.municipality == *m && x.id != p.site_id && x.fields.iter().any(|f| f.field == st.field))
                    .map(|x| x.id.clone()),
                _ => None,
            });
            if let Some(site) = better {
                let list = s.waiting_list(&site, &st.period_id).await.unwrap();
                assert!(
                    list.iter().any(|c| c.student_id == st.id),
                    "{label}: {} for {site}: {list:?}",
                    st.id
                );
                found += 1;
            }
            if found == 3 {
                break;
            }
        }
        assert_eq!(found, 3, "{label}");
        assert!(
            s.hosting_interests(Some(skelleftea), Some(Term::autumn(2026)))
                .await
                .unwrap()
                .len()
                > 100,
            "{label}"
        );
        db.finish().await;
    }
}

/// The context for one record's input holds the reference tables whole and exactly the sites
/// and periods named that exist, nothing else of the registry; it validates the input as the
/// whole registry does.
#[tokio::test]
async fn the_context_for_named_records_holds_exactly_those_on_every_backend() {
    use kkig_core::vfu::input::StudentInput;
    for db in TestDb::all().await {
        let s = &db.store;
        let label = db.label;
        let cli = Actor::cli();
        s.seed_reference(&kkig_formats::reference::embedded().unwrap())
            .await
            .unwrap();
        let f3 = VfuField::Teacher(TeacherLevel::F3);
        for (id, m) in [("ctx-a", "2422"), ("ctx-b", "2482"), ("ctx-c", "2521")] {
            let x = site(id, m, &format!("Skolan {id}"), SiteKind::School, "teacher_f3");
            s.create_placement_site(&x, &cli).await.unwrap();
        }
        for (id, uni, start) in [
            ("ctx-p1", "UmU", Day::ymd(2026, 9, 7)),
            ("ctx-p2", "LTU", Day::ymd(2027, 1, 18)),
        ] {
            let p = period(id, uni, f3, start, start.plus_days(32), 10);
            s.create_vfu_period(&p, &cli).await.unwrap();
        }
        let full = s.vfu_context().await.unwrap();
        assert_eq!((full.sites.len(), full.periods.len()), (3, 2), "{label}");

        let refs = VfuRefs {
            sites: ["ctx-a", "no-such-site"].map(SiteId::from).into(),
            periods: ["ctx-p2", "no-such-period"].map(PeriodId::from).into(),
        };
        let ctx = s.vfu_context_for(&refs).await.unwrap();
        assert_eq!(ctx.sites.keys().collect::<Vec<_>>(), ["ctx-a"], "{label}");
        assert_eq!(ctx.sites["ctx-a"], code("2422"), "{label}");
        assert_eq!(ctx.periods.keys().collect::<Vec<_>>(), ["ctx-p2"], "{label}");
        assert_eq!(ctx.periods["ctx-p2"], full.periods["ctx-p2"], "{label}");
        assert_eq!(
            ctx.municipalities, full.municipalities,
            "{label}: reference tables whole"
        );
        assert_eq!(ctx.universities, full.universities, "{label}: reference tables whole");
        assert!(
            !ctx.municipalities.is_empty() && !ctx.universities.is_empty(),
            "{label}"
        );
        assert_eq!(ctx, full.restricted_to(&refs), "{label}");

        // Nothing named: the reference tables only.
        let bare = s.vfu_context_for(&VfuRefs::default()).await.unwrap();
        assert!(bare.sites.is_empty() && bare.periods.is_empty(), "{label}");
        assert_eq!(bare.municipalities, full.municipalities, "{label}");

        // An input names what its validation looks up, and is validated as with everything.
        let input = StudentInput {
            period_id: " ctx-p1 ".into(),
            email: "stina@student.umu.se".into(),
            name: "Stina Ek".into(),
            home_municipality: "2422".into(),
            wishes: "ctx-b|2482|no-such-site".into(),
            ..Default::default()
        };
        let ctx = s.vfu_context_for(&input.refs()).await.unwrap();
        assert_eq!(ctx.sites.keys().collect::<Vec<_>>(), ["ctx-b"], "{label}");
        assert_eq!(ctx.periods.keys().collect::<Vec<_>>(), ["ctx-p1"], "{label}");
        assert_eq!(input.parse(&ctx), input.parse(&full), "{label}");
        let valid = StudentInput {
            wishes: "ctx-b|2482".into(),
            ..input.clone()
        };
        let ctx = s.vfu_context_for(&valid.refs()).await.unwrap();
        assert!(valid.parse(&ctx).is_ok(), "{label}");
        assert_eq!(valid.parse(&ctx), valid.parse(&full), "{label}");
        db.finish().await;
    }
}

/// A student's home position may be missing, then given, then missing again. On PostgreSQL a
/// NULL must not prepare the cached statement with a type the next number does not fit (sqlx's
/// Any driver sent a NULL f64 as float4: "incorrect binary data format in bind parameter 4").
#[tokio::test]
async fn home_position_missing_then_given_on_every_backend() {
    for db in TestDb::all().await {
        let (s, label, cli) = (&db.store, db.label, Actor::cli());
        s.seed_reference(&kkig_formats::reference::embedded().unwrap())
            .await
            .unwrap();
        let f3 = VfuField::Teacher(TeacherLevel::F3);
        let vt = Day::ymd(2026, 1, 19);
        s.create_vfu_period(&period("p-pos", "UmU", f3, vt, Day::ymd(2026, 2, 20), 10), &cli)
            .await
            .unwrap();
        let new = VfuStudent {
            home_position: None,
            ..student("p-pos", "pos@student.umu.se", "Pos", "2422", f3)
        };
        let mut st = s.create_vfu_student(&new, &cli).await.unwrap();
        // An irregular pattern, so that whichever pooled connection a call gets has seen both.
        let given = [
            false, true, true, false, false, true, true, true, false, true, false, false, false, true, true, false,
            true, true, true, true,
        ];
        for (round, given) in given.into_iter().enumerate() {
            st.home_position = given.then(|| Position::new(65.6 + round as f64 * 0.01, 17.6).unwrap());
            assert!(s.update_vfu_student(&st, &cli).await.unwrap(), "{label} round {round}");
            assert_eq!(
                s.vfu_student(&st.id).await.unwrap().unwrap().home_position,
                st.home_position,
                "{label} round {round}"
            );
        }
        db.finish().await;
    }
}

// ---------------------------------------------------------------------------------------------
// Identity: who a person is, by e-mail and scope (docs/accounts-and-privacy.md, "Who a person
// is: e-mail and scope"). A registry write never takes, renames or re-homes a person of another
// scope or an account holder of another kind, and never changes an account holder's login data.

mod identity {
    use super::*;
    use kkig_core::access::Role;
    use kkig_store::{NewUser, UserRecord};

    fn contact(m: &str, email: &str, name: &str) -> VfuContact {
        VfuContact {
            id: String::new(),
            person_id: PersonId::default(),
            municipality: code(m),
            role: RaciRole::MunicipalCoordinator,
            programme: None,
            name: name.into(),
            email: email.into(),
            phone: "0952-140 00".into(),
            title: "VFU-samordnare".into(),
        }
    }

    fn named(mut s: Supervisor, name: &str) -> Supervisor {
        s.name = name.into();
        s
    }

    async fn user(s: &SqlStore, email: &str, name: &str, role: Role, scope: Option<&str>) -> UserRecord {
        let new = NewUser {
            email: email.into(),
            name: name.into(),
            role,
            scope: scope.map(String::from),
        };
        s.create_user(&new, &Actor::cli()).await.unwrap()
    }

    /// Everything stored on a person and their account, as text, to compare byte for byte.
    async fn snapshot(s: &SqlStore, person: &str) -> String {
        let p = sqlx::query(
            "SELECT id, name, email, COALESCE(phone, ''), kind, COALESCE(municipality_code, ''), COALESCE(last_period_end, ''),
                    created_at, updated_at FROM persons WHERE id = $1",
        )
        .bind(person)
        .fetch_one(s.pool())
        .await
        .unwrap();
        let mut out = (0..7).map(|i| p.get::<String, _>(i)).collect::<Vec<_>>().join("|");
        out += &format!("|{}|{}", p.get::<i64, _>(7), p.get::<i64, _>(8));
        let users = sqlx::query("SELECT id, role, COALESCE(scope, ''), COALESCE(password_hash, ''), disabled FROM users WHERE person_id = $1 ORDER BY id")
            .bind(person)
            .fetch_all(s.pool())
            .await
            .unwrap();
        for u in users {
            out += &format!(
                " user {}|{}|{}|{}|{}",
                u.get::<String, _>(0),
                u.get::<String, _>(1),
                u.get::<String, _>(2),
                u.get::<String, _>(3),
                u.get::<i64, _>(4)
            );
        }
        out
    }

    /// The problems of a refused write, by field.
    fn problems(e: &StoreError) -> Vec<(String, FieldProblem)> {
        match e {
            StoreError::Fields(v) => v.iter().map(|f| (f.field.clone(), f.problem.clone())).collect(),
            other => panic!("expected field errors, got {other}"),
        }
    }

    fn unusable() -> Vec<(String, FieldProblem)> {
        vec![("email".to_string(), FieldProblem::EmailUnusable)]
    }

    /// The items of a refused import: (row, field, problem).
    fn items(e: &StoreError) -> Vec<(usize, String, FieldProblem)> {
        match e {
            StoreError::Items(v) => v
                .iter()
                .map(|(i, f)| (*i, f.field.clone(), f.problem.clone()))
                .collect(),
            other => panic!("expected item errors, got {other}"),
        }
    }

    async fn counts(s: &SqlStore) -> [i64; 5] {
        [
            count(s, "persons").await,
            count(s, "users").await,
            count(s, "vfu_supervisors").await,
            count(s, "vfu_contacts").await,
            count(s, "vfu_students").await,
        ]
    }

    struct World {
        admin: UserRecord,
        regional: UserRecord,
        sorsele: UserRecord,
        pajala: UserRecord,
        ltu: UserRecord,
        umu: UserRecord,
    }

    /// Reference data, two sites, the staff accounts, a period of UmU and one of LTU.
    async fn world(s: &SqlStore) -> World {
        s.seed_reference(&kkig_formats::reference::embedded().unwrap())
            .await
            .unwrap();
        let cli = Actor::cli();
        s.create_placement_site(
            &site("s-sorsele", "2422", "Björkskolan", SiteKind::School, "teacher_f3"),
            &cli,
        )
        .await
        .unwrap();
        s.create_placement_site(
            &site("s-pajala", "2521", "Älvskolan", SiteKind::School, "teacher_f3"),
            &cli,
        )
        .await
        .unwrap();
        let f3 = VfuField::Teacher(TeacherLevel::F3);
        let vt = Day::ymd(2026, 1, 19);
        s.create_vfu_period(&period("umu-1", "UmU", f3, vt, Day::ymd(2026, 2, 20), 10), &cli)
            .await
            .unwrap();
        s.create_vfu_period(
            &period("umu-2", "UmU", f3, Day::ymd(2026, 9, 7), Day::ymd(2026, 10, 9), 10),
            &cli,
        )
        .await
        .unwrap();
        s.create_vfu_period(&period("ltu-1", "LTU", f3, vt, Day::ymd(2026, 2, 27), 10), &cli)
            .await
            .unwrap();
        World {
            admin: user(s, "admin@region.se", "Ada Admin", Role::Admin, None).await,
            regional: user(s, "rut@region.se", "Rut Regional", Role::Regional, None).await,
            sorsele: user(s, "karin@sorsele.se", "Karin Kommun", Role::Municipality, Some("2422")).await,
            pajala: user(s, "per@pajala.se", "Per Pajala", Role::Municipality, Some("2521")).await,
            ltu: user(s, "lena@ltu.se", "Lena LTU", Role::University, Some("LTU")).await,
            umu: user(s, "ulf@umu.se", "Ulf UmU", Role::University, Some("UmU")).await,
        }
    }

    fn f3() -> VfuField {
        VfuField::Teacher(TeacherLevel::F3)
    }

    /// Each takeover of the bug report is refused with the same answer and leaves the other
    /// person (and their account) byte for byte as they were.
    #[tokio::test]
    async fn takeovers_by_email_are_refused_on_every_backend() {
        for db in TestDb::all().await {
            let (s, label) = (&db.store, db.label);
            let w = world(s).await;
            let (as_sorsele, as_pajala) = (Actor::user(&w.sorsele.id), Actor::user(&w.pajala.id));
            let (as_ltu, as_umu, as_admin) = (Actor::user(&w.ltu.id), Actor::user(&w.umu.id), Actor::user(&w.admin.id));
            let cia = s
                .create_supervisor(
                    &supervisor(
                        "cia@pajala.se",
                        "2521",
                        Some("s-pajala"),
                        "teacher_f3",
                        TrainingLevel::None,
                    ),
                    &as_pajala,
                )
                .await
                .unwrap();
            let stina = s
                .create_vfu_student(
                    &student("umu-1", "stina@student.umu.se", "Stina Ek", "2422", f3()),
                    &as_umu,
                )
                .await
                .unwrap();
            let lars = s
                .create_vfu_student(
                    &student("ltu-1", "lars@student.ltu.se", "Lars Lind", "2521", f3()),
                    &as_ltu,
                )
                .await
                .unwrap();
            let bo = s
                .create_supervisor(
                    &supervisor(
                        "bo@sorsele.se",
                        "2422",
                        Some("s-sorsele"),
                        "teacher_f3",
                        TrainingLevel::None,
                    ),
                    &as_sorsele,
                )
                .await
                .unwrap();
            let lisa = s
                .create_vfu_contact(&contact("2422", "lisa@sorsele.se", "Lisa Kontakt"), &as_sorsele)
                .await
                .unwrap();
            let olle = s
                .create_vfu_student(
                    &student("umu-1", "olle@student.umu.se", "Olle Ström", "2422", f3()),
                    &as_umu,
                )
                .await
                .unwrap();
            let others = [
                &w.admin.person_id,
                &w.regional.person_id,
                &cia.person_id,
                &w.pajala.person_id,
                &stina.person_id,
                &lars.person_id,
            ];
            let mut before = Vec::new();
            for p in others {
                before.push(snapshot(s, (p).as_str()).await);
            }
            let counts_before = counts(s).await;

            // A municipality creates a supervisor or a contact with (a) the admin's, (b) a
            // regional coordinator's, (c) another municipality's supervisor's, (d) another
            // municipality's coordinator's e-mail, (e) a student's: refused, one answer.
            for email in [
                "admin@region.se",
                "RUT@region.se",
                "cia@pajala.se",
                " per@pajala.se",
                "stina@student.umu.se",
            ] {
                let e = s
                    .create_supervisor(
                        &supervisor(email, "2422", Some("s-sorsele"), "teacher_f3", TrainingLevel::None),
                        &as_sorsele,
                    )
                    .await
                    .unwrap_err();
                assert_eq!(problems(&e), unusable(), "{label}: supervisor {email}");
                assert_eq!(
                    e.to_string(),
                    "email: this e-mail address cannot be used here",
                    "{label}: names nothing of the person"
                );
                let e = s
                    .create_vfu_contact(&contact("2422", email, "Någon Annan"), &as_sorsele)
                    .await
                    .unwrap_err();
                assert_eq!(problems(&e), unusable(), "{label}: contact {email}");
            }
            // Not even an administrator merges persons of two scopes through the registry.
            let e = s
                .create_supervisor(
                    &supervisor("cia@pajala.se", "2422", None, "teacher_f3", TrainingLevel::None),
                    &as_admin,
                )
                .await
                .unwrap_err();
            assert_eq!(problems(&e), unusable(), "{label}");

            // An update that changes the e-mail to an account holder's or another scope's person's.
            for email in ["admin@region.se", "per@pajala.se", "cia@pajala.se"] {
                let e = s
                    .update_supervisor(
                        &Supervisor {
                            email: email.into(),
                            ..bo.clone()
                        },
                        &as_sorsele,
                    )
                    .await
                    .unwrap_err();
                assert_eq!(problems(&e), unusable(), "{label}: supervisor → {email}");
                let e = s
                    .update_vfu_contact(
                        &VfuContact {
                            email: email.into(),
                            ..lisa.clone()
                        },
                        &as_sorsele,
                    )
                    .await
                    .unwrap_err();
                assert_eq!(problems(&e), unusable(), "{label}: contact → {email}");
            }
            for email in ["lars@student.ltu.se", "admin@region.se", "stina@student.umu.se"] {
                let e = s
                    .update_vfu_student(
                        &VfuStudent {
                            email: email.into(),
                            ..olle.clone()
                        },
                        &as_umu,
                    )
                    .await
                    .unwrap_err();
                assert_eq!(problems(&e), unusable(), "{label}: student → {email}");
            }

            // LTU creates a student with a UmU student's e-mail.
            let e = s
                .create_vfu_student(
                    &student("ltu-1", "Stina@Student.umu.se", "Stina Annan", "2521", f3()),
                    &as_ltu,
                )
                .await
                .unwrap_err();
            assert_eq!(problems(&e), unusable(), "{label}");

            // Imports: a row with such an e-mail is an item error on `email`; nothing is written.
            let rows = [
                supervisor("ny@sorsele.se", "2422", None, "teacher_f3", TrainingLevel::None),
                supervisor("cia@pajala.se", "2422", None, "teacher_f3", TrainingLevel::None),
            ];
            let e = s.import_supervisors(&rows, &as_sorsele).await.unwrap_err();
            assert_eq!(
                items(&e),
                [(1, "email".to_string(), FieldProblem::EmailUnusable)],
                "{label}: matched only within Sorsele"
            );
            let rows = [
                supervisor("ny@sorsele.se", "2422", None, "teacher_f3", TrainingLevel::None),
                supervisor("admin@region.se", "2422", None, "teacher_f3", TrainingLevel::None),
            ];
            let e = s.import_supervisors(&rows, &Actor::cli()).await.unwrap_err();
            assert_eq!(
                items(&e),
                [(1, "email".to_string(), FieldProblem::EmailUnusable)],
                "{label}"
            );
            let rows = [
                student("ltu-1", "ny@student.ltu.se", "Ny Student", "2422", f3()),
                student("ltu-1", "stina@student.umu.se", "Stina", "2521", f3()),
            ];
            let e = s.import_vfu_students(&rows, &as_ltu).await.unwrap_err();
            assert_eq!(
                items(&e),
                [(1, "email".to_string(), FieldProblem::EmailUnusable)],
                "{label}"
            );
            let rows = [student("umu-2", "lars@student.ltu.se", "Lars", "2422", f3())];
            let e = s.import_vfu_students(&rows, &as_umu).await.unwrap_err();
            assert_eq!(
                items(&e),
                [(0, "email".to_string(), FieldProblem::EmailUnusable)],
                "{label}"
            );

            // Nothing changed: not the persons, not their accounts, no record or person added.
            for (p, was) in others.iter().zip(&before) {
                assert_eq!(&snapshot(s, p.as_str()).await, was, "{label}: person {p}");
            }
            assert_eq!(counts(s).await, counts_before, "{label}: nothing written");
            assert_eq!(
                s.person_municipality(&w.admin.person_id).await.unwrap(),
                Some(None),
                "{label}: the admin stays outside every municipality"
            );
            assert_eq!(
                s.user_by_email("admin@region.se").await.unwrap().unwrap().name,
                "Ada Admin",
                "{label}"
            );
            db.finish().await;
        }
    }

    /// The registry never changes an account holder's login e-mail or name, unless the writer is
    /// the person themself or an administrator; their phone and municipality are registry data.
    #[tokio::test]
    async fn account_holders_keep_their_login_data_on_every_backend() {
        for db in TestDb::all().await {
            let (s, label) = (&db.store, db.label);
            let w = world(s).await;
            let (as_sorsele, as_umu, as_admin) = (
                Actor::user(&w.sorsele.id),
                Actor::user(&w.umu.id),
                Actor::user(&w.admin.id),
            );
            let sven = user(s, "sven@sorsele.se", "Sven Handledare", Role::Supervisor, None).await;
            let as_sven = Actor::user(&sven.id);

            // The account first, the registry second: taken with the account's name, not renamed.
            let new = supervisor(
                "Sven@Sorsele.se",
                "2422",
                Some("s-sorsele"),
                "teacher_f3",
                TrainingLevel::None,
            );
            let e = s
                .create_supervisor(&named(new.clone(), "Sven Annat"), &as_sorsele)
                .await
                .unwrap_err();
            assert_eq!(
                problems(&e),
                [("name".to_string(), FieldProblem::NameOfAccountHolder)],
                "{label}"
            );
            let sup = s
                .create_supervisor(&named(new.clone(), "Sven Handledare"), &as_sorsele)
                .await
                .unwrap();
            assert_eq!(sup.person_id, sven.person_id, "{label}: the account's person");
            assert_eq!(
                s.person_municipality(&sven.person_id).await.unwrap(),
                Some(Some(code("2422"))),
                "{label}: registry data"
            );

            // Sorsele changes the name, the e-mail, both: refused; the phone: kept.
            let e = s
                .update_supervisor(&named(sup.clone(), "Sven Ny"), &as_sorsele)
                .await
                .unwrap_err();
            assert_eq!(
                problems(&e),
                [("name".to_string(), FieldProblem::NameOfAccountHolder)],
                "{label}"
            );
            let moved = Supervisor {
                email: "sven.ny@sorsele.se".into(),
                ..sup.clone()
            };
            let e = s.update_supervisor(&moved, &as_sorsele).await.unwrap_err();
            assert_eq!(
                problems(&e),
                [("email".to_string(), FieldProblem::EmailOfAccountHolder)],
                "{label}"
            );
            let e = s
                .update_supervisor(&named(moved.clone(), "Sven Ny"), &as_sorsele)
                .await
                .unwrap_err();
            assert_eq!(field_names(&e), ["email", "name"], "{label}");
            assert!(
                s.update_supervisor(
                    &Supervisor {
                        phone: "070-000 00 00".into(),
                        ..sup.clone()
                    },
                    &as_sorsele
                )
                .await
                .unwrap(),
                "{label}"
            );
            let u = s.user_by_email("sven@sorsele.se").await.unwrap().unwrap();
            assert_eq!(
                (u.name.as_str(), u.id.as_str()),
                ("Sven Handledare", sven.id.as_str()),
                "{label}"
            );
            // An import (the command line is not the person) likewise; the same list again is fine.
            let sup = s.supervisor(&sup.id).await.unwrap().unwrap();
            let e = s
                .import_supervisors(&[named(sup.clone(), "Sven Import")], &Actor::cli())
                .await
                .unwrap_err();
            assert_eq!(
                items(&e),
                [(0, "name".to_string(), FieldProblem::NameOfAccountHolder)],
                "{label}"
            );
            let r = s
                .import_supervisors(std::slice::from_ref(&sup), &Actor::cli())
                .await
                .unwrap();
            assert_eq!((r.created, r.updated, r.unchanged), (0, 0, 1), "{label}");

            // The person themself and the administrator may.
            let renamed = Supervisor {
                email: "sven.berg@sorsele.se".into(),
                ..named(sup.clone(), "Sven Berg")
            };
            assert!(s.update_supervisor(&renamed, &as_sven).await.unwrap(), "{label}");
            let u = s.user_by_email("sven.berg@sorsele.se").await.unwrap().unwrap();
            assert_eq!(
                (u.name.as_str(), u.id.as_str()),
                ("Sven Berg", sven.id.as_str()),
                "{label}"
            );
            assert!(
                s.update_supervisor(&named(renamed.clone(), "Sven B. Berg"), &as_admin)
                    .await
                    .unwrap(),
                "{label}"
            );
            assert_eq!(
                s.user_by_id(&sven.id).await.unwrap().unwrap().name,
                "Sven B. Berg",
                "{label}"
            );

            // A student account first, then the university's registry.
            let sam = user(s, "sam@student.umu.se", "Sam Student", Role::Student, None).await;
            let new = student("umu-1", "sam@student.umu.se", "Samuel Student", "2422", f3());
            let e = s.create_vfu_student(&new, &as_umu).await.unwrap_err();
            assert_eq!(
                problems(&e),
                [("name".to_string(), FieldProblem::NameOfAccountHolder)],
                "{label}"
            );
            let rec = s
                .create_vfu_student(
                    &VfuStudent {
                        name: "Sam Student".into(),
                        ..new.clone()
                    },
                    &as_umu,
                )
                .await
                .unwrap();
            assert_eq!(rec.person_id, sam.person_id, "{label}");
            let e = s
                .update_vfu_student(
                    &VfuStudent {
                        email: "sam2@student.umu.se".into(),
                        ..rec.clone()
                    },
                    &as_umu,
                )
                .await
                .unwrap_err();
            assert_eq!(
                problems(&e),
                [("email".to_string(), FieldProblem::EmailOfAccountHolder)],
                "{label}"
            );
            let home = VfuStudent {
                home_municipality: code("2521"),
                ..rec.clone()
            };
            assert!(
                s.update_vfu_student(&home, &as_umu).await.unwrap(),
                "{label}: the home municipality is registry data"
            );
            assert!(
                s.update_vfu_student(
                    &VfuStudent {
                        name: "Sam Ek".into(),
                        ..home.clone()
                    },
                    &Actor::user(&sam.id)
                )
                .await
                .unwrap(),
                "{label}: by themself"
            );
            assert_eq!(s.user_by_id(&sam.id).await.unwrap().unwrap().name, "Sam Ek", "{label}");
            // Another university takes neither the account holder nor their login e-mail.
            let e = s
                .create_vfu_student(
                    &student("ltu-1", "sam@student.umu.se", "Sam Ek", "2521", f3()),
                    &Actor::user(&w.ltu.id),
                )
                .await
                .unwrap_err();
            assert_eq!(problems(&e), unusable(), "{label}");

            // A municipality coordinator's contact entry: the name is theirs too.
            let karin = s
                .create_vfu_contact(&contact("2422", "karin@sorsele.se", "Karin Kommun"), &as_sorsele)
                .await
                .unwrap();
            assert_eq!(karin.person_id, w.sorsele.person_id, "{label}");
            let other = user(s, "maj@sorsele.se", "Maj Kommun", Role::Municipality, Some("2422")).await;
            let e = s
                .update_vfu_contact(
                    &VfuContact {
                        name: "Karin K".into(),
                        ..karin.clone()
                    },
                    &Actor::user(&other.id),
                )
                .await
                .unwrap_err();
            assert_eq!(
                problems(&e),
                [("name".to_string(), FieldProblem::NameOfAccountHolder)],
                "{label}"
            );
            assert!(
                s.update_vfu_contact(
                    &VfuContact {
                        name: "Karin K".into(),
                        ..karin.clone()
                    },
                    &as_sorsele
                )
                .await
                .unwrap(),
                "{label}: by herself"
            );
            let e = s
                .update_vfu_contact(
                    &VfuContact {
                        email: "karin.k@sorsele.se".into(),
                        name: "Karin K".into(),
                        ..karin.clone()
                    },
                    &Actor::user(&other.id),
                )
                .await
                .unwrap_err();
            assert_eq!(
                problems(&e),
                [("email".to_string(), FieldProblem::EmailOfAccountHolder)],
                "{label}"
            );
            let moved = VfuContact {
                email: "karin.k@sorsele.se".into(),
                name: "Karin K".into(),
                ..karin.clone()
            };
            assert!(s.update_vfu_contact(&moved, &as_sorsele).await.unwrap(), "{label}");
            assert_eq!(
                s.user_by_email("karin.k@sorsele.se").await.unwrap().unwrap().id,
                w.sorsele.id,
                "{label}: her own login e-mail"
            );
            let log = s.audit_since(0, i64::MAX).await.unwrap();
            assert!(
                log.iter()
                    .any(|e| e.entity == "person" && e.after.as_deref() == Some(r#"{"email":"karin.k@sorsele.se"}"#)),
                "{label}: audited"
            );
            db.finish().await;
        }
    }

    /// The legitimate ways to share a person keep working.
    #[tokio::test]
    async fn legitimate_shared_persons_on_every_backend() {
        for db in TestDb::all().await {
            let (s, label, cli) = (&db.store, db.label, Actor::cli());
            let w = world(s).await;
            let (as_sorsele, as_pajala, as_umu, as_admin) = (
                Actor::user(&w.sorsele.id),
                Actor::user(&w.pajala.id),
                Actor::user(&w.umu.id),
                Actor::user(&w.admin.id),
            );

            // The same university puts its student on a second period: one person.
            let first = s
                .create_vfu_student(
                    &student("umu-1", "stina@student.umu.se", "Stina Ek", "2422", f3()),
                    &as_umu,
                )
                .await
                .unwrap();
            let second = s
                .create_vfu_student(
                    &student("umu-2", "stina@student.umu.se", "Stina Ek", "2521", f3()),
                    &as_umu,
                )
                .await
                .unwrap();
            assert_eq!(first.person_id, second.person_id, "{label}");
            let e = s
                .create_vfu_student(
                    &student("umu-2", "stina@student.umu.se", "Stina Ek", "2521", f3()),
                    &as_umu,
                )
                .await
                .unwrap_err();
            assert!(
                matches!(problems(&e)[0].1, FieldProblem::StudentOnPeriod { .. }),
                "{label}: in scope the answer names the duplicate"
            );
            let r = s
                .import_vfu_students(
                    &[student("umu-2", "stina@student.umu.se", "Stina Ek", "2521", f3())],
                    &as_umu,
                )
                .await
                .unwrap();
            assert_eq!(r.unchanged, 1, "{label}: matched on the period");

            // The registry first, the account second: `create_user` attaches (audited).
            let tove = s
                .create_supervisor(
                    &named(
                        supervisor("tove@sorsele.se", "2422", None, "teacher_f3", TrainingLevel::None),
                        "Tove Tid",
                    ),
                    &as_sorsele,
                )
                .await
                .unwrap();
            let e = s
                .create_supervisor(
                    &supervisor("tove@sorsele.se", "2422", None, "teacher_f3", TrainingLevel::None),
                    &as_sorsele,
                )
                .await
                .unwrap_err();
            assert!(
                matches!(problems(&e)[0].1, FieldProblem::SupervisorExists { .. }),
                "{label}: in scope the answer names the duplicate"
            );
            for (role, scope) in [
                (Role::Student, None),
                (Role::Municipality, Some("2422")),
                (Role::Admin, None),
            ] {
                let new = NewUser {
                    email: "tove@sorsele.se".into(),
                    name: "Tove".into(),
                    role,
                    scope: scope.map(String::from),
                };
                assert!(
                    matches!(s.create_user(&new, &cli).await.unwrap_err(), StoreError::Conflict(_)),
                    "{label}: {role:?} does not fit a supervisor"
                );
            }
            let new = NewUser {
                email: "TOVE@sorsele.se".into(),
                name: "Tove Tidlund".into(),
                role: Role::Supervisor,
                scope: None,
            };
            let u = s.create_user(&new, &cli).await.unwrap();
            assert_eq!(
                (u.person_id.as_str(), u.name.as_str()),
                (tove.person_id.as_str(), "Tove Tidlund"),
                "{label}"
            );
            assert_eq!(
                s.supervisor(&tove.id).await.unwrap().unwrap().name,
                "Tove Tidlund",
                "{label}"
            );
            assert_eq!(
                s.person_municipality(&tove.person_id).await.unwrap(),
                Some(Some(code("2422"))),
                "{label}: kept"
            );
            let log = s.audit_since(0, i64::MAX).await.unwrap();
            assert!(
                log.iter().any(|e| e.entity == "user"
                    && e.action == "create"
                    && e.person_id.as_ref().map(PersonId::as_str) == Some(tove.person_id.as_str())),
                "{label}"
            );
            assert!(
                log.iter().any(|e| e.entity == "person"
                    && e.action == "update"
                    && e.after.as_deref().is_some_and(|a| a.contains("Tove Tidlund"))),
                "{label}"
            );
            assert!(
                matches!(s.create_user(&new, &cli).await.unwrap_err(), StoreError::Conflict(_)),
                "{label}: one account per person"
            );
            let new = NewUser {
                email: "stina@student.umu.se".into(),
                name: "Stina Ek".into(),
                role: Role::Student,
                scope: None,
            };
            assert_eq!(
                s.create_user(&new, &cli).await.unwrap().person_id,
                first.person_id,
                "{label}"
            );

            // A contact of Sorsele gets Sorsele's municipality account, nothing else.
            let lisa = s
                .create_vfu_contact(&contact("2422", "lisa@sorsele.se", "Lisa Kontakt"), &as_sorsele)
                .await
                .unwrap();
            for (role, scope) in [
                (Role::Municipality, Some("2521")),
                (Role::Admin, None),
                (Role::Regional, None),
                (Role::University, Some("UmU")),
                (Role::Supervisor, None),
            ] {
                let new = NewUser {
                    email: "lisa@sorsele.se".into(),
                    name: "Lisa".into(),
                    role,
                    scope: scope.map(String::from),
                };
                assert!(
                    matches!(s.create_user(&new, &cli).await.unwrap_err(), StoreError::Conflict(_)),
                    "{label}: {role:?} {scope:?}"
                );
            }
            let new = NewUser {
                email: "lisa@sorsele.se".into(),
                name: "Lisa Kontakt".into(),
                role: Role::Municipality,
                scope: Some("2422".into()),
            };
            assert_eq!(
                s.create_user(&new, &cli).await.unwrap().person_id,
                lisa.person_id,
                "{label}"
            );

            // A municipality's contact entry for its own coordinator's account person.
            let karin = s
                .create_vfu_contact(&contact("2422", "Karin@Sorsele.se", "Karin Kommun"), &as_sorsele)
                .await
                .unwrap();
            assert_eq!(karin.person_id, w.sorsele.person_id, "{label}");
            let e = s
                .create_vfu_contact(&contact("2521", "karin@sorsele.se", "Karin Kommun"), &as_pajala)
                .await
                .unwrap_err();
            assert_eq!(problems(&e), unusable(), "{label}: not Pajala's");
            let e = s
                .update_vfu_contact(
                    &VfuContact {
                        municipality: code("2521"),
                        ..karin.clone()
                    },
                    &as_admin,
                )
                .await
                .unwrap_err();
            assert_eq!(
                problems(&e),
                unusable(),
                "{label}: a coordinator's person is not moved to another municipality"
            );
            assert_eq!(
                s.person_municipality(&w.sorsele.person_id).await.unwrap(),
                Some(Some(code("2422"))),
                "{label}"
            );

            // A supervisor who is also a contact of the same municipality.
            let maja = s
                .create_vfu_contact(&contact("2422", "maja@sorsele.se", "Maja Rektor"), &as_sorsele)
                .await
                .unwrap();
            let maja_sup = s
                .create_supervisor(
                    &named(
                        supervisor(
                            "maja@sorsele.se",
                            "2422",
                            Some("s-sorsele"),
                            "teacher_f3",
                            TrainingLevel::None,
                        ),
                        "Maja Rektor",
                    ),
                    &as_sorsele,
                )
                .await
                .unwrap();
            assert_eq!(maja_sup.person_id, maja.person_id, "{label}");
            let e = s
                .create_supervisor(
                    &supervisor("maja@sorsele.se", "2521", None, "teacher_f3", TrainingLevel::None),
                    &as_pajala,
                )
                .await
                .unwrap_err();
            assert_eq!(problems(&e), unusable(), "{label}");
            let moved = Supervisor {
                municipality: code("2521"),
                site_id: None,
                ..maja_sup.clone()
            };
            let e = s.update_supervisor(&moved, &as_admin).await.unwrap_err();
            assert_eq!(
                problems(&e),
                unusable(),
                "{label}: her contact entry stays in Sorsele, so does she"
            );
            assert_eq!(
                s.person_municipality(&maja.person_id).await.unwrap(),
                Some(Some(code("2422"))),
                "{label}"
            );
            db.finish().await;
        }
    }
}
