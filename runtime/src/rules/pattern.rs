//! Regular-expression patterns (`pattern = "^TTS_[0-9]+$"`), compiled once per pattern.
//!
//! The derive checks the pattern at compile time with the same `regex` crate and emits a
//! `static` [`Pattern`], so generated code needs no direct dependency on `regex`.

use std::sync::OnceLock;

pub use regex;

use super::{Actual, Limit, Rule, RuleError};

/// A regular expression compiled on first use. Meant for `static`s.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    regex: OnceLock<regex::Regex>,
}

impl Pattern {
    /// A pattern; compiled on the first [`Pattern::apply`].
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            regex: OnceLock::new(),
        }
    }

    /// The pattern text.
    pub const fn source(&self) -> &'static str {
        self.source
    }

    /// `value` matches the pattern (anywhere, unless it is anchored with `^...$`).
    ///
    /// ```
    /// use popgen_runtime::rules::pattern::Pattern;
    /// static CODE: Pattern = Pattern::new("^TTS_[0-9]+$");
    /// assert!(CODE.apply("TTS_123").is_ok());
    /// assert!(CODE.apply("SMS_123").is_err());
    /// ```
    ///
    /// # Panics
    /// If the pattern is not a valid regular expression. The derive rejects such patterns at
    /// compile time, so this only concerns hand-written `Pattern`s.
    #[inline]
    pub fn apply(&self, value: &str) -> Result<(), RuleError> {
        if is_match(self.regex(), value) {
            Ok(())
        } else {
            Err(RuleError::new(
                Rule::Pattern,
                Limit::Pattern(self.source),
                Actual::Value,
            ))
        }
    }

    fn regex(&self) -> &regex::Regex {
        self.regex.get_or_init(|| {
            regex::Regex::new(self.source)
                .unwrap_or_else(|e| panic!("invalid pattern {:?}: {e}", self.source))
        })
    }
}

/// A spec pattern made to match the whole value (`^(?:…)$`): how a spec's `pattern` becomes a
/// [`Pattern`] in generated code and a regex in the spec checker.
///
/// ```
/// use popgen_runtime::rules::pattern;
/// assert_eq!(pattern::whole("[0-9]+"), "^(?:[0-9]+)$");
/// ```
pub fn whole(pattern: &str) -> String {
    format!("^(?:{pattern})$")
}

/// [`Pattern::apply`] for a regex that is not a `static` (a spec checker's, compiled from
/// [`whole`]): whether `value` matches.
///
/// ```
/// use popgen_runtime::rules::pattern::{self, regex::Regex};
/// let re = Regex::new(&pattern::whole("TTS_[0-9]+")).unwrap();
/// assert!(pattern::is_match(&re, "TTS_1"));
/// assert!(!pattern::is_match(&re, "x TTS_1"));
/// ```
#[inline]
pub fn is_match(regex: &regex::Regex, value: &str) -> bool {
    regex.is_match(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    static DIGITS: Pattern = Pattern::new("^[0-9]+$");

    #[test]
    fn anchored_patterns() {
        assert!(DIGITS.apply("13800000000").is_ok());
        assert!(DIGITS.apply("").is_err());
        assert!(DIGITS.apply("138-0000").is_err());
        assert!(
            DIGITS.apply("１２３").is_err(),
            "full-width digits are not [0-9]"
        );
    }

    #[test]
    fn unanchored_matches_anywhere() {
        static P: Pattern = Pattern::new("TTS_");
        assert!(P.apply("x TTS_1").is_ok());
        assert_eq!(P.source(), "TTS_");
    }

    #[test]
    #[should_panic(expected = "invalid pattern")]
    fn invalid_hand_written_pattern_panics() {
        static BAD: Pattern = Pattern::new("(");
        let _ = BAD.apply("x");
    }
}
