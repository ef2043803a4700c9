//! The server clock the mock checks timestamps, nonce windows and rate limits against: real time
//! plus an offset by default, which tests can move or freeze.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Stands for "not frozen" in [`MockClock::frozen_ms`]; no real clock reads this.
const RUNNING: i64 = i64::MIN;

/// The mock's clock, in unix milliseconds: `real time + offset`, or a frozen instant.
///
/// Lock-free (two atomics), so every request can read it.
///
/// ```
/// use std::time::Duration;
/// use popgen_tools::mock::MockClock;
/// let clock = MockClock::new(0);
/// clock.freeze_at(1_700_000_000_000);
/// clock.advance(Duration::from_secs(61));
/// assert_eq!(clock.now_ms(), 1_700_000_061_000);
/// ```
#[derive(Debug)]
pub struct MockClock {
    offset_ms: AtomicI64,
    frozen_ms: AtomicI64,
}

/// A snapshot of the clock, as `GET /_mock/clock` answers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ClockState {
    /// Server time, unix milliseconds.
    pub now_ms: i64,
    /// Milliseconds added to real time (meaningful while running).
    pub offset_ms: i64,
    /// Whether time stands still.
    pub frozen: bool,
}

fn real_now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl MockClock {
    /// A running clock `offset_ms` ahead of real time (behind when negative).
    pub fn new(offset_ms: i64) -> Self {
        MockClock {
            offset_ms: AtomicI64::new(offset_ms),
            frozen_ms: AtomicI64::new(RUNNING),
        }
    }

    /// The server time in unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        match self.frozen_ms.load(Ordering::Acquire) {
            RUNNING => real_now_ms().saturating_add(self.offset_ms.load(Ordering::Acquire)),
            frozen => frozen,
        }
    }

    /// The server time in unix seconds (0 before 1970).
    pub fn now_secs(&self) -> u64 {
        u64::try_from(self.now_ms().div_euclid(1000)).unwrap_or(0)
    }

    /// Sets the time to `unix_ms`; a running clock keeps running from there.
    pub fn set_ms(&self, unix_ms: i64) {
        if self.frozen_ms.load(Ordering::Acquire) == RUNNING {
            self.offset_ms
                .store(unix_ms.saturating_sub(real_now_ms()), Ordering::Release);
        } else {
            self.frozen_ms.store(unix_ms, Ordering::Release);
        }
    }

    /// Moves the time forward by `by`.
    pub fn advance(&self, by: Duration) {
        self.advance_ms(millis(by));
    }

    /// Moves the time by `ms` (backwards when negative).
    pub fn advance_ms(&self, ms: i64) {
        if self.frozen_ms.load(Ordering::Acquire) == RUNNING {
            self.offset_ms.fetch_add(ms, Ordering::AcqRel);
        } else {
            self.frozen_ms.fetch_add(ms, Ordering::AcqRel);
        }
    }

    /// Stops time at the current instant (tests of one-second windows then cannot straddle a
    /// second boundary).
    pub fn freeze(&self) {
        self.freeze_at(self.now_ms());
    }

    /// Stops time at `unix_ms`.
    pub fn freeze_at(&self, unix_ms: i64) {
        self.frozen_ms.store(unix_ms, Ordering::Release);
    }

    /// Lets time run again from where it stands.
    pub fn unfreeze(&self) {
        let at = self.frozen_ms.swap(RUNNING, Ordering::AcqRel);
        if at != RUNNING {
            self.offset_ms
                .store(at.saturating_sub(real_now_ms()), Ordering::Release);
        }
    }

    /// Back to running at real time plus `offset_ms`.
    pub fn reset(&self, offset_ms: i64) {
        self.frozen_ms.store(RUNNING, Ordering::Release);
        self.offset_ms.store(offset_ms, Ordering::Release);
    }

    /// The current state.
    pub fn state(&self) -> ClockState {
        ClockState {
            now_ms: self.now_ms(),
            offset_ms: self.offset_ms.load(Ordering::Acquire),
            frozen: self.frozen_ms.load(Ordering::Acquire) != RUNNING,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_clock_follows_real_time_plus_offset() {
        let clock = MockClock::new(-90_000);
        let drift = (real_now_ms() - 90_000 - clock.now_ms()).abs();
        assert!(drift < 1_000, "{drift}");
        clock.set_ms(1_000_000);
        assert!((clock.now_ms() - 1_000_000).abs() < 1_000);
        clock.freeze();
        let frozen = clock.now_ms();
        clock.advance_ms(-5);
        assert_eq!(clock.now_ms(), frozen - 5);
        clock.unfreeze();
        assert!((clock.now_ms() - (frozen - 5)).abs() < 1_000);
        assert!(!clock.state().frozen);
    }
}
