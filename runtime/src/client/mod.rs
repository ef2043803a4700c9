//! The client core every generated client wraps: validate a request, encode its params, sign it
//! (RPC v1 or V3), hand it to a [`Transport`], and decode the answer — a typed response, or an
//! [`ApiError`] whenever the body's `Code` is not the action's success code, whatever the HTTP
//! status.
//!
//! [`Client::prepare`] stops before sending: it is what a dry run prints and what tests inspect.
//! [`Client::call`] (the loop in `call.rs`, the policy in [`crate::retry`]) sends, with retries,
//! a deadline and optional rate limiting; [`Client::prepare_params`],
//! [`Client::prepare_explained`] and [`Client::call_params`] do the same for type-erased params
//! (a command line).
//!
//! The module is split where a reader looks: `config.rs` (where and how to send),
//! `transport.rs` (the wire and its failures), `error.rs`, `envelope.rs` (reading an answer),
//! `call.rs` (the call loop); `mod.rs` holds the client, its request shaping and signing.
//!
//! Params travel as the official SDKs send them, in the query string of `POST /?…` with an empty
//! body, unless the URL would exceed [`Config::max_url_len`]: then in an
//! `application/x-www-form-urlencoded` body (v1 signs every param wherever it travels; V3 signs
//! the body's hash and its `content-type`).

use std::fmt;
use std::sync::Arc;

use crate::action::ActionMeta;
use crate::credentials::Credentials;
use crate::params::RpcParams;
use crate::rate_limit::RateLimiter;
use crate::retry::RetryBudget;
use crate::sign::names::header;
use crate::sign::{self, v1, v3};
use crate::validation::Validate;

mod call;
mod config;
mod envelope;
mod error;
mod transport;

pub use config::{Config, DEFAULT_DEADLINE, DEFAULT_MAX_URL_LEN, Entropy, SignatureVersion};
pub(crate) use envelope::check_envelope;
pub use envelope::decode_response;
pub use error::{ApiError, Error, IdempotencyKey, OutcomeUnknown};
pub use transport::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};

/// The client core: configuration, credentials and a transport.
///
/// Clones share the retry budget and the rate limiter, so a program that clones one client into
/// many tasks paces and limits retries as one.
#[derive(Debug, Clone)]
pub struct Client<T> {
    pub(crate) transport: T,
    pub(crate) credentials: Credentials,
    /// HMAC states keyed with the secret, prepared once (keying costs two hash blocks).
    pub(crate) keys: Arc<SigningKeys>,
    pub(crate) config: Config,
    pub(crate) entropy: Entropy,
    pub(crate) budget: Arc<RetryBudget>,
    pub(crate) limiter: Arc<RateLimiter>,
}

/// Both schemes' HMAC keyed with the client's secret.
#[derive(Debug)]
pub(crate) struct SigningKeys {
    v1: v1::SigningKey,
    v3: v3::SigningKey,
}

impl SigningKeys {
    fn new(credentials: &Credentials) -> Self {
        let secret = credentials.access_key_secret.expose();
        SigningKeys {
            v1: v1::SigningKey::new(secret),
            v3: v3::SigningKey::new(secret),
        }
    }
}

/// The signing intermediates of a request: what to compare with the server's when it answers
/// `SignatureDoesNotMatch` (the server's error message quotes its string to sign).
///
/// An STS token is shown as [`sign::REDACTED`]; the string to sign (and for V3 the hash) are those
/// of the real request, so they still compare equal to the server's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Explain {
    /// RPC signature v1.0.
    V1 {
        /// Every signed param, sorted by key bytes, `enc(key)=enc(value)` joined by `&`.
        canonical_query: String,
        /// `POST&%2F&` + the canonical query encoded again.
        string_to_sign: String,
    },
    /// V3, `ACS3-HMAC-SHA256`.
    V3 {
        /// Method, path, canonical query, canonical headers, signed-header list and body hash,
        /// one per line.
        canonical_request: String,
        /// Hex SHA-256 of the canonical request (of the real one when a token is redacted).
        hashed_canonical_request: String,
        /// `ACS3-HMAC-SHA256\n` + the hashed canonical request.
        string_to_sign: String,
    },
}

