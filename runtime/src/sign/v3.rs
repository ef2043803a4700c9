//! V3 signature (`ACS3-HMAC-SHA256`), the official SDKs' default, stage by stage.
//!
//! 1. [`hashed_payload`] — lower-case hex SHA-256 of the body.
//! 2. [`canonical_query`] — as in v1 (sorted by key bytes, `%20` for space, `Key=` kept).
//! 3. [`canonical_headers`] — `name:trimmed-value\n` lines (lower-case names, sorted) and the
//!    `;`-joined signed-headers list.
//! 4. [`canonical_request`] — `METHOD\nPATH\nQUERY\nHEADERS\nSIGNED_HEADERS\nHASHED_PAYLOAD`.
//! 5. [`string_to_sign`] — `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request.
//! 6. [`signature`] (hex HMAC-SHA256 keyed with the secret as-is) and [`authorization`].
//!
//! [`official_headers`] builds the header set the official SDK signs, [`form_body`] its form
//! encoding, [`sign`] runs every stage, and [`verify`] is the server side.
//!
//! ```
//! use popgen_runtime::sign::v3::{self, HeaderInputs, Request};
//!
//! let query = [("CalledNumber", "13800138000"), ("TtsCode", "TTS_1")];
//! let headers = v3::official_headers(&HeaderInputs {
//!     host: "dyvmsapi.aliyuncs.com",
//!     action: "SingleCallByTts",
//!     version: "2017-05-25",
//!     date: "2024-01-02T03:04:05Z",
//!     nonce: "0123456789abcdef0123456789abcdef",
//!     access_key_id: "LTAIexample",
//!     security_token: None,
//!     user_agent: "popgen/0.1",
//!     body: b"",
//!     form_body: false,
//! });
//! let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
//! let request = Request { method: "POST", path: "/", query: &query, headers: &headers, body: b"" };
//! let signed = v3::sign(&request, "LTAIexample", "secret");
//! assert!(signed.authorization.starts_with("ACS3-HMAC-SHA256 Credential=LTAIexample,SignedHeaders=accept;host;"));
//! ```

use std::cmp::Ordering;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::names::header;
use super::{REDACTED, VerifyError, hex_decode, hex_into, sorted_refs};
use crate::encode::form_encode_into;

type HmacSha256 = Hmac<Sha256>;

/// The algorithm name that starts the string to sign and the `Authorization` value.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";
/// Lower-case name of the header that carries an STS token (signed, and redacted in traces).
pub const SECURITY_TOKEN_HEADER: &str = header::SECURITY_TOKEN;

/// A request as the V3 signer sees it. `headers` are exactly the headers to sign (names in any
/// case); `query` holds decoded values.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// HTTP method, e.g. `POST`.
    pub method: &'a str,
    /// The path, `/` for RPC APIs.
    pub path: &'a str,
    /// Decoded query params, any order.
    pub query: &'a [(&'a str, &'a str)],
    /// Headers to sign (the signer), or every received header (the verifier), any order.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body bytes exactly as sent.
    pub body: &'a [u8],
}

/// Hex SHA-256 of the empty body (a test checks it against the hash function).
const EMPTY_BODY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Lower-case hex SHA-256 of `body` (also the `x-acs-content-sha256` header value).
///
/// ```
/// assert!(popgen_runtime::sign::v3::hashed_payload(b"").starts_with("e3b0c442"));
/// ```
pub fn hashed_payload(body: &[u8]) -> String {
    if body.is_empty() {
        // Every request with its params in the query: no need to hash nothing each time.
        return EMPTY_BODY_SHA256.to_owned();
    }
    let mut out = String::with_capacity(64);
    hex_into(&mut out, &Sha256::digest(body));
    out
}

/// The canonical query; the same text as v1's (see [`super::v1::canonical_query`]).
pub fn canonical_query<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    super::v1::canonical_query(params)
}

/// The canonical headers block and the signed-headers list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalHeaders {
    /// One `name:value\n` line per header: lower-case names, sorted, values trimmed; values of a
    /// repeated header are sorted and joined with `,`.
    pub canonical: String,
    /// The lower-case names joined with `;`.
    pub signed_headers: String,
}

