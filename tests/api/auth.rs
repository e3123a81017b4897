//! Every GraphQL request needs a valid bearer token; each way a token can be wrong is refused
//! with UNAUTHENTICATED.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::Utc;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};

use crate::helpers::{AUDIENCE, Backend, ISSUER, Response, SECRET, TestApp, on_both_backends};

const VIEWER: &str = "{ viewer { role } }";

fn claims(app: &TestApp) -> Value {
    let now = Utc::now().timestamp();
    json!({
        "sub": "someone", "role": "DISTRICT_ADMIN", "district_id": app.district_id,
        "iss": ISSUER, "aud": AUDIENCE, "exp": now + 600, "nbf": now - 10, "iat": now - 10,
    })
}

fn sign(claims: &Value, secret: &str) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

async fn assert_unauthenticated(app: &TestApp, authorization: Option<&str>, why: &str) {
    let Response { status, body } = app
        .with_authorization(authorization)
        .query(VIEWER, json!({}))
        .await;
    assert_eq!(status, 401, "{why}: {body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{why}: {body}"
    );
    assert!(body.get("data").is_none(), "{why}: nothing executed");
}

async fn a_valid_token_is_accepted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = sign(&claims(&app), SECRET);
    let data = app.with_token(&token).query(VIEWER, json!({})).await.data();
    assert_eq!(data["viewer"]["role"], "DISTRICT_ADMIN");
}

async fn missing_and_malformed_headers_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    assert_unauthenticated(&app, None, "no header").await;
    assert_unauthenticated(&app, Some("Basic dXNlcjpwYXNz"), "not a bearer token").await;
    assert_unauthenticated(&app, Some("Bearer "), "empty token").await;
    assert_unauthenticated(&app, Some("Bearer not.a.jwt"), "garbage").await;
}

async fn alg_none_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims(&app).to_string());
    assert_unauthenticated(
        &app,
        Some(&format!("Bearer {header}.{payload}.")),
        "alg none",
    )
    .await;
}

async fn a_token_signed_with_another_key_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = sign(&claims(&app), "another-secret-that-is-also-long-enough!");
    assert_unauthenticated(&app, Some(&format!("Bearer {token}")), "wrong key").await;
}

async fn an_expired_token_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut claims = claims(&app);
    claims["exp"] = json!(Utc::now().timestamp() - 3600);
    assert_unauthenticated(
        &app,
        Some(&format!("Bearer {}", sign(&claims, SECRET))),
        "expired",
    )
    .await;
}

async fn a_token_not_yet_valid_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut claims = claims(&app);
    claims["nbf"] = json!(Utc::now().timestamp() + 3600);
    assert_unauthenticated(
        &app,
        Some(&format!("Bearer {}", sign(&claims, SECRET))),
        "nbf in the future",
    )
    .await;
}

async fn a_tampered_payload_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // A school-staff token whose payload is rewritten to claim DISTRICT_ADMIN.
    let mut claims = claims(&app);
    claims["role"] = json!("SCHOOL_STAFF");
    let token = sign(&claims, SECRET);
    let parts: Vec<&str> = token.split('.').collect();
    claims["role"] = json!("DISTRICT_ADMIN");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        parts[2]
    );
    assert_unauthenticated(&app, Some(&format!("Bearer {forged}")), "tampered payload").await;
}

async fn wrong_issuer_or_audience_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut wrong_issuer = claims(&app);
    wrong_issuer["iss"] = json!("someone-else");
    assert_unauthenticated(
        &app,
        Some(&format!("Bearer {}", sign(&wrong_issuer, SECRET))),
        "issuer",
    )
    .await;
    let mut wrong_audience = claims(&app);
    wrong_audience["aud"] = json!("another-api");
    assert_unauthenticated(
        &app,
        Some(&format!("Bearer {}", sign(&wrong_audience, SECRET))),
        "audience",
    )
    .await;
}

async fn a_token_of_another_algorithm_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = encode(
        &Header::new(Algorithm::HS512),
        &claims(&app),
        &EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap();
    assert_unauthenticated(
        &app,
        Some(&format!("Bearer {token}")),
        "HS512 is not pinned",
    )
    .await;
}

async fn viewer_reports_the_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let school = app.school("Viewer Elementary").await;
    let staff = app.staff("Rosa", "Diaz").await;
    let data = app
        .as_social_worker(Some(&staff), &[&school])
        .query(
            "{ viewer { subject role staff { id lastName } schools { id name } } }",
            json!({}),
        )
        .await
        .data();
    assert_eq!(data["viewer"]["role"], "SOCIAL_WORKER");
    assert_eq!(data["viewer"]["staff"]["id"], staff);
    assert_eq!(data["viewer"]["staff"]["lastName"], "Diaz");
    assert_eq!(data["viewer"]["schools"][0]["id"], school);
    assert_eq!(data["viewer"]["schools"][0]["name"], "Viewer Elementary");
}

on_both_backends!(
    a_valid_token_is_accepted,
    missing_and_malformed_headers_are_refused,
    alg_none_is_refused,
    a_token_signed_with_another_key_is_refused,
    an_expired_token_is_refused,
    a_token_not_yet_valid_is_refused,
    a_tampered_payload_is_refused,
    wrong_issuer_or_audience_is_refused,
    a_token_of_another_algorithm_is_refused,
    viewer_reports_the_token,
);
