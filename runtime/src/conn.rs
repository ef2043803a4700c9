//! Bounds on the connections of a server built on the runtime — the mock gateway and the
//! receipt receiver — written once, so that neither lets a client, careless or hostile, hold its
//! sockets or descriptors (feature `server`).
//!
//! - [`Slots`]: at most `max` connections are served at once. One beyond it still gets a
//!   [`Slot`] marked [`refused`](Slot::refused) — the server answers it "unavailable" and closes
//!   it — up to `refusing` such at once; past that [`Slots::take`] says no and the server closes
//!   the connection at once. The accept loop never waits.
//! - [`Activity`] and [`Watched`]: a stream that records when bytes come and go, and whether a
//!   request is being answered ([`Activity::begin`]), so a watchdog can close a connection whose
//!   request headers do not arrive within a header timeout (counted from the opening for its
//!   first request, from the request's first byte after that) or that stays idle between
//!   requests for longer than an idle timeout ([`Activity::expired`]). A request being answered
//!   is never timed out.
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//! use popgen_runtime::conn::{Activity, Expiry, Slots};
//!
//! let slots = Slots::new(1, 1);
//! let first = slots.take().expect("a slot");
//! assert!(!first.refused);
//! let second = slots.take().expect("a refusal");
//! assert!(second.refused);
//! assert!(slots.take().is_none(), "full, and busy refusing");
//! drop(first);
//! assert!(slots.take().is_some_and(|s| !s.refused), "a freed slot serves again");
//!
//! let activity = Arc::new(Activity::new());
//! assert_eq!(activity.expired(Duration::ZERO, Duration::from_secs(60)), Some(Expiry::Header));
//! let busy = activity.begin();
//! assert_eq!(activity.expired(Duration::ZERO, Duration::ZERO), None, "answering");
//! drop(busy);
//! assert_eq!(activity.expired(Duration::ZERO, Duration::ZERO), Some(Expiry::Idle));
//! ```

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The connection permits of a server: `max` served, `refusing` more answered "unavailable".
#[derive(Debug, Clone)]
pub struct Slots {
    served: Arc<Semaphore>,
    refusing: Arc<Semaphore>,
}

/// What an open connection holds; dropping it frees its place.
#[derive(Debug)]
pub struct Slot {
    _permit: OwnedSemaphorePermit,
    /// The server is full: answer this connection's request "unavailable" and close it.
    pub refused: bool,
}

impl Slots {
    /// Room for `max` connections served at once (at least one) and `refusing` refused ones.
    pub fn new(max: usize, refusing: usize) -> Self {
        Slots {
            served: Arc::new(Semaphore::new(max.clamp(1, Semaphore::MAX_PERMITS))),
            refusing: Arc::new(Semaphore::new(refusing.min(Semaphore::MAX_PERMITS))),
        }
    }

    /// A place for a new connection: served, else refused; `None` when even the refusals are
    /// full (close the connection without a word).
    pub fn take(&self) -> Option<Slot> {
        if let Ok(permit) = Arc::clone(&self.served).try_acquire_owned() {
            return Some(Slot {
                _permit: permit,
                refused: false,
            });
        }
        let permit = Arc::clone(&self.refusing).try_acquire_owned().ok()?;
        Some(Slot {
            _permit: permit,
            refused: true,
        })
    }
}

/// Stands for "no time" in [`Activity`]'s clocks.
const NEVER: u64 = u64::MAX;

/// What a connection's watchdog reads: whether a request is being answered, since when the
/// connection is idle, since when a request's head is arriving. Milliseconds since opening.
#[derive(Debug)]
pub struct Activity {
    opened: Instant,
    in_flight: AtomicU32,
    requests: AtomicU64,
    idle_since: AtomicU64,
    head_since: AtomicU64,
}

/// Why a watchdog closes a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// A request's headers did not arrive in time.
    Header,
    /// No request came on a kept-alive connection.
    Idle,
}

impl Default for Activity {
    fn default() -> Self {
        Activity::new()
    }
}

impl Activity {
    /// A connection opened now.
    pub fn new() -> Self {
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
    pub fn begin(self: &Arc<Self>) -> Busy {
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

    /// Whether the connection has outstayed `header` (a request's head arriving, or none yet
    /// on a new connection) or `idle` (between requests); `None` while a request is answered.
    pub fn expired(&self, header: Duration, idle: Duration) -> Option<Expiry> {
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

    /// How often a watchdog should ask [`Activity::expired`]: a quarter of the shorter timeout,
    /// between 5 ms and 1 s.
    pub fn tick(header: Duration, idle: Duration) -> Duration {
        (header.min(idle) / 4).clamp(Duration::from_millis(5), Duration::from_secs(1))
    }
}

/// A request being answered; dropping it makes the connection idle.
#[derive(Debug)]
pub struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.idle_since.store(self.0.now(), Ordering::Relaxed);
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A stream that tells its [`Activity`] when bytes come and go.
#[derive(Debug)]
pub struct Watched<S> {
    inner: S,
    activity: Arc<Activity>,
}

impl<S> Watched<S> {
    /// `inner`, reporting to `activity`.
    pub fn new(inner: S, activity: Arc<Activity>) -> Self {
        Watched { inner, activity }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
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

impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bytes_in_start_the_head_clock_and_bytes_out_the_idle_clock() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (client, server) = tokio::io::duplex(64);
        let activity = Arc::new(Activity::new());
        let mut watched = Watched::new(server, Arc::clone(&activity));
        let (mut client_read, mut client_write) = tokio::io::split(client);
        client_write.write_all(b"GET").await.unwrap();
        let mut buf = [0u8; 3];
        watched.read_exact(&mut buf).await.unwrap();
        // A head is arriving: only the header timeout applies, the idle one does not.
        assert_eq!(
            activity.expired(Duration::ZERO, Duration::from_secs(60)),
            Some(Expiry::Header)
        );
        assert_eq!(
            activity.expired(Duration::from_secs(60), Duration::ZERO),
            None
        );
        let busy = activity.begin();
        watched.write_all(b"200").await.unwrap();
        drop(busy);
        client_read.read_exact(&mut buf).await.unwrap();
        // Answered: now idle, with no head arriving.
        assert_eq!(
            activity.expired(Duration::from_secs(60), Duration::ZERO),
            Some(Expiry::Idle)
        );
        assert_eq!(
            activity.expired(Duration::ZERO, Duration::from_secs(60)),
            None
        );
    }

    #[test]
    fn ticks_stay_between_5_ms_and_a_second() {
        let s = Duration::from_secs;
        assert_eq!(Activity::tick(s(8), s(60)), s(1));
        assert_eq!(
            Activity::tick(Duration::ZERO, s(60)),
            Duration::from_millis(5)
        );
        assert_eq!(
            Activity::tick(Duration::from_millis(100), s(60)),
            Duration::from_millis(25)
        );
    }
}
