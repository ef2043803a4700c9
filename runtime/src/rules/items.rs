//! The number of elements of a repeated parameter (`items(min = 1, max = 10)`): how many
//! `Details.1.*`, `Details.2.*`, ... a request carries. A required repeated parameter has at
//! least one element: an empty list sends nothing, which the service reads as the parameter
//! missing.
//!
//! `popgen-spec` checks the elements of the reference's example requests with the same function.

use super::{Actual, Limit, Rule, RuleError};

/// `count` elements lie within `min..=max`.
///
/// ```
/// use popgen_runtime::rules::items;
/// assert!(items::apply(1, Some(1), Some(10)).is_ok());
/// let none = items::apply(0, Some(1), Some(10)).unwrap_err();
/// assert_eq!(none.message(None), "is required: 1–10 elements, got none");
/// let many = items::apply(11, Some(1), Some(10)).unwrap_err();
/// assert_eq!(many.message(None), "must have 1–10 elements, got 11");
/// ```
#[inline]
pub fn apply(count: usize, min: Option<usize>, max: Option<usize>) -> Result<(), RuleError> {
    if min.is_some_and(|min| count < min) || max.is_some_and(|max| count > max) {
        Err(RuleError::new(
            Rule::Items,
            Limit::Items { min, max },
            Actual::Count(count),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_inclusive() {
        assert!(apply(1, Some(1), Some(10)).is_ok());
        assert!(apply(10, Some(1), Some(10)).is_ok());
        assert!(apply(0, Some(1), Some(10)).is_err());
        assert!(apply(11, Some(1), Some(10)).is_err());
        assert!(apply(0, None, Some(10)).is_ok());
        assert!(apply(usize::MAX, Some(1), None).is_ok());
    }

    #[test]
    fn messages_say_how_many() {
        let at_least = apply(1, Some(2), None).unwrap_err();
        assert_eq!(
            at_least.message(None),
            "must have at least 2 elements, got 1"
        );
        let none = apply(0, Some(1), None).unwrap_err();
        assert_eq!(
            none.message(None),
            "is required: at least 1 element, got none"
        );
        let few = apply(0, Some(2), Some(3)).unwrap_err();
        assert_eq!(few.message(None), "is required: 2–3 elements, got none");
        let one_too_many = apply(16, None, Some(15)).unwrap_err();
        assert_eq!(
            one_too_many.message(None),
            "must have at most 15 elements, got 16"
        );
    }
}
