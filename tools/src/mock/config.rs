//! What a mock server is started with: [`MockConfig`] for programs, [`MockArgs`] for the command
//! line (`dyvms mock ...`).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use popgen_runtime::secret::Secret;

use super::receipts::{
    DEFAULT_MAX_BATCH, DEFAULT_QUEUE_BYTES, DEFAULT_QUEUE_RECORDS, OutcomeMix, ReceiptConfig,
    ReceiptUrls,
};
use popgen_runtime::sign::verify::{MAX_SKEW_SECS, NONCE_WINDOW_SECS};

/// The default [`MockConfig::max_body_bytes`]: 8 MiB. The reference documents one large request,
/// UploadRobotTaskCalledFile's up to 300,000 called numbers per task (4.2 MB form-encoded with
/// 11-digit numbers, 5.4 MB with 15-digit E.164 ones); the spec states that count in prose only,
/// so it cannot be derived, and this default covers it with headroom.
pub const DEFAULT_MAX_BODY_BYTES: usize = 8 << 20;

/// The default [`MockConfig::journal_bytes`]: 64 MiB.
pub const DEFAULT_JOURNAL_BYTES: usize = 64 << 20;

/// An AccessKey pair the mock accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// The AccessKey ID.
    pub access_key_id: String,
    /// The AccessKey secret (never printed).
    pub access_key_secret: Secret,
}

/// How a mock server behaves. [`MockConfig::new`] gives the gateway's behaviour on
/// `127.0.0.1:0` (a free port).
#[derive(Debug, Clone)]
pub struct MockConfig {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The AccessKeys it accepts; any other ID is `InvalidAccessKeyId.NotFound`.
    pub credentials: Vec<Credential>,
    /// Milliseconds the server clock runs ahead of real time (behind when negative).
    pub clock_offset_ms: i64,
    /// Allowed distance between a request's timestamp and the server clock (15 minutes).
    pub max_skew: Duration,
    /// How long a spent nonce is refused (31 minutes).
    pub nonce_window: Duration,
    /// At most this many nonces are remembered (the oldest are forgotten first).
    pub max_nonces: usize,
    /// At most about this many journal entries are kept (the oldest are evicted first).
    pub journal_capacity: usize,
    /// At most this many bytes of journal entries are kept (64 MiB; at least
    /// [`MIN_JOURNAL_BYTES`](super::MIN_JOURNAL_BYTES)), the oldest evicted first. An
    /// entry costs at most 32 KiB, however large its request.
    pub journal_bytes: usize,
    /// Whether `meta.qps_per_user` is enforced (`Throttling.User`).
    pub enforce_qps: bool,
    /// Whether `meta.callee_limit` is enforced (`isv.BUSINESS_LIMIT_CONTROL`).
    pub enforce_callee_limits: bool,
    /// Whether a param the action does not have is an `InvalidParameter` (the default, to catch
    /// typos) or ignored, as the real gateway does.
    pub reject_unknown_params: bool,
    /// The largest request body accepted (8 MiB) from an action whose params the spec does not
    /// bound more widely; one it does accepts its largest params with headroom. Larger bodies are
    /// refused `RequestEntityTooLarge` (HTTP 413).
    pub max_body_bytes: usize,
    /// How long a client may take to send a request's headers: from the connection's opening for
    /// its first request, from the request's first byte after that (10 s). Then the connection
    /// is closed.
    pub header_timeout: Duration,
    /// How long a kept-alive connection may wait idle for its next request (120 s: longer than
    /// common client pools keep idle connections, reqwest's 90 s, so a client closes first).
    pub idle_timeout: Duration,
    /// How long a client may take to send a request's body once its headers arrived (30 s). Then
    /// the request is answered `RequestTimeout` (HTTP 408) and the connection closed.
    pub body_timeout: Duration,
    /// Connections served at once. Beyond it a new connection is answered `ServiceUnavailable`
    /// (HTTP 503, a few at a time) or closed at once, so the accept loop never stalls. The default
    /// is 1024, or less when the process may open fewer files ([`default_max_connections`]).
    pub max_connections: usize,
    /// Where a line per request goes (time, action, callee masked, outcome, latency): nowhere
    /// for programs by default; `dyvms mock` writes it on stderr unless `--quiet`.
    pub request_log: RequestLog,
    /// Whether and where the calls placed send receipts, and their outcomes (off by default).
    pub receipts: ReceiptConfig,
}

/// Where the mock's request log goes (see the line's format in `dyvms mock --help`'s module,
/// [`popgen_tools::mock`](super)).
#[derive(Clone, Default)]
pub enum RequestLog {
    /// No log.
    #[default]
    Off,
    /// A line per request on stderr.
    Stderr,
    /// Each line (without its newline) handed to a function: a test, a program's own logger.
    Each(Arc<dyn Fn(&str) + Send + Sync>),
}

