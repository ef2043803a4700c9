//! `known`: a `WireEnum` value is one of the variants this version knows, not a string kept by
//! its `#[popgen(other)]` variant.

use super::{RuleError, one_of};
use crate::params::WireEnum;

/// `value`'s wire string is one of `T::VARIANTS`. The violation is the one a failed
/// [`crate::params::parse_enum`] reports (`one of: RUNNING, STOP`), so a value kept by an
/// `other` variant reads the same whether it was built in Rust or parsed from the wire.
///
/// ```
/// use popgen_runtime::params::WireEnum;
/// use popgen_runtime::rules::known;
/// #[derive(Debug)]
/// enum Status { Running, Unknown(String) }
/// impl WireEnum for Status {
///     const VARIANTS: &'static [&'static str] = &["RUNNING"];
///     fn as_wire(&self) -> &str {
///         match self { Status::Running => "RUNNING", Status::Unknown(s) => s }
///     }
///     fn from_wire_str(text: &str) -> Option<Self> {
///         Some(if text == "RUNNING" { Status::Running } else { Status::Unknown(text.into()) })
///     }
/// }
/// assert!(known::apply(&Status::Running).is_ok());
/// let e = known::apply(&Status::Unknown("PAUSED".into())).unwrap_err();
/// assert_eq!(e.message(Some("PAUSED")), r#"must be one of: RUNNING, got "PAUSED""#);
/// ```
#[inline]
pub fn apply<T: WireEnum>(value: &T) -> Result<(), RuleError> {
    if T::VARIANTS.contains(&value.as_wire()) {
        Ok(())
    } else {
        Err(one_of::error(T::VARIANTS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::parse_enum;

    #[derive(Debug, PartialEq)]
    enum Status {
        Running,
        Stop,
        Unknown(String),
    }

    impl WireEnum for Status {
        const VARIANTS: &'static [&'static str] = &["RUNNING", "STOP"];
        fn as_wire(&self) -> &str {
            match self {
                Status::Running => "RUNNING",
                Status::Stop => "STOP",
                Status::Unknown(s) => s,
            }
        }
        fn from_wire_str(text: &str) -> Option<Self> {
            Some(match text {
                "RUNNING" => Status::Running,
                "STOP" => Status::Stop,
                _ => Status::Unknown(text.to_owned()),
            })
        }
    }

    /// An enum without an `other` variant: every value is known.
    #[derive(Debug)]
    enum Closed {
        On,
    }

    impl WireEnum for Closed {
        const VARIANTS: &'static [&'static str] = &["ON"];
        fn as_wire(&self) -> &str {
            "ON"
        }
        fn from_wire_str(text: &str) -> Option<Self> {
            (text == "ON").then_some(Closed::On)
        }
    }

    #[test]
    fn known_variants_pass() {
        assert!(apply(&Status::Running).is_ok());
        assert!(apply(&Status::Stop).is_ok());
        assert!(apply(&Closed::On).is_ok());
    }

    #[test]
    fn unknown_strings_fail_exactly() {
        for text in ["PAUSED", "", "running", "STOP ", " RUNNING"] {
            let e = apply(&Status::Unknown(text.into())).unwrap_err();
            assert_eq!(e.limit.to_string(), "one of: RUNNING, STOP", "{text:?}");
        }
    }

    #[test]
    fn an_other_variant_holding_a_known_string_is_known() {
        // What goes on the wire is `RUNNING`, which the service knows.
        assert!(apply(&Status::Unknown("RUNNING".into())).is_ok());
    }

    #[test]
    fn same_violation_as_parsing_a_closed_enum() {
        let parsed = parse_enum::<Status>("PAUSED").unwrap();
        let from_known = apply(&parsed).unwrap_err();
        let from_parse = parse_enum::<Closed>("OFF").unwrap_err();
        assert_eq!(from_known.rule, from_parse.rule);
        assert_eq!(from_known.actual, from_parse.actual);
        assert_eq!(
            from_known.message(Some("PAUSED")),
            r#"must be one of: RUNNING, STOP, got "PAUSED""#
        );
    }
}
