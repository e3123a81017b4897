//! The public keys of a district's identity provider, read from a JSON Web Key Set file
//! (RFC 7517) as the provider publishes it: its RS256 and ES256 signing keys by `kid`.
//!
//! Providers rotate keys: they publish the new key, sign with it, and drop the old one later.
//! A token naming a `kid` the set does not hold makes the set read the file again, at most once
//! every [`REFRESH_AT_MOST_EVERY`], so that tokens with made-up `kid`s cannot make the server
//! read the file on every request.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Mutex, PoisonError, RwLock},
    time::{Duration, Instant},
};

use jsonwebtoken::{
    Algorithm, DecodingKey,
    jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm, PublicKeyUse},
};

use crate::errors::AppError;

/// Shortest time between two reads of the file on an unknown `kid`.
pub const REFRESH_AT_MOST_EVERY: Duration = Duration::from_secs(5);

/// Why a key set cannot be read: the server refuses to start on it.
#[derive(Debug, thiserror::Error)]
pub enum KeySetError {
    #[error("cannot read the JWKS file {0}: {1}")]
    Read(String, std::io::Error),
    #[error("the JWKS file {0} is not a JSON Web Key Set: {1}")]
    Parse(String, serde_json::Error),
    #[error("the JWKS file {0} holds no RS256 or ES256 signing key with a kid")]
    NoKeys(String),
}

/// Signing keys by `kid`, each with the one algorithm it verifies.
type Keys = HashMap<String, (Algorithm, DecodingKey)>;

/// The identity provider's keys, refreshed from the file on an unknown `kid`.
pub struct KeySet {
    path: PathBuf,
    keys: RwLock<Keys>,
    /// When the file was last read again for an unknown `kid` (not at start).
    refreshed: Mutex<Option<Instant>>,
}

impl KeySet {
    /// Reads the key set at `path`: it must hold at least one usable key.
    pub fn load(path: &Path) -> Result<Self, KeySetError> {
        Ok(Self {
            path: path.to_path_buf(),
            keys: RwLock::new(read(path)?),
            refreshed: Mutex::new(None),
        })
    }

    /// The key `kid` names, for a token signed with `alg`, or UNAUTHENTICATED.
    pub fn key(&self, kid: &str, alg: Algorithm) -> Result<DecodingKey, AppError> {
        let found = self
            .held(kid)
            .or_else(|| self.refresh().then(|| self.held(kid))?);
        match found {
            Some((algorithm, key)) if algorithm == alg => Ok(key),
            Some(_) => Err(unauthenticated("its algorithm is not its key's")),
            None => Err(unauthenticated(
                "it names a signing key (kid) the server does not know",
            )),
        }
    }

    fn held(&self, kid: &str) -> Option<(Algorithm, DecodingKey)> {
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        keys.get(kid).cloned()
    }

    /// Reads the file again unless that was done within [`REFRESH_AT_MOST_EVERY`]; true when
    /// it was read. A file that has become unreadable keeps the keys held, and is logged.
    fn refresh(&self) -> bool {
        {
            let mut last = self
                .refreshed
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if last.is_some_and(|at| at.elapsed() < REFRESH_AT_MOST_EVERY) {
                return false;
            }
            *last = Some(Instant::now());
        }
        match read(&self.path) {
            Ok(keys) => {
                *self.keys.write().unwrap_or_else(PoisonError::into_inner) = keys;
                true
            }
            Err(error) => {
                tracing::error!(%error, "keeping the signing keys held");
                false
            }
        }
    }
}

fn unauthenticated(why: &str) -> AppError {
    AppError::Unauthenticated(format!("invalid token: {why}"))
}

/// The usable keys of the file: signing keys with a `kid`, RS256 or ES256 (P-256).
fn read(path: &Path) -> Result<Keys, KeySetError> {
    let shown = || path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| KeySetError::Read(shown(), e))?;
    let set: JwkSet = serde_json::from_str(&text).map_err(|e| KeySetError::Parse(shown(), e))?;
    let keys: Keys = set
        .keys
        .iter()
        .filter_map(|jwk| {
            let kid = jwk.common.key_id.clone()?;
            let algorithm = algorithm_of(jwk)?;
            Some((kid, (algorithm, DecodingKey::from_jwk(jwk).ok()?)))
        })
        .collect();
    if keys.is_empty() {
        return Err(KeySetError::NoKeys(shown()));
    }
    Ok(keys)
}

/// The algorithm a key verifies: its `alg`, or what its type implies; `None` for keys that
/// are not for signatures, or of another algorithm.
fn algorithm_of(jwk: &Jwk) -> Option<Algorithm> {
    if matches!(
        jwk.common.public_key_use,
        Some(PublicKeyUse::Encryption | PublicKeyUse::Other(_))
    ) {
        return None;
    }
    match (&jwk.common.key_algorithm, &jwk.algorithm) {
        (Some(KeyAlgorithm::RS256) | None, AlgorithmParameters::RSA(_)) => Some(Algorithm::RS256),
        (Some(KeyAlgorithm::ES256) | None, AlgorithmParameters::EllipticCurve(ec))
            if ec.curve == EllipticCurve::P256 =>
        {
            Some(Algorithm::ES256)
        }
        _ => None,
    }
}