impl RequestLog {
    /// Whether lines are written at all.
    pub fn is_on(&self) -> bool {
        !matches!(self, RequestLog::Off)
    }
}

impl std::fmt::Debug for RequestLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RequestLog::Off => "Off",
            RequestLog::Stderr => "Stderr",
            RequestLog::Each(_) => "Each(..)",
        })
    }
}

/// File descriptors kept free for everything but client connections (the listener, stdio, the
/// runtime's own) and for the connections refused while the mock is full.
const FD_RESERVE: usize = 48;

/// The default [`MockConfig::max_connections`]: 1024, but never so many that the connections
/// plus 48 kept in reserve exceed the soft limit on open files (`ulimit -n`, read from
/// `/proc/self/limits` on Linux), so that accepting never fails for lack of descriptors.
pub fn default_max_connections() -> usize {
    let limit = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|text| open_files_limit(&text));
    match limit {
        Some(files) => files.saturating_sub(FD_RESERVE).clamp(1, 1024),
        None => 1024,
    }
}

/// The soft "Max open files" of a `/proc/PID/limits` text.
fn open_files_limit(limits: &str) -> Option<usize> {
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    let soft = line["Max open files".len()..].split_whitespace().next()?;
    match soft {
        "unlimited" => Some(usize::MAX),
        n => n.parse().ok(),
    }
}

impl MockConfig {
    /// The gateway's behaviour with one AccessKey, on `127.0.0.1:0`.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<Secret>) -> Self {
        MockConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            credentials: vec![Credential {
                access_key_id: access_key_id.into(),
                access_key_secret: access_key_secret.into(),
            }],
            clock_offset_ms: 0,
            max_skew: Duration::from_secs(MAX_SKEW_SECS),
            nonce_window: Duration::from_secs(NONCE_WINDOW_SECS),
            max_nonces: 1_000_000,
            journal_capacity: 100_000,
            journal_bytes: DEFAULT_JOURNAL_BYTES,
            enforce_qps: true,
            enforce_callee_limits: true,
            reject_unknown_params: true,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(120),
            body_timeout: Duration::from_secs(30),
            max_connections: default_max_connections(),
            request_log: RequestLog::Off,
            receipts: ReceiptConfig::default(),
        }
    }
}

/// `dyvms mock`: serve every action of the API locally, checked like the real gateway.
#[derive(Debug, Clone, clap::Args)]
pub struct MockArgs {
    /// Address to listen on (port 0 picks a free port; the first line printed says which).
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// The AccessKey ID clients must sign with.
    #[arg(long, env = "POPGEN_MOCK_ACCESS_KEY_ID")]
    pub access_key_id: String,
    /// The AccessKey secret clients must sign with (prefer the environment variable: arguments
    /// are visible to other users of the machine).
    #[arg(
        long,
        env = "POPGEN_MOCK_ACCESS_KEY_SECRET",
        hide_env_values = true,
        value_parser = secret_arg
    )]
    pub access_key_secret: Secret,
    /// Seconds the server clock runs ahead of real time (negative: behind), to test skew.
    #[arg(long, default_value_t = 0, allow_hyphen_values = true)]
    pub clock_offset: i64,
    /// Allowed timestamp skew, in seconds.
    #[arg(long, default_value_t = MAX_SKEW_SECS)]
    pub max_skew: u64,
    /// Do not enforce the per-user QPS of each action.
    #[arg(long)]
    pub no_qps_limits: bool,
    /// Do not enforce the per-callee minute/hour/day limits.
    #[arg(long)]
    pub no_callee_limits: bool,
    /// Ignore params the action does not have, as the real gateway does (by default they are an
    /// `InvalidParameter`, to catch typos).
    #[arg(long)]
    pub allow_unknown_params: bool,
    /// Journal entries kept (the oldest are evicted first).
    #[arg(long, default_value_t = 100_000)]
    pub journal_capacity: usize,
    /// Bytes of journal entries kept (the oldest are evicted first); an entry costs at most
    /// 32 KiB, its params cut to 16 KiB with their sizes kept.
    #[arg(long, default_value_t = DEFAULT_JOURNAL_BYTES)]
    pub journal_bytes: usize,
    /// Nonces remembered (the oldest are forgotten first).
    #[arg(long, default_value_t = 1_000_000)]
    pub max_nonces: usize,
    /// Largest request body, in bytes, for actions whose params the spec does not bound more
    /// widely; larger ones are answered `RequestEntityTooLarge` (413).
    #[arg(long, default_value_t = DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,
    /// Seconds a client may take to send a request's headers.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout: u64,
    /// Seconds a kept-alive connection may stay idle between requests.
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout: u64,
    /// Seconds a client may take to send a request's body.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub body_timeout: u64,
    /// Connections served at once; beyond it new ones are refused (`ServiceUnavailable`).
    /// Default: 1024, less when `ulimit -n` is low.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_connections: Option<u64>,
    /// Do not print a line on stderr for each request.
    #[arg(long, short)]
    pub quiet: bool,
    /// Send receipts of the calls placed: `Message=URL` for one message (repeat for each), or a
    /// URL to which `/<Message>` is added for every message. Without it no receipt is sent.
    #[arg(long, value_name = "[MESSAGE=]URL")]
    pub receipt_url: Vec<String>,
    /// The share of placed calls answered, 0 to 1; the others are split between reached but not
    /// answered and never rang.
    #[arg(long, default_value_t = 0.8)]
    pub answer_rate: f64,
    /// Talk time of an answered call in seconds, `MIN..MAX` (inclusive) or one number.
    #[arg(long, default_value = "5..60", value_parser = duration_range)]
    pub duration: (u32, u32),
    /// Seeds each call's outcome: the same seed and order of calls give the same receipts.
    #[arg(long, default_value_t = 0)]
    pub receipt_seed: u64,
    /// Records per push, at most (1 to 1000).
    #[arg(long, default_value_t = DEFAULT_MAX_BATCH)]
    pub receipt_batch: usize,
    /// Records held for pushing at most; a call whose records do not fit is dropped (and the
    /// push log says so).
    #[arg(long, default_value_t = DEFAULT_QUEUE_RECORDS)]
    pub receipt_queue_records: usize,
    /// Bytes of records held for pushing at most.
    #[arg(long, default_value_t = DEFAULT_QUEUE_BYTES)]
    pub receipt_queue_bytes: usize,
    /// Seconds one push may take before it counts as failed (and is pushed again later).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
    pub receipt_timeout: u64,
}

