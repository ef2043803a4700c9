//! What a mock server is started with: [`MockConfig`] for programs, [`MockArgs`] for the command
//! line (`dyvms mock ...`).

use std::net::SocketAddr;
use std::time::Duration;

use popgen_runtime::secret::Secret;
use popgen_runtime::sign::verify::{MAX_SKEW_SECS, NONCE_WINDOW_SECS};

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
    /// Whether `meta.qps_per_user` is enforced (`Throttling.User`).
    pub enforce_qps: bool,
    /// Whether `meta.callee_limit` is enforced (`isv.BUSINESS_LIMIT_CONTROL`).
    pub enforce_callee_limits: bool,
    /// Whether a param the action does not have is an `InvalidParameter` (the default, to catch
    /// typos) or ignored, as the real gateway does.
    pub reject_unknown_params: bool,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
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
            enforce_qps: true,
            enforce_callee_limits: true,
            reject_unknown_params: true,
            max_body_bytes: 4 << 20,
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
    /// Nonces remembered (the oldest are forgotten first).
    #[arg(long, default_value_t = 1_000_000)]
    pub max_nonces: usize,
}

fn secret_arg(text: &str) -> Result<Secret, std::convert::Infallible> {
    Ok(Secret::new(text))
}

impl MockArgs {
    /// The [`MockConfig`] these arguments describe.
    pub fn config(&self) -> MockConfig {
        let mut config =
            MockConfig::new(self.access_key_id.clone(), self.access_key_secret.clone());
        config.listen = self.listen;
        config.clock_offset_ms = self.clock_offset.saturating_mul(1000);
        config.max_skew = Duration::from_secs(self.max_skew);
        config.enforce_qps = !self.no_qps_limits;
        config.enforce_callee_limits = !self.no_callee_limits;
        config.reject_unknown_params = !self.allow_unknown_params;
        config.journal_capacity = self.journal_capacity;
        config.max_nonces = self.max_nonces;
        config
    }
}
