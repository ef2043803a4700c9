//! The server side of both signature schemes: what a gateway (or popgen's mock server) does with
//! a request that arrived, before it looks at the action's own params.
//!
//! 1. [`claims`] — which scheme the request uses and what it says about itself (AccessKey ID,
//!    action, version, timestamp, nonce, STS token), read without trusting any of it.
//! 2. [`check_timestamp`] — the timestamp parses ([`parse_utc`](crate::calendar::parse_utc)) and lies within the
//!    allowed skew of the server clock (15 minutes at the gateway, [`MAX_SKEW_SECS`]).
//! 3. [`verify`] — the signature recomputed from what arrived (decoded values: `+` and `%20` are
//!    both a space; every param that arrived is signed, the legacy SDK's empty `SignatureType=`
//!    included), with the runtime's own staged signing functions, compared in constant time. A
//!    V3 request must sign `host`, every `x-acs-*` header it carries and, with a body,
//!    `content-type`: a header it leaves out could be changed by anyone who saw the request.
//!
//! [`is_common_param`] tells the params the gateway consumes from the action's own, which a
//! server then hands to the action's validation. Nonce bookkeeping is state, so it stays with the
//! server; [`NONCE_WINDOW_SECS`] is how long the gateway remembers one.

use std::fmt;

use super::names::{header, param};
use super::{REDACTED, v1, v3};

/// How far a request's timestamp may be from the server clock, either way: 15 minutes.
pub const MAX_SKEW_SECS: u64 = 15 * 60;

/// How long the gateway refuses a `SignatureNonce` it has seen: 31 minutes (an Alibaba on-call
/// answer; longer than twice [`MAX_SKEW_SECS`], so a replay inside the timestamp window is always
/// caught).
pub const NONCE_WINDOW_SECS: u64 = 31 * 60;

/// The params the gateway consumes itself (v1 common params, plus what the official SDKs add):
/// never an action param.
pub const COMMON_PARAMS: &[&str] = &[
    param::ACCESS_KEY_ID,
    param::ACTION,
    param::FORMAT,
    param::REGION_ID,
    param::SECURITY_TOKEN,
    param::SIGNATURE,
    param::SIGNATURE_METHOD,
    param::SIGNATURE_NONCE,
    param::SIGNATURE_TYPE,
    param::SIGNATURE_VERSION,
    param::TIMESTAMP,
    param::VERSION,
];

/// Whether `name` is a param the gateway consumes rather than the action (see [`COMMON_PARAMS`]).
///
/// ```
/// use popgen_runtime::sign::verify::is_common_param;
/// assert!(is_common_param("SignatureType") && !is_common_param("CalledNumber"));
/// ```
pub fn is_common_param(name: &str) -> bool {
    COMMON_PARAMS.binary_search(&name).is_ok()
}

/// The signature scheme of a received request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// RPC signature v1.0 (HMAC-SHA1): a `Signature` param.
    V1,
    /// V3 (`ACS3-HMAC-SHA256`): an `Authorization` header.
    V3,
}

impl Scheme {
    /// `v1` or `v3`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::V1 => "v1",
            Scheme::V3 => "v3",
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request as it arrived, every value already decoded.
#[derive(Debug, Clone, Copy)]
pub struct Received<'a> {
    /// HTTP method (`GET`, `POST`).
    pub method: &'a str,
    /// The path, `/` for RPC APIs.
    pub path: &'a str,
    /// The query string's params, decoded, in arrival order.
    pub query: &'a [(&'a str, &'a str)],
    /// The form body's params, decoded (empty when the body is not a form).
    pub form: &'a [(&'a str, &'a str)],
    /// Every header (names in any case).
    pub headers: &'a [(&'a str, &'a str)],
    /// The body bytes exactly as received.
    pub body: &'a [u8],
}

impl<'a> Received<'a> {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    /// The first param called `name`, query first, then form body.
    pub fn param(&self, name: &str) -> Option<&'a str> {
        self.query
            .iter()
            .chain(self.form)
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
    }
}

