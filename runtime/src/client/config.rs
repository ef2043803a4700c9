//! Where a client sends and how: [`Config`], the signature scheme, the clock and nonce source.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::decode::Format;
use crate::rate_limit::RateLimit;
use crate::retry::RetryPolicy;
use crate::sign;
use crate::validation::ValidationMode;

/// Which signature scheme a client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignatureVersion {
    /// RPC signature v1.0, HMAC-SHA1: the scheme the API reference documents.
    V1,
    /// V3, ACS3-HMAC-SHA256: the official SDKs' default today.
    #[default]
    V3,
}

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
