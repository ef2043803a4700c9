//! A builder for a client over HTTPS: aim it (endpoint, signature scheme, response format),
//! bound it (deadline, transport timeouts, retries, pacing), give it credentials or let it find
//! them, then [`build`](Builder::build).
//!
//! Generated crates start one with their endpoint and version filled in
//! (`dyvmsapi::Client::builder()`); [`Builder::new`] takes any [`Config`].
//!
//! ```
//! use popgen_runtime::builder::Builder;
//! use popgen_runtime::client::{Client, Config, SignatureVersion};
//! use popgen_runtime::credentials::Credentials;
//! use popgen_runtime::http::HttpTransport;
//!
//! let client: Client<HttpTransport> =
//!     Builder::new(Config::new("https://dyvmsapi.aliyuncs.com", "2017-05-25"))
//!         .endpoint("http://127.0.0.1:8080") // a mock server
//!         .signature(SignatureVersion::V1)
//!         .credentials(Credentials::new("LTAI-example", "example-secret"))
//!         .build()?;
//! assert_eq!(client.config().endpoint, "http://127.0.0.1:8080");
//! # Ok::<(), popgen_runtime::builder::BuildError>(())
//! ```

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use crate::client::{Client, Config, SignatureVersion};
use crate::credentials::{Credentials, CredentialsError, resolve_from_process};
use crate::decode::Format;
use crate::http::{HttpConfig, HttpSetupError, HttpTransport};
use crate::rate_limit::RateLimit;
use crate::retry::RetryPolicy;
use crate::validation::ValidationMode;

/// Builds a client over [`HttpTransport`]; `C` is what [`build`](Self::build) returns (the runtime
/// [`Client`], or a generated crate's client, which converts from it).
#[must_use = "a builder does nothing until `build` is called"]
pub struct Builder<C = Client<HttpTransport>> {
    config: Config,
    http: HttpConfig,
    credentials: Option<Credentials>,
    out: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for Builder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Credentials` redacts its secret in Debug.
        f.debug_struct("Builder")
            .field("config", &self.config)
            .field("http", &self.http)
            .field("credentials", &self.credentials)
            .finish()
    }
}

/// Why [`Builder::build`] could not make a client.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The endpoint is not an `http://` or `https://` URL with a host.
    #[error(
        "endpoint `{0}` is not a URL the client can send to: expected `https://HOST` or `http://HOST:PORT`"
    )]
    Endpoint(String),
    /// No credentials were given and none could be found.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// The HTTP client could not be set up.
    #[error(transparent)]
    Http(#[from] HttpSetupError),
}

impl<C: From<Client<HttpTransport>>> Builder<C> {
    /// A builder starting from `config` and [`HttpConfig::default`], with no credentials yet.
    pub fn new(config: Config) -> Self {
        Builder {
            config,
            http: HttpConfig::default(),
            credentials: None,
            out: PhantomData,
        }
    }

    /// Where requests go: a region's endpoint (`https://dyvmsapi.aliyuncs.com`) or a mock server
    /// (`http://127.0.0.1:PORT`).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.config.endpoint = url.into();
        self
    }

    /// The signature scheme (V3 by default, as Alibaba's current SDKs send).
    pub fn signature(mut self, version: SignatureVersion) -> Self {
        self.config.signature = version;
        self
    }

    /// The response format asked for (JSON by default).
    pub fn format(mut self, format: Format) -> Self {
        self.config.format = format;
        self
    }

    /// What to do with validation problems (refuse to send, by default).
    pub fn validation(mut self, mode: ValidationMode) -> Self {
        self.config.validation = mode;
        self
    }

    /// The total time a call may take, attempts and backoff included; `None` for no limit.
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.config.deadline = deadline;
        self
    }

    /// When and how often to send a request again.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.config.retry = policy;
        self
    }

    /// Client-side pacing to each action's documented QPS.
    pub fn rate_limit(mut self, rate_limit: RateLimit) -> Self {
        self.config.rate_limit = rate_limit;
        self
    }

    /// The transport's timeouts and proxy settings.
    pub fn http(mut self, http: HttpConfig) -> Self {
        self.http = http;
        self
    }

    /// The credentials to sign with. Without this, [`build`](Self::build) looks for them as
    /// Alibaba's tools do ([`resolve_from_process`]: environment, CLI profile, credentials file).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The configuration so far, for anything the builder has no method for.
    pub fn config_mut(&mut self) -> &mut Config {
        &mut self.config
    }

    /// The client: checks the endpoint, finds credentials if none were given, sets up the HTTP
    /// transport.
    pub fn build(self) -> Result<C, BuildError> {
        check_endpoint(&self.config.endpoint)?;
        let credentials = match self.credentials {
            Some(c) => c,
            None => resolve_from_process()?.credentials,
        };
        let transport = HttpTransport::new(&self.http)?;
        Ok(C::from(Client::new(transport, credentials, self.config)))
    }
}

fn check_endpoint(url: &str) -> Result<(), BuildError> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or_default());
    match host {
        Some(h) if !h.is_empty() && !h.starts_with(':') && !h.contains(char::is_whitespace) => {
            Ok(())
        }
        _ => Err(BuildError::Endpoint(url.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder() -> Builder {
        Builder::new(Config::new("https://example.aliyuncs.com", "2017-05-25"))
            .credentials(Credentials::new("id", "s3cr3t-value"))
    }

    #[test]
    fn builds_with_what_it_was_given() {
        let client = builder()
            .endpoint("http://127.0.0.1:9")
            .signature(SignatureVersion::V1)
            .format(Format::Xml)
            .validation(ValidationMode::Warn)
            .deadline(None)
            .build()
            .expect("builds");
        let c = client.config();
        assert_eq!(c.endpoint, "http://127.0.0.1:9");
        assert_eq!(c.signature, SignatureVersion::V1);
        assert_eq!(c.format, Format::Xml);
        assert_eq!(c.validation, ValidationMode::Warn);
        assert_eq!(c.deadline, None);
    }

    #[test]
    fn refuses_endpoints_it_cannot_send_to() {
        for bad in [
            "",
            "dyvmsapi.aliyuncs.com",
            "ftp://host",
            "https://",
            "http://:80",
            "https:// host",
        ] {
            let err = builder().endpoint(bad).build().unwrap_err();
            assert!(matches!(err, BuildError::Endpoint(_)), "{bad}: {err}");
            assert!(err.to_string().contains(&format!("`{bad}`")), "{err}");
        }
        for good in [
            "https://h",
            "http://127.0.0.1:8080/",
            "https://h.example.com?x",
        ] {
            assert!(builder().endpoint(good).build().is_ok(), "{good}");
        }
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let text = format!("{:?}", builder());
        assert!(!text.contains("s3cr3t-value"), "{text}");
        assert!(text.contains("Builder"), "{text}");
    }
}