/// What a request says about itself, read before its signature is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claims<'a> {
    /// The signature scheme.
    pub scheme: Scheme,
    /// `AccessKeyId` (v1) or the `Credential` of `Authorization` (V3).
    pub access_key_id: &'a str,
    /// `Action` (v1) or `x-acs-action` (V3); `None` when absent.
    pub action: Option<&'a str>,
    /// `Version` (v1) or `x-acs-version` (V3); `None` when absent.
    pub version: Option<&'a str>,
    /// `Timestamp` (v1) or `x-acs-date` (V3), unparsed.
    pub timestamp: &'a str,
    /// `SignatureNonce` (v1) or `x-acs-signature-nonce` (V3).
    pub nonce: &'a str,
    /// `SecurityToken` (v1) or `x-acs-security-token` (V3).
    pub security_token: Option<&'a str>,
    /// The `Format` param, when sent.
    pub format: Option<&'a str>,
}

/// Why a request's claims could not be read: the gateway answers before checking anything else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimError {
    /// Neither a `Signature` param nor an `ACS3-HMAC-SHA256` `Authorization` header.
    Unsigned,
    /// A param or header the scheme needs is absent (its wire name).
    Missing(&'static str),
    /// The `Authorization` header does not parse (why).
    MalformedAuthorization(String),
    /// `SignatureMethod` is not `HMAC-SHA1` (the value sent).
    SignatureMethod(String),
    /// `SignatureVersion` is not `1.0` (the value sent).
    SignatureVersion(String),
}

impl ClaimError {
    /// The gateway's error code for this problem.
    pub fn code(&self) -> &'static str {
        match self {
            ClaimError::Unsigned | ClaimError::Missing(_) => "MissingParameter",
            ClaimError::MalformedAuthorization(_) => "IncompleteSignature",
            ClaimError::SignatureMethod(_) => "InvalidSignatureMethod",
            ClaimError::SignatureVersion(_) => "InvalidSignatureVersion",
        }
    }
}

impl fmt::Display for ClaimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClaimError::Unsigned => f.write_str(
                "The request is not signed: send the Signature parameter (RPC v1) or an \
                 `Authorization: ACS3-HMAC-SHA256 ...` header (V3).",
            ),
            ClaimError::Missing(name) => write!(
                f,
                "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
            ),
            ClaimError::MalformedAuthorization(why) => write!(
                f,
                "The request signature does not conform to Aliyun standards: {why}."
            ),
            ClaimError::SignatureMethod(got) => write!(
                f,
                "Specified signature method \"{got}\" is not valid; use HMAC-SHA1."
            ),
            ClaimError::SignatureVersion(got) => write!(
                f,
                "Specified signature version \"{got}\" is not valid; use 1.0."
            ),
        }
    }
}

impl std::error::Error for ClaimError {}

/// Reads the [`Claims`] of `request`: V3 when it has an `Authorization` header, v1 when it has a
/// `Signature` param.
///
/// ```
/// use popgen_runtime::sign::verify::{claims, Received, Scheme};
/// let query = [("Signature", "x"), ("AccessKeyId", "id"), ("SignatureNonce", "n"),
///     ("Timestamp", "2024-01-02T03:04:05Z"), ("SignatureMethod", "HMAC-SHA1"),
///     ("SignatureVersion", "1.0"), ("Action", "GetToken")];
/// let request = Received { method: "GET", path: "/", query: &query, form: &[], headers: &[], body: b"" };
/// let c = claims(&request).unwrap();
/// assert_eq!((c.scheme, c.access_key_id, c.action), (Scheme::V1, "id", Some("GetToken")));
/// ```
pub fn claims<'a>(request: &Received<'a>) -> Result<Claims<'a>, ClaimError> {
    if let Some(authorization) = request.header(header::AUTHORIZATION) {
        return v3_claims(request, authorization);
    }
    if request.param(v1::SIGNATURE_PARAM).is_some() {
        return v1_claims(request);
    }
    Err(ClaimError::Unsigned)
}

