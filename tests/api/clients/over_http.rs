//! GraphQL over HTTP: GET runs queries (never mutations), the answer's media type follows
//! `Accept`, request errors are 400 in `application/graphql-response+json`, and every refusal
//! is a GraphQL body in the negotiated type.

use reqwest::{RequestBuilder, header};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, on_both_backends};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json; charset=utf-8";
const JSON: &str = "application/json; charset=utf-8";

/// Status, `Content-Type` and JSON body of an answer.
async fn read(request: RequestBuilder) -> (u16, String, Value) {
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let media = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, media, response.json().await.unwrap_or(Value::Null))
}

fn get(app: &TestApp, query: &[(&str, &str)]) -> RequestBuilder {
    reqwest::Client::new()
        .get(format!("{}/graphql", app.url))
        .query(query)
        .header(
            header::AUTHORIZATION,
            app.as_admin().authorization().unwrap(),
        )
}

fn post(app: &TestApp, authorized: bool, body: &str) -> RequestBuilder {
    let request = reqwest::Client::new()
        .post(format!("{}/graphql", app.url))
        .body(body.to_string());
    if authorized {
        request.header(
            header::AUTHORIZATION,
            app.as_admin().authorization().unwrap(),
        )
    } else {
        request
    }
}

fn json_post(app: &TestApp, authorized: bool, body: &str) -> RequestBuilder {
    post(app, authorized, body).header(header::CONTENT_TYPE, "application/json")
}

async fn get_runs_queries_and_never_mutations(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, media, body) = read(get(&app, &[("query", "{ district { name } }")])).await;
    assert_eq!((status, media.as_str()), (200, GRAPHQL_RESPONSE), "{body}");
    assert_eq!(body["data"]["district"]["name"], "Test District");

    let (status, _, body) = read(get(
        &app,
        &[
            (
                "query",
                "query Named($n: Int) { schools(first: $n) { totalCount } }",
            ),
            ("variables", r#"{"n": 1}"#),
            ("operationName", "Named"),
        ],
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["schools"]["totalCount"], 0);

    let create = "mutation Create { createSchool(input: { name: \"By GET\", lowestGrade: \"KG\", highestGrade: \"05\" }) { school { id } } }";
    let response = get(&app, &[("query", create)]).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()[header::ALLOW], "POST");
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    // The operation a GET names decides, and a query next to a mutation still runs.
    let both = format!("query Q {{ district {{ name }} }} {create}");
    let (status, _, body) = read(get(&app, &[("query", &both), ("operationName", "Q")])).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.count_rows("school").await, 0, "nothing was written");

    let page = app.get("/").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("graphiql"));
}

async fn the_answer_follows_accept(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let invalid = r#"{"query":"{ district { nope } }"}"#;
    let valid = r#"{"query":"{ district { name } }"}"#;

    // graphql-response+json (asked for, or by default): a request error is 400 with no data.
    for accept in [
        Some("application/graphql-response+json, application/json;q=0.9"),
        None,
    ] {
        let mut request = json_post(&app, true, invalid);
        if let Some(accept) = accept {
            request = request.header(header::ACCEPT, accept);
        }
        let (status, media, body) = read(request).await;
        assert_eq!(
            (status, media.as_str()),
            (400, GRAPHQL_RESPONSE),
            "{accept:?}"
        );
        assert!(body.get("data").is_none(), "{body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    }
    let (status, _, body) = read(json_post(&app, true, r#"{"query":"{ district { "}"#)).await;
    assert_eq!(status, 400, "a parse error: {body}");

    // application/json: 200 for any well-formed request, as legacy clients expect.
    let (status, media, body) =
        read(json_post(&app, true, invalid).header(header::ACCEPT, "application/json")).await;
    assert_eq!((status, media.as_str()), (200, JSON), "{body}");
    assert!(body.get("data").is_none(), "{body}");
    let (status, media, body) =
        read(json_post(&app, true, valid).header(header::ACCEPT, "application/json")).await;
    assert_eq!((status, media.as_str()), (200, JSON));
    assert_eq!(body["data"]["district"]["name"], "Test District");
}

/// 401, 413 and 415 are GraphQL bodies in the negotiated type, so a client reads their code.
async fn refusals_are_graphql_bodies_in_the_negotiated_type(backend: Backend) {
    let app = TestApp::spawn_with(backend, &["--max-body-bytes", "2000"]).await;
    let valid = r#"{"query":"{ district { name } }"}"#;
    for (accept, expected) in [("application/json", JSON), ("*/*", GRAPHQL_RESPONSE)] {
        let (status, media, body) =
            read(json_post(&app, false, valid).header(header::ACCEPT, accept)).await;
        assert_eq!((status, media.as_str()), (401, expected), "{body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");

        let large = json!({ "query": format!("{{ district {{ name }} {} }}", " ".repeat(3000)) });
        let (status, media, body) =
            read(json_post(&app, true, &large.to_string()).header(header::ACCEPT, accept)).await;
        assert_eq!((status, media.as_str()), (413, expected), "{body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    }
    // Batches are refused, with a GraphQL error.
    let batch = format!("[{valid}, {valid}]");
    let (status, _, body) = read(json_post(&app, true, &batch)).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    // A POST must say its body is JSON.
    let (status, media, body) = read(post(&app, true, valid)).await;
    assert_eq!((status, media.as_str()), (415, GRAPHQL_RESPONSE), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    let text = post(&app, true, valid).header(header::CONTENT_TYPE, "text/plain");
    assert_eq!(read(text).await.0, 415);
    let utf16 =
        post(&app, true, valid).header(header::CONTENT_TYPE, "application/json; charset=utf-16");
    assert_eq!(read(utf16).await.0, 415);
}

on_both_backends!(
    get_runs_queries_and_never_mutations,
    the_answer_follows_accept,
    refusals_are_graphql_bodies_in_the_negotiated_type,
);
