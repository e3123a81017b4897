//! Cursors are sealed: encrypted and authenticated (ChaCha20-Poly1305, from `ring`) under a
//! key derived from the JWT secret with a label of its own (HKDF-SHA256). A cursor shows
//! nothing of the row's sort key (a student's name would otherwise end up in URLs and proxy
//! logs), and one changed, cut or made up elsewhere does not open.
//!
//! Each cursor gets a random nonce, so the same row's cursor differs from one answer to the
//! next; every one of them opens while the secret stays the same.

use std::{fmt, sync::Arc};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use ring::{
    aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey},
    hkdf,
};

/// Tells this key apart from any other derived from the same secret.
const LABEL: &[u8] = b"ssw-api cursor sealing v1";

/// The key that seals and opens this server's cursors.
#[derive(Clone)]
pub struct CursorSeal(Arc<LessSafeKey>);

impl fmt::Debug for CursorSeal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CursorSeal(..)")
    }
}

impl CursorSeal {
    /// The key derived from `secret` (the JWT secret: every server of a deployment shares it,
    /// so a cursor from one opens on another).
    pub fn derive(secret: &[u8]) -> Self {
        let key: UnboundKey = hkdf::Salt::new(hkdf::HKDF_SHA256, &[])
            .extract(secret)
            .expand(&[LABEL], &CHACHA20_POLY1305)
            .expect("a ChaCha20 key is a valid HKDF output length")
            .into();
        Self(Arc::new(LessSafeKey::new(key)))
    }

    /// base64url of nonce, ciphertext and tag.
    pub(super) fn seal(&self, plain: &[u8]) -> String {
        let nonce: [u8; NONCE_LEN] = rand::random();
        let mut sealed = plain.to_vec();
        self.0
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::empty(),
                &mut sealed,
            )
            .expect("a cursor is far below ChaCha20-Poly1305's length limit");
        URL_SAFE_NO_PAD.encode([nonce.as_slice(), &sealed].concat())
    }

    /// The plain bytes of a cursor this key sealed; `None` for anything else.
    pub(super) fn open(&self, text: &str) -> Option<Vec<u8>> {
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        let (nonce, sealed) = bytes.split_at_checked(NONCE_LEN)?;
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut sealed = sealed.to_vec();
        let plain = self
            .0
            .open_in_place(nonce, Aad::empty(), &mut sealed)
            .ok()?;
        Some(plain.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_what_it_sealed_and_nothing_else() {
        let seal = CursorSeal::derive(b"a secret that is long enough for the test");
        let text = seal.seal(b"{\"k\":\"Adams\"}");
        assert_eq!(seal.open(&text).as_deref(), Some(&b"{\"k\":\"Adams\"}"[..]));
        assert!(!text.contains("Adams"));
        assert_ne!(
            text,
            seal.seal(b"{\"k\":\"Adams\"}"),
            "a fresh nonce each time"
        );

        let other = CursorSeal::derive(b"another secret, of another deployment");
        assert_eq!(other.open(&text), None);
        assert_eq!(seal.open(&text[..text.len() - 2]), None);
        assert_eq!(seal.open(&text[..10]), None);
        assert_eq!(seal.open(""), None);
        let mut bytes = URL_SAFE_NO_PAD.decode(&text).unwrap();
        bytes[NONCE_LEN + 3] ^= 1;
        assert_eq!(seal.open(&URL_SAFE_NO_PAD.encode(bytes)), None);
    }
}