fn v1_claims<'a>(request: &Received<'a>) -> Result<Claims<'a>, ClaimError> {
    let required = |name: &'static str| request.param(name).ok_or(ClaimError::Missing(name));
    let method = required(param::SIGNATURE_METHOD)?;
    if method != "HMAC-SHA1" {
        return Err(ClaimError::SignatureMethod(method.to_owned()));
    }
    let version = required(param::SIGNATURE_VERSION)?;
    if version != "1.0" {
        return Err(ClaimError::SignatureVersion(version.to_owned()));
    }
    Ok(Claims {
        scheme: Scheme::V1,
        access_key_id: required(param::ACCESS_KEY_ID)?,
        action: request.param(param::ACTION),
        version: request.param(param::VERSION),
        timestamp: required(param::TIMESTAMP)?,
        nonce: required(param::SIGNATURE_NONCE)?,
        security_token: request.param(v1::SECURITY_TOKEN_PARAM),
        format: request.param(param::FORMAT),
    })
}

fn v3_claims<'a>(request: &Received<'a>, authorization: &'a str) -> Result<Claims<'a>, ClaimError> {
    let auth = v3::parse_authorization(authorization).map_err(|e| match e {
        super::VerifyError::MalformedAuthorization(why) => ClaimError::MalformedAuthorization(why),
        other => ClaimError::MalformedAuthorization(other.to_string()),
    })?;
    let required = |name: &'static str| request.header(name).ok_or(ClaimError::Missing(name));
    Ok(Claims {
        scheme: Scheme::V3,
        access_key_id: auth.access_key_id,
        action: request
            .header(header::ACTION)
            .or_else(|| request.param(param::ACTION)),
        version: request
            .header(header::VERSION)
            .or_else(|| request.param(param::VERSION)),
        timestamp: required(header::DATE)?,
        nonce: required(header::SIGNATURE_NONCE)?,
        security_token: request.header(v3::SECURITY_TOKEN_HEADER),
        format: request.param(param::FORMAT),
    })
}

/// Why a timestamp was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimestampError {
    /// Not `yyyy-MM-ddTHH:mm:ssZ` (`InvalidTimeStamp.Format`).
    Format(String),
    /// Further than the allowed skew from the server clock (`InvalidTimeStamp.Expired`).
    Expired {
        /// The timestamp sent.
        sent: String,
        /// The server clock, formatted the same way.
        server: String,
    },
}

impl TimestampError {
    /// The gateway's error code.
    pub fn code(&self) -> &'static str {
        match self {
            TimestampError::Format(_) => "InvalidTimeStamp.Format",
            TimestampError::Expired { .. } => "InvalidTimeStamp.Expired",
        }
    }
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimestampError::Format(sent) => write!(
                f,
                "Specified time stamp or date value \"{sent}\" is not well formatted; use UTC yyyy-MM-ddTHH:mm:ssZ."
            ),
            TimestampError::Expired { sent, server } => write!(
                f,
                "Specified time stamp or date value is expired: the request says {sent}, the server clock says {server} (allowed skew: 15 minutes)."
            ),
        }
    }
}

impl std::error::Error for TimestampError {}

/// Parses `text` and checks it lies within `max_skew_secs` of `now_secs` (either way); returns
/// the timestamp in unix seconds.
///
/// ```
/// use popgen_runtime::sign::verify::{check_timestamp, MAX_SKEW_SECS};
/// let now = 1_825_462_618; // 2027-11-06T00:56:58Z
/// assert!(check_timestamp("2027-11-06T01:11:58Z", now, MAX_SKEW_SECS).is_ok());
/// let late = check_timestamp("2027-11-06T01:11:59Z", now, MAX_SKEW_SECS).unwrap_err();
/// assert_eq!(late.code(), "InvalidTimeStamp.Expired");
/// ```
pub fn check_timestamp(
    text: &str,
    now_secs: u64,
    max_skew_secs: u64,
) -> Result<u64, TimestampError> {
    let at =
        crate::calendar::parse_utc(text).ok_or_else(|| TimestampError::Format(text.to_owned()))?;
    if at.abs_diff(now_secs) > max_skew_secs {
        return Err(TimestampError::Expired {
            sent: text.to_owned(),
            server: super::format_timestamp(now_secs),
        });
    }
    Ok(at)
}

