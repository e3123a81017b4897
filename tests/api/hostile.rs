//! Hostile input (issue 9): requests written to hurt the server are refused cheaply with a
//! typed error, and the server keeps serving others.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{Backend, Client, Response, TestApp, on_both_backends};

/// The server still answers a plain query.
async fn assert_alive(client: &Client) {
    client
        .query("{ district { name } }", json!({}))
        .await
        .data();
}

/// `open` repeated `levels` times, then `middle`, then `close` as often.
fn nested(open: &str, levels: usize, middle: &str, close: &str) -> String {
    format!("{}{middle}{}", open.repeat(levels), close.repeat(levels))
}

async fn deep_nesting_is_refused_before_parsing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    // A debug build aborted at 300 levels of input objects and 600 of lists (the parser's own
    // stack guard refuses deeper ones, but the steps after it recurse unguarded).
    for levels in [300, 600, 2_000, 100_000] {
        let queries = [
            format!(
                "{{ node(id: {}) {{ id }} }}",
                nested("[", levels, "\"x\"", "]")
            ),
            format!(
                "{{ students(filter: {}) {{ totalCount }} }}",
                nested("{a:", levels, "1", "}")
            ),
            format!(
                "query($v: [Int] = {}) {{ district {{ name }} }}",
                nested("[", levels, "1", "]")
            ),
            nested("{ a ", levels, "b", "}"),
        ];
        for query in queries {
            let started = Instant::now();
            let answer = admin.query(&query, json!({})).await;
            answer.assert_bad_user_input("nested more than 64 levels");
            // A request error, in application/graphql-response+json.
            assert_eq!(answer.status, 400, "{}", answer.body);
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "refused cheaply"
            );
            assert_alive(&admin).await;
        }
    }
    // Brackets in strings and comments are not nesting.
    let quoted = format!(
        "{{ students(filter: {{ search: \"{}\" }}) {{ totalCount }} # {}\n }}",
        "[".repeat(3_000), // within the 4,000 characters a text may have
        "{".repeat(5_000)
    );
    admin.query(&quoted, json!({})).await.data();
}

async fn deeply_nested_variables_are_refused_as_bad_requests(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let request = |levels: usize| {
        format!(
            r#"{{"query": "query($v: [ID!]!) {{ nodes(ids: $v) {{ id }} }}", "variables": {{"v": {}}}}}"#,
            nested("[", levels, "\"x\"", "]")
        )
    };
    // The JSON parser stops at 128 levels: past them the body is no GraphQL request.
    let answer = admin.post(request(200)).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    answer.assert_bad_user_input("not a GraphQL request");
    // Within them, the value is checked against its type like any other (a request error:
    // 400 in the GraphQL response media type).
    let answer = admin.post(request(120)).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.code(), "BAD_USER_INPUT", "{}", answer.body);
    assert_alive(&admin).await;
}

/// A chain of `levels` fragments, each spreading the previous twice, the first selecting `leaf`.
fn fan_out(levels: usize, leaf: &str) -> String {
    let mut query = format!("{{ ...F{levels} }} fragment F0 on Query {{ {leaf} }}");
    for level in 1..=levels {
        let previous = level - 1;
        query.push_str(&format!(
            " fragment F{level} on Query {{ ...F{previous} ...F{previous} }}"
        ));
    }
    query
}

/// A connection's count: one SQL statement each time it runs.
const COUNT: &str = "students(first: 1) { totalCount }";

/// A small fan-out of [`COUNT`] runs (the district has no students).
async fn assert_fan_out_runs(client: &Client, levels: usize) {
    let data = client
        .query(&fan_out(levels, COUNT), json!({}))
        .await
        .data();
    assert_eq!(data["students"]["totalCount"], 0);
}

async fn fragment_fan_out_is_refused_before_it_runs(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let before = app.statements().await;
    admin
        .query(&fan_out(16, COUNT), json!({}))
        .await
        .assert_bad_user_input("fragments expanded; at most 2000");
    assert!(app.statements().await - before < 5, "nothing ran");
    // Small fragment trees pass.
    assert_fan_out_runs(&admin, 3).await;
}

async fn statements_per_request_are_capped(backend: Backend) {
    // 64 copies of a connection, within the field limit: what it runs uncapped.
    let uncapped = TestApp::spawn(backend).await;
    let before = uncapped.statements().await;
    let whole = uncapped
        .as_admin()
        .query(&fan_out(6, COUNT), json!({}))
        .await;
    assert_eq!(whole.status, 200, "{}", whole.body);
    let asked = uncapped.statements().await - before;

    let app = TestApp::spawn_with(backend, &["--max-statements", "20"]).await;
    let admin = app.as_admin();
    let before = app.statements().await;
    let answer = admin.query(&fan_out(6, COUNT), json!({})).await;
    let ran = app.statements().await - before;
    answer.assert_bad_user_input("more than 20 SQL statements");
    assert!(answer.body["data"].is_null(), "{}", answer.body);
    // The request stops at the cap; statements already running then may finish, and on a
    // loaded machine (CI runs every test at once) that can be most of them: fewer than the
    // query asks for is what holds.
    assert!(
        ran > 20 && ran < asked,
        "{ran} statements ran of the {asked} asked"
    );
    assert_fan_out_runs(&admin, 2).await;
}