/// Orders header names case-insensitively, without allocating.
fn cmp_lowercase(a: &str, b: &str) -> Ordering {
    let a = a.bytes().map(|c| c.to_ascii_lowercase());
    a.cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// Builds [`CanonicalHeaders`] from the headers to sign.
///
/// ```
/// let h = popgen_runtime::sign::v3::canonical_headers(&[("X-Acs-Date", " 2024 "), ("host", "h")]);
/// assert_eq!(h.canonical, "host:h\nx-acs-date:2024\n");
/// assert_eq!(h.signed_headers, "host;x-acs-date");
/// ```
pub fn canonical_headers<K: AsRef<str>, V: AsRef<str>>(headers: &[(K, V)]) -> CanonicalHeaders {
    let mut sorted: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_ref().trim(), v.as_ref().trim()))
        .collect();
    sorted.sort_unstable_by(|a, b| cmp_lowercase(a.0, b.0).then_with(|| a.1.cmp(b.1)));
    let size: usize = sorted.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut canonical = String::with_capacity(size);
    let mut signed_headers = String::with_capacity(size / 2);
    let mut previous: Option<&str> = None;
    for (name, value) in sorted {
        if previous.is_some_and(|p| p.eq_ignore_ascii_case(name)) {
            canonical.pop();
            canonical.push(',');
        } else {
            if previous.is_some() {
                signed_headers.push(';');
            }
            push_lowercase(&mut canonical, name);
            push_lowercase(&mut signed_headers, name);
            canonical.push(':');
        }
        canonical.push_str(value);
        canonical.push('\n');
        previous = Some(name);
    }
    CanonicalHeaders {
        canonical,
        signed_headers,
    }
}

fn push_lowercase(out: &mut String, name: &str) {
    out.extend(name.chars().map(|c| c.to_ascii_lowercase()));
}

/// The canonical request:
/// `METHOD\nPATH\nCANONICAL_QUERY\nCANONICAL_HEADERS\nSIGNED_HEADERS\nHASHED_PAYLOAD`
/// (the canonical headers end in `\n`, so a blank line precedes the signed-headers list).
pub fn canonical_request(
    method: &str,
    path: &str,
    canonical_query: &str,
    headers: &CanonicalHeaders,
    hashed_payload: &str,
) -> String {
    let path = if path.is_empty() { "/" } else { path };
    let parts = [
        method,
        path,
        canonical_query,
        &headers.canonical,
        &headers.signed_headers,
        hashed_payload,
    ];
    let mut out = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if i == 0 {
            out.extend(part.chars().map(|c| c.to_ascii_uppercase()));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// The string to sign: `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request.
pub fn string_to_sign(canonical_request: &str) -> String {
    let mut out = String::with_capacity(ALGORITHM.len() + 65);
    out.push_str(ALGORITHM);
    out.push('\n');
    hex_into(&mut out, &Sha256::digest(canonical_request.as_bytes()));
    out
}

/// Lower-case hex HMAC-SHA256 of `string_to_sign`, keyed with the secret as-is (no `&`).
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    signature_with(&SigningKey::new(secret), string_to_sign)
}

/// [`signature`] with a key prepared once by [`SigningKey::new`].
pub fn signature_with(key: &SigningKey, string_to_sign: &str) -> String {
    let mut out = String::with_capacity(64);
    hex_into(
        &mut out,
        &key.0
            .clone()
            .chain_update(string_to_sign.as_bytes())
            .finalize()
            .into_bytes(),
    );
    out
}

/// HMAC-SHA256 keyed with the secret, ready to sign any number of requests: keying hashes two
/// blocks, so a client prepares it once per credentials. Prints as `v3::SigningKey(..)`.
#[derive(Clone)]
pub struct SigningKey(HmacSha256);

impl SigningKey {
    /// Keys HMAC-SHA256 with `secret`.
    pub fn new(secret: &str) -> Self {
        SigningKey(
            HmacSha256::new_from_slice(secret.as_bytes())
                .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length")),
        )
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("v3::SigningKey(..)")
    }
}

/// The `Authorization` header value:
/// `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<list>,Signature=<hex>`.
pub fn authorization(access_key_id: &str, signed_headers: &str, signature: &str) -> String {
    let mut out =
        String::with_capacity(64 + access_key_id.len() + signed_headers.len() + signature.len());
    out.push_str(ALGORITHM);
    out.push_str(" Credential=");
    out.push_str(access_key_id);
    out.push_str(",SignedHeaders=");
    out.push_str(signed_headers);
    out.push_str(",Signature=");
    out.push_str(signature);
    out
}

/// Every stage of a V3 signature, as [`sign`] computed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// See [`hashed_payload`].
    pub hashed_payload: String,
    /// See [`canonical_query`]; also the encoded query string to send.
    pub canonical_query: String,
    /// See [`canonical_headers`].
    pub headers: CanonicalHeaders,
    /// See [`canonical_request`].
    pub canonical_request: String,
    /// See [`string_to_sign`].
    pub string_to_sign: String,
    /// See [`signature`].
    pub signature: String,
    /// See [`authorization`]: the `Authorization` header value to send.
    pub authorization: String,
}

