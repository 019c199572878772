use kkig_store::Store;

use crate::common::apps;

#[tokio::test]
async fn health_is_200_while_the_database_answers_and_503_when_it_does_not() {
    for app in apps(false).await {
        let label = app.db.label;
        let ok = app.get("/health").await;
        assert_eq!(ok.status, 200, "{label}");
        assert_eq!(ok.json()["status"], "ok", "{label}");
        assert_eq!(ok.json()["backend"], label, "{label}");

        app.db.store.close().await;
        let down = app.get("/health").await;
        assert_eq!(down.status, 503, "{label}");
        assert_eq!(down.json()["status"], "unavailable", "{label}");

        // Pages say so readably instead of failing with a bare 500.
        let page = app.get("/kommun/2422").await;
        assert_eq!(page.status, 503, "{label}");
        assert!(page.body.contains("Något gick fel"), "{label}: {}", page.body);
        app.finish().await;
    }
}
