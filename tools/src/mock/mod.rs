//! The local mock server: every action of an [`Api`], checked like the real gateway.
//!
//! Point any client at it, ours or Alibaba's official SDKs: it accepts what they send (GET or
//! POST; params in the query, a form body, or both, merged; `+` or `%20` for a space; `Format` in
//! any case; the legacy SDK's empty `SignatureType=` and `RegionId`; booleans as `True`), and
//! checks, in the gateway's order (see the list in `gateway.rs`):
//!
//! - both signature schemes against the configured AccessKeys, recomputed from what arrived with
//!   [`popgen_runtime::sign::verify`] — RPC v1 (HMAC-SHA1, the `Signature*` params) and V3
//!   (`Authorization: ACS3-HMAC-SHA256 ...`, `x-acs-*` headers, `x-acs-content-sha256` must be
//!   the body's hash; `SignedHeaders` must list `host`, every `x-acs-*` header sent and, with a
//!   body, `content-type`, or the request is `IncompleteSignature`). A mismatch is `SignatureDoesNotMatch` (HTTP 400) whose message carries the
//!   server's string to sign (and, for V3, its canonical request), as the gateway's does;
//! - `InvalidAccessKeyId.NotFound`, `InvalidTimeStamp.Format`, `InvalidTimeStamp.Expired` (more
//!   than 15 minutes from the server clock), `SignatureNonceUsed` (nonces are remembered for 31
//!   minutes of server time, in bounded memory), `InvalidApi.NotFound` (404), `InvalidVersion`;
//! - the action's params, with the action's own generated validation
//!   ([`ActionEntry::parse_params`](popgen_runtime::registry::ActionEntry::parse_params), the same
//!   code the client runs): every violation, one per line, wire path first, in `Message`.
//!   `MissingParameter` when every problem is a missing required param, else `InvalidParameter`.
//!   Warnings never reject (they are journaled). Params the action does not have are rejected
//!   by default, to catch typos ([`MockConfig::reject_unknown_params`]);
//! - the per-user QPS of each action (`Throttling.User`, one-second windows of server time, per
//!   AccessKey ID) and the per-callee minute/hour/day limits (`isv.BUSINESS_LIMIT_CONTROL`,
//!   sliding windows per action and value of the callee param).
//!
//! Before any of these, the request's body must fit the action's limit: the largest its params
//! can be under the spec ([`ActionEntry::max_params_bytes`](popgen_runtime::registry::ActionEntry::max_params_bytes)),
//! a quarter more and 64 KiB for the common params, and at least [`MockConfig::max_body_bytes`]
//! (8 MiB), which is the limit of every action whose params the spec leaves unbounded. A larger
//! body is refused `RequestEntityTooLarge` (HTTP 413) in the request's format — by its
//! `Content-Length` before it is read when the query or `x-acs-action` names the action.
//!
//! Success is the action's `success_body` with a fresh `RequestId` (also sent as the
//! `x-acs-request-id` header). Errors carry `RequestId`, `HostId`, `Code`, `Message` and
//! `Recommend`.
//!
//! # Response format
//!
//! `Format` (any case) decides. Without it — V3 requests carry none — a request whose `Accept`
//! names JSON (the official V3 SDK sends `accept: application/json`) gets JSON, anything else
//! XML, the gateway's documented default. XML is rendered from the JSON body:
//! `<?xml version='1.0' encoding='UTF-8'?><{Action}Response>…</{Action}Response>` for success,
//! `<Error>…</Error>` for errors; an array repeats its element, as the gateway's XML does.
//!
//! # The clock
//!
//! Timestamps, nonce windows and rate limits read a [`MockClock`]: real time plus
//! [`MockConfig::clock_offset_ms`], which tests can set, advance or freeze.
//!
//! # Journal and faults
//!
//! Every API request is journaled ([`JournalEntry`]): sequence number, server time, method,
//! action, params (`SecurityToken` and the action's sensitive params as `***`), AccessKey ID,
//! nonce, signature scheme, answer `Code` and HTTP status, and the fault applied. The journal is
//! bounded in bytes ([`MockConfig::journal_bytes`], 64 MiB), not only in entries: an entry keeps
//! at most 16 KiB of params (a long value keeps its first KiB and its size, `…[N bytes]`), the
//! request body's full size and a `truncated` flag, and the oldest entries are evicted first. A [`Fault`]
//! makes an action (or all) answer an error, wait, stall, drop the connection or answer a
//! malformed body, for the next N requests or always; it applies after the signature, timestamp
//! and nonce checks, so the nonce is spent as at the real gateway.
//!
//! # Request log
//!
//! With [`MockConfig::request_log`] on (`dyvms mock` writes it on stderr unless `--quiet`), each
//! request gets a line: server time, action, the callee of an action with per-callee limits
//! (masked, `138****8000`), HTTP status and `Code` (or the fault that left it unanswered),
//! latency, and for `isv.BUSINESS_LIMIT_CONTROL` which window is full and when the callee frees:
//!
//! ```text
//! 2026-12-04T05:52:23.456Z SingleCallByTts callee=138****8000 400 isv.BUSINESS_LIMIT_CONTROL 0.9 ms: 1/min for this callee; frees at 2026-12-04T05:53:23Z (in 60 s)
//! ```
//!
//! No param value, signature, key or token is ever written; a connection closed for sending
//! incomplete headers gets a line too.
//!
//! # Limits
//!
//! Bodies are limited per action (above); the journal by bytes; connections in number
//! ([`MockConfig::max_connections`]: beyond it a request is answered `ServiceUnavailable`, 503)
//! and in time: headers within [`MockConfig::header_timeout`], idle keep-alive within
//! [`MockConfig::idle_timeout`], a body within [`MockConfig::body_timeout`] (else
//! `RequestTimeout`, 408). A request being answered, a delay or stall fault included, is never
//! cut off.
//!
//! # Receipts
//!
//! With [`MockConfig::receipts`] given a URL (`dyvms mock --receipt-url`), every call a
//! call-placing action accepts sends the receipts the service would: each message the action lists
//! whose spec says how it reports a call
//! ([`ReceiptEntry::call`](popgen_runtime::registry::ReceiptEntry::call)) — for Dyvmsapi a
//! VoiceCallReport per state, then one VoiceReport, and a VoiceRecordReport for an answered
//! SmartCall sent with `RecordFlag=true` (a message whose `call` section says `only_answered`,
//! listed by SmartCall with that condition) — with a fresh call ID (also in
//! the answer's `CallId` and the journal entry's `call_id`), the request's `OutId` and callee, and
//! an outcome drawn by [`OutcomeMix`] (answer rate, talk time, seed). Records fall due on the
//! mock's clock as the call unfolds and are POSTed as JSON arrays, at most
//! [`ReceiptConfig::max_batch`] per push; only HTTP 200 with `{"code": 0}` acknowledges them. A
//! failed push is made again [`RE_PUSH_AFTER_MS`] (1, 5, 10 minutes) after each failure, then given
//! up. The records held are bounded in count and bytes (a call that does not fit is dropped, with a
//! log entry); every push is logged ([`ReceiptPush`]). Nothing is sent for a refused request or one
//! a fault answered.
//!
//! # Control endpoints
//!
//! Everything a [`MockHandle`] does is also reachable over HTTP under the reserved path
//! `/_mock/`, for users in other languages. Bodies and answers are JSON.
//!
//! | endpoint | does |
//! |---|---|
//! | `GET /_mock/health` | `{"ok":true,"product":…,"version":…,"actions":N}` |
//! | `GET /_mock/journal?since=SEQ&action=NAME` | `{"dropped":N,"bytes":B,"budget_bytes":M,"entries":[JournalEntry…]}`: entries after `SEQ` (default 0), of `NAME` only if given, by `seq`; streamed, entry by entry |
//! | `DELETE /_mock/journal` | forgets the entries and frees their memory (sequence numbers go on) |
//! | `GET /_mock/receipts?since=SEQ` | the receipt push log after `SEQ` and the queue: [`ReceiptLog`]; 404 when the mock sends no receipts |
//! | `GET /_mock/faults` | the faults in force: `[{"id":1,"fault":{…},"remaining":2}]` |
//! | `POST /_mock/faults` | adds one [`Fault`] or a list: `{"action":"SingleCallByTts","times":1,"kind":"error","code":"ServiceUnavailable","status":503}`, `{"kind":"delay","ms":300}`, `{"kind":"stall","ms":5000}`, `{"kind":"drop"}`, `{"kind":"lost"}` (handled, a call placed, the answer never sent), `{"kind":"malformed"}`; answers `{"ids":[…]}` |
//! | `DELETE /_mock/faults` | removes every fault |
//! | `DELETE /_mock/faults/ID` | removes one |
//! | `GET /_mock/clock` | `{"now_ms":…,"offset_ms":…,"frozen":false}` |
//! | `POST /_mock/clock` | `{"set_ms":…}` or `{"set":"2030-01-01T00:00:00Z"}`, `{"advance_ms":61000}`, `{"freeze":true}`; any together, in that order; answers the new state |
//! | `POST /_mock/reset` | forgets nonces, rate-limit windows, journal, faults and receipts waiting or logged; the clock goes back to real time plus the configured offset |
//!
//! ```no_run
//! # async fn demo(api: &'static popgen_runtime::registry::Api) -> Result<(), popgen_tools::mock::MockError> {
//! use popgen_tools::mock::{Fault, MockConfig, MockServer};
//! let mock = MockServer::start(api, MockConfig::new("test-id", "test-secret")).await?;
//! mock.add_fault(Fault::error("ServiceUnavailable", 503).on("SingleCallByTts").times(1));
//! mock.clock().advance(std::time::Duration::from_secs(60));
//! println!("{} answered {} requests", mock.endpoint(), mock.journal().len());
//! mock.shutdown().await;
//! # Ok(()) }
//! ```

