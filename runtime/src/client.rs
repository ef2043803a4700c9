//! The client core every generated client wraps: validate a request, encode its params, sign it
//! (RPC v1 or V3), hand it to a [`Transport`], and decode the answer — a typed response, or an
//! [`ApiError`] whenever the body's `Code` is not the action's success code, whatever the HTTP
//! status.
//!
//! [`Client::prepare`] stops before sending: it is what a dry run prints and what tests inspect.
//! [`Client::call`] (in [`crate::retry`]) sends, with retries, a deadline and optional rate
//! limiting; [`Client::prepare_params`], [`Client::prepare_explained`] and
//! [`Client::call_params`] do the same for type-erased params (a command line).
//!
//! Params travel as the official SDKs send them, in the query string of `POST /?…` with an empty
//! body, unless the URL would exceed [`Config::max_url_len`]: then in an
//! `application/x-www-form-urlencoded` body (v1 signs every param wherever it travels; V3 signs
//! the body's hash and its `content-type`).

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::action::ActionMeta;
use crate::credentials::Credentials;
use crate::decode::{DecodeError, Format};
use crate::params::RpcParams;
use crate::rate_limit::{RateLimit, RateLimiter};
use crate::retry::{RetryBudget, RetryPolicy};
use crate::sign::names::header;
use crate::sign::{self, v1, v3};
use crate::validation::{Validate, ValidationErrors, ValidationMode};

/// Which signature scheme a client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignatureVersion {
    /// RPC signature v1.0, HMAC-SHA1: the scheme the API reference documents.
    V1,
    /// V3, ACS3-HMAC-SHA256: the official SDKs' default today.
    #[default]
    V3,
}

/// An HTTP request, ready to send.
///
/// Its `Debug` shows an STS token (the `x-acs-security-token` header, the `SecurityToken` param
/// in the query or a form body) as [`sign::REDACTED`]; [`HttpRequest::redacted`] is the request
/// to print.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The full URL, query string included.
    pub url: String,
    /// Headers, in the order they were produced.
    pub headers: Vec<(String, String)>,
    /// The body (empty when the params travel in the query).
    pub body: String,
}

impl HttpRequest {
    /// The request as it may be shown: the STS token replaced by [`sign::REDACTED`] where it
    /// travels (the `x-acs-security-token` header; the `SecurityToken` param of the query or a
    /// form body), then every remaining occurrence of each of `secrets`, in any encoding
    /// ([`crate::secret::redact_value`]). Done on the values, before anything is serialised, so
    /// no escaping (a JSON `\"`, a percent-encoded byte) can hide a token from it.
    ///
    /// ```
    /// use popgen_runtime::client::HttpRequest;
    /// let request = HttpRequest {
    ///     method: "POST",
    ///     url: "https://h/?Action=A&SecurityToken=my%22token".into(),
    ///     headers: vec![("x-acs-security-token".into(), "my\"token".into())],
    ///     body: String::new(),
    /// };
    /// let shown = request.redacted(&["my\"token"]);
    /// assert_eq!(shown.url, "https://h/?Action=A&SecurityToken=***");
    /// assert_eq!(shown.headers[0].1, "***");
    /// assert!(!format!("{request:?}").contains("token\\\""));
    /// ```
    pub fn redacted(&self, secrets: &[&str]) -> HttpRequest {
        let by_value = |text: String| {
            secrets.iter().fold(text, |text, secret| {
                crate::secret::redact_value(&text, secret)
            })
        };
        let url = match self.url.split_once('?') {
            Some((base, query)) => format!("{base}?{}", redact_token_param(query)),
            None => self.url.clone(),
        };
        let form = self.headers.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case(header::CONTENT_TYPE) && v.starts_with(v1::FORM_CONTENT_TYPE)
        });
        let body = if form {
            redact_token_param(&self.body)
        } else {
            self.body.clone()
        };
        HttpRequest {
            method: self.method,
            url: by_value(url),
            headers: self
                .headers
                .iter()
                .map(|(k, v)| {
                    let value = if k.trim().eq_ignore_ascii_case(v3::SECURITY_TOKEN_HEADER) {
                        sign::REDACTED.to_owned()
                    } else {
                        by_value(v.clone())
                    };
                    (k.clone(), value)
                })
                .collect(),
            body: by_value(body),
        }
    }
}

