//! The HTTP layer: hyper 1 over tokio, HTTP/1.1 with keep-alive, one task per connection. It
//! hands API requests to the [`Gateway`] and carries out what it decides (including delays,
//! stalls and dropped connections); `/_mock/*` goes to [`super::control`].
//!
//! Connections are bounded in number and in time, so that no client, careless or hostile, can
//! hold the server's sockets or descriptors:
//!
//! - at most [`MockConfig::max_connections`](super::MockConfig::max_connections) are served at
//!   once. A connection beyond it is still accepted (the accept loop never waits) and its request
//!   answered `ServiceUnavailable` (HTTP 503, `Connection: close`), up to [`REFUSING`] such at
//!   once; past that it is closed at once;
//! - a client must send a request's headers within `header_timeout` (counted from the
//!   connection's opening for its first request, from the request's first byte after that), may
//!   stay idle between requests for `idle_timeout`, and must send a body within `body_timeout`
//!   (else `RequestTimeout`, HTTP 408). A request being answered (a delay or stall fault
//!   included) is never timed out.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming as Body;
use hyper::header::{CONNECTION, CONTENT_TYPE, HeaderValue};
use hyper::http::request::Parts;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

use super::control;
use super::gateway::{Gateway, Incoming, Outcome, Reject};
use super::render::content_type;

/// The reserved path prefix of the control endpoints.
pub(crate) const CONTROL_PREFIX: &str = "/_mock";

/// Connections answered `ServiceUnavailable` at once while the server is full; more are closed
/// without an answer.
pub(crate) const REFUSING: usize = 16;

/// A refused connection gets at most this long to send its request.
const REFUSAL_TIMEOUT: Duration = Duration::from_secs(2);

/// Why a connection was closed without an answer: a drop or stall fault.
#[derive(Debug, thiserror::Error)]
#[error("connection closed without an answer by an injected `{0}` fault")]
pub(crate) struct Unanswered(&'static str);

/// Every answer's body: a whole buffer, or the journal streamed.
pub(crate) type HttpBody = BoxBody<Bytes, Infallible>;

pub(crate) type HttpResponse = Response<HttpBody>;

/// A body of `bytes`.
pub(crate) fn full(bytes: impl Into<Bytes>) -> HttpBody {
    Full::new(bytes.into()).boxed()
}

/// What a connection holds while it is open: one of the `max_connections` permits, or one of
/// the [`REFUSING`] ones (`refused`).
#[derive(Debug)]
struct Slot {
    _permit: OwnedSemaphorePermit,
    refused: bool,
}

/// Accepts connections until `shutdown` turns true; each connection ends then too (a stalled
/// one included).
pub(crate) async fn accept_loop(
    listener: TcpListener,
    gateway: Arc<Gateway>,
    mut shutdown: watch::Receiver<bool>,
) {
    let served = Arc::new(Semaphore::new(
        gateway
            .config
            .max_connections
            .clamp(1, Semaphore::MAX_PERMITS),
    ));
    let refusing = Arc::new(Semaphore::new(REFUSING));
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                match accepted {
                    Ok((stream, _)) => {
                        let slot = match Arc::clone(&served).try_acquire_owned() {
                            Ok(permit) => Slot { _permit: permit, refused: false },
                            Err(_) => match Arc::clone(&refusing).try_acquire_owned() {
                                Ok(permit) => Slot { _permit: permit, refused: true },
                                // Full, and busy refusing: close at once.
                                Err(_) => continue,
                            },
                        };
                        let _ = stream.set_nodelay(true);
                        tokio::spawn(connection(stream, Arc::clone(&gateway), shutdown.clone(), slot));
                    }
                    // Out of file descriptors or a reset before accept: back off briefly.
                    Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
                }
            }
            _ = shutdown.changed() => break,
        }
    }
}

/// Stands for "no time" in [`Activity`]'s clocks.
const NEVER: u64 = u64::MAX;