mod clock;
mod config;
mod control;
mod faults;
mod gateway;
mod journal;
mod limits;
mod log;
mod receipts;
mod render;
mod server;

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use popgen_runtime::registry::Api;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use clock::{ClockState, MockClock};
pub use config::{
    Credential, DEFAULT_JOURNAL_BYTES, DEFAULT_MAX_BODY_BYTES, MockArgs, MockConfig, RequestLog,
    default_max_connections,
};
pub use faults::{ActiveFault, Fault, FaultKind, MAX_STALL_MS};
pub use journal::{
    JournalEntry, JournalPage, JournalStats, MAX_ENTRY_BYTES, MAX_PARAMS_BYTES, MAX_VALUE_BYTES,
    MIN_JOURNAL_BYTES,
};
pub use receipts::outbox::{
    PUSH_LOG_CAPACITY, PushOutcome, RE_PUSH_AFTER_MS, ReceiptLog, ReceiptPush,
};
pub use receipts::push::MAX_IN_FLIGHT;
pub use receipts::{
    DEFAULT_MAX_BATCH, DEFAULT_QUEUE_BYTES, DEFAULT_QUEUE_RECORDS, MAX_BATCH_LIMIT, OutcomeMix,
    ReceiptConfig, ReceiptUrls,
};

use gateway::Gateway;

