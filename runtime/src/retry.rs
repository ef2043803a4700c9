//! Retries that cannot hurt anyone, as pure policy: which failures may be retried
//! ([`RetryPolicy`], `retryable`), how long to wait, and the [`RetryBudget`] that keeps a failing
//! service from being hammered. The call loop that applies them is `client/call.rs`
//! ([`Client::call`](crate::client::Client::call)).
//!
//! Each attempt is signed afresh (new timestamp and nonce: the gateway refuses a nonce it has
//! seen, `SignatureNonceUsed`), then:
//!
//! - An action **without side effects** is retried after a network error, an HTTP 5xx, or a
//!   `Throttling*` / `ServiceUnavailable` / `InternalError` code.
//! - An action **with side effects** is retried only after a transport error that proves the
//!   request never left the machine ([`TransportError::not_sent`]). After a timeout or a broken
//!   connection once it may have been written, the call fails with [`Error::OutcomeUnknown`]
//!   (carrying the request's `OutId`) and nothing is sent again: a resent `SingleCallByTts` is a
//!   second phone call. (The official SDKs' `autoretry` resends after a read timeout; this is what
//!   we do not copy.) Error answers are not retried for them either, not even throttling.
//! - `isv.BUSINESS_LIMIT_CONTROL` (the per-callee minute/hour/day limit) is never retried: waiting
//!   a few hundred milliseconds cannot help, and each attempt uses up quota.
//!
//! Delays grow exponentially from [`RetryPolicy::base_delay`], capped at
//! [`RetryPolicy::max_delay`], with "equal jitter" (half fixed, half random), so the delay of
//! retry `n` lies in `[d/2, d]` for `d = min(max_delay, base_delay * 2^(n-1))`: clients that fail
//! together do not retry together, and each wait is still longer than the one before until the
//! cap. No retry starts when its delay would overrun the call's deadline, nor without a token
//! from the [`RetryBudget`].
//!
//! Sleeping and the deadline use tokio's timer. Polled outside a tokio runtime (a custom
//! executor), a call makes one attempt, with no deadline, rather than panic.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::action::ActionMeta;
use crate::client::{Error, TransportError, TransportErrorKind};

/// When to send a request again. See the [module docs](self) for what is retried.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Whether to retry at all (on by default: what is retried is safe by construction).
    pub enabled: bool,
    /// Attempts per call, the first included (3 by default; 1, or 0, means no retry).
    pub max_attempts: u32,
    /// The delay before the first retry, doubled for each later one (100 ms by default, the
    /// official SDKs' default period).
    pub base_delay: Duration,
    /// The longest delay between two attempts (5 s by default).
    pub max_delay: Duration,
    /// How many retries the client (and its clones) may make overall.
    pub budget: BudgetPolicy,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            enabled: true,
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(5),
            budget: BudgetPolicy::default(),
        }
    }
}

impl RetryPolicy {
    /// No retries: every call is sent once.
    pub fn disabled() -> Self {
        RetryPolicy {
            enabled: false,
            ..RetryPolicy::default()
        }
    }

    /// The range the delay before retry `retry` (1 for the first retry) is drawn from:
    /// `[d/2, d]` with `d = min(max_delay, base_delay * 2^(retry-1))`.
    pub fn delay_bounds(&self, retry: u32) -> (Duration, Duration) {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let full = self
            .base_delay
            .checked_mul(factor)
            .map_or(self.max_delay, |d| d.min(self.max_delay));
        (full / 2, full)
    }

    /// A delay drawn from [`RetryPolicy::delay_bounds`].
    pub(crate) fn delay(&self, retry: u32) -> Duration {
        let (low, high) = self.delay_bounds(retry);
        let span = u64::try_from((high - low).as_nanos()).unwrap_or(u64::MAX);
        let jitter = match span {
            0 => 0,
            u64::MAX => getrandom::u64().unwrap_or(0),
            _ => getrandom::u64().unwrap_or(0) % (span + 1),
        };
        low.saturating_add(Duration::from_nanos(jitter))
    }
}

