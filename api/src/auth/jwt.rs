//! Bearer tokens: verification with pinned algorithms and checked `exp`/`nbf`/`iss`/`aud`, and
//! minting of development tokens.

use std::collections::HashSet;

use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Actor, Role};
use crate::errors::AppError;

/// Shortest HS256 secret accepted: shorter ones can be brute-forced.
pub const MIN_SECRET_LEN: usize = 32;

/// The claims ssw-api reads from a token.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: Role,
    pub district_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub school_ids: Vec<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency_id: Option<Uuid>,
    pub iss: String,
    pub aud: String,
    pub exp: i64,
    pub nbf: i64,
    pub iat: i64,
}

/// Verifies and mints tokens with one HS256 secret.
#[derive(Clone)]
pub struct JwtKeys {
    decoding: DecodingKey,
    encoding: EncodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
}

#[derive(Debug, thiserror::Error)]
#[error("the JWT secret must be at least {MIN_SECRET_LEN} bytes")]
pub struct WeakSecret;

impl JwtKeys {
    pub fn hs256(secret: &str, issuer: &str, audience: &str) -> Result<Self, WeakSecret> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(WeakSecret);
        }
        // Pinned: only HS256 is accepted, whatever the token's header claims.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.validate_nbf = true;
        validation.leeway = 30;
        validation.required_spec_claims =
            HashSet::from(["exp", "nbf", "iss", "aud", "sub"].map(String::from));
        Ok(Self {
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            validation,
            issuer: issuer.into(),
            audience: audience.into(),
        })
    }

    /// The actor a token stands for, or UNAUTHENTICATED with the reason.
    pub fn verify(&self, token: &str) -> Result<Actor, AppError> {
        let claims = decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| AppError::Unauthenticated(format!("invalid token: {}", reason(&e))))?
            .claims;
        Ok(Actor {
            subject: claims.sub,
            role: claims.role,
            district_id: claims.district_id,
            staff_id: claims.staff_id,
            school_ids: claims.school_ids,
            agency_id: claims.agency_id,
            // UTC until the handler sets the district's date (see http::graphql).
            today: Utc::now().date_naive(),
            pseudonyms: None,
        })
    }

    /// A signed token for `actor`, valid for `ttl` from now.
    pub fn mint(&self, actor: &Actor, ttl: chrono::Duration) -> String {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: actor.subject.clone(),
            role: actor.role,
            district_id: actor.district_id,
            staff_id: actor.staff_id,
            school_ids: actor.school_ids.clone(),
            agency_id: actor.agency_id,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            exp: now + ttl.num_seconds(),
            nbf: now,
            iat: now,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 signing with an in-memory key cannot fail")
    }
}

/// A short, safe reason: what was wrong with the token, never the token itself.
fn reason(error: &jsonwebtoken::errors::Error) -> &'static str {
    use jsonwebtoken::errors::ErrorKind::*;
    match error.kind() {
        ExpiredSignature => "expired",
        ImmatureSignature => "not valid yet (nbf)",
        InvalidIssuer => "wrong issuer",
        InvalidAudience => "wrong audience",
        InvalidSignature => "bad signature",
        InvalidAlgorithm | InvalidAlgorithmName => "algorithm not allowed",
        MissingRequiredClaim(_) => "a required claim is missing",
        Json(_) => "claims are malformed",
        _ => "malformed token",
    }
}

/// A random secret for `serve --demo` when none is configured.
pub fn generate_dev_secret() -> String {
    use base64::Engine;
    use rand::Rng;
    let bytes: [u8; 48] = rand::rng().random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
