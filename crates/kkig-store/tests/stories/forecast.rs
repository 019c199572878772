//! The forecast's store story, on every backend available (SQLite always; PostgreSQL when
//! KKIG_TEST_DATABASE_URL is set): inputs saved, validated and audited; population imported
//! and replaced per municipality, year and kind; Kolada values; clusters; the demo.

use crate::{audit_count, code};
use kkig_core::forecast::product::{ForecastInput, PopulationCell, SHORTAGE_OCCUPATIONS};
use kkig_core::forecast::AgeGroup;
use kkig_core::Ssyk;
use kkig_formats::kolada::{Gender, KoladaRow};
use kkig_store::prelude::*;
use kkig_store::testing::TestDb;
use kkig_store::{Actor, ForecastStore, StoreError};

fn ssyk(s: &str) -> Ssyk {
    Ssyk::parse(s).unwrap()
}

fn cell(age: u32, year: i32, value: f64, projection: bool) -> PopulationCell {
    PopulationCell {
        age: AgeGroup::Age(age),
        year,
        value: Some(value),
        projection,
    }
}

async fn story(db: &TestDb) {
    let s = &db.store;
    let label = db.label;
    let cli = Actor::cli();
    s.seed_reference(&kkig_formats::reference::embedded().unwrap())
        .await
        .unwrap();
    let sorsele = code("2422");

    // Inputs: create, read back, update; each audited with before and after.
    assert_eq!(s.forecast_input(sorsele, ssyk("2343")).await.unwrap(), None, "{label}");
    let mut input = ForecastInput::new(sorsele, ssyk("2343"), 2026);
    input.staff_by_age.insert(31, 1.5);
    input.staff_by_age.insert(64, 3.0);
    input.vacancies = 1.0;
    s.save_forecast_input(&input, &cli).await.unwrap();
    assert_eq!(
        s.forecast_input(sorsele, ssyk("2343")).await.unwrap().as_ref(),
        Some(&input),
        "{label}: round trip"
    );
    input.completion_share = 0.6;
    s.save_forecast_input(&input, &cli).await.unwrap();
    assert_eq!(
        s.forecast_inputs(Some(sorsele)).await.unwrap(),
        vec![input.clone()],
        "{label}"
    );
    assert_eq!(s.forecast_inputs(Some(code("2521"))).await.unwrap(), vec![], "{label}");
    assert_eq!(audit_count(s, "forecast_input", "create").await, 1, "{label}");
    assert_eq!(audit_count(s, "forecast_input", "update").await, 1, "{label}");
    let log = s.audit_since(0, i64::MAX).await.unwrap();
    let update = log
        .iter()
        .find(|e| e.entity == "forecast_input" && e.action == "update")
        .unwrap();
    assert!(
        update.before.as_deref().unwrap().contains("0.8") && update.after.as_deref().unwrap().contains("0.6"),
        "{label}"
    );

    // Invalid input names the fields and writes nothing.
    let mut bad = input.clone();
    bad.vacancies = -1.0;
    bad.staff_by_age.insert(90, 1.0);
    match s.save_forecast_input(&bad, &cli).await {
        Err(StoreError::Fields(errors)) => {
            let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, ["staff_by_age.90", "vacancies"], "{label}");
        }
        other => panic!("{label}: {other:?}"),
    }
    let unknown = ForecastInput::new(code("0114"), ssyk("2343"), 2026);
    assert!(
        matches!(s.save_forecast_input(&unknown, &cli).await, Err(StoreError::Fields(_))),
        "{label}"
    );
    assert_eq!(
        s.forecast_inputs(None).await.unwrap(),
        vec![input.clone()],
        "{label}: nothing written"
    );

    // Population: an import replaces the cells of its municipalities, years and kind only.
    let first = vec![
        (sorsele, cell(3, 2026, 10.0, false)),
        (sorsele, cell(4, 2026, 12.0, false)),
        (sorsele, cell(3, 2027, 9.0, true)),
        (
            code("2521"),
            PopulationCell {
                age: AgeGroup::AndOlder(100),
                year: 2026,
                value: None,
                projection: false,
            },
        ),
    ];
    assert_eq!(
        s.import_population(&first, "tab638.json", &cli).await.unwrap(),
        4,
        "{label}"
    );
    let again = vec![(sorsele, cell(3, 2026, 11.0, false))];
    s.import_population(&again, "tab638-b.json", &cli).await.unwrap();
    let cells = s.population_cells(Some(sorsele)).await.unwrap();
    assert_eq!(
        cells,
        vec![
            (sorsele, cell(3, 2026, 11.0, false)),
            (sorsele, cell(3, 2027, 9.0, true))
        ],
        "{label}"
    );
    let all = s.population_cells(None).await.unwrap();
    assert_eq!(all.len(), 3, "{label}");
    assert_eq!(
        all[2],
        (
            code("2521"),
            PopulationCell {
                age: AgeGroup::AndOlder(100),
                year: 2026,
                value: None,
                projection: false
            }
        ),
        "{label}: null kept"
    );
    assert_eq!(audit_count(s, "population", "import").await, 2, "{label}");

    // Kolada values: upsert by (kpi, municipality, period, gender).
    let row = |value| KoladaRow {
        kpi: "N00914".into(),
        kommunkod: sorsele,
        period: 2023,
        gender: Gender::Total,
        value,
    };
    s.import_kolada(
        &[
            row(Some(12.5)),
            KoladaRow {
                gender: Gender::Female,
                ..row(None)
            },
        ],
        "kolada.json",
        &cli,
    )
    .await
    .unwrap();
    s.import_kolada(&[row(Some(13.0))], "kolada.json", &cli).await.unwrap();
    let values = s.kolada_values(sorsele).await.unwrap();
    assert_eq!(values.len(), 2, "{label}");
    assert_eq!((values[0].gender.as_str(), values[0].value), ("K", None), "{label}");
    assert_eq!(
        (values[1].gender.as_str(), values[1].value),
        ("T", Some(13.0)),
        "{label}"
    );

    // Clusters: created with validation, listed by name, deleted (audited).
    match s.create_forecast_cluster(" ", &[], &cli).await {
        Err(StoreError::Fields(errors)) => {
            let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, ["name", "members"], "{label}");
        }
        other => panic!("{label}: {other:?}"),
    }
    let c = s
        .create_forecast_cluster("Östra", &[code("2521"), sorsele, sorsele], &cli)
        .await
        .unwrap();
    assert_eq!(c.members, vec![sorsele, code("2521")], "{label}: sorted, once each");
    s.create_forecast_cluster("Arjeplog med flera", &[code("2506")], &cli)
        .await
        .unwrap();
    assert!(
        matches!(
            s.create_forecast_cluster("Östra", &[sorsele], &cli).await,
            Err(StoreError::Conflict(_))
        ),
        "{label}"
    );
    let names: Vec<String> = s
        .forecast_clusters()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["Arjeplog med flera", "Östra"], "{label}: Swedish order");
    assert_eq!(s.forecast_cluster(&c.id).await.unwrap().as_ref(), Some(&c), "{label}");
    assert!(s.delete_forecast_cluster(&c.id, &cli).await.unwrap(), "{label}");
    assert!(!s.delete_forecast_cluster(&c.id, &cli).await.unwrap(), "{label}");
    assert_eq!(s.forecast_cluster(&c.id).await.unwrap(), None, "{label}");
    assert_eq!(audit_count(s, "forecast_cluster", "create").await, 2, "{label}");
    assert_eq!(audit_count(s, "forecast_cluster", "delete").await, 1, "{label}");
}

