//! What goes over the wire and what can go wrong there: [`HttpRequest`], [`HttpResponse`], the
//! [`Transport`] trait and [`TransportError`] (which says whether the request may have been sent).

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use crate::sign::names::header;
use crate::sign::{self, v1, v3};

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
