//! RPC signature v1.0 (`SignatureMethod=HMAC-SHA1`), stage by stage.
//!
//! 1. [`signed_params`] — action params plus the common params, the set that gets signed.
//! 2. [`canonical_query`] — sorted by key bytes, `enc(k)=enc(v)` joined with `&`.
//! 3. [`string_to_sign`] — `METHOD&%2F&enc(canonical_query)`.
//! 4. [`signature`] — base64 of HMAC-SHA1 keyed with `secret + "&"`.
//! 5. [`request_parts`] — the query string (or form body) that goes on the wire, with `Signature`.
//!
//! [`sign`] runs stages 2–4 in one go; [`verify`] is the server side.
//!
//! ```
//! use popgen_runtime::sign::v1::{self, CommonParams, Placement};
//!
//! let action = [("CalledNumber", "13800138000"), ("TtsCode", "TTS_1")];
//! let common = CommonParams {
//!     action: "SingleCallByTts",
//!     version: "2017-05-25",
//!     format: "json",
//!     access_key_id: "LTAIexample",
//!     security_token: None,
//!     timestamp: "2024-01-02T03:04:05Z",
//!     signature_nonce: "0123456789abcdef0123456789abcdef",
//! };
//! let params = v1::signed_params(&action, &common);
//! let signed = v1::sign("POST", &params, "secret");
//! let parts = v1::request_parts(&signed, Placement::Query);
//! assert!(parts.query.starts_with("AccessKeyId=LTAIexample&Action=SingleCallByTts&CalledNumber="));
//! assert!(parts.query.ends_with(&format!("&Signature={}", popgen_runtime::encode::percent_encode(&signed.signature))));
//! assert!(parts.body.is_empty());
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::names::param;
use super::{REDACTED, VerifyError, sorted_refs};
use crate::encode::{encode_bytes, encode_once_and_twice, percent_encode_into};

type HmacSha1 = Hmac<Sha1>;

/// Name of the param that carries the signature; it is never itself signed.
pub const SIGNATURE_PARAM: &str = param::SIGNATURE;
/// Name of the param that carries an STS token; it is signed, and redacted in traces.
pub const SECURITY_TOKEN_PARAM: &str = param::SECURITY_TOKEN;

/// The common params every v1 request carries besides its action params.
#[derive(Debug, Clone, Copy)]
pub struct CommonParams<'a> {
    /// `Action`, e.g. `SingleCallByTts`.
    pub action: &'a str,
    /// `Version`, e.g. `2017-05-25`.
    pub version: &'a str,
    /// `Format`: the current SDK sends `json`, the legacy one `JSON`.
    pub format: &'a str,
    /// `AccessKeyId`.
    pub access_key_id: &'a str,
    /// `SecurityToken`, only with STS credentials.
    pub security_token: Option<&'a str>,
    /// `Timestamp`, UTC `yyyy-MM-ddTHH:mm:ssZ` (see [`super::format_timestamp`]).
    pub timestamp: &'a str,
    /// `SignatureNonce`, fresh for every attempt (see [`super::new_nonce`]).
    pub signature_nonce: &'a str,
}

/// The full set of params that gets signed: the action params followed by the common ones
/// (`Action`, `Version`, `Format`, `AccessKeyId`, `SignatureMethod=HMAC-SHA1`,
/// `SignatureVersion=1.0`, `SignatureNonce`, `Timestamp`, and `SecurityToken` with STS).
/// Borrowed, unsorted: the canonical query sorts.
pub fn signed_params<'a, K: AsRef<str>, V: AsRef<str>>(
    action_params: &'a [(K, V)],
    common: &CommonParams<'a>,
) -> Vec<(&'a str, &'a str)> {
    let mut params = Vec::with_capacity(action_params.len() + 9);
    params.extend(action_params.iter().map(|(k, v)| (k.as_ref(), v.as_ref())));
    params.extend([
        (param::ACTION, common.action),
        (param::VERSION, common.version),
        (param::FORMAT, common.format),
        (param::ACCESS_KEY_ID, common.access_key_id),
        (param::SIGNATURE_METHOD, "HMAC-SHA1"),
        (param::SIGNATURE_VERSION, "1.0"),
        (param::SIGNATURE_NONCE, common.signature_nonce),
        (param::TIMESTAMP, common.timestamp),
    ]);
    if let Some(token) = common.security_token {
        params.push((SECURITY_TOKEN_PARAM, token));
    }
    params
}

