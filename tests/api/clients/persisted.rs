//! Automatic persisted queries (Apollo's protocol): a hash the server does not hold answers
//! `PersistedQueryNotFound`, so the client sends the query with its hash; the server checks
//! the hash, keeps the query once it has run, and runs it by hash alone after that, by POST
//! and by GET (never a mutation by GET).

use reqwest::{RequestBuilder, header};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, on_both_backends};

fn sha256_hex(text: &str) -> String {
    ring::digest::digest(&ring::digest::SHA256, text.as_bytes())
        .as_ref()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn extensions(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

fn authorized(app: &TestApp, request: RequestBuilder) -> RequestBuilder {
    request.header(
        header::AUTHORIZATION,
        app.as_admin().authorization().unwrap(),
    )
}

/// A POST of `body`, as Apollo Client sends it.
fn post(app: &TestApp, body: Value) -> RequestBuilder {
    authorized(
        app,
        reqwest::Client::new()
            .post(format!("{}/graphql", app.url))
            .json(&body),
    )
}

/// A GET by hash alone (Apollo's `useGETForHashedQueries`).
fn get_by_hash(app: &TestApp, hash: &str) -> RequestBuilder {
    let extensions = extensions(hash).to_string();
    authorized(
        app,
        reqwest::Client::new()
            .get(format!("{}/graphql", app.url))
            .query(&[("extensions", extensions.as_str())]),
    )
}

async fn read(request: RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[track_caller]
fn assert_not_found(status: u16, body: &Value, expected_status: u16) {
    assert_eq!(status, expected_status, "{body}");
    assert_eq!(
        body["errors"][0]["message"], "PersistedQueryNotFound",
        "{body}"
    );
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND",
        "{body}"
    );
}

async fn queries_run_by_hash_once_sent_with_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let query = "query Schools { schools(first: 3) { totalCount } district { name } }";
    let hash = sha256_hex(query);

    // Unknown: Apollo's link then sends the query with its hash.
    let (status, body) = read(post(&app, json!({ "extensions": extensions(&hash) }))).await;
    assert_not_found(status, &body, 404);
    let (status, body) = read(
        post(&app, json!({ "extensions": extensions(&hash) }))
            .header(header::ACCEPT, "application/json"),
    )
    .await;
    assert_not_found(status, &body, 200);
    let (status, body) = read(get_by_hash(&app, &hash)).await;
    assert_not_found(status, &body, 404);

    let (status, body) = read(post(
        &app,
        json!({ "query": query, "extensions": extensions(&hash) }),
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    let expected =
        json!({ "schools": { "totalCount": 0 }, "district": { "name": "Test District" } });
    assert_eq!(body["data"], expected);

    let (status, body) = read(post(&app, json!({ "extensions": extensions(&hash) }))).await;
    assert_eq!((status, &body["data"]), (200, &expected), "{body}");
    let (status, body) = read(get_by_hash(&app, &hash)).await;
    assert_eq!((status, &body["data"]), (200, &expected), "{body}");
}

async fn a_wrong_hash_or_a_refused_query_is_never_kept(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let query = "{ district { name } }";
    let claimed = sha256_hex("{ district { id } }");
    let (status, body) = read(post(
        &app,
        json!({ "query": query, "extensions": extensions(&claimed) }),
    ))
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("sha")
    );
    let (status, body) = read(post(&app, json!({ "extensions": extensions(&claimed) }))).await;
    assert_not_found(status, &body, 404);

    // A query the limits refuse (more than 30 aliases) is refused with its hash too, and not
    // kept.
    let aliases: String = (0..31)
        .map(|i| format!("a{i}: district {{ name }} "))
        .collect();
    let deep = format!("{{ {aliases}}}");
    let hash = sha256_hex(&deep);
    let (status, body) = read(post(
        &app,
        json!({ "query": deep, "extensions": extensions(&hash) }),
    ))
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    let (status, body) = read(post(&app, json!({ "extensions": extensions(&hash) }))).await;
    assert_not_found(status, &body, 404);

    let (status, body) = read(post(
        &app,
        json!({ "extensions": { "persistedQuery": { "version": 2, "sha256Hash": claimed } } }),
    ))
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
}

async fn a_persisted_mutation_never_runs_by_get(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mutation = "mutation { createSchool(input: { name: \"North\", lowestGrade: \"KG\", highestGrade: \"05\" }) { school { id } userErrors { field } } }";
    let hash = sha256_hex(mutation);
    let (status, body) = read(post(
        &app,
        json!({ "query": mutation, "extensions": extensions(&hash) }),
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.count_rows("school").await, 1);

    let response = get_by_hash(&app, &hash).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()[header::ALLOW], "POST");
    assert_eq!(app.count_rows("school").await, 1, "nothing ran");

    // By POST it runs by hash like any persisted query.
    let (status, body) = read(post(&app, json!({ "extensions": extensions(&hash) }))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.count_rows("school").await, 2);
}

on_both_backends!(
    queries_run_by_hash_once_sent_with_it,
    a_wrong_hash_or_a_refused_query_is_never_kept,
    a_persisted_mutation_never_runs_by_get,
);
