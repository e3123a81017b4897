//! Limits refuse oversized requests with clear errors; internal errors are masked.

use serde_json::json;

use crate::helpers::{Backend, Response, TestApp, on_both_backends};

async fn deep_queries_are_refused(backend: Backend) {
    let app = TestApp::spawn_with(backend, &["--max-depth", "4"]).await;
    let deep = "{ schools(first: 1) { nodes { students(first: 1) { nodes { enrollments(first: 1) { nodes { school { name } } } } } } } }";
    app.as_admin()
        .query(deep, json!({}))
        .await
        .assert_bad_user_input("nested too deep");
}

async fn complex_queries_are_refused(backend: Backend) {
    let app = TestApp::spawn_with(backend, &["--max-complexity", "1000"]).await;
    let costly = "{ students(first: 500) { nodes { id legalLastName gradeLevel status } } }";
    let refused = app.as_admin().query(costly, json!({})).await;
    // The page size times what each item selects: 500 x (`nodes` and its four fields).
    refused.assert_bad_user_input("Query is too complex: it costs 2500; at most 1000 is allowed");
    // The same query with a small page passes.
    app.as_admin()
        .query(
            "{ students(first: 10) { nodes { id legalLastName gradeLevel status } } }",
            json!({}),
        )
        .await
        .data();
}

async fn too_many_aliases_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let aliased = |n: usize| {
        let fields: Vec<String> = (0..n)
            .map(|i| format!("a{i}: district {{ name }}"))
            .collect();
        format!("{{ {} }}", fields.join(" "))
    };
    app.as_admin()
        .query(&aliased(31), json!({}))
        .await
        .assert_bad_user_input("31 aliases");
    app.as_admin().query(&aliased(30), json!({})).await.data();
}

async fn oversized_bodies_are_refused(backend: Backend) {
    let app = TestApp::spawn_with(backend, &["--max-body-bytes", "2000"]).await;
    let padding = " ".repeat(3000);
    let Response { status, body } = app
        .as_admin()
        .query(&format!("{{ district {{ name }} {padding}}}"), json!({}))
        .await;
    assert_eq!(status, 413, "{body}");
    let Response { status, body } = app
        .as_admin()
        .query("{ district { name } }", json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn malformed_requests_are_bad_user_input(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let Response { status, body } = app.as_admin().post("{ this is not json".into()).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );

    let body = app
        .as_admin()
        .query("{ students { nope } }", json!({}))
        .await
        .body;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
}

async fn internal_errors_are_masked_and_carry_the_request_id(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let student = app.student("Ana", "Reyes").await;
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared("DROP TABLE student_guardian")
        .await
        .unwrap();
    let Response { status, body } = app
        .as_admin()
        .query(
            "query($id: ID!) { student(id: $id) { guardians { totalCount } } }",
            json!({ "id": student }),
        )
        .await;
    assert_eq!(status, 200);
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "INTERNAL", "{body}");
    assert!(
        error["extensions"]["requestId"]
            .as_str()
            .is_some_and(|id| id.len() >= 32),
        "{body}"
    );
    let message = error["message"].as_str().unwrap();
    assert!(
        !message.contains("student_guardian") && !message.to_lowercase().contains("table"),
        "no SQL leaks: {message}"
    );
}

on_both_backends!(
    deep_queries_are_refused,
    complex_queries_are_refused,
    too_many_aliases_are_refused,
    oversized_bodies_are_refused,
    malformed_requests_are_bad_user_input,
    internal_errors_are_masked_and_carry_the_request_id,
);
