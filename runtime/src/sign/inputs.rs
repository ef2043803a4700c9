//! The two per-request inputs the signers take instead of reading them: timestamp and nonce.

use std::time::{SystemTime, UNIX_EPOCH};

/// Formats unix seconds as the UTC timestamp both schemes use: `yyyy-MM-ddTHH:mm:ssZ` (the
/// calendar's [`format_utc`](crate::calendar::format_utc), under the name the signers use).
///
/// ```
/// use popgen_runtime::sign::format_timestamp;
/// assert_eq!(format_timestamp(0), "1970-01-01T00:00:00Z");
/// ```
pub use crate::calendar::format_utc as format_timestamp;

/// The current time as [`format_timestamp`] writes it (the clock is read here, not in a signer).
pub fn now_timestamp() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format_timestamp(secs)
}

/// A fresh signature nonce: 32 lower-case hex digits (128 random bits), the form the current
/// official SDK sends in `x-acs-signature-nonce`; v1's `SignatureNonce` accepts it too.
///
/// Call it for every attempt: the gateway refuses a nonce it has already seen
/// (`SignatureNonceUsed`), retries included.
///
/// ```
/// let a = popgen_runtime::sign::new_nonce();
/// assert_eq!(a.len(), 32);
/// assert_ne!(a, popgen_runtime::sign::new_nonce());
/// ```
pub fn new_nonce() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        bytes = fallback_random();
    }
    let mut out = String::with_capacity(32);
    super::hex_into(&mut out, &bytes);
    out
}

/// Used only if the OS random source fails: std's per-process random SipHash keys over the clock
/// and a counter. A nonce must be unique, not secret, so this is enough.
fn fallback_random() -> [u8; 16] {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut out = [0u8; 16];
    for half in out.chunks_exact_mut(8) {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(nanos);
        h.write_u64(count);
        half.copy_from_slice(&h.finish().to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallback_is_not_constant() {
        assert_ne!(fallback_random(), fallback_random());
    }
}