/// Why the mock server could not run.
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The async runtime could not start, or Ctrl-C could not be awaited.
    #[error("mock server runtime: {0}")]
    Runtime(std::io::Error),
    /// The configuration cannot be served (a receipt URL that does not parse or names no
    /// message of the API, an answer rate outside 0 to 1).
    #[error("{0}")]
    Config(String),
}

/// Starts mock servers.
#[derive(Debug, Clone, Copy)]
pub struct MockServer;

impl MockServer {
    /// Binds `config.listen` and serves `api` until the handle is shut down or dropped. Must be
    /// called within a tokio runtime (it spawns the accept loop there).
    pub async fn start(api: &'static Api, config: MockConfig) -> Result<MockHandle, MockError> {
        let addr = config.listen;
        let gateway = Arc::new(Gateway::new(api, config).map_err(MockError::Config)?);
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| MockError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| MockError::Bind { addr, source })?;
        let (shutdown, watching) = watch::channel(false);
        let pusher = gateway
            .receipts
            .is_some()
            .then(|| tokio::spawn(receipts::push::run(Arc::clone(&gateway), watching.clone())));
        let task = tokio::spawn(server::accept_loop(
            listener,
            Arc::clone(&gateway),
            watching,
        ));
        Ok(MockHandle {
            addr,
            gateway,
            shutdown,
            task: Some(task),
            pusher,
        })
    }
}

