//! Validation rule functions: one module per rule kind, each a pure function from a value (and
//! the limits written in the `#[popgen(...)]` attribute) to `Result<(), RuleError>`.
//!
//! The derive macros of `popgen-macros` only emit calls to these functions (garde style), so all
//! the logic lives, and is tested, here. A [`RuleError`] holds only `'static` data and small
//! numbers on the common paths; the wire path, the rendered value and the message are built by
//! [`crate::validation::ValidationErrors::record`] only once a rule has failed.

use std::borrow::Cow;
use std::fmt;

pub mod datetime;
pub mod fixed;
pub mod items;
pub mod json;
pub mod known;
pub mod length;
pub mod list;
pub mod one_of;
pub mod pattern;
pub mod range;
pub mod unix_millis;

/// Which rule a violation broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// A required parameter is absent.
    Required,
    /// A number outside its inclusive range.
    Range,
    /// A text whose length in UTF-8 bytes is outside its limits.
    LengthBytes,
    /// A text whose length in characters (Unicode scalar values) is outside its limits.
    LengthChars,
    /// A value that is not one of the allowed values (string enums, Rust `WireEnum`s, `known`).
    OneOf,
    /// A value that must be exactly one text.
    Fixed,
    /// A text that does not match a regular expression.
    Pattern,
    /// A text that is not a date-time in the given Java-style format.
    DateTime,
    /// A number that is not a plausible Unix time in milliseconds.
    UnixMillis,
    /// A text that is not JSON, or not of the required top-level kind.
    Json,
    /// A separated list with too many or empty items.
    List,
    /// A repeated parameter with too few or too many elements (`Details.N.*`), including a
    /// required one with none.
    Items,
    /// A wire value that cannot be parsed as the field's type.
    Parse,
    /// A parameter the request type does not have.
    Unknown,
    /// A parameter given more than once.
    Duplicate,
    /// A repeated parameter with a bad index (`0`, not a number, or a gap).
    Index,
    /// A struct-level (cross-field) rule.
    Custom,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rule::Required => "required",
            Rule::Range => "range",
            Rule::LengthBytes => "length in bytes",
            Rule::LengthChars => "length in characters",
            Rule::OneOf => "one of",
            Rule::Fixed => "fixed value",
            Rule::Pattern => "pattern",
            Rule::DateTime => "date-time",
            Rule::UnixMillis => "unix milliseconds",
            Rule::Json => "json",
            Rule::List => "list",
            Rule::Items => "element count",
            Rule::Parse => "type",
            Rule::Unknown => "unknown parameter",
            Rule::Duplicate => "duplicate",
            Rule::Index => "repeated index",
            Rule::Custom => "custom",
        })
    }
}

/// A number in a limit: integers exactly, floats as given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// Any integer type.
    Int(i128),
    /// `f32` or `f64`.
    Float(f64),
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(n) => write!(f, "{n}"),
            Number::Float(x) => write!(f, "{x}"),
        }
    }
}

/// The unit of a length limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LengthUnit {
    /// UTF-8 bytes (`"张三"` is 6).
    Bytes,
    /// Unicode scalar values (`"张三"` is 2).
    Chars,
}

impl LengthUnit {
    fn name(self, n: usize) -> &'static str {
        match (self, n) {
            (LengthUnit::Bytes, 1) => "byte",
            (LengthUnit::Bytes, _) => "bytes",
            (LengthUnit::Chars, 1) => "character",
            (LengthUnit::Chars, _) => "characters",
        }
    }
}

/// The top-level kind a JSON text must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonKind {
    /// Any JSON value.
    Any,
    /// `{...}`.
    Object,
    /// `[...]`.
    Array,
}

