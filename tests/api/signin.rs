//! Production sign-in: tokens of the district's identity provider, signed RS256 or ES256 with
//! a key of its published set (a JWKS file), read through the configured claim names, and
//! the provider's key rotation.

use std::path::{Path, PathBuf};

use clap::Parser;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, on_both_backends};

const VIEWER: &str = "{ viewer { subject role schools { name } } }";

fn key_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/api/fixtures/keys")
        .join(name)
}

/// A token as the provider signs it: `kid` and its private key, `alg`, and `claims` over the
/// standard ones (`iss`, `aud`, `exp`, `nbf`, `sub`), which `claims` may replace.
fn signed(kid: &str, alg: Algorithm, claims: Value) -> String {
    signed_naming(kid, kid, alg, claims)
}

/// A token signed with private key `key` whose header names `kid` (another key, for forgeries).
fn signed_naming(key: &str, kid: &str, alg: Algorithm, claims: Value) -> String {
    let der = std::fs::read(key_file(&format!("{key}.der"))).unwrap();
    let key = match alg {
        Algorithm::ES256 => EncodingKey::from_ec_der(&der),
        _ => EncodingKey::from_rsa_der(&der),
    };
    let now = chrono::Utc::now().timestamp();
    let mut all = json!({ "iss": "ssw-api", "aud": "ssw-api", "exp": now + 600, "nbf": now,
        "sub": "idp|12345" });
    all.as_object_mut()
        .unwrap()
        .extend(claims.as_object().unwrap().clone());
    let header = Header {
        kid: Some(kid.into()),
        ..Header::new(alg)
    };
    jsonwebtoken::encode(&header, &all, &key).unwrap()
}

async fn provider_tokens_are_read_through_the_claims_the_district_names(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let jwks = dir.path().join("jwks.json");
    std::fs::copy(key_file("jwks-before.json"), &jwks).unwrap();
    let app = TestApp::spawn_with(
        backend,
        &[
            "--jwks-file",
            jwks.to_str().unwrap(),
            "--jwt-role-claim",
            "ssw_role",
            "--jwt-district-claim",
            "tenant",
            "--jwt-schools-claim",
            "buildings",
        ],
    )
    .await;
    let district = app.district_id;
    let ask = |token: String| {
        let client = app.with_token(&token);
        async move { client.query(VIEWER, json!({})).await }
    };

    // RS256 and ES256, each through the configured claim names.
    let admin = signed(
        "rsa-1",
        Algorithm::RS256,
        json!({ "ssw_role": "DISTRICT_ADMIN", "tenant": district }),
    );
    let school = app
        .school("Lincoln Elementary")
        .by(&app.with_token(&admin))
        .await;
    let school_uuid = crate::helpers::uuid_of(&school);
    let viewer = ask(admin).await.data()["viewer"].clone();
    assert_eq!(
        viewer,
        json!({ "subject": "idp|12345", "role": "DISTRICT_ADMIN", "schools": [] })
    );
    let worker = signed(
        "ec-1",
        Algorithm::ES256,
        json!({ "ssw_role": "SOCIAL_WORKER", "tenant": district, "buildings": [school_uuid] }),
    );
    let viewer = ask(worker).await.data()["viewer"].clone();
    assert_eq!(viewer["role"], "SOCIAL_WORKER");
    assert_eq!(viewer["schools"], json!([{ "name": "Lincoln Elementary" }]));

    // The claims under their usual names are not read.
    let usual = signed(
        "rsa-1",
        Algorithm::RS256,
        json!({ "role": "DISTRICT_ADMIN", "district_id": district }),
    );
    let refused = ask(usual).await;
    assert_eq!(refused.status, 401, "{}", refused.body);
    assert_eq!(refused.code(), "UNAUTHENTICATED");
    assert!(
        refused
            .body
            .to_string()
            .contains("claim ssw_role is missing or malformed"),
        "{}",
        refused.body
    );

    // A key of the set named for another algorithm, and a token without a kid.
    let admin_claims = json!({ "ssw_role": "DISTRICT_ADMIN", "tenant": district });
    let confused = signed_naming("rsa-1", "ec-1", Algorithm::RS256, admin_claims.clone());
    let refused = ask(confused).await;
    assert!(
        refused
            .body
            .to_string()
            .contains("its algorithm is not its key's"),
        "{}",
        refused.body
    );
    let without_kid = {
        let der = std::fs::read(key_file("rsa-1.der")).unwrap();
        let now = chrono::Utc::now().timestamp();
        let claims = json!({ "iss": "ssw-api", "aud": "ssw-api", "exp": now + 600, "nbf": now,
            "sub": "x", "ssw_role": "DISTRICT_ADMIN", "tenant": district });
        let key = EncodingKey::from_rsa_der(&der);
        jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &key).unwrap()
    };
    let refused = ask(without_kid).await;
    assert!(
        refused.body.to_string().contains("it names no kid"),
        "{}",
        refused.body
    );

    // The provider rotates: rsa-2 replaces rsa-1 in the file. The first rsa-2 token makes the
    // server read the set again; rsa-1 tokens are refused from then on.
    std::fs::copy(key_file("jwks-after.json"), &jwks).unwrap();
    let rotated = signed("rsa-2", Algorithm::RS256, admin_claims.clone());
    assert_eq!(
        ask(rotated).await.data()["viewer"]["role"],
        "DISTRICT_ADMIN"
    );
    let retired = signed("rsa-1", Algorithm::RS256, admin_claims.clone());
    let refused = ask(retired).await;
    assert_eq!(refused.code(), "UNAUTHENTICATED");
    assert!(
        refused
            .body
            .to_string()
            .contains("signing key (kid) the server does not know"),
        "{}",
        refused.body
    );
    // A token signed with rsa-1's key that names rsa-2 fails rsa-2's signature check.
    let forged = signed_naming("rsa-1", "rsa-2", Algorithm::RS256, admin_claims);
    let refused = ask(forged).await;
    assert!(
        refused.body.to_string().contains("bad signature"),
        "{}",
        refused.body
    );
}