/// The canonical query: params sorted by key bytes, each `enc(key)=enc(value)`, joined by `&`.
///
/// ```
/// let q = popgen_runtime::sign::v1::canonical_query(&[("b", "x y"), ("a", "*"), ("Empty", "")]);
/// assert_eq!(q, "Empty=&a=%2A&b=x%20y");
/// ```
pub fn canonical_query<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    canonical_query_of_sorted(&sorted_refs(params))
}

/// [`canonical_query`] over params already sorted (as [`super::sorted_refs`] does).
fn canonical_query_of_sorted(sorted: &[(&str, &str)]) -> String {
    let capacity = sorted.iter().map(|(k, v)| k.len() + 3 * v.len() + 2).sum();
    let mut out = Vec::with_capacity(capacity);
    for (i, (k, v)) in sorted.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        encode_bytes(&mut out, k, b"%20");
        out.push(b'=');
        encode_bytes(&mut out, v, b"%20");
    }
    ascii_string(out)
}

/// The bytes the encoder wrote, as a `String` (one validation pass, which cannot fail).
fn ascii_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|_| unreachable!("percent-encoding writes ASCII"))
}

/// The string to sign: `METHOD&%2F&enc(canonical_query)` (method upper-cased).
///
/// ```
/// let s = popgen_runtime::sign::v1::string_to_sign("get", "A=1&B=x%20y");
/// assert_eq!(s, "GET&%2F&A%3D1%26B%3Dx%2520y");
/// ```
pub fn string_to_sign(method: &str, canonical_query: &str) -> String {
    let mut out = Vec::with_capacity(method.len() + 5 + 3 * canonical_query.len());
    out.extend(method.bytes().map(|b| b.to_ascii_uppercase()));
    out.extend_from_slice(b"&%2F&");
    encode_bytes(&mut out, canonical_query, b"%20");
    ascii_string(out)
}

/// The signature: base64 of HMAC-SHA1 over `string_to_sign`, keyed with `secret + "&"`.
///
/// ```
/// let sig = popgen_runtime::sign::v1::signature("secret", "GET&%2F&A%3D1");
/// assert_eq!(sig.len(), 28);
/// ```
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    signature_with(&SigningKey::new(secret), string_to_sign)
}

/// [`signature`] with a key prepared once by [`SigningKey::new`].
pub fn signature_with(key: &SigningKey, string_to_sign: &str) -> String {
    BASE64.encode(
        key.0
            .clone()
            .chain_update(string_to_sign.as_bytes())
            .finalize()
            .into_bytes(),
    )
}

/// HMAC-SHA1 keyed with `secret + "&"` (historically `secret&token_secret`, with an empty token
/// secret), ready to sign any number of requests: keying hashes two blocks, so a client prepares
/// it once per credentials rather than once per request. Prints as `v1::SigningKey(..)`.
#[derive(Clone)]
pub struct SigningKey(HmacSha1);

impl SigningKey {
    /// Keys HMAC-SHA1 with `secret + "&"`; the joined copy of the secret is zeroed when dropped.
    pub fn new(secret: &str) -> Self {
        let mut key = zeroize::Zeroizing::new(Vec::with_capacity(secret.len() + 1));
        key.extend_from_slice(secret.as_bytes());
        key.push(b'&');
        SigningKey(
            HmacSha1::new_from_slice(&key)
                .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length")),
        )
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("v1::SigningKey(..)")
    }
}

/// Every stage of a v1 signature, as [`sign`] computed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// See [`canonical_query`]; also the encoded query string the request sends.
    pub canonical_query: String,
    /// See [`string_to_sign`].
    pub string_to_sign: String,
    /// See [`signature`]: base64, not yet percent-encoded.
    pub signature: String,
}