impl Explain {
    /// The same texts with every occurrence of each of `secrets` replaced, in any encoding
    /// ([`crate::secret::redact_value`]): the STS token is already shown as [`sign::REDACTED`]
    /// where the signer put it; this is the net under that.
    pub fn redacted(&self, secrets: &[&str]) -> Explain {
        let r = |text: &str| {
            secrets.iter().fold(text.to_owned(), |text, secret| {
                crate::secret::redact_value(&text, secret)
            })
        };
        match self {
            Explain::V1 {
                canonical_query,
                string_to_sign,
            } => Explain::V1 {
                canonical_query: r(canonical_query),
                string_to_sign: r(string_to_sign),
            },
            Explain::V3 {
                canonical_request,
                hashed_canonical_request,
                string_to_sign,
            } => Explain::V3 {
                canonical_request: r(canonical_request),
                hashed_canonical_request: r(hashed_canonical_request),
                string_to_sign: r(string_to_sign),
            },
        }
    }
}

impl fmt::Display for Explain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Explain::V1 {
                canonical_query,
                string_to_sign,
            } => write!(
                f,
                "signature: RPC v1.0 (HMAC-SHA1)\ncanonical query:\n{canonical_query}\nstring to sign:\n{string_to_sign}"
            ),
            Explain::V3 {
                canonical_request,
                hashed_canonical_request,
                string_to_sign,
            } => write!(
                f,
                "signature: V3 (ACS3-HMAC-SHA256)\ncanonical request:\n{canonical_request}\n\
                 hashed canonical request:\n{hashed_canonical_request}\nstring to sign:\n{string_to_sign}"
            ),
        }
    }
}

impl<T> Client<T> {
    /// A client that sends through `transport`.
    pub fn new(transport: T, credentials: Credentials, config: Config) -> Self {
        Client {
            keys: Arc::new(SigningKeys::new(&credentials)),
            budget: Arc::new(RetryBudget::new(&config.retry)),
            limiter: Arc::new(RateLimiter::new(config.rate_limit)),
            transport,
            credentials,
            config,
            entropy: Entropy::default(),
        }
    }

