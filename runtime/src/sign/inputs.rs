//! The two per-request inputs the signers take instead of reading them: timestamp and nonce.

use std::time::{SystemTime, UNIX_EPOCH};

/// Formats unix seconds as the UTC timestamp both schemes use: `yyyy-MM-ddTHH:mm:ssZ`.
///
/// ```
/// use popgen_runtime::sign::format_timestamp;
/// assert_eq!(format_timestamp(0), "1970-01-01T00:00:00Z");
/// assert_eq!(format_timestamp(1_825_462_618), "2027-11-06T00:56:58Z");
/// ```
pub fn format_timestamp(unix_secs: u64) -> String {
    let days = unix_secs / 86_400;
    let secs_of_day = unix_secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    let (h, m, s) = (secs_of_day / 3600, secs_of_day / 60 % 60, secs_of_day % 60);
    if year > 9999 {
        return format!("{year}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z");
    }
    // Every request formats one: digits by hand are ~20x cheaper than `format!`.
    let mut out = *b"0000-00-00T00:00:00Z";
    let mut put = |at: usize, value: u64, width: usize| {
        let mut v = value;
        for i in (at..at + width).rev() {
            out[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, year, 4);
    put(5, month, 2);
    put(8, day, 2);
    put(11, h, 2);
    put(14, m, 2);
    put(17, s, 2);
    String::from_utf8(out.to_vec()).unwrap_or_else(|_| unreachable!("ASCII digits"))
}

/// The current time as [`format_timestamp`] writes it (the clock is read here, not in a signer).
pub fn now_timestamp() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format_timestamp(secs)
}

/// Days since 1970-01-01 to (year, month, day), after Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// A fresh signature nonce: 32 lower-case hex digits (128 random bits), the form the current
/// official SDK sends in `x-acs-signature-nonce`; v1's `SignatureNonce` accepts it too.
///
/// Call it for every attempt: the gateway refuses a nonce it has already seen
/// (`SignatureNonceUsed`), retries included.
///
/// ```
/// let a = popgen_runtime::sign::new_nonce();
/// assert_eq!(a.len(), 32);
/// assert_ne!(a, popgen_runtime::sign::new_nonce());
/// ```
pub fn new_nonce() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        bytes = fallback_random();
    }
    let mut out = String::with_capacity(32);
    super::hex_into(&mut out, &bytes);
    out
}

/// Used only if the OS random source fails: std's per-process random SipHash keys over the clock
/// and a counter. A nonce must be unique, not secret, so this is enough.
fn fallback_random() -> [u8; 16] {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut out = [0u8; 16];
    for half in out.chunks_exact_mut(8) {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(nanos);
        h.write_u64(count);
        half.copy_from_slice(&h.finish().to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_across_leap_years_and_centuries() {
        assert_eq!(format_timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_timestamp(4_107_542_399), "2100-02-28T23:59:59Z");
        assert_eq!(format_timestamp(1_698_647_186), "2023-10-30T06:26:26Z");
        assert_eq!(format_timestamp(253_402_300_799), "9999-12-31T23:59:59Z");
        assert_eq!(format_timestamp(253_402_300_800), "10000-01-01T00:00:00Z");
    }

    #[test]
    fn fallback_is_not_constant() {
        assert_ne!(fallback_random(), fallback_random());
    }
}
