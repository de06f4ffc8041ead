//! Hash: the hashes whose values are part of stored or scheduled state, so they must never change
//! between runs, platforms or Rust versions, unlike the std hasher. [`stable_hash`] is small
//! (fingerprints, lexicon identities, per-target jitter), not for anything adversarial;
//! [`digest`] is BLAKE3, for what identifies a page, a cut or a delivery.

/// FNV-1a, 64 bits, over `parts`, each followed by a 0xff separator (so `["ab", ""]` and
/// `["a", "b"]` differ).
pub fn stable_hash(parts: &[&[u8]]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325_u64;
    for part in parts {
        for b in part.iter().chain(&[0xff]) {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// BLAKE3 of `parts` one after the other, with nothing between them: each caller's layout (its
/// separators and tags) is part of the values it has stored, so it stays the caller's.
pub fn digest(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    for part in parts {
        h.update(part);
    }
    *h.finalize().as_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_pinned() {
        // Stored fingerprints and schedule jitter depend on these exact values.
        assert_eq!(stable_hash(&[]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash(&[b"a"]), stable_hash(&[b"a"]));
        assert_ne!(stable_hash(&[b"ab", b""]), stable_hash(&[b"a", b"b"]));
        // BLAKE3's own value for no input; the parts are one input, joined as they are.
        assert_eq!(
            blake3::Hash::from(digest(&[])).to_hex().as_str(),
            "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"
        );
        assert_eq!(digest(&[b"ab", b""]), digest(&[b"a", b"b"]));
    }
}