    /// Replaces the clock and nonce source.
    #[must_use]
    pub fn with_entropy(mut self, entropy: Entropy) -> Self {
        self.entropy = entropy;
        self
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Validates, encodes and signs `request` without sending it.
    pub fn prepare<R: Validate + RpcParams>(
        &self,
        meta: &ActionMeta,
        request: &R,
    ) -> Result<HttpRequest, Error> {
        self.config
            .validation
            .apply(request)
            .map_err(Error::Validation)?;
        Ok(self.sign_params(meta, &request.to_params()))
    }

    /// Signs wire params (already validated by the caller, e.g. with a registry entry's
    /// `parse_params`) without sending them: the type-erased [`Client::prepare`].
    ///
    /// Fails only as `prepare` would; today it always succeeds.
    pub fn prepare_params(
        &self,
        meta: &ActionMeta,
        params: &[(String, String)],
    ) -> Result<HttpRequest, Error> {
        Ok(self.sign_params(meta, params))
    }

    /// [`Client::prepare_params`], also returning the signing intermediates a person needs to
    /// debug `SignatureDoesNotMatch`.
    ///
    /// ```
    /// use popgen_runtime::action::ActionMeta;
    /// use popgen_runtime::client::{Client, Config, Explain, SignatureVersion};
    /// use popgen_runtime::credentials::Credentials;
    ///
    /// const META: ActionMeta = ActionMeta {
    ///     name: "QueryCallDetailByCallId", success_code: "OK", side_effects: false,
    ///     qps_per_user: None, callee_limit: None, idempotency_param: None,
    /// };
    /// let mut config = Config::new("https://dyvmsapi.aliyuncs.com", "2017-05-25");
    /// config.signature = SignatureVersion::V1;
    /// let client = Client::new((), Credentials::new("LTAIexample", "secret"), config);
    /// let params = [("CallId".to_owned(), "116012354148^10281378****".to_owned())];
    /// let (request, explain) = client.prepare_explained(&META, &params).unwrap();
    /// let Explain::V1 { canonical_query, string_to_sign } = explain else { unreachable!() };
    /// assert!(canonical_query.starts_with("AccessKeyId=LTAIexample&Action=QueryCallDetailByCallId&CallId=116012354148%5E10281378%2A%2A%2A%2A&"));
    /// assert!(string_to_sign.starts_with("POST&%2F&AccessKeyId%3DLTAIexample"));
    /// assert!(request.url.contains(&canonical_query));
    /// ```
    pub fn prepare_explained(
        &self,
        meta: &ActionMeta,
        params: &[(String, String)],
    ) -> Result<(HttpRequest, Explain), Error> {
        let timestamp = sign::format_timestamp((self.entropy.now)());
        let nonce = (self.entropy.nonce)();
        Ok(match self.config.signature {
            SignatureVersion::V1 => {
                let (request, signed) = self.sign_v1(meta, params, &timestamp, &nonce);
                let explain = self.explain_v1(meta, params, &timestamp, &nonce, signed);
                (request, explain)
            }
            SignatureVersion::V3 => {
                let (request, signed) = self.sign_v3(meta, params, &timestamp, &nonce);
                (request, self.explain_v3(signed))
            }
        })
    }

    /// Signs `params` with a fresh timestamp and nonce: called once per attempt.
    pub(crate) fn sign_params<K: AsRef<str>, V: AsRef<str>>(
        &self,
        meta: &ActionMeta,
        params: &[(K, V)],
    ) -> HttpRequest {
        let timestamp = sign::format_timestamp((self.entropy.now)());
        let nonce = (self.entropy.nonce)();
        match self.config.signature {
            SignatureVersion::V1 => self.sign_v1(meta, params, &timestamp, &nonce).0,
            SignatureVersion::V3 => self.sign_v3(meta, params, &timestamp, &nonce).0,
        }
    }

    fn base_url(&self) -> &str {
        self.config.endpoint.trim_end_matches('/')
    }

    fn sign_v1<K: AsRef<str>, V: AsRef<str>>(
        &self,
        meta: &ActionMeta,
        params: &[(K, V)],
        timestamp: &str,
        nonce: &str,
    ) -> (HttpRequest, v1::Signed) {
        let common = self.v1_common(meta, timestamp, nonce);
        let all = v1::signed_params(params, &common);
        let signed = quietly(|| v1::sign_with("POST", &all, &self.keys.v1));
        // The query and the form body are the same text; only where it goes differs.
        let parts = v1::request_parts(&signed, v1::Placement::Query);
        let base = self.base_url();
        let request = if base.len() + 2 + parts.query.len() <= self.config.max_url_len {
            HttpRequest {
                method: "POST",
                url: format!("{base}/?{}", parts.query),
                headers: Vec::new(),
                body: String::new(),
            }
        } else {
            HttpRequest {
                method: "POST",
                url: format!("{base}/"),
                headers: vec![(
                    header::CONTENT_TYPE.to_owned(),
                    v1::FORM_CONTENT_TYPE.to_owned(),
                )],
                body: parts.query,
            }
        };
        (request, signed)
    }

    fn v1_common<'a>(
        &'a self,
        meta: &ActionMeta,
        timestamp: &'a str,
        nonce: &'a str,
    ) -> v1::CommonParams<'a> {
        v1::CommonParams {
            action: meta.name,
            version: self.config.version,
            format: self.config.format.as_param(),
            access_key_id: &self.credentials.access_key_id,
            security_token: self.credentials.security_token(),
            timestamp,
            signature_nonce: nonce,
        }
    }

    fn sign_v3<K: AsRef<str>, V: AsRef<str>>(
        &self,
        meta: &ActionMeta,
        params: &[(K, V)],
        timestamp: &str,
        nonce: &str,
    ) -> (HttpRequest, v3::Signed) {
        let format = ("Format", self.config.format.as_param());
        let base = self.base_url();
        let query_len: usize = params
            .iter()
            .map(|(k, v)| encoded_len(k.as_ref()) + encoded_len(v.as_ref()) + 2)
            .sum::<usize>()
            + format.0.len()
            + format.1.len()
            + 1;
        let in_body = base.len() + 2 + query_len > self.config.max_url_len;
        let mut query: Vec<(&str, &str)> = Vec::with_capacity(params.len() + 1);
        let body = if in_body {
            query.push(format);
            v3::form_body(params)
        } else {
            query.extend(params.iter().map(|(k, v)| (k.as_ref(), v.as_ref())));
            query.push(format);
            String::new()
        };
        let host = self
            .config
            .endpoint
            .split("://")
            .nth(1)
            .unwrap_or(&self.config.endpoint)
            .trim_end_matches('/');
        let header_values = v3::official_headers(&v3::HeaderInputs {
            host,
            action: meta.name,
            version: self.config.version,
            date: timestamp,
            nonce,
            access_key_id: &self.credentials.access_key_id,
            security_token: self.credentials.security_token(),
            user_agent: &self.config.user_agent,
            body: body.as_bytes(),
            form_body: in_body,
        });
        let header_refs: Vec<(&str, &str)> = header_values
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect();
        let request = v3::Request {
            method: "POST",
            path: "/",
            query: &query,
            headers: &header_refs,
            body: body.as_bytes(),
        };
        let mut signed =
            quietly(|| v3::sign_with(&request, &self.credentials.access_key_id, &self.keys.v3));
        let mut headers: Vec<(String, String)> = header_values
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        headers.push((
            header::AUTHORIZATION.to_owned(),
            std::mem::take(&mut signed.authorization),
        ));
        let request = HttpRequest {
            method: "POST",
            url: format!("{base}/?{}", signed.canonical_query),
            headers,
            body,
        };
        (request, signed)
    }

    fn explain_v1<K: AsRef<str>, V: AsRef<str>>(
        &self,
        meta: &ActionMeta,
        params: &[(K, V)],
        timestamp: &str,
        nonce: &str,
        signed: v1::Signed,
    ) -> Explain {
        if self.credentials.security_token().is_none() {
            return Explain::V1 {
                canonical_query: signed.canonical_query,
                string_to_sign: signed.string_to_sign,
            };
        }
        let mut common = self.v1_common(meta, timestamp, nonce);
        common.security_token = Some(sign::REDACTED);
        let all = v1::signed_params(params, &common);
        let canonical_query = v1::canonical_query(&all);
        Explain::V1 {
            string_to_sign: v1::string_to_sign("POST", &canonical_query),
            canonical_query,
        }
    }

    fn explain_v3(&self, signed: v3::Signed) -> Explain {
        let hashed_canonical_request = signed
            .string_to_sign
            .split_once('\n')
            .map(|(_, hash)| hash.to_owned())
            .unwrap_or_default();
        let canonical_request = match self.credentials.security_token() {
            // Only the header line carries the token; its value is the rest of that line.
            Some(token) => signed.canonical_request.replace(
                &format!("\n{}:{}\n", v3::SECURITY_TOKEN_HEADER, token.trim()),
                &format!("\n{}:{}\n", v3::SECURITY_TOKEN_HEADER, sign::REDACTED),
            ),
            None => signed.canonical_request,
        };
        Explain::V3 {
            canonical_request,
            hashed_canonical_request,
            string_to_sign: signed.string_to_sign,
        }
    }
}

/// Runs a signer with its TRACE events silenced: they carry the canonical query, and so every
/// param value (phone numbers included), which a client must not log. Costs one cached interest
/// check when TRACE is off. [`Client::prepare_explained`] gives the same texts on demand.
fn quietly<R>(sign: impl FnOnce() -> R) -> R {
    if tracing::enabled!(target: "popgen_runtime::sign::v1", tracing::Level::TRACE)
        || tracing::enabled!(target: "popgen_runtime::sign::v3", tracing::Level::TRACE)
    {
        tracing::dispatcher::with_default(&tracing::Dispatch::none(), sign)
    } else {
        sign()
    }
}

/// The length of `text` percent-encoded for signing (unreserved bytes stay, others take 3).
fn encoded_len(text: &str) -> usize {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                1
            } else {
                3
            }
        })
        .sum()
}