/// Computes every stage of the v1 signature of `params` (which must not include `Signature`).
///
/// Emits a TRACE event with the canonical query and string to sign, `SecurityToken` redacted.
pub fn sign<K: AsRef<str>, V: AsRef<str>>(method: &str, params: &[(K, V)], secret: &str) -> Signed {
    sign_with(method, params, &SigningKey::new(secret))
}

/// [`sign`] with a key prepared once by [`SigningKey::new`] (what a client does).
pub fn sign_with<K: AsRef<str>, V: AsRef<str>>(
    method: &str,
    params: &[(K, V)],
    key: &SigningKey,
) -> Signed {
    let sorted = sorted_refs(params);
    let (canonical_query, string_to_sign) = stages_of_sorted(method, &sorted);
    let signature = signature_with(key, &string_to_sign);
    if tracing::enabled!(tracing::Level::TRACE) {
        let (canonical_query, string_to_sign) = redacted_stages(method, &sorted);
        tracing::trace!(%canonical_query, %string_to_sign, "popgen v1 signature computed");
    }
    Signed {
        canonical_query,
        string_to_sign,
        signature,
    }
}

/// The canonical query and the string to sign of sorted params, built in one pass (the same
/// texts as [`canonical_query`] then [`string_to_sign`]; the vector tests check both paths).
fn stages_of_sorted(method: &str, sorted: &[(&str, &str)]) -> (String, String) {
    let size: usize = sorted.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    // Worst case: every byte escaped, 3 bytes once and 5 twice.
    let mut query = Vec::with_capacity(size * 3);
    let mut to_sign = Vec::with_capacity(method.len() + 5 + size * 5);
    to_sign.extend(method.bytes().map(|b| b.to_ascii_uppercase()));
    to_sign.extend_from_slice(b"&%2F&");
    for (i, (k, v)) in sorted.iter().enumerate() {
        if i > 0 {
            query.push(b'&');
            to_sign.extend_from_slice(b"%26");
        }
        encode_once_and_twice(&mut query, &mut to_sign, k);
        query.push(b'=');
        to_sign.extend_from_slice(b"%3D");
        encode_once_and_twice(&mut query, &mut to_sign, v);
    }
    (ascii_string(query), ascii_string(to_sign))
}

/// The canonical query and string to sign with the `SecurityToken` value replaced by
/// [`REDACTED`]: safe to log or to put in an error message.
fn redacted_stages(method: &str, sorted: &[(&str, &str)]) -> (String, String) {
    let redacted: Vec<(&str, &str)> = sorted
        .iter()
        .map(|&(k, v)| {
            (
                k,
                if k == SECURITY_TOKEN_PARAM {
                    REDACTED
                } else {
                    v
                },
            )
        })
        .collect();
    stages_of_sorted(method, &redacted)
}

/// Where the signed params travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// In the URL query string (GET, and POST as the official SDKs send it).
    Query,
    /// In an `application/x-www-form-urlencoded` body (POST only).
    FormBody,
}

/// The parts of a signed v1 request that carry the params.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestParts {
    /// The encoded query string, without `?`; empty with [`Placement::FormBody`].
    pub query: String,
    /// The encoded form body; empty with [`Placement::Query`].
    pub body: String,
    /// `Some("application/x-www-form-urlencoded")` with a form body.
    pub content_type: Option<&'static str>,
}

/// The MIME type of a form body.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// The query string or form body to send: the canonical query plus `&Signature=enc(signature)`.
/// The signature is the same wherever the params travel.
pub fn request_parts(signed: &Signed, placement: Placement) -> RequestParts {
    let mut params = String::with_capacity(signed.canonical_query.len() + 48);
    params.push_str(&signed.canonical_query);
    if !params.is_empty() {
        params.push('&');
    }
    params.push_str(SIGNATURE_PARAM);
    params.push('=');
    percent_encode_into(&mut params, &signed.signature);
    match placement {
        Placement::Query => RequestParts {
            query: params,
            body: String::new(),
            content_type: None,
        },
        Placement::FormBody => RequestParts {
            query: String::new(),
            body: params,
            content_type: Some(FORM_CONTENT_TYPE),
        },
    }
}