/// `Key=Value&...` with the `SecurityToken` param's value replaced by [`sign::REDACTED`].
fn redact_token_param(pairs: &str) -> String {
    let mut out = String::with_capacity(pairs.len());
    for (i, pair) in pairs.split('&').enumerate() {
        if i > 0 {
            out.push('&');
        }
        match pair.split_once('=') {
            Some((key, _)) if key == v1::SECURITY_TOKEN_PARAM => {
                out.push_str(key);
                out.push('=');
                out.push_str(sign::REDACTED);
            }
            _ => out.push_str(pair),
        }
    }
    out
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.redacted(&[]);
        f.debug_struct("HttpRequest")
            .field("method", &shown.method)
            .field("url", &shown.url)
            .field("headers", &shown.headers)
            .field("body", &shown.body)
            .finish()
    }
}

/// An HTTP response as the transport received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// The body text.
    pub body: String,
}

/// Why a request got no HTTP response, and whether it may have reached the service.
///
/// The distinction decides what a retry may do: a request that [was provably never
/// sent](TransportError::not_sent) can be sent again even when it has side effects; one that may
/// have been sent cannot, because the service may already have acted on it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct TransportError {
    /// What went wrong, and so whether the request may have been sent.
    pub kind: TransportErrorKind,
    /// Details for people (never the URL: its query carries param values and the STS token).
    pub message: String,
}

impl TransportError {
    /// A transport error of `kind`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
        }
    }

    /// Whether the request provably never left this machine, so that sending it again cannot
    /// make the service act twice.
    pub fn not_sent(&self) -> bool {
        self.kind.not_sent()
    }
}

/// The kinds of [`TransportError`], split by whether the request may have been sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransportErrorKind {
    /// The request could not be built (malformed URL or header). Never sent.
    InvalidRequest,
    /// No connection was made: the name did not resolve, the connection was refused or the TLS
    /// handshake failed. Never sent: request bytes are written only on an established connection.
    Connect,
    /// Connecting (DNS, TCP and TLS) took longer than the connect timeout. Never sent.
    ConnectTimeout,
    /// No complete answer came within the read timeout (or the call's deadline) after the
    /// request may have been written. Maybe sent.
    Timeout,
    /// The connection broke (reset, closed early, truncated answer) after the request may have
    /// been written. Maybe sent.
    Interrupted,
    /// An answer came with a success status (2xx), but its body is truncated or malformed, so
    /// it cannot say whether the service acted. The service received the request, and a success
    /// status says it probably acted on it. Sent.
    MalformedAnswer,
}

impl TransportErrorKind {
    /// Whether an error of this kind proves the request never left this machine.
    pub fn not_sent(self) -> bool {
        matches!(
            self,
            Self::InvalidRequest | Self::Connect | Self::ConnectTimeout
        )
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InvalidRequest => "invalid request, not sent",
            Self::Connect => "cannot connect, not sent",
            Self::ConnectTimeout => "connect timeout, not sent",
            Self::Timeout => "timed out, maybe sent",
            Self::Interrupted => "connection interrupted, maybe sent",
            Self::MalformedAnswer => "answered with success but the answer does not decode, sent",
        })
    }
}

/// Sends HTTP requests. `http::HttpTransport` sends them over reqwest (feature `http`, on by
/// default); tests use scripted fakes.
///
/// An implementation must classify its failures honestly (see [`TransportErrorKind`]): the
/// client resends an action with side effects only after an error that proves the request was
/// never sent.
pub trait Transport: Send + Sync {
    /// Sends `request` and returns the response, or why there is none.
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send;
}

impl<T: Transport> Transport for Arc<T> {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send {
        (**self).send(request)
    }
}

/// An error body of the API (business or gateway error).
#[derive(Debug, Clone, PartialEq, Eq, Default, thiserror::Error)]
#[error("{code}: {message} (RequestId {request_id}, HTTP {http_status})")]
pub struct ApiError {
    /// `Code`, exactly as sent (`isv.BUSINESS_LIMIT_CONTROL`, `Throttling.User`).
    pub code: String,
    /// `Message`.
    pub message: String,
    /// `RequestId`.
    pub request_id: String,
    /// `HostId`, when sent.
    pub host_id: Option<String>,
    /// `Recommend` (a troubleshooting link), when sent.
    pub recommend: Option<String>,
    /// The HTTP status the error came with.
    pub http_status: u16,
}

