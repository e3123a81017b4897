//! Bearer tokens: verification with pinned algorithms and checked `exp`/`nbf`/`iss`/`aud`, and
//! minting of development tokens.
//!
//! Production tokens come from the district's identity provider, signed RS256 or ES256 with a
//! key of its published set (`jwks`); development tokens are HS256 with a shared secret, and
//! accepted only when one is configured. Which claims hold the role, the district and the
//! schools is configurable ([`ClaimNames`]), since providers name them their own way.

use std::{collections::HashSet, path::Path, sync::Arc};

use chrono::Utc;
use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{
    Actor,
    jwks::{KeySet, KeySetError},
};
use crate::errors::AppError;

/// Shortest HS256 secret accepted: shorter ones can be brute-forced.
pub const MIN_SECRET_LEN: usize = 32;

/// The claims that hold the role, the district and the schools.
#[derive(Clone, Debug)]
pub struct ClaimNames {
    pub role: String,
    pub district: String,
    pub schools: String,
}

impl Default for ClaimNames {
    fn default() -> Self {
        Self {
            role: "role".into(),
            district: "district_id".into(),
            schools: "school_ids".into(),
        }
    }
}

/// The development secret: verifies and mints HS256 tokens.
#[derive(Clone)]
struct Shared {
    decoding: DecodingKey,
    encoding: EncodingKey,
}

/// Verifies tokens (the provider's keys, a development secret, or both) and mints development
/// tokens.
#[derive(Clone)]
pub struct JwtKeys {
    shared: Option<Shared>,
    provider: Option<Arc<KeySet>>,
    /// One per accepted algorithm, each pinned to it.
    validations: [(Algorithm, Validation); 3],
    issuer: String,
    audience: String,
    names: ClaimNames,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the JWT secret must be at least {MIN_SECRET_LEN} bytes")]
    WeakSecret,
    #[error(transparent)]
    KeySet(#[from] KeySetError),
}

/// `alg` only, whatever the token's header claims, with the checks every token passes.
fn pinned(alg: Algorithm, issuer: &str, audience: &str) -> (Algorithm, Validation) {
    let mut validation = Validation::new(alg);
    validation.algorithms = vec![alg];
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[audience]);
    validation.validate_nbf = true;
    validation.leeway = 30;
    validation.required_spec_claims =
        HashSet::from(["exp", "nbf", "iss", "aud", "sub"].map(String::from));
    (alg, validation)
}

fn invalid(why: &str) -> AppError {
    AppError::Unauthenticated(format!("invalid token: {why}"))
}

impl JwtKeys {
    /// Keys that accept nothing yet, for `iss` and `aud`.
    fn empty(issuer: &str, audience: &str) -> Self {
        Self {
            shared: None,
            provider: None,
            validations: [Algorithm::HS256, Algorithm::RS256, Algorithm::ES256]
                .map(|alg| pinned(alg, issuer, audience)),
            issuer: issuer.into(),
            audience: audience.into(),
            names: ClaimNames::default(),
        }
    }

    /// Development tokens only: HS256 with `secret`.
    pub fn hs256(secret: &str, issuer: &str, audience: &str) -> Result<Self, KeyError> {
        Self::empty(issuer, audience).with_secret(secret)
    }

    /// The identity provider's tokens, verified with the key set in the file at `jwks`.
    pub fn provider(jwks: &Path, issuer: &str, audience: &str) -> Result<Self, KeyError> {
        let set = KeySet::load(jwks)?;
        Ok(Self {
            provider: Some(Arc::new(set)),
            ..Self::empty(issuer, audience)
        })
    }