/// Computes every stage of the V3 signature of `request`.
///
/// Emits a TRACE event with the canonical request (STS token header redacted) and the string to
/// sign.
pub fn sign(request: &Request<'_>, access_key_id: &str, secret: &str) -> Signed {
    sign_with(request, access_key_id, &SigningKey::new(secret))
}

/// [`sign`] with a key prepared once by [`SigningKey::new`] (what a client does).
pub fn sign_with(request: &Request<'_>, access_key_id: &str, key: &SigningKey) -> Signed {
    let hashed_payload = hashed_payload(request.body);
    let canonical_query = canonical_query(request.query);
    let headers = canonical_headers(request.headers);
    let canonical_request = canonical_request(
        request.method,
        request.path,
        &canonical_query,
        &headers,
        &hashed_payload,
    );
    let string_to_sign = string_to_sign(&canonical_request);
    let signature = signature_with(key, &string_to_sign);
    let authorization = authorization(access_key_id, &headers.signed_headers, &signature);
    if tracing::enabled!(tracing::Level::TRACE) {
        let canonical_request =
            redacted_canonical_request(request, &canonical_query, &hashed_payload);
        // Debug-formatted so the multi-line texts stay on one log line.
        tracing::trace!(
            ?canonical_request,
            ?string_to_sign,
            "popgen v3 signature computed"
        );
    }
    Signed {
        hashed_payload,
        canonical_query,
        headers,
        canonical_request,
        string_to_sign,
        signature,
        authorization,
    }
}

/// The canonical request with the STS token header's value (and any `SecurityToken` query param)
/// replaced by [`REDACTED`]: safe to log.
fn redacted_canonical_request(request: &Request<'_>, query: &str, hashed_payload: &str) -> String {
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|&(k, v)| {
            (
                k,
                if k.trim().eq_ignore_ascii_case(SECURITY_TOKEN_HEADER) {
                    REDACTED
                } else {
                    v
                },
            )
        })
        .collect();
    let query_has_token = request
        .query
        .iter()
        .any(|(k, _)| *k == super::v1::SECURITY_TOKEN_PARAM);
    let redacted_query;
    let query = if query_has_token {
        let redacted: Vec<(&str, &str)> = request
            .query
            .iter()
            .map(|&(k, v)| {
                (
                    k,
                    if k == super::v1::SECURITY_TOKEN_PARAM {
                        REDACTED
                    } else {
                        v
                    },
                )
            })
            .collect();
        redacted_query = canonical_query(&redacted);
        &redacted_query
    } else {
        query
    };
    canonical_request(
        request.method,
        request.path,
        query,
        &canonical_headers(&headers),
        hashed_payload,
    )
}

/// Inputs of [`official_headers`].
#[derive(Debug, Clone, Copy)]
pub struct HeaderInputs<'a> {
    /// `host`, e.g. `dyvmsapi.aliyuncs.com` (with `:port` when not the default).
    pub host: &'a str,
    /// `x-acs-action`.
    pub action: &'a str,
    /// `x-acs-version`.
    pub version: &'a str,
    /// `x-acs-date`, UTC `yyyy-MM-ddTHH:mm:ssZ` (see [`super::format_timestamp`]).
    pub date: &'a str,
    /// `x-acs-signature-nonce`, fresh for every attempt (see [`super::new_nonce`]).
    pub nonce: &'a str,
    /// Sent as `x-acs-accesskey-id` with STS credentials only (it is always in `Authorization`).
    pub access_key_id: &'a str,
    /// The STS token, sent as `x-acs-security-token`.
    pub security_token: Option<&'a str>,
    /// `user-agent`.
    pub user_agent: &'a str,
    /// The body, hashed into `x-acs-content-sha256`.
    pub body: &'a [u8],
    /// Whether the body is a form (adds `content-type: application/x-www-form-urlencoded`).
    pub form_body: bool,
}