/// Everything a call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request broke the spec's constraints; nothing was sent.
    #[error("invalid request, nothing was sent:\n{0}")]
    Validation(ValidationErrors),
    /// No response, after every retry the policy allowed. For an action with side effects this
    /// is always an error that proves the request was never sent (otherwise the call fails with
    /// [`Error::OutcomeUnknown`]).
    #[error("transport: {0}")]
    Transport(TransportError),
    /// An action with side effects may have reached the service, but no answer came (a timeout
    /// or a dropped connection after the request may have been written), or a success status
    /// came with a truncated or malformed body ([`TransportErrorKind::MalformedAnswer`]: then it
    /// probably took effect). The client does not send it again: find out whether it took effect
    /// (by its `OutId`, a query action or the receipts) before sending it again.
    #[error("{0}")]
    OutcomeUnknown(Box<OutcomeUnknown>),
    /// The call's deadline ([`Config::deadline`]) passed before an answer came, for an action
    /// without side effects (or before an action with side effects was sent at all).
    #[error("{action}: no answer within the deadline of {deadline:?} ({attempts} attempt(s))")]
    DeadlineExceeded {
        /// The action called.
        action: &'static str,
        /// How many attempts were sent.
        attempts: u32,
        /// The deadline that passed.
        deadline: Duration,
    },
    /// The service answered with an error `Code`.
    #[error("API error {0}")]
    Api(Box<ApiError>),
    /// The body could not be decoded.
    #[error("cannot decode the response (HTTP {status}): {error}")]
    Decode {
        /// HTTP status.
        status: u16,
        /// What went wrong, and where.
        error: DecodeError,
    },
}

/// The caller's own ID of a request, in the param the action declares for it
/// ([`ActionMeta::idempotency_param`](crate::action::ActionMeta::idempotency_param)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    /// The param's wire name (`OutId`).
    pub param: &'static str,
    /// The value the request carried.
    pub value: String,
}

/// What [`Error::OutcomeUnknown`] knows about a request that may or may not have taken effect.
///
/// Its message says what happened, that the request was not sent again, and the idempotency key
/// (`OutId`) to look it up by; after a success status with an unreadable body
/// ([`TransportErrorKind::MalformedAnswer`]) it says the request probably took effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeUnknown {
    /// The action called.
    pub action: &'static str,
    /// The request's idempotency param (`OutId`), when the action has one and the request set it:
    /// the caller's own ID, to look the call up by.
    pub idempotency_key: Option<IdempotencyKey>,
    /// How many attempts were made (the earlier ones provably never sent).
    pub attempts: u32,
    /// What happened to the last attempt.
    pub cause: TransportError,
}

impl OutcomeUnknown {
    /// Whether the service answered with a success status whose body did not decode: the
    /// request reached it and probably took effect (for a call-placing action, the call was
    /// probably placed).
    pub fn probably_took_effect(&self) -> bool {
        self.cause.kind == TransportErrorKind::MalformedAnswer
    }
}

impl fmt::Display for OutcomeUnknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let action = self.action;
        if self.probably_took_effect() {
            write!(
                f,
                "{action}: the service answered with success, so the request probably took effect \
                 (a call placed, a message sent), but the answer is truncated or malformed ({}); \
                 not sent again, check whether it took effect before sending it again",
                self.cause.message
            )?;
        } else {
            write!(
                f,
                "{action}: outcome unknown after {} attempt(s), the request may have reached the \
                 service ({}); not sent again, check whether it took effect",
                self.attempts, self.cause
            )?;
        }
        if let Some(key) = &self.idempotency_key {
            write!(f, " ({} {})", key.param, key.value)?;
        }
        Ok(())
    }
}

impl std::error::Error for OutcomeUnknown {}

/// Above this URL length (bytes), params travel in a form body instead of the query string:
/// 8 KiB, the smallest request-line limit of common servers and proxies (nginx's default
/// `large_client_header_buffers` is 8 KiB), and far above what a typical request needs, so
/// requests look like the official SDK's (params in the query) unless they cannot.
pub const DEFAULT_MAX_URL_LEN: usize = 8 * 1024;

/// The default total deadline of a call, attempts and backoff sleeps included.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(30);

/// Where to send requests and how.
///
/// Build one with [`Config::new`] and adjust the fields (generated clients offer
/// `default_config()` with their endpoint and version filled in).
#[derive(Debug, Clone)]
pub struct Config {
    /// Base URL, `https://dyvmsapi.aliyuncs.com` by default for Dyvmsapi; `http://127.0.0.1:PORT`
    /// for a mock server.
    pub endpoint: String,
    /// The API version, sent as `Version` / `x-acs-version`.
    pub version: &'static str,
    /// Signature scheme.
    pub signature: SignatureVersion,
    /// Response format asked for.
    pub format: Format,
    /// What to do with validation problems.
    pub validation: ValidationMode,
    /// `user-agent` (V3 signs it).
    pub user_agent: String,
    /// When and how often to send a request again.
    pub retry: RetryPolicy,
    /// The total time a call may take, every attempt and backoff sleep included; `None` for no
    /// limit (each attempt is still bounded by the transport's timeouts). Enforced with tokio's
    /// timer, so only inside a tokio runtime.
    pub deadline: Option<Duration>,
    /// Client-side pacing to each action's documented QPS (off by default).
    pub rate_limit: RateLimit,
    /// Longest URL sent; a request whose params would make the URL longer sends them in an
    /// `application/x-www-form-urlencoded` body instead. See [`DEFAULT_MAX_URL_LEN`].
    pub max_url_len: usize,
}

