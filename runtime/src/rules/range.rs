//! Inclusive numeric ranges (`range(min = 1, max = 3)`) for every integer type, `f32` and `f64`.

use std::cmp::Ordering;

use super::{Actual, Limit, Number, Rule, RuleError};

/// A number a range can be checked on.
pub trait Bounded: Copy + PartialOrd {
    /// The number as shown in a [`Limit`].
    fn number(self) -> Number;
}

macro_rules! bounded_int {
    ($($t:ty),*) => {$(
        impl Bounded for $t {
            fn number(self) -> Number {
                Number::Int(self as i128)
            }
        }
    )*};
}
bounded_int!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl Bounded for f32 {
    fn number(self) -> Number {
        Number::Float(f64::from(self))
    }
}

impl Bounded for f64 {
    fn number(self) -> Number {
        Number::Float(self)
    }
}

/// `value` lies within `min..=max` (either bound may be absent). A float NaN lies in no range.
///
/// ```
/// use popgen_runtime::rules::range;
/// assert!(range::apply(3i64, Some(1), Some(3)).is_ok());
/// assert!(range::apply(4i64, Some(1), Some(3)).is_err());
/// assert!(range::apply(f64::NAN, Some(0.0), None).is_err());
/// ```
#[inline]
pub fn apply<T: Bounded>(value: T, min: Option<T>, max: Option<T>) -> Result<(), RuleError> {
    let below = min.is_some_and(|min| value.partial_cmp(&min).is_none_or(Ordering::is_lt));
    let above = max.is_some_and(|max| value.partial_cmp(&max).is_none_or(Ordering::is_gt));
    if below || above {
        Err(error(min, max))
    } else {
        Ok(())
    }
}

/// `value` lies within the range, each bound inclusive or, when marked open, exclusive
/// (`min_open`: the value must be greater than `min`).
///
/// ```
/// use popgen_runtime::rules::range;
/// assert!(range::apply_open(0.5f64, Some(0.0), Some(1.0), true, true).is_ok());
/// assert!(range::apply_open(0.0f64, Some(0.0), Some(1.0), true, false).is_err());
/// assert!(range::apply_open(1i64, Some(0), None, true, false).is_ok());
/// ```
#[inline]
pub fn apply_open<T: Bounded>(
    value: T,
    min: Option<T>,
    max: Option<T>,
    min_open: bool,
    max_open: bool,
) -> Result<(), RuleError> {
    let cmp = |bound: T| value.partial_cmp(&bound);
    let below = min.is_some_and(|m| match cmp(m) {
        Some(Ordering::Less) | None => true,
        Some(Ordering::Equal) => min_open,
        Some(Ordering::Greater) => false,
    });
    let above = max.is_some_and(|m| match cmp(m) {
        Some(Ordering::Greater) | None => true,
        Some(Ordering::Equal) => max_open,
        Some(Ordering::Less) => false,
    });
    if below || above {
        Err(RuleError::new(
            Rule::Range,
            Limit::OpenRange {
                min: min.map(Bounded::number),
                max: max.map(Bounded::number),
                open: (min_open, max_open),
            },
            Actual::Value,
        ))
    } else {
        Ok(())
    }
}

#[cold]
fn error<T: Bounded>(min: Option<T>, max: Option<T>) -> RuleError {
    let limit = Limit::Range {
        min: min.map(Bounded::number),
        max: max.map(Bounded::number),
    };
    RuleError::new(Rule::Range, limit, Actual::Value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_inclusive() {
        assert!(apply(1i32, Some(1), Some(3)).is_ok());
        assert!(apply(3i32, Some(1), Some(3)).is_ok());
        assert!(apply(0i32, Some(1), Some(3)).is_err());
        assert!(apply(4i32, Some(1), Some(3)).is_err());
    }

    #[test]
    fn one_sided_and_unbounded() {
        assert!(apply(i64::MAX, Some(0), None).is_ok());
        assert!(apply(i64::MIN, Some(0), None).is_err());
        assert!(apply(i64::MIN, None, Some(0)).is_ok());
        assert!(apply(i64::MAX, None, Some(i64::MAX)).is_ok());
        assert!(apply(i64::MIN, Some(i64::MIN), Some(i64::MAX)).is_ok());
        assert!(apply(7u64, None, None).is_ok());
    }

    #[test]
    fn negative_ranges() {
        assert!(apply(-500i32, Some(-500), Some(500)).is_ok());
        assert!(apply(-501i32, Some(-500), Some(500)).is_err());
    }

    #[test]
    fn floats_and_nan() {
        assert!(apply(0.85f64, Some(0.0), Some(1.0)).is_ok());
        assert!(apply(1.000_000_1f64, Some(0.0), Some(1.0)).is_err());
        assert!(apply(f64::NAN, Some(0.0), Some(1.0)).is_err());
        assert!(apply(f64::NAN, None, None).is_ok());
        assert!(apply(f64::INFINITY, None, Some(1e300)).is_err());
    }

    #[test]
    fn limit_keeps_the_bounds() {
        let e = apply(5i64, Some(1), Some(3)).unwrap_err();
        assert_eq!(e.rule, Rule::Range);
        assert_eq!(e.limit.to_string(), "1–3");
        assert_eq!(
            apply(2.5f64, None, Some(1.5))
                .unwrap_err()
                .limit
                .to_string(),
            "at most 1.5"
        );
    }
}
