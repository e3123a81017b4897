//! The pseudonyms a BI reader knows students by (DESIGN.md section 4): a keyed hash of the
//! student's id under its district's secret salt. One-way, so a pseudonym leads back to no
//! record and joins to no other id (not the student's GraphQL id, not its SIS key, not the
//! same student's pseudonym under another salt); stable, so a BI tool joins its extracts,
//! exports and feed pages on it.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

/// Makes pseudonyms under one district's salt.
#[derive(Clone)]
pub struct Pseudonyms(Hmac<Sha256>);

impl Pseudonyms {
    pub fn new(salt: &str) -> Self {
        Self(Hmac::new_from_slice(salt.as_bytes()).expect("HMAC takes a key of any length"))
    }

    /// The student's pseudonym: the first 128 bits of HMAC-SHA256(salt, id), base64url.
    pub fn student(&self, id: Uuid) -> String {
        let mut mac = self.0.clone();
        mac.update(id.as_bytes());
        URL_SAFE_NO_PAD.encode(&mac.finalize().into_bytes()[..16])
    }
}

/// Never prints the key.
impl std::fmt::Debug for Pseudonyms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonyms(..)")
    }
}

/// A new district's salt: 64 hex digits from two random (version 4) UUIDs, 244 random bits
/// from the operating system's source.
pub fn new_salt() -> String {
    format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pseudonym_is_stable_under_its_salt_and_differs_under_another() {
        let id = Uuid::now_v7();
        let salt = new_salt();
        assert_eq!(
            Pseudonyms::new(&salt).student(id),
            Pseudonyms::new(&salt).student(id)
        );
        assert_ne!(
            Pseudonyms::new(&salt).student(id),
            Pseudonyms::new(&new_salt()).student(id)
        );
        assert_ne!(
            Pseudonyms::new(&salt).student(id),
            Pseudonyms::new(&salt).student(Uuid::now_v7())
        );
        assert_eq!(Pseudonyms::new(&salt).student(id).len(), 22);
    }
}
