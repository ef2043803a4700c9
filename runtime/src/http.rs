//! The HTTP [`Transport`]: reqwest over rustls (no OpenSSL), async on tokio (feature `http`).
//!
//! Failures are classified by what they prove (see [`TransportErrorKind`]): everything reqwest
//! reports as a connect error (DNS, refused, TLS handshake, the connect timeout) happened before a
//! byte of the request was written, so it is "not sent"; a timeout or a broken connection after
//! that is "maybe sent". Error messages never carry the URL, whose query holds the param values
//! and, with v1 signatures, the STS token.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use popgen_runtime::client::{Client, Config};
//! use popgen_runtime::credentials::Credentials;
//! use popgen_runtime::http::{HttpConfig, HttpTransport};
//!
//! let transport = HttpTransport::new(&HttpConfig::default())?;
//! let config = Config::new("https://dyvmsapi.aliyuncs.com", "2017-05-25");
//! let client = Client::new(transport, Credentials::new("LTAI...", "..."), config);
//! # let _ = client; Ok(()) }
//! ```

use std::error::Error as _;
use std::time::Duration;

use crate::client::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};

/// How the HTTP transport connects and waits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpConfig {
    /// Longest time to resolve, connect and finish the TLS handshake (5 s by default, as the
    /// official SDKs).
    pub connect_timeout: Duration,
    /// Longest time to wait for the answer once connecting has begun, and then between two reads
    /// of its body (10 s by default, as the official SDKs' read timeout).
    pub read_timeout: Duration,
    /// Whether to honour `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` from the environment (on by
    /// default).
    pub proxy_from_env: bool,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(10),
            proxy_from_env: true,
        }
    }
}

/// The HTTP client could not be set up (TLS backend, resolver).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot set up the HTTP client: {0}")]
pub struct HttpSetupError(String);

/// A [`Transport`] over reqwest with rustls. Cheap to clone (clones share connections).
#[derive(Debug, Clone)]
pub struct HttpTransport {
    client: reqwest::Client,
}

impl HttpTransport {
    /// A transport with `config`'s timeouts. Redirects are not followed (the gateway sends
    /// none, and a redirected POST would be a second request).
    pub fn new(config: &HttpConfig) -> Result<Self, HttpSetupError> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            .redirect(reqwest::redirect::Policy::none());
        if !config.proxy_from_env {
            builder = builder.no_proxy();
        }
        let client = builder
            .build()
            .map_err(|e| HttpSetupError(chain(&e.without_url())))?;
        Ok(HttpTransport { client })
    }

    async fn send_request(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let method = reqwest::Method::from_bytes(request.method.as_bytes()).map_err(|_| {
            TransportError::new(
                TransportErrorKind::InvalidRequest,
                format!("bad method {:?}", request.method),
            )
        })?;
        let mut builder = self.client.request(method, request.url.as_str());
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let built = builder.body(request.body).build().map_err(classify)?;
        let response = self.client.execute(built).await.map_err(classify)?;
        let status = response.status().as_u16();
        // A body that breaks off arrived from a service that received the request: "maybe sent"
        // (it may even have acted), whatever the error says.
        let body = response.bytes().await.map_err(|e| {
            let mut error = classify(e);
            if error.not_sent() {
                error.kind = TransportErrorKind::Interrupted;
            }
            error
        })?;
        Ok(HttpResponse {
            status,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }
}

impl Transport for HttpTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.send_request(request).await
    }
}

/// Sorts a reqwest error by what it proves about the request having been sent.
fn classify(error: reqwest::Error) -> TransportError {
    let kind = if error.is_builder() {
        TransportErrorKind::InvalidRequest
    } else if error.is_connect() {
        // reqwest's connect timeout wraps the whole connector (DNS, TCP, TLS), so a timeout
        // inside a connect error is the connect timeout.
        if error.is_timeout() {
            TransportErrorKind::ConnectTimeout
        } else {
            TransportErrorKind::Connect
        }
    } else if error.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Interrupted
    };
    TransportError::new(kind, chain(&error.without_url()))
}

/// The error and its sources, joined by `: ` (reqwest's own text names only the outermost).
fn chain(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let line = cause.to_string();
        if !text.ends_with(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        source = cause.source();
    }
    text
}