/// Why a signature was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// The signature is missing or its header does not parse (`IncompleteSignature`).
    Incomplete(String),
    /// V3: `x-acs-content-sha256` is absent or is not the SHA-256 of the body that arrived.
    PayloadHash {
        /// The header's value (empty when absent).
        sent: String,
        /// The hex SHA-256 of the body received.
        computed: String,
    },
    /// The signature differs from the one recomputed (`SignatureDoesNotMatch`).
    Mismatch {
        /// The server's string to sign (STS token redacted).
        string_to_sign: String,
        /// V3 only: the server's canonical request (STS token redacted), since its string to
        /// sign is only a hash of it.
        canonical_request: Option<String>,
    },
}

impl SignatureError {
    /// The gateway's error code.
    pub fn code(&self) -> &'static str {
        match self {
            SignatureError::Incomplete(_) => "IncompleteSignature",
            SignatureError::PayloadHash { .. } | SignatureError::Mismatch { .. } => {
                "SignatureDoesNotMatch"
            }
        }
    }
}

impl fmt::Display for SignatureError {
    /// The gateway's message: for a mismatch, `Specified signature is not matched with our
    /// calculation. server string to sign is:` and the string to sign.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::Incomplete(why) => write!(
                f,
                "The request signature does not conform to Aliyun standards: {why}."
            ),
            SignatureError::PayloadHash { sent, computed } => write!(
                f,
                "The x-acs-content-sha256 header ({sent:?}) is not the SHA-256 of the body received ({computed})."
            ),
            SignatureError::Mismatch {
                string_to_sign,
                canonical_request,
            } => {
                write!(
                    f,
                    "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"
                )?;
                if let Some(canonical) = canonical_request {
                    write!(f, "\nserver canonical request is:\n{canonical}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for SignatureError {}

/// Recomputes the signature of `request` with `secret` (looked up by `claims.access_key_id`)
/// and compares it in constant time.
///
/// v1 signs every param that arrived, query and form body alike; V3 signs the query, the headers
/// `SignedHeaders` lists and the body's hash, which must also be the `x-acs-content-sha256`
/// header. `SignedHeaders` must list `host`, every `x-acs-*` header that arrived and, with a
/// body, `content-type` ([`v3::unsigned_required_header`]); otherwise the request is
/// [`SignatureError::Incomplete`] (`IncompleteSignature`), whatever its signature.
pub fn verify(
    request: &Received<'_>,
    claims: &Claims<'_>,
    secret: &str,
) -> Result<(), SignatureError> {
    match claims.scheme {
        Scheme::V1 => verify_v1(request, secret),
        Scheme::V3 => verify_v3(request, secret),
    }
}

fn verify_v1(request: &Received<'_>, secret: &str) -> Result<(), SignatureError> {
    let mut params = Vec::with_capacity(request.query.len() + request.form.len());
    params.extend_from_slice(request.query);
    params.extend_from_slice(request.form);
    v1::verify(request.method, &params, secret).map_err(|e| match e {
        super::VerifyError::Mismatch { string_to_sign } => SignatureError::Mismatch {
            string_to_sign,
            canonical_request: None,
        },
        other => SignatureError::Incomplete(other.to_string()),
    })
}

fn verify_v3(request: &Received<'_>, secret: &str) -> Result<(), SignatureError> {
    let incomplete = |e: super::VerifyError| SignatureError::Incomplete(e.to_string());
    let authorization = request
        .header(header::AUTHORIZATION)
        .ok_or_else(|| incomplete(super::VerifyError::MissingSignature))?;
    let auth = v3::parse_authorization(authorization).map_err(incomplete)?;
    if let Some(name) =
        v3::unsigned_required_header(request.headers, auth.signed_headers, request.body)
    {
        let name = name.to_ascii_lowercase();
        return Err(incomplete(super::VerifyError::UnsignedHeader(name)));
    }
    let hashed = v3::hashed_payload(request.body);
    let sent_hash = request.header(header::CONTENT_SHA256).unwrap_or_default();
    if !sent_hash.trim().eq_ignore_ascii_case(&hashed) {
        return Err(SignatureError::PayloadHash {
            sent: sent_hash.to_owned(),
            computed: hashed,
        });
    }
    let signed = signed_headers(request, auth.signed_headers).map_err(incomplete)?;
    let query = v3::canonical_query(request.query);
    let canonical = v3::canonical_request(
        request.method,
        request.path,
        &query,
        &v3::canonical_headers(&signed),
        &hashed,
    );
    let string_to_sign = v3::string_to_sign(&canonical);
    let expected = v3::signature(secret, &string_to_sign);
    if constant_time_eq(
        expected.as_bytes(),
        auth.signature.to_ascii_lowercase().as_bytes(),
    ) {
        return Ok(());
    }
    let redacted: Vec<(&str, &str)> = signed
        .iter()
        .map(|&(k, v)| {
            let token = k.trim().eq_ignore_ascii_case(v3::SECURITY_TOKEN_HEADER);
            (k, if token { REDACTED } else { v })
        })
        .collect();
    let canonical_request = v3::canonical_request(
        request.method,
        request.path,
        &query,
        &v3::canonical_headers(&redacted),
        &hashed,
    );
    Err(SignatureError::Mismatch {
        string_to_sign,
        canonical_request: Some(canonical_request),
    })
}

/// The received headers that `SignedHeaders` lists (every value of a repeated one).
fn signed_headers<'a>(
    request: &Received<'a>,
    list: &str,
) -> Result<Vec<(&'a str, &'a str)>, super::VerifyError> {
    let mut signed = Vec::with_capacity(12);
    for name in list.split(';') {
        let before = signed.len();
        signed.extend(
            request
                .headers
                .iter()
                .filter(|(k, _)| k.trim().eq_ignore_ascii_case(name)),
        );
        if signed.len() == before {
            return Err(super::VerifyError::MissingSignedHeader(name.to_owned()));
        }
    }
    Ok(signed)
}

/// Compares without an early exit, so the time taken says nothing about where they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::encode::{form_encode_into, parse_query, percent_encode};

    /// The vector files are ground truth (`runtime/tests/vectors`, from the official SDKs).
    fn vectors(name: &str) -> Vec<serde_json::Value> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/vectors")
            .join(name);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        serde_json::from_str(&text).expect("vector file is JSON")
    }

    fn pairs(value: &serde_json::Value) -> Vec<(String, String)> {
        value
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn text<'a>(case: &'a serde_json::Value, key: &str) -> &'a str {
        case[key].as_str().unwrap_or_default()
    }

    fn refs(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
        pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    /// Encodes as the current SDK does (`+` for space) or as the legacy one does (`%20`).
    fn wire(params: &[(String, String)], plus: bool) -> String {
        let mut out = String::new();
        for (i, (k, v)) in params.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            if plus {
                form_encode_into(&mut out, k);
                out.push('=');
                form_encode_into(&mut out, v);
            } else {
                out.push_str(&percent_encode(k));
                out.push('=');
                out.push_str(&percent_encode(v));
            }
        }
        out
    }

    #[test]
    fn every_v1_vector_verifies_from_the_wire_and_a_wrong_secret_shows_its_string_to_sign() {
        let cases = vectors("rpc-v1-hmac-sha1.json");
        assert!(cases.len() >= 11);
        for case in &cases {
            let name = text(case, "name");
            let mut params = pairs(&case["params"]);
            params.push(("Signature".into(), text(case, "signature").into()));
            for plus in [true, false] {
                let decoded = parse_query(&wire(&params, plus)).expect("decodes");
                let query = refs(&decoded);
                // POST requests also go as a form body, which v1 signs alike.
                let none: &[(&str, &str)] = &[];
                let (query, form) = if text(case, "method") == "POST" && !plus {
                    (none, query.as_slice())
                } else {
                    (query.as_slice(), none)
                };
                let received = Received {
                    method: text(case, "method"),
                    path: "/",
                    query,
                    form,
                    headers: &[],
                    body: b"",
                };
                let c = claims(&received).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(c.scheme, Scheme::V1);
                assert_eq!(c.access_key_id, text(case, "access_key_id"), "{name}");
                let secret = text(case, "access_key_secret");
                assert_eq!(verify(&received, &c, secret), Ok(()), "{name}");
                let Err(SignatureError::Mismatch { string_to_sign, .. }) =
                    verify(&received, &c, "wrong")
                else {
                    panic!("{name}: a wrong secret must not verify");
                };
                if c.security_token.is_none() {
                    assert_eq!(string_to_sign, text(case, "string_to_sign"), "{name}");
                } else {
                    assert!(
                        !string_to_sign
                            .contains(&percent_encode(c.security_token.unwrap_or_default()))
                    );
                    assert!(
                        string_to_sign.contains("SecurityToken%3D%252A%252A%252A"),
                        "{name}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_v3_vector_verifies_and_a_wrong_secret_shows_the_vector_stages() {
        let cases = vectors("v3-acs3-hmac-sha256.json");
        assert!(cases.len() >= 14);
        for case in &cases {
            let name = text(case, "name");
            let query = pairs(&case["query"]);
            let form = pairs(&case["body_params"]);
            let mut headers = pairs(&case["headers"]);
            headers.push(("Authorization".into(), text(case, "authorization").into()));
            headers.push((
                "Content-Length".into(),
                text(case, "body").len().to_string(),
            ));
            let (query, form, headers) = (refs(&query), refs(&form), refs(&headers));
            let received = Received {
                method: text(case, "method"),
                path: text(case, "path"),
                query: &query,
                form: &form,
                headers: &headers,
                body: text(case, "body").as_bytes(),
            };
            let c = claims(&received).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                (c.scheme, c.access_key_id),
                (Scheme::V3, text(case, "access_key_id"))
            );
            assert_eq!(c.security_token, case["security_token"].as_str(), "{name}");
            assert!(crate::calendar::parse_utc(c.timestamp).is_some(), "{name}");
            let secret = text(case, "access_key_secret");
            assert_eq!(verify(&received, &c, secret), Ok(()), "{name}");
            let Err(SignatureError::Mismatch {
                string_to_sign,
                canonical_request,
            }) = verify(&received, &c, "wrong")
            else {
                panic!("{name}: a wrong secret must not verify");
            };
            assert_eq!(string_to_sign, text(case, "string_to_sign"), "{name}");
            let canonical_request = canonical_request.unwrap_or_default();
            match c.security_token {
                None => assert_eq!(canonical_request, text(case, "canonical_request"), "{name}"),
                Some(token) => {
                    assert!(!canonical_request.contains(token), "{name}");
                    assert!(
                        canonical_request.contains("x-acs-security-token:***\n"),
                        "{name}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_v3_body_that_differs_from_its_hash_header_is_refused_as_such() {
        let case = &vectors("v3-acs3-hmac-sha256.json")[11];
        assert!(!text(case, "body").is_empty());
        let mut headers = pairs(&case["headers"]);
        headers.push(("Authorization".into(), text(case, "authorization").into()));
        let headers = refs(&headers);
        let received = Received {
            method: text(case, "method"),
            path: "/",
            query: &[],
            form: &[],
            headers: &headers,
            body: b"Tampered=1",
        };
        let c = claims(&received).expect("claims");
        let err = verify(&received, &c, text(case, "access_key_secret")).unwrap_err();
        assert!(matches!(err, SignatureError::PayloadHash { .. }), "{err:?}");
        assert_eq!(err.code(), "SignatureDoesNotMatch");
    }

    #[test]
    fn legacy_empty_signature_type_is_signed_like_any_param() {
        let mut params = vec![
            ("AccessKeyId", "id"),
            ("Action", "GetToken"),
            ("Format", "JSON"),
            ("RegionId", "cn-hangzhou"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "n-1"),
            ("SignatureType", ""),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2024-01-02T03:04:05Z"),
            ("Version", "2017-05-25"),
        ];
        let signed = v1::sign("GET", &params, "s");
        params.push(("Signature", &signed.signature));
        let decoded = parse_query(&v1::canonical_query(&params)).expect("decodes");
        let query = refs(&decoded);
        let received = Received {
            method: "GET",
            path: "/",
            query: &query,
            form: &[],
            headers: &[],
            body: b"",
        };
        let c = claims(&received).expect("claims");
        assert_eq!(verify(&received, &c, "s"), Ok(()));
        let without: Vec<(&str, &str)> = query
            .iter()
            .copied()
            .filter(|(k, _)| *k != "SignatureType")
            .collect();
        let received = Received {
            query: &without,
            ..received
        };
        assert!(matches!(
            verify(&received, &c, "s"),
            Err(SignatureError::Mismatch { .. })
        ));
    }

    #[test]
    fn claims_name_what_is_missing_or_wrong() {
        let base = [
            ("Signature", "x"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("AccessKeyId", "id"),
            ("Timestamp", "t"),
        ];
        fn received<'a>(query: &'a [(&'a str, &'a str)]) -> Received<'a> {
            Received {
                method: "GET",
                path: "/",
                query,
                form: &[],
                headers: &[],
                body: b"",
            }
        }
        assert_eq!(
            claims(&received(&base)),
            Err(ClaimError::Missing("SignatureNonce"))
        );
        let sha256 = [("Signature", "x"), ("SignatureMethod", "HMAC-SHA256")];
        let err = claims(&received(&sha256)).unwrap_err();
        assert_eq!(err.code(), "InvalidSignatureMethod");
        assert_eq!(claims(&received(&[("A", "1")])), Err(ClaimError::Unsigned));
        let headers = [("Authorization", "ACS3-HMAC-SHA256 Credential=id")];
        let bad = Received {
            headers: &headers,
            ..received(&[])
        };
        assert_eq!(claims(&bad).unwrap_err().code(), "IncompleteSignature");
    }

    #[test]
    fn common_params_are_sorted_for_binary_search() {
        assert!(COMMON_PARAMS.windows(2).all(|w| w[0] < w[1]));
        let mut expected: BTreeMap<&str, ()> = BTreeMap::new();
        expected.extend(COMMON_PARAMS.iter().map(|p| (*p, ())));
        assert!(expected.keys().all(|k| is_common_param(k)));
    }

    #[test]
    fn timestamps_skew_and_format() {
        let now = crate::calendar::parse_utc("2024-01-02T03:04:05Z").expect("valid");
        assert!(check_timestamp("2024-01-02T02:49:05Z", now, MAX_SKEW_SECS).is_ok());
        let err = check_timestamp("2024-01-02T02:49:04Z", now, MAX_SKEW_SECS).unwrap_err();
        assert_eq!(err.code(), "InvalidTimeStamp.Expired");
        assert!(err.to_string().contains("2024-01-02T03:04:05Z"));
        assert_eq!(
            check_timestamp("soon", now, 1).unwrap_err().code(),
            "InvalidTimeStamp.Format"
        );
    }
}
