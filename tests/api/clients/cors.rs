//! CORS: the allowed origins are a setting, none by default.

use reqwest::{Method, header};

use crate::helpers::{Backend, TestApp, on_both_backends};

const ORIGIN: &str = "https://app.example.org";

/// A browser's preflight for a POST with a token from `origin`.
async fn preflight(app: &TestApp, origin: &str) -> reqwest::Response {
    reqwest::Client::new()
        .request(Method::OPTIONS, format!("{}/graphql", app.url))
        .header(header::ORIGIN, origin)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            "authorization,content-type",
        )
        .send()
        .await
        .expect("the server answers")
}

/// A header of `response` as text.
fn header_of(response: &reqwest::Response, name: header::HeaderName) -> Option<&str> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
}

fn allowed_origin(response: &reqwest::Response) -> Option<&str> {
    header_of(response, header::ACCESS_CONTROL_ALLOW_ORIGIN)
}

async fn allowed_origins_pass_preflight_and_read_answers(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        &["--cors-origins", &format!("{ORIGIN},https://b.example.org")],
    )
    .await;
    let answer = preflight(&app, ORIGIN).await;
    assert!(answer.status().is_success(), "{}", answer.status());
    assert_eq!(allowed_origin(&answer), Some(ORIGIN));
    let headers = header_of(&answer, header::ACCESS_CONTROL_ALLOW_HEADERS)
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(
        headers.contains("authorization") && headers.contains("content-type"),
        "{headers}"
    );
    let methods = header_of(&answer, header::ACCESS_CONTROL_ALLOW_METHODS).unwrap_or_default();
    assert!(methods.contains("POST"), "{methods}");

    let admin = app.as_admin();
    let answer = reqwest::Client::new()
        .post(format!("{}/graphql", app.url))
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, admin.authorization().unwrap())
        .body(r#"{"query":"{ district { name } }"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(allowed_origin(&answer), Some(ORIGIN));

    let other = preflight(&app, "https://evil.example.net").await;
    assert_eq!(allowed_origin(&other), None);
}

async fn no_origin_is_allowed_by_default(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let answer = preflight(&app, ORIGIN).await;
    assert_eq!(allowed_origin(&answer), None);
}

on_both_backends!(
    allowed_origins_pass_preflight_and_read_answers,
    no_origin_is_allowed_by_default,
);
