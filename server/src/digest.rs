//! The one hashing helper of the server (tokens, idempotency keys, device and
//! throttling keys are stored only as these digests) and the one source of
//! secret tokens.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// A SHA-256 over length-prefixed parts, in hex (no part can run into the next).
#[must_use]
pub fn sha256(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.len().to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// A secret for a link or a tracking code: `bytes` random bytes from the
/// operating system, in hex.
#[must_use]
pub fn random_token(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buffer);
    hex::encode(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_cannot_run_into_each_other() {
        assert_ne!(sha256(&["ab", "c"]), sha256(&["a", "bc"]));
        assert_eq!(sha256(&["a"]).len(), 64);
        assert_eq!(random_token(24).len(), 48);
        assert_ne!(random_token(24), random_token(24));
    }
}
