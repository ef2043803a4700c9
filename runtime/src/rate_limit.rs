//! Optional client-side pacing to each action's documented QPS ([`ActionMeta::qps_per_user`]),
//! so a busy program waits a little instead of collecting `Throttling.User` errors.
//!
//! One schedule per action (the generic cell rate algorithm, a token bucket kept as a single
//! "next free slot" instant): at `qps` calls per second, calls are spaced `1/qps` apart, with
//! up to [`RateLimit::burst`] of them allowed back to back. A call that must wait sleeps on
//! tokio's timer; it never waits past the call's deadline.
//!
//! The service counts the QPS per account, across every AccessKey, process and machine; this
//! limiter sees only one client and its clones. It is off by default.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::action::ActionMeta;

/// Whether and how to pace calls to each action's documented QPS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Whether to pace calls at all (off by default: the documented QPS is per account, and
    /// only the caller knows how many clients share it).
    pub enabled: bool,
    /// How many calls of one action may go back to back before pacing starts (1 by default).
    pub burst: u32,
    /// The share of the documented QPS this client may use, in percent (100 by default; e.g. 25
    /// when four processes share one account).
    pub percent: u32,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            enabled: false,
            burst: 1,
            percent: 100,
        }
    }
}

/// The per-action schedules of a client (shared by its clones).
#[derive(Debug)]
pub struct RateLimiter {
    config: RateLimit,
    /// For each action, the instant its next call may start without waiting ("theoretical
    /// arrival time").
    next: Mutex<HashMap<&'static str, Instant>>,
}

/// The deadline would pass before the limiter lets the call start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WouldMissDeadline;

impl RateLimiter {
    /// A limiter configured by `config`.
    pub fn new(config: RateLimit) -> Self {
        RateLimiter {
            config,
            next: Mutex::new(HashMap::new()),
        }
    }

    /// The spacing between two calls of `meta`, when it is to be paced.
    fn interval(&self, meta: &ActionMeta) -> Option<Duration> {
        let qps = u64::from(meta.qps_per_user?) * u64::from(self.config.percent) / 100;
        (self.config.enabled && qps > 0).then(|| Duration::from_nanos(1_000_000_000 / qps))
    }

    /// Reserves the next slot for a call of `meta` and returns when it starts, or
    /// [`WouldMissDeadline`] (and reserves nothing) when that is past `deadline`.
    pub fn reserve(
        &self,
        meta: &ActionMeta,
        now: Instant,
        deadline: Option<Instant>,
    ) -> Result<Instant, WouldMissDeadline> {
        let Some(interval) = self.interval(meta) else {
            return Ok(now);
        };
        let tolerance = interval * self.config.burst.saturating_sub(1);
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let tat = next.get(meta.name).copied().unwrap_or(now).max(now);
        let start = tat.checked_sub(tolerance).unwrap_or(now).max(now);
        if deadline.is_some_and(|d| start > d) {
            return Err(WouldMissDeadline);
        }
        next.insert(meta.name, tat + interval);
        Ok(start)
    }

    /// Waits until a call of `meta` may start (at once when pacing is off or there is room).
    pub async fn acquire(
        &self,
        meta: &ActionMeta,
        deadline: Option<Instant>,
    ) -> Result<(), WouldMissDeadline> {
        let now = Instant::now();
        let start = self.reserve(meta, now, deadline)?;
        if start > now {
            tracing::debug!(
                action = meta.name,
                wait_us = u64::try_from((start - now).as_micros()).unwrap_or(u64::MAX),
                "popgen rate limit: waiting"
            );
            tokio::time::sleep_until(start).await;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const META: ActionMeta = ActionMeta {
        name: "SingleCallByTts",
        success_code: "OK",
        side_effects: true,
        qps_per_user: Some(10),
        callee_limit: None,
        idempotency_param: None,
    };

    fn limiter(burst: u32, percent: u32) -> RateLimiter {
        RateLimiter::new(RateLimit {
            enabled: true,
            burst,
            percent,
        })
    }

    #[test]
    fn calls_are_spaced_by_one_over_qps() {
        let l = limiter(1, 100);
        let t0 = Instant::now();
        let starts: Vec<Duration> = (0..4)
            .map(|_| l.reserve(&META, t0, None).unwrap() - t0)
            .collect();
        let ms = Duration::from_millis;
        assert_eq!(starts, [ms(0), ms(100), ms(200), ms(300)]);
        // Time that passed is not saved up beyond the burst.
        let later = t0 + Duration::from_secs(10);
        assert_eq!(l.reserve(&META, later, None).unwrap(), later);
        assert_eq!(l.reserve(&META, later, None).unwrap(), later + ms(100));
    }

    #[test]
    fn a_burst_goes_back_to_back_and_a_share_slows_down() {
        let l = limiter(3, 100);
        let t0 = Instant::now();
        let starts: Vec<Duration> = (0..5)
            .map(|_| l.reserve(&META, t0, None).unwrap() - t0)
            .collect();
        let ms = Duration::from_millis;
        assert_eq!(starts, [ms(0), ms(0), ms(0), ms(100), ms(200)]);
        let l = limiter(1, 50);
        l.reserve(&META, t0, None).unwrap();
        assert_eq!(l.reserve(&META, t0, None).unwrap() - t0, ms(200));
    }

    #[test]
    fn off_or_undocumented_qps_never_waits_and_deadlines_reserve_nothing() {
        let t0 = Instant::now();
        let off = RateLimiter::new(RateLimit::default());
        let undocumented = ActionMeta {
            qps_per_user: None,
            ..META
        };
        for _ in 0..3 {
            assert_eq!(off.reserve(&META, t0, None), Ok(t0));
            assert_eq!(limiter(1, 100).reserve(&undocumented, t0, None), Ok(t0));
        }
        let l = limiter(1, 100);
        l.reserve(&META, t0, None).unwrap();
        let soon = Some(t0 + Duration::from_millis(50));
        assert_eq!(l.reserve(&META, t0, soon), Err(WouldMissDeadline));
        assert_eq!(
            l.reserve(&META, t0, None).unwrap() - t0,
            Duration::from_millis(100),
            "the refused call took no slot"
        );
    }
}
