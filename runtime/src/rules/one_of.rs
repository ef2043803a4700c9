//! String enum membership (`one_of("1", "2", "3")`) without a Rust enum.

use super::{Actual, Limit, Rule, RuleError};

/// `value` is exactly one of `allowed` (case-sensitive, as the service compares).
///
/// ```
/// use popgen_runtime::rules::one_of;
/// assert!(one_of::apply("2", &["1", "2", "3"]).is_ok());
/// assert!(one_of::apply("4", &["1", "2", "3"]).is_err());
/// ```
#[inline]
pub fn apply(value: &str, allowed: &'static [&'static str]) -> Result<(), RuleError> {
    if contains(allowed, value) {
        Ok(())
    } else {
        Err(error(allowed))
    }
}

/// [`apply`] for values that are not `'static` (a spec checker's): whether `value` is one of
/// `allowed`, compared exactly.
///
/// ```
/// use popgen_runtime::rules::one_of;
/// let allowed = vec![String::from("RUNNING"), String::from("STOP")];
/// assert!(one_of::contains(&allowed, "STOP"));
/// assert!(!one_of::contains(&allowed, "stop"));
/// ```
#[inline]
pub fn contains<S: AsRef<str>>(allowed: &[S], value: &str) -> bool {
    allowed.iter().any(|a| a.as_ref() == value)
}

/// The violation for a value outside `allowed` (also used when parsing a `WireEnum`).
#[cold]
pub fn error(allowed: &'static [&'static str]) -> RuleError {
    RuleError::new(Rule::OneOf, Limit::OneOf(allowed), Actual::Value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn membership_is_exact() {
        const KEYS: &[&str] = &["RUNNING", "STOP"];
        assert!(apply("RUNNING", KEYS).is_ok());
        assert!(apply("running", KEYS).is_err());
        assert!(apply("", KEYS).is_err());
        assert!(apply("RUNNING ", KEYS).is_err());
        assert_eq!(
            apply("X", KEYS).unwrap_err().limit.to_string(),
            "one of: RUNNING, STOP"
        );
    }
}