#[tokio::test]
async fn forecast_story_on_every_backend() {
    for db in TestDb::all().await {
        story(&db).await;
        db.finish().await;
    }
}

/// The demo brings inputs for every participant and shortage occupation, their population,
/// two clusters, and VFU students to derive local graduates from.
#[tokio::test]
async fn demo_forecast_loads_on_every_backend() {
    use kkig_core::demo::{DemoWorld, DEFAULT_SEED};
    for db in TestDb::all().await {
        let s = &db.store;
        let label = db.label;
        let reference = kkig_formats::reference::embedded().unwrap();
        s.seed_reference(&reference).await.unwrap();
        let world = DemoWorld::generate(DEFAULT_SEED, &reference);
        s.load_demo(&world).await.unwrap();
        let inputs = s.forecast_inputs(None).await.unwrap();
        assert_eq!(inputs.len(), 17 * SHORTAGE_OCCUPATIONS.len(), "{label}");
        let mut expected = world.forecast.inputs.clone();
        expected.sort_by_key(|i| (i.municipality.to_string(), i.ssyk.to_string()));
        assert_eq!(inputs, expected, "{label}: round trip");
        assert_eq!(
            s.population_cells(None).await.unwrap().len(),
            world.forecast.population.len(),
            "{label}"
        );
        let clusters = s.forecast_clusters().await.unwrap();
        let names: Vec<&str> = clusters.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Lappland", "Södra Lappland"], "{label}");
        assert_eq!(clusters[1].members.len(), 6, "{label}");
        assert!(clusters.iter().all(|c| c.demo), "{label}");
        let students = s.vfu_students_per_year(None).await.unwrap();
        assert!(
            students.len() > 10 && students.iter().all(|r| r.3 > 0),
            "{label}: {students:?}"
        );
        let sorsele = s.vfu_students_per_year(Some(code("2422"))).await.unwrap();
        assert!(sorsele.iter().all(|r| r.0 == code("2422")), "{label}");
        db.finish().await;
    }
}