impl Config {
    /// A configuration for `endpoint` and API `version` with the defaults: V3 signatures, JSON,
    /// validation enforced, [`RetryPolicy::default`], a [`DEFAULT_DEADLINE`], no rate limiting,
    /// and [`DEFAULT_MAX_URL_LEN`].
    ///
    /// ```
    /// use popgen_runtime::client::Config;
    /// let config = Config::new("https://dyvmsapi.aliyuncs.com", "2017-05-25");
    /// assert!(config.retry.enabled && !config.rate_limit.enabled);
    /// ```
    pub fn new(endpoint: impl Into<String>, version: &'static str) -> Self {
        Config {
            endpoint: endpoint.into(),
            version,
            signature: SignatureVersion::default(),
            format: Format::default(),
            validation: ValidationMode::default(),
            user_agent: concat!("popgen/", env!("CARGO_PKG_VERSION")).to_owned(),
            retry: RetryPolicy::default(),
            deadline: Some(DEFAULT_DEADLINE),
            rate_limit: RateLimit::default(),
            max_url_len: DEFAULT_MAX_URL_LEN,
        }
    }
}

/// The clock and nonce source; replaceable so tests and dry runs are reproducible.
#[derive(Clone)]
pub struct Entropy {
    /// Current time, Unix seconds.
    pub now: Arc<dyn Fn() -> u64 + Send + Sync>,
    /// A fresh signature nonce.
    pub nonce: Arc<dyn Fn() -> String + Send + Sync>,
}

impl Default for Entropy {
    fn default() -> Self {
        Entropy {
            now: Arc::new(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs())
            }),
            nonce: Arc::new(sign::new_nonce),
        }
    }
}

impl fmt::Debug for Entropy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Entropy { .. }")
    }
}

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

/// Decodes a response: an [`ApiError`] when the body's `Code` is not `meta`'s success code (or
/// the status is an error and the body says nothing), otherwise the typed body.
///
/// Never panics: a body that is not JSON (or XML), is empty or does not fit `Resp` is an
/// [`Error::Decode`].
pub fn decode_response<Resp: DeserializeOwned>(
    meta: &ActionMeta,
    format: Format,
    response: &HttpResponse,
) -> Result<Resp, Error> {
    check_envelope(meta, format, response)?;
    crate::decode::decode_body(format, &response.body).map_err(|error| Error::Decode {
        status: response.status,
        error,
    })
}

/// Reads the envelope (`Code`, `Message`, `RequestId`...) of a response: `Ok` with the
/// `RequestId` when it is a success, the [`ApiError`] (or [`Error::Decode`]) otherwise.
pub(crate) fn check_envelope(
    meta: &ActionMeta,
    format: Format,
    response: &HttpResponse,
) -> Result<Option<String>, Error> {
    let envelope: Envelope =
        crate::decode::decode_body(format, &response.body).map_err(|error| Error::Decode {
            status: response.status,
            error,
        })?;
    let ok_status = (200..300).contains(&response.status);
    match envelope.code.as_deref() {
        Some(code) if code == meta.success_code => Ok(envelope.request_id),
        None if ok_status => Ok(envelope.request_id),
        code => Err(Error::Api(Box::new(ApiError {
            code: code.unwrap_or("HttpError").to_owned(),
            message: envelope.message.unwrap_or_default(),
            request_id: envelope.request_id.unwrap_or_default(),
            host_id: envelope.host_id,
            recommend: envelope.recommend,
            http_status: response.status,
        }))),
    }
}

/// The fields every body (success or error) may carry.
#[derive(serde::Deserialize)]
struct Envelope {
    #[serde(
        rename = "Code",
        default,
        deserialize_with = "crate::decode::option_string"
    )]
    code: Option<String>,
    #[serde(
        rename = "Message",
        default,
        deserialize_with = "crate::decode::option_string"
    )]
    message: Option<String>,
    #[serde(
        rename = "RequestId",
        default,
        deserialize_with = "crate::decode::option_string"
    )]
    request_id: Option<String>,
    #[serde(
        rename = "HostId",
        default,
        deserialize_with = "crate::decode::option_string"
    )]
    host_id: Option<String>,
    #[serde(
        rename = "Recommend",
        default,
        deserialize_with = "crate::decode::option_string"
    )]
    recommend: Option<String>,
}
