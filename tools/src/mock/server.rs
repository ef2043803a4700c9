//! The HTTP layer: hyper 1 over tokio, HTTP/1.1 with keep-alive, one task per connection. It
//! hands API requests to the [`Gateway`] and carries out what it decides (including delays,
//! stalls and dropped connections); `/_mock/*` goes to [`super::control`].

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming as Body;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::control;
use super::gateway::{Gateway, Incoming, Outcome};
use super::render::content_type;

/// The reserved path prefix of the control endpoints.
pub(crate) const CONTROL_PREFIX: &str = "/_mock";

/// Why a connection was closed without an answer: a drop or stall fault.
#[derive(Debug, thiserror::Error)]
#[error("connection closed without an answer by an injected `{0}` fault")]
pub(crate) struct Unanswered(&'static str);

pub(crate) type HttpResponse = Response<Full<Bytes>>;

/// Accepts connections until `shutdown` turns true; each connection ends then too (a stalled
/// one included).
pub(crate) async fn accept_loop(
    listener: TcpListener,
    gateway: Arc<Gateway>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                match accepted {
                    Ok((stream, _)) => {
                        let _ = stream.set_nodelay(true);
                        tokio::spawn(connection(stream, Arc::clone(&gateway), shutdown.clone()));
                    }
                    // Out of file descriptors or a reset before accept: back off briefly.
                    Err(_) => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
                }
            }
            _ = shutdown.changed() => break,
        }
    }
}

async fn connection(
    stream: tokio::net::TcpStream,
    gateway: Arc<Gateway>,
    mut shutdown: watch::Receiver<bool>,
) {
    let service = service_fn(move |request| serve_request(Arc::clone(&gateway), request));
    let conn = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = conn => {}
        _ = shutdown.changed() => {}
    }
}

async fn serve_request(
    gateway: Arc<Gateway>,
    request: Request<Body>,
) -> Result<HttpResponse, Unanswered> {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    if path == CONTROL_PREFIX || path.starts_with("/_mock/") {
        let body = read_body(body, gateway.config.max_body_bytes).await;
        return Ok(match body {
            Ok(body) => control::handle(&gateway, &parts.method, path, parts.uri.query(), &body),
            Err(response) => response,
        });
    }
    let body = match read_body(body, gateway.config.max_body_bytes).await {
        Ok(body) => body,
        Err(response) => return Ok(response),
    };
    let outcome = {
        let headers = parts
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), std::str::from_utf8(v.as_bytes()).unwrap_or("")))
            .collect();
        gateway.handle(&Incoming {
            method: parts.method.as_str(),
            path,
            query: parts.uri.query().unwrap_or(""),
            headers,
            body: &body,
        })
    };
    match outcome {
        Outcome::Answer {
            status,
            format,
            body,
            request_id,
            delay,
        } => {
            if let Some(delay) = delay {
                tokio::time::sleep(delay).await;
            }
            let mut response = Response::new(Full::new(Bytes::from(body)));
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
        Outcome::Stall(duration) => {
            tokio::time::sleep(duration).await;
            Err(Unanswered("stall"))
        }
    }
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
    let mut response = Response::new(Full::new(Bytes::from(text.to_owned())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain;charset=utf-8"),
    );
    response
}