    /// Also accepts (and mints) HS256 development tokens signed with `secret`.
    pub fn with_secret(self, secret: &str) -> Result<Self, KeyError> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(KeyError::WeakSecret);
        }
        let shared = Shared {
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            encoding: EncodingKey::from_secret(secret.as_bytes()),
        };
        Ok(Self {
            shared: Some(shared),
            ..self
        })
    }

    /// Reads the role, district and schools from these claims.
    pub fn with_claims(self, names: ClaimNames) -> Self {
        Self { names, ..self }
    }

    /// The actor a token stands for, or UNAUTHENTICATED with the reason.
    pub fn verify(&self, token: &str) -> Result<Actor, AppError> {
        let header = decode_header(token).map_err(|e| invalid(reason(&e)))?;
        let key = match (header.alg, &self.shared, &self.provider) {
            (Algorithm::HS256, Some(shared), _) => shared.decoding.clone(),
            (Algorithm::RS256 | Algorithm::ES256, _, Some(provider)) => {
                let kid = header
                    .kid
                    .as_deref()
                    .ok_or_else(|| invalid("it names no kid"))?;
                provider.key(kid, header.alg)?
            }
            _ => return Err(invalid("algorithm not allowed")),
        };
        let (_, validation) = self
            .validations
            .iter()
            .find(|(alg, _)| *alg == header.alg)
            .ok_or_else(|| invalid("algorithm not allowed"))?;
        let claims = decode::<Map<String, Value>>(token, &key, validation)
            .map_err(|e| invalid(reason(&e)))?
            .claims;
        self.actor(claims)
    }

    /// The actor the verified `claims` name.
    fn actor(&self, mut claims: Map<String, Value>) -> Result<Actor, AppError> {
        let names = &self.names;
        Ok(Actor {
            subject: claim(&mut claims, "sub")?,
            role: claim(&mut claims, &names.role)?,
            district_id: claim(&mut claims, &names.district)?,
            staff_id: claim(&mut claims, "staff_id")?,
            school_ids: claim::<Option<Vec<Uuid>>>(&mut claims, &names.schools)?
                .unwrap_or_default(),
            agency_id: claim(&mut claims, "agency_id")?,
            // UTC until the handler sets the district's date (see http::graphql).
            today: Utc::now().date_naive(),
            pseudonyms: None,
        })
    }

    /// A signed development token for `actor`, valid for `ttl` from now; `None` without a
    /// development secret.
    pub fn mint(&self, actor: &Actor, ttl: chrono::Duration) -> Option<String> {
        let shared = self.shared.as_ref()?;
        let now = Utc::now().timestamp();
        let mut claims = Map::new();
        let names = &self.names;
        claims.insert("sub".into(), json!(actor.subject));
        claims.insert(names.role.clone(), json!(actor.role));
        claims.insert(names.district.clone(), json!(actor.district_id));
        if let Some(staff) = actor.staff_id {
            claims.insert("staff_id".into(), json!(staff));
        }
        if !actor.school_ids.is_empty() {
            claims.insert(names.schools.clone(), json!(actor.school_ids));
        }
        if let Some(agency) = actor.agency_id {
            claims.insert("agency_id".into(), json!(agency));
        }
        for (name, value) in [
            ("iss", json!(self.issuer)),
            ("aud", json!(self.audience)),
            ("exp", json!(now + ttl.num_seconds())),
            ("nbf", json!(now)),
            ("iat", json!(now)),
        ] {
            claims.insert(name.into(), value);
        }
        // Signing claims that are plain JSON with an in-memory HMAC key does not fail.
        encode(&Header::new(Algorithm::HS256), &claims, &shared.encoding).ok()
    }
}

/// Claim `name`, read as a `T` (a missing claim is JSON null), or UNAUTHENTICATED naming it.
fn claim<T: DeserializeOwned>(claims: &mut Map<String, Value>, name: &str) -> Result<T, AppError> {
    let value = claims.remove(name).unwrap_or(Value::Null);
    serde_json::from_value(value)
        .map_err(|_| invalid(&format!("claim {name} is missing or malformed")))
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::auth::Role;

    fn test_keys(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/api/fixtures/keys")
            .join(name)
    }

    #[test]
    fn without_a_development_secret_hs256_is_refused_and_nothing_is_minted() {
        let provider = JwtKeys::provider(&test_keys("jwks-before.json"), "ssw-api", "ssw-api")
            .expect("the test key set loads");
        let secret = "a-development-secret-of-32-bytes-or-more";
        let development = JwtKeys::hs256(secret, "ssw-api", "ssw-api").unwrap();
        let actor = Actor {
            subject: "me".into(),
            role: Role::DistrictAdmin,
            district_id: Uuid::now_v7(),
            staff_id: None,
            school_ids: vec![],
            agency_id: None,
            today: Utc::now().date_naive(),
            pseudonyms: None,
        };
        let ttl = chrono::Duration::minutes(1);
        assert!(provider.mint(&actor, ttl).is_none());
        let token = development.mint(&actor, ttl).unwrap();
        let refused = provider.verify(&token).unwrap_err();
        assert!(
            refused.to_string().contains("algorithm not allowed"),
            "{refused}"
        );
        assert_eq!(development.verify(&token).unwrap().subject, "me");
    }

    #[test]
    fn a_key_set_file_must_hold_a_usable_key() {
        let path = std::env::temp_dir().join(format!("ssw-jwks-{}.json", Uuid::now_v7()));
        let load = |text: &str| {
            std::fs::write(&path, text).unwrap();
            JwtKeys::provider(&path, "ssw-api", "ssw-api").err()
        };
        let encryption_only =
            r#"{"keys":[{"kty":"RSA","kid":"enc","use":"enc","n":"AQAB","e":"AQAB"}]}"#;
        assert!(matches!(
            load(encryption_only),
            Some(KeyError::KeySet(KeySetError::NoKeys(_)))
        ));
        assert!(matches!(
            load("not json"),
            Some(KeyError::KeySet(KeySetError::Parse(..)))
        ));
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(
            JwtKeys::provider(&path, "ssw-api", "ssw-api").err(),
            Some(KeyError::KeySet(KeySetError::Read(..)))
        ));
    }
}