/// What a connection's watchdog reads: whether a request is being answered, since when the
/// connection is idle, since when a request's head is arriving. Milliseconds since opening.
#[derive(Debug)]
struct Activity {
    opened: Instant,
    in_flight: AtomicU32,
    requests: AtomicU64,
    idle_since: AtomicU64,
    head_since: AtomicU64,
}

/// Why a connection was closed by its watchdog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expiry {
    /// A request's headers did not arrive in time.
    Header,
    /// No request came on a kept-alive connection.
    Idle,
}

impl Activity {
    fn new() -> Self {
        Activity {
            opened: Instant::now(),
            in_flight: AtomicU32::new(0),
            requests: AtomicU64::new(0),
            idle_since: AtomicU64::new(0),
            head_since: AtomicU64::new(NEVER),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(NEVER - 1)
    }

    /// A request's head arrived: it is being answered until the guard drops.
    fn begin(self: &Arc<Self>) -> Busy {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.head_since.store(NEVER, Ordering::Relaxed);
        Busy(Arc::clone(self))
    }

    /// Bytes arrived; between requests they start the next request's head.
    fn read(&self) {
        if self.in_flight.load(Ordering::Relaxed) == 0 {
            let _ = self.head_since.compare_exchange(
                NEVER,
                self.now(),
                Ordering::Relaxed,
                Ordering::Relaxed,
            );
        }
    }

    /// Bytes left; between requests (an answer being written) the idle time starts again.
    fn wrote(&self) {
        if self.in_flight.load(Ordering::Relaxed) == 0 {
            self.idle_since.store(self.now(), Ordering::Relaxed);
        }
    }

    /// Whether the connection has outstayed `header` or `idle`.
    fn expired(&self, header: Duration, idle: Duration) -> Option<Expiry> {
        if self.in_flight.load(Ordering::Relaxed) > 0 {
            return None;
        }
        let now = self.now();
        let ms = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(NEVER);
        let head = self.head_since.load(Ordering::Relaxed);
        if head != NEVER {
            return (now.saturating_sub(head) >= ms(header)).then_some(Expiry::Header);
        }
        if self.requests.load(Ordering::Relaxed) == 0 {
            // A client that opens a connection sends its request at once.
            return (now >= ms(header)).then_some(Expiry::Header);
        }
        let idle_since = self.idle_since.load(Ordering::Relaxed);
        (now.saturating_sub(idle_since) >= ms(idle)).then_some(Expiry::Idle)
    }
}

/// A request being answered; dropping it makes the connection idle.
#[derive(Debug)]
struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.idle_since.store(self.0.now(), Ordering::Relaxed);
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A TCP stream that tells its [`Activity`] when bytes come and go.
#[derive(Debug)]
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.activity.read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.wrote();
        }
        polled
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.wrote();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// Serves one connection until the client closes it, a timeout closes it, or the server shuts
/// down. The slot is freed when it ends.
async fn connection(
    stream: TcpStream,
    gateway: Arc<Gateway>,
    mut shutdown: watch::Receiver<bool>,
    slot: Slot,
) {
    let refused = slot.refused;
    let config = &gateway.config;
    let header_timeout = if refused {
        config.header_timeout.min(REFUSAL_TIMEOUT)
    } else {
        config.header_timeout
    };
    let idle_timeout = config.idle_timeout;
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: Arc::clone(&activity),
    });
    let service = {
        let gateway = Arc::clone(&gateway);
        let activity = Arc::clone(&activity);
        service_fn(move |request| {
            let busy = activity.begin();
            let gateway = Arc::clone(&gateway);
            async move {
                let answer = if refused {
                    Ok(refuse_full(&gateway, request))
                } else {
                    serve_request(gateway, request).await
                };
                drop(busy);
                answer
            }
        })
    };
    let conn = http1::Builder::new()
        .keep_alive(!refused)
        .serve_connection(io, service);
    tokio::pin!(conn);
    let tick = (header_timeout.min(idle_timeout) / 4)
        .clamp(Duration::from_millis(5), Duration::from_secs(1));
    loop {
        tokio::select! {
            _ = conn.as_mut() => break,
            _ = shutdown.changed() => break,
            () = tokio::time::sleep(tick) => {
                if activity.expired(header_timeout, idle_timeout).is_some() {
                    break;
                }
            }
        }
    }
    drop(slot);
}