/// The size of the [`RetryBudget`]: a token bucket shared by a client and its clones.
///
/// Every call puts `percent`/100 of a token in (up to `capacity`), every retry takes one token
/// out, and a retry without a token is not made. The bucket starts full, so a client may always
/// make `capacity` retries (the floor, enough for a command line's few calls), and beyond that
/// retries stay near `percent`% of its calls: when the service fails every request, the client
/// sends about 1.1 times its normal load, not `max_attempts` times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetPolicy {
    /// Retries that can be made in a burst, and the bucket's starting level (10 by default).
    pub capacity: u32,
    /// Tokens earned per call, in percent of a retry (10 by default).
    pub percent: u32,
}

impl Default for BudgetPolicy {
    fn default() -> Self {
        BudgetPolicy {
            capacity: 10,
            percent: 10,
        }
    }
}

/// A retry budget: see [`BudgetPolicy`]. Lock-free; tokens are counted in thousandths.
#[derive(Debug)]
pub struct RetryBudget {
    milli_tokens: AtomicU64,
    capacity: u64,
    deposit: u64,
}

impl RetryBudget {
    /// A full budget sized by `policy.budget`.
    pub fn new(policy: &RetryPolicy) -> Self {
        let capacity = u64::from(policy.budget.capacity) * 1000;
        RetryBudget {
            milli_tokens: AtomicU64::new(capacity),
            capacity,
            deposit: u64::from(policy.budget.percent) * 10,
        }
    }

    /// Records a call (its first attempt): adds `percent`/100 of a token, up to the capacity.
    pub fn on_call(&self) {
        let (capacity, deposit) = (self.capacity, self.deposit);
        let _ = self
            .milli_tokens
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| {
                (t < capacity).then(|| (t + deposit).min(capacity))
            });
    }

    /// Takes one token for a retry; `false` (and nothing taken) when there is none.
    pub fn try_retry(&self) -> bool {
        self.milli_tokens
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| {
                t.checked_sub(1000)
            })
            .is_ok()
    }

    /// Retries available now (whole tokens).
    pub fn available(&self) -> u64 {
        self.milli_tokens.load(Ordering::Relaxed) / 1000
    }
}

/// How one attempt failed.
pub(crate) enum Failure {
    /// No response from the transport.
    Transport(TransportError),
    /// The call's deadline passed while waiting for the answer.
    Deadline,
    /// An answer that is an error (`Api` or `Decode`).
    Answer { status: u16, error: Error },
}

impl Failure {
    /// A short label for traces.
    pub(crate) fn label(&self) -> &'static str {
        match self {
            Failure::Transport(e) if e.not_sent() => "not_sent",
            Failure::Transport(_) => "maybe_sent",
            Failure::Deadline => "deadline",
            Failure::Answer {
                error: Error::Api(_),
                ..
            } => "api_error",
            Failure::Answer { .. } => "decode_error",
        }
    }
}

