//! Property tests of the rule functions against their plain definitions, and of the scalar
//! wire conversions reading back what they wrote.

use popgen_runtime::params::{FromWire, ToWire};
use popgen_runtime::rules::{datetime, length, list, range};
use proptest::prelude::*;

proptest! {
    #[test]
    fn length_rules_match_their_definitions(text in "\\PC{0,12}", min in 0usize..20, max in 0usize..50) {
        let chars = text.chars().count();
        prop_assert_eq!(length::chars(&text, Some(min), Some(max)).is_ok(), min <= chars && chars <= max);
        prop_assert_eq!(length::bytes(&text, Some(min), Some(max)).is_ok(), min <= text.len() && text.len() <= max);
    }

    #[test]
    fn range_matches_comparisons(v: i64, a: i64, b: i64) {
        prop_assert_eq!(range::apply(v, Some(a), Some(b)).is_ok(), a <= v && v <= b);
        prop_assert_eq!(range::apply(v, None, Some(b)).is_ok(), v <= b);
    }

    #[test]
    fn integers_and_floats_read_back(i: i64, j: i32, x in any::<f64>().prop_filter("finite", |x| x.is_finite())) {
        prop_assert_eq!(i64::from_wire(&i.to_wire()), Ok(i));
        prop_assert_eq!(i32::from_wire(&j.to_wire()), Ok(j));
        prop_assert_eq!(f64::from_wire(&x.to_wire()), Ok(x));
    }

    #[test]
    fn lists_of_non_empty_items_split_back(items in prop::collection::vec("[0-9a-z]{1,5}", 0..8)) {
        let joined = list::join(&items, ",");
        prop_assert_eq!(list::split(&joined, ","), items.clone());
        prop_assert!(list::apply(&joined, ",", Some(items.len().max(1))).is_ok());
    }

    #[test]
    fn every_real_calendar_day_is_accepted(y in 1u32..=9999, m in 1u32..=12, d in 1u32..=31) {
        let last = popgen_runtime::calendar::days_in_month(i64::from(y), m);
        let text = format!("{y:04}-{m:02}-{d:02}");
        prop_assert_eq!(datetime::apply(&text, "yyyy-MM-dd").is_ok(), d <= last);
    }
}