/// The request of a connection over [`MockConfig::max_connections`](super::MockConfig):
/// `ServiceUnavailable`, and the connection closes.
fn refuse_full(gateway: &Gateway, request: Request<Body>) -> HttpResponse {
    let (parts, _) = request.into_parts();
    let limit = gateway.config.max_connections;
    let refusal = Reject::new(
        503,
        "ServiceUnavailable",
        format!(
            "The mock server is serving its limit of {limit} connections; retry when one closes \
             (idle connections close after {} s).",
            gateway.config.idle_timeout.as_secs()
        ),
    );
    let outcome = gateway.refuse(&incoming(&parts, &[]), refusal);
    closing(answer(outcome).unwrap_or_else(|_| plain(StatusCode::SERVICE_UNAVAILABLE, "")))
}

/// The request as the gateway reads it.
fn incoming<'a>(parts: &'a Parts, body: &'a [u8]) -> Incoming<'a> {
    let body_bytes = body.len() as u64;
    Incoming {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or(""),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), std::str::from_utf8(v.as_bytes()).unwrap_or("")))
            .collect(),
        body,
        body_bytes,
    }
}

async fn serve_request(
    gateway: Arc<Gateway>,
    request: Request<Body>,
) -> Result<HttpResponse, Unanswered> {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let timeout = gateway.config.body_timeout;
    let read = tokio::time::timeout(timeout, read_body(body, gateway.config.max_body_bytes)).await;
    let body = match read {
        Ok(Ok(body)) => body,
        Ok(Err(response)) => return Ok(closing(response)),
        Err(_) => {
            let refusal = Reject::new(
                408,
                "RequestTimeout",
                format!(
                    "The request body did not arrive within {} s.",
                    timeout.as_secs_f64()
                ),
            );
            return answer(gateway.refuse(&incoming(&parts, &[]), refusal)).map(closing);
        }
    };
    if path == CONTROL_PREFIX || path.starts_with("/_mock/") {
        return Ok(control::handle(
            &gateway,
            &parts.method,
            path,
            parts.uri.query(),
            &body,
        ));
    }
    let outcome = gateway.handle(&incoming(&parts, &body));
    if let Outcome::Answer {
        delay: Some(delay), ..
    } = &outcome
    {
        tokio::time::sleep(*delay).await;
    }
    if let Outcome::Stall(duration) = &outcome {
        tokio::time::sleep(*duration).await;
    }
    answer(outcome)
}

/// The HTTP answer of an outcome (its delay or stall already waited).
fn answer(outcome: Outcome) -> Result<HttpResponse, Unanswered> {
    match outcome {
        Outcome::Answer {
            status,
            format,
            body,
            request_id,
            ..
        } => {
            let mut response = Response::new(full(body));
            *response.status_mut() =
                StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
            let headers = response.headers_mut();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type(format)));
            if let Ok(id) = HeaderValue::from_str(&request_id) {
                headers.insert("x-acs-request-id", id);
            }
            Ok(response)
        }
        Outcome::Drop => Err(Unanswered("drop")),
        Outcome::Stall(_) => Err(Unanswered("stall")),
    }
}

/// `response`, closing the connection after it.
fn closing(mut response: HttpResponse) -> HttpResponse {
    response
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The whole body, or a 413 answer when it is over `limit` bytes (400 when it breaks off).
async fn read_body(body: Body, limit: usize) -> Result<Bytes, HttpResponse> {
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) => {
            let too_large = e.is::<http_body_util::LengthLimitError>();
            let status = if too_large {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::BAD_REQUEST
            };
            Err(plain(status, &format!("request body not read: {e}")))
        }
    }
}

/// A short text answer for requests that never reach the gateway's checks.
pub(crate) fn plain(status: StatusCode, text: &str) -> HttpResponse {
    let mut response = Response::new(full(text.to_owned()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain;charset=utf-8"),
    );
    response
}
