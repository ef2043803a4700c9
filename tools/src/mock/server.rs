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
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming as Body;
use hyper::header::{CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, EXPECT, HeaderValue};
use hyper::http::request::Parts;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use popgen_runtime::conn::{Activity, Expiry, Slot, Slots, Watched};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use super::control;
use super::gateway::{Gateway, Incoming, Outcome, Reject, Summary, too_large};
use super::log;
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

/// Accepts connections until `shutdown` turns true; each connection ends then too (a stalled
/// one included).
pub(crate) async fn accept_loop(
    listener: TcpListener,
    gateway: Arc<Gateway>,
    mut shutdown: watch::Receiver<bool>,
) {
    let slots = Slots::new(gateway.config.max_connections, REFUSING);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                match accepted {
                    Ok((stream, peer)) => {
                        // Full, and busy refusing: close at once.
                        let Some(slot) = slots.take() else { continue };
                        let _ = stream.set_nodelay(true);
                        tokio::spawn(connection(stream, peer, Arc::clone(&gateway), shutdown.clone(), slot));
                    }
                    // Out of file descriptors or a reset before accept: back off briefly.
                    Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
                }
            }
            _ = shutdown.changed() => break,
        }
    }
}

/// Serves one connection until the client closes it, a timeout closes it, or the server shuts
/// down. The slot is freed when it ends.
async fn connection(
    stream: TcpStream,
    peer: std::net::SocketAddr,
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
    let io = TokioIo::new(Watched::new(stream, Arc::clone(&activity)));
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
    let tick = Activity::tick(header_timeout, idle_timeout);
    loop {
        tokio::select! {
            _ = conn.as_mut() => break,
            _ = shutdown.changed() => break,
            () = tokio::time::sleep(tick) => {
                if let Some(expiry) = activity.expired(header_timeout, idle_timeout) {
                    if expiry == Expiry::Header {
                        log::emit(&gateway.config.request_log, || format!(
                            "{} closed the connection from {peer}: no complete request headers within {} s",
                            log::time(gateway.clock.now_ms()),
                            header_timeout.as_secs_f64()
                        ));
                    }
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
    let started = Instant::now();
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
    let (outcome, summary) = gateway.refuse(&incoming(&parts, &[], 0), refusal);
    log_request(gateway, &summary, started);
    closing(answer(outcome).unwrap_or_else(|_| plain(StatusCode::SERVICE_UNAVAILABLE, "")))
}

/// The request as the gateway reads it; `body_bytes` is the body's size as it arrived (more than
/// `body` holds when it was not read).
fn incoming<'a>(parts: &'a Parts, body: &'a [u8], body_bytes: u64) -> Incoming<'a> {
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

/// The action a request names before its body is read: `x-acs-action` (V3), else `Action` in
/// the query (v1).
fn named_action(parts: &Parts) -> Option<&str> {
    if let Some(action) = parts.headers.get("x-acs-action") {
        return action.to_str().ok();
    }
    parts
        .uri
        .query()?
        .split('&')
        .find_map(|pair| pair.strip_prefix("Action="))
}

async fn serve_request(
    gateway: Arc<Gateway>,
    request: Request<Body>,
) -> Result<HttpResponse, Unanswered> {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let control = path == CONTROL_PREFIX || path.starts_with("/_mock/");
    let config = &gateway.config;
    let named = named_action(&parts);
    let limit = if control {
        config.max_body_bytes
    } else {
        gateway.body_limit(named)
    };
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    // A client that waits for `100 Continue` has sent nothing to drain.
    let drain = !parts
        .headers
        .get(EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    let timeout = config.body_timeout;
    let read = tokio::time::timeout(timeout, read_body(body, limit, declared, drain)).await;
    let refusal = match read {
        Ok(Read::Whole(body)) => {
            if control {
                let response =
                    control::handle(&gateway, &parts.method, path, parts.uri.query(), &body);
                log_control(&gateway, &parts, response.status(), started);
                return Ok(response);
            }
            return serve_api(&gateway, &parts, &body, started).await;
        }
        Ok(Read::TooLarge { bytes, whole }) => (bytes, too_large(named, bytes, whole, limit)),
        Ok(Read::Broken(error)) => (
            0,
            Reject::new(
                400,
                "InvalidParameter",
                format!("The request body could not be read: {error}."),
            ),
        ),
        Err(_) => (
            0,
            Reject::new(
                408,
                "RequestTimeout",
                format!(
                    "The request body did not arrive within {} s.",
                    timeout.as_secs_f64()
                ),
            ),
        ),
    };
    let (bytes, refusal) = refusal;
    if control {
        let status = StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::BAD_REQUEST);
        log_control(&gateway, &parts, status, started);
        return Ok(closing(control::error(status, &refusal.message)));
    }
    let (outcome, summary) = gateway.refuse(&incoming(&parts, &[], bytes), refusal);
    log_request(&gateway, &summary, started);
    answer(outcome).map(closing)
}

/// The request's log line, when the mock logs.
fn log_request(gateway: &Gateway, summary: &Summary, started: Instant) {
    log::emit(&gateway.config.request_log, || {
        log::request_line(summary, started.elapsed())
    });
}

/// A control request's log line, when the mock logs.
fn log_control(gateway: &Gateway, parts: &Parts, status: StatusCode, started: Instant) {
    log::emit(&gateway.config.request_log, || {
        log::control_line(
            gateway.clock.now_ms(),
            parts.method.as_str(),
            parts.uri.path(),
            status.as_u16(),
            started.elapsed(),
        )
    });
}

/// An API request whose body has arrived: the gateway's answer, after its delay or stall.
async fn serve_api(
    gateway: &Gateway,
    parts: &Parts,
    body: &[u8],
    started: Instant,
) -> Result<HttpResponse, Unanswered> {
    let (outcome, summary) = gateway.handle(&incoming(parts, body, body.len() as u64));
    if let Outcome::Answer {
        delay: Some(delay), ..
    } = &outcome
    {
        tokio::time::sleep(*delay).await;
    }
    if let Outcome::Stall(duration) = &outcome {
        tokio::time::sleep(*duration).await;
    }
    log_request(gateway, &summary, started);
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
        Outcome::Drop(fault) => Err(Unanswered(fault)),
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

/// Bytes of an oversize body read and thrown away before the refusal is answered, so that a
/// client still sending reads the answer rather than a reset connection.
const DRAIN_BYTES: u64 = 64 << 20;

/// What became of a request body.
#[derive(Debug)]
enum Read {
    /// All of it, within the limit.
    Whole(Bytes),
    /// Over the limit: `bytes` of it (all when `whole`, else at least that many), not kept.
    TooLarge { bytes: u64, whole: bool },
    /// It broke off or was malformed.
    Broken(String),
}

/// Reads the body if it is at most `limit` bytes. An oversize one is refused by its declared
/// `Content-Length` before a byte is read, or as soon as it passes the limit; then up to
/// [`DRAIN_BYTES`] more are read and dropped when `drain`.
async fn read_body(mut body: Body, limit: usize, declared: Option<u64>, drain: bool) -> Read {
    let limit_bytes = limit as u64;
    if let Some(bytes) = declared.filter(|&n| n > limit_bytes) {
        if drain {
            skip(&mut body, DRAIN_BYTES).await;
        }
        return Read::TooLarge { bytes, whole: true };
    }
    let capacity = declared.map_or(0, |n| usize::try_from(n).unwrap_or(limit).min(limit));
    let mut kept = Vec::with_capacity(capacity);
    loop {
        match body.frame().await {
            None => return Read::Whole(Bytes::from(kept)),
            Some(Err(e)) => return Read::Broken(e.to_string()),
            Some(Ok(frame)) => {
                let Ok(data) = frame.into_data() else {
                    continue;
                };
                if kept.len() + data.len() > limit {
                    let seen = (kept.len() + data.len()) as u64;
                    drop(kept);
                    let (more, whole) = if drain {
                        skip(&mut body, DRAIN_BYTES).await
                    } else {
                        (0, false)
                    };
                    return Read::TooLarge {
                        bytes: seen + more,
                        whole,
                    };
                }
                kept.extend_from_slice(&data);
            }
        }
    }
}

/// Reads and drops up to about `max` bytes of `body`: how many, and whether that was all of it.
async fn skip(body: &mut Body, max: u64) -> (u64, bool) {
    let mut read = 0;
    while read <= max {
        match body.frame().await {
            None => return (read, true),
            Some(Err(_)) => return (read, false),
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    read += data.len() as u64;
                }
            }
        }
    }
    (read, false)
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