/// The headers the official SDK signs: `host`, `x-acs-version`, `x-acs-action`,
/// `user-agent`, `x-acs-date`, `x-acs-signature-nonce`, `accept`, `x-acs-credentials-provider`
/// (`static_ak` / `static_sts`), `x-acs-content-sha256`, plus `x-acs-accesskey-id` and
/// `x-acs-security-token` with STS, and `content-type` with a form body.
pub fn official_headers(inputs: &HeaderInputs<'_>) -> Vec<(&'static str, String)> {
    let provider = if inputs.security_token.is_some() {
        "static_sts"
    } else {
        "static_ak"
    };
    let mut headers = vec![
        (header::HOST, inputs.host.to_owned()),
        (header::VERSION, inputs.version.to_owned()),
        (header::ACTION, inputs.action.to_owned()),
        (header::USER_AGENT, inputs.user_agent.to_owned()),
        (header::DATE, inputs.date.to_owned()),
        (header::SIGNATURE_NONCE, inputs.nonce.to_owned()),
        (header::ACCEPT, "application/json".to_owned()),
        (header::CREDENTIALS_PROVIDER, provider.to_owned()),
        (header::CONTENT_SHA256, hashed_payload(inputs.body)),
    ];
    if let Some(token) = inputs.security_token {
        headers.push((header::ACCESS_KEY_ID, inputs.access_key_id.to_owned()));
        headers.push((SECURITY_TOKEN_HEADER, token.to_owned()));
    }
    if inputs.form_body {
        headers.push((
            header::CONTENT_TYPE,
            super::v1::FORM_CONTENT_TYPE.to_owned(),
        ));
    }
    headers
}

/// A form body as the official SDK writes it: sorted by key, signing encoding with `+` for space.
///
/// ```
/// assert_eq!(popgen_runtime::sign::v3::form_body(&[("B", "x y"), ("A", "*")]), "A=%2A&B=x+y");
/// ```
pub fn form_body<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in sorted_refs(params).into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        form_encode_into(&mut out, k);
        out.push('=');
        form_encode_into(&mut out, v);
    }
    out
}

/// The parts of a parsed `Authorization` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authorization<'a> {
    /// `Credential`: the AccessKey ID (a server looks the secret up by it).
    pub access_key_id: &'a str,
    /// `SignedHeaders`: lower-case names joined with `;`.
    pub signed_headers: &'a str,
    /// `Signature`: lower-case hex.
    pub signature: &'a str,
}

/// Parses `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<list>,Signature=<hex>`.
///
/// ```
/// let a = popgen_runtime::sign::v3::parse_authorization(
///     "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;x-acs-date,Signature=ab12").unwrap();
/// assert_eq!((a.access_key_id, a.signed_headers, a.signature), ("id", "host;x-acs-date", "ab12"));
/// ```
pub fn parse_authorization(value: &str) -> Result<Authorization<'_>, VerifyError> {
    let malformed = |why: &str| VerifyError::MalformedAuthorization(why.to_owned());
    let rest = value
        .trim()
        .strip_prefix(ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or_else(|| malformed("does not start with `ACS3-HMAC-SHA256 `"))?;
    let (mut id, mut list, mut sig) = (None, None, None);
    for part in rest.split(',') {
        let (name, v) = part
            .trim()
            .split_once('=')
            .ok_or_else(|| malformed("a part lacks `=`"))?;
        let slot = match name {
            "Credential" => &mut id,
            "SignedHeaders" => &mut list,
            "Signature" => &mut sig,
            _ => {
                return Err(malformed(
                    "unknown part (expected Credential, SignedHeaders, Signature)",
                ));
            }
        };
        *slot = Some(v);
    }
    match (id, list, sig) {
        (Some(access_key_id), Some(signed_headers), Some(signature)) => Ok(Authorization {
            access_key_id,
            signed_headers,
            signature,
        }),
        _ => Err(malformed("needs Credential, SignedHeaders and Signature")),
    }
}