/// The limit a rule checks, with its unit. `Display` gives the compact form used in reports:
/// `1–3`, `1–15 bytes`, `one of: RUNNING, STOP`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Limit {
    /// The rule has no limit to show (required, unknown parameter, custom rules).
    None,
    /// An inclusive numeric range; at least one bound is set.
    Range {
        /// Inclusive lower bound.
        min: Option<Number>,
        /// Inclusive upper bound.
        max: Option<Number>,
    },
    /// A numeric range whose bounds may each be exclusive.
    OpenRange {
        /// Lower bound.
        min: Option<Number>,
        /// Upper bound.
        max: Option<Number>,
        /// Whether the lower and the upper bound are excluded.
        open: (bool, bool),
    },
    /// An inclusive length range in `unit`.
    Length {
        /// Inclusive lower bound.
        min: Option<usize>,
        /// Inclusive upper bound.
        max: Option<usize>,
        /// Bytes or characters.
        unit: LengthUnit,
    },
    /// The allowed values.
    OneOf(&'static [&'static str]),
    /// The one allowed value.
    Fixed(&'static str),
    /// A regular expression the value must match.
    Pattern(&'static str),
    /// A Java-style date-time format (`yyyy-MM-dd HH:mm:ss`).
    DateTime(&'static str),
    /// The plausible range of Unix milliseconds, see [`unix_millis`].
    UnixMillis {
        /// Inclusive lower bound.
        min: i64,
        /// Inclusive upper bound.
        max: i64,
    },
    /// The JSON kind required.
    Json(JsonKind),
    /// The largest number of items of a separated list.
    List {
        /// The separator between items.
        separator: &'static str,
        /// The largest number of items, if limited.
        max_items: Option<usize>,
    },
    /// What a wire value must parse as (`a 64-bit integer`).
    Type(&'static str),
    /// The number of elements of a repeated parameter, inclusive.
    Items {
        /// Inclusive lower bound.
        min: Option<usize>,
        /// Inclusive upper bound.
        max: Option<usize>,
    },
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::None => Ok(()),
            Limit::Range { min, max } => fmt_bounds(f, *min, *max, ""),
            Limit::OpenRange { min, max, open } => {
                f.write_str(&open_bounds(*min, *max, *open, ["> ", "≥ ", "< ", "≤ "]))
            }
            Limit::Length { min, max, unit } => {
                let shown = max.or(*min).unwrap_or(0);
                fmt_bounds(f, *min, *max, unit.name(shown))
            }
            Limit::OneOf(values) => write!(f, "one of: {}", values.join(", ")),
            Limit::Fixed(value) => write!(f, "exactly {value:?}"),
            Limit::Pattern(pattern) => write!(f, "matching {pattern}"),
            Limit::DateTime(format) => write!(f, "date-time {format}"),
            Limit::UnixMillis { min, max } => write!(f, "{min}–{max} ms since 1970-01-01 UTC"),
            Limit::Json(JsonKind::Any) => f.write_str("JSON text"),
            Limit::Json(JsonKind::Object) => f.write_str("JSON object"),
            Limit::Json(JsonKind::Array) => f.write_str("JSON array"),
            Limit::List {
                separator,
                max_items: Some(max),
            } => write!(f, "at most {max} items separated by {separator:?}"),
            Limit::List { separator, .. } => write!(f, "items separated by {separator:?}"),
            Limit::Type(expected) => f.write_str(expected),
            Limit::Items { min, max } => {
                let shown = max.or(*min).unwrap_or(0);
                let unit = if shown == 1 { "element" } else { "elements" };
                fmt_bounds(f, *min, *max, unit)
            }
        }
    }
}

fn fmt_bounds<N: fmt::Display + PartialEq>(
    f: &mut fmt::Formatter<'_>,
    min: Option<N>,
    max: Option<N>,
    unit: &str,
) -> fmt::Result {
    let space = if unit.is_empty() { "" } else { " " };
    match (min, max) {
        (Some(min), Some(max)) if min == max => write!(f, "exactly {min}{space}{unit}"),
        (Some(min), Some(max)) => write!(f, "{min}–{max}{space}{unit}"),
        (Some(min), None) => write!(f, "at least {min}{space}{unit}"),
        (None, Some(max)) => write!(f, "at most {max}{space}{unit}"),
        (None, None) => Ok(()),
    }
}

/// What was wrong with the value, beyond the limit.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Actual {
    /// The value itself is what to show (`got 5`).
    Value,
    /// The measured length, in the unit of the limit.
    Length(usize),
    /// The number of items of a list.
    Count(usize),
    /// There is no value: the parameter is missing.
    Missing,
    /// A reason for a person (`month 13 is not 01–12`); allocated only on failure.
    Reason(Cow<'static, str>),
}

/// The failure of one rule, before it is placed at a wire path.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleError {
    /// The rule that failed.
    pub rule: Rule,
    /// Its limit.
    pub limit: Limit,
    /// What was found.
    pub actual: Actual,
}

impl RuleError {
    /// A rule failure.
    pub const fn new(rule: Rule, limit: Limit, actual: Actual) -> Self {
        RuleError {
            rule,
            limit,
            actual,
        }
    }

    /// A failure with a reason for a person.
    pub fn reason(rule: Rule, limit: Limit, reason: impl Into<Cow<'static, str>>) -> Self {
        RuleError::new(rule, limit, Actual::Reason(reason.into()))
    }

