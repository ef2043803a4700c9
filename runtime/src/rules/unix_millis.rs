//! Unix timestamps in milliseconds (`unix_millis`).
//!
//! "Plausible" is [`MIN`] (2000-01-01T00:00:00Z) to [`MAX`] (2100-01-01T00:00:00Z), both
//! inclusive: this catches the usual mistakes, seconds instead of milliseconds (a 2024 time in
//! seconds is about 1.7e9, before 2000 in milliseconds) and microseconds (about 1.7e15, after
//! 2100), as well as zero and negative values.

use super::{Actual, Limit, Rule, RuleError};

/// 2000-01-01T00:00:00Z in milliseconds since the Unix epoch.
pub const MIN: i64 = 946_684_800_000;
/// 2100-01-01T00:00:00Z in milliseconds since the Unix epoch.
pub const MAX: i64 = 4_102_444_800_000;

/// `value` is a Unix time in milliseconds between [`MIN`] and [`MAX`].
///
/// ```
/// use popgen_runtime::rules::unix_millis;
/// assert!(unix_millis::apply(1_700_000_000_000).is_ok());
/// assert!(unix_millis::apply(1_700_000_000).is_err()); // seconds, not milliseconds
/// ```
#[inline]
pub fn apply(value: i64) -> Result<(), RuleError> {
    if (MIN..=MAX).contains(&value) {
        Ok(())
    } else {
        Err(RuleError::new(
            Rule::UnixMillis,
            Limit::UnixMillis { min: MIN, max: MAX },
            Actual::Value,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plausible_range() {
        assert!(apply(MIN).is_ok());
        assert!(apply(MAX).is_ok());
        assert!(apply(MIN - 1).is_err());
        assert!(apply(MAX + 1).is_err());
        assert!(apply(0).is_err());
        assert!(apply(-1).is_err());
        assert!(apply(i64::MIN).is_err());
        assert!(apply(i64::MAX).is_err());
        // microseconds
        assert!(apply(1_700_000_000_000_000).is_err());
    }
}