/// `MIN..MAX` or `N` seconds.
fn duration_range(text: &str) -> Result<(u32, u32), String> {
    let number = |t: &str| {
        t.trim()
            .parse::<u32>()
            .map_err(|e| format!("`{t}` is not a number of seconds: {e}"))
    };
    let (lo, hi) = match text.split_once("..") {
        Some((lo, hi)) => (number(lo)?, number(hi)?),
        None => {
            let n = number(text)?;
            (n, n)
        }
    };
    if lo > hi {
        return Err(format!("{lo}..{hi}: the low end is above the high end"));
    }
    Ok((lo, hi))
}

fn secret_arg(text: &str) -> Result<Secret, std::convert::Infallible> {
    Ok(Secret::new(text))
}

impl MockArgs {
    /// The [`MockConfig`] these arguments describe; an error when `--receipt-url` values
    /// contradict each other.
    pub fn config(&self) -> Result<MockConfig, String> {
        let mut config =
            MockConfig::new(self.access_key_id.clone(), self.access_key_secret.clone());
        config.listen = self.listen;
        config.clock_offset_ms = self.clock_offset.saturating_mul(1000);
        config.max_skew = Duration::from_secs(self.max_skew);
        config.enforce_qps = !self.no_qps_limits;
        config.enforce_callee_limits = !self.no_callee_limits;
        config.reject_unknown_params = !self.allow_unknown_params;
        config.journal_capacity = self.journal_capacity;
        config.journal_bytes = self.journal_bytes;
        config.max_nonces = self.max_nonces;
        config.max_body_bytes = self.max_body_bytes;
        config.header_timeout = Duration::from_secs(self.header_timeout);
        config.idle_timeout = Duration::from_secs(self.idle_timeout);
        config.body_timeout = Duration::from_secs(self.body_timeout);
        if let Some(n) = self.max_connections {
            config.max_connections = usize::try_from(n).unwrap_or(usize::MAX);
        }
        config.request_log = if self.quiet {
            RequestLog::Off
        } else {
            RequestLog::Stderr
        };
        config.receipts = ReceiptConfig {
            urls: ReceiptUrls::parse(&self.receipt_url)?,
            mix: OutcomeMix {
                answer_rate: self.answer_rate,
                duration_secs: self.duration,
                seed: self.receipt_seed,
            },
            max_batch: self.receipt_batch,
            queue_records: self.receipt_queue_records,
            queue_bytes: self.receipt_queue_bytes,
            push_timeout: Duration::from_secs(self.receipt_timeout),
        };
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_files_limit_is_read_from_proc_limits() {
        let text = "Limit                     Soft Limit           Hard Limit           Units     \n\
                    Max cpu time              unlimited            unlimited            seconds   \n\
                    Max open files            64                   1048576              files     \n";
        assert_eq!(open_files_limit(text), Some(64));
        assert_eq!(
            open_files_limit("Max open files  unlimited  unlimited  files"),
            Some(usize::MAX)
        );
        assert_eq!(open_files_limit("nothing"), None);
        assert!((1..=1024).contains(&default_max_connections()));
    }

    #[test]
    fn durations_are_a_range_or_one_number() {
        assert_eq!(duration_range("5..60"), Ok((5, 60)));
        assert_eq!(duration_range("7"), Ok((7, 7)));
        assert!(duration_range("9..3").is_err());
        assert!(duration_range("x..3").is_err());
    }
}
