//! Health, readiness, metrics and the GraphiQL page need no token.

use crate::helpers::district_today;
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

    let admin = app.as_admin();
    for _ in 0..2 {
        admin
            .query(
                "query MySchools { schools { totalCount } }",
                serde_json::json!({}),
            )
            .await
            .data();
    }
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

/// Shutdown stops accepting connections but lets a request already running finish. The request
/// is held in flight by sending the last bytes of its body only after shutdown has begun, so it
/// can succeed only if the server waits for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_in_flight_requests_finish() {
    use clap::Parser;
    use futures::StreamExt;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let args = [
        "ssw-api",
        "--database-url",
        &url,
        "--listen",
        "127.0.0.1:0",
        "--jwt-secret",
        crate::helpers::SECRET,
        "serve",
    ];
    let config = ssw_api::cli::Cli::try_parse_from(args).unwrap().config;
    let app = ssw_api::startup::Application::build(&config).await.unwrap();
    let base = format!("http://{}", app.local_addr());
    let district = ssw_api::roster::district::create(
        &app.state.db,
        "Shutdown District",
        "IL",
        "America/Chicago",
    )
    .await
    .unwrap();
    let actor = ssw_api::auth::Actor {
        subject: "t".into(),
        role: ssw_api::auth::Role::DistrictAdmin,
        district_id: district.id,
        staff_id: None,
        school_ids: vec![],
        agency_id: None,
        today: district_today(),
        pseudonyms: None,
    };
    let token = app
        .state
        .keys
        .mint(&actor, chrono::Duration::minutes(5))
        .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));

    let body =
        serde_json::to_vec(&serde_json::json!({ "query": "{ district { name } }" })).unwrap();
    let (head, tail) = body.split_at(8);
    let (head, tail) = (head.to_vec(), tail.to_vec());
    let (finish, finished) = tokio::sync::oneshot::channel::<()>();
    let stream = futures::stream::once(async move { Ok::<_, std::io::Error>(head) }).chain(
        futures::stream::once(async move {
            let _ = finished.await;
            Ok(tail)
        }),
    );
    let request = tokio::spawn(
        reqwest::Client::new()
            .post(format!("{base}/graphql"))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .header("content-length", body.len())
            .body(reqwest::Body::wrap_stream(stream))
            .send(),
    );
    // The server has the request's head and part of its body; now shut down, then finish it.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    stop.send(()).unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert!(
        !server.is_finished(),
        "the server waits for the request in flight"
    );
    finish.send(()).unwrap();
    let response = request
        .await
        .unwrap()
        .expect("the in-flight request is answered");
    assert_eq!(response.status(), 200);
    let answer: serde_json::Value = response.json().await.unwrap();
    assert_eq!(answer["data"]["district"]["name"], "Shutdown District");
    tokio::time::timeout(std::time::Duration::from_secs(10), server)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
    assert!(
        reqwest::get(format!("{base}/healthz")).await.is_err(),
        "no new connections after shutdown"
    );
}
