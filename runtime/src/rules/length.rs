//! Text length limits, in UTF-8 bytes (what the service usually counts, `"张三"` is 6) or in
//! characters (Unicode scalar values, `"张三"` is 2). Two rules, because the spec says which.

use super::{Actual, LengthUnit, Limit, Rule, RuleError};

/// The UTF-8 byte length of `value` lies within `min..=max`.
///
/// ```
/// use popgen_runtime::rules::length;
/// assert!(length::bytes("张三", Some(6), Some(6)).is_ok());
/// assert!(length::bytes("张三", None, Some(5)).is_err());
/// ```
#[inline]
pub fn bytes(value: &str, min: Option<usize>, max: Option<usize>) -> Result<(), RuleError> {
    check(value.len(), min, max, LengthUnit::Bytes, Rule::LengthBytes)
}

/// The number of characters (Unicode scalar values) of `value` lies within `min..=max`.
///
/// ```
/// use popgen_runtime::rules::length;
/// assert!(length::chars("张三", Some(2), Some(2)).is_ok());
/// assert!(length::chars("😀", None, Some(1)).is_ok());
/// ```
#[inline]
pub fn chars(value: &str, min: Option<usize>, max: Option<usize>) -> Result<(), RuleError> {
    // A text of n bytes has at most n characters and at least n / 4: skip counting when the
    // byte length alone decides.
    let n = value.len();
    if min.is_none_or(|min| n / 4 >= min) && max.is_none_or(|max| n <= max) {
        return Ok(());
    }
    check(
        value.chars().count(),
        min,
        max,
        LengthUnit::Chars,
        Rule::LengthChars,
    )
}

/// A length `n` already measured in `unit` lies within `min..=max` (for texts not held as a
/// `str`, such as the JSON text of [`super::json::length`]).
///
/// ```
/// use popgen_runtime::rules::{LengthUnit, length};
/// assert!(length::count(15, LengthUnit::Bytes, Some(1), Some(15)).is_ok());
/// assert!(length::count(16, LengthUnit::Bytes, Some(1), Some(15)).is_err());
/// ```
#[inline]
pub fn count(
    n: usize,
    unit: LengthUnit,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), RuleError> {
    let rule = match unit {
        LengthUnit::Bytes => Rule::LengthBytes,
        LengthUnit::Chars => Rule::LengthChars,
    };
    check(n, min, max, unit, rule)
}

#[inline]
fn check(
    n: usize,
    min: Option<usize>,
    max: Option<usize>,
    unit: LengthUnit,
    rule: Rule,
) -> Result<(), RuleError> {
    if min.is_some_and(|min| n < min) || max.is_some_and(|max| n > max) {
        Err(RuleError::new(
            rule,
            Limit::Length { min, max, unit },
            Actual::Length(n),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_byte_text_counts_differently() {
        assert!(bytes("张三", Some(6), Some(6)).is_ok());
        assert!(chars("张三", Some(2), Some(2)).is_ok());
        assert!(bytes("张三", Some(1), Some(5)).is_err());
        assert!(chars("张三", Some(3), None).is_err());
    }

    #[test]
    fn emoji_is_four_bytes_one_char() {
        assert!(bytes("😀", Some(4), Some(4)).is_ok());
        assert!(chars("😀", Some(1), Some(1)).is_ok());
        assert!(chars("😀😀", None, Some(1)).is_err());
    }

    #[test]
    fn combining_marks_are_separate_chars() {
        // "é" as e + U+0301: two scalar values, three bytes.
        assert!(chars("e\u{301}", Some(2), Some(2)).is_ok());
        assert!(bytes("e\u{301}", Some(3), Some(3)).is_ok());
    }

    #[test]
    fn empty_text() {
        assert!(bytes("", None, Some(15)).is_ok());
        assert!(bytes("", Some(1), Some(15)).is_err());
        assert!(chars("", Some(1), None).is_err());
    }

    #[test]
    fn out_id_boundaries() {
        assert!(bytes(&"a".repeat(15), Some(1), Some(15)).is_ok());
        let e = bytes(&"a".repeat(16), Some(1), Some(15)).unwrap_err();
        assert_eq!(e.actual, Actual::Length(16));
        assert_eq!(
            e.message(Some("x")),
            "length must be 1–15 bytes, got 16 bytes"
        );
    }

    #[test]
    fn chars_shortcut_agrees_with_counting() {
        for text in ["", "a", "张", "😀a", "abcd", "张三李四王五"] {
            for min in [None, Some(0), Some(1), Some(2), Some(5)] {
                for max in [None, Some(0), Some(1), Some(3), Some(6)] {
                    let n = text.chars().count();
                    let expect = min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m);
                    assert_eq!(
                        chars(text, min, max).is_ok(),
                        expect,
                        "{text:?} {min:?} {max:?}"
                    );
                }
            }
        }
    }
}
