//! Health, readiness, metrics and the GraphiQL page need no token.

use crate::helpers::{Backend, TestApp, on_both_backends};

async fn open_endpoints_answer_without_a_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 200);
    assert_eq!(
        health.json::<serde_json::Value>().await.unwrap()["status"],
        "ok"
    );

    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(
        ready.json::<serde_json::Value>().await.unwrap()["database"],
        "ok"
    );

    let page = app.get("/").await;
    assert_eq!(page.status(), 200);
    assert!(
        page.text().await.unwrap().contains("graphiql"),
        "GraphiQL page"
    );

    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(metrics.contains("ssw_db_statements_total"), "{metrics}");
}

async fn responses_carry_a_request_id_and_metrics_count_operations(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/healthz").await;
    assert!(
        response.headers().get("x-request-id").is_some(),
        "x-request-id header"
    );

    app.query(
        &app.admin(),
        "query MySchools { schools { totalCount } }",
        serde_json::json!({}),
    )
    .await;
    app.query(
        &app.admin(),
        "query MySchools { schools { totalCount } }",
        serde_json::json!({}),
    )
    .await;
    let metrics = app.get("/metrics").await.text().await.unwrap();
    let line = metrics
        .lines()
        .find(|l| {
            l.starts_with("ssw_graphql_requests_total{")
                && l.contains("operation=\"MySchools\"")
                && l.contains("outcome=\"ok\"")
        })
        .unwrap_or_else(|| panic!("no request counter for MySchools in {metrics}"));
    assert!(line.ends_with(" 2"), "{line}");
    assert!(
        metrics.contains(
            "ssw_graphql_request_duration_seconds_bucket{le=\"0.001\",operation=\"MySchools\"}"
        ),
        "histogram by operation"
    );
}

async fn readiness_fails_when_the_database_is_gone(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.db.clone().close().await.expect("close the pool");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 503);
    // Liveness does not depend on the database.
    assert_eq!(app.get("/healthz").await.status(), 200);
}

on_both_backends!(
    open_endpoints_answer_without_a_token,
    responses_carry_a_request_id_and_metrics_count_operations,
    readiness_fails_when_the_database_is_gone,
);