/// Whether `failure` may be retried for an action like `meta` (policy, budget and deadline
/// aside).
pub(crate) fn retryable(meta: &ActionMeta, failure: &Failure) -> bool {
    match failure {
        // A request that cannot be built (a header value no HTTP allows) never will be.
        Failure::Transport(e) if e.kind == TransportErrorKind::InvalidRequest => false,
        Failure::Transport(e) => e.not_sent() || !meta.side_effects,
        Failure::Deadline => false,
        Failure::Answer { .. } if meta.side_effects => false,
        Failure::Answer {
            error: Error::Api(e),
            ..
        } => {
            e.code != "isv.BUSINESS_LIMIT_CONTROL"
                && (e.http_status >= 500
                    || e.http_status == 429
                    || e.code.starts_with("Throttling")
                    || e.code == "ServiceUnavailable"
                    || e.code == "InternalError")
        }
        // An undecodable 5xx is a proxy's or load balancer's error page.
        Failure::Answer { status, .. } => *status >= 500,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ApiError;

    const READ: ActionMeta = ActionMeta {
        name: "QueryCallDetailByCallId",
        success_code: "OK",
        side_effects: false,
        qps_per_user: None,
        callee_limit: None,
        idempotency_param: None,
    };
    const WRITE: ActionMeta = ActionMeta {
        side_effects: true,
        name: "SingleCallByTts",
        ..READ
    };

    fn api(code: &str, http_status: u16) -> Failure {
        Failure::Answer {
            status: http_status,
            error: Error::Api(Box::new(ApiError {
                code: code.into(),
                http_status,
                ..ApiError::default()
            })),
        }
    }

    fn transport(kind: TransportErrorKind) -> Failure {
        Failure::Transport(TransportError::new(kind, "x"))
    }

    #[test]
    fn what_is_retried_for_read_only_and_side_effect_actions() {
        let cases = [
            (transport(TransportErrorKind::InvalidRequest), false, false),
            (transport(TransportErrorKind::Connect), true, true),
            (transport(TransportErrorKind::ConnectTimeout), true, true),
            (transport(TransportErrorKind::Timeout), true, false),
            (transport(TransportErrorKind::Interrupted), true, false),
            (Failure::Deadline, false, false),
            (api("Throttling.User", 400), true, false),
            (api("ServiceUnavailable", 503), true, false),
            (api("InternalError", 500), true, false),
            (api("isv.BUSINESS_LIMIT_CONTROL", 400), false, false),
            (api("isv.BUSINESS_LIMIT_CONTROL", 503), false, false),
            (api("InvalidParameter", 400), false, false),
            (api("SignatureDoesNotMatch", 400), false, false),
        ];
        for (failure, read, write) in cases {
            assert_eq!(
                retryable(&READ, &failure),
                read,
                "read-only {}",
                failure.label()
            );
            assert_eq!(
                retryable(&WRITE, &failure),
                write,
                "side effects {}",
                failure.label()
            );
        }
    }

    #[test]
    fn delays_double_up_to_the_cap_with_half_of_them_random() {
        let p = RetryPolicy::default();
        let ms = Duration::from_millis;
        assert_eq!(p.delay_bounds(1), (ms(50), ms(100)));
        assert_eq!(p.delay_bounds(2), (ms(100), ms(200)));
        assert_eq!(p.delay_bounds(7), (ms(2500), ms(5000)));
        assert_eq!(p.delay_bounds(200), (ms(2500), ms(5000)));
        for retry in 1..10 {
            let (low, high) = p.delay_bounds(retry);
            let d = p.delay(retry);
            assert!(low <= d && d <= high, "{d:?} not in {low:?}..={high:?}");
        }
    }

    #[test]
    fn the_budget_allows_a_floor_then_a_tenth_of_calls() {
        let budget = RetryBudget::new(&RetryPolicy::default());
        assert_eq!(budget.available(), 10);
        for _ in 0..10 {
            assert!(budget.try_retry());
        }
        assert!(!budget.try_retry(), "floor used up");
        for _ in 0..9 {
            budget.on_call();
        }
        assert!(!budget.try_retry(), "0.9 of a token is not a retry");
        budget.on_call();
        assert!(budget.try_retry(), "ten calls earn one retry");
        for _ in 0..1000 {
            budget.on_call();
        }
        assert_eq!(budget.available(), 10, "capped at the capacity");
    }

    proptest::proptest! {
        /// Any policy a user can build: every delay lies in its bounds, never an overflow.
        #[test]
        fn delays_never_overflow(
            base in (proptest::num::u64::ANY, 0u32..1_000_000_000),
            max in (proptest::num::u64::ANY, 0u32..1_000_000_000),
            retry in proptest::num::u32::ANY,
        ) {
            let p = RetryPolicy {
                base_delay: Duration::new(base.0, base.1),
                max_delay: Duration::new(max.0, max.1),
                ..RetryPolicy::default()
            };
            let (low, high) = p.delay_bounds(retry);
            let d = p.delay(retry);
            proptest::prop_assert!(low <= d && d <= high && high <= p.max_delay);
        }
    }
}