/// Server side: checks the `Signature` among the received (decoded) params against the one
/// recomputed over all the others, in constant time.
///
/// A mock server passes the query params and form params together: v1 signs them all alike.
///
/// ```
/// use popgen_runtime::sign::{v1, VerifyError};
/// let params = [("Action", "GetToken"), ("AccessKeyId", "id")];
/// let signed = v1::sign("GET", &params, "secret");
/// let mut received = params.to_vec();
/// received.push(("Signature", signed.signature.as_str()));
/// assert_eq!(v1::verify("GET", &received, "secret"), Ok(()));
/// assert!(matches!(v1::verify("GET", &received, "wrong"), Err(VerifyError::Mismatch { .. })));
/// ```
pub fn verify<K: AsRef<str>, V: AsRef<str>>(
    method: &str,
    received: &[(K, V)],
    secret: &str,
) -> Result<(), VerifyError> {
    let mut provided = None;
    let mut sorted = Vec::with_capacity(received.len());
    for (k, v) in received {
        if k.as_ref() == SIGNATURE_PARAM {
            provided = Some(v.as_ref());
        } else {
            sorted.push((k.as_ref(), v.as_ref()));
        }
    }
    let provided = provided.ok_or(VerifyError::MissingSignature)?;
    sorted.sort_unstable();
    let (_, string_to_sign) = stages_of_sorted(method, &sorted);
    let matches = BASE64.decode(provided).is_ok_and(|bytes| {
        SigningKey::new(secret)
            .0
            .chain_update(string_to_sign.as_bytes())
            .verify_slice(&bytes)
            .is_ok()
    });
    if matches {
        Ok(())
    } else {
        Err(VerifyError::Mismatch {
            string_to_sign: redacted_stages(method, &sorted).1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sts_token_is_signed_and_redacted_only_in_the_redacted_form() {
        let params = [("A", "1"), (SECURITY_TOKEN_PARAM, "tok+/=")];
        let signed = sign("POST", &params, "s");
        assert!(
            signed
                .canonical_query
                .contains("SecurityToken=tok%2B%2F%3D")
        );
        let (q, sts) = redacted_stages("POST", &sorted_refs(&params));
        assert_eq!(q, "A=1&SecurityToken=%2A%2A%2A");
        assert!(!sts.contains("tok"));
    }

    #[test]
    fn form_body_and_query_carry_the_same_signature() {
        let signed = sign("POST", &[("A", "x y")], "s");
        let q = request_parts(&signed, Placement::Query);
        let f = request_parts(&signed, Placement::FormBody);
        assert_eq!(q.query, f.body);
        assert_eq!(f.content_type, Some(FORM_CONTENT_TYPE));
        assert!(f.query.is_empty() && q.body.is_empty() && q.content_type.is_none());
    }

    proptest::proptest! {
        #[test]
        fn verify_accepts_what_sign_produced(
            params in proptest::collection::vec(("[A-Za-z.0-9]{1,8}", "\\PC{0,12}"), 0..8),
            secret in "\\PC{0,16}",
        ) {
            let signed = sign("POST", &params, &secret);
            let mut received = params.clone();
            received.push((SIGNATURE_PARAM.to_owned(), signed.signature.clone()));
            proptest::prop_assert_eq!(verify("POST", &received, &secret), Ok(()));
            proptest::prop_assert_eq!(&signed.string_to_sign, &string_to_sign("POST", &canonical_query(&params)));
        }
    }

    #[test]
    fn verify_rejects_garbage_and_missing_signature() {
        assert_eq!(
            verify("GET", &[("A", "1")], "s"),
            Err(VerifyError::MissingSignature)
        );
        let err = verify("GET", &[("A", "1"), ("Signature", "not base64!")], "s").unwrap_err();
        assert_eq!(
            err,
            VerifyError::Mismatch {
                string_to_sign: "GET&%2F&A%3D1".into()
            }
        );
    }
}
