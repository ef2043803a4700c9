//! The client core every generated client wraps: validate a request, encode its params, sign it
//! (RPC v1 or V3), hand it to a [`Transport`], and decode the answer — a typed response, or an
//! [`ApiError`] whenever the body's `Code` is not the action's success code, whatever the HTTP
//! status.
//!
//! [`Client::prepare`] stops before sending: it is what a dry run prints and what tests inspect.

use std::future::Future;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::action::ActionMeta;
use crate::credentials::Credentials;
use crate::decode::{DecodeError, Format};
use crate::params::RpcParams;
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
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// An HTTP response as the transport received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// The body text.
    pub body: String,
}

/// Why a request got no HTTP response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TransportError {
    /// Whether the request provably never left this machine (DNS, connection refused): only then
    /// may an action with side effects be retried.
    pub not_sent: bool,
    /// What happened.
    pub message: String,
}

/// Sends HTTP requests. The transport crate provides one over reqwest; tests use closures.
pub trait Transport: Send + Sync {
    /// Sends `request` and returns the response, or why there is none.
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send;
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
    /// No response.
    #[error("transport: {0}")]
    Transport(TransportError),
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

/// Where to send requests and how.
#[derive(Debug, Clone)]
pub struct Config {
    /// Base URL, `https://dyvmsapi.aliyuncs.com` by default for Dyvmsapi.
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

impl std::fmt::Debug for Entropy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Entropy { .. }")
    }
}

/// The client core: configuration, credentials and a transport.
#[derive(Debug, Clone)]
pub struct Client<T> {
    transport: T,
    credentials: Credentials,
    config: Config,
    entropy: Entropy,
}

impl<T: Transport> Client<T> {
    /// A client that sends through `transport`.
    pub fn new(transport: T, credentials: Credentials, config: Config) -> Self {
        Client {
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
        let params = request.to_params();
        let timestamp = sign::format_timestamp((self.entropy.now)());
        let nonce = (self.entropy.nonce)();
        Ok(match self.config.signature {
            SignatureVersion::V1 => self.prepare_v1(meta, &params, &timestamp, &nonce),
            SignatureVersion::V3 => self.prepare_v3(meta, &params, &timestamp, &nonce),
        })
    }

    fn prepare_v1(
        &self,
        meta: &ActionMeta,
        params: &[crate::params::Pair<'_>],
        timestamp: &str,
        nonce: &str,
    ) -> HttpRequest {
        let common = v1::CommonParams {
            action: meta.name,
            version: self.config.version,
            format: self.config.format.as_param(),
            access_key_id: &self.credentials.access_key_id,
            security_token: self.credentials.security_token(),
            timestamp,
            signature_nonce: nonce,
        };
        let all = v1::signed_params(params, &common);
        let signed = v1::sign("POST", &all, self.credentials.access_key_secret.expose());
        let parts = v1::request_parts(&signed, v1::Placement::FormBody);
        let mut headers = Vec::new();
        if let Some(ct) = parts.content_type {
            headers.push(("content-type".to_owned(), ct.to_owned()));
        }
        let url = if parts.query.is_empty() {
            format!("{}/", self.config.endpoint.trim_end_matches('/'))
        } else {
            format!(
                "{}/?{}",
                self.config.endpoint.trim_end_matches('/'),
                parts.query
            )
        };
        HttpRequest {
            method: "POST",
            url,
            headers,
            body: parts.body,
        }
    }

    fn prepare_v3(
        &self,
        meta: &ActionMeta,
        params: &[crate::params::Pair<'_>],
        timestamp: &str,
        nonce: &str,
    ) -> HttpRequest {
        let mut query: Vec<(&str, &str)> = params
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
            .collect();
        let format = self.config.format.as_param();
        query.push(("Format", format));
        let body = v3::form_body(&[] as &[(&str, &str)]);
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
            form_body: false,
        });
        let header_refs: Vec<(&str, &str)> = header_values
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect();
        let signed = v3::sign(
            &v3::Request {
                method: "POST",
                path: "/",
                query: &query,
                headers: &header_refs,
                body: body.as_bytes(),
            },
            &self.credentials.access_key_id,
            self.credentials.access_key_secret.expose(),
        );
        let mut headers: Vec<(String, String)> = header_values
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        headers.push(("authorization".to_owned(), signed.authorization));
        HttpRequest {
            method: "POST",
            url: format!(
                "{}/?{}",
                self.config.endpoint.trim_end_matches('/'),
                signed.canonical_query
            ),
            headers,
            body,
        }
    }

    /// Validates, signs and sends `request`, then decodes the response.
    pub async fn call<R, Resp>(&self, meta: &ActionMeta, request: &R) -> Result<Resp, Error>
    where
        R: Validate + RpcParams,
        Resp: DeserializeOwned,
    {
        let http = self.prepare(meta, request)?;
        let response = self.transport.send(http).await.map_err(Error::Transport)?;
        decode_response(meta, self.config.format, &response)
    }
}

/// Decodes a response: an [`ApiError`] when the body's `Code` is not `meta`'s success code (or
/// the status is an error and the body says nothing), otherwise the typed body.
pub fn decode_response<Resp: DeserializeOwned>(
    meta: &ActionMeta,
    format: Format,
    response: &HttpResponse,
) -> Result<Resp, Error> {
    let decode_error = |error| Error::Decode {
        status: response.status,
        error,
    };
    let envelope: Envelope =
        crate::decode::decode_body(format, &response.body).map_err(decode_error)?;
    let ok_status = (200..300).contains(&response.status);
    match envelope.code.as_deref() {
        Some(code) if code == meta.success_code => {}
        None if ok_status => {}
        code => {
            return Err(Error::Api(Box::new(ApiError {
                code: code.unwrap_or("HttpError").to_owned(),
                message: envelope.message.unwrap_or_default(),
                request_id: envelope.request_id.unwrap_or_default(),
                host_id: envelope.host_id,
                recommend: envelope.recommend,
                http_status: response.status,
            })));
        }
    }
    crate::decode::decode_body(format, &response.body).map_err(decode_error)
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
