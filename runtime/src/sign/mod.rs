//! Request signing for Alibaba Cloud RPC APIs, as pure functions with time and nonce passed in.
//!
//! Two schemes, each split into the stages a server recomputes, so every stage can be tested on
//! its own against the vector files in `runtime/tests/vectors/` (from the official SDKs):
//!
//! - [`v1`]: RPC signature v1.0 (`SignatureMethod=HMAC-SHA1`), the scheme of the API reference:
//!   canonical query → string to sign → base64 HMAC-SHA1 signature.
//! - [`v3`]: `ACS3-HMAC-SHA256`, the official SDKs' default today: hashed payload → canonical
//!   query and headers → canonical request → string to sign → `Authorization` header.
//!
//! Nothing here reads the clock or a random source: [`inputs`] has the helpers that produce a
//! timestamp and a nonce, and the caller passes them in (so a retry can get a fresh nonce, and a
//! test can pin both). Both schemes also have a verification side for a server or mock server.
//!
//! Signers emit `tracing` events at TRACE level with the canonical forms they built; the STS token
//! (which v1 signs as the `SecurityToken` param, and V3 as the `x-acs-security-token` header) is
//! replaced by [`REDACTED`] in that text, and the secret never appears in it.

use std::fmt;

pub mod inputs;
pub mod names;
pub mod v1;
pub mod v3;
pub mod verify;

pub use inputs::{format_timestamp, new_nonce, now_timestamp};

/// What traced text and error messages show in place of an STS token.
pub use crate::secret::REDACTED;

/// Why a received request's signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// The request carries no signature (no `Signature` param, or no `Authorization` header).
    MissingSignature,
    /// The `Authorization` header is not `ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..`.
    MalformedAuthorization(String),
    /// A header named in `SignedHeaders` is not in the request.
    MissingSignedHeader(String),
    /// A header that must be signed is not named in `SignedHeaders` (V3: `host`, every
    /// `x-acs-*` header sent, and `content-type` when there is a body; see
    /// [`v3::unsigned_required_header`]).
    UnsignedHeader(String),
    /// The signature differs from the one the server computed. Carries the server's string to
    /// sign (with any STS token replaced by [`REDACTED`]) so the caller can compare.
    Mismatch {
        /// The string to sign the server computed from what it received.
        string_to_sign: String,
    },
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingSignature => f.write_str("the request carries no signature"),
            Self::MalformedAuthorization(why) => {
                write!(f, "malformed Authorization header: {why}")
            }
            Self::MissingSignedHeader(name) => {
                write!(f, "signed header `{name}` is missing from the request")
            }
            Self::UnsignedHeader(name) => write!(
                f,
                "header `{name}` is not in SignedHeaders; `host`, every `x-acs-*` header and, with \
                 a body, `content-type` must be signed"
            ),
            Self::Mismatch { string_to_sign } => write!(
                f,
                "specified signature does not match our calculation; server string to sign is: {string_to_sign}"
            ),
        }
    }
}

impl std::error::Error for VerifyError {}

/// Borrows `params` as `(&str, &str)` pairs sorted by key bytes (then value, for determinism
/// when a key repeats). Sorting references, not clones, keeps signing allocation-light.
pub(crate) fn sorted_refs<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> Vec<(&str, &str)> {
    // Most comparisons are settled by the first 8 bytes of the key, compared as one integer
    // (big-endian, zero-padded, so the integer order is the byte order); only keys that share
    // those bytes (`SignatureMethod`, `SignatureNonce`...) fall back to comparing strings.
    let mut keyed: Vec<(u64, &str, &str)> = params
        .iter()
        .map(|(k, v)| (key_prefix(k.as_ref()), k.as_ref(), v.as_ref()))
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, k, v)| (k, v)).collect()
}

fn key_prefix(key: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let n = key.len().min(8);
    bytes[..n].copy_from_slice(&key.as_bytes()[..n]);
    u64::from_be_bytes(bytes)
}

/// Appends lower-case hex of `bytes` to `out`.
pub(crate) fn hex_into(out: &mut String, bytes: &[u8]) {
    const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(LOWER_HEX[usize::from(b >> 4)]));
        out.push(char::from(LOWER_HEX[usize::from(b & 0x0f)]));
    }
}

/// Decodes lower- or upper-case hex; `None` on odd length or a non-hex digit.
pub(crate) fn hex_decode(text: &str) -> Option<Vec<u8>> {
    let digit = |b: u8| char::from(b).to_digit(16);
    let pairs = text.as_bytes().chunks_exact(2);
    if !pairs.remainder().is_empty() {
        return None;
    }
    pairs
        .map(|pair| Some((digit(pair[0])? << 4 | digit(pair[1])?) as u8))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn prefix_sort_is_plain_byte_order(
            params in proptest::collection::vec(("[A-Za-z.\u{0}]{0,12}|Signature[A-Z]?", "[a-c]{0,2}"), 0..24),
        ) {
            let mut expected: Vec<(&str, &str)> =
                params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            expected.sort();
            proptest::prop_assert_eq!(sorted_refs(&params), expected);
        }
    }

    #[test]
    fn hex_roundtrip_and_rejects() {
        let mut out = String::new();
        hex_into(&mut out, &[0x00, 0xab, 0xff]);
        assert_eq!(out, "00abff");
        assert_eq!(hex_decode("00ABff"), Some(vec![0x00, 0xab, 0xff]));
        assert_eq!(hex_decode("abc"), None);
        assert_eq!(hex_decode("zz"), None);
    }
}
