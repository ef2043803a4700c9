//! Fixed values (`fixed = "2017-05-25"`): a parameter that may only ever be one text.

use super::{Actual, Limit, Rule, RuleError};

/// `value` equals `expected`.
///
/// ```
/// use popgen_runtime::rules::fixed;
/// assert!(fixed::apply("2017-05-25", "2017-05-25").is_ok());
/// assert!(fixed::apply("2017-05-26", "2017-05-25").is_err());
/// ```
#[inline]
pub fn apply(value: &str, expected: &'static str) -> Result<(), RuleError> {
    if matches(value, expected) {
        Ok(())
    } else {
        Err(RuleError::new(
            Rule::Fixed,
            Limit::Fixed(expected),
            Actual::Value,
        ))
    }
}

/// [`apply`] for an expected text that is not `'static` (a spec checker's): `value` is exactly
/// `expected`, byte for byte.
///
/// ```
/// use popgen_runtime::rules::fixed;
/// assert!(fixed::matches("LIST", &String::from("LIST")));
/// assert!(!fixed::matches("list", "LIST"));
/// ```
#[inline]
pub fn matches(value: &str, expected: &str) -> bool {
    value == expected
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_text() {
        assert!(apply("json", "json").is_ok());
        assert!(apply("JSON", "json").is_err());
        assert!(apply("", "json").is_err());
        assert_eq!(
            apply("x", "json").unwrap_err().message(Some("x")),
            r#"must be "json", got "x""#
        );
    }
}