    /// The sentence for a person, without the path. `value` is the offending value as rendered
    /// for the report ([`crate::validation::REDACTED`] for a sensitive one), `None` if missing.
    pub fn message(&self, value: Option<&str>) -> String {
        let mut out = self.requirement();
        if let (Rule::Items, Actual::Count(n)) = (self.rule, &self.actual) {
            // A count has no value to show: the number is what was wrong.
            match n {
                0 => out.push_str(", got none"),
                n => out.push_str(&format!(", got {n}")),
            }
            return out;
        }
        let Some(value) = value else {
            if let Actual::Reason(reason) = &self.actual {
                out.push_str(&format!(" ({reason})"));
            }
            return out;
        };
        let got = got(value, self.rule);
        match &self.actual {
            Actual::Missing => {}
            Actual::Value => out.push_str(&format!(", got {got}")),
            Actual::Length(n) => {
                let unit = match self.limit {
                    Limit::Length { unit, .. } => unit.name(*n),
                    _ => "",
                };
                out.push_str(&format!(", got {n} {unit}"));
            }
            Actual::Count(n) => out.push_str(&format!(", got {n} items")),
            Actual::Reason(reason) => out.push_str(&format!(" ({reason}), got {got}")),
        }
        out
    }

    fn requirement(&self) -> String {
        match (&self.rule, &self.limit) {
            (Rule::Required, _) => "is required".to_owned(),
            (Rule::Range, Limit::Range { min, max }) => match (min, max) {
                (Some(min), Some(max)) => format!("must be between {min} and {max}"),
                (Some(min), None) => format!("must be at least {min}"),
                (None, Some(max)) => format!("must be at most {max}"),
                (None, None) => "must be a number".to_owned(),
            },
            (Rule::Range, Limit::OpenRange { min, max, open }) => format!(
                "must be {}",
                open_bounds(
                    *min,
                    *max,
                    *open,
                    ["greater than ", "at least ", "less than ", "at most "]
                )
            ),
            (Rule::LengthBytes | Rule::LengthChars, limit) => format!("length must be {limit}"),
            (Rule::Fixed, Limit::Fixed(value)) => format!("must be {value:?}"),
            (Rule::Pattern, Limit::Pattern(pattern)) => format!("must match {pattern}"),
            (Rule::DateTime, Limit::DateTime(format)) => {
                format!("must be a date-time formatted {format}")
            }
            (Rule::UnixMillis, limit) => format!("must be a Unix time in milliseconds, {limit}"),
            (Rule::Json, limit) => format!("must be a {limit}"),
            (Rule::List, limit) => format!("must be a list of {limit}"),
            (Rule::Items, limit) if self.actual == Actual::Count(0) => {
                format!("is required: {limit}")
            }
            (Rule::Items, limit) => format!("must have {limit}"),
            (Rule::Parse, limit) => format!("expected {limit}"),
            (Rule::Unknown, _) => "is not a parameter of this request".to_owned(),
            (Rule::Duplicate, _) => "is given more than once".to_owned(),
            (Rule::Index, _) => "has a bad repeated-parameter index".to_owned(),
            (_, limit) => format!("must be {limit}"),
        }
    }
}

/// `got 5` for numbers, `got "x"` for texts, `got ***` when redacted.
fn got(value: &str, rule: Rule) -> String {
    match value {
        crate::validation::REDACTED => crate::validation::REDACTED.to_owned(),
        v if matches!(rule, Rule::Range | Rule::UnixMillis) => v.to_owned(),
        v => format!("{v:?}"),
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.requirement(), self.limit)
    }
}

impl std::error::Error for RuleError {}

/// A range with open or closed bounds in words (`greater than 0 and at most 1`), with the words
/// for: greater, at least, less, at most.
fn open_bounds(
    min: Option<Number>,
    max: Option<Number>,
    open: (bool, bool),
    words: [&str; 4],
) -> String {
    let lower = min.map(|n| format!("{}{n}", if open.0 { words[0] } else { words[1] }));
    let upper = max.map(|n| format!("{}{n}", if open.1 { words[2] } else { words[3] }));
    [lower, upper]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" and ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_display_with_units() {
        let bytes = Limit::Length {
            min: Some(1),
            max: Some(15),
            unit: LengthUnit::Bytes,
        };
        assert_eq!(bytes.to_string(), "1–15 bytes");
        let chars = Limit::Length {
            min: None,
            max: Some(30),
            unit: LengthUnit::Chars,
        };
        assert_eq!(chars.to_string(), "at most 30 characters");
        assert_eq!(
            Limit::OneOf(&["RUNNING", "STOP"]).to_string(),
            "one of: RUNNING, STOP"
        );
        let range = Limit::Range {
            min: Some(Number::Int(-500)),
            max: Some(Number::Int(500)),
        };
        assert_eq!(range.to_string(), "-500–500");
    }

    #[test]
    fn messages_quote_texts_but_not_numbers_and_keep_redaction_bare() {
        let e = range::apply(5i64, Some(1), Some(3)).unwrap_err();
        assert_eq!(e.message(Some("5")), "must be between 1 and 3, got 5");
        let e = one_of::apply("X", &["A", "B"]).unwrap_err();
        assert_eq!(e.message(Some("X")), r#"must be one of: A, B, got "X""#);
        assert_eq!(e.message(Some("***")), "must be one of: A, B, got ***");
    }
}