/// The first header of `headers` (every header received) that V3 requires to be signed but
/// `signed_headers` (the `SignedHeaders` list) leaves out, or `None` when every one is signed.
///
/// Alibaba's V3 documentation requires `host`, every `x-acs-*` header sent and `content-type`
/// (when present) in `SignedHeaders`; a verifier that checked only the headers the request chose
/// to list would let anyone who saw one signed request change its unsigned `x-acs-action`
/// (another action), `x-acs-signature-nonce` (a replay) or `x-acs-date` (a late replay). An
/// empty body makes `content-type` irrelevant (nothing is decoded by it), so it is required only
/// with a body.
///
/// ```
/// use popgen_runtime::sign::v3::unsigned_required_header;
/// let headers = [("Host", "h"), ("x-acs-action", "A"), ("x-acs-date", "d")];
/// assert_eq!(unsigned_required_header(&headers, "host;x-acs-action;x-acs-date", b""), None);
/// assert_eq!(unsigned_required_header(&headers, "host;x-acs-date", b""), Some("x-acs-action"));
/// assert_eq!(unsigned_required_header(&headers, "x-acs-action;x-acs-date", b""), Some("host"));
/// ```
pub fn unsigned_required_header<'a>(
    headers: &[(&'a str, &str)],
    signed_headers: &str,
    body: &[u8],
) -> Option<&'a str> {
    let listed = |name: &str| {
        signed_headers
            .split(';')
            .any(|s| s.trim().eq_ignore_ascii_case(name))
    };
    if !listed(header::HOST) {
        return Some(header::HOST);
    }
    headers.iter().map(|(k, _)| k.trim()).find(|name| {
        let acs = name
            .get(..header::ACS_PREFIX.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(header::ACS_PREFIX));
        let content_type = !body.is_empty() && name.eq_ignore_ascii_case(header::CONTENT_TYPE);
        (acs || content_type) && !listed(name)
    })
}

/// Server side: finds the `Authorization` header among `request.headers` (every received header),
/// refuses it when a header that must be signed is not listed ([`unsigned_required_header`]),
/// recomputes the signature over the headers it lists, and compares in constant time.
///
/// Look the secret up by [`parse_authorization`]'s `access_key_id` first.
pub fn verify(request: &Request<'_>, secret: &str) -> Result<(), VerifyError> {
    let value = request
        .headers
        .iter()
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(header::AUTHORIZATION))
        .map(|(_, v)| *v)
        .ok_or(VerifyError::MissingSignature)?;
    let auth = parse_authorization(value)?;
    if let Some(name) = unsigned_required_header(request.headers, auth.signed_headers, request.body)
    {
        return Err(VerifyError::UnsignedHeader(name.to_ascii_lowercase()));
    }
    let mut signed = Vec::new();
    for name in auth.signed_headers.split(';') {
        let before = signed.len();
        signed.extend(
            request
                .headers
                .iter()
                .filter(|(k, _)| k.trim().eq_ignore_ascii_case(name)),
        );
        if signed.len() == before {
            return Err(VerifyError::MissingSignedHeader(name.to_owned()));
        }
    }
    let request = Request {
        headers: &signed,
        ..*request
    };
    let hashed = hashed_payload(request.body);
    let canonical_request = canonical_request(
        request.method,
        request.path,
        &canonical_query(request.query),
        &canonical_headers(request.headers),
        &hashed,
    );
    let string_to_sign = string_to_sign(&canonical_request);
    let matches = hex_decode(auth.signature).is_some_and(|bytes| {
        SigningKey::new(secret)
            .0
            .chain_update(string_to_sign.as_bytes())
            .verify_slice(&bytes)
            .is_ok()
    });
    if matches {
        Ok(())
    } else {
        Err(VerifyError::Mismatch { string_to_sign })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_empty_body_hash_is_the_hash_of_nothing() {
        let mut computed = String::new();
        hex_into(&mut computed, &Sha256::digest(b""));
        assert_eq!(EMPTY_BODY_SHA256, computed);
        assert_eq!(hashed_payload(b""), computed);
        assert_ne!(hashed_payload(b"a"), computed);
    }

    #[test]
    fn repeated_headers_join_sorted_values() {
        let h = canonical_headers(&[("X-A", "2"), ("x-a", "1"), ("b", "0")]);
        assert_eq!(h.canonical, "b:0\nx-a:1,2\n");
        assert_eq!(h.signed_headers, "b;x-a");
    }

    #[test]
    fn verify_roundtrip_and_failures() {
        let headers = [("host", "h"), ("x-acs-date", "d")];
        let req = Request {
            method: "POST",
            path: "/",
            query: &[("A", "1")],
            headers: &headers,
            body: b"",
        };
        let signed = sign(&req, "id", "secret");
        let mut received = headers.to_vec();
        received.push(("Authorization", &signed.authorization));
        received.push(("content-length", "0"));
        let req = Request {
            headers: &received,
            ..req
        };
        assert_eq!(verify(&req, "secret"), Ok(()));
        assert!(matches!(
            verify(&req, "nope"),
            Err(VerifyError::Mismatch { .. })
        ));
        let partial = [received[0], received[2]];
        let req = Request {
            headers: &partial,
            ..req
        };
        assert_eq!(
            verify(&req, "secret"),
            Err(VerifyError::MissingSignedHeader("x-acs-date".into()))
        );
        assert!(parse_authorization("HMAC x").is_err());
    }
}