async fn without_a_development_secret_only_the_providers_tokens_are_accepted(backend: Backend) {
    let jwks = key_file("jwks-before.json");
    let args = [
        "--jwks-file",
        jwks.to_str().unwrap(),
        "--cursor-secret",
        "a-cursor-secret-of-at-least-32-bytes",
    ];
    let app = TestApp::spawn_without_development_secret(backend, &args).await;
    let refused = app.as_admin().query(VIEWER, json!({})).await;
    assert_eq!(refused.code(), "UNAUTHENTICATED");
    assert!(
        refused.body.to_string().contains("algorithm not allowed"),
        "{}",
        refused.body
    );

    // The provider's tokens work, pages and their cursors included.
    let claims = json!({ "role": "DISTRICT_ADMIN", "district_id": app.district_id });
    let admin = app.with_token(&signed("rsa-1", Algorithm::RS256, claims));
    for name in ["Adams Elementary", "Baker Elementary"] {
        app.school(name).by(&admin).await;
    }
    let page = "query($after: String) { schools(first: 1, after: $after) {
        nodes { name } pageInfo { endCursor } } }";
    let first = admin.query(page, json!({})).await.data();
    let cursor = &first["schools"]["pageInfo"]["endCursor"];
    let second = admin.query(page, json!({ "after": cursor })).await.data();
    let names = [&first, &second].map(|p| p["schools"]["nodes"][0]["name"].clone());
    assert_eq!(
        names,
        [json!("Adams Elementary"), json!("Baker Elementary")]
    );
}

/// The server refuses to start with no way to verify tokens, or no secret to seal cursors.
#[tokio::test]
async fn the_server_needs_keys_and_a_cursor_secret() {
    let jwks = key_file("jwks-before.json");
    let start = |extra: &[&str]| {
        let mut args = vec!["ssw-api", "--database-url", "sqlite::memory:"];
        args.extend(extra);
        args.push("schema");
        let mut config = ssw_api::cli::Cli::try_parse_from(args).unwrap().config;
        config.jwt_secret = None; // not one from the environment either
        async move {
            match ssw_api::startup::Application::build(&config).await {
                Ok(_) => String::new(),
                Err(error) => error.to_string(),
            }
        }
    };
    assert!(start(&[]).await.contains("no way to verify tokens"));
    let provider_only = ["--jwks-file", jwks.to_str().unwrap()];
    assert!(start(&provider_only).await.contains("SSW_CURSOR_SECRET"));
    let short = [provider_only.as_slice(), &["--cursor-secret", "short"]].concat();
    assert!(start(&short).await.contains("SSW_CURSOR_SECRET"));
    let missing = ["--jwks-file", "/nonexistent/jwks.json"];
    assert!(start(&missing).await.contains("cannot read the JWKS file"));
}

on_both_backends!(
    provider_tokens_are_read_through_the_claims_the_district_names,
    without_a_development_secret_only_the_providers_tokens_are_accepted,
);
