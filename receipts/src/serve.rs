//! A [`Receiver`] as a server of its own (what `dyvms receipts serve` runs): hyper 1 over
//! tokio, HTTP/1.1 with keep-alive, one task per connection, bounded by the same code as the
//! mock server (`popgen_runtime::conn`):
//!
//! - at most [`ServeConfig::max_connections`] are served at once; one more is answered 503
//!   (`{"code":503,...}`, `Connection: close`), up to [`REFUSING`] such at once; past that it
//!   is closed at once (the accept loop never waits);
//! - a request's headers must arrive within `header_timeout`, a kept-alive connection may stay
//!   idle for `idle_timeout`, a body must arrive within the receiver's body timeout. A request
//!   being answered (a push being committed) is never cut.
//!
//! On shutdown, connections finish the request they are answering (a push being committed is
//! committed and answered) for up to [`DRAIN`], then close.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CONNECTION, CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Response, StatusCode};
use hyper_util::rt::TokioIo;
use popgen_runtime::conn::{Activity, Slot, Slots, Watched};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::receiver::Receiver;

/// Connections answered 503 at once while the server is full; more are closed unanswered.
pub const REFUSING: usize = 16;

/// How long connections may finish their request after shutdown is asked.
pub const DRAIN: Duration = Duration::from_secs(10);

/// How the server bounds its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeConfig {
    /// Connections served at once.
    pub max_connections: usize,
    /// Time for a request's headers to arrive.
    pub header_timeout: Duration,
    /// Time a kept-alive connection may stay idle between requests.
    pub idle_timeout: Duration,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            max_connections: 256,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
        }
    }
}

/// Serves `receiver` on `listener` until `shutdown` completes; then lets each connection
/// finish its request for up to [`DRAIN`].
pub async fn serve(
    listener: TcpListener,
    receiver: Arc<Receiver>,
    config: ServeConfig,
    shutdown: impl Future<Output = ()>,
) {
    let (stop, stopped) = watch::channel(false);
    let slots = Slots::new(config.max_connections, REFUSING);
    let mut tasks = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    // Full, and busy refusing: close at once.
                    let Some(slot) = slots.take() else { continue };
                    let _ = stream.set_nodelay(true);
                    let receiver = Arc::clone(&receiver);
                    tasks.spawn(connection(stream, receiver, config, stopped.clone(), slot));
                    // Finished connections' results are not kept.
                    while tasks.try_join_next().is_some() {}
                }
                // Out of descriptors, or a reset before accept: back off briefly.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            () = &mut shutdown => break,
        }
    }
    let _ = stop.send(true);
    let _ = tokio::time::timeout(DRAIN + Duration::from_secs(1), async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
}

/// Serves one connection until the client closes it, a timeout closes it, or shutdown.
async fn connection(
    stream: TcpStream,
    receiver: Arc<Receiver>,
    config: ServeConfig,
    mut stop: watch::Receiver<bool>,
    slot: Slot,
) {
    let refused = slot.refused;
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched::new(stream, Arc::clone(&activity)));
    let service = {
        let activity = Arc::clone(&activity);
        service_fn(move |request| {
            let busy = activity.begin();
            let receiver = Arc::clone(&receiver);
            async move {
                let response = if refused {
                    full(config.max_connections)
                } else {
                    receiver.handle(request).await
                };
                drop(busy);
                Ok::<_, Infallible>(response)
            }
        })
    };
    let header_timeout = if refused {
        config.header_timeout.min(Duration::from_secs(2))
    } else {
        config.header_timeout
    };
    let conn = http1::Builder::new()
        .keep_alive(!refused)
        .serve_connection(io, service);
    tokio::pin!(conn);
    let tick = Activity::tick(header_timeout, config.idle_timeout);
    loop {
        tokio::select! {
            _ = conn.as_mut() => break,
            _ = stop.changed() => {
                conn.as_mut().graceful_shutdown();
                let _ = tokio::time::timeout(DRAIN, conn.as_mut()).await;
                break;
            }
            () = tokio::time::sleep(tick) => {
                if activity.expired(header_timeout, config.idle_timeout).is_some() {
                    break;
                }
            }
        }
    }
    drop(slot);
}

/// The answer of a connection beyond the limit.
fn full(limit: usize) -> Response<Full<Bytes>> {
    let body = serde_json::json!({
        "code": 503,
        "msg": format!("the receiver is serving its limit of {limit} connections; push again later"),
    });
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=utf-8"),
    );
    headers.insert(CONNECTION, HeaderValue::from_static("close"));
    response
}
