//! The other reference endpoints: universities, learning centres and occupations.

use crate::common::apps;

#[tokio::test]
async fn universities_learning_centres_and_occupations() {
    for app in apps(true).await {
        let label = app.db.label;
        let u = app.get("/api/v1/universities").await;
        assert_eq!(u.status, 200, "{label}");
        insta::assert_json_snapshot!("universities", u.json());

        let o = app.get("/api/v1/occupations").await;
        assert_eq!(o.status, 200, "{label}");
        insta::assert_json_snapshot!("occupations", o.json());

        let l = app.get("/api/v1/learning-centres").await.json();
        let items = l.as_array().unwrap();
        assert_eq!(items.len(), 17, "{label}");
        // With the demo loaded, services are there and say they are demo.
        assert!(items.iter().all(|c| c["services"]["demo"] == true), "{label}");
        insta::assert_json_snapshot!("learning_centre_first", items[0]);
        app.finish().await;
    }
}

#[tokio::test]
async fn unknown_api_paths_are_404_json() {
    for app in apps(false).await {
        let res = app.get("/api/v1/nothing-here").await;
        assert_eq!(res.status, 404, "{}", app.db.label);
        insta::assert_json_snapshot!("api_unknown_path", res.json());
        app.finish().await;
    }
}