/// A running mock server. Dropping it stops the server (without waiting);
/// [`MockHandle::shutdown`] waits.
#[derive(Debug)]
pub struct MockHandle {
    addr: SocketAddr,
    gateway: Arc<Gateway>,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    pusher: Option<JoinHandle<()>>,
}

impl MockHandle {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`, the endpoint to give a client.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every journal entry kept, by `seq`.
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.gateway.journal.page(0, None).entries
    }

    /// Entries after `since`, of `action` only when given, and how many were evicted.
    pub fn journal_page(&self, since: u64, action: Option<&str>) -> JournalPage {
        self.gateway.journal.page(since, action)
    }

    /// The journal's size in entries and accounted bytes, its byte budget, and how many entries
    /// were evicted.
    pub fn journal_stats(&self) -> JournalStats {
        self.gateway.journal.stats()
    }

    /// Forgets the journal's entries and frees their memory (sequence numbers go on).
    pub fn clear_journal(&self) {
        self.gateway.journal.clear();
    }

    /// Adds a fault; returns its id.
    pub fn add_fault(&self, fault: Fault) -> u64 {
        self.gateway.faults.add(fault)
    }

    /// The faults in force.
    pub fn faults(&self) -> Vec<ActiveFault> {
        self.gateway.faults.list()
    }

    /// Removes fault `id`; whether it was in force.
    pub fn remove_fault(&self, id: u64) -> bool {
        self.gateway.faults.remove(id)
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.gateway.faults.clear();
    }

    /// The receipt push log after entry `since` (0: all kept) and the queue's state; `None`
    /// when the mock sends no receipts.
    pub fn receipts(&self, since: u64) -> Option<ReceiptLog> {
        self.gateway.receipts.as_ref().map(|r| r.outbox.page(since))
    }

    /// The server clock.
    pub fn clock(&self) -> &MockClock {
        &self.gateway.clock
    }

    /// Forgets nonces, rate-limit windows, journal and faults; the clock goes back to real
    /// time plus the configured offset.
    pub fn reset(&self) {
        self.gateway.reset();
    }

    /// Stops accepting, closes every connection (stalled ones included) and waits for the
    /// accept loop to end.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        if let Some(task) = self.pusher.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockHandle {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

/// `dyvms mock`: serves `api` as `args` say until Ctrl-C. The first line on stdout is
/// `mock listening on http://ADDR` (so a script that passed port 0 can read the port).
pub async fn serve(api: &'static Api, args: MockArgs) -> Result<(), MockError> {
    let config = args.config().map_err(MockError::Config)?;
    let logging = config.request_log.is_on();
    let handle = MockServer::start(api, config).await?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "mock listening on {}", handle.endpoint());
    let _ = writeln!(
        out,
        "serving {} {} ({}); control endpoints under {}/_mock/",
        api.product,
        api.version,
        crate::text::count(api.actions.len(), "action"),
        handle.endpoint()
    );
    if let Some(r) = &handle.gateway.receipts {
        // The URLs are not printed: one may carry a token.
        let sent: Vec<&str> = api
            .receipts
            .iter()
            .zip(&r.urls)
            .filter(|(e, url)| e.call.is_some() && url.is_some())
            .map(|(e, _)| e.name)
            .collect();
        let _ = writeln!(
            out,
            "placed calls send receipts ({}); what was pushed: {}/_mock/receipts",
            sent.join(", "),
            handle.endpoint()
        );
    }
    if logging {
        let _ = writeln!(
            out,
            "a line per request on stderr (time, action, callee masked, outcome, latency); --quiet turns it off"
        );
    }
    let _ = out.flush();
    drop(out);
    let waited = tokio::signal::ctrl_c().await;
    handle.shutdown().await;
    waited.map_err(MockError::Runtime)
}

/// [`serve`] on a fresh multi-threaded runtime, for a synchronous `main`: errors go to stderr
/// and the exit code says whether it ran.
pub fn run(api: &'static Api, args: MockArgs) -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(MockError::Runtime);
    match runtime.and_then(|rt| rt.block_on(serve(api, args))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