async fn a_fanned_out_unknown_field_is_refused_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let hostile = fan_out(27, "nope");
    let health = async {
        // Asked while the hostile requests are in flight.
        tokio::time::sleep(Duration::from_millis(20)).await;
        let started = Instant::now();
        let status = app.get("/healthz").await.status();
        (status, started.elapsed())
    };
    let started = Instant::now();
    let (first, second, (health, health_took)) =
        tokio::time::timeout(Duration::from_secs(10), async {
            tokio::join!(
                admin.query(&hostile, json!({})),
                admin.query(&hostile, json!({})),
                health
            )
        })
        .await
        .expect("refused within 10 s");
    let took = started.elapsed();
    for answer in [first, second] {
        answer.assert_bad_user_input("fragments expanded");
    }
    assert!(took < Duration::from_millis(500), "refused in {took:?}");
    assert_eq!(health, 200);
    assert!(
        health_took < Duration::from_millis(500),
        "/healthz took {health_took:?}"
    );
}

async fn large_queries_do_not_hold_the_workers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    // 600 KB of operations: parsed and validated in full, about a second each in a debug build.
    let large: String = (0..18_000)
        .map(|i| format!("query Q{i} {{ district {{ name }} }} "))
        .collect();
    let health = async {
        let mut slowest = Duration::ZERO;
        for _ in 0..30 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            let started = Instant::now();
            assert_eq!(app.get("/healthz").await.status(), 200);
            slowest = slowest.max(started.elapsed());
        }
        slowest
    };
    let requests = futures::future::join_all((0..6).map(|_| admin.query(&large, json!({}))));
    let (answers, slowest) = tokio::join!(requests, health);
    for answer in answers {
        answer.assert_bad_user_input("fragments expanded");
    }
    assert!(
        slowest < Duration::from_millis(1_500),
        "/healthz took {slowest:?}"
    );
}

async fn refused_requests_answer_with_few_errors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let arguments: String = (0..5_000).map(|i| format!("a{i}: 1 ")).collect();
    let answer = app
        .as_admin()
        .query(
            &format!("{{ district({arguments}) {{ name }} }}"),
            json!({}),
        )
        .await;
    let errors = answer.body["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 21, "{}", answer.body);
    assert_eq!(errors[20]["message"], "and 4980 more errors");
    assert!(
        errors
            .iter()
            .all(|error| error["extensions"]["code"] == "BAD_USER_INPUT")
    );
}

/// The first error's message, asserting there is one.
fn message(answer: &Response) -> String {
    answer.body["errors"][0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("an error message: {}", answer.body))
        .to_string()
}

async fn errors_quote_a_short_excerpt_of_the_input(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let long = "X".repeat(900_000);
    let request =
        |query: String, variables: Value| json!({ "query": query, "variables": variables });
    let bodies = [
        // A syntax error at the end of a long line.
        request(
            format!("{{ district {{ name {} !", "__typename ".repeat(80_000)),
            json!({}),
        ),
        request(
            format!("{{ students(filter: {{ statuses: [{long}] }}) {{ totalCount }} }}"),
            json!({}),
        ),
        request(
            "query($s: [StudentStatus!]) { students(filter: { statuses: $s }) { totalCount } }"
                .into(),
            json!({ "s": [long] }),
        ),
    ];
    for body in bodies {
        let answer = admin.post(body.to_string()).await;
        let text = message(&answer);
        assert_eq!(answer.code(), "BAD_USER_INPUT", "{text}");
        assert!(text.len() < 1_000, "{} bytes: {}", text.len(), &text[..300]);
    }
}

async fn operation_names_have_bounded_metric_labels(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    for i in 0..120 {
        let body = json!({
            "query": format!("query Op{i} {{ district {{ name }} }}"),
            "operationName": format!("Op{i}"),
        });
        admin.post(body.to_string()).await;
    }
    let text = app.get("/metrics").await.text().await.expect("metrics");
    let labels: std::collections::HashSet<&str> = text
        .lines()
        .filter(|line| line.starts_with("ssw_graphql_requests_total{"))
        .filter_map(|line| line.split("operation=\"").nth(1)?.split('"').next())
        .collect();
    assert_eq!(labels.len(), 101, "100 names and other: {labels:?}");
    assert!(
        labels.contains("other") && labels.contains("Op0"),
        "{labels:?}"
    );
    assert!(!labels.contains("Op119"), "{labels:?}");
}

on_both_backends!(
    deep_nesting_is_refused_before_parsing,
    deeply_nested_variables_are_refused_as_bad_requests,
    fragment_fan_out_is_refused_before_it_runs,
    statements_per_request_are_capped,
    a_fanned_out_unknown_field_is_refused_at_once,
    large_queries_do_not_hold_the_workers,
    errors_quote_a_short_excerpt_of_the_input,
    refused_requests_answer_with_few_errors,
    operation_names_have_bounded_metric_labels,
);
