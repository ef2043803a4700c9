//! The mock's memory of what it has seen, each sharded so requests do not queue on one lock:
//! spent nonces, per-user QPS windows, and per-callee call history.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
use std::sync::Mutex;

use popgen_runtime::action::CalleeLimit;

const SHARDS: usize = 16;

/// Room in a request body for what it carries besides the action's params: the common params
/// (signature, nonce, timestamp, a `SecurityToken` of a few KiB).
pub(crate) const COMMON_PARAMS_BYTES: u64 = 64 * 1024;

/// The most any action's body limit can be, however wide its spec's bounds (256 MiB).
pub(crate) const MAX_BODY_LIMIT: u64 = 256 << 20;

/// The body limit of an action whose params the spec bounds at `max_params_bytes`: that bound
/// with a quarter more and [`COMMON_PARAMS_BYTES`] of headroom, never below `floor` (the mock's
/// `max_body_bytes`, which is the limit of every action the spec leaves unbounded) and never
/// above [`MAX_BODY_LIMIT`] unless the floor is.
pub(crate) fn body_limit(max_params_bytes: Option<u64>, floor: usize) -> usize {
    let spec = max_params_bytes.map_or(0, |bytes| {
        bytes
            .saturating_add(bytes / 4)
            .saturating_add(COMMON_PARAMS_BYTES)
            .min(MAX_BODY_LIMIT)
    });
    usize::try_from(spec).unwrap_or(usize::MAX).max(floor)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A hasher for keys that already are good hashes (they come from [`RandomState`]).
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u128(&mut self, n: u128) {
        self.0 = (n as u64) ^ ((n >> 64) as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type PassThroughSet<K> = HashSet<K, BuildHasherDefault<PassThrough>>;
type PassThroughMap<K, V> = HashMap<K, V, BuildHasherDefault<PassThrough>>;
/// One lock per shard; a key's shard is picked by the low bits of its fingerprint.
type Shards<T> = Box<[Mutex<T>]>;

/// Two independent keyed 64-bit hashes of `parts`: a 128-bit fingerprint, so a collision between
/// two different nonces is out of reach (and nothing but the fingerprint is stored).
#[derive(Debug)]
struct Fingerprint(RandomState, RandomState);

impl Fingerprint {
    fn new() -> Self {
        Fingerprint(RandomState::new(), RandomState::new())
    }
    fn of(&self, parts: &[&str]) -> u128 {
        let one = |state: &RandomState| {
            let mut h = state.build_hasher();
            for part in parts {
                h.write(part.as_bytes());
                h.write_u8(0xff);
            }
            h.finish()
        };
        u128::from(one(&self.0)) << 64 | u128::from(one(&self.1))
    }
}

#[derive(Debug, Default)]
struct NonceShard {
    seen: PassThroughSet<u128>,
    /// (expiry in server ms, fingerprint), in insertion order.
    order: VecDeque<(i64, u128)>,
}

/// Spent nonces, each remembered for a window of server time; at most `capacity` (the oldest
/// are forgotten first beyond that).
#[derive(Debug)]
pub(crate) struct NonceStore {
    window_ms: i64,
    per_shard: usize,
    fingerprint: Fingerprint,
    shards: Shards<NonceShard>,
}

impl NonceStore {
    pub(crate) fn new(window_ms: i64, capacity: usize) -> Self {
        NonceStore {
            window_ms,
            per_shard: capacity.div_ceil(SHARDS).max(1),
            fingerprint: Fingerprint::new(),
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }

    /// Records `nonce` at server time `now_ms`; `false` when it was already spent within the
    /// window (a replay).
    pub(crate) fn spend(&self, nonce: &str, now_ms: i64) -> bool {
        let key = self.fingerprint.of(&[nonce]);
        let mut shard = lock(&self.shards[(key as usize) & (SHARDS - 1)]);
        while let Some(&(expiry, old)) = shard.order.front() {
            if expiry > now_ms && shard.order.len() < self.per_shard {
                break;
            }
            shard.order.pop_front();
            shard.seen.remove(&old);
        }
        if !shard.seen.insert(key) {
            return false;
        }
        shard
            .order
            .push_back((now_ms.saturating_add(self.window_ms), key));
        true
    }

    pub(crate) fn clear(&self) {
        for shard in self.shards.iter() {
            *lock(shard) = NonceShard::default();
        }
    }
}

/// Per AccessKey and action: calls admitted in the current one-second window of server time.
#[derive(Debug)]
pub(crate) struct QpsLimiter {
    fingerprint: Fingerprint,
    shards: Shards<PassThroughMap<u128, (i64, u32)>>,
}

impl QpsLimiter {
    pub(crate) fn new() -> Self {
        QpsLimiter {
            fingerprint: Fingerprint::new(),
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }

    /// Admits one call of `action` by `access_key_id` at `now_ms` if fewer than `qps` were
    /// admitted in the same second.
    pub(crate) fn admit(&self, access_key_id: &str, action: &str, qps: u32, now_ms: i64) -> bool {
        let key = self.fingerprint.of(&[access_key_id, action]);
        let second = now_ms.div_euclid(1000);
        let mut shard = lock(&self.shards[(key as usize) & (SHARDS - 1)]);
        let window = shard.entry(key).or_insert((second, 0));
        if window.0 != second {
            *window = (second, 0);
        }
        if window.1 >= qps {
            return false;
        }
        window.1 += 1;
        true
    }

    pub(crate) fn clear(&self) {
        for shard in self.shards.iter() {
            lock(shard).clear();
        }
    }
}

/// Which per-callee window is full, and when the callee may be called again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CalleeRefusal {
    /// `minute`, `hour` or `day`.
    pub(crate) window: &'static str,
    /// The limit of that window.
    pub(crate) limit: u32,
    /// Server time (unix ms) from which every window admits a call again.
    pub(crate) frees_at_ms: i64,
}

impl CalleeRefusal {
    /// The window as a rate: `1/min`, `5/h`, `20/day`.
    pub(crate) fn rate(&self) -> String {
        let unit = match self.window {
            "minute" => "min",
            "hour" => "h",
            other => other,
        };
        format!("{}/{unit}", self.limit)
    }
}

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
const DAY_MS: i64 = 24 * HOUR_MS;

/// Per action and callee: the server times of admitted calls in the last 24 hours.
#[derive(Debug)]
pub(crate) struct CalleeLimiter {
    fingerprint: Fingerprint,
    shards: Shards<PassThroughMap<u128, VecDeque<i64>>>,
}

impl CalleeLimiter {
    pub(crate) fn new() -> Self {
        CalleeLimiter {
            fingerprint: Fingerprint::new(),
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }

    /// Admits one call of `action` to `callee` at `now_ms` unless a sliding minute, hour or day
    /// window already holds `limit`'s number of calls.
    pub(crate) fn admit(
        &self,
        action: &str,
        callee: &str,
        limit: &CalleeLimit,
        now_ms: i64,
    ) -> Result<(), CalleeRefusal> {
        let key = self.fingerprint.of(&[action, callee]);
        let mut shard = lock(&self.shards[(key as usize) & (SHARDS - 1)]);
        if shard.len() > 4096 {
            // Bounded memory: forget callees with no call in the last day.
            shard.retain(|_, calls| calls.back().is_some_and(|&t| t > now_ms - DAY_MS));
        }
        let calls = shard.entry(key).or_default();
        while calls.front().is_some_and(|&t| t <= now_ms - DAY_MS) {
            calls.pop_front();
        }
        let within = |span: i64| {
            calls
                .iter()
                .rev()
                .take_while(|&&t| t > now_ms - span)
                .count()
        };
        let windows = [
            ("minute", MINUTE_MS, limit.per_minute),
            ("hour", HOUR_MS, limit.per_hour),
            ("day", DAY_MS, limit.per_day),
        ];
        let mut refusal: Option<CalleeRefusal> = None;
        for (window, span, limit) in windows {
            let count = within(span);
            if count < limit as usize {
                continue;
            }
            // The window admits again once its oldest calls beyond `limit - 1` have left it.
            let oldest_kept = calls[calls.len() - count + (count - limit as usize)];
            let frees_at_ms = oldest_kept.saturating_add(span);
            match &mut refusal {
                None => {
                    refusal = Some(CalleeRefusal {
                        window,
                        limit,
                        frees_at_ms,
                    });
                }
                Some(first) => first.frees_at_ms = first.frees_at_ms.max(frees_at_ms),
            }
        }
        if let Some(refusal) = refusal {
            return Err(refusal);
        }
        calls.push_back(now_ms);
        Ok(())
    }

    pub(crate) fn clear(&self) {
        for shard in self.shards.iter() {
            lock(shard).clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_limits_follow_the_spec_above_the_floor() {
        assert_eq!(body_limit(None, 1000), 1000);
        assert_eq!(body_limit(Some(10), 1 << 20), 1 << 20);
        assert_eq!(
            body_limit(Some(14_400_000), 8 << 20),
            18_000_000 + 64 * 1024
        );
        assert_eq!(body_limit(Some(u64::MAX), 0), 256 << 20);
        assert_eq!(body_limit(Some(u64::MAX), 1 << 30), 1 << 30);
    }

    #[test]
    fn nonces_are_refused_within_the_window_and_forgotten_after() {
        let store = NonceStore::new(1_000, 100);
        assert!(store.spend("a", 0));
        assert!(!store.spend("a", 999));
        assert!(store.spend("b", 999));
        assert!(store.spend("a", 1_000));
    }

    #[test]
    fn nonce_memory_is_bounded() {
        let store = NonceStore::new(1_000_000, 16);
        for i in 0..1_000 {
            assert!(store.spend(&i.to_string(), 0));
        }
        let held: usize = store.shards.iter().map(|s| lock(s).seen.len()).sum();
        assert!(held <= 16, "{held}");
    }

    #[test]
    fn callee_windows_slide() {
        let limiter = CalleeLimiter::new();
        let limit = CalleeLimit {
            param: "CalledNumber",
            per_minute: 1,
            per_hour: 2,
            per_day: 3,
        };
        let admit = |t| limiter.admit("A", "138", &limit, t);
        assert_eq!(admit(0), Ok(()));
        let refusal = admit(59_999).unwrap_err();
        assert_eq!((refusal.window, refusal.rate()), ("minute", "1/min".into()));
        assert_eq!(refusal.frees_at_ms, 60_000);
        assert_eq!(admit(60_000), Ok(()));
        let refusal = admit(200_000).unwrap_err();
        assert_eq!((refusal.window, refusal.rate()), ("hour", "2/h".into()));
        assert_eq!(
            refusal.frees_at_ms, HOUR_MS,
            "when the call at 0 leaves the hour"
        );
        assert_eq!(admit(HOUR_MS), Ok(()));
        let refusal = admit(HOUR_MS + 200_000).unwrap_err();
        assert_eq!((refusal.window, refusal.rate()), ("day", "3/day".into()));
        assert_eq!(refusal.frees_at_ms, DAY_MS);
        assert_eq!(admit(DAY_MS + 1), Ok(()));
        assert_eq!(limiter.admit("A", "139", &limit, 1), Ok(()));
    }

    #[test]
    fn a_callee_frees_when_every_full_window_does() {
        let limiter = CalleeLimiter::new();
        let limit = CalleeLimit {
            param: "CalledNumber",
            per_minute: 1,
            per_hour: 1,
            per_day: 5,
        };
        assert_eq!(limiter.admit("A", "138", &limit, 0), Ok(()));
        // Both the minute and the hour are full: the minute is named, the hour decides.
        let refusal = limiter.admit("A", "138", &limit, 1_000).unwrap_err();
        assert_eq!((refusal.window, refusal.frees_at_ms), ("minute", HOUR_MS));
        assert!(limiter.admit("A", "138", &limit, HOUR_MS - 1).is_err());
        assert_eq!(limiter.admit("A", "138", &limit, HOUR_MS), Ok(()));
    }
}
