//! Automatic persisted queries, as Apollo's clients speak them: a request may carry
//! `extensions.persistedQuery` = `{ version: 1, sha256Hash }` and no query; the server answers
//! the text it holds for that hash, or `PersistedQueryNotFound`, and the client sends the
//! query with its hash once, which the server checks and keeps.
//!
//! Written here rather than with async-graphql's `ApolloPersistedQueries` extension: that one
//! keeps parsed documents and runs after this handler, so a query sent by hash would skip
//! the checks made on the query text first (nesting, GET never running a mutation), and its
//! errors carry no `extensions.code`. Here the hash becomes text before anything else looks
//! at the request, so a persisted query passes every check and limit each time it runs.

use std::{
    num::NonZeroUsize,
    sync::{Mutex, PoisonError},
};

use async_graphql::Request;
use lru::LruCache;
use ring::digest::{SHA256, digest};
use serde::Deserialize;

use crate::errors::AppError;

/// Queries kept, the least recently used dropped first.
const CAPACITY: NonZeroUsize = NonZeroUsize::new(1_000).expect("not zero");
/// Longest query kept (16 KiB: 1,000 of them hold at most 16 MiB). A longer one still runs
/// when sent in full; its hash alone is answered `PersistedQueryNotFound`.
const MAX_PERSISTED_BYTES: usize = 16 * 1024;

/// The queries clients have sent with their hash, by hash.
pub struct PersistedQueries(Mutex<LruCache<String, String>>);

impl Default for PersistedQueries {
    fn default() -> Self {
        Self(Mutex::new(LruCache::new(CAPACITY)))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PersistedQuery {
    version: i64,
    sha256_hash: String,
}

/// What a request's `persistedQuery` asks of the server.
#[derive(Debug, PartialEq, Eq)]
pub enum Persisted {
    /// The request carries none: an ordinary request.
    No,
    /// Its query was sent with the right hash: keep it under that hash once it has run.
    Keep(String),
    /// Its query was filled in from the hash.
    Found,
}

impl PersistedQueries {
    /// Takes `persistedQuery` out of `request`'s extensions and fills in the query of a request
    /// sent by hash alone.
    pub fn resolve(&self, request: &mut Request) -> Result<Persisted, AppError> {
        let Some(value) = request.extensions.remove("persistedQuery") else {
            return Ok(Persisted::No);
        };
        let persisted: PersistedQuery = value
            .into_json()
            .ok()
            .and_then(|json| serde_json::from_value(json).ok())
            .ok_or_else(|| {
                bad_input("extensions.persistedQuery must be { version: 1, sha256Hash: \"<hex>\" }")
            })?;
        if persisted.version != 1 {
            return Err(bad_input("extensions.persistedQuery.version must be 1"));
        }
        let hash = persisted.sha256_hash.to_ascii_lowercase();
        if request.query.is_empty() {
            let mut queries = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            return match queries.get(&hash) {
                Some(query) => {
                    request.query = query.clone();
                    Ok(Persisted::Found)
                }
                None => Err(AppError::PersistedQueryNotFound),
            };
        }
        if sha256_hex(&request.query) != hash {
            return Err(bad_input("provided sha does not match query"));
        }
        Ok(Persisted::Keep(hash))
    }

    /// Keeps `query` under `hash` (a query that ran, so one that parses and validates).
    pub fn keep(&self, hash: String, query: String) {
        if query.len() <= MAX_PERSISTED_BYTES {
            let mut queries = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            queries.put(hash, query);
        }
    }
}

fn sha256_hex(text: &str) -> String {
    digest(&SHA256, text.as_bytes())
        .as_ref()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn bad_input(message: &str) -> AppError {
    AppError::BadUserInput {
        message: message.into(),
        field: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_hash(hash: &str, query: &str) -> Request {
        let mut request = Request::new(query);
        request.extensions.insert(
            "persistedQuery".into(),
            async_graphql::Value::from_json(
                serde_json::json!({ "version": 1, "sha256Hash": hash }),
            )
            .unwrap(),
        );
        request
    }

    #[test]
    fn hashes_as_apollo_does() {
        // SHA-256 test vectors, in lowercase hex as Apollo's clients send them.
        assert_eq!(
            sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn keeps_only_what_ran_and_fits() {
        let queries = PersistedQueries::default();
        let query = "{ district { name } }";
        let hash = sha256_hex(query);
        let mut request = by_hash(&hash, "");
        assert!(matches!(
            queries.resolve(&mut request),
            Err(AppError::PersistedQueryNotFound)
        ));
        let mut request = by_hash(&hash, query);
        assert_eq!(
            queries.resolve(&mut request).unwrap(),
            Persisted::Keep(hash.clone())
        );
        assert!(request.extensions.is_empty());
        queries.keep(hash.clone(), query.into());
        let mut request = by_hash(&hash, "");
        assert_eq!(queries.resolve(&mut request).unwrap(), Persisted::Found);
        assert_eq!(request.query, query);

        let long = format!(
            "{{ district {{ name }} }}{}",
            " ".repeat(MAX_PERSISTED_BYTES)
        );
        let long_hash = sha256_hex(&long);
        queries.keep(long_hash.clone(), long);
        let mut request = by_hash(&long_hash, "");
        assert!(queries.resolve(&mut request).is_err());
    }
}
